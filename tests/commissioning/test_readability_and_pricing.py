"""The summary's readability hint, and the price formulas stated to bidders."""

from decimal import Decimal

import pytest

from pathways.commissioning.services.pricing import formula_example, formula_in_words, price_points
from pathways.commissioning.services.readability import readability_hint
from pathways.core.errors import DomainError


class TestReadability:
    def test_given_short_plain_sentences_then_it_reads_well(self):
        hint = readability_hint("We want help for women leaving prison. The work is in Leeds. It lasts three years.")
        assert (hint.sentences, hint.words, hint.average_sentence_words) == (3, 16, 5.3)
        assert hint.reads_well and hint.long_sentences == [] and hint.unexplained == []

    def test_given_a_long_sentence_then_it_is_listed(self):
        long = " ".join(["word"] * 30) + "."
        hint = readability_hint(f"A short one. {long}")
        assert hint.long_sentences == [long]
        assert hint.average_sentence_words == 16.5
        assert not hint.reads_well

    def test_given_jargon_without_explanation_then_each_term_is_named(self):
        hint = readability_hint("TUPE applies. The ITT is split into lots, see Lot 2. Payment by results is 10%.")
        assert [entry.term for entry in hint.unexplained] == [
            "Invitation to tender", "Lot", "Payment by results", "TUPE",
        ]

    def test_given_jargon_explained_in_the_same_sentence_then_it_is_not_named(self):
        hint = readability_hint(
            "TUPE (staff moving with the work) may apply. Payment by results means we pay some money for outcomes."
        )
        assert hint.unexplained == []

    def test_given_ordinary_words_that_look_like_jargon_then_they_are_not_named(self):
        assert readability_hint("A lot of people need a home. We will award a grant.").unexplained == []

    def test_given_nothing_then_the_hint_is_empty(self):
        assert readability_hint("   ").is_empty


class TestPriceFormulas:
    @pytest.mark.parametrize(("formula", "price", "points"), [
        ("lowest_ratio", 90_000, "40.00"),
        ("lowest_ratio", 100_000, "36.00"),
        ("lowest_ratio", 180_000, "20.00"),
        ("difference", 100_000, "35.56"),
        ("difference", 180_000, "0.00"),
        ("difference", 200_000, "0.00"),
    ])
    def test_given_a_price_then_its_points_follow_the_stated_formula(self, formula, price, points):
        result = price_points(formula=formula, weight=40, lowest_price=Decimal(90_000), price=Decimal(price))
        assert result == Decimal(points)

    def test_the_formula_is_shown_with_the_weight_and_an_example(self):
        assert formula_in_words(formula="lowest_ratio", weight=30) == (
            "Points = lowest price ÷ your price × 30. The lowest price gets all 30 points."
        )
        assert formula_example(formula="lowest_ratio", weight=40) == (
            "For example, if the lowest price is £90,000, a bid of £100,000 scores 36 of 40 points."
        )
        assert formula_example(formula="difference", weight=40).endswith("scores 35.56 of 40 points.")

    def test_given_nonsense_prices_then_they_are_refused(self):
        with pytest.raises(DomainError):
            price_points(formula="lowest_ratio", weight=40, lowest_price=Decimal(0), price=Decimal(1))
        with pytest.raises(DomainError):
            price_points(formula="lowest_ratio", weight=40, lowest_price=Decimal(10), price=Decimal(5))
