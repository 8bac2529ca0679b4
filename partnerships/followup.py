"""The slot for the follow-up's figures that belong to the apps above partnerships.

The city's follow-up of an approved application shows the place's own figures since the start
beside the partnership's story. The incident series and the interventions' effects come from the
figures core of `safety`, which ranks above partnerships (docs/architecture.md, "Apps"): safety
registers its provider here in its AppConfig.ready(), so partnerships never imports it.
"""

import datetime as dt

_provider = None


def register_followup_figures(provider) -> None:
    """`provider(place=, start=, end=)` returns {"incident_months": [{"month", "count"}],
    "effects": [...]} for the place between `start` (inclusive) and `end` (exclusive) dates."""
    global _provider
    _provider = provider


def followup_figures(*, place, start: dt.date, end: dt.date) -> dict:
    """The registered provider's figures; without one (safety not installed) none."""
    if _provider is None:
        return {"incident_months": [], "effects": []}
    return _provider(place=place, start=start, end=end)
