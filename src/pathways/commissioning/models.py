"""The bidders portal: opportunities from pipeline to award, interest and alerts, the approved list,
consortia, clarifications, sealed bids, conflict-free panels, inquisitorial evaluation, moderation,
awards and the contracts handed to the contracting cycle.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

# A contract shorter than this is short-term: the case study found that one- and two-year contracts
# keep small organisations from planning, keeping staff and investing in quality (section 4.2).
SHORT_TERM_MONTHS = 36
STANDSTILL_WORKING_DAYS = 8


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FORTHCOMING = "forthcoming", "Forthcoming"
    OPEN = "open", "Open for bids"
    CLOSED = "closed", "Closed"
    EVALUATION = "evaluation", "Under evaluation"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"


# Published states: everyone may see an opportunity in one of these (a cancelled one only if it was published).
PUBLIC_STATUSES = frozenset({
    OpportunityStatus.FORTHCOMING, OpportunityStatus.OPEN, OpportunityStatus.CLOSED,
    OpportunityStatus.EVALUATION, OpportunityStatus.AWARDED, OpportunityStatus.CANCELLED,
})


class Procedure(models.TextChoices):
    OPEN = "open", "Open competition"
    MINI_COMPETITION = "mini_competition", "Mini-competition from the approved list"
    GRANT_ROUND = "grant_round", "Grant round"


class PriceFormula(models.TextChoices):
    """How a price criterion turns a bid's price into points, stated to bidders before they bid."""

    LOWEST_RATIO = "lowest_ratio", "Lowest price ÷ bid price × weight"
    DIFFERENCE = "difference", "Weight × (1 − (bid price − lowest price) ÷ lowest price)"


class OpportunityQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: published at some time, whatever happened since. Drafts never."""
        return self.filter(published_at__isnull=False).exclude(status=OpportunityStatus.DRAFT)


class Opportunity(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What is being bought and why, in plain words.")
    description = models.TextField(blank=True)
    buyer = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="opportunities_bought"
    )
    agency = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
        related_name="opportunities_run", help_text="The neutral bidding agency running it for the buyer.",
    )
    status = models.CharField(max_length=12, choices=OpportunityStatus.choices, default=OpportunityStatus.DRAFT)
    procedure = models.CharField(max_length=20, choices=Procedure.choices, default=Procedure.OPEN)
    # Terms of the "pathways" vocabulary: the resettlement pathways the work serves.
    terms = models.ManyToManyField("taxonomy.Term", blank=True, related_name="opportunities")
    areas = models.ManyToManyField("organisations.Place", blank=True, related_name="opportunities")
    value_minimum = models.DecimalField(max_digits=12, decimal_places=0, null=True, blank=True)
    value_maximum = models.DecimalField(max_digits=12, decimal_places=0, null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(240)])

    # Who bidders ask (the buyer's or the agency's general contact details otherwise)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)

    # Key dates, in the order they must come
    engagement_closes_at = models.DateTimeField(null=True, blank=True, help_text="Market engagement ends.")
    clarifications_close_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True, help_text="Bids must be in before this moment.")
    award_expected_on = models.DateField(null=True, blank=True)
    contract_starts_on = models.DateField(null=True, blank=True)
    standstill_working_days = models.PositiveSmallIntegerField(default=STANDSTILL_WORKING_DAYS)

    # What is asked of bidders, for the proportionality check
    insurance_required = models.DecimalField(
        max_digits=12, decimal_places=0, null=True, blank=True,
        help_text="The highest insurance cover asked for (professional indemnity, public liability).",
    )
    turnover_multiple = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True,
        help_text="Annual turnover asked for, as a multiple of the contract's yearly value.",
    )
    accreditations_required = models.TextField(blank=True)
    payment_by_results_percent = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)], help_text="Share of payment that depends on results."
    )
    # Proportionality warnings the publisher saw and chose to publish anyway: [{"code", "message"}].
    proportionality_acknowledged = models.JSONField(default=list, blank=True)
    proportionality_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proportionality_acknowledged_at = models.DateTimeField(null=True, blank=True)
    proportionality_reason = models.TextField(blank=True)

    # The bidding key: bids are sealed to its public half; the private half is wrapped (sealing.py).
    sealing_public_key = models.BinaryField(null=True, editable=False)
    sealing_private_key = models.BinaryField(null=True, editable=False)
    # When the sealed bids were opened, after the deadline, and by whom.
    bids_opened_at = models.DateTimeField(null=True, blank=True)
    bids_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # When each state was reached
    published_at = models.DateTimeField(null=True, blank=True)
    open_for_bids_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    evaluation_started_at = models.DateTimeField(null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_reason = models.TextField(blank=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name_plural = "opportunities"
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value_minimum__isnull=True) | models.Q(value_maximum__isnull=True)
                | models.Q(value_minimum__lte=models.F("value_maximum")),
                name="opportunity_value_range_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_short_term(self) -> bool:
        return self.duration_months < SHORT_TERM_MONTHS

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.status in PUBLIC_STATUSES

    @property
    def yearly_value(self) -> Decimal | None:
        value = self.value_maximum or self.value_minimum
        return None if value is None else value * 12 / self.duration_months

    def current_status(self, now=None) -> str:
        """The status as it stands now: open with its deadline passed is closed, even before the job runs."""
        now = now or timezone.now()
        if self.status == OpportunityStatus.OPEN and self.deadline is not None and self.deadline <= now:
            return OpportunityStatus.CLOSED
        return self.status


class Lot(models.Model):
    """A part of the opportunity bid for, evaluated and awarded on its own."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    value_maximum = models.DecimalField(max_digits=12, decimal_places=0, null=True, blank=True)
    areas = models.ManyToManyField("organisations.Place", blank=True, related_name="+")
    # Ended without an award (no acceptable bid): when, by whom, and why, in words bidders and the public read.
    not_awarded_at = models.DateTimeField(null=True, blank=True)
    not_awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    not_awarded_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["opportunity", "number"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "number"], name="lot_number_unique")]

    def __str__(self):
        return f"Lot {self.number}: {self.title}"


class Criterion(models.Model):
    """What bids are scored on, with its weight; one criterion may be price, scored by a stated formula."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, help_text="What a good answer shows.")
    weight = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(100)])
    word_limit = models.PositiveIntegerField(null=True, blank=True)
    is_price = models.BooleanField(default=False)
    price_formula = models.CharField(max_length=20, choices=PriceFormula.choices, blank=True)

    class Meta:
        ordering = ["opportunity", "position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity"], condition=models.Q(is_price=True), name="criterion_one_price"
            ),
            models.CheckConstraint(
                condition=(models.Q(is_price=True) & ~models.Q(price_formula=""))
                | (models.Q(is_price=False) & models.Q(price_formula="")),
                name="criterion_price_has_formula",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.weight}%)"


class OpportunityDocument(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="opportunities/%Y/", max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["opportunity", "uploaded_at", "pk"]

    def __str__(self):
        return self.title


# Interest and alerts ---------------------------------------------------------------------------------

class AlertFrequency(models.TextChoices):
    AT_ONCE = "at_once", "As soon as an opportunity is published"
    WEEKLY = "weekly", "In a weekly digest"
    NEVER = "never", "No emails"


class InterestProfile(models.Model):
    """What an organisation wants to hear about."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="interest_profile"
    )
    terms = models.ManyToManyField("taxonomy.Term", blank=True, related_name="+")
    areas = models.ManyToManyField("organisations.Place", blank=True, related_name="+")
    value_minimum = models.DecimalField(max_digits=12, decimal_places=0, null=True, blank=True)
    value_maximum = models.DecimalField(max_digits=12, decimal_places=0, null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=AlertFrequency.choices, default=AlertFrequency.AT_ONCE)
    open_to_partners = models.BooleanField(
        default=False, help_text="Other organisations may find it in the partner finder and get in touch."
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class Notification(models.Model):
    """That an organisation was told about an opportunity, and how: the first of the fairness figures."""

    class Channel(models.TextChoices):
        ALERT = "alert", "Alert"
        DIGEST = "digest", "Weekly digest"
        INVITATION = "invitation", "Invitation from the approved list"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="notifications")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "organisation", "channel"], name="notification_once")
        ]


class Interest(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="interests")
    visible_to_partners = models.BooleanField(default=False, help_text="Other bidders may see it and get in touch.")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opportunity", "organisation"], name="interest_once")]


# The approved list -----------------------------------------------------------------------------------

class ApprovalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for review"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for more evidence"
    EXPIRED = "expired", "Expired"


class ApprovedListEntry(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="approved_list_entries"
    )
    agency = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    terms = models.ManyToManyField("taxonomy.Term", blank=True, related_name="+")
    areas = models.ManyToManyField("organisations.Place", blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    expires_on = models.DateField(null=True, blank=True)
    renewal_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "approved list entries"


class EvidenceKind(models.TextChoices):
    POLICY = "policy", "Policy"
    INSURANCE = "insurance", "Insurance"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    REFERENCE = "reference", "Reference"
    ACCOUNTS = "accounts", "Accounts"


class ApprovalEvidence(models.Model):
    entry = models.ForeignKey(ApprovedListEntry, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=15, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="approved-list/%Y/", blank=True)
    # The file as the applicant uploaded it: its name, and its type as found from its content.
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    expires_on = models.DateField(null=True, blank=True)


# Consortia --------------------------------------------------------------------------------------------

class Consortium(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="consortia")
    name = models.CharField(max_length=200)
    lead = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    agreement_recorded_at = models.DateTimeField(null=True, blank=True)
    agreement_summary = models.TextField(blank=True, help_text="What the members agreed: roles, money, risks.")
    agreement_document = models.FileField(upload_to="consortia/%Y/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "consortia"

    def __str__(self):
        return self.name


class MemberRole(models.TextChoices):
    LEAD = "lead", "Lead"
    MEMBER = "member", "Member"
    SUBCONTRACTOR = "subcontractor", "Subcontractor"


class ConsortiumMember(models.Model):
    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=15, choices=MemberRole.choices, default=MemberRole.MEMBER)
    share_of_work_percent = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    share_of_value_percent = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consortium", "organisation"], name="consortium_member_once")
        ]


# Clarifications ---------------------------------------------------------------------------------------

class Clarification(models.Model):
    """A bidder's question, asked privately; the answer is published to every interested bidder, without
    saying who asked."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="clarifications")
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_for = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    published_question = models.TextField(blank=True, help_text="The question as published, with anything that would identify the bidder taken out.")
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opportunity", "asked_at"]


# Sealed bids -------------------------------------------------------------------------------------------

class BidStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Bid(models.Model):
    """A bid: drafted in the open by its own organisation, then sealed whole when submitted.

    On submission the sections, the price and the attachments are sealed to the opportunity's key and
    the readable draft is cleared; the bidder keeps a receipt with the hash of what was sealed.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="bids")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="bids")
    bidder = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="bids")
    consortium = models.OneToOneField(
        Consortium, null=True, blank=True, on_delete=models.PROTECT, related_name="bid"
    )
    status = models.CharField(max_length=10, choices=BidStatus.choices, default=BidStatus.DRAFT)
    # The draft, readable by the bidder's own organisation only, cleared when sealed.
    draft = models.JSONField(default=dict, blank=True)
    sealed = models.BinaryField(null=True, editable=False)
    receipt_hash = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Found when the bids are opened: the organisations in Pathways that the bid names as subcontractors,
    # so that the panel is checked against them too.
    subcontractor_organisations = models.ManyToManyField("organisations.Organisation", blank=True, related_name="+")

    class Meta:
        # One live bid per organisation for the whole opportunity, or for each lot when it has lots.
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "bidder"], condition=~models.Q(status="withdrawn") & models.Q(lot__isnull=True),
                name="one_live_bid",
            ),
            models.UniqueConstraint(
                fields=["lot", "bidder"], condition=~models.Q(status="withdrawn") & models.Q(lot__isnull=False),
                name="one_live_bid_per_lot",
            ),
        ]


class BidAttachment(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="attachments")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Sealed with the bid: the file's name and type as well as its content.
    file = models.FileField(upload_to="bids/%Y/")
    size = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)


# Evaluation -------------------------------------------------------------------------------------------

class PanelRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    EVALUATOR = "evaluator", "Evaluator"


class PanelMember(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panels")
    role = models.CharField(max_length=10, choices=PanelRole.choices, default=PanelRole.EVALUATOR)
    criteria = models.ManyToManyField(Criterion, blank=True, related_name="+", help_text="None means all.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    declaration = models.TextField(blank=True, help_text="What the member declared, in their own words.")
    declared_no_conflict_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opportunity", "user"], name="panel_member_once")]


class Score(models.Model):
    """One evaluator's independent score for one criterion of one bid, with the reason."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    evaluator = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    justification = models.TextField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion", "evaluator"], name="score_once_per_evaluator")
        ]


class Inquiry(models.Model):
    """The inquisitorial step: the agency asks a bidder a question or visits, and the answer joins the evidence."""

    class Kind(models.TextChoices):
        QUESTION = "question", "Question to the bidder"
        VISIT = "visit", "Visit"

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="inquiries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    asked = models.TextField()
    answer = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "inquiries"


class ModeratedScore(models.Model):
    """The panel's consensus score for a criterion of a bid, with its reasons. Changing it after
    moderation needs a recorded reason (ModeratedScoreChange)."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="moderated_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="moderated_scores")
    score = models.DecimalField(max_digits=5, decimal_places=2)
    reason = models.TextField()
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moderated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "criterion"], name="moderated_once")]


class ModeratedScoreChange(models.Model):
    moderated_score = models.ForeignKey(ModeratedScore, on_delete=models.PROTECT, related_name="changes")
    before = models.DecimalField(max_digits=5, decimal_places=2)
    after = models.DecimalField(max_digits=5, decimal_places=2)
    reason = models.TextField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)


# Award and contract -------------------------------------------------------------------------------------

class AwardStatus(models.TextChoices):
    RECOMMENDED = "recommended", "Recommended by the panel"
    APPROVED = "approved", "Approved by the buyer"
    STANDSTILL = "standstill", "In standstill"
    CONFIRMED = "confirmed", "Confirmed"
    RETURNED = "returned", "Sent back by the buyer"


class AwardQuerySet(models.QuerySet):
    def live(self):
        """Recommendations still standing: not sent back by the buyer."""
        return self.exclude(status=AwardStatus.RETURNED)


class Award(models.Model):
    """A recommendation and what became of it. One sent back is kept (``returned``), with who sent it back,
    when and why, and a new recommendation is made beside it."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="awards")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="awards")
    status = models.CharField(max_length=12, choices=AwardStatus.choices, default=AwardStatus.RECOMMENDED)
    recommendation = models.TextField(help_text="Why the panel recommends this bid, in plain words.")
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    standstill_ends_at = models.DateTimeField(null=True, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=0)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True, help_text="Why the buyer sent the recommendation back.")

    objects = AwardQuerySet.as_manager()

    class Meta:
        # One recommendation standing at a time for the whole opportunity, or for each lot when it has lots.
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity"], condition=~models.Q(status="returned") & models.Q(lot__isnull=True),
                name="one_live_award",
            ),
            models.UniqueConstraint(
                fields=["lot"], condition=~models.Q(status="returned") & models.Q(lot__isnull=False),
                name="one_live_award_per_lot",
            ),
        ]


class AwardLetter(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="letters")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="letters")
    html = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["award", "bid"], name="award_letter_once")]


class ContractStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    ACTIVE = "active", "Running"
    ENDED = "ended", "Ended"
    TERMINATED = "terminated", "Ended early"


class Contract(models.Model):
    """The contract record handed to the contracting cycle after award."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="contract")
    reference = models.CharField(max_length=40, unique=True)
    buyer = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="contracts_bought")
    supplier = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="contracts_held")
    title = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=12, decimal_places=0)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=12, choices=ContractStatus.choices, default=ContractStatus.PENDING)
    signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.reference}: {self.title}"



# Help with tendering -----------------------------------------------------------------------------------

class BidReadiness(models.Model):
    """What an organisation has ready for bidding, ticked from the checklist in ``guides.checklist``."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="bid_readiness"
    )
    items = models.JSONField(default=list, blank=True, help_text="Codes of the checklist items the organisation has.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "bid readiness checklists"

    def __str__(self):
        return f"Bid readiness of {self.organisation}"


class FullCostCalculation(models.Model):
    """A full-cost-recovery calculation an organisation saved, for itself or for one opportunity, so that
    the bid can carry it. ``inputs`` are what was entered; the totals are what they came to."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="full_cost_calculations"
    )
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="full_cost_calculations"
    )
    title = models.CharField(max_length=200)
    inputs = models.JSONField(default=dict)
    term_months = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    yearly_total = models.DecimalField(max_digits=12, decimal_places=0, help_text="The full cost of a year, on average.")
    total = models.DecimalField(max_digits=12, decimal_places=0, help_text="The full cost over the whole term.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title
