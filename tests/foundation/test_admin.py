"""The Django admin: every page renders for staff, a place is set up end to end, bad input is
refused with a field error and nothing is saved."""

import datetime as dt
import html
import json
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from partnerships import models as pm
from places import models as plm
from safety import models as sm
from surveys import models as svm
from tests import clock
from tests import factories as f

PROJECT_APPS = ["accounts", "places", "partnerships", "safety", "surveys"]
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)

BOW_TIE = {
    "type": "Polygon",
    "coordinates": [
        [[13.000, 55.600], [13.004, 55.6025], [13.004, 55.600], [13.000, 55.6025], [13.000, 55.600]]
    ],
}


def _label(model):
    return model._meta.label


def _admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    # Messages are asserted in English (the msgids); Swedish is the default language.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _can_add(model, user):
    request = RequestFactory().get("/")
    request.user = user
    return admin.site._registry[model].has_add_permission(request)


def post_add_form(client, model, data):
    """POST the admin add form of `model`: empty inline formsets unless `data` fills them."""
    url = _admin_url(model, "add")
    payload = {}
    for inline in client.get(url).context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        payload.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    payload.update({key: str(value) for key, value in data.items()})
    return client.post(url, payload)


def form_errors(response):
    """Field errors of the admin form on a re-rendered page (the page a user sees)."""
    assert response.status_code == 200, f"expected the form again, got {response.status_code}"
    return response.context["adminform"].form.errors


# --- Every page renders ---------------------------------------------------------------------


def test_every_model_of_the_project_has_an_admin():
    missing = [
        _label(model)
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        if model not in admin.site._registry
    ]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_staff_sees_the_changelist_and_add_page(staff_client, staff, model):
    for action in ("changelist", "add"):
        response = staff_client.get(_admin_url(model, action))
        if action == "add" and not _can_add(model, staff):
            # Records only the app writes (an upload between import steps) have no add page.
            assert _label(model) in READ_ONLY_ADMINS
            assert response.status_code == 403
            continue
        assert response.status_code == 200, (action, response.status_code)
        # CSP forbids inline script: every <script> must load a file.
        inline_scripts = [
            tag
            for tag in re.findall(r"<script[^>]*>", response.content.decode())
            if "src=" not in tag
        ]
        assert inline_scripts == [], action


# Admins where staff may look and delete but not add: the app writes these rows.
READ_ONLY_ADMINS = {
    # The daily rollups: the database triggers write them (issue #20).
    "places.ActivityDay",
    "safety.IncidentDay",
    "safety.IncidentHour",
    "surveys.AnswerDay",
    "safety.IncidentImport",
    "places.NameConfirmation",
    "places.FreeTextClearance",
    "places.OutboxMessage",
    "accounts.ApiToken",
    "accounts.ApiIdempotencyKey",
}


def _user():
    return f.UserFactory()


def _name_confirmation():
    return plm.NameConfirmation.objects.create(
        user=_user(), record="places.Activity", field="description", token="Sven Hedins"
    )


def _free_text_clearance():
    from django.utils import timezone

    return plm.FreeTextClearance.objects.create(
        task="safety.clear_expired_free_text", cutoff=timezone.now(), counts={"incidents": 2}
    )


def _status_change():
    item = f.ActionItemFactory()
    return plm.ActionItemStatusChange.objects.create(
        action_item=item, from_status="open", to_status="in_progress", changed_by=_user()
    )


def _attachment():
    return pm.ApplicationAttachment.objects.create(
        application=f.PartnershipApplicationFactory(),
        file=SimpleUploadedFile("budget.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
        original_name="budget.pdf",
        content_type="application/pdf",
        size_bytes=13,
    )


def _incident_import():
    month = clock.month_start(months=-1)
    return sm.IncidentImport.objects.create(
        place=f.PlaceFactory(),
        organisation=f.OrganisationFactory(),
        filename=f"incidents-{month:%Y-%m}.csv",
        content=f"Datum;Kategori\n{month:%Y-%m-%d};klotter\n".encode(),
        mapping={"occurred_at": "Datum"},
    )


def _rollup_of(model, raw):
    """The rollup row the triggers wrote for a freshly created raw row (its place's latest)."""
    return model.objects.filter(
        place=raw.place if hasattr(raw, "place") else raw.survey.place
    ).latest("pk")


def _activity_day():
    from places.models import ActivityDay

    return _rollup_of(ActivityDay, f.ActivityFactory())


def _incident_day():
    from safety.models import IncidentDay

    return _rollup_of(IncidentDay, f.IncidentFactory())


def _incident_hour():
    from safety.models import IncidentHour

    return _rollup_of(IncidentHour, f.IncidentFactory())


def _answer_day():
    from surveys.models import AnswerDay

    return _rollup_of(AnswerDay, f.ResponseFactory())


def _outbox_message():
    from places.models import OutboxMessage

    return OutboxMessage.objects.create(
        kind="report_ready",
        object_key=str(f.SituationReportFactory().pk),
        recipient="reader@example.org",
        subject="Lägesbild klar",
        body="https://amp.example.org/",
    )


def _alert_world():
    """A place with a plan, a scenario with a contact link, a published version and an alert
    (issue #13)."""
    from safety.services import alerts

    place = f.PlaceFactory()
    user = _user()
    organisation = f.OrganisationFactory()
    plm.PlaceRole.objects.create(user=user, place=place, role="manager", organisation=organisation)
    scenario = alerts.plan_for(place).scenarios.first()
    link = sm.ContactLink.objects.create(
        scenario=scenario, position=1, organisation=organisation, phone="040-12 34 50"
    )
    version = alerts.plan_publish(place=place, actor=user)
    alert = alerts.alert_send(place=place, actor=user, data={"text": "Brandlarm i entrén"})
    return {
        "place": place,
        "user": user,
        "scenario": scenario,
        "link": link,
        "version": version,
        "alert": alert,
    }


def _delivery():
    world = _alert_world()
    return sm.AlertDelivery.objects.create(
        alert=world["alert"],
        channel="sms",
        recipient=f"link:{world['link'].pk}",
        link=world["link"],
    )


def _email_address():
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.get(user=_user())


def _api_token():
    from accounts.tokens import api_token_create

    token, _secret = api_token_create(
        user=_user(),
        name="Vaktbolagets system",
        scopes=["incidents:read"],
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return token


def _idempotency_key():
    from accounts.models import ApiIdempotencyKey

    return ApiIdempotencyKey.objects.create(
        token=_api_token(), key="round-42", fingerprint="0" * 64, status_code=201
    )


# One object of each registered model. A new model needs an entry here, so it gets a change page
# test too.
BUILDERS = {
    "accounts.User": _user,
    "accounts.ApiToken": _api_token,
    "accounts.ApiIdempotencyKey": _idempotency_key,
    "places.Place": f.PlaceFactory,
    "places.PlaceRole": f.PlaceRoleFactory,
    "places.ActivityKind": f.ActivityKindFactory,
    "places.Activity": f.ActivityFactory,
    "places.ActionItem": f.ActionItemFactory,
    "places.ActionItemStatusChange": _status_change,
    "places.NameConfirmation": _name_confirmation,
    "places.FreeTextClearance": _free_text_clearance,
    "places.PlannedActivity": f.PlannedActivityFactory,
    "places.PublicTip": f.PublicTipFactory,
    "places.OutboxMessage": _outbox_message,
    "places.ActivityDay": _activity_day,
    "safety.IncidentDay": _incident_day,
    "safety.IncidentHour": _incident_hour,
    "surveys.AnswerDay": _answer_day,
    "accounts.Organisation": f.OrganisationFactory,
    "partnerships.Membership": f.MembershipFactory,
    "partnerships.AnnualBudget": f.AnnualBudgetFactory,
    "partnerships.FundingCommitment": f.FundingCommitmentFactory,
    "partnerships.Payment": f.PaymentFactory,
    "partnerships.FundingReminder": lambda: pm.FundingReminder.objects.create(
        user=_user(), week_start=clock.today() - dt.timedelta(days=clock.today().weekday() + 7)
    ),
    "partnerships.Invitation": f.InvitationFactory,
    "partnerships.PartnershipApplication": f.PartnershipApplicationFactory,
    "partnerships.ApplicationParty": f.ApplicationPartyFactory,
    "partnerships.Assessment": f.AssessmentFactory,
    "partnerships.ApplicationEvent": f.ApplicationEventFactory,
    "partnerships.ReviewNote": f.ReviewNoteFactory,
    "partnerships.ApplicationAttachment": _attachment,
    "safety.IncidentCategory": f.IncidentCategoryFactory,
    "safety.Incident": f.IncidentFactory,
    "safety.ImportMapping": f.ImportMappingFactory,
    "safety.SituationReport": f.SituationReportFactory,
    "safety.IncidentImport": _incident_import,
    "safety.Intervention": lambda: sm.Intervention.objects.create(
        place=f.PlaceFactory(),
        title="Ny belysning vid trapporna",
        starts_on=clock.today(),
        lat=55.6005,
        lon=13.0005,
    ),
    "places.VisitorCount": lambda: plm.VisitorCount.objects.create(
        place=f.PlaceFactory(), people=120
    ),
    "partnerships.SocialOutcome": lambda: pm.SocialOutcome.objects.create(
        organisation=f.OrganisationFactory(),
        place=f.PlaceFactory(),
        year=clock.this_year(),
        local_jobs=2,
    ),
    "safety.SituationPlan": lambda: _alert_world()["scenario"].plan,
    "safety.Scenario": lambda: _alert_world()["scenario"],
    "safety.ContactLink": lambda: _alert_world()["link"],
    "safety.PlanVersion": lambda: _alert_world()["version"],
    "safety.PlanConfirmation": lambda: (
        lambda w: sm.PlanConfirmation.objects.create(
            version=w["version"], user=w["user"], confirmed_at=timezone.now()
        )
    )(_alert_world()),
    "safety.Alert": lambda: _alert_world()["alert"],
    "safety.AlertDelivery": _delivery,
    "safety.AlertAnswer": lambda: (
        lambda w: sm.AlertAnswer.objects.create(
            alert=w["alert"], user=w["user"], answer="seen", answered_at=timezone.now()
        )
    )(_alert_world()),
    "places.Notification": lambda: plm.Notification.objects.create(
        user=_user(), kind="alert", object_key="alert:1", title="Larm vid torget", url="/"
    ),
    "places.NotificationSetting": lambda: plm.NotificationSetting.objects.create(user=_user()),
    "places.PushSubscription": lambda: plm.PushSubscription.objects.create(
        user=(user := _user()),
        endpoint=f"https://fcm.googleapis.com/fcm/send/{user.pk}",
        p256dh="k",
        auth="a",
    ),
    # Outbound webhooks and the police's events (issue #15).
    "places.Webhook": lambda: plm.Webhook.objects.create(
        place=f.PlaceFactory(),
        url="https://hooks.example.net/amp",
        events=["incident.created"],
        secret="whsec_test",
    ),
    "places.WebhookDelivery": lambda: plm.WebhookDelivery.objects.create(
        webhook=plm.Webhook.objects.create(
            place=f.PlaceFactory(),
            url="https://hooks.example.net/amp",
            events=["incident.created"],
            secret="whsec_test",
        ),
        event="incident.created",
        event_key=f"incident.created:incident:{plm.WebhookDelivery.objects.count() + 1}",
        payload={"event": "incident.created"},
    ),
    "safety.ExternalEvent": lambda: sm.ExternalEvent.objects.create(
        source="polisen",
        external_id=str(sm.ExternalEvent.objects.count() + 601001),
        kind="Skadegörelse",
        summary="Fönster krossat.",
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        municipality="Malmö",
        lat=55.6,
        lon=13.0,
        url="https://polisen.se/aktuellt/handelser/601001/",
    ),
    "surveys.Survey": f.SurveyFactory,
    "surveys.Question": f.QuestionFactory,
    "surveys.Response": f.ResponseFactory,
    "surveys.Answer": f.AnswerFactory,
    "auth.Group": lambda: Group.objects.get(name="Reviewers"),
    "sites.Site": lambda: Site.objects.get_current(),
    "account.EmailAddress": _email_address,
}


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_staff_sees_the_change_page(staff_client, model):
    assert _label(model) in BUILDERS, f"add a builder for {_label(model)} to BUILDERS"
    obj = BUILDERS[_label(model)]()
    obj.refresh_from_db()
    response = staff_client.get(_admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert str(obj) in html.unescape(response.content.decode())


def test_the_admin_refuses_people_who_are_not_staff(client, reader):
    client.force_login(reader)
    response = client.get(_admin_url(plm.Place, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- System-set values are shown, not edited --------------------------------------------------


@pytest.mark.django_db
def test_report_figures_are_shown_indented_and_read_only(staff_client):
    report = f.SituationReportFactory(
        status="ready", figures={"incidents": {"total": 3}}, generated_at=timezone.now()
    )
    response = staff_client.get(_admin_url(sm.SituationReport, "change", report.pk))
    page = html.unescape(response.content.decode())
    assert '"incidents": {\n    "total": 3\n  }' in page
    form = response.context["adminform"].form
    assert "figures" not in form.fields
    assert "generated_at" not in form.fields


@pytest.mark.django_db
def test_tokens_and_import_keys_are_read_only(staff_client):
    survey = f.SurveyFactory()
    incident = f.IncidentFactory(import_key="a" * 64)
    invitation = f.InvitationFactory()
    for obj, field in [(survey, "public_token"), (incident, "import_key"), (invitation, "token")]:
        response = staff_client.get(_admin_url(type(obj), "change", obj.pk))
        assert field not in response.context["adminform"].form.fields
        assert getattr(obj, field) in response.content.decode()


# --- A place end to end -------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_sets_up_a_place_with_boundary_roles_members_and_budget(
    staff_client, property_owner, municipality
):
    person = f.UserFactory(email="platsansvarig@example.org")
    year = clock.this_year()
    response = post_add_form(
        staff_client,
        plm.Place,
        {
            "name": "Nydalatorget",
            "slug": "nydalatorget",
            "kind": "centre",
            "municipality": "Malmö",
            "description": "Centrum i Nydala.",
            "is_active": "on",
            "boundary": json.dumps(f.SQUARE_BOUNDARY),
            "roles-TOTAL_FORMS": 1,
            "roles-0-user": person.pk,
            "roles-0-role": "manager",
            "roles-0-organisation": property_owner.pk,
            "memberships-TOTAL_FORMS": 2,
            "memberships-0-organisation": property_owner.pk,
            "memberships-0-role": "board",
            "memberships-0-since": f"{year}-01-01",
            "memberships-1-organisation": municipality.pk,
            "memberships-1-role": "funder",
            "memberships-1-since": f"{year}-01-01",
            "budgets-TOTAL_FORMS": 1,
            "budgets-0-year": year,
            "budgets-0-target_sek": "1200000",
            "budgets-0-municipal_share_sek": "600000",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    place = plm.Place.objects.get(slug="nydalatorget")
    assert place.boundary == f.SQUARE_BOUNDARY
    # The map centre is computed from the boundary when left empty.
    assert place.centre_lat == pytest.approx(55.60125)
    assert place.centre_lon == pytest.approx(13.002)
    assert place.roles.get().user == person
    assert place.roles.get().role == "manager"
    assert set(place.memberships.values_list("role", flat=True)) == {"board", "funder"}
    assert place.budgets.get().target_sek == Decimal("1200000")

    # The new manager finds the place on "My places".
    staff_client.force_login(person)
    assert "Nydalatorget" in staff_client.get(reverse("places:home")).content.decode()


@pytest.mark.django_db
def test_the_boundary_field_comes_with_the_map_widget(staff_client, place_a):
    response = staff_client.get(_admin_url(plm.Place, "change", place_a.pk))
    page = response.content.decode()
    assert 'src="/static/js/admin_boundary.js"' in page
    assert 'src="/static/vendor/leaflet-1.9.4/leaflet.js"' in page
    textarea = re.search(r"<textarea[^>]*name=\"boundary\"[^>]*>", page).group(0)
    assert "data-boundary-map" in textarea
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in textarea
    # Shown indented so it can be read and edited without the map.
    assert '"type": "Polygon",\n  "coordinates"' in html.unescape(page)


@pytest.mark.django_db
def test_a_redrawn_boundary_moves_the_centre(staff_client, place_a):
    moved = {
        "type": "Polygon",
        "coordinates": [[[18.0, 59.3], [18.01, 59.3], [18.01, 59.31], [18.0, 59.31], [18.0, 59.3]]],
    }
    url = _admin_url(plm.Place, "change", place_a.pk)
    form = staff_client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update({"boundary": json.dumps(moved), "is_active": "on"})
    for prefix in ("roles", "memberships", "budgets"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = staff_client.post(url, data)
    assert response.status_code == 302
    place_a.refresh_from_db()
    assert (round(place_a.centre_lat, 3), round(place_a.centre_lon, 3)) == (59.305, 18.005)


@pytest.mark.django_db
def test_a_geojson_feature_collection_from_a_drawing_tool_is_accepted(staff_client):
    exported = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": f.SQUARE_BOUNDARY}],
    }
    response = post_add_form(
        staff_client,
        plm.Place,
        {
            "name": "Torg",
            "slug": "torg",
            "kind": "square",
            "municipality": "Lund",
            "boundary": json.dumps(exported),
        },
    )
    assert response.status_code == 302
    assert plm.Place.objects.get(slug="torg").boundary == f.SQUARE_BOUNDARY


# --- Bad input: a field error and nothing saved -------------------------------------------------


def _place_data(**overrides):
    return {"name": "Torg", "slug": "torg", "kind": "square", "municipality": "Malmö", **overrides}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        ('{"type": "Polygon", "coordinates": [[[13.0, 55.6]', "The boundary is not valid JSON."),
        ("not json at all", "The boundary is not valid JSON."),
        (json.dumps(BOW_TIE), "The boundary crosses itself. Draw it without self-intersections."),
        (
            json.dumps({"type": "Point", "coordinates": [13.0, 55.6]}),
            "The boundary must be a GeoJSON Polygon or MultiPolygon.",
        ),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[13.0, 55.6], [13.1, 55.6], [13.1, 55.7], [13.0, 55.6]][:3]],
                }
            ),
            "Each ring of the boundary needs at least four positions.",
        ),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[13.0, 55.6], [13.1, 55.6], [13.1, 55.7], [13.0, 55.7]]],
                }
            ),
            "Each ring of the boundary must be closed (first = last position).",
        ),
    ],
    ids=["truncated", "not-json", "self-intersecting", "point", "too-few-positions", "open-ring"],
)
def test_a_bad_boundary_is_refused_on_the_field(staff_client, boundary, message):
    response = post_add_form(staff_client, plm.Place, _place_data(boundary=boundary))
    assert form_errors(response)["boundary"] == [message]
    assert message in html.unescape(response.content.decode())
    assert not plm.Place.objects.exists()


@pytest.mark.django_db
def test_a_self_intersecting_area_boundary_is_refused_on_an_application(staff_client):
    lead = f.OrganisationFactory()
    response = post_add_form(
        staff_client,
        pm.PartnershipApplication,
        {
            "title": "Tryggare torg",
            "lead_organisation": lead.pk,
            "status": "draft",
            "area_boundary": json.dumps(BOW_TIE),
        },
    )
    assert form_errors(response)["area_boundary"] == [
        "The boundary crosses itself. Draw it without self-intersections."
    ]
    assert not pm.PartnershipApplication.objects.exists()


@pytest.mark.django_db
def test_an_invalid_organisationsnummer_is_refused(staff_client):
    response = post_add_form(
        staff_client,
        pm.Organisation,
        {"name": "Fel AB", "org_number": "556036-0794", "kind": "business"},
    )
    assert form_errors(response)["org_number"] == [
        "556036-0794 is not a valid Swedish organisationsnummer (NNNNNN-NNNN)."
    ]
    assert not pm.Organisation.objects.filter(name="Fel AB").exists()


@pytest.mark.django_db
def test_a_valid_organisationsnummer_is_stored_formatted(staff_client):
    response = post_add_form(
        staff_client,
        pm.Organisation,
        {"name": "Rätt AB", "org_number": "5560360793", "kind": "business"},
    )
    assert response.status_code == 302
    assert pm.Organisation.objects.get(name="Rätt AB").org_number == "556036-0793"


@pytest.mark.django_db
def test_a_negative_commitment_is_refused(staff_client, place_a, property_owner):
    data = {
        "organisation": property_owner.pk,
        "place": place_a.pk,
        "year": clock.this_year(),
        "kind": "cash",
        "amount_sek": "-1",
        "status": "pledged",
    }
    response = post_add_form(staff_client, pm.FundingCommitment, data)
    assert form_errors(response)["amount_sek"] == [
        "Ensure this value is greater than or equal to 0."
    ]
    assert not pm.FundingCommitment.objects.exists()


@pytest.mark.django_db
def test_a_commitment_cannot_be_lowered_below_what_is_paid(staff_client):
    payment = f.PaymentFactory(
        commitment__amount_sek=Decimal("100000"), amount_sek=Decimal("60000")
    )
    commitment = payment.commitment
    commitment.amount_paid = Decimal("60000")
    commitment.save()
    url = _admin_url(pm.FundingCommitment, "change", commitment.pk)
    form = staff_client.get(url).context["adminform"].form
    data = {n: ("" if v is None else v) for n, v in form.initial.items() if n in form.fields}
    data.update(
        {
            "amount_sek": "50000",
            "payments-TOTAL_FORMS": 1,
            "payments-INITIAL_FORMS": 1,
            "payments-0-id": payment.pk,
            "payments-0-commitment": commitment.pk,
            "payments-0-amount_sek": "60000",
            "payments-0-paid_on": payment.paid_on.isoformat(),
        }
    )
    response = staff_client.post(url, data)
    assert form_errors(response)["amount_sek"] == [
        "60,000 kr has already been paid; the commitment cannot be smaller than that."
    ]
    commitment.refresh_from_db()
    assert commitment.amount_sek == Decimal("100000")


@pytest.mark.django_db
def test_what_is_paid_cannot_be_typed_in(staff_client, place_a, property_owner):
    data = {
        "organisation": property_owner.pk,
        "place": place_a.pk,
        "year": clock.this_year(),
        "kind": "cash",
        "amount_sek": "100000",
        "amount_paid": "100001",
        "status": "pledged",
    }
    response = post_add_form(staff_client, pm.FundingCommitment, data)
    assert response.status_code == 302
    assert pm.FundingCommitment.objects.get().amount_paid == Decimal("0")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "share", "field", "message"),
    [
        ("-5", "0", "target_sek", "Ensure this value is greater than or equal to 0."),
        ("100000", "-5", "municipal_share_sek", "Ensure this value is greater than or equal to 0."),
        (
            "100000",
            "100001",
            "municipal_share_sek",
            "The municipal share cannot exceed the target.",
        ),
    ],
    ids=["negative-target", "negative-share", "share-above-target"],
)
def test_a_bad_budget_is_refused(staff_client, place_a, target, share, field, message):
    data = {
        "place": place_a.pk,
        "year": clock.this_year(),
        "target_sek": target,
        "municipal_share_sek": share,
    }
    response = post_add_form(staff_client, pm.AnnualBudget, data)
    assert form_errors(response)[field] == [message]
    assert not pm.AnnualBudget.objects.exists()


@pytest.mark.django_db
def test_a_membership_ending_before_it_starts_is_refused(staff_client, place_a, property_owner):
    data = {
        "organisation": property_owner.pk,
        "place": place_a.pk,
        "role": "member",
        "since": f"{clock.this_year()}-03-01",
        "until": f"{clock.this_year()}-02-28",
    }
    response = post_add_form(staff_client, pm.Membership, data)
    assert form_errors(response)["until"] == ["The end date must be on or after the start date."]
    assert not pm.Membership.objects.exists()


@pytest.mark.django_db
def test_a_planned_activity_ending_before_it_starts_is_refused(staff_client, place_a):
    kind = plm.ActivityKind.objects.first()
    data = {
        "place": place_a.pk,
        "kind": kind.pk,
        "title": "Trygghetsvandring",
        "recurrence": "monthly",
        "starts_on": f"{clock.this_year()}-06-01",
        "ends_on": f"{clock.this_year()}-05-31",
        "is_active": "on",
    }
    response = post_add_form(staff_client, plm.PlannedActivity, data)
    assert form_errors(response)["ends_on"] == ["The end date must be on or after the start date."]
    assert not plm.PlannedActivity.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_place_role_is_refused_on_the_person(staff_client, place_a, reader):
    data = {"user": reader.pk, "place": place_a.pk, "role": "manager"}
    response = post_add_form(staff_client, plm.PlaceRole, data)
    assert form_errors(response)["user"] == ["This person already has a role at this place."]
    assert plm.PlaceRole.objects.get(user=reader, place=place_a).role == "reader"


@pytest.mark.django_db
def test_a_duplicate_role_on_the_place_page_is_refused(staff_client, place_a, reader):
    url = _admin_url(plm.Place, "change", place_a.pk)
    page = staff_client.get(url)
    form = page.context["adminform"].form
    data = {
        name: ("" if v is None else v) for name, v in form.initial.items() if name in form.fields
    }
    data.update({"boundary": json.dumps(place_a.boundary), "is_active": "on"})
    existing = place_a.roles.get()
    data.update(
        {
            "roles-TOTAL_FORMS": 2,
            "roles-INITIAL_FORMS": 1,
            "roles-0-id": existing.pk,
            "roles-0-place": place_a.pk,
            "roles-0-user": reader.pk,
            "roles-0-role": "reader",
            "roles-1-place": place_a.pk,
            "roles-1-user": reader.pk,
            "roles-1-role": "manager",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "budgets-TOTAL_FORMS": 0,
            "budgets-INITIAL_FORMS": 0,
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    roles_formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "roles"
    )
    assert "This person already has a role at this place." in roles_formset.forms[1].errors["user"]
    assert list(place_a.roles.values_list("role", flat=True)) == ["reader"]


@pytest.mark.django_db
def test_two_equal_roles_for_a_new_place_are_refused(staff_client, reader):
    row = {"user": reader.pk, "role": "reader"}
    data = _place_data(**{"roles-TOTAL_FORMS": 2})
    for index in range(2):
        data.update({f"roles-{index}-{key}": value for key, value in row.items()})
    response = post_add_form(staff_client, plm.Place, data)
    assert response.status_code == 200
    errors = [
        str(e)
        for inline in response.context["inline_admin_formsets"]
        for e in inline.formset.non_form_errors()
    ]
    assert any("duplicate" in e for e in errors), errors
    assert not plm.Place.objects.filter(slug="torg").exists()


# --- Users ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_adds_a_user_by_email_who_can_then_log_in(staff_client, client, property_owner):
    response = post_add_form(
        staff_client,
        User,
        {
            "email": "Ny.Person@Example.org",
            "full_name": "Ny Person",
            "organisation": property_owner.pk,
            "preferred_language": "en",
            "usable_password": "true",
            "password1": "a-long-new-password-42",
            "password2": "a-long-new-password-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="ny.person@example.org")
    assert (user.full_name, user.organisation, user.preferred_language) == (
        "Ny Person",
        property_owner,
        "en",
    )
    assert user.check_password("a-long-new-password-42")
    assert not user.is_staff


@pytest.mark.django_db
def test_an_email_address_already_in_use_is_refused_whatever_its_case(staff_client, reader):
    response = post_add_form(
        staff_client,
        User,
        {
            "email": "READER@example.org",
            "usable_password": "true",
            "password1": "a-long-new-password-42",
            "password2": "a-long-new-password-42",
            "preferred_language": "sv",
        },
    )
    assert form_errors(response)["email"] == ["A user with this e-mail address already exists."]
    assert User.objects.filter(email__iexact="reader@example.org").count() == 1


# --- Funding: payments keep the commitment's paid amount ------------------------------------------


def _paid_on(days_ago):
    """A payment date in the past of the frozen clock (payments cannot be in the future)."""
    return (clock.today() - dt.timedelta(days=days_ago)).isoformat()


@pytest.mark.django_db
def test_payments_added_on_a_commitment_set_what_is_paid(staff_client):
    commitment = f.FundingCommitmentFactory(amount_sek=Decimal("100000"))
    url = _admin_url(pm.FundingCommitment, "change", commitment.pk)
    form = staff_client.get(url).context["adminform"].form
    data = {n: ("" if v is None else v) for n, v in form.initial.items() if n in form.fields}
    data.update(
        {
            "payments-TOTAL_FORMS": 2,
            "payments-INITIAL_FORMS": 0,
            "payments-0-amount_sek": "30000",
            "payments-0-paid_on": _paid_on(90),
            "payments-1-amount_sek": "20000",
            "payments-1-paid_on": _paid_on(30),
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.amount_paid == Decimal("50000")
    assert commitment.status == "pledged"
    assert set(commitment.payments.values_list("recorded_by__email", flat=True)) == {
        "staff@example.org"
    }


@pytest.mark.django_db
def test_a_commitment_paid_in_full_in_the_admin_becomes_paid(staff_client):
    commitment = f.FundingCommitmentFactory(amount_sek=Decimal("100000"), status="invoiced")
    response = post_add_form(
        staff_client,
        pm.Payment,
        {"commitment": commitment.pk, "amount_sek": "100000", "paid_on": _paid_on(30)},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.amount_paid, commitment.status) == (Decimal("100000"), "paid")

    # Deleting the payment by mistake undoes both.
    payment = commitment.payments.get()
    response = staff_client.post(_admin_url(pm.Payment, "delete", payment.pk), {"post": "yes"})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.amount_paid, commitment.status) == (Decimal("0"), "invoiced")


@pytest.mark.django_db
def test_payments_beyond_the_commitment_are_refused(staff_client):
    commitment = f.FundingCommitmentFactory(amount_sek=Decimal("100000"))
    url = _admin_url(pm.FundingCommitment, "change", commitment.pk)
    form = staff_client.get(url).context["adminform"].form
    data = {n: ("" if v is None else v) for n, v in form.initial.items() if n in form.fields}
    data.update(
        {
            "payments-TOTAL_FORMS": 2,
            "payments-INITIAL_FORMS": 0,
            "payments-0-amount_sek": "60000",
            "payments-0-paid_on": _paid_on(90),
            "payments-1-amount_sek": "60000",
            "payments-1-paid_on": _paid_on(30),
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "The payments add up to more than the committed amount." in response.content.decode()
    assert not commitment.payments.exists()
    commitment.refresh_from_db()
    assert commitment.amount_paid == Decimal("0")


@pytest.mark.django_db
def test_a_single_payment_beyond_what_is_left_is_refused(staff_client):
    payment = f.PaymentFactory(
        commitment__amount_sek=Decimal("100000"), amount_sek=Decimal("80000")
    )
    response = post_add_form(
        staff_client,
        pm.Payment,
        {"commitment": payment.commitment.pk, "amount_sek": "20001", "paid_on": _paid_on(30)},
    )
    assert form_errors(response)["amount_sek"] == [
        "The payments add up to more than the committed amount."
    ]
    assert pm.Payment.objects.count() == 1


# --- Action items and applications ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_status_change_in_the_admin_is_recorded(staff_client):
    item = f.ActionItemFactory(status="open")
    url = _admin_url(plm.ActionItem, "change", item.pk)
    form = staff_client.get(url).context["adminform"].form
    data = {n: ("" if v is None else v) for n, v in form.initial.items() if n in form.fields}
    data.update(
        {
            "status": "resolved",
            "created_at_0": timezone.localtime(item.created_at).strftime("%Y-%m-%d"),
            "created_at_1": timezone.localtime(item.created_at).strftime("%H:%M:%S"),
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        }
    )
    data.pop("created_at", None)
    data.pop("resolved_at", None)
    data.pop("photo", None)
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = item.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by.email) == (
        "open",
        "resolved",
        "staff@example.org",
    )


@pytest.mark.django_db
def test_an_application_added_in_the_admin_gets_a_reference(staff_client):
    lead = f.OrganisationFactory()
    f.PartnershipApplicationFactory(reference=f"SAM-{timezone.localdate().year}-0007")
    response = post_add_form(
        staff_client,
        pm.PartnershipApplication,
        {"title": "Tryggare torg", "lead_organisation": lead.pk, "status": "draft"},
    )
    assert response.status_code == 302
    application = pm.PartnershipApplication.objects.get(title="Tryggare torg")
    assert application.reference == f"SAM-{timezone.localdate().year}-0008"
    assert application.created_by.email == "staff@example.org"


@pytest.mark.django_db
def test_an_attachment_uploaded_in_the_admin_records_type_size_and_uploader(staff_client):
    application = f.PartnershipApplicationFactory()
    upload = SimpleUploadedFile(
        "Budget 2027.pdf", b"%PDF-1.4 " + b"x" * 91, content_type="application/pdf"
    )
    response = post_add_form(
        staff_client,
        pm.ApplicationAttachment,
        {"application": application.pk, "file": "", "original_name": ""},
    )
    assert "file" in form_errors(response)
    response = staff_client.post(
        _admin_url(pm.ApplicationAttachment, "add"),
        {"application": application.pk, "file": upload, "original_name": ""},
    )
    assert response.status_code == 302
    attachment = application.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size_bytes) == (
        "Budget 2027.pdf",
        "application/pdf",
        100,
    )
    assert attachment.uploaded_by.email == "staff@example.org"


@pytest.mark.django_db
def test_survey_templates_are_edited_with_their_questions(staff_client):
    template = svm.Survey.objects.filter(is_template=True).first()
    response = staff_client.get(_admin_url(svm.Survey, "change", template.pk))
    questions = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is svm.Question
    )
    assert len(questions.forms) == template.questions.count() > 0


# --- Speed: a changelist's query count does not grow with its rows -------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [model for model in REGISTERED if model._meta.app_label in PROJECT_APPS],
    ids=_label,
)
def test_changelist_queries_do_not_grow_with_the_rows(staff_client, count_queries, model):
    url = _admin_url(model, "changelist")
    BUILDERS[_label(model)]()
    staff_client.get(url)  # warm caches (content types, sessions)
    with count_queries() as few:
        assert staff_client.get(url).status_code == 200
    for _ in range(3):
        BUILDERS[_label(model)]()
    with count_queries() as more:
        assert staff_client.get(url).status_code == 200
    assert len(more) == len(few), "\n".join(q["sql"] for q in more.captured_queries)


# --- JSON fields ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_emptied_json_field_saves_its_empty_default(staff_client):
    question = f.QuestionFactory(kind="text", choices=["a", "b"], in_safety_index=False)
    response = staff_client.post(
        _admin_url(svm.Question, "change", question.pk),
        {
            "survey": question.survey_id,
            "order": 0,
            "text": "Vad skulle göra platsen tryggare?",
            "kind": "text",
            "choices": "",
            "translated_choices": "",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.choices, question.translated_choices) == ([], [])


@pytest.mark.django_db
def test_an_emptied_boundary_is_removed(staff_client, place_a):
    url = _admin_url(plm.Place, "change", place_a.pk)
    form = staff_client.get(url).context["adminform"].form
    data = {n: ("" if v is None else v) for n, v in form.initial.items() if n in form.fields}
    data.update({"boundary": "", "is_active": "on"})
    for prefix in ("roles", "memberships", "budgets"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    assert staff_client.post(url, data).status_code == 302
    place_a.refresh_from_db()
    assert place_a.boundary is None
    # An empty boundary shows as an empty textarea, not as "null".
    page = staff_client.get(url).content.decode()
    assert re.search(r'<textarea[^>]*name="boundary"[^>]*>\s*</textarea>', page)


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (sm.Incident, "occurred_at"),
        (sm.IncidentDay, "day"),
        (plm.Activity, "started_at"),
        (svm.Response, "submitted_at"),
    ],
)
def test_a_large_tables_list_filters_dates_by_range_without_a_date_hierarchy(
    staff_client, place_a, model, field
):
    """A city's tables hold millions of rows: the date hierarchy's list of distinct years would
    scan them all on every page view; the range filter's choices are indexed ranges."""
    from django.utils import translation

    if model is sm.IncidentDay:
        f.IncidentFactory(place=place_a, occurred_at=timezone.now() - dt.timedelta(days=400))
        f.IncidentFactory(place=place_a, occurred_at=timezone.now() - dt.timedelta(days=1))
        recent = sm.IncidentDay.objects.get(day=timezone.localdate() - dt.timedelta(days=1))
    elif model is sm.Incident:
        f.IncidentFactory(place=place_a, occurred_at=timezone.now() - dt.timedelta(days=400))
        recent = f.IncidentFactory(place=place_a, occurred_at=timezone.now() - dt.timedelta(days=1))
    elif model is plm.Activity:
        f.ActivityFactory(place=place_a, started_at=timezone.now() - dt.timedelta(days=400))
        recent = f.ActivityFactory(place=place_a, started_at=timezone.now() - dt.timedelta(days=1))
    else:
        survey = f.SurveyFactory(place=place_a)
        f.ResponseFactory(survey=survey, submitted_at=timezone.now() - dt.timedelta(days=400))
        recent = f.ResponseFactory(
            survey=survey, submitted_at=timezone.now() - dt.timedelta(days=1)
        )
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    page = staff_client.get(url)
    changelist = page.context["cl"]
    assert not changelist.date_hierarchy
    [dates] = [spec for spec in changelist.filter_specs if spec.field_path == field]
    with translation.override(page.context["LANGUAGE_CODE"]):
        past_week = translation.gettext("Past 7 days")
        [choice] = [c for c in dates.choices(changelist) if str(c["display"]) == past_week]
    listed = staff_client.get(url + choice["query_string"]).context["cl"].result_list
    assert list(listed) == [recent]


@pytest.mark.parametrize(
    ("model", "app_label", "model_name", "field", "make"),
    [
        (plm.Place, "places", "activity", "place", lambda title: f.PlaceFactory(name=title)),
        (svm.Survey, "surveys", "response", "survey", lambda title: f.SurveyFactory(title=title)),
    ],
)
def test_autocomplete_lists_places_and_surveys_in_their_order(
    staff_client, model, app_label, model_name, field, make
):
    """The place and survey admins count roles and responses per row; a grouped count once
    dropped their order, and the autocomplete listed them at random."""
    for title in ("Östra torget", "Centrum", "Möllevången"):
        make(title)
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field, "term": ""},
    )
    texts = [row["text"] for row in response.json()["results"]]
    assert texts == [str(obj) for obj in model.objects.order_by(*model._meta.ordering)]
