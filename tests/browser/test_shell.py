from django.core import mail  # noqa: F401


def test_anyone_sees_the_landing_page_with_skip_link_and_footer(web):
    web.goto("/")
    assert web.page.get_by_role("link", name="Skip to main content").count() == 1
    assert web.page.get_by_role("link", name="Accessibility statement").is_visible()


def test_a_member_signs_in_without_javascript_and_reaches_their_home(web_without_js, worker):
    web_without_js.sign_in(worker)
    assert web_without_js.page.url == web_without_js.url("/")
    assert "Wren" in web_without_js.page.locator("h1").inner_text()


def test_a_wrong_password_shows_the_error_summary_linked_to_the_field(web, worker):
    web.page.goto(web.url("/sign-in/"))
    web.page.get_by_label("Email address").fill(worker.email)
    web.page.get_by_label("Password").fill("not-the-password")
    web.page.get_by_role("button", name="Sign in").click()
    summary = web.page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_username"
    # What was typed is kept, except the password.
    assert web.page.get_by_label("Email address").input_value() == worker.email
    web.assert_accessible()
