"""`pathways generate_directory`: a realistic synthetic directory, the same for the same seed."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from pathways.directory.management.commands.generate_directory import directory_generate
from pathways.directory.models import (
    STALE_AFTER,
    Attendance,
    Location,
    PostcodeArea,
    Publication,
    Schedule,
    Service,
    ServiceSearchDocument,
)
from pathways.directory.selectors.search import service_search
from pathways.organisations.models import Organisation, Place


def snapshot() -> list[tuple]:
    return sorted(
        (str(s.uuid), s.name, s.organisation.name, s.publication, tuple(sorted(s.terms.values_list("code", flat=True))),
         tuple(sorted(s.areas.values_list("name", flat=True))),
         tuple(sorted(s.service_at_locations.values_list("location__postcode", flat=True))))
        for s in Service.objects.select_related("organisation")
    )


def test_the_same_seed_gives_the_same_directory_and_another_seed_another(db):
    runs = []
    for seed in (5, 5, 6):
        with transaction.atomic():
            directory_generate(services=40, seed=seed)
            runs.append(snapshot())
            transaction.set_rollback(True)
    assert len(runs[0]) == 40
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_a_generated_directory_is_realistic_and_searchable(db):
    counts = directory_generate(services=300, seed=11)
    services = Service.objects.all()
    assert counts["services"] == services.count() == 300
    assert counts["organisations"] == Organisation.objects.filter(slug__startswith="generated-11-").count()
    published = services.filter(publication=Publication.PUBLISHED)
    assert ServiceSearchDocument.objects.count() == published.count() == counts["published"]
    assert 250 < published.count() < 300  # a few drafts
    # Every pathway, many categories and client groups, several regions and prisons.
    codes = set(Service.terms.through.objects.values_list("term__code", flat=True))
    assert {code for code in codes if code.startswith("pathway-")} >= {"pathway-accommodation", "pathway-ete",
                                                                        "pathway-health", "pathway-finance"}
    assert len([code for code in codes if code.startswith("category-")]) >= 10
    assert Place.objects.filter(kind="prison", services__isnull=False).distinct().count() >= 5
    # Some stale records, some drop-ins; locations in real postcode districts.
    from django.utils import timezone

    assert services.filter(last_checked_at__lt=timezone.now() - STALE_AFTER).count() > 10
    assert Schedule.objects.filter(attendance=Attendance.DROP_IN).exists()
    district = Location.objects.first().postcode.split()[0]
    assert PostcodeArea.objects.filter(code=district).exists()
    # Search finds them, with facet counts and distances.
    results = service_search(text="housing", facets={"pathway": ["pathway-accommodation"]})
    assert results.total > 0 and results.facet_counts["pathway"]
    near = service_search(near=(53.80, -1.55), radius_miles=30, order="distance")
    assert all(hit.distance_miles <= 30 for hit in near.hits)


def test_the_same_seed_twice_in_one_database_is_refused(db):
    directory_generate(services=5, seed=2)
    with pytest.raises(CommandError, match="already generated with seed 2"):
        directory_generate(services=5, seed=2)


def test_the_command_says_what_it_made(db, capsys):
    call_command("generate_directory", "--services", "20", "--seed", "3")
    assert "Generated 20 services" in capsys.readouterr().out
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_directory", "--services", "0")
