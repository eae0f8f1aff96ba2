"""Reads for the spreadsheet import: the names a row may use, and the records it would change."""

from collections import defaultdict

from django.db.models import Prefetch
from django.db.models.functions import Lower

from pathways.organisations.models import Organisation, OrganisationType, Place
from pathways.taxonomy.models import Term

from ..models import Funding, Location, PostcodeArea, Schedule, Service, ServiceAtLocation
from ..services.spreadsheet_columns import FUNDING_KINDS, GENDERS, VOCABULARY_COLUMNS, label_of

# The type given to an organisation a curator's import adds.
NEW_ORGANISATION_TYPE = "charity"


def terms_by_column() -> dict[str, dict[str, Term]]:
    """For each taxonomy column, the current terms by lower-case name and by code."""
    lookup: dict[str, dict[str, Term]] = {}
    for column, vocabulary in VOCABULARY_COLUMNS.items():
        terms = Term.objects.current().filter(vocabulary__code=vocabulary)
        found: dict[str, Term] = {}
        for term in terms:
            found[term.name.lower()] = term
            found[term.code.lower()] = term
        lookup[column] = found
    return lookup


def term_names_by_column() -> dict[str, list[str]]:
    """The names each taxonomy column takes, in the taxonomy's order (for the template's Lists)."""
    return {
        column: list(Term.objects.current().filter(vocabulary__code=vocabulary).values_list("name", flat=True))
        for column, vocabulary in VOCABULARY_COLUMNS.items()
    }


def places_for_import() -> list[Place]:
    return list(Place.objects.filter(retired_at__isnull=True).order_by("kind", "name"))


def place_names_shared(places) -> set[str]:
    """Lower-case names that more than one place has ("Leeds" the local authority and the delivery unit)."""
    counts: dict[str, int] = defaultdict(int)
    for place in places:
        counts[place.name.lower()] += 1
    return {name for name, count in counts.items() if count > 1}


def organisations_by_name(names) -> dict[str, list[Organisation]]:
    """{lower-case name: organisations with that name} for the names given."""
    found: dict[str, list[Organisation]] = defaultdict(list)
    names = sorted({name.lower() for name in names if name})
    for start in range(0, len(names), 500):
        chunk = names[start:start + 500]
        for organisation in (
            Organisation.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=chunk)
            .select_related("type").order_by("pk")
        ):
            found[organisation.lower_name].append(organisation)
    return found


def new_organisation_type() -> OrganisationType | None:
    return OrganisationType.objects.filter(code=NEW_ORGANISATION_TYPE, retired_at__isnull=True).first()


def services_by_external_id(external_ids) -> dict[str, Service]:
    """The services with these external ids, with everything a row compares already read."""
    services = (
        Service.objects.filter(external_id__in=list(external_ids))
        .select_related("organisation")
        .prefetch_related(
            "terms__vocabulary",
            "areas",
            Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
            Prefetch("schedules", queryset=Schedule.objects.order_by("weekday", "opens_at")),
            "contacts",
            Prefetch("funding", queryset=Funding.objects.select_related("funder").order_by("pk")),
        )
    )
    return {service.external_id: service for service in services}


def locations_of(organisation_ids) -> list[Location]:
    return list(Location.objects.filter(organisation_id__in=list(organisation_ids)).order_by("pk"))


def postcode_position(postcode: str) -> tuple[float, float] | None:
    """Latitude and longitude of a postcode, or of its district if the full postcode is not known."""
    if not postcode:
        return None
    compact = postcode.replace(" ", "").upper()
    area = PostcodeArea.objects.filter(code__in=[compact, compact[:-3]]).order_by("-code").first()
    # The full postcode is the longer code, so it comes first when both are known.
    return (area.latitude, area.longitude) if area is not None else None


def services_at_locations(location_ids) -> list[int]:
    return list(
        ServiceAtLocation.objects.filter(location_id__in=list(location_ids)).values_list("service_id", flat=True)
    )


def place_label(place: Place, shared_names: set[str]) -> str:
    """A place's name, with its kind where another place has the same name: 'Leeds (Local authority)'."""
    if place.name.lower() in shared_names:
        return f"{place.name} ({place.get_kind_display()})"
    return place.name


def import_template_lists(*, organisations) -> dict[str, list[str]]:
    """The Lists sheet of the template: the names each column takes."""
    places = places_for_import()
    shared = place_names_shared(places)
    lists = {label_of(column): names for column, names in term_names_by_column().items()}
    lists[label_of("areas")] = [place_label(place, shared) for place in places]
    lists[label_of("organisation")] = [organisation.name for organisation in organisations]
    lists[label_of("gender")] = list(GENDERS)
    lists[label_of("funding_kind")] = list(FUNDING_KINDS)
    return lists
