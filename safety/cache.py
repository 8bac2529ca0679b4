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

Rendered pages (the dashboard's body, the overview's table and map, a report's body) are cached
too, as HTML, keyed by what decides what they show: the place's version, the period, the
language, what the role may see (`dashboard_scope`), and a digest of the templates that render
them (a deploy never serves old markup). A few rows that many places show – an organisation's
name, an incident category, an activity kind – replace one *epoch* token that every rendered
page's key carries, instead of hunting down the places that show them.
"""

import datetime as dt
import functools
import hashlib
import importlib.util
import json
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import Organisation
from amp_platform.replica import replica_reads
from partnerships.models import AnnualBudget, FundingCommitment, Payment
from places.models import (
    ActionItem,
    Activity,
    ActivityKind,
    Place,
    PlannedActivity,
    PublicTip,
    VisitorCount,
)
from surveys.models import Response, Survey

from .figures import FIGURES_VERSION, place_figures
from .models import (
    ExternalEvent,
    Incident,
    IncidentCategory,
    IncidentImport,
    Intervention,
    SituationReport,
)
from .queries import comparison_rows, weekly_series_by_category

PREFIX = "amp:dashboard"


def timeout() -> int:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 600)


def _version_key(place_id: int) -> str:
    return f"{PREFIX}:version:{place_id}"


def _new_token() -> str:
    """A version token: when it was made (for `changed_at`) and a random part."""
    return f"{time.time():.3f}-{uuid.uuid4().hex[:20]}"


def changed_at(token: str) -> float | None:
    """When the token was made (the place's data changed), in epoch seconds."""
    try:
        return float(token.split("-", 1)[0])
    except (ValueError, AttributeError):
        return None


def place_versions(place_ids) -> dict[int, str]:
    """The current version token of each place (one cache round trip; new tokens for places
    that have none yet)."""
    keys = {_version_key(pid): pid for pid in place_ids}
    found = cache.get_many(list(keys))
    missing = {key: _new_token() for key in keys if key not in found}
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
        cache.set(_version_key(place_id), _new_token(), None)

    bump()
    transaction.on_commit(bump)


_EPOCH_KEY = f"{PREFIX}:epoch"


def everything_changed() -> None:
    """Drop every cached rendered page (not the figures): a name many pages show changed."""

    def bump():
        cache.set(_EPOCH_KEY, uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


# Templates whose markup is cached: their source is part of every rendered page's key.
RENDERED_TEMPLATES = (
    "safety/dashboard/partials/_dashboard.html",
    "safety/dashboard/partials/_overview_body.html",
    "safety/partials/_report_body.html",
    "safety/includes/chart.html",
    "safety/includes/change.html",
    "safety/includes/effect.html",
    "includes/error_summary.html",
)


# …and the modules that build what they show.
RENDERING_MODULES = (
    "safety.dashboard",
    "places.charts",
    "safety.dashboard_charts",
    "safety.summary",
    "safety.effects_text",
)


@functools.cache
def templates_digest() -> str:
    """A short digest of the cached templates' and their modules' source (read once per
    process): a deploy that changes how a page looks never serves the old markup."""
    digest = hashlib.sha256()
    for name in RENDERED_TEMPLATES:
        template = get_template(name)
        digest.update(template.template.source.encode())
    for module in RENDERING_MODULES:
        digest.update(Path(importlib.util.find_spec(module).origin).read_bytes())
    return digest.hexdigest()[:12]


def _rendered_key(name: str, parts: tuple) -> str:
    language = get_language() or settings.LANGUAGE_CODE
    suffix = ":".join(str(part) for part in parts)
    return f"{PREFIX}:html2:{name}:{templates_digest()}:v{FIGURES_VERSION}:{language}:{suffix}"


def _on_replica(build, *, user, tokens):
    """`build` with its reads on the read replica, if there is one and neither the person nor
    the data changed a moment ago (amp_platform/replica.py)."""

    def run():
        times = [changed_at(token) or 0.0 for token in tokens]
        with replica_reads(user=user, since=max(times, default=None)):
            return build()

    return run


def _versioned(key: str, token_keys: list, build, *, user=None, also=()) -> tuple:
    """The value under `key` if it was built for the current tokens, else `build()`'s.

    One cache round trip on a warm request: the value is stored beside the tokens (place
    versions, the epoch) it was built for, under a key without them, and read together with
    the current tokens and the keys in `also` (returned as the second value: the bell's count,
    say). Tokens missing from the cache are made."""
    found = cache.get_many([*token_keys, key, *also])
    missing = {k: _new_token() for k in token_keys if k not in found}
    if missing:
        cache.set_many(missing, None)
        found.update(missing)
    tokens = [found[k] for k in token_keys]
    stored = found.get(key)
    if isinstance(stored, dict) and stored.get("tokens") == tokens:
        return stored["value"], found
    value = _on_replica(build, user=user, tokens=tokens)()
    cache.set(key, {"tokens": tokens, "value": value}, timeout())
    return value, found


def cached_dashboard_body(*, place, parts: tuple, build, user=None, also=()) -> tuple:
    """The dashboard's rendered body for one period and scope (`dashboard_scope`), in the
    active language, and the values of `also`; built by `build` when the place changed."""
    key = _rendered_key("dashboard", (place.pk, *parts))
    return _versioned(key, [_version_key(place.pk), _EPOCH_KEY], build, user=user, also=also)


def cached_overview_body(*, place_ids, parts: tuple, build, user=None) -> dict:
    """The overview's rendered table and map for these places (in order) and `parts` (sort,
    which rows link on, the day); built when any of the places changed."""
    digest = hashlib.sha256(f"{list(place_ids)}|{parts}".encode()).hexdigest()[:32]
    token_keys = [*(_version_key(pid) for pid in place_ids), _EPOCH_KEY]
    return _versioned(_rendered_key("overview", (digest,)), token_keys, build, user=user)[0]


def cached_report_body(*, report, build) -> dict:
    """A ready report's rendered body: its figures are frozen, so the key is the report and
    when it was generated (a regenerated report gets a new key)."""
    stamp = report.generated_at.isoformat() if report.generated_at else ""
    return _versioned(_rendered_key("report", (report.pk, stamp)), [_EPOCH_KEY], build)[0]


def dashboard_scope(*, user, access) -> tuple[str, str]:
    """What of the place's dashboard this person may see, as two key parts – everyone with the
    same parts sees the same page (architecture §4):

    - incidents on the map: "all" for staff, managers and the police (restricted ones too);
      otherwise "members", or the person's own key when they reported a restricted incident
      here (which they still see): one indexed query;
    - commitments: "all" for managers and staff, otherwise the organisation the person's role
      at the place represents.
    """
    place = access.place
    if access.sees_restricted_incidents:
        incidents = "all"
    elif Incident.objects.filter(
        place=place, reported_by=user, visibility=Incident.Visibility.RESTRICTED
    ).exists():
        incidents = f"user{user.pk}"
    else:
        incidents = "members"
    commitments = "all" if access.is_manager else f"org{access.organisation_id}"
    return incidents, commitments


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


def _figures_parts(start: dt.date, end: dt.date, today: dt.date) -> tuple:
    """The key parts of a place's cached figures (one definition for both readers below)."""
    return (start.isoformat(), end.isoformat(), today.isoformat())


def cached_place_figures(*, place, start: dt.date, end: dt.date) -> dict:
    """`place_figures` for [start, end), from the cache when nothing changed since."""
    return _cached(
        place.pk,
        "figures",
        _figures_parts(start, end, timezone.localdate()),
        lambda: place_figures(place=place, start=start, end=end),
    )


def cached_dashboard_figures(
    *, place, start: dt.date, end: dt.date, today: dt.date
) -> tuple[dict, dict]:
    """The dashboard's two computations of the place: `place_figures` for [start, end) and the
    incidents per week and category over the last 12 months, cached like `cached_place_figures`
    – read together in one cache round trip after the version's, and stored together in one
    (a cold dashboard made six round trips for them; issue #20)."""
    version = place_version(place.pk)
    keys = {
        "figures": _key(place.pk, version, "figures", *_figures_parts(start, end, today)),
        "weekly": _key(place.pk, version, "weekly", today.isoformat()),
    }
    found = cache.get_many(list(keys.values()))
    computed = {}
    if keys["figures"] not in found:
        computed[keys["figures"]] = place_figures(place=place, start=start, end=end)
    if keys["weekly"] not in found:
        computed[keys["weekly"]] = weekly_series_by_category(place=place, today=today)
    if computed:
        cache.set_many(computed, timeout())
        found.update(computed)
    return found[keys["figures"]], found[keys["weekly"]]


def content_digest(value) -> str:
    """A digest of plain data (dicts, lists, text, numbers): equal data, equal digest, however
    it was built (`pickle` is not: it shares repeated objects)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cached_chart_html(*, inputs, build) -> dict[str, str]:
    """The dashboard's rendered charts (SVG, description, table), in the active language.

    Keyed by what they are drawn from (`inputs`: the figures, the weekly series, the
    boundary), not by the place's version: the charts are a function of their data, so a
    dashboard rebuilt while its figures did not change – the cache's timeout, a write outside
    the period, a change to something the charts do not show – finds them drawn (issue #20;
    they were the largest part of a cold request after the SQL)."""
    key = _rendered_key("charts", (content_digest(inputs),))
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout())
    return value


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
    # A new or regenerated report is listed on the dashboard.
    SituationReport,
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


# The police's events (safety.police_events) belong to places through a many-to-many: a new
# event, an edit and linking it to a place all change those places' figures.


def _event_places_changed(event_id) -> None:
    for place_id in ExternalEvent.places.through.objects.filter(
        externalevent_id=event_id
    ).values_list("place_id", flat=True):
        place_changed(place_id)


def _on_event_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk:
        _event_places_changed(instance.pk)


def _on_event_delete(sender, instance, **kwargs):
    for place_id in getattr(instance, "_dashboard_places", ()):
        place_changed(place_id)


def _before_event_delete(sender, instance, **kwargs):
    # The links are gone by post_delete: remember the places first.
    instance._dashboard_places = list(instance.places.values_list("pk", flat=True))


def _on_event_places(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # place.external_events.add(event): the instance is the place
        place_changed(instance.pk)
    elif pk_set:
        for place_id in pk_set:
            place_changed(place_id)
    else:  # event.places.clear(): before the links go
        _event_places_changed(instance.pk)


post_save.connect(_on_event_save, sender=ExternalEvent, dispatch_uid="dashboard-save-event")
pre_delete.connect(
    _before_event_delete, sender=ExternalEvent, dispatch_uid="dashboard-pre-delete-event"
)
post_delete.connect(_on_event_delete, sender=ExternalEvent, dispatch_uid="dashboard-delete-event")
m2m_changed.connect(
    _on_event_places, sender=ExternalEvent.places.through, dispatch_uid="dashboard-event-places"
)


# Names shown on many places' pages: the organisation of a commitment or an action item, an
# incident category, an activity kind. A new one is on no page until a row of a place uses it
# (and that row's place is invalidated).
def _on_shared_name(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        everything_changed()


for _model in (Organisation, IncidentCategory, ActivityKind):
    post_save.connect(
        _on_shared_name, sender=_model, dispatch_uid=f"dashboard-epoch-{_model.__name__}"
    )
    post_delete.connect(
        _on_shared_name, sender=_model, dispatch_uid=f"dashboard-epoch-del-{_model.__name__}"
    )
