"""The API's common machinery (issue #15): token authentication, scopes, the per-token rate
limit, cursor pagination, structured errors and `Idempotency-Key`.

It lives in the lowest app because every app's `api.py` uses it; `amp_platform/api.py` only
assembles the apps' endpoints under `/api/v1/`.

A token acts as its owner (architecture §4): `request.user` is the owner, so every endpoint reaches
objects through the same scoped querysets and `place_access` as the pages do. The token only
narrows that further, by its scopes.
"""

import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, pagination, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.response import Response

from .models import ApiIdempotencyKey, ApiToken
from .tokens import api_token_authenticate

CENTS = Decimal("0.01")
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 200


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer amp_…` – a personal token; the request acts as its owner."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send one token after “Bearer”."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = api_token_authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid, expired or revoked."))
        # Messages in the owner's language, as their pages would be (no cookie reaches here).
        translation.activate(token.user.preferred_language)
        request._request.LANGUAGE_CODE = token.user.preferred_language
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal API token."}


class HasTokenScope(permissions.BasePermission):
    """The token must be valid and carry the scope the view names for the method
    (`required_scopes = {"GET": "incidents:read", "POST": "incidents:write"}`)."""

    message = _("This token may not do that: it lacks the scope for it.")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated()
        scopes = getattr(view, "required_scopes", {})
        scope = scopes.get(request.method) or scopes.get("GET" if request.method == "HEAD" else "")
        if scope is None:
            return True
        if token.has_scope(scope):
            return True
        self.message = _("This token lacks the scope “%(scope)s”.") % {"scope": scope}
        return False


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per minute per token; over it, 429 with `Retry-After`. Keyed by the token's id
    only: no address is read or stored (architecture §6)."""

    scope = "token"

    def get_rate(self):
        return f"{settings.API_RATE_LIMIT_PER_MINUTE}/min"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return f"api:throttle:{request.auth.pk}"


class Cursor(pagination.CursorPagination):
    """Cursor pagination: stable pages while rows are added, and no COUNT over a large table."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"

    def get_ordering(self, request, queryset, view):
        # Each list names its order (newest first, with the id to break ties).
        return tuple(getattr(view, "ordering", None) or (self.ordering,))

    def get_page_size(self, request):
        try:
            return super().get_page_size(request)
        except (OverflowError, ValueError):
            return self.page_size


def field_errors(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {"non_field_errors": list(error.messages)}


def error_body(code: str, detail, fields: dict | None = None) -> dict:
    body = {"error": {"code": code, "detail": str(detail)}}
    if fields:
        body["error"]["fields"] = {
            ("non_field_errors" if key == "__all__" else key): [str(m) for m in messages]
            for key, messages in fields.items()
        }
    return body


def exception_handler(exc, context):
    """Every error as `{"error": {"code", "detail", "fields"?}}`; a field's messages are
    under its name, so a client can show them where they belong."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        return Response(
            error_body("invalid", _("The data is not valid."), field_errors(exc)), status=400
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body(
            "invalid",
            _("The data is not valid."),
            {key: value if isinstance(value, list) else [value] for key, value in data.items()},
        )
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = error_body(codes if isinstance(codes, str) else "error", exc.detail)
    return response


def json_object(request) -> dict:
    """The request body as a JSON object, or a 400 that says so."""
    data = request.data
    if not isinstance(data, dict):
        raise exceptions.ValidationError(
            {"non_field_errors": [_("Send a JSON object.")]}, code="invalid"
        )
    return data


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.path.encode("utf-8", "surrogatepass"))
    try:
        body = json.dumps(request.data, sort_keys=True, default=str)
    except (TypeError, ValueError):
        body = repr(request.data)
    digest.update(body.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _replay(stored: ApiIdempotencyKey, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        return Response(
            error_body(
                "idempotency_key_reused",
                _("This Idempotency-Key was used for another request. Use a new key."),
            ),
            status=422,
        )
    response = Response(stored.response, status=stored.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(request, create) -> Response:
    """Run `create() -> Response` once per `Idempotency-Key` of the token.

    Without the header, `create` simply runs. With it, the first request's answer is stored
    with the key in the same transaction as what it created; a retry gets that answer back and
    creates nothing. Two concurrent sends: the unique constraint lets one commit, the other's
    transaction (with its object) is rolled back and it answers with the first one's response.
    Only successful answers are stored: a refused request may be corrected and sent again.
    """
    key = request.headers.get(IDEMPOTENCY_HEADER)
    token = request.auth
    if key is None or not isinstance(token, ApiToken):
        with transaction.atomic():
            return create()
    key = key.strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX_LENGTH or "\x00" in key:
        return Response(
            error_body(
                "invalid",
                _("The Idempotency-Key must be 1 to %(max)s characters.")
                % {"max": IDEMPOTENCY_KEY_MAX_LENGTH},
                {IDEMPOTENCY_HEADER: [_("Not a valid key.")]},
            ),
            status=400,
        )
    fingerprint = _fingerprint(request)
    stored = ApiIdempotencyKey.objects.filter(token=token, key=key).first()
    if stored is not None:
        return _replay(stored, fingerprint)
    try:
        with transaction.atomic():
            response = create()
            if 200 <= response.status_code < 300:
                with transaction.atomic():
                    ApiIdempotencyKey.objects.create(
                        token=token,
                        key=key,
                        fingerprint=fingerprint,
                        status_code=response.status_code,
                        response=json.loads(json.dumps(response.data, default=str)),
                    )
            return response
    except IntegrityError:
        stored = ApiIdempotencyKey.objects.filter(token=token, key=key).first()
        if stored is None:
            raise
        return _replay(stored, fingerprint)


# --- Writes through the pages' own forms ----------------------------------------------------

NOT_A_PERSON = "not_a_person"
_SCALARS = (str, int, float, bool)


def form_data(body: dict, *, fields, lists=(), renames=None) -> dict:
    """A JSON object as the data of one of the pages' forms, so a write through the API meets
    exactly the rules of the page: the privacy screen and its question about names, bounds,
    choices, the model's validators.

    Values must be JSON scalars (lists of scalars for `lists`); anything else is a field
    error here, before a form field could choke on it. `renames` maps an API field to its
    form field with a function turning the API's value (a category code) into the form's (a
    pk). `not_a_person: {"description": ["Drottninggatan"]}` answers the name question, as
    the page's checkboxes do.
    """
    errors = {}
    data = {}
    renames = renames or {}
    for field in fields:
        if field not in body or body[field] is None:
            continue
        value = body[field]
        if field in lists:
            if not isinstance(value, list) or not all(isinstance(v, _SCALARS) for v in value):
                errors[field] = [_("Send a list of values.")]
                continue
            if any("\x00" in str(v) for v in value):
                errors[field] = [ProhibitNullCharactersValidator.message]
                continue
            data[field] = [str(v) for v in value]
            continue
        if not isinstance(value, _SCALARS):
            errors[field] = [_("Send a single value.")]
            continue
        if isinstance(value, bool):
            data[field] = "on" if value else ""
            if not value:
                data.pop(field)
            continue
        value = str(value)
        if "\x00" in value:
            # Before any lookup: PostgreSQL refuses a NUL byte even in a query.
            errors[field] = [ProhibitNullCharactersValidator.message]
            continue
        if field in renames:
            value = renames[field](value)
            if value is None:
                errors[field] = [_("Not a known value.")]
                continue
        data[field] = value
    confirmations = body.get(NOT_A_PERSON) or {}
    if not isinstance(confirmations, dict):
        errors[NOT_A_PERSON] = [_("Send an object of field names and lists of words.")]
    else:
        for field, words in confirmations.items():
            if field not in fields:
                continue
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                errors[NOT_A_PERSON] = [_("Send an object of field names and lists of words.")]
                continue
            data[f"{field}__not_a_person"] = words
    unknown = sorted(set(body) - set(fields) - {NOT_A_PERSON})
    for field in unknown:
        errors[field] = [_("Not a field of this object.")]
    if errors:
        raise exceptions.ValidationError(errors)
    return data


class FormData(dict):
    """A dict that answers `getlist` like a QueryDict, for multiple-choice form fields."""

    def getlist(self, key, default=None):
        value = self.get(key, default if default is not None else [])
        return value if isinstance(value, list) else [value]


def form_invalid(form) -> exceptions.ValidationError:
    """A form's errors as the API's 400, each under its field (`non_field_errors` for the
    form's own)."""
    errors = {}
    for field, messages in form.errors.items():
        errors["non_field_errors" if field == "__all__" else field] = list(messages)
    return exceptions.ValidationError(errors)


def money_as_strings(value):
    """SEK amounts (keys ending in `_sek`) as strings with two decimals, as the API promises:
    a client never meets a float's rounding in money. Everything else is left as it is."""
    if isinstance(value, dict):
        return {
            key: (
                f"{Decimal(str(item)).quantize(CENTS)}"
                if key.endswith("_sek")
                and isinstance(item, int | float | Decimal | str)
                and not isinstance(item, bool)
                else money_as_strings(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [money_as_strings(item) for item in value]
    return value
