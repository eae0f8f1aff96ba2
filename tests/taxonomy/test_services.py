"""Curators add, change, retire and reinstate terms; codes are made once and never change."""

import pytest
from django.core.exceptions import PermissionDenied

from pathways.audit.models import AuditEntry
from pathways.core.errors import DomainError
from pathways.taxonomy.models import Term, Vocabulary
from pathways.taxonomy.services import term_create, term_reinstate, term_retire, term_update
from tests.factories import member


def _entries(term):
    return AuditEntry.objects.filter(target_type__model="term", target_id=str(term.pk))


def test_given_a_curator_when_they_add_a_term_then_its_code_comes_from_the_prefix_and_the_name(
    categories, curator, infrastructure_body
):
    term = term_create(
        vocabulary=categories, name="  Peer   support ", description="Led by people with lived experience.",
        by=curator, acting_for=infrastructure_body,
    )
    assert term.code == "category-peer-support"
    assert term.name == "Peer support"
    assert term.vocabulary == categories and not term.is_retired
    assert term.position > Term.objects.get(code="category-language-culture").position
    entry = _entries(term).get()
    assert entry.action == "created" and entry.actor == curator and entry.acting_for == infrastructure_body
    assert entry.changes["code"] == [None, "category-peer-support"]


def test_given_a_code_already_taken_when_a_term_slugifies_the_same_then_it_gets_a_numbered_code(categories, curator):
    first = term_create(vocabulary=categories, name="Peer support", by=curator)
    second = term_create(vocabulary=categories, name="Peer-support!", by=curator)
    assert (first.code, second.code) == ("category-peer-support", "category-peer-support-2")


def test_given_a_term_when_it_is_renamed_then_its_code_and_uuid_stay(arts, curator):
    code, uuid = arts.code, arts.uuid
    term_update(term=arts, name="Arts and creativity", description="Music, drama, writing.", by=curator)
    arts.refresh_from_db()
    assert (arts.name, arts.code, arts.uuid) == ("Arts and creativity", code, uuid)
    assert _entries(arts).get().changes == {
        "name": ["Arts", "Arts and creativity"], "description": ["", "Music, drama, writing."]
    }


def test_given_a_term_when_it_is_saved_unchanged_then_nothing_is_audited(arts, curator):
    term_update(term=arts, name="Arts", description="", by=curator)
    assert not _entries(arts).exists()


@pytest.mark.parametrize("name", ["Arts", "arts", " ARTS "])
def test_a_name_already_in_the_vocabulary_is_refused_on_the_name_field(categories, curator, name):
    with pytest.raises(DomainError) as refused:
        term_create(vocabulary=categories, name=name, by=curator)
    assert refused.value.field == "name"
    assert "already has a term called ‘Arts’" in refused.value.message


def test_the_same_name_in_another_vocabulary_is_allowed(curator):
    pathways = Vocabulary.objects.get(code="pathways")
    term = term_create(vocabulary=pathways, name="Arts", by=curator)
    assert term.code == "pathway-arts"


def test_renaming_to_another_terms_name_is_refused_but_keeping_ones_own_is_not(arts, curator):
    with pytest.raises(DomainError) as refused:
        term_update(term=arts, name="counselling", description="", by=curator)
    assert refused.value.field == "name"
    term_update(term=arts, name="ARTS", description="", by=curator)
    assert Term.objects.get(code="category-arts").name == "ARTS"


def test_a_retired_terms_name_is_still_taken(arts, curator, categories):
    term_retire(term=arts, reason="Folded into creative activities.", by=curator)
    with pytest.raises(DomainError, match="already has a retired term called ‘Arts’"):
        term_create(vocabulary=categories, name="Arts", by=curator)


def test_a_blank_name_is_refused(categories, curator):
    with pytest.raises(DomainError) as refused:
        term_create(vocabulary=categories, name="   ", by=curator)
    assert refused.value.field == "name"


def test_a_broader_term_must_come_from_the_same_vocabulary_and_be_current(categories, curator):
    health = Term.objects.get(code="category-health")
    child = term_create(vocabulary=categories, name="Dental care", parent=health, by=curator)
    assert child.parent == health
    with pytest.raises(DomainError) as refused:
        term_create(
            vocabulary=categories, name="Tenancy", parent=Term.objects.get(code="pathway-accommodation"), by=curator
        )
    assert refused.value.field == "parent"
    term_retire(term=health, reason="Split in two.", by=curator)
    with pytest.raises(DomainError, match="has been retired"):
        term_create(vocabulary=categories, name="Opticians", parent=health, by=curator)


def test_given_a_term_when_it_is_retired_then_it_keeps_its_code_and_reads_as_retired(
    arts, curator, infrastructure_body
):
    term_retire(term=arts, reason="  Replaced by creative activities. ", by=curator, acting_for=infrastructure_body)
    arts = Term.objects.get(code="category-arts")
    assert arts.is_retired and arts.retired_reason == "Replaced by creative activities."
    assert str(arts) == "Arts (retired)"
    assert arts in Term.objects.all() and arts not in Term.objects.current()
    entry = _entries(arts).get()
    assert (entry.action, entry.reason) == ("changed", "Replaced by creative activities.")
    assert entry.changes == {"retired": [False, True]}


def test_retiring_needs_a_reason_and_cannot_happen_twice(arts, curator):
    with pytest.raises(DomainError) as refused:
        term_retire(term=arts, reason=" ", by=curator)
    assert refused.value.field == "reason"
    term_retire(term=arts, reason="Not used.", by=curator)
    with pytest.raises(DomainError, match="already retired"):
        term_retire(term=arts, reason="Again.", by=curator)


def test_given_a_retired_term_when_it_is_reinstated_then_it_is_current_again(arts, curator):
    term_retire(term=arts, reason="Not used.", by=curator)
    term_reinstate(term=arts, by=curator)
    arts.refresh_from_db()
    assert not arts.is_retired and arts.retired_reason == ""
    assert _entries(arts).order_by("at", "id").last().changes == {"retired": [True, False]}
    with pytest.raises(DomainError, match="is not retired"):
        term_reinstate(term=arts, by=curator)


@pytest.mark.parametrize("person", ["manager", "worker", "other_manager"])
def test_people_who_are_not_curators_cannot_change_the_taxonomy(request, person, categories, arts):
    user = request.getfixturevalue(person)
    with pytest.raises(PermissionDenied):
        term_create(vocabulary=categories, name="Peer support", by=user)
    with pytest.raises(PermissionDenied):
        term_update(term=arts, name="Crafts", description="", by=user)
    with pytest.raises(PermissionDenied):
        term_retire(term=arts, reason="No.", by=user)
    with pytest.raises(PermissionDenied):
        term_reinstate(term=arts, by=user)
    assert not Term.objects.filter(name__in=["Peer support", "Crafts"]).exists()
    assert not AuditEntry.objects.exists()


def test_a_curator_role_in_an_organisation_that_cannot_curate_does_not_count(charity, categories):
    not_really = member("curator", charity)
    with pytest.raises(PermissionDenied):
        term_create(vocabulary=categories, name="Peer support", by=not_really)
