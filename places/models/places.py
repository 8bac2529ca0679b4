"""Places and the roles people have at them: Place, PlaceRole, the role ranks and abilities, and
PlaceScopedQuerySet (the one rule for rows that belong to a place)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

from ..geo import boundary_centre, validate_boundary

# Role ranks: manager ⊃ reporter ⊃ reader (architecture §4).
ROLE_RANK = {"reader": 1, "reporter": 2, "manager": 3}


# What each role can do at a place, in one sentence: the welcome after joining, the invitation
# page and its e-mail all say the same (one definition).
ROLE_ABILITIES = {
    "reader": _(
        "You can read the lägesbild, the dashboard, activities and action items of the place."
    ),
    "reporter": _(
        "You can log activities and incidents from your phone, record findings and update the "
        "action items of your organisation, and read everything a reader reads."
    ),
    "manager": _(
        "You can run the place: log and import incidents, plan activities, manage action items, "
        "invite people, manage member organisations and follow the funding."
    ),
}


def role_abilities(role: str) -> str:
    return str(ROLE_ABILITIES.get(role, ""))


def roles_at_least(role: str) -> list[str]:
    return [name for name, rank in ROLE_RANK.items() if rank >= ROLE_RANK[role]]


class PlaceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        """Places the user has a role in; staff see all (architecture §4)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(roles__user=user).distinct()

    def with_role_at_least(self, user, role: str):
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(roles__user=user, roles__role__in=roles_at_least(role)).distinct()


class Place(models.Model):
    class Kind(models.TextChoices):
        SQUARE = "square", _("Square")
        STREET = "street", _("Street")
        CENTRE = "centre", _("Centre")
        DISTRICT = "district", _("District")
        PARK = "park", _("Park")
        STATION = "station", _("Station")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SQUARE)
    municipality = models.CharField(_("municipality"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        validators=[validate_boundary],
        help_text=_("GeoJSON Polygon or MultiPolygon in longitude/latitude (WGS 84)."),
    )
    centre_lat = models.FloatField(
        _("centre latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    centre_lon = models.FloatField(
        _("centre longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The public page (/p/<slug>/) and tips from the public (issue #14): off until a manager
    # switches it on after previewing it.
    public_page_enabled = models.BooleanField(_("public page on"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("places:overview", kwargs={"place_slug": self.slug})

    def clean(self):
        super().clean()
        if self.boundary and (self.centre_lat is None or self.centre_lon is None):
            centre = boundary_centre(self.boundary)
            if centre:
                self.centre_lat, self.centre_lon = centre


class PlaceRoleQuerySet(models.QuerySet):
    def managers(self):
        return self.filter(role=PlaceRole.Role.MANAGER)

    def representing_police(self):
        """Roles whose organisation represented is a police organisation.

        The one definition of "police" (architecture §4): it holds at the role's place only. The
        account's own organisation (`User.organisation`) never makes anyone police anywhere.
        """
        return self.filter(organisation__kind=Organisation.Kind.POLICE)


class PlaceRole(models.Model):
    """The only thing that grants a person access to a place (architecture §4).

    `organisation` is who the person represents at this place, and only here: it decides whom
    they report for, which commitments they see, which action items they answer for and
    whether they see restricted incidents as police.
    """

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        REPORTER = "reporter", _("Reporter")
        READER = "reader", _("Reader")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="place_roles",
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.READER)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation represented"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="place_roles",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlaceRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("place role")
        verbose_name_plural = _("place roles")
        ordering = ["place__name", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "place"], name="placerole_unique_user_place"),
            models.CheckConstraint(
                condition=Q(role__in=["manager", "reporter", "reader"]),
                name="placerole_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.place} ({self.get_role_display()})"

    def allows(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


class PlaceScopedQuerySet(models.QuerySet):
    """Rows that belong to a place: a person sees those of the places they may see (one rule,
    architecture §4). `place_lookup` is the path to the place when it is not `place`."""

    place_lookup = "place"

    def visible_to(self, user):
        return self.filter(**{f"{self.place_lookup}__in": Place.objects.visible_to(user)})
