"""The knowledge base: who provides what, where, for whom, funded how and under which contracts.

Modelled on Open Referral UK 3.0 (an HSDS profile) and extended for work with people in and leaving
the justice system: settings (custody, community, through the gate), referral routes, funding and the
relationships with statutory bodies, and the freshness of every record.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


class ServiceStatus(models.TextChoices):
    """Open Referral UK's service status."""

    ACTIVE = "active", "Running"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"
    INACTIVE = "inactive", "Not running"
    DEFUNCT = "defunct", "Closed for good"


class Publication(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CheckMethod(models.TextChoices):
    PROVIDER_CONFIRMED = "provider_confirmed", "Confirmed by the provider"
    CURATOR_VERIFIED = "curator_verified", "Verified by a curator"
    IMPORTED = "imported", "Imported"


class Gender(models.TextChoices):
    ANY = "any", "Anyone"
    WOMEN = "women", "Women"
    MEN = "men", "Men"


# A record unchecked for this long is stale: flagged in search and ranked lower.
STALE_AFTER = timedelta(days=365)
# Reminders go to the provider at these ages (in days) before and when the record goes stale.
REMINDER_AGES = (304, 334, 365)  # about 10, 11 and 12 months


class Service(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    publication = models.CharField(max_length=12, choices=Publication.choices, default=Publication.DRAFT)

    # Who it is for
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.ANY)
    in_custody = models.BooleanField(default=False, help_text="Works with people in prison.")
    in_community = models.BooleanField(default=False, help_text="Works with people in the community.")
    through_the_gate = models.BooleanField(default=False, help_text="Continues from custody into the community.")
    eligibility = models.TextField(blank=True, help_text="Who can use it and who cannot, in plain words.")

    # How people get to it
    self_referral = models.BooleanField(default=False)
    agency_referral = models.BooleanField(default=False, help_text="Any agency can refer.")
    statutory_referral_only = models.BooleanField(default=False)
    referral_details = models.TextField(blank=True)

    is_free = models.BooleanField(default=True)
    fees = models.TextField(blank=True, help_text="Any cost to the person, in plain words.")
    languages = models.JSONField(default=list, blank=True, help_text="Languages spoken, as names.")
    accreditations = models.TextField(blank=True)
    capacity = models.CharField(max_length=200, blank=True, help_text="How many people it can work with.")
    typical_wait_days = models.PositiveSmallIntegerField(null=True, blank=True)
    peer_led = models.BooleanField(default=False, help_text="Led or delivered by people with lived experience.")
    alert = models.CharField(max_length=300, blank=True, help_text="A short notice shown at the top.")

    terms = models.ManyToManyField("taxonomy.Term", blank=True, related_name="services")
    areas = models.ManyToManyField(
        "organisations.Place", blank=True, related_name="services", help_text="Areas and prisons served."
    )

    # Re-importing a spreadsheet or feed updates the record with the same external id.
    external_id = models.CharField(max_length=200, null=True, blank=True, unique=True)

    # Freshness
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_check_method = models.CharField(max_length=20, choices=CheckMethod.choices, blank=True)

    first_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["publication", "last_checked_at"]),
            models.Index(fields=["organisation", "publication"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_public(self) -> bool:
        return self.publication == Publication.PUBLISHED

    @property
    def is_stale(self) -> bool:
        return self.last_checked_at is None or timezone.now() - self.last_checked_at > STALE_AFTER


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "A place people can visit"
    POSTAL = "postal", "Postal address only"
    VIRTUAL = "virtual", "Online or by phone"


class Location(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="locations"
    )
    location_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    address_1 = models.CharField(max_length=200, blank=True)
    address_2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    prison = models.ForeignKey(
        "organisations.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"kind": "prison"}, help_text="If the location is inside a prison.",
    )
    accessibility = models.TextField(blank=True, help_text="Step-free access, hearing loops, and so on.")
    external_id = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self):
        return self.name


class ServiceAtLocation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="service_at_locations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="service_at_location_unique")]

    def __str__(self):
        return f"{self.service} at {self.location}"


class Attendance(models.TextChoices):
    OPENING_HOURS = "opening", "Open"
    DROP_IN = "drop_in", "Drop-in"
    APPOINTMENT = "appointment", "By appointment"


WEEKDAYS = [("MO", "Monday"), ("TU", "Tuesday"), ("WE", "Wednesday"), ("TH", "Thursday"), ("FR", "Friday"),
            ("SA", "Saturday"), ("SU", "Sunday")]


class Schedule(models.Model):
    """When a service runs: opening hours and drop-in times as well as appointments (weekly, by day)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    attendance = models.CharField(max_length=12, choices=Attendance.choices, default=Attendance.OPENING_HOURS)
    weekday = models.CharField(max_length=2, choices=WEEKDAYS)
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["service", "weekday", "opens_at"]
        indexes = [models.Index(fields=["weekday", "opens_at", "closes_at"])]

    def __str__(self):
        return f"{self.get_attendance_display()} {self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class Contact(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)

    def __str__(self):
        return self.name or self.title or self.email


class FundingKind(models.TextChoices):
    """The case study's four kinds of funding."""

    CONTRACTED = "contracted", "Contracted directly by a prison or probation service"
    POOLED = "pooled", "A pooled budget (such as Supporting People or a drug action team)"
    OTHER = "other", "Other funding (such as ESF or SRB)"
    NO_DIRECT_COST = "no_direct_cost", "No direct cost to the statutory services"


class ValueBand(models.TextChoices):
    UNDER_10K = "under_10k", "Under £10,000 a year"
    UNDER_50K = "10k_50k", "£10,000 to £50,000 a year"
    UNDER_250K = "50k_250k", "£50,000 to £250,000 a year"
    UNDER_1M = "250k_1m", "£250,000 to £1 million a year"
    OVER_1M = "over_1m", "Over £1 million a year"


class Funding(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    kind = models.CharField(max_length=20, choices=FundingKind.choices)
    funder = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="funded"
    )
    funder_name = models.CharField(max_length=200, blank=True, help_text="If the funder is not in Pathways.")
    stream = models.CharField(max_length=200, blank=True, help_text="The programme or fund.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    value_band = models.CharField(max_length=12, choices=ValueBand.choices, blank=True)

    def __str__(self):
        return f"{self.get_kind_display()}: {self.funder or self.funder_name}"


class RelationshipBasis(models.TextChoices):
    CONTRACT = "contract", "Contract"
    GRANT = "grant", "Grant"
    IN_KIND = "in_kind", "In-kind access"
    VOLUNTEERS = "volunteers", "Volunteers"


class StatutoryRelationship(models.Model):
    """Who works with what agency, and the contractual nature of that relationship."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="statutory_relationships")
    statutory_body = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="statutory_relationships"
    )
    basis = models.CharField(max_length=12, choices=RelationshipBasis.choices)
    reference = models.CharField(max_length=100, blank=True, help_text="Contract or grant reference.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.service} – {self.get_basis_display()} with {self.statutory_body}"


class ServiceVersion(models.Model):
    """Every change to a service, dated and attributed, with what changed."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=300)
    snapshot = models.JSONField()
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["service", "-number"]
        constraints = [models.UniqueConstraint(fields=["service", "number"], name="service_version_unique")]

    def __str__(self):
        return f"{self.service} version {self.number}"


class ChangeRequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for a decision"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class ChangeRequest(models.Model):
    """Anyone can report a problem or suggest a change; the provider or a curator decides, with a reason."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="change_requests")
    message = models.TextField()
    suggested_changes = models.JSONField(default=dict, blank=True)
    # The reporter's details are never shown publicly.
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"Change request for {self.service}"


class StaleReminder(models.Model):
    """A reminder sent to a provider that a record needs checking; one per record, age and check."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="stale_reminders")
    age_days = models.PositiveSmallIntegerField()
    checked_at = models.DateTimeField(help_text="The last check the reminder was about.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "age_days", "checked_at"], name="stale_reminder_once")
        ]


class PostcodeArea(models.Model):
    """A postcode or postcode district and the latitude and longitude of its centre."""

    code = models.CharField(max_length=8, primary_key=True, help_text="Upper case, no spaces: LS6 or LS61AN.")
    latitude = models.FloatField()
    longitude = models.FloatField()
    town = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return self.code


class ServiceSearchDocument(models.Model):
    """What search reads: one row for each published service, rebuilt whenever the service changes.

    ``text`` is what full-text search matches (SQLite FTS5 keeps its own index of it; PostgreSQL
    matches ``text_vector``, a GIN-indexed tsvector, and empties ``text`` once the vector is made from
    it). The facet values are tokens (``term12``, ``place42``, ``routeself``, ``settingcustody``,
    ``costfree``...) kept by facet (``pathway_tokens``, ``category_tokens``, ``group_tokens``,
    ``area_tokens``, ``feature_tokens``), which search reads into memory for its filters and counts.
    ``name`` is the service's name in lower-case words between spaces, for ranking and ordering the
    same way on every database.
    """

    service = models.OneToOneField(Service, primary_key=True, on_delete=models.CASCADE, related_name="search")
    text = models.TextField()
    pathway_tokens = models.CharField(max_length=500, blank=True, default="")
    category_tokens = models.CharField(max_length=500, blank=True, default="")
    group_tokens = models.CharField(max_length=500, blank=True, default="")
    area_tokens = models.TextField(blank=True, default="")
    feature_tokens = models.CharField(max_length=200, blank=True, default="")
    name = models.CharField(max_length=300)
    last_checked_at = models.DateTimeField(null=True)
    has_drop_in = models.BooleanField(default=False)
    text_vector = SearchVectorField(null=True)

    class Meta:
        indexes = [
            GinIndex(fields=["text_vector"], name="directory_search_text_gin"),
            models.Index(fields=["last_checked_at"]),
        ]


class ServiceSearchPoint(models.Model):
    """Where a published service can be visited, for distance search (one row for each location)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="search_points")
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"])]


class ServiceSearchGeneration(models.Model):
    """One row each time the search rows change, written in the same transaction as the change.

    Search keeps a copy of the search rows in each process's memory (selectors/search_memory.py) and
    checks it against this table at every search: the number of rows and the sum of their random
    ``nonce`` change whenever a change commits, and a change rolled back leaves them as they were.
    Rows are only ever added (old ones pruned), so writers never wait for each other here.
    """

    nonce = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)


class EvidenceStrength(models.TextChoices):
    """How strong the evidence behind a write-up is, from weakest to strongest."""

    STORIES = "stories", "Stories and feedback from people who used it"
    MONITORING = "monitoring", "Monitoring data collected by the provider"
    BEFORE_AFTER = "before_after", "Measured change before and after (such as distance travelled)"
    EVALUATED = "evaluated", "Independent evaluation"
    COMPARISON = "comparison", "Comparison with a matched group (such as a Justice Data Lab report)"


class GoodPracticeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for a curator"
    PUBLISHED = "published", "Published"
    RETURNED = "returned", "Returned to the author"


class GoodPractice(models.Model):
    """A write-up of innovation and good practice, curated before publication."""

    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What was done and what difference it made, in a few sentences.")
    body = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="What the claims rest on, with links or references.")
    evidence_strength = models.CharField(max_length=20, choices=EvidenceStrength.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="good_practice"
    )
    services = models.ManyToManyField(Service, blank=True, related_name="good_practice")
    terms = models.ManyToManyField("taxonomy.Term", blank=True, related_name="good_practice")
    areas = models.ManyToManyField("organisations.Place", blank=True, related_name="good_practice")
    status = models.CharField(max_length=12, choices=GoodPracticeStatus.choices, default=GoodPracticeStatus.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    curator_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name_plural = "good practice"

    def __str__(self):
        return self.title


class AlertFrequency(models.TextChoices):
    NEVER = "never", "No emails"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class SavedSearch(models.Model):
    """A search someone keeps, with an email when services matching it are published."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=120)
    query = models.CharField(max_length=2000, help_text="The search's address parameters.")
    frequency = models.CharField(max_length=10, choices=AlertFrequency.choices, default=AlertFrequency.WEEKLY)
    created_at = models.DateTimeField(default=timezone.now)
    last_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
