"""The demo region's knowledge base: every pathway and probation area has services, with gaps left."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pathways.demo.region import demo_load
from pathways.directory.models import STALE_AFTER, Publication, Service, ServiceSearchDocument
from pathways.organisations.models import Place, PlaceKind
from pathways.taxonomy.models import Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return demo_load()


def _published():
    return Service.objects.filter(publication=Publication.PUBLISHED)


def test_every_pathway_has_a_published_service(demo):
    pathways = Term.objects.filter(vocabulary__code="pathways").current()
    missing = [term.name for term in pathways if not _published().filter(terms=term).exists()]
    assert missing == []


def _served_in(area: Place):
    """Published services serving the area or a place within it."""
    places = {area.pk} | set(Place.objects.filter(parent=area).values_list("pk", flat=True))
    region = area.parent
    return _published().filter(areas__pk__in=places | {region.pk}).distinct()


def test_every_probation_area_is_served_but_not_every_pathway_everywhere(demo):
    pathways = Term.objects.filter(vocabulary__code="pathways").current()
    gaps = []
    for area in Place.objects.filter(kind=PlaceKind.PROBATION_REGION):
        assert _served_in(area).exists(), area.name
        gaps += [(area.name, term.code) for term in pathways if not _served_in(area).filter(terms=term).exists()]
    assert gaps, "the provision map should have gaps to show"


def test_only_published_services_are_in_search_and_drafts_and_withdrawn_records_exist(demo):
    assert Service.objects.filter(publication=Publication.DRAFT).exists()
    assert Service.objects.filter(publication=Publication.WITHDRAWN).exists()
    assert ServiceSearchDocument.objects.count() == _published().count() > 30
    assert ServiceSearchDocument.objects.filter(has_drop_in=True).exists()


def test_some_records_are_stale_or_nearly_so_and_the_rest_are_fresh(demo):
    now = timezone.now()
    stale = _published().filter(last_checked_at__lt=now - STALE_AFTER)
    nearly = _published().filter(last_checked_at__lt=now - timedelta(days=300), last_checked_at__gte=now - STALE_AFTER)
    assert stale.exists() and nearly.exists()
    assert _published().filter(last_checked_at__gte=now - timedelta(days=300)).count() > stale.count() + nearly.count()


def test_each_service_has_a_stable_external_id_funding_or_relationships_and_a_located_place(demo):
    services = _published()
    assert services.filter(external_id__startswith="demo-").count() == services.count()
    assert services.filter(funding__isnull=False).distinct().count() > services.count() // 2
    assert services.filter(statutory_relationships__basis="contract").exists()
    assert services.filter(search_points__isnull=False).distinct().count() > services.count() // 2
