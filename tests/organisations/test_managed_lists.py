"""Curators keep the managed lists: places, types of organisation and roles. Retired, never deleted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathways.audit.models import AuditEntry
from pathways.core.errors import DomainError
from pathways.organisations import managed_lists as lists
from pathways.organisations.capabilities import Cap
from pathways.organisations.models import Membership, OrganisationType, Place, PlaceKind, Role
from pathways.organisations.permissions import can_curate, has_capability
from pathways.organisations.services import invitation_send
from tests.factories import OrganisationFactory, PlaceFactory, member, org_type, role


def _entries(target):
    return AuditEntry.objects.filter(target_type__model=target._meta.model_name, target_id=str(target.pk))


# Places -------------------------------------------------------------------------------------------

def test_given_a_curator_when_they_add_a_place_then_it_is_saved_and_audited(curator, infrastructure_body):
    region = lists.place_create(kind=PlaceKind.PROBATION_REGION, name=" West  Yorkshire ", by=curator)
    unit = lists.place_create(
        kind=PlaceKind.DELIVERY_UNIT, name="Leeds", code="pdu-leeds", parent=region, by=curator,
        acting_for=infrastructure_body,
    )
    assert (region.name, unit.code, unit.parent) == ("West Yorkshire", "PDU-LEEDS", region)
    entry = _entries(unit).get()
    assert (entry.action, entry.actor, entry.acting_for) == ("created", curator, infrastructure_body)
    assert entry.changes["parent"] == [None, "West Yorkshire"]


def test_a_place_name_must_be_new_within_its_kind(curator):
    PlaceFactory(kind=PlaceKind.PRISON, name="HMP Leeds")
    with pytest.raises(DomainError) as refused:
        lists.place_create(kind=PlaceKind.PRISON, name="hmp LEEDS", by=curator)
    assert refused.value.field == "name"
    assert lists.place_create(kind=PlaceKind.LOCAL_AUTHORITY, name="HMP Leeds", by=curator).pk


def test_an_unknown_kind_of_place_is_refused(curator):
    with pytest.raises(DomainError) as refused:
        lists.place_create(kind="county", name="Yorkshire", by=curator)
    assert refused.value.field == "kind"


def test_a_place_cannot_be_part_of_itself_or_of_a_place_within_it(curator):
    region = PlaceFactory(kind=PlaceKind.REGION, name="Yorkshire and the Humber")
    area = PlaceFactory(kind=PlaceKind.PROBATION_REGION, name="West Yorkshire", parent=region)
    for parent in (region, area):
        with pytest.raises(DomainError) as refused:
            lists.place_update(place=region, name=region.name, parent=parent, by=curator)
        assert refused.value.field == "parent"


def test_a_new_place_cannot_be_put_in_a_retired_one_but_an_existing_link_survives(curator):
    old = PlaceFactory(kind=PlaceKind.PROBATION_REGION, name="Humberside")
    unit = PlaceFactory(kind=PlaceKind.DELIVERY_UNIT, name="Hull", parent=old)
    lists.place_retire(place=old, reason="Became part of Yorkshire and the Humber.", by=curator)
    with pytest.raises(DomainError, match="has been retired"):
        lists.place_create(kind=PlaceKind.DELIVERY_UNIT, name="Grimsby", parent=old, by=curator)
    lists.place_update(place=unit, name="Hull and East Riding", parent=old, by=curator)
    assert Place.objects.get(pk=unit.pk).parent == old
    assert old in lists.place_parent_choices(place=unit)
    assert old not in lists.place_parent_choices()


def test_given_a_place_when_it_is_changed_then_its_kind_stays_and_the_change_is_audited(curator):
    place = PlaceFactory(kind=PlaceKind.LOCAL_AUTHORITY, name="Kirklees")
    lists.place_update(place=place, name="Kirklees", code="E08000034", by=curator)
    place.refresh_from_db()
    assert (place.kind, place.code) == (PlaceKind.LOCAL_AUTHORITY, "E08000034")
    assert _entries(place).get().changes == {"code": ["", "E08000034"]}


def test_given_a_place_when_it_is_retired_then_organisations_keep_it_and_new_lists_leave_it_out(curator, charity):
    place = PlaceFactory(kind=PlaceKind.LOCAL_AUTHORITY, name="Kirklees")
    charity.areas.add(place)
    lists.place_retire(place=place, reason="Merged.", by=curator)
    place.refresh_from_db()
    assert place.is_retired and list(charity.areas.all()) == [place]
    assert place not in lists.place_list() and place in lists.place_list(include_retired=True)
    assert _entries(place).get().reason == "Merged."
    lists.place_reinstate(place=place, by=curator)
    assert place in lists.place_list()


def test_places_by_kind_puts_current_places_first(curator):
    closed = PlaceFactory(kind=PlaceKind.PRISON, name="HMP Askham Grange")
    PlaceFactory(kind=PlaceKind.PRISON, name="HMP Wealstun")
    lists.place_retire(place=closed, reason="Closed.", by=curator)
    [(kind, places)] = lists.places_by_kind(kind=PlaceKind.PRISON)
    assert kind == PlaceKind.PRISON
    assert [p.name for p in places] == ["HMP Wealstun", "HMP Askham Grange"]
    counts = {row["kind"]: (row["current"], row["retired"]) for row in lists.place_counts_by_kind()}
    assert counts[PlaceKind.PRISON] == (1, 1) and counts[PlaceKind.REGION] == (0, 0)


# Types of organisation ----------------------------------------------------------------------------

def test_given_a_curator_when_they_add_a_type_then_its_code_comes_from_the_name(curator):
    board = lists.organisation_type_create(name="Integrated care board", can_commission=True, by=curator)
    assert (board.code, board.can_commission, board.can_curate) == ("integrated-care-board", True, False)
    assert board.position > org_type("infrastructure-body").position
    assert _entries(board).get().changes["code"] == [None, "integrated-care-board"]


def test_a_type_whose_name_makes_a_taken_code_gets_a_numbered_code(curator):
    OrganisationType.objects.filter(code="charity").update(name="Registered charity")
    assert lists.organisation_type_create(name="Charity", by=curator).code == "charity-2"


def test_a_type_name_already_used_is_refused(curator):
    with pytest.raises(DomainError) as refused:
        lists.organisation_type_create(name="prison", by=curator)
    assert refused.value.field == "name"


def test_renaming_a_type_keeps_its_code(curator):
    pcc = org_type("pcc")
    lists.organisation_type_update(
        organisation_type=pcc, name="Police, fire and crime commissioner", description="", is_voluntary_sector=False,
        can_commission=True, can_curate=False, can_act_as_agency=False, by=curator,
    )
    pcc.refresh_from_db()
    assert (pcc.code, pcc.name) == ("pcc", "Police, fire and crime commissioner")
    assert _entries(pcc).get().changes == {
        "name": ["Police and Crime Commissioner", "Police, fire and crime commissioner"]
    }


def test_curating_cannot_be_taken_from_the_last_type_that_has_curators(curator):
    body = org_type("infrastructure-body")
    flags = dict(is_voluntary_sector=False, can_commission=False, can_act_as_agency=True)
    with pytest.raises(DomainError) as refused:
        lists.organisation_type_update(
            organisation_type=body, name=body.name, description="", can_curate=False, by=curator, **flags
        )
    assert refused.value.field == "can_curate"
    # Once curators work elsewhere too, it can.
    council = lists.organisation_type_create(name="Council for voluntary service", can_curate=True, by=curator)
    member("curator", OrganisationFactory(type=council))
    lists.organisation_type_update(
        organisation_type=body, name=body.name, description="", can_curate=False, by=curator, **flags
    )
    assert not OrganisationType.objects.get(code="infrastructure-body").can_curate


def test_given_a_retired_type_then_its_organisations_keep_it(curator, charity):
    lists.organisation_type_retire(organisation_type=org_type("charity"), reason="Split in two.", by=curator)
    charity.refresh_from_db()
    assert charity.type.code == "charity" and charity.type.is_retired
    assert charity.type not in lists.organisation_type_list()
    lists.organisation_type_reinstate(organisation_type=charity.type, by=curator)
    assert charity.type in lists.organisation_type_list()


# Roles --------------------------------------------------------------------------------------------

def test_given_a_curator_when_they_add_a_role_then_it_has_the_capabilities_chosen(curator):
    coordinator = lists.role_create(
        name="Peer mentor coordinator", description="Matches mentors.",
        capabilities=["record-contacts", "view-audit-trail"], by=curator,
    )
    assert coordinator.code == "peer-mentor-coordinator"
    assert set(coordinator.capabilities.values_list("code", flat=True)) == {"record-contacts", "view-audit-trail"}
    assert _entries(coordinator).get().changes["capabilities"] == [None, ["record-contacts", "view-audit-trail"]]


def test_a_capability_that_does_not_exist_is_refused(curator):
    with pytest.raises(DomainError) as refused:
        lists.role_create(name="Superuser", capabilities=["everything"], by=curator)
    assert refused.value.field == "capabilities"
    assert not Role.objects.filter(name="Superuser").exists()


def test_changing_a_roles_capabilities_changes_what_its_members_can_do_and_keeps_its_code(curator, charity):
    volunteer = member("volunteer", charity)
    lists.role_update(
        role=role("volunteer"), name="Volunteer or peer mentor", description="", capabilities=["record-casework"],
        by=curator,
    )
    assert Role.objects.get(code="volunteer").capabilities.get().code == "record-casework"
    assert _entries(role("volunteer")).get().changes["capabilities"] == [["record-contacts"], ["record-casework"]]
    fresh = type(volunteer).objects.get(pk=volunteer.pk)
    assert has_capability(fresh, Cap.RECORD_CASEWORK, charity)


def test_curating_cannot_be_taken_from_the_only_role_that_curates(curator):
    curator_role = role("curator")
    with pytest.raises(DomainError) as refused:
        lists.role_update(role=curator_role, name=curator_role.name, description="", capabilities=[], by=curator)
    assert refused.value.field == "capabilities"
    assert can_curate(type(curator).objects.get(pk=curator.pk))


def test_given_a_retired_role_then_members_keep_it_and_it_is_not_offered_for_invitations(curator, charity, manager):
    worker = member("volunteer", charity)
    lists.role_retire(role=role("volunteer"), reason="Now called peer mentor.", by=curator)
    assert Membership.objects.get(user=worker).role.code == "volunteer"
    assert role("volunteer") not in lists.role_list()
    assert role("volunteer") in lists.role_list(include_retired=True)
    with pytest.raises(DomainError, match="retired"):
        invitation_send(organisation=charity, email="new@example.org", role=role("volunteer"), by=manager)
    lists.role_reinstate(role=role("volunteer"), by=curator)
    assert role("volunteer") in lists.role_list()


def test_retiring_needs_a_reason_and_reinstating_needs_a_retired_entry(curator):
    with pytest.raises(DomainError) as refused:
        lists.role_retire(role=role("evaluator"), reason="  ", by=curator)
    assert refused.value.field == "reason"
    with pytest.raises(DomainError, match="is not retired"):
        lists.role_reinstate(role=role("evaluator"), by=curator)
    lists.role_retire(role=role("evaluator"), reason="Unused.", by=curator)
    with pytest.raises(DomainError, match="already retired"):
        lists.role_retire(role=role("evaluator"), reason="Again.", by=curator)
    entry = _entries(role("evaluator")).get()
    assert (entry.action, entry.reason, entry.changes) == ("changed", "Unused.", {"retired": [False, True]})


# Only curators ------------------------------------------------------------------------------------

@pytest.mark.parametrize("person", ["manager", "worker", "other_manager"])
def test_people_who_are_not_curators_cannot_change_any_list(db, request, person):
    user = request.getfixturevalue(person)
    place = PlaceFactory()
    attempts = [
        lambda: lists.place_create(kind=PlaceKind.PRISON, name="HMP New", by=user),
        lambda: lists.place_update(place=place, name="Renamed", by=user),
        lambda: lists.place_retire(place=place, reason="No.", by=user),
        lambda: lists.place_reinstate(place=place, by=user),
        lambda: lists.organisation_type_create(name="Guild", by=user),
        lambda: lists.organisation_type_update(
            organisation_type=org_type("charity"), name="Renamed", description="", is_voluntary_sector=True,
            can_commission=True, can_curate=True, can_act_as_agency=True, by=user,
        ),
        lambda: lists.organisation_type_retire(organisation_type=org_type("charity"), reason="No.", by=user),
        lambda: lists.organisation_type_reinstate(organisation_type=org_type("charity"), by=user),
        lambda: lists.role_create(name="Boss", capabilities=["curate"], by=user),
        lambda: lists.role_update(role=role("manager"), name="Boss", description="", capabilities=["curate"], by=user),
        lambda: lists.role_retire(role=role("manager"), reason="No.", by=user),
        lambda: lists.role_reinstate(role=role("manager"), by=user),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    place.refresh_from_db()
    assert place.name != "Renamed" and not place.is_retired
    assert org_type("charity").name == "Voluntary organisation or charity" and not org_type("charity").can_curate
    assert role("manager").name == "Manager" and not role("manager").capabilities.filter(code="curate").exists()
    assert not AuditEntry.objects.filter(target_type__model__in=["place", "organisationtype", "role"]).exists()


def test_fetching_an_entry_to_change_it_is_404_for_anyone_but_a_curator(manager, curator):
    place = PlaceFactory()
    assert lists.place_get_for_user(user=curator, place_id=place.pk) == place
    assert lists.role_get_for_user(user=curator, code="manager").code == "manager"
    assert lists.organisation_type_get_for_user(user=curator, code="pcc").code == "pcc"
    for fetch in (
        lambda user: lists.place_get_for_user(user=user, place_id=place.pk),
        lambda user: lists.role_get_for_user(user=user, code="manager"),
        lambda user: lists.organisation_type_get_for_user(user=user, code="pcc"),
    ):
        with pytest.raises(Http404):
            fetch(manager)
    with pytest.raises(Http404):
        lists.place_get_for_user(user=curator, place_id=place.pk + 1000)
