"""Opportunities in a real browser: a commissioner creates and publishes one (seeing the short-term flag and a
proportionality warning), then anyone finds it in the public list with filters, with and without JavaScript."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pathways.commissioning.models import Opportunity, OpportunityStatus
from pathways.organisations.models import PlaceKind
from tests.commissioning.factories import published
from tests.factories import OrganisationFactory, PlaceFactory, member, org_type


@pytest.fixture
def places(transactional_db):
    region = PlaceFactory(name="Yorkshire and the Humber", kind=PlaceKind.REGION)
    return {
        "leeds": PlaceFactory(name="Leeds", kind=PlaceKind.LOCAL_AUTHORITY, parent=region),
        "hull": PlaceFactory(name="Hull", kind=PlaceKind.LOCAL_AUTHORITY, parent=region),
    }


@pytest.fixture
def probation(transactional_db):
    return OrganisationFactory(name="Yorkshire Probation", slug="yorkshire-probation",
                               type=org_type("probation-region"), email="commissioning@probation.example")


@pytest.fixture
def commissioner(probation):
    return member("commissioner", probation, email="commissioner@example.org", full_name="Cara Commissioner")


def fill_date(page, prefix: str, moment) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(moment.day))
    page.locator(f"#id_{prefix}_1").fill(str(moment.month))
    page.locator(f"#id_{prefix}_2").fill(str(moment.year))


def test_a_commissioner_creates_and_publishes_an_opportunity_that_then_appears_in_the_public_list(
    web, places, probation, commissioner
):
    page = web.page
    web.sign_in(commissioner)
    web.goto("/opportunities/yours/")
    page.get_by_role("button", name="Create an opportunity").click()
    web.assert_accessible()

    # A first try with mistakes: the error summary names them, and what was typed stays.
    page.get_by_label("Summary in plain words").fill(
        "We want mentors for young adults leaving prison in Leeds. Payment by results is part of the ITT."
    )
    page.get_by_label("Length of the contract, in months").fill("24")
    page.get_by_role("button", name="Save as a draft").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert summary.get_by_role("link", name="Enter a title").get_attribute("href") == "#id_title"
    assert page.get_by_label("Length of the contract, in months").input_value() == "24"
    expect(page.locator(".govuk-warning-text").first).to_contain_text("Short-term contract.")
    expect(page.locator("#readability")).to_contain_text("Invitation to tender")
    web.assert_accessible()

    page.get_by_label("Title", exact=True).fill("Mentoring for young adults")
    page.get_by_label("Education, training and employment").check()
    page.get_by_label("Leeds").check()
    page.get_by_label("Most it may be worth, in pounds").fill("240000")
    fill_date(page, "deadline_date", timezone.localtime() + timedelta(days=45))
    page.get_by_label("Share of payment that depends on results, in per cent").fill("40")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been saved as a draft")
    web.assert_accessible()

    page.get_by_role("link", name="Add a criterion").click()
    page.get_by_label("What bids are scored on").fill("Quality of mentoring")
    page.get_by_label("Weight, in per cent").fill("70")
    page.get_by_role("button", name="Add the criterion").click()
    page.get_by_role("link", name="Add a criterion").click()
    page.get_by_label("What bids are scored on").fill("Price")
    page.get_by_label("Weight, in per cent").fill("30")
    page.get_by_label("This criterion scores price").check()
    page.get_by_label("Lowest price ÷ bid price × weight").check()
    page.get_by_role("button", name="Add the criterion").click()
    expect(page.get_by_text("Points = lowest price ÷ your price × 30.")).to_be_visible()
    web.assert_accessible()

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Are the requirements in proportion?")).to_be_visible()
    expect(page.locator("#warning-payment_by_results")).to_contain_text("40% of the payment depends on results")
    expect(page.locator(".govuk-warning-text").first).to_contain_text("Short-term contract.")
    web.assert_accessible()
    page.get_by_label("Open for bids now").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick each warning")
    web.assert_accessible()
    page.get_by_label("Open for bids now").check()
    page.get_by_label("I have considered the warning about payment by results and want to go ahead").check()
    page.get_by_label("Why the requirements are needed (optional)").fill("A pilot agreed with the funder.")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is published and open for bids")
    web.assert_accessible()

    opportunity = Opportunity.objects.get()
    assert opportunity.status == OpportunityStatus.OPEN
    assert opportunity.proportionality_acknowledged[0]["code"] == "payment_by_results"

    page.get_by_role("button", name="Sign out").click()
    web.goto("/opportunities/")
    page.get_by_label("Open for bids").check()
    page.get_by_label("Pathway").select_option(label="Education, training and employment")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results")).to_contain_text("Mentoring for young adults")
    web.assert_accessible()
    page.get_by_role("link", name="Mentoring for young adults").click()
    expect(page.locator("h1")).to_have_text("Mentoring for young adults")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Short contracts make it hard for small organisations")
    expect(page.get_by_role("table", name="Key dates")).to_contain_text("Deadline for bids")
    web.assert_accessible()


def test_anyone_filters_the_public_list_without_javascript(web_without_js, places, probation):
    web = web_without_js
    page = web.page
    now = timezone.now()
    published(probation, areas=[places["leeds"]], title="Housing advice in Leeds")
    published(probation, areas=[places["hull"]], title="Family support in Hull", pathways=["pathway-children-families"],
              value_minimum=None, value_maximum=Decimal(80_000))
    published(probation, areas=[places["leeds"]], title="Forthcoming ETE work", open_for_bids=False,
              pathways=["pathway-ete"], deadline=now + timedelta(days=90), award_expected_on=None,
              contract_starts_on=None)
    web.goto("/opportunities/")
    results = page.locator("#results")
    expect(results.locator("h3")).to_have_count(3)

    page.get_by_label("Area").select_option(label="Hull")
    page.get_by_role("button", name="Apply filters").click()
    expect(results.locator("h3")).to_have_text(["Family support in Hull"])
    web.assert_accessible()

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Forthcoming").check()
    page.get_by_label("Value").select_option(label="£100,000 to £500,000")
    page.get_by_role("button", name="Apply filters").click()
    expect(results.locator("h3")).to_have_text(["Forthcoming ETE work"])
    assert page.get_by_label("Forthcoming").is_checked()
    web.assert_accessible()

    page.get_by_role("link", name="Forthcoming ETE work").click()
    expect(page.locator("h1")).to_have_text("Forthcoming ETE work")
    web.assert_accessible()


def test_a_manager_uses_the_help_with_tendering_without_javascript(web_without_js, places, probation):
    from tests.factories import OrganisationFactory as Organisations

    web = web_without_js
    page = web.page
    charity = Organisations(name="Aire Valley Resettlement Trust", slug="aire-valley")
    manager = member("manager", charity, email="manager@example.org", full_name="Morgan Manager")
    opportunity = published(probation, areas=[places["leeds"]], title="Housing advice in Leeds", duration_months=36)
    web.sign_in(manager)

    web.goto(f"/opportunities/{opportunity.uuid}/")
    page.get_by_role("link", name="Work out the full cost of this work").click()
    assert page.get_by_label("Length of the work, in months").input_value() == "36"
    page.get_by_label("Staff, in pounds a year").fill("42000")
    page.get_by_label("Travel, in pounds a year").fill("8000")
    page.get_by_label("The organisation's overheads, in pounds a year").fill("100000")
    page.get_by_label("This work's part (staff time or floor area)").fill("2")
    page.get_by_label("The whole organisation's total").fill("10")
    page.get_by_label("Development costs, in pounds").fill("5000")
    page.get_by_label("Exit costs, in pounds").fill("3000")
    page.get_by_role("button", name="Calculate the full cost").click()
    expect(page.locator("#result")).to_have_text("The full cost: £218,000 over 36 months")
    web.assert_accessible()
    page.get_by_label("Name this calculation").fill("Leeds housing bid")
    page.get_by_role("button", name="Save the calculation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("“Leeds housing bid” has been saved.")
    expect(page.locator("h1")).to_have_text("Leeds housing bid")
    web.assert_accessible()

    web.goto("/opportunities/help/")
    page.get_by_role("link", name="Bid-readiness checklist").click()
    page.get_by_label("A safeguarding policy for adults and children").check()
    page.get_by_label("Your last two years' accounts").check()
    page.get_by_role("button", name="Save the checklist").click()
    missing = page.locator("#missing")
    expect(missing).to_contain_text("DBS checks for staff and volunteers who need them")
    expect(missing).not_to_contain_text("Your last two years' accounts")
    web.assert_accessible()
    missing.get_by_role("link", name=re.compile(r"Getting ready to bid\s?: Public liability insurance")).click()
    expect(page.locator("h1")).to_have_text("Getting ready to bid")
    web.assert_accessible()
    web.goto("/opportunities/help/glossary/")
    expect(page.locator("#term-tupe")).to_contain_text("Transfer of Undertakings")
