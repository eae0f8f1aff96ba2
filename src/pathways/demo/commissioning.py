"""The demo region's bidders portal: opportunities in every state, from a commissioner's draft to an awarded
contract that is running, with the market around them.

Everything is made through the commissioning services, as the people of region.py acting in their roles,
so the records, and the audit trail, are what the pages would have made. The story is told on a clock set
in the past: each step runs at its own moment (``timezone.now`` and the models' "now" defaults are moved
there), so bids are submitted before their deadline and opened after it, the standstill has ended, and every
date on a page agrees with every other. The moments are days before today, so the demo is the same whenever
it is loaded, only shifted to the day it was loaded.

What the demo holds (Yorkshire and the Humber; Ridings Voluntary Action is the neutral bidding agency):

- awarded: an open competition in Humberside and South Yorkshire, three years, with bids from a consortium
  led by Humber Shore, Heron Gate and Pennine Gateway; a panel of three with signed declarations, independent
  scores, a question to a bidder and a visit, moderated scores (one changed, with the reason), the
  recommendation, the commissioner's approval, the letters, the standstill and the contract, running;
- under evaluation: a mini-competition from the approved list, bids opened, the panel part way through scoring;
- closed: a grant round whose deadline passed yesterday, its bids still sealed;
- open: an open competition with two lots, proportionality warnings acknowledged, clarifications (one
  published, one waiting), interest visible to partners, and a draft bid for each lot;
- forthcoming: a Police and Crime Commissioner's two-year service in market engagement;
- draft: a commissioner's opportunity not yet published;
- cancelled: a council's opportunity, with its reason.

Around them: interest profiles (at once, weekly, open to partners), alerts, digests and invitations, and
the agency's approved list (approved, one near expiry and reminded, one waiting for review, one returned).
The demo sends no emails: the people are fictional.
"""

import heapq
from contextlib import ExitStack, contextmanager
from datetime import datetime, time, timedelta
from decimal import Decimal
from unittest import mock

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from pathways.commissioning.models import (
    AlertFrequency,
    Bid,
    Contract,
    EvidenceKind,
    Inquiry,
    MemberRole,
    Notification,
    Opportunity,
    PanelRole,
    PriceFormula,
    Procedure,
)
from pathways.commissioning.services import awards, bids, clarifications, evaluation, market
from pathways.commissioning.services import opportunities as opp
from pathways.commissioning.services.proportionality import warnings_to_acknowledge
from pathways.organisations.models import Organisation, Place, PlaceKind, User
from pathways.taxonomy.models import Term

AREA, LA, PRISON = PlaceKind.PROBATION_REGION, PlaceKind.LOCAL_AUTHORITY, PlaceKind.PRISON
PDF = b"%PDF-1.4\n% A fictional attachment in the Pathways demo.\n%%EOF\n"

# Who acts, by the email region.py gives them.
COMMISSIONER = "commissioner@example.org"  # David Ashworth, the probation region
AGENCY = "agency@example.org"  # Priya Raval, partnership development worker at Ridings
AGENCY_MANAGER = "fiona.hartley@example.org"  # Ridings' manager, on panels
EVALUATOR = "evaluator@example.org"  # Gareth Lumb, Kestrel Moor Charitable Trust
PCC_COMMISSIONER = "olivia.brook@example.org"
COUNCIL_COMMISSIONER = "martin.haigh@example.org"
MANAGERS = {
    "aire-valley": "manager@example.org",
    "calder-lantern": "ruth.ackroyd@example.org",
    "don-valley": "yusuf.patel@example.org",
    "humber-shore": "lee.sowerby@example.org",
    "heron-gate": "marcia.campbell@example.org",
    "swaledale": "pete.dinsdale@example.org",
    "pennine-gateway": "lucy.fairburn@example.org",
}


# The clock -------------------------------------------------------------------------------------------------

class DemoClock:
    """``timezone.now`` for the demo's story: the moment of the step being told (the real time otherwise)."""

    def __init__(self, real_now):
        self.real_now = real_now
        self.moment = None

    def now(self):
        return self.moment or self.real_now()


def _is_timezone_now(default) -> bool:
    return getattr(default, "__module__", "") == "django.utils.timezone" and getattr(default, "__name__", "") == "now"


@contextmanager
def _story_clock(clock: DemoClock):
    """Move ``timezone.now``, and every model field whose default is it, to the clock's moment."""
    with ExitStack() as stack:
        stack.enter_context(mock.patch("django.utils.timezone.now", clock.now))
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if field.has_default() and _is_timezone_now(field.default):
                    stack.enter_context(mock.patch.object(field, "_get_default", clock.now))
        yield


def _quiet(func):
    def run():
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            func()
    return run


@contextmanager
def _no_emails():
    """Whatever the services would send once the transaction commits is dropped; files are still tidied."""
    real_on_commit = transaction.on_commit

    def on_commit(func, using=None, robust=False):
        real_on_commit(_quiet(func), using=using, robust=robust)

    with mock.patch("django.db.transaction.on_commit", on_commit):
        yield


# Loading ---------------------------------------------------------------------------------------------------

class Demo:
    """What the stories share: organisations, people, places, pathways and the day the demo is told up to."""

    def __init__(self, organisations: dict[str, Organisation], today):
        self.org = organisations
        self.today = today
        self.people = {user.email: user for user in User.objects.all()}
        self.places = {(p.kind, p.name): p for p in Place.objects.all()}
        self.terms = {t.code: t for t in Term.objects.filter(vocabulary__code=opp.PATHWAYS_VOCABULARY)}
        self.opportunities: dict[str, Opportunity] = {}

    def at(self, days: int, hour: int = 12, minute: int = 0) -> datetime:
        """``days`` from today (negative: before), at a local time of day."""
        return timezone.make_aware(datetime.combine(self.today + timedelta(days=days), time(hour, minute)))

    def on(self, days: int):
        return self.today + timedelta(days=days)

    def person(self, email: str) -> User:
        return self.people[email]

    def manager(self, key: str) -> User:
        return self.people[MANAGERS[key]]

    def pathways(self, *codes):
        return [self.terms[f"pathway-{code}"] for code in codes]

    def areas(self, *places):
        return [self.places[place] for place in places]


def demo_commissioning_load(*, organisations: dict[str, Organisation]) -> dict[str, int]:
    """Tell every story of the demo's bidders portal, each step at its own moment, in the order they happened.
    ``organisations`` maps region.py's keys to the demo's organisations. Returns what was made."""
    clock = DemoClock(timezone.now)
    demo = Demo(organisations, timezone.localdate())
    stories = [story(demo) for story in STORIES]
    queue = []
    for number, story in enumerate(stories):
        moment = next(story, None)
        if moment is not None:
            queue.append((moment, number))
    heapq.heapify(queue)
    with _no_emails(), _story_clock(clock):
        while queue:
            moment, number = heapq.heappop(queue)
            clock.moment = moment
            following = next(stories[number], None)
            if following is not None:
                if following < moment:
                    raise ValueError(f"A demo story goes back in time at {following}")
                heapq.heappush(queue, (following, number))
        clock.moment = None
    made = Opportunity.objects.filter(pk__in=[o.pk for o in demo.opportunities.values()])
    return {
        "opportunities": made.count(),
        "bids": Bid.objects.filter(opportunity__in=made).count(),
        "notifications": Notification.objects.filter(opportunity__in=made).count(),
    }


# The market: profiles, the approved list, digests --------------------------------------------------------

PROFILES = (
    # (organisation, pathways, areas, frequency, open to partners)
    ("aire-valley", ("accommodation", "attitudes", "women-abuse"), ((AREA, "West Yorkshire"),),
     AlertFrequency.AT_ONCE, True),
    ("calder-lantern", ("attitudes", "children-families"), ((AREA, "West Yorkshire"),), AlertFrequency.WEEKLY, True),
    ("humber-shore", ("ete", "attitudes", "accommodation"), ((AREA, "Humberside"), (AREA, "South Yorkshire")),
     AlertFrequency.AT_ONCE, False),
    ("heron-gate", ("women-abuse", "health", "accommodation", "attitudes"),
     ((AREA, "West Yorkshire"), (AREA, "Humberside")),
     AlertFrequency.WEEKLY, False),
    ("don-valley", ("attitudes", "children-families", "ete"), ((AREA, "South Yorkshire"), (AREA, "North Yorkshire")),
     AlertFrequency.WEEKLY, True),
    ("swaledale", ("attitudes", "children-families"), ((AREA, "North Yorkshire"),), AlertFrequency.AT_ONCE, False),
    ("pennine-gateway", ("accommodation", "ete", "attitudes", "drugs-alcohol"),
     ((AREA, "West Yorkshire"), (AREA, "South Yorkshire"), (AREA, "Humberside")), AlertFrequency.AT_ONCE, False),
)

EVIDENCE = (
    (EvidenceKind.POLICY, "Equality, complaints and data protection policies",
     "Adopted by the trustees last year; reviewed every two years."),
    (EvidenceKind.INSURANCE, "Public liability and professional indemnity cover",
     "£1,000,000 of each, renewed every April."),
    (EvidenceKind.SAFEGUARDING, "Safeguarding policy and lead",
     "A named lead, DBS checks for everyone working with people on probation."),
    (EvidenceKind.REFERENCE, "References from two commissioners",
     "From the probation delivery unit and the local council, both of work in the last three years."),
)


def market_story(demo: Demo):
    for number, (key, codes, places, frequency, partners) in enumerate(PROFILES):
        yield demo.at(-400 + number, 10)
        market.interest_profile_save(
            organisation=demo.org[key], by=demo.manager(key), terms=demo.pathways(*codes), areas=demo.areas(*places),
            frequency=frequency, open_to_partners=partners,
        )
    ridings, agency = demo.org["ridings"], demo.person(AGENCY)

    def apply(key, codes, places):
        entry = market.approval_application_start(organisation=demo.org[key], agency=ridings, by=demo.manager(key),
                                                  terms=demo.pathways(*codes), areas=demo.areas(*places))
        for kind, title, note in EVIDENCE:
            market.approval_evidence_add(entry=entry, by=demo.manager(key), kind=kind, title=title, note=note)
        return market.approval_application_submit(entry=entry, by=demo.manager(key))

    # Humber Shore, approved almost a year ago: its approval ends soon and it has been reminded.
    yield demo.at(-345, 11)
    entry = apply("humber-shore", ("ete", "accommodation", "attitudes"), ((AREA, "Humberside"),))
    yield demo.at(-340, 15)
    market.approval_approve(entry=entry, by=agency, expires_on=demo.on(25),
                            note="Evidence complete. Insurance renews in April: send the new certificate then.")
    yield demo.at(-230, 10)
    entry = apply("aire-valley", ("accommodation", "attitudes", "women-abuse"), ((AREA, "West Yorkshire"),))
    yield demo.at(-224, 14)
    market.approval_approve(entry=entry, by=agency, expires_on=demo.on(500), note="Approved for two years.")
    yield demo.at(-205, 10)
    entry = apply("heron-gate", ("women-abuse", "health", "accommodation"), ((AREA, "West Yorkshire"),))
    yield demo.at(-200, 16)
    market.approval_approve(entry=entry, by=agency, expires_on=demo.on(530), note="Approved for two years.")
    # Swaledale was asked for more; Calder Lantern is waiting.
    yield demo.at(-30, 10)
    entry = apply("swaledale", ("attitudes", "children-families"), ((LA, "North Yorkshire"), (LA, "York")))
    yield demo.at(-25, 11)
    market.approval_return(entry=entry, by=agency, note=(
        "Thank you. We need a reference from someone you have worked for, and your safeguarding policy names no "
        "lead: add who it is. Then send the application again."))
    yield demo.at(-5, 6)
    market.approval_reminders_send()
    yield demo.at(-4, 9, 30)
    apply("calder-lantern", ("attitudes", "children-families"), ((LA, "Calderdale"), (LA, "Kirklees")))


def digest_story(demo: Demo):
    """The weekly digests, every Monday morning."""
    day = -160
    while demo.on(day).weekday() != 0:
        day += 1
    while day < 0:
        yield demo.at(day, 7)
        market.digests_send()
        day += 7


def alerts_after(publish):
    """Alerts go out within minutes of publishing, as the periodic job would send them."""
    result = publish()
    market.alerts_send()
    return result


# Helpers for the stories -------------------------------------------------------------------------------------

def _create(demo: Demo, key: str, *, by, buyer, agency=None, pathways=(), areas=(), criteria=(), lots=(), **fields):
    fields.setdefault("contact_name", by.full_name)
    fields.setdefault("contact_email", by.email)
    opportunity = opp.opportunity_create(by=by, buyer=demo.org[buyer], agency=demo.org[agency] if agency else None,
                                         terms=demo.pathways(*pathways), areas=demo.areas(*areas), **fields)
    for title, weight, guidance, extra in criteria:
        opp.criterion_add(opportunity=opportunity, by=by, title=title, weight=weight, guidance=guidance, **extra)
    for title, description, value, lot_areas in lots:
        opp.lot_add(opportunity=opportunity, by=by, title=title, description=description, value_maximum=value,
                    areas=demo.areas(*lot_areas))
    demo.opportunities[key] = opportunity
    return opportunity


def _price(weight=30):
    return ("Price", weight, "The whole price for the term, in pounds, from the full-cost calculator if you used it.",
            {"is_price": True, "price_formula": PriceFormula.LOWEST_RATIO})


def _draft(demo: Demo, opportunity, key, *, answers, price=None, consortium=None, attachment=None, lot=None):
    """A bid drafted by the organisation's manager (for lot number ``lot``, if given): one answer per scored
    criterion, in order."""
    by = demo.manager(key)
    bid = bids.bid_start(opportunity=opportunity, organisation=demo.org[key], by=by,
                         lot=opportunity.lots.get(number=lot) if lot else None)
    sections = {str(c.pk): text for c, text in zip(opportunity.criteria.filter(is_price=False).order_by("position"),
                                                   answers)}
    bids.bid_draft_save(bid=bid, by=by, sections=sections, price=price,
                        consortium_id=consortium.pk if consortium else None)
    if attachment:
        bids.attachment_add(bid=bid, by=by, upload=ContentFile(PDF, name=attachment))
    return bid


def _scores(demo: Demo, opportunity, email, table):
    """``table``: {bidder key: [(score, justification) per scored criterion]}."""
    criteria = list(opportunity.criteria.filter(is_price=False).order_by("position"))
    for bid in opportunity.bids.filter(status="submitted").select_related("bidder"):
        key = next(k for k, o in demo.org.items() if o.pk == bid.bidder_id)
        for criterion, (score, why) in zip(criteria, table.get(key, [])):
            evaluation.score_record(bid=bid, criterion=criterion, by=demo.person(email), score=score, justification=why)


def _bid_of(opportunity, organisation):
    return opportunity.bids.get(bidder=organisation, status="submitted")


# The awarded opportunity ---------------------------------------------------------------------------------

AWARDED_CRITERIA = (
    ("Quality of support", 40, "How you will support people from the prison gate to a settled life, week by week.",
     {"word_limit": 500}),
    ("Local knowledge and partnership", 20, "Who you already work with in Hull, the East Riding and South Yorkshire.",
     {"word_limit": 300}),
    ("Social value", 10, "Jobs, volunteering and lived experience in your own organisation.", {"word_limit": 200}),
    _price(30),
)

AWARDED_SCORES = {
    # evaluator: {bidder: [(score, justification) for quality, local knowledge, social value]}
    AGENCY: {
        "humber-shore": [(8, "A clear week-by-week plan from the gate, with a named worker and housing on day one."),
                         (8, "Don Valley's faith groups reach Doncaster and Rotherham, where the lead is not known."),
                         (7, "Paid jobs in its cafes for people with convictions; peer mentors from Swaledale.")],
        "heron-gate": [(6, "Strong for women; little about the men who are most of the caseload."),
                       (5, "Known in Wakefield and Kirklees, not yet in Humberside."),
                       (6, "Volunteers with lived experience, trained and paid expenses.")],
        "pennine-gateway": [(7, "A tested model from its West Yorkshire contract."),
                            (5, "Would subcontract locally, but names no partners yet."),
                            (5, "Social value is a commitment to report, without targets.")],
    },
    AGENCY_MANAGER: {
        "humber-shore": [(9, "The most concrete plan: who meets whom, where, and when."),
                         (7, "Good reach south of the Humber; North Lincolnshire is thinner."),
                         (7, "Lived experience runs through the consortium.")],
        "heron-gate": [(6, "Thoughtful on trauma; the plan for men is an outline."),
                       (5, "Few links in Hull and the East Riding."),
                       (7, "A women-led organisation employing former service users.")],
        "pennine-gateway": [(6, "A sound model, but it reads as a standard offer."),
                            (5, "Local partners to be chosen after award."),
                            (4, "No social value targets.")],
    },
    EVALUATOR: {
        "humber-shore": [(7, "Credible and specific; the move-on plan at six months could be clearer."),
                         (8, "Three organisations that know the area between them."),
                         (7, "Work placements and volunteering with a route into paid jobs.")],
        "heron-gate": [(5, "Good practice for women; the men's pathway is not yet worked out."),
                       (4, "Would need to build relationships in Humberside from scratch."),
                       (6, "Good on lived experience.")],
        "pennine-gateway": [(7, "Well organised and staffed."),
                            (6, "Knows the prisons; less so the community groups."),
                            (5, "Some commitments, no measures.")],
    },
}

AWARDED_MODERATED = {
    "humber-shore": [("8.00", "The panel agreed the plan is the clearest and most local, with housing arranged "
                              "before release."),
                     ("8.00", "All three members know the areas covered; agreed after the visit to the Hull cafe."),
                     ("7.00", "Agreed: real jobs and volunteering, with peer mentors who have been through it.")],
    "heron-gate": [("6.00", "Agreed: excellent for women; the offer for men is an outline only."),
                   ("5.00", "Agreed after its answer to the panel's question: relationships in Humberside are new."),
                   ("6.00", "Agreed: lived experience is valued and paid.")],
    "pennine-gateway": [("7.00", "Agreed: a tested model with enough staff from the start."),
                        ("5.00", "Agreed: local partners are not yet named."),
                        ("5.00", "Agreed: commitments without measures.")],
}


def awarded_story(demo: Demo):
    commissioner, agency = demo.person(COMMISSIONER), demo.person(AGENCY)
    yield demo.at(-152, 10)
    opportunity = _create(
        demo, "awarded", by=agency, buyer="probation-region", agency="ridings",
        title="Resettlement support from the prison gate, Humberside and South Yorkshire",
        summary="Someone to meet people leaving HMP Hull, HMP Humber and HMP Doncaster at the gate and stay with "
                "them for their first year out: a home, money, work and the people around them.",
        description="Three years, to give the service time to settle and the staff reason to stay. Bids from "
                    "consortia of local organisations are welcome.",
        procedure=Procedure.OPEN, value_minimum=Decimal(450_000), value_maximum=Decimal(600_000),
        duration_months=36, contact_name="Priya Raval", contact_email="agency@example.org",
        engagement_closes_at=demo.at(-125, 17), clarifications_close_at=demo.at(-85, 17), deadline=demo.at(-75),
        award_expected_on=demo.on(-55), contract_starts_on=demo.on(-30),
        pathways=("accommodation", "ete", "attitudes"), areas=((AREA, "Humberside"), (AREA, "South Yorkshire")),
        criteria=AWARDED_CRITERIA,
    )
    yield demo.at(-150, 9)
    alerts_after(lambda: opp.opportunity_publish(opportunity=opportunity, by=agency))
    yield demo.at(-148, 11)
    for key in ("humber-shore", "pennine-gateway"):
        market.interest_register(opportunity=opportunity, organisation=demo.org[key], by=demo.manager(key),
                                 visible_to_partners=key == "humber-shore")
    yield demo.at(-120, 9)
    opp.opportunity_open(opportunity=opportunity, by=agency)
    yield demo.at(-118, 10)
    market.interest_register(opportunity=opportunity, organisation=demo.org["heron-gate"],
                             by=demo.manager("heron-gate"), visible_to_partners=False)
    market.interest_register(opportunity=opportunity, organisation=demo.org["don-valley"],
                             by=demo.manager("don-valley"), visible_to_partners=True)
    # The consortium: Humber Shore leads, with Don Valley as a member and Swaledale's mentors subcontracted.
    yield demo.at(-112, 14)
    lead = demo.manager("humber-shore")
    consortium = market.consortium_create(opportunity=opportunity, lead=demo.org["humber-shore"], by=lead,
                                          name="Humber and Don Resettlement Partnership", share_of_work=60,
                                          share_of_value=65)
    market.consortium_member_add(consortium=consortium, by=lead, organisation=demo.org["don-valley"],
                                 role=MemberRole.MEMBER, share_of_work=30, share_of_value=28)
    market.consortium_member_add(consortium=consortium, by=lead, organisation=demo.org["swaledale"],
                                 role=MemberRole.SUBCONTRACTOR, share_of_work=10, share_of_value=7)
    yield demo.at(-100, 15)
    clarification = clarifications.clarification_ask(
        opportunity=opportunity, organisation=demo.org["heron-gate"], by=demo.manager("heron-gate"),
        question="We are a women's centre in Wakefield. Would a bid to support women only, across the whole area, "
                 "be considered, or must every bid cover men as well?")
    yield demo.at(-98, 11)
    clarifications.clarification_publish(
        clarification=clarification, by=agency,
        published_question="Would a bid to support women only be considered, or must every bid cover men as well?",
        answer="Every bid must cover everyone leaving the three prisons. An organisation that works with women "
               "only can bid as part of a consortium, or as a subcontractor, with a partner who covers men.")
    yield demo.at(-96, 10)
    for key in ("don-valley", "swaledale", "humber-shore"):
        market.consortium_member_agree(consortium=consortium, organisation=demo.org[key], by=demo.manager(key))
    market.consortium_agreement_record(
        consortium=consortium, by=lead,
        summary="Humber Shore leads and holds the contract, employing the gate workers in Hull and the East "
                "Riding. Don Valley Faith Forum runs befriending and the drop-ins in Doncaster and Rotherham. "
                "Swaledale Peer Mentors train and support the peer mentors. Money follows the shares agreed; each "
                "member carries the risk of its own part; disputes go first to a meeting of the three chairs.")
    yield demo.at(-80, 16)
    bid = _draft(demo, opportunity, "humber-shore", consortium=consortium, price="540000",
                 attachment="partnership-agreement.pdf", answers=(
                     "A gate worker meets each person at the gate with a bed arranged for that night, then weekly "
                     "for three months and monthly after, handing on to peer mentors when they are ready.",
                     "Humber Shore in Hull and the East Riding, Don Valley's churches, mosques and gurdwara in "
                     "Doncaster and Rotherham, and Swaledale's mentors, all already working with probation.",
                     "Twelve paid placements a year in our cafes and workshops, and peer mentors paid for their time."))
    bids.bid_submit(bid=bid, by=lead)
    yield demo.at(-78, 11)
    bid = _draft(demo, opportunity, "heron-gate", price="495000", answers=(
        "A trauma-informed service led by women for women, with a partner agency for men to be found.",
        "We know Wakefield and Kirklees well and HMP New Hall; we would build links in Hull.",
        "Our volunteers have been through the system themselves, and we pay their expenses."))
    bids.bid_submit(bid=bid, by=demo.manager("heron-gate"))
    yield demo.at(-76, 10)
    bid = _draft(demo, opportunity, "pennine-gateway", price="585000", answers=(
        "Our resettlement model from West Yorkshire, with a case manager for each person.",
        "We would subcontract to local organisations chosen after award.",
        "We report social value every year."))
    bids.bid_submit(bid=bid, by=demo.manager("pennine-gateway"))
    # The panel: Ridings' worker chairs, with Ridings' manager and an evaluator from a funder with no stake.
    yield demo.at(-76, 15)
    members = [
        evaluation.panel_member_add(opportunity=opportunity, by=agency, email=AGENCY, role=PanelRole.CHAIR),
        evaluation.panel_member_add(opportunity=opportunity, by=agency, email=AGENCY_MANAGER),
        evaluation.panel_member_add(opportunity=opportunity, by=agency, email=EVALUATOR),
    ]
    yield demo.at(-75, 13)
    opp.opportunity_close(opportunity=opportunity, by=None)
    yield demo.at(-74, 9, 30)
    opp.opportunity_evaluation_start(opportunity=opportunity, by=agency)
    for member in members:
        evaluation.panel_declaration_sign(
            member=member, by=member.user, confirmed=True,
            declaration="I have no connection with any of the bidders, their members or subcontractors: no job, "
                        "no trusteeship, no funding and no family ties.")
    yield demo.at(-74, 10)
    bids.bids_open(opportunity=opportunity, by=agency)
    for day, email in ((-70, AGENCY), (-69, AGENCY_MANAGER), (-67, EVALUATOR)):
        yield demo.at(day, 14)
        _scores(demo, opportunity, email, AWARDED_SCORES[email])
    # The inquisitorial step: a question to Heron Gate, and a visit to the consortium's lead.
    yield demo.at(-66, 10)
    heron_bid = _bid_of(opportunity, demo.org["heron-gate"])
    inquiry = evaluation.inquiry_record(
        bid=heron_bid, by=agency, kind=Inquiry.Kind.QUESTION,
        asked="Your bid says a partner agency would support men. Which organisation, and has it agreed?")
    yield demo.at(-65, 11)
    evaluation.inquiry_record(
        bid=_bid_of(opportunity, demo.org["humber-shore"]), by=agency, kind=Inquiry.Kind.VISIT,
        asked="A visit to Humber Shore's cafe in Hull, to meet the gate workers and two people on placements.",
        answer="The placements are real paid jobs with a supervisor; the gate workers already meet people at HMP "
               "Hull on release days. What the bid describes is happening now, on a smaller scale.")
    yield demo.at(-62, 14)
    criteria = list(opportunity.criteria.filter(is_price=False).order_by("position"))
    for key, rows in AWARDED_MODERATED.items():
        bid = _bid_of(opportunity, demo.org[key])
        for criterion, (score, reason) in zip(criteria, rows):
            # Heron Gate's local knowledge was agreed at 6 first, and changed once its answer came.
            first = "6.00" if key == "heron-gate" and criterion.position == 2 else score
            evaluation.moderated_score_record(bid=bid, criterion=criterion, by=agency, score=first, reason=reason)
    yield demo.at(-61, 9)
    evaluation.inquiry_answer(
        inquiry=inquiry, by=demo.manager("heron-gate"),
        answer="We have talked to two organisations but neither has agreed yet. We would confirm a partner within "
               "three months of the award.")
    yield demo.at(-61, 10)
    evaluation.moderated_score_record(
        bid=_bid_of(opportunity, demo.org["heron-gate"]), criterion=criteria[1], by=agency, score="5.00",
        reason=AWARDED_MODERATED["heron-gate"][1][1],
        change_reason="Heron Gate's answer confirmed it has no partner in Humberside yet; the panel lowered the "
                      "score it had agreed before the answer came.")
    yield demo.at(-60, 11)
    award = awards.award_recommend(
        opportunity=opportunity, bid=_bid_of(opportunity, demo.org["humber-shore"]), by=agency,
        recommendation="The Humber and Don Resettlement Partnership scored highest on quality, local knowledge "
                       "and social value, and its price is within the budget. The panel saw its work in Hull for "
                       "itself.")
    # The standstill: eight working days, which weekends and bank holidays can stretch to over a fortnight.
    yield demo.at(-58, 15)
    awards.award_approve(award=award, by=commissioner)
    yield demo.at(-38, 9)
    awards.award_confirm(award=award, by=agency)
    yield demo.at(-36, 11)
    awards.contract_sign(contract=Contract.objects.get(award=award), by=commissioner)


# Under evaluation: a mini-competition from the approved list ------------------------------------------------

def evaluation_story(demo: Demo):
    agency = demo.person(AGENCY)
    yield demo.at(-66, 10)
    opportunity = _create(
        demo, "evaluation", by=agency, buyer="probation-region", agency="ridings",
        title="Housing and support for women leaving HMP New Hall",
        summary="A safe place to live and a key worker for women leaving HMP New Hall for Leeds, Bradford, "
                "Wakefield and Kirklees, with help to keep or regain contact with their children.",
        procedure=Procedure.MINI_COMPETITION, value_maximum=Decimal(420_000), duration_months=36,
        clarifications_close_at=demo.at(-25, 17), deadline=demo.at(-14), award_expected_on=demo.on(20),
        contract_starts_on=demo.on(45),
        pathways=("accommodation", "women-abuse"), areas=((AREA, "West Yorkshire"), (PRISON, "HMP New Hall")),
        criteria=(
            ("Safety and support", 50, "How women will be safe, housed and supported.", {"word_limit": 600}),
            ("Working with families", 20, "Contact with children, and with children's services.", {"word_limit": 300}),
            _price(30),
        ),
    )
    yield demo.at(-60, 9)
    alerts_after(lambda: opp.opportunity_publish(opportunity=opportunity, by=agency, open_for_bids=True))
    market.invitations_send(opportunity=opportunity, by=agency)
    yield demo.at(-57, 10)
    for key in ("aire-valley", "heron-gate"):
        market.interest_register(opportunity=opportunity, organisation=demo.org[key], by=demo.manager(key))
    yield demo.at(-18, 15)
    bids.bid_submit(by=demo.manager("heron-gate"), bid=_draft(demo, opportunity, "heron-gate", price="398000", answers=(
        "Six self-contained flats in Wakefield with staff on call day and night, and a key worker for each woman.",
        "Supervised contact at the centre and a family worker who knows the local children's services.")))
    yield demo.at(-15, 11)
    bids.bid_submit(by=demo.manager("aire-valley"), bid=_draft(
        demo, opportunity, "aire-valley", price="415000", attachment="housing-partners.pdf", answers=(
            "Rooms with our housing partners in Leeds and Bradford, and a women's worker from the day of release.",
            "We would refer to Ouse Bridge Families and help with contact through children's services.")))
    yield demo.at(-13, 9)
    opp.opportunity_evaluation_start(opportunity=opportunity, by=agency)
    members = [
        evaluation.panel_member_add(opportunity=opportunity, by=agency, email=AGENCY, role=PanelRole.CHAIR),
        evaluation.panel_member_add(opportunity=opportunity, by=agency, email=AGENCY_MANAGER),
    ]
    bids.bids_open(opportunity=opportunity, by=agency)
    yield demo.at(-12, 10)
    for member in members:
        evaluation.panel_declaration_sign(
            member=member, by=member.user, confirmed=True,
            declaration="I have no stake in Aire Valley Resettlement Trust or Heron Gate Women's Centre.")
    yield demo.at(-8, 14)
    _scores(demo, opportunity, AGENCY, {
        "heron-gate": [(8, "Self-contained flats with staff on call: the safest offer."),
                       (7, "A family worker who knows the local services.")],
        "aire-valley": [(6, "Rooms rather than flats, but a worker from day one."),
                        (5, "Relies on another organisation for family work.")],
    })
    # Ridings' manager has scored one bid so far.
    yield demo.at(-3, 11)
    _scores(demo, opportunity, AGENCY_MANAGER, {
        "heron-gate": [(7, "Strong on safety; staffing at night needs checking."),
                       (8, "Contact with children is built in.")],
    })


# Closed: a grant round whose deadline has just passed --------------------------------------------------------

def closed_story(demo: Demo):
    agency = demo.person(AGENCY)
    yield demo.at(-45, 10)
    opportunity = _create(
        demo, "closed", by=agency, buyer="funder", agency="ridings",
        title="Small grants for family links, North Yorkshire and York",
        summary="Grants of up to £15,000 for a year for groups that help families stay in touch with someone "
                "in prison, especially at HMP Askham Grange.",
        procedure=Procedure.GRANT_ROUND, value_maximum=Decimal(15_000), duration_months=12,
        deadline=demo.at(-1), award_expected_on=demo.on(20), contract_starts_on=demo.on(40),
        pathways=("children-families",), areas=((AREA, "North Yorkshire"),),
        criteria=(
            ("The difference it will make", 60, "Who will be helped, and how you will know.", {"word_limit": 400}),
            ("How you will work with families", 40, "In your own words.", {"word_limit": 300}),
        ),
    )
    yield demo.at(-40, 9)
    alerts_after(lambda: opp.opportunity_publish(opportunity=opportunity, by=agency, open_for_bids=True))
    yield demo.at(-33, 10)
    for key in ("swaledale", "don-valley"):
        market.interest_register(opportunity=opportunity, organisation=demo.org[key], by=demo.manager(key))
    yield demo.at(-6, 16)
    bids.bid_submit(by=demo.manager("swaledale"), bid=_draft(demo, opportunity, "swaledale", answers=(
        "Lifts to HMP Askham Grange on visiting days for families from the Dales, where there is no bus.",
        "Our volunteers have made the journey themselves and travel with the family.")))
    yield demo.at(-2, 11)
    bids.bid_submit(by=demo.manager("don-valley"), bid=_draft(demo, opportunity, "don-valley", answers=(
        "A monthly family afternoon in York for the families of people in prison.",
        "Our faith communities welcome families without asking why someone is in prison.")))
    yield demo.at(-1, 12, 5)
    opp.opportunity_close(opportunity=opportunity, by=None)


# Open: lots, proportionality, clarifications, partners and a draft bid -----------------------------------------

def open_story(demo: Demo):
    agency = demo.person(AGENCY)
    yield demo.at(-20, 10)
    opportunity = _create(
        demo, "open", by=agency, buyer="probation-region", agency="ridings",
        title="Mentoring through the gate, West and South Yorkshire",
        summary="Mentors, many with lived experience, who meet people in prison before release and stay with them "
                "for a year after. Two lots: West Yorkshire, and South Yorkshire.",
        description="Five years, so that mentors can be recruited, trained and kept. Organisations can bid for "
                    "one lot or both, alone or in a consortium.",
        procedure=Procedure.OPEN, value_minimum=Decimal(400_000), value_maximum=Decimal(600_000), duration_months=60,
        clarifications_close_at=demo.at(10, 17), deadline=demo.at(21), award_expected_on=demo.on(50),
        contract_starts_on=demo.on(90),
        insurance_required=Decimal(5_000_000), turnover_multiple=Decimal(3), payment_by_results_percent=40,
        pathways=("attitudes", "accommodation", "ete"), areas=((AREA, "West Yorkshire"), (AREA, "South Yorkshire")),
        criteria=(
            ("Quality of mentoring", 45, "Recruiting, training and supporting mentors.", {"word_limit": 600}),
            ("Lived experience", 25, "How people with convictions shape and deliver the work.", {"word_limit": 300}),
            _price(30),
        ),
        lots=(
            ("West Yorkshire", "Leeds, Bradford, Calderdale, Kirklees and Wakefield, with HMP Leeds and HMP New Hall.",
             Decimal(350_000), ((AREA, "West Yorkshire"),)),
            ("South Yorkshire", "Sheffield, Doncaster, Rotherham and Barnsley, with the Doncaster prisons.",
             Decimal(250_000), ((AREA, "South Yorkshire"),)),
        ),
    )
    yield demo.at(-14, 9)
    codes = [warning.code for warning in warnings_to_acknowledge(opportunity=opportunity)]
    alerts_after(lambda: opp.opportunity_publish(
        opportunity=opportunity, by=agency, open_for_bids=True, acknowledged=codes,
        reason="The buyer's insurers require this cover, the turnover test can be met by a consortium together, "
               "and results are paid on top of a secure core. Bidders were told at the market event."))
    yield demo.at(-12, 10)
    for key, visible in (("aire-valley", True), ("calder-lantern", True), ("pennine-gateway", False),
                         ("don-valley", False)):
        market.interest_register(opportunity=opportunity, organisation=demo.org[key], by=demo.manager(key),
                                 visible_to_partners=visible)
    yield demo.at(-10, 15)
    clarification = clarifications.clarification_ask(
        opportunity=opportunity, organisation=demo.org["calder-lantern"], by=demo.manager("calder-lantern"),
        question="We are a small charity in Halifax with an income under £50,000. Can we bid for part of the West "
                 "Yorkshire lot, or only for the whole lot?")
    yield demo.at(-8, 11)
    clarifications.clarification_publish(
        clarification=clarification, by=agency,
        published_question="Can a small organisation bid for part of a lot, or only for the whole lot?",
        answer="Each lot is awarded whole. A small organisation can bid for part of the work as a member of a "
               "consortium, or as a subcontractor to another bidder. The partner finder lists organisations that "
               "are open to partners.")
    yield demo.at(-3, 14)
    clarifications.clarification_ask(
        opportunity=opportunity, organisation=demo.org["aire-valley"], by=demo.manager("aire-valley"),
        question="Is the payment by results share paid each quarter or at the end of the year?")
    yield demo.at(-2, 16)
    _draft(demo, opportunity, "aire-valley", lot=1, price="330000", attachment="mentor-training-plan.pdf", answers=(
        "Each mentor is trained for six weeks, meets a supervisor every fortnight and is matched by interests.",
        ""))
    yield demo.at(-1, 10)
    _draft(demo, opportunity, "don-valley", lot=2, price="240000", answers=(
        "Volunteers from our faith groups meet people at HMP Lindholme and HMP Moorland before release.",
        ""))


# Forthcoming, draft and cancelled -------------------------------------------------------------------------

def forthcoming_story(demo: Demo):
    by = demo.person(PCC_COMMISSIONER)
    yield demo.at(-7, 10)
    opportunity = _create(
        demo, "forthcoming", by=by, buyer="pcc",
        title="Restorative justice service, Humberside and North Yorkshire",
        summary="Conferences that bring together people harmed and people who caused harm, when both choose to. "
                "We want to hear from organisations before we write the specification.",
        procedure=Procedure.OPEN, value_maximum=Decimal(180_000), duration_months=24,
        engagement_closes_at=demo.at(14, 17), deadline=demo.at(50), award_expected_on=demo.on(80),
        contract_starts_on=demo.on(120),
        pathways=("attitudes",), areas=((AREA, "Humberside"), (AREA, "North Yorkshire")),
        criteria=(("Quality of practice", 70, "", {"word_limit": 800}), _price(30)),
    )
    yield demo.at(-6, 9)
    alerts_after(lambda: opp.opportunity_publish(opportunity=opportunity, by=by))
    yield demo.at(-5, 13)
    market.interest_register(opportunity=opportunity, organisation=demo.org["humber-shore"],
                             by=demo.manager("humber-shore"), visible_to_partners=True)
    market.interest_register(opportunity=opportunity, organisation=demo.org["swaledale"],
                             by=demo.manager("swaledale"), visible_to_partners=True)


def draft_story(demo: Demo):
    by = demo.person(COMMISSIONER)
    yield demo.at(-2, 10)
    _create(
        demo, "draft", by=by, buyer="probation-region",
        title="Support for families of people in prison, South Yorkshire",
        summary="Help for partners and children while someone is in prison and when they come home.",
        procedure=Procedure.GRANT_ROUND, value_maximum=Decimal(90_000), duration_months=36,
        pathways=("children-families",), areas=((AREA, "South Yorkshire"),),
        criteria=(("Reaching families", 60, "", {"word_limit": 500}),),
    )


def cancelled_story(demo: Demo):
    by = demo.person(COUNCIL_COMMISSIONER)
    yield demo.at(-45, 10)
    opportunity = _create(
        demo, "cancelled", by=by, buyer="council",
        title="Housing-related support for people leaving prison, Calderdale",
        summary="Floating support to help people leaving prison find and keep a tenancy in Calderdale.",
        procedure=Procedure.OPEN, value_maximum=Decimal(240_000), duration_months=24,
        engagement_closes_at=demo.at(-20, 17), deadline=demo.at(10), award_expected_on=demo.on(40),
        pathways=("accommodation",), areas=((LA, "Calderdale"),),
        criteria=(("Quality of support", 70, "", {"word_limit": 600}), _price(30)),
    )
    yield demo.at(-40, 9)
    alerts_after(lambda: opp.opportunity_publish(opportunity=opportunity, by=by))
    yield demo.at(-36, 11)
    market.interest_register(opportunity=opportunity, organisation=demo.org["calder-lantern"],
                             by=demo.manager("calder-lantern"), visible_to_partners=True)
    yield demo.at(-21, 15)
    opp.opportunity_cancel(
        opportunity=opportunity, by=by,
        reason="The council's budget for next year has not been agreed, so it cannot commit to the contract. It "
               "will publish the opportunity again once the budget is set; interest registered will not be lost.")


STORIES = (market_story, digest_story, awarded_story, evaluation_story, closed_story, open_story,
           forthcoming_story, draft_story, cancelled_story)
