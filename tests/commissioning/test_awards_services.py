"""Ranking, the recommendation, the buyer's approval, standstill in working days, letters and the contract."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import Award, AwardStatus, Contract, OpportunityStatus
from pathways.commissioning.selectors import awards as selectors_awards
from pathways.commissioning.selectors import evaluation as selectors
from pathways.commissioning.services import awards as services
from pathways.commissioning.services import evaluation as evaluation_services
from pathways.commissioning.services.working_days import (
    BANK_HOLIDAYS_ENGLAND_AND_WALES,
    is_working_day,
    standstill_end,
    usual_bank_holidays,
    working_days_after,
)
from pathways.core.errors import DomainError
from pathways.core.links import site_url_for

from .evaluation_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


class TestWorkingDays:
    def test_the_dated_list_agrees_with_the_usual_rules(self):
        for year in range(2024, 2029):
            assert {d for d in BANK_HOLIDAYS_ENGLAND_AND_WALES if d.year == year} == usual_bank_holidays(year)

    def test_weekends_and_bank_holidays_are_not_working_days(self):
        assert not is_working_day(date(2026, 12, 26))  # Saturday
        assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute
        assert is_working_day(date(2026, 12, 29))

    def test_eight_working_days_over_christmas_skip_the_bank_holidays(self):
        # Monday 21 December 2026: 22, 23, 24, (25, 28 holidays) 29, 30, 31, (1 Jan) 4, 5 January.
        assert working_days_after(date(2026, 12, 21), 8) == date(2027, 1, 5)

    def test_the_standstill_ends_at_midnight_after_its_last_working_day(self):
        decided = datetime(2026, 11, 23, 15, 0, tzinfo=LONDON)  # a Monday
        assert standstill_end(decided, 8) == datetime(2026, 12, 4, 0, 0, tzinfo=LONDON)


class TestRanking:
    def test_total_is_moderated_score_over_ten_times_weight_plus_price_points(self, moderated, bids):
        ranked = selectors.ranking(moderated)
        first, second = ranked
        # Quality 60%: 9/10 × 60 = 54; price 40% lowest ratio: 320,000 ÷ 400,000 × 40 = 32.
        assert first.bid == bids[0] and first.total == Decimal("86.00")
        # 5/10 × 60 = 30, plus the lowest price's 40.
        assert second.bid == bids[1] and second.total == Decimal("70.00")
        assert first.complete and [r.points for r in first.results] == [Decimal("54.00"), Decimal("32.00")]

    def test_a_recommendation_waits_for_every_moderated_score(self, in_evaluation, bids, agency_worker, agency_on_panel):
        with pytest.raises(DomainError):
            services.award_recommend(opportunity=in_evaluation, bid=bids[0], by=agency_worker, recommendation="Best")


class TestRecommendationAndApproval:
    def test_the_agency_recommends_and_only_the_buyer_approves(self, recommended, agency_worker, commissioner):
        assert recommended.status == AwardStatus.RECOMMENDED and recommended.value == 400_000
        with pytest.raises(PermissionDenied):
            services.award_approve(award=recommended, by=agency_worker)
        award = services.award_approve(award=recommended, by=commissioner)
        assert award.status == AwardStatus.STANDSTILL and award.approved_by == commissioner

    def test_the_buyer_sends_it_back_with_a_reason(self, recommended, commissioner, moderated):
        with pytest.raises(DomainError):
            services.award_send_back(award=recommended, by=commissioner, reason="")
        services.award_send_back(award=recommended, by=commissioner, reason="Check the price of lot 2")
        returned = Award.objects.get()
        assert (returned.status, returned.returned_by, returned.return_reason) == (
            AwardStatus.RETURNED, commissioner, "Check the price of lot 2")
        assert returned.recommendation == "The highest score: houses ready and a tested plan."  # kept as it was

    def test_after_sending_back_the_agency_recommends_again_and_the_first_is_kept(
            self, recommended, commissioner, agency_worker, bids, client):
        services.award_send_back(award=recommended, by=commissioner, reason="Check both prices again.")
        again = services.award_recommend(opportunity=recommended.opportunity, bid=bids[1], by=agency_worker,
                                         recommendation="Checked again: the lower price wins it.")
        assert selectors_awards.award_current(recommended.opportunity) == again
        with pytest.raises(DomainError, match="already a recommendation"):
            services.award_recommend(opportunity=recommended.opportunity, bid=bids[0], by=agency_worker,
                                     recommendation="Once more")
        assert list(Award.objects.order_by("pk").values_list("status", flat=True)) == [
            AwardStatus.RETURNED, AwardStatus.RECOMMENDED]
        client.force_login(commissioner)
        page = client.get(reverse("commissioning:opportunity-manage", args=[recommended.opportunity.uuid]))
        assert b"Recommendations sent back" in page.content
        assert b"because: Check both prices again." in page.content

    def test_approval_starts_a_standstill_of_the_opportunitys_working_days(self, recommended, commissioner, moderated):
        award = services.award_approve(award=recommended, by=commissioner)
        assert award.standstill_ends_at == standstill_end(award.approved_at, 8)

    def test_every_bidder_gets_a_letter_with_their_scores_and_the_winners(self, recommended, commissioner, bids):
        award = services.award_approve(award=recommended, by=commissioner)
        letters = {letter.bid_id: letter.html for letter in award.letters.all()}
        assert set(letters) == {bids[0].pk, bids[1].pk}
        assert "your bid was the highest scoring" in letters[bids[0].pk]
        unsuccessful = letters[bids[1].pk]
        assert "your bid was not successful" in unsuccessful and "Aire Valley Homes" in unsuccessful
        assert "70.00" in unsuccessful and "86.00" in unsuccessful
        assert "little on keeping tenancies" in unsuccessful and "houses ready and a tested plan" in unsuccessful

    def test_each_bidders_managers_are_told_their_letter_is_ready_without_its_scores(
            self, recommended, commissioner, bids, bidder_manager, rival_manager, mailoutbox,
            django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            award = services.award_approve(award=recommended, by=commissioner)
        by_address = {message.to[0]: message for message in mailoutbox}
        assert set(by_address) == {bidder_manager.email, rival_manager.email}
        winner, rival = by_address[bidder_manager.email], by_address[rival_manager.email]
        assert winner.subject == f"Your award letter is ready: {award.opportunity.reference}"
        assert "Aire Valley Homes's bid is the one recommended" in winner.body
        assert "Calder Housing Project's bid was not successful" in rival.body
        rival_letter = award.letters.get(bid=bids[1])
        assert site_url_for("commissioning:award-letter", award.opportunity.uuid, rival_letter.pk) in rival.body
        for message in (winner, rival):
            assert "86.00" not in message.body and "400,000" not in message.body and "320,000" not in message.body

    def test_nothing_is_emailed_when_the_approval_fails(self, recommended, agency_worker, mailoutbox,
                                                        django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
            services.award_approve(award=recommended, by=agency_worker)
        assert mailoutbox == []

    def test_scores_cannot_change_once_the_award_is_approved(self, recommended, commissioner, moderated, bids, agency_worker):
        services.award_approve(award=recommended, by=commissioner)
        with pytest.raises(DomainError):
            evaluation_services.moderated_score_record(
                bid=bids[1], criterion=moderated.criteria.get(is_price=False), by=agency_worker, score=9,
                reason="x", change_reason="y")


class TestConfirmation:
    def test_not_before_the_standstill_ends(self, recommended, commissioner, agency_worker):
        award = services.award_approve(award=recommended, by=commissioner)
        with pytest.raises(DomainError):
            services.award_confirm(award=award, by=agency_worker)

    def test_the_periodic_task_confirms_and_hands_over_the_contract(self, recommended, commissioner, moderated, bidder_org):
        award = services.award_approve(award=recommended, by=commissioner)
        assert services.awards_confirm_due(now=award.standstill_ends_at - timedelta(seconds=1)) == 0
        with time_machine.travel(award.standstill_ends_at + timedelta(minutes=1), tick=False):
            assert services.awards_confirm_due() == 1
        award.refresh_from_db()
        moderated.refresh_from_db()
        contract = Contract.objects.get()
        assert award.status == AwardStatus.CONFIRMED and moderated.status == OpportunityStatus.AWARDED
        assert contract.supplier == bidder_org and contract.buyer == moderated.buyer
        assert contract.value == 400_000 and contract.reference == f"{moderated.reference}-C1"
        assert contract.starts_on == moderated.contract_starts_on
        assert (contract.ends_on - contract.starts_on).days in range(1090, 1097)

    def test_the_buyer_records_the_signing_once_and_it_is_audited(self, recommended, commissioner, agency_worker):
        approved = services.award_approve(award=recommended, by=commissioner)
        with time_machine.travel(approved.standstill_ends_at + timedelta(minutes=1), tick=False):
            contract = services.award_confirm(award=approved, by=agency_worker)
            with pytest.raises(PermissionDenied):
                services.contract_sign(contract=contract, by=agency_worker)
            signed = services.contract_sign(contract=contract, by=commissioner)
            assert (signed.status, signed.signed_at) == ("active", timezone.now())
            with pytest.raises(DomainError, match="already been recorded"):
                services.contract_sign(contract=contract, by=commissioner)
        entry = AuditEntry.objects.filter(target_id=str(contract.pk), actor=commissioner).latest("pk")
        assert entry.changes["status"] == ["pending", "active"]

    def test_the_agency_may_confirm_once_it_has_ended(self, recommended, commissioner, agency_worker):
        award = services.award_approve(award=recommended, by=commissioner)
        with time_machine.travel(award.standstill_ends_at, tick=False):
            services.award_confirm(award=award, by=agency_worker)
        assert Contract.objects.count() == 1
