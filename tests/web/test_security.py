"""The security baseline: throttled sign-in, password reset by email, idle sessions, POST-only sign-out,
CSRF, and secure headers on every response."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateUsed

from tests.factories import PASSWORD, UserFactory

SIGN_IN = reverse("web:sign-in")


def sign_in(client, email, password=PASSWORD):
    return client.post(SIGN_IN, {"username": email, "password": password})


def is_signed_in(client) -> bool:
    return client.get(reverse("web:home")).wsgi_request.user.is_authenticated


# Throttled sign-in ---------------------------------------------------------------------------------

def test_failures_below_the_limit_show_the_form_again(client, worker):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, worker.email, "wrong-password")
        assert response.status_code == 200
        assertContains(response, "Enter a correct email address and password")


def test_after_the_limit_even_the_right_password_is_refused_with_the_locked_out_page(client, worker):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        sign_in(client, worker.email, "wrong-password")
    response = sign_in(client, worker.email)
    assert response.status_code == 429
    assertTemplateUsed(response, "web/locked_out.html")
    assertContains(response, "You cannot sign in for now", status_code=429)
    assertContains(response, "for the next 15 minutes", status_code=429)
    assert not is_signed_in(client)


def test_a_locked_email_does_not_lock_out_other_people_at_the_same_address(client, worker, manager):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, worker.email, "wrong-password")
    assertRedirects(sign_in(client, manager.email), reverse("web:home"))


def test_the_lock_lifts_after_the_cool_off_time(client, worker):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, worker.email, "wrong-password")
        assert sign_in(client, worker.email).status_code == 429
        traveller.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        assertRedirects(sign_in(client, worker.email), reverse("web:home"))


def test_signing_in_successfully_starts_the_count_again(client, worker):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, worker.email, "wrong-password")
    assertRedirects(sign_in(client, worker.email), reverse("web:home"))
    client.post(reverse("web:sign-out"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, worker.email, "wrong-password")
    assertRedirects(sign_in(client, worker.email), reverse("web:home"))


# Password reset by email ---------------------------------------------------------------------------

def _reset_link() -> str:
    return re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[-1].body).group(1)


def test_password_reset_sends_a_link_that_sets_a_new_password_once(client, worker):
    response = client.post(reverse("web:password-reset"), {"email": worker.email})
    assertRedirects(response, reverse("web:password-reset-sent"))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [worker.email]
    assert mail.outbox[0].subject == "Reset your Pathways password"
    link = _reset_link()

    form_page = client.get(link, follow=True)
    assertContains(form_page, "Choose a new password")
    new_password = "a-brand-new-long-password"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assertRedirects(done, reverse("web:password-reset-complete"))

    assertContains(client.get(link, follow=True), "This link has expired")
    assert sign_in(Client(), worker.email).status_code == 200  # the old password no longer works
    assertRedirects(sign_in(Client(), worker.email, new_password), reverse("web:home"))


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client, worker):
    known = client.post(reverse("web:password-reset"), {"email": worker.email}, follow=True)
    unknown = client.post(reverse("web:password-reset"), {"email": "nobody@example.org"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain == [(reverse("web:password-reset-sent"), 302)]
    assertContains(unknown, "Check your email")
    assert [message.to for message in mail.outbox] == [[worker.email]]


def test_password_reset_asks_for_a_valid_email(client, db):
    response = client.post(reverse("web:password-reset"), {"email": "not an email"})
    assertContains(response, 'class="govuk-error-summary"')
    assert not mail.outbox


# Sessions ------------------------------------------------------------------------------------------

def test_a_session_ends_after_the_idle_time(client, worker):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, worker.email)
        traveller.shift(idle - timedelta(minutes=1))
        assert is_signed_in(client)
        # Each request starts the idle time again.
        traveller.shift(idle - timedelta(minutes=1))
        assert is_signed_in(client)
        traveller.shift(idle + timedelta(seconds=1))
        assert not is_signed_in(client)
        assertTemplateUsed(client.get(reverse("web:home")), "web/landing.html")


def test_signed_out_page_gives_the_idle_time(client, db):
    assertContains(client.get(reverse("web:signed-out")), f"after {settings.SESSION_COOKIE_AGE // 60} minutes")


def test_sign_out_by_get_is_refused(client, worker):
    sign_in(client, worker.email)
    assert client.get(reverse("web:sign-out")).status_code == 405
    assert is_signed_in(client)


def test_sign_out_by_post_signs_out_and_says_so(client, worker):
    sign_in(client, worker.email)
    assertRedirects(client.post(reverse("web:sign-out")), reverse("web:signed-out"))
    assert not is_signed_in(client)


# CSRF ----------------------------------------------------------------------------------------------

def test_a_post_without_the_csrf_token_is_refused(worker):
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, worker.email).status_code == 403
    assert not is_signed_in(client)


def test_sign_out_without_the_csrf_token_is_refused(worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    assert client.post(reverse("web:sign-out")).status_code == 403
    assert is_signed_in(client)


def test_a_post_with_the_csrf_token_is_accepted(worker):
    client = Client(enforce_csrf_checks=True)
    client.get(SIGN_IN)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(SIGN_IN, {"username": worker.email, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assertRedirects(response, reverse("web:home"))


# Headers -------------------------------------------------------------------------------------------

def _directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(
    "path", ["/", "/sign-in/", "/accessibility/", "/cookies/", "/privacy/", "/password-reset/", "/no-such-page/"]
)
def test_every_response_has_the_secure_headers(client, worker, signed_in, path):
    if signed_in:
        client.force_login(worker)
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_locked_out_page_has_the_secure_headers_too(client, worker):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, worker.email, "wrong-password")
    assert response.status_code == 429
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_the_one_inline_script_carries_the_nonce_the_policy_allows(client, db):
    response = client.get("/")
    nonce = re.search(r'<script nonce="([^"]+)">', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in _directives(response["Content-Security-Policy"])["script-src"]
    assert response.content.decode().count("<script") == 2  # the nonce script and the module file


def test_no_account_is_revealed_by_the_sign_in_error(client, worker):
    unknown = sign_in(client, "nobody@example.org", "wrong-password")
    known = sign_in(client, worker.email, "wrong-password")
    assert unknown.context["form"].errors == known.context["form"].errors


def test_a_closed_account_cannot_sign_in(client, db):
    closed = UserFactory(is_active=False)
    response = sign_in(client, closed.email)
    assert response.status_code == 200
    assert not is_signed_in(client)
