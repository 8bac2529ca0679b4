"""The applicant's and reviewer's pages: drafting, attachments, queue filters, query counts."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import Organisation
from partnerships.models import ApplicationAttachment, ApplicationParty, PartnershipApplication
from partnerships.services import applications as services
from tests import clock
from tests import factories as f
from tests.partnerships.applications_support import *  # noqa: F403
from tests.partnerships.applications_support import fill_complete

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def url(name, application, *args):
    return reverse(f"partnerships:{name}", args=[application.pk, *args])


# --- Drafting -----------------------------------------------------------------------------


def test_user_without_an_organisation_registers_one_and_gets_a_draft(client, db):
    user = f.UserFactory(email="new@example.org")
    client.force_login(user)
    response = client.post(
        reverse("partnerships:application_create"),
        {
            "title": "Levande Lantmannagatan",
            "organisation_name": "Lantmannagatans Handlare",
            "organisation_number": f.valid_org_number(4242),
            "organisation_kind": "association",
        },
    )
    application = PartnershipApplication.objects.get()
    assert response["Location"] == url("application_edit", application, "area")
    assert application.reference.startswith(f"SAM-{clock.this_year()}-")
    user.refresh_from_db()
    assert user.organisation.name == "Lantmannagatans Handlare"
    assert application.lead_organisation == user.organisation
    assert application.parties.get().role == ApplicationParty.Role.LEAD
    assert application.events.get().action == "created"


def test_an_existing_organisation_cannot_be_claimed_by_its_number(en, applicant_org):
    user = f.UserFactory(email="claimer@example.org")
    en.force_login(user)
    response = en.post(
        reverse("partnerships:application_create"),
        {
            "title": "Försök",
            "organisation_name": "Vad som helst",
            "organisation_number": applicant_org.org_number,
            "organisation_kind": "business",
        },
    )
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert not PartnershipApplication.objects.exists()
    user.refresh_from_db()
    assert user.organisation is None


def test_references_count_up(applicant):
    first = services.application_create(actor=applicant, title="Ett")
    second = services.application_create(actor=applicant, title="Två")
    year = clock.this_year()
    assert (first.reference, second.reference) == (f"SAM-{year}-0001", f"SAM-{year}-0002")


def test_saving_a_step_keeps_the_draft_and_continues(client, draft, applicant):
    client.force_login(applicant)
    boundary = (
        '{"type": "Polygon", "coordinates": [[[13.0, 55.6], [13.01, 55.6], [13.01, 55.61],'
        " [13.0, 55.6]]]}"
    )
    response = client.post(
        url("application_edit", draft, "area"),
        {
            "title": "Tryggare Sofielund",
            "area_name": "Sofielund",
            "area_description": "Kvarteren kring Lantmannagatan.",
            "area_boundary": boundary,
            "continue": "1",
        },
    )
    assert response["Location"] == url("application_edit", draft, "parties")
    draft.refresh_from_db()
    assert draft.area_boundary["type"] == "Polygon"
    assert draft.status == "draft"


def test_bad_boundary_and_personal_data_are_field_errors(en, draft, applicant):
    en.force_login(applicant)
    response = en.post(
        url("application_edit", draft, "area"),
        {
            "title": "Tryggare Sofielund",
            "area_name": "Sofielund",
            "area_description": "Ring 070-123 45 67 om du undrar.",
            "area_boundary": '{"type": "Point", "coordinates": [13, 55]}',
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "a phone number" in page
    assert "GeoJSON Polygon or MultiPolygon" in page
    draft.refresh_from_db()
    assert draft.area_description == ""


def test_adding_a_co_applicant_by_organisationsnummer(client, draft, applicant, association):
    client.force_login(applicant)
    response = client.post(
        url("party_add", draft),
        {
            "name": "ignored for a registered organisation",
            "org_number": association.org_number.replace("-", ""),
            "kind": "association",
            "commits_money_sek": "10000",
            "commits_hours": "40",
            "commits_responsibility": "Städdagar",
        },
    )
    assert response.status_code == 302
    party = draft.parties.get(organisation=association)
    assert (party.role, party.commits_hours) == ("co_applicant", 40)
    assert Organisation.objects.filter(org_number=association.org_number).count() == 1


def test_a_new_co_applicant_is_registered(client, draft, applicant):
    client.force_login(applicant)
    number = f.valid_org_number(777)
    client.post(
        url("party_add", draft),
        {
            "name": "Nya Butiken AB",
            "org_number": number,
            "kind": "business",
            "commits_money_sek": "0",
            "commits_hours": "0",
        },
    )
    assert draft.parties.filter(organisation__name="Nya Butiken AB").exists()


def test_the_lead_party_cannot_be_removed(en, draft, applicant):
    en.force_login(applicant)
    lead = draft.parties.get()
    response = en.post(url("party_remove", draft, lead.pk), follow=True)
    assert "cannot be removed" in response.content.decode()
    assert draft.parties.count() == 1


def test_updating_what_a_party_commits(client, complete_draft, applicant, association):
    client.force_login(applicant)
    party = complete_draft.parties.get(organisation=association)
    prefix = f"party-{party.pk}"
    client.post(
        url("party_update", complete_draft, party.pk),
        {
            f"{prefix}-commits_money_sek": "75000",
            f"{prefix}-commits_hours": "10",
            f"{prefix}-commits_responsibility": "Belysning",
        },
    )
    party.refresh_from_db()
    assert (party.commits_money_sek, party.commits_responsibility) == (75000, "Belysning")


def test_submit_page_lists_what_is_missing(en, draft, applicant):
    en.force_login(applicant)
    page = en.get(url("application_submit", draft)).content.decode()
    assert "Draw the area" in page
    response = en.post(url("application_submit", draft), follow=True)
    assert "not complete yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_full_submission_through_the_page(client, complete_draft, applicant):
    client.force_login(applicant)
    response = client.post(url("application_submit", complete_draft))
    assert response["Location"] == url("application_detail", complete_draft)
    complete_draft.refresh_from_db()
    assert complete_draft.status == "submitted"
    assert complete_draft.submitted_at is not None


def test_withdraw_through_the_page(client, submitted, applicant):
    client.force_login(applicant)
    client.post(url("application_withdraw", submitted))
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"


def test_applicant_reads_the_change_request_and_decision(en, changes_requested, applicant):
    en.force_login(applicant)
    page = en.get(url("application_detail", changes_requested)).content.decode()
    assert "The city asks for changes" in page
    assert "Beskriv budgeten tydligare." in page


def test_applicant_reads_the_decision_and_its_reasons(en, rejected, applicant):
    en.force_login(applicant)
    page = en.get(url("application_detail", rejected)).content.decode()
    assert "Decision: rejected" in page
    assert "Området saknar förankring." in page


# --- Attachments --------------------------------------------------------------------------


def _png_with_exif():
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (55.0, 36.0, 0.0)}  # GPSInfo
    exif[0x010E] = "Bildtext"  # ImageDescription
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_pdf_attachment_is_stored_and_served_only_to_those_who_see_the_application(
    client, complete_draft, applicant, co_applicant, other_applicant, outsider, reviewer
):
    client.force_login(applicant)
    upload = SimpleUploadedFile("avsiktsforklaring.pdf", PDF, content_type="application/pdf")
    client.post(url("attachment_upload", complete_draft), {"file": upload})
    attachment = ApplicationAttachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert "avsiktsforklaring" not in attachment.file.name  # random stored name
    download = url("attachment_download", complete_draft, attachment.pk)
    for user, status in [
        (applicant, 200),
        (co_applicant, 200),
        (reviewer, 200),
        (other_applicant, 404),
        (outsider, 404),
    ]:
        client.force_login(user)
        response = client.get(download)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Type"] == "application/pdf"
            assert "avsiktsforklaring.pdf" in response["Content-Disposition"]
    client.logout()
    assert client.get(download).status_code == 302


def test_a_file_that_only_pretends_to_be_a_pdf_is_refused(en, complete_draft, applicant):
    en.force_login(applicant)
    upload = SimpleUploadedFile("ok.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = en.post(url("attachment_upload", complete_draft), {"file": upload})
    assert response.status_code == 400
    assert "Only PDF, PNG and JPEG" in response.content.decode()
    assert not ApplicationAttachment.objects.exists()


def test_a_file_over_10_mb_is_refused(en, complete_draft, applicant):
    en.force_login(applicant)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
    response = en.post(url("attachment_upload", complete_draft), {"file": big})
    assert response.status_code == 400
    assert "larger than 10 MB" in response.content.decode()
    assert not ApplicationAttachment.objects.exists()


def test_photos_are_stored_without_their_location_data(client, complete_draft, applicant):
    client.force_login(applicant)
    upload = SimpleUploadedFile("torget.jpg", _png_with_exif(), content_type="image/jpeg")
    client.post(url("attachment_upload", complete_draft), {"file": upload})
    attachment = ApplicationAttachment.objects.get()
    with attachment.file.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG"
        assert not image.getexif()


def test_attachments_cannot_be_added_by_a_reviewer_or_after_submission(
    client, submitted, applicant, reviewer
):
    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    client.force_login(reviewer)
    assert client.post(url("attachment_upload", submitted), {"file": upload}).status_code == 403
    client.force_login(applicant)
    upload.seek(0)
    client.post(url("attachment_upload", submitted), {"file": upload})
    assert not ApplicationAttachment.objects.exists()


# --- Reviewer's work -----------------------------------------------------------------------


def test_queue_filters_and_counts(client, reviewer, second_reviewer, applicant, association):
    applications = []
    for index in range(3):
        application = fill_complete(
            services.application_create(actor=applicant, title=f"Ansökan {index}"), association
        )
        services.application_submit(application=application, actor=applicant)
        applications.append(application)
    services.application_start_review(application=applications[0], actor=reviewer)
    services.application_assign(
        application=applications[1], actor=reviewer, reviewer=second_reviewer
    )
    PartnershipApplication.objects.filter(pk=applications[2].pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=20)
    )
    client.force_login(reviewer)
    queue = reverse("partnerships:application_queue")

    def refs(query):
        page = client.get(queue + query).content.decode()
        return [a.reference for a in applications if a.reference in page]

    assert refs("") == [a.reference for a in applications]
    assert refs("?reviewer=me") == [applications[0].reference]
    assert refs(f"?reviewer={second_reviewer.pk}") == [applications[1].reference]
    assert refs("?reviewer=none") == [applications[2].reference]
    assert refs("?min_days=14") == [applications[2].reference]
    assert refs("?status=in_review") == [applications[0].reference]
    response = client.get(queue)
    assert response.context["counts"]["open"] == 3
    assert response.context["counts"]["in_review"] == 1


# --- Query counts --------------------------------------------------------------------------


def _make_submitted(applicant, association, n):
    for index in range(n):
        application = fill_complete(
            services.application_create(actor=applicant, title=f"Ansökan {index}"), association
        )
        services.application_submit(application=application, actor=applicant)


def test_queue_and_list_query_counts_do_not_grow_with_the_data(
    client, reviewer, applicant, association, count_queries
):
    pages = [
        (reviewer, reverse("partnerships:application_queue") + "?status=all"),
        (applicant, reverse("partnerships:application_list")),
    ]
    _make_submitted(applicant, association, 2)
    small = []
    for user, page in pages:
        client.force_login(user)
        with count_queries() as ctx:
            assert client.get(page).status_code == 200
        small.append(len(ctx))
    _make_submitted(applicant, association, 5)
    for (user, page), expected in zip(pages, small, strict=True):
        client.force_login(user)
        with count_queries() as ctx:
            client.get(page)
        assert len(ctx) == expected, page


def test_review_detail_and_follow_up_pages_have_bounded_queries(
    client, approved, reviewer, applicant, assert_max_queries
):
    client.force_login(reviewer)
    with assert_max_queries(12):
        assert client.get(url("application_review", approved)).status_code == 200
    # 14, plus the interventions and the social outcomes with their totals (issue #18); three
    # more when the place has interventions (their categories, incidents and survey answers).
    with assert_max_queries(18):
        assert client.get(url("application_followup", approved)).status_code == 200
    client.force_login(applicant)
    with assert_max_queries(10):
        assert client.get(url("application_detail", approved)).status_code == 200


def test_an_attached_image_that_decodes_to_gigapixels_is_refused():
    """Attachments go through the same decoder as photos: a decompression bomb is refused."""
    import io

    from django.core.exceptions import ValidationError
    from PIL import Image

    from partnerships.services.applications.attachments import _reencode_image

    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, format="PNG")  # a small file, 144 Mpx
    with pytest.raises(ValidationError) as error:
        _reencode_image(out.getvalue(), "PNG")
    assert error.value.code == "bad_image"
