"""Each role signs in through the real sign-in page and lands on its own home, which passes axe."""

import pytest
from playwright.sync_api import expect

from pathways.organisations.models import PlaceKind
from tests.factories import MembershipFactory, OrganisationFactory, PlaceFactory, UserFactory, member, org_type, role

ROLES = [
    # role, organisation type, caption's role name
    ("manager", "charity", "Manager"),
    ("front-line-worker", "charity", "Front-line worker"),
    ("volunteer", "charity", "Volunteer or peer mentor"),
    ("commissioner", "probation-region", "Commissioner"),
    ("partnership-development-worker", "infrastructure-body", "Partnership development worker"),
    ("evaluator", "charity", "Evaluator"),
    ("curator", "infrastructure-body", "Directory curator"),
]


@pytest.mark.parametrize("role_code, type_code, role_name", ROLES)
def test_each_role_signs_in_to_its_own_home(web, role_code, type_code, role_name):
    area = PlaceFactory(kind=PlaceKind.PROBATION_REGION, name="West Yorkshire")
    organisation = OrganisationFactory(name="Calder Valley Organisation", type=org_type(type_code))
    organisation.areas.set([area])
    neighbour = OrganisationFactory(name="Halifax Drop-in")
    neighbour.areas.set([area])
    member("manager", neighbour)
    user = member(role_code, organisation, full_name="Robin Role")
    member("volunteer", organisation, full_name="Sam Colleague")

    web.sign_in(user)

    expect(web.page).to_have_url(web.url("/"))
    assert web.page.locator(".govuk-caption-l").inner_text() == f"{role_name} at Calder Valley Organisation"
    assert web.page.locator("h1").inner_text() == "Hello, Robin"
    web.assert_accessible()


def test_someone_in_no_organisation_signs_in_to_a_home_that_explains_how_to_join(web, db):
    user = UserFactory(full_name="Nia Nobody")
    web.sign_in(user)
    assert web.page.locator("h1").inner_text() == "Hello, Nia"
    expect(web.page.get_by_role("heading", name="How to join an organisation")).to_be_visible()
    web.assert_accessible()


def test_someone_in_two_organisations_changes_which_one_they_work_for(web, charity, other_charity):
    user = member("manager", charity, full_name="Dee Double")
    MembershipFactory(user=user, organisation=other_charity, role=role("volunteer"))
    web.sign_in(user)
    web.page.get_by_role("link", name="change organisation").click()
    web.assert_accessible()
    web.page.get_by_label("Calder Lantern Project").check()
    web.page.get_by_role("button", name="Continue").click()
    assert web.page.locator(".govuk-caption-l").inner_text() == "Volunteer or peer mentor at Calder Lantern Project"
    expect(web.page.get_by_text("You are now working for Calder Lantern Project.")).to_be_visible()
    web.assert_accessible()
