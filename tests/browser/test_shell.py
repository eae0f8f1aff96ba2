"""The GOV.UK shell: public pages, navigation, sign-in with and without JavaScript, the keyboard, lock-out."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_anyone_sees_the_landing_page_with_skip_link_and_footer(web):
    web.goto("/")
    expect(web.page.get_by_role("link", name="Skip to main content")).to_have_count(1)
    expect(web.page.get_by_role("link", name="Accessibility statement")).to_be_visible()
    assert web.page.locator("h1").inner_text() == "Pathways"
    expect(web.page.get_by_role("heading", name="How to get an account")).to_be_visible()


def test_the_start_button_on_the_landing_page_leads_to_sign_in(web, db):
    web.goto("/")
    web.page.get_by_role("button", name="Sign in").click()
    expect(web.page).to_have_url(web.url("/sign-in/"))


@pytest.mark.parametrize(
    "link, heading",
    [
        ("Accessibility statement", "Accessibility statement for Pathways"),
        ("Cookies", "Cookies"),
        ("Privacy", "Privacy notice"),
    ],
)
def test_each_footer_link_opens_its_page(web, db, link, heading):
    web.goto("/")
    web.page.locator("footer").get_by_role("link", name=link, exact=True).click()
    assert web.page.locator("h1").inner_text() == heading
    web.assert_accessible()


def test_the_service_navigation_marks_the_current_page(web, db):
    web.goto("/")
    assert web.page.locator('[aria-current="page"]').inner_text() == "Home"
    web.page.locator("header").get_by_role("link", name="Sign in").click()
    current = web.page.locator('[aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text("Sign in")
    web.goto("/cookies/")
    expect(web.page.locator('[aria-current="page"]')).to_have_count(0)


def test_the_first_tab_reaches_the_skip_link_which_moves_to_the_main_content(web, db):
    web.goto("/privacy/")
    web.page.keyboard.press("Tab")
    focused = web.page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    web.page.keyboard.press("Enter")
    # Following the link takes a moment: wait for it rather than read the address at once.
    expect(web.page).to_have_url(re.compile(r"#main-content$"))
    expect(web.page.locator("#main-content")).to_be_focused()


def test_a_member_signs_in_with_the_keyboard_alone(web, worker):
    web.goto("/sign-in/")
    web.page.get_by_label("Email address").focus()
    web.page.keyboard.type(worker.email)
    web.page.keyboard.press("Tab")
    web.page.keyboard.type(PASSWORD)
    web.page.keyboard.press("Enter")
    web.page.wait_for_url(web.url("/"))
    assert "Wren" in web.page.locator("h1").inner_text()


def test_a_member_signs_in_without_javascript_and_reaches_their_home(web_without_js, worker):
    web_without_js.sign_in(worker)
    expect(web_without_js.page).to_have_url(web_without_js.url("/"))
    assert "Wren" in web_without_js.page.locator("h1").inner_text()


def test_a_member_signs_out_without_javascript(web_without_js, worker):
    web_without_js.sign_in(worker)
    web_without_js.page.get_by_role("button", name="Sign out").click()
    expect(web_without_js.page).to_have_url(web_without_js.url("/signed-out/"))
    assert web_without_js.page.locator("h1").inner_text() == "You have signed out"


def test_a_wrong_password_shows_the_error_summary_linked_to_the_field(web, worker):
    web.page.goto(web.url("/sign-in/"))
    web.page.get_by_label("Email address").fill(worker.email)
    web.page.get_by_label("Password").fill("not-the-password")
    web.page.get_by_role("button", name="Sign in").click()
    summary = web.page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_username"
    # What was typed is kept, except the password.
    assert web.page.get_by_label("Email address").input_value() == worker.email
    web.assert_accessible()


def test_repeated_failures_lead_to_the_locked_out_page(web, worker):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        web.sign_in(worker, password="not-the-password")
    assert web.page.locator("h1").inner_text() == "You cannot sign in for now"
    web.assert_accessible()
    # Even the right password is refused now.
    web.sign_in(worker)
    assert web.page.locator("h1").inner_text() == "You cannot sign in for now"


def test_an_unknown_address_shows_page_not_found(web, db):
    response = web.goto("/no-such-page/")
    assert response.status == 404
    assert web.page.locator("h1").inner_text() == "Page not found"
