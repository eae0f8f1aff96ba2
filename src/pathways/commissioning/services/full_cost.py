"""The full-cost-recovery calculator (the case study, section 4.1 and Key Recommendation 6).

The full cost of a piece of work is its direct costs, a fair share of the organisation's overheads
apportioned on a stated basis, the costs of setting it up (development, in the first year) and of ending
it well (exit, in the last year). Costs rise each year by the stated increase. Amounts are in whole
pounds; each year is rounded and the total is the sum of the rounded years, so the table adds up.
"""

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError

from .. import permissions
from ..models import FullCostCalculation, Opportunity

MAX_TERM_MONTHS = 240
MAX_YEARLY_INCREASE = Decimal(20)


class OverheadBasis(models.TextChoices):
    STAFF_TIME = "staff_time", "Staff time"
    FLOOR_AREA = "floor_area", "Floor area"
    EXPENDITURE = "expenditure", "Share of spending"
    PERCENTAGE = "percentage", "A stated percentage"


DIRECT_COSTS = [
    ("staff", "Staff", "Salaries of the people doing the work, with employer's National Insurance and pension."),
    ("volunteers", "Volunteers", "Expenses, training and support for volunteers and peer mentors."),
    ("premises", "Premises used only for this work", "Rent, rates and running costs of space used only for it."),
    ("equipment", "Equipment and materials", "Phones, computers, materials and anything bought for the work."),
    ("travel", "Travel", "Travel for staff and volunteers, and for the people you support where you pay it."),
    ("other_direct", "Other direct costs", "Anything else the work needs: translation, client hardship funds."),
]
ONE_OFF_COSTS = [
    ("development", "Development costs",
     "One-off costs of starting in the first year: recruiting, training, setting up systems and partnerships."),
    ("exit", "Exit costs",
     "One-off costs of ending well in the last year: handing over, redundancy, closing files, final evaluation."),
]
MONEY_FIELDS = [name for name, _, _ in DIRECT_COSTS] + ["overheads_total"] + [name for name, _, _ in ONE_OFF_COSTS]


@dataclass
class FullCostInputs:
    staff: Decimal = Decimal(0)
    volunteers: Decimal = Decimal(0)
    premises: Decimal = Decimal(0)
    equipment: Decimal = Decimal(0)
    travel: Decimal = Decimal(0)
    other_direct: Decimal = Decimal(0)
    overheads_total: Decimal = Decimal(0)
    basis: str = OverheadBasis.STAFF_TIME
    # The work's part and the organisation's whole, in the basis's unit (people, square metres, pounds);
    # for a stated percentage, ``percentage`` instead.
    work_share: Decimal | None = None
    organisation_total: Decimal | None = None
    percentage: Decimal | None = None
    development: Decimal = Decimal(0)
    exit: Decimal = Decimal(0)
    term_months: int = 36
    yearly_increase_percent: Decimal = Decimal(0)

    def as_record(self) -> dict:
        return {key: (str(value) if isinstance(value, Decimal) else value) for key, value in asdict(self).items()}

    @classmethod
    def from_record(cls, record: dict) -> "FullCostInputs":
        values = {}
        for name in cls.__dataclass_fields__:
            if name not in record:
                continue
            value = record[name]
            if name in ("basis",):
                values[name] = value
            elif name == "term_months":
                values[name] = int(value)
            else:
                values[name] = None if value in (None, "") else Decimal(str(value))
        return cls(**values)


@dataclass(frozen=True)
class YearCost:
    number: int
    months: int
    direct: Decimal
    overheads: Decimal
    development: Decimal
    exit: Decimal
    total: Decimal


@dataclass(frozen=True)
class FullCostResult:
    direct_yearly: Decimal
    overhead_share: Decimal  # 0 to 1
    overheads_yearly: Decimal
    basis_explained: str
    years: list[YearCost] = field(default_factory=list)
    total: Decimal = Decimal(0)
    yearly_total: Decimal = Decimal(0)
    term_months: int = 0

    @property
    def overhead_percent(self) -> Decimal:
        return (self.overhead_share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# Amounts in pounds a year, as the calculator takes them: the limits and the words for a mistake, shared by the
# calculator's form and its API.
AMOUNT_MAX_DIGITS, AMOUNT_DECIMAL_PLACES = 12, 2


def amount_messages(label: str) -> dict[str, str]:
    """What to say when an amount called ``label`` ("Staff costs") is not one the calculator takes."""
    name = label[0].lower() + label[1:]
    return {
        "invalid": f"Enter {name} as an amount in pounds, like 25000",
        "min_value": f"{label} cannot be less than £0",
        "max_decimal_places": f"Enter {name} in pounds and pence at most, like 25000.50",
        "max_digits": f"Enter {name} of less than £10,000,000,000",
        "max_whole_digits": f"Enter {name} of less than £10,000,000,000",
    }


def _pounds(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _share(inputs: FullCostInputs, direct_yearly: Decimal) -> tuple[Decimal, str]:
    basis = inputs.basis
    if basis == OverheadBasis.PERCENTAGE:
        if inputs.percentage is None:
            raise DomainError("Enter the percentage of overheads this work should carry", field="percentage")
        if not 0 <= inputs.percentage <= 100:
            raise DomainError("The percentage of overheads must be between 0 and 100", field="percentage")
        return inputs.percentage / 100, f"{inputs.percentage.normalize():f}% of overheads, as stated"
    units = {
        OverheadBasis.STAFF_TIME: ("full-time equivalent staff", "staff"),
        OverheadBasis.FLOOR_AREA: ("square metres", "floor area"),
        OverheadBasis.EXPENDITURE: ("pounds of direct spending", "spending"),
    }
    if basis not in units:
        raise DomainError("Choose how overheads are shared out", field="basis")
    unit, word = units[basis]
    whole = inputs.organisation_total
    if basis == OverheadBasis.EXPENDITURE:
        part = direct_yearly
    else:
        part = inputs.work_share
        if part is None:
            raise DomainError(f"Enter this work's {word}, in {unit}", field="work_share")
        if part < 0:
            raise DomainError(f"This work's {word} cannot be less than 0", field="work_share")
    if whole is None or whole <= 0:
        raise DomainError(f"Enter the whole organisation's {word}, in {unit}, more than 0", field="organisation_total")
    if part > whole:
        raise DomainError(f"The whole organisation's {word} must be at least this work's "
                          f"({part.normalize():f})", field="organisation_total")
    return part / whole, f"{part.normalize():f} of {whole.normalize():f} {unit}"


def full_cost_calculate(inputs: FullCostInputs) -> FullCostResult:
    """The full cost per year and over the term. Reads nothing, changes nothing."""
    for name in MONEY_FIELDS:
        if getattr(inputs, name) < 0:
            raise DomainError("Enter an amount of 0 or more", field=name)
    if not 1 <= inputs.term_months <= MAX_TERM_MONTHS:
        raise DomainError(f"Enter a term between 1 and {MAX_TERM_MONTHS} months", field="term_months")
    if not 0 <= inputs.yearly_increase_percent <= MAX_YEARLY_INCREASE:
        raise DomainError(f"Enter a yearly increase between 0% and {MAX_YEARLY_INCREASE}%",
                          field="yearly_increase_percent")
    direct = sum((getattr(inputs, name) for name, _, _ in DIRECT_COSTS), Decimal(0))
    share, explained = _share(inputs, direct)
    overheads = inputs.overheads_total * share
    rise = 1 + inputs.yearly_increase_percent / 100
    count = -(-inputs.term_months // 12)
    years = []
    for index in range(count):
        months = min(12, inputs.term_months - 12 * index)
        fraction = Decimal(months) / 12
        growth = rise ** index
        year_direct = _pounds(direct * growth * fraction)
        year_overheads = _pounds(overheads * growth * fraction)
        development = _pounds(inputs.development) if index == 0 else Decimal(0)
        exit_cost = _pounds(inputs.exit) if index == count - 1 else Decimal(0)
        years.append(YearCost(
            number=index + 1, months=months, direct=year_direct, overheads=year_overheads,
            development=development, exit=exit_cost,
            total=year_direct + year_overheads + development + exit_cost,
        ))
    total = sum((year.total for year in years), Decimal(0))
    return FullCostResult(
        direct_yearly=_pounds(direct), overhead_share=share, overheads_yearly=_pounds(overheads),
        basis_explained=explained, years=years, total=total,
        yearly_total=_pounds(total * 12 / inputs.term_months), term_months=inputs.term_months,
    )


@transaction.atomic
def full_cost_save(*, organisation, by, inputs: FullCostInputs, title: str,
                   opportunity: Opportunity | None = None) -> FullCostCalculation:
    """Keep a calculation for ``organisation`` (and for ``opportunity``, so a bid can carry it)."""
    if by is not None and not permissions.can_change_tendering_records(by, organisation):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise DomainError("Give the calculation a name, like “Leeds mentoring bid”", field="title")
    if opportunity is not None and not opportunity.is_public:
        raise DomainError("Choose an opportunity that has been published", field="opportunity")
    result = full_cost_calculate(inputs)
    calculation = FullCostCalculation.objects.create(
        organisation=organisation, opportunity=opportunity, title=title[:200], inputs=inputs.as_record(),
        term_months=inputs.term_months, yearly_total=result.yearly_total, total=result.total,
        created_by=by, created_at=timezone.now(),
    )
    audit_record(
        actor=by, action=AuditAction.CREATED, target=calculation, acting_for=organisation, owner=organisation,
        changes={"full cost": [None, f"£{result.total:,} over {inputs.term_months} months"]},
    )
    return calculation


@transaction.atomic
def full_cost_remove(*, calculation: FullCostCalculation, by) -> None:
    organisation = calculation.organisation
    if by is not None and not permissions.can_change_tendering_records(by, organisation):
        raise PermissionDenied
    audit_record(actor=by, action=AuditAction.REMOVED, target=calculation, acting_for=organisation,
                 owner=organisation, changes={"full cost": [calculation.title, None]})
    calculation.delete()
