"""Writing a sealed bid through the API: the same services, rules and people as the bid pages.

Its organisation's managers start, draft, attach, submit, withdraw and delete; its other members read the draft
(as the bid's page shows it to them) and are refused every change; anyone outside it (another bidder, the buyer,
the agency) is told nothing exists. Once submitted nothing the bid says comes back, and the server's clock
decides the deadline."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pathways.commissioning.models import Bid, BidAttachment, BidStatus, FullCostCalculation
from pathways.commissioning.selectors.bids import price_criterion, section_criteria
from pathways.commissioning.services import bids as bid_services

from .bid_fixtures import *  # noqa: F403
from .bid_fixtures import FILE_MARKER, MARKER, PDF, complete_draft, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_bid(opportunity, bidder, bidder_manager):
    """A started bid with every section answered, a price and one attachment (not submitted)."""
    return complete_draft(opportunity, bidder, bidder_manager)


def quality(opportunity):
    return section_criteria(opportunity)[0]


def start_url(opportunity):
    return reverse("api-bid-start", args=[opportunity.uuid])


def draft_url(bid):
    return reverse("api-bid-draft", args=[bid.uuid])


def attachments_url(bid):
    return reverse("api-bid-attachment-list", args=[bid.uuid])


def attachment_url(bid, attachment_id):
    return reverse("api-bid-attachment-detail", args=[bid.uuid, attachment_id])


def submit_url(bid):
    return reverse("api-bid-submit", args=[bid.uuid])


def withdraw_url(bid):
    return reverse("api-bid-withdraw", args=[bid.uuid])


def detail_url(bid):
    return reverse("api-bid-detail", args=[bid.uuid])


def price_url(bid):
    return reverse("api-bid-price", args=[bid.uuid])


def full_answer(opportunity, text=MARKER) -> dict:
    return {
        "sections": {str(criterion.pk): text for criterion in section_criteria(opportunity)},
        "price": "380000",
        "subcontractors": [{"organisation": "Leeds Credit Union", "work": "Money advice", "share_percent": 10}],
    }


def every_request(bid, attachment_id=None):
    """Each bid endpoint of the API, as (method, url, body)."""
    attachment_id = attachment_id or uuid.uuid4()
    return [
        ("get", draft_url(bid), None),
        ("put", draft_url(bid), {"sections": {}}),
        ("patch", draft_url(bid), {"price": "1"}),
        ("post", price_url(bid), {"calculation": 1}),
        ("post", attachments_url(bid), {"file": pdf_upload()}),
        ("delete", attachment_url(bid, attachment_id), None),
        ("post", submit_url(bid), None),
        ("post", withdraw_url(bid), None),
        ("delete", detail_url(bid), None),
    ]


def call(api, method, url, body):
    if method == "post" and body and "file" in body:
        return api.post(url, body, format="multipart")
    return getattr(api, method)(url, body, format="json") if body is not None else getattr(api, method)(url)


class TestTheWholeJourney:
    def test_start_save_attach_submit_withdraw_and_submit_again(self, api, opportunity, bidder, bidder_manager):
        api.force_authenticate(bidder_manager)

        # Given a manager of a bidding organisation, when they start a bid, then it is a draft of theirs.
        started = api.post(start_url(opportunity), {}, format="json")
        assert started.status_code == 201, started.content
        body = started.json()
        assert body["status"] == "draft" and body["bidder"] == bidder.name
        assert body["sections"] == {} and body["price"] is None and body["attachments"] == []
        assert [c["id"] for c in body["criteria"]] == [c.pk for c in section_criteria(opportunity)]
        bid = Bid.objects.get(uuid=body["uuid"])

        # When they save the draft, then it reads back as saved.
        saved = api.put(draft_url(bid), full_answer(opportunity), format="json")
        assert saved.status_code == 200, saved.content
        assert saved.json()["sections"] == {str(quality(opportunity).pk): MARKER}
        assert saved.json()["price"] == "380000"
        assert saved.json()["subcontractors"] == [
            {"organisation": "Leeds Credit Union", "work": "Money advice", "share_percent": 10}]

        # When they attach a PDF, then it is listed with the draft.
        attached = api.post(attachments_url(bid), {"file": pdf_upload()}, format="multipart")
        assert attached.status_code == 201, attached.content
        assert attached.json()["name"] == "staffing-plan.pdf"
        assert attached.json()["content_type"] == "application/pdf" and attached.json()["size"] == len(PDF)
        draft = api.get(draft_url(bid)).json()
        assert [item["uuid"] for item in draft["attachments"]] == [attached.json()["uuid"]]
        assert draft["problems"] == []

        # When they submit, then the answer is the receipt and nothing of what was sealed.
        submitted = api.post(submit_url(bid))
        assert submitted.status_code == 200, submitted.content
        receipt = submitted.json()
        bid.refresh_from_db()
        assert receipt["status"] == "submitted" and receipt["receipt_hash"] == bid.receipt_hash
        assert len(receipt["receipt_hash"]) == 64 and receipt["submitted_at"]
        assert MARKER not in submitted.content.decode() and "380000" not in submitted.content.decode()

        # When they withdraw it, then it is withdrawn and they may start again.
        withdrawn = api.post(withdraw_url(bid))
        assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
        again = api.post(start_url(opportunity), {"organisation": bidder.slug}, format="json")
        assert again.status_code == 201 and again.json()["uuid"] != str(bid.uuid)
        second = Bid.objects.get(uuid=again.json()["uuid"])
        assert api.put(draft_url(second), full_answer(opportunity, text="A second, better answer"),
                       format="json").status_code == 200
        resubmitted = api.post(submit_url(second))
        assert resubmitted.status_code == 200, resubmitted.content
        assert resubmitted.json()["receipt_hash"] not in ("", receipt["receipt_hash"])
        assert dict(Bid.objects.filter(bidder=bidder).values_list("uuid", "status")) == {
            bid.uuid: BidStatus.WITHDRAWN, second.uuid: BidStatus.SUBMITTED}

    def test_starting_again_while_a_bid_is_live_gives_that_bid_not_a_second_one(self, api, draft_bid,
                                                                                 opportunity, bidder_manager):
        api.force_authenticate(bidder_manager)
        response = api.post(start_url(opportunity), {}, format="json")
        assert response.status_code == 200 and response.json()["uuid"] == str(draft_bid.uuid)
        assert Bid.objects.count() == 1

    def test_patch_changes_only_what_it_names_and_put_replaces_the_whole_draft(self, api, draft_bid, opportunity,
                                                                               bidder_manager):
        api.force_authenticate(bidder_manager)
        patched = api.patch(draft_url(draft_bid), {"price": "£250,000"}, format="json")
        assert patched.status_code == 200
        assert patched.json()["price"] == "250000"
        assert patched.json()["sections"] == {str(quality(opportunity).pk): MARKER}
        assert len(patched.json()["subcontractors"]) == 1
        replaced = api.put(draft_url(draft_bid), {"sections": {str(quality(opportunity).pk): "Shorter"}},
                           format="json")
        assert replaced.status_code == 200
        assert replaced.json()["price"] is None and replaced.json()["subcontractors"] == []
        assert replaced.json()["sections"] == {str(quality(opportunity).pk): "Shorter"}

    def test_the_price_can_come_from_a_saved_full_cost_calculation_of_the_organisation_only(
        self, api, draft_bid, bidder, rival, bidder_manager
    ):
        ours = FullCostCalculation.objects.create(organisation=bidder, title="Three years", term_months=36,
                                                  yearly_total=Decimal(130000), total=Decimal(390000))
        theirs = FullCostCalculation.objects.create(organisation=rival, title="Theirs", term_months=36,
                                                    yearly_total=Decimal(1), total=Decimal(3))
        api.force_authenticate(bidder_manager)
        refused = api.post(price_url(draft_bid), {"calculation": theirs.pk}, format="json")
        assert refused.status_code == 400 and "saved calculations" in refused.json()["calculation"][0]
        response = api.post(price_url(draft_bid), {"calculation": ours.pk}, format="json")
        assert response.status_code == 200
        assert response.json()["price"] == "390000" and response.json()["full_cost_calculation"] == ours.pk

    def test_a_draft_is_deleted_but_a_submitted_bid_is_not(self, api, submitted_bid, rival, rival_manager,
                                                           bidder_manager, opportunity):
        rivals = complete_draft(opportunity, rival, rival_manager)
        api.force_authenticate(rival_manager)
        assert api.delete(detail_url(rivals)).status_code == 204
        assert not Bid.objects.filter(pk=rivals.pk).exists()
        assert not BidAttachment.objects.filter(bid_id=rivals.pk).exists()
        api.force_authenticate(bidder_manager)
        refused = api.delete(detail_url(submitted_bid))
        assert refused.status_code == 400 and refused.json() == {"detail": ["Only a draft can be deleted."]}
        assert Bid.objects.filter(pk=submitted_bid.pk, status=BidStatus.SUBMITTED).exists()


class TestProblemsNameTheField:
    def test_an_answer_over_the_word_limit_is_refused_naming_the_criterion_and_nothing_is_saved(
        self, api, draft_bid, opportunity, bidder_manager
    ):
        api.force_authenticate(bidder_manager)
        criterion = quality(opportunity)
        response = api.put(draft_url(draft_bid), {"sections": {str(criterion.pk): "word " * 501}, "price": "1"},
                           format="json")
        assert response.status_code == 400
        assert response.json() == {f"section_{criterion.pk}": [
            "Your answer to “Quality of support” must be 500 words or fewer: it has 501"]}
        draft_bid.refresh_from_db()
        assert draft_bid.draft["sections"] == {str(criterion.pk): MARKER} and draft_bid.draft["price"] == "380000"

    def test_every_problem_with_a_draft_is_named_at_once(self, api, draft_bid, bidder_manager):
        api.force_authenticate(bidder_manager)
        response = api.patch(draft_url(draft_bid), {
            "price": "12.50", "consortium": 999,
            "subcontractors": [{"organisation": "", "work": "Money advice", "share_percent": 0},
                               {"organisation": "Calder", "work": "Housing", "share_percent": 100},
                               {"organisation": "Leeds Credit Union", "work": "Money advice", "share_percent": 5}],
        }, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"price", "consortium", "subcontractor_0_organisation",
                                        "subcontractor_0_share_percent", "subcontractors"}
        assert "whole number of pounds" in response.json()["price"][0]

    def test_an_answer_to_a_criterion_the_opportunity_does_not_have_is_refused(self, api, draft_bid,
                                                                               bidder_manager):
        api.force_authenticate(bidder_manager)
        response = api.patch(draft_url(draft_bid), {"sections": {"999999": "Hello"}}, format="json")
        assert response.status_code == 400 and list(response.json()) == ["sections"]

    def test_submitting_an_incomplete_bid_lists_every_problem_and_submits_nothing(self, api, opportunity, bidder,
                                                                                  bidder_manager):
        bid = bid_services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        api.force_authenticate(bidder_manager)
        assert {p["field"] for p in api.get(draft_url(bid)).json()["problems"]} == {
            f"section_{quality(opportunity).pk}", "price"}
        response = api.post(submit_url(bid))
        assert response.status_code == 400
        assert response.json() == {
            f"section_{quality(opportunity).pk}": ["Enter your answer to “Quality of support”"],
            "price": ["Enter your price, in pounds"],
        }
        bid.refresh_from_db()
        assert bid.status == BidStatus.DRAFT and not bid.receipt_hash and bid.sealed is None
        assert price_criterion(opportunity) is not None


class TestAttachments:
    def test_a_file_that_is_not_what_its_name_says_is_refused(self, api, draft_bid, bidder_manager):
        api.force_authenticate(bidder_manager)
        for upload in (SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
                       SimpleUploadedFile("run-me.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
                       SimpleUploadedFile("notes.txt", b"\x00\x01\x02", content_type="text/plain")):
            response = api.post(attachments_url(draft_bid), {"file": upload}, format="multipart")
            assert response.status_code == 400, upload.name
            assert response.json() == {"file": [f"The selected file must be {bid_services.ATTACHMENT_TYPES_LABEL}"]}
        assert draft_bid.attachments.count() == 1

    def test_a_file_too_large_or_missing_is_refused(self, api, draft_bid, bidder_manager, monkeypatch):
        api.force_authenticate(bidder_manager)
        monkeypatch.setattr(bid_services, "MAX_ATTACHMENT_BYTES", len(PDF) - 1)
        too_big = api.post(attachments_url(draft_bid), {"file": pdf_upload()}, format="multipart")
        assert too_big.status_code == 400 and "must be smaller than" in too_big.json()["file"][0]
        missing = api.post(attachments_url(draft_bid), {}, format="multipart")
        assert missing.status_code == 400 and missing.json() == {"file": ["Select a file"]}
        assert draft_bid.attachments.count() == 1

    def test_an_attachment_is_removed_once(self, api, draft_bid, bidder_manager):
        attachment = draft_bid.attachments.get()
        api.force_authenticate(bidder_manager)
        assert api.delete(attachment_url(draft_bid, attachment.uuid)).status_code == 204
        assert api.get(draft_url(draft_bid)).json()["attachments"] == []
        again = api.delete(attachment_url(draft_bid, attachment.uuid))
        assert again.status_code == 400 and again.json() == {"detail": ["That attachment is not part of this bid."]}

    def test_nothing_is_attached_to_or_removed_from_a_submitted_bid(self, api, submitted_bid, bidder_manager):
        api.force_authenticate(bidder_manager)
        added = api.post(attachments_url(submitted_bid), {"file": pdf_upload()}, format="multipart")
        assert added.status_code == 400 and "submitted" in added.json()["detail"][0]
        removed = api.delete(attachment_url(submitted_bid, submitted_bid.attachments.get().uuid))
        assert removed.status_code == 400
        assert submitted_bid.attachments.count() == 1


class TestTheDeadline:
    def test_a_submission_one_second_after_the_deadline_is_refused(self, api, draft_bid, opportunity,
                                                                   bidder_manager):
        api.force_authenticate(bidder_manager)
        with time_machine.travel(opportunity.deadline + timedelta(seconds=1), tick=False):
            response = api.post(submit_url(draft_bid))
        assert response.status_code == 400 and "deadline" in response.json()["detail"][0]
        draft_bid.refresh_from_db()
        assert draft_bid.status == BidStatus.DRAFT and draft_bid.sealed is None

    def test_a_submission_at_the_deadline_is_refused_and_one_second_before_it_is_taken(self, api, draft_bid,
                                                                                       opportunity, bidder_manager):
        api.force_authenticate(bidder_manager)
        with time_machine.travel(opportunity.deadline, tick=False):
            assert api.post(submit_url(draft_bid)).status_code == 400
        with time_machine.travel(opportunity.deadline - timedelta(seconds=1), tick=False):
            response = api.post(submit_url(draft_bid))
        assert response.status_code == 200 and response.json()["status"] == "submitted"

    def test_after_the_deadline_nothing_is_started_saved_attached_or_withdrawn(self, api, opportunity, bidder,
                                                                               bidder_manager, submitted_bid,
                                                                               rival, rival_manager):
        rivals = complete_draft(opportunity, rival, rival_manager)
        with time_machine.travel(opportunity.deadline + timedelta(seconds=1), tick=False):
            api.force_authenticate(bidder_manager)
            withdrawn = api.post(withdraw_url(submitted_bid))
            assert withdrawn.status_code == 400 and "deadline" in withdrawn.json()["detail"][0]
            api.force_authenticate(rival_manager)
            assert api.patch(draft_url(rivals), {"price": "1"}, format="json").status_code == 400
            assert api.post(attachments_url(rivals), {"file": pdf_upload()}, format="multipart").status_code == 400
            other = member_of_new_bidder()
            api.force_authenticate(other)
            late_start = api.post(start_url(opportunity), {}, format="json")
            assert late_start.status_code == 400 and "deadline" in late_start.json()["detail"][0]
        submitted_bid.refresh_from_db()
        assert submitted_bid.status == BidStatus.SUBMITTED
        rivals.refresh_from_db()
        assert rivals.draft["price"] == "380000"


def member_of_new_bidder():
    from tests.factories import OrganisationFactory, member

    organisation = OrganisationFactory(name="Late Starters CIC", slug="late-starters")
    return member("manager", organisation, email="late@example.org")


class TestSealed:
    def test_after_submission_nothing_the_bid_says_comes_back_from_any_endpoint(self, api, submitted_bid,
                                                                               opportunity, bidder_manager,
                                                                               bidder_worker):
        for person in (bidder_manager, bidder_worker):
            api.force_authenticate(person)
            responses = [api.get(draft_url(submitted_bid)), api.get(detail_url(submitted_bid)),
                         api.get(reverse("api-bid-list")), api.post(start_url(opportunity), {}, format="json")]
            for response in responses:
                assert response.status_code == 200
                body = response.content.decode()
                assert MARKER not in body and FILE_MARKER.decode() not in body
                assert "380000" not in body and "staffing-plan" not in body and "Leeds Credit Union" not in body
            draft = responses[0].json()
            assert draft["status"] == "submitted" and draft["receipt_hash"] == submitted_bid.receipt_hash
            assert draft["sections"] == {} and draft["price"] is None and draft["attachments"] == []
            assert draft["subcontractors"] == [] and draft["problems"] == []

    def test_a_submitted_bid_cannot_be_changed_or_submitted_twice(self, api, submitted_bid, bidder_manager):
        api.force_authenticate(bidder_manager)
        changed = api.patch(draft_url(submitted_bid), {"price": "1"}, format="json")
        assert changed.status_code == 400 and "submitted" in changed.json()["detail"][0]
        twice = api.post(submit_url(submitted_bid))
        assert twice.status_code == 400
        before = submitted_bid.receipt_hash
        submitted_bid.refresh_from_db()
        assert submitted_bid.receipt_hash == before

    def test_only_a_submitted_bid_is_withdrawn(self, api, draft_bid, bidder_manager):
        api.force_authenticate(bidder_manager)
        response = api.post(withdraw_url(draft_bid))
        assert response.status_code == 400 and response.json() == {"detail": ["Only a submitted bid can be withdrawn."]}


class TestWhoMay:
    def test_anonymous_people_are_refused_everywhere(self, api, draft_bid, opportunity):
        assert api.post(start_url(opportunity), {}, format="json").status_code in (401, 403)
        for method, url, body in every_request(draft_bid):
            assert call(api, method, url, body).status_code in (401, 403), (method, url)
        draft_bid.refresh_from_db()
        assert draft_bid.status == BidStatus.DRAFT and draft_bid.draft["price"] == "380000"

    def test_another_organisations_manager_is_told_nothing_exists(self, api, draft_bid, opportunity, bidder,
                                                                  rival_manager):
        api.force_authenticate(rival_manager)
        for method, url, body in every_request(draft_bid, attachment_id=draft_bid.attachments.get().uuid):
            response = call(api, method, url, body)
            assert response.status_code == 404, (method, url, response.status_code)
            assert MARKER not in response.content.decode()
        # nor can they start a bid in the bidder's name
        assert api.post(start_url(opportunity), {"organisation": bidder.slug}, format="json").status_code == 404
        draft_bid.refresh_from_db()
        assert draft_bid.draft["price"] == "380000" and draft_bid.attachments.count() == 1

    def test_another_organisations_manager_is_told_nothing_about_a_submitted_bid(self, api, submitted_bid,
                                                                                 rival_manager):
        api.force_authenticate(rival_manager)
        for method, url, body in every_request(submitted_bid):
            assert call(api, method, url, body).status_code == 404, (method, url)
        submitted_bid.refresh_from_db()
        assert submitted_bid.status == BidStatus.SUBMITTED

    def test_a_member_who_is_not_a_manager_reads_the_draft_but_changes_nothing(self, api, draft_bid, opportunity,
                                                                               bidder_worker):
        api.force_authenticate(bidder_worker)
        read = api.get(draft_url(draft_bid))
        assert read.status_code == 200 and read.json()["sections"] == {str(quality(opportunity).pk): MARKER}
        for method, url, body in every_request(draft_bid, attachment_id=draft_bid.attachments.get().uuid)[1:]:
            assert call(api, method, url, body).status_code == 403, (method, url)
        draft_bid.refresh_from_db()
        assert draft_bid.status == BidStatus.DRAFT and draft_bid.draft["price"] == "380000"
        assert draft_bid.attachments.count() == 1

    def test_a_member_who_is_not_a_manager_cannot_start_a_bid(self, api, opportunity, bidder_worker):
        api.force_authenticate(bidder_worker)
        assert api.post(start_url(opportunity), {}, format="json").status_code == 403
        assert not Bid.objects.exists()

    def test_a_member_who_is_not_a_manager_cannot_submit_or_withdraw(self, api, submitted_bid, bidder_worker):
        api.force_authenticate(bidder_worker)
        assert api.post(withdraw_url(submitted_bid)).status_code == 403
        submitted_bid.refresh_from_db()
        assert submitted_bid.status == BidStatus.SUBMITTED

    def test_the_buyer_neither_reads_nor_writes_a_bid_nor_bids_itself(self, api, draft_bid, submitted_bid_rival,
                                                                      opportunity, commissioner, probation):
        api.force_authenticate(commissioner)
        for bid in (draft_bid, submitted_bid_rival):
            for method, url, body in every_request(bid):
                response = call(api, method, url, body)
                assert response.status_code == 404, (method, url, response.status_code)
                assert MARKER not in response.content.decode()
        assert api.post(start_url(opportunity), {}, format="json").status_code == 403
        assert api.post(start_url(opportunity), {"organisation": probation.slug}, format="json").status_code == 403
        assert not Bid.objects.filter(bidder=probation).exists()

    def test_the_agency_neither_reads_nor_writes_a_bid_nor_bids_itself(self, api, agency_opportunity, bidder,
                                                                       bidder_manager, agency_worker):
        bid = complete_draft(agency_opportunity, bidder, bidder_manager)
        api.force_authenticate(agency_worker)
        for method, url, body in every_request(bid):
            assert call(api, method, url, body).status_code == 404, (method, url)
        assert api.post(start_url(agency_opportunity), {}, format="json").status_code == 403

    def test_someone_without_an_organisation_cannot_start_a_bid(self, api, opportunity):
        from tests.factories import UserFactory

        api.force_authenticate(UserFactory(email="nobody@example.org"))
        response = api.post(start_url(opportunity), {}, format="json")
        assert response.status_code == 403

    def test_a_bid_or_opportunity_that_does_not_exist_is_not_found(self, api, bidder_manager, probation,
                                                                   opportunity):
        from .factories import make_opportunity

        api.force_authenticate(bidder_manager)
        missing = Bid(uuid=uuid.uuid4())
        for method, url, body in every_request(missing):
            assert call(api, method, url, body).status_code == 404, (method, url)
        assert api.post(reverse("api-bid-start", args=[uuid.uuid4()]), {}, format="json").status_code == 404
        unpublished = make_opportunity(probation, title="Not published yet")
        assert api.post(start_url(unpublished), {}, format="json").status_code == 404

    @pytest.fixture
    def submitted_bid_rival(self, opportunity, rival, rival_manager):
        bid = complete_draft(opportunity, rival, rival_manager)
        return bid_services.bid_submit(bid=bid, by=rival_manager)
