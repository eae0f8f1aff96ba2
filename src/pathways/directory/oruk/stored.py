"""The services an import already has, loaded for comparison in a fixed number of plain queries.

A re-import compares each incoming record with what is stored, by serialising the stored service the
way the API does and reading it back. Prefetching model instances for a thousand services at a time
costs more than the rest of the import; this loads the same data with ``values()`` into instances made
without ``__init__`` and fills the caches that ``prefetch_related`` would, so serialising them asks the
database nothing more.
"""

from collections.abc import Iterable

from pathways.organisations.models import Organisation, Place
from pathways.taxonomy.models import Term

from ..models import Contact, Location, Schedule, Service, ServiceAtLocation
from .rows import bare


def _attnames(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


class StoredServices:
    """Loads stored services by feed id (their uuid or external id), batch by batch."""

    def __init__(self):
        self.terms = {term.pk: term for term in Term.objects.select_related("vocabulary", "parent")}
        self.places = {place.pk: place for place in Place.objects.all()}

    def load(self, pks: Iterable[int]) -> dict[str, Service]:
        """The services with these primary keys, by their uuid and by their external id."""
        services = {}
        for row in Service.objects.filter(pk__in=list(pks)).order_by().values(*_attnames(Service)):
            services[row["id"]] = bare(Service, row)
        if not services:
            return {}
        pks = list(services)
        organisations = Organisation.objects.in_bulk({s.organisation_id for s in services.values()})
        sal_rows = list(
            ServiceAtLocation.objects.filter(service_id__in=pks).order_by("pk").values(*_attnames(ServiceAtLocation))
        )
        locations = {
            row["id"]: bare(Location, row, {"prison": self.places.get(row["prison_id"])} if row["prison_id"] else None)
            for row in Location.objects.filter(pk__in={row["location_id"] for row in sal_rows}).values(*_attnames(Location))
        }
        parts = {pk: {"service_at_locations": [], "schedules": [], "contacts": [], "terms": [], "areas": []} for pk in pks}
        for row in sal_rows:
            parts[row["service_id"]]["service_at_locations"].append(
                bare(ServiceAtLocation, row, {"location": locations[row["location_id"]]})
            )
        for row in Schedule.objects.filter(service_id__in=pks).order_by("weekday", "opens_at", "pk").values(
            *_attnames(Schedule)
        ):
            parts[row["service_id"]]["schedules"].append(bare(Schedule, row))
        for row in Contact.objects.filter(service_id__in=pks).order_by("pk").values(*_attnames(Contact)):
            parts[row["service_id"]]["contacts"].append(bare(Contact, row))
        for service_id, term_id in Service.terms.through.objects.filter(service_id__in=pks).values_list(
            "service_id", "term_id"
        ):
            parts[service_id]["terms"].append(self.terms[term_id])
        for service_id, place_id in Service.areas.through.objects.filter(service_id__in=pks).values_list(
            "service_id", "place_id"
        ):
            parts[service_id]["areas"].append(self.places[place_id])
        found = {}
        for pk, service in services.items():
            service._state.fields_cache["organisation"] = organisations[service.organisation_id]
            service._prefetched_objects_cache = parts[pk]
            found[str(service.uuid)] = service
            if service.external_id:
                found.setdefault(service.external_id, service)
        return found
