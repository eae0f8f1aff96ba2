import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from pathways.audit.models import AuditEntry
from pathways.core.errors import DomainError
from pathways.directory.models import ChangeRequestStatus, CheckMethod, Publication
from pathways.directory.services.records import (
    change_request_decide,
    change_request_submit,
    service_create,
    service_mark_checked,
    service_publish,
    service_update,
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
