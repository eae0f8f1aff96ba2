"""OCDS with lots: each lot is awarded and contracted in its own releases as its award is confirmed, the tender
stays active until the last lot is awarded, and bidders for a lot still being decided are not named."""

from datetime import timedelta
from decimal import Decimal

import pytest

from pathways.commissioning.models import Award, AwardStatus, Contract, OpportunityStatus
from pathways.commissioning.ocds import packages, validation
from pathways.commissioning.ocds.releases import published_opportunities, releases_of
from tests.factories import OrganisationFactory, UserFactory

from .factories import published
from .open_data_fixtures import *  # noqa: F403
from .open_data_fixtures import move, submit_bid

pytestmark = pytest.mark.django_db


def confirm_lot(opportunity, bid, *, at, value):
    award = Award.objects.create(
        opportunity=opportunity, lot=bid.lot, bid=bid, status=AwardStatus.CONFIRMED, value=Decimal(value),
        recommendation="The strongest plan for this lot.", recommended_by=UserFactory(),
        recommended_at=at - timedelta(days=14), approved_at=at - timedelta(days=12), standstill_ends_at=at,
    )
    Contract.objects.create(
        award=award, reference=f"{opportunity.reference}-C{bid.lot.number}", buyer=opportunity.buyer,
        supplier=bid.bidder, title=f"{opportunity.title}: {bid.lot.title}", value=Decimal(value),
        starts_on=at.date(), ends_on=at.date() + timedelta(days=730), created_at=at,
    )
    return award


@pytest.fixture
def two_lots(probation, leeds):
    """Lot 1 (Leeds) and lot 2 (Hull) each with two submitted bids; lot 3 (Wakefield) with none."""
    opportunity = published(probation, areas=[leeds])
    leeds_lot = opportunity.lots.create(number=1, title="Leeds", value_maximum=200_000)
    hull_lot = opportunity.lots.create(number=2, title="Hull", value_maximum=250_000)
    opportunity.lots.create(number=3, title="Wakefield", value_maximum=100_000)
    bids = {}
    for lot, names in ((leeds_lot, ("Leeds Women's Centre", "Big Outsourcing plc")),
                       (hull_lot, ("Hull Housing Trust", "Humber Resettlement"))):
        for name in names:
            bid = submit_bid(opportunity, OrganisationFactory(name=name), price=150_000)
            bid.lot = lot
            bid.save(update_fields=["lot"])
            bids[name] = bid
    move(opportunity, OpportunityStatus.EVALUATION, at=opportunity.deadline + timedelta(days=1))
    return opportunity, bids


def reloaded(opportunity):
    return published_opportunities().get(pk=opportunity.pk)


def names(party_refs):
    return sorted(party["name"] for party in party_refs)


def test_given_one_lot_confirmed_then_its_award_is_released_and_the_tender_is_still_active(two_lots):
    opportunity, bids = two_lots
    at = opportunity.deadline + timedelta(days=40)
    confirm_lot(opportunity, bids["Leeds Women's Centre"], at=at, value=180_000)

    last = releases_of(reloaded(opportunity))[-1]

    assert last["tag"] == ["contract"]
    assert last["tender"]["status"] == "active"
    assert {lot["id"]: lot["status"] for lot in last["tender"]["lots"]} == {"1": "complete", "2": "active",
                                                                             "3": "active"}
    assert [award["relatedLots"] for award in last["awards"]] == [["1"]]
    assert [contract["id"] for contract in last["contracts"]] == [f"{opportunity.reference}-C1"]
    # Only lot 1's bidders are named: lot 2 is still being decided.
    assert names(last["tender"]["tenderers"]) == ["Big Outsourcing plc", "Leeds Women's Centre"]
    assert last["tender"]["numberOfTenderers"] == 2
    tenderer_names = {party["name"] for party in last["parties"] if "tenderer" in party["roles"]}
    assert "Hull Housing Trust" not in tenderer_names


def test_given_every_lot_with_bids_confirmed_then_each_has_its_releases_and_the_tender_is_complete(two_lots):
    opportunity, bids = two_lots
    first, second = opportunity.deadline + timedelta(days=40), opportunity.deadline + timedelta(days=50)
    confirm_lot(opportunity, bids["Leeds Women's Centre"], at=first, value=180_000)
    confirm_lot(opportunity, bids["Humber Resettlement"], at=second, value=240_000)
    move(opportunity, OpportunityStatus.AWARDED, at=second)

    releases = releases_of(reloaded(opportunity))

    assert [release["id"].split("-")[-2] for release in releases if release["tag"][0] in ("award", "contract")] == [
        "lot1", "lot1", "lot2", "lot2"]
    award_releases = [release for release in releases if release["tag"] == ["award"]]
    assert [release["tender"]["status"] for release in award_releases] == ["active", "complete"]
    final = releases[-1]
    assert {lot["id"]: lot["status"] for lot in final["tender"]["lots"]} == {"1": "complete", "2": "complete",
                                                                              "3": "unsuccessful"}
    assert sorted(award["relatedLots"][0] for award in final["awards"]) == ["1", "2"]
    assert final["tender"]["numberOfTenderers"] == 4
    package = packages.release_package(releases, uri="https://example.org/ocds/releases/")
    assert validation.release_package_errors(package) == []
    record = packages.record_package([reloaded(opportunity)], uri="https://example.org/ocds/records/")
    assert validation.record_package_errors(record) == []
    compiled = record["records"][0]["compiledRelease"]
    assert sorted(contract["id"] for contract in compiled["contracts"]) == [
        f"{opportunity.reference}-C1", f"{opportunity.reference}-C2"]
