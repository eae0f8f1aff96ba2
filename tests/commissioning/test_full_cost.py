"""The full-cost-recovery calculator: its arithmetic, its messages, and saving a result for a bid."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import FullCostCalculation
from pathways.commissioning.selectors.help import calculations_for_opportunity
from pathways.commissioning.services.full_cost import (
    FullCostInputs,
    OverheadBasis,
    full_cost_calculate,
    full_cost_remove,
    full_cost_save,
)
from pathways.core.errors import DomainError

from .factories import make_opportunity, published

D = Decimal


def inputs(**fields) -> FullCostInputs:
    """£50,000 a year of direct costs; £100,000 of overheads shared by staff time, 2 of 10 people."""
    values = {
        "staff": D(42_000), "volunteers": D(2_000), "premises": D(0), "equipment": D(1_500), "travel": D(3_000),
        "other_direct": D(1_500), "overheads_total": D(100_000), "basis": OverheadBasis.STAFF_TIME,
        "work_share": D(2), "organisation_total": D(10), "development": D(5_000), "exit": D(3_000), "term_months": 36,
    }
    return FullCostInputs(**values | fields)


class TestArithmetic:
    def test_given_three_years_then_development_falls_in_the_first_and_exit_in_the_last(self):
        result = full_cost_calculate(inputs())
        assert (result.direct_yearly, result.overheads_yearly, result.overhead_percent) == (D(50_000), D(20_000), D("20.0"))
        assert [year.total for year in result.years] == [D(75_000), D(70_000), D(73_000)]
        assert (result.total, result.yearly_total) == (D(218_000), D(72_667))
        assert result.basis_explained == "2 of 10 full-time equivalent staff"

    def test_given_a_part_year_then_the_last_year_is_charged_for_its_months(self):
        result = full_cost_calculate(inputs(term_months=18, development=D(0), exit=D(0)))
        assert [(year.months, year.total) for year in result.years] == [(12, D(70_000)), (6, D(35_000))]
        assert (result.total, result.yearly_total) == (D(105_000), D(70_000))

    def test_given_a_yearly_increase_then_each_year_costs_more(self):
        result = full_cost_calculate(inputs(yearly_increase_percent=D(3), development=D(0), exit=D(0)))
        assert [year.direct for year in result.years] == [D(50_000), D(51_500), D(53_045)]
        assert [year.overheads for year in result.years] == [D(20_000), D(20_600), D(21_218)]
        assert result.total == D(216_363)

    def test_given_a_share_of_spending_then_the_work_direct_costs_are_the_part(self):
        result = full_cost_calculate(inputs(basis=OverheadBasis.EXPENDITURE, work_share=None,
                                            organisation_total=D(400_000), term_months=12,
                                            development=D(0), exit=D(0)))
        assert result.overheads_yearly == D(12_500)
        assert result.basis_explained == "50000 of 400000 pounds of direct spending"

    def test_given_a_stated_percentage_then_it_is_used(self):
        result = full_cost_calculate(inputs(basis=OverheadBasis.PERCENTAGE, percentage=D("12.5"), term_months=12))
        assert result.overheads_yearly == D(12_500)

    def test_given_floor_area_then_the_share_is_of_the_space(self):
        result = full_cost_calculate(inputs(basis=OverheadBasis.FLOOR_AREA, work_share=D(30), organisation_total=D(120)))
        assert result.overheads_yearly == D(25_000)

    def test_the_total_is_the_sum_of_the_rounded_years(self):
        result = full_cost_calculate(inputs(staff=D("33333.33"), term_months=30, yearly_increase_percent=D("2.5")))
        assert result.total == sum(year.total for year in result.years)


class TestMessages:
    @pytest.mark.parametrize(("changes", "field", "message"), [
        ({"work_share": None}, "work_share", "Enter this work's staff, in full-time equivalent staff"),
        ({"organisation_total": D(0)}, "organisation_total",
         "Enter the whole organisation's staff, in full-time equivalent staff, more than 0"),
        ({"work_share": D(12)}, "organisation_total", "The whole organisation's staff must be at least this work's (12)"),
        ({"basis": OverheadBasis.PERCENTAGE, "percentage": None}, "percentage",
         "Enter the percentage of overheads this work should carry"),
        ({"basis": OverheadBasis.PERCENTAGE, "percentage": D(120)}, "percentage",
         "The percentage of overheads must be between 0 and 100"),
        ({"travel": D(-5)}, "travel", "Enter an amount of 0 or more"),
        ({"term_months": 0}, "term_months", "Enter a term between 1 and 240 months"),
        ({"yearly_increase_percent": D(25)}, "yearly_increase_percent", "Enter a yearly increase between 0% and 20%"),
    ])
    def test_given_a_bad_input_then_the_message_names_the_field(self, changes, field, message):
        with pytest.raises(DomainError) as error:
            full_cost_calculate(inputs(**changes))
        assert (error.value.field, error.value.message) == (field, message)


class TestSaving:
    def test_given_a_manager_then_the_calculation_is_saved_for_the_organisation_and_the_opportunity(
        self, charity, manager, probation, leeds
    ):
        opportunity = published(probation, areas=[leeds])
        calculation = full_cost_save(organisation=charity, by=manager, inputs=inputs(), title="Leeds homes bid",
                                     opportunity=opportunity)
        assert (calculation.total, calculation.yearly_total, calculation.term_months) == (D(218_000), D(72_667), 36)
        assert FullCostInputs.from_record(calculation.inputs) == inputs()
        assert list(calculations_for_opportunity(organisation=charity, opportunity=opportunity)) == [calculation]
        entry = AuditEntry.objects.get(target_id=str(calculation.pk), target_type__model="fullcostcalculation")
        assert entry.owner == charity and entry.changes["full cost"] == [None, "£218,000 over 36 months"]

    def test_given_a_worker_then_they_cannot_save(self, charity, worker):
        with pytest.raises(PermissionDenied):
            full_cost_save(organisation=charity, by=worker, inputs=inputs(), title="Mine")

    def test_given_another_organisation_then_it_cannot_save_for_this_one(self, charity, other_manager):
        with pytest.raises(PermissionDenied):
            full_cost_save(organisation=charity, by=other_manager, inputs=inputs(), title="Theirs")

    def test_given_no_title_or_a_draft_opportunity_then_nothing_is_saved(self, charity, manager, probation):
        with pytest.raises(DomainError) as error:
            full_cost_save(organisation=charity, by=manager, inputs=inputs(), title=" ")
        assert error.value.field == "title"
        with pytest.raises(DomainError) as error:
            full_cost_save(organisation=charity, by=manager, inputs=inputs(), title="Bid",
                           opportunity=make_opportunity(probation))
        assert error.value.field == "opportunity"
        assert not FullCostCalculation.objects.exists()

    def test_given_a_saved_calculation_then_a_manager_removes_it(self, charity, manager, worker):
        calculation = full_cost_save(organisation=charity, by=manager, inputs=inputs(), title="Old")
        with pytest.raises(PermissionDenied):
            full_cost_remove(calculation=calculation, by=worker)
        full_cost_remove(calculation=calculation, by=manager)
        assert not FullCostCalculation.objects.exists()
