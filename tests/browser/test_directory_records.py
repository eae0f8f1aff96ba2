"""A service's record in a real browser: anyone reports a problem (with and without JavaScript), the provider
accepts it with a reason and sees the new version, and a curator verifies a record from the queue."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from pathways.directory.models import ChangeRequest, ChangeRequestStatus, CheckMethod, Service
from pathways.directory.services.records import change_request_submit
from tests.factories import directory_service


def report_a_problem(web, service):
    page = web.page
    web.goto(f"/directory/services/{service.uuid}/")
    page.get_by_role("link", name="Report a problem or suggest a change").click()
    web.assert_accessible()

    page.get_by_label("Phone number").fill("0113 496 0999")
    page.get_by_role("button", name="Send report").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    link = summary.get_by_role("link", name="Describe the problem or the change")
    assert link.get_attribute("href") == "#id_message"
    assert page.get_by_label("Phone number").input_value() == "0113 496 0999"
    web.assert_accessible()

    page.get_by_label("What is wrong, or what should change?").fill("The phone number changed in May.")
    page.get_by_label("Your email address (optional)").fill("ana@example.org")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Report sent")
    web.assert_accessible()
    request = ChangeRequest.objects.get()
    assert request.suggested_changes == {"phone": "0113 496 0999"}
    assert request.reporter_email == "ana@example.org" and request.reporter is None


def test_anyone_reports_a_problem_without_signing_in(web, charity, manager):
    service = directory_service(charity, name="Leeds housing advice", phone="0113 496 0000")
    report_a_problem(web, service)
    assert [message.to for message in mail.outbox] == [[manager.email]]


def test_anyone_reports_a_problem_without_javascript(web_without_js, charity):
    service = directory_service(charity, name="Leeds housing advice", phone="0113 496 0000")
    report_a_problem(web_without_js, service)


def test_the_provider_accepts_a_report_with_a_reason_and_sees_the_new_version(web, charity, manager):
    service = directory_service(charity, name="Leeds housing advice", phone="0113 496 0000")
    change_request_submit(
        service=service, message="The phone number changed in May.", suggested_changes={"phone": "0113 496 0999"},
        reporter_email="ana@example.org",
    )
    mail.outbox.clear()
    page = web.page
    web.sign_in(manager)
    web.goto("/directory/organisations/aire-valley/services/")
    expect(page.locator("tr", has_text="Leeds housing advice")).to_contain_text("1")
    page.get_by_role("link", name="Change requests (1 waiting)").click()
    page.get_by_role("link", name="The phone number changed in May.").click()
    web.assert_accessible()
    expect(page.locator("table", has_text="Suggested changes")).to_contain_text("0113 496 0999")

    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Save decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Give a reason for the decision")
    assert page.get_by_label("Accept").is_checked()
    web.assert_accessible()

    page.get_by_label("Reason").fill("Thank you: we have a new number.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The request about Leeds housing advice has been accepted."
    )
    expect(page.locator("main")).to_contain_text("0113 496 0999")
    web.assert_accessible()

    page.get_by_role("link", name="Versions").click()
    version = page.locator("#version-2")
    expect(version).to_contain_text(f"Change request {ChangeRequest.objects.get().pk} accepted")
    expect(version).to_contain_text(manager.full_name)
    row = version.locator("tr", has_text="Phone number")
    expect(row).to_contain_text("0113 496 0000")
    expect(row).to_contain_text("0113 496 0999")
    web.assert_accessible()
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.ACCEPTED
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    assert "Thank you: we have a new number." in mail.outbox[0].body


def test_a_curator_verifies_a_stale_record_from_the_queue(web, charity, curator):
    service = directory_service(charity, name="Leeds housing advice")
    Service.objects.filter(pk=service.pk).update(last_checked_at=timezone.now() - timedelta(days=400))
    page = web.page
    web.sign_in(curator)
    web.goto("/directory/curation/")
    due = page.locator("table", has_text="Leeds housing advice").first
    expect(due).to_contain_text("Out of date")
    due.get_by_role("link", name="Verify Leeds housing advice").click()
    expect(page.locator("h1")).to_have_text("Verify this record")
    web.assert_accessible()
    page.get_by_role("button", name="Verify").click()

    expect(page).to_have_url(web.url("/directory/curation/"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Leeds housing advice is marked as verified by you today."
    )
    expect(page.get_by_text("Every published record has been checked in the last 10 months.")).to_be_visible()
    web.assert_accessible()
    service.refresh_from_db()
    assert (service.last_check_method, service.last_checked_by) == (CheckMethod.CURATOR_VERIFIED, curator)


def test_a_manager_adds_a_service_with_a_location_and_times_then_publishes_it_without_javascript(
    web_without_js, charity, manager
):
    web = web_without_js
    page = web.page
    web.sign_in(manager)
    web.goto("/directory/organisations/aire-valley/services/")
    page.get_by_role("button", name="Add a service").click()
    page.get_by_label("What the service does").fill("Drop-in advice on housing for women leaving prison.")
    page.get_by_role("radio", name="Women").check()
    page.get_by_role("button", name="Add service").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the service")
    assert page.get_by_role("radio", name="Women").is_checked()
    web.assert_accessible()
    page.get_by_label("Name of the service").fill("Women's housing drop-in")
    page.get_by_label("Accommodation").check()
    page.get_by_role("button", name="Add service").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been added as a draft")

    page.get_by_role("link", name="Add a location").click()
    page.get_by_label("Name of the location").fill("Leeds hub")
    page.get_by_label("Address line 1").fill("1 Park Row")
    page.get_by_label("Postcode").fill("ls1 5ab")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("main")).to_contain_text("LS1 5AB")

    page.get_by_role("link", name="Add times").click()
    page.get_by_label("Drop-in").check()
    page.get_by_label("Day of the week").select_option("TU")
    page.get_by_label("Opens at").fill("10:00")
    page.get_by_label("Closes at").fill("09:00")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("the closing time must be after the opening time")
    web.assert_accessible()
    page.get_by_label("Closes at").fill("12:00")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("main")).to_contain_text("Tuesday 10:00 to 12:00")
    web.assert_accessible()

    page.get_by_role("link", name="Publish it").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is published")
    expect(page.locator("main")).to_contain_text("10:00 to 12:00: Drop-in")
    service = Service.objects.get(name="Women's housing drop-in")
    assert service.is_public and service.versions.count() == 4
