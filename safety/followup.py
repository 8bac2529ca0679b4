"""The figures safety gives to the follow-up of an approved application (partnerships.followup):
incidents per month from the figures core and the interventions' effects, the same functions
as the dashboard and the lägesbild, so the three agree."""

import datetime as dt

from .effects import intervention_effects
from .figures import incident_series
from .models import Intervention


def followup_figures(*, place, start: dt.date, end: dt.date) -> dict:
    series = incident_series(place=place, start=start, end=end, bucket="month")
    months = [
        {"month": dt.date.fromisoformat(point["start"]), "count": point["count"]}
        for point in series["points"]
    ]
    effects = intervention_effects(
        place=place,
        interventions=Intervention.objects.filter(place=place, starts_on__gte=start).order_by(
            "-starts_on", "pk"
        ),
    )
    return {"incident_months": months, "effects": effects}
