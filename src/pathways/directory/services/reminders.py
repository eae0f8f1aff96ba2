"""Reminding providers to check their records before they go stale (about 10, 11 and 12 months after a check).

Each published record gets at most one reminder for each age after each check: the StaleReminder row,
unique for (service, age, check), is the proof it was sent, so running this twice a day, or on two
machines at once, sends nothing twice. If the job did not run for a while, only the latest age due is
sent, not a burst of all of them. Confirming the record (the link in the email) is a new check, so the
reminders start again from it.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.mail import email_after_commit
from pathways.jobs.services import job_start

from ..models import REMINDER_AGES, Publication, Service, StaleReminder
from ..selectors.records import provider_manager_emails

STALE_REMINDERS_JOB = "directory.stale_reminders"


def _months(age_days: int) -> int:
    return round(age_days / 30.4)


def services_due_a_reminder(*, now: datetime) -> list[tuple[Service, int]]:
    """[(service, age in days)] for published records that have reached an age with no reminder yet."""
    ages = sorted(REMINDER_AGES)
    due = []
    for position, age in enumerate(ages):
        older_than = now - timedelta(days=age)
        services = Service.objects.filter(
            publication=Publication.PUBLISHED, last_checked_at__isnull=False, last_checked_at__lte=older_than
        )
        if position + 1 < len(ages):
            # Past the next age, that age's reminder is the one due.
            services = services.filter(last_checked_at__gt=now - timedelta(days=ages[position + 1]))
        already = StaleReminder.objects.filter(
            service=OuterRef("pk"), age_days=age, checked_at=OuterRef("last_checked_at")
        )
        services = services.exclude(Exists(already)).select_related("organisation").order_by("organisation_id", "pk")
        due.extend((service, age) for service in services)
    return due


def stale_reminders_send(*, now: datetime | None = None) -> int:
    """Email each provider's managers about the records of theirs that need checking. Returns the number of
    records reminded about. An organisation with no manager gets nothing (and is tried again next time):
    curators see its records in their queue."""
    now = now or timezone.now()
    by_organisation: dict[int, list[tuple[Service, int]]] = defaultdict(list)
    for service, age in services_due_a_reminder(now=now):
        by_organisation[service.organisation_id].append((service, age))
    reminded = 0
    for items in by_organisation.values():
        organisation = items[0][0].organisation
        recipients = provider_manager_emails(organisation=organisation)
        if not recipients:
            continue
        reminded += _remind(organisation=organisation, items=items, recipients=recipients, now=now)
    return reminded


@transaction.atomic
def _remind(*, organisation, items, recipients, now) -> int:
    """Record each reminder (skipping any another run has just recorded), then email once for them all."""
    sent = []
    for service, age in items:
        try:
            with transaction.atomic():
                reminder = StaleReminder.objects.create(
                    service=service, age_days=age, checked_at=service.last_checked_at, sent_at=now
                )
        except IntegrityError:
            continue
        audit_record(
            actor=None, action=AuditAction.CREATED, target=reminder, owner=organisation,
            changes={"reminder": [None, f"{service.name}: about {_months(age)} months since it was last checked"]},
        )
        sent.append((service, age))
    if not sent:
        return 0
    base = settings.SITE_URL.rstrip("/")
    context = {
        "organisation": organisation,
        "services": [
            {
                "name": service.name,
                "months": _months(age),
                "checked_on": timezone.localtime(service.last_checked_at).strftime("%-d %B %Y"),
                "stale": age >= max(REMINDER_AGES),
                "confirm_link": base + reverse("directory:service-confirm", args=[service.uuid]),
                "edit_link": base + reverse("directory:service-edit", args=[service.uuid]),
            }
            for service, age in sent
        ],
        "list_link": base + reverse("directory:organisation-services", args=[organisation.slug]),
    }
    body = render_to_string("directory/records/email/stale_reminder.txt", context)
    if len(sent) == 1:
        subject = f"Please check that {sent[0][0].name} is still right on Pathways"
    else:
        subject = f"Please check that {len(sent)} of {organisation.name}'s services are still right on Pathways"
    email_after_commit(subject=subject, body=body, recipients=recipients)
    return len(sent)


def stale_reminders_start(*, by=None):
    """Queue the reminders as a background job (a daily schedule calls this)."""
    return job_start(kind=STALE_REMINDERS_JOB, title="Reminders to check records before they go stale", by=by)
