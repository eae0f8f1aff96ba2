"""Reads of clarifications. What anyone may see of a published one is its published wording and its answer:
never who asked, when they asked, or the question as they wrote it."""

from django.db.models import QuerySet

from pathways.organisations.capabilities import Cap
from pathways.organisations.models import Membership, Organisation

from ..models import Bid, Clarification, Interest, Opportunity

PUBLIC_FIELDS = ("pk", "published_question", "answer", "published_at")


def published_clarifications(*, opportunity: Opportunity) -> QuerySet[Clarification]:
    """The published questions and answers, oldest first, with only what may be shown to everyone."""
    return (
        Clarification.objects.filter(opportunity=opportunity, published_at__isnull=False)
        .order_by("published_at", "pk")
        .only(*PUBLIC_FIELDS)
    )


def clarifications_asked_by(*, opportunity: Opportunity, organisation: Organisation) -> QuerySet[Clarification]:
    """An organisation's own questions on an opportunity, for its own members only."""
    return Clarification.objects.filter(opportunity=opportunity, asked_for=organisation).order_by("-asked_at", "-pk")


def clarifications_waiting(*, opportunity: Opportunity) -> QuerySet[Clarification]:
    """Questions waiting for an answer, for the people who answer them. Who asked is not part of it."""
    return (
        Clarification.objects.filter(opportunity=opportunity, published_at__isnull=True)
        .order_by("asked_at", "pk")
        .only("pk", "question", "asked_at", "opportunity_id")
    )


def organisations_to_tell(*, opportunity: Opportunity) -> QuerySet[Organisation]:
    """Every organisation that registered interest in the opportunity or has a bid for it."""
    interested = Interest.objects.filter(opportunity=opportunity).values("organisation_id")
    bidding = Bid.objects.filter(opportunity=opportunity).values("bidder_id")
    return (
        Organisation.objects.filter(pk__in=interested) | Organisation.objects.filter(pk__in=bidding)
    ).distinct().order_by("pk")


def addresses_to_tell(*, opportunity: Opportunity) -> list[str]:
    """Where an answer is sent: each such organisation's own address and its managers' addresses, once each."""
    organisations = list(organisations_to_tell(opportunity=opportunity))
    addresses = {organisation.email.strip().lower() for organisation in organisations if organisation.email}
    managers = (
        Membership.objects.current()
        .filter(organisation__in=organisations, role__capabilities__code=Cap.MANAGE_ORGANISATION,
                user__is_active=True)
        .values_list("user__email", flat=True)
    )
    addresses.update(email.strip().lower() for email in managers if email)
    return sorted(addresses)
