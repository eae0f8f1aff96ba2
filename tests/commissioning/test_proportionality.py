"""The proportionality check: a warning, in plain words, for each requirement out of scale with the contract."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pathways.commissioning.models import Opportunity
from pathways.commissioning.services.proportionality import proportionality_check, warnings_to_acknowledge


def opportunity(**fields) -> Opportunity:
    """An unsaved opportunity worth £150,000 a year for three years, asking for nothing."""
    values = {"title": "Mentoring", "summary": "Mentors.", "duration_months": 36, "value_maximum": Decimal(450_000)}
    return Opportunity(**values | fields)


def codes(o, **kwargs) -> list[str]:
    return [warning.code for warning in proportionality_check(opportunity=o, **kwargs)]


def test_given_proportionate_requirements_then_there_is_no_warning():
    o = opportunity(insurance_required=Decimal(1_000_000), turnover_multiple=Decimal(2), payment_by_results_percent=20,
                    accreditations_required="")
    assert proportionality_check(opportunity=o) == []


class TestInsurance:
    def test_given_cover_above_five_times_the_yearly_value_and_above_a_million_then_it_warns(self):
        [warning] = proportionality_check(opportunity=opportunity(insurance_required=Decimal(5_000_000)))
        assert (warning.code, warning.field) == ("insurance", "insurance_required")
        assert warning.message.startswith(
            "You ask for £5,000,000 of insurance cover on a contract worth about £150,000 a year: 33.3 times its yearly value."
        )

    def test_given_a_million_on_a_small_contract_then_the_floor_keeps_it_quiet(self):
        small = opportunity(value_maximum=Decimal(60_000), insurance_required=Decimal(1_000_000))
        assert codes(small) == []

    def test_given_cover_within_five_times_a_large_yearly_value_then_no_warning(self):
        large = opportunity(value_maximum=Decimal(9_000_000), insurance_required=Decimal(10_000_000))
        assert codes(large) == []

    def test_given_no_stated_value_then_cover_over_a_million_warns(self):
        o = opportunity(value_maximum=None, insurance_required=Decimal(2_000_000))
        [warning] = proportionality_check(opportunity=o)
        assert "the contract's value is not stated" in warning.message


class TestTurnover:
    @pytest.mark.parametrize(("multiple", "warns"), [("2", False), ("2.5", True), ("4", True), ("0", False)])
    def test_given_a_turnover_multiple_then_only_above_two_warns(self, multiple, warns):
        assert codes(opportunity(turnover_multiple=Decimal(multiple))) == (["turnover"] if warns else [])

    def test_the_message_gives_the_turnover_in_pounds(self):
        [warning] = proportionality_check(opportunity=opportunity(turnover_multiple=Decimal(3)))
        assert "3 times the contract's yearly value (about £450,000)" in warning.message


class TestAccreditations:
    def test_given_accreditations_on_a_small_contract_then_it_warns(self):
        o = opportunity(value_maximum=Decimal(90_000), accreditations_required="Advice Quality Standard")
        [warning] = proportionality_check(opportunity=o)
        assert warning.code == "accreditations"
        assert "(Advice Quality Standard) on a contract worth about £30,000 a year" in warning.message

    def test_given_accreditations_on_a_contract_over_100000_a_year_then_no_warning(self):
        assert codes(opportunity(accreditations_required="Matrix")) == []


class TestPaymentByResults:
    @pytest.mark.parametrize(("share", "warns"), [(20, False), (21, True), (50, True)])
    def test_given_a_share_then_over_twenty_per_cent_warns_on_contracts_small_organisations_bid_for(self, share, warns):
        assert codes(opportunity(payment_by_results_percent=share)) == (["payment_by_results"] if warns else [])

    def test_given_a_very_large_contract_then_a_high_share_does_not_warn(self):
        large = opportunity(value_maximum=Decimal(30_000_000), payment_by_results_percent=40)
        assert codes(large) == []


class TestTimeToBid:
    def test_given_fewer_than_28_days_to_the_deadline_then_it_warns(self):
        now = timezone.now()
        [warning] = proportionality_check(opportunity=opportunity(deadline=now + timedelta(days=14, hours=1)), now=now)
        assert (warning.code, warning.field) == ("time_to_bid", "deadline")
        assert warning.message.startswith("Bidders would have 14 days to bid.")

    def test_given_28_days_or_more_then_no_warning(self):
        now = timezone.now()
        assert codes(opportunity(deadline=now + timedelta(days=28)), now=now) == []


def test_warnings_already_acknowledged_in_the_same_words_are_not_asked_again():
    o = opportunity(turnover_multiple=Decimal(3), payment_by_results_percent=30)
    [turnover, pbr] = proportionality_check(opportunity=o)
    o.proportionality_acknowledged = [turnover.as_record()]
    assert warnings_to_acknowledge(opportunity=o) == [pbr]
    o.turnover_multiple = Decimal(4)
    assert [w.code for w in warnings_to_acknowledge(opportunity=o)] == ["turnover", "payment_by_results"]
