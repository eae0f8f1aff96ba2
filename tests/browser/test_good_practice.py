"""The good-practice bank in a real browser: a manager writes up good practice (fixing a mistake on the
way) and submits it, a curator publishes it, and the public finds it and reads its evidence."""

from playwright.sync_api import expect

from pathways.directory.models import GoodPractice, GoodPracticeStatus
from pathways.directory.services.good_practice import good_practice_create, good_practice_submit
from pathways.taxonomy.models import Term
from tests.factories import OrganisationFactory, member, org_type


def test_a_write_up_is_submitted_published_by_a_curator_and_then_found_by_anyone(web):
    charity = OrganisationFactory(name="Aire Valley Resettlement Trust")
    manager = member("manager", charity, full_name="Morgan Manager")
    infrastructure = OrganisationFactory(name="Ridings Voluntary Action", type=org_type("infrastructure-body"))
    curator = member("curator", infrastructure, full_name="Cass Curator")
    page = web.page

    web.sign_in(manager)
    web.goto("/directory/good-practice/")
    page.get_by_role("link", name="Write up good practice").click()
    page.get_by_label("Summary").fill("Mentors meet people at the prison gate on the day they are released.")
    page.get_by_label("Evidence", exact=True).fill("Monitoring of 120 releases: 85% kept their first appointment.")
    page.get_by_label("Monitoring data collected by the provider").check()
    page.get_by_label("Accommodation").check()
    page.get_by_role("button", name="Save as a draft").click()

    summary = page.locator(".govuk-error-summary")
    assert "Enter a title" in summary.inner_text()
    assert page.get_by_label("Summary").input_value().startswith("Mentors meet people")
    assert page.get_by_label("Monitoring data collected by the provider").is_checked()
    web.assert_accessible()

    page.get_by_label("Title").fill("Meet at the gate")
    page.get_by_role("button", name="Save as a draft").click()
    assert "saved as a draft" in page.locator(".govuk-notification-banner--success").inner_text()
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    web.assert_accessible()
    page.get_by_role("button", name="Submit to the curators").click()
    expect(page.get_by_text("Waiting for a curator")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    web.goto("/directory/good-practice/")
    expect(page.get_by_text("No write-ups found")).to_be_visible()

    web.sign_in(curator)
    web.goto("/directory/good-practice/")
    page.get_by_role("link", name="Write-ups waiting for a curator").click()
    web.assert_accessible()
    page.get_by_role("link", name="Meet at the gate").click()
    web.assert_accessible()
    page.get_by_label("Publish it").check()
    page.get_by_label("Note to the authors").fill("Clear, and fair to the evidence.")
    page.get_by_role("button", name="Save decision").click()
    assert "has been published" in page.locator(".govuk-notification-banner--success").inner_text()
    page.get_by_role("button", name="Sign out").click()

    assert GoodPractice.objects.get().status == GoodPracticeStatus.PUBLISHED
    web.goto("/directory/good-practice/?q=gate")
    page.get_by_role("link", name="Meet at the gate").click()
    web.assert_accessible()
    assert page.get_by_role("heading", level=1).inner_text() == "Meet at the gate"
    expect(page.get_by_text("This is level 2 of 5")).to_be_visible()
    expect(page.get_by_text("85% kept their first appointment")).to_be_visible()
    expect(page.get_by_text("Clear, and fair to the evidence.")).to_be_hidden()


def test_a_curator_returns_a_write_up_with_a_note_without_javascript(web_without_js):
    web = web_without_js
    charity = OrganisationFactory(name="Calder Lantern Project")
    manager = member("manager", charity)
    infrastructure = OrganisationFactory(name="Ridings Voluntary Action", type=org_type("infrastructure-body"))
    curator = member("curator", infrastructure)
    item = good_practice_create(
        organisation=charity, by=manager, title="Family Saturdays", summary="Families visit together.",
        evidence="Feedback from 40 families.", evidence_strength="stories",
        terms=[Term.objects.get(code="pathway-children-families")],
    )
    good_practice_submit(good_practice=item, by=manager)

    web.sign_in(curator)
    web.goto(f"/directory/good-practice/{item.pk}/review/")
    web.page.get_by_label("Return it to the authors").check()
    web.page.get_by_role("button", name="Save decision").click()
    assert "Say why it is being returned" in web.page.locator(".govuk-error-summary").inner_text()
    web.page.get_by_label("Note to the authors").fill("Say how many families came.")
    web.page.get_by_role("button", name="Save decision").click()
    assert "returned to its authors" in web.page.locator(".govuk-notification-banner--success").inner_text()

    web.page.get_by_role("button", name="Sign out").click()
    web.sign_in(manager)
    web.goto(f"/directory/good-practice/{item.pk}/")
    expect(web.page.get_by_text("Say how many families came.")).to_be_visible()
    expect(web.page.get_by_role("link", name="Change the write-up")).to_be_visible()
