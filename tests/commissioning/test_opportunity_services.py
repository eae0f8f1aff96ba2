"""Opportunities from draft to award: every rule of the services that create, change and move them."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pathways.audit.models import AuditEntry
from pathways.commissioning import sealing
from pathways.commissioning.models import Opportunity, OpportunityStatus
from pathways.commissioning.services import opportunities as services
from pathways.commissioning.services.opportunities import OpportunityProblems
from pathways.core.errors import DomainError
from pathways.taxonomy.models import Term

from .factories import add_criteria, fields, make_opportunity, published, ready_opportunity

pytestmark = pytest.mark.django_db

def entries(opportunity):
    """The opportunity's own audit entries (not its lots', criteria's or documents')."""
    return AuditEntry.objects.filter(target_type__model="opportunity", target_id=str(opportunity.pk))


def problems_of(error) -> dict:
    return dict(error.value.problems)


class TestCreating:
    def test_given_a_commissioner_then_they_create_a_draft_for_their_organisation_with_a_reference(
        self, commissioner, probation, leeds
    ):
        opportunity = make_opportunity(probation, by=commissioner, areas=[leeds])
        assert opportunity.status == OpportunityStatus.DRAFT
        assert opportunity.buyer == probation and opportunity.agency is None
        assert opportunity.reference == f"PW-{timezone.now():%Y}-0001"
        assert list(opportunity.terms.values_list("code", flat=True)) == ["pathway-accommodation"]
        assert list(opportunity.areas.all()) == [leeds]
        entry = entries(opportunity).get(action="created")
        assert entry.owner == probation and entry.acting_for == probation and entry.actor == commissioner

    def test_given_several_then_references_follow_on(self, commissioner, probation):
        first = make_opportunity(probation, by=commissioner)
        second = make_opportunity(probation, by=commissioner)
        assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1

    def test_given_the_agency_then_it_creates_one_for_a_buyer_it_chooses(self, agency_worker, agency, prison):
        opportunity = make_opportunity(prison, by=agency_worker, agency=agency)
        assert (opportunity.buyer, opportunity.agency) == (prison, agency)
        entry = entries(opportunity).get(action="created")
        assert entry.acting_for == agency and entry.owner == prison

    def test_given_the_agency_then_it_cannot_create_for_an_organisation_that_does_not_commission(
        self, agency_worker, agency, charity
    ):
        with pytest.raises(PermissionDenied):
            make_opportunity(charity, by=agency_worker, agency=agency)

    def test_given_a_commissioner_then_they_cannot_create_for_another_buyer(self, commissioner, prison):
        with pytest.raises(PermissionDenied):
            make_opportunity(prison, by=commissioner)

    def test_given_someone_of_the_buyer_who_does_not_commission_then_they_are_refused(
        self, probation_worker, probation
    ):
        with pytest.raises(PermissionDenied):
            make_opportunity(probation, by=probation_worker)

    def test_given_a_term_outside_the_pathways_then_it_is_refused_naming_the_field(self, commissioner, probation):
        with pytest.raises(DomainError) as error:
            make_opportunity(probation, by=commissioner, pathways=["category-housing"])
        assert error.value.field == "terms"
        assert not Opportunity.objects.exists()

    def test_given_the_highest_value_below_the_lowest_then_the_message_names_the_field(self, commissioner, probation):
        with pytest.raises(OpportunityProblems) as error:
            make_opportunity(probation, by=commissioner, value_minimum=Decimal(500_000), value_maximum=Decimal(400_000))
        assert problems_of(error) == {
            "value_maximum": "The highest value must be the same as or more than the lowest value"
        }

    def test_given_key_dates_out_of_order_then_each_is_named(self, commissioner, probation):
        now = timezone.now()
        with pytest.raises(OpportunityProblems) as error:
            make_opportunity(
                probation, by=commissioner,
                engagement_closes_at=now + timedelta(days=20), clarifications_close_at=now + timedelta(days=10),
                deadline=now + timedelta(days=5), award_expected_on=(now - timedelta(days=1)).date(),
                contract_starts_on=(now - timedelta(days=2)).date(),
            )
        assert problems_of(error) == {
            "clarifications_close_at": "The date clarifications close must be after the date market engagement closes",
            "deadline": "The deadline for bids must be after the date clarifications close",
            "award_expected_on": "The date the award is expected must be after the deadline for bids",
            "contract_starts_on": "The date the contract starts must be the same as or after the date the award is expected",
        }
        assert not Opportunity.objects.exists()

    def test_given_dates_left_empty_then_the_ones_given_are_still_checked_in_order(self, commissioner, probation):
        now = timezone.now()
        with pytest.raises(OpportunityProblems) as error:
            make_opportunity(probation, by=commissioner, engagement_closes_at=now + timedelta(days=50),
                             clarifications_close_at=None, deadline=now + timedelta(days=40),
                             award_expected_on=None, contract_starts_on=None)
        assert problems_of(error) == {"deadline": "The deadline for bids must be after the date market engagement closes"}


class TestUpdating:
    def test_given_a_draft_then_changes_are_saved_and_audited_with_what_changed(self, commissioner, probation, leeds, hull):
        opportunity = make_opportunity(probation, by=commissioner, areas=[leeds])
        services.opportunity_update(opportunity=opportunity, by=commissioner, areas=[hull], title="Homes after prison")
        opportunity.refresh_from_db()
        assert opportunity.title == "Homes after prison" and list(opportunity.areas.all()) == [hull]
        entry = entries(opportunity).filter(action="changed").get()
        assert entry.changes["title"] == ["Accommodation support for women leaving prison", "Homes after prison"]
        assert entry.changes["areas"] == [["Leeds"], ["Hull"]]

    def test_given_another_buyers_commissioner_then_they_are_refused(self, commissioner, other_commissioner, probation):
        opportunity = make_opportunity(probation, by=commissioner)
        with pytest.raises(PermissionDenied):
            services.opportunity_update(opportunity=opportunity, by=other_commissioner, title="Taken over")

    def test_given_the_agency_running_it_then_it_may_change_it_as_may_the_buyer(
        self, agency_worker, agency, commissioner, probation
    ):
        opportunity = make_opportunity(probation, by=agency_worker, agency=agency)
        services.opportunity_update(opportunity=opportunity, by=commissioner, title="Changed by the buyer")
        services.opportunity_update(opportunity=opportunity, by=agency_worker, title="Changed by the agency")
        assert Opportunity.objects.get().title == "Changed by the agency"

    def test_given_bids_are_open_then_the_deadline_can_only_move_later(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        earlier = opportunity.deadline - timedelta(days=1)
        with pytest.raises(OpportunityProblems) as error:
            services.opportunity_update(opportunity=opportunity, by=commissioner, deadline=earlier)
        assert "deadline" in problems_of(error)
        later = opportunity.deadline + timedelta(days=7)
        services.opportunity_update(opportunity=opportunity, by=commissioner, deadline=later)
        assert Opportunity.objects.get().deadline == later

    def test_given_the_deadline_has_passed_then_nothing_can_change(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        with time_machine.travel(opportunity.deadline + timedelta(seconds=1)):
            with pytest.raises(DomainError, match="can no longer change"):
                services.opportunity_update(opportunity=opportunity, by=commissioner, title="Too late")


class TestPublishing:
    def test_given_a_complete_draft_then_it_is_published_open_with_sealing_keys_and_an_audit_entry(
        self, commissioner, probation, leeds
    ):
        opportunity = ready_opportunity(probation, by=commissioner, areas=[leeds])
        services.opportunity_publish(opportunity=opportunity, by=commissioner, open_for_bids=True)
        opportunity.refresh_from_db()
        assert opportunity.status == OpportunityStatus.OPEN
        assert opportunity.published_at is not None and opportunity.open_for_bids_at == opportunity.published_at
        assert len(bytes(opportunity.sealing_public_key)) == 32
        # The private half is wrapped: it opens only after the deadline, with the server's sealing key.
        with pytest.raises(sealing.StillSealed):
            sealing.private_key_release(opportunity_id=str(opportunity.uuid),
                                        wrapped_private_key=bytes(opportunity.sealing_private_key),
                                        deadline=opportunity.deadline)
        entry = entries(opportunity).filter(changes__status__isnull=False).get()
        assert entry.changes["status"] == ["draft", "open"]

    def test_given_a_draft_then_it_can_be_published_as_forthcoming_without_criteria_or_deadline(
        self, commissioner, probation, leeds
    ):
        opportunity = make_opportunity(probation, by=commissioner, areas=[leeds], deadline=None,
                                       award_expected_on=None, contract_starts_on=None)
        services.opportunity_publish(opportunity=opportunity, by=commissioner, open_for_bids=False)
        opportunity.refresh_from_db()
        assert opportunity.status == OpportunityStatus.FORTHCOMING
        assert opportunity.sealing_public_key and opportunity.open_for_bids_at is None

    def test_given_a_draft_missing_what_bidders_need_then_every_problem_is_listed_and_nothing_changes(
        self, commissioner, probation
    ):
        opportunity = make_opportunity(probation, by=commissioner, pathways=(), value_maximum=None,
                                       value_minimum=None, deadline=None, award_expected_on=None,
                                       contract_starts_on=None)
        services.criterion_add(opportunity=opportunity, by=commissioner, title="Quality", weight=70)
        with pytest.raises(OpportunityProblems) as error:
            services.opportunity_publish(opportunity=opportunity, by=commissioner, open_for_bids=True)
        assert problems_of(error) == {
            "terms": "Choose at least one resettlement pathway, so the right organisations hear of it",
            "areas": "Choose at least one area where the work will be done",
            "value_maximum": "Enter the most the contract may be worth, even as an estimate",
            "deadline": "Set the deadline for bids",
            "criteria": "The criteria's weights add up to 70%. They must add up to 100%",
        }
        opportunity.refresh_from_db()
        assert opportunity.status == OpportunityStatus.DRAFT and opportunity.sealing_public_key is None

    def test_given_a_deadline_in_the_past_then_it_cannot_open(self, commissioner, probation, leeds):
        opportunity = ready_opportunity(probation, by=commissioner, areas=[leeds])
        with time_machine.travel(opportunity.deadline + timedelta(minutes=1)):
            with pytest.raises(OpportunityProblems) as error:
                services.opportunity_publish(opportunity=opportunity, by=commissioner, open_for_bids=True)
        assert problems_of(error)["deadline"] == "The deadline for bids must be in the future"

    def test_given_no_contact_anywhere_then_publishing_asks_for_one(self, commissioner, probation, leeds):
        probation.email = ""
        probation.save()
        opportunity = ready_opportunity(probation, by=commissioner, areas=[leeds])
        with pytest.raises(OpportunityProblems) as error:
            services.opportunity_publish(opportunity=opportunity, by=commissioner)
        assert "contact_email" in problems_of(error)

    def test_given_it_is_published_then_it_cannot_be_published_again(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        with pytest.raises(DomainError, match="already been published"):
            services.opportunity_publish(opportunity=opportunity, by=commissioner)

    def test_given_someone_who_does_not_commission_then_they_cannot_publish(
        self, commissioner, probation_worker, probation, leeds
    ):
        opportunity = ready_opportunity(probation, by=commissioner, areas=[leeds])
        with pytest.raises(PermissionDenied):
            services.opportunity_publish(opportunity=opportunity, by=probation_worker)


class TestProportionalityAcknowledgement:
    def test_given_a_warning_not_acknowledged_then_publishing_is_refused_and_nothing_changes(
        self, commissioner, probation, leeds
    ):
        opportunity = ready_opportunity(probation, by=commissioner, areas=[leeds], turnover_multiple=Decimal(3))
        with pytest.raises(DomainError) as error:
            services.opportunity_publish(opportunity=opportunity, by=commissioner, open_for_bids=True)
        assert error.value.field == "acknowledged" and "turnover" in error.value.message
        assert Opportunity.objects.get().status == OpportunityStatus.DRAFT

    def test_given_the_warning_acknowledged_then_it_publishes_and_the_acknowledgement_is_recorded(
        self, commissioner, probation, leeds
    ):
        opportunity = ready_opportunity(probation, by=commissioner, areas=[leeds], turnover_multiple=Decimal(3))
        services.opportunity_publish(opportunity=opportunity, by=commissioner, open_for_bids=True,
                                     acknowledged=["turnover"], reason="A large contract with TUPE costs.")
        opportunity.refresh_from_db()
        assert opportunity.status == OpportunityStatus.OPEN
        [record] = opportunity.proportionality_acknowledged
        assert record["code"] == "turnover" and "3 times the contract's yearly value" in record["message"]
        assert opportunity.proportionality_acknowledged_by == commissioner
        assert opportunity.proportionality_reason == "A large contract with TUPE costs."
        entry = entries(opportunity).filter(changes__status__isnull=False).get()
        assert entry.changes["proportionality warnings acknowledged"][1] == [record["message"]]
        assert entry.reason == "A large contract with TUPE costs."

    def test_given_a_forthcoming_one_whose_requirements_grew_then_opening_asks_again(
        self, commissioner, probation, leeds
    ):
        opportunity = ready_opportunity(probation, by=commissioner, areas=[leeds], turnover_multiple=Decimal(3))
        services.opportunity_publish(opportunity=opportunity, by=commissioner, acknowledged=["turnover"])
        services.opportunity_update(opportunity=opportunity, by=commissioner, turnover_multiple=Decimal(4))
        with pytest.raises(DomainError, match="turnover"):
            services.opportunity_open(opportunity=opportunity, by=commissioner)
        services.opportunity_open(opportunity=opportunity, by=commissioner, acknowledged=["turnover"])
        assert len(Opportunity.objects.get().proportionality_acknowledged) == 2

    def test_given_warnings_acknowledged_unchanged_then_opening_does_not_ask_again(self, commissioner, probation, leeds):
        opportunity = ready_opportunity(probation, by=commissioner, areas=[leeds], turnover_multiple=Decimal(3))
        services.opportunity_publish(opportunity=opportunity, by=commissioner, acknowledged=["turnover"])
        services.opportunity_open(opportunity=opportunity, by=commissioner)
        assert Opportunity.objects.get().status == OpportunityStatus.OPEN


class TestMovingOn:
    def test_given_a_forthcoming_one_then_it_opens_for_bids(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds], open_for_bids=False)
        services.opportunity_open(opportunity=opportunity, by=commissioner)
        assert Opportunity.objects.get().status == OpportunityStatus.OPEN

    def test_given_an_open_one_then_it_cannot_close_before_its_deadline(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        with pytest.raises(DomainError, match="until the deadline"):
            services.opportunity_close(opportunity=opportunity, by=commissioner)
        with time_machine.travel(opportunity.deadline - timedelta(seconds=1)):
            with pytest.raises(DomainError):
                services.opportunity_close(opportunity=opportunity, by=None)

    def test_given_the_deadline_passed_then_the_job_closes_it_once_and_shows_closed_before_it_runs(
        self, commissioner, probation, leeds
    ):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        still_open = published(probation, by=commissioner, areas=[leeds], deadline=timezone.now() + timedelta(days=60))
        with time_machine.travel(opportunity.deadline + timedelta(seconds=1)):
            assert opportunity.current_status() == OpportunityStatus.CLOSED
            assert services.opportunities_close_due() == 1
            assert services.opportunities_close_due() == 0
        opportunity.refresh_from_db()
        assert opportunity.status == OpportunityStatus.CLOSED and opportunity.closed_at is not None
        assert Opportunity.objects.get(pk=still_open.pk).status == OpportunityStatus.OPEN
        entry = entries(opportunity).filter(changes__status=["open", "closed"]).get()
        assert entry.actor is None and entry.actor_label == "Pathways (system)"

    def test_given_a_closed_one_then_evaluation_starts_and_then_it_is_awarded(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        with time_machine.travel(opportunity.deadline + timedelta(hours=1)):
            # The job has not run: starting evaluation closes it first.
            services.opportunity_evaluation_start(opportunity=opportunity, by=commissioner)
            assert Opportunity.objects.get().status == OpportunityStatus.EVALUATION
            services.opportunity_award(opportunity=opportunity, by=commissioner)
        opportunity.refresh_from_db()
        assert opportunity.status == OpportunityStatus.AWARDED
        assert opportunity.closed_at and opportunity.evaluation_started_at and opportunity.awarded_at

    def test_given_an_open_one_then_evaluation_cannot_start_before_the_deadline(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        with pytest.raises(DomainError, match="once the opportunity has closed"):
            services.opportunity_evaluation_start(opportunity=opportunity, by=commissioner)

    def test_given_it_is_not_under_evaluation_then_it_cannot_be_awarded(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        with pytest.raises(DomainError):
            services.opportunity_award(opportunity=opportunity, by=commissioner)


class TestCancelling:
    @pytest.mark.parametrize("stage", ["draft", "forthcoming", "open", "closed", "evaluation"])
    def test_given_any_state_before_award_then_it_can_be_cancelled_with_a_reason(
        self, commissioner, probation, leeds, stage
    ):
        opportunity = ready_opportunity(probation, by=commissioner, areas=[leeds])
        if stage != "draft":
            services.opportunity_publish(opportunity=opportunity, by=commissioner, open_for_bids=stage != "forthcoming")
        if stage in ("closed", "evaluation"):
            Opportunity.objects.filter(pk=opportunity.pk).update(status=stage)
            opportunity.refresh_from_db()
        services.opportunity_cancel(opportunity=opportunity, by=commissioner, reason="The funding was withdrawn.")
        opportunity.refresh_from_db()
        assert opportunity.status == OpportunityStatus.CANCELLED
        assert (opportunity.cancelled_reason, opportunity.cancelled_by) == ("The funding was withdrawn.", commissioner)
        entry = entries(opportunity).filter(changes__status=[stage, "cancelled"]).get()
        assert entry.reason == "The funding was withdrawn."

    def test_given_no_reason_then_cancelling_is_refused_naming_the_field(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        with pytest.raises(DomainError) as error:
            services.opportunity_cancel(opportunity=opportunity, by=commissioner, reason="  ")
        assert error.value.field == "reason"
        assert Opportunity.objects.get().status == OpportunityStatus.OPEN

    def test_given_it_was_awarded_then_it_cannot_be_cancelled(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        Opportunity.objects.filter(pk=opportunity.pk).update(status=OpportunityStatus.AWARDED)
        opportunity.refresh_from_db()
        with pytest.raises(DomainError, match="cannot be cancelled"):
            services.opportunity_cancel(opportunity=opportunity, by=commissioner, reason="Changed our minds")

    def test_given_another_organisation_then_it_cannot_cancel(self, commissioner, other_commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        with pytest.raises(PermissionDenied):
            services.opportunity_cancel(opportunity=opportunity, by=other_commissioner, reason="Not ours")


class TestLots:
    def test_given_lots_then_they_are_numbered_and_renumbered_when_one_is_removed(self, commissioner, probation, leeds):
        opportunity = make_opportunity(probation, by=commissioner, areas=[leeds])
        first = services.lot_add(opportunity=opportunity, by=commissioner, title="West", value_maximum=Decimal(100_000))
        services.lot_add(opportunity=opportunity, by=commissioner, title="South")
        third = services.lot_add(opportunity=opportunity, by=commissioner, title="East", areas=[leeds])
        services.lot_remove(lot=first, by=commissioner)
        assert [(lot.number, lot.title) for lot in opportunity.lots.all()] == [(1, "South"), (2, "East")]
        third.refresh_from_db()
        assert list(third.areas.all()) == [leeds]

    def test_given_a_lot_worth_more_than_the_whole_then_it_is_refused(self, commissioner, probation):
        opportunity = make_opportunity(probation, by=commissioner)
        with pytest.raises(OpportunityProblems) as error:
            services.lot_add(opportunity=opportunity, by=commissioner, title="Too big", value_maximum=Decimal(999_999))
        assert problems_of(error) == {"value_maximum": "A lot cannot be worth more than the whole opportunity"}

    def test_given_bids_are_open_then_lots_are_fixed(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        with pytest.raises(DomainError, match="cannot change once bids are invited"):
            services.lot_add(opportunity=opportunity, by=commissioner, title="Late lot")


class TestCriteria:
    def test_given_weights_over_100_then_the_weight_is_refused_with_the_total(self, commissioner, probation):
        opportunity = add_criteria(make_opportunity(probation, by=commissioner), by=commissioner)
        with pytest.raises(OpportunityProblems) as error:
            services.criterion_add(opportunity=opportunity, by=commissioner, title="Social value", weight=10)
        assert problems_of(error) == {
            "weight": "The weights would add up to 110%. They must add up to 100%: lower this weight or another one"
        }

    def test_given_a_change_then_the_criterion_own_weight_is_not_counted_twice(self, commissioner, probation):
        opportunity = add_criteria(make_opportunity(probation, by=commissioner), by=commissioner)
        quality = opportunity.criteria.get(is_price=False)
        services.criterion_update(criterion=quality, by=commissioner, title="Quality", weight=50)
        assert services.criteria_weight_total(opportunity) == 90

    def test_given_a_price_criterion_then_it_needs_a_formula_and_there_is_one_at_most(self, commissioner, probation):
        opportunity = make_opportunity(probation, by=commissioner)
        with pytest.raises(OpportunityProblems) as error:
            services.criterion_add(opportunity=opportunity, by=commissioner, title="Price", weight=30, is_price=True)
        assert problems_of(error) == {"price_formula": "Choose how price will be turned into points"}
        add_criteria(opportunity, by=commissioner, quality=30, price=30)
        with pytest.raises(OpportunityProblems) as error:
            services.criterion_add(opportunity=opportunity, by=commissioner, title="Cost", weight=10, is_price=True,
                                   price_formula="difference")
        assert problems_of(error) == {"is_price": "“Price” is already the price criterion. An opportunity has one at most"}

    def test_given_a_price_criterion_then_it_has_no_word_limit(self, commissioner, probation):
        opportunity = make_opportunity(probation, by=commissioner)
        price = services.criterion_add(opportunity=opportunity, by=commissioner, title="Price", weight=30,
                                       is_price=True, price_formula="lowest_ratio", word_limit=200)
        assert price.word_limit is None

    def test_given_bids_are_open_then_criteria_are_fixed(self, commissioner, probation, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        with pytest.raises(DomainError, match="cannot change once bids are invited"):
            services.criterion_remove(criterion=opportunity.criteria.first(), by=commissioner)

    def test_given_another_organisation_then_it_cannot_add_criteria(self, commissioner, other_commissioner, probation):
        opportunity = make_opportunity(probation, by=commissioner)
        with pytest.raises(PermissionDenied):
            services.criterion_add(opportunity=opportunity, by=other_commissioner, title="Quality", weight=10)


def test_the_contact_is_the_named_one_then_the_agency_then_the_buyer(commissioner, probation, agency, agency_worker):
    assert services.contact_email_for(make_opportunity(probation, contact_email="sam@example.org")) == "sam@example.org"
    assert services.contact_email_for(make_opportunity(probation, by=agency_worker, agency=agency)) == "agency@example.org"
    assert services.contact_email_for(make_opportunity(probation)) == "commissioning@probation.example"


def test_the_factory_fields_are_proportionate_and_in_order(probation):
    """The fixtures' opportunity raises no warning, so tests that want one add it on purpose."""
    from pathways.commissioning.services.proportionality import proportionality_check

    opportunity = make_opportunity(probation)
    assert proportionality_check(opportunity=opportunity) == []
    assert fields()["deadline"] > fields()["clarifications_close_at"]


def test_a_buyer_that_does_not_commission_is_refused_even_for_the_system(charity):
    with pytest.raises(DomainError) as error:
        make_opportunity(charity)
    assert error.value.field == "buyer"
    assert not Term.objects.filter(opportunities__isnull=False).exists()
