"""A curator keeps places, types of organisation and roles from the pages."""

import re

from django.urls import reverse

from pathways.organisations import managed_lists
from pathways.organisations.models import OrganisationType, Place, PlaceKind, Role
from tests.factories import PlaceFactory


# Places -------------------------------------------------------------------------------------------

def test_a_curator_adds_a_delivery_unit_within_its_probation_region(client, curator):
    west = PlaceFactory(kind=PlaceKind.PROBATION_REGION, name="West Yorkshire")
    client.force_login(curator)
    form = client.get(reverse("taxonomy:place-add") + "?kind=delivery_unit").context["form"]
    assert form.initial["kind"] == "delivery_unit"
    assert ("Probation area or region", [(west.pk, "West Yorkshire")]) in form.fields["parent"].choices
    response = client.post(
        reverse("taxonomy:place-add"), {"kind": "delivery_unit", "name": "Leeds", "code": "", "parent": west.pk}
    )
    assert response["Location"] == reverse("taxonomy:places") + "?kind=delivery_unit"
    leeds = Place.objects.get(kind=PlaceKind.DELIVERY_UNIT, name="Leeds")
    assert leeds.parent == west


def test_a_duplicate_place_name_within_a_kind_is_refused_on_the_name_field(client, curator):
    PlaceFactory(kind=PlaceKind.PRISON, name="HMP Leeds")
    client.force_login(curator)
    response = client.post(reverse("taxonomy:place-add"), {"kind": "prison", "name": "hmp leeds", "code": "LEI"})
    assert response.context["form"].errors["name"] == [
        "There is already a prison called ‘HMP Leeds’. Choose another name."
    ]
    assert 'value="LEI"' in response.content.decode()
    # The same name is fine for another kind of place.
    client.post(reverse("taxonomy:place-add"), {"kind": "local_authority", "name": "HMP Leeds"})
    assert Place.objects.filter(name__iexact="hmp leeds").count() == 2


def test_the_places_page_lists_one_kind_with_retired_places_tagged(client, curator):
    PlaceFactory(kind=PlaceKind.PRISON, name="HMP Wealstun")
    closed = PlaceFactory(kind=PlaceKind.PRISON, name="HMP Askham Grange")
    PlaceFactory(kind=PlaceKind.LOCAL_AUTHORITY, name="Kirklees")
    managed_lists.place_retire(place=closed, reason="Closed in 2025.", by=curator)
    client.force_login(curator)
    response = client.get(reverse("taxonomy:places") + "?kind=prison")
    [(plural, places)] = response.context["groups"]
    assert plural == "Prisons"
    assert [p.name for p in places] == ["HMP Wealstun", "HMP Askham Grange"]
    html = response.content.decode()
    assert "Kirklees" not in html
    assert '<strong class="govuk-tag govuk-tag--grey">Retired</strong>' in html
    everything = client.get(reverse("taxonomy:places"))
    assert [plural for plural, _ in everything.context["groups"]][-2:] == ["Local authorities", "Prisons"]


def test_a_curator_changes_retires_and_reinstates_a_place(client, curator):
    place = PlaceFactory(kind=PlaceKind.LOCAL_AUTHORITY, name="Kirklees")
    client.force_login(curator)
    client.post(reverse("taxonomy:place-edit", args=[place.pk]), {"name": "Kirklees Council", "code": "e08000034"})
    place.refresh_from_db()
    assert (place.name, place.code, place.kind) == ("Kirklees Council", "E08000034", PlaceKind.LOCAL_AUTHORITY)
    client.post(reverse("taxonomy:place-retire", args=[place.pk]), {"reason": "Merged."})
    place.refresh_from_db()
    assert place.is_retired
    client.post(reverse("taxonomy:place-reinstate", args=[place.pk]))
    place.refresh_from_db()
    assert not place.is_retired


# Types of organisation ----------------------------------------------------------------------------

def test_a_curator_adds_a_type_of_organisation_with_what_it_can_do(client, curator):
    client.force_login(curator)
    response = client.post(
        reverse("taxonomy:organisation-type-add"),
        {"name": "Integrated care board", "description": "NHS commissioner.", "can_commission": "on"},
        follow=True,
    )
    assert "‘Integrated care board’ has been added." in response.content.decode()
    board = OrganisationType.objects.get(code="integrated-care-board")
    assert (board.can_commission, board.is_voluntary_sector, board.can_curate, board.can_act_as_agency) == (
        True, False, False, False,
    )


def test_a_curator_changes_a_type_and_its_code_stays(client, curator):
    client.force_login(curator)
    url = reverse("taxonomy:organisation-type-edit", args=["pcc"])
    assert client.get(url).context["form"].initial["can_commission"] is True
    client.post(url, {"name": "Police, fire and crime commissioner", "can_commission": "on"})
    pcc = OrganisationType.objects.get(code="pcc")
    assert pcc.name == "Police, fire and crime commissioner" and pcc.can_commission


def test_a_curator_cannot_take_curating_away_from_the_only_type_that_curates(client, curator):
    client.force_login(curator)
    response = client.post(
        reverse("taxonomy:organisation-type-edit", args=["infrastructure-body"]),
        {"name": "Infrastructure body", "can_act_as_agency": "on"},
    )
    assert response.context["form"].errors["can_curate"] == [managed_lists.NO_CURATORS_LEFT]
    assert OrganisationType.objects.get(code="infrastructure-body").can_curate


def test_a_curator_retires_a_type_and_it_is_listed_as_retired(client, curator):
    client.force_login(curator)
    client.post(reverse("taxonomy:organisation-type-retire", args=["prime-provider"]), {"reason": "Contracts ended."})
    html = client.get(reverse("taxonomy:organisation-types")).content.decode()
    assert OrganisationType.objects.get(code="prime-provider").is_retired
    assert '<strong class="govuk-tag govuk-tag--grey">Retired</strong>' in html
    assert reverse("taxonomy:organisation-type-reinstate", args=["prime-provider"]) in html


# Roles --------------------------------------------------------------------------------------------

def test_a_curator_adds_a_role_with_capabilities(client, curator):
    client.force_login(curator)
    response = client.post(
        reverse("taxonomy:role-add"),
        {"name": "Peer mentor coordinator", "capabilities": ["record-contacts", "view-audit-trail"]},
        follow=True,
    )
    assert "‘Peer mentor coordinator’ has been added." in response.content.decode()
    role = Role.objects.get(code="peer-mentor-coordinator")
    assert set(role.capabilities.values_list("code", flat=True)) == {"record-contacts", "view-audit-trail"}
    assert "See and export the organisation&#x27;s audit trail" in response.content.decode()


def test_a_duplicate_role_name_is_refused_on_the_name_field(client, curator):
    client.force_login(curator)
    response = client.post(reverse("taxonomy:role-add"), {"name": "manager", "capabilities": ["curate"]})
    assert response.context["form"].errors["name"] == ["There is already a role called ‘Manager’. Choose another name."]
    assert re.search(r'value="curate"\s*checked="checked"', response.content.decode())


def test_a_curator_changes_what_a_role_allows_and_its_code_stays(client, curator):
    client.force_login(curator)
    url = reverse("taxonomy:role-edit", args=["volunteer"])
    assert client.get(url).context["form"].initial["capabilities"] == ["record-contacts"]
    client.post(url, {"name": "Volunteer", "capabilities": ["record-contacts", "evaluate-bids"]})
    volunteer = Role.objects.get(code="volunteer")
    assert set(volunteer.capabilities.values_list("code", flat=True)) == {"record-contacts", "evaluate-bids"}


def test_a_curator_retires_a_role_and_it_is_listed_as_retired(client, curator):
    client.force_login(curator)
    client.post(reverse("taxonomy:role-retire", args=["evaluator"]), {"reason": "Panels use partnership workers."})
    html = client.get(reverse("taxonomy:roles")).content.decode()
    assert Role.objects.get(code="evaluator").is_retired
    assert '<strong class="govuk-tag govuk-tag--grey">Retired</strong>' in html
