"""The agency's side of the API, as its pages do it and through the same permissions and services: answering
and publishing clarifications, opening the bids, building the panel and reading the ranking.

Anyone outside the buyer and the agency (a bidder, an outsider) is told nothing exists (404); their members who
may not do the thing get a 403; a rule that refuses is a 400 naming the field. The ranking, which decrypts the
bids to read their prices, is only for whoever moderates and may see the bids, and only after the opening."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import Clarification, PanelMember
from pathways.commissioning.services import bid_format
from pathways.commissioning.services import clarifications as clarification_services
from pathways.commissioning.services import evaluation as evaluation_services
from tests.factories import MembershipFactory, member, role

from .api_helpers import as_user, price, quality
from .evaluation_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

QUESTION = "Aire Valley Homes has a house on Kirkstall Road: can we use it for this contract?"


def reads_of(bid):
    return AuditEntry.objects.filter(action="viewed", target_id=str(bid.pk)).count()


@pytest.fixture
def agency_volunteer(agency):
    """A member of the agency whose role does not run competitions."""
    return member("volunteer", agency, email="volunteer@example.org", full_name="Val Volunteer")


@pytest.fixture
def unseals(monkeypatch):
    """Every bid decrypted while the test runs, by id."""
    seen = []
    real = bid_format.bid_unseal

    def spy(bid, private_key):
        seen.append(bid.pk)
        return real(bid, private_key)

    monkeypatch.setattr(bid_format, "bid_unseal", spy)
    return seen


# Clarifications -----------------------------------------------------------------------------------------

def waiting_url(opportunity):
    return reverse("api-clarification-waiting", args=[getattr(opportunity, "uuid", opportunity)])


def answer_url(opportunity, clarification_id):
    return reverse("api-clarification-answer", args=[opportunity.uuid, clarification_id])


@pytest.fixture
def question(evaluation_opportunity, bidder_org, bidder_manager):
    return clarification_services.clarification_ask(opportunity=evaluation_opportunity, organisation=bidder_org,
                                                    by=bidder_manager, question=QUESTION)


ANSWER = {"published_question": "Can a bidder use a house it already has?", "answer": "Yes, if it is in Leeds."}


class TestClarificationsWaiting:
    def test_the_agency_sees_what_was_asked_and_when_never_who_asked(self, api, question, evaluation_opportunity,
                                                                     agency_worker):
        response = as_user(api, agency_worker).get(waiting_url(evaluation_opportunity))
        assert response.status_code == 200
        [row] = response.json()
        assert set(row) == {"id", "question", "asked_at"}
        assert row["id"] == question.pk and row["question"] == QUESTION
        assert "Aire Valley Homes" not in str(response.content.replace(QUESTION.encode(), b""))

    def test_a_published_question_is_no_longer_waiting(self, api, question, evaluation_opportunity, agency_worker):
        as_user(api, agency_worker).post(answer_url(evaluation_opportunity, question.pk), ANSWER, format="json")
        assert api.get(waiting_url(evaluation_opportunity)).json() == []

    def test_the_buyers_commissioner_may_read_them_too(self, api, question, evaluation_opportunity, commissioner):
        assert as_user(api, commissioner).get(waiting_url(evaluation_opportunity)).status_code == 200

    def test_members_without_the_right_get_a_403(self, api, question, evaluation_opportunity, probation_worker,
                                                 agency_volunteer):
        assert as_user(api, probation_worker).get(waiting_url(evaluation_opportunity)).status_code == 403
        assert as_user(api, agency_volunteer).get(waiting_url(evaluation_opportunity)).status_code == 403

    def test_the_asker_an_outsider_and_an_unknown_opportunity_get_a_404(self, api, question, evaluation_opportunity,
                                                                        bidder_manager, outsider, agency_worker):
        assert as_user(api, bidder_manager).get(waiting_url(evaluation_opportunity)).status_code == 404
        assert as_user(api, outsider).get(waiting_url(evaluation_opportunity)).status_code == 404
        assert as_user(api, agency_worker).get(waiting_url(uuid.uuid4())).status_code == 404

    def test_anonymous_is_refused(self, api, question, evaluation_opportunity):
        assert api.get(waiting_url(evaluation_opportunity)).status_code in (401, 403)


class TestClarificationAnswer:
    def test_the_agency_publishes_it_and_everyone_bidding_is_told(self, api, question, evaluation_opportunity, bids,
                                                                  agency_worker, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = as_user(api, agency_worker).post(answer_url(evaluation_opportunity, question.pk), ANSWER,
                                                        format="json")
        assert response.status_code == 200
        assert response.json()["question"] == ANSWER["published_question"]
        assert response.json()["answer"] == ANSWER["answer"] and response.json()["published_at"]
        question.refresh_from_db()
        assert question.published_at and question.answered_by == agency_worker
        public = api.get(reverse("api-clarification-list", args=[evaluation_opportunity.uuid])).json()
        assert [row["question"] for row in public] == [ANSWER["published_question"]]
        assert "bidder@example.org" in {address for message in mail.outbox for address in message.to}

    def test_empty_fields_are_a_400_naming_each_and_nothing_is_published(self, api, question, evaluation_opportunity,
                                                                         agency_worker):
        response = as_user(api, agency_worker).post(answer_url(evaluation_opportunity, question.pk),
                                                    {"published_question": "  "}, format="json")
        assert response.status_code == 400
        assert response.json() == {"published_question": ["Enter the question as it will be published"],
                                   "answer": ["Enter the answer"]}
        assert Clarification.objects.get(pk=question.pk).published_at is None

    def test_an_answer_is_published_once(self, api, question, evaluation_opportunity, agency_worker):
        as_user(api, agency_worker).post(answer_url(evaluation_opportunity, question.pk), ANSWER, format="json")
        again = api.post(answer_url(evaluation_opportunity, question.pk), {**ANSWER, "answer": "No."}, format="json")
        assert again.status_code == 400
        assert again.json() == {"detail": ["This answer has already been published."]}
        assert Clarification.objects.get(pk=question.pk).answer == ANSWER["answer"]

    def test_members_without_the_right_get_a_403(self, api, question, evaluation_opportunity, probation_worker,
                                                 agency_volunteer):
        for person in (probation_worker, agency_volunteer):
            response = as_user(api, person).post(answer_url(evaluation_opportunity, question.pk), ANSWER,
                                                 format="json")
            assert response.status_code == 403
        assert Clarification.objects.get(pk=question.pk).published_at is None

    def test_the_asker_an_outsider_and_a_question_of_another_opportunity_get_a_404(
            self, api, question, evaluation_opportunity, bidder_manager, outsider, agency_worker):
        for person in (bidder_manager, outsider):
            response = as_user(api, person).post(answer_url(evaluation_opportunity, question.pk), ANSWER,
                                                 format="json")
            assert response.status_code == 404
        unknown = as_user(api, agency_worker).post(answer_url(evaluation_opportunity, question.pk + 1), ANSWER,
                                                   format="json")
        assert unknown.status_code == 404
        assert Clarification.objects.get(pk=question.pk).published_at is None


# Opening the bids ---------------------------------------------------------------------------------------

def open_url(opportunity):
    return reverse("api-bids-open", args=[getattr(opportunity, "uuid", opportunity)])


class TestBidsOpen:
    def test_after_the_deadline_the_agency_opens_them_and_it_is_audited(self, api, after_deadline,
                                                                        evaluation_opportunity, bids, agency_worker):
        response = as_user(api, agency_worker).post(open_url(evaluation_opportunity))
        assert response.status_code == 200
        assert response.json()["opened"] == 2 and response.json()["bids_opened_at"]
        evaluation_opportunity.refresh_from_db()
        assert evaluation_opportunity.bids_opened_by == agency_worker
        assert AuditEntry.objects.filter(target_id=str(evaluation_opportunity.pk),
                                         changes__has_key="bids_opened_at").exists()

    def test_they_are_opened_once(self, api, after_deadline, evaluation_opportunity, bids, agency_worker):
        as_user(api, agency_worker).post(open_url(evaluation_opportunity))
        again = api.post(open_url(evaluation_opportunity))
        assert again.status_code == 400 and again.json() == {"detail": ["The bids have already been opened."]}

    def test_before_the_deadline_it_is_a_400_and_they_stay_sealed(self, api, evaluation_opportunity, bids,
                                                                  agency_worker):
        with time_machine.travel(evaluation_opportunity.deadline - timedelta(minutes=1), tick=False):
            response = as_user(api, agency_worker).post(open_url(evaluation_opportunity))
        assert response.status_code == 400
        assert response.json() == {"detail": ["Bids stay sealed until the deadline has passed."]}
        evaluation_opportunity.refresh_from_db()
        assert evaluation_opportunity.bids_opened_at is None

    def test_the_buyer_does_not_open_what_the_agency_runs_and_other_members_get_a_403(
            self, api, after_deadline, evaluation_opportunity, bids, commissioner, probation_worker,
            agency_volunteer):
        for person in (commissioner, probation_worker, agency_volunteer):
            assert as_user(api, person).post(open_url(evaluation_opportunity)).status_code == 403
        evaluation_opportunity.refresh_from_db()
        assert evaluation_opportunity.bids_opened_at is None

    def test_a_bidder_an_outsider_and_an_unknown_opportunity_get_a_404(self, api, after_deadline,
                                                                       evaluation_opportunity, bids, bidder_manager,
                                                                       outsider, agency_worker):
        assert as_user(api, bidder_manager).post(open_url(evaluation_opportunity)).status_code == 404
        assert as_user(api, outsider).post(open_url(evaluation_opportunity)).status_code == 404
        assert as_user(api, agency_worker).post(open_url(uuid.uuid4())).status_code == 404
        assert APIClient().post(open_url(evaluation_opportunity)).status_code in (401, 403)
        evaluation_opportunity.refresh_from_db()
        assert evaluation_opportunity.bids_opened_at is None


# The panel ----------------------------------------------------------------------------------------------

def panel_url(opportunity):
    return reverse("api-evaluation-panel", args=[getattr(opportunity, "uuid", opportunity)])


def remove_url(opportunity, member_id):
    return reverse("api-evaluation-panel-remove", args=[opportunity.uuid, member_id])


@pytest.fixture
def evaluator_on_panel(evaluation_opportunity, agency_worker, evaluator):
    return evaluation_services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker,
                                                email=evaluator.email)


class TestPanelList:
    def test_the_agency_lists_members_with_role_criteria_declaration_and_no_conflict(
            self, api, evaluation_opportunity, agency_worker, evaluator_on_panel, declared_chair):
        response = as_user(api, agency_worker).get(panel_url(evaluation_opportunity))
        assert response.status_code == 200
        chair, eve = response.json()
        assert (chair["name"], chair["role"], chair["declared"]) == ("Chris Chair", "chair", True)
        assert chair["declared_at"] and chair["conflicts"] == [] and chair["criteria"] == []
        assert (eve["id"], eve["email"], eve["role"]) == (evaluator_on_panel.pk, "eve@example.org", "evaluator")
        assert eve["declared"] is False and eve["declared_at"] is None

    def test_a_member_who_has_a_stake_in_a_bidder_shows_it(self, api, evaluation_opportunity, agency_worker,
                                                          evaluator_on_panel, evaluator, bids):
        MembershipFactory(user=evaluator, organisation=bids[0].bidder, role=role("volunteer"))
        [row] = as_user(api, agency_worker).get(panel_url(evaluation_opportunity)).json()
        assert row["conflicts"] == ["Eve Evaluator is a member of Aire Valley Homes, and Aire Valley Homes is bidding."]

    def test_a_removed_member_is_not_listed(self, api, evaluation_opportunity, agency_worker, evaluator_on_panel):
        evaluation_services.panel_member_remove(member=evaluator_on_panel, by=agency_worker, reason="Left the job.")
        assert as_user(api, agency_worker).get(panel_url(evaluation_opportunity)).json() == []

    def test_the_buyer_without_the_agency_and_a_panel_member_get_a_403(
            self, api, evaluation_opportunity, evaluator_on_panel, commissioner, agency_volunteer, evaluator):
        for person in (commissioner, agency_volunteer, evaluator):
            assert as_user(api, person).get(panel_url(evaluation_opportunity)).status_code == 403

    def test_a_bidder_an_outsider_and_an_unknown_opportunity_get_a_404(self, api, evaluation_opportunity, bids,
                                                                       bidder_manager, outsider, agency_worker):
        assert as_user(api, bidder_manager).get(panel_url(evaluation_opportunity)).status_code == 404
        assert as_user(api, outsider).get(panel_url(evaluation_opportunity)).status_code == 404
        assert as_user(api, agency_worker).get(panel_url(uuid.uuid4())).status_code == 404
        assert APIClient().get(panel_url(evaluation_opportunity)).status_code in (401, 403)


class TestPanelAdd:
    def test_the_agency_adds_someone_by_email_with_a_role_and_criteria(self, api, evaluation_opportunity,
                                                                       agency_worker, evaluator):
        criterion = quality(evaluation_opportunity)
        response = as_user(api, agency_worker).post(panel_url(evaluation_opportunity), {
            "email": "EVE@example.org", "role": "chair", "criteria": [criterion.pk]}, format="json")
        assert response.status_code == 201
        body = response.json()
        assert (body["email"], body["role"], body["declared"], body["conflicts"]) == (
            "eve@example.org", "chair", False, [])
        assert body["criteria"] == [{"id": criterion.pk, "title": criterion.title}]
        added = PanelMember.objects.get(user=evaluator)
        assert added.role == "chair" and list(added.criteria.all()) == [criterion] and added.added_by == agency_worker
        assert AuditEntry.objects.filter(action="created", target_id=str(added.pk)).exists()

    def test_the_role_defaults_to_evaluator_and_no_criteria_means_every_one(self, api, evaluation_opportunity,
                                                                            agency_worker, evaluator):
        response = as_user(api, agency_worker).post(panel_url(evaluation_opportunity), {"email": evaluator.email},
                                                    format="json")
        assert response.status_code == 201
        assert (response.json()["role"], response.json()["criteria"]) == ("evaluator", [])

    def test_someone_with_a_stake_in_a_bidder_is_refused_with_the_reason(self, api, evaluation_opportunity, bids,
                                                                         agency_worker, bidder_manager):
        response = as_user(api, agency_worker).post(panel_url(evaluation_opportunity),
                                                    {"email": bidder_manager.email}, format="json")
        assert response.status_code == 400
        [message] = response.json()["email"]
        assert "cannot be on this panel" in message and "Aire Valley Homes is bidding" in message
        assert not PanelMember.objects.exists()

    @pytest.mark.parametrize(("sent", "field", "message"), [
        ({}, "email", "Enter the email address of the person to add"),
        ({"email": "not an address"}, "email", "Enter an email address like name@example.org"),
        ({"email": "nobody@example.org"}, "email",
         "No one uses Pathways with that email address. Ask them to join Pathways first."),
        ({"email": "eve@example.org", "role": "observer"}, "role", "Choose whether they chair the panel or evaluate"),
        ({"email": "eve@example.org", "criteria": [987654]}, "criteria",
         "Choose criteria of this opportunity that the panel scores"),
    ])
    def test_what_is_refused_is_a_400_naming_the_field(self, api, evaluation_opportunity, agency_worker, evaluator,
                                                       sent, field, message):
        response = as_user(api, agency_worker).post(panel_url(evaluation_opportunity), sent, format="json")
        assert response.status_code == 400
        assert response.json() == {field: [message]}
        assert not PanelMember.objects.exists()

    def test_the_price_is_not_scored_by_the_panel(self, api, evaluation_opportunity, agency_worker, evaluator):
        response = as_user(api, agency_worker).post(panel_url(evaluation_opportunity), {
            "email": evaluator.email, "criteria": [price(evaluation_opportunity).pk]}, format="json")
        assert response.status_code == 400 and "criteria" in response.json()
        assert not PanelMember.objects.exists()

    def test_someone_already_on_the_panel_is_not_added_twice(self, api, evaluation_opportunity, agency_worker,
                                                             evaluator_on_panel, evaluator):
        response = as_user(api, agency_worker).post(panel_url(evaluation_opportunity), {"email": evaluator.email},
                                                    format="json")
        assert response.status_code == 400
        assert response.json() == {"email": ["Eve Evaluator is already on the panel."]}

    def test_only_whoever_runs_the_panel_adds(self, api, evaluation_opportunity, commissioner, agency_volunteer,
                                              bidder_manager, outsider, evaluator):
        for person, refused in ((commissioner, 403), (agency_volunteer, 403), (bidder_manager, 404),
                                (outsider, 404)):
            response = as_user(api, person).post(panel_url(evaluation_opportunity), {"email": evaluator.email},
                                                 format="json")
            assert response.status_code == refused
        assert not PanelMember.objects.exists()


class TestPanelRemove:
    def test_the_agency_removes_a_member_with_the_reason(self, api, evaluation_opportunity, agency_worker,
                                                         evaluator_on_panel):
        response = as_user(api, agency_worker).post(remove_url(evaluation_opportunity, evaluator_on_panel.pk),
                                                    {"reason": "Moved to another team."}, format="json")
        assert response.status_code == 200
        assert response.json()["reason"] == "Moved to another team." and response.json()["removed_at"]
        evaluator_on_panel.refresh_from_db()
        assert evaluator_on_panel.removed_at and evaluator_on_panel.removed_reason == "Moved to another team."
        assert AuditEntry.objects.filter(action="removed", target_id=str(evaluator_on_panel.pk),
                                         reason="Moved to another team.").exists()

    def test_no_reason_is_a_400_and_they_stay(self, api, evaluation_opportunity, agency_worker, evaluator_on_panel):
        for sent in ({}, {"reason": "   "}):
            response = as_user(api, agency_worker).post(remove_url(evaluation_opportunity, evaluator_on_panel.pk),
                                                        sent, format="json")
            assert response.status_code == 400
            assert response.json() == {"reason": ["Give the reason for removing them from the panel"]}
        evaluator_on_panel.refresh_from_db()
        assert evaluator_on_panel.removed_at is None

    def test_a_member_already_removed_or_of_another_panel_is_a_404(self, api, evaluation_opportunity, agency_worker,
                                                                   evaluator_on_panel):
        evaluation_services.panel_member_remove(member=evaluator_on_panel, by=agency_worker, reason="Left.")
        for member_id in (evaluator_on_panel.pk, evaluator_on_panel.pk + 1000):
            response = as_user(api, agency_worker).post(remove_url(evaluation_opportunity, member_id),
                                                        {"reason": "Again."}, format="json")
            assert response.status_code == 404

    def test_only_whoever_runs_the_panel_removes(self, api, evaluation_opportunity, evaluator_on_panel, commissioner,
                                                 agency_volunteer, evaluator, bidder_manager, outsider):
        for person, refused in ((commissioner, 403), (agency_volunteer, 403), (evaluator, 403),
                                (bidder_manager, 404), (outsider, 404)):
            response = as_user(api, person).post(remove_url(evaluation_opportunity, evaluator_on_panel.pk),
                                                 {"reason": "Not wanted."}, format="json")
            assert response.status_code == refused
        evaluator_on_panel.refresh_from_db()
        assert evaluator_on_panel.removed_at is None


# The ranking --------------------------------------------------------------------------------------------

def ranking_url(opportunity, lot=None):
    url = reverse("api-evaluation-ranking", args=[getattr(opportunity, "uuid", opportunity)])
    return url if lot is None else f"{url}?lot={lot}"


class TestRanking:
    def test_the_agency_on_the_panel_reads_it_and_each_bid_read_is_audited(self, api, moderated, bids,
                                                                           agency_worker):
        response = as_user(api, agency_worker).get(ranking_url(moderated))
        assert response.status_code == 200
        body = response.json()
        assert (body["lot"], body["complete"]) == (None, True)
        first, second = body["rows"]
        # Aire: 9/10 × 60 + 320,000/400,000 × 40 = 86; Calder: 5/10 × 60 + 40 = 70.
        assert (first["position"], first["bid"], first["name"], first["bidder"], first["consortium"]) == (
            1, str(bids[0].uuid), "Aire Valley Homes", "Aire Valley Homes", None)
        assert (first["total"], first["price"], first["complete"]) == ("86.00", "400000.00", True)
        assert (second["position"], second["name"], second["total"]) == (2, "Calder Housing Project", "70.00")
        criterion, cost = first["criteria"]
        assert (criterion["id"], criterion["score"], criterion["points"], criterion["reason"]) == (
            quality(moderated).pk, "9.00", "54.00", "A tested plan with houses ready.")
        assert (cost["is_price"], cost["score"], cost["points"]) == (True, None, "32.00")
        assert [reads_of(bid) for bid in bids] == [1, 1]

    def test_a_lot_is_refused_for_an_opportunity_without_lots(self, api, moderated, agency_worker, unseals):
        response = as_user(api, agency_worker).get(ranking_url(moderated, lot=1))
        assert response.status_code == 400
        assert response.json() == {"lot": ["This opportunity has no lots"]}
        assert unseals == []

    def test_with_lots_each_is_ranked_on_its_own_and_only_its_bids_are_read(self, api, lots_moderated, lot_bids,
                                                                            agency_worker, unseals):
        response = as_user(api, agency_worker).get(ranking_url(lots_moderated, lot=2))
        assert response.status_code == 200
        body = response.json()
        assert body["lot"] == 2 and body["complete"] is True
        # Lot 2, lowest £250,000: Wharfe 8/10 × 60 + 40 = 88; Calder 36 + 250/300 × 40 = 69.33.
        assert [(row["name"], row["total"]) for row in body["rows"]] == [
            ("Wharfe Women's Aid", "88.00"), ("Calder Housing Project", "69.33")]
        assert sorted(unseals) == sorted(bid.pk for bid in lot_bids[2])
        assert [reads_of(bid) for bid in lot_bids[1]] == [0, 0]
        lot1 = api.get(ranking_url(lots_moderated, lot=1)).json()
        assert [(row["name"], row["total"]) for row in lot1["rows"]] == [
            ("Aire Valley Homes", "86.00"), ("Calder Housing Project", "70.00")]

    @pytest.mark.parametrize("lot", [None, "", "3", "west"])
    def test_with_lots_the_lot_must_be_one_of_them(self, api, lots_moderated, agency_worker, unseals, lot):
        response = as_user(api, agency_worker).get(ranking_url(lots_moderated, lot=lot))
        assert response.status_code == 400
        assert response.json() == {"lot": ["Choose one of this opportunity's lots: 1, 2"]}
        assert unseals == []

    def test_before_the_opening_it_is_a_403_and_nothing_is_decrypted(self, api, evaluation_opportunity, bids,
                                                                      after_deadline, agency_worker, agency_on_panel,
                                                                      unseals):
        assert as_user(api, agency_worker).get(ranking_url(evaluation_opportunity)).status_code == 403
        assert unseals == [] and [reads_of(bid) for bid in bids] == [0, 0]

    def test_an_undeclared_member_gets_a_403_and_nothing_is_decrypted(self, api, in_evaluation, bids, agency_worker,
                                                                      unseals):
        evaluation_services.panel_member_add(opportunity=in_evaluation, by=agency_worker, email=agency_worker.email,
                                             role="chair")
        assert as_user(api, agency_worker).get(ranking_url(in_evaluation)).status_code == 403
        assert unseals == [] and [reads_of(bid) for bid in bids] == [0, 0]

    def test_a_member_with_a_stake_in_a_bidder_gets_a_403_and_nothing_is_decrypted(
            self, api, moderated, bids, agency_worker, declared_chair, chair, unseals):
        MembershipFactory(user=agency_worker, organisation=bids[1].bidder, role=role("volunteer"))
        MembershipFactory(user=chair, organisation=bids[0].bidder, role=role("volunteer"))
        for person in (agency_worker, chair):
            assert as_user(api, person).get(ranking_url(moderated)).status_code == 403
        assert unseals == [] and [reads_of(bid) for bid in bids] == [0, 0]

    def test_the_declared_chair_reads_it(self, api, moderated, declared_chair, chair):
        response = as_user(api, chair).get(ranking_url(moderated))
        assert response.status_code == 200 and len(response.json()["rows"]) == 2

    def test_those_who_do_not_moderate_or_do_not_see_bids_get_a_403(self, api, in_evaluation, bids, agency_worker,
                                                                   declared_evaluator, evaluator, commissioner,
                                                                   unseals):
        # The agency runs the panel but does not sit on it; an evaluator sees bids but does not moderate.
        for person in (agency_worker, evaluator, commissioner):
            assert as_user(api, person).get(ranking_url(in_evaluation)).status_code == 403
        assert unseals == []

    def test_a_bidder_an_outsider_and_an_unknown_opportunity_get_a_404(self, api, moderated, bidder_manager,
                                                                       outsider, agency_worker, unseals):
        assert as_user(api, bidder_manager).get(ranking_url(moderated)).status_code == 404
        assert as_user(api, outsider).get(ranking_url(moderated)).status_code == 404
        assert as_user(api, agency_worker).get(ranking_url(uuid.uuid4())).status_code == 404
        assert APIClient().get(ranking_url(moderated)).status_code in (401, 403)
        assert unseals == []


def test_the_opening_lets_the_declared_panel_read_the_ranking(api, evaluation_opportunity, bids, after_deadline,
                                                              agency_worker, agency_on_panel):
    """Opened through the API, ranked through the API: one path from the deadline to the ranking."""
    assert as_user(api, agency_worker).post(open_url(evaluation_opportunity)).status_code == 200
    response = api.get(ranking_url(evaluation_opportunity))
    assert response.status_code == 200
    assert response.json()["complete"] is False  # no score agreed yet
    assert [row["complete"] for row in response.json()["rows"]] == [False, False]
