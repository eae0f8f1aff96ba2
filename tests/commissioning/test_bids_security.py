"""Attempts to break into sealed bids that must fail.

Before the deadline nobody reads a submitted bid or its attachment: not through the pages, the API, the admin,
an export (dumpdata), a raw dump of every table, or the files on disk, which hold ciphertext only. No bidder
sees another's bid or who asked a question. A bid one second late is refused. Opening before the deadline is
refused even when the records have been altered by hand to say the bids were opened.
"""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from pathways.commissioning import sealing
from pathways.commissioning.models import Bid, BidAttachment, BidStatus, Clarification, Opportunity
from pathways.commissioning.selectors.bids import submitted_bids
from pathways.commissioning.services import bid_format
from pathways.commissioning.services import bids as services
from pathways.commissioning.tasks.bids import sweep_plaintext_bid_files
from pathways.commissioning.services import clarifications as clarification_services
from pathways.core.errors import DomainError
from tests.factories import member

from .bid_fixtures import *  # noqa: F403
from .bid_fixtures import FILE_MARKER, MARKER, complete_draft, join_panel

pytestmark = pytest.mark.django_db

ASKER_MARKER = "Kirkgate"  # in the bidder's name and its question, never in what others see


@pytest.fixture
def sealed_bid(opportunity, bidder, bidder_manager, django_capture_on_commit_callbacks):
    """A bid submitted through the page, so every layer a real submission passes through is exercised."""
    bid = complete_draft(opportunity, bidder, bidder_manager)
    from django.test import Client

    client = Client()
    client.force_login(bidder_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("commissioning:bid-submit", args=[bid.uuid]))
    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED
    return bid


@pytest.fixture
def superuser(db):
    from pathways.organisations.models import User

    return User.objects.create_superuser(email="root@example.org", password="a long admin password 1")


def every_text_in_the_database() -> list[str]:
    """Every value of every row of every table, as text (binary values decoded loosely)."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = value.tobytes()
                    if isinstance(value, bytes):
                        texts.append(value.decode("latin-1"))
                    elif value is not None:
                        texts.append(str(value))
    return texts


class TestNothingReadableBeforeTheDeadline:
    def test_a_raw_dump_of_every_table_holds_only_ciphertext(self, sealed_bid):
        texts = every_text_in_the_database()
        assert texts, "the dump read nothing"
        assert not [text for text in texts if MARKER in text]
        assert not [text for text in texts if FILE_MARKER.decode() in text]
        assert not [text for text in texts if "staffing-plan.pdf" in text]  # the attachment's name is sealed too
        assert not [text for text in texts if "Leeds Credit Union" in text]  # so are the subcontractors

    def test_dumpdata_exports_nothing_readable(self, sealed_bid):
        out = StringIO()
        call_command("dumpdata", stdout=out)
        dump = out.getvalue()
        assert "commissioning.bid" in dump
        assert MARKER not in dump and FILE_MARKER.decode() not in dump and "staffing-plan.pdf" not in dump

    def test_media_storage_holds_no_plaintext_of_the_attachment(self, sealed_bid, media):
        files = [path for path in media.rglob("*") if path.is_file()]
        assert files and all(path.suffix == ".sealed" for path in files)
        for path in files:
            content = path.read_bytes()
            assert FILE_MARKER not in content and b"%PDF" not in content

    def test_a_withdrawn_bid_stays_sealed_too(self, sealed_bid, bidder_manager):
        services.bid_withdraw(bid=sealed_bid, by=bidder_manager)
        texts = every_text_in_the_database()
        assert not [text for text in texts if MARKER in text]

    def test_no_page_shows_it_to_anyone_the_bidder_included(
        self, client, sealed_bid, opportunity, bidder_manager, commissioner, rival_manager, superuser
    ):
        attachment = sealed_bid.attachments.get()
        pages = [
            reverse("commissioning:opportunity", args=[opportunity.uuid]),
            reverse("commissioning:opportunity-manage", args=[opportunity.uuid]),
            reverse("commissioning:bid", args=[sealed_bid.uuid]),
            reverse("commissioning:bid-receipt", args=[sealed_bid.uuid]),
            reverse("commissioning:bid-attachment", args=[sealed_bid.uuid, attachment.uuid]),
            reverse("commissioning:bids-mine"),
            reverse("commissioning:opportunities") + "?q=" + MARKER.split()[0],
        ]
        for person in (None, bidder_manager, commissioner, rival_manager, superuser):
            client.logout()
            if person is not None:
                client.force_login(person)
            for url in pages:
                response = client.get(url)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                assert MARKER.encode() not in body and FILE_MARKER not in body, (person, url)

    def test_managers_get_a_404_for_the_bid_and_its_attachment(self, client, sealed_bid, commissioner):
        attachment = sealed_bid.attachments.get()
        client.force_login(commissioner)
        assert client.get(reverse("commissioning:bid", args=[sealed_bid.uuid])).status_code == 404
        assert client.get(reverse("commissioning:bid-attachment",
                                  args=[sealed_bid.uuid, attachment.uuid])).status_code == 404

    def test_no_api_endpoint_shows_it(self, sealed_bid, opportunity, bidder_manager, commissioner, rival_manager):
        api = APIClient()
        urls = [
            reverse("api-bid-list"), reverse("api-bid-detail", args=[sealed_bid.uuid]),
            reverse("api-opportunity-detail", args=[opportunity.uuid]), reverse("api-opportunity-list"),
            reverse("api-clarification-list", args=[opportunity.uuid]),
        ]
        for person in (None, bidder_manager, commissioner, rival_manager):
            api.force_authenticate(person)
            for url in urls:
                assert MARKER not in api.get(url).content.decode(), (person, url)

    def test_the_admin_does_not_expose_bids(self, client, sealed_bid, superuser):
        assert not admin.site.is_registered(Bid) and not admin.site.is_registered(BidAttachment)
        client.force_login(superuser)
        assert client.get(f"/admin/commissioning/bid/{sealed_bid.pk}/change/").status_code == 404
        assert client.get("/admin/commissioning/bidattachment/").status_code == 404
        index = client.get("/admin/").content.decode()
        assert MARKER not in index


class TestTheClock:
    def test_a_submission_one_second_after_the_deadline_is_refused(self, opportunity, bidder, bidder_manager):
        bid = complete_draft(opportunity, bidder, bidder_manager)
        with time_machine.travel(opportunity.deadline + timedelta(seconds=1), tick=False):
            with pytest.raises(DomainError, match="deadline"):
                services.bid_submit(bid=bid, by=bidder_manager)
        bid.refresh_from_db()
        assert bid.status == BidStatus.DRAFT and bid.sealed is None and bid.receipt_hash == ""

    def test_opening_before_the_deadline_fails_even_with_the_records_altered_by_hand(
        self, client, sealed_bid, opportunity, commissioner
    ):
        join_panel(opportunity, commissioner)
        Opportunity.objects.filter(pk=opportunity.pk).update(bids_opened_at=opportunity.deadline - timedelta(days=1),
                                                              bids_opened_by=commissioner)
        opportunity.refresh_from_db()
        bid = Bid.objects.get(pk=sealed_bid.pk)
        with pytest.raises(sealing.StillSealed):
            bid_format.opened_contents(opportunity, submitted_bids(opportunity))
        with pytest.raises(sealing.StillSealed):
            services.opened_bid(bid=bid, by=commissioner)
        with pytest.raises(sealing.StillSealed):
            services.opened_attachment(bid=bid, by=commissioner, attachment_id=bid.attachments.get().uuid)
        client.force_login(commissioner)
        assert client.get(reverse("commissioning:bid", args=[bid.uuid])).status_code == 404
        attachment_url = reverse("commissioning:bid-attachment", args=[bid.uuid, bid.attachments.get().uuid])
        assert client.get(attachment_url).status_code == 404

    def test_opening_before_the_deadline_is_refused_by_the_service(self, sealed_bid, opportunity, commissioner):
        with time_machine.travel(opportunity.deadline - timedelta(seconds=1), tick=False):
            with pytest.raises(sealing.StillSealed):
                services.bids_open(opportunity=opportunity, by=commissioner)
        opportunity.refresh_from_db()
        assert opportunity.bids_opened_at is None

    def test_the_sealed_draft_cannot_be_moved_to_another_bid(self, sealed_bid, opportunity, rival, rival_manager,
                                                            commissioner):
        other = services.bid_submit(bid=complete_draft(opportunity, rival, rival_manager, text="Rival words"),
                                    by=rival_manager)
        Bid.objects.filter(pk=other.pk).update(sealed=sealed_bid.sealed)
        with time_machine.travel(opportunity.deadline + timedelta(minutes=1)):
            with pytest.raises(sealing.SealBroken):
                services.bids_open(opportunity=opportunity, by=commissioner)


class TestOtherBidders:
    def test_another_bidder_cannot_reach_a_bid_before_or_after_the_opening(self, client, sealed_bid, opportunity,
                                                                           rival_manager, commissioner):
        urls = [reverse("commissioning:bid", args=[sealed_bid.uuid]),
                reverse("commissioning:bid-receipt", args=[sealed_bid.uuid]),
                reverse("commissioning:bid-withdraw", args=[sealed_bid.uuid])]
        client.force_login(rival_manager)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
        assert client.post(reverse("commissioning:bid-withdraw", args=[sealed_bid.uuid])).status_code == 404
        with time_machine.travel(opportunity.deadline + timedelta(minutes=1)):
            services.bids_open(opportunity=opportunity, by=commissioner)
            client.force_login(rival_manager)
            assert [client.get(url).status_code for url in urls] == [404, 404, 404]

    def test_nobody_else_learns_who_asked_a_question(self, client, opportunity, bidder, bidder_worker,
                                                     rival, rival_manager, commissioner,
                                                     django_capture_on_commit_callbacks):
        services.bid_start(opportunity=opportunity, organisation=rival, by=rival_manager)
        clarification = clarification_services.clarification_ask(
            opportunity=opportunity, organisation=bidder, by=bidder_worker,
            question="Kirkgate would like to know the start date")
        with django_capture_on_commit_callbacks(execute=True):
            clarification_services.clarification_publish(
                clarification=clarification, by=commissioner, published_question="What is the start date?",
                answer="1 April.")
        api = APIClient()
        api.force_authenticate(rival_manager)
        client.force_login(rival_manager)
        seen = [
            client.get(reverse("commissioning:opportunity", args=[opportunity.uuid])).content.decode(),
            api.get(reverse("api-clarification-list", args=[opportunity.uuid])).content.decode(),
            *[message.body + message.subject for message in mail.outbox],
        ]
        assert len(mail.outbox) >= 1
        assert not [text for text in seen if ASKER_MARKER in text]
        # the buyer's commissioner answered without being shown who asked
        client.force_login(commissioner)
        manage = client.get(reverse("commissioning:opportunity-manage", args=[opportunity.uuid])).content.decode()
        assert "Kirkgate Women" not in manage

    def test_a_member_of_the_buyer_who_bids_elsewhere_still_cannot_open_early(self, sealed_bid, opportunity,
                                                                             probation, bidder):
        both = member("commissioner", probation, email="both@example.org")
        from pathways.organisations.models import Membership
        from tests.factories import role

        Membership.objects.create(user=both, organisation=bidder, role=role("manager"))
        with pytest.raises(sealing.StillSealed):
            services.bids_open(opportunity=opportunity, by=both)
        assert Clarification.objects.count() == 0


class TestLeftovers:
    def test_a_plaintext_file_left_behind_by_a_failed_deletion_is_swept(self, opportunity, bidder, bidder_manager,
                                                                        media):
        bid = complete_draft(opportunity, bidder, bidder_manager)
        draft_file = bid.attachments.get().file.name
        services.bid_submit(bid=bid, by=bidder_manager)  # on_commit deletion never runs inside this test
        assert (media / draft_file).exists()
        assert sweep_plaintext_bid_files.call_local() == 1  # the daily task
        assert not [path for path in media.rglob("*") if path.is_file() and FILE_MARKER in path.read_bytes()]
        assert services.plaintext_files_sweep() == 0

    def test_the_sweep_keeps_the_files_of_drafts_still_being_written(self, opportunity, bidder, bidder_manager,
                                                                     media):
        bid = complete_draft(opportunity, bidder, bidder_manager)
        assert services.plaintext_files_sweep() == 0
        assert (media / bid.attachments.get().file.name).exists()
