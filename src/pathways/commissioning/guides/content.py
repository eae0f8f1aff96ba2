"""The guides to tendering, and the short notes shown beside opportunities."""

from dataclasses import dataclass

# Why a term under three years is flagged, in plain words (the case study, section 4.2 "Short-termism").
SHORT_TERM_REASON = (
    "This contract is for less than three years. Short contracts make it hard for small organisations to "
    "plan, keep good staff and invest in quality, and they mean more time goes on winning work again than on "
    "doing it well. Voluntary organisations in the Yorkshire and Humber study asked for three-year agreements "
    "as a minimum."
)
SHORT_TERM_SOURCE = "Yorkshire and Humber case study, section 4.2: short-termism and sustainable contracts"

PROCEDURE_NOTES = {
    "open": "Any organisation can bid. Read the documents, ask questions before clarifications close, and "
            "send your bid before the deadline.",
    "mini_competition": "Only organisations on the approved list for these pathways and areas are invited to "
                        "bid. If you are not on it yet, you can apply to join for next time.",
    "grant_round": "A grant, not a contract: you apply for funding for work you propose, and report on what "
                   "it achieved.",
}


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    summary: str

    @property
    def template(self) -> str:
        return f"commissioning/guides/{self.slug}.html"


GUIDES = [
    Guide("how-tendering-works", "How tendering works",
          "From the first notice to the contract: what happens, when, and what you need to do at each step."),
    Guide("getting-ready", "Getting ready to bid",
          "The policies, insurance, safeguarding, accounts, references and capacity buyers usually ask about."),
    Guide("specification", "What a specification is",
          "The description of the work being bought, and how to read it before you decide to bid."),
    Guide("lots", "What lots are",
          "Why a contract is split into parts, and how to bid for one lot or several."),
    Guide("evaluation-criteria", "How to read evaluation criteria",
          "What weights mean, how answers are scored, and how price is turned into points."),
    Guide("full-cost-recovery", "Full cost recovery",
          "Pricing the whole cost of the work, including your share of running the organisation."),
    Guide("payment-by-results", "Payment by results",
          "When some of the money depends on outcomes, and what that means for your cash and your risk."),
    Guide("consortium", "Bidding together",
          "Consortia, lead partners and subcontractors: how small organisations win work together."),
    Guide("standstill", "The standstill period",
          "The pause between the decision and the contract, and what you can do in it."),
    Guide("tupe", "TUPE: when staff move with the work",
          "When the people doing the work now may have the right to move to the new provider."),
]

_BY_SLUG = {guide.slug: guide for guide in GUIDES}


def guide_get(slug: str) -> Guide | None:
    return _BY_SLUG.get(slug)
