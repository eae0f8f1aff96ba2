"""The demo region as loaded: places, organisations of every type, people in every role."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.test import RequestFactory

from pathways.audit.models import AuditEntry
from pathways.demo.region import DEMO_PASSWORD, demo_load, demo_sign_ins
from pathways.organisations.models import (
    Membership,
    Organisation,
    OrganisationType,
    Place,
    PlaceKind,
    Role,
    SizeBand,
    User,
)

pytestmark = pytest.mark.django_db

LANDS_ON = {
    "worker@example.org": ("front-line-worker", "Aire Valley Resettlement Trust"),
    "volunteer@example.org": ("volunteer", "Calder Lantern Project"),
    "manager@example.org": ("manager", "Aire Valley Resettlement Trust"),
    "commissioner@example.org": ("commissioner", "Yorkshire and the Humber Probation Region (demo)"),
    "agency@example.org": ("partnership-development-worker", "Ridings Voluntary Action"),
    "evaluator@example.org": ("evaluator", "Kestrel Moor Charitable Trust"),
    "curator@example.org": ("curator", "Ridings Voluntary Action"),
}


@pytest.fixture
def demo():
    return demo_load()


def test_given_an_empty_database_when_the_demo_loads_then_every_organisation_type_has_an_organisation(demo):
    used = set(Organisation.objects.values_list("type__code", flat=True))
    assert used == set(OrganisationType.objects.values_list("code", flat=True))


def test_every_role_has_someone_in_it(demo):
    used = set(Membership.objects.current().values_list("role__code", flat=True))
    assert used == set(Role.objects.values_list("code", flat=True))


def test_the_four_probation_areas_sit_in_the_region_with_their_delivery_units(demo):
    region = Place.objects.get(kind=PlaceKind.REGION, name="Yorkshire and the Humber")
    areas = Place.objects.filter(kind=PlaceKind.PROBATION_REGION)
    assert set(areas.values_list("name", flat=True)) == {
        "Humberside", "North Yorkshire", "South Yorkshire", "West Yorkshire"
    }
    assert all(area.parent == region for area in areas)
    for area in areas:
        assert area.children.filter(kind=PlaceKind.DELIVERY_UNIT).count() >= 3
    assert Place.objects.get(kind=PlaceKind.DELIVERY_UNIT, name="Bradford and Calderdale").parent.name == "West Yorkshire"


def test_the_case_study_prisons_are_places_and_organisations_linked_to_them(demo):
    for name in ("HMP Leeds", "HMP New Hall"):
        place = Place.objects.get(kind=PlaceKind.PRISON, name=name)
        assert place.parent.name == "West Yorkshire"
        organisation = Organisation.objects.get(name=name)
        assert organisation.type.code == "prison"
        assert list(organisation.areas.all()) == [place]


def test_every_prison_sits_in_a_probation_area(demo):
    prisons = Place.objects.filter(kind=PlaceKind.PRISON)
    assert prisons.count() == 13
    assert {prison.parent.kind for prison in prisons} == {PlaceKind.PROBATION_REGION}
    assert Place.objects.get(name="HMP Full Sutton").parent.name == "Humberside"
    assert Place.objects.get(name="HMP Askham Grange").parent.name == "North Yorkshire"


def test_local_authorities_carry_their_ons_codes(demo):
    assert Place.objects.get(kind=PlaceKind.LOCAL_AUTHORITY, name="Leeds").code == "E08000035"
    assert Place.objects.get(kind=PlaceKind.LOCAL_AUTHORITY, name="Kingston upon Hull").code == "E06000010"
    assert Place.objects.filter(kind=PlaceKind.LOCAL_AUTHORITY).exclude(code="").count() == 15


def test_an_organisations_areas_are_the_places_meant_even_where_names_are_shared(demo):
    pcc = Organisation.objects.get(type__code="pcc")
    assert {(a.kind, a.name) for a in pcc.areas.all()} == {
        (PlaceKind.PROBATION_REGION, "Humberside"), (PlaceKind.PROBATION_REGION, "North Yorkshire")
    }
    swaledale = Organisation.objects.get(name="Swaledale Peer Mentors")
    assert {a.kind for a in swaledale.areas.all()} == {PlaceKind.LOCAL_AUTHORITY}


def test_organisations_span_the_size_bands_with_several_small_and_micro(demo):
    bands = [o.size_band for o in Organisation.objects.exclude(annual_income=None)]
    assert bands.count(SizeBand.MICRO) >= 2
    assert bands.count(SizeBand.SMALL) >= 2
    assert {SizeBand.MEDIUM, SizeBand.LARGE, SizeBand.MAJOR} <= set(bands)


def test_the_demos_own_organisations_say_they_are_fictional(demo):
    registered = Organisation.objects.exclude(charity_number="", company_number="")
    assert registered.count() >= 5
    assert all("fictional" in organisation.description for organisation in registered)
    assert all(organisation.areas.exists() for organisation in Organisation.objects.all())


def test_each_organisation_created_is_in_the_audit_trail_as_done_by_pathways(demo):
    entries = AuditEntry.objects.filter(target_type__model="organisation")
    assert entries.count() == Organisation.objects.count()
    assert set(entries.values_list("actor_label", flat=True)) == {"Pathways (system)"}


def test_each_sign_in_has_its_role_and_signs_in_with_the_demo_password(demo):
    request = RequestFactory().post("/sign-in/")
    for email, (role_code, organisation) in LANDS_ON.items():
        user = User.objects.get(email=email)
        first = Membership.objects.current().filter(user=user).order_by("organisation_id").first()
        assert (first.role.code, first.organisation.name) == (role_code, organisation)
        assert authenticate(request, username=email, password=DEMO_PASSWORD) == user
        validate_password(DEMO_PASSWORD, user)


def test_someone_belongs_to_two_organisations_to_show_the_switcher(demo):
    worker = User.objects.get(email="worker@example.org")
    assert Membership.objects.current().filter(user=worker).values("organisation").distinct().count() == 2


def test_every_team_has_colleagues(demo):
    assert Membership.objects.filter(organisation__name="Aire Valley Resettlement Trust").count() >= 4
    assert User.objects.count() > len(LANDS_ON)


def test_the_sign_ins_list_one_per_role_with_the_home_each_lands_on(demo):
    sign_ins = demo_sign_ins()
    assert [s.email for s in sign_ins] == list(LANDS_ON)
    roles = {r.code: r.name for r in Role.objects.all()}
    for sign_in in sign_ins:
        role_code, organisation = LANDS_ON[sign_in.email]
        assert sign_in.role == roles[role_code]
        assert sign_in.home == f"{roles[role_code]} at {organisation}"
        assert sign_in.password == DEMO_PASSWORD


def test_without_the_demo_there_are_no_sign_ins():
    assert demo_sign_ins() == []
