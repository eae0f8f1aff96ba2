"""Opportunities made through the services, so that they are what the pages and the API really see."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from pathways.commissioning.models import Opportunity, PriceFormula
from pathways.commissioning.services import opportunities as services
from pathways.taxonomy.models import Term


def fields(**overrides) -> dict:
    """Details of a proportionate, plainly written three-year opportunity, open for six weeks."""
    now = timezone.now()
    values = {
        "title": "Accommodation support for women leaving prison",
        "summary": "We want help for women to find and keep a home after prison. The work is in Leeds.",
        "procedure": "open",
        "value_minimum": Decimal(300_000),
        "value_maximum": Decimal(450_000),
        "duration_months": 36,
        "engagement_closes_at": now + timedelta(days=10),
        "clarifications_close_at": now + timedelta(days=30),
        "deadline": now + timedelta(days=42),
        "award_expected_on": (now + timedelta(days=70)).date(),
        "contract_starts_on": (now + timedelta(days=100)).date(),
        "payment_by_results_percent": 0,
    }
    return values | overrides


def make_opportunity(buyer, *, by=None, agency=None, pathways=("pathway-accommodation",), areas=(), **overrides) -> Opportunity:
    return services.opportunity_create(
        by=by, buyer=buyer, agency=agency, terms=Term.objects.filter(code__in=pathways), areas=areas,
        **fields(**overrides),
    )


def add_criteria(opportunity, by=None, *, quality=60, price=40):
    services.criterion_add(opportunity=opportunity, by=by, title="Quality of support", weight=quality,
                           guidance="How you will help women keep their homes.", word_limit=500)
    if price:
        services.criterion_add(opportunity=opportunity, by=by, title="Price", weight=price, is_price=True,
                               price_formula=PriceFormula.LOWEST_RATIO)
    return opportunity


def ready_opportunity(buyer, *, areas, by=None, **overrides) -> Opportunity:
    """A draft with everything needed to open it for bids."""
    return add_criteria(make_opportunity(buyer, by=by, areas=areas, **overrides), by=by)


def published(buyer, *, areas, open_for_bids=True, by=None, **overrides) -> Opportunity:
    opportunity = ready_opportunity(buyer, areas=areas, by=by, **overrides)
    return services.opportunity_publish(opportunity=opportunity, by=by, open_for_bids=open_for_bids,
                                        acknowledged=["insurance", "turnover", "accreditations",
                                                      "payment_by_results", "time_to_bid"])
