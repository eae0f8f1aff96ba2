"""Help with tendering through the API: the guides and glossary and the calculator for anyone, the
bid-readiness checklist and saved calculations for the organisation's members (changed by its managers)."""

from decimal import Decimal

import pytest

from pathways.commissioning.api.help import FullCostResultSerializer
from pathways.commissioning.guides import GLOSSARY, GUIDES, READINESS_ITEMS
from pathways.commissioning.models import BidReadiness, FullCostCalculation
from pathways.commissioning.services.full_cost import full_cost_calculate, full_cost_save
from pathways.commissioning.services.readiness import bid_readiness_save

from .factories import make_opportunity, published
from .test_full_cost import inputs

pytestmark = pytest.mark.django_db

CALCULATE = "/api/v1/help/full-cost/calculate/"
CALCULATION = {
    "staff": "42000", "volunteers": "2000", "equipment": "1500", "travel": "3000", "other_direct": "1500",
    "overheads_total": "100000", "basis": "staff_time", "work_share": "2", "organisation_total": "10",
    "development": "5000", "exit": "3000", "term_months": 36,
}


def readiness_url(organisation):
    return f"/api/v1/organisations/{organisation.slug}/bid-readiness/"


def calculations_url(organisation):
    return f"/api/v1/organisations/{organisation.slug}/full-cost-calculations/"


def calculation_url(organisation, calculation_id):
    return f"{calculations_url(organisation)}{calculation_id}/"


class TestGuidesAndGlossary:
    def test_given_anyone_then_every_guide_is_listed_in_order(self, api):
        response = api.get("/api/v1/help/guides/")

        assert response.status_code == 200
        assert response.json() == [{"slug": g.slug, "title": g.title, "summary": g.summary} for g in GUIDES]

    @pytest.mark.parametrize("guide", GUIDES, ids=lambda guide: guide.slug)
    def test_given_anyone_then_each_guide_reads_as_its_page_with_its_words_explained(self, api, client, guide):
        body = api.get(f"/api/v1/help/guides/{guide.slug}/").json()

        assert body["title"] == guide.title and body["html"].strip()
        assert body["html"] in client.get(f"/opportunities/help/{guide.slug}/").content.decode()
        assert [entry["term"] for entry in body["terms"]] == [e.term for e in GLOSSARY if e.guide == guide.slug]

    def test_given_an_unknown_guide_then_404(self, api):
        assert api.get("/api/v1/help/guides/no-such-guide/").status_code == 404

    def test_given_anyone_then_the_glossary_gives_every_term_and_meaning(self, api):
        body = api.get("/api/v1/help/glossary/").json()

        assert [(e["term"], e["meaning"], e["slug"]) for e in body] == [(e.term, e.meaning, e.slug) for e in GLOSSARY]


class TestCalculator:
    def test_given_anyone_then_the_result_is_the_services_year_by_year(self, api):
        response = api.post(CALCULATE, CALCULATION, format="json")

        assert response.status_code == 200
        assert response.json() == FullCostResultSerializer(full_cost_calculate(inputs())).data
        assert (response.json()["total"], response.json()["yearly_total"]) == ("218000", "72667")
        assert [year["total"] for year in response.json()["years"]] == ["75000", "70000", "73000"]
        assert not FullCostCalculation.objects.exists()

    def test_given_a_form_post_and_amounts_left_out_then_they_count_as_nothing(self, api):
        response = api.post(CALCULATE, {"basis": "percentage", "percentage": "10", "overheads_total": "5000",
                                        "staff": "12000", "term_months": "12"})

        assert response.status_code == 200
        assert (response.json()["total"], response.json()["overhead_percent"]) == ("12500", "10.0")

    @pytest.mark.parametrize("change, field, message", [
        ({"travel": "three thousand"}, "travel", "Enter travel as an amount in pounds, like 25000"),
        ({"staff": "-1"}, "staff", "Staff cannot be less than £0"),
        ({"basis": "by-magic"}, "basis", None),
        ({"term_months": 0}, "term_months", None),
        ({"work_share": "12"}, "organisation_total",
         "The whole organisation's staff must be at least this work's (12)"),
        ({"basis": "percentage"}, "percentage", "Enter the percentage of overheads this work should carry"),
    ])
    def test_given_a_mistake_then_400_naming_the_field(self, api, change, field, message):
        response = api.post(CALCULATE, CALCULATION | change, format="json")

        assert response.status_code == 400
        assert list(response.json()) == [field]
        assert message is None or response.json()[field] == [message]

    def test_given_nothing_then_the_basis_and_the_length_are_asked_for(self, api):
        response = api.post(CALCULATE, {}, format="json")

        assert response.status_code == 400 and set(response.json()) == {"basis", "term_months"}


class TestBidReadiness:
    def test_given_a_manager_then_they_set_what_is_ticked_in_checklist_order(self, api, charity, manager):
        api.force_authenticate(manager)

        response = api.put(readiness_url(charity), {"items": ["accounts", "equality-policy"]}, format="json")

        assert response.status_code == 200
        assert response.json()["ticked"] == ["equality-policy", "accounts"]
        assert BidReadiness.objects.get(organisation=charity).items == ["equality-policy", "accounts"]
        items = {item["code"]: item for item in response.json()["items"]}
        assert items["accounts"]["ticked"] and not items["dbs-checks"]["ticked"]
        assert items["full-cost"]["guide"] == "full-cost-recovery"
        assert response.json()["ready"] is False

    def test_given_everything_ticked_then_it_is_ready(self, api, charity, manager):
        api.force_authenticate(manager)

        body = api.put(readiness_url(charity), {"items": [i.code for i in READINESS_ITEMS]}, format="json").json()

        assert body["ready"] is True and len(body["ticked"]) == len(READINESS_ITEMS)

    def test_given_nothing_saved_then_nothing_is_ticked(self, api, charity, worker):
        api.force_authenticate(worker)

        body = api.get(readiness_url(charity)).json()

        assert (body["ticked"], body["ready"], body["updated_at"]) == ([], False, None)
        assert [item["code"] for item in body["items"]] == [item.code for item in READINESS_ITEMS]

    def test_given_an_item_not_on_the_checklist_then_400_and_nothing_changes(self, api, charity, manager):
        bid_readiness_save(organisation=charity, items=["accounts"], by=manager)
        api.force_authenticate(manager)

        response = api.put(readiness_url(charity), {"items": ["accounts", "a-yacht"]}, format="json")

        assert response.status_code == 400 and response.json() == {"items": ["a-yacht is not on the checklist."]}
        assert BidReadiness.objects.get().items == ["accounts"]

    def test_given_a_worker_then_they_read_it_but_cannot_change_it(self, api, charity, manager, worker):
        bid_readiness_save(organisation=charity, items=["accounts"], by=manager)
        api.force_authenticate(worker)

        assert api.get(readiness_url(charity)).json()["ticked"] == ["accounts"]
        assert api.put(readiness_url(charity), {"items": []}, format="json").status_code == 403
        assert BidReadiness.objects.get().items == ["accounts"]

    def test_given_another_organisation_or_a_bad_slug_then_404(self, api, charity, other_manager):
        api.force_authenticate(other_manager)

        assert api.get(readiness_url(charity)).status_code == 404
        assert api.put(readiness_url(charity), {"items": []}, format="json").status_code == 404
        assert api.get("/api/v1/organisations/nobody/bid-readiness/").status_code == 404
        assert not BidReadiness.objects.exists()

    def test_given_anonymous_then_refused(self, api, charity):
        assert api.get(readiness_url(charity)).status_code in (401, 403)
        assert api.put(readiness_url(charity), {"items": []}, format="json").status_code in (401, 403)


class TestSavedCalculations:
    @pytest.fixture
    def calculation(self, charity, manager):
        return full_cost_save(organisation=charity, by=manager, inputs=inputs(), title="Homes bid")

    def test_given_a_manager_then_they_save_one_for_an_opportunity(self, api, charity, manager, probation, leeds):
        opportunity = published(probation, areas=[leeds])
        api.force_authenticate(manager)

        response = api.post(calculations_url(charity), CALCULATION | {
            "title": "Leeds bid", "opportunity": str(opportunity.uuid)}, format="json")

        assert response.status_code == 201
        calculation = FullCostCalculation.objects.get()
        assert (calculation.organisation, calculation.opportunity, calculation.title, calculation.total) == (
            charity, opportunity, "Leeds bid", Decimal(218_000))
        assert response.json()["id"] == calculation.pk
        assert response.json()["opportunity"]["reference"] == opportunity.reference
        assert response.json()["result"] == FullCostResultSerializer(full_cost_calculate(inputs())).data

    @pytest.mark.parametrize("change, field", [
        ({"title": ""}, "title"), ({"title": "x" * 201}, "title"), ({"opportunity": "not-a-uuid"}, "opportunity"),
        ({"work_share": "12"}, "organisation_total"),
    ])
    def test_given_a_mistake_then_400_naming_the_field_and_nothing_saved(self, api, charity, manager, change, field):
        api.force_authenticate(manager)

        response = api.post(calculations_url(charity), CALCULATION | {"title": "Homes bid"} | change, format="json")

        assert response.status_code == 400 and field in response.json()
        assert not FullCostCalculation.objects.exists()

    def test_given_a_draft_opportunity_then_it_cannot_be_chosen(self, api, charity, manager, probation, leeds):
        draft = make_opportunity(probation, areas=[leeds])
        api.force_authenticate(manager)

        response = api.post(calculations_url(charity), CALCULATION | {
            "title": "Homes bid", "opportunity": str(draft.uuid)}, format="json")

        assert response.status_code == 400 and list(response.json()) == ["opportunity"]

    def test_given_a_worker_then_they_read_them_but_cannot_save_one(self, api, charity, worker, calculation):
        api.force_authenticate(worker)

        listing = api.get(calculations_url(charity)).json()["results"]
        assert [(c["id"], c["title"], c["total"]) for c in listing] == [(calculation.pk, "Homes bid", "218000")]
        detail = api.get(calculation_url(charity, calculation.pk)).json()
        assert detail["inputs"]["staff"] == "42000.00" and detail["result"]["total"] == "218000"
        response = api.post(calculations_url(charity), CALCULATION | {"title": "Mine"}, format="json")
        assert response.status_code == 403 and FullCostCalculation.objects.count() == 1

    def test_given_a_worker_then_they_cannot_remove_one_but_a_manager_can(self, api, charity, worker, manager,
                                                                          calculation):
        url = calculation_url(charity, calculation.pk)
        api.force_authenticate(worker)
        assert api.delete(url).status_code == 403 and FullCostCalculation.objects.exists()

        api.force_authenticate(manager)
        assert api.delete(url).status_code == 204
        assert not FullCostCalculation.objects.exists()

    def test_given_another_organisation_then_404_for_everything(self, api, charity, other_charity, other_manager,
                                                                calculation):
        api.force_authenticate(other_manager)

        assert api.get(calculations_url(charity)).status_code == 404
        assert api.post(calculations_url(charity), CALCULATION | {"title": "X"}, format="json").status_code == 404
        assert api.get(calculation_url(charity, calculation.pk)).status_code == 404
        assert api.delete(calculation_url(charity, calculation.pk)).status_code == 404
        assert api.get(calculation_url(other_charity, calculation.pk)).status_code == 404  # not theirs
        assert FullCostCalculation.objects.count() == 1

    def test_given_a_bad_id_then_404(self, api, charity, manager, calculation):
        api.force_authenticate(manager)

        assert api.get(calculation_url(charity, 999)).status_code == 404
        assert api.delete(calculation_url(charity, 999)).status_code == 404

    def test_given_anonymous_then_refused(self, api, charity, calculation):
        assert api.get(calculations_url(charity)).status_code in (401, 403)
        assert api.delete(calculation_url(charity, calculation.pk)).status_code in (401, 403)
