"""The award API: the whole panel journey through the API (declare, read, score, moderate, recommend,
approve), and the recommendation and the buyer's decision refused to everyone else."""

import pytest
from django.urls import reverse

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import Award, AwardStatus, PanelMember
from pathways.commissioning.services import evaluation as evaluation_services

from tests.factories import OrganisationFactory

from .api_helpers import as_user
from .evaluation_fixtures import *  # noqa: F403
from .evaluation_fixtures import submit_bid
from .factories import published

pytestmark = pytest.mark.django_db


def recommend_url(opportunity):
    return reverse("api-award-recommend", args=[opportunity.uuid])


def approve_url(opportunity):
    return reverse("api-award-approve", args=[opportunity.uuid])


def send_back_url(opportunity):
    return reverse("api-award-send-back", args=[opportunity.uuid])


class TestPanelJourney:
    def test_declare_read_score_moderate_recommend_and_approve_through_the_api(
            self, api, in_evaluation, bids, agency_worker, agency_on_panel, evaluator, commissioner):
        opportunity = in_evaluation
        criterion = opportunity.criteria.get(is_price=False)
        evaluation_services.panel_member_add(opportunity=opportunity, by=agency_worker, email=evaluator.email)

        # The evaluator declares, reads each bid and scores it.
        as_user(api, evaluator)
        [panel] = api.get(reverse("api-evaluation-list")).json()
        assert panel["declared"] is False
        assert api.get(reverse("api-evaluation-bid-list", args=[opportunity.uuid])).status_code == 403
        signed = api.post(reverse("api-evaluation-declaration", args=[opportunity.uuid]),
                          {"declaration": "No link with any bidder.", "confirmed": True}, format="json")
        assert signed.status_code == 200 and signed.json()["may_see_bids"] is True
        listed = api.get(reverse("api-evaluation-bid-list", args=[opportunity.uuid])).json()
        assert {row["uuid"] for row in listed} == {str(bid.uuid) for bid in bids}
        for bid, score in ((bids[0], 9), (bids[1], 5)):
            read = api.get(reverse("api-evaluation-bid", args=[opportunity.uuid, bid.uuid]))
            assert read.status_code == 200 and read.json()["sections"][0]["answer"]
            scored = api.post(reverse("api-evaluation-score", args=[opportunity.uuid, bid.uuid]),
                              {"criterion": criterion.pk, "score": score, "justification": "As I read it"},
                              format="json")
            assert scored.status_code == 201
        assert AuditEntry.objects.filter(action="viewed", actor=evaluator).count() == 2

        # The agency moderates, recommends; the evaluator may not recommend.
        assert api.post(recommend_url(opportunity), {"bid": str(bids[0].uuid), "recommendation": "Best"},
                        format="json").status_code == 403
        as_user(api, agency_worker)
        for bid, score in ((bids[0], 9), (bids[1], 5)):
            moderated = api.post(reverse("api-evaluation-moderated-score", args=[opportunity.uuid, bid.uuid]),
                                 {"criterion": criterion.pk, "score": score, "reason": "The panel agreed."},
                                 format="json")
            assert moderated.status_code == 201
        response = api.post(recommend_url(opportunity), {"bid": str(bids[0].uuid),
                                                         "recommendation": "Best plan, fair price."}, format="json")
        assert response.status_code == 201
        assert response.json()["status"] == AwardStatus.RECOMMENDED and response.json()["bid"] == str(bids[0].uuid)

        # The buyer's commissioner approves: the standstill starts and every bidder has a letter.
        approved = as_user(api, commissioner).post(approve_url(opportunity), format="json")
        assert approved.status_code == 200
        assert approved.json()["status"] == AwardStatus.STANDSTILL and approved.json()["standstill_ends_at"]
        award = Award.objects.get()
        assert award.approved_by == commissioner and award.letters.count() == 2
        assert PanelMember.objects.get(user=evaluator).declared_no_conflict_at


class TestRecommend:
    def test_what_is_missing_or_wrong_is_a_400_naming_the_field(self, api, moderated, bids, agency_worker,
                                                                probation, agency, leeds):
        as_user(api, agency_worker)
        missing = api.post(recommend_url(moderated), {"bid": str(bids[0].uuid), "recommendation": " "},
                           format="json")
        assert missing.status_code == 400
        assert missing.json() == {"recommendation": ["Write why the panel recommends this bid, in plain words"]}
        assert api.post(recommend_url(moderated), {"recommendation": "Best"}, format="json").json() == {
            "bid": ["Choose the bid the panel recommends"]}
        other = published(probation, agency=agency, by=agency_worker, areas=[leeds])
        elsewhere = submit_bid(other, OrganisationFactory(name="Elsewhere Trust"), sections={}, price=1)
        for bid_id in (elsewhere.uuid, "00000000-0000-0000-0000-000000000000"):
            unknown = api.post(recommend_url(moderated), {"bid": str(bid_id), "recommendation": "Best"},
                               format="json")
            assert unknown.status_code == 400
            assert unknown.json() == {"bid": ["Choose one of the bids being evaluated"]}
        assert not Award.objects.exists()

    def test_running_the_panel_without_sitting_on_it_is_not_enough_to_recommend(self, api, in_evaluation, bids,
                                                                                agency_worker):
        criterion = in_evaluation.criteria.get(is_price=False)
        for bid, score in ((bids[0], 9), (bids[1], 5)):
            evaluation_services.moderated_score_record(bid=bid, criterion=criterion, by=agency_worker, score=score,
                                                       reason="Agreed")
        response = as_user(api, agency_worker).post(recommend_url(in_evaluation), {
            "bid": str(bids[0].uuid), "recommendation": "Best"}, format="json")
        assert response.status_code == 403
        assert not Award.objects.exists()

    def test_every_bid_must_be_moderated_first(self, api, in_evaluation, bids, agency_worker, agency_on_panel):
        response = as_user(api, agency_worker).post(recommend_url(in_evaluation), {
            "bid": str(bids[0].uuid), "recommendation": "Best"}, format="json")
        assert response.status_code == 400 and "agreed score" in response.json()["detail"][0]
        assert not Award.objects.exists()

    def test_a_second_recommendation_is_refused(self, api, recommended, bids, agency_worker):
        response = as_user(api, agency_worker).post(recommend_url(recommended.opportunity), {
            "bid": str(bids[1].uuid), "recommendation": "Changed our minds"}, format="json")
        assert response.status_code == 400 and Award.objects.get().bid == bids[0]

    def test_the_buyers_commissioner_gets_403_outsiders_bidders_and_other_buyers_404(
            self, api, moderated, bids, commissioner, outsider, bidder_manager, other_commissioner):
        body = {"bid": str(bids[0].uuid), "recommendation": "Ours"}
        assert api.post(recommend_url(moderated), body, format="json").status_code in (401, 403)
        assert as_user(api, commissioner).post(recommend_url(moderated), body, format="json").status_code == 403
        for person in (outsider, bidder_manager, other_commissioner):
            assert as_user(api, person).post(recommend_url(moderated), body, format="json").status_code == 404
        assert not Award.objects.exists()


class TestDecide:
    def test_sending_back_needs_a_reason_then_the_agency_may_recommend_again(self, api, recommended, bids,
                                                                             commissioner, agency_worker):
        opportunity = recommended.opportunity
        as_user(api, commissioner)
        missing = api.post(send_back_url(opportunity), {}, format="json")
        assert missing.status_code == 400
        assert missing.json() == {"reason": ["Give the reason for sending the recommendation back"]}
        assert Award.objects.filter(pk=recommended.pk).exists()
        response = api.post(send_back_url(opportunity), {"reason": "Check the rival's price again."}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "sent back"
        assert Award.objects.get().status == AwardStatus.RETURNED
        assert api.post(approve_url(opportunity), format="json").status_code == 404
        again = as_user(api, agency_worker).post(recommend_url(opportunity), {
            "bid": str(bids[1].uuid), "recommendation": "Checked again."}, format="json")
        assert again.status_code == 201

    def test_approving_twice_finds_nothing_waiting(self, api, recommended, commissioner):
        as_user(api, commissioner)
        assert api.post(approve_url(recommended.opportunity), format="json").status_code == 200
        assert api.post(approve_url(recommended.opportunity), format="json").status_code == 404
        assert api.post(send_back_url(recommended.opportunity), {"reason": "Late"}, format="json").status_code == 404
        assert Award.objects.get().status == AwardStatus.STANDSTILL

    def test_a_commissioner_of_another_buyer_outsiders_and_bidders_get_404(self, api, recommended,
                                                                          other_commissioner, outsider,
                                                                          bidder_manager):
        opportunity = recommended.opportunity
        for person in (other_commissioner, outsider, bidder_manager):
            as_user(api, person)
            assert api.post(approve_url(opportunity), format="json").status_code == 404
            assert api.post(send_back_url(opportunity), {"reason": "No"}, format="json").status_code == 404
        assert Award.objects.get().status == AwardStatus.RECOMMENDED

    def test_the_agency_the_panel_and_the_buyers_worker_get_403(self, api, recommended, agency_worker,
                                                                 declared_evaluator, evaluator, probation_worker):
        opportunity = recommended.opportunity
        for person in (agency_worker, evaluator, probation_worker):
            as_user(api, person)
            assert api.post(approve_url(opportunity), format="json").status_code == 403, person
            assert api.post(send_back_url(opportunity), {"reason": "No"}, format="json").status_code == 403, person
        assert Award.objects.get().status == AwardStatus.RECOMMENDED

    def test_anonymous_is_refused(self, api, recommended):
        opportunity = recommended.opportunity
        assert api.post(approve_url(opportunity), format="json").status_code in (401, 403)
        assert api.post(send_back_url(opportunity), {"reason": "No"}, format="json").status_code in (401, 403)
        assert Award.objects.get().status == AwardStatus.RECOMMENDED
