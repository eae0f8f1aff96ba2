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
]


def submit_bid(opportunity, organisation, *, sections: dict, price, consortium=None) -> Bid:
    """A bid sealed and submitted before the deadline."""
    bid = Bid.objects.create(opportunity=opportunity, bidder=organisation, consortium=consortium, draft={
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
