"""A curator keeps the terms from the pages: add, change, retire and reinstate."""

from django.urls import reverse

from pathways.audit.models import AuditEntry
from pathways.taxonomy.models import Term
from pathways.taxonomy.services import term_retire

ADD = reverse("taxonomy:term-add", args=["service-categories"])
LIST = reverse("taxonomy:vocabulary", args=["service-categories"])


def test_a_curator_adds_a_term_and_sees_it_in_the_list(client, curator, infrastructure_body):
    client.force_login(curator)
    data = {"name": "Peer support", "description": "Led by people with lived experience.", "parent": ""}
    response = client.post(ADD, data)
    assert response.status_code == 302 and response["Location"] == LIST
    term = Term.objects.get(code="category-peer-support")
    assert term.description == "Led by people with lived experience." and term.parent is None
    assert AuditEntry.objects.get(target_id=str(term.pk)).acting_for == infrastructure_body
    page = client.get(LIST).content.decode()
    assert "‘Peer support’ has been added to service categories." in page
    assert "category-peer-support" in page


def test_a_term_can_be_added_under_a_broader_term_of_the_same_vocabulary(client, curator):
    client.force_login(curator)
    health = Term.objects.get(code="category-health")
    client.post(ADD, {"name": "Dental care", "parent": health.pk})
    assert Term.objects.get(code="category-dental-care").parent == health


def test_a_broader_term_from_another_vocabulary_is_not_offered(client, curator):
    client.force_login(curator)
    other = Term.objects.get(code="pathway-health")
    response = client.post(ADD, {"name": "Dental care", "parent": other.pk})
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Term.objects.filter(name="Dental care").exists()


def test_a_blank_name_shows_the_error_and_keeps_what_was_typed(client, curator):
    client.force_login(curator)
    response = client.post(ADD, {"name": "", "description": "Typed with care."})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_name">Enter a name for the term.</a>' in html
    assert "Typed with care.</textarea>" in html
    assert "<title>Add a term – Error – Pathways</title>" in html


def test_a_duplicate_name_is_refused_on_the_name_field(client, curator):
    client.force_login(curator)
    response = client.post(ADD, {"name": "counselling", "description": "Talking therapy."})
    assert response.context["form"].errors["name"] == [
        "Service categories already has a term called ‘Counselling’. Choose another name."
    ]
    assert "Talking therapy.</textarea>" in response.content.decode()
    assert Term.objects.filter(vocabulary__code="service-categories").count() == 16


def test_a_curator_renames_a_term_and_its_code_stays(client, curator, arts):
    client.force_login(curator)
    url = reverse("taxonomy:term-edit", args=[arts.code])
    assert client.get(url).context["form"].initial == {"name": "Arts", "description": ""}
    response = client.post(url, {"name": "Arts and creativity", "description": "Music and drama."}, follow=True)
    assert "‘Arts and creativity’ has been changed. Its code is still category-arts." in response.content.decode()
    arts.refresh_from_db()
    assert (arts.code, arts.name, arts.description) == ("category-arts", "Arts and creativity", "Music and drama.")


def test_a_curator_retires_a_term_with_a_reason_and_it_stays_listed_as_retired(client, curator, arts):
    client.force_login(curator)
    url = reverse("taxonomy:term-retire", args=[arts.code])
    refused = client.post(url, {"reason": ""})
    assert refused.context["form"].errors["reason"] == ["Enter why it is being retired."]
    response = client.post(url, {"reason": "Now part of creative activities."}, follow=True)
    html = response.content.decode()
    assert "‘Arts’ has been retired." in html
    assert '<strong class="govuk-tag govuk-tag--grey">Retired</strong>' in html
    assert "Now part of creative activities." in html
    assert reverse("taxonomy:term-reinstate", args=[arts.code]) in html
    assert reverse("taxonomy:term-retire", args=[arts.code]) not in html
    terms = list(response.context["terms"])
    assert terms[-1].code == "category-arts"  # current terms first
    assert Term.objects.get(code="category-arts").is_retired


def test_a_curator_reinstates_a_retired_term(client, curator, arts):
    term_retire(term=arts, reason="Not used.", by=curator)
    client.force_login(curator)
    response = client.post(reverse("taxonomy:term-reinstate", args=[arts.code]), follow=True)
    assert "‘Arts’ has been reinstated." in response.content.decode()
    assert not Term.objects.get(code="category-arts").is_retired


def test_reinstating_a_current_term_explains_that_it_is_not_retired(client, curator, arts):
    client.force_login(curator)
    response = client.post(reverse("taxonomy:term-reinstate", args=[arts.code]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["‘Arts’ is not retired."]
