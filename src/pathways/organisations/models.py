"""Organisations, people, memberships with roles, invitations, and places.

Institutions change with each reform, so organisation types and role titles are data that a curator
extends. What a role may do is a set of capabilities, which are fixed in code because code enforces them.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Retirable(models.Model):
    """Managed-list entries are retired, never deleted, so old records still read."""

    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Capability(models.Model):
    """Something a role allows. The list is fixed by pathways.organisations.capabilities."""

    code = models.SlugField(max_length=60, primary_key=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "capabilities"

    def __str__(self):
        return self.name


class OrganisationType(Retirable):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_voluntary_sector = models.BooleanField(
        default=False, help_text="Voluntary, community and social enterprise organisations."
    )
    can_commission = models.BooleanField(
        default=False, help_text="Can publish opportunities and hold contracts as a buyer."
    )
    can_curate = models.BooleanField(default=False, help_text="Can act as curator of the knowledge base.")
    can_act_as_agency = models.BooleanField(
        default=False, help_text="Can act as the neutral bidding agency."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Role(Retirable):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    capabilities = models.ManyToManyField(Capability, blank=True, related_name="roles")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class PlaceKind(models.TextChoices):
    REGION = "region", "Region"
    PROBATION_REGION = "probation_region", "Probation area or region"
    DELIVERY_UNIT = "delivery_unit", "Probation delivery unit"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PRISON = "prison", "Prison"


class Place(Retirable):
    kind = models.CharField(max_length=30, choices=PlaceKind.choices)
    name = models.CharField(max_length=160)
    code = models.CharField(
        max_length=20, blank=True, help_text="An official code where one exists (ONS code, prison code)."
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="place_unique_name_per_kind")]

    def __str__(self):
        return self.name


class SizeBand(models.TextChoices):
    """Size by annual income, in the bands the sector's almanac uses."""

    MICRO = "micro", "Micro (under £10,000)"
    SMALL = "small", "Small (£10,000 to £100,000)"
    MEDIUM = "medium", "Medium (£100,000 to £1 million)"
    LARGE = "large", "Large (£1 million to £10 million)"
    MAJOR = "major", "Major (£10 million to £100 million)"
    SUPER_MAJOR = "super_major", "Super-major (over £100 million)"


SIZE_BAND_FLOORS = [
    (Decimal("100000000"), SizeBand.SUPER_MAJOR),
    (Decimal("10000000"), SizeBand.MAJOR),
    (Decimal("1000000"), SizeBand.LARGE),
    (Decimal("100000"), SizeBand.MEDIUM),
    (Decimal("10000"), SizeBand.SMALL),
    (Decimal("0"), SizeBand.MICRO),
]


def size_band_for(income: Decimal | None) -> SizeBand | None:
    if income is None:
        return None
    return next(band for floor, band in SIZE_BAND_FLOORS if income >= floor)


charity_number_validator = RegexValidator(
    r"^\d{6,8}(-\d{1,3})?$",
    "Enter a registered charity number of 6 to 8 digits, such as 1012345 (or 1012345-1 for a linked charity).",
)
company_number_validator = RegexValidator(
    r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$",
    "Enter a company number of 8 characters, such as 01234567 or SC123456.",
)


class Organisation(models.Model):
    # The organisation's id in open data (Open Referral UK, OCDS): kept when a feed brings one in.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    type = models.ForeignKey(OrganisationType, on_delete=models.PROTECT, related_name="organisations")
    description = models.TextField(blank=True)
    charity_number = models.CharField(max_length=12, blank=True, validators=[charity_number_validator])
    company_number = models.CharField(max_length=8, blank=True, validators=[company_number_validator])
    annual_income = models.DecimalField(
        max_digits=14, decimal_places=0, null=True, blank=True, help_text="Latest annual income in pounds."
    )
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    areas = models.ManyToManyField(Place, blank=True, related_name="organisations")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def size_band(self) -> SizeBand | None:
        return size_band_for(self.annual_income)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Clients do not have accounts: they answer through one-time links."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can use the Django admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    """A person's place in an organisation, with a role. Leaving ends it; the history stays."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(ended_at__isnull=True),
                name="membership_one_current_per_role",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.role} at {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField()
    full_name = models.CharField(max_length=200, blank=True)
    # Only a hash of the token is kept: the link in the email is the only copy of the token.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email} to {self.organisation}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.revoked_at:
            return "Withdrawn"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Waiting"
