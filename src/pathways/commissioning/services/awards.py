"""From the ranking to the contract: the agency's recommendation, the buyer's approval (or sending it
back), the standstill and the letters to every bidder, then the confirmed award and the contract record
handed to the contracting cycle.

    recommended ─approve (buyer)─▶ standstill (letters sent) ─(standstill ends: task, or the agency)─▶ confirmed
        └─send back with a reason (buyer)─▶ (no award: the agency recommends again)

An opportunity with lots goes through this for each lot on its own: the ranking, the letters and the contract
are the lot's. When the panel finds no acceptable bid for a lot, those who manage the opportunity end that lot
without an award, with the reason. The opportunity is marked awarded once every lot that received a bid is
settled (its award confirmed, or ended without one) and at least one lot is confirmed.
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
    Lot,
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
    if lot is not None and opportunity.lots.filter(pk=lot.pk, not_awarded_at__isnull=False).exists():
        raise DomainError(f"{lot} has ended without an award.")
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


def _lots_bid_for(opportunity) -> set:
    """The ids of the lots that received a submitted bid (``{None}`` for an opportunity without lots)."""
    return set(opportunity.bids.filter(status=BidStatus.SUBMITTED).values_list("lot_id", flat=True))


def _lots_confirmed(opportunity) -> set:
    """The ids of the lots with a confirmed award (``{None}`` once an opportunity without lots is)."""
    return set(opportunity.awards.filter(status=AwardStatus.CONFIRMED).values_list("lot_id", flat=True))


def _lots_ended(opportunity) -> set:
    """The ids of the lots ended without an award."""
    return set(opportunity.lots.filter(not_awarded_at__isnull=False).values_list("pk", flat=True))


def every_lot_settled(opportunity) -> bool:
    """Whether every lot that received a submitted bid (or the opportunity, without lots) has a confirmed
    award or was ended without one, and at least one is confirmed: only then is the opportunity awarded."""
    confirmed = _lots_confirmed(opportunity)
    return bool(confirmed) and _lots_bid_for(opportunity) <= confirmed | _lots_ended(opportunity)


@transaction.atomic
def award_confirm(*, award: Award, by=None, now=None) -> Contract:
    """Once the standstill has ended: the award is confirmed, the contract record made for the contracting
    cycle, and the opportunity marked awarded (with lots, once every lot with bids is confirmed or ended without
    an award; until then it stays under evaluation for the other lots). ``by`` None is the periodic task;
    otherwise the agency."""
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
    if every_lot_settled(opportunity):
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


# Ending a lot without an award ------------------------------------------------------------------------

def _live_award_refusal(award: Award) -> str:
    if award.status == AwardStatus.RECOMMENDED:
        return (f"There is a recommendation for {award.lot} waiting for approval. The buyer must send it back "
                "before the lot can end without an award.")
    return f"The award for {award.lot} is {award.get_status_display().lower()}: the lot cannot end without an award."


def lot_not_awarded_refusal(opportunity: Opportunity, lot: Lot) -> str | None:
    """Why ``lot`` cannot be ended without an award now, in plain words; None when it can (the reason given
    and who asks are checked by ``lot_not_awarded``)."""
    if opportunity.status != OpportunityStatus.EVALUATION:
        return "A lot is ended without an award while the bids are under evaluation."
    if lot.not_awarded_at is not None:
        return f"{lot} has already ended without an award."
    award = opportunity.awards.live().filter(lot=lot).select_related("lot").first()
    if award is not None:
        return _live_award_refusal(award)
    if not _lots_confirmed(opportunity) and not _lots_bid_for(opportunity) - _lots_ended(opportunity) - {lot.pk}:
        return "No lot would be awarded: cancel the opportunity instead."
    return None


def _not_awarded_email(opportunity: Opportunity, lot: Lot, organisation) -> None:
    """Tell one bidder for the lot that it ends without an award, and why."""
    recipients = market_selectors.recipients_for(organisation)
    if not recipients:
        return
    body = render_to_string("commissioning/awards/emails/lot_not_awarded.txt", {
        "opportunity": opportunity, "lot": lot, "organisation": organisation,
        "runner": (opportunity.agency or opportunity.buyer).name,
        "link": site_url_for("commissioning:opportunity", opportunity.uuid),
    })
    email_after_commit(subject=f"No award for lot {lot.number}: {opportunity.reference}", body=body,
                       recipients=recipients)


@transaction.atomic
def lot_not_awarded(*, opportunity: Opportunity, lot: Lot, by, reason: str, now=None) -> Lot:
    """Those who manage the opportunity end a lot without an award, when the panel found no acceptable bid for
    it, with the reason (bidders and the public read it). Each bidder for the lot is told. If every other lot
    with bids is then settled, the opportunity is marked awarded."""
    if by is None:
        raise PermissionDenied
    opportunity_services.check_manager(by, opportunity)
    _lock(opportunity)
    lot = Lot.objects.select_for_update().get(pk=lot.pk, opportunity=opportunity)
    lot.opportunity = opportunity  # the same instance, so callers see it marked awarded
    refused = lot_not_awarded_refusal(opportunity, lot)
    if refused:
        raise DomainError(refused)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason this lot ends without an award: bidders and the public will read it",
                          field="reason")
    now = now or timezone.now()
    lot.not_awarded_at, lot.not_awarded_by, lot.not_awarded_reason = now, by, reason
    lot.save(update_fields=["not_awarded_at", "not_awarded_by", "not_awarded_reason"])
    _audit(by=by, opportunity=opportunity, target=lot, reason=reason, changes={
        "lot": [None, str(lot)], "status": ["under evaluation", "not awarded"],
    })
    for bid in opportunity.bids.filter(status=BidStatus.SUBMITTED, lot=lot).select_related("bidder"):
        _not_awarded_email(opportunity, lot, bid.bidder)
    if every_lot_settled(opportunity):
        opportunity_services.opportunity_award(opportunity=opportunity, by=by, now=now)
    return lot


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
