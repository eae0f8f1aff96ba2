"""The demo region, Yorkshire and the Humber: its places, organisations of every type and people in every role.

The places and the prisons are real. Every organisation other than the prisons, and every person, is
fictional: charity and company numbers start with 99, which neither register has issued, and phone
numbers come from the ranges Ofcom keeps for drama. Loading is all or nothing.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from pathways.core.errors import DomainError
from pathways.organisations.models import (
    Membership,
    Organisation,
    OrganisationType,
    Place,
    PlaceKind,
    Role,
    User,
)
from pathways.organisations.services import organisation_create

from .commissioning import demo_commissioning_load
from .directory import demo_directory_load

DEMO_PASSWORD = "pathways-demo-2026"
REGION = "Yorkshire and the Humber"
REGION_CODE = "E12000003"
# Places are named by (kind, name): names alone are not unique ("North Yorkshire" is a probation area
# and a local authority).
AREA, LA, PRISON = PlaceKind.PROBATION_REGION, PlaceKind.LOCAL_AUTHORITY, PlaceKind.PRISON
WHOLE_REGION = (PlaceKind.REGION, REGION)


@dataclass(frozen=True)
class ProbationArea:
    name: str
    delivery_units: tuple[str, ...]
    local_authorities: tuple[tuple[str, str], ...]  # (name, ONS code)
    prisons: tuple[str, ...]


# The four probation areas of the case study, each with the local authorities it covers and the prisons
# within it.
PROBATION_AREAS = (
    ProbationArea(
        "Humberside",
        delivery_units=("Hull", "East Riding", "North East Lincolnshire", "North Lincolnshire"),
        local_authorities=(
            ("Kingston upon Hull", "E06000010"),
            ("East Riding of Yorkshire", "E06000011"),
            ("North East Lincolnshire", "E06000012"),
            ("North Lincolnshire", "E06000013"),
        ),
        prisons=("HMP Hull", "HMP Humber", "HMP Full Sutton"),
    ),
    ProbationArea(
        "North Yorkshire",
        delivery_units=("York", "Scarborough", "Harrogate"),
        local_authorities=(("York", "E06000014"), ("North Yorkshire", "E06000065")),
        prisons=("HMP Askham Grange",),
    ),
    ProbationArea(
        "South Yorkshire",
        delivery_units=("Sheffield", "Doncaster", "Rotherham", "Barnsley"),
        local_authorities=(
            ("Barnsley", "E08000016"),
            ("Doncaster", "E08000017"),
            ("Rotherham", "E08000018"),
            ("Sheffield", "E08000019"),
        ),
        prisons=("HMP Doncaster", "HMP Lindholme", "HMP Moorland", "HMP Hatfield"),
    ),
    ProbationArea(
        "West Yorkshire",
        delivery_units=("Leeds", "Bradford and Calderdale", "Wakefield", "Kirklees"),
        local_authorities=(
            ("Bradford", "E08000032"),
            ("Calderdale", "E08000033"),
            ("Kirklees", "E08000034"),
            ("Leeds", "E08000035"),
            ("Wakefield", "E08000036"),
        ),
        prisons=("HMP Leeds", "HMP New Hall", "HMP Wakefield", "HMP Wealstun", "HMYOI Wetherby"),
    ),
)


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    type: str
    summary: str
    areas: tuple[tuple[PlaceKind, str], ...]  # (kind, name) of places in PROBATION_AREAS, or WHOLE_REGION
    income: int | None = None
    charity_number: str = ""
    company_number: str = ""
    phone: str = ""


FICTIONAL = "A fictional organisation in the Pathways demo; its registration numbers and phone number are made up."

ORGANISATIONS = (
    DemoOrganisation(
        "aire-valley", "Aire Valley Resettlement Trust", "charity",
        "Through-the-gate mentoring and housing advice for men leaving HMP Leeds.",
        areas=((AREA, "West Yorkshire"), (LA, "Leeds"), (LA, "Bradford"), (PRISON, "HMP Leeds")),
        income=420_000, charity_number="9912001", company_number="99120010", phone="0113 496 0101",
    ),
    DemoOrganisation(
        "calder-lantern", "Calder Lantern Project", "charity",
        "Peer mentoring and family support for people on probation in the Calder valley.",
        areas=((LA, "Calderdale"), (LA, "Kirklees")),
        income=48_000, charity_number="9912002", phone="01632 960102",
    ),
    DemoOrganisation(
        "don-valley", "Don Valley Faith Forum", "faith-community-group",
        "Churches, mosques and a gurdwara along the Don offering befriending and a weekly drop-in.",
        areas=((LA, "Doncaster"), (LA, "Rotherham"), (LA, "Sheffield")),
        income=6_500, charity_number="9912003", phone="0114 496 0103",
    ),
    DemoOrganisation(
        "humber-shore", "Humber Shore Social Enterprise CIC", "social-enterprise",
        "Paid work and training in its cafes and workshops for people with convictions.",
        areas=((AREA, "Humberside"), (LA, "Kingston upon Hull"), (PRISON, "HMP Hull"), (PRISON, "HMP Humber")),
        income=310_000, company_number="99120040", phone="01632 960104",
    ),
    DemoOrganisation(
        "heron-gate", "Heron Gate Women's Centre", "charity",
        "A women-only centre offering counselling, advocacy and a safe space.",
        areas=((LA, "Wakefield"), (LA, "Kirklees"), (PRISON, "HMP New Hall")),
        income=92_000, charity_number="9912005", phone="01632 960105",
    ),
    DemoOrganisation(
        "swaledale", "Swaledale Peer Mentors", "faith-community-group",
        "A small unregistered community group of volunteers with lived experience.",
        areas=((LA, "North Yorkshire"), (LA, "York")),
        income=3_800,
    ),
    DemoOrganisation(
        "ridings", "Ridings Voluntary Action", "infrastructure-body",
        "The region's infrastructure body: keeps the directory and acts as the neutral bidding agency.",
        areas=(WHOLE_REGION,),
        income=640_000, charity_number="9912007", company_number="99120070", phone="0113 496 0107",
    ),
    DemoOrganisation(
        "probation-region", "Yorkshire and the Humber Probation Region (demo)", "probation-region",
        "The probation region as it appears in the demo.",
        areas=(WHOLE_REGION,),
        phone="0113 496 0108",
    ),
    DemoOrganisation(
        "leeds-pdu", "Leeds Probation Delivery Unit (demo)", "probation-delivery-unit",
        "A probation delivery unit as it appears in the demo.",
        areas=((LA, "Leeds"),),
        phone="0113 496 0109",
    ),
    DemoOrganisation(
        "pennine-gateway", "Pennine Gateway Partnership Ltd", "prime-provider",
        "A prime provider holding resettlement contracts and running a supply chain of local charities.",
        areas=((AREA, "West Yorkshire"), (AREA, "South Yorkshire")),
        income=24_500_000, company_number="99120110", phone="0113 496 0111",
    ),
    DemoOrganisation(
        "pcc", "Office of the Wolds and Dales Police and Crime Commissioner", "pcc",
        "Commissions victim services and reducing-reoffending work.",
        areas=((AREA, "Humberside"), (AREA, "North Yorkshire")),
        phone="01632 960112",
    ),
    DemoOrganisation(
        "council", "Calderbrook Metropolitan Borough Council", "local-authority",
        "A fictional council that commissions housing-related support.",
        areas=((LA, "Calderdale"),),
        phone="01632 960113",
    ),
    DemoOrganisation(
        "funder", "Kestrel Moor Charitable Trust", "charitable-funder",
        "Grants for small organisations supporting people and families affected by imprisonment.",
        areas=(WHOLE_REGION,),
        income=2_400_000, charity_number="9912014", phone="0114 496 0114",
    ),
)

PRISON_SUMMARY = "The prison as it appears in the demo; the people shown working here are fictional."


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    memberships: tuple[tuple[str, str], ...]  # (organisation key, role code); the first is where they land


# One sign-in per role, in the order of the roles. The first membership is where each lands.
SIGN_INS = (
    DemoPerson("worker@example.org", "Sam Okafor", (("aire-valley", "front-line-worker"), ("don-valley", "volunteer"))),
    DemoPerson("volunteer@example.org", "Kath Booth", (("calder-lantern", "volunteer"),)),
    DemoPerson("manager@example.org", "Niamh Gallagher", (("aire-valley", "manager"),)),
    DemoPerson("commissioner@example.org", "David Ashworth", (("probation-region", "commissioner"),)),
    DemoPerson("agency@example.org", "Priya Raval", (("ridings", "partnership-development-worker"),)),
    DemoPerson("evaluator@example.org", "Gareth Lumb", (("funder", "evaluator"),)),
    DemoPerson("curator@example.org", "Hannah Brear", (("ridings", "curator"),)),
)

# Colleagues, so that every team has more than one person and most organisations have a manager.
COLLEAGUES = (
    DemoPerson("tom.kershaw@example.org", "Tom Kershaw", (("aire-valley", "front-line-worker"),)),
    DemoPerson("bernadette.quinn@example.org", "Bernadette Quinn", (("aire-valley", "volunteer"),)),
    DemoPerson("ruth.ackroyd@example.org", "Ruth Ackroyd", (("calder-lantern", "manager"),)),
    DemoPerson("yusuf.patel@example.org", "Yusuf Patel", (("don-valley", "manager"),)),
    DemoPerson("lee.sowerby@example.org", "Lee Sowerby", (("humber-shore", "manager"),)),
    DemoPerson("carys.jenkins@example.org", "Carys Jenkins", (("humber-shore", "front-line-worker"),)),
    DemoPerson("marcia.campbell@example.org", "Marcia Campbell", (("heron-gate", "manager"),)),
    DemoPerson("pete.dinsdale@example.org", "Pete Dinsdale", (("swaledale", "manager"),)),
    DemoPerson("fiona.hartley@example.org", "Fiona Hartley", (("ridings", "manager"),)),
    DemoPerson("stephen.holroyd@example.org", "Stephen Holroyd", (("probation-region", "manager"),)),
    DemoPerson("chris.iveson@example.org", "Chris Iveson", (("leeds-pdu", "commissioner"),)),
    DemoPerson("aled.morgan@example.org", "Aled Morgan", (("HMP Leeds", "commissioner"),)),
    DemoPerson("grace.mensah@example.org", "Grace Mensah", (("HMP New Hall", "commissioner"),)),
    DemoPerson("simon.thackray@example.org", "Simon Thackray", (("pennine-gateway", "commissioner"),)),
    DemoPerson("lucy.fairburn@example.org", "Lucy Fairburn", (("pennine-gateway", "manager"),)),
    DemoPerson("olivia.brook@example.org", "Olivia Brook", (("pcc", "commissioner"),)),
    DemoPerson("martin.haigh@example.org", "Martin Haigh", (("council", "commissioner"),)),
    DemoPerson("anita.sharma@example.org", "Anita Sharma", (("funder", "manager"),)),
)

PEOPLE = SIGN_INS + COLLEAGUES


# Loading --------------------------------------------------------------------------------------------

def database_is_empty() -> bool:
    """No organisations and no people: the only state the demo loads into without being told."""
    return not Organisation.objects.exists() and not User.objects.exists()


@transaction.atomic
def demo_load(*, force: bool = False) -> dict[str, int]:
    """Load the demo region, all or nothing. Into a database that already has data only with ``force``,
    and never over the demo's own people. Places already on the shared lists are reused."""
    if not database_is_empty():
        if not force:
            raise DomainError(
                "The database already has organisations or people; the demo loads only into an empty one. "
                "Use --force to add it alongside them."
            )
        clashes = sorted(User.objects.filter(email__in=[p.email for p in PEOPLE]).values_list("email", flat=True))
        if clashes:
            named = ", ".join(clashes[:3]) + (f" and {len(clashes) - 3} more" if len(clashes) > 3 else "")
            raise DomainError(f"The demo's people are already here ({named}); the demo was not loaded.")
    places = _create_places()
    organisations = _create_organisations(places)
    people = _create_people(organisations)
    services = demo_directory_load(organisations=organisations)
    commissioning = demo_commissioning_load(organisations=organisations)
    return {"places": len(places), "organisations": len(organisations), "people": people, "services": services,
            **commissioning}


def _create_places() -> dict[tuple[PlaceKind, str], Place]:
    """Every place of the demo by (kind, name). Places already on the shared lists are reused."""
    places = {}

    def place(kind: PlaceKind, name: str, code: str = "", parent: Place | None = None) -> Place:
        found, _ = Place.objects.get_or_create(kind=kind, name=name, defaults={"code": code, "parent": parent})
        places[kind, name] = found
        return found

    region = place(PlaceKind.REGION, REGION, REGION_CODE)
    for area in PROBATION_AREAS:
        probation_area = place(AREA, area.name, parent=region)
        for unit in area.delivery_units:
            place(PlaceKind.DELIVERY_UNIT, unit, parent=probation_area)
        for name, code in area.local_authorities:
            place(LA, name, code, parent=probation_area)
        for name in area.prisons:
            place(PRISON, name, parent=probation_area)
    return places


def _create_organisations(places: dict[tuple[PlaceKind, str], Place]) -> dict[str, Organisation]:
    """The demo's organisations by key; each prison by its name, linked to its place."""
    types = {t.code: t for t in OrganisationType.objects.all()}
    organisations = {}
    for org in ORGANISATIONS:
        organisations[org.key] = organisation_create(
            by=None, name=org.name, type=types[org.type], description=f"{org.summary} {FICTIONAL}",
            annual_income=org.income, charity_number=org.charity_number, company_number=org.company_number,
            phone=org.phone, areas=[places[area] for area in org.areas],
        )
    for area in PROBATION_AREAS:
        for name in area.prisons:
            organisations[name] = organisation_create(
                by=None, name=name, type=types["prison"], description=PRISON_SUMMARY, areas=[places[PRISON, name]]
            )
    return organisations


def _create_people(organisations: dict[str, Organisation]) -> int:
    # One hash for everyone: they share the published demo password, and hashing is slow by design.
    password = make_password(DEMO_PASSWORD)
    roles = {r.code: r for r in Role.objects.all()}
    for person in PEOPLE:
        user = User.objects.create(email=person.email, full_name=person.full_name, password=password)
        for key, role_code in person.memberships:
            Membership.objects.create(user=user, organisation=organisations[key], role=roles[role_code])
    return len(PEOPLE)


# Reading --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignIn:
    role: str
    email: str
    password: str
    home: str  # the caption of the home each lands on: "<role> at <organisation>"


def demo_sign_ins() -> list[SignIn]:
    """The demo's sign-ins as this database holds them: none if the demo is not loaded."""
    landing = {}
    memberships = (
        Membership.objects.current()
        .filter(user__email__in=[p.email for p in SIGN_INS])
        .select_related("user", "role", "organisation")
        .order_by("organisation_id")
    )
    for membership in memberships:
        # Someone in several organisations acts first for the earliest (organisations.middleware).
        landing.setdefault(membership.user.email, membership)
    return [
        SignIn(m.role.name, m.user.email, DEMO_PASSWORD, f"{m.role.name} at {m.organisation}")
        for m in (landing.get(p.email) for p in SIGN_INS)
        if m is not None
    ]
