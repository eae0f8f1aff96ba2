"""`pathways generate_directory --services N --seed S`: a realistic synthetic directory, for benchmarks and load tests.

Organisations across England and Wales, each with a few services in its own town: names, descriptions
and eligibility written from phrases of the sector, terms from every pathway, category and client group
of the seeded taxonomy, the local authority and often a prison as the areas served, locations in real
postcode districts (the bundled centroids, with a made-up inward code), opening hours and drop-ins,
contacts, funding, and about one record in seven stale. Places missing from the shared list are added
(each English region, a local authority for each town, some prisons), and existing ones are reused.

The same seed gives the same directory (names, terms, places, times; dates count back from the day it
runs). Everything is written with bulk inserts and the search documents are built in batches, all in one
transaction: 100,000 services take a few minutes at most. Every organisation and service is fictional.
"""

import random
import time as clock
import uuid
from datetime import time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from pathways.directory.models import (
    Attendance,
    CheckMethod,
    Contact,
    Funding,
    FundingKind,
    Location,
    PostcodeArea,
    Publication,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    ValueBand,
)
from pathways.directory.services.search_index import insert_rows, search_documents_refresh_many
from pathways.organisations.models import Organisation, OrganisationType, Place, PlaceKind
from pathways.taxonomy.models import Term

BATCH = 5000
SERVICES_PER_ORGANISATION = 5  # on average; a few large providers run many more

# (English region or nation, [(local authority or town, postcode area letters), ...], [prisons])
GEOGRAPHY = [
    ("North East", [("Newcastle upon Tyne", "NE"), ("Sunderland", "SR"), ("County Durham", "DH"),
                    ("Middlesbrough", "TS")], ["HMP Durham", "HMP Frankland", "HMP Holme House"]),
    ("North West", [("Manchester", "M"), ("Liverpool", "L"), ("Preston", "PR"), ("Blackburn with Darwen", "BB"),
                    ("Cumberland", "CA"), ("Bolton", "BL"), ("Wigan", "WN")],
     ["HMP Manchester", "HMP Liverpool", "HMP Preston", "HMP Styal", "HMP Risley"]),
    ("Yorkshire and the Humber", [("Leeds", "LS"), ("Bradford", "BD"), ("Sheffield", "S"),
                                  ("Kingston upon Hull", "HU"), ("York", "YO"), ("Wakefield", "WF"),
                                  ("Doncaster", "DN"), ("Kirklees", "HD"), ("Calderdale", "HX"),
                                  ("North Yorkshire", "HG")],
     ["HMP Leeds", "HMP Hull", "HMP Doncaster", "HMP New Hall", "HMP Wakefield", "HMP Askham Grange"]),
    ("West Midlands", [("Birmingham", "B"), ("Coventry", "CV"), ("Wolverhampton", "WV"), ("Stoke-on-Trent", "ST"),
                       ("Walsall", "WS"), ("Worcestershire", "WR")],
     ["HMP Birmingham", "HMP Featherstone", "HMP Drake Hall", "HMP Hewell"]),
    ("East Midlands", [("Nottingham", "NG"), ("Leicester", "LE"), ("Derby", "DE"), ("Lincolnshire", "LN"),
                       ("Northamptonshire", "NN")], ["HMP Nottingham", "HMP Leicester", "HMP Lincoln", "HMP Foston Hall"]),
    ("East of England", [("Norfolk", "NR"), ("Cambridgeshire", "CB"), ("Suffolk", "IP"), ("Essex", "CM"),
                         ("Peterborough", "PE"), ("Luton", "LU")],
     ["HMP Norwich", "HMP Peterborough", "HMP Chelmsford", "HMP Bedford"]),
    ("London", [("Camden", "NW"), ("Hackney", "E"), ("Lambeth", "SE"), ("Ealing", "W"), ("Islington", "N"),
                ("Croydon", "CR"), ("Wandsworth", "SW")],
     ["HMP Pentonville", "HMP Wandsworth", "HMP Brixton", "HMP Thameside", "HMP Bronzefield"]),
    ("South East", [("Brighton and Hove", "BN"), ("Kent", "ME"), ("Surrey", "GU"), ("Oxfordshire", "OX"),
                    ("Reading", "RG"), ("Southampton", "SO"), ("Portsmouth", "PO"), ("Milton Keynes", "MK")],
     ["HMP Lewes", "HMP Maidstone", "HMP Winchester", "HMP Bullingdon", "HMP East Sutton Park"]),
    ("South West", [("Bristol", "BS"), ("Plymouth", "PL"), ("Devon", "EX"), ("Gloucestershire", "GL"),
                    ("Cornwall", "TR"), ("Bournemouth, Christchurch and Poole", "BH")],
     ["HMP Bristol", "HMP Exeter", "HMP Channings Wood", "HMP Eastwood Park"]),
    ("Wales", [("Cardiff", "CF"), ("Swansea", "SA"), ("Newport", "NP"), ("Wrexham", "LL")],
     ["HMP Cardiff", "HMP Swansea", "HMP Berwyn", "HMP Parc"]),
]

# What services do: (category code, pathway codes, name stems, what it offers, extra words for the text)
KINDS = [
    ("category-housing", ["pathway-accommodation"],
     ["Housing Advice", "Supported Housing", "Tenancy Support", "Move-On Accommodation", "Homeless Outreach",
      "Housing Options Surgery", "Rent Deposit Scheme", "Hostel Pathway", "Floating Support"],
     ["Help to find somewhere safe to live on release from prison.",
      "Advice on tenancies, rent arrears, housing benefit and homelessness applications.",
      "Supported accommodation with a key worker and help to move on to a home of your own.",
      "Outreach to people sleeping rough, with a route into hostels and supported housing.",
      "A rent deposit and landlord liaison scheme for private rented flats.",
      "Visits at home to help you keep your tenancy: bills, repairs and neighbours.",
      "Emergency beds for the first nights after release while a longer-term place is found."]),
    ("category-ete", ["pathway-ete"],
     ["Employment Support", "Work Skills", "Routes into Work", "Jobs Club", "Employability Course",
      "Apprenticeship Pathway", "Self-Employment Workshop", "Construction Skills (CSCS) Course"],
     ["One-to-one help with CVs, disclosure of convictions, job search and interviews.",
      "Courses towards recognised qualifications and placements with local employers.",
      "A weekly jobs club with computers, a careers adviser and employers who welcome people with convictions.",
      "Help to get a CSCS card, a forklift licence or a food hygiene certificate.",
      "Advice on starting a small business, with a mentor from a local firm.",
      "Paid work experience in a social enterprise cafe, workshop or garden."]),
    ("category-basic-skills", ["pathway-ete"],
     ["Reading and Writing Support", "Basic Skills", "Maths and English", "Digital Skills", "Literacy Buddies"],
     ["Friendly help with reading, writing and numbers at your own pace.",
      "Learn to use a computer, email and online forms, including Universal Credit.",
      "Volunteers read with you one to one, in prison or at a library near you."]),
    ("category-drugs-alcohol", ["pathway-drugs-alcohol", "pathway-health"],
     ["Recovery Service", "Drug and Alcohol Support", "Recovery Cafe", "Substance Misuse Team", "Detox Aftercare",
      "Mutual Aid Meeting"],
     ["Support to cut down or stop using drugs or alcohol, with key work and groups.",
      "A recovery community run by people in recovery, with mutual aid meetings.",
      "Harm reduction, needle exchange and prescribing with the local treatment service.",
      "Aftercare following detox or rehab: groups, activities and a recovery coach.",
      "Naloxone training and kits, and advice on safer use."]),
    ("category-health", ["pathway-health"],
     ["Health and Wellbeing", "Mental Health Support", "Wellbeing Service", "Health Trainers", "Dental Access",
      "Liaison and Diversion"],
     ["Help to register with a GP, see a dentist and look after your physical and mental health.",
      "Talking therapies and wellbeing groups for people with anxiety or depression.",
      "Health checks, stop smoking support and help with long-term conditions.",
      "Practitioners at police stations and courts who identify mental health needs early."]),
    ("category-counselling", ["pathway-health", "pathway-women-abuse"],
     ["Counselling Service", "Trauma Counselling", "Talking Therapies", "Bereavement Counselling"],
     ["Free confidential counselling with a qualified counsellor, face to face or by phone.",
      "Specialist counselling for people who have experienced trauma or abuse.",
      "Support after a death, including for people who could not attend a funeral while in custody."]),
    ("category-advice", ["pathway-finance"],
     ["Debt Advice", "Benefits Advice", "Money Advice Clinic", "Welfare Rights", "Financial Inclusion"],
     ["Free independent advice on debt, benefits and budgeting.",
      "Help to claim benefits on release, open a bank account and deal with fines and court costs.",
      "Appeals and tribunals for benefit decisions, with representation.",
      "Help to get ID, a birth certificate and a bank account before release."]),
    ("category-gambling", ["pathway-finance", "pathway-health"],
     ["Gambling Support", "Gambling Harm Service"],
     ["Support for people harmed by gambling and for those close to them.",
      "Blocking software, budgeting and group sessions for problem gambling."]),
    ("category-family-support", ["pathway-children-families"],
     ["Family Support", "Parenting Programme", "Visits Support", "Children and Families Service", "Visitor Centre",
      "Storybook Dads"],
     ["Support for the families and children of people in prison, including help with visits.",
      "A parenting course and family days that help people keep in touch with their children.",
      "A visitor centre with a play area, refreshments and someone to talk to before visits.",
      "Record a bedtime story in prison to send home to your children."]),
    ("category-mentoring", ["pathway-attitudes"],
     ["Mentoring", "Peer Mentoring", "Through the Gate Mentoring", "Resettlement Mentoring", "Women's Mentoring",
      "Youth Mentoring"],
     ["A mentor meets you before release and supports you through the first weeks outside.",
      "Peer mentors with lived experience help with appointments, motivation and a fresh start.",
      "A volunteer mentor meets you weekly for up to a year, for as long as you want."]),
    ("category-befriending", ["pathway-attitudes"],
     ["Befriending", "Community Befriending", "Visitors Scheme", "Letter Writing Scheme"],
     ["Trained volunteers visit people in prison who have no other visitors.",
      "A volunteer befriender to meet for a coffee, a walk or a chat each week.",
      "Pen friends who write to people serving long sentences."]),
    ("category-restorative-justice", ["pathway-attitudes"],
     ["Restorative Justice", "Victim Awareness", "Restorative Conferencing"],
     ["Restorative conferences that bring together people harmed by crime and those responsible.",
      "Courses on the effects of crime, run with people who have been harmed."]),
    ("category-faith-support", ["pathway-attitudes"],
     ["Faith Support", "Chaplaincy Through the Gate", "Community Chaplaincy", "Muslim Chaplaincy"],
     ["Community chaplains of all faiths and none offer support on release.",
      "Faith communities who welcome you, help you settle and introduce you to local groups."]),
    ("category-arts", ["pathway-attitudes", "pathway-health"],
     ["Arts Project", "Music and Creative Writing", "Theatre Workshop", "Creative Arts Studio"],
     ["Creative workshops in music, theatre, painting and writing, in prison and in the community.",
      "A studio where you can make music and record, with sessions led by working musicians."]),
    ("category-language-culture", ["pathway-ete"],
     ["English Language Support", "Cultural Support Service", "ESOL Classes"],
     ["English lessons and help for foreign nationals to understand services and their rights.",
      "ESOL classes at all levels, with childcare for parents."]),
    ("category-sex-offender-work", ["pathway-attitudes"],
     ["Circles of Support", "Circles of Support and Accountability"],
     ["Volunteers meet regularly with people convicted of sexual offences to support and hold them to account."]),
]
WOMEN_KINDS = [
    ("category-counselling", ["pathway-women-abuse"], ["Women's Centre", "Domestic Abuse Support", "IDVA Service"],
     ["A women-only centre offering advocacy, counselling and a safe space.",
      "Support for women who have experienced domestic abuse, rape or sexual violence.",
      "Independent advocates who support women through court and safety planning."]),
    ("category-mentoring", ["pathway-women-prostitution"], ["Women's Outreach", "Sex Worker Support"],
     ["Non-judgemental outreach and exit support for women involved in prostitution.",
      "A drop-in for women who sell sex, with health checks and a safe place to talk."]),
]
GROUP_PHRASES = {
    "group-young-adults": ["Young adults aged 18 to 25.", "For 18 to 25 year olds."],
    "group-women": ["Women only.", "For women and girls.", "A women-only service."],
    "group-minority-ethnic": ["People from Black, Asian and minority ethnic communities.",
                              "Led by and for Black and Asian people."],
    "group-foreign-nationals": ["Foreign nationals, with interpreters available.", "People who are not UK citizens."],
    "group-veterans": ["Veterans of the armed forces.", "For ex-service personnel."],
    "group-learning-disabilities": ["People with learning disabilities or difficulties.",
                                    "Easy-read information is available."],
    "group-mental-health": ["People with mental health needs.", "For people living with a mental illness."],
    "group-families": ["Families and children of people in prison.", "Partners, parents and children of prisoners."],
    "group-older-people": ["People aged over 50.", "Older prisoners and those leaving after long sentences."],
    "group-care-leavers": ["Care leavers.", "Young people who have been in local authority care."],
    "group-homeless": ["People who are homeless or at risk of homelessness.", "People with nowhere to stay."],
    "group-substance-use": ["People who use drugs or alcohol.", "People in or seeking recovery."],
}
ELIGIBILITY = [
    "Adults with a conviction.", "Anyone aged 18 or over on probation or leaving prison.",
    "People serving a sentence in the community or on licence.", "Adults released from local prisons.",
    "Anyone in the area who has been in contact with the justice system.", "Adults at risk of reoffending.",
    "People on remand or serving short sentences.", "No restrictions.", "Residents of the borough.",
    "Referral by probation, a prison or a support worker.", "Anyone over 16.",
]
EXTRAS = [
    "We work with people on licence, on community orders and after their sentence ends.",
    "You do not need an appointment for the drop-in.",
    "Interpreters can be arranged.",
    "Our staff and volunteers include people with lived experience of the justice system.",
    "We can meet you at the prison gate on the day of release.",
    "Travel costs to appointments can be paid.",
    "Referrals are usually seen within two weeks.",
    "The building has step-free access and a hearing loop.",
    "Sessions are held in the evening as well as the daytime.",
    "We also offer phone and video appointments.",
    "Tea, coffee and a hot meal are available.",
    "We can visit you at home if you cannot travel.",
    "Dogs are welcome.",
    "Volunteering opportunities are open to people who have used the service.",
    "We are funded by the National Lottery and local trusts.",
    "Please bring proof of identity if you have it; we can help if you do not.",
    "We will not share your information without asking you first, unless someone is at risk of harm.",
    "Children are welcome at the centre.",
    "We work closely with the local probation team and job centre.",
    "Waiting times are longer in the summer.",
]
ORGANISATION_WORDS = ["Trust", "Project", "Foundation", "Partnership", "Network", "Community Interest Company",
                      "Association", "Centre", "Collective", "Charity"]
ORGANISATION_NAMES = ["Beacon", "Bridge", "Crossroads", "Fresh Start", "Gateway", "Harbour", "Horizon", "Keystone",
                      "Lantern", "Meridian", "New Leaf", "Open Door", "Pathfinder", "Phoenix", "Riverside",
                      "Second Chance", "Signpost", "Springboard", "Stepping Stones", "Threshold", "Turning Point",
                      "Waymark", "Wayfarers", "Compass", "Anchor", "Kindling", "Milestone", "Oak Tree", "Foundry",
                      "Lighthouse", "Willow", "Heron", "Kestrel", "Rowan", "Thistle"]
STREETS = ["High Street", "Church Street", "Station Road", "Victoria Road", "Market Place", "Mill Lane", "King Street",
           "Queen Street", "Park Road", "New Road", "Bridge Street", "Chapel Lane"]
LANGUAGES = ["English", "Urdu", "Polish", "Punjabi", "Arabic", "Romanian", "Bengali", "Welsh", "Somali", "Kurdish"]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
FICTIONAL = "A fictional organisation generated for testing Pathways."
STALE_SHARE = 0.15
DRAFT_SHARE = 0.04


class Command(BaseCommand):
    help = "Generate a realistic synthetic directory of N services (deterministic for a seed)."

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, default=1000, help="How many services (default 1,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same directory.")

    def handle(self, *args, services, seed, **options):
        if services < 1:
            raise CommandError("--services must be at least 1.")
        started = clock.perf_counter()
        counts = directory_generate(services=services, seed=seed, say=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"Generated {counts['services']:,} services ({counts['published']:,} published) of "
            f"{counts['organisations']:,} organisations at {counts['locations']:,} locations "
            f"in {clock.perf_counter() - started:.1f} s."
        ))


def directory_generate(*, services: int, seed: int, say=lambda message: None) -> dict[str, int]:
    """Add ``services`` synthetic services (and their organisations) to the database, all or nothing."""
    prefix = f"generated-{seed}-"
    if Organisation.objects.filter(slug__startswith=prefix).exists():
        raise CommandError(
            f"A directory was already generated with seed {seed} here. Use another seed or a fresh database."
        )
    with transaction.atomic():
        return _Generator(services=services, seed=seed, prefix=prefix, say=say).run()


class _Generator:
    def __init__(self, *, services: int, seed: int, prefix: str, say):
        self.total = services
        self.rng = random.Random(seed)
        self.prefix = prefix
        self.say = say
        self.now = timezone.now().replace(microsecond=0)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def run(self) -> dict[str, int]:
        self._reference_data()
        organisations = self._organisations()
        self.say(f"{len(organisations):,} organisations")
        published_ids, made = [], 0
        plan = self._service_plan(organisations)
        for start in range(0, len(plan), BATCH):
            ids, _located = self._services(plan[start:start + BATCH])
            published_ids += ids
            made += len(plan[start:start + BATCH])
            self.say(f"{made:,} services")
        _sequences_reset([Organisation, Location, Service])
        published = search_documents_refresh_many(service_ids=published_ids)
        self.say(f"{published:,} search documents")
        return {"services": made, "published": published, "organisations": len(organisations),
                "locations": self.locations_made}

    # Places, terms, districts ---------------------------------------------------------------------------

    def _reference_data(self) -> None:
        terms = {t.code: t for t in Term.objects.current().select_related("vocabulary")}
        self.terms = terms
        self.groups = sorted(code for code in terms if code.startswith("group-"))
        districts: dict[str, list] = {}
        for code, latitude, longitude in PostcodeArea.objects.values_list("code", "latitude", "longitude"):
            letters = _letters(code)
            if len(code) <= 4:
                districts.setdefault(letters, []).append((code, latitude, longitude))
        if not districts:
            raise CommandError("No postcode districts are loaded: run `pathways migrate` (it loads them).")
        self.towns = []  # (town, local authority Place, prisons [Place], districts [(code, lat, long)])
        for region_name, towns, prisons in GEOGRAPHY:
            region = self._place(PlaceKind.REGION, region_name, None)
            prison_places = [self._place(PlaceKind.PRISON, name, region) for name in prisons]
            for town, letters in towns:
                local = self._place(PlaceKind.LOCAL_AUTHORITY, town, region)
                found = sorted(districts.get(letters, []))
                if found:
                    self.towns.append((town, local, prison_places, found, region))

    def _place(self, kind: str, name: str, parent: Place | None) -> Place:
        place = Place.objects.filter(kind=kind, name=name).first()
        if place is None:
            place = Place.objects.create(kind=kind, name=name, parent=parent)
        return place

    # Organisations --------------------------------------------------------------------------------------

    def _ids(self, model, count: int) -> range:
        """Ids for rows written directly (sequences are moved past them at the end)."""
        first = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        return range(first, first + count)

    def _organisations(self) -> list[tuple[int, str, str, tuple]]:
        rng = self.rng
        types = dict(OrganisationType.objects.filter(
            code__in=["charity", "social-enterprise", "faith-community-group"]).values_list("code", "pk"))
        count = max(1, self.total // SERVICES_PER_ORGANISATION)
        organisations, rows = [], []
        for index, pk in enumerate(self._ids(Organisation, count)):
            town = rng.choice(self.towns)
            kind = rng.choices(["charity", "social-enterprise", "faith-community-group"], [70, 18, 12])[0]
            name = f"{town[0]} {rng.choice(ORGANISATION_NAMES)} {rng.choice(ORGANISATION_WORDS)}"
            slug = f"{self.prefix}{index + 1}"
            organisations.append((pk, name, slug, town))
            rows.append((pk, self.uuid(), name, slug, types[kind], FICTIONAL, f"01632 {rng.randint(960000, 960999)}",
                         self.now, self.now))
        insert_rows(Organisation, ["id", "uuid", "name", "slug", "type", "description", "phone", "created_at",
                                   "updated_at"], rows)
        insert_rows(Organisation.areas.through, ["organisation", "place"],
                    [(pk, town[1].pk) for pk, _name, _slug, town in organisations])
        # Each organisation has one to three places in its town.
        self.org_locations: dict[int, list[int]] = {}
        rows = []
        for pk, name, _slug, town in organisations:
            for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
                code, latitude, longitude = rng.choice(town[3])
                inward = f"{rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
                rows.append([None, self.uuid(), pk, "physical", f"{name.split(' ', 1)[1]} {town[0]} centre",
                             f"{rng.randint(1, 240)} {rng.choice(STREETS)}", town[0], f"{code} {inward}",
                             round(latitude + rng.uniform(-0.012, 0.012), 5),
                             round(longitude + rng.uniform(-0.018, 0.018), 5),
                             rng.choice(["", "", "Step-free access.", "Ground floor, hearing loop."])])
        for row, location_pk in zip(rows, self._ids(Location, len(rows))):
            row[0] = location_pk
            self.org_locations.setdefault(row[2], []).append(location_pk)
        insert_rows(Location, ["id", "uuid", "organisation", "location_type", "name", "address_1", "city", "postcode",
                               "latitude", "longitude", "accessibility"], rows)
        self.locations_made = len(rows)
        return organisations

    # Services -------------------------------------------------------------------------------------------

    def _service_plan(self, organisations) -> list:
        """Which organisation runs each service: most run a few, a handful of large providers run many."""
        rng = self.rng
        weights = [rng.paretovariate(1.6) for _ in organisations]
        plan = [organisations[index % len(organisations)] for index in range(min(len(organisations), self.total))]
        plan += rng.choices(organisations, weights, k=self.total - len(plan))
        return plan

    def _services(self, plan) -> tuple[list[int], int]:
        rng, now = self.rng, self.now
        services, published = [], []
        term_links, area_links, links, schedules, contacts, funding = [], [], [], [], [], []
        located = 0
        for pk, (org_pk, _org_name, slug, town) in zip(self._ids(Service, len(plan)), plan):
            women = rng.random() < 0.08
            category, pathways, stems, offers = rng.choice(WOMEN_KINDS if women else KINDS)
            categories = [category] + ([rng.choice(KINDS)[0]] if rng.random() < 0.3 else [])
            groups = rng.sample(self.groups, rng.choice([0, 0, 1, 1, 2]))
            if women and "group-women" not in groups:
                groups.append("group-women")
            custody = rng.random() < 0.25
            gate = custody and rng.random() < 0.5
            community = not custody or rng.random() < 0.6
            stale = rng.random() < STALE_SHARE
            checked = now - timedelta(days=rng.randint(366, 900) if stale else rng.randint(0, 360),
                                      minutes=rng.randint(0, 1440))
            created = checked - timedelta(days=rng.randint(0, 400))
            draft = rng.random() < DRAFT_SHARE
            is_free = rng.random() < 0.9
            eligibility = " ".join([rng.choice(GROUP_PHRASES[g]) for g in groups] or [rng.choice(ELIGIBILITY)])
            name = f"{town[0]} {rng.choice(stems)}" if rng.random() < 0.7 else rng.choice(stems)
            prison = rng.choice(town[2]) if custody else None
            if prison is not None and rng.random() < 0.4:
                name += f" at {prison.name}"
            phone, email = f"01632 {rng.randint(960000, 960999)}", f"help{rng.randint(1, 999)}@{slug}.example.org"
            services.append((
                pk, self.uuid(), org_pk, name[:200],
                " ".join([rng.choice(offers)] + rng.sample(EXTRAS, rng.randint(0, 2))),
                "", email, phone,
                ServiceStatus.ACTIVE if rng.random() < 0.97 else ServiceStatus.TEMPORARILY_CLOSED,
                Publication.DRAFT if draft else Publication.PUBLISHED,
                rng.choice([None, None, 18, 18, 16, 21]), None, "any", custody, community, gate, eligibility,
                rng.random() < 0.6, rng.random() < 0.75, rng.random() < 0.08, "",
                is_free, "" if is_free else rng.choice(["£2 a session", "£5 a week", "Sliding scale"]),
                ["English"] + rng.sample(LANGUAGES[1:], rng.choice([0, 0, 0, 1, 2])), "",
                rng.choice(["", "", "20 people at a time", "About 50 a year", "Up to 12 in a group"]),
                rng.choice([None, 0, 3, 7, 14, 28]), rng.random() < 0.2, "",
                checked, rng.choice(list(CheckMethod.values)), None if draft else created, created, now,
            ))
            if not draft:
                published.append(pk)
            codes = {rng.choice(pathways)} | set(categories) | set(groups)
            if rng.random() < 0.25:
                codes.add(rng.choice(KINDS)[1][0])
            term_links += [(pk, self.terms[code].pk) for code in sorted(codes) if code in self.terms]
            places = [town[1]] + ([prison] if prison is not None else []) + ([town[4]] if rng.random() < 0.05 else [])
            area_links += [(pk, place.pk) for place in places]
            own = self.org_locations.get(org_pk, [])
            chosen = [] if rng.random() < 0.08 or not own else rng.sample(own, min(len(own), rng.choice([1, 1, 1, 2])))
            links += [(self.uuid(), pk, location_pk) for location_pk in chosen]
            located += len(chosen)
            if rng.random() < 0.7:
                opens = rng.choice([time(9), time(9, 30), time(10)])
                closes = rng.choice([time(16), time(16, 30), time(17)])
                for day in rng.sample(WEEKDAYS[:5], rng.randint(2, 5)):
                    schedules.append((self.uuid(), pk, Attendance.OPENING_HOURS, day, opens, closes, ""))
            if rng.random() < 0.3:
                for day in rng.sample(WEEKDAYS, rng.choice([1, 1, 2])):
                    start = rng.choice([10, 11, 13, 14, 18])
                    schedules.append((self.uuid(), pk, Attendance.DROP_IN, day, time(start),
                                      time(start + rng.choice([2, 3])),
                                      rng.choice(["", "No appointment needed.", "Tea and toast."])))
            elif rng.random() < 0.3:
                schedules.append((self.uuid(), pk, Attendance.APPOINTMENT, rng.choice(WEEKDAYS[:5]), time(9), time(17), ""))
            contacts.append((self.uuid(), pk, "", rng.choice(
                ["Referrals", "Service manager", "Duty worker", "Volunteer coordinator"]), email, phone))
            if rng.random() < 0.6:
                funding.append((self.uuid(), pk, rng.choice(list(FundingKind.values)), rng.choice(
                    ["National Lottery Community Fund", "Ministry of Justice", "Local authority",
                     "Police and Crime Commissioner", "Charitable trust"]), "", rng.choice(list(ValueBand.values))))
        insert_rows(Service, [
            "id", "uuid", "organisation", "name", "description", "url", "email", "phone", "status", "publication",
            "minimum_age", "maximum_age", "gender", "in_custody", "in_community", "through_the_gate", "eligibility",
            "self_referral", "agency_referral", "statutory_referral_only", "referral_details", "is_free", "fees",
            "languages", "accreditations", "capacity", "typical_wait_days", "peer_led", "alert",
            "last_checked_at", "last_check_method", "first_published_at", "created_at", "updated_at",
        ], services)
        insert_rows(Service.terms.through, ["service", "term"], term_links)
        insert_rows(Service.areas.through, ["service", "place"], area_links)
        insert_rows(ServiceAtLocation, ["uuid", "service", "location"], links)
        insert_rows(Schedule, ["uuid", "service", "attendance", "weekday", "opens_at", "closes_at", "notes"], schedules)
        insert_rows(Contact, ["uuid", "service", "name", "title", "email", "phone"], contacts)
        insert_rows(Funding, ["uuid", "service", "kind", "funder_name", "stream", "value_band"], funding)
        return published, located


def _sequences_reset(models) -> None:
    """Move PostgreSQL's id sequences past the ids written directly (SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _letters(code: str) -> str:
    """The postcode area of a district: "LS6" -> "LS", "S1" -> "S"."""
    letters = ""
    for char in code:
        if not char.isalpha():
            break
        letters += char
    return letters
