"""The proportionality check: warnings, before publishing, when what is asked of bidders is out of scale
with the contract (the case study, sections 4.3 and 5.2, and Key Recommendation 7: small organisations
must be able to compete on equal terms).

Warnings do not stop publishing. The commissioner or the agency reads them on the publish page and either
changes the requirements or ticks that they have considered each one; that acknowledgement is recorded
on the opportunity and in the audit trail (``opportunities.opportunity_publish``).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone

from ..models import Opportunity

# Insurance cover above the larger of these is out of scale: a multiple of the yearly value, or a floor
# that ordinary cover for a small organisation reaches anyway.
INSURANCE_YEARLY_MULTIPLE = 5
INSURANCE_FLOOR = Decimal(1_000_000)
# Asking for a yearly turnover of more than twice the contract's yearly value shuts out small organisations.
TURNOVER_MULTIPLE_LIMIT = Decimal(2)
# Below this yearly value, demanding named accreditations costs bidders more than the work is worth.
ACCREDITATION_YEARLY_VALUE = Decimal(100_000)
# More than this share paid on results is a risk small organisations cannot carry on contracts of the size
# they bid for (up to this yearly value, the income of a medium-sized charity).
PAYMENT_BY_RESULTS_LIMIT = 20
SMALL_ORGANISATION_YEARLY_VALUE = Decimal(1_000_000)
# Fewer days than this between now and the deadline favours organisations with bid writers.
MINIMUM_DAYS_TO_BID = 28


@dataclass(frozen=True)
class ProportionalityWarning:
    code: str
    field: str
    title: str
    message: str

    def as_record(self) -> dict:
        return {"code": self.code, "message": self.message}


def _pounds(value: Decimal) -> str:
    return f"£{intcomma(int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP)))}"


def _times(value: Decimal) -> str:
    value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{int(value)}" if value == value.to_integral() else f"{value}"


def proportionality_check(*, opportunity: Opportunity, now: datetime | None = None) -> list[ProportionalityWarning]:
    """Every requirement that is out of scale with the contract, in plain words. Reads only."""
    now = now or timezone.now()
    yearly = opportunity.yearly_value if opportunity.duration_months else None
    warnings = []

    insurance = opportunity.insurance_required
    if insurance:
        limit = max(INSURANCE_FLOOR, INSURANCE_YEARLY_MULTIPLE * yearly) if yearly else INSURANCE_FLOOR
        if insurance > limit:
            if yearly:
                scale = (
                    f"on a contract worth about {_pounds(yearly)} a year: {_times(insurance / yearly)} times "
                    f"its yearly value"
                )
            else:
                scale = "and the contract's value is not stated"
            warnings.append(ProportionalityWarning(
                "insurance", "insurance_required", "Insurance cover",
                f"You ask for {_pounds(insurance)} of insurance cover {scale}. Cover above "
                f"{_pounds(INSURANCE_FLOOR)} or {INSURANCE_YEARLY_MULTIPLE} times the yearly value, whichever is "
                f"more, shuts out small organisations that cannot buy it. Ask for the cover the work's real "
                f"risks need.",
            ))

    multiple = opportunity.turnover_multiple
    if multiple and multiple > TURNOVER_MULTIPLE_LIMIT:
        turnover = f" (about {_pounds(multiple * yearly)})" if yearly else ""
        warnings.append(ProportionalityWarning(
            "turnover", "turnover_multiple", "Turnover",
            f"You ask bidders for a yearly turnover of {_times(multiple)} times the contract's yearly "
            f"value{turnover}. Asking for more than {_times(TURNOVER_MULTIPLE_LIMIT)} times excludes small "
            f"organisations that could do the work well. Consider a consortium-friendly test, or none.",
        ))

    accreditations = opportunity.accreditations_required.strip()
    if accreditations and yearly is not None and yearly < ACCREDITATION_YEARLY_VALUE:
        warnings.append(ProportionalityWarning(
            "accreditations", "accreditations_required", "Accreditations",
            f"You ask for accreditations ({accreditations}) on a contract worth about {_pounds(yearly)} a "
            f"year. Below {_pounds(ACCREDITATION_YEARLY_VALUE)} a year, getting a named accreditation can cost "
            f"a small organisation more than the work is worth. Ask bidders to show how they meet the "
            f"standard instead.",
        ))

    share = opportunity.payment_by_results_percent or 0
    if share > PAYMENT_BY_RESULTS_LIMIT and (yearly is None or yearly <= SMALL_ORGANISATION_YEARLY_VALUE):
        warnings.append(ProportionalityWarning(
            "payment_by_results", "payment_by_results_percent", "Payment by results",
            f"{share}% of the payment depends on results. On contracts of the size small organisations bid "
            f"for, more than {PAYMENT_BY_RESULTS_LIMIT}% paid on results is a risk they cannot carry: they "
            f"have no reserves to wait for payment or to absorb a shortfall. Keep it to "
            f"{PAYMENT_BY_RESULTS_LIMIT}% or less, or pay results on top of a secure core.",
        ))

    deadline = opportunity.deadline
    if deadline is not None and deadline > now:
        days = (deadline - now).days
        if days < MINIMUM_DAYS_TO_BID:
            warnings.append(ProportionalityWarning(
                "time_to_bid", "deadline", "Time to bid",
                f"Bidders would have {days} day{'' if days == 1 else 's'} to bid. Organisations without "
                f"bid writers need at least {MINIMUM_DAYS_TO_BID} days to read the documents, ask questions, "
                f"find partners and write a good bid.",
            ))
    return warnings


def warnings_to_acknowledge(*, opportunity: Opportunity, now: datetime | None = None) -> list[ProportionalityWarning]:
    """The warnings that stand now and were not acknowledged before in the same words."""
    seen = {(item.get("code"), item.get("message")) for item in opportunity.proportionality_acknowledged or []}
    return [w for w in proportionality_check(opportunity=opportunity, now=now) if (w.code, w.message) not in seen]
