"""Clarifications: a bidder asks privately before the cut-off; the agency (or the buyer's commissioner) takes
out anything that would identify the bidder, answers, and publishes the answer to everyone, without saying
who asked.

Who asked is recorded on the question and in the asking organisation's own audit trail only: the buyer's
trail, the pages, the API and the emails never carry it.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError
from pathways.core.mail import email_after_commit

from .. import permissions
from ..models import Clarification, Opportunity, OpportunityStatus
from ..permissions import bids as bid_permissions
from ..selectors.clarifications import addresses_to_tell
from ..selectors.opportunities import moment_in_words

MAX_QUESTION_CHARACTERS = 5000
# States in which questions may be asked (before the cut-off) and answers published.
CAN_ASK = frozenset({OpportunityStatus.FORTHCOMING, OpportunityStatus.OPEN})


def cut_off(opportunity: Opportunity) -> datetime | None:
    """When questions close: the clarifications cut-off, or the deadline if none was set."""
    return opportunity.clarifications_close_at or opportunity.deadline


def can_still_ask(opportunity: Opportunity, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    closes = cut_off(opportunity)
    return (opportunity.is_public and opportunity.current_status(now) in CAN_ASK
            and (closes is None or now < closes))


def clarification_ask(*, opportunity: Opportunity, organisation, by, question: str) -> Clarification:
    """Record a question from ``organisation``. Refused after the cut-off, by the server's clock."""
    if not bid_permissions.can_ask_clarification(by, organisation, opportunity):
        raise PermissionDenied
    question = (question or "").strip()
    if not question:
        raise DomainError("Enter your question", field="question")
    if len(question) > MAX_QUESTION_CHARACTERS:
        raise DomainError(f"Your question must be {MAX_QUESTION_CHARACTERS:,} characters or fewer", field="question")
    now = timezone.now()
    if not can_still_ask(opportunity, now):
        closes = cut_off(opportunity)
        if closes is not None and now >= closes:
            when = moment_in_words(closes)
            raise DomainError(f"Questions closed on {when}. You can no longer ask a question about this opportunity.",
                              field="question")
        raise DomainError("Questions can only be asked while the opportunity is forthcoming or open for bids.",
                          field="question")
    with transaction.atomic():
        clarification = Clarification.objects.create(
            opportunity=opportunity, question=question, asked_by=by, asked_for=organisation, asked_at=now,
        )
        # In the asking organisation's own trail: the buyer's trail must not say who asked.
        audit_record(actor=by, action=AuditAction.CREATED, target=clarification, acting_for=organisation,
                     owner=organisation, changes={"clarification": [None, f"Question on {opportunity.reference}"]})
    return clarification


def _answer_email(opportunity: Opportunity, clarification: Clarification) -> tuple[str, str]:
    page = reverse("commissioning:opportunity", args=[opportunity.uuid])
    link = f"{settings.SITE_URL.rstrip('/')}{page}#clarifications"
    subject = f"New clarification published: {opportunity.title} ({opportunity.reference})"
    body = (
        f"A question about {opportunity.title} ({opportunity.reference}) has been answered. Every organisation "
        "that registered interest or is bidding receives the same answer; Pathways does not say who asked.\n\n"
        f"Question:\n{clarification.published_question}\n\n"
        f"Answer:\n{clarification.answer}\n\n"
        f"All the answers so far: {link}\n"
    )
    return subject, body


def clarification_publish(*, clarification: Clarification, by, published_question: str, answer: str) -> Clarification:
    """Publish a question, in wording that does not identify who asked, with its answer; then tell everyone
    interested or bidding, one email each so that no one sees the others."""
    opportunity = clarification.opportunity
    if not bid_permissions.can_answer_clarifications(by, opportunity):
        raise PermissionDenied
    published_question, answer = (published_question or "").strip(), (answer or "").strip()
    problems = []
    if not published_question:
        problems.append(("published_question", "Enter the question as it will be published"))
    if not answer:
        problems.append(("answer", "Enter the answer"))
    if problems:
        error = DomainError(problems[0][1], field=problems[0][0])
        error.problems = problems
        raise error
    with transaction.atomic():
        clarification = Clarification.objects.select_for_update().get(pk=clarification.pk)
        if clarification.published_at is not None:
            raise DomainError("This answer has already been published.")
        if opportunity.status in {OpportunityStatus.CANCELLED, OpportunityStatus.AWARDED}:
            raise DomainError("Answers cannot be published once the opportunity is cancelled or awarded.")
        clarification.published_question = published_question
        clarification.answer = answer
        clarification.answered_by = by
        clarification.published_at = timezone.now()
        clarification.save(update_fields=["published_question", "answer", "answered_by", "published_at"])
        audit_record(
            actor=by, action=AuditAction.CHANGED, target=clarification,
            acting_for=permissions.acting_organisation(by, opportunity), owner=opportunity.buyer,
            changes={"published": [None, published_question[:200]]},
        )
        subject, body = _answer_email(opportunity, clarification)
        email_after_commit(subject=subject, body=body, recipients=addresses_to_tell(opportunity=opportunity))
    return clarification
