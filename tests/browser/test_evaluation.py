"""Evaluation in a real browser: a panel member signs their declaration and scores each bid on their own,
then the chair sees the spread of scores and records the panel's agreed score, with and without JavaScript."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from pathways.commissioning.models import ModeratedScore, Score
from pathways.commissioning.services import evaluation as evaluation_services
from pathways.commissioning.services import opportunities as opportunity_services
from tests.commissioning.evaluation_fixtures import open_bids, submit_bid
from tests.commissioning.factories import published
from tests.factories import OrganisationFactory, PlaceFactory, member, org_type


@pytest.fixture
def competition(transactional_db):
    """An opportunity run by the agency, with two sealed bids and a panel of a chair and an evaluator."""
    probation = OrganisationFactory(name="Yorkshire Probation", slug="yorkshire-probation",
                                    type=org_type("probation-region"))
    agency = OrganisationFactory(name="Ridings Bidding Agency", slug="ridings-agency",
                                 type=org_type("infrastructure-body"), email="agency@example.org")
    chair = member("partnership-development-worker", agency, email="chair@example.org", full_name="Chris Chair")
    evaluator = member("manager", OrganisationFactory(name="Independent Panel"), email="eve@example.org",
                       full_name="Eve Evaluator")
    opportunity = published(probation, agency=agency, by=chair, areas=[PlaceFactory(name="Leeds")])
    quality = opportunity.criteria.get(is_price=False)
    bids = [
        submit_bid(opportunity, OrganisationFactory(name="Aire Valley Homes"),
                   sections={quality.pk: "We run three women's houses in Leeds."}, price=400_000),
        submit_bid(opportunity, OrganisationFactory(name="Calder Housing Project"),
                   sections={quality.pk: "We offer floating support across the city."}, price=320_000),
    ]
    evaluation_services.panel_member_add(opportunity=opportunity, by=chair, email=chair.email, role="chair")
    evaluation_services.panel_member_add(opportunity=opportunity, by=chair, email=evaluator.email)
    return {"opportunity": opportunity, "chair": chair, "evaluator": evaluator, "bids": bids, "quality": quality}


@pytest.fixture
def opened(competition):
    opportunity = competition["opportunity"]
    with time_machine.travel(opportunity.deadline + timedelta(hours=1), tick=True):
        open_bids(opportunity, timezone.now())
        opportunity_services.opportunity_evaluation_start(opportunity=opportunity, by=competition["chair"])
        yield competition


def score_bid(page, name: str, score: str, why: str):
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Bid from {name}")
    page.get_by_label("Score (0 to 10)").fill(score)
    page.get_by_label("Why you gave this score").fill(why)
    page.get_by_role("button", name="Save your score").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your score")


@pytest.mark.parametrize("browsing", ["web", "web_without_js"])
def test_a_panel_member_declares_and_scores_then_the_chair_moderates(request, browsing, opened):
    web = request.getfixturevalue(browsing)
    page = web.page
    opportunity = opened["opportunity"]

    web.sign_in(opened["evaluator"])
    web.goto("/opportunities/panels/")
    expect(page.get_by_role("cell", name="Sign your declaration")).to_be_visible()
    page.get_by_role("link", name=opportunity.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Declare any conflict of interest")
    assert "three women" not in page.content()
    # Forgetting the tick keeps the words typed and says what is missing.
    page.get_by_label("Your declaration, in your own words").fill("I have never worked with these charities.")
    page.get_by_role("button", name="Sign the declaration").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick to confirm")
    assert page.get_by_label("Your declaration, in your own words").input_value().startswith("I have never")
    web.assert_accessible()
    page.get_by_label("I confirm I have no conflict of interest").check()
    page.get_by_role("button", name="Sign the declaration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bids to score")
    web.assert_accessible()

    score_bid(page, "Aire Valley Homes", "8", "Houses are ready and the plan is tested.")
    expect(page.locator(".govuk-inset-text").first).to_contain_text("three women's houses")
    web.assert_accessible()
    page.get_by_role("link", name="Bids to score").click()
    score_bid(page, "Calder Housing Project", "5", "Sound, but little on keeping tenancies.")
    assert Score.objects.filter(evaluator__user=opened["evaluator"]).count() == 2

    # The chair runs the moderation: the members' scores and their spread, then the agreed score.
    page.context.clear_cookies()
    web.sign_in(opened["chair"])
    web.goto(f"/opportunities/{opportunity.uuid}/evaluation/panel/")
    expect(page.get_by_role("cell", name="Eve Evaluator", exact=True)).to_be_visible()
    web.goto(f"/opportunities/{opportunity.uuid}/evaluation/moderation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Scores and moderation")
    page.get_by_role("link", name="Record the agreed score for Aire Valley Homes on Quality of support").click()
    expect(page.locator("body")).to_contain_text("Houses are ready and the plan is tested.")
    page.get_by_label("The panel's score (0 to 10)").fill("8.5")
    page.get_by_label("The panel's reasons").fill("A tested plan, with houses ready to use.")
    page.get_by_role("button", name="Save the agreed score").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is recorded")
    web.assert_accessible()
    # Changing it needs a reason for the change.
    page.get_by_role("link", name="Change the agreed score for Aire Valley Homes on Quality of support").click()
    page.get_by_label("The panel's score (0 to 10)").fill("9")
    page.get_by_role("button", name="Save the agreed score").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason for changing a score")
    web.assert_accessible()
    assert ModeratedScore.objects.get().score == 8.5
    web.goto(f"/opportunities/{opportunity.uuid}/evaluation/bids/{opened['bids'][0].uuid}/inquiries/add/")
    page.get_by_label("Question to the bidder").check()
    page.get_by_label("The question, or what the visit was for").fill("How many staff are trained?")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("How many staff are trained?")
