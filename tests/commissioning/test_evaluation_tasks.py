"""The periodic tasks of evaluation and award: re-checking panels once bids are opened, and confirming
awards whose standstill has ended."""

from datetime import timedelta

import pytest
import time_machine

from pathways.commissioning.models import AwardStatus, Contract, PanelMember
from pathways.commissioning.services import awards as award_services
from pathways.commissioning.services import evaluation as services
from pathways.commissioning.tasks.awards import confirm_awards_after_standstill
from pathways.commissioning.tasks.evaluation import recheck_panels_after_opening
from tests.factories import MembershipFactory, role

from .evaluation_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_the_recheck_task_removes_a_member_who_joined_a_bidder_and_leaves_the_others(in_evaluation, declared_evaluator, declared_chair, evaluator, bidder_org):
    MembershipFactory(user=evaluator, organisation=bidder_org, role=role("volunteer"))
    assert recheck_panels_after_opening.call_local() == 1
    assert list(PanelMember.objects.filter(removed_at__isnull=True)) == [declared_chair]
    assert recheck_panels_after_opening.call_local() == 0


def test_the_award_task_confirms_only_after_the_standstill(in_evaluation, bids, agency_worker, agency_on_panel,
                                                            commissioner):
    criterion = in_evaluation.criteria.get(is_price=False)
    for bid, score in zip(bids, (8, 6)):
        services.moderated_score_record(bid=bid, criterion=criterion, by=agency_worker, score=score, reason="Agreed")
    award = award_services.award_recommend(opportunity=in_evaluation, bid=bids[0], by=agency_worker, recommendation="Best")
    award = award_services.award_approve(award=award, by=commissioner)
    with time_machine.travel(award.standstill_ends_at - timedelta(minutes=1), tick=False):
        assert confirm_awards_after_standstill.call_local() == 0
    with time_machine.travel(award.standstill_ends_at + timedelta(minutes=1), tick=False):
        assert confirm_awards_after_standstill.call_local() == 1
    award.refresh_from_db()
    assert award.status == AwardStatus.CONFIRMED and Contract.objects.count() == 1
