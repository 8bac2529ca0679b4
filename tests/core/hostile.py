"""Support for the hostile-input walk (tests/core/test_hostile_input.py): a world with one real
object of every kind a URL can name, a small HTML form reader, and the hostile values."""

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import DataError, connection, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from accounts.tokens import api_token_create
from partnerships.models import CRITERIA, ApplicationAttachment, Invitation, SocialOutcome
from partnerships.services import applications as application_services
from places.models import ActivityKind, PlaceRole, PublicTip
from safety.models import IncidentCategory, IncidentImport, Intervention, SituationReport
from safety.periods import period_containing
from safety.services import imports
from safety.services import reports as report_services
from surveys.models import Question, Survey
from surveys.services import response_submit, survey_create, survey_open
from tests import factories as f
from tests.factories import SQUARE_BOUNDARY

# --- Hostile values ----------------------------------------------------------------------------

LONG_TEXT = "x" * 100_000
NUL = "a\x00b"
# Few values per kind of field, each one a different way to break: the walk sends thousands.
# NUL goes into text, hidden fields and query strings, which code may read raw; a date or choice
# field of a Django form refuses it before any code of ours sees it.
DATES = ["9999-12-31", "0001-01-01"]
DATETIMES = ["9999-12-31T23:59", "0001-01-01T00:00"]
TIMES = ["25:61"]
NUMBERS = ["NaN", "sNaN", "Infinity", "-1e999", "2147483648", "1" + "0" * 40]
# A whole number's field reads every non-integer the same way: one of them is enough.
INTEGERS = ["NaN", "2147483648", "1" + "0" * 40]
CHOICES = ["not-a-choice", "99999999999999999999"]
TEXTS = [LONG_TEXT, NUL]
# A boundary that is a valid polygon but holds what PostgreSQL's jsonb refuses.
JSON_PROBE = (
    '{"type": "Polygon", "name": "\\u0000", "coordinates": [[[13.0, 55.6, NaN], [13.004, 55.6], '
    "[13.004, 55.6025], [13.0, 55.6]]]}"
)
HIDDEN = ["NaN", "2147483648", "not-a-choice", NUL]
MANAGEMENT = ["-1", "1000000", "abc"]
# A query parameter whose type the page does not say (found in a link): a bit of everything.
ANY = ["9999-12-31", "0001-01-01", "NaN", "99999999999999999999", NUL]


# The admin: fewer values, no text (Django's own fields), no million-row formsets (Django caps
# them at 1,000 rows, which are slow to render). Its models' validators are tested directly too.
ADMIN = {
    "dates": ["9999-12-31", "0001-01-01"],
    "times": ["25:61"],
    "numbers": ["NaN", "-1e999", "1" + "0" * 40],
    "choices": ["not-a-choice", "99999999999999999999"],
    "management": ["-1", "abc"],
}


def admin_values(item: "Field") -> list[str]:
    values = hostile_values(item)
    for kind, full in (
        ("dates", DATES),
        ("numbers", NUMBERS),
        ("numbers", INTEGERS),
        ("choices", CHOICES),
        ("management", MANAGEMENT),
        ("times", TIMES),
    ):
        if values is full:
            return ADMIN[kind]
    if values is DATETIMES:
        return ADMIN["dates"]
    return []


def hostile_values(item: "Field", *, query: bool = False) -> list[str]:
    """The values worth trying in one field, by what the browser would let a user type."""
    if re.search(r"-(MIN_NUM|MAX_NUM)_FORMS$", item.name):
        return []  # sent for the page's scripts; Django never reads them back
    if re.search(r"-(TOTAL|INITIAL)_FORMS$", item.name):
        return MANAGEMENT
    if item.name.startswith("initial-"):
        # Django's own copy of a field's initial value, read only to tell whether it changed.
        return []
    classes = item.attrs.get("class", "")
    input_type = item.attrs.get("type", "text") if item.tag == "input" else item.tag
    if input_type == "date" or "vDateField" in classes:
        return [*DATES, NUL] if query else DATES
    if input_type == "datetime-local":
        return DATETIMES
    if "vTimeField" in classes:
        return TIMES
    if item.attrs.get("inputmode") == "numeric" or (
        input_type == "number" and item.attrs.get("step", "1") == "1"
    ):
        return INTEGERS
    if input_type == "number" or item.attrs.get("inputmode") == "decimal":
        return NUMBERS[:1] + NUMBERS[3:] if query else NUMBERS
    if input_type in ("select", "radio", "checkbox"):
        return [*CHOICES, NUL] if query else CHOICES
    if input_type == "hidden":
        return HIDDEN
    if input_type in ("file", "submit", "button", "image", "reset"):
        return []
    return [*TEXTS, JSON_PROBE] if input_type == "textarea" else TEXTS


# --- Reading HTML forms ------------------------------------------------------------------------


@dataclass
class Field:
    tag: str
    name: str
    attrs: dict
    options: list = field(default_factory=list)  # (value, selected) of a <select>
    text: str = ""  # a <textarea>'s content


@dataclass
class Form:
    method: str
    action: str
    fields: list = field(default_factory=list)
    buttons: list = field(default_factory=list)  # (name, value) of named submit buttons

    def baseline(self, today: dt.date, now: dt.datetime) -> dict:
        """What a browser sends when the user fills in only what is required, sensibly."""
        data: dict[str, list] = {}
        radio_groups: dict[str, list] = {}
        for item in self.fields:
            kind = item.attrs.get("type", "text") if item.tag == "input" else item.tag
            if kind in ("file", "submit", "button", "image", "reset"):
                continue
            if kind == "radio":
                radio_groups.setdefault(item.name, []).append(item)
                if "checked" in item.attrs:
                    data[item.name] = [item.attrs.get("value", "on")]
                continue
            if kind == "checkbox":
                if "checked" in item.attrs:
                    data.setdefault(item.name, []).append(item.attrs.get("value", "on"))
                continue
            if kind == "select":
                chosen = [value for value, selected in item.options if selected]
                if not chosen and "multiple" not in item.attrs:
                    filled = [value for value, _selected in item.options if value]
                    chosen = filled[:1] or [value for value, _selected in item.options][:1]
                data[item.name] = chosen
                continue
            value = item.text if kind == "textarea" else item.attrs.get("value", "")
            if not value and "required" in item.attrs:
                value = _fill(kind, item, today, now)
            data.setdefault(item.name, []).append(value)
        for name, group in radio_groups.items():
            if name not in data and any("required" in item.attrs for item in group):
                data[name] = [group[0].attrs.get("value", "on")]
        if self.buttons:
            name, value = self.buttons[0]
            data.setdefault(name, [value])
        return data


def _fill(kind, item, today, now):
    if kind == "date" or "vDateField" in item.attrs.get("class", ""):
        return today.isoformat()
    if kind == "datetime-local":
        return (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    if kind == "number" or item.attrs.get("inputmode") in ("decimal", "numeric"):
        return item.attrs.get("min") or "1"
    if kind == "email":
        return "walker@example.org"
    return "Prov"


class FormReader(HTMLParser):
    """Every <form> of a page with its fields, and the query parameters of its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: list | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attr_list):
        attrs = {key: (value if value is not None else "") for key, value in attr_list}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form":
            self._form = Form(
                method=attrs.get("method", "get").lower(), action=attrs.get("action", "")
            )
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "input" and attrs.get("name"):
            if attrs.get("type") in ("submit", "image"):
                self._form.buttons.append((attrs["name"], attrs.get("value", "")))
            else:
                self._form.fields.append(Field("input", attrs["name"], attrs))
        elif tag == "button" and attrs.get("name") and attrs.get("type", "submit") == "submit":
            self._form.buttons.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select" and attrs.get("name"):
            self._select = Field("select", attrs["name"], attrs)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, ""]
            self._select.options.append(self._option)
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = Field("textarea", attrs["name"], attrs)
            self._form.fields.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._finish_option()
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.text += data
        if self._option is not None:
            self._option[2] += data

    def _finish_option(self):
        if self._option is not None and self._option[0] is None:
            self._option[0] = self._option[2].strip()
        self._option = None

    def close(self):
        super().close()
        for form in self.forms:
            for item in form.fields:
                if item.tag == "select":
                    item.options = [
                        (value if value is not None else text.strip(), selected)
                        for value, selected, text in item.options
                    ]


def read_forms(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    reader.close()
    return reader


# --- Nothing half-written ----------------------------------------------------------------------

# Sessions change on every request that stores a message; they hold no data of the product.
UNCOUNTED_TABLES = {"django_session"}


def _row_count_sql() -> str:
    tables = sorted(
        {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
        - UNCOUNTED_TABLES
    )
    counts = ", ".join(f'(SELECT COUNT(*) FROM "{table}")' for table in tables)
    return f"SELECT {counts}"


def row_counts() -> tuple:
    """The number of rows of every table of the project, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_row_count_sql())
        return cursor.fetchone()


def changed_tables(before: tuple, after: tuple) -> list[str]:
    tables = sorted(
        {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
        - UNCOUNTED_TABLES
    )
    return [table for table, a, b in zip(tables, before, after, strict=True) if a != b]


# --- What PostgreSQL refuses and SQLite stores --------------------------------------------------

_INSERT = re.compile(r'^INSERT INTO "(\w+)" \(([^)]*)\) VALUES', re.IGNORECASE)
_UPDATE = re.compile(r'^UPDATE "(\w+)" SET (.*?)(?: WHERE |$)', re.IGNORECASE | re.DOTALL)
_ASSIGNMENT = re.compile(r'"(\w+)" = (%s)?')


class PostgresRules:
    """An execute wrapper that refuses, on SQLite, what PostgreSQL (CI, production) refuses:
    NUL characters in text, JSON with NUL or NaN/Infinity, integers past their column's range,
    numbers past their column's digits. The walk runs on SQLite; a value that slips through
    validation gives the 500 it would give on PostgreSQL, with the reason in `refused`."""

    def __init__(self):
        self.refused: list[str] = []
        self.columns = {}
        for model in apps.get_models(include_auto_created=True):
            for column in model._meta.concrete_fields:
                self.columns[(model._meta.db_table, column.column)] = column

    def __call__(self, execute, sql, params, many, context):
        rows = params if many else [params]
        for row in rows or []:
            problems = self.check(sql, row or ())
            if problems:
                self.refused.extend(problems)
                raise DataError("PostgreSQL would refuse: " + "; ".join(problems))
        return execute(sql, params, many, context)

    def check(self, sql, row) -> list[str]:
        values = list(row.values()) if isinstance(row, dict) else list(row)
        problems = [f"NUL in a query parameter {v[:40]!r}" for v in values if _has_nul(v)]
        for column, value in self._typed(sql, values):
            problem = _column_problem(column, value)
            if problem:
                problems.append(f"{column.model._meta.db_table}.{column.column}: {problem}")
        return problems

    def _typed(self, sql, values):
        if match := _INSERT.match(sql):
            table = match[1]
            columns = [c.strip().strip('"') for c in match[2].split(",")]
            for index, value in enumerate(values):
                column = self.columns.get((table, columns[index % len(columns)]))
                if column is not None:
                    yield column, value
        elif match := _UPDATE.match(sql):
            table = match[1]
            index = 0
            for column, placeholder in _ASSIGNMENT.findall(match[2]):
                if placeholder and index < len(values):
                    known = self.columns.get((table, column))
                    if known is not None:
                        yield known, values[index]
                    index += 1


def _has_nul(value) -> bool:
    return isinstance(value, str) and "\x00" in value


def _json_problem(value) -> str | None:
    if isinstance(value, str):
        return "NUL in JSON" if "\x00" in value else None
    if isinstance(value, float):
        return None if value == value and abs(value) != float("inf") else "NaN/Infinity in JSON"
    items = value.items() if isinstance(value, dict) else value if isinstance(value, list) else []
    for item in items:
        for part in item if isinstance(value, dict) else [item]:
            problem = _json_problem(part)
            if problem:
                return problem
    return None


def _column_problem(field, value) -> str | None:
    if value is None:
        return None
    if isinstance(field, models.JSONField) and isinstance(value, str):
        try:
            return _json_problem(json.loads(value))
        except ValueError:
            return None
    if isinstance(field, models.IntegerField) and isinstance(value, int):
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        if not low <= value <= high:
            return f"{value} is out of range for {field.get_internal_type()}"
    if isinstance(field, models.DecimalField):
        from decimal import Decimal, InvalidOperation

        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return f"{value!r} is not a number"
        if not number.is_finite():
            return f"{value} is not a finite number"
        whole = field.max_digits - field.decimal_places
        if abs(number) >= Decimal(10) ** whole:
            return f"{value} overflows numeric({field.max_digits}, {field.decimal_places})"
    return None


# --- The world: one real object of every kind ----------------------------------------------------


@dataclass
class World:
    place: object
    users: dict
    objects: dict


CSV_UPLOAD = (
    "Datum;Tid;Kategori;Beskrivning\n"
    "{day};22:15;Klotter;Tags på fasaden\n"
    "{day};23:40;Skadegörelse;Krossad ruta\n"
    "{day};23:50;Snatteri;Snatteri i kiosken\n"
)


def build_world() -> World:
    """Place A with a manager, and one object of every kind the URL conf names, each in the
    states its pages need (an application in draft, in review and approved, a draft and an
    open survey …)."""
    today = timezone.localdate()
    place = f.PlaceFactory(name="Möllevångstorget", slug="mollevangstorget")
    owner = f.OrganisationFactory(name="Fastighets AB Torget", kind="property_owner")
    municipality = f.OrganisationFactory(name="Malmö stad", kind="municipality")
    manager = f.UserFactory(email="manager@example.org", organisation=owner)
    PlaceRole.objects.create(user=manager, place=place, role="manager", organisation=owner)
    reader = f.UserFactory(email="reader@example.org")
    reader_role = PlaceRole.objects.create(user=reader, place=place, role="reader")
    reviewer = f.UserFactory(email="reviewer@example.org", organisation=municipality)
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    staff = f.UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    applicant_org = f.OrganisationFactory(name="Sofielund Fastigheter AB", kind="property_owner")
    applicant = f.UserFactory(email="applicant@example.org", organisation=applicant_org)
    association = f.OrganisationFactory(name="Föreningen Sofielunds Vänner", kind="association")
    colleague = f.UserFactory(email="co@example.org", organisation=association)
    # Of a party's organisation but not yet an editor: the invite form is offered.
    f.UserFactory(email="co2@example.org", organisation=association)

    membership = f.MembershipFactory(organisation=owner, place=place, since=today.replace(day=1))
    f.MembershipFactory(organisation=municipality, place=place, since=today.replace(day=1))
    f.AnnualBudgetFactory(place=place, year=today.year)
    commitment = f.FundingCommitmentFactory(
        organisation=owner, place=place, year=today.year, amount_sek=Decimal("100000")
    )
    payment = f.PaymentFactory(
        commitment=commitment, amount_sek=Decimal("20000"), paid_on=today, recorded_by=manager
    )
    commitment.amount_paid = Decimal("20000")
    commitment.save()
    outcome = SocialOutcome.objects.create(
        organisation=owner, place=place, year=today.year, local_jobs_target=3, local_jobs=2
    )
    invitation = Invitation.objects.create(
        place=place, email="invitee@example.org", role="reporter", invited_by=manager
    )

    walk = ActivityKind.objects.get(code="trygghetsvandring")
    activity = f.ActivityFactory(place=place, kind=walk, logged_by=manager)
    activity.organisations.add(owner)
    action_item = f.ActionItemFactory(
        place=place, responsible_organisation=owner, source_activity=activity, created_by=manager
    )
    action_item.photo.save("lampa.jpg", ContentFile(_jpeg()), save=True)
    planned = f.PlannedActivityFactory(place=place, kind=walk, starts_on=today.replace(day=1))
    category = IncidentCategory.objects.get(code="klotter")
    incident = f.IncidentFactory(
        place=place,
        category=category,
        reported_by=manager,
        reporting_organisation=owner,
        occurred_at=timezone.now() - dt.timedelta(days=2),
    )
    intervention = Intervention.objects.create(
        place=place,
        title="Ny belysning vid trapporna",
        starts_on=today - dt.timedelta(days=30),
        lat=55.6005,
        lon=13.0005,
        radius_m=40,
        created_by=manager,
    )
    intervention.categories.add(category)
    intervention.activities.add(activity)
    upload = IncidentImport.objects.create(
        place=place,
        uploaded_by=manager,
        organisation=owner,
        filename="vakt.csv",
        content=CSV_UPLOAD.format(day=(today - dt.timedelta(days=3)).isoformat()).encode(),
        mapping={"occurred_at": "Datum", "time": "Tid", "category": "Kategori"},
        status=IncidentImport.Status.CHECKING,
    )
    # Checked, with a word that is not one of our categories (issue #19): the preview holds
    # the value mapping form, the "import only the correct rows" form and the refused rows.
    imports.incident_import_check(upload_id=upload.pk)
    upload.refresh_from_db()
    period = period_containing("monthly", today).previous()
    report = SituationReport.objects.create(
        place=place, kind="monthly", period_start=period.start, period_end=period.end
    )
    report_services.report_generate(report_id=report.pk, notify=False)
    # The coordinated plan, published, and an open alert (issue #13).
    from safety.services import alerts as safety_alerts

    situation_plan = safety_alerts.plan_for(place)
    scenario = situation_plan.scenarios.first()
    scenario.links.create(
        position=1, organisation=owner, task="Ringer polisen", phone="040-10 20 30"
    )
    safety_alerts.plan_publish(place=place, actor=manager)
    alert = safety_alerts.alert_send(
        place=place, actor=manager, data={"text": "Stökigt vid fontänen", "scenario": scenario}
    )
    from places.services.notifications import notify

    notify(users=[manager], kind="alert", object_key="world", title="Larm", url="/", place=place)

    # The public side (issue #14): the page is on and a tip waits for moderation.
    place.public_page_enabled = True
    place.save(update_fields=["public_page_enabled"])
    tip = PublicTip.objects.create(
        place=place,
        category="belysning",
        description="Lampan vid trappan är trasig.",
        lat=place.centre_lat,
        lon=place.centre_lon,
        email="boende@example.net",
    )
    tip.photo.save("tips.jpg", ContentFile(_jpeg()), save=True)
    public_item = f.ActionItemFactory(
        place=place,
        responsible_organisation=owner,
        created_by=manager,
        status="resolved",
        resolved_at=timezone.now() - dt.timedelta(days=1),
        is_public=True,
        photo_is_public=True,
    )
    public_item.photo.save("fixad.jpg", ContentFile(_jpeg()), save=True)

    template = Survey.objects.get(is_template=True, language="sv")
    draft_survey = survey_create(place=place, title="Utkast", template=template)
    open_survey = survey_open(
        survey=survey_create(place=place, title="Trygghetsmätning", template=template)
    )
    text_question = open_survey.questions.filter(kind=Question.Kind.TEXT).first()
    values = {q.pk: 4 for q in open_survey.questions.filter(kind=Question.Kind.SCALE5)}
    values[text_question.pk] = "Bättre belysning vid trappan."
    response = response_submit(survey=open_survey, values=values)
    text_answer = response.answers.get(question=text_question)

    draft_application = application_services.application_create(
        actor=applicant, title="Tryggare Sofielund"
    )
    _fill_application(draft_application, association)
    draft_application.collaborators.add(colleague)
    # An organisation asked to be a co-applicant, and one of its people who may answer.
    neighbours = f.OrganisationFactory(name="Grannföreningen", kind="association")
    asked = f.UserFactory(email="asked@example.org", organisation=neighbours)
    application_services.party_add(
        application=draft_application,
        actor=applicant,
        organisation=neighbours,
        data={"commits_hours": Decimal("10")},
    )
    attachment = ApplicationAttachment.objects.create(
        application=draft_application,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="plan.pdf"),
        original_name="plan.pdf",
        content_type="application/pdf",
        size_bytes=15,
        uploaded_by=applicant,
    )
    submitted = application_services.application_create(actor=applicant, title="Tryggare Parken")
    _fill_application(submitted, association)
    application_services.application_submit(application=submitted, actor=applicant)
    in_review = application_services.application_create(actor=applicant, title="Tryggare Stationen")
    _fill_application(in_review, association)
    application_services.application_submit(application=in_review, actor=applicant)
    application_services.application_start_review(application=in_review, actor=reviewer)
    approved = application_services.application_create(actor=applicant, title="Tryggare Torget")
    _fill_application(approved, association)
    application_services.application_submit(application=approved, actor=applicant)
    application_services.application_start_review(application=approved, actor=reviewer)
    plan = application_services.approval_proposal(approved, municipality="Malmö")
    plan.reason = "Alla kriterier uppfyllda."
    plan.unassessed_reason = "Bedömt i nämnden."
    application_services.application_approve(application=approved, actor=reviewer, plan=plan)
    for application in (draft_application, submitted, in_review, approved):
        application.refresh_from_db()

    # A personal API token of the manager (issue #15): the settings page lists it, with its
    # revoke form.
    api_token, _secret = api_token_create(
        user=manager,
        name="Vaktbolagets system",
        scopes=["incidents:read"],
        expires_at=timezone.now() + dt.timedelta(days=30),
    )

    # An outbound webhook of the place (issue #15) with one delivery in its log.
    from places.services.webhooks import webhook_create

    webhook, _webhook_secret = webhook_create(
        place=place, actor=manager, url="https://hooks.example.net/amp", events=["alert.created"]
    )
    webhook.deliveries.create(
        event="alert.created", event_key=f"alert.created:alert:{alert.pk}", payload={}
    )

    return World(
        place=place,
        users={
            "manager": manager,
            "applicant": applicant,
            "reviewer": reviewer,
            "asked": asked,
            "staff": staff,
            "anonymous": None,
        },
        objects={
            "activity": activity,
            "action_item": action_item,
            "planned_activity": planned,
            "incident": incident,
            "incident_import": upload,
            "intervention": intervention,
            "social_outcome": outcome,
            "report": report,
            "scenario": scenario,
            "alert": alert,
            "surveys": [draft_survey, open_survey],
            "text_answer": text_answer,
            "applications": [draft_application, submitted, in_review, approved],
            "attachment": attachment,
            "invitation": invitation,
            "place_role": reader_role,
            "membership": membership,
            "commitment": commitment,
            "payment": payment,
            "tip": tip,
            "public_item": public_item,
            "api_token": api_token,
            "webhook": webhook,
        },
    )


def _jpeg() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


def _fill_application(application, co_org):
    """Every section filled in, so it can be submitted, with a co-applicant that commits."""
    from partnerships.models import ApplicationParty

    application.area_name = f"Området {application.pk}"
    application.area_description = "Bostäder och butiker kring torget."
    application.area_boundary = SQUARE_BOUNDARY
    application.purpose = "Ett tryggare och renare område."
    application.planned_activities = "Trygghetsvandringar varje månad."
    application.expected_results = "Färre skadegörelser."
    for code, _label, _help in CRITERIA:
        setattr(application, f"answer_{code}", f"Svar om {code}.")
    application.time_plan = "Start i januari."
    application.budget_total_sek = Decimal("500000")
    application.requested_support_sek = Decimal("250000")
    application.save()
    lead = application.parties.get(role=ApplicationParty.Role.LEAD)
    lead.commits_money_sek = Decimal("200000")
    lead.save()
    ApplicationParty.objects.create(
        application=application,
        organisation=co_org,
        role=ApplicationParty.Role.CO_APPLICANT,
        consent=ApplicationParty.Consent.ACCEPTED,
        commits_money_sek=Decimal("50000"),
        commits_hours=Decimal("120"),
        commits_responsibility="Ansvarar för städdagarna.",
    )
