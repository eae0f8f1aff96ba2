"""Alerts at once and weekly digests, as the periodic tasks send them: each organisation told once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from pathways.commissioning.models import AlertFrequency, InterestProfile, Notification
from pathways.commissioning.tasks.market import send_opportunity_alerts, send_weekly_digests
from pathways.jobs.models import Job, JobStatus

from .factories import make_opportunity, published
from .market_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


class TestAlertsAtOnce:
    def test_given_a_matching_opportunity_then_the_managers_get_one_alert_and_it_is_recorded(
        self, probation, leeds, charity, charity_manager, charity_worker, django_capture_on_commit_callbacks
    ):
        set_profile(charity, pathways=["pathway-accommodation"])
        opportunity = published(probation, areas=[leeds])
        with django_capture_on_commit_callbacks(execute=True):
            assert send_opportunity_alerts.call_local() == 1
        assert sent_to() == ["manager@womensaid.example"]
        assert opportunity.title in mail.outbox[0].subject
        assert f"/opportunities/{opportunity.uuid}/" in mail.outbox[0].body
        notification = Notification.objects.get()
        assert (notification.organisation, notification.channel) == (charity, Notification.Channel.ALERT)

    def test_given_the_task_runs_again_then_nobody_is_told_twice(
        self, probation, leeds, charity, charity_manager, django_capture_on_commit_callbacks
    ):
        set_profile(charity)
        published(probation, areas=[leeds])
        with django_capture_on_commit_callbacks(execute=True):
            send_opportunity_alerts.call_local()
            assert send_opportunity_alerts.call_local() == 0
        assert len(mail.outbox) == 1 and Notification.objects.count() == 1

    def test_given_no_managers_then_the_organisations_own_address_gets_it(
        self, probation, leeds, partner_charity, django_capture_on_commit_callbacks
    ):
        set_profile(partner_charity)
        published(probation, areas=[leeds])
        with django_capture_on_commit_callbacks(execute=True):
            send_opportunity_alerts.call_local()
        assert sent_to() == ["info@hullhousing.example"]

    def test_a_run_with_someone_to_tell_is_a_job_operators_can_follow_and_an_idle_run_leaves_no_trace(
        self, probation, leeds, charity, charity_manager, django_capture_on_commit_callbacks
    ):
        assert send_opportunity_alerts.call_local() == 0
        assert not Job.objects.exists()
        set_profile(charity)
        published(probation, areas=[leeds])
        with django_capture_on_commit_callbacks(execute=True):
            assert send_opportunity_alerts.call_local() == 1
        [run] = Job.objects.all()
        assert (run.kind, run.scheduled, run.status, run.done, run.total) == (
            "commissioning.alerts", True, JobStatus.SUCCEEDED, 1, 1)
        assert run.result["summary"] == "1 alert about new opportunities sent."
        assert send_opportunity_alerts.call_local() == 0
        assert Job.objects.count() == 1  # nobody left to tell: no second run recorded

    def test_given_nobody_to_email_then_it_is_not_recorded_as_told(self, probation, leeds):
        from tests.factories import OrganisationFactory

        silent = OrganisationFactory(name="No Address", email="")
        set_profile(silent)
        published(probation, areas=[leeds])
        assert send_opportunity_alerts.call_local() == 0
        assert not Notification.objects.exists()

    def test_drafts_weekly_never_and_non_matching_organisations_get_no_alert(
        self, probation, leeds, charity, partner_charity, outsider, django_capture_on_commit_callbacks
    ):
        make_opportunity(probation, areas=[leeds])
        set_profile(charity, frequency=AlertFrequency.WEEKLY)
        set_profile(partner_charity, frequency=AlertFrequency.NEVER)
        set_profile(outsider.memberships.get().organisation, pathways=["pathway-ete"])
        published(probation, areas=[leeds])
        with django_capture_on_commit_callbacks(execute=True):
            assert send_opportunity_alerts.call_local() == 0
        assert mail.outbox == []

    def test_given_the_deadline_has_passed_then_no_alert_is_sent(self, probation, leeds, charity):
        opportunity = published(probation, areas=[leeds])
        set_profile(charity)
        with time_machine.travel(opportunity.deadline + timedelta(minutes=1)):
            assert send_opportunity_alerts.call_local() == 0

    def test_a_mini_competition_is_not_alerted_as_only_invited_organisations_may_bid(self, probation, leeds, charity,
                                                                                       charity_manager):
        set_profile(charity)
        published(probation, areas=[leeds], procedure="mini_competition")
        assert send_opportunity_alerts.call_local() == 0
        assert send_weekly_digests.call_local() == 0

    def test_the_alert_task_runs_every_five_minutes(self):
        task = send_opportunity_alerts.task_class()
        assert task.validate_datetime(datetime(2026, 11, 23, 10, 5))
        assert not task.validate_datetime(datetime(2026, 11, 23, 10, 7))


class TestWeeklyDigest:
    def test_given_a_week_of_opportunities_then_one_digest_lists_those_published_since_the_last(
        self, probation, leeds, charity, charity_manager, django_capture_on_commit_callbacks
    ):
        monday = datetime(2026, 11, 30, 7, 0, tzinfo=LONDON)
        with time_machine.travel(monday - timedelta(days=10), tick=False):
            published(probation, areas=[leeds], title="Too old")
        with time_machine.travel(monday - timedelta(days=8), tick=False):
            set_profile(charity, frequency=AlertFrequency.WEEKLY)
        with time_machine.travel(monday - timedelta(days=3), tick=False):
            published(probation, areas=[leeds], title="Housing in Leeds")
            published(probation, areas=[leeds], title="Mentoring in Leeds")
        with time_machine.travel(monday, tick=False), django_capture_on_commit_callbacks(execute=True):
            assert send_weekly_digests.call_local() == 1
            assert send_weekly_digests.call_local() == 0  # a second run the same morning sends nothing
        [message] = mail.outbox
        assert message.to == ["manager@womensaid.example"]
        assert "Housing in Leeds" in message.body and "Mentoring in Leeds" in message.body
        assert "Too old" not in message.body
        assert Notification.objects.filter(channel=Notification.Channel.DIGEST).count() == 2
        assert InterestProfile.objects.get(organisation=charity).last_digest_at == monday

    def test_given_nothing_new_then_no_digest_is_sent_but_the_week_moves_on(self, charity, charity_manager):
        set_profile(charity, frequency=AlertFrequency.WEEKLY)
        assert send_weekly_digests.call_local() == 0
        assert mail.outbox == []
        assert InterestProfile.objects.get().last_digest_at is not None
        [run] = Job.objects.all()  # every Monday run is a job, whatever it sent
        assert (run.kind, run.scheduled, run.done, run.total) == ("commissioning.digests", True, 1, 1)
        assert run.result["summary"] == "0 weekly digests sent."

    def test_at_once_organisations_get_no_digest(self, probation, leeds, charity, charity_manager):
        set_profile(charity)
        published(probation, areas=[leeds])
        assert send_weekly_digests.call_local() == 0

    def test_the_digest_task_runs_on_monday_morning_only(self):
        task = send_weekly_digests.task_class()
        assert task.validate_datetime(datetime(2026, 11, 30, 7, 0))
        assert not task.validate_datetime(datetime(2026, 12, 1, 7, 0))
