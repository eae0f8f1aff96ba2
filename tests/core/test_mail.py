"""Emails are queued when the change they tell of commits, sent by a background job, one per recipient."""

import pytest
from django.db import transaction

from pathways.core.mail import email_after_commit
from pathways.core.tasks import emails_send

pytestmark = pytest.mark.django_db


def test_each_recipient_gets_their_own_message_once_the_change_commits(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_after_commit(subject="Your receipt", body="Kept safe.",
                           recipients=["b@example.org", "", "a@example.org", "b@example.org"])
        assert mailoutbox == []  # nothing before the commit
    assert len(callbacks) == 1
    assert [(m.to, m.subject, m.body) for m in mailoutbox] == [
        (["a@example.org"], "Your receipt", "Kept safe."), (["b@example.org"], "Your receipt", "Kept safe."),
    ]


def test_a_change_that_is_rolled_back_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                email_after_commit(subject="Never", body="Rolled back.", recipients=["a@example.org"])
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mailoutbox == []


def test_no_recipients_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        email_after_commit(subject="Nobody", body="", recipients=["", None])
    assert callbacks == []


def test_the_job_is_retried_when_the_mail_server_fails():
    assert emails_send.task_class.default_retries == 3
    assert emails_send.task_class.default_retry_delay == 60
