"""The demo region's knowledge base: services across every pathway and probation area, with real gaps.

Every organisation and service here is fictional. Postcode districts and their centres are real (from
the bundled postcode districts file), so distance search behaves as it would; street addresses are made up.

The spread is deliberate: West and South Yorkshire are well served, North Yorkshire thinly, and the two
Lincolnshire authorities south of the Humber hardly at all; some pathways have nothing in some areas, so
the provision map shows gaps. A few records are stale or close to it, one is a draft and one withdrawn,
so freshness, reminders and the curator's queue have something to show.
"""

from dataclasses import dataclass
from datetime import time, timedelta

from django.utils import timezone

from pathways.directory.models import (
    Attendance,
    CheckMethod,
    Contact,
    Funding,
    Location,
    Publication,
    Service,
    ServiceAtLocation,
    Schedule,
    StatutoryRelationship,
)
from pathways.directory.services.records import service_create
from pathways.directory.services.search_index import search_document_refresh
from pathways.organisations.models import Organisation, OrganisationType, Place, PlaceKind
from pathways.organisations.services import organisation_create
from pathways.taxonomy.models import Term

LA, PRISON, AREA = PlaceKind.LOCAL_AUTHORITY, PlaceKind.PRISON, PlaceKind.PROBATION_REGION

# Centres of the postcode districts the demo uses (latitude, longitude).
DISTRICTS = {
    "LS1": (53.79674, -1.54754), "LS2": (53.80123, -1.54597), "LS6": (53.81928, -1.56704),
    "LS11": (53.77609, -1.55535), "LS23": (53.90372, -1.35458), "LS22": (53.93179, -1.39375),
    "BD1": (53.79554, -1.75252), "BD3": (53.79818, -1.72669), "HX1": (53.72111, -1.86966),
    "HD1": (53.64639, -1.78819), "WF1": (53.68684, -1.49117), "WF2": (53.67254, -1.51102),
    "WF4": (53.64741, -1.51888), "S1": (53.3802, -1.46777), "S2": (53.36932, -1.44686),
    "S60": (53.41376, -1.34698), "DN1": (53.52205, -1.1296), "DN7": (53.58139, -1.01508),
    "S70": (53.54114, -1.4733), "HU1": (53.74288, -0.33494), "HU3": (53.74148, -0.36381),
    "HU9": (53.75567, -0.28589), "HU17": (53.8466, -0.42661), "DN31": (53.57014, -0.08648),
    "YO1": (53.95857, -1.0809), "YO11": (54.26511, -0.39535), "HG1": (53.99983, -1.53313),
    "DL8": (54.29267, -1.78489), "DN5": (53.53763, -1.17153),
}

DIRECTORY_FICTIONAL = "A fictional provider in the Pathways demo."


@dataclass(frozen=True)
class DemoProvider:
    key: str
    name: str
    type: str
    summary: str
    areas: tuple[tuple[PlaceKind, str], ...]
    income: int
    charity_number: str = ""


# Providers that appear only in the knowledge base (the region's own organisations are in region.py).
PROVIDERS = (
    DemoProvider("bradford-keys", "Bradford Keys Housing Trust", "charity",
                 "Supported housing and tenancy help for people leaving prison.",
                 ((LA, "Bradford"), (LA, "Calderdale")), 780_000, "9912101"),
    DemoProvider("three-rivers", "Three Rivers Recovery", "charity",
                 "Recovery from drugs and alcohol, in prison and in the community.",
                 ((LA, "Sheffield"), (LA, "Rotherham"), (LA, "Barnsley"), (PRISON, "HMP Doncaster")),
                 1_350_000, "9912102"),
    DemoProvider("ouse-bridge", "Ouse Bridge Families", "charity",
                 "Support for the children and families of people in prison.",
                 ((LA, "York"), (LA, "North Yorkshire")), 160_000, "9912103"),
    DemoProvider("wold-debt", "Wold Money Advice", "charity",
                 "Free, independent debt and benefits advice.",
                 ((LA, "Kingston upon Hull"), (LA, "East Riding of Yorkshire")), 210_000, "9912104"),
    DemoProvider("minster-learning", "Minster Learning Co-operative", "social-enterprise",
                 "Courses, qualifications and work placements.",
                 ((LA, "York"), (LA, "Leeds"), (PRISON, "HMP Wealstun")), 540_000),
)


@dataclass(frozen=True)
class DemoService:
    provider: str
    name: str
    description: str
    terms: tuple[str, ...]
    areas: tuple[tuple[PlaceKind, str], ...]
    setting: str  # any of "c" (custody), "m" (community), "g" (through the gate)
    routes: str  # any of "s" (self-referral), "a" (any agency), "x" (statutory referral only)
    place: tuple[str, str, str, str] | None = None  # (location name, street, town, postcode)
    inside: str = ""  # the prison a location is in
    times: tuple[tuple[str, str, str, str], ...] = ()  # (attendance, weekday, opens, closes)
    eligibility: str = ""
    gender: str = "any"
    ages: tuple[int | None, int | None] = (18, None)
    peer_led: bool = False
    fees: str = ""
    languages: tuple[str, ...] = ("English",)
    wait_days: int | None = None
    capacity: str = ""
    funding: tuple[tuple[str, str, str, str], ...] = ()  # (kind, funder key or name, stream, value band)
    relationships: tuple[tuple[str, str, str], ...] = ()  # (statutory body key, basis, reference)
    contact: tuple[str, str, str] = ("", "", "")  # (name, title, phone)
    checked_days_ago: int = 30
    check_method: str = CheckMethod.PROVIDER_CONFIRMED
    publication: str = Publication.PUBLISHED


D, O, A = Attendance.DROP_IN, Attendance.OPENING_HOURS, Attendance.APPOINTMENT
CURATOR = CheckMethod.CURATOR_VERIFIED

SERVICES = (
    # West Yorkshire: well served -----------------------------------------------------------------
    DemoService(
        "aire-valley", "Through the gate mentoring",
        "A mentor meets you in HMP Leeds in the last twelve weeks of your sentence, at the gate on the day "
        "you leave, and for up to a year after: appointments, housing, benefits, whatever you need.",
        ("pathway-attitudes", "pathway-accommodation", "category-mentoring", "group-young-adults"),
        ((LA, "Leeds"), (PRISON, "HMP Leeds")), "cmg", "sa",
        place=("Aire Valley hub", "14 Kirkstall Road", "Leeds", "LS1 4RT"),
        times=((O, "MO", "09:00", "17:00"), (O, "TU", "09:00", "17:00"), (O, "WE", "09:00", "17:00"),
               (O, "TH", "09:00", "17:00"), (O, "FR", "09:00", "16:00")),
        eligibility="Men aged 18 and over leaving HMP Leeds to live in Leeds or Bradford.", gender="men",
        peer_led=True, wait_days=14, capacity="60 people at a time",
        funding=(("contracted", "HMP Leeds", "Resettlement services", "50k_250k"),),
        relationships=(("HMP Leeds", "contract", "HMPL-2025-017"), ("leeds-pdu", "in_kind", "")),
        contact=("Niamh Gallagher", "Services manager", "0113 496 0101"), checked_days_ago=21, check_method=CURATOR,
    ),
    DemoService(
        "aire-valley", "Housing advice drop-in",
        "Come without an appointment for help finding somewhere to live, keeping a tenancy, or sorting out "
        "rent arrears. Bring any letters you have.",
        ("pathway-accommodation", "category-housing", "category-advice", "group-homeless"),
        ((LA, "Leeds"),), "mg", "sa",
        place=("Aire Valley hub", "14 Kirkstall Road", "Leeds", "LS1 4RT"),
        times=((D, "TU", "10:00", "13:00"), (D, "TH", "13:00", "16:00")),
        eligibility="Anyone with a conviction living in Leeds, or about to.", ages=(16, None),
        languages=("English", "Polish", "Urdu"),
        funding=(("pooled", "council", "Housing-related support", "10k_50k"),),
        contact=("", "Housing advice line", "0113 496 0121"), checked_days_ago=60,
    ),
    DemoService(
        "aire-valley", "Family visits support at HMP Leeds",
        "Help for families visiting HMP Leeds: booking, travel costs, a quiet room before visits, and someone "
        "to talk to.",
        ("pathway-children-families", "category-family-support", "group-families"),
        ((PRISON, "HMP Leeds"), (LA, "Leeds")), "c", "s",
        place=("Visitors' centre, HMP Leeds", "2 Gloucester Terrace", "Leeds", "LS11 1AA"), inside="HMP Leeds",
        times=((O, "SA", "13:00", "16:30"), (O, "SU", "13:00", "16:30"), (O, "WE", "13:00", "16:30")),
        eligibility="Families and friends of anyone in HMP Leeds, children welcome.", ages=(None, None),
        funding=(("no_direct_cost", "funder", "Families grant", "10k_50k"),),
        checked_days_ago=320,
    ),
    DemoService(
        "bradford-keys", "Move-on tenancies",
        "Shared and self-contained flats with a support worker for up to two years, then help to move into a "
        "home of your own.",
        ("pathway-accommodation", "category-housing", "group-homeless"),
        ((LA, "Bradford"), (LA, "Calderdale")), "mg", "ax",
        place=("Keys House", "3 Manor Row", "Bradford", "BD1 4PB"),
        times=((A, "MO", "09:00", "17:00"), (A, "WE", "09:00", "17:00"), (A, "FR", "09:00", "17:00")),
        eligibility="People aged 18 and over with a local connection to Bradford or Calderdale. Not for people "
                    "who need 24-hour care.",
        wait_days=45, capacity="38 flats",
        funding=(("pooled", "council", "Supporting People", "250k_1m"),),
        relationships=(("probation-region", "contract", "YHPR-ACC-2024-03"),),
        contact=("", "Referrals team", "01274 496 0131"), checked_days_ago=100, check_method=CURATOR,
    ),
    DemoService(
        "bradford-keys", "Tenancy rescue",
        "If you are at risk of losing your home, a caseworker negotiates with your landlord and sorts out "
        "arrears and benefits.",
        ("pathway-accommodation", "pathway-finance", "category-housing", "category-advice"),
        ((LA, "Bradford"),), "m", "sa",
        place=("Keys House", "3 Manor Row", "Bradford", "BD1 4PB"),
        times=((D, "MO", "10:00", "12:00"),),
        funding=(("other", "", "National Lottery Community Fund", "50k_250k"),), checked_days_ago=200,
    ),
    DemoService(
        "calder-lantern", "Lantern peer mentors",
        "Volunteers who have been through the justice system themselves meet you each week for as long as "
        "you want.",
        ("pathway-attitudes", "category-mentoring", "category-befriending", "group-mental-health"),
        ((LA, "Calderdale"), (LA, "Kirklees")), "mg", "sa",
        place=("The Lantern", "22 Crossley Street", "Halifax", "HX1 1UG"),
        times=((D, "WE", "18:00", "20:00"), (O, "SA", "10:00", "13:00")),
        peer_led=True, wait_days=7,
        funding=(("no_direct_cost", "funder", "Small groups fund", "under_10k"),),
        relationships=(("probation-region", "volunteers", ""),), checked_days_ago=340,
    ),
    DemoService(
        "calder-lantern", "Families together",
        "Parenting sessions and days out for parents on probation and their children.",
        ("pathway-children-families", "category-family-support", "group-families"),
        ((LA, "Calderdale"),), "m", "s",
        place=("The Lantern", "22 Crossley Street", "Halifax", "HX1 1UG"),
        times=((O, "SA", "10:00", "13:00"),), ages=(None, None), checked_days_ago=420,
    ),
    DemoService(
        "heron-gate", "Women's centre",
        "A women-only space with advocacy, counselling, a weekly drop-in lunch and help with anything from "
        "benefits to court.",
        ("pathway-health", "pathway-women-abuse", "pathway-women-prostitution", "category-counselling", "category-advice",
         "group-women"),
        ((LA, "Wakefield"), (LA, "Kirklees")), "mg", "sa",
        place=("Heron Gate Women's Centre", "9 Westgate", "Wakefield", "WF1 1XY"),
        times=((D, "TH", "12:00", "14:00"), (O, "MO", "09:30", "16:30"), (O, "TU", "09:30", "16:30"),
               (O, "WE", "09:30", "16:30"), (O, "TH", "09:30", "16:30")),
        eligibility="Women aged 18 and over.", gender="women", wait_days=10,
        funding=(("contracted", "probation-region", "Women's services", "50k_250k"),
                 ("other", "pcc", "Victims fund", "10k_50k")),
        relationships=(("probation-region", "contract", "YHPR-WOM-2025-01"), ("HMP New Hall", "in_kind", "")),
        contact=("Marcia Campbell", "Centre manager", "01632 960105"), checked_days_ago=15, check_method=CURATOR,
    ),
    DemoService(
        "heron-gate", "In-reach at HMP New Hall",
        "Caseworkers in HMP New Hall working with women on their plans for release, and meeting them at the "
        "gate.",
        ("pathway-accommodation", "pathway-women-prostitution", "category-mentoring", "group-women"),
        ((PRISON, "HMP New Hall"),), "cg", "ax",
        place=("HMP New Hall", "Dial Wood", "Flockton", "WF4 4XX"), inside="HMP New Hall",
        times=((A, "TU", "09:00", "16:00"), (A, "TH", "09:00", "16:00")),
        gender="women", funding=(("contracted", "HMP New Hall", "Resettlement", "50k_250k"),),
        relationships=(("HMP New Hall", "contract", "NH-RES-2024-08"),), checked_days_ago=90,
    ),
    DemoService(
        "pennine-gateway", "Employment support",
        "One-to-one help into work: CVs, disclosing a conviction, interviews, and an employer in our network "
        "who will give you a fair chance.",
        ("pathway-ete", "category-ete", "group-young-adults"),
        ((AREA, "West Yorkshire"), (AREA, "South Yorkshire")), "mg", "x",
        place=("Pennine Gateway", "1 Wellington Street", "Leeds", "LS1 2DE"),
        times=((A, "MO", "09:00", "17:00"), (A, "WE", "09:00", "17:00")),
        wait_days=21, capacity="400 people a year",
        funding=(("contracted", "probation-region", "Commissioned rehabilitative services", "over_1m"),),
        relationships=(("probation-region", "contract", "CRS-YH-ETE-01"),), checked_days_ago=40,
    ),
    DemoService(
        "pennine-gateway", "Thinking skills group",
        "A ten-week group on handling conflict, managing anger and thinking before acting.",
        ("pathway-attitudes", "category-mentoring"),
        ((AREA, "West Yorkshire"),), "m", "x",
        place=("Pennine Gateway", "1 Wellington Street", "Leeds", "LS1 2DE"),
        times=((A, "TU", "10:00", "12:30"),),
        funding=(("contracted", "probation-region", "Commissioned rehabilitative services", "250k_1m"),),
        relationships=(("probation-region", "contract", "CRS-YH-PS-02"),), checked_days_ago=75,
    ),
    DemoService(
        "minster-learning", "Learning in HMP Wealstun",
        "Maths, English and vocational courses inside HMP Wealstun, with a place on a course outside when you "
        "leave.",
        ("pathway-ete", "category-ete", "category-basic-skills"),
        ((PRISON, "HMP Wealstun"),), "cg", "a",
        place=("Education block, HMP Wealstun", "Thorp Arch", "Wetherby", "LS23 7AZ"), inside="HMP Wealstun",
        funding=(("contracted", "HMP Wealstun", "Prison education", "250k_1m"),), checked_days_ago=130,
    ),
    DemoService(
        "minster-learning", "Leeds skills workshop",
        "Drop in for help with reading, writing, computers and job applications.",
        ("pathway-ete", "category-basic-skills", "category-ete"),
        ((LA, "Leeds"),), "m", "sa",
        place=("Minster Learning Leeds", "40 Hyde Park Road", "Leeds", "LS6 1AB"),
        times=((D, "WE", "13:00", "16:00"), (D, "FR", "10:00", "12:00")),
        languages=("English", "Arabic"), checked_days_ago=50,
    ),
    DemoService(
        "aire-valley", "Money and benefits clinic",
        "Help claiming Universal Credit before release, opening a bank account and dealing with debts.",
        ("pathway-finance", "category-advice"),
        ((LA, "Leeds"), (LA, "Bradford"), (PRISON, "HMP Leeds")), "cmg", "sa",
        place=("Aire Valley hub", "14 Kirkstall Road", "Leeds", "LS1 4RT"),
        times=((D, "FR", "10:00", "12:00"),), checked_days_ago=380,
    ),
    DemoService(
        "aire-valley", "Arts on the wing",
        "Music, creative writing and painting workshops in HMP Leeds.",
        ("pathway-attitudes", "pathway-health", "category-arts"),
        ((PRISON, "HMP Leeds"),), "c", "a",
        funding=(("no_direct_cost", "funder", "Arts grant", "under_10k"),),
        checked_days_ago=10, publication=Publication.DRAFT,
    ),
    # South Yorkshire -------------------------------------------------------------------------------
    DemoService(
        "three-rivers", "Recovery drop-in",
        "Needle exchange, harm reduction, and a recovery worker to talk to, no appointment needed.",
        ("pathway-drugs-alcohol", "category-drugs-alcohol", "group-substance-use"),
        ((LA, "Sheffield"),), "m", "s",
        place=("Three Rivers", "61 London Road", "Sheffield", "S2 4LA"),
        times=((D, "MO", "10:00", "16:00"), (D, "WE", "10:00", "16:00"), (D, "FR", "10:00", "16:00")),
        ages=(16, None), languages=("English", "Slovak", "Romany"),
        funding=(("pooled", "", "Sheffield drug and alcohol partnership", "250k_1m"),),
        contact=("", "Duty worker", "0114 496 0141"), checked_days_ago=20, check_method=CURATOR,
    ),
    DemoService(
        "three-rivers", "Prison to recovery",
        "Workers in HMP Doncaster and HMP Lindholme who plan your treatment for release and meet you on the "
        "day to take you to your first appointment.",
        ("pathway-drugs-alcohol", "pathway-health", "category-drugs-alcohol", "group-substance-use"),
        ((PRISON, "HMP Doncaster"), (PRISON, "HMP Lindholme"), (LA, "Doncaster"), (LA, "Rotherham")), "cg", "ax",
        place=("HMP Doncaster", "Marshgate", "Doncaster", "DN5 8UX"), inside="HMP Doncaster",
        funding=(("contracted", "probation-region", "Dependency and recovery", "250k_1m"),),
        relationships=(("probation-region", "contract", "CRS-YH-DR-04"), ("pennine-gateway", "contract", "PG-SUB-11")),
        checked_days_ago=150,
    ),
    DemoService(
        "three-rivers", "Alcohol support group, Barnsley",
        "A weekly group for people cutting down or stopping drinking.",
        ("pathway-drugs-alcohol", "category-drugs-alcohol"),
        ((LA, "Barnsley"),), "m", "sa",
        place=("Barnsley Recovery Hub", "8 Eldon Street", "Barnsley", "S70 2JL"),
        times=((D, "TH", "18:00", "20:00"),), peer_led=True, checked_days_ago=310,
    ),
    DemoService(
        "don-valley", "Faith befriending",
        "Volunteers from local churches, mosques and the gurdwara who visit in prison and keep in touch after. "
        "You do not need to be religious.",
        ("pathway-attitudes", "category-befriending", "category-faith-support", "group-older-people"),
        ((LA, "Doncaster"), (LA, "Rotherham"), (LA, "Sheffield"), (PRISON, "HMP Moorland")), "cmg", "sa",
        place=("St Mary's church hall", "Church Lane", "Rotherham", "S60 1PD"),
        times=((D, "SU", "14:00", "16:00"),), peer_led=False, languages=("English", "Punjabi", "Urdu"),
        funding=(("no_direct_cost", "", "Congregations' own giving", "under_10k"),),
        relationships=(("probation-region", "volunteers", ""),), checked_days_ago=500,
    ),
    DemoService(
        "don-valley", "Community meal and drop-in",
        "A free hot meal every Tuesday evening, and people to talk to.",
        ("pathway-health", "category-befriending", "group-homeless"),
        ((LA, "Doncaster"),), "m", "s",
        place=("Central Mosque community room", "Thorne Road", "Doncaster", "DN1 2HY"),
        times=((D, "TU", "17:30", "19:30"),), ages=(None, None), checked_days_ago=80,
    ),
    DemoService(
        "pennine-gateway", "Accommodation service, South Yorkshire",
        "Finding and keeping a home after prison: emergency beds, landlord negotiation and tenancy support.",
        ("pathway-accommodation", "category-housing"),
        ((AREA, "South Yorkshire"),), "mg", "x",
        place=("Pennine Gateway Sheffield", "5 Arundel Gate", "Sheffield", "S1 2PN"),
        funding=(("contracted", "probation-region", "Commissioned rehabilitative services", "over_1m"),),
        relationships=(("probation-region", "contract", "CRS-YH-ACC-05"),), checked_days_ago=30,
    ),
    DemoService(
        "three-rivers", "Dual diagnosis clinic",
        "For people with both mental health needs and drug or alcohol use: assessment and a plan with the "
        "community mental health team.",
        ("pathway-health", "pathway-drugs-alcohol", "category-health", "group-mental-health"),
        ((LA, "Sheffield"), (LA, "Rotherham")), "m", "a",
        place=("Three Rivers", "61 London Road", "Sheffield", "S2 4LA"),
        times=((A, "TH", "09:30", "16:30"),), wait_days=28, checked_days_ago=65,
    ),
    # Humberside ------------------------------------------------------------------------------------
    DemoService(
        "humber-shore", "Cafe and workshop jobs",
        "Paid work in our cafes and joinery workshop, with a City and Guilds qualification and a reference.",
        ("pathway-ete", "category-ete"),
        ((LA, "Kingston upon Hull"), (PRISON, "HMP Hull"), (PRISON, "HMP Humber")), "cmg", "sa",
        place=("Humber Shore workshop", "Albert Dock", "Hull", "HU1 2DP"),
        times=((O, "MO", "08:30", "16:30"), (O, "TU", "08:30", "16:30"), (O, "WE", "08:30", "16:30"),
               (O, "TH", "08:30", "16:30"), (O, "FR", "08:30", "15:00")),
        wait_days=30, capacity="24 trainees",
        funding=(("other", "", "European Social Fund (legacy)", "50k_250k"),),
        relationships=(("HMP Humber", "in_kind", ""),), checked_days_ago=25,
    ),
    DemoService(
        "wold-debt", "Debt advice",
        "Free, confidential advice on debts, fines and benefits, in person or by phone.",
        ("pathway-finance", "category-advice"),
        ((LA, "Kingston upon Hull"), (LA, "East Riding of Yorkshire")), "m", "sa",
        place=("Wold Money Advice", "17 Spring Bank", "Hull", "HU3 1AF"),
        times=((O, "MO", "09:00", "17:00"), (O, "WE", "09:00", "17:00"), (D, "TH", "10:00", "13:00")),
        ages=(16, None), languages=("English", "Polish", "Kurdish"),
        funding=(("other", "", "Money advice grant", "50k_250k"),), checked_days_ago=45, check_method=CURATOR,
    ),
    DemoService(
        "wold-debt", "Benefits before release",
        "Advisers in HMP Hull help you start a Universal Credit claim before you leave.",
        ("pathway-finance", "category-advice"),
        ((PRISON, "HMP Hull"),), "cg", "a",
        place=("HMP Hull", "Hedon Road", "Hull", "HU9 5LS"), inside="HMP Hull",
        funding=(("contracted", "HMP Hull", "Resettlement", "10k_50k"),),
        relationships=(("HMP Hull", "contract", "HUL-2023-44"),), checked_days_ago=700,
    ),
    DemoService(
        "humber-shore", "Cottingham allotment project",
        "Growing food together two mornings a week; good for your health and a reference for work.",
        ("pathway-health", "pathway-ete", "category-ete"),
        ((LA, "East Riding of Yorkshire"),), "m", "sa",
        place=("Humber Shore allotments", "Northgate", "Cottingham", "HU17 5AA"),
        times=((D, "TU", "09:30", "12:30"), (D, "SA", "09:30", "12:30")), peer_led=True, checked_days_ago=150,
    ),
    DemoService(
        "humber-shore", "Grimsby outreach",
        "A trial of a weekly advice session in Grimsby. Closed while we look for new funding.",
        ("pathway-ete",), ((LA, "North East Lincolnshire"),), "m", "s",
        place=("Grimsby library", "Town Hall Square", "Grimsby", "DN31 1HG"),
        checked_days_ago=400, publication=Publication.WITHDRAWN,
    ),
    # North Yorkshire: thinly served ----------------------------------------------------------------
    DemoService(
        "swaledale", "Dales peer mentors",
        "Volunteers who have served sentences themselves, meeting people in the Dales and in York, including "
        "on the phone where buses do not run.",
        ("pathway-attitudes", "category-mentoring", "category-befriending", "group-veterans"),
        ((LA, "North Yorkshire"), (LA, "York")), "mg", "sa",
        place=("Leyburn community centre", "Market Place", "Leyburn", "DL8 5AA"),
        times=((D, "WE", "11:00", "14:00"),), peer_led=True,
        relationships=(("probation-region", "volunteers", ""),), checked_days_ago=345,
    ),
    DemoService(
        "ouse-bridge", "Children's visits, HMP Askham Grange",
        "Family days and help with visits for children of mothers in HMP Askham Grange.",
        ("pathway-children-families", "category-family-support", "group-families", "group-women"),
        ((PRISON, "HMP Askham Grange"), (LA, "York")), "c", "s",
        place=("Ouse Bridge Families", "12 Skeldergate", "York", "YO1 6DH"),
        times=((O, "SA", "10:00", "15:00"),), ages=(None, None),
        funding=(("no_direct_cost", "funder", "Families grant", "10k_50k"),),
        checked_days_ago=60, check_method=CURATOR,
    ),
    DemoService(
        "ouse-bridge", "Family support line",
        "A phone and text line for anyone with a family member in prison, across North Yorkshire.",
        ("pathway-children-families", "category-family-support", "category-advice", "group-families"),
        ((LA, "North Yorkshire"), (LA, "York")), "cm", "s",
        times=((O, "MO", "10:00", "20:00"), (O, "WE", "10:00", "20:00")), ages=(None, None),
        contact=("", "Family support line", "01904 496 0151"), checked_days_ago=35,
    ),
    DemoService(
        "minster-learning", "York work placements",
        "Eight-week placements with York employers, with a mentor and travel paid.",
        ("pathway-ete", "category-ete"),
        ((LA, "York"),), "m", "a",
        place=("Minster Learning York", "30 Piccadilly", "York", "YO1 9NX"),
        times=((A, "TU", "09:00", "17:00"),), fees="Free. Travel and lunch paid.", checked_days_ago=90,
    ),
    DemoService(
        "swaledale", "Scarborough coffee morning",
        "A friendly weekly coffee morning for people on probation and their families.",
        ("pathway-health", "category-befriending"),
        ((LA, "North Yorkshire"),), "m", "s",
        place=("Scarborough Methodist hall", "Queen Street", "Scarborough", "YO11 1HQ"),
        times=((D, "FR", "10:00", "12:00"),), ages=(None, None), peer_led=True,
        fees="Free; donations for coffee welcome.", checked_days_ago=260,
    ),
    DemoService(
        "heron-gate", "Recovering from abuse: women's group",
        "A twelve-week group for women who have experienced domestic abuse, rape or coercive control, with "
        "one-to-one support from an independent advocate.",
        ("pathway-women-abuse", "category-counselling", "group-women"),
        ((LA, "Wakefield"), (LA, "Kirklees"), (PRISON, "HMP New Hall")), "cmg", "sa",
        place=("Heron Gate Women's Centre", "9 Westgate", "Wakefield", "WF1 1XY"),
        times=((A, "MO", "13:00", "15:00"),), gender="women", wait_days=21,
        funding=(("other", "pcc", "Victims fund", "10k_50k"),), checked_days_ago=55,
    ),
    # Region-wide -----------------------------------------------------------------------------------
    DemoService(
        "ridings", "Volunteer befriending network",
        "Matches people leaving prison anywhere in the region with a trained volunteer befriender near them.",
        ("pathway-attitudes", "category-befriending", "group-foreign-nationals"),
        ((PlaceKind.REGION, "Yorkshire and the Humber"),), "mg", "sa",
        place=("Ridings Voluntary Action", "4 Park Square", "Leeds", "LS1 2NE"),
        times=((A, "MO", "09:00", "17:00"),), languages=("English", "Polish", "Romanian", "Arabic"),
        funding=(("other", "funder", "Volunteering programme", "50k_250k"),),
        checked_days_ago=12, check_method=CURATOR,
    ),
    DemoService(
        "heron-gate", "Restorative justice conferences",
        "Trained facilitators bring together people harmed and people who caused harm, when both choose to.",
        ("pathway-attitudes", "category-restorative-justice"),
        ((AREA, "West Yorkshire"), (AREA, "Humberside")), "cm", "a",
        funding=(("contracted", "pcc", "Restorative justice", "50k_250k"),),
        relationships=(("pcc", "grant", "PCC-RJ-2025"),), checked_days_ago=110,
    ),
)


def demo_directory_load(*, organisations: dict[str, Organisation]) -> int:
    """Create the demo's providers and services. ``organisations`` maps region.py's keys (and prison names)
    to organisations; the providers made here are added to it."""
    types = {t.code: t for t in OrganisationType.objects.all()}
    places = {(p.kind, p.name): p for p in Place.objects.all()}
    for provider in PROVIDERS:
        organisations[provider.key] = organisation_create(
            by=None, name=provider.name, type=types[provider.type],
            description=f"{provider.summary} {DIRECTORY_FICTIONAL}", annual_income=provider.income,
            charity_number=provider.charity_number, areas=[places[area] for area in provider.areas],
        )
    terms = {term.code: term for term in Term.objects.all()}
    locations: dict[tuple[int, str], Location] = {}
    now = timezone.now()
    for number, item in enumerate(SERVICES):
        _service_create(item, organisations, places, terms, locations, now, number)
    return len(SERVICES)


def _service_create(item, organisations, places, terms, locations, now, number) -> Service:
    organisation = organisations[item.provider]
    minimum_age, maximum_age = item.ages
    service = service_create(
        organisation=organisation, by=None, publish=item.publication != Publication.DRAFT,
        terms=[terms[code] for code in item.terms], areas=[places[area] for area in item.areas],
        name=item.name, description=item.description, eligibility=item.eligibility, gender=item.gender,
        minimum_age=minimum_age, maximum_age=maximum_age,
        in_custody="c" in item.setting, in_community="m" in item.setting, through_the_gate="g" in item.setting,
        self_referral="s" in item.routes, agency_referral="a" in item.routes,
        statutory_referral_only="x" in item.routes, is_free=not item.fees or item.fees.startswith("Free"),
        fees=item.fees, languages=list(item.languages), peer_led=item.peer_led,
        typical_wait_days=item.wait_days, capacity=item.capacity, phone=organisation.phone,
    )
    service.external_id = f"demo-{number + 1:03d}"
    if item.place:
        location = _location(item, organisation, places, locations)
        link = ServiceAtLocation.objects.create(service=service, location=location)
    else:
        link = None
    for attendance, weekday, opens, closes in item.times:
        Schedule.objects.create(
            service=service, service_at_location=link, attendance=attendance, weekday=weekday,
            opens_at=time.fromisoformat(opens), closes_at=time.fromisoformat(closes),
        )
    name, title, phone = item.contact
    if name or title or phone:
        Contact.objects.create(service=service, name=name, title=title, phone=phone)
    for kind, funder, stream, band in item.funding:
        funding_body = organisations.get(funder)
        Funding.objects.create(
            service=service, kind=kind, funder=funding_body, funder_name="" if funding_body else funder,
            stream=stream, value_band=band,
            starts_on=(now - timedelta(days=400)).date(), ends_on=(now + timedelta(days=700)).date(),
        )
    for body, basis, reference in item.relationships:
        StatutoryRelationship.objects.create(
            service=service, statutory_body=organisations[body], basis=basis, reference=reference,
            starts_on=(now - timedelta(days=400)).date(),
        )
    if item.publication == Publication.WITHDRAWN:
        service.publication = Publication.WITHDRAWN
    # The demo's history: each record was last checked some days ago, by its provider or a curator.
    checked_at = now - timedelta(days=item.checked_days_ago)
    service.last_checked_at = checked_at
    service.last_check_method = item.check_method
    service.created_at = checked_at - timedelta(days=30)
    if service.publication == Publication.PUBLISHED and service.first_published_at is None:
        service.first_published_at = service.created_at
    service.save()
    search_document_refresh(service=service)
    return service


def _location(item, organisation, places, locations) -> Location:
    location_name, street, town, postcode = item.place
    key = (organisation.pk, location_name)
    if key not in locations:
        latitude, longitude = DISTRICTS[postcode.split()[0]]
        locations[key] = Location.objects.create(
            organisation=organisation, name=location_name, address_1=street, city=town, postcode=postcode,
            latitude=latitude, longitude=longitude, prison=places.get((PRISON, item.inside)) if item.inside else None,
        )
    return locations[key]
