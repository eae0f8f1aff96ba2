"""The publisher's side of the opportunities API: creating and changing an opportunity, its lots, criteria and
documents, publishing, opening, cancelling, starting evaluation, and inviting the approved list. The API keeps
every rule the pages keep: anonymous, wrong role, other organisation, a bidder, bad ids, and nothing changed
when a rule refuses."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import (
    Criterion,
    Lot,
    Notification,
    Opportunity,
    OpportunityDocument,
    OpportunityStatus,
    Procedure,
)

from .api_helpers import signed_in
from .factories import add_criteria, make_opportunity, published
from .market_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/London"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CREATE = "/api/v1/opportunities/"
REFUSED_ANONYMOUS = (401, 403)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def url(opportunity, *rest) -> str:
    """The address of an opportunity's endpoint: ``url(o, "lots", 1)`` is ``/api/v1/opportunities/<uuid>/lots/1/``."""
    return f"/api/v1/opportunities/{opportunity.uuid}/" + "".join(f"{part}/" for part in rest)


@pytest.fixture
def draft(probation, commissioner, leeds):
    """A draft with a lot and criteria adding up to 100."""
    opportunity = make_opportunity(probation, by=commissioner, areas=[leeds])
    Lot.objects.create(opportunity=opportunity, number=1, title="West")
    return add_criteria(opportunity, by=commissioner)


@pytest.fixture
def document(draft, commissioner, api):
    signed_in(api, commissioner)
    upload = SimpleUploadedFile("spec.pdf", PDF)
    response = api.post(url(draft, "documents"), {"title": "Specification", "file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    api.logout()
    return OpportunityDocument.objects.get()


def details(leeds, **overrides) -> dict:
    return {
        "organisation": "yorkshire-probation",
        "title": "Mentoring for young adults",
        "summary": "We want mentors for young adults leaving prison. The work is in Leeds.",
        "procedure": "open",
        "pathways": ["pathway-ete"],
        "areas": [leeds.pk],
        "value_maximum": "240000",
        "duration_months": 24,
        "deadline": (NOW + timedelta(days=45)).isoformat(),
    } | overrides


def every_change(opportunity, document=None) -> list[tuple[str, str, dict]]:
    """(method, address, body) of each change an outsider might try on ``opportunity``."""
    criterion = opportunity.criteria.first()
    changes = [
        ("patch", url(opportunity), {"title": "Mine now"}),
        ("post", url(opportunity, "lots"), {"title": "East"}),
        ("patch", url(opportunity, "lots", 1), {"title": "East"}),
        ("delete", url(opportunity, "lots", 1), {}),
        ("post", url(opportunity, "criteria"), {"title": "Social value", "weight": 10}),
        ("put", url(opportunity, "criteria", criterion.pk), {"title": "Social value", "weight": 10}),
        ("delete", url(opportunity, "criteria", criterion.pk), {}),
        ("post", url(opportunity, "publish"), {"open_for_bids": True}),
        ("post", url(opportunity, "open"), {}),
        ("post", url(opportunity, "cancel"), {"reason": "Mine now"}),
        ("post", url(opportunity, "evaluation"), {}),
        ("post", url(opportunity, "invitations"), {}),
    ]
    if document is not None:
        changes.append(("delete", url(opportunity, "documents", document.pk), {}))
    return changes


def unchanged(opportunity) -> bool:
    opportunity.refresh_from_db()
    return (opportunity.status, opportunity.title, opportunity.lots.count(), opportunity.criteria.count()) == (
        OpportunityStatus.DRAFT, "Accommodation support for women leaving prison", 1, 2,
    )


class TestWhoMayUseThem:
    def test_given_someone_signed_out_then_nothing_is_read_or_changed(self, api, draft, document, leeds):
        assert api.get(url(draft, "manage")).status_code in REFUSED_ANONYMOUS
        assert api.post(CREATE, details(leeds), format="json").status_code in REFUSED_ANONYMOUS
        for method, address, body in every_change(draft, document):
            assert getattr(api, method)(address, body, format="json").status_code in REFUSED_ANONYMOUS, address
        assert unchanged(draft) and OpportunityDocument.objects.exists()

    def test_given_another_organisation_then_every_endpoint_is_not_found(
        self, api, draft, document, leeds, other_commissioner
    ):
        signed_in(api, other_commissioner)
        assert api.get(url(draft, "manage")).status_code == 404
        assert api.post(CREATE, details(leeds), format="json").status_code == 404
        for method, address, body in every_change(draft, document):
            assert getattr(api, method)(address, body, format="json").status_code == 404, address
        assert unchanged(draft) and Opportunity.objects.count() == 1

    def test_given_a_member_of_the_buyer_who_does_not_commission_then_403(
        self, api, draft, document, leeds, probation_worker
    ):
        signed_in(api, probation_worker)
        assert api.get(url(draft, "manage")).status_code == 403
        assert api.post(CREATE, details(leeds), format="json").status_code == 403
        for method, address, body in every_change(draft, document):
            assert getattr(api, method)(address, body, format="json").status_code == 403, address
        assert unchanged(draft) and OpportunityDocument.objects.exists()

    def test_given_a_bidder_then_a_published_opportunity_is_read_but_never_managed(
        self, api, probation, leeds, charity_manager
    ):
        opportunity = published(probation, areas=[leeds])
        signed_in(api, charity_manager)
        assert api.get(url(opportunity)).status_code == 200
        assert api.get(url(opportunity, "manage")).status_code == 404
        assert api.patch(url(opportunity), {"title": "Ours"}, format="json").status_code == 404
        assert api.post(url(opportunity, "cancel"), {"reason": "Ours"}, format="json").status_code == 404
        assert api.post(CREATE, details(leeds, organisation="leeds-womens-aid"), format="json").status_code == 403
        assert Opportunity.objects.get().status == OpportunityStatus.OPEN

    def test_given_bad_ids_then_not_found(self, api, draft, commissioner):
        signed_in(api, commissioner)
        missing = Opportunity(uuid=uuid.uuid4())
        assert api.get(url(missing, "manage")).status_code == 404
        assert api.patch(url(missing), {"title": "Lost"}, format="json").status_code == 404
        assert api.patch(url(draft, "lots", 9), {"title": "Lost"}, format="json").status_code == 404
        assert api.delete(url(draft, "criteria", 999)).status_code == 404
        assert api.delete(url(draft, "documents", 999)).status_code == 404
        assert api.post(CREATE, {"organisation": "nobody"}, format="json").status_code == 404


class TestCreatingAndChanging:
    def test_given_a_commissioner_then_they_create_a_draft_that_only_the_manager_view_shows(
        self, api, probation, commissioner, leeds
    ):
        signed_in(api, commissioner)
        response = api.post(CREATE, details(leeds), format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        opportunity = Opportunity.objects.get()
        assert (opportunity.buyer, opportunity.agency, opportunity.status, opportunity.created_by) == (
            probation, None, OpportunityStatus.DRAFT, commissioner)
        assert body["uuid"] == str(opportunity.uuid) and body["status"] == "draft"
        assert [pathway["code"] for pathway in body["pathways"]] == ["pathway-ete"]
        assert [area["id"] for area in body["areas"]] == [leeds.pk]
        assert body["next_steps"]["can_publish"] and body["next_steps"]["shaping"]
        assert {p["field"] for p in body["publish_problems"]["open_for_bids"]} == {"criteria"}
        assert body["publish_problems"]["forthcoming"] == []
        assert AuditEntry.objects.filter(actor=commissioner).exists()
        assert api.get(url(opportunity)).status_code == 404  # drafts are not public, even through the API
        assert api.get(url(opportunity, "manage")).json()["reference"] == opportunity.reference

    def test_given_the_agency_then_it_names_the_buyer_it_runs_the_competition_for(
        self, api, agency, agency_worker, prison, leeds
    ):
        signed_in(api, agency_worker)
        response = api.post(CREATE, details(leeds, organisation=agency.slug), format="json")
        assert response.status_code == 400 and "buyer" in response.json()
        response = api.post(CREATE, details(leeds, organisation=agency.slug, buyer=prison.slug), format="json")
        assert response.status_code == 201, response.content
        opportunity = Opportunity.objects.get()
        assert (opportunity.buyer, opportunity.agency) == (prison, agency)

    def test_given_a_commissioner_then_they_cannot_name_another_buyer(self, api, commissioner, prison, leeds):
        signed_in(api, commissioner)
        response = api.post(CREATE, details(leeds, buyer=prison.slug), format="json")
        assert response.status_code == 400 and "buyer" in response.json()
        assert not Opportunity.objects.exists()

    def test_given_mistakes_then_each_is_named_by_its_field_and_nothing_is_saved(self, api, commissioner, leeds):
        signed_in(api, commissioner)
        response = api.post(CREATE, details(leeds, title="", duration_months="two years"), format="json")
        assert response.status_code == 400 and {"title", "duration_months"} <= set(response.json())
        late = (NOW + timedelta(days=60)).isoformat()
        response = api.post(CREATE, details(leeds, clarifications_close_at=late, pathways=["not-a-pathway"]),
                            format="json")
        assert response.status_code == 400 and "pathways" in response.json()
        response = api.post(CREATE, details(leeds, clarifications_close_at=late), format="json")
        assert response.json() == {
            "deadline": ["The deadline for bids must be after the date clarifications close"]
        }
        assert not Opportunity.objects.exists()

    def test_given_a_draft_then_patch_changes_only_what_it_names(self, api, draft, commissioner, hull):
        signed_in(api, commissioner)
        response = api.patch(url(draft), {"title": "Renamed", "areas": [hull.pk]}, format="json")
        assert response.status_code == 200, response.content
        draft.refresh_from_db()
        assert draft.title == "Renamed" and list(draft.areas.all()) == [hull]
        assert draft.duration_months == 36 and list(draft.terms.values_list("code", flat=True)) == [
            "pathway-accommodation"]

    def test_given_bids_are_invited_then_the_deadline_only_moves_later(self, api, probation, commissioner, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        signed_in(api, commissioner)
        earlier = (opportunity.deadline - timedelta(days=1)).isoformat()
        response = api.patch(url(opportunity), {"deadline": earlier}, format="json")
        assert response.status_code == 400 and "only move later" in response.json()["deadline"][0]

    def test_given_it_has_closed_then_its_details_can_no_longer_change(
        self, api, probation, commissioner, leeds, frozen_clock
    ):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        frozen_clock.move_to(opportunity.deadline + timedelta(hours=1))
        signed_in(api, commissioner)
        response = api.patch(url(opportunity), {"title": "Too late"}, format="json")
        assert response.status_code == 400 and "can no longer change" in response.json()["detail"][0]
        assert Opportunity.objects.get().title != "Too late"


class TestLotsCriteriaAndDocuments:
    def test_given_a_draft_then_lots_are_added_changed_and_removed(self, api, draft, commissioner, leeds):
        signed_in(api, commissioner)
        response = api.post(url(draft, "lots"), {"title": "East", "areas": [leeds.pk], "value_maximum": "100000"},
                            format="json")
        assert response.status_code == 201, response.content
        assert [lot["number"] for lot in response.json()["lots"]] == [1, 2]
        assert api.patch(url(draft, "lots", 2), {"title": "East Leeds"}, format="json").status_code == 200
        east = Lot.objects.get(number=2)
        assert (east.title, east.value_maximum, list(east.areas.all())) == ("East Leeds", 100000, [leeds])
        response = api.put(url(draft, "lots", 2), {"title": "East only"}, format="json")
        assert response.status_code == 200 and not Lot.objects.get(number=2).areas.exists()
        assert api.delete(url(draft, "lots", 1)).status_code == 204
        assert [(lot.number, lot.title) for lot in Lot.objects.all()] == [(1, "East only")]

    def test_given_an_area_the_opportunity_is_not_in_then_the_lot_is_refused(self, api, draft, commissioner, hull):
        signed_in(api, commissioner)
        response = api.post(url(draft, "lots"), {"title": "Hull", "areas": [hull.pk]}, format="json")
        assert response.status_code == 400 and "areas" in response.json()
        response = api.post(url(draft, "lots"), {"title": "Dear", "value_maximum": "9000000"}, format="json")
        assert response.json() == {"value_maximum": ["A lot cannot be worth more than the whole opportunity"]}
        assert Lot.objects.count() == 1

    def test_given_a_draft_then_criteria_are_added_changed_and_removed_within_100(self, api, draft, commissioner):
        signed_in(api, commissioner)
        response = api.post(url(draft, "criteria"), {"title": "Social value", "weight": 15}, format="json")
        assert response.status_code == 400
        assert response.json() == {"weight": ["The weights would add up to 115%. They must add up to 100%: lower "
                                              "this weight or another one"]}
        quality = Criterion.objects.get(title="Quality of support")
        assert api.patch(url(draft, "criteria", quality.pk), {"weight": 45}, format="json").status_code == 200
        response = api.post(url(draft, "criteria"), {"title": "Social value", "weight": 15, "word_limit": 300},
                            format="json")
        assert response.status_code == 201 and [c["weight"] for c in response.json()["criteria"]] == [45, 40, 15]
        quality.refresh_from_db()
        assert quality.word_limit == 500 and quality.guidance.startswith("How you will help")
        response = api.post(url(draft, "criteria"), {"title": "Cost", "weight": 1, "is_price": True}, format="json")
        assert response.status_code == 400 and {"price_formula", "is_price"} <= set(response.json())
        social = Criterion.objects.get(title="Social value")
        assert api.delete(url(draft, "criteria", social.pk)).status_code == 204
        assert Criterion.objects.count() == 2

    def test_given_bids_are_invited_then_lots_and_criteria_cannot_change(self, api, probation, commissioner, leeds):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        Lot.objects.create(opportunity=opportunity, number=1, title="West")
        criterion = opportunity.criteria.first()
        signed_in(api, commissioner)
        attempts = [
            api.post(url(opportunity, "lots"), {"title": "East"}, format="json"),
            api.patch(url(opportunity, "lots", 1), {"title": "Changed"}, format="json"),
            api.delete(url(opportunity, "lots", 1)),
            api.patch(url(opportunity, "criteria", criterion.pk), {"weight": 50}, format="json"),
            api.delete(url(opportunity, "criteria", criterion.pk)),
        ]
        for response in attempts:
            assert response.status_code == 400
            assert "cannot change once bids are invited" in response.json()["detail"][0]
        assert [lot.title for lot in Lot.objects.all()] == ["West"]
        assert Criterion.objects.get(pk=criterion.pk).weight == 60 and Criterion.objects.count() == 2

    def test_given_a_document_then_it_is_judged_by_its_content(self, api, draft, commissioner):
        signed_in(api, commissioner)
        disguised = SimpleUploadedFile("spec.pdf", b"MZ\x90 not a pdf", content_type="application/pdf")
        response = api.post(url(draft, "documents"), {"title": "Spec", "file": disguised}, format="multipart")
        assert response.status_code == 400
        assert response.json() == {"file": ["The selected file must be a PDF, Word, Excel, OpenDocument, CSV or "
                                            "text file"]}
        assert not OpportunityDocument.objects.exists()
        response = api.post(url(draft, "documents"), {"title": "Spec", "file": SimpleUploadedFile("spec.pdf", PDF)},
                            format="multipart")
        assert response.status_code == 201
        [document] = response.json()["documents"]
        assert (document["title"], document["content_type"]) == ("Spec", "application/pdf")
        assert api.delete(url(draft, "documents", document["id"])).status_code == 204
        assert not OpportunityDocument.objects.exists()

    def test_given_bids_are_invited_then_a_document_is_not_removed(self, api, document, commissioner):
        signed_in(api, commissioner)
        response = api.post(url(document.opportunity, "publish"), {"open_for_bids": True}, format="json")
        assert response.status_code == 200, response.content
        response = api.delete(url(document.opportunity, "documents", document.pk))
        assert response.status_code == 400 and "cannot be removed once bids are invited" in response.json()["detail"][0]
        assert OpportunityDocument.objects.exists()


class TestPublishing:
    def test_given_something_missing_then_publishing_names_each_field_and_changes_nothing(
        self, api, probation, commissioner
    ):
        opportunity = make_opportunity(probation, by=commissioner, pathways=(), value_maximum=None,
                                       value_minimum=None)
        signed_in(api, commissioner)
        response = api.post(url(opportunity, "publish"), {"open_for_bids": True}, format="json")
        assert response.status_code == 400
        assert {"pathways", "areas", "value_maximum", "criteria"} <= set(response.json())
        assert response.json()["criteria"] == ["Add the criteria bids will be scored on"]
        assert Opportunity.objects.get().status == OpportunityStatus.DRAFT

    def test_given_a_warning_then_it_must_be_acknowledged_and_the_acknowledgement_is_recorded(
        self, api, draft, commissioner
    ):
        Opportunity.objects.filter(pk=draft.pk).update(payment_by_results_percent=40)
        signed_in(api, commissioner)
        overview = api.get(url(draft, "manage")).json()
        assert [(w["code"], w["to_acknowledge"]) for w in overview["warnings"]] == [("payment_by_results", True)]
        response = api.post(url(draft, "publish"), {"open_for_bids": True}, format="json")
        assert response.status_code == 400
        assert "Tick each warning" in response.json()["acknowledged"][0]
        assert [w["code"] for w in response.json()["warnings"]] == ["payment_by_results"]
        assert Opportunity.objects.get().status == OpportunityStatus.DRAFT
        response = api.post(url(draft, "publish"), {"open_for_bids": True, "acknowledged": ["payment_by_results"],
                                                    "reason": "A pilot"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "open"
        opportunity = Opportunity.objects.get()
        assert opportunity.proportionality_acknowledged[0]["code"] == "payment_by_results"
        assert opportunity.proportionality_reason == "A pilot"
        assert api.post(url(draft, "publish"), {}, format="json").json() == {
            "detail": ["This opportunity has already been published."]}

    def test_given_problems_and_a_warning_then_the_refusal_lists_both(self, api, probation, commissioner, leeds):
        opportunity = make_opportunity(probation, by=commissioner, areas=[leeds], payment_by_results_percent=40)
        signed_in(api, commissioner)
        response = api.post(url(opportunity, "publish"), {"open_for_bids": True}, format="json")
        assert response.status_code == 400
        assert "criteria" in response.json() and [w["code"] for w in response.json()["warnings"]] == [
            "payment_by_results"]

    def test_given_a_forthcoming_one_then_it_opens_for_bids(self, api, draft, commissioner):
        signed_in(api, commissioner)
        response = api.post(url(draft, "publish"), {"open_for_bids": False}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "forthcoming"
        assert response.json()["next_steps"]["can_open"]
        assert api.get(url(draft)).status_code == 200  # published: public now
        response = api.post(url(draft, "open"), {}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "open"
        assert api.post(url(draft, "open"), {}, format="json").status_code == 400

    def test_given_a_reason_then_it_is_cancelled_and_without_one_it_is_asked_for(self, api, draft, commissioner):
        signed_in(api, commissioner)
        response = api.post(url(draft, "cancel"), {"reason": " "}, format="json")
        assert response.status_code == 400 and "Give the reason for cancelling" in response.json()["reason"][0]
        response = api.post(url(draft, "cancel"), {"reason": "Budget cut"}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "cancelled"
        assert Opportunity.objects.get().cancelled_reason == "Budget cut"

    def test_given_it_has_closed_then_evaluation_starts(self, api, probation, commissioner, leeds, frozen_clock):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        signed_in(api, commissioner)
        response = api.post(url(opportunity, "evaluation"), format="json")
        assert response.json() == {"detail": ["Evaluation starts once the opportunity has closed."]}
        frozen_clock.move_to(opportunity.deadline + timedelta(minutes=1))
        signed_in(api, commissioner)
        response = api.post(url(opportunity, "evaluation"), format="json")
        assert response.status_code == 200 and response.json()["status"] == "evaluation"


class TestInvitations:
    @pytest.fixture
    def mini(self, probation, agency, agency_worker, leeds):
        return published(probation, areas=[leeds], agency=agency, by=agency_worker,
                         procedure=Procedure.MINI_COMPETITION)

    def test_every_approved_organisation_in_scope_is_invited_once_and_recorded(
        self, api, mini, agency, agency_worker, region, hull, charity, charity_manager, partner_charity,
        django_capture_on_commit_callbacks,
    ):
        approve(charity, agency, pathways=["pathway-accommodation"], areas=[region])  # noqa: F405
        approve(partner_charity, agency, areas=[hull])  # noqa: F405  Hull is not Leeds
        signed_in(api, agency_worker)
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(url(mini, "invitations"), format="json")
        assert response.status_code == 200
        assert [o["slug"] for o in response.json()["invited"]] == [charity.slug]
        assert [m.to for m in mail.outbox] == [["manager@womensaid.example"]]
        assert list(Notification.objects.values_list("organisation", "channel")) == [
            (charity.pk, Notification.Channel.INVITATION)]
        assert api.post(url(mini, "invitations"), format="json").json() == {"invited": []}
        approve(partner_charity, agency, areas=[mini.areas.get()])  # noqa: F405
        assert [o["slug"] for o in api.post(url(mini, "invitations")).json()["invited"]] == [partner_charity.slug]
        assert Notification.objects.count() == 2

    def test_only_a_published_mini_competition_invites(self, api, probation, commissioner, leeds, charity, agency):
        approve(charity, agency)  # noqa: F405
        opportunity = make_opportunity(probation, by=commissioner, areas=[leeds])
        signed_in(api, commissioner)
        response = api.post(url(opportunity, "invitations"), format="json")
        assert response.status_code == 400
        assert response.json() == {"detail": [
            "Only a mini-competition invites from the approved list.",
            "Invitations are sent once it is published, while it is forthcoming or open.",
        ]}
        assert not Notification.objects.exists()

    def test_nobody_but_the_opportunitys_managers_invites(self, api, mini, agency, charity, charity_manager,
                                                          probation_worker):
        approve(charity, agency)  # noqa: F405
        signed_in(api, charity_manager)
        assert api.post(url(mini, "invitations")).status_code == 404
        signed_in(api, probation_worker)
        assert api.post(url(mini, "invitations")).status_code == 403
        assert not Notification.objects.exists()
