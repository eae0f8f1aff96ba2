"""From the ranking to the contract: the agency's recommendation, the buyer's approval (or sending it
back), the standstill and the letters to every bidder, then the confirmed award and the contract record
handed to the contracting cycle.

    recommended ─approve (buyer)─▶ standstill (letters sent) ─(standstill ends: task, or the agency)─▶ confirmed
        └─send back with a reason (buyer)─▶ (no award: the agency recommends again)

An opportunity with lots goes through this for each lot on its own: the ranking, the letters and the contract
are the lot's, and the opportunity is marked awarded once every lot that received a bid has a confirmed award.
"""

import calendar
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError
from pathways.core.links import site_url_for
from pathways.core.mail import email_after_commit

from ..models import (
    Award,
    AwardLetter,
    AwardStatus,
    Bid,
    BidStatus,
    Contract,
    ContractStatus,
    Opportunity,
    OpportunityStatus,
)
from ..permissions import acting_organisation, can_commission_in
from ..permissions import awards as award_permissions
from ..selectors import evaluation as evaluation_selectors
from ..selectors import market as market_selectors
from . import opportunities as opportunity_services
from .working_days import standstill_end

LIVE = frozenset({AwardStatus.RECOMMENDED, AwardStatus.APPROVED, AwardStatus.STANDSTILL, AwardStatus.CONFIRMED})


def _audit(*, by, opportunity, target, action=AuditAction.CHANGED, changes=None, reason=""):
    audit_record(
        actor=by, action=action, target=target, owner=opportunity.buyer, changes=changes, reason=reason,
        acting_for=acting_organisation(by, opportunity) if by is not None else None,
    )


def _lock(opportunity):
    opportunity_services.opportunity_lock(opportunity)


def _lot_change(lot) -> dict:
    """The lot, for the audit trail, when the opportunity has lots."""
    return {"lot": [None, str(lot)]} if lot is not None else {}


@transaction.atomic
def award_recommend(*, opportunity: Opportunity, bid: Bid, by, recommendation: str, now=None) -> Award:
    """The agency recommends a bid, with its reasons in plain words, once every bid is moderated: through a
    panel member who may read the opened bids, as the ranking it rests on has their prices."""
    if by is None or not award_permissions.can_recommend_award(by, opportunity):
        raise PermissionDenied
    _lock(opportunity)
    if opportunity.status != OpportunityStatus.EVALUATION:
        raise DomainError("A recommendation is made while the bids are under evaluation.")
    lot = bid.lot
    if opportunity.awards.live().filter(lot=lot).exists():
        raise DomainError(f"There is already a recommendation for {lot}." if lot
                          else "There is already a recommendation for this opportunity.")
    recommendation = (recommendation or "").strip()
    if not recommendation:
        raise DomainError("Write why the panel recommends this bid, in plain words", field="recommendation")
    ranked = evaluation_selectors.ranking(opportunity, lot=lot)
    row = next((r for r in ranked if r.bid.pk == bid.pk), None)
    if row is None:
        raise DomainError("Choose one of the bids being evaluated", field="bid")
    if not all(r.complete for r in ranked):
        raise DomainError("Every bid must have an agreed score for every criterion before a recommendation.")
    value = row.price or opportunity.value_maximum or opportunity.value_minimum or 0
    award = Award.objects.create(
        opportunity=opportunity, lot=lot, bid=bid, status=AwardStatus.RECOMMENDED,
        recommendation=recommendation, recommended_by=by, recommended_at=now or timezone.now(), value=value,
    )
    _audit(by=by, opportunity=opportunity, target=award, action=AuditAction.CREATED, changes={
        **_lot_change(lot),
        "recommended bid": [None, row.name], "total score": [None, str(row.total)], "position": [None, row.position],
    })
    return award


def _check_buyer(by, opportunity):
    if by is None or not can_commission_in(by, opportunity.buyer):
        raise PermissionDenied


@transaction.atomic
def award_send_back(*, award: Award, by, reason: str, now=None) -> Award:
    """The buyer's commissioner does not approve: the recommendation goes back to the agency, with why. It is
    kept, marked sent back, and the agency may recommend again."""
    opportunity = award.opportunity
    _check_buyer(by, opportunity)
    _lock(opportunity)
    award = Award.objects.select_for_update(of=("self",)).get(pk=award.pk)
    if award.status != AwardStatus.RECOMMENDED:
        raise DomainError("Only a recommendation waiting for approval can be sent back.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for sending the recommendation back", field="reason")
    award.status = AwardStatus.RETURNED
    award.returned_by, award.returned_at, award.return_reason = by, now or timezone.now(), reason
    award.save(update_fields=["status", "returned_by", "returned_at", "return_reason"])
    _audit(by=by, opportunity=opportunity, target=award, reason=reason, changes={
        "status": [AwardStatus.RECOMMENDED, AwardStatus.RETURNED], "recommended bid": [award.bid.bidder.name, None],
    })
    return award


def _letter_ready_email(letter: AwardLetter) -> None:
    """Tell the bidder its letter is ready (the letter itself stays behind sign-in: it has scores and prices)."""
    award, organisation = letter.award, letter.bid.bidder
    recipients = market_selectors.recipients_for(organisation)
    if not recipients:
        return
    opportunity = award.opportunity
    body = render_to_string("commissioning/awards/emails/letter_ready.txt", {
        "opportunity": opportunity, "lot": award.lot, "organisation": organisation,
        "successful": letter.bid_id == award.bid_id,
        "standstill_ends_at": timezone.localtime(award.standstill_ends_at),
        "runner": (opportunity.agency or opportunity.buyer).name,
        "link": site_url_for("commissioning:award-letter", opportunity.uuid, letter.pk),
    })
    about = f"{opportunity.reference}, lot {award.lot.number}" if award.lot_id else opportunity.reference
    email_after_commit(subject=f"Your award letter is ready: {about}", body=body, recipients=recipients)


def letter_context(*, award: Award, bid: Bid, ranked) -> dict:
    """What a bidder's letter shows: their scores beside the winner's, in the ranking of their lot."""
    rows = {row.bid.pk: row for row in ranked}
    own, winner = rows[bid.pk], rows[award.bid_id]
    return {
        "opportunity": award.opportunity, "lot": award.lot, "award": award, "bid": bid, "own": own, "winner": winner,
        "successful": bid.pk == award.bid_id, "bidders": len(ranked),
        "pairs": list(zip(own.results, winner.results)),
        "standstill_last_day": (timezone.localtime(award.standstill_ends_at) - timedelta(days=1)).date(),
    }


@transaction.atomic
def award_approve(*, award: Award, by, now=None) -> Award:
    """The buyer approves the recommendation: the standstill starts (the opportunity's number of working
    days) and every bidder for the lot (or the opportunity without lots), successful or not, gets a letter with
    their scores, the winner's and the reasons."""
    opportunity = award.opportunity
    _check_buyer(by, opportunity)
    _lock(opportunity)
    award = Award.objects.select_for_update(of=("self",)).select_related("bid__bidder", "lot").get(pk=award.pk)
    if award.status != AwardStatus.RECOMMENDED:
        raise DomainError("Only a recommendation waiting for approval can be approved.")
    now = now or timezone.now()
    award.status = AwardStatus.STANDSTILL
    award.approved_by, award.approved_at = by, now
    award.standstill_ends_at = standstill_end(now, opportunity.standstill_working_days)
    award.save()
    ranked = evaluation_selectors.ranking(opportunity, lot=award.lot)
    for row in ranked:
        html = render_to_string("commissioning/awards/_letter.html",
                                letter_context(award=award, bid=row.bid, ranked=ranked))
        letter = AwardLetter.objects.create(award=award, bid=row.bid, html=html, sent_at=now)
        _letter_ready_email(letter)
    _audit(by=by, opportunity=opportunity, target=award, changes={
        **_lot_change(award.lot), "status": [AwardStatus.RECOMMENDED, AwardStatus.STANDSTILL],
        "standstill ends": [None, award.standstill_ends_at.isoformat()], "letters sent": [None, len(ranked)],
    })
    return award


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _contract_reference(opportunity, award) -> str:
    base = f"{opportunity.reference}-C"
    return f"{base}{award.lot.number}" if award.lot_id else f"{base}1"


def every_lot_confirmed(opportunity) -> bool:
    """Whether every lot that received a submitted bid (or the opportunity, without lots) has a confirmed
    award: only then is the opportunity awarded."""
    bid_for = set(opportunity.bids.filter(status=BidStatus.SUBMITTED).values_list("lot_id", flat=True))
    confirmed = set(opportunity.awards.filter(status=AwardStatus.CONFIRMED).values_list("lot_id", flat=True))
    return bid_for <= confirmed


@transaction.atomic
def award_confirm(*, award: Award, by=None, now=None) -> Contract:
    """Once the standstill has ended: the award is confirmed, the contract record made for the contracting
    cycle, and the opportunity marked awarded (with lots, once every lot with bids is confirmed; until then it
    stays under evaluation for the other lots). ``by`` None is the periodic task; otherwise the agency."""
    opportunity = award.opportunity
    if by is not None and not award_permissions.can_confirm_award(by, opportunity):
        raise PermissionDenied
    now = now or timezone.now()
    _lock(opportunity)
    award = Award.objects.select_for_update(of=("self",)).select_related("bid__bidder", "bid__consortium__lead", "lot").get(pk=award.pk)
    if award.status != AwardStatus.STANDSTILL:
        raise DomainError("Only an award in standstill can be confirmed.")
    if opportunity.status != OpportunityStatus.EVALUATION:
        raise DomainError("Only an opportunity under evaluation can be awarded.")
    if award.standstill_ends_at > now:
        raise DomainError("The standstill has not ended yet: bidders may still challenge the decision until "
                          f"{timezone.localtime(award.standstill_ends_at):%-d %B %Y}.")
    award.status = AwardStatus.CONFIRMED
    award.save(update_fields=["status"])
    if every_lot_confirmed(opportunity):
        opportunity_services.opportunity_award(opportunity=opportunity, by=by, now=now)
    bid = award.bid
    starts_on = opportunity.contract_starts_on or timezone.localdate(now)
    contract = Contract.objects.create(
        award=award, reference=_contract_reference(opportunity, award), buyer=opportunity.buyer,
        supplier=bid.consortium.lead if bid.consortium_id else bid.bidder,
        title=opportunity.title if not award.lot_id else f"{opportunity.title}: {award.lot.title}",
        value=award.value, starts_on=starts_on,
        ends_on=_add_months(starts_on, opportunity.duration_months) - timedelta(days=1),
    )
    _audit(by=by, opportunity=opportunity, target=award, changes={
        **_lot_change(award.lot),
        "status": [AwardStatus.STANDSTILL, AwardStatus.CONFIRMED], "contract": [None, contract.reference],
    })
    _audit(by=by, opportunity=opportunity, target=contract, action=AuditAction.CREATED, changes={
        "supplier": [None, contract.supplier.name], "value": [None, str(contract.value)],
        "starts": [None, contract.starts_on.isoformat()], "ends": [None, contract.ends_on.isoformat()],
    })
    return contract


@transaction.atomic
def contract_sign(*, contract: Contract, by, now=None) -> Contract:
    """The buyer records that the contract is signed: from then it is running (in open data, ``active`` with
    its ``dateSigned``), and the contracting cycle takes it on."""
    opportunity = contract.award.opportunity
    if by is None or not award_permissions.can_sign_contract(by, opportunity):
        raise PermissionDenied
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.PENDING:
        raise DomainError("The signing of this contract has already been recorded.")
    now = now or timezone.now()
    contract.status, contract.signed_at = ContractStatus.ACTIVE, now
    contract.save(update_fields=["status", "signed_at"])
    _audit(by=by, opportunity=opportunity, target=contract, changes={
        "status": [ContractStatus.PENDING, ContractStatus.ACTIVE], "signed": [None, now.isoformat()],
    })
    return contract


def awards_confirm_due(*, now=None) -> int:
    """Confirm every award whose standstill has ended (the periodic task); each in its own transaction."""
    now = now or timezone.now()
    confirmed = 0
    for award in Award.objects.filter(status=AwardStatus.STANDSTILL, standstill_ends_at__lte=now).select_related(
        "opportunity__buyer", "opportunity__agency"
    ):
        try:
            award_confirm(award=award, by=None, now=now)
        except DomainError:
            continue
        confirmed += 1
    return confirmed
