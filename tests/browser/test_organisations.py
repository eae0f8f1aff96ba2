"""Organisations in a real browser: inviting and joining, editing with an error, leaving, and outsiders."""

from django.core import mail
from playwright.sync_api import expect

from pathways.organisations.models import Membership
from tests.factories import PlaceFactory, member
from tests.organisations.helpers import token_from


def test_a_manager_invites_someone_who_follows_the_emailed_link_and_joins(web, charity, manager):
    web.sign_in(manager)
    web.goto("/organisations/aire-valley/team/")
    web.page.get_by_role("button", name="Invite someone").click()
    web.page.get_by_label("Email address").fill("nia@example.org")
    web.page.get_by_label("Their name (optional)").fill("Nia New")
    web.page.get_by_label("Volunteer or peer mentor").check()
    web.page.get_by_role("button", name="Send invitation").click()
    assert web.page.locator(".govuk-notification-banner--success").inner_text().endswith(
        "We have sent an invitation to nia@example.org."
    )
    assert "nia@example.org" in web.page.get_by_role("table").nth(1).inner_text()
    web.assert_accessible()

    web.page.get_by_role("button", name="Sign out").click()
    web.goto(f"/organisations/invitations/{token_from(mail.outbox[-1])}/")
    assert web.page.get_by_label("Full name").input_value() == "Nia New"
    web.page.get_by_label("Create a password").fill("lantern-harbour-47")
    web.page.get_by_label("Confirm password").fill("lantern-harbour-47")
    web.page.get_by_role("button", name="Create account and join").click()

    expect(web.page).to_have_url(web.url("/"))
    banner = web.page.locator(".govuk-notification-banner--success")
    assert "You have joined Aire Valley Resettlement Trust as volunteer or peer mentor." in banner.inner_text()
    web.assert_accessible()
    assert Membership.objects.current().filter(user__email="nia@example.org", organisation=charity).exists()


def test_a_manager_fixes_a_mistake_when_editing_the_organisation(web, charity, manager):
    PlaceFactory(name="Wakefield")
    web.sign_in(manager)
    web.goto("/organisations/aire-valley/")
    web.page.get_by_role("link", name="Edit details").click()
    web.page.get_by_label("Registered charity number (optional)").fill("12")
    web.page.get_by_label("What the organisation does").fill("Housing advice for people leaving prison")
    web.page.get_by_label("Wakefield").check()
    web.page.get_by_role("button", name="Save changes").click()

    summary = web.page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_charity_number"
    description = web.page.get_by_label("What the organisation does")
    assert description.input_value() == "Housing advice for people leaving prison"
    assert web.page.get_by_label("Registered charity number (optional)").input_value() == "12"
    assert web.page.get_by_label("Wakefield").is_checked()
    web.assert_accessible()

    summary.get_by_role("link").first.click()
    web.page.get_by_label("Registered charity number (optional)").fill("1012345")
    web.page.get_by_role("button", name="Save changes").click()

    expect(web.page).to_have_url(web.url("/organisations/aire-valley/"))
    assert "The organisation's details have been saved." in web.page.locator(".govuk-notification-banner").inner_text()
    details = web.page.locator(".govuk-summary-list").inner_text()
    assert "1012345" in details and "Wakefield" in details and "Housing advice" in details
    web.assert_accessible()


def test_a_worker_leaves_their_organisation_without_javascript(web_without_js, charity, worker):
    web = web_without_js
    web.sign_in(worker)
    web.goto("/organisations/aire-valley/team/")
    web.page.get_by_role("link", name="Leave this organisation").click()
    web.assert_accessible()
    web.page.get_by_label("Why are you leaving? (optional)").fill("Moving to Hull")
    web.page.get_by_role("button", name="Leave this organisation").click()
    expect(web.page).to_have_url(web.url("/"))
    banner = web.page.locator(".govuk-notification-banner")
    assert "You have left Aire Valley Resettlement Trust." in banner.inner_text()
    membership = Membership.objects.get(user=worker)
    assert (membership.is_current, membership.end_reason) == (False, "Moving to Hull")


def test_a_worker_from_another_organisation_gets_not_found_for_its_team_page(web, charity, other_charity):
    outsider = member("front-line-worker", other_charity)
    web.sign_in(outsider)
    response = web.goto("/organisations/aire-valley/team/")
    assert response.status == 404
    assert "Aire Valley" not in web.page.content()


def test_a_curator_finds_an_organisation_and_adds_another_without_javascript(web_without_js, curator, charity):
    web = web_without_js
    web.sign_in(curator)
    web.goto("/organisations/")
    web.page.get_by_label("Name contains").fill("aire")
    web.page.get_by_role("button", name="Search").click()
    web.assert_accessible()
    assert web.page.get_by_role("table").get_by_role("link").all_inner_texts() == ["Aire Valley Resettlement Trust"]

    web.page.get_by_role("button", name="Add an organisation").click()
    web.assert_accessible()
    web.page.get_by_label("Name", exact=True).fill("Holbeck Hearth")
    web.page.get_by_label("Type of organisation").select_option(label="Faith or community group")
    web.page.get_by_role("button", name="Add organisation").click()
    expect(web.page).to_have_url(web.url("/organisations/holbeck-hearth/"))
    assert web.page.locator("h1").inner_text() == "Holbeck Hearth"


def test_an_invitation_link_that_no_longer_works_says_so_plainly(web):
    response = web.goto("/organisations/invitations/an-old-link/")
    assert response.status == 404
    assert web.page.locator("h1").inner_text() == "This invitation link has expired or has already been used"
