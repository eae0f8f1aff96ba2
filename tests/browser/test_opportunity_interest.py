"""Registering interest in a real browser, without JavaScript: a charity's manager sets its interests, then
registers interest on an opportunity page, visible to partners, and withdraws it. Every page is axe-checked."""

import pytest
from playwright.sync_api import expect

from pathways.commissioning.models import Interest, InterestProfile
from pathways.organisations.models import PlaceKind
from tests.commissioning.factories import published
from tests.factories import OrganisationFactory, PlaceFactory, member, org_type


@pytest.fixture
def leeds(transactional_db):
    region = PlaceFactory(name="Yorkshire and the Humber", kind=PlaceKind.REGION)
    return PlaceFactory(name="Leeds", kind=PlaceKind.LOCAL_AUTHORITY, parent=region)


@pytest.fixture
def opportunity(leeds):
    probation = OrganisationFactory(name="Yorkshire Probation", slug="yorkshire-probation",
                                    type=org_type("probation-region"), email="commissioning@probation.example")
    return published(probation, areas=[leeds])


@pytest.fixture
def charity(transactional_db):
    return OrganisationFactory(name="Leeds Women's Aid", slug="leeds-womens-aid", type=org_type("charity"))


@pytest.fixture
def manager(charity):
    return member("manager", charity, email="manager@womensaid.example", full_name="Mo Manager")


def test_a_manager_sets_interests_and_registers_interest_without_javascript(
    web_without_js, opportunity, charity, manager, leeds
):
    web = web_without_js
    page = web.page

    web.goto(f"/opportunities/{opportunity.uuid}/")
    expect(page.get_by_role("link", name="Sign in to register your organisation's interest")).to_be_visible()

    web.sign_in(manager)
    web.goto("/opportunities/interests/")
    expect(page.get_by_role("heading", name="Opportunities you want to hear about")).to_be_visible()
    page.get_by_label("Smallest value you would bid for, in pounds (optional)").fill("500000")
    page.get_by_label("Largest value you would bid for, in pounds (optional)").fill("1000")
    page.get_by_role("button", name="Save your interests").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The largest value must be the same as or more than the smallest value")
    expect(page.get_by_label("Smallest value you would bid for, in pounds (optional)")).to_have_value("500000")
    web.assert_accessible()

    page.get_by_label("Accommodation").check()
    page.get_by_label("Leeds").check()
    page.get_by_label("Smallest value you would bid for, in pounds (optional)").fill("")
    page.get_by_label("Largest value you would bid for, in pounds (optional)").fill("")
    page.get_by_label("Once a week, on Monday morning").check()
    page.get_by_label("Other organisations may find us in the partner finder").check()
    page.get_by_role("button", name="Save your interests").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("have been saved")
    web.assert_accessible()
    profile = InterestProfile.objects.get(organisation=charity)
    assert profile.frequency == "weekly" and profile.open_to_partners
    assert [place.name for place in profile.areas.all()] == ["Leeds"]

    web.goto(f"/opportunities/{opportunity.uuid}/")
    page.get_by_label("Visible to possible partners").check()
    page.get_by_role("button", name="Register interest").click()
    expect(page.locator(".pathways-aside strong.govuk-tag").first).to_have_text("Interested")
    expect(page.get_by_text("Possible partners can see this.")).to_be_visible()
    web.assert_accessible()
    assert Interest.objects.get().visible_to_partners is True

    page.get_by_role("link", name="Find partners to bid with").click()
    expect(page.get_by_role("heading", name="Find partners to bid with")).to_be_visible()
    web.assert_accessible()
    page.go_back()

    page.get_by_role("button", name="Withdraw interest").click()
    expect(page.get_by_role("button", name="Register interest")).to_be_visible()
    web.assert_accessible()
    assert not Interest.objects.exists()
