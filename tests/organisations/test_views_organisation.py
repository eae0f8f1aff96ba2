"""An organisation's page, adding an organisation and editing its details."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.audit.models import AuditAction, AuditEntry
from pathways.organisations.models import Organisation, PlaceKind
from tests.factories import PlaceFactory, org_type

pytestmark = pytest.mark.django_db


def detail_url(organisation):
    return reverse("organisations:detail", args=[organisation.slug])


def edit_url(organisation):
    return reverse("organisations:edit", args=[organisation.slug])


def valid_details(organisation, **changes):
    data = {
        "name": organisation.name, "type": organisation.type_id, "description": organisation.description,
        "charity_number": "", "company_number": "", "annual_income": "", "website": "", "email": "",
        "phone": "", "address": "", "postcode": "",
    }
    return {**data, **changes}


class TestTheOrganisationPage:
    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, charity):
        response = client.get(detail_url(charity))
        assert response.status_code == 302
        assert response.url.startswith(reverse("web:sign-in"))

    def test_given_a_member_of_another_organisation_then_it_is_not_found(self, client, charity, other_manager):
        client.force_login(other_manager)
        assert client.get(detail_url(charity)).status_code == 404

    def test_given_a_bad_slug_then_it_is_not_found(self, client, worker):
        client.force_login(worker)
        assert client.get("/organisations/no-such-organisation/").status_code == 404

    def test_given_a_worker_then_they_see_the_details_and_the_team_but_cannot_edit(self, client, charity, worker):
        charity.charity_number = "1012345"
        charity.annual_income = 2_500_000
        charity.save()
        charity.areas.add(
            PlaceFactory(name="Leeds"), PlaceFactory(name="HMP Leeds", kind=PlaceKind.PRISON),
            PlaceFactory(name="Bradford"),
        )
        client.force_login(worker)
        response = client.get(detail_url(charity))
        content = response.content.decode()
        assert response.status_code == 200
        assert "1012345" in content
        assert "Large (£1 million to £10 million)" in content
        assert "<strong>Local authorities:</strong> Bradford, Leeds" in content
        assert "<strong>Prisons:</strong> HMP Leeds" in content
        assert reverse("organisations:team", args=[charity.slug]) in content
        assert edit_url(charity) not in content
        assert reverse("organisations:audit-trail", args=[charity.slug]) not in content

    def test_given_its_manager_then_they_see_edit_team_and_audit_links(self, client, charity, manager):
        client.force_login(manager)
        content = client.get(detail_url(charity)).content.decode()
        assert edit_url(charity) in content
        assert reverse("organisations:team", args=[charity.slug]) in content
        assert reverse("organisations:audit-trail", args=[charity.slug]) in content

    def test_given_a_curator_then_they_can_see_and_edit_it_but_not_its_team(self, client, charity, curator):
        client.force_login(curator)
        response = client.get(detail_url(charity))
        content = response.content.decode()
        assert response.status_code == 200
        assert edit_url(charity) in content
        assert reverse("organisations:team", args=[charity.slug]) not in content


class TestAddingAnOrganisation:
    URL = reverse("organisations:create")

    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client):
        assert client.get(self.URL).status_code == 302

    def test_given_a_manager_then_the_page_is_not_found_and_nothing_is_added(self, client, manager):
        client.force_login(manager)
        assert client.get(self.URL).status_code == 404
        response = client.post(self.URL, {"name": "Sneaky", "type": org_type("charity").pk})
        assert response.status_code == 404
        assert not Organisation.objects.filter(name="Sneaky").exists()

    def test_given_a_curator_when_they_add_one_then_it_is_created_audited_and_shown(
        self, client, curator, infrastructure_body
    ):
        client.force_login(curator)
        assert client.get(self.URL).status_code == 200
        data = {"name": "Holbeck Hearth", "type": org_type("faith-community-group").pk, "company_number": "ab123456"}
        response = client.post(self.URL, data, follow=True)
        organisation = Organisation.objects.get(name="Holbeck Hearth")
        assert response.redirect_chain[-1][0] == detail_url(organisation)
        assert organisation.company_number == "AB123456"
        assert "Holbeck Hearth has been added." in response.content.decode()
        entry = AuditEntry.objects.get(target_id=str(organisation.pk), action=AuditAction.CREATED)
        assert (entry.actor, entry.acting_for) == (curator, infrastructure_body)

    def test_given_no_name_or_type_then_the_errors_say_what_to_do(self, client, curator):
        client.force_login(curator)
        response = client.post(self.URL, {"name": "", "type": ""})
        content = response.content.decode()
        assert response.status_code == 200
        assert "Enter the organisation&#x27;s name" in content
        assert "Select the type of organisation" in content


class TestEditingAnOrganisation:
    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, charity):
        assert client.get(edit_url(charity)).status_code == 302

    def test_given_the_manager_of_another_organisation_then_it_is_not_found(self, client, charity, other_manager):
        client.force_login(other_manager)
        assert client.get(edit_url(charity)).status_code == 404
        assert client.post(edit_url(charity), valid_details(charity, name="Taken")).status_code == 404

    def test_given_a_bad_slug_then_it_is_not_found(self, client, manager):
        client.force_login(manager)
        assert client.get("/organisations/nowhere/edit/").status_code == 404

    def test_given_a_worker_then_they_are_forbidden_and_nothing_changes(self, client, charity, worker):
        client.force_login(worker)
        assert client.get(edit_url(charity)).status_code == 403
        assert client.post(edit_url(charity), valid_details(charity, name="Renamed")).status_code == 403
        charity.refresh_from_db()
        assert charity.name == "Aire Valley Resettlement Trust"

    def test_given_the_manager_when_they_save_then_the_details_change_and_the_change_is_audited(
        self, client, charity, manager
    ):
        leeds = PlaceFactory(name="Leeds")
        client.force_login(manager)
        data = valid_details(
            charity, annual_income="120000", postcode="ls1 4ap", areas_local_authority=[leeds.pk]
        )
        response = client.post(edit_url(charity), data, follow=True)
        assert response.redirect_chain[-1][0] == detail_url(charity)
        assert "The organisation&#x27;s details have been saved." in response.content.decode()
        charity.refresh_from_db()
        assert (charity.postcode, charity.size_band, list(charity.areas.all())) == ("LS1 4AP", "medium", [leeds])
        entry = AuditEntry.objects.get(target_id=str(charity.pk), action=AuditAction.CHANGED)
        assert entry.actor == manager
        assert entry.changes["areas"] == [[], ["Leeds"]]
        assert entry.changes["postcode"] == ["", "LS1 4AP"]

    def test_given_bad_numbers_then_each_error_names_the_field_and_what_was_typed_is_kept(
        self, client, charity, manager
    ):
        client.force_login(manager)
        data = valid_details(
            charity, charity_number="12", company_number="1234", annual_income="lots", description="Kept text"
        )
        response = client.post(edit_url(charity), data)
        content = response.content.decode()
        assert response.status_code == 200
        assert 'class="govuk-error-summary"' in content
        assert '<a href="#id_charity_number">Enter a registered charity number' in content
        assert '<a href="#id_company_number">Enter a company number' in content
        assert '<a href="#id_annual_income">Enter annual income as a whole number' in content
        assert "Kept text" in content
        assert 'value="lots"' in content
        charity.refresh_from_db()
        assert charity.description == ""
        assert not AuditEntry.objects.filter(target_id=str(charity.pk)).exists()

    def test_given_the_name_is_cleared_then_the_page_still_names_the_organisation(self, client, charity, manager):
        client.force_login(manager)
        response = client.post(edit_url(charity), valid_details(charity, name=""))
        content = response.content.decode()
        assert "<title>Edit Aire Valley Resettlement Trust – Error – Pathways</title>" in content
        assert '<a href="#id_name">Enter the organisation&#x27;s name</a>' in content

    def test_given_a_negative_income_then_it_is_refused(self, client, charity, manager):
        client.force_login(manager)
        response = client.post(edit_url(charity), valid_details(charity, annual_income="-5"))
        assert "Annual income cannot be less than 0" in response.content.decode()

    def test_given_a_retired_place_then_it_is_offered_only_if_already_chosen(self, client, charity, manager):
        kept = PlaceFactory(name="Kept Retired", retired_at=timezone.now())
        PlaceFactory(name="Gone Retired", retired_at=timezone.now())
        PlaceFactory(name="Current Place")
        charity.areas.add(kept)
        client.force_login(manager)
        content = client.get(edit_url(charity)).content.decode()
        assert "Current Place" in content
        assert "Kept Retired" in content
        assert "Gone Retired" not in content

    def test_given_a_curator_then_they_can_edit_any_organisation(self, client, charity, curator):
        client.force_login(curator)
        response = client.post(edit_url(charity), valid_details(charity, phone="0113 496 0000"))
        assert response.status_code == 302
        charity.refresh_from_db()
        assert charity.phone == "0113 496 0000"
