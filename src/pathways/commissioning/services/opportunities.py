"""Opportunities from draft to award: creating and changing them, their lots and criteria, and every move
between states.

    draft ─publish─▶ forthcoming ─open─▶ open ─(deadline passes: close)─▶ closed ─▶ under evaluation ─▶ awarded
      └─────publish open for bids──────────▲
    any state before awarded ─cancel (with a reason)─▶ cancelled

Each move is one service: it checks the person may make it, changes state in one transaction, and writes
the audit entry. ``by=None`` means Pathways itself (the periodic job that closes opportunities, a command).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record, changes_between
from pathways.core.errors import DomainError
from pathways.organisations.models import Place
from pathways.taxonomy.models import Term

from .. import permissions, sealing
from ..models import AwardStatus, Criterion, Lot, Opportunity, OpportunityStatus, PriceFormula
from .proportionality import warnings_to_acknowledge

PATHWAYS_VOCABULARY = "pathways"

# The fields a publisher edits directly on an opportunity; buyer, pathways and areas are passed apart.
OPPORTUNITY_FIELDS = [
    "title", "summary", "description", "procedure",
    "value_minimum", "value_maximum", "duration_months",
    "contact_name", "contact_email",
    "engagement_closes_at", "clarifications_close_at", "deadline", "award_expected_on", "contract_starts_on",
    "standstill_working_days",
    "insurance_required", "turnover_multiple", "accreditations_required", "payment_by_results_percent",
]

# The key dates in the order they must come, with the words that name them in messages.
DATE_LABELS = {
    "engagement_closes_at": "the date market engagement closes",
    "clarifications_close_at": "the date clarifications close",
    "deadline": "the deadline for bids",
    "award_expected_on": "the date the award is expected",
    "contract_starts_on": "the date the contract starts",
}

# States in which the whole opportunity may still change, lots and criteria included.
SHAPING = frozenset({OpportunityStatus.DRAFT, OpportunityStatus.FORTHCOMING})
# States in which its details (not lots or criteria) may still change.
EDITABLE = SHAPING | {OpportunityStatus.OPEN}
BEFORE_AWARD = frozenset({
    OpportunityStatus.DRAFT, OpportunityStatus.FORTHCOMING, OpportunityStatus.OPEN, OpportunityStatus.CLOSED,
    OpportunityStatus.EVALUATION,
})


class OpportunityProblems(DomainError):
    """Several things are wrong at once: ``problems`` is [(field, message)], each for the person to fix."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems[0][1], field=problems[0][0])
        self.problems = problems


# Helpers ------------------------------------------------------------------------------------------------

def check_manager(by, opportunity: Opportunity) -> None:
    if by is not None and not permissions.can_manage_opportunity(by, opportunity):
        raise PermissionDenied


def opportunity_lock(opportunity: Opportunity) -> None:
    """Hold the opportunity's row until the transaction ends, and read it afresh (two people pressing
    publish at once make one change, not two)."""
    Opportunity.objects.select_for_update().filter(pk=opportunity.pk).values_list("pk", flat=True).first()
    opportunity.refresh_from_db()


def opportunity_audit(*, by, opportunity: Opportunity, action=AuditAction.CHANGED, target=None, changes=None, reason=""):
    audit_record(
        actor=by, action=action, target=target if target is not None else opportunity,
        acting_for=permissions.acting_organisation(by, opportunity) if by is not None else None,
        owner=opportunity.buyer, changes=changes, reason=reason,
    )


def _local_date(moment: datetime):
    return timezone.localtime(moment).date()


def snapshot(opportunity: Opportunity) -> dict:
    """The opportunity as people read it, for the audit entry's list of changes."""
    data = {}
    for name in OPPORTUNITY_FIELDS:
        value = getattr(opportunity, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else (str(value) if value is not None else None)
    data["buyer"] = str(opportunity.buyer) if opportunity.buyer_id else None
    if opportunity.pk:
        data["pathways"] = sorted(opportunity.terms.values_list("code", flat=True))
        data["areas"] = sorted(opportunity.areas.values_list("name", flat=True))
    return data


def _dates_problems(opportunity: Opportunity) -> list[tuple[str, str]]:
    """Each key date that is out of order, named by its field."""
    problems = []
    moments = [
        (name, getattr(opportunity, name))
        for name in ("engagement_closes_at", "clarifications_close_at", "deadline")
    ]
    given = [(name, value) for name, value in moments if value is not None]
    for (earlier, earlier_value), (later, later_value) in zip(given, given[1:]):
        if later_value <= earlier_value:
            problems.append((later, f"{DATE_LABELS[later].capitalize()} must be after {DATE_LABELS[earlier]}"))
    award, starts, deadline = opportunity.award_expected_on, opportunity.contract_starts_on, opportunity.deadline
    if award is not None and deadline is not None and award <= _local_date(deadline):
        problems.append(("award_expected_on", f"{DATE_LABELS['award_expected_on'].capitalize()} must be after "
                                              f"{DATE_LABELS['deadline']}"))
    if starts is not None:
        if award is not None and starts < award:
            problems.append(("contract_starts_on", f"{DATE_LABELS['contract_starts_on'].capitalize()} must be "
                                                   f"the same as or after {DATE_LABELS['award_expected_on']}"))
        elif award is None and deadline is not None and starts <= _local_date(deadline):
            problems.append(("contract_starts_on", f"{DATE_LABELS['contract_starts_on'].capitalize()} must be "
                                                   f"after {DATE_LABELS['deadline']}"))
    return problems


def _field_problems(opportunity: Opportunity) -> list[tuple[str, str]]:
    problems = []
    try:
        opportunity.full_clean(exclude=["buyer", "agency", "reference", "terms", "areas", "created_by"],
                               validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.extend((field, message) for message in messages)
    for name in ("value_minimum", "value_maximum", "insurance_required", "turnover_multiple"):
        value = getattr(opportunity, name)
        if value is not None and value < 0:
            problems.append((name, "Enter an amount of 0 or more"))
    low, high = opportunity.value_minimum, opportunity.value_maximum
    if low is not None and high is not None and low > high:
        problems.append(("value_maximum", "The highest value must be the same as or more than the lowest value"))
    return problems + _dates_problems(opportunity)


def _pathway_terms(terms) -> list[Term]:
    terms = list(terms)
    if any(term.vocabulary.code != PATHWAYS_VOCABULARY for term in terms):
        raise DomainError("Choose only resettlement pathways.", field="terms")
    return terms


def _apply(opportunity: Opportunity, fields: dict) -> None:
    for name, value in fields.items():
        if name not in OPPORTUNITY_FIELDS:
            raise ValueError(f"{name} is not a field of an opportunity that can be changed here")
        setattr(opportunity, name, value)
    for name in ("title", "summary", "description", "contact_name", "contact_email", "accreditations_required"):
        value = getattr(opportunity, name)
        if isinstance(value, str):
            setattr(opportunity, name, value.strip())


def _next_reference(now: datetime) -> str:
    prefix = f"PW-{now:%Y}-"
    taken = Opportunity.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(ref[len(prefix):]) for ref in taken if ref[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


# Creating and changing ------------------------------------------------------------------------------------

@transaction.atomic
def opportunity_create(*, by, buyer, agency=None, terms=(), areas=(), **fields) -> Opportunity:
    """A new draft for ``buyer``: by one of its commissioners, or by the agency (``agency``) for it."""
    if by is not None and not permissions.can_create_opportunity(by, buyer=buyer, agency=agency):
        raise PermissionDenied
    if agency is not None and not agency.type.can_act_as_agency:
        raise DomainError(f"{agency} cannot act as the bidding agency.", field="agency")
    if not buyer.type.can_commission:
        raise DomainError(f"{buyer} is not an organisation that commissions.", field="buyer")
    now = timezone.now()
    opportunity = Opportunity(buyer=buyer, agency=agency, created_by=by, created_at=now)
    _apply(opportunity, fields)
    if problems := _field_problems(opportunity):
        raise OpportunityProblems(problems)
    terms = _pathway_terms(terms)
    for _attempt in range(5):
        opportunity.reference = _next_reference(now)
        try:
            with transaction.atomic():
                opportunity.save()
            break
        except IntegrityError:
            # Someone else took the reference in the meantime: take the next one.
            opportunity.pk = None
            continue
    else:
        raise DomainError("Pathways could not give the opportunity a reference. Try again.")
    opportunity.terms.set(terms)
    opportunity.areas.set(areas)
    opportunity_audit(by=by, opportunity=opportunity, action=AuditAction.CREATED, changes=changes_between({}, snapshot(opportunity)))
    return opportunity


@transaction.atomic
def opportunity_update(*, opportunity: Opportunity, by, terms=None, areas=None, **fields) -> Opportunity:
    """Change the details. Lots and criteria are fixed once bids are invited; the deadline then only moves later."""
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    if opportunity.status not in EDITABLE or opportunity.current_status() not in EDITABLE:
        raise DomainError(
            f"This opportunity is {opportunity.get_status_display().lower()}: its details can no longer change."
        )
    before = snapshot(opportunity)
    saved_deadline = opportunity.deadline
    _apply(opportunity, fields)
    problems = _field_problems(opportunity)
    if opportunity.status == OpportunityStatus.OPEN:
        if opportunity.deadline is None or (saved_deadline is not None and opportunity.deadline < saved_deadline):
            problems.append(("deadline", "Once bids are invited the deadline can only move later: bidders are "
                                         "working to it"))
    if problems:
        raise OpportunityProblems(problems)
    opportunity.save()
    if terms is not None:
        opportunity.terms.set(_pathway_terms(terms))
    if areas is not None:
        opportunity.areas.set(areas)
    changes = changes_between(before, snapshot(opportunity))
    if changes:
        opportunity_audit(by=by, opportunity=opportunity, changes=changes)
    return opportunity


# Publishing and moving between states ----------------------------------------------------------------------

def criteria_weight_total(opportunity: Opportunity) -> int:
    return opportunity.criteria.aggregate(total=Sum("weight"))["total"] or 0


def contact_email_for(opportunity: Opportunity) -> str:
    """Where bidders write: the named contact, else the agency's, else the buyer's address."""
    if opportunity.contact_email:
        return opportunity.contact_email
    if opportunity.agency_id and opportunity.agency.email:
        return opportunity.agency.email
    return opportunity.buyer.email


def publish_problems(*, opportunity: Opportunity, open_for_bids: bool, now: datetime | None = None) -> list[tuple[str, str]]:
    """What must be put right before the opportunity can be published (as forthcoming, or open for bids)."""
    now = now or timezone.now()
    problems = []
    if not opportunity.summary.strip():
        problems.append(("summary", "Write a plain-language summary of what is being bought and why"))
    if not opportunity.terms.exists():
        problems.append(("terms", "Choose at least one resettlement pathway, so the right organisations hear of it"))
    if not opportunity.areas.exists():
        problems.append(("areas", "Choose at least one area where the work will be done"))
    if opportunity.value_maximum is None:
        problems.append(("value_maximum", "Enter the most the contract may be worth, even as an estimate"))
    if not contact_email_for(opportunity):
        problems.append(("contact_email", "Give an email address where bidders can ask questions"))
    problems += _dates_problems(opportunity)
    if open_for_bids:
        if opportunity.deadline is None:
            problems.append(("deadline", "Set the deadline for bids"))
        elif opportunity.deadline <= now:
            problems.append(("deadline", "The deadline for bids must be in the future"))
        if opportunity.clarifications_close_at is not None and opportunity.clarifications_close_at <= now:
            problems.append(("clarifications_close_at", "The date clarifications close must be in the future"))
        total = criteria_weight_total(opportunity)
        if not opportunity.criteria.exists():
            problems.append(("criteria", "Add the criteria bids will be scored on"))
        elif total != 100:
            problems.append(("criteria", f"The criteria's weights add up to {total}%. They must add up to 100%"))
        lots_total = opportunity.lots.aggregate(total=Sum("value_maximum"))["total"]
        if lots_total and opportunity.value_maximum is not None and lots_total > opportunity.value_maximum:
            problems.append(("lots", "The lots' values add up to more than the most the contract may be worth"))
    return problems


def _acknowledge(*, opportunity: Opportunity, by, acknowledged, reason: str, now: datetime) -> list[dict]:
    """Record the proportionality warnings the publisher considered; refuse if any was not ticked."""
    pending = warnings_to_acknowledge(opportunity=opportunity, now=now)
    if not pending:
        return []
    missing = [warning for warning in pending if warning.code not in set(acknowledged)]
    if missing:
        raise DomainError(
            "Tick each warning to say you have considered it, or change the requirements first: "
            + ", ".join(warning.title.lower() for warning in missing) + ".",
            field="acknowledged",
        )
    records = [warning.as_record() for warning in pending]
    opportunity.proportionality_acknowledged = [*(opportunity.proportionality_acknowledged or []), *records]
    opportunity.proportionality_acknowledged_by = by
    opportunity.proportionality_acknowledged_at = now
    opportunity.proportionality_reason = (reason or "").strip()
    return records


def _keys_create(opportunity: Opportunity) -> None:
    if opportunity.sealing_public_key:
        return
    keys = sealing.keys_create(opportunity_id=str(opportunity.uuid))
    opportunity.sealing_public_key = keys.public_key
    opportunity.sealing_private_key = keys.wrapped_private_key


def _move(*, opportunity, by, to: str, now, reason: str = "", extra: dict | None = None) -> None:
    before = opportunity.status
    opportunity.status = to
    opportunity.save()
    changes = {"status": [before, to], **(extra or {})}
    opportunity_audit(by=by, opportunity=opportunity, changes=changes, reason=reason)


@transaction.atomic
def opportunity_publish(*, opportunity: Opportunity, by, open_for_bids: bool = False, acknowledged=(),
                        reason: str = "", now: datetime | None = None) -> Opportunity:
    """Publish a draft: as forthcoming (the pipeline, for market engagement) or straight open for bids.

    Creates the opportunity's sealing keys. Any proportionality warning must be in ``acknowledged`` (its
    code); what was acknowledged, and ``reason``, are recorded.
    """
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    now = now or timezone.now()
    if opportunity.status != OpportunityStatus.DRAFT:
        raise DomainError("This opportunity has already been published.")
    if problems := publish_problems(opportunity=opportunity, open_for_bids=open_for_bids, now=now):
        raise OpportunityProblems(problems)
    records = _acknowledge(opportunity=opportunity, by=by, acknowledged=acknowledged, reason=reason, now=now)
    _keys_create(opportunity)
    opportunity.published_at = now
    if open_for_bids:
        opportunity.open_for_bids_at = now
    extra = {"proportionality warnings acknowledged": [None, [r["message"] for r in records]]} if records else {}
    _move(opportunity=opportunity, by=by, now=now, reason=reason if records else "",
          to=OpportunityStatus.OPEN if open_for_bids else OpportunityStatus.FORTHCOMING, extra=extra)
    return opportunity


@transaction.atomic
def opportunity_open(*, opportunity: Opportunity, by, acknowledged=(), reason: str = "",
                     now: datetime | None = None) -> Opportunity:
    """Invite bids on a forthcoming opportunity."""
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    now = now or timezone.now()
    if opportunity.status != OpportunityStatus.FORTHCOMING:
        raise DomainError("Only a forthcoming opportunity can be opened for bids.")
    if problems := publish_problems(opportunity=opportunity, open_for_bids=True, now=now):
        raise OpportunityProblems(problems)
    records = _acknowledge(opportunity=opportunity, by=by, acknowledged=acknowledged, reason=reason, now=now)
    _keys_create(opportunity)
    opportunity.open_for_bids_at = now
    extra = {"proportionality warnings acknowledged": [None, [r["message"] for r in records]]} if records else {}
    _move(opportunity=opportunity, by=by, now=now, to=OpportunityStatus.OPEN, reason=reason if records else "",
          extra=extra)
    return opportunity


@transaction.atomic
def opportunity_close(*, opportunity: Opportunity, by=None, now: datetime | None = None) -> Opportunity:
    """Close an open opportunity once its deadline has passed (never before: bids may come until then)."""
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    now = now or timezone.now()
    if opportunity.status != OpportunityStatus.OPEN:
        raise DomainError("Only an opportunity open for bids can be closed.")
    if opportunity.deadline is None or opportunity.deadline > now:
        raise DomainError("Bids can still be sent until the deadline: the opportunity closes when it passes.")
    opportunity.closed_at = now
    _move(opportunity=opportunity, by=by, now=now, to=OpportunityStatus.CLOSED)
    return opportunity


def opportunities_close_due(*, now: datetime | None = None) -> int:
    """Close every open opportunity whose deadline has passed; each in its own transaction. Run by the
    periodic job (``tasks.close_opportunities_past_deadline``); safe to run twice or on two machines."""
    now = now or timezone.now()
    closed = 0
    due = Opportunity.objects.filter(status=OpportunityStatus.OPEN, deadline__lte=now).order_by("deadline", "pk")
    for opportunity in due.select_related("buyer", "agency"):
        try:
            opportunity_close(opportunity=opportunity, by=None, now=now)
        except DomainError:
            continue  # closed by another run in the meantime
        closed += 1
    return closed


@transaction.atomic
def opportunity_evaluation_start(*, opportunity: Opportunity, by, now: datetime | None = None) -> Opportunity:
    """Begin evaluating the bids of a closed opportunity (one whose deadline has passed)."""
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    now = now or timezone.now()
    if opportunity.current_status(now) != OpportunityStatus.CLOSED:
        raise DomainError("Evaluation starts once the opportunity has closed.")
    if opportunity.status == OpportunityStatus.OPEN:
        opportunity_close(opportunity=opportunity, by=by, now=now)
    opportunity.evaluation_started_at = now
    _move(opportunity=opportunity, by=by, now=now, to=OpportunityStatus.EVALUATION)
    return opportunity


@transaction.atomic
def opportunity_award(*, opportunity: Opportunity, by, now: datetime | None = None) -> Opportunity:
    """Mark an opportunity under evaluation as awarded. The awards work calls this, in its own transaction,
    when the award is confirmed after standstill."""
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    now = now or timezone.now()
    if opportunity.status != OpportunityStatus.EVALUATION:
        raise DomainError("Only an opportunity under evaluation can be awarded.")
    opportunity.awarded_at = now
    _move(opportunity=opportunity, by=by, now=now, to=OpportunityStatus.AWARDED)
    return opportunity


@transaction.atomic
def opportunity_cancel(*, opportunity: Opportunity, by, reason: str, now: datetime | None = None) -> Opportunity:
    """Cancel at any point before award: with lots, only until one lot's award is confirmed (its contract is
    made). The reason is shown to everyone who can see the opportunity."""
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    now = now or timezone.now()
    reason = (reason or "").strip()
    if opportunity.status not in BEFORE_AWARD:
        raise DomainError(f"This opportunity is {opportunity.get_status_display().lower()}: it cannot be cancelled.")
    confirmed = opportunity.awards.filter(status=AwardStatus.CONFIRMED).select_related("lot").first()
    if confirmed is not None:
        raise DomainError(f"The award for {confirmed.lot} is confirmed and its contract made, so the opportunity "
                          "cannot be cancelled. End each remaining lot without an award instead.")
    if not reason:
        raise DomainError("Give the reason for cancelling: bidders and the public will read it.", field="reason")
    opportunity.cancelled_at = now
    opportunity.cancelled_by = by
    opportunity.cancelled_reason = reason
    _move(opportunity=opportunity, by=by, now=now, to=OpportunityStatus.CANCELLED, reason=reason)
    return opportunity


# Lots and criteria: fixed once bids are invited ------------------------------------------------------------

def _check_shaping(opportunity: Opportunity, what: str) -> None:
    if opportunity.status not in SHAPING:
        raise DomainError(
            f"{what} cannot change once bids are invited: bidders are writing to them. Cancel the opportunity "
            f"and publish a new one if they must change."
        )


def _lot_problems(opportunity: Opportunity, title: str, value_maximum) -> list[tuple[str, str]]:
    problems = []
    if not (title or "").strip():
        problems.append(("title", "Enter the lot's title"))
    if value_maximum is not None:
        if value_maximum < 0:
            problems.append(("value_maximum", "Enter an amount of 0 or more"))
        elif opportunity.value_maximum is not None and value_maximum > opportunity.value_maximum:
            problems.append(("value_maximum", "A lot cannot be worth more than the whole opportunity"))
    return problems


@transaction.atomic
def lot_add(*, opportunity: Opportunity, by, title: str, description: str = "", value_maximum=None,
            areas=()) -> Lot:
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    _check_shaping(opportunity, "Lots")
    if problems := _lot_problems(opportunity, title, value_maximum):
        raise OpportunityProblems(problems)
    number = (opportunity.lots.aggregate(n=Max("number"))["n"] or 0) + 1
    lot = Lot.objects.create(opportunity=opportunity, number=number, title=title.strip(),
                             description=description.strip(), value_maximum=value_maximum)
    lot.areas.set(areas)
    opportunity_audit(by=by, opportunity=opportunity, action=AuditAction.CREATED, target=lot,
           changes={"lot": [None, str(lot)]})
    return lot


@transaction.atomic
def lot_update(*, lot: Lot, by, title: str, description: str = "", value_maximum=None, areas=()) -> Lot:
    opportunity = lot.opportunity
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    _check_shaping(opportunity, "Lots")
    if problems := _lot_problems(opportunity, title, value_maximum):
        raise OpportunityProblems(problems)
    before = {"title": lot.title, "description": lot.description, "value_maximum": str(lot.value_maximum),
              "areas": sorted(lot.areas.values_list("name", flat=True))}
    lot.title, lot.description, lot.value_maximum = title.strip(), description.strip(), value_maximum
    lot.save()
    lot.areas.set(areas)
    after = {"title": lot.title, "description": lot.description, "value_maximum": str(lot.value_maximum),
             "areas": sorted(Place.objects.filter(pk__in=[a.pk for a in areas]).values_list("name", flat=True))}
    if changes := changes_between(before, after):
        opportunity_audit(by=by, opportunity=opportunity, target=lot, changes=changes)
    return lot


@transaction.atomic
def lot_remove(*, lot: Lot, by) -> None:
    """Remove a lot; the lots after it move up a number, so they stay 1, 2, 3."""
    opportunity = lot.opportunity
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    _check_shaping(opportunity, "Lots")
    label, number = str(lot), lot.number
    opportunity_audit(by=by, opportunity=opportunity, action=AuditAction.REMOVED, target=lot, changes={"lot": [label, None]})
    lot.delete()
    for later in opportunity.lots.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])


def _criterion_problems(opportunity: Opportunity, *, criterion: Criterion | None, title: str, weight,
                        is_price: bool, price_formula: str, word_limit) -> list[tuple[str, str]]:
    problems = []
    if not (title or "").strip():
        problems.append(("title", "Enter what the criterion is, like “Quality of support”"))
    if weight is None or not 1 <= weight <= 100:
        problems.append(("weight", "Enter a weight between 1 and 100"))
    else:
        others = opportunity.criteria.exclude(pk=criterion.pk if criterion else None)
        total = (others.aggregate(total=Sum("weight"))["total"] or 0) + weight
        if total > 100:
            problems.append(("weight", f"The weights would add up to {total}%. They must add up to 100%: lower "
                                       f"this weight or another one"))
    if is_price:
        if price_formula not in PriceFormula.values:
            problems.append(("price_formula", "Choose how price will be turned into points"))
        other_price = opportunity.criteria.filter(is_price=True).exclude(pk=criterion.pk if criterion else None).first()
        if other_price is not None:
            problems.append(("is_price", f"“{other_price.title}” is already the price criterion. An opportunity has "
                                         f"one at most"))
    if word_limit is not None and word_limit < 1:
        problems.append(("word_limit", "Enter a word limit of 1 or more, or leave it empty"))
    return problems


def _criterion_values(criterion: Criterion) -> dict:
    return {"title": criterion.title, "guidance": criterion.guidance, "weight": criterion.weight,
            "word_limit": criterion.word_limit, "is_price": criterion.is_price,
            "price_formula": criterion.price_formula}


@transaction.atomic
def criterion_add(*, opportunity: Opportunity, by, title: str, weight: int, guidance: str = "",
                  word_limit: int | None = None, is_price: bool = False, price_formula: str = "") -> Criterion:
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    _check_shaping(opportunity, "Criteria")
    if problems := _criterion_problems(opportunity, criterion=None, title=title, weight=weight, is_price=is_price,
                                       price_formula=price_formula, word_limit=word_limit):
        raise OpportunityProblems(problems)
    position = (opportunity.criteria.aggregate(n=Max("position"))["n"] or 0) + 1
    criterion = Criterion.objects.create(
        opportunity=opportunity, position=position, title=title.strip(), guidance=(guidance or "").strip(),
        weight=weight, word_limit=None if is_price else word_limit, is_price=is_price,
        price_formula=price_formula if is_price else "",
    )
    opportunity_audit(by=by, opportunity=opportunity, action=AuditAction.CREATED, target=criterion,
           changes=changes_between({}, _criterion_values(criterion)))
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, by, title: str, weight: int, guidance: str = "",
                     word_limit: int | None = None, is_price: bool = False, price_formula: str = "") -> Criterion:
    opportunity = criterion.opportunity
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    _check_shaping(opportunity, "Criteria")
    if problems := _criterion_problems(opportunity, criterion=criterion, title=title, weight=weight,
                                       is_price=is_price, price_formula=price_formula, word_limit=word_limit):
        raise OpportunityProblems(problems)
    before = _criterion_values(criterion)
    criterion.title, criterion.guidance, criterion.weight = title.strip(), (guidance or "").strip(), weight
    criterion.is_price = is_price
    criterion.word_limit = None if is_price else word_limit
    criterion.price_formula = price_formula if is_price else ""
    criterion.save()
    if changes := changes_between(before, _criterion_values(criterion)):
        opportunity_audit(by=by, opportunity=opportunity, target=criterion, changes=changes)
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: Criterion, by) -> None:
    opportunity = criterion.opportunity
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    _check_shaping(opportunity, "Criteria")
    opportunity_audit(by=by, opportunity=opportunity, action=AuditAction.REMOVED, target=criterion,
           changes={"criterion": [str(criterion), None]})
    criterion.delete()


def deadline_passed(opportunity: Opportunity, now: datetime | None = None) -> bool:
    """Whether bids are now refused: the bids work asks this with the server's clock."""
    now = now or timezone.now()
    return opportunity.deadline is not None and opportunity.deadline <= now
