"""Caching of a place's dashboard figures, invalidated the moment the place's data changes.

Every cached value of a place sits under that place's *version* – a token in the cache. When an
incident, activity, action item, activity plan, survey response, survey, funding commitment,
payment or budget of the place is saved or deleted, a signal receiver below replaces the token,
so the next request misses and recomputes: a change shows up at once, with no key to hunt down.
The token is replaced both immediately and again when the transaction commits, so a request
that read the old data while the write was in flight cannot keep it alive.

Writes that bypass signals (`bulk_create`, `QuerySet.update`) are covered where they matter: the
incident import saves its `IncidentImport` row in the same transaction, survey answers are
bulk-created in the transaction that saves their `Response`. Anything else is bounded by the
timeout (DASHBOARD_CACHE_SECONDS, 10 minutes by default) – and may call `place_changed` itself.

Keys also carry the local date, because "last 30 days" and "open on the last day" move with it.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from partnerships.models import AnnualBudget, FundingCommitment, Payment
from places.models import (
    ActionItem,
    Activity,
    Place,
    PlannedActivity,
    PublicTip,
    VisitorCount,
)
from surveys.models import Response, Survey

from .dashboard_queries import comparison_rows, weekly_series_by_category
from .figures import FIGURES_VERSION, place_figures
from .models import Incident, IncidentImport, Intervention

PREFIX = "amp:dashboard"


def timeout() -> int:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 600)


def _version_key(place_id: int) -> str:
    return f"{PREFIX}:version:{place_id}"


def place_versions(place_ids) -> dict[int, str]:
    """The current version token of each place (one cache round trip; new tokens for places
    that have none yet)."""
    keys = {_version_key(pid): pid for pid in place_ids}
    found = cache.get_many(list(keys))
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, None)
        found.update(missing)
    return {keys[key]: token for key, token in found.items()}


def place_version(place_id: int) -> str:
    return place_versions([place_id])[place_id]


def place_changed(place_id: int | None) -> None:
    """Drop every cached figure of the place, now and once the transaction commits."""
    if place_id is None:
        return

    def bump():
        cache.set(_version_key(place_id), uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def _key(place_id: int, version: str, name: str, *parts) -> str:
    suffix = ":".join(str(part) for part in parts)
    return f"{PREFIX}:{place_id}:{version}:v{FIGURES_VERSION}:{name}:{suffix}"


def _cached(place_id: int, name: str, parts: tuple, compute):
    key = _key(place_id, place_version(place_id), name, *parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout())
    return value


# --- Cached reads ----------------------------------------------------------------------------


def cached_place_figures(*, place, start: dt.date, end: dt.date) -> dict:
    """`place_figures` for [start, end), from the cache when nothing changed since."""
    today = timezone.localdate()
    return _cached(
        place.pk,
        "figures",
        (start.isoformat(), end.isoformat(), today.isoformat()),
        lambda: place_figures(place=place, start=start, end=end),
    )


def cached_weekly_series(*, place, today: dt.date) -> dict:
    """Incidents per week and category over the last 12 months, cached like the figures."""
    return _cached(
        place.pk,
        "weekly",
        (today.isoformat(),),
        lambda: weekly_series_by_category(place=place, today=today),
    )


def cached_chart_html(*, place, parts: tuple, build) -> dict[str, str]:
    """The dashboard's rendered charts (SVG, description, table) for one period, in the active
    language: building and number-formatting a few thousand table cells is the bulk of a warm
    request, and they change only with the figures."""
    language = get_language() or settings.LANGUAGE_CODE
    key_parts = (*[getattr(p, "isoformat", lambda p=p: p)() for p in parts], language)
    return _cached(place.pk, "charts", key_parts, build)


def cached_comparison_rows(*, places, today: dt.date) -> list[dict]:
    """The overview rows of `places`; rows of unchanged places come from the cache and the
    rest are computed together in one batch (a fixed number of queries for any count)."""
    places = list(places)
    if not places:
        return []
    versions = place_versions([place.pk for place in places])
    keys = {
        place.pk: _key(place.pk, versions[place.pk], "row", today.isoformat()) for place in places
    }
    found = cache.get_many(list(keys.values()))
    rows, missing = {}, []
    for place in places:
        row = found.get(keys[place.pk])
        if row is None:
            missing.append(place)
        else:
            row["place"] = place  # stored without the model instance
            rows[place.pk] = row
    if missing:
        fresh = comparison_rows(places=missing, today=today)
        cache.set_many({keys[row["place"].pk]: {**row, "place": None} for row in fresh}, timeout())
        rows.update({row["place"].pk: row for row in fresh})
    return [rows[place.pk] for place in places]


# --- Invalidation ----------------------------------------------------------------------------

# Models with a `place` foreign key whose rows feed the figures.
_PLACE_MODELS = (
    Incident,
    IncidentImport,
    Intervention,
    VisitorCount,
    Activity,
    ActionItem,
    PlannedActivity,
    PublicTip,
    FundingCommitment,
    AnnualBudget,
    Survey,
)
_HANDLED = (Place, *_PLACE_MODELS, Response, Payment)


def _cascaded(instance, origin) -> bool:
    """True when the row goes as part of deleting another handled object (a place, a survey, a
    commitment): that object's own receiver invalidates the place, once."""
    return isinstance(origin, _HANDLED) and not isinstance(origin, type(instance))


def _changed_once(place_id, origin) -> None:
    """Invalidate once per delete operation: `Incident.objects.filter(...).delete()` sends a
    signal per row, but the place needs its token replaced only once."""
    if origin is None:
        place_changed(place_id)
        return
    done = getattr(origin, "_dashboard_invalidated", None)
    if done is None:
        done = set()
        try:
            origin._dashboard_invalidated = done
        except AttributeError:  # an origin that takes no attributes: invalidate every time
            place_changed(place_id)
            return
    if place_id not in done:
        done.add(place_id)
        place_changed(place_id)


def _response_place_id(response):
    survey = response._state.fields_cache.get("survey")
    if survey is not None:
        return survey.place_id
    return Survey.objects.filter(pk=response.survey_id).values_list("place_id", flat=True).first()


def _payment_place_id(payment):
    commitment = payment._state.fields_cache.get("commitment")
    if commitment is not None:
        return commitment.place_id
    return (
        FundingCommitment.objects.filter(pk=payment.commitment_id)
        .values_list("place_id", flat=True)
        .first()
    )


def _place_id_of(instance):
    if isinstance(instance, Place):
        return instance.pk
    if isinstance(instance, Response):
        return _response_place_id(instance)
    if isinstance(instance, Payment):
        return _payment_place_id(instance)
    return instance.place_id


def _on_save(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures loading
        place_changed(_place_id_of(instance))


def _on_delete(sender, instance, origin=None, **kwargs):
    if _cascaded(instance, origin):
        return
    _changed_once(_place_id_of(instance), origin)


for _model in _HANDLED:
    post_save.connect(_on_save, sender=_model, dispatch_uid=f"dashboard-save-{_model.__name__}")
    post_delete.connect(
        _on_delete, sender=_model, dispatch_uid=f"dashboard-delete-{_model.__name__}"
    )
