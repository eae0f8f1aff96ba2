"""Bidders for the market's tests: two charities with a manager and a worker each, and helpers to set
their interests and directory services. Import the fixtures explicitly: ``from .market_fixtures import *``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pathways.commissioning.models import AlertFrequency, ApprovalStatus, ApprovedListEntry
from pathways.commissioning.services import market as services
from pathways.taxonomy.models import Term
from tests.factories import OrganisationFactory, member, org_type

__all__ = [
    "market_media", "charity", "charity_manager", "charity_worker", "partner_charity", "partner_manager", "outsider",
    "set_profile", "approve", "pathway_terms",
]


def pathway_terms(*codes):
    return list(Term.objects.filter(code__in=codes).select_related("vocabulary"))


@pytest.fixture(autouse=True)
def market_media(settings, tmp_path):
    """Evidence and agreements uploaded by a test are stored in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def charity(db):
    return OrganisationFactory(name="Leeds Women's Aid", slug="leeds-womens-aid", type=org_type("charity"),
                               email="hello@womensaid.example")


@pytest.fixture
def charity_manager(charity):
    return member("manager", charity, email="manager@womensaid.example", full_name="Mo Manager")


@pytest.fixture
def charity_worker(charity):
    return member("front-line-worker", charity, email="worker@womensaid.example", full_name="Wyn Worker")


@pytest.fixture
def partner_charity(db):
    return OrganisationFactory(name="Hull Housing Trust", slug="hull-housing", type=org_type("charity"),
                               email="info@hullhousing.example", phone="01482 000000")


@pytest.fixture
def partner_manager(partner_charity):
    return member("manager", partner_charity, email="manager@hullhousing.example", full_name="Hana Housing")


@pytest.fixture
def outsider(db):
    """A manager of an unrelated organisation."""
    return member("manager", OrganisationFactory(name="Elsewhere CIC", slug="elsewhere"),
                  email="someone@elsewhere.example")


def set_profile(organisation, *, pathways=(), areas=(), frequency=AlertFrequency.AT_ONCE, **fields):
    return services.interest_profile_save(organisation=organisation, by=None, terms=pathway_terms(*pathways),
                                          areas=areas, frequency=frequency, **fields)


def approve(organisation, agency, *, pathways=(), areas=(), days=365):
    """An approved entry on ``agency``'s list, made directly (the review itself is tested on its own)."""
    entry = ApprovedListEntry.objects.create(
        organisation=organisation, agency=agency, status=ApprovalStatus.APPROVED, submitted_at=timezone.now(),
        reviewed_at=timezone.now(), expires_on=timezone.localdate() + timedelta(days=days),
    )
    entry.terms.set(pathway_terms(*pathways))
    entry.areas.set(areas)
    return entry
