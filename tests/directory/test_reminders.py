"""Reminders to providers at about 10, 11 and 12 months after a record was last checked."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from pathways.directory.models import Service, StaleReminder
from pathways.directory.services.records import service_mark_checked, service_withdraw
from pathways.directory.services.reminders import STALE_REMINDERS_JOB, stale_reminders_send, stale_reminders_start
from pathways.jobs.models import JobStatus
from tests.factories import directory_service, member

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def checked_days_ago(service, days):
    Service.objects.filter(pk=service.pk).update(last_checked_at=NOW - timedelta(days=days))
    service.refresh_from_db()
    return service


@pytest.fixture
def send(django_capture_on_commit_callbacks, mailoutbox):
    def run(now=NOW):
        with django_capture_on_commit_callbacks(execute=True):
            return stale_reminders_send(now=now)
    return run


@pytest.fixture
def service(charity, manager):
    return directory_service(charity, name="Leeds housing advice")


def test_given_a_record_last_checked_ten_months_ago_then_its_managers_are_asked_to_confirm_it(
    service, manager, worker, send, mailoutbox
):
    second_manager = member("manager", service.organisation, email="second@example.org")
    checked_days_ago(service, 305)
    assert send() == 1
    assert sorted(message.to[0] for message in mailoutbox) == [manager.email, second_manager.email]
    message = mailoutbox[0]
    assert message.subject == "Please check that Leeds housing advice is still right on Pathways"
    assert f"/directory/services/{service.uuid}/confirm/" in message.body
    assert "about 10 months ago" in message.body
    reminder = StaleReminder.objects.get()
    assert (reminder.age_days, reminder.checked_at) == (304, service.last_checked_at)


def test_given_the_reminder_was_sent_then_running_again_sends_nothing(service, send, mailoutbox):
    checked_days_ago(service, 305)
    send()
    sent = len(mailoutbox)
    assert send() == 0
    assert send(now=NOW + timedelta(days=1)) == 0
    assert len(mailoutbox) == sent


def test_given_the_record_is_still_unchecked_then_reminders_follow_at_eleven_and_twelve_months(
    service, send, mailoutbox
):
    checked_days_ago(service, 305)
    send()
    assert send(now=NOW + timedelta(days=30)) == 1
    assert send(now=NOW + timedelta(days=61)) == 1
    assert send(now=NOW + timedelta(days=200)) == 0
    assert sorted(StaleReminder.objects.values_list("age_days", flat=True)) == [304, 334, 365]
    assert "now marked as out of date" in mailoutbox[-1].body


def test_given_reminders_were_missed_then_only_the_latest_age_is_sent(service, send, mailoutbox):
    checked_days_ago(service, 400)
    assert send() == 1
    assert list(StaleReminder.objects.values_list("age_days", flat=True)) == [365]
    assert len(mailoutbox) == 1


def test_given_the_provider_confirms_then_reminders_start_again_from_that_check(service, manager, send):
    checked_days_ago(service, 305)
    send()
    service_mark_checked(service=service, by=manager)
    assert send() == 0
    service = checked_days_ago(service, 310)
    assert send() == 1
    assert StaleReminder.objects.filter(age_days=304).count() == 2


def test_given_a_record_checked_recently_then_no_reminder(service, send, mailoutbox):
    checked_days_ago(service, 300)
    assert send() == 0
    assert mailoutbox == []


def test_given_unpublished_records_then_no_reminder(charity, manager, send):
    draft = directory_service(charity, publish=False, name="Draft")
    withdrawn = directory_service(charity, name="Withdrawn")
    service_withdraw(service=withdrawn, by=manager)
    checked_days_ago(draft, 305)
    checked_days_ago(withdrawn, 305)
    assert send() == 0


def test_given_an_organisation_without_a_manager_then_nothing_is_sent_nor_recorded(
    other_charity, send, mailoutbox
):
    member("front-line-worker", other_charity)
    checked_days_ago(directory_service(other_charity), 305)
    assert send() == 0
    assert mailoutbox == []
    assert not StaleReminder.objects.exists()


def test_given_several_records_of_one_provider_then_each_manager_gets_one_email(
    charity, manager, service, send, mailoutbox
):
    other = directory_service(charity, name="Bradford mentoring")
    checked_days_ago(service, 305)
    checked_days_ago(other, 340)
    assert send() == 2
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert mailoutbox[0].subject == "Please check that 2 of Aire Valley Resettlement Trust's services are still right on Pathways"
    assert "Leeds housing advice" in body and "Bradford mentoring" in body
    assert len(re.findall(r"/confirm/", body)) == 2


def test_given_the_daily_job_runs_then_it_sends_the_reminders(
    service, django_capture_on_commit_callbacks, mailoutbox
):
    Service.objects.filter(pk=service.pk).update(last_checked_at=timezone.now() - timedelta(days=305))
    with django_capture_on_commit_callbacks(execute=True):
        job = stale_reminders_start()
    job.refresh_from_db()
    assert job.kind == STALE_REMINDERS_JOB
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["summary"] == "1 record reminded about."
    assert len(mailoutbox) == 1
