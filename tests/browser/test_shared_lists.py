"""A curator keeps the shared lists in a real browser: errors first, then the right way."""

from playwright.sync_api import expect

from pathways.organisations.models import Place, PlaceKind, Role
from pathways.taxonomy.models import Term


def test_a_curator_adds_a_service_category_after_an_error_then_retires_it(web, curator):
    page = web.page
    web.sign_in(curator)
    page.get_by_role("link", name="Shared lists").first.click()
    page.get_by_role("link", name="Service categories").click()
    page.get_by_role("button", name="Add a term").click()
    web.assert_accessible()

    page.get_by_label("Description (optional)").fill("Support led by people with lived experience.")
    page.get_by_role("button", name="Add term").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    link = summary.get_by_role("link", name="Enter a name for the term.")
    assert link.get_attribute("href") == "#id_name"
    assert page.get_by_label("Description (optional)").input_value() == "Support led by people with lived experience."
    web.assert_accessible()
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_name"

    page.get_by_label("Name").fill("Peer support")
    page.get_by_role("button", name="Add term").click()
    expect(page.get_by_text("‘Peer support’ has been added to service categories.")).to_be_visible()
    row = page.locator("tr", has_text="Peer support")
    expect(row.get_by_text("category-peer-support")).to_be_visible()
    web.assert_accessible()

    row.get_by_role("link", name="Retire Peer support").click()
    page.get_by_label("Why is it being retired?").fill("Now part of mentoring and support.")
    page.get_by_role("button", name="Retire").click()
    expect(page.get_by_text("‘Peer support’ has been retired.")).to_be_visible()
    row = page.locator("tr", has_text="Peer support")
    assert row.locator(".govuk-tag--grey").inner_text() == "Retired"
    expect(row.get_by_text("Now part of mentoring and support.")).to_be_visible()
    expect(row.get_by_role("link", name="Reinstate Peer support")).to_be_visible()
    web.assert_accessible()
    assert Term.objects.get(code="category-peer-support").is_retired


def test_a_curator_adds_a_role_with_capabilities(web, curator):
    page = web.page
    web.sign_in(curator)
    web.goto("/taxonomy/roles/")
    page.get_by_role("button", name="Add a role").click()
    page.get_by_label("Name").fill("Peer mentor coordinator")
    page.get_by_label("Description (optional)").fill("Matches volunteers to clients.")
    page.get_by_label("Record contacts for the clients matched to them").check()
    page.get_by_label("See and export the organisation's audit trail").check()
    page.get_by_role("button", name="Add role").click()
    expect(page.get_by_text("‘Peer mentor coordinator’ has been added.")).to_be_visible()
    row = page.locator("tr", has_text="Peer mentor coordinator")
    expect(row.get_by_text("peer-mentor-coordinator")).to_be_visible()
    expect(row.get_by_text("See and export the organisation's audit trail")).to_be_visible()
    web.assert_accessible()
    role = Role.objects.get(code="peer-mentor-coordinator")
    assert set(role.capabilities.values_list("code", flat=True)) == {"record-contacts", "view-audit-trail"}


def test_a_curator_adds_a_delivery_unit_without_javascript(web_without_js, curator):
    region = Place.objects.create(kind=PlaceKind.PROBATION_REGION, name="West Yorkshire")
    web = web_without_js
    page = web.page
    web.sign_in(curator)
    web.goto("/taxonomy/places/?kind=delivery_unit")
    page.get_by_role("button", name="Add a place").click()
    page.get_by_label("Name").fill("Leeds")
    page.get_by_label("Part of (optional)").select_option(label="West Yorkshire")
    page.get_by_role("button", name="Add place").click()
    expect(page.get_by_text("‘Leeds’ has been added.")).to_be_visible()
    assert page.locator("h1").inner_text() == "Probation delivery units"
    assert Place.objects.get(kind=PlaceKind.DELIVERY_UNIT, name="Leeds").parent == region
