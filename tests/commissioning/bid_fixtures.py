"""Bidders and their bids, for the clarification and bid tests. Import explicitly:

    from .bid_fixtures import *  # noqa: F403
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pathways.commissioning.selectors.bids import price_criterion, section_criteria
from pathways.commissioning.services import bids as bid_services
from pathways.commissioning.services import evaluation as evaluation_services
from tests.factories import OrganisationFactory, member

from .factories import published

MARKER = "ZEBRAFINCH-7Q4 peer mentors meet at the Kirkgate drop-in"
FILE_MARKER = b"OSPREY-93X our confidential staffing plan"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n" + FILE_MARKER + b"\ntrailer\n<<>>\n%%EOF\n"

__all__ = [
    "MARKER", "FILE_MARKER", "PDF", "media", "opportunity", "bidder", "bidder_manager", "bidder_worker",
    "rival", "rival_manager", "pdf_upload", "complete_draft", "submitted_bid", "agency_opportunity",
    "join_panel",
]


def join_panel(opportunity, user, *, by=None):
    """Put ``user`` on the opportunity's panel with a signed declaration: only the panel reads opened bids."""
    member = evaluation_services.panel_member_add(opportunity=opportunity, by=by or user, email=user.email)
    evaluation_services.panel_declaration_sign(
        member=member, by=user, declaration="I have no link with any of the bidders.", confirmed=True
    )
    return member


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def opportunity(probation, leeds):
    """Open for bids, with a quality criterion (500 words) and a price criterion; no agency."""
    return published(probation, areas=[leeds])


@pytest.fixture
def agency_opportunity(probation, agency, leeds):
    return published(probation, areas=[leeds], agency=agency, title="Mentoring run by the agency")


@pytest.fixture
def bidder(db):
    return OrganisationFactory(name="Kirkgate Women's Project", slug="kirkgate", email="office@kirkgate.example")


@pytest.fixture
def bidder_manager(bidder):
    return member("manager", bidder, email="bids@kirkgate.example", full_name="Bea Bidder")


@pytest.fixture
def bidder_worker(bidder):
    return member("front-line-worker", bidder, email="worker@kirkgate.example", full_name="Wyn Worker")


@pytest.fixture
def rival(db):
    return OrganisationFactory(name="Calder Homes Trust", slug="calder-homes", email="office@calder.example")


@pytest.fixture
def rival_manager(rival):
    return member("manager", rival, email="bids@calder.example", full_name="Rae Rival")


def pdf_upload(name="staffing-plan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def complete_draft(opportunity, organisation, by, *, text=MARKER, price="380000", attachment=True):
    """A bid with every section answered, a price, a subcontractor and (optionally) a PDF attachment."""
    bid = bid_services.bid_start(opportunity=opportunity, organisation=organisation, by=by)
    sections = {str(criterion.pk): text for criterion in section_criteria(opportunity)}
    bid = bid_services.bid_draft_save(
        bid=bid, by=by, sections=sections, price=price if price_criterion(opportunity) else None,
        subcontractors=[{"organisation": "Leeds Credit Union", "work": "Money advice", "share_percent": 10}],
    )
    if attachment:
        bid_services.attachment_add(bid=bid, by=by, upload=pdf_upload())
    bid.refresh_from_db()
    return bid


@pytest.fixture
def submitted_bid(opportunity, bidder, bidder_manager):
    bid = complete_draft(opportunity, bidder, bidder_manager)
    return bid_services.bid_submit(bid=bid, by=bidder_manager)
