"""The glossary: tendering words in plain English.

Entries marked ``jargon`` are the words a commissioner's summary should explain if it uses them; the
readability hint finds them with ``patterns`` (regular expressions; the term itself, as a whole word
in any case, when none are given).
"""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    meaning: str
    guide: str = ""
    jargon: bool = True
    patterns: tuple[str, ...] = field(default=())

    @property
    def slug(self) -> str:
        return slugify(self.term)

    @property
    def letter(self) -> str:
        return self.term[0].upper()

    def compiled(self) -> list[re.Pattern]:
        if self.patterns:
            return [re.compile(pattern) for pattern in self.patterns]
        return [re.compile(rf"\b{re.escape(self.term)}\b", re.IGNORECASE)]


GLOSSARY = sorted([
    GlossaryEntry("Accreditation", "A quality mark or certificate from an outside body, such as a quality "
                  "standard for advice work. Some buyers ask for one; it can cost money and time to get.",
                  guide="getting-ready", jargon=False),
    GlossaryEntry("Approved list", "A list of organisations that have already shown they meet the basic "
                  "requirements, so that a buyer can invite them to bid for smaller contracts quickly.",
                  patterns=(r"(?i)\bapproved list\b", r"(?i)\bframework agreement\b")),
    GlossaryEntry("Award", "The buyer's decision about who gets the contract or grant.", jargon=False),
    GlossaryEntry("Bid", "What you send to win a contract or grant: your answers to the questions and your "
                  "price. Also called a tender or an application.", guide="how-tendering-works", jargon=False),
    GlossaryEntry("Clarification", "A question a bidder asks about an opportunity before bids are due. The "
                  "answer is shared with every bidder, without saying who asked.",
                  guide="how-tendering-works", patterns=(r"(?i)\bclarifications?\b",)),
    GlossaryEntry("Commissioner", "The person or body that decides what services are needed and pays for "
                  "them, such as a probation region, a prison or a police and crime commissioner.",
                  jargon=False),
    GlossaryEntry("Consortium", "A group of organisations that bid together, with one of them as the lead "
                  "partner who holds the contract.", guide="consortium",
                  patterns=(r"(?i)\bconsorti(um|a)\b",)),
    GlossaryEntry("Contract management", "How the buyer and the provider check the work is being done as "
                  "agreed once the contract has started: meetings, reports and figures.", jargon=False),
    GlossaryEntry("Deadline", "The moment bids must be in. A bid that arrives a second later is refused.",
                  jargon=False),
    GlossaryEntry("Due diligence", "Checks a buyer makes on an organisation before giving it a contract: its "
                  "accounts, insurance, policies and references.", guide="getting-ready"),
    GlossaryEntry("Evaluation criteria", "What bids are scored on, such as quality, experience, social value "
                  "and price, each with a weight.", guide="evaluation-criteria",
                  patterns=(r"(?i)\bevaluation criteri(on|a)\b", r"(?i)\baward criteri(on|a)\b")),
    GlossaryEntry("Full cost recovery", "Pricing work so that it pays for everything it really costs: the "
                  "staff and materials, and a fair share of running the organisation.",
                  guide="full-cost-recovery", patterns=(r"(?i)\bfull[- ]cost recovery\b",)),
    GlossaryEntry("Grant", "Money given for work you propose, rather than payment for a service the buyer "
                  "has specified.", jargon=False),
    GlossaryEntry("Inquisitorial evaluation", "An evaluation in which the bidding agency finds out about each "
                  "bid itself, by asking questions or visiting, instead of judging only what was written.",
                  patterns=(r"(?i)\binquisitorial\b",)),
    GlossaryEntry("Invitation to tender", "The set of documents that asks for bids: the specification, the "
                  "questions, the criteria and the contract terms. Often shortened to ITT.",
                  guide="how-tendering-works",
                  patterns=(r"(?i)\binvitation to tender\b", r"\bITT\b")),
    GlossaryEntry("KPI", "Key performance indicator: a figure the provider reports to show how the work is "
                  "going, such as the number of people housed.", patterns=(r"\bKPIs?\b",)),
    GlossaryEntry("Lead partner", "The member of a consortium that holds the contract and is answerable to "
                  "the buyer for the whole of the work.", guide="consortium"),
    GlossaryEntry("Lot", "A part of a contract that can be bid for on its own, such as one area or one kind "
                  "of service.", guide="lots", patterns=(r"\bLots? \d+\b", r"(?i)\bsplit into lots\b")),
    GlossaryEntry("Market engagement", "Talking with possible providers before the competition starts, to "
                  "shape what is bought and let organisations prepare.", guide="how-tendering-works",
                  patterns=(r"(?i)\bmarket engagement\b", r"(?i)\bsoft market testing\b")),
    GlossaryEntry("Mini-competition", "A quick competition among organisations on an approved list.",
                  patterns=(r"(?i)\bmini[- ]competitions?\b",)),
    GlossaryEntry("Moderation", "When the evaluators meet to agree one score for each answer, with reasons, "
                  "after scoring on their own.", guide="evaluation-criteria"),
    GlossaryEntry("Outcome", "The difference the work makes to people, such as someone keeping a tenancy. "
                  "Different from an output, which is what was done.", jargon=False),
    GlossaryEntry("Overheads", "The costs of running the organisation that are shared by all its work: "
                  "managers, finance, premises, IT and governance.", guide="full-cost-recovery", jargon=False),
    GlossaryEntry("Payment by results", "A way of paying in which some of the money depends on outcomes "
                  "being achieved, often months later.", guide="payment-by-results",
                  patterns=(r"(?i)\bpayment[- ]by[- ]results\b", r"\bPbR\b")),
    GlossaryEntry("Prime contractor", "An organisation that holds a large contract and passes parts of the "
                  "work to others as subcontractors.", guide="consortium",
                  patterns=(r"(?i)\bprime contractors?\b", r"(?i)\bprime providers?\b")),
    GlossaryEntry("Procurement", "How public bodies buy things, following the rules on fair competition.",
                  guide="how-tendering-works"),
    GlossaryEntry("Selection questionnaire", "Questions about the organisation itself (its finances, "
                  "insurance and experience) that decide whether its bid goes on to be scored. Also called a "
                  "PQQ.", guide="how-tendering-works",
                  patterns=(r"(?i)\bselection questionnaire\b", r"\bPQQ\b", r"\bSQ\b")),
    GlossaryEntry("Social value", "The wider good a contract does beyond the service itself, such as "
                  "employing local people or people with convictions.", guide="evaluation-criteria"),
    GlossaryEntry("Specification", "The description of the work being bought: what must be done, for whom, "
                  "where, and to what standard.", guide="specification",
                  patterns=(r"(?i)\bspecifications?\b", r"(?i)\bservice spec\b")),
    GlossaryEntry("Standstill period", "A pause of at least eight working days between telling bidders the "
                  "decision and signing the contract, so that anyone who thinks the decision was wrong can "
                  "ask.", guide="standstill", patterns=(r"(?i)\bstandstill\b",)),
    GlossaryEntry("Subcontractor", "An organisation that does part of the work for the one that holds the "
                  "contract.", guide="consortium", patterns=(r"(?i)\bsub-?contract(or|ors|ing)?\b",)),
    GlossaryEntry("Tender", "Another word for a bid; tendering is the process of asking for and judging "
                  "bids.", guide="how-tendering-works", patterns=(r"(?i)\btender(s|ing)?\b",)),
    GlossaryEntry("TUPE", "The Transfer of Undertakings (Protection of Employment) Regulations: when work "
                  "moves to a new provider, the staff who do it may have the right to move with it, on the "
                  "same terms.", guide="tupe", patterns=(r"\bTUPE\b",)),
    GlossaryEntry("Turnover", "An organisation's total income in a year.", jargon=False),
    GlossaryEntry("Weighting", "How much each criterion counts towards the total score, as a percentage. The "
                  "weights add up to 100.", guide="evaluation-criteria", patterns=(r"(?i)\bweightings?\b",)),
], key=lambda entry: entry.term.lower())


def glossary_by_letter() -> list[tuple[str, list[GlossaryEntry]]]:
    letters: dict[str, list[GlossaryEntry]] = {}
    for entry in GLOSSARY:
        letters.setdefault(entry.letter, []).append(entry)
    return list(letters.items())
