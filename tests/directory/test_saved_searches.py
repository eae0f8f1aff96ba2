"""Saved searches: keeping, changing and deleting one's own, and the alert run that emails new services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from pathways.audit.models import AuditEntry
from pathways.core.errors import DomainError
from pathways.directory.models import AlertFrequency, SavedSearch, Service
from pathways.directory.services.saved_searches import (
    saved_search_alerts_send,
    saved_search_create,
    saved_search_delete,
    saved_search_update,
)
from pathways.jobs.models import Job, JobStatus
from tests.factories import UserFactory, directory_service


def published(name, *, when, **fields):
    service = directory_service(name=name, **fields)
    Service.objects.filter(pk=service.pk).update(first_published_at=when)
    return service


def test_a_search_is_kept_with_its_name_and_frequency_and_audited(worker):
    saved = saved_search_create(user=worker, name="  Housing in Leeds ", query="q=housing", frequency="daily")
    assert (saved.name, saved.query, saved.frequency) == ("Housing in Leeds", "q=housing", "daily")
    assert AuditEntry.objects.filter(action="created", target_id=str(saved.pk)).exists()


@pytest.mark.parametrize(("name", "frequency", "field"), [("", "daily", "name"), ("x" * 121, "daily", "name"),
                                                          ("Housing", "hourly", "frequency")])
def test_a_search_needs_a_name_and_a_known_frequency(worker, name, frequency, field):
    with pytest.raises(DomainError) as error:
        saved_search_create(user=worker, name=name, query="q=housing", frequency=frequency)
    assert error.value.field == field
    assert not SavedSearch.objects.exists()


def test_someone_not_signed_in_cannot_keep_a_search(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        saved_search_create(user=AnonymousUser(), name="Housing", query="q=housing")


def test_only_the_owner_changes_or_deletes_a_saved_search(worker):
    saved = saved_search_create(user=worker, name="Housing", query="q=housing")
    someone_else = UserFactory()
    with pytest.raises(PermissionDenied):
        saved_search_update(saved_search=saved, by=someone_else, name="Mine", frequency="daily")
    with pytest.raises(PermissionDenied):
        saved_search_delete(saved_search=saved, by=someone_else)
    saved_search_update(saved_search=saved, by=worker, name="Housing, Leeds", frequency="never")
    assert AuditEntry.objects.filter(action="changed", target_id=str(saved.pk)).get().changes == {
        "name": ["Housing", "Housing, Leeds"], "frequency": ["weekly", "never"],
    }
    saved_search_delete(saved_search=saved, by=worker)
    assert not SavedSearch.objects.exists()


# Alerts -----------------------------------------------------------------------------------------------

@pytest.fixture
def week_ago():
    return timezone.now() - timedelta(days=7)


def test_the_owner_is_emailed_the_matching_services_published_since_the_last_alert(worker, week_ago,
                                                                                    django_capture_on_commit_callbacks):
    saved = SavedSearch.objects.create(user=worker, name="Housing", query="q=housing&pathway=pathway-accommodation",
                                       frequency=AlertFrequency.WEEKLY, last_alerted_at=week_ago)
    published("Housing advice", when=week_ago - timedelta(days=1), terms=["pathway-accommodation"])  # before
    new = published("Supported housing", when=week_ago + timedelta(days=2), terms=["pathway-accommodation"])
    published("Housing for families", when=week_ago + timedelta(days=3))  # not in the pathway
    published("Mentoring", when=week_ago + timedelta(days=3), terms=["pathway-accommodation"])  # other words
    with django_capture_on_commit_callbacks(execute=True):
        sent = saved_search_alerts_send()
    assert sent == {"searches": 1, "emails": 1}
    [email] = mail.outbox
    assert email.to == [worker.email]
    assert email.subject == "1 new service for your saved search “Housing”"
    assert "Supported housing" in email.body and str(new.uuid) in email.body
    assert "Housing advice" not in email.body and "Housing for families" not in email.body
    assert "/directory/?q=housing&pathway=pathway-accommodation" in email.body
    assert "/directory/saved-searches/" in email.body
    saved.refresh_from_db()
    assert saved.last_alerted_at > week_ago


def test_nothing_new_means_no_email_but_the_mark_moves_on(worker, week_ago, django_capture_on_commit_callbacks):
    saved = SavedSearch.objects.create(user=worker, name="Housing", query="q=housing", last_alerted_at=week_ago)
    published("Housing advice", when=week_ago - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_search_alerts_send() == {"searches": 1, "emails": 0}
    assert mail.outbox == []
    saved.refresh_from_db()
    assert saved.last_alerted_at > week_ago


def test_searches_not_due_or_never_emailed_are_left_alone(worker, django_capture_on_commit_callbacks):
    now = timezone.now()
    SavedSearch.objects.create(user=worker, name="Weekly", query="q=housing", frequency=AlertFrequency.WEEKLY,
                               last_alerted_at=now - timedelta(days=3))
    SavedSearch.objects.create(user=worker, name="Daily", query="q=housing", frequency=AlertFrequency.DAILY,
                               last_alerted_at=now - timedelta(hours=2))
    SavedSearch.objects.create(user=worker, name="Never", query="q=housing", frequency=AlertFrequency.NEVER,
                               created_at=now - timedelta(days=30))
    published("Housing advice", when=now - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_search_alerts_send() == {"searches": 0, "emails": 0}
    assert mail.outbox == []


def test_a_new_search_counts_from_when_it_was_saved(worker, django_capture_on_commit_callbacks):
    now = timezone.now()
    SavedSearch.objects.create(user=worker, name="Housing", query="q=housing", frequency=AlertFrequency.DAILY,
                               created_at=now - timedelta(days=2))
    published("Old housing", when=now - timedelta(days=3))
    published("New housing", when=now - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        saved_search_alerts_send()
    [email] = mail.outbox
    assert "New housing" in email.body and "Old housing" not in email.body


def test_a_search_near_a_postcode_emails_only_services_within_its_radius(worker, week_ago,
                                                                          django_capture_on_commit_callbacks):
    from tests.factories import LocationFactory, OrganisationFactory

    SavedSearch.objects.create(user=worker, name="Near LS1", query="postcode=LS1&radius=5", last_alerted_at=week_ago)
    organisation = OrganisationFactory()
    published("Leeds centre", when=timezone.now(), organisation=organisation,
              locations=[LocationFactory(organisation=organisation, latitude=53.797, longitude=-1.546)])
    published("Sheffield centre", when=timezone.now(), organisation=organisation,
              locations=[LocationFactory(organisation=organisation, latitude=53.381, longitude=-1.470)])
    with django_capture_on_commit_callbacks(execute=True):
        saved_search_alerts_send()
    [email] = mail.outbox
    assert "Leeds centre" in email.body and "Sheffield centre" not in email.body


def test_the_command_runs_the_alerts_as_a_recorded_job(worker, week_ago, capsys, django_capture_on_commit_callbacks):
    SavedSearch.objects.create(user=worker, name="Housing", query="q=housing", last_alerted_at=week_ago)
    published("Housing advice", when=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_search_alerts")
    job = Job.objects.get(kind="directory.search_alerts")
    assert job.status == JobStatus.SUCCEEDED
    assert "1 emailed" in capsys.readouterr().out
    assert len(mail.outbox) == 1
