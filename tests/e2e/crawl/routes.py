"""Routes of the URL conf and the demo objects that fill their parameters."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import url_str_to_user_pk, user_pk_to_url_str
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q
from django.urls import URLResolver, get_resolver
from django.utils.regex_helper import normalize

from accounts.models import ApiToken, User
from partnerships.models import (
    ApplicationAttachment,
    ApplicationParty,
    FundingCommitment,
    Invitation,
    Membership,
    PartnershipApplication,
    Payment,
    SocialOutcome,
)
from partnerships.views.applications import STEP_KEYS
from places.models import (
    ActionItem,
    Activity,
    Place,
    PlaceRole,
    PlannedActivity,
    PublicTip,
    Webhook,
)
from safety.models import (
    Alert,
    Incident,
    IncidentImport,
    Intervention,
    Scenario,
    SituationReport,
)
from surveys.models import Answer, Question, Survey

# A route is tried with at most this many objects before it counts as not reachable for a role
# (an application in each of its seven states, and one more).
MAX_ATTEMPTS = 8
# A redirect to a login page refuses the role whatever the object: no need to try others.
LOGIN_ROUTES = {"account_login", "admin:login"}


@dataclass(frozen=True)
class Route:
    route: str  # as Django writes it, e.g. "places/<slug:place_slug>/reports/<int:pk>/"
    name: str  # namespaced, "" for an unnamed route
    url_format: str  # "places/%(place_slug)s/reports/%(pk)s/"
    params: tuple[str, ...]

    def url(self, kwargs: dict) -> str:
        return "/" + self.url_format % kwargs


def url_routes(resolver=None, route="", regex="", namespace="") -> list[Route]:
    """Every endpoint of the URL conf, with the format Django's reverse() would fill."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        part = entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            routes += url_routes(entry, route + str(entry.pattern), regex + part, inner)
            continue
        ((url_format, params),) = normalize(regex + part)
        name = f"{namespace}:{entry.name}".lstrip(":") if entry.name else ""
        routes.append(Route(route + str(entry.pattern), name, url_format, tuple(params)))
    return routes


# --- Filling a route's parameters with demo objects ---------------------------------------------


def _segment_before(route: str, param: str) -> str:
    """The literal path segment before a parameter: "reports" for reports/<int:pk>/."""
    if f"<{param}>" in route:
        position = route.index(f"<{param}>")
    else:
        position = route.rfind("<", 0, route.index(f":{param}>"))
    pieces = [piece.split("(")[0].lstrip("^") for piece in route[:position].split("/")]
    pieces = [piece for piece in pieces if piece and "<" not in piece]
    return pieces[-1] if pieces else ""


def _varied(queryset, state: str | None = None, limit: int = MAX_ATTEMPTS) -> list:
    """The newest object of each `state`: a page that only some states have (a draft's edit
    form, a submitted application's review) finds one within a few attempts."""
    if state is None:
        return list(queryset.order_by("-pk").values_list("pk", flat=True)[:limit])
    newest = queryset.order_by().values(state).annotate(newest=Max("pk"))
    return sorted((row["newest"] for row in newest), reverse=True)[:limit]


def _place_slug(chosen: dict) -> str:
    # Workspace and public pages (/p/) alike name the place `place_slug`.
    return chosen["place_slug"]


def _public_places(chosen, user):
    # Places whose public page is on (anyone), then the others (their managers' preview).
    return list(
        Place.objects.order_by("-public_page_enabled", "pk").values_list("slug", flat=True)[:2]
    )


def _tip_tokens(chosen, user):
    tips = PublicTip.objects.filter(place__slug=_place_slug(chosen))
    pks = _varied(tips, "status")
    return list(tips.filter(pk__in=pks).order_by("-pk").values_list("token", flat=True))


def _public_photos(chosen, user):
    items = ActionItem.objects.filter(
        place__slug=_place_slug(chosen), is_public=True, photo_is_public=True
    ).exclude(photo="")
    return _varied(items, limit=1)


def _places(chosen, user):
    # The place with the most going on shows the most of every page.
    places = Place.objects.visible_to(user) if user else Place.objects.all()
    ranked = places.annotate(events=Count("incidents", distinct=True)).order_by("-events", "pk")
    return list(ranked.values_list("slug", flat=True)[:3])


def _in_place(model, state: str | None = None, prefer: Q | None = None):
    """Objects of the chosen place; with `prefer`, the newest such object first (an action
    item with a photo shows the photo on its page)."""

    def candidates(chosen, user):
        objects = model.objects.filter(place__slug=_place_slug(chosen))
        first = _varied(objects.filter(prefer), limit=1) if prefer is not None else []
        return first + [pk for pk in _varied(objects, state) if pk not in first]

    return candidates


def _scenarios(chosen, user):
    return _varied(Scenario.objects.filter(plan__place__slug=_place_slug(chosen)))


def _applications(chosen, user):
    applications = PartnershipApplication.objects.all()
    return _varied(applications.visible_to(user) if user else applications, "status")


def _of_application(model, state: str | None = None):
    def candidates(chosen, user):
        return _varied(model.objects.filter(application_id=chosen["pk"]), state)

    return candidates


def _collaborators(chosen, user):
    application = PartnershipApplication.objects.get(pk=chosen["pk"])
    return list(application.collaborators.values_list("pk", flat=True)[:MAX_ATTEMPTS])


def _co_applicant_requests(chosen, user):
    parties = ApplicationParty.objects.all()
    return _varied(parties.requests_to(user) if user else parties, "consent")


def _application_steps(chosen, user):
    return list(STEP_KEYS)


def _questions(chosen, user):
    return _varied(Question.objects.filter(survey_id=chosen["pk"]), "kind")


def _text_answers(chosen, user):
    answers = Answer.objects.filter(question__survey_id=chosen["pk"]).exclude(value_text="")
    return _varied(answers, "is_flagged")


def _payments(chosen, user):
    return _varied(Payment.objects.filter(commitment_id=chosen["pk"]))


def _survey_tokens(chosen, user):
    surveys = Survey.objects.filter(is_template=False)
    pks = _varied(surveys, "status")
    return list(surveys.filter(pk__in=pks).order_by("-pk").values_list("public_token", flat=True))


def _api_tokens(chosen, user):
    # A person's own tokens (the revoke form posts here; the crawl only opens pages).
    tokens = ApiToken.objects.filter(user=user) if user else ApiToken.objects.all()
    return list(tokens.order_by("pk").values_list("pk", flat=True)[:1])


def _invitation_tokens(chosen, user):
    # A pending invitation first (the page an invitee sees), then used ones.
    invitations = Invitation.objects.order_by("-accepted_at", "-revoked_at", "-pk")
    return list(invitations.values_list("token", flat=True)[:2])


def _email_confirmation_keys(chosen, user):
    addresses = EmailAddress.objects.filter(user=user) if user else EmailAddress.objects.all()
    return [EmailConfirmationHMAC(address).key for address in addresses.order_by("pk")[:1]]


def _password_reset_user(chosen, user):
    return [user_pk_to_url_str(user or User.objects.order_by("pk").first())]


def _password_reset_key(chosen, user):
    person = User.objects.get(pk=url_str_to_user_pk(chosen["uidb36"]))
    return [default_token_generator.make_token(person)]


def _admin_app_labels(chosen, user):
    return sorted({model._meta.app_label for model in admin.site._registry})


def _admin_objects(model):
    def candidates(chosen, user):
        return _varied(model._default_manager.all())

    return candidates


def _content_types(chosen, user):
    return [ContentType.objects.get_for_model(Place).pk]


def _viewed_on_site(chosen, user):
    model = ContentType.objects.get(pk=chosen["content_type_id"]).model_class()
    return _varied(model._default_manager.all())


# (the literal segment before the parameter, the parameter) → candidates(chosen, user).
# A new URL parameter must be added here: the crawl fails on one it cannot fill.
KWARG_CANDIDATES: dict[tuple[str, str], Callable] = {
    ("places", "place_slug"): _places,
    ("activities", "pk"): _in_place(Activity, "kind"),
    ("action-items", "pk"): _in_place(ActionItem, "status", prefer=~Q(photo="")),
    ("plan", "pk"): _in_place(PlannedActivity),
    ("incidents", "pk"): _in_place(Incident, "visibility"),
    ("import", "pk"): _in_place(IncidentImport, "status"),
    ("reports", "pk"): _in_place(SituationReport, "kind"),
    ("interventions", "pk"): _in_place(Intervention, "comparison"),
    ("social-outcomes", "pk"): _in_place(SocialOutcome),
    ("scenarios", "pk"): _scenarios,
    ("alerts", "pk"): _in_place(Alert),
    ("surveys", "pk"): _in_place(Survey, "status"),
    ("questions", "question_pk"): _questions,
    ("answers", "answer_pk"): _text_answers,
    ("invitations", "pk"): _in_place(Invitation, "role"),
    ("people", "pk"): _in_place(PlaceRole, "role"),
    ("organisations", "pk"): _in_place(Membership, "role"),
    ("commitments", "pk"): _in_place(FundingCommitment, "status"),
    ("payments", "payment_pk"): _payments,
    # A person's own data as a download (not a page: the crawl skips it by its content type).
    ("my-data.", "fmt"): lambda chosen, user: ["json", "csv"],
    ("api-tokens", "pk"): _api_tokens,
    # Open311 requests are action items (answered to a token, not to the crawl's session).
    ("requests", "pk"): lambda chosen, user: list(
        ActionItem.objects.order_by("-pk").values_list("pk", flat=True)[:1]
    ),
    ("applications", "pk"): _applications,
    ("requests", "party_pk"): _co_applicant_requests,
    ("parties", "party_pk"): _of_application(ApplicationParty, "role"),
    ("editors", "user_pk"): _collaborators,
    ("attachments", "attachment_pk"): _of_application(ApplicationAttachment),
    ("edit", "step"): _application_steps,
    ("s", "token"): _survey_tokens,
    # The public side (issue #14).
    ("p", "place_slug"): _public_places,
    ("tip", "token"): _tip_tokens,
    ("photos", "pk"): _public_photos,
    ("tips", "pk"): _in_place(PublicTip, "status"),
    ("webhooks", "pk"): _in_place(Webhook),
    ("invitations", "token"): _invitation_tokens,
    ("confirm-email", "key"): _email_confirmation_keys,
    ("key", "uidb36"): _password_reset_user,
    ("key", "key"): _password_reset_key,
    ("admin", "app_label"): _admin_app_labels,
    # The admin's catch-all: an app's address without its slash, which it redirects.
    ("admin", "url"): _admin_app_labels,
    ("r", "content_type_id"): _content_types,
    ("r", "object_id"): _viewed_on_site,
}
# Parameters whose every value is a page of its own (each step of the application form).
EVERY_VALUE = {("edit", "step")}


class UnknownParameter(Exception):
    pass


def _admin_model(route: Route):
    parts = route.route.split("/")
    if parts[0] != "admin" or len(parts) < 3:
        return None
    for model in admin.site._registry:
        if (model._meta.app_label, model._meta.model_name) == (parts[1], parts[2]):
            return model
    return None


def candidates_for(route: Route, param: str) -> tuple[tuple[str, str], Callable]:
    model = _admin_model(route)
    if model is not None and param in ("object_id", "id"):
        return ("admin", param), _admin_objects(model)
    key = (_segment_before(route.route, param), param)
    if key not in KWARG_CANDIDATES:
        raise UnknownParameter(
            f"The crawl cannot fill <{param}> in {route.route!r}: add {key!r} to "
            "KWARG_CANDIDATES in tests/e2e/crawl/routes.py (which demo object belongs there)."
        )
    return key, KWARG_CANDIDATES[key]


def kwarg_candidates(route: Route, user) -> list[tuple[tuple, dict]]:
    """(variant, kwargs) to try in order; a variant is a distinct page of the route."""
    resolvers = [(param, *candidates_for(route, param)) for param in route.params]
    found: list[tuple[tuple, dict]] = []
    per_variant: dict[tuple, int] = defaultdict(int)

    def fill(index, chosen, variant):
        if per_variant[variant] >= MAX_ATTEMPTS:
            return
        if index == len(resolvers):
            per_variant[variant] += 1
            found.append((variant, dict(chosen)))
            return
        param, key, candidates = resolvers[index]
        for value in candidates(chosen, user):
            chosen[param] = value
            fill(index + 1, chosen, variant + ((param, value),) if key in EVERY_VALUE else variant)
            del chosen[param]

    fill(0, {}, ())
    return found
