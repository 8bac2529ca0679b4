import datetime as dt

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .forms import AccountDeleteForm, ApiTokenForm, UserSettingsForm, add_service_errors
from .models import ApiToken
from .tokens import api_token_create
from .tokens import api_token_revoke as revoke_token


@login_required
@require_http_methods(["GET", "POST"])
def user_settings(request):
    """A person's own settings: name, language, report e-mails; their data and account."""
    form = UserSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.preferred_language)
        messages.success(request, _("Your settings were saved."))
        response = redirect("accounts:settings")
        response.set_cookie("django_language", user.preferred_language, samesite="Lax")
        return response
    return render(request, "accounts/settings.html", {"form": form})


EXPORTS = {
    "json": ("application/json; charset=utf-8", services.personal_data_json),
    "csv": ("text/csv; charset=utf-8", services.personal_data_csv),
}


@login_required
@require_GET
def data_export(request, fmt):
    """Everything the platform links to the signed-in person, as JSON or CSV (GDPR art. 15
    and 20), streamed."""
    if fmt not in EXPORTS:
        raise Http404
    content_type, produce = EXPORTS[fmt]
    response = StreamingHttpResponse(produce(user=request.user), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Delete one's own account (GDPR art. 17); what the person logged stays, without them."""
    refusals = services.account_deletion_refusals(user=request.user)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and not refusals and form.is_valid():
        try:
            services.account_delete(user=request.user)
        except ValidationError as error:
            refusals = error.messages
        else:
            logout(request)
            messages.success(
                request,
                _("Your account is deleted. What you logged stays, without your name."),
            )
            return redirect("places:home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "refusals": refusals},
        status=400 if request.method == "POST" else 200,
    )


# --- Personal API tokens (issue #15) -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The person's API tokens: make one (its secret shown once, on this answer only), see
    when each was last used, revoke."""
    form = ApiTokenForm(request.POST or None)
    secret = None
    refused = request.method == "POST"
    if request.method == "POST" and form.is_valid():
        expires_at = timezone.now() + dt.timedelta(days=form.cleaned_data["expires_in_days"])
        try:
            token, secret = api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=expires_at,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The token “%(name)s” is made. Copy it now: it is not shown again.")
                % {"name": token.name},
            )
            form = ApiTokenForm()
            refused = False
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "secret": secret, "now": timezone.now()},
        status=400 if refused else 200,
    )
    # The secret is on this page once: no cache, no back-button copy.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request, pk):
    """Revoke one of one's own tokens (another person's token is a 404)."""
    token = get_object_or_404(ApiToken, user=request.user, pk=pk)
    revoke_token(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")
