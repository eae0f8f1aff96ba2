"""Reading opportunities: the public list and its filters, an opportunity's page, the publisher's lists."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from pathways.core.errors import DomainError
from pathways.organisations.models import Organisation, Place
from pathways.taxonomy.models import Term

from ..guides import PROCEDURE_NOTES, SHORT_TERM_REASON
from ..models import (
    SHORT_TERM_MONTHS,
    Criterion,
    Lot,
    Opportunity,
    OpportunityDocument,
    OpportunityStatus,
)
from ..services.opportunities import PATHWAYS_VOCABULARY, contact_email_for, criteria_weight_total
from ..services.pricing import formula_example, formula_in_words

CLOSING_SOON_DAYS = 14

# Bands of an opportunity's value (its most, or its least when no most is stated), lower bound included.
VALUE_BANDS = [
    ("under-100k", "Under £100,000", None, Decimal(100_000)),
    ("100k-500k", "£100,000 to £500,000", Decimal(100_000), Decimal(500_000)),
    ("500k-1m", "£500,000 to £1 million", Decimal(500_000), Decimal(1_000_000)),
    ("over-1m", "Over £1 million", Decimal(1_000_000), None),
]
# The states the public can filter by, in the order a bidder cares about them.
PUBLIC_FILTER_STATUSES = [
    OpportunityStatus.OPEN, OpportunityStatus.FORTHCOMING, OpportunityStatus.CLOSED, OpportunityStatus.EVALUATION,
    OpportunityStatus.AWARDED, OpportunityStatus.CANCELLED,
]


@dataclass
class OpportunityFilters:
    query: str = ""
    statuses: list[str] = field(default_factory=list)
    pathway: Term | None = None
    area: Place | None = None
    procedure: str = ""
    value_band: str = ""
    closing_soon: bool = False


def lot_numbered(opportunity: Opportunity, number, *, required: bool = True) -> Lot | None:
    """The opportunity's lot with ``number`` (as typed, posted or sent), for the pages and the API.

    No number gives None for an opportunity without lots; for one with lots, a DomainError on ``lot`` when
    ``required`` (otherwise None, and the service says what is missing). A number it has no lot for, or
    anything that is not a number, is a DomainError on ``lot`` naming the lots there are."""
    lots = {lot.number: lot for lot in opportunity.lots.all()}
    if number in (None, "") and (not lots or not required):
        return None
    if not lots:
        raise DomainError("This opportunity has no lots", field="lot")
    try:
        return lots[int(str(number).strip())]
    except (KeyError, ValueError):
        listed = ", ".join(str(n) for n in sorted(lots))
        raise DomainError(f"Choose one of this opportunity's lots: {listed}", field="lot") from None


def with_current_status(opportunities: QuerySet, now: datetime) -> QuerySet:
    """Annotate ``current``: the state as it stands now (open past its deadline is closed)."""
    return opportunities.annotate(
        current=Case(
            When(status=OpportunityStatus.OPEN, deadline__lte=now, then=Value(OpportunityStatus.CLOSED.value)),
            default=F("status"), output_field=CharField(),
        )
    )


def related_places(place: Place) -> set[int]:
    """The place, the places it is part of, and the places within it: an opportunity for the region is
    relevant to Leeds, and one in Leeds to someone looking across the region."""
    ids = {place.pk}
    parent = place.parent
    while parent is not None and parent.pk not in ids:
        ids.add(parent.pk)
        parent = parent.parent
    frontier = {place.pk}
    while frontier:
        children = set(Place.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= children
        frontier = children
    return ids


def opportunity_list_public(*, filters: OpportunityFilters, now: datetime | None = None) -> QuerySet[Opportunity]:
    """Published opportunities matching ``filters``: open ones first (soonest deadline first), then
    forthcoming, then the rest, newest first."""
    now = now or timezone.now()
    opportunities = with_current_status(Opportunity.objects.published(), now).select_related("buyer", "agency")
    if query := filters.query.strip():
        opportunities = opportunities.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(reference__iexact=query)
            | Q(buyer__name__icontains=query)
        )
    if filters.statuses:
        opportunities = opportunities.filter(current__in=list(filters.statuses))
    if filters.pathway is not None:
        opportunities = opportunities.filter(terms=filters.pathway)
    if filters.area is not None:
        opportunities = opportunities.filter(areas__in=related_places(filters.area))
    if filters.procedure:
        opportunities = opportunities.filter(procedure=filters.procedure)
    if filters.value_band:
        band = next((b for b in VALUE_BANDS if b[0] == filters.value_band), None)
        if band is not None:
            opportunities = opportunities.annotate(value_top=Coalesce("value_maximum", "value_minimum"))
            if band[2] is not None:
                opportunities = opportunities.filter(value_top__gte=band[2])
            if band[3] is not None:
                opportunities = opportunities.filter(value_top__lt=band[3])
    if filters.closing_soon:
        opportunities = opportunities.filter(
            current=OpportunityStatus.OPEN, deadline__lte=now + timedelta(days=CLOSING_SOON_DAYS)
        )
    rank = Case(
        When(current=OpportunityStatus.OPEN, then=Value(0)),
        When(current=OpportunityStatus.FORTHCOMING, then=Value(1)),
        default=Value(2), output_field=IntegerField(),
    )
    return opportunities.distinct().annotate(rank=rank).order_by(
        "rank", F("deadline").asc(nulls_last=True), "-published_at", "pk"
    )


def opportunities_for_organisation(*, organisation: Organisation, now: datetime | None = None) -> QuerySet[Opportunity]:
    """Everything an organisation publishes as the buyer or runs as the agency, drafts included."""
    now = now or timezone.now()
    opportunities = Opportunity.objects.filter(Q(buyer=organisation) | Q(agency=organisation))
    return with_current_status(opportunities, now).select_related("buyer", "agency").order_by("-created_at", "-pk")


def buyers_for_agency() -> QuerySet[Organisation]:
    """The organisations an agency may run competitions for: those whose type commissions."""
    return Organisation.objects.filter(type__can_commission=True).select_related("type").order_by("name")


def pathway_choices() -> QuerySet[Term]:
    return Term.objects.current().filter(vocabulary__code=PATHWAYS_VOCABULARY).order_by("position", "name")


def public_area_choices() -> QuerySet[Place]:
    """Places that published opportunities are in, and the places around them."""
    return Place.objects.filter(retired_at__isnull=True).order_by("kind", "name")


# Words for pages ----------------------------------------------------------------------------------------

def pounds(value) -> str:
    return f"£{intcomma(int(value))}"


def value_in_words(low, high) -> str:
    if low is not None and high is not None:
        return pounds(high) if low == high else f"{pounds(low)} to {pounds(high)}"
    if high is not None:
        return f"Up to {pounds(high)}"
    if low is not None:
        return f"From {pounds(low)}"
    return "Not stated"


def term_in_words(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'' if years == 1 else 's'}")
    if rest:
        parts.append(f"{rest} month{'' if rest == 1 else 's'}")
    return " and ".join(parts)


def moment_in_words(moment: datetime) -> str:
    """Like “12 January 2027 at 5:30pm”, in UK time; noon is “12pm (midday)”."""
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (12, 0):
        clock = "12pm (midday)"
    elif (local.hour, local.minute) == (0, 0):
        clock = "12am (midnight)"
    else:
        hour = local.hour % 12 or 12
        clock = f"{hour}{'' if local.minute == 0 else f':{local.minute:02d}'}{'am' if local.hour < 12 else 'pm'}"
    return f"{local.day} {local:%B %Y} at {clock}"


def day_in_words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def time_left_in_words(moment: datetime | date, now: datetime) -> tuple[str, bool]:
    """(“3 weeks and 2 days left”, passed?) for a moment or a day."""
    if not isinstance(moment, datetime):
        today = timezone.localtime(now).date()
        days = (moment - today).days
        if days < 0:
            return "Passed", True
        if days == 0:
            return "Today", False
        return _days_left(days), False
    remaining = moment - now
    if remaining <= timedelta(0):
        return "Passed", True
    if remaining >= timedelta(days=1):
        return _days_left(remaining.days), False
    hours, minutes = remaining.seconds // 3600, (remaining.seconds % 3600) // 60
    if hours:
        return f"{hours} hour{'' if hours == 1 else 's'} left", False
    return f"{max(minutes, 1)} minute{'' if minutes == 1 else 's'} left", False


def _days_left(days: int) -> str:
    if days >= 14:
        weeks, rest = divmod(days, 7)
        text = f"{weeks} weeks" + (f" and {rest} day{'' if rest == 1 else 's'}" if rest else "")
        return f"{text} left"
    return f"{days} day{'' if days == 1 else 's'} left"


@dataclass(frozen=True)
class KeyDate:
    label: str
    field: str
    when: str
    left: str
    passed: bool


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    formula: str
    example: str


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str
    organisation: Organisation


@dataclass
class OpportunityPage:
    opportunity: Opportunity
    status: str
    status_label: str
    key_dates: list[KeyDate]
    lots: list[Lot]
    criteria: list[CriterionRow]
    weights_total: int
    documents: list[OpportunityDocument]
    pathways: list[Term]
    areas: list[Place]
    contact: Contact
    value: str
    term: str
    procedure_note: str
    short_term_reason: str = ""
    short_term_months: int = SHORT_TERM_MONTHS


KEY_DATES = [
    ("Market engagement closes", "engagement_closes_at"),
    ("Questions (clarifications) close", "clarifications_close_at"),
    ("Deadline for bids", "deadline"),
    ("Award expected", "award_expected_on"),
    ("Contract starts", "contract_starts_on"),
]


def key_dates(opportunity: Opportunity, now: datetime) -> list[KeyDate]:
    rows = []
    for label, name in KEY_DATES:
        value = getattr(opportunity, name)
        if value is None:
            continue
        when = moment_in_words(value) if isinstance(value, datetime) else day_in_words(value)
        left, passed = time_left_in_words(value, now)
        rows.append(KeyDate(label=label, field=name, when=when, left=left, passed=passed))
    return rows


def contact_for(opportunity: Opportunity) -> Contact:
    organisation = opportunity.agency if opportunity.agency_id else opportunity.buyer
    return Contact(
        name=opportunity.contact_name, email=contact_email_for(opportunity), phone=organisation.phone,
        organisation=organisation,
    )


def opportunity_page(*, opportunity: Opportunity, now: datetime | None = None) -> OpportunityPage:
    now = now or timezone.now()
    status = opportunity.current_status(now)
    criteria = [
        CriterionRow(
            criterion=criterion,
            formula=formula_in_words(formula=criterion.price_formula, weight=criterion.weight) if criterion.is_price else "",
            example=formula_example(formula=criterion.price_formula, weight=criterion.weight) if criterion.is_price else "",
        )
        for criterion in opportunity.criteria.all()
    ]
    return OpportunityPage(
        opportunity=opportunity,
        status=status,
        status_label=OpportunityStatus(status).label,
        key_dates=key_dates(opportunity, now),
        lots=list(opportunity.lots.prefetch_related("areas")),
        criteria=criteria,
        weights_total=criteria_weight_total(opportunity),
        documents=list(opportunity.documents.all()),
        pathways=list(opportunity.terms.order_by("position", "name")),
        areas=list(opportunity.areas.order_by("kind", "name")),
        contact=contact_for(opportunity),
        value=value_in_words(opportunity.value_minimum, opportunity.value_maximum),
        term=term_in_words(opportunity.duration_months),
        procedure_note=PROCEDURE_NOTES.get(opportunity.procedure, ""),
        short_term_reason=SHORT_TERM_REASON if opportunity.is_short_term else "",
    )


def document_get(*, opportunity: Opportunity, document_id) -> OpportunityDocument | None:
    return opportunity.documents.filter(pk=document_id).first()
