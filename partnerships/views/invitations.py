"""The invitation link: /invitations/<token>/.

- Not logged in: the page names the place and role and offers to sign up or log in with the
  invited address; `next` brings the person back here afterwards (allauth keeps it through the
  e-mail verification of a new account, in the same browser).
- Logged in with the invited address: the invitation is accepted and the person lands on the
  place. Accepting on GET is safe here: only the owner of the address can accept, and the only
  effect is the role they were invited to; mail scanners that fetch links are not logged in.
- Logged in with another address, or a used, revoked or expired link: a clear message, nothing
  changes.

A person without an account joins at /invitations/<token>/join/ in one step: name and password.
The address is the invitation's and is not typed: the link reached that inbox, so the account
starts verified and no second mail is sent. We deliberately do not use allauth's
`stash_verified_email`: it would make the invited address the primary address of whatever
account is signed up in that session, even one typed differently.

Arriving at the place, the person sees one message: welcome, and what they can do there in
their role. Messages queued on the way (allauth's "signed in as") are dropped, not stacked.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from places.forms import add_service_errors
from places.models import role_abilities

from ..forms.members import InvitationSignupForm
from ..models import Invitation
from ..services.members import invitation_accept as accept_invitation
from ..services.members import invitation_join, invitation_problem

TEMPLATE = "partnerships/members/invitation.html"
JOIN_TEMPLATE = "partnerships/members/invitation_join.html"


def _pending_invitation(token):
    invitation = (
        Invitation.objects.select_related("place", "invited_by", "organisation")
        .filter(token=token)
        .first()
    )
    return invitation, invitation_problem(invitation)


def _account_exists(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()


def _welcome(request, role):
    """The one message on arrival: what this person can do at this place in their role."""
    # Drop what was queued on the way here ("signed in as …"): one message, not three.
    for _message in messages.get_messages(request):
        pass
    messages.success(
        request,
        _("Welcome to %(place)s, %(name)s! You are %(role)s here. %(abilities)s")
        % {
            "place": role.place,
            "name": role.user.get_short_name(),
            "role": role.get_role_display().lower(),
            "abilities": role_abilities(role.role),
        },
    )
    return redirect("places:overview", place_slug=role.place.slug)


@require_GET
def invitation_accept(request, token):
    invitation, problem = _pending_invitation(token)
    if problem:
        status = 404 if invitation is None else 410
        return render(request, TEMPLATE, {"problem": problem}, status=status)
    context = {
        "invitation": invitation,
        "expires_at": timezone.localtime(invitation.expires_at),
        "abilities": role_abilities(invitation.role),
    }
    if not request.user.is_authenticated:
        if not _account_exists(invitation.email):
            context["join_url"] = reverse("invitations:join", kwargs={"token": token})
        context["login_url"] = reverse("account_login") + "?" + urlencode({"next": request.path})
        return render(request, TEMPLATE, context)
    try:
        role = accept_invitation(invitation=invitation, actor=request.user)
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
        context["wrong_user"] = error.code == "wrong_user"
        return render(request, TEMPLATE, context, status=403 if context["wrong_user"] else 410)
    return _welcome(request, role)


@require_http_methods(["GET", "POST"])
def invitation_join_view(request, token):
    """Sign up from the link in one step (name and password) and land on the place."""
    invitation, problem = _pending_invitation(token)
    if problem:
        status = 404 if invitation is None else 410
        return render(request, TEMPLATE, {"problem": problem}, status=status)
    accept_url = reverse("invitations:accept", kwargs={"token": token})
    if request.user.is_authenticated or _account_exists(invitation.email):
        # Someone with an account accepts by logging in; the link never sets a password.
        return redirect(accept_url)
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            role = invitation_join(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                language=getattr(request, "LANGUAGE_CODE", "sv"),
            )
        except IntegrityError:
            # The same address signed up in a parallel request a moment ago.
            return redirect(accept_url)
        except ValidationError as error:
            if error.code == "account_exists":
                return redirect(accept_url)
            add_service_errors(form, error)
        else:
            login(request, role.user, backend="django.contrib.auth.backends.ModelBackend")
            return _welcome(request, role)
    context = {
        "invitation": invitation,
        "expires_at": timezone.localtime(invitation.expires_at),
        "abilities": role_abilities(invitation.role),
        "form": form,
        "login_url": reverse("account_login") + "?" + urlencode({"next": accept_url}),
    }
    return render(request, JOIN_TEMPLATE, context)
