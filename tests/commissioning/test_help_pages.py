"""Help with tendering: guides, glossary, the bid-readiness checklist and the full-cost-recovery calculator."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pathways.audit.models import AuditEntry
from pathways.commissioning.guides import GLOSSARY, GUIDES, READINESS_ITEMS
from pathways.commissioning.models import BidReadiness, FullCostCalculation
from pathways.commissioning.services.full_cost import FullCostInputs, full_cost_save
from pathways.commissioning.services.readiness import bid_readiness_save
from pathways.core.errors import DomainError

from .factories import published

pytestmark = pytest.mark.django_db

CALCULATOR = reverse("commissioning:calculator")
SIGN_IN = reverse("web:sign-in")


class TestGuidesAndGlossary:
    def test_given_anyone_then_the_help_page_lists_every_guide(self, client):
        content = client.get(reverse("commissioning:help")).content.decode()
        for guide in GUIDES:
            assert guide.title in content

    @pytest.mark.parametrize("slug", [guide.slug for guide in GUIDES])
    def test_given_anyone_then_each_guide_reads_with_its_words_explained(self, client, slug):
        response = client.get(reverse("commissioning:guide", args=[slug]))
        assert response.status_code == 200
        for entry in [e for e in GLOSSARY if e.guide == slug]:
            assert entry.term in response.content.decode()

    def test_the_required_topics_have_guides(self):
        slugs = {guide.slug for guide in GUIDES}
        assert {"how-tendering-works", "specification", "lots", "standstill", "tupe", "full-cost-recovery",
                "payment-by-results", "consortium", "evaluation-criteria"} <= slugs

    def test_given_an_unknown_guide_then_404(self, client):
        assert client.get(reverse("commissioning:guide", args=["no-such-guide"])).status_code == 404

    def test_given_anyone_then_the_glossary_explains_each_word_with_an_anchor(self, client):
        content = client.get(reverse("commissioning:glossary")).content.decode()
        for entry in GLOSSARY:
            assert f'id="term-{entry.slug}"' in content and entry.term in content


class TestReadinessService:
    def test_given_a_manager_then_ticked_items_are_saved_in_checklist_order_and_audited(self, charity, manager):
        readiness = bid_readiness_save(organisation=charity, items=["accounts", "equality-policy"], by=manager)
        assert readiness.items == ["equality-policy", "accounts"]
        bid_readiness_save(organisation=charity, items=["accounts"], by=manager)
        assert BidReadiness.objects.get().items == ["accounts"]
        changed = AuditEntry.objects.filter(target_type__model="bidreadiness", action="changed").get()
        assert changed.changes == {"ready": [["equality-policy", "accounts"], ["accounts"]]}

    def test_given_an_unknown_item_then_it_is_refused(self, charity, manager):
        with pytest.raises(DomainError, match="not on the checklist"):
            bid_readiness_save(organisation=charity, items=["a-yacht"], by=manager)

    def test_given_a_worker_or_another_organisation_then_they_cannot_save(self, charity, worker, other_manager):
        for person in (worker, other_manager):
            with pytest.raises(PermissionDenied):
                bid_readiness_save(organisation=charity, items=[], by=person)


class TestReadinessPage:
    def url(self, organisation):
        return reverse("commissioning:readiness", args=[organisation.slug])

    def test_given_a_manager_then_the_result_lists_what_is_missing_with_links_to_the_guide(self, client, charity, manager):
        client.force_login(manager)
        response = client.post(self.url(charity), {"items_safeguarding": ["safeguarding-policy"]}, follow=True)
        content = response.content.decode()
        assert "Your checklist has been saved." in content
        assert "What is missing" in content
        assert "DBS checks for staff and volunteers who need them" in content
        assert f'{reverse("commissioning:guide", args=["getting-ready"])}#safeguarding' in content
        assert BidReadiness.objects.get(organisation=charity).items == ["safeguarding-policy"]

    def test_given_everything_ticked_then_it_says_ready(self, client, charity, manager):
        bid_readiness_save(organisation=charity, items=[item.code for item in READINESS_ITEMS], by=manager)
        client.force_login(manager)
        assert "Ready to bid" in client.get(self.url(charity)).content.decode()

    def test_given_a_worker_then_they_read_it_but_cannot_save(self, client, charity, manager, worker):
        bid_readiness_save(organisation=charity, items=["accounts"], by=manager)
        client.force_login(worker)
        response = client.get(self.url(charity))
        assert response.status_code == 200 and "Your organisation's managers keep this checklist." in response.content.decode()
        assert client.post(self.url(charity), {"items_accounts": ["bank-account"]}).status_code == 403

    def test_given_another_organisation_anonymous_or_a_bad_slug_then_refused(self, client, charity, other_manager):
        response = client.get(self.url(charity))
        assert response.status_code == 302 and response.url.startswith(SIGN_IN)
        client.force_login(other_manager)
        assert client.get(self.url(charity)).status_code == 404
        assert client.get(reverse("commissioning:readiness", args=["nobody"])).status_code == 404

    def test_the_short_address_leads_to_the_organisation_acted_for(self, client, charity, manager):
        client.force_login(manager)
        assert client.get(reverse("commissioning:readiness-mine")).url == self.url(charity)


CALCULATION = {
    "staff": "42000", "volunteers": "2000", "equipment": "1500", "travel": "3000", "other_direct": "1500",
    "overheads_total": "100000", "basis": "staff_time", "work_share": "2", "organisation_total": "10",
    "development": "5000", "exit": "3000", "term_months": "36",
}


class TestCalculatorPage:
    def test_given_anyone_then_it_calculates_without_javascript_by_get(self, client):
        response = client.get(CALCULATOR, CALCULATION)
        content = response.content.decode()
        assert response.status_code == 200
        assert "The full cost: £218,000 over 36 months" in content
        assert "That is £72,667 a year on average." in content
        assert "£75,000" in content and "£70,000" in content and "£73,000" in content
        assert "Sign in</a> to save calculations" in content

    def test_given_no_figures_then_it_shows_the_empty_form(self, client):
        response = client.get(CALCULATOR)
        assert response.status_code == 200 and response.context["result"] is None

    def test_given_a_problem_then_the_message_names_the_field_and_keeps_the_figures(self, client):
        response = client.get(CALCULATOR, CALCULATION | {"work_share": "12", "travel": "three thousand"})
        content = response.content.decode()
        assert "Enter travel as an amount in pounds, like 25000" in content
        assert 'value="three thousand"' in content
        response = client.get(CALCULATOR, CALCULATION | {"work_share": "12"})
        assert "The whole organisation&#x27;s staff must be at least this work&#x27;s (12)" in response.content.decode()

    def test_given_an_opportunity_then_its_length_is_filled_in(self, client, probation, leeds):
        opportunity = published(probation, areas=[leeds], duration_months=30)
        response = client.get(CALCULATOR, {"opportunity": str(opportunity.uuid)})
        assert response.context["form"]["term_months"].value() == 30
        assert opportunity.title in response.content.decode()
        assert client.get(CALCULATOR, {"opportunity": "not-a-uuid"}).status_code == 200

    def test_given_a_manager_then_they_save_it_for_their_organisation_and_an_opportunity(
        self, client, charity, manager, probation, leeds
    ):
        opportunity = published(probation, areas=[leeds])
        client.force_login(manager)
        assert "Save it for Aire Valley Resettlement Trust" in client.get(CALCULATOR, CALCULATION).content.decode()
        response = client.post(CALCULATOR, CALCULATION | {"title": "Homes bid", "opportunity": str(opportunity.uuid)})
        calculation = FullCostCalculation.objects.get()
        assert response.url == reverse("commissioning:calculation", args=[charity.slug, calculation.pk])
        assert (calculation.organisation, calculation.opportunity, calculation.total) == (charity, opportunity, Decimal(218_000))

    def test_given_no_name_then_saving_asks_for_one(self, client, manager):
        client.force_login(manager)
        response = client.post(CALCULATOR, CALCULATION | {"title": ""})
        assert "Give the calculation a name" in response.content.decode()
        assert not FullCostCalculation.objects.exists()

    def test_given_anonymous_or_a_worker_then_saving_is_refused(self, client, worker):
        response = client.post(CALCULATOR, CALCULATION | {"title": "X"})
        assert response.status_code == 302 and response.url.startswith(SIGN_IN)
        client.force_login(worker)
        assert client.post(CALCULATOR, CALCULATION | {"title": "X"}).status_code == 403
        assert not FullCostCalculation.objects.exists()


class TestSavedCalculations:
    @pytest.fixture
    def calculation(self, charity, manager):
        from .test_full_cost import inputs

        return full_cost_save(organisation=charity, by=manager, inputs=inputs(), title="Homes bid")

    def test_given_a_member_then_they_see_the_list_and_the_year_by_year_result(self, client, charity, worker, calculation):
        client.force_login(worker)
        listing = client.get(reverse("commissioning:calculations", args=[charity.slug])).content.decode()
        assert "Homes bid" in listing and "£218,000" in listing
        detail = client.get(reverse("commissioning:calculation", args=[charity.slug, calculation.pk]))
        assert "The full cost: £218,000 over 36 months" in detail.content.decode()
        assert "staff=42000" in detail.content.decode()  # a link back to the calculator with the figures

    def test_given_another_organisation_or_a_bad_id_then_404(self, client, charity, other_manager, manager, calculation):
        client.force_login(other_manager)
        assert client.get(reverse("commissioning:calculation", args=[charity.slug, calculation.pk])).status_code == 404
        assert client.get(reverse("commissioning:calculations", args=[charity.slug])).status_code == 404
        client.force_login(manager)
        assert client.get(reverse("commissioning:calculation", args=[charity.slug, 999])).status_code == 404

    def test_given_a_worker_then_they_cannot_remove_it_but_a_manager_can(self, client, charity, worker, manager, calculation):
        url = reverse("commissioning:calculation", args=[charity.slug, calculation.pk])
        client.force_login(worker)
        assert client.post(url).status_code == 403
        client.force_login(manager)
        client.post(url)
        assert not FullCostCalculation.objects.exists()

    def test_the_saved_inputs_read_back_as_entered(self, calculation):
        assert FullCostInputs.from_record(calculation.inputs).staff == Decimal(42_000)
