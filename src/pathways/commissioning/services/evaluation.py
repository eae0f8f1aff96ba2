"""Evaluating bids: the panel and its declarations, independent scores, the inquisitorial step and
moderation.

Each service checks who is acting, changes state in one transaction and writes the audit entry.
``by=None`` means Pathways itself (the periodic re-check of conflicts).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError
from pathways.organisations.models import User

from ..models import (
    Bid,
    BidStatus,
    Criterion,
    Inquiry,
    ModeratedScore,
    ModeratedScoreChange,
    Opportunity,
    OpportunityStatus,
    PanelMember,
    PanelRole,
    Score,
)
from ..permissions import acting_organisation
from ..permissions import evaluation as permissions
from ..selectors import evaluation as selectors

FINISHED = frozenset({OpportunityStatus.AWARDED, OpportunityStatus.CANCELLED, OpportunityStatus.DRAFT})
# Once the buyer has approved an award, the scores behind it are fixed.
FIXED_AWARD_STATUSES = frozenset({"approved", "standstill", "confirmed"})


def _audit(*, by, opportunity, target, action=AuditAction.CHANGED, changes=None, reason=""):
    audit_record(
        actor=by, action=action, target=target, owner=opportunity.buyer, changes=changes, reason=reason,
        acting_for=acting_organisation(by, opportunity) if by is not None else None,
    )


def _check_running(opportunity):
    if opportunity.status in FINISHED:
        raise DomainError(f"This opportunity is {opportunity.get_status_display().lower()}: its panel cannot change.")


def _scores_fixed(opportunity) -> bool:
    return opportunity.awards.filter(status__in=FIXED_AWARD_STATUSES).exists()


# The panel ---------------------------------------------------------------------------------------------

@transaction.atomic
def panel_member_add(*, opportunity: Opportunity, by, email: str, role: str = PanelRole.EVALUATOR,
                     criteria=()) -> PanelMember:
    """Add someone who already uses Pathways to the panel. Refused, with the reasons, when Pathways knows of
    a stake they have in a bidder."""
    if by is not None and not permissions.can_run_panel(by, opportunity):
        raise PermissionDenied
    _check_running(opportunity)
    email = (email or "").strip()
    if not email:
        raise DomainError("Enter the email address of the person to add", field="email")
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise DomainError("No one uses Pathways with that email address. Ask them to join Pathways first.",
                          field="email")
    if role not in PanelRole.values:
        raise DomainError("Choose whether they chair the panel or evaluate", field="role")
    existing = PanelMember.objects.filter(opportunity=opportunity, user=user).first()
    if existing is not None:
        if existing.removed_at is None:
            raise DomainError(f"{user.full_name or user.email} is already on the panel.", field="email")
        raise DomainError(f"{user.full_name or user.email} was removed from this panel: "
                          f"{existing.removed_reason}", field="email")
    if conflicts := selectors.conflicts_for(user, opportunity):
        raise DomainError(f"{user.full_name or user.email} cannot be on this panel. " + " ".join(conflicts),
                          field="email")
    criteria = list(criteria)
    if any(c.opportunity_id != opportunity.pk or c.is_price for c in criteria):
        raise DomainError("Choose criteria of this opportunity that the panel scores", field="criteria")
    member = PanelMember.objects.create(opportunity=opportunity, user=user, role=role, added_by=by)
    member.criteria.set(criteria)
    _audit(by=by, opportunity=opportunity, target=member, action=AuditAction.CREATED, changes={
        "panel member": [None, user.email], "role": [None, role],
        "criteria": [None, [c.title for c in criteria] or "all"],
    })
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, by, reason: str, now=None) -> PanelMember:
    opportunity = member.opportunity
    if by is not None and not permissions.can_run_panel(by, opportunity):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for removing them from the panel", field="reason")
    member = PanelMember.objects.select_for_update().get(pk=member.pk)
    if member.removed_at is not None:
        raise DomainError("They have already been removed from the panel.")
    member.removed_at = now or timezone.now()
    member.removed_reason = reason
    member.save(update_fields=["removed_at", "removed_reason"])
    _audit(by=by, opportunity=opportunity, target=member, action=AuditAction.REMOVED, reason=reason,
           changes={"panel member": [member.user.email, None]})
    return member


@transaction.atomic
def panel_declaration_sign(*, member: PanelMember, by, declaration: str, confirmed: bool, now=None) -> PanelMember:
    """The member declares, in their own words and with a tick, that they have no stake in any bidder.
    Nothing of any bid is shown to them before this."""
    if by is None or by.pk != member.user_id or member.removed_at is not None:
        raise PermissionDenied
    declaration = (declaration or "").strip()
    problems = []
    if not declaration:
        problems.append(("declaration", "Write your declaration in your own words"))
    if not confirmed:
        problems.append(("confirmed", "Tick to confirm you have no conflict of interest"))
    if problems:
        from .opportunities import OpportunityProblems

        raise OpportunityProblems(problems)
    if conflicts := selectors.conflicts_for(member.user, member.opportunity):
        raise DomainError("You cannot evaluate these bids. " + " ".join(conflicts))
    member.declaration = declaration
    member.declared_no_conflict_at = now or timezone.now()
    member.save(update_fields=["declaration", "declared_no_conflict_at"])
    _audit(by=by, opportunity=member.opportunity, target=member,
           changes={"declared no conflict of interest": [None, declaration]})
    return member


def panel_conflicts_recheck(*, opportunity: Opportunity, now=None) -> list[tuple[PanelMember, list[str]]]:
    """Check the panel again against everyone bidding (known for certain once the bids are opened) and
    remove, with the reasons, each member who has a stake. Safe to run again."""
    removed = []
    for member in selectors.panel_active(opportunity):
        if conflicts := selectors.conflicts_for(member.user, opportunity):
            reason = "A conflict of interest was found when the bids were opened. " + " ".join(conflicts)
            panel_member_remove(member=member, by=None, reason=reason, now=now)
            removed.append((member, conflicts))
    return removed


def panels_recheck_opened(*, now=None) -> int:
    """Re-check every panel whose bids are open and still being evaluated (the periodic task)."""
    count = 0
    for opportunity in Opportunity.objects.filter(
        bids_opened_at__isnull=False, status__in=[OpportunityStatus.CLOSED, OpportunityStatus.EVALUATION],
        panel__removed_at__isnull=True,
    ).distinct().select_related("buyer", "agency"):
        count += len(panel_conflicts_recheck(opportunity=opportunity, now=now))
    return count


# Independent scores -------------------------------------------------------------------------------------

def _check_bid(opportunity, bid, criterion=None):
    if bid.opportunity_id != opportunity.pk or bid.status != BidStatus.SUBMITTED:
        raise DomainError("That bid is not being evaluated here.")
    if criterion is not None and (criterion.opportunity_id != opportunity.pk or criterion.is_price):
        raise DomainError("Price is scored by its formula; choose another criterion.", field="criterion")


def _bid_lock(bid):
    """Hold the bid's row until the transaction ends, so that two people recording at once take turns."""
    Bid.objects.select_for_update().filter(pk=bid.pk).values_list("pk", flat=True).first()


def _whole_score(value) -> int:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError("Enter a score from 0 to 10", field="score") from None
    if number != number.to_integral_value() or not 0 <= number <= 10:
        raise DomainError("Enter a whole number from 0 to 10", field="score")
    return int(number)


@transaction.atomic
def score_record(*, bid: Bid, criterion: Criterion, by, score, justification: str, now=None) -> Score:
    """An evaluator's own score, 0–10, with a written justification. They may change it until the panel
    has moderated that criterion of that bid."""
    opportunity = bid.opportunity
    member = selectors.panel_member_of(by, opportunity)
    if not permissions.member_may_see_bids(member):
        raise PermissionDenied
    _check_running(opportunity)
    _check_bid(opportunity, bid, criterion)
    if criterion.pk not in {c.pk for c in selectors.criteria_for_member(member)}:
        raise DomainError("You have not been asked to score this criterion.", field="criterion")
    value = _whole_score(score)
    justification = (justification or "").strip()
    if not justification:
        raise DomainError("Write why you gave this score", field="justification")
    _bid_lock(bid)
    if ModeratedScore.objects.filter(bid=bid, criterion=criterion).exists():
        raise DomainError("The panel has already agreed this score; independent scores can no longer change.")
    existing = Score.objects.select_for_update().filter(bid=bid, criterion=criterion, evaluator=member).first()
    now = now or timezone.now()
    if existing is None:
        record = Score.objects.create(bid=bid, criterion=criterion, evaluator=member, score=value,
                                      justification=justification, submitted_at=now)
        _audit(by=by, opportunity=opportunity, target=record, action=AuditAction.CREATED,
               changes={"score": [None, value], "criterion": [None, criterion.title]})
        return record
    before = existing.score
    existing.score, existing.justification, existing.submitted_at = value, justification, now
    existing.save(update_fields=["score", "justification", "submitted_at"])
    _audit(by=by, opportunity=opportunity, target=existing, changes={"score": [before, value]})
    return existing


# The inquisitorial step ----------------------------------------------------------------------------------

@transaction.atomic
def inquiry_record(*, bid: Bid, by, kind: str, asked: str, answer: str = "", now=None) -> Inquiry:
    """The agency asks the bidder a question, or records a visit (what was looked at, and what was found)."""
    opportunity = bid.opportunity
    if by is None or not permissions.can_moderate(by, opportunity):
        raise PermissionDenied
    _check_running(opportunity)
    _check_bid(opportunity, bid)
    asked, answer = (asked or "").strip(), (answer or "").strip()
    if kind not in Inquiry.Kind.values:
        raise DomainError("Choose a question or a visit", field="kind")
    if not asked:
        raise DomainError("Write the question" if kind == Inquiry.Kind.QUESTION else "Write what the visit was for",
                          field="asked")
    if kind == Inquiry.Kind.VISIT and not answer:
        raise DomainError("Write what was found on the visit", field="answer")
    now = now or timezone.now()
    inquiry = Inquiry.objects.create(
        bid=bid, kind=kind, asked=asked, answer=answer if kind == Inquiry.Kind.VISIT else "",
        recorded_by=by, asked_at=now, answered_at=now if kind == Inquiry.Kind.VISIT else None,
    )
    _audit(by=by, opportunity=opportunity, target=inquiry, action=AuditAction.CREATED,
           changes={kind: [None, asked], "bidder": [None, bid.bidder.name]})
    return inquiry


@transaction.atomic
def inquiry_answer(*, inquiry: Inquiry, by, answer: str, now=None) -> Inquiry:
    """The bidder's manager answers a question the agency asked; the answer joins the evidence."""
    inquiry = Inquiry.objects.select_for_update(of=("self",)).select_related("bid__bidder", "bid__opportunity").get(pk=inquiry.pk)
    if by is None or not permissions.can_answer_inquiries_for(by, inquiry.bid):
        raise PermissionDenied
    if inquiry.kind != Inquiry.Kind.QUESTION:
        raise DomainError("Only questions are answered by the bidder.")
    if inquiry.answered_at is not None:
        raise DomainError("This question has already been answered.")
    _check_running(inquiry.bid.opportunity)
    answer = (answer or "").strip()
    if not answer:
        raise DomainError("Write your answer", field="answer")
    inquiry.answer, inquiry.answered_at = answer, now or timezone.now()
    inquiry.save(update_fields=["answer", "answered_at"])
    audit_record(actor=by, action=AuditAction.CHANGED, target=inquiry, acting_for=inquiry.bid.bidder,
                 owner=inquiry.bid.opportunity.buyer, changes={"answer": [None, answer]})
    return inquiry


# Moderation ---------------------------------------------------------------------------------------------

def _moderated_value(value) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError("Enter a score from 0 to 10", field="score") from None
    if not 0 <= number <= 10:
        raise DomainError("Enter a score from 0 to 10", field="score")
    return number


@transaction.atomic
def moderated_score_record(*, bid: Bid, criterion: Criterion, by, score, reason: str, change_reason: str = "",
                           now=None) -> ModeratedScore:
    """The panel's consensus score for one criterion of one bid, with its reasons. Once recorded, changing it
    needs a written reason for the change, kept with the before and after (``ModeratedScoreChange``)."""
    opportunity = bid.opportunity
    if by is None or not permissions.can_moderate(by, opportunity):
        raise PermissionDenied
    _check_running(opportunity)
    _check_bid(opportunity, bid, criterion)
    if _scores_fixed(opportunity):
        raise DomainError("The buyer has approved the award: the scores behind it can no longer change.")
    value = _moderated_value(score)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Write the reasons for the panel's score", field="reason")
    now = now or timezone.now()
    _bid_lock(bid)
    existing = ModeratedScore.objects.select_for_update().filter(bid=bid, criterion=criterion).first()
    if existing is None:
        record = ModeratedScore.objects.create(bid=bid, criterion=criterion, score=value, reason=reason,
                                               moderated_by=by, moderated_at=now)
        _audit(by=by, opportunity=opportunity, target=record, action=AuditAction.CREATED,
               changes={"moderated score": [None, str(value)], "criterion": [None, criterion.title],
                        "bidder": [None, bid.bidder.name]})
        return record
    change_reason = (change_reason or "").strip()
    if not change_reason:
        raise DomainError("Give the reason for changing a score the panel has already agreed", field="change_reason")
    before = existing.score
    ModeratedScoreChange.objects.create(moderated_score=existing, before=before, after=value, reason=change_reason,
                                        changed_by=by, changed_at=now)
    existing.score, existing.reason = value, reason
    existing.save(update_fields=["score", "reason"])
    _audit(by=by, opportunity=opportunity, target=existing, reason=change_reason,
           changes={"moderated score": [str(before), str(value)], "criterion": [criterion.title, criterion.title]})
    return existing


# Reading the ranking -----------------------------------------------------------------------------------

def ranking_read(*, opportunity, lot, by) -> list:
    """The ranking for ``lot`` as a person reads it (a page or the API): it is read from the opened bids, with
    their prices, so each bid ranked is recorded in the audit trail as read by ``by``."""
    ranked = selectors.ranking(opportunity, lot=lot)
    acting_for = acting_organisation(by, opportunity)
    for row in ranked:
        audit_record(actor=by, action=AuditAction.VIEWED, target=row.bid, owner=opportunity.buyer,
                     acting_for=acting_for, changes={"read": [None, "ranking"]})
    return ranked
