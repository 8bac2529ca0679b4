"""No 500, whatever is typed (issue #11 §4).

A walker over the whole URL conf: every pattern is resolved with real objects (a kwarg the map
below does not know fails loudly, so a new URL is covered the day it is added), fetched as each
kind of user, and every form found that posts to it is sent hostile values, one field at a time,
starting from what a browser would send: dates in year 1 and 9999, NaN and Infinity, 100,000
characters, NUL bytes, wrong choices, huge integers, a tampered formset TOTAL_FORMS. Every query
parameter the page's filter forms and links use gets the same. The answer is never a 500, and
never one PostgreSQL would give (`hostile.PostgresRules` refuses on SQLite what it refuses); an
answer that is not a redirect changed no table; the page an accepted value leads to opens.
Last, every date of every row is stored at the far ends, past validation, and every page still
opens.
"""

import datetime as dt
import re
from types import SimpleNamespace
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
import time_machine
from django.contrib.admin.sites import site as admin_site
from django.db import connection, models
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from partnerships.models import CRITERIA
from partnerships.views.applications import STEP_KEYS
from surveys.models import Answer, Question
from tests import clock
from tests.core import hostile

# --- The URL conf ---------------------------------------------------------------------------------

_GROUP = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>(?:[^()]|\([^()]*\))*\)")


class Entry:
    """One named URL pattern: its full route and the (segment, kwarg) key of each kwarg."""

    def __init__(self, name, route, kwargs):
        self.name = name
        self.route = route
        self.kwargs = kwargs  # [(key, kwarg name)], in route order

    def __repr__(self):
        return self.name


def _position(route: str, kwarg: str) -> int:
    return re.search(rf"<(?:\w+:)?{kwarg}>|\(\?P<{kwarg}>", route).start()


def _kwarg_key(route: str, kwarg: str) -> tuple[str, str]:
    """What a kwarg names, by the path word before it: ('activities', 'pk') in
    places/<slug:place_slug>/activities/<int:pk>/."""
    before = _GROUP.sub("/", route[: _position(route, kwarg)])
    words = re.findall(r"[A-Za-z][\w-]*", before)
    return (words[-1] if words else "", kwarg)


def url_entries() -> dict[str, Entry]:
    """Every named pattern of the URL conf, found by walking the resolvers."""
    entries = {}

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif pattern.name:
                route = prefix + str(pattern.pattern)
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                kwargs = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
                kwargs = [a or b for a, b in kwargs]
                kwargs = [k for k in kwargs if k not in pattern.default_args]
                entries.setdefault(
                    name, Entry(name, route, [(_kwarg_key(route, k), k) for k in kwargs])
                )

    walk(get_resolver(), "", "")
    return entries


ENTRIES = url_entries()

# Not walked, and why.
EXCLUDED = {
    # Its only input is the session; a POST ends the walker's own login midway.
    "account_logout": "logs the walker out",
    # Login by code is switched off (ACCOUNT_LOGIN_BY_CODE_ENABLED): the page only redirects.
    "account_confirm_login_code": "login by code is off",
    # Every account has a password (no social login): the page only redirects to the change.
    "account_set_password": "no account without a password",
    # Web Push (issue #13): JSON bodies sent by push.js, not forms; forged and broken
    # subscriptions are posted by tests/safety/test_alerts.py.
    "places:push_subscribe": "a JSON body from the browser, tested with forged ones",
    "places:push_unsubscribe": "no input but the session",
}
# The API answers tokens, not the walker's session, and has no HTML forms: its own walk
# sends hostile query values and JSON bodies to every API URL with a token
# (tests/api/test_hostile_api.py).
EXCLUDED.update(
    {
        name: "the API, walked with a token elsewhere"
        for name in ENTRIES
        if name.startswith(("api:", "open311:"))
    }
)


class _Superuser:
    is_active = is_staff = is_superuser = True

    def has_perm(self, *args):
        return True


def _admin_add_forms() -> list[str]:
    """The admin's add forms of the models with dates, times or amounts: the admin is walked
    only there (the rest of the admin is Django's own)."""
    names = []
    request = SimpleNamespace(user=_Superuser())
    for model, model_admin in admin_site._registry.items():
        typed = (models.DateField, models.DecimalField)
        if not any(isinstance(f, typed) and f.editable for f in model._meta.concrete_fields):
            continue
        if model_admin.has_add_permission(request):
            names.append(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    return sorted(names)


ADMIN_ADD_FORMS = _admin_add_forms()
WALKED = (
    sorted(name for name in ENTRIES if not name.startswith("admin:") and name not in EXCLUDED)
    + ADMIN_ADD_FORMS
)


def _survey_questions(world, chosen):
    return list(
        Question.objects.filter(survey_id=chosen["pk"])
        .order_by("order")
        .values_list("pk", flat=True)
    )[:1]


def _survey_text_answers(world, chosen):
    return list(
        Answer.objects.filter(response__survey_id=chosen["pk"], value_text__gt="").values_list(
            "pk", flat=True
        )
    )[:1]


def _application_party(world, chosen):
    from partnerships.models import ApplicationParty

    return list(
        ApplicationParty.objects.filter(application_id=chosen["pk"], role="co_applicant")
        .values_list("pk", flat=True)
    )[:1]  # fmt: skip


def _co_applicant_request(world, chosen):
    """The request waiting for Grannföreningen's answer."""
    from partnerships.models import ApplicationParty

    return list(
        ApplicationParty.objects.filter(role="co_applicant", consent="pending").values_list(
            "pk", flat=True
        )[:1]
    )


def _application_editor(world, chosen):
    from partnerships.models import PartnershipApplication

    return list(
        PartnershipApplication.objects.get(pk=chosen["pk"]).collaborators.values_list(
            "pk", flat=True
        )
    )[:1]


def _application_attachment(world, chosen):
    from partnerships.models import ApplicationAttachment

    return list(
        ApplicationAttachment.objects.filter(application_id=chosen["pk"]).values_list(
            "pk", flat=True
        )
    )[:1]


def _objects(name):
    return lambda world, chosen: [world.objects[name].pk]


# What each kind of URL kwarg names, as (path word before it, kwarg) → values. A value list with
# several entries walks each (an application in draft, in review and approved …).
KWARG_VALUES = {
    ("places", "place_slug"): lambda world, chosen: [world.place.slug],
    ("activities", "pk"): _objects("activity"),
    ("action-items", "pk"): _objects("action_item"),
    ("plan", "pk"): _objects("planned_activity"),
    ("incidents", "pk"): _objects("incident"),
    ("import", "pk"): _objects("incident_import"),
    ("reports", "pk"): _objects("report"),
    ("interventions", "pk"): _objects("intervention"),
    ("social-outcomes", "pk"): _objects("social_outcome"),
    ("scenarios", "pk"): _objects("scenario"),
    ("alerts", "pk"): _objects("alert"),
    ("surveys", "pk"): lambda world, chosen: [s.pk for s in world.objects["surveys"]],
    ("questions", "question_pk"): _survey_questions,
    ("answers", "answer_pk"): _survey_text_answers,
    ("s", "token"): lambda world, chosen: [world.objects["surveys"][1].public_token],
    # The public side (issue #14).
    ("p", "place_slug"): lambda world, chosen: [world.place.slug],
    ("tip", "token"): lambda world, chosen: [world.objects["tip"].token],
    ("tips", "pk"): _objects("tip"),
    ("photos", "pk"): _objects("public_item"),
    ("applications", "pk"): lambda world, chosen: [a.pk for a in world.objects["applications"]],
    ("edit", "step"): lambda world, chosen: list(STEP_KEYS),
    ("parties", "party_pk"): _application_party,
    ("editors", "user_pk"): _application_editor,
    ("attachments", "attachment_pk"): _application_attachment,
    ("assessments", "criterion"): lambda world, chosen: [code for code, _l, _h in CRITERIA],
    ("invitations", "pk"): _objects("invitation"),
    ("invitations", "token"): lambda world, chosen: [world.objects["invitation"].token],
    ("people", "pk"): _objects("place_role"),
    ("organisations", "pk"): _objects("membership"),
    ("commitments", "pk"): _objects("commitment"),
    ("payments", "payment_pk"): _objects("payment"),
    ("my-data", "fmt"): lambda world, chosen: ["json", "csv"],
    ("api-tokens", "pk"): _objects("api_token"),
    ("webhooks", "pk"): _objects("webhook"),
    ("requests", "party_pk"): _co_applicant_request,
    # allauth's e-mail confirmation and password reset keys: unknown keys are their bad input.
    ("confirm-email", "key"): lambda world, chosen: ["not-a-key"],
    ("key", "uidb36"): lambda world, chosen: ["zz"],
    ("key", "key"): lambda world, chosen: ["not-a-key"],
}
# POST-only URLs whose forms sit on a page without URL kwargs (not searched otherwise: every
# such page would be a candidate for every URL).
PAGES_WITHOUT_KWARGS_HOLDING_FORMS = {
    "partnerships:co_applicant_accept": ["partnerships:application_list"],
    "partnerships:co_applicant_decline": ["partnerships:application_list"],
    "accounts:api_token_revoke": ["accounts:api_tokens"],
    "places:notification_read": ["places:notification_list"],
}
# Kwargs that take a fixed set of words rather than naming an object.
ENUMERATED = {("edit", "step"), ("assessments", "criterion"), ("my-data", "fmt")}


def kwarg_variants(entry: Entry, world) -> list[dict]:
    unknown = [key for key, _name in entry.kwargs if key not in KWARG_VALUES]
    assert not unknown, (
        f"{entry.name} ({entry.route}) has URL kwargs the hostile-input walk does not know: "
        f"{unknown}. Add them to KWARG_VALUES with a real object."
    )
    variants = [{}]
    for key, name in entry.kwargs:
        grown = []
        for chosen in variants:
            for value in KWARG_VALUES[key](world, chosen):
                grown.append({**chosen, name: value})
        variants = grown
    return variants


# --- The world, built once for the module ------------------------------------------------------


def _max_pks():
    from django.apps import apps

    return {
        model: (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
        for model in apps.get_models()
        if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
    }


def _remove_rows_after(max_pks):
    """Delete what the world added, whatever the foreign keys protect (a few rounds)."""
    from django.db.models import ProtectedError, RestrictedError

    for _round in range(6):
        left = 0
        for model, top in max_pks.items():
            rows = model.objects.filter(pk__gt=top)
            if rows.exists():
                try:
                    rows.delete()
                except (ProtectedError, RestrictedError):
                    left += 1
        if not left:
            return
    raise AssertionError("the hostile-input world could not be removed")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("hostile-media")
    from django.conf import settings

    previous_media = settings.MEDIA_ROOT
    with django_db_blocker.unblock():
        from tests.conftest import ensure_default_data

        ensure_default_data()
        before = _max_pks()
        settings.MEDIA_ROOT = media
        try:
            with time_machine.travel(clock.frozen_now(), tick=False):
                built = hostile.build_world()
        except Exception:
            _remove_rows_after(before)  # committed rows must not outlive the module
            raise
        finally:
            settings.MEDIA_ROOT = previous_media
    built.media = media
    built.pages = {}
    built.post_only = set()
    yield built
    with django_db_blocker.unblock():
        _remove_rows_after(before)


@pytest.fixture
def walker(world, db, settings):
    settings.MEDIA_ROOT = world.media
    settings.SURVEYS_RATE_LIMIT_PER_HOUR = 100_000
    # The world's survey has one answer: its free text (and the flag form) shows from one.
    settings.SURVEY_MIN_ANSWERS = 1
    walker = Walker(world)
    with connection.execute_wrapper(walker.rules):
        yield walker


# --- The walk -------------------------------------------------------------------------------------

REDIRECTS = (301, 302, 303)


class Walker:
    def __init__(self, world):
        self.world = world
        self.client = Client(raise_request_exception=False)
        self.user_key = None
        self.rules = hostile.PostgresRules()
        self.dirty = False  # set by the first POST: pages fetched after it are not cached
        self.today = timezone.localdate()
        self.now = timezone.localtime()

    def why(self) -> str:
        """What PostgreSQL would have refused, when that was the 500."""
        refused, self.rules.refused = self.rules.refused, []
        return f" (PostgreSQL refuses: {'; '.join(refused)})" if refused else ""

    def login(self, key):
        if key == self.user_key:
            return
        self.client.logout()
        if self.world.users[key] is not None:
            self.client.force_login(self.world.users[key])
        self.user_key = key

    def page(self, user_key, path):
        """(status, body) of a page as a user saw it before the test wrote anything: pages are
        fetched once per module, the first time any test needs them."""
        key = (user_key, path)
        if path in self.world.post_only:
            return 405, ""
        if key not in self.world.pages:
            self.login(user_key)
            response, body = self.get(path)
            if response.status_code == 405 and self.world.users[user_key] is not None:
                self.world.post_only.add(path)  # refused to everyone: no need to ask again
            if self.dirty:
                return response.status_code, body
            self.world.pages[key] = (response.status_code, body)
        return self.world.pages[key]

    def get(self, path, params=None, *, what=""):
        response = self.client.get(path, params or {})
        body = _body(response, f"GET {path} {what}")
        assert response.status_code != 500, f"GET {path} {what} as {self.user_key}: 500{self.why()}"
        return response, body

    def forms_on(self, path, body) -> tuple[list, list]:
        reader = hostile.read_forms(body)
        forms = []
        for form in reader.forms:
            action = urlsplit(urljoin(path, form.action or path)).path
            forms.append((action, form))
        return forms, reader.links

    # --- finding where a URL is used ---

    def hosts(self, entry, variant):
        """Pages that may carry a form or a link for `entry` with these kwargs: those whose
        object kwargs are a subset of its own, most specific first."""
        # Forms on a page without kwargs of its own (an answer to a request on one's list).
        for name in PAGES_WITHOUT_KWARGS_HOLDING_FORMS.get(entry.name, ()):
            yield reverse(name)
        own = {key for key, _name in entry.kwargs}
        candidates = []
        for other in ENTRIES.values():
            if other.name.startswith("admin:") or other.name in EXCLUDED or other is entry:
                continue
            keys = {key for key, _name in other.kwargs if key not in ENUMERATED}
            if not keys <= own or (own and not keys):
                continue
            candidates.append((len(keys), other))
        candidates.sort(key=lambda item: -item[0])
        for _size, other in candidates:
            shared = {name: variant[name] for _key, name in other.kwargs if name in variant}
            enumerated = [(key, name) for key, name in other.kwargs if key in ENUMERATED]
            options = [shared]
            for key, name in enumerated:
                options = [
                    {**o, name: v} for o in options for v in KWARG_VALUES[key](self.world, o)
                ]
            for kwargs in options:
                if len(kwargs) == len(other.kwargs):
                    yield reverse(other.name, kwargs=kwargs)

    # --- hostile query strings ---

    def query_parameters(self, path, body, extra_links=()) -> dict:
        """name → hostile values, for each parameter the page's GET forms and links use."""
        params = {}
        forms, links = self.forms_on(path, body)
        for action, form in forms:
            if form.method == "get" and action == path:
                for item in form.fields:
                    params[item.name] = hostile.hostile_values(item, query=True) or hostile.ANY
        for link in [*links, *extra_links]:
            parts = urlsplit(urljoin(path, link))
            if parts.path == path:
                for name, _value in parse_qsl(parts.query, keep_blank_values=True):
                    params.setdefault(name, hostile.ANY)
        return params

    def walk_query(self, path, params):
        for name, values in params.items():
            for value in values:
                self.get(path, {name: value}, what=f"?{name}={value[:30]!r}")

    # --- hostile POSTs ---

    def walk_form(self, page, action, form):
        baseline = form.baseline(self.today, self.now)
        names = []
        for item in form.fields:
            if item.name not in names and item.name != "csrfmiddlewaretoken":
                names.append(item.name)
        by_name = {}
        for item in form.fields:
            by_name.setdefault(item.name, item)
        for name, _value in form.buttons[:1]:
            # The button that was pressed: views read its value raw (an action, a flag).
            if name not in by_name:
                names.append(name)
                by_name[name] = hostile.Field("input", name, {"type": "hidden"})
        admin = action.startswith("/admin/")
        for name in names:
            if re.search(r"-([1-9][0-9]*|__prefix__)-", name):
                continue  # a formset's later rows (and its row template) are like its first
            item = by_name[name]
            values = hostile.admin_values(item) if admin else hostile.hostile_values(item)
            for value in values:
                data = {**baseline, name: [value]}
                what = f"{name}={value[:30]!r} (form on {page})"
                before = hostile.row_counts()
                self.dirty = True
                response = self.client.post(action, data)
                _body(response, f"POST {action} {what}")
                assert response.status_code != 500, (
                    f"POST {action} {what} as {self.user_key}: 500{self.why()}"
                )
                if response.status_code in REDIRECTS:
                    self.after_write(response, what)
                else:
                    changed = hostile.changed_tables(before, hostile.row_counts())
                    assert not changed, (
                        f"POST {action} {what} answered {response.status_code} but changed "
                        f"{changed}"
                    )

    def after_write(self, response, what):
        """An accepted value must not break the page that shows it next."""
        location = urlsplit(response["Location"])
        if not location.netloc:
            self.get(location.path, dict(parse_qsl(location.query)), what=f"after {what}")


def _body(response, what) -> str:
    if response.streaming:
        try:
            content = b"".join(response.streaming_content)
        except Exception as error:  # an export that fails halfway is a broken download
            pytest.fail(f"{what}: the streamed answer broke: {error!r}")
    else:
        content = response.content
    if "html" not in response.get("Content-Type", ""):
        return ""
    return content.decode(errors="replace")


@pytest.mark.parametrize("name", WALKED)
def test_no_500_whatever_is_typed(walker, world, name):
    entry = ENTRIES[name]
    # First find, for every variant, who may open it and which forms post to it (from pages as
    # they were before anything was written); then send the hostile values.
    plans = []
    for variant in kwarg_variants(entry, world):
        path = reverse(name, kwargs=variant)
        actor, post_only = None, False
        for user_key in ["staff"] if name.startswith("admin:") else world.users:
            status, _body_text = walker.page(user_key, path)
            if status == 200:
                actor = user_key
                break
            if status == 405 and world.users[user_key] is not None:
                post_only = True  # the method is refused whoever asks
                break
        if actor is not None:
            walker.login(actor)
            _status, body = walker.page(actor, path)
            forms, _links = walker.forms_on(path, body)
            targets = [(path, a, f) for a, f in forms if a == path and f.method == "post"]
            extra_links = [] if body else list(walker.linking_params(entry, variant, path))
            params = walker.query_parameters(path, body, extra_links)
            plans.append((actor, variant, path, params, targets))
        elif post_only:
            poster, targets = walker.forms_elsewhere(entry, variant, path)
            if targets:
                plans.append((poster, variant, path, None, targets))
    assert plans, (
        f"{name}: no user could open it and no page offers a form for it in the walk's world; "
        "give the world the state that shows it, or exclude it with the reason."
    )
    walked = set()
    for user_key, variant, path, params, targets in plans:
        walker.login(user_key)
        if params is not None and ("query", frozenset(params)) not in walked:
            walked.add(("query", frozenset(params)))  # once per set of parameters
            walker.walk_query(path, params)
        for page, action, form in targets:
            # The same form on another object, or for another criterion: walked once.
            signature = (action.count("/"), frozenset(_unprefixed(form, variant, entry)))
            if signature not in walked:
                walked.add(signature)
                walker.walk_form(page, action, form)


def _unprefixed(form, variant, entry) -> set[str]:
    """The form's field names without the words a variant puts in them (a criterion's code)."""
    words = [str(variant[name]) for key, name in entry.kwargs if key in ENUMERATED]
    names = set()
    for item in form.fields:
        name = item.name
        for word in words:
            name = name.replace(word, "")
        names.add(name)
    return names


def _forms_elsewhere(self, entry, variant, path):
    """(user, forms) posting to a POST-only URL, from the first page (and user) that has one."""
    for user_key in self.world.users:
        for page in self.hosts(entry, variant):
            status, body = self.page(user_key, page)
            if status != 200 or not body:
                continue
            forms, _links = self.forms_on(page, body)
            found = [(page, a, f) for a, f in forms if a == path and f.method == "post"]
            if found:
                return user_key, found
    return None, []


def _linking_params(self, entry, variant, path):
    """Query strings of links to `path`, and the GET forms of the page that links to it, as
    links (so the export gets the list's filters)."""
    for page in self.hosts(entry, variant):
        status, body = self.page(self.user_key, page)
        if status != 200 or not body:
            continue
        reader = hostile.read_forms(body)
        links = [link for link in reader.links if urlsplit(urljoin(page, link)).path == path]
        if not links:
            continue
        yield from links
        for form in reader.forms:
            if form.method == "get":
                query = "&".join(f"{item.name}=" for item in form.fields)
                yield f"{path}?{query}"
        return


Walker.forms_elsewhere = _forms_elsewhere
Walker.linking_params = _linking_params


def test_the_walk_knows_every_url():
    """Every named URL is walked or excluded with a reason; every kwarg is in the map."""
    assert set(WALKED) | set(EXCLUDED) | {n for n in ENTRIES if n.startswith("admin:")} == set(
        ENTRIES
    )
    for name in WALKED:
        for key, _kwarg in ENTRIES[name].kwargs:
            assert key in KWARG_VALUES, f"{name}: unknown URL kwarg {key}"
    assert ADMIN_ADD_FORMS, "the admin add forms with dates or amounts are walked"


def test_the_form_reader_reads_a_formset():
    html = (
        '<form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" '
        'value="t"><input type="hidden" name="p-TOTAL_FORMS" value="2"><input type="date" '
        'name="p-0-day" required><select name="p-0-kind"><option value="">-</option><option '
        'value="a">A</option></select><textarea name="p-0-note">hej</textarea><button '
        'name="go" value="1">Go</button></form>'
    )
    (form,) = hostile.read_forms(html).forms
    day = clock.today() + dt.timedelta(days=150)
    baseline = form.baseline(day, timezone.now())
    assert baseline["p-TOTAL_FORMS"] == ["2"]
    assert baseline["p-0-day"] == [day.isoformat()]
    assert baseline["p-0-kind"] == ["a"]
    assert baseline["p-0-note"] == ["hej"]
    assert baseline["go"] == ["1"]
    assert hostile.hostile_values(form.fields[1]) is hostile.MANAGEMENT


# --- The read side: a stored value out of range --------------------------------------------------

# What may already be in a database from before dates were bounded (or typed by hand into it):
# the far ends a local date and time can take and still be read back.
# Every date at an end, or only the optional ones (an end date, a deadline) so that what they
# belong to still runs now: a plan that started this month and ends in year 9999.
LATEST = (dt.date(9999, 12, 31), dt.datetime(9999, 12, 31, 22, 0, tzinfo=dt.UTC))
EARLIEST = (dt.date(1, 1, 1), dt.datetime(1, 1, 1, 1, 0, tzinfo=dt.UTC))
STORED_EXTREMES = {
    "latest": (*LATEST, False),
    "latest optional": (*LATEST, True),
    "earliest": (*EARLIEST, False),
}
PROJECT_APPS = ("accounts", "places", "partnerships", "safety", "surveys")


def _store_everywhere(day, moment, optional_only):
    """Every date and time of every row (or every optional one) set to `day` / `moment`, past
    validation. A column whose constraint refuses it (an end before its start) keeps its
    value."""
    from django.apps import apps
    from django.db import IntegrityError, transaction

    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for column in model._meta.concrete_fields:
            if isinstance(column, models.DateTimeField):
                value = moment
            elif isinstance(column, models.DateField):
                value = day
            else:
                continue
            if optional_only and not column.null:
                continue
            try:
                with transaction.atomic():
                    model.objects.update(**{column.name: value})
            except IntegrityError:
                pass


@pytest.mark.parametrize("end", STORED_EXTREMES)
def test_a_stored_date_at_the_far_end_breaks_no_page(walker, world, end):
    pages = []
    for entry in ENTRIES.values():
        if entry.name.startswith("admin:") or entry.name in EXCLUDED:
            continue
        for variant in kwarg_variants(entry, world):
            path = reverse(entry.name, kwargs=variant)
            for user_key in world.users:
                status, _body_text = walker.page(user_key, path)
                if status == 200:
                    pages.append((user_key, path))
                    break
                if status == 405:
                    break
    walker.dirty = True
    _store_everywhere(*STORED_EXTREMES[end])
    for user_key, path in pages:
        walker.login(user_key)
        walker.get(path, what=f"with every date stored at the {end} end")
