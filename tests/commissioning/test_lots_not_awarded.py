"""Ending a lot without an award: when the panel finds no acceptable bid for a lot, those who manage the
opportunity end it, with the reason, and its bidders are told. The opportunity is awarded once every lot with
bids is confirmed or ended, and it can no longer be cancelled once one lot's award is confirmed. The pages,
the API and the open data for it."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import OpportunityStatus
from pathways.commissioning.ocds import codes, packages, validation
from pathways.commissioning.ocds.releases import published_opportunities, releases_of
from pathways.commissioning.services import awards as services
from pathways.commissioning.services import opportunities as opportunity_services
from pathways.core.errors import DomainError

from .evaluation_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

REASON = "No bid showed how it would keep tenancies going in East Leeds."


def lot(opportunity, number):
    return opportunity.lots.get(number=number)


def end(opportunity, number, by, reason=REASON, now=None):
    return services.lot_not_awarded(opportunity=opportunity, lot=lot(opportunity, number), by=by, reason=reason,
                                    now=now)


def recommend(opportunity, bid, by):
    return services.award_recommend(opportunity=opportunity, bid=bid, by=by,
                                    recommendation=f"The highest score for {bid.lot.title}.")


def status_of(opportunity):
    opportunity.refresh_from_db()
    return opportunity.status


class TestWhoMay:
    def test_the_agency_running_it_ends_a_lot_with_the_reason_and_it_is_audited(self, lots_moderated,
                                                                                 agency_worker):
        ended = end(lots_moderated, 2, agency_worker, reason=f"  {REASON}  ")

        assert (ended.not_awarded_by, ended.not_awarded_reason) == (agency_worker, REASON)
        assert ended.not_awarded_at is not None
        entry = AuditEntry.objects.filter(target_id=str(ended.pk), actor=agency_worker).latest("pk")
        assert entry.reason == REASON and entry.changes["status"] == ["under evaluation", "not awarded"]
        assert status_of(lots_moderated) == OpportunityStatus.EVALUATION  # lot 1 is still to be decided

    def test_the_buyers_commissioner_may_too(self, lots_moderated, commissioner):
        assert end(lots_moderated, 1, commissioner).not_awarded_by == commissioner

    @pytest.mark.parametrize("who", ["evaluator", "bidder_manager", "probation_worker", "outsider"])
    def test_anyone_else_is_refused(self, request, lots_moderated, declared_evaluator, who):
        with pytest.raises(PermissionDenied):
            end(lots_moderated, 2, request.getfixturevalue(who))
        assert lot(lots_moderated, 2).not_awarded_at is None

    def test_nobody_is_refused(self, lots_moderated):
        with pytest.raises(PermissionDenied):
            end(lots_moderated, 2, None)


class TestRules:
    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_reason_is_needed(self, lots_moderated, agency_worker, reason):
        with pytest.raises(DomainError, match="bidders and the public will read it") as refused:
            end(lots_moderated, 2, agency_worker, reason=reason)
        assert refused.value.field == "reason"
        assert lot(lots_moderated, 2).not_awarded_at is None

    def test_a_recommendation_must_be_sent_back_first(self, lots_moderated, lot_bids, agency_worker, commissioner):
        award = recommend(lots_moderated, lot_bids[2][1], agency_worker)
        with pytest.raises(DomainError, match="must send it back before the lot can end without an award"):
            end(lots_moderated, 2, agency_worker)
        services.award_send_back(award=award, by=commissioner, reason="No bid is good enough")
        assert end(lots_moderated, 2, agency_worker).not_awarded_at is not None

    def test_an_approved_award_in_standstill_blocks_it(self, lots_moderated, lot_bids, agency_worker, commissioner):
        services.award_approve(award=recommend(lots_moderated, lot_bids[2][1], agency_worker), by=commissioner)
        with pytest.raises(DomainError, match="award for Lot 2: East Leeds is in standstill"):
            end(lots_moderated, 2, agency_worker)

    def test_the_last_lot_that_could_be_awarded_cannot_end(self, lots_moderated, agency_worker):
        end(lots_moderated, 2, agency_worker)
        with pytest.raises(DomainError, match="No lot would be awarded: cancel the opportunity instead"):
            end(lots_moderated, 1, agency_worker)
        assert lot(lots_moderated, 1).not_awarded_at is None

    def test_a_lot_ends_once_and_is_then_not_recommended(self, lots_moderated, lot_bids, agency_worker):
        end(lots_moderated, 2, agency_worker)
        with pytest.raises(DomainError, match="already ended without an award"):
            end(lots_moderated, 2, agency_worker)
        with pytest.raises(DomainError, match="Lot 2: East Leeds has ended without an award"):
            recommend(lots_moderated, lot_bids[2][1], agency_worker)

    def test_only_while_the_bids_are_under_evaluation(self, lot1_confirmed, lots_moderated, agency_worker):
        end(lots_moderated, 2, agency_worker)
        assert status_of(lots_moderated) == OpportunityStatus.AWARDED
        with pytest.raises(DomainError, match="under evaluation"):
            end(lots_moderated, 1, agency_worker)


class TestBiddersAreTold:
    def test_each_bidder_for_that_lot_only_is_emailed_the_reason(
            self, lots_moderated, agency_worker, bidder_manager, rival_manager, third_manager, mailoutbox,
            django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            end(lots_moderated, 1, agency_worker, reason="No bid had houses ready in West Leeds.")
        by_address = {message.to[0]: message for message in mailoutbox}
        assert set(by_address) == {bidder_manager.email, rival_manager.email}
        message = by_address[bidder_manager.email]
        assert message.subject == f"No award for lot 1: {lots_moderated.reference}"
        assert "Lot 1, West Leeds" in message.body and "No bid had houses ready in West Leeds." in message.body

    def test_nothing_is_emailed_when_it_is_refused(self, lots_moderated, agency_worker, mailoutbox,
                                                  django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
            end(lots_moderated, 1, agency_worker, reason="")
        assert mailoutbox == []


class TestTheOpportunityIsAwarded:
    def test_when_the_other_lot_was_confirmed_before(self, lot1_confirmed, lots_moderated, agency_worker):
        assert status_of(lots_moderated) == OpportunityStatus.EVALUATION
        end(lots_moderated, 2, agency_worker)
        assert status_of(lots_moderated) == OpportunityStatus.AWARDED and lots_moderated.awarded_at is not None

    def test_when_the_other_lot_is_confirmed_after(self, lots_moderated, lot_bids, agency_worker, commissioner):
        end(lots_moderated, 2, agency_worker)
        award = services.award_approve(award=recommend(lots_moderated, lot_bids[1][0], agency_worker),
                                       by=commissioner)
        with time_machine.travel(award.standstill_ends_at + timedelta(minutes=1), tick=False):
            services.award_confirm(award=award, by=None)
        assert status_of(lots_moderated) == OpportunityStatus.AWARDED

    def test_not_while_another_lot_is_still_being_decided(self, lots_moderated, agency_worker):
        end(lots_moderated, 1, agency_worker)
        assert status_of(lots_moderated) == OpportunityStatus.EVALUATION
        assert not services.every_lot_settled(lots_moderated)


class TestNoCancellingOnceALotIsConfirmed:
    def test_cancelling_is_refused_naming_the_lot(self, lot1_confirmed, lots_moderated, agency_worker):
        with pytest.raises(DomainError, match="award for Lot 1: West Leeds is confirmed") as refused:
            opportunity_services.opportunity_cancel(opportunity=lots_moderated, by=agency_worker,
                                                    reason="Funding withdrawn")
        assert "End each remaining lot without an award" in refused.value.message
        assert status_of(lots_moderated) == OpportunityStatus.EVALUATION

    def test_cancelling_still_works_while_no_award_is_confirmed(self, lots_moderated, lot_bids, agency_worker):
        recommend(lots_moderated, lot_bids[1][0], agency_worker)
        end(lots_moderated, 2, agency_worker)
        opportunity_services.opportunity_cancel(opportunity=lots_moderated, by=agency_worker,
                                                reason="Funding withdrawn")
        assert status_of(lots_moderated) == OpportunityStatus.CANCELLED


def end_url(opportunity, number):
    return reverse("commissioning:award-lot-not-awarded", args=[opportunity.uuid, number])


def manage_page(client, opportunity):
    return client.get(reverse("commissioning:opportunity-manage", args=[opportunity.uuid])).content.decode()


class TestPages:
    def test_the_manage_page_offers_it_for_each_lot_without_a_recommendation(self, client, lots_moderated, lot_bids,
                                                                           agency_worker):
        recommend(lots_moderated, lot_bids[1][0], agency_worker)
        client.force_login(agency_worker)
        page = manage_page(client, lots_moderated)
        assert "End this lot without an award" in page
        assert end_url(lots_moderated, 2) in page and end_url(lots_moderated, 1) not in page

    def test_ending_through_the_page_then_shows_not_awarded_with_who_when_and_why(self, client, lots_moderated,
                                                                                 agency_worker):
        client.force_login(agency_worker)
        assert client.get(end_url(lots_moderated, 2)).status_code == 200
        response = client.post(end_url(lots_moderated, 2), {"reason": REASON})
        assert response.status_code == 302
        page = manage_page(client, lots_moderated)
        east = page[page.index("Lot 2: East Leeds"):]
        assert "Not awarded" in east and REASON in east and agency_worker.full_name in east
        assert lot(lots_moderated, 2).not_awarded_at.strftime("%-d %B %Y") in east
        assert end_url(lots_moderated, 2) not in page
        assert end_url(lots_moderated, 1) not in page  # the last lot that can be awarded
        assert client.get(end_url(lots_moderated, 2)).status_code == 404

    def test_the_form_says_what_is_wrong_and_keeps_what_was_typed(self, client, lots_moderated, lot_bids,
                                                                  agency_worker):
        client.force_login(agency_worker)
        blank = client.post(end_url(lots_moderated, 2), {"reason": ""}).content.decode()
        assert "govuk-error-summary" in blank and "Give the reason this lot ends without an award" in blank
        recommend(lots_moderated, lot_bids[2][1], agency_worker)  # someone recommends meanwhile
        refused = client.post(end_url(lots_moderated, 2), {"reason": "Typed before the recommendation"})
        assert refused.status_code == 200
        assert "govuk-error-summary" in refused.content.decode()
        assert "The buyer must send it back" in refused.content.decode()
        assert "Typed before the recommendation" in refused.content.decode()
        assert lot(lots_moderated, 2).not_awarded_at is None

    def test_an_unknown_lot_is_not_found(self, client, lots_moderated, agency_worker):
        client.force_login(agency_worker)
        assert client.get(end_url(lots_moderated, 3)).status_code == 404

    def test_the_panel_is_refused_and_outsiders_find_nothing(self, client, lots_moderated, declared_evaluator,
                                                             evaluator, bidder_manager, outsider):
        client.force_login(evaluator)
        assert client.post(end_url(lots_moderated, 2), {"reason": REASON}).status_code == 403
        for person in (bidder_manager, outsider):
            client.force_login(person)
            assert client.get(end_url(lots_moderated, 2)).status_code == 404
        client.logout()
        assert client.get(end_url(lots_moderated, 2)).status_code == 302  # to sign in
        assert lot(lots_moderated, 2).not_awarded_at is None

    def test_the_public_sees_the_lot_not_awarded_and_why_but_nothing_of_its_bids(self, client, lot1_confirmed,
                                                                                 lots_moderated, agency_worker):
        end(lots_moderated, 2, agency_worker)
        page = client.get(reverse("commissioning:opportunity", args=[lots_moderated.uuid])).content.decode()
        results = page.split("Results</h2>", 1)[1]
        east = results[results.index("Lot 2: East Leeds"):]
        assert "Not awarded" in east and REASON in east
        assert "Wharfe" not in results and "Bids received" not in east and "250,000" not in east


class TestApi:
    @pytest.fixture
    def api(self):
        return APIClient()

    def post(self, api, opportunity, number, body):
        return api.post(reverse("api-lot-not-awarded", args=[opportunity.uuid, number]), body, format="json")

    def test_ending_a_lot(self, api, lot1_confirmed, lots_moderated, agency_worker):
        api.force_authenticate(agency_worker)
        response = self.post(api, lots_moderated, 2, {"reason": REASON})
        assert response.status_code == 200
        assert {key: response.json()[key] for key in ("lot", "title", "reason", "opportunity_status")} == {
            "lot": 2, "title": "East Leeds", "reason": REASON, "opportunity_status": OpportunityStatus.AWARDED}

    def test_the_reason_is_needed(self, api, lots_moderated, agency_worker):
        api.force_authenticate(agency_worker)
        for body in ({}, {"reason": "  "}):
            response = self.post(api, lots_moderated, 2, body)
            assert response.status_code == 400 and list(response.json()) == ["reason"]

    def test_a_rule_refusal_is_a_400(self, api, lots_moderated, agency_worker):
        end(lots_moderated, 2, agency_worker)
        api.force_authenticate(agency_worker)
        response = self.post(api, lots_moderated, 1, {"reason": REASON})
        assert response.status_code == 400
        assert response.json() == {"detail": ["No lot would be awarded: cancel the opportunity instead."]}

    def test_unknown_lot_outsiders_and_the_panel(self, api, lots_moderated, agency_worker, declared_evaluator,
                                                 evaluator, bidder_manager):
        assert self.post(api, lots_moderated, 2, {"reason": REASON}).status_code in (401, 403)
        api.force_authenticate(agency_worker)
        assert self.post(api, lots_moderated, 3, {"reason": REASON}).status_code == 404
        api.force_authenticate(bidder_manager)
        assert self.post(api, lots_moderated, 2, {"reason": REASON}).status_code == 404
        api.force_authenticate(evaluator)
        assert self.post(api, lots_moderated, 2, {"reason": REASON}).status_code == 403
        assert lot(lots_moderated, 2).not_awarded_at is None


def lot_statuses(release):
    return {row["id"]: row["status"] for row in release["tender"]["lots"]}


class TestOpenData:
    def test_the_ended_lot_is_unsuccessful_from_then_and_its_bidders_are_not_named(self, lot1_confirmed,
                                                                                   lots_moderated, agency_worker):
        ended_at = lot1_confirmed.created_at + timedelta(days=2)
        end(lots_moderated, 2, agency_worker, now=ended_at)

        releases = releases_of(published_opportunities().get(pk=lots_moderated.pk))

        by_key = {release["id"].rsplit("-", 2)[-2]: release for release in releases}
        assert lot_statuses(by_key["lot1"]) == {"1": "complete", "2": "active"}
        last = releases[-1]
        assert last["tag"] == ["tenderUpdate"] and last["id"].rsplit("-", 2)[-2] == "lot2"
        assert last["tender"]["status"] == "complete"
        assert lot_statuses(last) == {"1": "complete", "2": "unsuccessful"}
        assert "unsuccessful" in codes.codelist("tenderStatus")
        assert [award["relatedLots"] for award in last["awards"]] == [["1"]]
        assert "Wharfe Women's Aid" not in {party["name"] for party in last["parties"]}
        package = packages.release_package(releases, uri="https://example.org/ocds/releases/")
        assert validation.release_package_errors(package) == []

    def test_a_lot_ended_before_any_award_is_unsuccessful_while_the_tender_goes_on(self, lots_moderated,
                                                                                  agency_worker):
        end(lots_moderated, 2, agency_worker)

        last = releases_of(published_opportunities().get(pk=lots_moderated.pk))[-1]

        assert last["tag"] == ["tenderUpdate"] and last["tender"]["status"] == "active"
        assert lot_statuses(last) == {"1": "active", "2": "unsuccessful"}
        assert "awards" not in last and "tenderers" not in last["tender"]
