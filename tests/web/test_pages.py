"""The public pages, and the error pages in the GOV.UK patterns."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from tests.factories import PASSWORD, MembershipFactory, role

from .conftest import main_of


@pytest.mark.parametrize(
    "name, heading",
    [
        ("web:home", "Pathways"),
        ("web:accessibility", "Accessibility statement for Pathways"),
        ("web:cookies", "Cookies"),
        ("web:privacy", "Privacy notice"),
        ("web:sign-in", "Sign in to Pathways"),
        ("web:signed-out", "You have signed out"),
        ("web:password-reset", "Reset your password"),
    ],
)
def test_public_pages_open_to_anyone_signed_out(client, db, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assertContains(response, f'<h1 class="govuk-heading-{"xl" if name == "web:home" else "l"}">{heading}</h1>')


def test_every_page_has_the_footer_links_and_a_skip_link(client, db):
    response = client.get(reverse("web:privacy"))
    for name in ("web:accessibility", "web:cookies", "web:privacy"):
        assertContains(response, f'href="{reverse(name)}"')
    assertContains(response, '<a href="#main-content" class="govuk-skip-link"')


def test_landing_page_says_what_pathways_is_who_it_is_for_and_how_to_get_an_account(client, db):
    page = main_of(client.get(reverse("web:home")))
    for words in (
        "A live record of who provides what",
        "neutral bidding agency",
        "Records that keep the sector's values",
        "One record, many returns",
        "Who it is for",
        "invite you",
    ):
        assert words in page
    assert f'href="{reverse("web:sign-in")}" role="button"' in page


def test_landing_page_links_only_to_pages_that_exist(client, db):
    page = main_of(client.get(reverse("web:home")))
    assert page.count('href="') == page.count(f'href="{reverse("web:sign-in")}"')


def test_cookies_page_names_only_the_essential_cookies_with_their_lifetimes(client, db):
    page = main_of(client.get(reverse("web:cookies")))
    assert settings.SESSION_COOKIE_NAME == "sessionid" and settings.CSRF_COOKIE_NAME == "csrftoken"
    assert "sessionid" in page and "csrftoken" in page
    assert f"after {settings.SESSION_COOKIE_AGE // 60} minutes without activity" in page
    assert f"{settings.CSRF_COOKIE_AGE // 86400} days" in page
    assert "Why there is no cookie banner" in page


def test_the_cookies_that_pathways_sets_are_the_ones_the_cookies_page_names(client, charity, other_charity, manager):
    """Signing in, switching organisation (which shows a message) and signing out set no other cookie."""
    MembershipFactory(user=manager, organisation=other_charity, role=role("volunteer"))
    set_cookies = set()
    steps = [
        ("get", reverse("web:sign-in"), {}),
        ("post", reverse("web:sign-in"), {"username": manager.email, "password": PASSWORD}),
        ("post", reverse("web:acting-for"), {"organisation": other_charity.pk}),
        ("get", reverse("web:home"), {}),
        ("post", reverse("web:sign-out"), {}),
    ]
    for method, url, data in steps:
        response = getattr(client, method)(url, data)
        set_cookies |= set(response.cookies)
    assert set_cookies == {"sessionid", "csrftoken"}


def test_cookies_cannot_be_read_by_javascript(client, worker):
    client.get(reverse("web:sign-in"))
    response = client.post(reverse("web:sign-in"), {"username": worker.email, "password": PASSWORD})
    assert response.cookies["sessionid"]["httponly"]
    assert client.cookies["csrftoken"]["httponly"]


def test_accessibility_statement_states_the_standard_testing_limitations_reporting_and_enforcement(client, db):
    page = main_of(client.get(reverse("web:accessibility")))
    for words in (
        "WCAG) version 2.2 at level AA",
        "axe-core",
        "keyboard",
        "We know of these problems",
        "Reporting accessibility problems",
        "Equality and Human Rights Commission (EHRC)",
    ):
        assert words in page


def test_privacy_notice_covers_offence_data_access_audit_sharing_retention_rights_and_controller(client, db):
    page = main_of(client.get(reverse("web:privacy")))
    for words in (
        "criminal offence data under Article 10",
        "Least privilege",
        "Every look is recorded",
        "Sharing is by agreement",
        "Kept only as long as needed",
        "subject access request",
        "data controller for the records it keeps",
        "contact the organisation that holds the record",
    ):
        assert words in page


# Error pages ---------------------------------------------------------------------------------------

def test_an_unknown_address_shows_page_not_found(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertContains(response, "Page not found", status_code=404)


def test_page_not_found_is_the_same_for_someone_elses_organisation_as_for_none(client, charity, other_manager):
    """A member of another organisation learns nothing: the page is the one for an address that never existed."""
    client.force_login(other_manager)
    theirs = client.get(reverse("organisations:detail", args=[charity.slug]))
    missing = client.get(reverse("organisations:detail", args=["no-such-organisation"]))
    assert theirs.status_code == missing.status_code == 404
    assert main_of(theirs) == main_of(missing)
    assertNotContains(theirs, "Aire Valley", status_code=404)


@pytest.mark.urls("tests.web.error_urls")
def test_a_refusal_shows_the_sorry_you_cannot_do_this_page(client, worker):
    client.force_login(worker)
    response = client.get("/refuses/")
    assert response.status_code == 403
    assertTemplateUsed(response, "403.html")
    assertContains(response, "Your role at Aire Valley Resettlement Trust does not allow it.", status_code=403)


@pytest.mark.urls("tests.web.error_urls")
def test_a_server_error_shows_sorry_there_is_a_problem_with_the_service(db):
    client = Client(raise_request_exception=False)
    response = client.get("/fails/")
    assert response.status_code == 500
    assertContains(response, "Sorry, there is a problem with the service", status_code=500)
    assertNotContains(response, "Something went wrong on the server", status_code=500)
    assertNotContains(response, "<script nonce", status_code=500)


def test_a_form_sent_without_its_security_token_shows_a_page_in_plain_words(db):
    response = Client(enforce_csrf_checks=True).post(reverse("web:sign-in"), {"username": "a@example.org"})
    assert response.status_code == 403
    assertContains(response, "Go back, reload the page and try again.", status_code=403)
