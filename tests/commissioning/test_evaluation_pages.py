"""The evaluation pages: who reaches them (404 outside, 403 inside without the right), and the panel,
declaration, scoring, questions and moderation through them."""

import uuid

import pytest
from django.urls import reverse

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import Inquiry, ModeratedScore, PanelMember, Score
from pathways.commissioning.services import evaluation as services
from tests.factories import MembershipFactory, member, role

from .api_helpers import quality
from .evaluation_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    client.force_login(user)
    return client


def panel_urls(opportunity, bid, member_row=None):
    args = [opportunity.uuid]
    urls = [reverse(f"commissioning:{name}", args=args) for name in (
        "evaluation-panel", "evaluation-scoring", "evaluation-moderation")]
    urls += [
        reverse("commissioning:evaluation-bid", args=[*args, bid.uuid]),
        reverse("commissioning:evaluation-moderate", args=[*args, bid.uuid, quality(opportunity).pk]),
        reverse("commissioning:evaluation-inquiry-add", args=[*args, bid.uuid]),
    ]
    if member_row is not None:
        urls.append(reverse("commissioning:evaluation-panel-remove", args=[*args, member_row.pk]))
    return urls


class TestOutsidersGetNotFound:
    def test_anyone_outside_the_opportunity_gets_404_on_every_panel_page(self, client, in_evaluation, bids, declared_evaluator, outsider):
        sign_in(client, outsider)
        for url in panel_urls(in_evaluation, bids[0], declared_evaluator):
            assert client.get(url).status_code == 404, url

    def test_a_bidder_gets_404_on_every_panel_page(self, client, in_evaluation, bids, declared_evaluator, bidder_manager):
        sign_in(client, bidder_manager)
        for url in panel_urls(in_evaluation, bids[0], declared_evaluator):
            assert client.get(url).status_code == 404, url

    def test_not_signed_in_is_sent_to_sign_in(self, client, in_evaluation, bids):
        for url in panel_urls(in_evaluation, bids[0]):
            assert client.get(url).status_code == 302

    def test_a_bid_of_another_opportunity_or_a_bad_id_is_404(self, client, in_evaluation, declared_evaluator, evaluator):
        sign_in(client, evaluator)
        url = reverse("commissioning:evaluation-bid", args=[in_evaluation.uuid, uuid.uuid4()])
        assert client.get(url).status_code == 404


class TestInsidersWithoutTheRight:
    def test_a_probation_worker_gets_403_on_the_panel_pages(self, client, in_evaluation, bids, probation_worker):
        sign_in(client, probation_worker)
        for url in panel_urls(in_evaluation, bids[0]):
            assert client.get(url).status_code == 403, url

    def test_an_evaluator_cannot_run_the_panel_or_moderate(self, client, in_evaluation, bids, declared_evaluator, evaluator):
        sign_in(client, evaluator)
        assert client.get(reverse("commissioning:evaluation-panel", args=[in_evaluation.uuid])).status_code == 403
        assert client.get(reverse("commissioning:evaluation-moderation", args=[in_evaluation.uuid])).status_code == 403

    def test_the_agency_worker_who_is_not_on_the_panel_does_not_read_the_bid(self, client, in_evaluation, bids, agency_worker):
        sign_in(client, agency_worker)
        assert client.get(reverse("commissioning:evaluation-bid", args=[in_evaluation.uuid, bids[0].uuid])).status_code == 403


class TestSeeingBids:
    def test_an_evaluator_without_a_declaration_sees_the_declaration_not_the_bids(self, client, in_evaluation, bids, agency_worker, evaluator):
        services.panel_member_add(opportunity=in_evaluation, by=agency_worker, email=evaluator.email)
        sign_in(client, evaluator)
        page = client.get(reverse("commissioning:evaluation-scoring", args=[in_evaluation.uuid]))
        assert b"Declare any conflict of interest" in page.content and b"Aire Valley Homes" not in page.content
        bid_page = client.get(reverse("commissioning:evaluation-bid", args=[in_evaluation.uuid, bids[0].uuid]))
        assert bid_page.status_code == 403 and b"three women" not in bid_page.content

    def test_an_evaluator_with_a_conflict_cannot_see_bids(self, client, in_evaluation, bids, declared_evaluator, evaluator, bidder_org):
        MembershipFactory(user=evaluator, organisation=bidder_org, role=role("volunteer"))
        sign_in(client, evaluator)
        for bid in bids:
            response = client.get(reverse("commissioning:evaluation-bid", args=[in_evaluation.uuid, bid.uuid]))
            assert response.status_code == 403 and b"three women" not in response.content
        page = client.get(reverse("commissioning:evaluation-scoring", args=[in_evaluation.uuid]))
        assert b"You cannot see the bids" in page.content

    def test_no_bid_is_readable_before_the_bids_are_opened(self, client, evaluation_opportunity, bids, declared_evaluator, evaluator, after_deadline):
        sign_in(client, evaluator)
        response = client.get(reverse("commissioning:evaluation-bid", args=[evaluation_opportunity.uuid, bids[0].uuid]))
        assert response.status_code == 403

    def test_the_declaration_through_the_page_keeps_what_was_typed_when_the_tick_is_missing(self, client, in_evaluation, agency_worker, evaluator):
        services.panel_member_add(opportunity=in_evaluation, by=agency_worker, email=evaluator.email)
        sign_in(client, evaluator)
        url = reverse("commissioning:evaluation-scoring", args=[in_evaluation.uuid])
        page = client.post(url, {"declaration": "No links at all."})
        assert b"Tick to confirm you have no conflict of interest" in page.content and b"No links at all." in page.content
        client.post(url, {"declaration": "No links at all.", "confirmed": "on"})
        assert PanelMember.objects.get(user=evaluator).declared_no_conflict_at

    def test_a_declared_evaluator_reads_the_bid_and_scores_it(self, client, in_evaluation, bids, declared_evaluator, evaluator):
        sign_in(client, evaluator)
        url = reverse("commissioning:evaluation-bid", args=[in_evaluation.uuid, bids[0].uuid])
        page = client.get(url)
        assert page.status_code == 200 and b"We run three women&#x27;s houses." in page.content
        assert AuditEntry.objects.filter(action="viewed", target_id=str(bids[0].pk)).exists()
        criterion = quality(in_evaluation)
        prefix = f"c{criterion.pk}"
        bad = client.post(url, {"criterion": criterion.pk, f"{prefix}-score": "12", f"{prefix}-justification": "Why"})
        assert b"Enter a whole number from 0 to 10" in bad.content
        client.post(url, {"criterion": criterion.pk, f"{prefix}-score": "8", f"{prefix}-justification": "Houses ready"})
        assert Score.objects.get(evaluator=declared_evaluator).score == 8

    def test_others_scores_are_not_shown_until_all_are_scored(self, client, in_evaluation, bids, declared_evaluator, evaluator, declared_chair, chair):
        criterion = quality(in_evaluation)
        services.score_record(bid=bids[0], criterion=criterion, by=chair, score=3, justification="Chair's secret reasoning")
        sign_in(client, evaluator)
        url = reverse("commissioning:evaluation-bid", args=[in_evaluation.uuid, bids[0].uuid])
        services.score_record(bid=bids[0], criterion=criterion, by=evaluator, score=7, justification="Mine")
        assert b"Chair&#x27;s secret reasoning" not in client.get(url).content
        services.score_record(bid=bids[1], criterion=criterion, by=evaluator, score=5, justification="Mine too")
        assert b"Chair&#x27;s secret reasoning" in client.get(url).content


class TestPanelThroughPages:
    def test_the_agency_adds_a_member_and_a_conflicted_one_is_refused_with_the_reason(self, client, in_evaluation, bids, agency_worker, evaluator, bidder_org):
        sign_in(client, agency_worker)
        url = reverse("commissioning:evaluation-panel", args=[in_evaluation.uuid])
        client.post(url, {"email": evaluator.email, "role": "evaluator"})
        assert PanelMember.objects.filter(user=evaluator).exists()
        insider = member("manager", bidder_org, email="insider@example.org")
        page = client.post(url, {"email": insider.email, "role": "evaluator"})
        assert b"Aire Valley Homes is bidding" in page.content and b"insider@example.org" in page.content
        assert b"You are a member" not in page.content  # the agency reads about someone else

    def test_removing_needs_a_reason(self, client, in_evaluation, declared_evaluator, agency_worker):
        sign_in(client, agency_worker)
        url = reverse("commissioning:evaluation-panel-remove", args=[in_evaluation.uuid, declared_evaluator.pk])
        assert b"Give the reason" in client.post(url, {"reason": ""}).content
        client.post(url, {"reason": "Moved job"})
        declared_evaluator.refresh_from_db()
        assert declared_evaluator.removed_reason == "Moved job"


class TestQuestionsAndModerationThroughPages:
    def test_the_bidder_answers_on_their_page_and_the_rival_cannot_reach_it(self, client, in_evaluation, bids, agency_worker, bidder_manager, rival_manager):
        inquiry = services.inquiry_record(bid=bids[0], by=agency_worker, kind=Inquiry.Kind.QUESTION, asked="Who signs off risk?")
        url = reverse("commissioning:evaluation-questions", args=[in_evaluation.uuid])
        sign_in(client, rival_manager)
        assert b"Who signs off risk?" not in client.get(url).content
        client.logout()
        sign_in(client, bidder_manager)
        assert b"Who signs off risk?" in client.get(url).content
        client.post(url, {"inquiry": inquiry.pk, f"q{inquiry.pk}-answer": "Our safeguarding lead."})
        inquiry.refresh_from_db()
        assert inquiry.answer == "Our safeguarding lead."

    def test_changing_a_moderated_score_through_the_page_without_a_reason_is_refused(self, client, in_evaluation, bids, agency_worker):
        criterion = quality(in_evaluation)
        services.moderated_score_record(bid=bids[0], criterion=criterion, by=agency_worker, score=6, reason="Sound")
        sign_in(client, agency_worker)
        url = reverse("commissioning:evaluation-moderate", args=[in_evaluation.uuid, bids[0].uuid, criterion.pk])
        page = client.post(url, {"score": "9", "reason": "Sound", "change_reason": ""})
        assert b"Give the reason for changing a score the panel has already agreed" in page.content
        assert ModeratedScore.objects.get(bid=bids[0]).score == 6
        client.post(url, {"score": "9", "reason": "Sound", "change_reason": "New evidence from the visit"})
        assert ModeratedScore.objects.get(bid=bids[0]).score == 9

    def test_the_moderation_page_shows_the_spread_and_the_ranking(self, client, in_evaluation, bids, declared_evaluator, evaluator, agency_worker, agency_on_panel):
        criterion = quality(in_evaluation)
        services.score_record(bid=bids[0], criterion=criterion, by=evaluator, score=7, justification="Good")
        services.moderated_score_record(bid=bids[0], criterion=criterion, by=agency_worker, score=7, reason="Agreed")
        sign_in(client, agency_worker)
        page = client.get(reverse("commissioning:evaluation-moderation", args=[in_evaluation.uuid]))
        assert page.status_code == 200
        assert b"from 7 to 7" in page.content and b"Ranking" in page.content
        assert b"\xc2\xa3400,000" in page.content  # the bid's price, in the ranking
        # Reading the ranking reads every bid's price: each bid is recorded as read by the agency worker.
        reads = AuditEntry.objects.filter(actor=agency_worker, action="viewed", changes__read=[None, "ranking"])
        assert sorted(entry.target_id for entry in reads) == sorted(str(bid.pk) for bid in bids)

    def test_running_the_panel_without_sitting_on_it_shows_no_price(self, client, in_evaluation, bids, declared_evaluator, evaluator, agency_worker):
        criterion = quality(in_evaluation)
        services.score_record(bid=bids[0], criterion=criterion, by=evaluator, score=7, justification="Good")
        services.moderated_score_record(bid=bids[0], criterion=criterion, by=agency_worker, score=7, reason="Agreed")
        sign_in(client, agency_worker)
        page = client.get(reverse("commissioning:evaluation-moderation", args=[in_evaluation.uuid]))
        assert page.status_code == 200 and b"from 7 to 7" in page.content
        assert b"only panel members who have signed the declaration" in page.content
        assert b"400,000" not in page.content and b"320,000" not in page.content
        assert not AuditEntry.objects.filter(action="viewed", changes__read=[None, "ranking"]).exists()

    def test_the_manage_page_shows_the_evaluation_section(self, client, in_evaluation, declared_evaluator, agency_worker):
        sign_in(client, agency_worker)
        page = client.get(reverse("commissioning:opportunity-manage", args=[in_evaluation.uuid]))
        assert b"1 on the panel, 1 declared" in page.content

    def test_your_evaluations_lists_the_members_panels(self, client, in_evaluation, declared_evaluator, evaluator):
        sign_in(client, evaluator)
        page = client.get(reverse("commissioning:evaluation-mine"))
        assert in_evaluation.title.encode() in page.content and b"Score the bids" in page.content
