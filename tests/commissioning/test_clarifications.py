"""Clarifications: asked privately before the cut-off, answered and published to everyone interested or
bidding, without anyone learning who asked."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import Clarification, Interest
from pathways.commissioning.services import bids as bid_services
from pathways.commissioning.services import clarifications as services
from pathways.core.errors import DomainError
from tests.factories import OrganisationFactory

from .bid_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

QUESTION = "Kirkgate Women's Project runs a drop-in at Kirkgate Market: can we use it as our base?"


def ask(opportunity, organisation, by, question=QUESTION):
    return services.clarification_ask(opportunity=opportunity, organisation=organisation, by=by, question=question)


class TestAsking:
    def test_any_member_of_a_bidding_organisation_asks_and_only_its_own_trail_records_it(
        self, opportunity, bidder, bidder_worker, probation
    ):
        clarification = ask(opportunity, bidder, bidder_worker)
        assert clarification.asked_for == bidder and clarification.published_at is None
        entries = AuditEntry.objects.filter(target_type=ContentType.objects.get_for_model(Clarification))
        [entry] = entries
        assert entry.owner == bidder and entry.acting_for == bidder
        assert not entries.filter(owner=probation).exists()

    def test_an_empty_question_is_refused_naming_the_field(self, opportunity, bidder, bidder_worker):
        with pytest.raises(DomainError) as raised:
            ask(opportunity, bidder, bidder_worker, question="   ")
        assert raised.value.field == "question" and raised.value.message == "Enter your question"

    def test_after_the_cut_off_a_question_is_refused_with_a_clear_message(self, opportunity, bidder, bidder_worker):
        with time_machine.travel(opportunity.clarifications_close_at + timedelta(seconds=1)):
            with pytest.raises(DomainError, match="Questions closed on .* You can no longer ask"):
                ask(opportunity, bidder, bidder_worker)
        assert not Clarification.objects.exists()

    def test_the_buyer_and_the_agency_do_not_ask_on_their_own_opportunity(self, agency_opportunity, probation,
                                                                          commissioner, agency, agency_worker):
        with pytest.raises(PermissionDenied):
            ask(agency_opportunity, probation, commissioner)
        with pytest.raises(PermissionDenied):
            ask(agency_opportunity, agency, agency_worker)

    def test_nobody_asks_for_an_organisation_they_do_not_belong_to(self, opportunity, bidder, rival_manager):
        with pytest.raises(PermissionDenied):
            ask(opportunity, bidder, rival_manager)


class TestPublishing:
    def test_the_agency_publishes_reworded_and_everyone_interested_or_bidding_is_emailed_apart(
        self, agency_opportunity, bidder, bidder_worker, bidder_manager, rival, rival_manager, agency_worker,
        django_capture_on_commit_callbacks,
    ):
        watcher = OrganisationFactory(name="Watching Trust", slug="watching", email="hello@watching.example")
        Interest.objects.create(opportunity=agency_opportunity, organisation=watcher)
        bid_services.bid_start(opportunity=agency_opportunity, organisation=rival, by=rival_manager)
        clarification = ask(agency_opportunity, bidder, bidder_worker)
        with django_capture_on_commit_callbacks(execute=True):
            services.clarification_publish(
                clarification=clarification, by=agency_worker,
                published_question="Can a bidder use a market drop-in as its base?",
                answer="Yes, if it is accessible.",
            )
        clarification.refresh_from_db()
        assert clarification.published_at and clarification.answered_by == agency_worker
        recipients = sorted(address for message in mail.outbox for address in message.to)
        assert recipients == ["bids@calder.example", "hello@watching.example", "office@calder.example"]
        assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in mail.outbox)
        for message in mail.outbox:
            assert "Can a bidder use a market drop-in as its base?" in message.body
            assert "Kirkgate" not in message.body and "Kirkgate" not in message.subject

    def test_the_buyers_commissioner_may_answer_but_a_worker_may_not(self, opportunity, bidder, bidder_worker,
                                                                     commissioner, probation_worker):
        clarification = ask(opportunity, bidder, bidder_worker)
        with pytest.raises(PermissionDenied):
            services.clarification_publish(clarification=clarification, by=probation_worker,
                                           published_question="Q", answer="A")
        with pytest.raises(PermissionDenied):
            services.clarification_publish(clarification=clarification, by=bidder_worker,
                                           published_question="Q", answer="A")
        services.clarification_publish(clarification=clarification, by=commissioner, published_question="Q",
                                       answer="A")

    def test_publishing_needs_the_published_wording_and_an_answer(self, opportunity, bidder, bidder_worker,
                                                                  commissioner):
        clarification = ask(opportunity, bidder, bidder_worker)
        with pytest.raises(DomainError) as raised:
            services.clarification_publish(clarification=clarification, by=commissioner, published_question="",
                                           answer="")
        assert [field for field, _ in raised.value.problems] == ["published_question", "answer"]

    def test_an_answer_is_published_once(self, opportunity, bidder, bidder_worker, commissioner):
        clarification = ask(opportunity, bidder, bidder_worker)
        services.clarification_publish(clarification=clarification, by=commissioner, published_question="Q",
                                       answer="A")
        with pytest.raises(DomainError, match="already been published"):
            services.clarification_publish(clarification=clarification, by=commissioner, published_question="Q",
                                           answer="B")


class TestPages:
    def test_the_opportunity_page_shows_published_answers_to_everyone_and_not_who_asked(
        self, client, opportunity, bidder, bidder_worker, commissioner
    ):
        clarification = ask(opportunity, bidder, bidder_worker)
        services.clarification_publish(clarification=clarification, by=commissioner,
                                       published_question="Can a drop-in be the base?", answer="Yes, it can.")
        page = client.get(reverse("commissioning:opportunity", args=[opportunity.uuid])).content.decode()
        assert "Can a drop-in be the base?" in page and "Yes, it can." in page
        assert "Kirkgate" not in page

    def test_the_asking_organisation_sees_its_own_questions_and_their_state_and_no_one_else_does(
        self, client, opportunity, bidder, bidder_worker, rival_manager
    ):
        ask(opportunity, bidder, bidder_worker)
        url = reverse("commissioning:opportunity", args=[opportunity.uuid])
        client.force_login(bidder_worker)
        page = client.get(url).content.decode()
        assert "Your organisation’s questions" in page and "Waiting for an answer" in page
        assert "Kirkgate Market" in page
        client.force_login(rival_manager)
        page = client.get(url).content.decode()
        assert "Kirkgate Market" not in page and "Your organisation’s questions" not in page

    def test_asking_through_the_form_keeps_what_was_typed_on_error_and_sends_it_when_right(
        self, client, opportunity, bidder_worker
    ):
        url = reverse("commissioning:clarification-ask", args=[opportunity.uuid])
        client.force_login(bidder_worker)
        response = client.post(url, {"question": ""})
        assert response.status_code == 200 and "Enter your question" in response.content.decode()
        response = client.post(url, {"question": "What is the start date?"})
        assert response.status_code == 302
        assert Clarification.objects.get().question == "What is the start date?"

    def test_the_ask_page_after_the_cut_off_says_questions_are_closed(self, client, opportunity, bidder_worker):
        with time_machine.travel(opportunity.clarifications_close_at + timedelta(minutes=1)):
            client.force_login(bidder_worker)
            page = client.get(reverse("commissioning:clarification-ask", args=[opportunity.uuid])).content.decode()
            response = client.post(reverse("commissioning:clarification-ask", args=[opportunity.uuid]),
                                   {"question": "Too late?"})
        assert "Questions about this opportunity are closed" in page
        assert "You can no longer ask" in response.content.decode()
        assert not Clarification.objects.exists()

    def test_the_ask_page_is_for_signed_in_outsiders_only(self, client, opportunity, commissioner):
        url = reverse("commissioning:clarification-ask", args=[opportunity.uuid])
        assert client.get(url).status_code == 302  # to sign in
        client.force_login(commissioner)
        assert client.get(url).status_code == 403

    def test_the_manage_page_lists_waiting_questions_without_the_asker_and_the_answer_page_publishes(
        self, client, opportunity, bidder, bidder_worker, commissioner
    ):
        clarification = ask(opportunity, bidder, bidder_worker, question="Can we use our market drop-in as a base?")
        client.force_login(commissioner)
        page = client.get(reverse("commissioning:opportunity-manage", args=[opportunity.uuid])).content.decode()
        assert "1 question waiting for an answer" in page and "Can we use our market drop-in" in page
        assert "Kirkgate Women" not in page
        url = reverse("commissioning:clarification-answer", args=[opportunity.uuid, clarification.pk])
        form = client.get(url).content.decode()
        assert "Kirkgate Women" not in form
        response = client.post(url, {"published_question": "Can a market drop-in be the base?", "answer": ""})
        assert "Enter the answer" in response.content.decode()
        assert "Can a market drop-in be the base?" in response.content.decode()
        response = client.post(url, {"published_question": "Can a market drop-in be the base?", "answer": "Yes."})
        assert response.status_code == 302
        clarification.refresh_from_db()
        assert clarification.published_at is not None

    def test_answer_page_404_for_outsiders_and_403_for_members_who_may_not_answer(
        self, client, opportunity, bidder, bidder_worker, probation_worker, rival_manager
    ):
        clarification = ask(opportunity, bidder, bidder_worker)
        url = reverse("commissioning:clarification-answer", args=[opportunity.uuid, clarification.pk])
        client.force_login(rival_manager)
        assert client.get(url).status_code == 404
        client.force_login(bidder_worker)
        assert client.get(url).status_code == 404
        client.force_login(probation_worker)
        assert client.get(url).status_code == 403
