"""The organisations API: who you are, the organisations you may see and their members."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.organisations.models import Membership
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

ME = reverse("api-me")
LIST = reverse("api-organisation-list")


def detail(organisation):
    return reverse("api-organisation-detail", args=[organisation.slug])


def members(organisation):
    return reverse("api-organisation-members", args=[organisation.slug])


@pytest.mark.parametrize(
    "url", [ME, LIST, "/api/v1/organisations/aire-valley/", "/api/v1/organisations/aire-valley/members/"]
)
def test_given_an_anonymous_caller_then_every_endpoint_refuses(client, charity, url):
    assert client.get(url).status_code in (401, 403)


class TestMe:
    def test_given_a_manager_then_they_get_themselves_their_memberships_and_who_they_act_for(
        self, client, charity, manager
    ):
        client.force_login(manager)
        body = client.get(ME).json()
        assert body["user"] == {"id": manager.pk, "email": "manager@example.org", "full_name": "Morgan Manager"}
        [membership] = body["memberships"]
        assert membership["organisation"]["slug"] == "aire-valley"
        assert membership["role"] == {"code": "manager", "name": "Manager"}
        assert membership["capabilities"] == ["manage-organisation", "record-casework", "view-audit-trail"]
        assert body["acting_for"]["slug"] == "aire-valley"

    def test_given_someone_who_has_left_then_the_ended_membership_is_not_listed(self, client, charity, worker):
        Membership.objects.filter(user=worker).update(ended_at=timezone.now())
        client.force_login(worker)
        body = client.get(ME).json()
        assert body["memberships"] == []
        assert body["acting_for"] is None


class TestOrganisations:
    def test_given_a_curator_then_they_see_every_organisation(self, client, curator, charity, other_charity):
        client.force_login(curator)
        body = client.get(LIST).json()
        assert body["count"] == 3
        assert [o["slug"] for o in body["results"]] == ["aire-valley", "calder-lantern", "ridings-va"]

    def test_given_a_member_then_they_see_only_their_own(self, client, worker, other_charity):
        client.force_login(worker)
        assert [o["slug"] for o in client.get(LIST).json()["results"]] == ["aire-valley"]

    def test_given_a_member_then_they_get_its_details_with_size_band_and_areas(self, client, charity, worker):
        charity.annual_income = 5000
        charity.charity_number = "1012345"
        charity.save()
        leeds = PlaceFactory(name="Leeds", code="E08000035")
        charity.areas.add(leeds)
        client.force_login(worker)
        body = client.get(detail(charity)).json()
        assert body["name"] == "Aire Valley Resettlement Trust"
        assert body["type"] == {"code": "charity", "name": "Voluntary organisation or charity"}
        assert body["charity_number"] == "1012345"
        assert body["size_band"] == {"code": "micro", "label": "Micro (under £10,000)"}
        assert body["areas"] == [{"id": leeds.pk, "kind": "local_authority", "name": "Leeds", "code": "E08000035"}]

    def test_given_a_curator_then_they_get_any_organisations_details(self, client, charity, curator):
        client.force_login(curator)
        assert client.get(detail(charity)).status_code == 200

    def test_given_a_member_of_another_organisation_then_it_is_not_found(self, client, charity, other_manager):
        client.force_login(other_manager)
        assert client.get(detail(charity)).status_code == 404

    def test_given_a_bad_slug_then_it_is_not_found(self, client, worker):
        client.force_login(worker)
        assert client.get("/api/v1/organisations/no-such-slug/").status_code == 404


class TestMembers:
    def test_given_a_member_then_they_get_the_current_members(self, client, charity, manager, worker):
        Membership.objects.filter(user=manager).update(ended_at=timezone.now())
        client.force_login(worker)
        body = client.get(members(charity)).json()
        assert [(m["user"]["email"], m["role"]["code"]) for m in body["results"]] == [
            ("worker@example.org", "front-line-worker")
        ]

    @pytest.mark.parametrize("person", ["other_manager", "curator"])
    def test_given_someone_who_is_not_a_member_then_it_is_not_found(self, person, client, charity, request):
        client.force_login(request.getfixturevalue(person))
        assert client.get(members(charity)).status_code == 404

    def test_given_a_bad_slug_then_it_is_not_found(self, client, worker):
        client.force_login(worker)
        assert client.get("/api/v1/organisations/no-such-slug/members/").status_code == 404


def test_the_schema_documents_every_endpoint(client, worker):
    client.force_login(worker)
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/me/", "/api/v1/organisations/", "/api/v1/organisations/{slug}/",
                 "/api/v1/organisations/{slug}/members/"):
        assert path in schema
    assert "MyMembership" in schema
