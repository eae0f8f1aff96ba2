"""The evaluation API: a member's panels and declaration, the opened bids (only for a declared member with no
stake, after the opening), scores, questions and visits, the bidder's answers and moderation. Every refusal
the pages make, the API makes too."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import Inquiry, ModeratedScore, Opportunity, PanelMember, Score
from pathways.commissioning.services import bids as bid_services
from pathways.commissioning.services import evaluation as services
from tests.factories import MembershipFactory, OrganisationFactory, member, role

from .api_helpers import as_user, price, quality
from .bid_fixtures import FILE_MARKER, complete_draft, media  # noqa: F401  (media: bid files in a temporary folder)
from .evaluation_fixtures import *  # noqa: F403
from .factories import published

pytestmark = pytest.mark.django_db

OWN_ANSWER = "We run three women's houses."
RIVAL_ANSWER = "We offer floating support."


def panels_url():
    return reverse("api-evaluation-list")


def declaration_url(opportunity):
    return reverse("api-evaluation-declaration", args=[opportunity.uuid])


def bids_url(opportunity):
    return reverse("api-evaluation-bid-list", args=[opportunity.uuid])


def bid_url(opportunity, bid):
    return reverse("api-evaluation-bid", args=[opportunity.uuid, getattr(bid, "uuid", bid)])


def scores_url(opportunity, bid):
    return reverse("api-evaluation-score", args=[opportunity.uuid, bid.uuid])


def inquiries_url(opportunity, bid):
    return reverse("api-evaluation-inquiry", args=[opportunity.uuid, bid.uuid])


def moderated_url(opportunity, bid):
    return reverse("api-evaluation-moderated-score", args=[opportunity.uuid, bid.uuid])


def answer_url(inquiry):
    return reverse("api-question-answer", args=[inquiry.pk])


def reads_of(bid):
    return AuditEntry.objects.filter(action="viewed", target_id=str(bid.pk)).count()


@pytest.fixture
def attached_bid(evaluation_opportunity, bids):
    """A third bid, made and submitted through the bid services before the deadline, with a PDF attached."""
    organisation = OrganisationFactory(name="Wharfe Women's Centre")
    manager = member("manager", organisation, email="wharfe@example.org")
    draft = complete_draft(evaluation_opportunity, organisation, manager, text="Wharfe answer")
    return bid_services.bid_submit(bid=draft, by=manager)


@pytest.fixture
def undeclared_evaluator(in_evaluation, agency_worker, evaluator):
    return services.panel_member_add(opportunity=in_evaluation, by=agency_worker, email=evaluator.email)


# A member's panels and declaration ---------------------------------------------------------------------

class TestPanels:
    def test_a_member_lists_their_panels_with_role_declaration_and_conflicts(self, api, undeclared_evaluator,
                                                                              in_evaluation, evaluator):
        response = as_user(api, evaluator).get(panels_url())
        assert response.status_code == 200
        [row] = response.json()
        assert row["opportunity"]["uuid"] == str(in_evaluation.uuid)
        assert row["role"] == "evaluator" and row["declared"] is False and row["may_see_bids"] is False
        assert row["conflicts"] == []

    def test_a_conflict_is_listed_in_plain_words(self, api, undeclared_evaluator, evaluator, bidder_org):
        MembershipFactory(user=evaluator, organisation=bidder_org, role=role("volunteer"))
        [row] = as_user(api, evaluator).get(panels_url()).json()
        # Their own list speaks to them.
        assert "You are a member of Aire Valley Homes, and Aire Valley Homes is bidding." in row["conflicts"]
        assert row["may_see_bids"] is False

    def test_someone_on_no_panel_sees_an_empty_list_and_anonymous_is_refused(self, api, undeclared_evaluator,
                                                                              bidder_manager):
        assert api.get(panels_url()).status_code in (401, 403)
        assert as_user(api, bidder_manager).get(panels_url()).json() == []


class TestDeclaration:
    def test_not_confirmed_is_a_400_naming_the_field_and_nothing_is_signed(self, api, undeclared_evaluator, evaluator,
                                                                            in_evaluation):
        response = as_user(api, evaluator).post(declaration_url(in_evaluation), {"declaration": "No links."},
                                                format="json")
        assert response.status_code == 400
        assert response.json() == {"confirmed": ["Tick to confirm you have no conflict of interest"]}
        response = api.post(declaration_url(in_evaluation), {"confirmed": True}, format="json")
        assert response.status_code == 400 and "declaration" in response.json()
        assert PanelMember.objects.get(user=evaluator).declared_no_conflict_at is None

    def test_a_member_signs_and_may_then_see_the_bids(self, api, undeclared_evaluator, evaluator, in_evaluation):
        response = as_user(api, evaluator).post(
            declaration_url(in_evaluation), {"declaration": "No links with any bidder.", "confirmed": True},
            format="json")
        assert response.status_code == 200
        assert response.json()["declared"] is True and response.json()["may_see_bids"] is True
        member = PanelMember.objects.get(user=evaluator)
        assert member.declaration == "No links with any bidder." and member.declared_no_conflict_at
        again = api.post(declaration_url(in_evaluation), {"declaration": "Again", "confirmed": True}, format="json")
        assert again.status_code == 400

    def test_a_member_with_a_stake_cannot_sign(self, api, undeclared_evaluator, evaluator, in_evaluation, bidder_org):
        MembershipFactory(user=evaluator, organisation=bidder_org, role=role("volunteer"))
        response = as_user(api, evaluator).post(declaration_url(in_evaluation),
                                                {"declaration": "None.", "confirmed": True}, format="json")
        assert response.status_code == 400 and "Aire Valley Homes is bidding" in response.json()["detail"][0]
        assert PanelMember.objects.get(user=evaluator).declared_no_conflict_at is None

    def test_outsiders_get_404_insiders_off_the_panel_403_and_anonymous_is_refused(
            self, api, in_evaluation, outsider, bidder_manager, probation_worker):
        body = {"declaration": "None.", "confirmed": True}
        assert api.post(declaration_url(in_evaluation), body, format="json").status_code in (401, 403)
        for person in (outsider, bidder_manager):
            assert as_user(api, person).post(declaration_url(in_evaluation), body, format="json").status_code == 404
        assert as_user(api, probation_worker).post(declaration_url(in_evaluation), body,
                                                   format="json").status_code == 403
        missing = f"/api/v1/evaluations/{uuid.uuid4()}/declaration/"
        assert as_user(api, outsider).post(missing, body, format="json").status_code == 404


# The opened bids --------------------------------------------------------------------------------------

class TestReadingBids:
    def test_a_declared_member_lists_the_bids_and_reads_one_with_an_audited_read(self, api, in_evaluation, bids,
                                                                               declared_evaluator, evaluator):
        as_user(api, evaluator)
        listed = api.get(bids_url(in_evaluation))
        assert listed.status_code == 200
        assert [row["uuid"] for row in listed.json()] == [str(bids[0].uuid), str(bids[1].uuid)]
        assert listed.json()[0] == {**listed.json()[0], "bidder": "Aire Valley Homes", "scored": 0, "to_score": 1}
        assert OWN_ANSWER not in listed.content.decode()
        assert reads_of(bids[0]) == 0
        response = api.get(bid_url(in_evaluation, bids[0]))
        assert response.status_code == 200
        body = response.json()
        [section] = body["sections"]
        assert section["criterion"]["id"] == quality(in_evaluation).pk and section["answer"] == OWN_ANSWER
        assert section["your_score"] is None and section["moderated"] is False and section["everyone"] is None
        assert body["attachments"] == [] and body["inquiries"] == [] and body["receipt_hash"] == bids[0].receipt_hash
        assert RIVAL_ANSWER not in response.content.decode()
        assert reads_of(bids[0]) == 1
        entry = AuditEntry.objects.get(action="viewed", target_id=str(bids[0].pk))
        assert entry.actor == evaluator

    def test_the_attachments_are_listed_and_download_for_the_panel_only(self, api, client, attached_bid,
                                                                        in_evaluation, declared_evaluator, evaluator,
                                                                        agency_worker):
        body = as_user(api, evaluator).get(bid_url(in_evaluation, attached_bid)).json()
        [attachment] = body["attachments"]
        assert attachment["name"] == "staffing-plan.pdf" and attachment["content_type"] == "application/pdf"
        assert body["subcontractors"][0]["organisation"] == "Leeds Credit Union"
        assert body["sections"][0]["answer"] == "Wharfe answer"
        client.force_login(evaluator)
        download = client.get(attachment["url"])
        assert download.status_code == 200 and FILE_MARKER in download.content
        client.force_login(agency_worker)
        assert client.get(attachment["url"]).status_code == 404

    def test_nothing_is_visible_before_the_deadline_even_with_the_records_altered(
            self, api, evaluation_opportunity, bids, declared_evaluator, evaluator):
        Opportunity.objects.filter(pk=evaluation_opportunity.pk).update(
            bids_opened_at=evaluation_opportunity.deadline - timedelta(days=1), status="evaluation")
        as_user(api, evaluator)
        for url in (bids_url(evaluation_opportunity), bid_url(evaluation_opportunity, bids[0])):
            response = api.get(url)
            assert response.status_code == 403, url
            assert OWN_ANSWER not in response.content.decode() and "Aire Valley" not in response.content.decode()
        assert reads_of(bids[0]) == 0

    def test_an_undeclared_member_gets_403_and_nothing_of_any_bid(self, api, in_evaluation, bids,
                                                                   undeclared_evaluator, evaluator):
        as_user(api, evaluator)
        for url in (bids_url(in_evaluation), bid_url(in_evaluation, bids[0]), bid_url(in_evaluation, bids[1])):
            response = api.get(url)
            assert response.status_code == 403, url
            assert OWN_ANSWER not in response.content.decode() and "Aire Valley" not in response.content.decode()
        assert reads_of(bids[0]) == 0

    def test_a_member_with_a_stake_gets_403_even_after_declaring(self, api, in_evaluation, bids, declared_evaluator,
                                                                  evaluator, rival_org):
        MembershipFactory(user=evaluator, organisation=rival_org, role=role("volunteer"))
        as_user(api, evaluator)
        for url in (bids_url(in_evaluation), bid_url(in_evaluation, bids[0]), bid_url(in_evaluation, bids[1])):
            response = api.get(url)
            assert response.status_code == 403, url
            assert OWN_ANSWER not in response.content.decode() and RIVAL_ANSWER not in response.content.decode()
        assert reads_of(bids[0]) == reads_of(bids[1]) == 0

    def test_nothing_is_visible_before_the_bids_are_opened(self, api, evaluation_opportunity, bids,
                                                           declared_evaluator, evaluator, after_deadline):
        as_user(api, evaluator)
        for url in (bids_url(evaluation_opportunity), bid_url(evaluation_opportunity, bids[0])):
            response = api.get(url)
            assert response.status_code == 403, url
            assert OWN_ANSWER not in response.content.decode()
        assert as_user(api, evaluator).get(panels_url()).json()[0]["may_see_bids"] is False

    def test_nothing_is_visible_before_the_deadline_either(self, api, evaluation_opportunity, bids,
                                                           declared_evaluator, evaluator):
        as_user(api, evaluator)
        for url in (bids_url(evaluation_opportunity), bid_url(evaluation_opportunity, bids[0])):
            response = api.get(url)
            assert response.status_code == 403 and OWN_ANSWER not in response.content.decode()

    def test_someone_not_on_the_panel_gets_404_and_a_bidder_cannot_read_any_bid(
            self, api, in_evaluation, bids, declared_evaluator, outsider, bidder_manager, other_commissioner):
        for person in (outsider, bidder_manager, other_commissioner):
            as_user(api, person)
            for url in (bids_url(in_evaluation), bid_url(in_evaluation, bids[0]), bid_url(in_evaluation, bids[1])):
                response = api.get(url)
                assert response.status_code == 404, (person, url)
                assert OWN_ANSWER not in response.content.decode()

    def test_the_agency_and_the_buyer_off_the_panel_get_403(self, api, in_evaluation, bids, agency_worker,
                                                             commissioner):
        for person in (agency_worker, commissioner):
            response = as_user(api, person).get(bid_url(in_evaluation, bids[0]))
            assert response.status_code == 403 and OWN_ANSWER not in response.content.decode()

    def test_a_removed_member_reads_nothing(self, api, in_evaluation, bids, declared_evaluator, evaluator,
                                            agency_worker):
        services.panel_member_remove(member=declared_evaluator, by=agency_worker, reason="Moved job")
        response = as_user(api, evaluator).get(bid_url(in_evaluation, bids[0]))
        assert response.status_code == 404 and OWN_ANSWER not in response.content.decode()

    def test_a_bad_id_or_a_bid_of_another_opportunity_is_404(self, api, in_evaluation, bids, declared_evaluator,
                                                             evaluator, probation, agency, agency_worker, leeds):
        as_user(api, evaluator)
        assert api.get(bid_url(in_evaluation, uuid.uuid4())).status_code == 404
        other = published(probation, agency=agency, by=agency_worker, areas=[leeds])
        assert api.get(bid_url(other, bids[0])).status_code == 404
        assert api.get(bids_url(other)).status_code == 404

    def test_anonymous_is_refused(self, api, in_evaluation, bids):
        for url in (bids_url(in_evaluation), bid_url(in_evaluation, bids[0])):
            response = api.get(url)
            assert response.status_code in (401, 403) and OWN_ANSWER not in response.content.decode()


# Scores -----------------------------------------------------------------------------------------------

class TestScoring:
    def test_a_declared_member_scores_and_changes_their_score(self, api, in_evaluation, bids, declared_evaluator,
                                                              evaluator):
        criterion = quality(in_evaluation)
        as_user(api, evaluator)
        created = api.post(scores_url(in_evaluation, bids[0]),
                           {"criterion": criterion.pk, "score": 8, "justification": "Houses ready"}, format="json")
        assert created.status_code == 201 and created.json()["score"] == 8
        changed = api.post(scores_url(in_evaluation, bids[0]),
                           {"criterion": criterion.pk, "score": 7, "justification": "On reflection"}, format="json")
        assert changed.status_code == 200
        assert Score.objects.get(evaluator=declared_evaluator).score == 7
        assert api.get(bids_url(in_evaluation)).json()[0]["scored"] == 1

    def test_a_missing_justification_or_a_score_out_of_range_is_a_400(self, api, in_evaluation, bids,
                                                                      declared_evaluator, evaluator):
        criterion = quality(in_evaluation)
        as_user(api, evaluator)
        url = scores_url(in_evaluation, bids[0])
        missing = api.post(url, {"criterion": criterion.pk, "score": 8}, format="json")
        assert missing.status_code == 400 and missing.json() == {"justification": ["Write why you gave this score"]}
        blank = api.post(url, {"criterion": criterion.pk, "score": 8, "justification": "  "}, format="json")
        assert blank.status_code == 400 and "justification" in blank.json()
        for bad in (11, -1, "seven"):
            response = api.post(url, {"criterion": criterion.pk, "score": bad, "justification": "Why"}, format="json")
            assert response.status_code == 400 and "score" in response.json(), bad
        on_price = api.post(url, {"criterion": price(in_evaluation).pk, "score": 5, "justification": "Why"},
                            format="json")
        assert on_price.status_code == 400 and "criterion" in on_price.json()
        assert not Score.objects.exists()

    def test_others_scores_are_shown_only_once_all_are_scored(self, api, in_evaluation, bids, declared_evaluator,
                                                              evaluator, declared_chair, chair):
        criterion = quality(in_evaluation)
        services.score_record(bid=bids[0], criterion=criterion, by=chair, score=3,
                              justification="Chair's secret reasoning")
        as_user(api, evaluator)
        api.post(scores_url(in_evaluation, bids[0]), {"criterion": criterion.pk, "score": 7, "justification": "Mine"},
                 format="json")
        read = api.get(bid_url(in_evaluation, bids[0]))
        assert "Chair's secret reasoning" not in read.content.decode()
        assert read.json()["sections"][0]["your_score"]["score"] == 7
        api.post(scores_url(in_evaluation, bids[1]), {"criterion": criterion.pk, "score": 5,
                                                      "justification": "Mine too"}, format="json")
        everyone = api.get(bid_url(in_evaluation, bids[0])).json()["sections"][0]["everyone"]
        assert everyone["count"] == 2 and everyone["lowest"] == 3 and everyone["highest"] == 7
        assert "Chair's secret reasoning" in [s["justification"] for s in everyone["scores"]]

    def test_an_undeclared_or_conflicted_member_cannot_score(self, api, in_evaluation, bids, undeclared_evaluator,
                                                             evaluator, declared_chair, chair, bidder_org):
        body = {"criterion": quality(in_evaluation).pk, "score": 8, "justification": "Why"}
        assert as_user(api, evaluator).post(scores_url(in_evaluation, bids[0]), body, format="json").status_code == 403
        MembershipFactory(user=chair, organisation=bidder_org, role=role("volunteer"))
        assert as_user(api, chair).post(scores_url(in_evaluation, bids[0]), body, format="json").status_code == 403
        assert not Score.objects.exists()

    def test_outsiders_and_bidders_get_404_and_anonymous_is_refused(self, api, in_evaluation, bids, outsider,
                                                                    bidder_manager):
        body = {"criterion": quality(in_evaluation).pk, "score": 10, "justification": "Ours is best"}
        assert api.post(scores_url(in_evaluation, bids[0]), body, format="json").status_code in (401, 403)
        for person in (outsider, bidder_manager):
            assert as_user(api, person).post(scores_url(in_evaluation, bids[0]), body, format="json").status_code == 404
        assert not Score.objects.exists()

    def test_once_moderated_an_independent_score_cannot_change(self, api, in_evaluation, bids, declared_evaluator,
                                                               evaluator, agency_worker):
        criterion = quality(in_evaluation)
        services.moderated_score_record(bid=bids[0], criterion=criterion, by=agency_worker, score=6, reason="Agreed")
        response = as_user(api, evaluator).post(scores_url(in_evaluation, bids[0]),
                                                {"criterion": criterion.pk, "score": 9, "justification": "Late"},
                                                format="json")
        assert response.status_code == 400 and "already agreed" in response.json()["detail"][0]
        assert api.get(bid_url(in_evaluation, bids[0])).json()["sections"][0]["moderated"] is True


# Questions, visits and the bidder's answers -----------------------------------------------------------

class TestInquiries:
    def test_the_agency_asks_a_question_and_records_a_visit(self, api, in_evaluation, bids, agency_worker):
        as_user(api, agency_worker)
        question = api.post(inquiries_url(in_evaluation, bids[0]),
                            {"kind": "question", "asked": "Who signs off risk?"}, format="json")
        assert question.status_code == 201 and question.json()["answered_at"] is None
        visit = api.post(inquiries_url(in_evaluation, bids[0]), {"kind": "visit", "asked": "See the houses"},
                         format="json")
        assert visit.status_code == 400 and visit.json() == {"answer": ["Write what was found on the visit"]}
        visit = api.post(inquiries_url(in_evaluation, bids[0]),
                         {"kind": "visit", "asked": "See the houses", "answer": "Three, furnished."}, format="json")
        assert visit.status_code == 201
        bad = api.post(inquiries_url(in_evaluation, bids[0]), {"kind": "phone call", "asked": "?"}, format="json")
        assert bad.status_code == 400 and "kind" in bad.json()
        assert Inquiry.objects.count() == 2

    def test_a_declared_chair_may_ask_an_evaluator_may_not(self, api, in_evaluation, bids, declared_evaluator,
                                                           evaluator, declared_chair, chair):
        body = {"kind": "question", "asked": "Who signs off risk?"}
        assert as_user(api, evaluator).post(inquiries_url(in_evaluation, bids[0]), body,
                                            format="json").status_code == 403
        assert as_user(api, chair).post(inquiries_url(in_evaluation, bids[0]), body, format="json").status_code == 201

    def test_outsiders_and_bidders_get_404_and_anonymous_is_refused(self, api, in_evaluation, bids, outsider,
                                                                    bidder_manager):
        body = {"kind": "question", "asked": "?"}
        assert api.post(inquiries_url(in_evaluation, bids[0]), body, format="json").status_code in (401, 403)
        for person in (outsider, bidder_manager):
            assert as_user(api, person).post(inquiries_url(in_evaluation, bids[0]), body,
                                             format="json").status_code == 404
        assert not Inquiry.objects.exists()


class TestAnswers:
    @pytest.fixture
    def question(self, in_evaluation, bids, agency_worker):
        return services.inquiry_record(bid=bids[0], by=agency_worker, kind=Inquiry.Kind.QUESTION,
                                       asked="Who signs off risk?")

    def test_the_bidders_manager_reads_and_answers_once(self, api, question, bidder_manager):
        as_user(api, bidder_manager)
        [listed] = api.get(reverse("api-my-question-list")).json()
        assert listed["id"] == question.pk and listed["asked"] == "Who signs off risk?"
        assert listed["lot"] is None  # an opportunity without lots
        empty = api.post(answer_url(question), {"answer": " "}, format="json")
        assert empty.status_code == 400 and empty.json() == {"answer": ["Write your answer"]}
        response = api.post(answer_url(question), {"answer": "Our safeguarding lead."}, format="json")
        assert response.status_code == 200 and response.json()["answer"] == "Our safeguarding lead."
        question.refresh_from_db()
        assert question.answer == "Our safeguarding lead." and question.answered_at
        again = api.post(answer_url(question), {"answer": "Changed"}, format="json")
        assert again.status_code == 400 and "already been answered" in again.json()["detail"][0]

    def test_the_answer_joins_the_evidence_the_panel_reads(self, api, question, bids, in_evaluation, bidder_manager,
                                                           declared_evaluator, evaluator):
        as_user(api, bidder_manager).post(answer_url(question), {"answer": "Our safeguarding lead."}, format="json")
        [inquiry] = as_user(api, evaluator).get(bid_url(in_evaluation, bids[0])).json()["inquiries"]
        assert inquiry["answer"] == "Our safeguarding lead."

    def test_a_rival_an_outsider_the_agency_and_a_bad_id_get_404(self, api, question, rival_manager, outsider,
                                                                  agency_worker, bidder_org):
        worker = MembershipFactory(organisation=bidder_org, role=role("front-line-worker")).user
        for person in (rival_manager, outsider, agency_worker, worker):
            response = as_user(api, person).post(answer_url(question), {"answer": "Ours"}, format="json")
            assert response.status_code == 404, person
        assert as_user(api, rival_manager).get(reverse("api-my-question-list")).json() == []
        assert api.post(reverse("api-question-answer", args=[question.pk + 1000]), {"answer": "x"},
                        format="json").status_code == 404
        question.refresh_from_db()
        assert question.answered_at is None

    def test_a_visit_cannot_be_answered_by_the_bidder(self, api, bids, agency_worker, bidder_manager, in_evaluation):
        visit = services.inquiry_record(bid=bids[0], by=agency_worker, kind=Inquiry.Kind.VISIT, asked="Houses",
                                        answer="Three")
        assert as_user(api, bidder_manager).post(answer_url(visit), {"answer": "x"}, format="json").status_code == 404

    def test_anonymous_is_refused(self, api, question):
        assert api.post(answer_url(question), {"answer": "x"}, format="json").status_code in (401, 403)


# Moderation -------------------------------------------------------------------------------------------

class TestModeration:
    def test_the_agency_records_a_score_and_changing_it_needs_a_reason(self, api, in_evaluation, bids, agency_worker):
        criterion = quality(in_evaluation)
        as_user(api, agency_worker)
        url = moderated_url(in_evaluation, bids[0])
        created = api.post(url, {"criterion": criterion.pk, "score": "6.5", "reason": "Sound"}, format="json")
        assert created.status_code == 201 and created.json()["score"] == "6.50"
        unexplained = api.post(url, {"criterion": criterion.pk, "score": 9, "reason": "Sound"}, format="json")
        assert unexplained.status_code == 400
        assert unexplained.json() == {
            "change_reason": ["Give the reason for changing a score the panel has already agreed"]}
        assert ModeratedScore.objects.get(bid=bids[0]).score == 6.5
        changed = api.post(url, {"criterion": criterion.pk, "score": 9, "reason": "Sound",
                                 "change_reason": "New evidence from the visit"}, format="json")
        assert changed.status_code == 200 and changed.json()["score"] == "9.00"
        assert changed.json()["changes"][0]["reason"] == "New evidence from the visit"
        assert ModeratedScore.objects.get(bid=bids[0]).score == 9

    def test_a_missing_reason_a_score_out_of_range_or_the_price_criterion_is_a_400(self, api, in_evaluation, bids,
                                                                                   agency_worker):
        as_user(api, agency_worker)
        url = moderated_url(in_evaluation, bids[0])
        criterion = quality(in_evaluation)
        assert "reason" in api.post(url, {"criterion": criterion.pk, "score": 6}, format="json").json()
        for bad in (11, -1, "6.555"):
            response = api.post(url, {"criterion": criterion.pk, "score": bad, "reason": "R"}, format="json")
            assert response.status_code == 400 and "score" in response.json(), bad
        on_price = api.post(url, {"criterion": price(in_evaluation).pk, "score": 6, "reason": "R"}, format="json")
        assert on_price.status_code == 400 and "criterion" in on_price.json()
        assert not ModeratedScore.objects.exists()

    def test_a_declared_chair_moderates_an_evaluator_and_the_buyers_worker_may_not(
            self, api, in_evaluation, bids, declared_evaluator, evaluator, declared_chair, chair, probation_worker):
        body = {"criterion": quality(in_evaluation).pk, "score": 7, "reason": "Agreed"}
        for person in (evaluator, probation_worker):
            assert as_user(api, person).post(moderated_url(in_evaluation, bids[0]), body,
                                             format="json").status_code == 403
        assert as_user(api, chair).post(moderated_url(in_evaluation, bids[0]), body, format="json").status_code == 201

    def test_outsiders_and_bidders_get_404_and_anonymous_is_refused(self, api, in_evaluation, bids, outsider,
                                                                    bidder_manager, other_commissioner):
        body = {"criterion": quality(in_evaluation).pk, "score": 10, "reason": "Ours"}
        assert api.post(moderated_url(in_evaluation, bids[0]), body, format="json").status_code in (401, 403)
        for person in (outsider, bidder_manager, other_commissioner):
            assert as_user(api, person).post(moderated_url(in_evaluation, bids[0]), body,
                                             format="json").status_code == 404
        assert not ModeratedScore.objects.exists()

    def test_nothing_is_moderated_before_the_bids_are_opened(self, api, evaluation_opportunity, bids, agency_worker,
                                                             after_deadline):
        body = {"criterion": quality(evaluation_opportunity).pk, "score": 7, "reason": "Early"}
        as_user(api, agency_worker)
        assert api.post(moderated_url(evaluation_opportunity, bids[0]), body, format="json").status_code == 403
        assert api.post(inquiries_url(evaluation_opportunity, bids[0]), {"kind": "question", "asked": "?"},
                        format="json").status_code == 403
        assert not ModeratedScore.objects.exists() and not Inquiry.objects.exists()


class TestBiddersSeeNoScores:
    def test_a_bidder_reads_neither_the_panels_scores_nor_another_bid(self, api, in_evaluation, bids,
                                                                      declared_evaluator, evaluator, agency_worker,
                                                                      bidder_manager):
        criterion = quality(in_evaluation)
        services.score_record(bid=bids[0], criterion=criterion, by=evaluator, score=8, justification="Panel secret")
        services.moderated_score_record(bid=bids[0], criterion=criterion, by=agency_worker, score=8,
                                        reason="Moderation secret")
        as_user(api, bidder_manager)
        for url in (bids_url(in_evaluation), bid_url(in_evaluation, bids[0]), bid_url(in_evaluation, bids[1])):
            response = api.get(url)
            assert response.status_code == 404, url
        assert api.get(panels_url()).json() == []
        own = api.get(reverse("api-bid-detail", args=[bids[0].uuid]))
        assert own.status_code == 200
        for response in (own, api.get(reverse("api-bid-list")), api.get(reverse("api-my-question-list"))):
            text = response.content.decode()
            assert "Panel secret" not in text and "Moderation secret" not in text and RIVAL_ANSWER not in text
        assert api.get(reverse("api-bid-detail", args=[bids[1].uuid])).status_code == 404
