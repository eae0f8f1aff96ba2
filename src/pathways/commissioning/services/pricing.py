"""How a price criterion turns prices into points, by the formula the opportunity states to bidders.

The evaluation work scores price with ``price_points``; the pages show ``formula_in_words`` and
``formula_example`` so that a bidder knows before bidding how their price will be scored.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.humanize.templatetags.humanize import intcomma

from pathways.core.errors import DomainError

from ..models import PriceFormula

EXAMPLE_LOWEST = Decimal(90_000)
EXAMPLE_PRICE = Decimal(100_000)


def price_points(*, formula: str, weight: int, lowest_price: Decimal, price: Decimal) -> Decimal:
    """Points (out of ``weight``, to two decimal places) for ``price`` when the lowest bid is ``lowest_price``."""
    if price <= 0 or lowest_price <= 0:
        raise DomainError("Prices must be more than £0 to be scored.")
    if lowest_price > price:
        raise DomainError("The lowest price cannot be more than the price being scored.")
    weight = Decimal(weight)
    if formula == PriceFormula.LOWEST_RATIO:
        points = lowest_price / price * weight
    elif formula == PriceFormula.DIFFERENCE:
        points = max(Decimal(0), weight * (1 - (price - lowest_price) / lowest_price))
    else:
        raise DomainError(f"{formula!r} is not a price formula Pathways knows.")
    return points.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def formula_in_words(*, formula: str, weight: int) -> str:
    if formula == PriceFormula.LOWEST_RATIO:
        return f"Points = lowest price ÷ your price × {weight}. The lowest price gets all {weight} points."
    if formula == PriceFormula.DIFFERENCE:
        return (
            f"Points = {weight} × (1 − (your price − lowest price) ÷ lowest price), never below 0. The lowest "
            f"price gets all {weight} points; a price twice the lowest or more gets none."
        )
    return ""


def formula_example(*, formula: str, weight: int) -> str:
    if formula not in PriceFormula.values:
        return ""
    points = price_points(formula=formula, weight=weight, lowest_price=EXAMPLE_LOWEST, price=EXAMPLE_PRICE)
    shown = int(points) if points == points.to_integral() else points
    return (
        f"For example, if the lowest price is £{intcomma(int(EXAMPLE_LOWEST))}, a bid of "
        f"£{intcomma(int(EXAMPLE_PRICE))} scores {shown} of {weight} points."
    )
