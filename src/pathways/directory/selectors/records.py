"""Reading a service's record: its public page, its versions, its provider's list and change requests."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from pathways.organisations.capabilities import Cap
from pathways.organisations.models import Membership
from pathways.organisations.selectors import areas_by_kind
from pathways.taxonomy.models import Term

from ..models import (
    REMINDER_AGES,
    STALE_AFTER,
    WEEKDAYS,
    ChangeRequest,
    ChangeRequestStatus,
    CheckMethod,
    Funding,
    Gender,
    Publication,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    ServiceVersion,
    StatutoryRelationship,
)

# How the fields of a service and of its versions read on a page.
FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "url": "Website",
    "email": "Email address",
    "phone": "Phone number",
    "status": "Status",
    "publication": "Publication",
    "minimum_age": "Minimum age",
    "maximum_age": "Maximum age",
    "gender": "Gender",
    "in_custody": "Works with people in prison",
    "in_community": "Works with people in the community",
    "through_the_gate": "Through the gate",
    "eligibility": "Who can use it",
    "self_referral": "Self-referral",
    "agency_referral": "Referral by any agency",
    "statutory_referral_only": "Statutory referral only",
    "referral_details": "How to be referred",
    "is_free": "Free to the person",
    "fees": "Cost to the person",
    "languages": "Languages",
    "accreditations": "Accreditations",
    "capacity": "Capacity",
    "typical_wait_days": "Typical wait in days",
    "peer_led": "Peer-led or lived experience",
    "alert": "Notice",
    "terms": "Pathways, categories and client groups",
    "areas": "Areas served",
    "locations": "Locations",
    "schedules": "Times",
    "contacts": "Contacts",
    "funding": "Funding",
    "statutory_relationships": "Work with statutory bodies",
}

CHOICE_LABELS = {
    "status": dict(ServiceStatus.choices),
    "gender": dict(Gender.choices),
    "publication": dict(Publication.choices),
}

WEEKDAY_ORDER = {code: position for position, (code, _label) in enumerate(WEEKDAYS)}

# A record is due for checking from the first reminder, and stale after STALE_AFTER.
DUE_AFTER = timedelta(days=REMINDER_AGES[0])


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def provider_manager_emails(*, organisation) -> list[str]:
    """The email addresses of the people who manage ``organisation`` now: they look after its records."""
    return sorted(set(
        Membership.objects.current()
        .filter(organisation=organisation, user__is_active=True, role__capabilities__code=Cap.MANAGE_ORGANISATION)
        .values_list("user__email", flat=True)
    ))


# Freshness ------------------------------------------------------------------------------------------

CHECK_HOW = {
    CheckMethod.PROVIDER_CONFIRMED: "confirmed by the provider",
    CheckMethod.CURATOR_VERIFIED: "verified by a curator",
    CheckMethod.IMPORTED: "imported from another directory",
}


@dataclass(frozen=True)
class Freshness:
    checked_at: datetime | None
    sentence: str
    is_stale: bool
    is_due: bool

    @property
    def tag(self) -> tuple[str, str]:
        """(words, GOV.UK tag colour) for lists."""
        if self.is_stale:
            return "Out of date", "govuk-tag--red"
        if self.is_due:
            return "Due for checking", "govuk-tag--yellow"
        return "Up to date", "govuk-tag--green"


def freshness_of(service: Service, *, show_names: bool, now: datetime | None = None) -> Freshness:
    """When the record was last checked, by whom and how, as a sentence fit for the page.

    ``show_names``: the checker's name for people who are signed in; "the provider" or "a curator" otherwise.
    """
    now = now or timezone.now()
    checked_at = service.last_checked_at
    if checked_at is None:
        return Freshness(None, "Not checked yet.", True, True)
    day = timezone.localtime(checked_at).strftime("%-d %B %Y")
    method = service.last_check_method
    how = CHECK_HOW.get(method, "checked")
    checker = service.last_checked_by if show_names else None
    if checker is not None:
        sentence = f"Last checked on {day} by {checker.full_name or checker.email}, {how}."
    elif method == CheckMethod.CURATOR_VERIFIED:
        sentence = f"Last checked on {day} by a curator, who verified it."
    elif method == CheckMethod.PROVIDER_CONFIRMED:
        sentence = f"Last checked on {day} by the provider, who confirmed it."
    else:
        sentence = f"Last checked on {day}: {how}."
    age = now - checked_at
    return Freshness(checked_at, sentence, age > STALE_AFTER, age >= DUE_AFTER)


# The public page ------------------------------------------------------------------------------------

@dataclass
class ServicePage:
    service: Service
    freshness: Freshness
    terms_by_vocabulary: list = field(default_factory=list)
    areas_by_kind: list = field(default_factory=list)
    locations: list = field(default_factory=list)
    schedules_by_day: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    funding: list = field(default_factory=list)
    relationships: list = field(default_factory=list)
    settings: list = field(default_factory=list)
    routes: list = field(default_factory=list)
    ages: str = ""


def ages_text(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return f"{low} to {high}" if low != high else f"{low} only"
    if low is not None:
        return f"{low} and over"
    if high is not None:
        return f"Up to {high}"
    return "Any age"


def service_settings(service: Service) -> list[str]:
    return [label for flag, label in (
        ("in_custody", "In custody (in prison)"),
        ("in_community", "In the community"),
        ("through_the_gate", "Through the gate, from prison into the community"),
    ) if getattr(service, flag)]


def service_routes(service: Service) -> list[str]:
    return [label for flag, label in (
        ("self_referral", "People can refer themselves"),
        ("agency_referral", "Any agency can refer"),
        ("statutory_referral_only", "Statutory referral only (by probation, a prison or a court)"),
    ) if getattr(service, flag)]


def schedules_by_day(schedules, *, today: date | None = None) -> list[tuple[str, list[Schedule]]]:
    """[(weekday name, schedules that day by time)], leaving out times that no longer apply."""
    today = today or timezone.localdate()
    labels = dict(WEEKDAYS)
    days: dict[str, list[Schedule]] = defaultdict(list)
    for schedule in schedules:
        if schedule.valid_to is not None and schedule.valid_to < today:
            continue
        days[schedule.weekday].append(schedule)
    return [
        (labels[day], sorted(days[day], key=lambda s: (s.opens_at, s.closes_at)))
        for day in sorted(days, key=WEEKDAY_ORDER.get)
    ]


def service_with_records(queryset: QuerySet[Service] | None = None) -> QuerySet[Service]:
    """Services with everything their page reads, in a fixed number of queries."""
    queryset = queryset if queryset is not None else Service.objects.all()
    return queryset.select_related("organisation__type", "last_checked_by").prefetch_related(
        "terms__vocabulary",
        "areas",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__prison").order_by("location__name"),
        ),
        Prefetch("schedules", queryset=Schedule.objects.select_related("service_at_location__location")),
        "contacts",
        Prefetch("funding", queryset=Funding.objects.select_related("funder").order_by("kind", "pk")),
        Prefetch(
            "statutory_relationships",
            queryset=StatutoryRelationship.objects.select_related("statutory_body").order_by("statutory_body__name"),
        ),
    )


def service_page(*, service: Service, show_names: bool) -> ServicePage:
    """What a service's page shows, grouped for reading."""
    service = service_with_records().get(pk=service.pk)
    terms = defaultdict(list)
    vocabularies = {}
    for term in service.terms.all():
        vocabularies[term.vocabulary_id] = term.vocabulary
        terms[term.vocabulary_id].append(term)
    ordered_vocabularies = sorted(vocabularies.values(), key=lambda v: (v.position, v.name))
    return ServicePage(
        service=service,
        freshness=freshness_of(service, show_names=show_names),
        terms_by_vocabulary=[(vocabulary.name, terms[vocabulary.pk]) for vocabulary in ordered_vocabularies],
        areas_by_kind=areas_by_kind(places=service.areas.all()),
        locations=[sal.location for sal in service.service_at_locations.all()],
        schedules_by_day=schedules_by_day(service.schedules.all()),
        contacts=list(service.contacts.all()),
        funding=list(service.funding.all()),
        relationships=list(service.statutory_relationships.all()),
        settings=service_settings(service),
        routes=service_routes(service),
        ages=ages_text(service),
    )


def service_related_records(*, service: Service) -> dict:
    """Everything linked to a service, for the provider's page that manages them (nothing left out)."""
    service = service_with_records().get(pk=service.pk)
    return {
        "service_at_locations": list(service.service_at_locations.all()),
        "schedules": sorted(
            service.schedules.all(), key=lambda s: (WEEKDAY_ORDER[s.weekday], s.opens_at, s.closes_at)
        ),
        "contacts": list(service.contacts.all()),
        "funding": list(service.funding.all()),
        "relationships": list(service.statutory_relationships.all()),
    }


# The provider's list --------------------------------------------------------------------------------

def services_for_provider(*, organisation) -> QuerySet[Service]:
    """The organisation's services by name, with how many change requests wait for a decision."""
    return (
        Service.objects.filter(organisation=organisation)
        .select_related("last_checked_by", "organisation")
        .annotate(open_requests=Count("change_requests", filter=Q(change_requests__status=ChangeRequestStatus.OPEN)))
        .order_by("name", "pk")
    )


# Versions ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Difference:
    label: str
    is_list: bool
    before: str = ""
    after: str = ""
    added: tuple = ()
    removed: tuple = ()


def _readable(name: str, value) -> str:
    if value is None or value == "" or value == []:
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name in CHOICE_LABELS:
        return CHOICE_LABELS[name].get(value, str(value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def version_differences(changes: dict, *, created: bool = False, term_names: dict | None = None) -> list[Difference]:
    """A version's ``changes`` ({field: [before, after]}) as readable rows, lists as added and removed items.

    For the first version (``created``) only what the record said is shown, leaving out what was not given.
    Taxonomy terms are kept by code in versions and shown by name when ``term_names`` knows them.
    """
    term_names = term_names or {}
    order = {name: position for position, name in enumerate(FIELD_LABELS)}
    rows = []
    for name in sorted(changes, key=lambda n: (order.get(n, len(order)), n)):
        before, after = changes[name]
        if name == "terms":
            before = [term_names.get(code, code) for code in before or []]
            after = [term_names.get(code, code) for code in after or []]
        if created and (after in (None, "", [], False)):
            continue
        if isinstance(before, list) or isinstance(after, list):
            before_items, after_items = list(before or []), list(after or [])
            if name == "languages" or not (before_items or after_items):
                rows.append(Difference(field_label(name), False, _readable(name, before), _readable(name, after)))
                continue
            rows.append(Difference(
                field_label(name), True,
                added=tuple(item for item in after_items if item not in before_items),
                removed=tuple(item for item in before_items if item not in after_items),
            ))
        else:
            rows.append(Difference(field_label(name), False, _readable(name, before), _readable(name, after)))
    return rows


@dataclass(frozen=True)
class VersionView:
    version: ServiceVersion
    differences: list
    created: bool


def service_versions(*, service: Service) -> list[VersionView]:
    """Every version of the service, newest first, with what changed."""
    versions = list(ServiceVersion.objects.filter(service=service).select_related("created_by").order_by("-number"))
    codes = {
        code for version in versions for side in version.changes.get("terms", [[], []]) for code in side or []
    }
    term_names = dict(Term.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        VersionView(
            version,
            version_differences(version.changes, created=version.number == 1, term_names=term_names),
            version.number == 1,
        )
        for version in versions
    ]


# Change requests --------------------------------------------------------------------------------------

def change_requests_open(*, organisation=None) -> QuerySet[ChangeRequest]:
    """Requests waiting for a decision, oldest first: for one provider, or every provider (curators)."""
    requests = ChangeRequest.objects.filter(status=ChangeRequestStatus.OPEN).select_related("service__organisation")
    if organisation is not None:
        requests = requests.filter(service__organisation=organisation)
    return requests.order_by("created_at", "pk")


def change_requests_decided(*, organisation=None, limit: int = 20) -> list[ChangeRequest]:
    requests = ChangeRequest.objects.exclude(status=ChangeRequestStatus.OPEN).select_related(
        "service__organisation", "decided_by"
    )
    if organisation is not None:
        requests = requests.filter(service__organisation=organisation)
    return list(requests.order_by("-decided_at", "-pk")[:limit])


@dataclass(frozen=True)
class Suggestion:
    name: str
    label: str
    current: str
    suggested: str


def change_request_suggestions(*, change_request: ChangeRequest) -> list[Suggestion]:
    """Each suggested change beside what the record says now."""
    service = change_request.service
    return [
        Suggestion(name, field_label(name), _readable(name, getattr(service, name)), _readable(name, value))
        for name, value in change_request.suggested_changes.items()
    ]
