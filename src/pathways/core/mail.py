"""Emails from Pathways: queued once the change they tell of is committed, and sent by a background job.

A change that is rolled back sends nothing. Sending is not done in the request, so a slow mail server
never slows a page (such as a bid submitted in the minutes before a deadline), and a failed send is tried
again. Each recipient gets a message of their own, so no one sees who else was told.
"""

from collections.abc import Iterable

from django.db import transaction


def email_after_commit(*, subject: str, body: str, recipients: Iterable[str]) -> None:
    """Send ``body`` to each of ``recipients`` (blanks and repeats dropped) after the transaction commits."""
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return
    from .tasks import emails_send

    transaction.on_commit(lambda: emails_send(subject, body, addresses))
