"""The fairness figures in a real browser: the public page draws each chart with its table beside it, the
filters work with and without JavaScript, every page is axe-clean, and the agency sees its fuller view."""

import pytest
from playwright.sync_api import expect

from pathways.commissioning.models import Notification
from pathways.organisations.models import PlaceKind
from tests.commissioning.open_data_fixtures import confirm_award, media, register_interest, submit_bid, tell  # noqa: F401
from tests.commissioning.factories import published
from tests.factories import OrganisationFactory, PlaceFactory, member, org_type


@pytest.fixture
def figures(transactional_db):
    region = PlaceFactory(name="Yorkshire and the Humber", kind=PlaceKind.REGION)
    leeds = PlaceFactory(name="Leeds", kind=PlaceKind.LOCAL_AUTHORITY, parent=region)
    probation = OrganisationFactory(name="Yorkshire Probation", slug="yorkshire-probation",
                                    type=org_type("probation-region"), email="commissioning@probation.example")
    agency = OrganisationFactory(name="Ridings Bidding Agency", slug="ridings-agency",
                                 type=org_type("infrastructure-body"), email="agency@example.org")
    opportunity = published(probation, areas=[leeds], agency=agency)
    tiny = OrganisationFactory(name="Tiny Leeds Project", annual_income=5_000)
    tiny.areas.add(leeds)
    big = OrganisationFactory(name="Big Outsourcing plc", annual_income=250_000_000)
    tell(opportunity, tiny, Notification.Channel.ALERT)
    tell(opportunity, big, Notification.Channel.INVITATION)
    register_interest(opportunity, tiny)
    winning = submit_bid(opportunity, tiny, price=100_000)
    submit_bid(opportunity, big, price=90_000)
    confirm_award(opportunity, winning, contract=False)
    worker = member("partnership-development-worker", agency, email="pdw@example.org", full_name="Priya Partnership")
    return {"agency": agency, "worker": worker, "probation": probation}


def test_anyone_sees_the_fairness_charts_with_their_tables_and_no_names(web, figures):
    page = web.page
    web.goto("/opportunities/fairness/")

    expect(page.get_by_role("heading", name="Who is told, who bids and who wins")).to_be_visible()
    chart = page.get_by_role("img", name="Taking part, by size of organisation")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="Taking part, by size of organisation: the figures")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name="Micro (under £10,000)")).to_contain_text("1")
    expect(page.get_by_role("img", name="Taking part, by where organisations work")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Tiny Leeds Project")
    expect(page.get_by_role("link", name="Download these figures (CSV)")).to_be_visible()


def test_the_filters_work_without_javascript_and_name_a_wrong_date(web_without_js, figures):
    page = web_without_js.page
    web_without_js.goto("/opportunities/fairness/")

    page.locator("#id_published_from_0").fill("31")
    page.locator("#id_published_from_1").fill("2")
    page.locator("#id_published_from_2").fill("2026")
    page.get_by_role("button", name="Show figures").click()
    web_without_js.assert_accessible()

    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a real date")
    expect(page.locator("#id_published_from_0")).to_have_value("31")

    page.locator("#id_published_from_0").fill("")
    page.locator("#id_published_from_1").fill("")
    page.locator("#id_published_from_2").fill("")
    page.get_by_label("Buyer").select_option(label="Yorkshire Probation")
    page.get_by_role("button", name="Show figures").click()
    web_without_js.assert_accessible()
    expect(page.locator("body")).to_contain_text("1 published opportunity, bought by Yorkshire Probation")


def test_the_agency_sees_each_organisation_on_its_opportunities(web, figures):
    page = web.page
    web.sign_in(figures["worker"])
    web.goto(f"/opportunities/fairness/organisations/{figures['agency'].slug}/")

    expect(page.get_by_role("heading", name="Each opportunity")).to_be_visible()
    expect(page.get_by_role("row", name="Tiny Leeds Project")).to_contain_text("Micro (under £10,000)")
    expect(page.get_by_role("img", name="Taking part, by size of organisation")).to_be_visible()
