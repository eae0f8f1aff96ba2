"""The good-practice bank's pages: anonymous, wrong role, other organisation, bad id and happy paths."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from pathways.directory.models import EvidenceStrength, GoodPractice, GoodPracticeStatus
from pathways.directory.selectors.good_practice import good_practice_for_service
from pathways.directory.services.good_practice import good_practice_submit
from pathways.taxonomy.models import Term
from tests.factories import directory_service

from .test_good_practice import published, write_up

pytestmark = pytest.mark.django_db

LIST = reverse("directory:good-practice-list")
NEW = reverse("directory:good-practice-new")
YOURS = reverse("directory:good-practice-yours")
QUEUE = reverse("directory:good-practice-queue")


def url(name, item):
    return reverse(f"directory:{name}", kwargs={"good_practice_id": item.pk})


@pytest.fixture
def draft(charity, manager):
    return write_up(charity, manager, title="Draft about the gate")


@pytest.fixture
def submitted(charity, manager):
    item = write_up(charity, manager, title="Submitted about the gate")
    good_practice_submit(good_practice=item, by=manager)
    return item


@pytest.fixture
def public(charity, manager, curator):
    return published(charity, manager, curator, title="Published gate mentoring")


def form_data(**changes):
    data = {
        "title": "Family days",
        "summary": "Families visit together on Saturdays.",
        "body": "",
        "evidence": "Feedback from 40 families.",
        "evidence_strength": EvidenceStrength.STORIES,
        "terms": [Term.objects.get(code="pathway-children-families").pk],
    }
    data.update(changes)
    return data


class TestList:
    def test_given_anyone_then_only_published_write_ups_are_listed(self, client, draft, submitted, public):
        html = client.get(LIST).content.decode()

        assert "Published gate mentoring" in html
        assert "Draft about the gate" not in html and "Submitted about the gate" not in html
        assert "Write up good practice" not in html

    def test_search_and_filters_come_from_the_address(self, client, public):
        assert "Published gate mentoring" in client.get(LIST, {"q": "gate"}).content.decode()
        assert "No write-ups found" in client.get(LIST, {"q": "nothing-like-this"}).content.decode()
        response = client.get(LIST, {"strength": EvidenceStrength.COMPARISON})
        assert "No write-ups found" in response.content.decode()

    def test_given_a_filter_that_does_not_exist_then_it_says_so_and_ignores_it(self, client, public):
        response = client.get(LIST, {"pathway": "pathway-nothing", "area": "999999", "strength": "rumour"})

        html = response.content.decode()
        assert "Select a pathway from the list" in html and "Select a kind of evidence from the list" in html
        assert "Published gate mentoring" in html

    def test_given_a_manager_then_they_are_offered_to_write_one(self, client, manager):
        client.force_login(manager)

        assert "Write up good practice" in client.get(LIST).content.decode()


class TestDetail:
    def test_given_anyone_then_a_published_write_up_shows_its_evidence_in_plain_words(self, client, public):
        html = client.get(url("good-practice", public)).content.decode()

        assert "Published gate mentoring" in html
        assert "Monitoring data collected by the provider" in html
        assert "This is level 2 of 5" in html
        assert "85% kept their first appointment" in html
        assert "Waiting for a curator" not in html

    def test_given_anyone_then_an_unpublished_write_up_is_not_found(self, client, draft, submitted):
        assert client.get(url("good-practice", draft)).status_code == 404
        assert client.get(url("good-practice", submitted)).status_code == 404

    def test_given_another_organisation_then_a_draft_is_not_found(self, client, draft, other_manager):
        client.force_login(other_manager)

        assert client.get(url("good-practice", draft)).status_code == 404

    def test_a_bad_id_is_not_found(self, client):
        assert client.get("/directory/good-practice/999999/").status_code == 404

    def test_only_published_linked_services_are_shown_to_the_public(self, client, charity, manager, curator):
        live = directory_service(charity, name="Live service")
        hidden = directory_service(charity, name="Hidden service", publish=False)
        item = published(charity, manager, curator, services=[live, hidden])

        html = client.get(url("good-practice", item)).content.decode()

        assert "Live service" in html and "Hidden service" not in html


class TestWriting:
    def test_given_anyone_then_they_are_asked_to_sign_in(self, client):
        response = client.get(NEW)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]

    def test_given_a_worker_then_writing_is_refused(self, client, worker):
        client.force_login(worker)
        assert client.get(NEW).status_code == 403

    def test_given_someone_with_no_organisation_then_not_found(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_user("alone@example.org", full_name="Al One"))
        assert client.get(NEW).status_code == 404

    def test_given_a_manager_then_they_save_a_draft_and_submit_it(self, client, charity, manager):
        client.force_login(manager)

        response = client.post(NEW, form_data())

        item = GoodPractice.objects.get()
        assert response.status_code == 302 and response["Location"] == url("good-practice", item)
        assert (item.organisation, item.status) == (charity, GoodPracticeStatus.DRAFT)
        response = client.post(url("good-practice-submit", item))
        item.refresh_from_db()
        assert item.status == GoodPracticeStatus.SUBMITTED

    def test_given_mistakes_then_the_form_says_what_and_keeps_what_was_typed(self, client, manager):
        client.force_login(manager)

        response = client.post(NEW, form_data(title="", evidence_strength=""))

        html = response.content.decode()
        assert "Enter a title" in html and "Select how strong the evidence is" in html
        assert "Families visit together on Saturdays." in html
        assert not GoodPractice.objects.exists()

    def test_submitting_without_evidence_says_what_is_missing(self, client, charity, manager):
        item = write_up(charity, manager, evidence="")
        client.force_login(manager)

        response = client.post(url("good-practice-submit", item))

        assert response.status_code == 400
        assert "Describe the evidence before submitting" in response.content.decode()
        item.refresh_from_db()
        assert item.status == GoodPracticeStatus.DRAFT

    def test_editing_keeps_the_changes_and_refuses_the_wrong_people(
        self, client, draft, manager, worker, other_manager
    ):
        client.force_login(other_manager)
        assert client.get(url("good-practice-edit", draft)).status_code == 404
        client.force_login(worker)
        assert client.get(url("good-practice-edit", draft)).status_code == 403
        assert client.post(url("good-practice-submit", draft)).status_code == 403
        client.force_login(manager)
        assert client.post(url("good-practice-edit", draft), form_data(title="Family Saturdays")).status_code == 302
        draft.refresh_from_db()
        assert draft.title == "Family Saturdays"

    def test_a_submitted_write_up_cannot_be_edited(self, client, submitted, manager):
        client.force_login(manager)
        assert client.get(url("good-practice-edit", submitted)).status_code == 403


class TestReview:
    def test_given_a_curator_then_the_queue_lists_what_was_submitted(self, client, curator, draft, submitted):
        client.force_login(curator)

        html = client.get(QUEUE).content.decode()

        assert "Submitted about the gate" in html and "Draft about the gate" not in html

    def test_given_anyone_else_then_the_queue_is_not_found(self, client, manager):
        assert client.get(QUEUE).status_code == 302
        client.force_login(manager)
        assert client.get(QUEUE).status_code == 404

    def test_a_curator_publishes_it_and_it_is_public(self, client, curator, submitted):
        client.force_login(curator)

        response = client.post(url("good-practice-review", submitted), {"decision": "publish", "note": ""})

        assert response.status_code == 302
        client.logout()
        assert client.get(url("good-practice", submitted)).status_code == 200

    def test_returning_needs_a_note_and_the_authors_see_it(self, client, curator, manager, submitted):
        client.force_login(curator)

        response = client.post(url("good-practice-review", submitted), {"decision": "return", "note": ""})
        assert "Say why it is being returned" in response.content.decode()
        client.post(url("good-practice-review", submitted), {"decision": "return", "note": "Add the numbers."})

        submitted.refresh_from_db()
        assert submitted.status == GoodPracticeStatus.RETURNED
        client.force_login(manager)
        assert "Add the numbers." in client.get(url("good-practice", submitted)).content.decode()

    def test_the_author_cannot_review_their_own_write_up(self, client, manager, submitted):
        client.force_login(manager)

        assert client.post(url("good-practice-review", submitted), {"decision": "publish"}).status_code == 403

    def test_a_curator_cannot_review_a_draft(self, client, curator, draft):
        client.force_login(curator)

        assert client.get(url("good-practice-review", draft)).status_code == 404


class TestYours:
    def test_members_see_their_organisations_write_ups_in_every_state(self, client, worker, draft, submitted, public):
        client.force_login(worker)

        html = client.get(YOURS).content.decode()

        for title in ("Draft about the gate", "Submitted about the gate", "Published gate mentoring"):
            assert title in html

    def test_another_organisation_sees_none_of_them(self, client, other_manager, draft):
        client.force_login(other_manager)

        assert "Draft about the gate" not in client.get(YOURS).content.decode()


class TestBesideAService:
    def test_the_partial_shows_matching_published_write_ups(self, charity, manager, curator):
        service = directory_service(charity, name="Gate mentoring")
        item = published(charity, manager, curator, services=[service], title="Mentors at the gate")

        html = render_to_string(
            "directory/good_practice/_beside_service.html",
            {"good_practice": good_practice_for_service(service=service)},
        )

        assert "Mentors at the gate" in html and "About this service" in html
        assert url("good-practice", item) in html
        assert render_to_string("directory/good_practice/_beside_service.html", {"good_practice": []}).strip() == ""
