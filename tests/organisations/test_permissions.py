"""Who may do what with organisations and their people. Outsiders get a 404, never a hint."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from pathways.organisations import permissions
from pathways.organisations.models import Invitation, Membership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, member, org_type, role

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def membership_of(user):
    return Membership.objects.current().get(user=user)


class TestCurating:
    def test_given_a_curator_at_an_infrastructure_body_then_they_can_curate_and_list_organisations(self, curator):
        assert permissions.can_curate(curator)
        assert permissions.can_list_organisations(curator)

    def test_given_the_curator_role_at_a_charity_then_the_type_does_not_allow_curating(self, charity):
        curator_at_charity = member("curator", charity)
        assert not permissions.can_curate(curator_at_charity)

    @pytest.mark.parametrize("person", ["manager", "worker", "other_manager"])
    def test_given_anyone_else_then_they_cannot_list_organisations(self, person, request):
        assert not permissions.can_list_organisations(request.getfixturevalue(person))

    def test_given_an_anonymous_visitor_then_they_cannot_list_organisations(self, db):
        assert not permissions.can_list_organisations(ANONYMOUS)


class TestViewingAnOrganisation:
    @pytest.mark.parametrize("person", ["manager", "worker", "curator"])
    def test_given_a_member_or_a_curator_then_they_can_view_it(self, person, charity, request):
        assert permissions.can_view_organisation(request.getfixturevalue(person), charity)

    def test_given_a_member_of_another_organisation_then_they_cannot(self, charity, other_manager):
        assert not permissions.can_view_organisation(other_manager, charity)

    def test_given_an_anonymous_visitor_then_they_cannot(self, charity):
        assert not permissions.can_view_organisation(ANONYMOUS, charity)

    def test_given_a_former_member_then_they_cannot(self, charity, worker):
        Membership.objects.filter(user=worker).update(ended_at=timezone.now())
        permissions.forget_cached_capabilities(worker)
        assert not permissions.can_view_organisation(worker, charity)


class TestEditingAnOrganisation:
    def test_given_its_manager_then_they_can_edit_it(self, charity, manager):
        assert permissions.can_edit_organisation(manager, charity)

    def test_given_a_curator_then_they_can_edit_any_organisation(self, charity, curator):
        assert permissions.can_edit_organisation(curator, charity)

    def test_given_a_front_line_worker_then_they_cannot_edit_it(self, charity, worker):
        assert not permissions.can_edit_organisation(worker, charity)

    def test_given_the_manager_of_another_organisation_then_they_cannot_edit_it(self, charity, other_manager):
        assert not permissions.can_edit_organisation(other_manager, charity)

    def test_given_a_curator_then_only_they_can_create_organisations(self, curator, manager):
        assert permissions.can_create_organisation(curator)
        assert not permissions.can_create_organisation(manager)


class TestTheTeam:
    @pytest.mark.parametrize("person", ["manager", "worker"])
    def test_given_a_member_then_they_can_see_the_team(self, person, charity, request):
        assert permissions.can_view_members(request.getfixturevalue(person), charity)

    def test_given_a_curator_who_is_not_a_member_then_they_cannot_see_the_team(self, charity, curator):
        assert not permissions.can_view_members(curator, charity)

    def test_given_the_manager_of_another_organisation_then_they_cannot_see_the_team(self, charity, other_manager):
        assert not permissions.can_view_members(other_manager, charity)

    def test_given_a_manager_then_only_they_can_invite(self, charity, manager, worker, other_manager, curator):
        assert permissions.can_invite(manager, charity)
        assert not permissions.can_invite(worker, charity)
        assert not permissions.can_invite(other_manager, charity)
        assert not permissions.can_invite(curator, charity)
        assert not permissions.can_invite(ANONYMOUS, charity)


class TestEndingMemberships:
    def test_given_anyone_then_they_can_end_their_own_membership(self, worker):
        assert permissions.can_end_membership(worker, membership_of(worker))

    def test_given_a_manager_then_they_can_end_someone_elses(self, manager, worker):
        assert permissions.can_end_membership(manager, membership_of(worker))

    def test_given_a_worker_then_they_cannot_end_someone_elses(self, manager, worker):
        assert not permissions.can_end_membership(worker, membership_of(manager))

    def test_given_the_manager_of_another_organisation_then_they_cannot(self, worker, other_manager):
        assert not permissions.can_end_membership(other_manager, membership_of(worker))

    def test_given_a_membership_already_ended_then_no_one_can_end_it_again(self, manager, worker):
        membership = membership_of(worker)
        membership.ended_at = timezone.now()
        assert not permissions.can_end_membership(manager, membership)
        assert not permissions.can_end_membership(worker, membership)


class TestCapabilities:
    def test_given_a_commissioner_at_a_charity_then_the_type_withholds_commissioning(self, charity):
        membership = MembershipFactory(organisation=charity, role=role("commissioner"))
        assert permissions.capabilities_of(membership) == set()

    def test_given_a_commissioner_at_a_probation_region_then_they_can_commission(self):
        region = OrganisationFactory(type=org_type("probation-region"))
        membership = MembershipFactory(organisation=region, role=role("commissioner"))
        assert permissions.capabilities_of(membership) == {"commission"}

    def test_given_a_manager_then_their_capabilities_are_the_roles(self, manager):
        assert permissions.capabilities_of(membership_of(manager)) == {
            "manage-organisation", "view-audit-trail", "record-casework"
        }


class TestWhichOrganisationsAPersonSees:
    def test_given_a_curator_then_they_see_every_organisation(self, curator, charity, other_charity):
        visible = set(permissions.organisations_visible_to(curator))
        assert {charity, other_charity} <= visible

    def test_given_a_member_then_they_see_only_their_own(self, worker, charity, other_charity):
        assert list(permissions.organisations_visible_to(worker)) == [charity]

    def test_given_an_anonymous_visitor_then_they_see_none(self, charity):
        assert not permissions.organisations_visible_to(ANONYMOUS).exists()


class TestFetchAndAuthorise:
    def test_given_a_member_then_the_organisation_is_returned(self, charity, worker):
        assert permissions.organisation_get_for_member(user=worker, slug="aire-valley") == charity

    def test_given_a_bad_slug_then_404(self, worker):
        with pytest.raises(Http404):
            permissions.organisation_get_for_member(user=worker, slug="no-such-place")

    def test_given_a_member_of_another_organisation_then_404(self, charity, other_manager):
        with pytest.raises(Http404):
            permissions.organisation_get_for_member(user=other_manager, slug=charity.slug)

    def test_given_a_membership_of_another_organisation_then_404(self, charity, other_manager, manager):
        other_membership = membership_of(other_manager)
        with pytest.raises(Http404):
            permissions.membership_get_for_user(user=manager, organisation=charity, membership_id=other_membership.pk)

    def test_given_an_ended_membership_and_current_only_then_404(self, charity, manager, worker):
        membership = membership_of(worker)
        Membership.objects.filter(pk=membership.pk).update(ended_at=timezone.now())
        assert permissions.membership_get_for_user(user=manager, organisation=charity, membership_id=membership.pk)
        with pytest.raises(Http404):
            permissions.membership_get_for_user(
                user=manager, organisation=charity, membership_id=membership.pk, current_only=True
            )

    def test_given_a_withdrawn_or_foreign_invitation_then_404(self, charity, other_charity, manager, other_manager):
        def invitation(organisation, by, **fields):
            return Invitation.objects.create(
                organisation=organisation, role=role("volunteer"), email="someone@example.org",
                token_hash=f"hash-{Invitation.objects.count()}", invited_by=by,
                expires_at=timezone.now() + timedelta(days=1), **fields,
            )

        waiting = invitation(charity, manager)
        withdrawn = invitation(charity, manager, revoked_at=timezone.now())
        foreign = invitation(other_charity, other_manager)
        assert permissions.invitation_get_for_user(user=manager, organisation=charity, invitation_id=waiting.pk)
        for invitation_id in (withdrawn.pk, foreign.pk, 999999):
            with pytest.raises(Http404):
                permissions.invitation_get_for_user(user=manager, organisation=charity, invitation_id=invitation_id)

    def test_given_someone_with_no_membership_then_every_organisation_is_404(self, charity):
        with pytest.raises(Http404):
            permissions.organisation_get_for_member(user=UserFactory(), slug=charity.slug)
