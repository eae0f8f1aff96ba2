"""The publisher's pages: who may reach them, and creating, editing and publishing through them."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pathways.commissioning.models import Criterion, Lot, Opportunity, OpportunityDocument, OpportunityStatus
from pathways.commissioning.services import documents

from .factories import add_criteria, make_opportunity, published

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("web:sign-in")


@pytest.fixture
def draft(probation, commissioner, leeds):
    opportunity = make_opportunity(probation, by=commissioner, areas=[leeds])
    Lot.objects.create(opportunity=opportunity, number=1, title="West")
    add_criteria(opportunity, by=commissioner)
    return opportunity


@pytest.fixture
def document(draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return documents.document_add(opportunity=draft, by=None, title="Spec",
                                  upload=SimpleUploadedFile("spec.pdf", b"%PDF-1.4 x"))


def urls_for(opportunity, document=None) -> list[str]:
    args = [opportunity.uuid]
    lot, criterion = opportunity.lots.first(), opportunity.criteria.first()
    urls = [reverse(f"commissioning:{name}", args=args) for name in (
        "opportunity-manage", "opportunity-edit", "lot-add", "criterion-add", "document-add",
        "opportunity-publish", "opportunity-cancel", "opportunity-evaluation",
    )]
    urls += [
        reverse("commissioning:lot-edit", args=[*args, lot.pk]),
        reverse("commissioning:lot-remove", args=[*args, lot.pk]),
        reverse("commissioning:criterion-edit", args=[*args, criterion.pk]),
        reverse("commissioning:criterion-remove", args=[*args, criterion.pk]),
    ]
    if document is not None:
        urls.append(reverse("commissioning:document-remove", args=[*args, document.pk]))
    return urls


class TestWhoMayReachThem:
    def test_given_someone_not_signed_in_then_every_page_sends_them_to_sign_in(self, client, draft, document, probation):
        urls = urls_for(draft, document) + [
            reverse("commissioning:organisation-opportunities", args=[probation.slug]),
            reverse("commissioning:opportunity-create", args=[probation.slug]),
            reverse("commissioning:mine"),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith(SIGN_IN), url

    def test_given_a_member_of_the_buyer_who_does_not_commission_then_403(
        self, client, draft, document, probation, probation_worker
    ):
        client.force_login(probation_worker)
        urls = urls_for(draft, document) + [
            reverse("commissioning:organisation-opportunities", args=[probation.slug]),
            reverse("commissioning:opportunity-create", args=[probation.slug]),
            reverse("commissioning:mine"),
        ]
        for url in urls:
            assert client.get(url).status_code == 403, url

    def test_given_another_organisation_then_404(self, client, draft, document, probation, other_commissioner):
        client.force_login(other_commissioner)
        urls = urls_for(draft, document) + [
            reverse("commissioning:organisation-opportunities", args=[probation.slug]),
            reverse("commissioning:opportunity-create", args=[probation.slug]),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url

    def test_given_another_organisation_then_posting_changes_nothing(self, client, draft, other_commissioner):
        client.force_login(other_commissioner)
        response = client.post(reverse("commissioning:opportunity-cancel", args=[draft.uuid]), {"reason": "Mine now"})
        assert response.status_code == 404
        assert Opportunity.objects.get().status == OpportunityStatus.DRAFT

    def test_given_a_bad_id_then_404(self, client, draft, commissioner):
        client.force_login(commissioner)
        missing = uuid.uuid4()
        assert client.get(reverse("commissioning:opportunity-manage", args=[missing])).status_code == 404
        assert client.get(reverse("commissioning:lot-edit", args=[draft.uuid, 999])).status_code == 404
        assert client.get(reverse("commissioning:criterion-remove", args=[draft.uuid, 999])).status_code == 404
        assert client.get(reverse("commissioning:document-remove", args=[draft.uuid, 999])).status_code == 404
        assert client.get(reverse("commissioning:organisation-opportunities", args=["nobody"])).status_code == 404

    def test_given_the_commissioner_then_every_page_opens(self, client, draft, document, probation, commissioner):
        client.force_login(commissioner)
        urls = urls_for(draft, document) + [
            reverse("commissioning:organisation-opportunities", args=[probation.slug]),
            reverse("commissioning:opportunity-create", args=[probation.slug]),
        ]
        for url in urls:
            assert client.get(url).status_code == 200, url
        assert client.get(reverse("commissioning:mine")).url == reverse(
            "commissioning:organisation-opportunities", args=[probation.slug]
        )

    def test_given_the_agency_running_it_then_its_workers_manage_it_too(self, client, probation, agency, agency_worker, leeds):
        opportunity = make_opportunity(probation, by=agency_worker, agency=agency, areas=[leeds])
        client.force_login(agency_worker)
        assert client.get(reverse("commissioning:opportunity-manage", args=[opportunity.uuid])).status_code == 200
        listing = client.get(reverse("commissioning:organisation-opportunities", args=[agency.slug]))
        assert opportunity.title in listing.content.decode()

    def test_given_a_charity_manager_then_they_cannot_publish_opportunities(self, client, charity, manager):
        client.force_login(manager)
        assert client.get(reverse("commissioning:opportunity-create", args=[charity.slug])).status_code == 403


def form_data(leeds, **overrides) -> dict:
    deadline = timezone.localtime() + timedelta(days=45)
    data = {
        "title": "Mentoring for young adults",
        "summary": "We want mentors for young adults leaving prison. The work is in Leeds.",
        "description": "",
        "procedure": "open",
        "terms": ["pathway-ete"],
        "areas_local_authority": [str(leeds.pk)],
        "value_minimum": "",
        "value_maximum": "240000",
        "duration_months": "24",
        "deadline_date_0": str(deadline.day), "deadline_date_1": str(deadline.month), "deadline_date_2": str(deadline.year),
        "deadline_time": "17:00",
        "standstill_working_days": "8",
        "payment_by_results_percent": "0",
    }
    return data | overrides


class TestCreatingAndEditing:
    def test_given_a_commissioner_then_they_create_a_draft_and_land_on_its_overview(self, client, probation, commissioner, leeds):
        client.force_login(commissioner)
        response = client.post(reverse("commissioning:opportunity-create", args=[probation.slug]), form_data(leeds))
        opportunity = Opportunity.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("commissioning:opportunity-manage", args=[opportunity.uuid])
        assert (opportunity.buyer, opportunity.status, opportunity.duration_months) == (probation, "draft", 24)
        assert timezone.localtime(opportunity.deadline).strftime("%H:%M") == "17:00"
        assert list(opportunity.terms.values_list("code", flat=True)) == ["pathway-ete"]

    def test_given_the_agency_then_it_chooses_the_buyer(self, client, agency, agency_worker, prison, leeds):
        client.force_login(agency_worker)
        url = reverse("commissioning:opportunity-create", args=[agency.slug])
        assert "Select the buyer" in client.get(url).content.decode()
        client.post(url, form_data(leeds, buyer=str(prison.pk)))
        opportunity = Opportunity.objects.get()
        assert (opportunity.buyer, opportunity.agency) == (prison, agency)

    def test_given_mistakes_then_every_one_is_named_and_what_was_typed_is_kept(
        self, client, probation, commissioner, leeds
    ):
        client.force_login(commissioner)
        late = timezone.localtime() + timedelta(days=60)
        data = form_data(
            leeds, title="", duration_months="two years", value_maximum="lots",
            clarifications_close_at_date_0=str(late.day), clarifications_close_at_date_1=str(late.month),
            clarifications_close_at_date_2=str(late.year), summary="Keep this summary.",
        )
        response = client.post(reverse("commissioning:opportunity-create", args=[probation.slug]), data)
        content = response.content.decode()
        assert response.status_code == 200 and not Opportunity.objects.exists()
        for message in ["Enter a title", "Enter the length of the contract as a whole number of months, like 36",
                        "as a whole number of pounds, like 250000"]:
            assert message in content
        assert "Keep this summary." in content and 'value="two years"' in content
        # Once the fields are right, the key dates are checked in order, by the service.
        response = client.post(reverse("commissioning:opportunity-create", args=[probation.slug]), form_data(
            leeds, clarifications_close_at_date_0=str(late.day), clarifications_close_at_date_1=str(late.month),
            clarifications_close_at_date_2=str(late.year),
        ))
        assert "The deadline for bids must be after the date clarifications close" in response.content.decode()
        assert 'href="#id_deadline_date_0"' in response.content.decode() or "#id_deadline_date" in response.content.decode()
        assert not Opportunity.objects.exists()

    def test_given_a_short_term_and_jargon_then_the_form_shows_the_flag_and_the_readability_hint(
        self, client, probation, commissioner, leeds
    ):
        client.force_login(commissioner)
        data = form_data(leeds, summary="TUPE applies to this ITT.", check="1")
        response = client.post(reverse("commissioning:opportunity-create", args=[probation.slug]), data)
        content = response.content.decode()
        assert not Opportunity.objects.exists()  # checking does not save
        assert "Short-term contract." in content and "asked for three-year agreements" in content
        assert "Tendering words used without explaining them" in content
        assert "#term-tupe" in content and "#term-invitation-to-tender" in content

    def test_given_a_time_without_a_date_then_the_date_is_asked_for(self, client, probation, commissioner, leeds):
        client.force_login(commissioner)
        response = client.post(reverse("commissioning:opportunity-create", args=[probation.slug]),
                               form_data(leeds, engagement_closes_at_time="10:00"))
        assert "Enter the date market engagement closes as well as the time" in response.content.decode()

    def test_given_a_draft_then_the_commissioner_edits_it(self, client, draft, commissioner, leeds):
        client.force_login(commissioner)
        edit = reverse("commissioning:opportunity-edit", args=[draft.uuid])
        assert "Accommodation support for women leaving prison" in client.get(edit).content.decode()
        response = client.post(edit, form_data(leeds, title="Renamed"))
        assert response.status_code == 302
        assert Opportunity.objects.get().title == "Renamed"

    def test_given_it_has_closed_then_the_edit_page_is_gone(self, client, probation, commissioner, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        with time_machine.travel(opportunity.deadline + timedelta(hours=1)):
            client.force_login(commissioner)  # signed in then: a session from weeks before has expired
            assert client.get(reverse("commissioning:opportunity-edit", args=[opportunity.uuid])).status_code == 404


class TestLotsCriteriaAndDocuments:
    def test_given_a_draft_then_lots_are_added_changed_and_removed(self, client, draft, commissioner, leeds):
        client.force_login(commissioner)
        client.post(reverse("commissioning:lot-add", args=[draft.uuid]), {"title": "East", "areas": [leeds.pk]})
        east = Lot.objects.get(title="East")
        assert east.number == 2 and list(east.areas.all()) == [leeds]
        client.post(reverse("commissioning:lot-edit", args=[draft.uuid, east.pk]), {"title": "East Leeds"})
        client.post(reverse("commissioning:lot-remove", args=[draft.uuid, draft.lots.get(number=1).pk]))
        assert [(lot.number, lot.title) for lot in Lot.objects.all()] == [(1, "East Leeds")]

    def test_given_weights_over_100_then_the_criterion_page_says_so_and_keeps_the_input(self, client, draft, commissioner):
        client.force_login(commissioner)
        response = client.post(reverse("commissioning:criterion-add", args=[draft.uuid]),
                               {"title": "Social value", "weight": "15", "guidance": "Local jobs"})
        content = response.content.decode()
        assert "The weights would add up to 115%" in content and "Local jobs" in content
        assert Criterion.objects.count() == 2

    def test_given_a_price_criterion_without_a_formula_then_it_is_asked_for(self, client, commissioner, probation):
        opportunity = make_opportunity(probation, by=commissioner)
        client.force_login(commissioner)
        response = client.post(reverse("commissioning:criterion-add", args=[opportunity.uuid]),
                               {"title": "Price", "weight": "30", "is_price": "on"})
        assert "Choose how price will be turned into points" in response.content.decode()

    def test_given_bids_are_open_then_lot_and_criterion_pages_are_gone(self, client, probation, commissioner, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        client.force_login(commissioner)
        assert client.get(reverse("commissioning:lot-add", args=[opportunity.uuid])).status_code == 404
        assert client.get(reverse("commissioning:criterion-add", args=[opportunity.uuid])).status_code == 404

    def test_given_an_upload_then_a_file_that_is_not_a_document_is_refused_by_name(
        self, client, draft, commissioner, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        client.force_login(commissioner)
        url = reverse("commissioning:document-add", args=[draft.uuid])
        response = client.post(url, {"title": "Spec", "file": SimpleUploadedFile("spec.pdf", b"MZ\x90 not a pdf")})
        assert "The selected file must be a PDF, Word, Excel, OpenDocument, CSV or text file" in response.content.decode()
        assert 'value="Spec"' in response.content.decode()
        response = client.post(url, {"title": "Spec", "file": SimpleUploadedFile("spec.pdf", b"%PDF-1.4 ok")})
        assert response.status_code == 302 and OpportunityDocument.objects.get().original_name == "spec.pdf"

    def test_given_bids_are_open_then_removing_a_document_is_refused_on_the_page(
        self, client, document, commissioner
    ):
        from pathways.commissioning.services.opportunities import opportunity_publish

        opportunity_publish(opportunity=document.opportunity, by=commissioner, open_for_bids=True)
        client.force_login(commissioner)
        response = client.post(reverse("commissioning:document-remove", args=[document.opportunity.uuid, document.pk]))
        assert "cannot be removed once bids are invited" in response.content.decode()
        assert OpportunityDocument.objects.exists()


class TestPublishingPages:
    def test_given_a_proportionality_warning_then_it_is_shown_and_must_be_ticked(self, client, draft, commissioner):
        Opportunity.objects.filter(pk=draft.pk).update(payment_by_results_percent=40)
        client.force_login(commissioner)
        url = reverse("commissioning:opportunity-publish", args=[draft.uuid])
        content = client.get(url).content.decode()
        assert "Are the requirements in proportion?" in content
        assert "40% of the payment depends on results" in content
        response = client.post(url, {"stage": "open"})
        assert "Tick each warning to say you have considered it" in response.content.decode()
        assert Opportunity.objects.get().status == OpportunityStatus.DRAFT
        response = client.post(url, {"stage": "open", "acknowledged": ["payment_by_results"], "reason": "Pilot"})
        assert response.status_code == 302
        opportunity = Opportunity.objects.get()
        assert opportunity.status == OpportunityStatus.OPEN
        assert opportunity.proportionality_acknowledged[0]["code"] == "payment_by_results"
        assert opportunity.proportionality_reason == "Pilot"

    def test_given_something_missing_for_bids_then_it_can_still_be_published_as_forthcoming(
        self, client, probation, commissioner, leeds
    ):
        opportunity = make_opportunity(probation, by=commissioner, areas=[leeds])
        client.force_login(commissioner)
        url = reverse("commissioning:opportunity-publish", args=[opportunity.uuid])
        content = client.get(url).content.decode()
        assert "Before bids can be invited" in content and "Add the criteria bids will be scored on" in content
        response = client.post(url, {"stage": "open"})
        assert "Add the criteria bids will be scored on" in response.content.decode()
        client.post(url, {"stage": "forthcoming"})
        assert Opportunity.objects.get().status == OpportunityStatus.FORTHCOMING
        # Published already: the page sends them back to the overview.
        assert client.get(url).status_code == 302

    def test_given_a_forthcoming_one_then_it_is_opened_from_its_page(self, client, probation, commissioner, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds], open_for_bids=False)
        client.force_login(commissioner)
        response = client.post(reverse("commissioning:opportunity-open", args=[opportunity.uuid]), {})
        assert response.status_code == 302 and Opportunity.objects.get().status == OpportunityStatus.OPEN

    def test_given_a_reason_then_it_is_cancelled_and_without_one_it_is_asked_for(self, client, draft, commissioner):
        client.force_login(commissioner)
        url = reverse("commissioning:opportunity-cancel", args=[draft.uuid])
        response = client.post(url, {"reason": ""})
        assert "Give the reason for cancelling" in response.content.decode()
        client.post(url, {"reason": "Budget cut"})
        assert Opportunity.objects.get().cancelled_reason == "Budget cut"

    def test_given_it_has_closed_then_evaluation_starts_from_its_page(self, client, probation, commissioner, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        client.force_login(commissioner)
        url = reverse("commissioning:opportunity-evaluation", args=[opportunity.uuid])
        assert "Evaluation starts once the opportunity has closed." in client.get(url).content.decode()
        with time_machine.travel(opportunity.deadline + timedelta(minutes=1)):
            client.force_login(commissioner)
            client.post(url)
        assert Opportunity.objects.get().status == OpportunityStatus.EVALUATION

    def test_the_overview_shows_what_is_left_to_do_and_the_warnings(self, client, probation, commissioner, leeds):
        opportunity = make_opportunity(probation, by=commissioner, areas=[leeds], duration_months=12,
                                       summary="The ITT is here.", payment_by_results_percent=50)
        client.force_login(commissioner)
        content = client.get(reverse("commissioning:opportunity-manage", args=[opportunity.uuid])).content.decode()
        for expected in ["To open it for bids:", "Add the criteria bids will be scored on", "Short-term contract.",
                         "Payment by results.", "Invitation to tender", "Add a lot", "Add a criterion"]:
            assert expected in content, expected
