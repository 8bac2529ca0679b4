"""The register of processing (GDPR art. 30), generated from the models (issue #17).

A small declarative table says, per model, why it is kept, about whom, on what legal basis, who
receives it and how long it stays; the fields — who a record points at, free text, positions,
addresses — and the retention of each come from the models themselves and from settings
(`FREE_TEXT_RETENTION_DAYS`). A test keeps the table complete: every model that points at a
person or holds screened free text must be in it.

Models of other apps are named by label and loaded from the app registry, so `places` imports
none of the apps above it (architecture §3).
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .privacy import validate_no_personal_data

# Shared wording.
CONTRACT = _("Agreement with the partnership (GDPR art. 6.1 b) and its legitimate interest (f)")
LEGITIMATE = _("Legitimate interest of the partnership in a safe place (GDPR art. 6.1 f)")
PUBLIC_TASK = _("The municipality's public task (GDPR art. 6.1 e); the applicants' agreement")
CONSENT_ANON = _("No personal data: anonymous answers")
MEMBERS = _("People with a role at the place (managers, reporters, readers)")
RESTRICTED = _(
    "People with a role at the place; restricted incidents only managers, police and the reporter"
)
REVIEWERS = _("The applying organisations' people and the city's reviewers")
ADMINS = _("Platform administrators (staff)")
ACCOUNT_LIFE = _("As long as the account exists")
AFTER_IMPORT = _("Until imported (the file's content is then dropped), unconfirmed uploads 1 day")
APPLICATION_LIFE = _("As long as the application is kept (the municipality's archive rules)")
PLACE_LIFE = _("As long as the place's partnership keeps it")
SESSIONS = _("Two weeks, or until signing out")


@dataclass(frozen=True)
class Processing:
    model: str
    purpose: str
    subjects: str
    legal_basis: str
    recipients: str
    retention: str
    # Free text cleared after FREE_TEXT_RETENTION_DAYS, counted from this moment.
    cleared_from: str = ""


REGISTER = [
    Processing(
        "accounts.User",
        _("Sign-in, roles and notices for the people who use the platform"),
        _("People with an account"),
        CONTRACT,
        ADMINS,
        ACCOUNT_LIFE,
    ),
    Processing(
        "accounts.ApiToken",
        _("Personal API tokens with which another system acts as their owner"),
        _("People with an account"),
        CONTRACT,
        ADMINS,
        ACCOUNT_LIFE,
    ),
    Processing(
        "accounts.ApiIdempotencyKey",
        _("Answering a repeated API request once (the answer to it is kept)"),
        _("People with an account"),
        CONTRACT,
        ADMINS,
        _("One day"),
    ),
    Processing(
        "account.EmailAddress",
        _("Verifying the e-mail address used to sign in"),
        _("People with an account"),
        CONTRACT,
        ADMINS,
        ACCOUNT_LIFE,
    ),
    Processing(
        "places.PlaceRole",
        _("Who may see and do what at a place, and whom they represent there"),
        _("People with an account"),
        CONTRACT,
        MEMBERS,
        _("Until the role is removed or the account deleted"),
    ),
    Processing(
        "places.Activity",
        _("What the partnership does at the place (walks, cleaning, guard rounds)"),
        _("The person who logged it"),
        LEGITIMATE,
        MEMBERS,
        PLACE_LIFE,
        cleared_from=_("when it started"),
    ),
    Processing(
        "places.ActionItem",
        _("Things to fix at the place and who is responsible"),
        _("The person who recorded it"),
        LEGITIMATE,
        MEMBERS,
        PLACE_LIFE,
        cleared_from=_("when it was resolved or closed (open items keep their text)"),
    ),
    Processing(
        "places.ActionItemStatusChange",
        _("Who changed an action item's status, and when"),
        _("The person who changed it"),
        LEGITIMATE,
        MEMBERS,
        PLACE_LIFE,
        cleared_from=_("when the status changed"),
    ),
    Processing(
        "places.PublicTip",
        _("Tips from the public about things to fix at the place, and updates to the sender"),
        _(
            "The sender, only if they give an e-mail address for updates (no account, no IP "
            "address)"
        ),
        LEGITIMATE,
        MEMBERS,
        _(
            "The e-mail address is erased when the tip is closed; the text is cleared after "
            "FREE_TEXT_RETENTION_DAYS"
        ),
        cleared_from=_("when the tip was closed"),
    ),
    Processing(
        "places.PlannedActivity",
        _("The place's activity plan"),
        _("Nobody (the titles are screened)"),
        LEGITIMATE,
        MEMBERS,
        PLACE_LIFE,
    ),
    Processing(
        "places.NameConfirmation",
        _("Accountability: who confirmed that a word that looks like a name is not a person"),
        _("The person who confirmed it"),
        _("Legal obligation to show compliance (GDPR art. 5.2, art. 10)"),
        ADMINS,
        _("Cleared with the free text, after FREE_TEXT_RETENTION_DAYS"),
        cleared_from=_("when it was confirmed"),
    ),
    Processing(
        "places.OutboxMessage",
        _("Delivering the e-mails people must get (report notices, invitations, assignments)"),
        _("The recipient's e-mail address and the message"),
        LEGITIMATE,
        ADMINS,
        _("Deleted 30 days after it was sent, failed or cancelled"),
    ),
    # Notifications and Web Push (issue #13).
    Processing(
        "places.Notification",
        _("The in-app notification list (alerts, plans to confirm, assignments, reports)"),
        _("The person notified"),
        LEGITIMATE,
        _("The person notified"),
        _("Deleted with the free text, after FREE_TEXT_RETENTION_DAYS"),
    ),
    Processing(
        "places.NotificationSetting",
        _("How a person wants to be notified (e-mail, push)"),
        _("People with an account"),
        CONTRACT,
        _("The person themself"),
        ACCOUNT_LIFE,
    ),
    Processing(
        "places.PushSubscription",
        _("Delivering push notifications to a person's device"),
        _("People with an account (the push address of their browser)"),
        CONTRACT,
        _("The browser's push service (the message is encrypted for the device)"),
        _("Until the person logs out on the device or the push service drops it"),
    ),
    # Samverkansplan and larm (issue #13).
    Processing(
        "safety.Scenario",
        _("The coordinated plan's scenarios (signs, steps)"),
        _("Nobody (the texts are screened)"),
        LEGITIMATE,
        MEMBERS,
        PLACE_LIFE,
    ),
    Processing(
        "safety.ContactLink",
        _("The contact chain: organisations and their functional numbers"),
        _("Nobody (functional numbers of organisations, never private ones)"),
        LEGITIMATE,
        MEMBERS,
        PLACE_LIFE,
    ),
    Processing(
        "safety.PlanVersion",
        _("Published versions of the coordinated plan"),
        _("The manager who published it"),
        LEGITIMATE,
        MEMBERS,
        PLACE_LIFE,
    ),
    Processing(
        "safety.PlanConfirmation",
        _("Proof that the plan was read and understood"),
        _("The person who confirmed it"),
        LEGITIMATE,
        _("The place's managers"),
        PLACE_LIFE,
    ),
    Processing(
        "safety.Alert",
        _("Alerts about a situation at the place (never who is involved)"),
        _("The person who sent or closed it"),
        LEGITIMATE,
        MEMBERS,
        PLACE_LIFE,
        cleared_from=_("when it was sent"),
    ),
    Processing(
        "safety.AlertDelivery",
        _("Delivering an alert by e-mail, push and SMS, once per recipient and channel"),
        _("The recipient"),
        LEGITIMATE,
        ADMINS,
        PLACE_LIFE,
    ),
    Processing(
        "safety.AlertAnswer",
        _("Who answered an alert, how and when"),
        _("The person who answered"),
        LEGITIMATE,
        MEMBERS,
        PLACE_LIFE,
    ),
    Processing(
        "safety.Incident",
        _("What happens at the place, for the situation picture (never who did it)"),
        _("The person who reported it"),
        LEGITIMATE,
        RESTRICTED,
        PLACE_LIFE,
        cleared_from=_("when it happened"),
    ),
    Processing(
        "safety.IncidentImport",
        _("A guard company's file of incidents between upload and import"),
        _("The person who uploaded it"),
        LEGITIMATE,
        _("The place's managers"),
        AFTER_IMPORT,
    ),
    Processing(
        "safety.Intervention",
        _("Measures taken at the place and their effect on incidents"),
        _("The person who recorded it (the title and description are screened)"),
        LEGITIMATE,
        MEMBERS,
        PLACE_LIFE,
    ),
    Processing(
        "places.VisitorCount",
        _("How many people visit the place, counted by hand or by sensors (numbers only)"),
        _("The person who counted"),
        LEGITIMATE,
        MEMBERS,
        PLACE_LIFE,
    ),
    Processing(
        "partnerships.SocialOutcome",
        _("Social clauses: jobs, internships and local purchases as counts and amounts"),
        _("Nobody (organisations; never who was hired); the person who updated it"),
        CONTRACT,
        MEMBERS,
        PLACE_LIFE,
    ),
    Processing(
        "surveys.Answer",
        _("Perceived safety at the place (trygghetsmätning)"),
        _("Anonymous respondents: no name, no IP address, nothing that identifies them"),
        CONSENT_ANON,
        MEMBERS,
        _("Scales and choices as long as the survey; free text is cleared"),
        cleared_from=_("when the answer was sent"),
    ),
    Processing(
        "partnerships.Invitation",
        _("Inviting a person by e-mail to a role at a place"),
        _("The invited person and the person who invited"),
        CONTRACT,
        _("The place's managers"),
        _("Until accepted, revoked or expired; deleted with the invited person's account"),
    ),
    Processing(
        "partnerships.FundingCommitment",
        _("Who funds the partnership, in money and work"),
        _("Nobody (organisations; the description is screened)"),
        CONTRACT,
        _("The place's managers; each member its own"),
        PLACE_LIFE,
    ),
    Processing(
        "partnerships.Payment",
        _("Payments against commitments"),
        _("The person who recorded it"),
        CONTRACT,
        _("The place's managers; each member its own"),
        PLACE_LIFE,
    ),
    Processing(
        "partnerships.FundingReminder",
        _("One reminder mail a week about overdue commitments"),
        _("The place's managers"),
        CONTRACT,
        ADMINS,
        ACCOUNT_LIFE,
    ),
    Processing(
        "partnerships.PartnershipApplication",
        _("Applying for and deciding on collaboration support"),
        _("The applicants, invited editors and the assigned reviewer"),
        PUBLIC_TASK,
        REVIEWERS,
        APPLICATION_LIFE,
    ),
    Processing(
        "partnerships.ApplicationParty",
        _("The organisations on an application and what they commit"),
        _("The person who answered a co-applicant request"),
        PUBLIC_TASK,
        REVIEWERS,
        APPLICATION_LIFE,
    ),
    Processing(
        "partnerships.Assessment",
        _("The city's assessment of an application against the criteria"),
        _("The reviewer"),
        PUBLIC_TASK,
        _("The city's reviewers"),
        APPLICATION_LIFE,
    ),
    Processing(
        "partnerships.ApplicationEvent",
        _("The application's timeline"),
        _("The person who acted"),
        PUBLIC_TASK,
        REVIEWERS,
        APPLICATION_LIFE,
    ),
    Processing(
        "partnerships.ReviewNote",
        _("Internal notes between reviewers"),
        _("The reviewer who wrote it"),
        PUBLIC_TASK,
        _("The city's reviewers"),
        APPLICATION_LIFE,
    ),
    Processing(
        "partnerships.ApplicationAttachment",
        _("Files attached to an application"),
        _("The person who uploaded it"),
        PUBLIC_TASK,
        REVIEWERS,
        APPLICATION_LIFE,
    ),
    Processing(
        "admin.LogEntry",
        _("What administrators changed in the admin"),
        _("Administrators"),
        LEGITIMATE,
        ADMINS,
        _("As long as the administrator's account exists"),
    ),
    # The open API's outbound webhooks and the police's events (issue #15).
    Processing(
        "places.Webhook",
        _(
            "Telling another system of the partnership's choice when an incident, alert or "
            "report is new (ids, codes, times and a link; no free text)"
        ),
        _("The manager who registered the webhook"),
        LEGITIMATE,
        _("The place's managers; the receiving system gets the events, not the person"),
        PLACE_LIFE,
    ),
    Processing(
        "safety.ExternalEvent",
        _("Showing the police's published events near the place beside its own figures"),
        _("Nobody (the police's public summaries, screened; one naming a person is not kept)"),
        LEGITIMATE,
        MEMBERS,
        _("The summary is cleared after FREE_TEXT_RETENTION_DAYS; the count by type stays"),
        cleared_from=_("when it happened"),
    ),
    Processing(
        "sessions.Session",
        _("Keeping a person signed in"),
        _("People with an account"),
        CONTRACT,
        _("Nobody (technical)"),
        SESSIONS,
    ),
]

NEVER_STORED = [
    _("The identity of suspects or anyone an incident is about: incidents describe events."),
    _("Personal identity numbers, phone numbers, e-mail addresses, social media accounts or "
      "registration plates in free text: refused when saved."),
    _("The IP address of anyone answering a survey, in the database, the cache or the logs."),
    _("The location data (GPS) in photos: removed when a photo is uploaded."),
]  # fmt: skip


def _user_model():
    return apps.get_model(settings.AUTH_USER_MODEL)


def field_category(field) -> str | None:
    """What kind of personal data a model field holds, or None for other fields."""
    if isinstance(field, models.ForeignKey | models.ManyToManyField):
        if field.related_model is _user_model():
            return str(_("who (a person's account)"))
        return None
    if validate_no_personal_data in getattr(field, "validators", ()):
        return str(_("free text, screened for identifiers and names"))
    if isinstance(field, models.EmailField):
        return str(_("e-mail address"))
    if field.name in ("lat", "lon"):
        return str(_("position of the event (not of a person)"))
    if field.name in ("full_name", "last_login", "date_joined"):
        return str(_("account details"))
    return None


def field_retention(field, entry: Processing) -> str:
    if validate_no_personal_data in getattr(field, "validators", ()) and entry.cleared_from:
        return str(
            _("Cleared %(days)s days after %(moment)s")
            % {"days": settings.FREE_TEXT_RETENTION_DAYS, "moment": entry.cleared_from}
        )
    if isinstance(field, models.ForeignKey | models.ManyToManyField) and (
        field.related_model is _user_model() and entry.model != "accounts.User"
    ):
        return str(_("Emptied when the person deletes the account"))
    return str(entry.retention)


def register_of_processing() -> list[dict]:
    """One entry per kind of record: the declared purpose and the fields the model holds."""
    entries = []
    for entry in REGISTER:
        try:
            model = apps.get_model(entry.model)
        except LookupError:
            continue
        fields = []
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) and not field.many_to_many:
                continue
            if field.auto_created and not field.concrete:
                continue
            category = field_category(field)
            if category:
                fields.append(
                    {
                        "name": field.name,
                        "label": str(getattr(field, "verbose_name", field.name)),
                        "category": category,
                        "retention": field_retention(field, entry),
                    }
                )
        entries.append(
            {
                "model": entry.model,
                "name": str(model._meta.verbose_name_plural),
                "purpose": str(entry.purpose),
                "subjects": str(entry.subjects),
                "legal_basis": str(entry.legal_basis),
                "recipients": str(entry.recipients),
                "retention": str(entry.retention),
                "fields": fields,
            }
        )
    return entries
