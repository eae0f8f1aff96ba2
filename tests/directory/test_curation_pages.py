"""Change requests (the provider's inbox, the curators' and the decision) and the curator's queue."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.audit.models import AuditEntry
from pathways.directory.models import ChangeRequest, ChangeRequestStatus, CheckMethod, Service
from pathways.directory.selectors.curation import services_never_verified
from pathways.directory.services.records import change_request_decide, change_request_submit, service_mark_checked
from tests.factories import directory_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(charity):
    return directory_service(charity, name="Leeds housing advice", phone="0113 496 0000")


@pytest.fixture
def change_request(service):
    return change_request_submit(
        service=service, message="The number has changed.", suggested_changes={"phone": "0113 496 0999"},
        reporter_name="Ana Reporter", reporter_email="ana@example.org",
    )


def decide_url(change_request):
    return reverse("directory:change-request", args=[change_request.pk])


class TestTheProvidersInbox:
    def inbox_url(self, organisation):
        return reverse("directory:organisation-change-requests", args=[organisation.slug])

    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, charity):
        assert client.get(self.inbox_url(charity)).status_code == 302

    def test_given_a_worker_then_it_is_forbidden(self, client, charity, worker):
        client.force_login(worker)
        assert client.get(self.inbox_url(charity)).status_code == 403

    def test_given_another_organisation_then_it_is_not_found(self, client, charity, other_manager):
        client.force_login(other_manager)
        assert client.get(self.inbox_url(charity)).status_code == 404

    def test_given_a_bad_slug_then_it_is_not_found(self, client, manager):
        client.force_login(manager)
        assert client.get("/directory/organisations/nobody/change-requests/").status_code == 404

    def test_given_its_manager_then_they_see_only_their_services_open_requests(
        self, client, charity, manager, change_request, other_charity
    ):
        change_request_submit(service=directory_service(other_charity), message="Someone else's report")
        client.force_login(manager)
        content = client.get(self.inbox_url(charity)).content.decode()
        assert "The number has changed." in content and decide_url(change_request) in content
        assert "Someone else" not in content
        assert "ana@example.org" not in content  # the reporter is only shown on the decision page


class TestTheCuratorsInbox:
    def test_given_someone_who_is_not_a_curator_then_it_is_not_found(self, client, manager):
        client.force_login(manager)
        assert client.get(reverse("directory:change-requests")).status_code == 404

    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client):
        assert client.get(reverse("directory:change-requests")).status_code == 302

    def test_given_a_curator_then_they_see_every_providers_requests(self, client, curator, change_request, other_charity):
        change_request_submit(service=directory_service(other_charity), message="Closed in August")
        client.force_login(curator)
        content = client.get(reverse("directory:change-requests")).content.decode()
        assert "The number has changed." in content and "Closed in August" in content


class TestDecidingAChangeRequest:
    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, change_request):
        assert client.get(decide_url(change_request)).status_code == 302

    def test_given_a_worker_then_it_is_forbidden(self, client, change_request, worker):
        client.force_login(worker)
        assert client.get(decide_url(change_request)).status_code == 403
        assert client.post(decide_url(change_request), {"decision": "accept", "reason": "Yes"}).status_code == 403

    def test_given_another_organisation_then_it_is_not_found(self, client, change_request, other_manager):
        client.force_login(other_manager)
        assert client.get(decide_url(change_request)).status_code == 404

    def test_given_a_bad_id_then_it_is_not_found(self, client, manager):
        client.force_login(manager)
        assert client.get(reverse("directory:change-request", args=[999999])).status_code == 404

    def test_given_its_manager_then_they_see_the_suggestion_beside_the_record_and_who_asked(
        self, client, change_request, manager
    ):
        client.force_login(manager)
        content = client.get(decide_url(change_request)).content.decode()
        assert "0113 496 0000" in content and "0113 496 0999" in content
        assert "Ana Reporter" in content and "ana@example.org" in content

    def test_given_no_reason_then_the_error_summary_asks_for_one(self, client, change_request, manager):
        client.force_login(manager)
        content = client.post(decide_url(change_request), {"decision": "reject", "reason": " "}).content.decode()
        assert "govuk-error-summary" in content and "Give a reason for the decision" in content
        assert ChangeRequest.objects.get().status == ChangeRequestStatus.OPEN

    def test_given_an_acceptance_then_the_change_is_a_new_version_and_the_reporter_is_emailed(
        self, client, change_request, manager, service, mailoutbox, django_capture_on_commit_callbacks
    ):
        client.force_login(manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(decide_url(change_request), {"decision": "accept", "reason": "Thank you, fixed."})
        assert response.status_code == 302 and response.url == reverse("directory:service", args=[service.uuid])
        service.refresh_from_db()
        assert service.phone == "0113 496 0999"
        version = service.versions.first()
        assert (version.summary, version.created_by) == (f"Change request {change_request.pk} accepted", manager)
        assert version.changes == {"phone": ["0113 496 0000", "0113 496 0999"]}
        [email] = mailoutbox
        assert email.to == ["ana@example.org"]
        assert "It has been accepted." in email.body and "Thank you, fixed." in email.body
        assert "Dear Ana Reporter" in email.body

    def test_given_a_rejection_then_nothing_changes_and_the_reporter_hears_why(
        self, client, change_request, curator, service, mailoutbox, django_capture_on_commit_callbacks
    ):
        client.force_login(curator)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(decide_url(change_request), {"decision": "reject", "reason": "We rang: the number is right."})
        assert Service.objects.get(pk=service.pk).phone == "0113 496 0000"
        change_request.refresh_from_db()
        assert (change_request.status, change_request.decided_by) == (ChangeRequestStatus.REJECTED, curator)
        assert "It has not been accepted." in mailoutbox[0].body
        assert AuditEntry.objects.filter(actor=curator, target_id=str(change_request.pk), action="changed").exists()

    def test_given_no_email_was_left_then_no_one_is_emailed(self, client, service, manager, mailoutbox,
                                                           django_capture_on_commit_callbacks):
        request = change_request_submit(service=service, message="Closed on Fridays")
        client.force_login(manager)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(decide_url(request), {"decision": "accept", "reason": "Added a notice."})
        assert mailoutbox == []

    def test_given_it_was_decided_then_the_page_shows_the_decision_and_no_form(self, client, change_request, manager):
        change_request_decide(change_request=change_request, by=manager, accept=False, reason="Already right.")
        client.force_login(manager)
        content = client.get(decide_url(change_request)).content.decode()
        assert "Already right." in content and "Save decision" not in content
        client.post(decide_url(change_request), {"decision": "accept", "reason": "Changed my mind"})
        assert ChangeRequest.objects.get().status == ChangeRequestStatus.REJECTED


class TestTheCuratorsQueue:
    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client):
        assert client.get(reverse("directory:curation-queue")).status_code == 302

    def test_given_a_manager_then_it_is_not_found(self, client, manager):
        client.force_login(manager)
        assert client.get(reverse("directory:curation-queue")).status_code == 404
        assert client.get(reverse("directory:curation-list", args=["due"])).status_code == 404

    def test_given_a_bad_list_then_it_is_not_found(self, client, curator):
        client.force_login(curator)
        assert client.get(reverse("directory:curation-list", args=["everything"])).status_code == 404

    def test_given_a_curator_then_they_see_what_needs_checking_oldest_first(self, client, curator, charity):
        now = timezone.now()
        old = directory_service(charity, name="Oldest record")
        nearly = directory_service(charity, name="Nearly stale record")
        fresh = directory_service(charity, name="Fresh record")
        Service.objects.filter(pk=old.pk).update(last_checked_at=now - timedelta(days=500), first_published_at=now - timedelta(days=600))
        Service.objects.filter(pk=nearly.pk).update(last_checked_at=now - timedelta(days=320), first_published_at=now - timedelta(days=400))
        service_mark_checked(service=fresh, by=curator)
        overdue = change_request_submit(service=fresh, message="Overdue report")
        ChangeRequest.objects.filter(pk=overdue.pk).update(created_at=now - timedelta(days=20))
        change_request_submit(service=fresh, message="Recent report")
        client.force_login(curator)
        content = client.get(reverse("directory:curation-queue")).content.decode()
        due = content[content.index('id="due"'):content.index('id="unverified"')]
        assert due.index("Oldest record") < due.index("Nearly stale record")
        assert "Fresh record" not in due
        unverified = content[content.index('id="unverified"'):content.index('id="requests"')]
        assert "Oldest record" in unverified and "Fresh record" not in unverified
        requests = content[content.index('id="requests"'):content.index('id="new"')]
        assert "Overdue report" in requests and "Recent report" not in requests
        new = content[content.index('id="new"'):]
        assert "Fresh record" in new and "Oldest record" not in new

    def test_given_more_than_fit_then_the_full_list_pages(self, client, curator, charity):
        for n in range(7):
            directory_service(charity, name=f"Record {n}")
        client.force_login(curator)
        content = client.get(reverse("directory:curation-queue")).content.decode()
        assert reverse("directory:curation-list", args=["new"]) in content
        listing = client.get(reverse("directory:curation-list", args=["new"])).content.decode()
        assert all(f"Record {n}" in listing for n in range(7))


def test_given_a_curator_verified_once_then_the_record_stays_out_of_never_verified(service, curator, manager):
    assert list(services_never_verified()) == [service]
    service_mark_checked(service=service, by=curator)
    service_mark_checked(service=service, by=manager)  # the provider confirms later on
    assert list(services_never_verified()) == []


class TestVerifying:
    def verify_url(self, service):
        return reverse("directory:service-verify", args=[service.uuid])

    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, service):
        assert client.get(self.verify_url(service)).status_code == 302

    def test_given_the_providers_manager_then_verifying_is_forbidden(self, client, service, manager):
        client.force_login(manager)
        assert client.post(self.verify_url(service)).status_code == 403

    def test_given_another_organisation_then_it_is_not_found(self, client, service, other_manager):
        client.force_login(other_manager)
        assert client.post(self.verify_url(service)).status_code == 404

    def test_given_a_bad_id_then_it_is_not_found(self, client, curator):
        client.force_login(curator)
        assert client.get(reverse("directory:service-verify", args=[uuid.uuid4()])).status_code == 404

    def test_given_a_curator_then_they_confirm_and_return_to_the_queue(self, client, service, curator):
        client.force_login(curator)
        queue = reverse("directory:curation-queue")
        page = client.get(self.verify_url(service) + f"?next={queue}").content.decode()
        assert "Verify this record" in page
        response = client.post(self.verify_url(service), {"next": queue})
        assert response.status_code == 302 and response.url == queue
        service.refresh_from_db()
        assert (service.last_check_method, service.last_checked_by) == (CheckMethod.CURATOR_VERIFIED, curator)
        assert AuditEntry.objects.filter(actor=curator, target_id=str(service.pk), action="changed").exists()

    def test_given_a_next_address_elsewhere_then_it_is_ignored(self, client, service, curator):
        client.force_login(curator)
        response = client.post(self.verify_url(service), {"next": "https://evil.example/"})
        assert response.url == reverse("directory:service", args=[service.uuid])
