"""The invitation link: /invitations/<token>/.

- Not logged in: the page names the place and role and offers to sign up or log in with the
  invited address; `next` brings the person back here afterwards (allauth keeps it through the
  e-mail verification of a new account, in the same browser).
- Logged in with the invited address: the invitation is accepted and the person lands on the
  place. Accepting on GET is safe here: only the owner of the address can accept, and the only
  effect is the role they were invited to; mail scanners that fetch links are not logged in.
- Logged in with another address, or a used, revoked or expired link: a clear message, nothing
  changes.

We deliberately do not use allauth's `stash_verified_email`: it would make the invited address
the primary address of whatever account is signed up in that session, even one typed
differently. A new account verifies its address like any other.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import Invitation
from .services.members import invitation_accept as accept_invitation
from .services.members import invitation_problem

TEMPLATE = "partnerships/members/invitation.html"


@require_GET
def invitation_accept(request, token):
    invitation = (
        Invitation.objects.select_related("place", "invited_by", "organisation")
        .filter(token=token)
        .first()
    )
    problem = invitation_problem(invitation)
    if problem:
        status = 404 if invitation is None else 410
        return render(request, TEMPLATE, {"problem": problem}, status=status)
    context = {
        "invitation": invitation,
        "expires_at": timezone.localtime(invitation.expires_at),
    }
    if not request.user.is_authenticated:
        context["signup_url"] = (
            reverse("account_signup")
            + "?"
            + urlencode({"email": invitation.email, "next": request.path})
        )
        context["login_url"] = reverse("account_login") + "?" + urlencode({"next": request.path})
        return render(request, TEMPLATE, context)
    try:
        role = accept_invitation(invitation=invitation, user=request.user)
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
        context["wrong_user"] = error.code == "wrong_user"
        return render(request, TEMPLATE, context, status=403 if context["wrong_user"] else 410)
    messages.success(
        request,
        _("Welcome to %(place)s! Your role: %(role)s.")
        % {"place": role.place, "role": role.get_role_display()},
    )
    return redirect("places:overview", slug=role.place.slug)
