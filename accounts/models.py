import contextlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.se import orgnr

from .bounds import (
    validate_event_datetime,
    validate_planning_datetime,
    validate_storable_json,
)


def validate_org_number(value):
    """Swedish organisationsnummer: ten digits with a Luhn check digit."""
    try:
        orgnr.validate(value)
    except Exception:
        raise ValidationError(
            _("%(value)s is not a valid Swedish organisationsnummer (NNNNNN-NNNN)."),
            params={"value": value},
            code="invalid_org_number",
        ) from None


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROPERTY_OWNER = "property_owner", _("Property owner")
        BUSINESS = "business", _("Business")
        MUNICIPALITY = "municipality", _("Municipality")
        POLICE = "police", _("Police")
        HOUSING_COMPANY = "housing_company", _("Housing company")
        ASSOCIATION = "association", _("Association")
        SECURITY_COMPANY = "security_company", _("Security company")
        PUBLIC_TRANSPORT = "public_transport", _("Public transport")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisationsnummer"), max_length=11, unique=True, validators=[validate_org_number]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        # The table kept its name when the model moved here from partnerships (issue #12):
        # every row and foreign key stayed where it was.
        db_table = "partnerships_organisation"

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.org_number:
            # An invalid number is reported by the field validator.
            with contextlib.suppress(Exception):
                self.org_number = orgnr.format(self.org_number)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The e-mail address is the login; there is no username.

    `organisation` is whom the person acts for in partnership applications, which belong to
    no place. It grants nothing at a place: whom someone represents there is their
    `PlaceRole.organisation`, set per place (architecture §4).
    """

    class Language(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.SWEDISH
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation in applications"),
        help_text=_(
            "The organisation this person applies for in partnership applications. It gives "
            "no rights at any place: whom a person represents at a place is set on their role "
            "there."
        ),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
    )
    report_notifications = models.BooleanField(
        _("e-mail me when a situation report is ready"), default=True
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(
        _("date joined"), default=timezone.now, validators=[validate_event_datetime]
    )
    # Redeclared from AbstractBaseUser for the bound on what the admin may type.
    last_login = models.DateTimeField(
        _("last login"), blank=True, null=True, validators=[validate_event_datetime]
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    @classmethod
    def stand_in(cls, key: int | None) -> "User":
        """An unsaved person carrying only what the `visible_to` rules read: their key, and
        staff when there is none – so a statement built for the stand-in is the person's
        (`amp_platform.raw_sql.rows_for_viewer`)."""
        return cls(pk=key, is_staff=key is None)

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]


class ApiScope(models.TextChoices):
    """What a token may do. Each API endpoint names the one scope it needs; the owner's roles
    still decide which places and rows that reaches (architecture §4)."""

    PLACES_READ = "places:read", _("Read places and their boundaries")
    FIGURES_READ = "figures:read", _("Read figures and situation reports")
    INCIDENTS_READ = "incidents:read", _("Read incidents")
    INCIDENTS_WRITE = "incidents:write", _("Log incidents")
    ACTIVITIES_READ = "activities:read", _("Read activities")
    ACTIVITIES_WRITE = "activities:write", _("Log activities")
    ACTION_ITEMS_READ = "action_items:read", _("Read action items")
    ACTION_ITEMS_WRITE = "action_items:write", _("Create action items (Open311)")
    SURVEYS_READ = "surveys:read", _("Read survey results (aggregates)")


def _default_scopes():
    return []


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens not revoked and not expired, of active accounts."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token: it acts as its owner, never as more (architecture §4).

    Only a SHA-256 digest of the secret is stored; the secret is shown once, when the token is
    made. The secret holds 256 random bits, so a fast digest is enough (no password hashing:
    nothing to guess). `prefix` is the secret's first characters, shown to tell tokens apart.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(
        _("scopes"), default=_default_scopes, blank=True, validators=[validate_storable_json]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), validators=[validate_planning_datetime])
    last_used_at = models.DateTimeField(
        _("last used"), null=True, blank=True, validators=[validate_event_datetime]
    )
    revoked_at = models.DateTimeField(
        _("revoked"), null=True, blank=True, validators=[validate_event_datetime]
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def scope_labels(self) -> list[str]:
        labels = dict(ApiScope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes or []]


class ApiIdempotencyKey(models.Model):
    """The answer to a POST sent with an `Idempotency-Key` header, kept per token: the same
    key sent again gets the same answer and creates nothing (the unique constraint makes two
    concurrent sends write one row; the object and its key are saved in one transaction)."""

    token = models.ForeignKey(
        ApiToken, on_delete=models.CASCADE, related_name="idempotency_keys", verbose_name=_("token")
    )
    key = models.CharField(_("key"), max_length=200)
    # The method, path and body digest: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(
        _("status code"), validators=[MinValueValidator(100), MaxValueValidator(599)]
    )
    response = models.JSONField(_("response"), default=dict, validators=[validate_storable_json])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_key_unique")
        ]

    def __str__(self):
        return self.key
