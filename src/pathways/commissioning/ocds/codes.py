"""Our statuses mapped to codes of OCDS's closed codelists, and the codelists themselves (read from the
copied CSV files, so that tests can prove every code we send is in its list)."""

import csv
from functools import cache
from pathlib import Path

from ..models import AwardStatus, ContractStatus, OpportunityStatus, Procedure

CODELISTS = Path(__file__).parent / "schemas" / "codelists"


@cache
def codelist(name: str) -> frozenset[str]:
    """The codes of ``name`` (e.g. "tenderStatus"), from its CSV file."""
    with open(CODELISTS / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return frozenset(row["Code"] for row in csv.DictReader(handle))


# tenderStatus. A draft is never published, so it has no code.
TENDER_STATUS = {
    OpportunityStatus.FORTHCOMING: "planned",
    OpportunityStatus.OPEN: "active",
    OpportunityStatus.CLOSED: "active",        # bids are in; the process goes on
    OpportunityStatus.EVALUATION: "active",
    OpportunityStatus.AWARDED: "complete",
    OpportunityStatus.CANCELLED: "cancelled",
}

# method: an open competition is open; a mini-competition invites the approved list, so selective; a grant
# round is open to all who apply.
PROCUREMENT_METHOD = {
    Procedure.OPEN: "open",
    Procedure.MINI_COMPETITION: "selective",
    Procedure.GRANT_ROUND: "open",
}

# awardStatus: only confirmed awards are published, and they are in force.
AWARD_STATUS = {AwardStatus.CONFIRMED: "active"}

# contractStatus
CONTRACT_STATUS = {
    ContractStatus.PENDING: "pending",
    ContractStatus.ACTIVE: "active",
    ContractStatus.ENDED: "terminated",
    ContractStatus.TERMINATED: "terminated",
}

MAIN_PROCUREMENT_CATEGORY = "services"
INITIATION_TYPE = "tender"
CURRENCY = "GBP"

# Organisation identifier schemes (org-id.guide): Charity Commission for England and Wales, Companies House.
CHARITY_SCHEME = "GB-CHC"
COMPANY_SCHEME = "GB-COH"
# How the pathway terms classify items: our own vocabulary (itemClassificationScheme is an open codelist).
PATHWAY_SCHEME = "PATHWAYS-PATHWAY"

# The lots extension, for tender.lots and awards[].relatedLots.
LOTS_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
