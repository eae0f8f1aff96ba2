"""The public pages: the list with its filters and pages, each opportunity's page and its documents.
Drafts are never public."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pathways.commissioning.services import documents
from pathways.commissioning.services.opportunities import opportunity_cancel

from .factories import make_opportunity, published

pytestmark = pytest.mark.django_db

LIST = reverse("commissioning:opportunities")


def page_url(opportunity):
    return reverse("commissioning:opportunity", args=[opportunity.uuid])


def titles(response) -> list[str]:
    return [row["opportunity"].title for row in response.context["rows"]]


class TestTheList:
    def test_given_anyone_then_published_opportunities_are_listed_and_drafts_are_not(self, client, probation, leeds):
        published(probation, areas=[leeds], title="Open work")
        published(probation, areas=[leeds], title="Coming soon", open_for_bids=False)
        make_opportunity(probation, areas=[leeds], title="Secret draft")
        response = client.get(LIST)
        assert response.status_code == 200
        assert titles(response) == ["Open work", "Coming soon"]
        assert "Secret draft" not in response.content.decode()

    def test_given_an_open_one_past_its_deadline_then_it_shows_as_closed_before_the_job_runs(
        self, client, probation, leeds
    ):
        opportunity = published(probation, areas=[leeds], title="Just closed")
        with time_machine.travel(opportunity.deadline + timedelta(minutes=5)):
            assert titles(client.get(LIST, {"status": "open"})) == []
            assert titles(client.get(LIST, {"status": "closed"})) == ["Just closed"]

    @pytest.mark.parametrize(("query", "expected"), [
        ({"status": "forthcoming"}, ["Forthcoming in Hull"]),
        ({"status": ["open", "forthcoming"]}, ["Grant in Leeds", "Open in Leeds", "Forthcoming in Hull"]),
        ({"pathway": "pathway-ete"}, ["Grant in Leeds"]),
        ({"procedure": "grant_round"}, ["Grant in Leeds"]),
        ({"value": "under-100k"}, ["Grant in Leeds"]),
        ({"value": "100k-500k"}, ["Open in Leeds", "Forthcoming in Hull"]),
        ({"closing_soon": "on"}, ["Grant in Leeds"]),
        ({"q": "hull"}, ["Forthcoming in Hull"]),
        ({"status": "bogus", "pathway": "nothing"}, ["Grant in Leeds", "Open in Leeds", "Forthcoming in Hull"]),
    ])
    def test_given_filters_then_only_matching_opportunities_are_listed(self, client, probation, leeds, hull, query, expected):
        now = timezone.now()
        published(probation, areas=[leeds], title="Open in Leeds")
        published(probation, areas=[leeds], title="Grant in Leeds", procedure="grant_round", value_minimum=None,
                  value_maximum=Decimal(60_000), pathways=["pathway-ete"],
                  engagement_closes_at=None, clarifications_close_at=None, deadline=now + timedelta(days=10),
                  award_expected_on=None, contract_starts_on=None)
        published(probation, areas=[hull], title="Forthcoming in Hull", open_for_bids=False)
        assert titles(client.get(LIST, query)) == expected

    def test_given_an_area_then_opportunities_for_the_places_around_it_are_listed_too(
        self, client, probation, region, leeds, hull
    ):
        published(probation, areas=[leeds], title="Leeds")
        published(probation, areas=[hull], title="Hull")
        published(probation, areas=[region], title="Whole region")
        assert titles(client.get(LIST, {"area": leeds.pk})) == ["Leeds", "Whole region"]
        assert sorted(titles(client.get(LIST, {"area": region.pk}))) == ["Hull", "Leeds", "Whole region"]

    def test_given_many_then_they_are_paged(self, client, probation, leeds):
        for number in range(23):
            published(probation, areas=[leeds], title=f"Opportunity {number}")
        first = client.get(LIST)
        assert len(first.context["rows"]) == 20
        assert 'aria-label="Page 2"' in first.content.decode()
        second = client.get(LIST, {"page": 2})
        assert len(second.context["rows"]) == 3
        assert client.get(LIST, {"page": "nonsense"}).status_code == 200

    def test_given_nothing_matches_then_the_page_says_so(self, client):
        response = client.get(LIST, {"q": "nothing at all"})
        assert "No opportunities found" in response.content.decode()


class TestTheOpportunityPage:
    def test_given_anyone_then_it_shows_everything_a_small_organisation_needs(self, client, probation, leeds, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        opportunity = published(probation, areas=[leeds], duration_months=24, contact_name="Sam Reid",
                                contact_email="sam@probation.example", insurance_required=Decimal(2_000_000))
        documents.document_add(opportunity=opportunity, by=None, title="Specification",
                               upload=SimpleUploadedFile("spec.pdf", b"%PDF-1.4 test"))
        response = client.get(page_url(opportunity))
        content = response.content.decode()
        assert response.status_code == 200
        for expected in [
            "Accommodation support for women leaving prison", "Open for bids", opportunity.reference,
            "Short-term contract.", "Short contracts make it hard for small organisations to plan",
            "£300,000 to £450,000", "2 years", "Deadline for bids", "left", "Questions (clarifications) close",
            "Quality of support", "60%", "Price", "40%", "Points = lowest price ÷ your price × 40",
            "a bid of £100,000 scores 36 of 40 points", "Total", "100%", "Specification", "spec.pdf",
            "Yorkshire Probation", "Sam Reid", "sam@probation.example", "£2,000,000", "Accommodation", "Leeds",
            "Any organisation can bid",
        ]:
            assert expected in content, expected

    def test_given_a_three_year_term_then_it_is_not_flagged_short_term(self, client, probation, leeds):
        opportunity = published(probation, areas=[leeds], duration_months=36)
        assert "Short-term contract." not in client.get(page_url(opportunity)).content.decode()

    def test_given_an_agency_runs_it_then_the_agency_is_the_contact(self, client, probation, leeds, agency, agency_worker):
        opportunity = published(probation, areas=[leeds], by=agency_worker, agency=agency)
        content = client.get(page_url(opportunity)).content.decode()
        assert "run by Ridings Bidding Agency" in content and "agency@example.org" in content

    def test_given_a_cancelled_one_then_the_reason_is_public(self, client, probation, leeds):
        opportunity = published(probation, areas=[leeds])
        opportunity_cancel(opportunity=opportunity, by=None, reason="The funding was withdrawn.")
        content = client.get(page_url(opportunity)).content.decode()
        assert "Cancelled" in content and "The funding was withdrawn." in content

    def test_given_a_draft_then_anonymous_and_other_organisations_get_a_404(
        self, client, probation, commissioner, other_commissioner, manager
    ):
        draft = make_opportunity(probation, by=commissioner)
        assert client.get(page_url(draft)).status_code == 404
        for outsider in (other_commissioner, manager):
            client.force_login(outsider)
            assert client.get(page_url(draft)).status_code == 404

    def test_given_a_draft_then_the_buyer_previews_it(self, client, probation, commissioner):
        draft = make_opportunity(probation, by=commissioner)
        client.force_login(commissioner)
        response = client.get(page_url(draft))
        assert response.status_code == 200 and "This is a draft." in response.content.decode()

    def test_given_a_cancelled_draft_then_it_is_still_not_public(self, client, probation, commissioner):
        draft = make_opportunity(probation, by=commissioner)
        opportunity_cancel(opportunity=draft, by=commissioner, reason="Not needed")
        assert client.get(page_url(draft)).status_code == 404
        assert titles(client.get(LIST)) == []

    def test_given_a_bad_id_then_404(self, client):
        assert client.get(reverse("commissioning:opportunity", args=[uuid.uuid4()])).status_code == 404
        assert client.get("/opportunities/not-a-uuid/").status_code == 404


class TestDocuments:
    @pytest.fixture
    def document(self, probation, leeds, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        opportunity = make_opportunity(probation, areas=[leeds])
        return documents.document_add(opportunity=opportunity, by=None, title="Specification",
                                      upload=SimpleUploadedFile("Spec v2.pdf", b"%PDF-1.4 test"))

    def url(self, document):
        return reverse("commissioning:opportunity-document", args=[document.opportunity.uuid, document.pk])

    def test_given_a_published_opportunity_then_anyone_downloads_its_documents(self, client, document):
        from pathways.commissioning.services.opportunities import opportunity_publish
        from .factories import add_criteria

        add_criteria(document.opportunity)
        opportunity_publish(opportunity=document.opportunity, by=None, open_for_bids=True)
        response = client.get(self.url(document))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert 'attachment; filename="Spec v2.pdf"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == b"%PDF-1.4 test"

    def test_given_a_draft_then_its_documents_are_not_public(self, client, document, other_commissioner):
        assert client.get(self.url(document)).status_code == 404
        client.force_login(other_commissioner)
        assert client.get(self.url(document)).status_code == 404

    def test_given_a_document_of_another_opportunity_then_404(self, client, document, probation, leeds):
        other = published(probation, areas=[leeds])
        url = reverse("commissioning:opportunity-document", args=[other.uuid, document.pk])
        assert client.get(url).status_code == 404
