"""Members page of a place: organisations, people and their roles, invitations.

Everyone with a role sees the member organisations and the people; managers also see e-mail
addresses and invitations, and change things (architecture §4).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from places.access import place_access
from places.forms import add_service_errors
from places.links import site_root
from places.models import PlaceRole

from ..forms.members import InvitationForm, MembershipEndForm, MembershipForm, PlaceRoleForm
from ..models import Invitation, Membership
from ..queries.members import place_invitations, place_memberships, place_people
from ..services import members as services


def _members_url(place):
    return redirect("members:member_list", place_slug=place.slug)


def _context(access, **extra):
    return {"place": access.place, "access": access, "active_tab": "members", **extra}


@login_required
@require_GET
def member_list(request, place_slug):
    """Member organisations (current and past), people with their roles, and invitations."""
    access = place_access(request.user, place_slug, require="reader")
    place = access.place
    memberships = list(place_memberships(place=place))
    context = _context(
        access,
        current_memberships=[m for m in memberships if m.until is None],
        past_memberships=[m for m in memberships if m.until is not None],
        people=place_people(place=place),
        role_choices=PlaceRole.Role.choices,
    )
    if access.is_manager:
        context["invitations"] = place_invitations(place=place)
    return render(request, "partnerships/members/member_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, place_slug):
    """A manager invites a person by e-mail to a role; the link is mailed on commit."""
    access = place_access(request.user, place_slug, require="manager")
    form = InvitationForm(request.POST or None, place=access.place)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                place=access.place,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
                base_url=site_root(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s. The link is valid for 14 days.")
                % {"email": invitation.email},
            )
            return _members_url(access.place)
    return render(request, "partnerships/members/invitation_form.html", _context(access, form=form))


def _place_invitation(access, pk):
    return get_object_or_404(Invitation, place=access.place, pk=pk)


@login_required
@require_POST
def invitation_resend(request, place_slug, pk):
    access = place_access(request.user, place_slug, require="manager")
    invitation = _place_invitation(access, pk)
    try:
        services.invitation_resend(invitation=invitation, base_url=site_root(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was sent again with a new link, valid 14 days.")
            % {"email": invitation.email},
        )
    return _members_url(access.place)


@login_required
@require_POST
def invitation_revoke(request, place_slug, pk):
    access = place_access(request.user, place_slug, require="manager")
    invitation = _place_invitation(access, pk)
    try:
        services.invitation_revoke(invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was revoked; its link no longer works.")
            % {"email": invitation.email},
        )
    return _members_url(access.place)


def _place_role(access, pk):
    return get_object_or_404(PlaceRole.objects.select_related("user"), place=access.place, pk=pk)


@login_required
@require_POST
def place_role_change(request, place_slug, pk):
    """Change a person's role (a select and a button on each row of the people list)."""
    access = place_access(request.user, place_slug, require="manager")
    place_role = _place_role(access, pk)
    form = PlaceRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return _members_url(access.place)
    try:
        place_role = services.place_role_change(
            place_role=place_role, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s now has the role %(role)s.")
            % {"person": place_role.user, "role": place_role.get_role_display()},
        )
    stepped_down = (
        place_role.user_id == request.user.id
        and not access.is_staff
        and place_role.role != PlaceRole.Role.MANAGER
    )
    if stepped_down:
        # A manager who stepped down can no longer manage members.
        return redirect("places:overview", place_slug=access.place.slug)
    return _members_url(access.place)


@login_required
@require_http_methods(["GET", "POST"])
def place_role_remove(request, place_slug, pk):
    """Confirm, then take a person's access to the place away."""
    access = place_access(request.user, place_slug, require="manager")
    place_role = _place_role(access, pk)
    error = None
    if request.method == "POST":
        try:
            services.place_role_remove(place_role=place_role)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                _("%(person)s no longer has access to %(place)s.")
                % {"person": place_role.user, "place": access.place},
            )
            if place_role.user_id == request.user.id and not access.is_staff:
                return redirect("places:home")
            return _members_url(access.place)
    return render(
        request,
        "partnerships/members/place_role_remove.html",
        _context(access, place_role=place_role, error=error),
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_create(request, place_slug):
    """An organisation joins the partnership: one from the register or a new one."""
    access = place_access(request.user, place_slug, require="manager")
    form = MembershipForm(request.POST or None, place=access.place)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("organisation"):
                membership = services.membership_create(
                    place=access.place,
                    organisation=data["organisation"],
                    role=data["role"],
                    since=data["since"],
                )
            else:
                membership = services.organisation_create_member(
                    place=access.place,
                    name=data["name"],
                    org_number=data["org_number"],
                    kind=data["kind"],
                    role=data["role"],
                    since=data["since"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s is now a member.") % {"organisation": membership.organisation},
            )
            return _members_url(access.place)
    return render(request, "partnerships/members/membership_form.html", _context(access, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request, place_slug, pk):
    """An organisation leaves on a date; the membership stays in the history."""
    access = place_access(request.user, place_slug, require="manager")
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"), place=access.place, pk=pk
    )
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(membership=membership, until=form.cleaned_data["until"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The membership of %(organisation)s has ended.")
                % {"organisation": membership.organisation},
            )
            return _members_url(access.place)
    return render(
        request,
        "partnerships/members/membership_end.html",
        _context(access, form=form, membership=membership),
    )
