"""The team page, inviting someone, withdrawing an invitation and ending a membership."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.audit.models import AuditAction, AuditEntry
from pathways.organisations.models import Invitation, Membership, Role
from tests.factories import MembershipFactory, UserFactory, role

from .helpers import token_from

pytestmark = pytest.mark.django_db


def team_url(organisation):
    return reverse("organisations:team", args=[organisation.slug])


def invite_url(organisation):
    return reverse("organisations:invite", args=[organisation.slug])


def end_url(membership):
    return reverse("organisations:membership-end", args=[membership.organisation.slug, membership.pk])


def withdraw_url(invitation):
    return reverse("organisations:invitation-withdraw", args=[invitation.organisation.slug, invitation.pk])


class TestTheTeamPage:
    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, charity):
        assert client.get(team_url(charity)).status_code == 302

    @pytest.mark.parametrize("person", ["other_manager", "curator"])
    def test_given_someone_who_is_not_a_member_then_it_is_not_found(self, person, client, charity, request):
        client.force_login(request.getfixturevalue(person))
        assert client.get(team_url(charity)).status_code == 404

    def test_given_a_bad_slug_then_it_is_not_found(self, client, worker):
        client.force_login(worker)
        assert client.get("/organisations/elsewhere/team/").status_code == 404

    def test_given_a_worker_then_they_see_the_team_and_can_leave_but_manage_nothing(
        self, client, charity, manager, worker, invite
    ):
        invitation, _ = invite(charity, "waiting@example.org", manager)
        client.force_login(worker)
        response = client.get(team_url(charity))
        content = response.content.decode()
        assert response.status_code == 200
        assert "Morgan Manager" in content and "Wren Worker" in content
        assert "waiting@example.org" in content
        assert end_url(Membership.objects.get(user=worker)) in content
        assert "Leave this organisation" in content
        assert end_url(Membership.objects.get(user=manager)) not in content
        assert invite_url(charity) not in content
        assert withdraw_url(invitation) not in content

    def test_given_a_manager_then_they_can_invite_withdraw_and_end_memberships(
        self, client, charity, manager, worker, invite
    ):
        invitation, _ = invite(charity, "waiting@example.org", manager)
        client.force_login(manager)
        content = client.get(team_url(charity)).content.decode()
        assert invite_url(charity) in content
        assert withdraw_url(invitation) in content
        assert end_url(Membership.objects.get(user=worker)) in content

    def test_given_someone_has_left_then_the_history_shows_who_when_by_whom_and_why(
        self, client, charity, manager
    ):
        leaver = UserFactory(full_name="Lee Leaver")
        MembershipFactory(
            user=leaver, organisation=charity, role=role("volunteer"),
            ended_at=timezone.now(), ended_by=manager, end_reason="Moved to Hull",
        )
        client.force_login(manager)
        response = client.get(team_url(charity))
        [past] = response.context["team"].past
        assert past.user == leaver
        content = response.content.decode()
        assert "Lee Leaver" in content and "Moved to Hull" in content and "Morgan Manager" in content


class TestInviting:
    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, charity):
        assert client.get(invite_url(charity)).status_code == 302

    def test_given_a_worker_then_they_are_forbidden_and_nothing_is_sent(self, client, charity, worker, mailoutbox):
        client.force_login(worker)
        assert client.get(invite_url(charity)).status_code == 403
        data = {"email": "x@example.org", "role": role("volunteer").pk}
        assert client.post(invite_url(charity), data).status_code == 403
        assert not Invitation.objects.exists()
        assert mailoutbox == []

    def test_given_the_manager_of_another_organisation_then_it_is_not_found(self, client, charity, other_manager):
        client.force_login(other_manager)
        assert client.get(invite_url(charity)).status_code == 404
        assert client.post(invite_url(charity), {"email": "x@example.org"}).status_code == 404

    def test_given_a_retired_role_then_it_is_not_offered(self, client, charity, manager):
        Role.objects.filter(code="evaluator").update(retired_at=timezone.now())
        client.force_login(manager)
        content = client.get(invite_url(charity)).content.decode()
        assert "Volunteer or peer mentor" in content
        assert "Evaluator" not in content

    def test_given_a_manager_when_they_invite_then_the_email_is_sent_and_the_invitation_waits(
        self, client, charity, manager, mailoutbox, django_capture_on_commit_callbacks
    ):
        client.force_login(manager)
        data = {"email": "Nia@Example.org", "full_name": "Nia New", "role": role("volunteer").pk}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(invite_url(charity), data)
        assert response.status_code == 302
        assert response.url == team_url(charity)
        invitation = Invitation.objects.get()
        assert (invitation.email, invitation.role.code) == ("nia@example.org", "volunteer")
        assert invitation.status == "Waiting"
        assert mailoutbox[0].to == ["nia@example.org"]
        assert token_from(mailoutbox[0])
        assert AuditEntry.objects.filter(target_id=str(invitation.pk), action=AuditAction.CREATED).exists()

    def test_given_missing_answers_then_the_errors_say_what_to_do(self, client, charity, manager):
        client.force_login(manager)
        response = client.post(invite_url(charity), {"email": "not an address", "full_name": "Typed name"})
        content = response.content.decode()
        assert '<a href="#id_email">Enter an email address in the correct format' in content
        assert '<a href="#id_role">Select the role they will have</a>' in content
        assert 'value="Typed name"' in content

    def test_given_someone_who_already_has_the_role_then_the_service_refusal_is_shown_on_the_email(
        self, client, charity, manager, worker
    ):
        client.force_login(manager)
        response = client.post(invite_url(charity), {"email": worker.email, "role": role("front-line-worker").pk})
        assert response.status_code == 200
        content = response.content.decode()
        assert f'<a href="#id_email">{worker.email} is already a front-line worker here.</a>' in content


class TestWithdrawing:
    def test_given_a_get_then_it_is_not_allowed(self, client, charity, manager, invite):
        invitation, _ = invite(charity, "x@example.org", manager)
        client.force_login(manager)
        assert client.get(withdraw_url(invitation)).status_code == 405

    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, charity, manager, invite):
        invitation, _ = invite(charity, "x@example.org", manager)
        assert client.post(withdraw_url(invitation)).status_code == 302
        invitation.refresh_from_db()
        assert invitation.status == "Waiting"

    def test_given_a_worker_then_they_are_forbidden(self, client, charity, manager, worker, invite):
        invitation, _ = invite(charity, "x@example.org", manager)
        client.force_login(worker)
        assert client.post(withdraw_url(invitation)).status_code == 403
        invitation.refresh_from_db()
        assert invitation.status == "Waiting"

    def test_given_the_manager_of_another_organisation_then_it_is_not_found(
        self, client, charity, manager, other_manager, invite
    ):
        invitation, _ = invite(charity, "x@example.org", manager)
        client.force_login(other_manager)
        assert client.post(withdraw_url(invitation)).status_code == 404

    def test_given_a_bad_id_then_it_is_not_found(self, client, charity, manager):
        client.force_login(manager)
        url = reverse("organisations:invitation-withdraw", args=[charity.slug, 424242])
        assert client.post(url).status_code == 404

    def test_given_a_manager_when_they_withdraw_then_the_link_stops_working_and_it_is_audited(
        self, client, charity, manager, invite
    ):
        invitation, token = invite(charity, "x@example.org", manager)
        client.force_login(manager)
        response = client.post(withdraw_url(invitation), follow=True)
        assert "The invitation to x@example.org has been withdrawn." in response.content.decode()
        invitation.refresh_from_db()
        assert invitation.status == "Withdrawn"
        assert AuditEntry.objects.filter(target_id=str(invitation.pk), action=AuditAction.REMOVED).exists()
        client.logout()
        assert client.get(reverse("organisations:invitation-accept", args=[token])).status_code == 404


class TestEndingAMembership:
    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, worker):
        assert client.get(end_url(Membership.objects.get(user=worker))).status_code == 302

    def test_given_the_manager_of_another_organisation_then_it_is_not_found(self, client, worker, other_manager):
        client.force_login(other_manager)
        membership = Membership.objects.get(user=worker)
        assert client.get(end_url(membership)).status_code == 404
        assert client.post(end_url(membership), {"reason": "No"}).status_code == 404

    def test_given_a_bad_id_then_it_is_not_found(self, client, charity, manager):
        client.force_login(manager)
        assert client.get(reverse("organisations:membership-end", args=[charity.slug, 424242])).status_code == 404

    def test_given_a_membership_that_has_ended_then_it_is_not_found(self, client, manager, worker):
        membership = Membership.objects.get(user=worker)
        Membership.objects.filter(pk=membership.pk).update(ended_at=timezone.now())
        client.force_login(manager)
        assert client.get(end_url(membership)).status_code == 404

    def test_given_a_worker_then_they_cannot_end_someone_elses(self, client, manager, worker):
        client.force_login(worker)
        membership = Membership.objects.get(user=manager)
        assert client.get(end_url(membership)).status_code == 403
        assert client.post(end_url(membership), {"reason": "Coup"}).status_code == 403
        membership.refresh_from_db()
        assert membership.is_current

    def test_given_a_worker_when_they_leave_then_they_confirm_land_home_and_the_history_stays(
        self, client, charity, worker
    ):
        membership = Membership.objects.get(user=worker)
        client.force_login(worker)
        confirmation = client.get(end_url(membership)).content.decode()
        assert "Are you sure you want to leave Aire Valley Resettlement Trust?" in confirmation
        response = client.post(end_url(membership), {"reason": ""}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("web:home")
        assert "You have left Aire Valley Resettlement Trust." in response.content.decode()
        membership.refresh_from_db()
        assert (membership.is_current, membership.ended_by) == (False, worker)
        assert client.get(team_url(charity)).status_code == 404

    def test_given_the_last_manager_when_they_try_to_leave_then_the_refusal_is_shown(self, client, manager):
        membership = Membership.objects.get(user=manager)
        client.force_login(manager)
        response = client.post(end_url(membership), {"reason": "Retiring"})
        assert response.status_code == 200
        assert "would have no manager" in response.content.decode()
        membership.refresh_from_db()
        assert membership.is_current

    def test_given_a_manager_then_ending_someone_elses_needs_a_reason(self, client, charity, manager, worker):
        membership = Membership.objects.get(user=worker)
        client.force_login(manager)
        response = client.post(end_url(membership), {"reason": ""})
        assert '<a href="#id_reason">Give a reason for ending this membership</a>' in response.content.decode()
        response = client.post(end_url(membership), {"reason": "Contract ended"})
        assert response.url == team_url(charity)
        membership.refresh_from_db()
        assert (membership.ended_by, membership.end_reason) == (manager, "Contract ended")
        entry = AuditEntry.objects.get(target_id=str(membership.pk), action=AuditAction.REMOVED)
        assert (entry.actor, entry.reason) == (manager, "Contract ended")
