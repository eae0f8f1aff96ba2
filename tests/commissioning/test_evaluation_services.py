"""The panel, declarations, conflicts, independent scoring, the inquisitorial step and moderation."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import (
    Bid,
    BidStatus,
    Consortium,
    ConsortiumMember,
    Inquiry,
    ModeratedScoreChange,
    PanelMember,
)
from pathways.commissioning.permissions import evaluation as permissions
from pathways.commissioning.selectors import evaluation as selectors
from pathways.commissioning.services import bid_format
from pathways.commissioning.services import evaluation as services
from pathways.commissioning.services.bids import bids_open
from pathways.core.errors import DomainError
from pathways.directory.models import Funding, FundingKind, RelationshipBasis, StatutoryRelationship
from tests.factories import MembershipFactory, OrganisationFactory, directory_service, member, role

from .api_helpers import quality
from .evaluation_fixtures import *  # noqa: F403
from .evaluation_fixtures import sign, submit_bid

pytestmark = pytest.mark.django_db


class TestBuildingThePanel:
    def test_the_agency_adds_an_existing_user_by_email_and_it_is_audited(self, evaluation_opportunity, agency_worker, evaluator):
        row = services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker, email="EVE@example.org")
        assert row.user == evaluator and row.role == "evaluator" and row.declared_no_conflict_at is None
        assert AuditEntry.objects.filter(target_id=str(row.pk), action="created").exists()

    def test_an_unknown_email_is_refused_on_the_email_field(self, evaluation_opportunity, agency_worker):
        with pytest.raises(DomainError) as refusal:
            services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker, email="nobody@example.org")
        assert refusal.value.field == "email"

    def test_the_buyers_commissioner_cannot_run_a_panel_the_agency_runs(self, evaluation_opportunity, commissioner, evaluator):
        with pytest.raises(PermissionDenied):
            services.panel_member_add(opportunity=evaluation_opportunity, by=commissioner, email=evaluator.email)

    def test_without_an_agency_the_buyers_commissioner_runs_the_panel(self, probation, commissioner, evaluator, leeds):
        from .factories import published

        opportunity = published(probation, by=commissioner, areas=[leeds])
        row = services.panel_member_add(opportunity=opportunity, by=commissioner, email=evaluator.email)
        assert row.pk

    def test_a_member_of_a_bidding_organisation_is_refused_with_the_reason(self, evaluation_opportunity, bids, agency_worker, bidder_org):
        insider = member("front-line-worker", bidder_org, email="insider@example.org")
        with pytest.raises(DomainError) as refusal:
            services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker, email=insider.email)
        assert "Aire Valley Homes is bidding" in refusal.value.message
        assert not PanelMember.objects.exists()

    def test_a_member_of_an_organisation_in_a_bidding_consortium_is_refused(self, evaluation_opportunity, agency_worker, rival_org):
        partner = OrganisationFactory(name="Wakefield Women's Aid")
        consortium = Consortium.objects.create(opportunity=evaluation_opportunity, name="Women's Homes Partnership",
                                               lead=rival_org)
        ConsortiumMember.objects.create(consortium=consortium, organisation=partner, share_of_work_percent=40,
                                        share_of_value_percent=40)
        submit_bid(evaluation_opportunity, rival_org, sections={}, price=1, consortium=consortium)
        person = member("manager", partner, email="partner@example.org")
        with pytest.raises(DomainError) as refusal:
            services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker, email=person.email)
        assert "Women's Homes Partnership" in refusal.value.message

    def test_funding_in_the_knowledge_base_between_their_organisation_and_a_bidder_is_a_conflict(self, evaluation_opportunity, bids, agency_worker, bidder_org):
        funder = OrganisationFactory(name="West Riding Community Foundation")
        service = directory_service(bidder_org, name="Move-on homes")
        Funding.objects.create(service=service, kind=FundingKind.OTHER, funder=funder)
        person = member("manager", funder, email="funder@example.org")
        with pytest.raises(DomainError) as refusal:
            services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker, email=person.email)
        assert "West Riding Community Foundation funds Aire Valley Homes" in refusal.value.message

    def test_a_contract_in_the_knowledge_base_with_a_bidder_is_a_conflict(self, evaluation_opportunity, bids, agency_worker, rival_org, prison):
        service = directory_service(rival_org, name="Through the gate")
        StatutoryRelationship.objects.create(service=service, statutory_body=prison, basis=RelationshipBasis.CONTRACT)
        person = member("commissioner", prison, email="governor@example.org")
        with pytest.raises(DomainError) as refusal:
            services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker, email=person.email)
        assert "HMP Leeds has a contract with Calder Housing Project" in refusal.value.message

    def test_a_relationship_that_has_ended_is_not_a_conflict(self, evaluation_opportunity, bids, agency_worker, rival_org, prison):
        from datetime import date

        service = directory_service(rival_org, name="Old work")
        StatutoryRelationship.objects.create(service=service, statutory_body=prison, basis=RelationshipBasis.GRANT,
                                             ends_on=date(2019, 3, 31))
        person = member("commissioner", prison, email="governor@example.org")
        assert services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker, email=person.email)

    def test_removing_a_member_needs_a_reason(self, declared_evaluator, agency_worker):
        with pytest.raises(DomainError) as refusal:
            services.panel_member_remove(member=declared_evaluator, by=agency_worker, reason=" ")
        assert refusal.value.field == "reason"
        services.panel_member_remove(member=declared_evaluator, by=agency_worker, reason="Left the agency")
        declared_evaluator.refresh_from_db()
        assert declared_evaluator.removed_reason == "Left the agency"
        assert AuditEntry.objects.filter(action="removed", reason="Left the agency").exists()


class TestDeclaration:
    def test_the_declaration_needs_their_own_words_and_the_tick(self, evaluation_opportunity, agency_worker, evaluator):
        row = services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker, email=evaluator.email)
        with pytest.raises(DomainError) as refusal:
            services.panel_declaration_sign(member=row, by=evaluator, declaration="", confirmed=False)
        assert {field for field, _ in refusal.value.problems} == {"declaration", "confirmed"}
        row.refresh_from_db()
        assert row.declared_no_conflict_at is None

    def test_no_one_signs_for_someone_else(self, evaluation_opportunity, agency_worker, evaluator):
        row = services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker, email=evaluator.email)
        with pytest.raises(PermissionDenied):
            services.panel_declaration_sign(member=row, by=agency_worker, declaration="None", confirmed=True)


class TestWhoSeesTheBids:
    def test_a_declared_member_sees_the_bids_once_opened(self, declared_evaluator, evaluator, opened):
        assert permissions.can_see_bids(evaluator, opened)

    def test_no_member_sees_bids_before_they_are_opened(self, declared_evaluator, evaluator, evaluation_opportunity, bids):
        assert not permissions.can_see_bids(evaluator, evaluation_opportunity)

    def test_an_evaluator_without_a_declaration_does_not_see_bids(self, evaluation_opportunity, agency_worker, evaluator, opened):
        services.panel_member_add(opportunity=opened, by=agency_worker, email=evaluator.email)
        assert not permissions.can_see_bids(evaluator, opened)

    def test_an_evaluator_who_joins_a_bidder_after_declaring_no_longer_sees_bids(self, declared_evaluator, evaluator, bidder_org, opened):
        MembershipFactory(user=evaluator, organisation=bidder_org, role=role("volunteer"))
        assert selectors.conflicts_for(evaluator, opened)
        assert not permissions.can_see_bids(evaluator, opened)

    def test_the_recheck_when_bids_are_opened_removes_a_member_with_a_stake(self, evaluation_opportunity, agency_worker, evaluator, rival_org):
        row = sign(services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker, email=evaluator.email), evaluator)
        # A bid from an organisation the evaluator belongs to arrives after they joined the panel.
        MembershipFactory(user=evaluator, organisation=rival_org, role=role("volunteer"))
        submit_bid(evaluation_opportunity, rival_org, sections={}, price=100)
        removed = services.panel_conflicts_recheck(opportunity=evaluation_opportunity)
        assert [m.pk for m, _ in removed] == [row.pk]
        row.refresh_from_db()
        assert row.removed_at and "Calder Housing Project is bidding" in row.removed_reason


    def test_a_subcontractor_named_in_a_bid_counts_once_the_bids_are_opened(
        self, evaluation_opportunity, agency_worker, evaluator, bidder_org
    ):
        recovery = OrganisationFactory(name="Leeds Recovery Trust")
        MembershipFactory(user=evaluator, organisation=recovery, role=role("volunteer"))
        row = sign(services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker,
                                             email=evaluator.email), evaluator)
        bid = Bid.objects.create(opportunity=evaluation_opportunity, bidder=bidder_org, draft={
            "sections": {}, "price": "100", "attachments": [],
            "subcontractors": [{"organisation": "leeds recovery trust.", "work": "Peer mentors", "share_percent": 20},
                               {"organisation": "A charity not in Pathways", "work": "Meals", "share_percent": 5}],
        })
        bid_format.bid_seal_draft(bid)
        bid.status = BidStatus.SUBMITTED
        bid.save()
        # Sealed, the subcontractors cannot be read: nothing is known of them yet.
        assert selectors.conflicts_for(evaluator, evaluation_opportunity) == []

        with time_machine.travel(evaluation_opportunity.deadline + timedelta(hours=1), tick=False):
            bids_open(opportunity=evaluation_opportunity, by=agency_worker)

        assert list(bid.subcontractor_organisations.all()) == [recovery]
        row.refresh_from_db()
        assert row.removed_at
        assert "Leeds Recovery Trust is named as a subcontractor in Aire Valley Homes's bid" in row.removed_reason


class TestIndependentScoring:
    def test_an_evaluator_scores_with_a_justification(self, declared_evaluator, evaluator, in_evaluation, bids):
        score = services.score_record(bid=bids[0], criterion=quality(in_evaluation), by=evaluator, score=7,
                                      justification="Clear plan for keeping tenancies.")
        assert score.score == 7 and score.evaluator == declared_evaluator

    @pytest.mark.parametrize("value", [11, -1, "7.5", "seven"])
    def test_a_score_outside_0_to_10_is_refused(self, declared_evaluator, evaluator, in_evaluation, bids, value):
        with pytest.raises(DomainError) as refusal:
            services.score_record(bid=bids[0], criterion=quality(in_evaluation), by=evaluator, score=value,
                                  justification="x")
        assert refusal.value.field == "score"

    def test_a_score_without_a_justification_is_refused(self, declared_evaluator, evaluator, in_evaluation, bids):
        with pytest.raises(DomainError) as refusal:
            services.score_record(bid=bids[0], criterion=quality(in_evaluation), by=evaluator, score=5, justification="")
        assert refusal.value.field == "justification"

    def test_price_is_not_scored_by_hand(self, declared_evaluator, evaluator, in_evaluation, bids):
        with pytest.raises(DomainError):
            services.score_record(bid=bids[0], criterion=in_evaluation.criteria.get(is_price=True), by=evaluator,
                                  score=5, justification="x")

    def test_an_undeclared_member_cannot_score(self, evaluation_opportunity, agency_worker, evaluator, in_evaluation, bids):
        services.panel_member_add(opportunity=in_evaluation, by=agency_worker, email=evaluator.email)
        with pytest.raises(PermissionDenied):
            services.score_record(bid=bids[0], criterion=quality(in_evaluation), by=evaluator, score=5, justification="x")

    def test_others_scores_are_hidden_until_the_evaluator_has_scored_everything(self, declared_evaluator, evaluator, in_evaluation, bids):
        criterion = quality(in_evaluation)
        services.score_record(bid=bids[0], criterion=criterion, by=evaluator, score=6, justification="Good")
        assert not selectors.member_has_scored_all(declared_evaluator)
        services.score_record(bid=bids[1], criterion=criterion, by=evaluator, score=4, justification="Thin")
        assert selectors.member_has_scored_all(declared_evaluator)


class TestInquiries:
    def test_the_agency_asks_and_the_bidders_manager_answers(self, in_evaluation, bids, agency_worker, bidder_manager):
        inquiry = services.inquiry_record(bid=bids[0], by=agency_worker, kind=Inquiry.Kind.QUESTION,
                                          asked="How many staff are trained in trauma-informed work?")
        services.inquiry_answer(inquiry=inquiry, by=bidder_manager, answer="All eight of them.")
        inquiry.refresh_from_db()
        assert inquiry.answer == "All eight of them." and inquiry.answered_at

    def test_another_bidder_cannot_answer(self, in_evaluation, bids, agency_worker, rival_manager):
        inquiry = services.inquiry_record(bid=bids[0], by=agency_worker, kind=Inquiry.Kind.QUESTION, asked="Q?")
        with pytest.raises(PermissionDenied):
            services.inquiry_answer(inquiry=inquiry, by=rival_manager, answer="A")

    def test_a_visit_is_recorded_with_what_was_found(self, in_evaluation, bids, agency_worker):
        with pytest.raises(DomainError) as refusal:
            services.inquiry_record(bid=bids[1], by=agency_worker, kind=Inquiry.Kind.VISIT, asked="See the drop-in")
        assert refusal.value.field == "answer"
        visit = services.inquiry_record(bid=bids[1], by=agency_worker, kind=Inquiry.Kind.VISIT,
                                        asked="See the drop-in", answer="Busy, welcoming, twelve people.")
        assert visit.answered_at

    def test_an_evaluator_cannot_question_a_bidder(self, declared_evaluator, evaluator, in_evaluation, bids):
        with pytest.raises(PermissionDenied):
            services.inquiry_record(bid=bids[0], by=evaluator, kind=Inquiry.Kind.QUESTION, asked="Q?")


class TestModeration:
    def test_the_chair_records_the_consensus_with_reasons(self, declared_chair, chair, in_evaluation, bids):
        record = services.moderated_score_record(bid=bids[0], criterion=quality(in_evaluation), by=chair,
                                                 score="7.5", reason="Strong plan; thin on outcomes.")
        assert record.score == Decimal("7.50")

    def test_an_evaluator_who_is_not_chair_cannot_moderate(self, declared_evaluator, evaluator, in_evaluation, bids):
        with pytest.raises(PermissionDenied):
            services.moderated_score_record(bid=bids[0], criterion=quality(in_evaluation), by=evaluator, score=5,
                                            reason="x")

    def test_a_moderated_score_changed_without_a_recorded_reason_is_refused(self, in_evaluation, bids, agency_worker):
        criterion = quality(in_evaluation)
        services.moderated_score_record(bid=bids[0], criterion=criterion, by=agency_worker, score=6, reason="Sound")
        with pytest.raises(DomainError) as refusal:
            services.moderated_score_record(bid=bids[0], criterion=criterion, by=agency_worker, score=9, reason="Sound")
        assert refusal.value.field == "change_reason"
        record = bids[0].moderated_scores.get()
        assert record.score == 6 and not ModeratedScoreChange.objects.exists()

    def test_a_change_with_a_reason_keeps_before_after_and_why(self, in_evaluation, bids, agency_worker):
        criterion = quality(in_evaluation)
        services.moderated_score_record(bid=bids[0], criterion=criterion, by=agency_worker, score=6, reason="Sound")
        services.moderated_score_record(bid=bids[0], criterion=criterion, by=agency_worker, score=8, reason="Sound",
                                        change_reason="The visit showed the houses are already running.")
        change = ModeratedScoreChange.objects.get()
        assert (change.before, change.after) == (6, 8) and "visit" in change.reason
        assert AuditEntry.objects.filter(reason__contains="visit showed").exists()

    def test_independent_scores_freeze_once_moderated(self, declared_evaluator, evaluator, in_evaluation, bids, agency_worker):
        criterion = quality(in_evaluation)
        services.moderated_score_record(bid=bids[0], criterion=criterion, by=agency_worker, score=6, reason="Sound")
        with pytest.raises(DomainError):
            services.score_record(bid=bids[0], criterion=criterion, by=evaluator, score=9, justification="late")


class TestCriteriaGivenToAMember:
    def test_a_member_limited_to_some_criteria_scores_only_those(self, evaluation_opportunity, agency_worker, evaluator, in_evaluation, bids):
        from pathways.commissioning.models import Criterion

        quality_criterion = quality(in_evaluation)
        partnership = Criterion.objects.create(opportunity=in_evaluation, title="Partnership", weight=10, position=5)
        row = services.panel_member_add(opportunity=in_evaluation, by=agency_worker, email=evaluator.email,
                                        criteria=[partnership])
        sign(row, evaluator)
        assert [c.pk for c in selectors.criteria_for_member(row)] == [partnership.pk]
        with pytest.raises(DomainError) as refusal:
            services.score_record(bid=bids[0], criterion=quality_criterion, by=evaluator, score=5, justification="x")
        assert refusal.value.field == "criterion"
        assert services.score_record(bid=bids[0], criterion=partnership, by=evaluator, score=5, justification="x")

    def test_a_price_criterion_cannot_be_given_to_a_member(self, evaluation_opportunity, agency_worker, evaluator):
        with pytest.raises(DomainError) as refusal:
            services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker, email=evaluator.email,
                                      criteria=[evaluation_opportunity.criteria.get(is_price=True)])
        assert refusal.value.field == "criteria"
