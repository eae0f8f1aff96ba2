"""The services that change organisations, invitations and memberships: rules, state and audit entries."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pathways.audit.models import AuditAction, AuditEntry
from pathways.core.errors import DomainError
from pathways.organisations import permissions, services
from pathways.organisations.models import Invitation, Membership, Organisation, Role, User
from tests.factories import PlaceFactory, UserFactory, member, org_type, role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-harbour-47"


def entries_for(target):
    return AuditEntry.objects.filter(target_id=str(target.pk), target_type__model=target._meta.model_name)


class TestCreatingAnOrganisation:
    def test_given_a_curator_when_they_add_an_organisation_then_it_is_created_with_its_areas_and_audited(
        self, curator, infrastructure_body
    ):
        leeds = PlaceFactory(name="Leeds")
        organisation = services.organisation_create(
            by=curator, acting_for=infrastructure_body, areas=[leeds],
            name="Kirkgate Bridges", type=org_type("social-enterprise"), charity_number="1012345",
        )
        assert organisation.slug == "kirkgate-bridges"
        assert list(organisation.areas.all()) == [leeds]
        entry = entries_for(organisation).get()
        assert entry.action == AuditAction.CREATED
        assert entry.actor == curator
        assert entry.acting_for == infrastructure_body
        assert entry.changes["charity_number"] == [None, "1012345"]
        assert entry.changes["areas"] == [None, ["Leeds"]]

    def test_given_a_name_that_a_page_address_uses_then_the_slug_avoids_it(self, curator):
        organisation = services.organisation_create(by=curator, name="New", type=org_type("charity"))
        assert organisation.slug == "new-2"

    def test_given_a_manager_when_they_add_an_organisation_then_they_are_refused(self, manager):
        with pytest.raises(PermissionDenied):
            services.organisation_create(by=manager, name="Not Allowed", type=org_type("charity"))
        assert not Organisation.objects.filter(name="Not Allowed").exists()


class TestUpdatingAnOrganisation:
    def test_given_its_manager_when_they_change_details_then_only_the_differences_are_audited(
        self, charity, manager
    ):
        bradford = PlaceFactory(name="Bradford")
        services.organisation_update(
            organisation=charity, by=manager, acting_for=charity, areas=[bradford],
            description="Housing advice on release", annual_income=250000,
        )
        charity.refresh_from_db()
        assert charity.size_band == "medium"
        entry = entries_for(charity).get()
        assert entry.action == AuditAction.CHANGED
        assert entry.changes == {
            "annual_income": [None, "250000"],
            "areas": [[], ["Bradford"]],
            "description": ["", "Housing advice on release"],
        }

    def test_given_the_instance_was_already_changed_in_memory_then_the_diff_is_still_from_the_database(
        self, charity, manager
    ):
        charity.name = "Renamed in a form"
        services.organisation_update(organisation=charity, by=manager, name="Renamed in a form")
        assert entries_for(charity).get().changes == {
            "name": ["Aire Valley Resettlement Trust", "Renamed in a form"]
        }

    def test_given_nothing_changed_then_no_entry_is_written(self, charity, manager):
        services.organisation_update(organisation=charity, by=manager, name=charity.name)
        assert not entries_for(charity).exists()

    def test_given_a_curator_then_they_can_update_any_organisation(self, charity, curator):
        services.organisation_update(organisation=charity, by=curator, phone="0113 496 0000")
        assert entries_for(charity).get().actor == curator

    @pytest.mark.parametrize("person", ["worker", "other_manager"])
    def test_given_someone_who_may_not_edit_then_they_are_refused_and_nothing_changes(self, person, charity, request):
        with pytest.raises(PermissionDenied):
            services.organisation_update(organisation=charity, by=request.getfixturevalue(person), name="Taken over")
        charity.refresh_from_db()
        assert charity.name == "Aire Valley Resettlement Trust"
        assert not entries_for(charity).exists()

    def test_given_a_bad_charity_number_then_it_is_refused(self, charity, manager):
        with pytest.raises(ValidationError) as raised:
            services.organisation_update(organisation=charity, by=manager, charity_number="12")
        assert "charity_number" in raised.value.message_dict


class TestSendingAnInvitation:
    def test_given_a_manager_when_they_invite_then_an_email_carries_the_only_copy_of_the_link(
        self, charity, manager, invite, mailoutbox
    ):
        invitation, token = invite(charity, "New.Person@Example.org", manager, full_name="Nia New")
        assert invitation.email == "new.person@example.org"
        assert invitation.status == "Waiting"
        assert token not in invitation.token_hash
        message = mailoutbox[-1]
        assert message.to == ["new.person@example.org"]
        assert "Aire Valley Resettlement Trust" in message.subject
        assert f"/organisations/invitations/{token}/" in message.body
        assert "Dear Nia New" in message.body
        entry = entries_for(invitation).get()
        assert (entry.action, entry.actor, entry.owner) == (AuditAction.CREATED, manager, charity)

    @pytest.mark.parametrize("person", ["worker", "other_manager", "curator"])
    def test_given_someone_who_is_not_its_manager_then_they_cannot_invite(self, person, charity, request, mailoutbox):
        with pytest.raises(PermissionDenied):
            services.invitation_send(
                organisation=charity, email="x@example.org", role=role("volunteer"), by=request.getfixturevalue(person)
            )
        assert not Invitation.objects.exists()
        assert mailoutbox == []

    def test_given_a_retired_role_then_it_is_refused(self, charity, manager):
        Role.objects.filter(code="volunteer").update(retired_at=timezone.now())
        with pytest.raises(DomainError) as raised:
            services.invitation_send(organisation=charity, email="x@example.org", role=role("volunteer"), by=manager)
        assert raised.value.field == "role"

    def test_given_someone_who_already_has_that_role_then_it_is_refused(self, charity, manager, worker):
        with pytest.raises(DomainError) as raised:
            services.invitation_send(
                organisation=charity, email=worker.email.upper(), role=role("front-line-worker"), by=manager
            )
        assert raised.value.field == "email"

    def test_given_a_second_invitation_to_the_same_address_then_the_first_link_stops_working(
        self, charity, manager, invite
    ):
        first, first_token = invite(charity, "again@example.org", manager)
        invite(charity, "again@example.org", manager)
        first.refresh_from_db()
        assert first.status == "Withdrawn"
        replaced = entries_for(first).get(action=AuditAction.REMOVED)
        assert replaced.reason == "Replaced by a new invitation."
        with pytest.raises(DomainError):
            services.invitation_accept(token=first_token, full_name="Again", password=NEW_PASSWORD)


class TestAcceptingAnInvitation:
    def test_given_a_new_person_when_they_accept_then_their_account_and_membership_are_created(
        self, charity, manager, invite
    ):
        invitation, token = invite(charity, "nia@example.org", manager, role_code="volunteer")
        membership = services.invitation_accept(token=token, full_name="Nia New", password=NEW_PASSWORD)
        user = User.objects.get(email="nia@example.org")
        assert user.full_name == "Nia New"
        assert user.check_password(NEW_PASSWORD)
        assert (membership.user, membership.organisation, membership.role.code) == (user, charity, "volunteer")
        assert permissions.is_member(user, charity)
        invitation.refresh_from_db()
        assert (invitation.status, invitation.accepted_by) == ("Accepted", user)
        assert entries_for(user).get().action == AuditAction.CREATED
        assert entries_for(membership).get().actor == user

    def test_given_an_accepted_invitation_then_its_link_cannot_be_used_again(self, charity, manager, invite):
        _, token = invite(charity, "nia@example.org", manager)
        services.invitation_accept(token=token, full_name="Nia New", password=NEW_PASSWORD)
        with pytest.raises(DomainError, match="expired or has already been used"):
            services.invitation_accept(token=token, user=User.objects.get(email="nia@example.org"))
        assert Membership.objects.filter(user__email="nia@example.org").count() == 1

    def test_given_an_unknown_token_then_it_is_refused(self, db):
        with pytest.raises(DomainError, match="expired or has already been used"):
            services.invitation_accept(token="not-a-token", full_name="X", password=NEW_PASSWORD)

    def test_given_an_expired_invitation_then_it_is_refused(self, charity, manager, invite):
        _, token = invite(charity, "late@example.org", manager)
        with time_machine.travel(timezone.now() + services.INVITATION_LIFETIME + timedelta(minutes=1)):
            with pytest.raises(DomainError, match="expired"):
                services.invitation_accept(token=token, full_name="Late", password=NEW_PASSWORD)
        assert not User.objects.filter(email="late@example.org").exists()

    def test_given_a_withdrawn_invitation_then_it_is_refused(self, charity, manager, invite):
        invitation, token = invite(charity, "gone@example.org", manager)
        services.invitation_withdraw(invitation=invitation, by=manager)
        with pytest.raises(DomainError):
            services.invitation_accept(token=token, full_name="Gone", password=NEW_PASSWORD)
        assert entries_for(invitation).filter(action=AuditAction.REMOVED).count() == 1

    def test_given_a_weak_password_then_nothing_is_created_and_the_link_still_works(self, charity, manager, invite):
        invitation, token = invite(charity, "nia@example.org", manager)
        with pytest.raises(DomainError) as raised:
            services.invitation_accept(token=token, full_name="Nia New", password="password")
        assert raised.value.field == "password"
        assert "too short" in raised.value.message and "too common" in raised.value.message
        assert not User.objects.filter(email="nia@example.org").exists()
        invitation.refresh_from_db()
        assert invitation.status == "Waiting"

    def test_given_no_name_then_it_is_refused(self, charity, manager, invite):
        _, token = invite(charity, "nia@example.org", manager)
        with pytest.raises(DomainError) as raised:
            services.invitation_accept(token=token, full_name="  ", password=NEW_PASSWORD)
        assert raised.value.field == "full_name"

    def test_given_the_address_already_has_an_account_then_a_new_one_is_not_made(
        self, charity, manager, other_manager, invite
    ):
        _, token = invite(charity, other_manager.email, manager)
        with pytest.raises(DomainError, match="already have an account"):
            services.invitation_accept(token=token, full_name="Someone", password=NEW_PASSWORD)

    def test_given_the_invited_person_signed_in_then_they_join_with_their_account(
        self, charity, manager, other_manager, invite
    ):
        _, token = invite(charity, other_manager.email.upper(), manager, role_code="evaluator")
        membership = services.invitation_accept(token=token, user=other_manager)
        assert membership.user == other_manager
        assert permissions.is_member(other_manager, charity)

    def test_given_someone_signed_in_with_another_address_then_it_is_refused(self, charity, manager, worker, invite):
        invitation, token = invite(charity, "someone.else@example.org", manager)
        with pytest.raises(DomainError, match="someone.else@example.org"):
            services.invitation_accept(token=token, user=worker)
        invitation.refresh_from_db()
        assert invitation.status == "Waiting"

    def test_given_they_already_have_that_role_then_nothing_changes(self, charity, manager, invite):
        newcomer = UserFactory(email="twice@example.org")
        _, token = invite(charity, newcomer.email, manager)
        Membership.objects.create(user=newcomer, organisation=charity, role=role("front-line-worker"))
        with pytest.raises(DomainError, match="already a front-line worker"):
            services.invitation_accept(token=token, user=newcomer)
        assert Invitation.objects.pending().filter(email=newcomer.email).exists()


class TestWithdrawingAnInvitation:
    def test_given_a_worker_then_they_cannot_withdraw(self, charity, manager, worker, invite):
        invitation, _ = invite(charity, "x@example.org", manager)
        with pytest.raises(PermissionDenied):
            services.invitation_withdraw(invitation=invitation, by=worker)

    def test_given_an_invitation_already_withdrawn_then_it_cannot_be_withdrawn_again(self, charity, manager, invite):
        invitation, _ = invite(charity, "x@example.org", manager)
        services.invitation_withdraw(invitation=invitation, by=manager)
        invitation.refresh_from_db()
        with pytest.raises(DomainError):
            services.invitation_withdraw(invitation=invitation, by=manager)


class TestEndingAMembership:
    def test_given_a_worker_when_they_leave_then_the_history_stays_and_access_ends(self, charity, worker):
        membership = Membership.objects.get(user=worker)
        services.membership_end(membership=membership, by=worker, reason="Moving away")
        membership.refresh_from_db()
        assert not membership.is_current
        assert (membership.ended_by, membership.end_reason) == (worker, "Moving away")
        assert Membership.objects.filter(user=worker, organisation=charity).count() == 1
        assert not permissions.is_member(worker, charity)
        entry = entries_for(membership).get()
        assert (entry.action, entry.reason, entry.owner) == (AuditAction.REMOVED, "Moving away", charity)

    def test_given_a_worker_then_leaving_needs_no_reason(self, worker):
        membership = services.membership_end(membership=Membership.objects.get(user=worker), by=worker)
        assert membership.ended_at is not None

    def test_given_a_manager_when_they_end_someone_elses_membership_then_a_reason_is_required(
        self, charity, manager, worker
    ):
        membership = Membership.objects.get(user=worker)
        with pytest.raises(DomainError) as raised:
            services.membership_end(membership=membership, by=manager, reason="  ")
        assert raised.value.field == "reason"
        services.membership_end(membership=membership, by=manager, reason="Left the charity in March")
        membership.refresh_from_db()
        assert membership.ended_by == manager

    def test_given_the_last_manager_when_they_try_to_leave_then_they_are_refused(self, charity, manager):
        membership = Membership.objects.get(user=manager)
        with pytest.raises(DomainError, match="would have no manager"):
            services.membership_end(membership=membership, by=manager)
        membership.refresh_from_db()
        assert membership.is_current
        assert not entries_for(membership).exists()

    def test_given_another_manager_when_one_leaves_then_it_is_allowed(self, charity, manager):
        member("manager", charity)
        services.membership_end(membership=Membership.objects.get(user=manager), by=manager)
        assert not permissions.is_member(User.objects.get(pk=manager.pk), charity)

    def test_given_a_worker_when_they_try_to_end_a_managers_membership_then_they_are_refused(
        self, charity, manager, worker
    ):
        with pytest.raises(PermissionDenied):
            services.membership_end(membership=Membership.objects.get(user=manager), by=worker, reason="No")

    def test_given_the_manager_of_another_organisation_then_they_are_refused(self, worker, other_manager):
        with pytest.raises(PermissionDenied):
            services.membership_end(membership=Membership.objects.get(user=worker), by=other_manager, reason="No")
