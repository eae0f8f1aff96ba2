import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from pathways.audit.models import AuditEntry
from pathways.core.errors import DomainError
from pathways.directory.models import ChangeRequest, ChangeRequestStatus, CheckMethod, Publication
from pathways.directory.services.records import (
    CHANGE_REQUEST_MESSAGE_MAX,
    change_request_decide,
    change_request_submit,
    service_create,
    service_mark_checked,
    service_publish,
    service_snapshot,
    service_update,
    service_withdraw,
)
from pathways.taxonomy.models import Term


@pytest.fixture
def service(charity, manager):
    return service_create(
        organisation=charity, by=manager, name="Tuesday drop-in", description="Advice on housing.",
        terms=Term.objects.filter(code="pathway-accommodation"),
    )


def test_a_new_service_is_a_draft_with_its_first_version_and_confirmed_by_its_provider(service, manager):
    assert service.publication == Publication.DRAFT
    assert service.last_check_method == CheckMethod.PROVIDER_CONFIRMED
    assert service.last_checked_by == manager
    version = service.versions.get()
    assert version.number == 1
    assert version.snapshot["terms"] == ["pathway-accommodation"]


def test_each_edit_keeps_a_dated_attributed_version_with_what_changed(service, manager):
    service_update(service=service, by=manager, description="Advice on housing and benefits.")
    latest = service.versions.first()
    assert latest.number == 2
    assert latest.created_by == manager
    assert latest.changes == {"description": ["Advice on housing.", "Advice on housing and benefits."]}
    assert AuditEntry.objects.filter(action="changed", target_id=str(service.pk)).exists()


def test_an_edit_that_changes_nothing_keeps_no_version(service, manager):
    service_update(service=service, by=manager, description="Advice on housing.")
    assert service.versions.count() == 1


def test_a_provider_cannot_change_another_organisations_service(service, other_manager):
    with pytest.raises(PermissionDenied):
        service_update(service=service, by=other_manager, name="Taken over")


def test_a_worker_cannot_edit_their_own_organisations_service(service, worker):
    with pytest.raises(PermissionDenied):
        service_update(service=service, by=worker, name="Renamed")


def test_ages_must_make_sense(service, manager):
    with pytest.raises(DomainError) as error:
        service_update(service=service, by=manager, minimum_age=30, maximum_age=18)
    assert error.value.field == "minimum_age"


def test_a_curator_verifies_and_a_provider_confirms(service, curator, manager):
    service_mark_checked(service=service, by=curator)
    assert service.last_check_method == CheckMethod.CURATOR_VERIFIED
    service_mark_checked(service=service, by=manager)
    assert service.last_check_method == CheckMethod.PROVIDER_CONFIRMED


def test_anyone_reports_a_problem_and_the_provider_accepts_it_with_a_reason(service, manager):
    service_publish(service=service, by=manager)
    request = change_request_submit(
        service=service, reporter=AnonymousUser(), reporter_email="Someone@Example.org",
        message="The drop-in is on Wednesdays now.", suggested_changes={"name": "Wednesday drop-in"},
    )
    assert request.reporter_email == "someone@example.org"
    change_request_decide(change_request=request, by=manager, accept=True, reason="Thank you, corrected.")
    service.refresh_from_db()
    assert service.name == "Wednesday drop-in"
    assert request.status == ChangeRequestStatus.ACCEPTED
    assert service.versions.first().summary == f"Change request {request.pk} accepted"


def test_a_decision_needs_a_reason_and_is_taken_once(service, manager):
    request = change_request_submit(service=service, message="Wrong phone number.")
    with pytest.raises(DomainError):
        change_request_decide(change_request=request, by=manager, accept=False, reason=" ")
    change_request_decide(change_request=request, by=manager, accept=False, reason="The number is right.")
    with pytest.raises(DomainError):
        change_request_decide(change_request=request, by=manager, accept=True, reason="Changed my mind.")


def test_another_organisation_cannot_decide_a_change_request(service, other_manager):
    request = change_request_submit(service=service, message="Closed in August.")
    with pytest.raises(PermissionDenied):
        change_request_decide(change_request=request, by=other_manager, accept=True, reason="Yes")


def test_publishing_for_the_first_time_is_dated_and_republishing_keeps_that_date(service, manager):
    service_publish(service=service, by=manager)
    first = service.first_published_at
    assert first is not None
    service_withdraw(service=service, by=manager)
    service_publish(service=service, by=manager)
    assert service.first_published_at == first


def test_a_report_is_refused_when_empty_too_long_or_with_a_bad_reply_address(service):
    with pytest.raises(DomainError) as error:
        change_request_submit(service=service, message="x" * (CHANGE_REQUEST_MESSAGE_MAX + 1))
    assert error.value.field == "message"
    with pytest.raises(DomainError) as error:
        change_request_submit(service=service, message="Moved", reporter_email="not-an-address")
    assert error.value.field == "reporter_email"
    assert not ChangeRequest.objects.exists()


def test_a_suggested_value_the_record_could_not_hold_is_refused_naming_the_field(service):
    with pytest.raises(DomainError) as error:
        change_request_submit(service=service, message="New site", suggested_changes={"url": "not a web address"})
    assert error.value.field == "url"
    with pytest.raises(DomainError, match="cannot be suggested"):
        change_request_submit(service=service, message="Hi", suggested_changes={"organisation": 1})


def test_a_report_is_emailed_to_the_providers_managers_without_the_reporters_details(
    service, manager, worker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = change_request_submit(
            service=service, message="Closed on Fridays", reporter_name="Ana", reporter_email="ana@example.org"
        )
    assert [message.to for message in mailoutbox] == [[manager.email]]
    assert f"/directory/change-requests/{request.pk}/" in mailoutbox[0].body
    assert "ana@example.org" not in mailoutbox[0].body


def test_accepting_a_suggestion_the_record_can_no_longer_take_is_refused_and_nothing_changes(service, manager):
    request = change_request_submit(service=service, message="Rename", suggested_changes={"name": "New name"})
    ChangeRequest.objects.filter(pk=request.pk).update(suggested_changes={"name": "x" * 300})
    request.refresh_from_db()
    with pytest.raises(DomainError, match="cannot be applied"):
        change_request_decide(change_request=request, by=manager, accept=True, reason="Yes")
    request.refresh_from_db()
    service.refresh_from_db()
    assert request.status == ChangeRequestStatus.OPEN
    assert service.name == "Tuesday drop-in"


def test_a_change_request_decided_elsewhere_meanwhile_cannot_be_decided_again(service, manager, curator):
    request = change_request_submit(service=service, message="Wrong phone number.")
    stale_copy = ChangeRequest.objects.get(pk=request.pk)
    change_request_decide(change_request=request, by=curator, accept=False, reason="Right as it is.")
    with pytest.raises(DomainError, match="already been decided"):
        change_request_decide(change_request=stale_copy, by=manager, accept=True, reason="Changed it.")


def test_every_related_record_shows_in_a_versions_snapshot(service, manager):
    from datetime import time

    from pathways.directory.services.related import contact_add, schedule_add

    schedule_add(service=service, by=manager, attendance="drop_in", weekday="MO", opens_at=time(9),
                 closes_at=time(11), valid_from=None, valid_to=None, notes="", service_at_location=None)
    contact_add(service=service, by=manager, name="Sam", title="Worker", email="sam@example.org", phone="0113")
    snapshot = service_snapshot(service)
    assert snapshot["schedules"] == ["Drop-in Monday 09:00–11:00"]
    assert snapshot["contacts"] == ["Sam, Worker, sam@example.org, 0113"]
