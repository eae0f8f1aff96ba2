"""Sealed bids through the services: starting, drafting within word limits, attachments checked by their bytes,
submission sealed whole or not at all, withdrawal, and opening after the deadline."""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from pathways.audit.models import AuditEntry
from pathways.commissioning import sealing
from pathways.commissioning.models import (
    Bid,
    BidAttachment,
    BidStatus,
    FullCostCalculation,
    Notification,
    Procedure,
)
from pathways.commissioning.selectors.bids import section_criteria, submitted_bids, word_count
from pathways.commissioning.services import bid_format
from pathways.commissioning.services import bids as services
from pathways.core.errors import DomainError

from .bid_fixtures import *  # noqa: F403
from .bid_fixtures import FILE_MARKER, MARKER, PDF, complete_draft, join_panel, pdf_upload
from .factories import published

pytestmark = pytest.mark.django_db


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def zipped(**files) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


class TestStarting:
    def test_a_manager_starts_one_bid_for_their_organisation_and_it_is_audited(self, opportunity, bidder,
                                                                                bidder_manager):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        assert bid.status == BidStatus.DRAFT and bid.bidder == bidder
        assert AuditEntry.objects.filter(target_id=str(bid.pk), owner=bidder).exists()
        with pytest.raises(DomainError, match="already has a bid"):
            services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)

    def test_a_member_who_is_not_a_manager_cannot_start_a_bid(self, opportunity, bidder, bidder_worker):
        with pytest.raises(PermissionDenied):
            services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_worker)

    def test_the_buyer_cannot_bid_for_its_own_opportunity(self, opportunity, probation):
        from tests.factories import member

        buyer_manager = member("manager", probation, email="probation.manager@example.org")
        with pytest.raises(DomainError, match="cannot bid"):
            services.bid_start(opportunity=opportunity, organisation=probation, by=buyer_manager)

    def test_a_mini_competition_takes_only_invited_organisations(self, probation, leeds, bidder, bidder_manager):
        opportunity = published(probation, areas=[leeds], procedure=Procedure.MINI_COMPETITION)
        with pytest.raises(DomainError, match="only organisations invited"):
            services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        Notification.objects.create(opportunity=opportunity, organisation=bidder,
                                    channel=Notification.Channel.INVITATION)
        assert services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager).pk

    def test_no_bid_is_started_on_a_forthcoming_opportunity_or_after_the_deadline(self, probation, leeds, bidder,
                                                                                    bidder_manager, opportunity):
        forthcoming = published(probation, areas=[leeds], open_for_bids=False, title="Later")
        with pytest.raises(DomainError, match="not open"):
            services.bid_start(opportunity=forthcoming, organisation=bidder, by=bidder_manager)
        with time_machine.travel(opportunity.deadline + timedelta(seconds=1)), pytest.raises(DomainError,
                                                                                             match="deadline"):
            services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)


class TestDrafting:
    def test_words_are_counted_as_a_reader_counts_them(self):
        assert word_count("  Peer-led support,\nin  Leeds. ") == 4
        assert word_count("") == 0

    def test_an_answer_over_the_word_limit_is_refused_naming_the_criterion(self, opportunity, bidder,
                                                                           bidder_manager):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        quality = section_criteria(opportunity)[0]
        with pytest.raises(services.BidProblems) as raised:
            services.bid_draft_save(bid=bid, by=bidder_manager, sections={str(quality.pk): "word " * 501})
        assert raised.value.problems == [
            (f"section_{quality.pk}", "Your answer to “Quality of support” must be 500 words or fewer: it has 501")
        ]
        services.bid_draft_save(bid=bid, by=bidder_manager, sections={str(quality.pk): "word " * 500})
        bid.refresh_from_db()
        assert word_count(bid.draft["sections"][str(quality.pk)]) == 500

    @pytest.mark.parametrize(("price", "message"), [
        ("12.50", "whole number of pounds"), ("-3", "£0 or more"), ("lots", "whole number of pounds"),
    ])
    def test_a_price_must_be_whole_pounds(self, opportunity, bidder, bidder_manager, price, message):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        with pytest.raises(services.BidProblems, match=message):
            services.bid_draft_save(bid=bid, by=bidder_manager, sections={}, price=price)

    def test_the_price_can_be_carried_from_a_saved_full_cost_calculation(self, opportunity, bidder, bidder_manager,
                                                                         rival):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        ours = FullCostCalculation.objects.create(organisation=bidder, title="Three years", term_months=36,
                                                  yearly_total=Decimal(130000), total=Decimal(390000))
        theirs = FullCostCalculation.objects.create(organisation=rival, title="Theirs", term_months=36,
                                                    yearly_total=Decimal(1), total=Decimal(3))
        with pytest.raises(DomainError, match="saved calculations"):
            services.bid_price_from_calculation(bid=bid, by=bidder_manager, calculation_id=theirs.pk)
        services.bid_price_from_calculation(bid=bid, by=bidder_manager, calculation_id=ours.pk)
        bid.refresh_from_db()
        assert bid.draft["price"] == "390000" and bid.draft["full_cost_calculation"] == ours.pk

    def test_subcontractors_need_a_name_the_work_and_shares_within_100(self, opportunity, bidder, bidder_manager):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        with pytest.raises(services.BidProblems) as raised:
            services.bid_draft_save(bid=bid, by=bidder_manager, sections={}, subcontractors=[
                {"organisation": "", "work": "Money advice", "share_percent": "60"},
                {"organisation": "B", "work": "Housing", "share_percent": "60"},
            ])
        fields = [field for field, _ in raised.value.problems]
        assert fields == ["subcontractor_0_organisation", "subcontractors"]

    def test_a_worker_cannot_change_the_draft(self, opportunity, bidder, bidder_manager, bidder_worker):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        with pytest.raises(PermissionDenied):
            services.bid_draft_save(bid=bid, by=bidder_worker, sections={})

    def test_a_consortium_must_be_one_the_organisation_leads(self, opportunity, bidder, bidder_manager):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        with pytest.raises(services.BidProblems, match="consortium your organisation leads"):
            services.bid_draft_save(bid=bid, by=bidder_manager, sections={}, consortium_id="999")


class TestConsortium:
    def test_a_bid_as_the_lead_of_a_consortium_waits_until_every_member_has_agreed(
        self, opportunity, bidder, bidder_manager, rival, django_capture_on_commit_callbacks
    ):
        from django.utils import timezone

        from pathways.commissioning.models import Consortium, ConsortiumMember, MemberRole

        consortium = Consortium.objects.create(opportunity=opportunity, name="Leeds Women's Partnership", lead=bidder)
        lead = ConsortiumMember.objects.create(consortium=consortium, organisation=bidder, role=MemberRole.LEAD,
                                               share_of_work_percent=60, share_of_value_percent=60,
                                               agreed_at=timezone.now())
        partner = ConsortiumMember.objects.create(consortium=consortium, organisation=rival,
                                                  share_of_work_percent=40, share_of_value_percent=40)
        assert [c.pk for c in services.consortia_led_by(bidder, opportunity)] == [consortium.pk]
        bid = complete_draft(opportunity, bidder, bidder_manager, attachment=False)
        services.bid_draft_save(bid=bid, by=bidder_manager, sections=bid.draft["sections"], price="380000",
                                consortium_id=consortium.pk)
        bid.refresh_from_db()
        assert bid.consortium == consortium
        with pytest.raises(services.BidProblems, match="Every member of Leeds Women's Partnership must agree"):
            services.bid_submit(bid=bid, by=bidder_manager)
        partner.agreed_at = timezone.now()
        partner.save()
        Consortium.objects.filter(pk=consortium.pk).update(agreement_recorded_at=timezone.now())
        assert lead.pk
        bid = services.bid_submit(bid=Bid.objects.get(pk=bid.pk), by=bidder_manager)
        services.bid_withdraw(bid=bid, by=bidder_manager)
        again = complete_draft(opportunity, bidder, bidder_manager, attachment=False)
        services.bid_draft_save(bid=again, by=bidder_manager, sections=again.draft["sections"], price="1",
                                consortium_id=consortium.pk)
        again.refresh_from_db()
        assert again.consortium == consortium


class TestAttachments:
    @pytest.mark.parametrize(("name", "content", "content_type"), [
        ("plan.pdf", PDF, "application/pdf"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("notes.txt", "Plain notes, café".encode(), "text/plain"),
        ("plan.docx", zipped(**{"[Content_Types].xml": "<Types/>", "word__document.xml": "<w/>"}),
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("costs.xlsx", zipped(**{"[Content_Types].xml": "<Types/>", "xl__workbook.xml": "<x/>"}),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("plan.odt", zipped(mimetype="application/vnd.oasis.opendocument.text"),
         "application/vnd.oasis.opendocument.text"),
        ("costs.ods", zipped(mimetype="application/vnd.oasis.opendocument.spreadsheet"),
         "application/vnd.oasis.opendocument.spreadsheet"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "application/msword"),
    ])
    def test_accepted_files_are_known_by_their_bytes(self, name, content, content_type):
        assert services.attachment_kind(name=name, data=content).content_type == content_type

    @pytest.mark.parametrize(("name", "content"), [
        ("plan.pdf", b"MZ\x90\x00 a program pretending"),                 # an executable named .pdf
        ("photo.png", PDF),                                               # a PDF named .png
        ("plan.docx", zipped(**{"evil.sh": "rm -rf /"})),                 # a zip that is not a Word document
        ("notes.txt", b"\x00\x01binary"),
        ("script.exe", PDF),                                              # a name we do not take
        ("plan.odt", zipped(mimetype="application/vnd.oasis.opendocument.spreadsheet")),
    ])
    def test_files_whose_bytes_disagree_are_refused(self, name, content):
        with pytest.raises(DomainError, match="must be a PDF, Word"):
            services.attachment_kind(name=name, data=content)

    def test_an_empty_file_or_one_over_20_mb_is_refused_saying_so(self, opportunity, bidder, bidder_manager):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        with pytest.raises(DomainError, match="is empty"):
            services.attachment_kind(name="a.pdf", data=b"")
        big = upload("big.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024))
        with pytest.raises(DomainError, match="smaller than 20 MB"):
            services.attachment_add(bid=bid, by=bidder_manager, upload=big)
        assert not BidAttachment.objects.exists()

    def test_an_attachment_is_stored_under_a_name_that_says_nothing_and_listed_in_the_draft(
        self, opportunity, bidder, bidder_manager
    ):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        attachment = services.attachment_add(bid=bid, by=bidder_manager, upload=pdf_upload("Kirkgate plan.pdf"))
        bid.refresh_from_db()
        assert "Kirkgate" not in attachment.file.name
        assert bid.draft["attachments"] == [{
            "uuid": str(attachment.uuid), "name": "Kirkgate plan.pdf", "content_type": "application/pdf",
            "size": len(PDF), "content_hash": sealing.content_hash(PDF),
        }]
        services.attachment_remove(bid=bid, by=bidder_manager, attachment_id=attachment.uuid)
        bid.refresh_from_db()
        assert bid.draft["attachments"] == [] and not BidAttachment.objects.exists()


class TestSubmitting:
    def test_submission_seals_the_draft_and_attachments_and_gives_a_receipt(
        self, opportunity, bidder, bidder_manager, media, django_capture_on_commit_callbacks
    ):
        bid = complete_draft(opportunity, bidder, bidder_manager)
        expected_hash = sealing.content_hash(bid_format.draft_bytes(bid.draft))
        with django_capture_on_commit_callbacks(execute=True):
            bid = services.bid_submit(bid=bid, by=bidder_manager)
        bid.refresh_from_db()
        assert bid.status == BidStatus.SUBMITTED and bid.submitted_by == bidder_manager
        assert bid.draft == {} and bid.receipt_hash == expected_hash
        assert MARKER.encode() not in bytes(bid.sealed)
        attachment = bid.attachments.get()
        assert attachment.file.name.endswith(".sealed")
        with attachment.file.open("rb") as handle:
            assert FILE_MARKER not in handle.read()
        assert [path.name for path in media.rglob("*") if path.is_file()] == [attachment.file.name.split("/")[-1]]
        receipt = [message for message in mail.outbox if "Receipt" in message.subject]
        assert receipt and expected_hash in receipt[0].body and "Keep your own copy" in receipt[0].body

    def test_nothing_is_submitted_until_every_section_and_the_price_are_there(self, opportunity, bidder,
                                                                              bidder_manager):
        bid = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        with pytest.raises(services.BidProblems) as raised:
            services.bid_submit(bid=bid, by=bidder_manager)
        assert [message for _, message in raised.value.problems] == [
            "Enter your answer to “Quality of support”", "Enter your price, in pounds",
        ]
        bid.refresh_from_db()
        assert bid.status == BidStatus.DRAFT

    def test_a_submission_one_second_after_the_deadline_is_refused_and_the_draft_kept(self, opportunity, bidder,
                                                                                      bidder_manager):
        bid = complete_draft(opportunity, bidder, bidder_manager)
        with time_machine.travel(opportunity.deadline + timedelta(seconds=1)), pytest.raises(DomainError,
                                                                                             match="deadline"):
            services.bid_submit(bid=bid, by=bidder_manager)
        bid.refresh_from_db()
        assert bid.status == BidStatus.DRAFT and bid.draft["sections"] and bid.sealed is None

    def test_a_submission_at_the_deadline_itself_is_refused_and_one_just_before_is_taken(self, opportunity, bidder,
                                                                                         bidder_manager):
        bid = complete_draft(opportunity, bidder, bidder_manager)
        with time_machine.travel(opportunity.deadline, tick=False), pytest.raises(DomainError):
            services.bid_submit(bid=bid, by=bidder_manager)
        with time_machine.travel(opportunity.deadline - timedelta(seconds=1), tick=False):
            assert services.bid_submit(bid=bid, by=bidder_manager).status == BidStatus.SUBMITTED

    def test_a_failure_while_sealing_leaves_the_draft_and_its_files_as_they_were(self, opportunity, bidder,
                                                                                 bidder_manager, media):
        bid = complete_draft(opportunity, bidder, bidder_manager)
        services.attachment_add(bid=bid, by=bidder_manager, upload=pdf_upload("second.pdf"))
        bid.refresh_from_db()
        draft_before = bid.draft
        files_before = sorted(path.name for path in media.rglob("*") if path.is_file())
        real_seal, calls = sealing.seal, []

        def failing_seal(**kwargs):
            calls.append(kwargs)
            if len(calls) == 2:
                raise OSError("disk full")
            return real_seal(**kwargs)

        with mock.patch.object(sealing, "seal", side_effect=failing_seal), pytest.raises(OSError):
            services.bid_submit(bid=bid, by=bidder_manager)
        bid.refresh_from_db()
        assert bid.status == BidStatus.DRAFT and bid.draft == draft_before and bid.sealed is None
        assert all(a.file.name.endswith(".draft") for a in bid.attachments.all())
        assert sorted(path.name for path in media.rglob("*") if path.is_file()) == files_before

    def test_a_submitted_bid_cannot_be_changed(self, submitted_bid, bidder_manager):
        with pytest.raises(DomainError, match="can no longer be changed"):
            services.bid_draft_save(bid=submitted_bid, by=bidder_manager, sections={})
        with pytest.raises(DomainError):
            services.attachment_add(bid=submitted_bid, by=bidder_manager, upload=pdf_upload())


class TestWithdrawing:
    def test_a_bidder_withdraws_before_the_deadline_and_starts_again(self, submitted_bid, opportunity, bidder,
                                                                      bidder_manager):
        services.bid_withdraw(bid=submitted_bid, by=bidder_manager)
        submitted_bid.refresh_from_db()
        assert submitted_bid.status == BidStatus.WITHDRAWN and submitted_bid.sealed is not None
        again = services.bid_start(opportunity=opportunity, organisation=bidder, by=bidder_manager)
        assert again.pk != submitted_bid.pk
        assert list(submitted_bids(opportunity)) == []

    def test_no_withdrawal_after_the_deadline(self, submitted_bid, opportunity, bidder_manager):
        with time_machine.travel(opportunity.deadline + timedelta(seconds=1)), pytest.raises(DomainError):
            services.bid_withdraw(bid=submitted_bid, by=bidder_manager)


class TestOpening:
    def test_the_commissioner_opens_after_the_deadline_and_withdrawn_bids_stay_sealed(
        self, opportunity, bidder, bidder_manager, rival, rival_manager, commissioner
    ):
        kept = services.bid_submit(bid=complete_draft(opportunity, bidder, bidder_manager), by=bidder_manager)
        gone = services.bid_submit(bid=complete_draft(opportunity, rival, rival_manager, text="Withdrawn words"),
                                   by=rival_manager)
        services.bid_withdraw(bid=gone, by=rival_manager)
        with time_machine.travel(opportunity.deadline + timedelta(minutes=1)):
            services.bids_open(opportunity=opportunity, by=commissioner)
            opportunity.refresh_from_db()
            assert opportunity.bids_opened_by == commissioner
            contents = bid_format.opened_contents(opportunity, submitted_bids(opportunity))
        assert list(contents) == [kept.pk]
        assert contents[kept.pk]["sections"] == {str(c.pk): MARKER for c in section_criteria(opportunity)}
        assert contents[kept.pk]["price"] == "380000"
        assert AuditEntry.objects.filter(target_id=str(opportunity.pk), changes__has_key="bids_opened_at").exists()

    def test_opening_before_the_deadline_is_refused(self, submitted_bid, opportunity, commissioner):
        with pytest.raises(sealing.StillSealed):
            services.bids_open(opportunity=opportunity, by=commissioner)
        opportunity.refresh_from_db()
        assert opportunity.bids_opened_at is None

    def test_only_the_agency_opens_what_it_runs(self, agency_opportunity, commissioner, agency_worker):
        with time_machine.travel(agency_opportunity.deadline + timedelta(minutes=1)):
            with pytest.raises(PermissionDenied):
                services.bids_open(opportunity=agency_opportunity, by=commissioner)
            services.bids_open(opportunity=agency_opportunity, by=agency_worker)

    def test_an_opened_attachment_comes_back_as_it_was_submitted(self, submitted_bid, opportunity, commissioner):
        join_panel(opportunity, commissioner)
        with time_machine.travel(opportunity.deadline + timedelta(minutes=1)):
            services.bids_open(opportunity=opportunity, by=commissioner)
            bid = Bid.objects.get(pk=submitted_bid.pk)
            attachment = bid.attachments.get()
            meta, data = services.opened_attachment(bid=bid, by=commissioner, attachment_id=attachment.uuid)
        assert data == PDF and meta["name"] == "staffing-plan.pdf"

    def test_managing_the_opportunity_is_not_enough_to_read_an_opened_bid(
        self, submitted_bid, opportunity, commissioner
    ):
        with time_machine.travel(opportunity.deadline + timedelta(minutes=1)):
            services.bids_open(opportunity=opportunity, by=commissioner)
            with pytest.raises(PermissionDenied):
                services.opened_bid(bid=Bid.objects.get(pk=submitted_bid.pk), by=commissioner)
            join_panel(opportunity, commissioner)
            assert services.opened_bid(bid=Bid.objects.get(pk=submitted_bid.pk), by=commissioner)["sections"]
