from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import UserSettingsForm


@login_required
@require_http_methods(["GET", "POST"])
def user_settings(request):
    """A person's own settings: name, language, report e-mails."""
    form = UserSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.preferred_language)
        messages.success(request, _("Your settings were saved."))
        response = redirect("accounts:settings")
        response.set_cookie("django_language", user.preferred_language, samesite="Lax")
        return response
    return render(request, "accounts/settings.html", {"form": form})
