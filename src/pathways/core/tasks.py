"""Background tasks for the whole of Pathways: sending emails (see ``pathways.core.mail``)."""

from django.core.mail import send_mail
from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def emails_send(subject: str, body: str, addresses: list[str]) -> None:
    """One message to each address. A failure is retried (all of them: a mail server that refused one
    refuses the rest too)."""
    for address in addresses:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])
