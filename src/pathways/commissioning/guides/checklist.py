"""The bid-readiness checklist: what buyers usually ask for, grouped, each with where to read about it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadinessItem:
    code: str
    group: str
    label: str
    hint: str
    guide: str = "getting-ready"
    anchor: str = ""


READINESS_GROUPS = [
    ("policies", "Policies"),
    ("insurance", "Insurance"),
    ("safeguarding", "Safeguarding"),
    ("accounts", "Accounts"),
    ("references", "References"),
    ("capacity", "Capacity"),
]

READINESS_ITEMS = [
    ReadinessItem("equality-policy", "policies", "An equality and diversity policy",
                  "Agreed by your trustees or board, and reviewed in the last three years.", anchor="policies"),
    ReadinessItem("health-safety-policy", "policies", "A health and safety policy",
                  "Required by law once you employ five or more people.", anchor="policies"),
    ReadinessItem("data-protection-policy", "policies", "A data protection policy",
                  "How you keep personal information safe, including criminal offence data.", anchor="policies"),
    ReadinessItem("complaints-policy", "policies", "A complaints procedure",
                  "How the people you work with can complain, and what happens next.", anchor="policies"),
    ReadinessItem("public-liability", "insurance", "Public liability insurance",
                  "Covers harm to members of the public caused by your work.", anchor="insurance"),
    ReadinessItem("employers-liability", "insurance", "Employer's liability insurance",
                  "A legal requirement if you employ staff.", anchor="insurance"),
    ReadinessItem("professional-indemnity", "insurance", "Professional indemnity insurance",
                  "Covers claims that your advice or service caused someone a loss.", anchor="insurance"),
    ReadinessItem("safeguarding-policy", "safeguarding", "A safeguarding policy for adults and children",
                  "With a named safeguarding lead.", anchor="safeguarding"),
    ReadinessItem("dbs-checks", "safeguarding", "DBS checks for staff and volunteers who need them",
                  "At the level the work needs, with a record of when each was done.", anchor="safeguarding"),
    ReadinessItem("accounts", "accounts", "Your last two years' accounts",
                  "Approved by your trustees or board and filed where they must be.", anchor="accounts"),
    ReadinessItem("bank-account", "accounts", "A bank account in the organisation's name",
                  "With two people needed to sign off payments.", anchor="accounts"),
    ReadinessItem("references", "references", "Two references from funders or commissioners",
                  "People who can say what you delivered for them.", anchor="references"),
    ReadinessItem("outcomes-evidence", "references", "Evidence of what your work achieves",
                  "Numbers, stories and feedback from the people you work with.", anchor="references"),
    ReadinessItem("bid-time", "capacity", "Someone with time to write the bid",
                  "A bid usually takes several days of work over two to four weeks.", anchor="capacity"),
    ReadinessItem("delivery-capacity", "capacity", "Staff or volunteers to do the work if you win",
                  "Or a plan to recruit them, and the money to do it.", anchor="capacity"),
    ReadinessItem("full-cost", "capacity", "A price that covers the full cost of the work",
                  "Including your share of running the organisation.", guide="full-cost-recovery"),
]

_CODES = frozenset(item.code for item in READINESS_ITEMS)


def readiness_item_codes() -> frozenset[str]:
    return _CODES
