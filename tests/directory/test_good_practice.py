"""The good-practice bank's rules: who writes, submits, publishes and returns, and what is found where."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathways.audit.models import AuditEntry
from pathways.core.errors import DomainError
from pathways.directory.models import EvidenceStrength, GoodPractice, GoodPracticeStatus
from pathways.directory.permissions.good_practice import (
    can_edit_good_practice,
    good_practice_get_for_user,
)
from pathways.directory.selectors.good_practice import (
    good_practice_for_member,
    good_practice_for_service,
    good_practice_list_published,
    good_practice_review_queue,
    good_practice_services_for_user,
)
from pathways.directory.services.good_practice import (
    good_practice_create,
    good_practice_publish,
    good_practice_return,
    good_practice_submit,
    good_practice_update,
)
from pathways.organisations.models import Membership
from pathways.taxonomy.models import Term
from tests.factories import OrganisationFactory, directory_service, member, role

from .test_provision import make_places

pytestmark = pytest.mark.django_db


def pathway(code="pathway-accommodation"):
    return Term.objects.get(code=code)


def write_up(organisation, by, **fields):
    fields.setdefault("title", "Meet at the gate")
    fields.setdefault("summary", "Mentors meet people at the prison gate on the day of release.")
    fields.setdefault("evidence", "Monitoring of 120 releases in 2024: 85% kept their first appointment.")
    fields.setdefault("evidence_strength", EvidenceStrength.MONITORING)
    fields.setdefault("terms", [pathway()])
    return good_practice_create(organisation=organisation, by=by, **fields)


def published(organisation, by, curator, **fields):
    item = write_up(organisation, by, **fields)
    good_practice_submit(good_practice=item, by=by)
    return good_practice_publish(good_practice=item, by=curator)


class TestWriting:
    def test_given_a_manager_then_they_write_a_draft_for_their_organisation(self, charity, manager):
        item = write_up(charity, manager)

        assert item.status == GoodPracticeStatus.DRAFT
        assert (item.organisation, item.author) == (charity, manager)
        assert list(item.terms.all()) == [pathway()]
        assert AuditEntry.objects.filter(action="created", target_id=str(item.pk), owner=charity).exists()

    def test_given_a_worker_then_they_cannot_write_one(self, charity, worker):
        with pytest.raises(PermissionDenied):
            write_up(charity, worker)

    def test_given_a_manager_of_another_organisation_then_they_cannot_write_for_this_one(
        self, charity, other_manager
    ):
        with pytest.raises(PermissionDenied):
            write_up(charity, other_manager)

    def test_a_title_a_summary_and_a_known_strength_are_needed(self, charity, manager):
        for fields, field in [
            ({"title": "  "}, "title"),
            ({"summary": ""}, "summary"),
            ({"evidence_strength": "rumour"}, "evidence_strength"),
        ]:
            with pytest.raises(DomainError) as error:
                write_up(charity, manager, **fields)
            assert error.value.field == field
        assert not GoodPractice.objects.exists()

    def test_it_links_to_its_own_services_and_to_published_services_only(self, charity, other_charity, manager):
        own_draft = directory_service(charity, name="Own draft", publish=False)
        theirs = directory_service(other_charity, name="Their service")
        their_draft = directory_service(other_charity, name="Their draft", publish=False)

        item = write_up(charity, manager, services=[own_draft, theirs])
        assert set(item.services.all()) == {own_draft, theirs}

        with pytest.raises(DomainError) as error:
            good_practice_update(good_practice=item, by=manager, services=[their_draft])
        assert "Their draft" in error.value.message
        assert set(item.services.all()) == {own_draft, theirs}

    def test_an_edit_is_audited_with_what_changed(self, charity, manager):
        item = write_up(charity, manager)

        good_practice_update(good_practice=item, by=manager, title="Met at the gate")

        entry = AuditEntry.objects.get(action="changed", target_id=str(item.pk))
        assert entry.changes == {"title": ["Meet at the gate", "Met at the gate"]}


class TestSubmittingAndCurating:
    def test_given_a_draft_then_it_is_submitted_published_and_audited(self, charity, manager, curator):
        item = write_up(charity, manager)

        good_practice_submit(good_practice=item, by=manager)
        assert item.status == GoodPracticeStatus.SUBMITTED
        assert list(good_practice_review_queue()) == [item]
        assert not can_edit_good_practice(manager, item)

        good_practice_publish(good_practice=item, by=curator, note="Clear and fair to the evidence.")
        assert item.status == GoodPracticeStatus.PUBLISHED
        assert item.curator == curator and item.published_at is not None
        entry = AuditEntry.objects.filter(target_id=str(item.pk), actor=curator).get()
        assert entry.changes == {"status": ["submitted", "published"]}
        assert entry.reason == "Clear and fair to the evidence."

    def test_given_no_evidence_then_it_cannot_be_submitted(self, charity, manager):
        item = write_up(charity, manager, evidence="")

        with pytest.raises(DomainError) as error:
            good_practice_submit(good_practice=item, by=manager)

        assert error.value.field == "evidence"
        item.refresh_from_db()
        assert item.status == GoodPracticeStatus.DRAFT

    def test_given_no_pathway_and_no_service_then_it_cannot_be_submitted(self, charity, manager):
        item = write_up(charity, manager, terms=[])

        with pytest.raises(DomainError):
            good_practice_submit(good_practice=item, by=manager)

    def test_a_curator_returns_it_with_a_reason_and_the_authors_change_it_and_submit_again(
        self, charity, manager, curator
    ):
        item = write_up(charity, manager)
        good_practice_submit(good_practice=item, by=manager)

        with pytest.raises(DomainError) as error:
            good_practice_return(good_practice=item, by=curator, note=" ")
        assert error.value.field == "note"

        good_practice_return(good_practice=item, by=curator, note="Say how many people took part.")
        assert item.status == GoodPracticeStatus.RETURNED
        assert item.curator_note == "Say how many people took part."
        assert AuditEntry.objects.filter(
            target_id=str(item.pk), actor=curator, reason="Say how many people took part."
        ).exists()

        good_practice_update(good_practice=item, by=manager, summary="120 people took part.")
        good_practice_submit(good_practice=item, by=manager)
        assert item.status == GoodPracticeStatus.SUBMITTED

    def test_a_curator_can_return_a_published_write_up_and_it_is_no_longer_public(self, charity, manager, curator):
        item = published(charity, manager, curator)

        good_practice_return(good_practice=item, by=curator, note="The evaluation was withdrawn.")

        assert item.published_at is None
        assert not good_practice_list_published().exists()

    def test_only_curators_publish_and_never_their_own(self, charity, manager, worker, curator, infrastructure_body):
        item = write_up(charity, manager)
        good_practice_submit(good_practice=item, by=manager)
        for someone in (manager, worker):
            with pytest.raises(PermissionDenied):
                good_practice_publish(good_practice=item, by=someone)

        curator_manager = member("manager", infrastructure_body)
        Membership.objects.create(user=curator_manager, organisation=infrastructure_body, role=role("curator"))
        own = write_up(infrastructure_body, curator_manager)
        good_practice_submit(good_practice=own, by=curator_manager)
        with pytest.raises(PermissionDenied):
            good_practice_publish(good_practice=own, by=curator_manager)
        good_practice_publish(good_practice=own, by=curator)

    def test_a_draft_cannot_be_published_by_skipping_submission(self, charity, manager, curator):
        item = write_up(charity, manager)

        with pytest.raises(PermissionDenied):
            good_practice_publish(good_practice=item, by=curator)


class TestWhoSeesWhat:
    def test_a_draft_is_seen_by_its_organisation_only(self, charity, manager, worker, other_manager, curator):
        item = write_up(charity, manager)

        assert good_practice_get_for_user(user=worker, good_practice_id=item.pk) == item
        for outsider in (other_manager, curator):
            with pytest.raises(Http404):
                good_practice_get_for_user(user=outsider, good_practice_id=item.pk)

    def test_a_submitted_write_up_is_seen_by_curators_and_not_by_the_public(self, charity, manager, curator):
        item = write_up(charity, manager)
        good_practice_submit(good_practice=item, by=manager)

        assert good_practice_get_for_user(user=curator, good_practice_id=item.pk) == item
        with pytest.raises(Http404):
            good_practice_get_for_user(user=AnonymousUser(), good_practice_id=item.pk)

    def test_a_bad_id_is_not_found(self, manager):
        for bad in (999999, "abc", None):
            with pytest.raises(Http404):
                good_practice_get_for_user(user=manager, good_practice_id=bad)

    def test_a_worker_may_read_but_not_change_their_organisations_draft(self, charity, manager, worker):
        item = write_up(charity, manager)

        with pytest.raises(PermissionDenied):
            good_practice_get_for_user(user=worker, good_practice_id=item.pk, check=can_edit_good_practice)

    def test_members_see_their_organisations_write_ups_in_every_state(self, charity, manager, other_manager):
        item = write_up(charity, manager)
        write_up(other_charity_of(other_manager), other_manager, title="Theirs")

        assert list(good_practice_for_member(user=manager)) == [item]

    def test_linked_services_that_are_not_published_are_shown_only_to_their_organisation(
        self, charity, manager, curator, other_manager
    ):
        draft = directory_service(charity, name="Not yet", publish=False)
        live = directory_service(charity, name="Live")
        item = published(charity, manager, curator, services=[draft, live])

        assert good_practice_services_for_user(good_practice=item, user=other_manager) == [live]
        assert good_practice_services_for_user(good_practice=item, user=manager) == [live, draft]


def other_charity_of(user):
    return user.memberships.get().organisation


class TestFinding:
    @pytest.fixture
    def bank(self, charity, manager, curator):
        places = make_places()
        gate = published(
            charity, manager, curator, title="Meet at the gate", areas=[places.leeds],
            summary="Mentors meet people on release.", evidence_strength=EvidenceStrength.EVALUATED,
        )
        debt = published(
            charity, manager, curator, title="Debt clinic", terms=[pathway("pathway-finance")],
            areas=[places.south], summary="Advice on debts before release.",
            body="Weekly sessions with a money adviser.",
            evidence="Stories from people who came.",
        )
        write_up(charity, manager, title="Secret draft about the gate", areas=[places.leeds])
        return places, gate, debt

    def test_search_matches_every_word_in_the_title_summary_or_body(self, bank):
        _, gate, debt = bank

        assert list(good_practice_list_published(query="gate")) == [gate]
        assert list(good_practice_list_published(query="money weekly")) == [debt]
        assert list(good_practice_list_published(query="gate money")) == []

    def test_filters_by_pathway_evidence_and_area_along_the_chain_of_places(self, bank):
        places, gate, debt = bank

        assert list(good_practice_list_published(pathway=pathway("pathway-finance"))) == [debt]
        assert list(good_practice_list_published(evidence_strength=EvidenceStrength.EVALUATED)) == [gate]
        assert list(good_practice_list_published(area=places.west)) == [gate]
        assert list(good_practice_list_published(area=places.sheffield)) == [debt]
        assert set(good_practice_list_published(area=places.region)) == {gate, debt}

    def test_beside_a_service_it_shows_linked_write_ups_first_then_those_sharing_a_pathway_and_area(
        self, bank, charity, manager, curator
    ):
        places, gate, debt = bank
        other = OrganisationFactory()
        service = directory_service(other, terms=["pathway-accommodation"], areas=[places.leeds])
        linked = published(charity, manager, curator, title="About this service", terms=[], services=[service])
        elsewhere = directory_service(
            other, name="Elsewhere", terms=["pathway-accommodation"], areas=[places.sheffield]
        )

        beside = good_practice_for_service(service=service)

        assert beside == [linked, gate]
        assert beside[0].linked and not beside[1].linked
        assert good_practice_for_service(service=elsewhere) == []
        assert good_practice_for_service(service=service, limit=1) == [linked]

    def test_beside_a_service_it_never_shows_an_unpublished_write_up(self, bank, charity, manager):
        places, *_ = bank
        service = directory_service(charity, terms=["pathway-accommodation"], areas=[places.leeds])
        write_up(charity, manager, title="Draft linked", services=[service])

        assert [item.title for item in good_practice_for_service(service=service)] == ["Meet at the gate"]
