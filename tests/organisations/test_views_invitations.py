"""Following an invitation link: joining with a new account, with an existing one, or not at all."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from pathways.organisations.middleware import SESSION_KEY as ACTING_FOR
from pathways.organisations.models import Membership, User
from pathways.organisations.services import INVITATION_LIFETIME
from tests.factories import MembershipFactory, role

pytestmark = pytest.mark.django_db

PASSWORD = "lantern-harbour-47"
EXPIRED_OR_USED = "This invitation link has expired or has already been used"


def accept_url(token):
    return reverse("organisations:invitation-accept", args=[token])


def joining(full_name="Nia New", password=PASSWORD, confirm=None):
    return {"full_name": full_name, "password": password, "password_confirm": password if confirm is None else confirm}


@pytest.fixture
def invited(charity, manager, invite):
    """A waiting invitation for nia@example.org, who has no account: (invitation, token)."""
    return invite(charity, "nia@example.org", manager, role_code="volunteer", full_name="Nia New")


class TestALinkThatDoesNotWork:
    def test_given_an_unknown_token_then_a_plain_page_says_so(self, client, db):
        response = client.get(accept_url("made-up-token"))
        assert response.status_code == 404
        assert EXPIRED_OR_USED in response.content.decode()

    def test_given_an_expired_invitation_then_it_does_not_work(self, client, invited):
        _, token = invited
        with time_machine.travel(timezone.now() + INVITATION_LIFETIME + timedelta(seconds=1)):
            response = client.get(accept_url(token))
            assert response.status_code == 404
            assert client.post(accept_url(token), joining()).status_code == 404
        assert not User.objects.filter(email="nia@example.org").exists()


class TestANewPerson:
    def test_given_the_link_then_they_see_who_invited_them_and_their_name_filled_in(self, client, invited):
        _, token = invited
        content = client.get(accept_url(token)).content.decode()
        assert (
            "Morgan Manager has invited you to join Aire Valley Resettlement Trust as volunteer or peer mentor"
        ) in content
        assert "nia@example.org" in content
        assert 'value="Nia New"' in content

    def test_when_they_create_their_account_then_they_are_signed_in_and_land_home_with_a_banner(
        self, client, charity, invited
    ):
        invitation, token = invited
        response = client.post(accept_url(token), joining(), follow=True)
        assert response.redirect_chain[-1][0] == reverse("web:home")
        content = response.content.decode()
        assert "You have joined Aire Valley Resettlement Trust as volunteer or peer mentor." in content
        user = User.objects.get(email="nia@example.org")
        assert client.session[AUTH_SESSION_KEY] == str(user.pk)
        assert client.session[ACTING_FOR] == charity.pk
        assert Membership.objects.current().filter(user=user, organisation=charity, role__code="volunteer").exists()

    def test_given_the_link_has_been_used_then_it_does_not_work_again(self, client, invited):
        _, token = invited
        client.post(accept_url(token), joining())
        client.logout()
        response = client.get(accept_url(token))
        assert response.status_code == 404
        assert EXPIRED_OR_USED in response.content.decode()

    def test_given_passwords_that_differ_then_the_error_is_on_the_confirmation(self, client, invited):
        _, token = invited
        response = client.post(accept_url(token), joining(confirm="something-else-entirely"))
        assert '<a href="#id_password_confirm">The two passwords do not match' in response.content.decode()
        assert not User.objects.filter(email="nia@example.org").exists()

    def test_given_a_weak_password_then_the_validators_explain_in_the_error_summary(self, client, invited):
        _, token = invited
        response = client.post(accept_url(token), joining(full_name="Typed Name", password="12345678"))
        content = response.content.decode()
        assert response.status_code == 200
        assert '<a href="#id_password">This password is too short.' in content
        assert "This password is entirely numeric." in content
        assert 'value="Typed Name"' in content
        assert not User.objects.filter(email="nia@example.org").exists()

    def test_given_no_name_and_a_weak_password_then_both_problems_show_at_once(self, client, invited):
        _, token = invited
        content = client.post(accept_url(token), joining(full_name="", password="nia@example.org")).content.decode()
        assert '<a href="#id_full_name">Enter your full name</a>' in content
        assert '<a href="#id_password">The password is too similar to the email.</a>' in content

    def test_given_no_answers_then_each_field_says_what_to_do(self, client, invited):
        _, token = invited
        content = client.post(accept_url(token), joining(full_name="", password="", confirm="")).content.decode()
        assert '<a href="#id_full_name">Enter your full name</a>' in content
        assert '<a href="#id_password">Enter a password</a>' in content


class TestSomeoneWithAnAccount:
    def test_given_they_are_not_signed_in_then_they_are_asked_to_sign_in_and_come_back(
        self, client, charity, manager, other_manager, invite
    ):
        _, token = invite(charity, other_manager.email, manager)
        response = client.get(accept_url(token))
        content = response.content.decode()
        assert "Sign in to join Aire Valley Resettlement Trust" in content
        assert f"{reverse('web:sign-in')}?next=%2Forganisations%2Finvitations%2F{token}%2F" in content
        assert client.post(accept_url(token), joining()).status_code == 200
        assert Membership.objects.filter(user=other_manager).count() == 1

    def test_given_they_are_signed_in_with_the_invited_address_then_they_confirm_and_join(
        self, client, charity, manager, other_manager, invite
    ):
        _, token = invite(charity, other_manager.email, manager, role_code="evaluator")
        client.force_login(other_manager)
        assert "Join Aire Valley Resettlement Trust" in client.get(accept_url(token)).content.decode()
        response = client.post(accept_url(token), follow=True)
        assert "You have joined Aire Valley Resettlement Trust as evaluator." in response.content.decode()
        assert Membership.objects.current().filter(user=other_manager, organisation=charity).exists()
        assert client.session[ACTING_FOR] == charity.pk

    def test_given_they_already_have_the_role_then_the_refusal_is_shown(
        self, client, charity, manager, other_manager, invite
    ):
        _, token = invite(charity, other_manager.email, manager)
        MembershipFactory(user=other_manager, organisation=charity, role=role("front-line-worker"))
        client.force_login(other_manager)
        response = client.post(accept_url(token))
        assert response.status_code == 200
        assert "You are already a front-line worker at Aire Valley Resettlement Trust." in response.content.decode()

    def test_given_someone_signed_in_with_another_address_then_they_are_told_and_offered_sign_out(
        self, client, invited, worker
    ):
        _, token = invited
        client.force_login(worker)
        content = client.get(accept_url(token)).content.decode()
        assert "was sent to nia@example.org, but you are signed in as worker@example.org" in content
        assert f'action="{reverse("web:sign-out")}"' in content
        assert f'name="next" value="{accept_url(token)}"' in content
        assert client.post(accept_url(token)).status_code == 200
        assert not Membership.objects.filter(user=worker, role__code="volunteer").exists()
