"""An opportunity with sealed, submitted and opened bids, and a panel, for the evaluation and award tests.

Import the fixtures explicitly: ``from .evaluation_fixtures import *  # noqa: F403``. Bids are made as the
bids work makes them (a draft, sealed with ``bid_format.bid_seal_draft``, then submitted); the clock is
moved past the deadline with time_machine and ``bids_opened_at`` set, as the audited opening does.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from pathways.commissioning.models import Bid, BidStatus, OpportunityStatus
from pathways.commissioning.services import awards as award_services
from pathways.commissioning.services import bid_format
from pathways.commissioning.services import evaluation as evaluation_services
from pathways.commissioning.services import opportunities as opportunity_services
from tests.factories import OrganisationFactory, member

from .factories import published

__all__ = [
    "evaluation_opportunity", "bids", "after_deadline", "opened", "in_evaluation", "evaluator", "chair",
    "declared_evaluator", "declared_chair", "bidder_manager", "rival_manager", "outsider",
    "submit_bid", "open_bids", "sign", "bidder_org", "rival_org", "agency_on_panel", "moderated", "recommended",
    "third_org", "third_manager", "two_lots", "lot_bids", "lots_in_evaluation", "lots_moderated", "lot1_confirmed",
]


def submit_bid(opportunity, organisation, *, sections: dict, price, consortium=None, lot=None) -> Bid:
    """A bid (for ``lot`` when given) sealed and submitted before the deadline."""
    bid = Bid.objects.create(opportunity=opportunity, lot=lot, bidder=organisation, consortium=consortium, draft={
        "sections": {str(k): v for k, v in sections.items()}, "price": str(price), "subcontractors": [],
        "attachments": [],
    })
    bid_format.bid_seal_draft(bid)
    bid.status = BidStatus.SUBMITTED
    bid.submitted_at = timezone.now()
    bid.save()
    return bid


def open_bids(opportunity, when):
    opportunity.bids_opened_at = when
    opportunity.save(update_fields=["bids_opened_at"])
    return opportunity


def sign(member_row, user):
    return evaluation_services.panel_declaration_sign(
        member=member_row, by=user, declaration="I have no link with any of the bidders.", confirmed=True)


@pytest.fixture
def evaluation_opportunity(probation, agency, agency_worker, leeds):
    """Run by the agency for the probation region; quality 60%, price 40% (lowest price ÷ price)."""
    return published(probation, agency=agency, by=agency_worker, areas=[leeds])


@pytest.fixture
def bidder_org(db):
    return OrganisationFactory(name="Aire Valley Homes", slug="aire-valley-homes")


@pytest.fixture
def rival_org(db):
    return OrganisationFactory(name="Calder Housing Project", slug="calder-housing")


@pytest.fixture
def bidder_manager(bidder_org):
    return member("manager", bidder_org, email="bidder@example.org", full_name="Bea Bidder")


@pytest.fixture
def rival_manager(rival_org):
    return member("manager", rival_org, email="rival@example.org", full_name="Rhys Rival")


@pytest.fixture
def outsider(db):
    return member("manager", OrganisationFactory(name="Unrelated Trust"), email="outsider@example.org",
                  full_name="Otto Outsider")


@pytest.fixture
def bids(evaluation_opportunity, bidder_org, rival_org):
    quality = evaluation_opportunity.criteria.get(is_price=False)
    return [
        submit_bid(evaluation_opportunity, bidder_org, sections={quality.pk: "We run three women's houses."},
                   price=400_000),
        submit_bid(evaluation_opportunity, rival_org, sections={quality.pk: "We offer floating support."},
                   price=320_000),
    ]


@pytest.fixture
def after_deadline(evaluation_opportunity, bids):
    with time_machine.travel(evaluation_opportunity.deadline + timedelta(hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def opened(evaluation_opportunity, after_deadline):
    return open_bids(evaluation_opportunity, timezone.now())


@pytest.fixture
def in_evaluation(opened, agency_worker):
    opportunity_services.opportunity_evaluation_start(opportunity=opened, by=agency_worker)
    assert opened.status == OpportunityStatus.EVALUATION
    return opened


@pytest.fixture
def evaluator(db):
    return member("manager", OrganisationFactory(name="Independent Panel Members"), email="eve@example.org",
                  full_name="Eve Evaluator")


@pytest.fixture
def chair(agency):
    return member("partnership-development-worker", agency, email="chair@example.org", full_name="Chris Chair")


@pytest.fixture
def declared_evaluator(evaluation_opportunity, agency_worker, evaluator):
    row = evaluation_services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker,
                                               email=evaluator.email)
    return sign(row, evaluator)


@pytest.fixture
def declared_chair(evaluation_opportunity, agency_worker, chair):
    row = evaluation_services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker,
                                               email=chair.email, role="chair")
    return sign(row, chair)


@pytest.fixture
def agency_on_panel(evaluation_opportunity, agency_worker):
    """The agency worker who runs the panel, also sitting on it as its declared chair: so they may see the
    ranking (it has the bids' prices) and recommend."""
    row = evaluation_services.panel_member_add(opportunity=evaluation_opportunity, by=agency_worker,
                                               email=agency_worker.email, role="chair")
    return sign(row, agency_worker)


@pytest.fixture
def moderated(in_evaluation, bids, agency_worker, agency_on_panel):
    """Both bids with an agreed quality score: 9 for Aire Valley Homes, 5 for Calder Housing Project."""
    criterion = in_evaluation.criteria.get(is_price=False)
    evaluation_services.moderated_score_record(bid=bids[0], criterion=criterion, by=agency_worker, score=9,
                                               reason="A tested plan with houses ready.")
    evaluation_services.moderated_score_record(bid=bids[1], criterion=criterion, by=agency_worker, score=5,
                                               reason="Sound, but little on keeping tenancies.")
    return in_evaluation


@pytest.fixture
def recommended(moderated, bids, agency_worker):
    return award_services.award_recommend(opportunity=moderated, bid=bids[0], by=agency_worker,
                                          recommendation="The highest score: houses ready and a tested plan.")


# An opportunity in two lots, each evaluated and awarded on its own ------------------------------------

@pytest.fixture
def third_org(db):
    return OrganisationFactory(name="Wharfe Women's Aid", slug="wharfe-womens-aid")


@pytest.fixture
def third_manager(third_org):
    return member("manager", third_org, email="third@example.org", full_name="Tess Third")


@pytest.fixture
def two_lots(evaluation_opportunity):
    """Lot 1, West Leeds, and lot 2, East Leeds."""
    return [evaluation_opportunity.lots.create(number=1, title="West Leeds", value_maximum=200_000),
            evaluation_opportunity.lots.create(number=2, title="East Leeds", value_maximum=250_000)]


@pytest.fixture
def lot_bids(evaluation_opportunity, two_lots, bidder_org, rival_org, third_org):
    """{lot number: [bids]}. Lot 1: Aire Valley Homes at £400,000 and Calder Housing Project at £320,000.
    Lot 2: Calder Housing Project at £300,000 and Wharfe Women's Aid at £250,000."""
    quality = evaluation_opportunity.criteria.get(is_price=False)

    def bid(organisation, lot, price):
        return submit_bid(evaluation_opportunity, organisation, lot=lot, price=price,
                          sections={quality.pk: f"Our plan for {lot.title}."})

    west, east = two_lots
    return {1: [bid(bidder_org, west, 400_000), bid(rival_org, west, 320_000)],
            2: [bid(rival_org, east, 300_000), bid(third_org, east, 250_000)]}


@pytest.fixture
def lots_in_evaluation(evaluation_opportunity, lot_bids, agency_worker):
    """The two-lot opportunity after its deadline, its bids opened and under evaluation (the clock frozen)."""
    with time_machine.travel(evaluation_opportunity.deadline + timedelta(hours=1), tick=False):
        open_bids(evaluation_opportunity, timezone.now())
        opportunity_services.opportunity_evaluation_start(opportunity=evaluation_opportunity, by=agency_worker)
        yield evaluation_opportunity


@pytest.fixture
def lots_moderated(lots_in_evaluation, lot_bids, agency_worker, agency_on_panel):
    """Every bid with an agreed quality score. Lot 1: Aire Valley Homes 9, Calder 5. Lot 2: Calder 6,
    Wharfe Women's Aid 8."""
    criterion = lots_in_evaluation.criteria.get(is_price=False)
    for bid, score in ((lot_bids[1][0], 9), (lot_bids[1][1], 5), (lot_bids[2][0], 6), (lot_bids[2][1], 8)):
        evaluation_services.moderated_score_record(bid=bid, criterion=criterion, by=agency_worker, score=score,
                                                   reason=f"Agreed at {score} by the panel.")
    return lots_in_evaluation


@pytest.fixture
def lot1_confirmed(lots_moderated, lot_bids, agency_worker, commissioner):
    """Lot 1 awarded to Aire Valley Homes: recommended, approved, and confirmed once its standstill ended (the
    clock moved there for the confirmation only). Returns the lot's contract; lot 2 is still undecided."""
    award = award_services.award_recommend(opportunity=lots_moderated, bid=lot_bids[1][0], by=agency_worker,
                                           recommendation="The highest score for West Leeds.")
    award = award_services.award_approve(award=award, by=commissioner)
    with time_machine.travel(award.standstill_ends_at + timedelta(minutes=1), tick=False):
        return award_services.award_confirm(award=award, by=None)
