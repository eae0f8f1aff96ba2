"""Opportunities: terms under three years are short-term; bids keep one live bid per bidder."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from pathways.commissioning.models import Bid, BidStatus, Opportunity
from tests.factories import OrganisationFactory, org_type


def _opportunity(**fields):
    buyer = OrganisationFactory(type=org_type("probation-region"))
    defaults = {"reference": "PW-2026-0001", "title": "Accommodation support", "summary": "Help finding homes.",
                "buyer": buyer, "duration_months": 24}
    return Opportunity.objects.create(**defaults | fields)


@pytest.mark.parametrize(("months", "short"), [(12, True), (35, True), (36, False), (60, False)])
def test_a_term_under_three_years_is_short_term(db, months, short):
    assert _opportunity(duration_months=months).is_short_term is short


def test_the_yearly_value_spreads_the_maximum_over_the_term(db):
    assert _opportunity(value_maximum=Decimal(300_000), duration_months=36).yearly_value == Decimal(100_000)
    assert _opportunity(reference="PW-2", duration_months=36).yearly_value is None


def test_a_bidder_has_one_live_bid_but_may_bid_again_after_withdrawing(db):
    opportunity = _opportunity()
    bidder = OrganisationFactory()
    first = Bid.objects.create(opportunity=opportunity, bidder=bidder)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Bid.objects.create(opportunity=opportunity, bidder=bidder)
    first.status = BidStatus.WITHDRAWN
    first.save()
    assert Bid.objects.create(opportunity=opportunity, bidder=bidder).status == BidStatus.DRAFT


def test_the_database_keeps_one_price_criterion_with_a_formula(db):
    from pathways.commissioning.models import Criterion

    opportunity = _opportunity()
    Criterion.objects.create(opportunity=opportunity, title="Price", weight=40, is_price=True, price_formula="lowest_ratio")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Criterion.objects.create(opportunity=opportunity, title="Cost", weight=10, is_price=True, price_formula="difference")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Criterion.objects.create(opportunity=opportunity, title="Quality", weight=50, price_formula="difference")


def test_the_database_refuses_a_value_range_upside_down(db):
    with transaction.atomic(), pytest.raises(IntegrityError):
        _opportunity(value_minimum=Decimal(10), value_maximum=Decimal(5))


def test_only_opportunities_that_were_published_are_public(db):
    from django.utils import timezone

    from pathways.commissioning.models import OpportunityStatus

    now = timezone.now()
    _opportunity(reference="PW-1")
    _opportunity(reference="PW-2", status=OpportunityStatus.CANCELLED)
    shown = _opportunity(reference="PW-3", status=OpportunityStatus.CANCELLED, published_at=now)
    open_one = _opportunity(reference="PW-4", status=OpportunityStatus.OPEN, published_at=now, deadline=now)
    assert set(Opportunity.objects.published()) == {shown, open_one}
    assert open_one.current_status(now) == OpportunityStatus.CLOSED and open_one.is_public
