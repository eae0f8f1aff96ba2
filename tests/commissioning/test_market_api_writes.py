"""The market's API for changes: registering interest, applying to an agency's approved list (evidence,
sending, the agency's decision) and forming a consortium. The API keeps every rule the pages keep: anonymous,
wrong role, other organisation, bad id and the happy path, and nothing half-saved when a rule refuses."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import (
    ApprovalEvidence,
    ApprovalStatus,
    ApprovedListEntry,
    Consortium,
    ConsortiumMember,
    Interest,
    MemberRole,
)
from pathways.commissioning.services import market as services
from tests.factories import OrganisationFactory, member, org_type

from .api_helpers import signed_in
from .factories import make_opportunity, published
from .market_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/London"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICATIONS = "/api/v1/market/approved-list/applications/"
REFUSED_ANONYMOUS = (401, 403)


def pdf(name="policy.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def application_url(entry, *rest):
    return APPLICATIONS + f"{entry.pk}/" + "".join(f"{part}/" for part in rest)


def decision_url(entry, decision):
    return reverse(f"api-approval-{decision}", args=[entry.pk])


@pytest.fixture
def draft(charity, charity_manager, agency, leeds):
    return services.approval_application_start(organisation=charity, agency=agency, by=charity_manager,
                                               terms=pathway_terms("pathway-accommodation"), areas=[leeds])


def add_every_kind_of_evidence(entry, by):
    for kind in ("policy", "insurance", "safeguarding"):
        services.approval_evidence_add(entry=entry, by=by, kind=kind, title=f"Our {kind}", upload=pdf(f"{kind}.pdf"))
    services.approval_evidence_add(entry=entry, by=by, kind="reference", title="Reference",
                                   note="Jo Bloggs, Leeds City Council")


@pytest.fixture
def sent(draft, charity_manager):
    add_every_kind_of_evidence(draft, charity_manager)
    return services.approval_application_submit(entry=draft, by=charity_manager)


@pytest.fixture
def other_agency_worker(db):
    other = OrganisationFactory(name="Humber Bidding Agency", slug="humber-agency",
                                type=org_type("infrastructure-body"))
    return member("partnership-development-worker", other, email="pdw@humber.example")


@pytest.fixture
def opportunity(probation, leeds):
    return published(probation, areas=[leeds])


# Interest in an opportunity --------------------------------------------------------------------------------

def interest_url(opportunity):
    return reverse("api-interest-mine", args=[opportunity.uuid])


class TestInterest:
    def test_a_member_registers_interest_changes_who_may_see_it_and_withdraws_it(
        self, api, opportunity, charity, charity_worker
    ):
        signed_in(api, charity_worker)
        response = api.post(interest_url(opportunity), {"visible_to_partners": True}, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["organisation"]["slug"] == charity.slug and response.json()["visible_to_partners"]
        response = api.post(interest_url(opportunity), {"visible_to_partners": False}, format="json")
        assert response.status_code == 200 and not Interest.objects.get(organisation=charity).visible_to_partners
        assert api.delete(interest_url(opportunity)).status_code == 204
        assert not Interest.objects.exists()
        response = api.delete(interest_url(opportunity))
        assert response.status_code == 400 and "detail" in response.json()

    def test_interest_is_only_taken_while_the_opportunity_is_open(self, api, opportunity, charity_worker,
                                                                  frozen_clock):
        frozen_clock.move_to(opportunity.deadline + timedelta(seconds=1))
        signed_in(api, charity_worker)
        response = api.post(interest_url(opportunity), {}, format="json")
        assert response.status_code == 400 and "forthcoming or open" in response.json()["detail"][0]
        assert not Interest.objects.exists()

    def test_the_buyer_may_not_register_interest_in_its_own_opportunity(self, api, opportunity, commissioner):
        signed_in(api, commissioner)
        assert api.post(interest_url(opportunity), {}, format="json").status_code == 403
        assert not Interest.objects.exists()

    def test_nobody_registers_for_an_organisation_they_do_not_belong_to(self, api, opportunity, charity, outsider):
        signed_in(api, outsider)
        url = interest_url(opportunity) + f"?organisation={charity.slug}"
        assert api.post(url, {}, format="json").status_code == 404
        assert api.delete(url).status_code == 404
        assert not Interest.objects.exists()

    def test_a_draft_is_not_found_and_signed_out_people_are_refused(self, api, probation, leeds, opportunity,
                                                                     charity_worker):
        assert api.post(interest_url(opportunity), {}, format="json").status_code in REFUSED_ANONYMOUS
        assert api.delete(interest_url(opportunity)).status_code in REFUSED_ANONYMOUS
        signed_in(api, charity_worker)
        draft = make_opportunity(probation, areas=[leeds])
        assert api.post(interest_url(draft), {}, format="json").status_code == 404
        assert api.post("/api/v1/opportunities/00000000-0000-0000-0000-000000000000/interest/mine/", {},
                        format="json").status_code == 404


# The approved list: applying ---------------------------------------------------------------------------

class TestApplying:
    def test_a_manager_starts_an_application_adds_evidence_and_sends_it(
        self, api, charity, charity_manager, agency, leeds
    ):
        signed_in(api, charity_manager)
        response = api.post(APPLICATIONS, {"agency": agency.slug, "pathways": ["pathway-accommodation"],
                                           "areas": [leeds.pk]}, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["status"], body["agency"]["slug"], body["pathways"], body["areas"]) == (
            "draft", agency.slug, ["pathway-accommodation"], [leeds.pk])
        assert len(body["problems"]) == 4
        entry = ApprovedListEntry.objects.get(pk=body["id"])

        for kind in ("policy", "insurance", "safeguarding"):
            response = api.post(application_url(entry, "evidence"),
                                {"kind": kind, "title": f"Our {kind}", "file": pdf(f"{kind}.pdf")}, format="multipart")
            assert response.status_code == 201, response.content
            assert response.json()["file"] is not None
        response = api.post(application_url(entry, "evidence"),
                            {"kind": "reference", "title": "Reference", "note": "Jo Bloggs, Leeds City Council"},
                            format="multipart")
        assert response.status_code == 201 and response.json()["file"] is None

        body = api.get(application_url(entry)).json()
        assert sorted(item["kind"] for item in body["evidence"]) == ["insurance", "policy", "reference", "safeguarding"]
        assert body["problems"] == []
        assert [item["id"] for item in api.get(APPLICATIONS).json()] == [entry.pk]

        response = api.post(application_url(entry, "submit"))
        assert response.status_code == 200 and response.json()["status"] == "submitted"
        entry.refresh_from_db()
        assert entry.status == ApprovalStatus.SUBMITTED and entry.submitted_at == NOW
        assert AuditEntry.objects.filter(target_id=str(entry.pk), target_type__model="approvedlistentry").count() == 6

    def test_sending_an_incomplete_application_lists_every_problem_and_sends_nothing(
        self, api, draft, charity_manager
    ):
        services.approval_evidence_add(entry=draft, by=charity_manager, kind="policy", title="Policy", upload=pdf())
        signed_in(api, charity_manager)
        response = api.post(application_url(draft, "submit"))
        assert response.status_code == 400
        assert response.json() == {"evidence": ["Add evidence of insurance", "Add evidence of safeguarding",
                                                "Add evidence of reference"]}
        draft.refresh_from_db()
        assert draft.status == ApprovalStatus.DRAFT and draft.submitted_at is None

    def test_mistakes_when_starting_name_the_field_and_save_nothing(self, api, draft, charity_manager, agency):
        signed_in(api, charity_manager)
        for body, field in (
            ({"agency": "no-such-agency"}, "agency"),
            ({"agency": agency.slug, "pathways": ["no-such-pathway"]}, "pathways"),
            ({"agency": agency.slug, "areas": [999999]}, "areas"),
            ({"agency": agency.slug}, "agency"),  # an application to this agency is in progress already
        ):
            response = api.post(APPLICATIONS, body, format="json")
            assert response.status_code == 400 and field in response.json(), (body, response.content)
        assert ApprovedListEntry.objects.count() == 1

    def test_an_agency_cannot_apply_to_its_own_list(self, api, agency):
        agency_manager = member("manager", agency, email="manager@agency.example")
        signed_in(api, agency_manager)
        response = api.post(APPLICATIONS, {"agency": agency.slug}, format="json")
        assert response.status_code == 400 and "own approved list" in response.json()["agency"][0]
        assert not ApprovedListEntry.objects.exists()

    def test_evidence_mistakes_name_the_field_and_save_nothing(self, api, draft, charity_manager):
        signed_in(api, charity_manager)
        url = application_url(draft, "evidence")
        for body, field in (
            ({"kind": "policy", "title": "No file and no note"}, "file"),
            ({"kind": "policy", "title": "Not a PDF", "file": SimpleUploadedFile("policy.pdf", b"MZ\x90\x00 nope")},
             "file"),
            ({"kind": "diploma", "title": "Wrong kind", "note": "A note"}, "kind"),
            ({"kind": "policy", "note": "No title"}, "title"),
        ):
            response = api.post(url, body, format="multipart")
            assert response.status_code == 400 and field in response.json(), (body, response.content)
        assert not ApprovalEvidence.objects.exists()

    def test_evidence_is_removed_until_the_application_is_sent(self, api, draft, charity_manager):
        add_every_kind_of_evidence(draft, charity_manager)
        policy = draft.evidence.get(kind="policy")
        signed_in(api, charity_manager)
        assert api.delete(application_url(draft, "evidence", policy.pk)).status_code == 204
        assert not draft.evidence.filter(kind="policy").exists()
        assert api.delete(application_url(draft, "evidence", policy.pk)).status_code == 404
        services.approval_evidence_add(entry=draft, by=charity_manager, kind="policy", title="Again", upload=pdf())
        services.approval_application_submit(entry=draft, by=charity_manager)
        insurance = draft.evidence.get(kind="insurance")
        response = api.delete(application_url(draft, "evidence", insurance.pk))
        assert response.status_code == 400 and "no longer change" in response.json()["detail"][0]
        response = api.post(application_url(draft, "evidence"), {"kind": "accounts", "title": "Late", "note": "x"},
                            format="multipart")
        assert response.status_code == 400 and draft.evidence.count() == 4

    def test_a_member_who_is_not_a_manager_reads_it_but_may_not_change_it(self, api, draft, charity_worker, agency):
        signed_in(api, charity_worker)
        assert api.get(application_url(draft)).status_code == 200
        assert api.post(APPLICATIONS, {"agency": agency.slug}, format="json").status_code == 403
        assert api.post(application_url(draft, "evidence"), {"kind": "policy", "title": "P", "note": "n"},
                        format="multipart").status_code == 403
        assert api.post(application_url(draft, "submit")).status_code == 403
        assert ApprovedListEntry.objects.count() == 1 and not ApprovalEvidence.objects.exists()

    def test_another_organisation_can_neither_read_nor_change_it(self, api, draft, charity, charity_manager,
                                                                 outsider, partner_manager):
        add_every_kind_of_evidence(draft, charity_manager)
        evidence = draft.evidence.first()
        for person in (outsider, partner_manager):
            signed_in(api, person)
            assert api.get(application_url(draft)).status_code == 404
            assert api.get(application_url(draft) + f"?organisation={charity.slug}").status_code == 404
            assert api.get(APPLICATIONS + f"?organisation={charity.slug}").status_code == 404
            assert api.get(APPLICATIONS).json() == []
            assert api.post(application_url(draft, "evidence"), {"kind": "policy", "title": "P", "note": "n"},
                            format="multipart").status_code == 404
            assert api.delete(application_url(draft, "evidence", evidence.pk)).status_code == 404
            assert api.post(application_url(draft, "submit")).status_code == 404
        draft.refresh_from_db()
        assert draft.status == ApprovalStatus.DRAFT and draft.evidence.count() == 4

    def test_a_bad_id_is_not_found(self, api, charity_manager):
        signed_in(api, charity_manager)
        assert api.get(APPLICATIONS + "999999/").status_code == 404
        assert api.post(APPLICATIONS + "999999/submit/").status_code == 404

    def test_signed_out_people_are_refused(self, api, draft, agency):
        assert api.get(APPLICATIONS).status_code in REFUSED_ANONYMOUS
        assert api.post(APPLICATIONS, {"agency": agency.slug}, format="json").status_code in REFUSED_ANONYMOUS
        assert api.get(application_url(draft)).status_code in REFUSED_ANONYMOUS
        assert api.post(application_url(draft, "evidence"), {"kind": "policy", "title": "P", "note": "n"},
                        format="multipart").status_code in REFUSED_ANONYMOUS
        assert api.post(application_url(draft, "submit")).status_code in REFUSED_ANONYMOUS
        assert api.post(decision_url(draft, "approve"), {"expires_on": "2027-03-01"},
                        format="json").status_code in REFUSED_ANONYMOUS
        assert ApprovedListEntry.objects.get().status == ApprovalStatus.DRAFT


# The approved list: the agency's decision ------------------------------------------------------------------

class TestDeciding:
    def test_the_agency_approves_with_an_expiry_and_the_organisation_sees_it(
        self, api, sent, agency_worker, charity_worker
    ):
        signed_in(api, agency_worker)
        response = api.post(decision_url(sent, "approve"), {"expires_on": "2027-03-01", "note": "Welcome"},
                            format="json")
        assert response.status_code == 200, response.content
        assert (response.json()["status"], response.json()["expires_on"], response.json()["review_note"]) == (
            "approved", "2027-03-01", "Welcome")
        sent.refresh_from_db()
        assert sent.status == ApprovalStatus.APPROVED and sent.reviewed_by == agency_worker
        assert str(sent.expires_on) == "2027-03-01"
        signed_in(api, charity_worker)
        assert api.get(application_url(sent)).json()["status"] == "approved"

    def test_the_agency_returns_it_with_a_note_and_the_organisation_adds_more(
        self, api, sent, agency_worker, charity_manager
    ):
        signed_in(api, agency_worker)
        response = api.post(decision_url(sent, "return"), {"note": "  "}, format="json")
        assert response.status_code == 400 and "note" in response.json()
        assert api.post(decision_url(sent, "return"), {}, format="json").status_code == 400
        response = api.post(decision_url(sent, "return"), {"note": "Add your accounts"}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "returned"
        assert response.json()["review_note"] == "Add your accounts"
        signed_in(api, charity_manager)
        response = api.post(application_url(sent, "evidence"), {"kind": "accounts", "title": "Accounts 2025",
                                                                "file": pdf("accounts.pdf")}, format="multipart")
        assert response.status_code == 201
        assert api.post(application_url(sent, "submit")).json()["status"] == "submitted"

    def test_approving_needs_an_expiry_in_the_future(self, api, sent, agency_worker):
        signed_in(api, agency_worker)
        for body in ({}, {"expires_on": None}, {"expires_on": "2026-03-02"}, {"expires_on": "not a day"}):
            response = api.post(decision_url(sent, "approve"), body, format="json")
            assert response.status_code == 400 and "expires_on" in response.json(), (body, response.content)
        sent.refresh_from_db()
        assert sent.status == ApprovalStatus.SUBMITTED and sent.expires_on is None and sent.reviewed_at is None

    def test_a_decided_application_is_not_decided_again(self, api, sent, agency_worker):
        signed_in(api, agency_worker)
        assert api.post(decision_url(sent, "approve"), {"expires_on": "2027-03-01"}, format="json").status_code == 200
        response = api.post(decision_url(sent, "return"), {"note": "Changed my mind"}, format="json")
        assert response.status_code == 400 and "detail" in response.json()
        assert ApprovedListEntry.objects.get().status == ApprovalStatus.APPROVED

    def test_nobody_but_the_agencys_partnership_development_workers_decides(
        self, api, sent, agency, charity_manager, commissioner, outsider, other_agency_worker
    ):
        agency_manager = member("manager", agency, email="manager@agency.example")
        for person, refused in ((charity_manager, 403), (commissioner, 403), (outsider, 403), (agency_manager, 403),
                                (other_agency_worker, 404)):
            signed_in(api, person)
            for decision, body in (("approve", {"expires_on": "2027-03-01"}), ("return", {"note": "No"})):
                response = api.post(decision_url(sent, decision), body, format="json")
                assert response.status_code == refused, (person, decision, response.content)
        signed_in(api, charity_manager)
        response = api.post(decision_url(sent, "approve") + f"?organisation={agency.slug}",
                            {"expires_on": "2027-03-01"}, format="json")
        assert response.status_code == 404
        sent.refresh_from_db()
        assert sent.status == ApprovalStatus.SUBMITTED and sent.reviewed_at is None

    def test_a_draft_or_a_bad_id_is_not_found_by_the_agency(self, api, draft, agency_worker):
        signed_in(api, agency_worker)
        assert api.post(decision_url(draft, "approve"), {"expires_on": "2027-03-01"}, format="json").status_code == 404
        assert api.post("/api/v1/market/approved-list/999999/return/", {"note": "x"}, format="json").status_code == 404
        assert ApprovedListEntry.objects.get().status == ApprovalStatus.DRAFT


# Consortia ----------------------------------------------------------------------------------------------

def consortia_url(opportunity):
    return reverse("api-consortium-create", args=[opportunity.uuid])


def consortium_url(consortium, *rest):
    return f"/api/v1/consortia/{consortium.pk}/" + "".join(f"{part}/" for part in rest)


@pytest.fixture
def consortium(opportunity, charity, charity_manager):
    return services.consortium_create(opportunity=opportunity, lead=charity, by=charity_manager,
                                      name="Leeds and Hull Housing", share_of_work=60, share_of_value=60)


@pytest.fixture
def partner(consortium, partner_charity, charity_manager):
    return services.consortium_member_add(consortium=consortium, by=charity_manager, organisation=partner_charity,
                                          share_of_work=40, share_of_value=40)


class TestFormingAConsortium:
    def test_the_lead_forms_it_members_agree_and_the_agreement_is_recorded(
        self, api, opportunity, charity, charity_manager, partner_charity, partner_manager
    ):
        signed_in(api, charity_manager)
        response = api.post(consortia_url(opportunity), {"name": "Leeds and Hull Housing", "share_of_work": 60,
                                                         "share_of_value": 60}, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["lead"]["slug"], body["value_total"], body["ready"]) == (charity.slug, 60, False)
        consortium = Consortium.objects.get(pk=body["id"])
        lead = consortium.members.get(role=MemberRole.LEAD)

        response = api.post(consortium_url(consortium, "members"), {
            "organisation": partner_charity.slug, "role": "member", "share_of_work": 40, "share_of_value": 30,
        }, format="json")
        assert response.status_code == 201, response.content
        partner = ConsortiumMember.objects.get(pk=response.json()["id"])

        signed_in(api, partner_manager)
        response = api.post(consortium_url(consortium, "agree"), {"member": partner.pk}, format="json")
        assert response.status_code == 400 and "90%" in response.json()["detail"][0]

        signed_in(api, charity_manager)
        response = api.patch(consortium_url(consortium, "members", partner.pk), {"share_of_value": 40}, format="json")
        assert response.status_code == 200
        assert (response.json()["share_of_work"], response.json()["share_of_value"]) == (40, 40)
        assert api.post(consortium_url(consortium, "agree"), {"member": lead.pk}, format="json").status_code == 200

        signed_in(api, partner_manager)
        body = api.get(consortium_url(consortium)).json()
        assert [(m["organisation"]["slug"], m["role"]) for m in body["members"]] == [
            (charity.slug, "lead"), (partner_charity.slug, "member")]
        assert (body["work_total"], body["value_total"]) == (100, 100)
        response = api.post(consortium_url(consortium, "agree"), {"member": partner.pk}, format="json")
        assert response.status_code == 200 and response.json()["agreed_at"] is not None

        signed_in(api, charity_manager)
        response = api.post(consortium_url(consortium, "agreement"), {
            "summary": "We share the work by area.", "document": pdf("agreement.pdf")}, format="multipart")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["ready"] and body["agreement_summary"] == "We share the work by area."
        assert body["agreement_document"] == reverse("commissioning:consortium-document", args=[consortium.pk])
        consortium.refresh_from_db()
        assert consortium.agreement_recorded_at == NOW

    def test_changing_shares_asks_everyone_to_agree_again(self, api, consortium, partner, charity_manager,
                                                          partner_manager):
        services.consortium_member_agree(consortium=consortium, organisation=partner.organisation, by=partner_manager)
        signed_in(api, charity_manager)
        lead = consortium.members.get(role=MemberRole.LEAD)
        response = api.patch(consortium_url(consortium, "members", lead.pk),
                             {"share_of_work": 50, "share_of_value": 50}, format="json")
        assert response.status_code == 200
        partner.refresh_from_db()
        assert partner.agreed_at is None

    def test_shares_that_break_the_rules_are_refused_naming_the_field(
        self, api, opportunity, consortium, partner, charity_manager, partner_charity
    ):
        signed_in(api, charity_manager)
        response = api.post(consortia_url(opportunity), {"name": "Too much", "share_of_value": 150}, format="json")
        assert response.status_code == 400 and "share_of_value" in response.json()
        response = api.post(consortia_url(opportunity), {"name": "Odd", "share_of_work": "lots"}, format="json")
        assert response.status_code == 400 and "share_of_work" in response.json()
        response = api.post(consortia_url(opportunity), {"name": " "}, format="json")
        assert response.status_code == 400 and "name" in response.json()
        assert Consortium.objects.count() == 1

        response = api.patch(consortium_url(consortium, "members", partner.pk), {"share_of_work": -1}, format="json")
        assert response.status_code == 400 and "share_of_work" in response.json()
        response = api.patch(consortium_url(consortium, "members", partner.pk), {"share_of_work": 10,
                                                                                 "share_of_value": 101}, format="json")
        assert response.status_code == 400 and "share_of_value" in response.json()
        partner.refresh_from_db()
        assert (partner.share_of_work_percent, partner.share_of_value_percent) == (40, 40)

        third = OrganisationFactory(name="York Recovery", slug="york-recovery")
        response = api.post(consortium_url(consortium, "members"), {"organisation": third.slug, "share_of_work": 0,
                                                                    "share_of_value": 101}, format="json")
        assert response.status_code == 400 and "share_of_value" in response.json()
        assert consortium.members.count() == 2

    def test_members_and_the_agreement_are_checked(self, api, opportunity, probation, consortium, partner,
                                                   charity_manager, partner_charity):
        signed_in(api, charity_manager)
        for body, field in (
            ({"organisation": probation.slug, "share_of_work": 0, "share_of_value": 0}, "organisation"),
            ({"organisation": partner_charity.slug, "share_of_work": 0, "share_of_value": 0}, "organisation"),
            ({"organisation": "no-such-organisation", "share_of_work": 0, "share_of_value": 0}, "organisation"),
            ({"organisation": "york-recovery", "role": "lead", "share_of_work": 0, "share_of_value": 0}, "role"),
            ({"organisation": partner_charity.slug}, "share_of_work"),
        ):
            response = api.post(consortium_url(consortium, "members"), body, format="json")
            assert response.status_code == 400 and field in response.json(), (body, response.content)
        assert consortium.members.count() == 2
        response = api.post(consortium_url(consortium, "agreement"), {"summary": "Agreed"}, format="multipart")
        assert response.status_code == 400 and "Every member" in response.json()["detail"][0]
        response = api.post(consortium_url(consortium, "agreement"), {"summary": ""}, format="multipart")
        assert response.status_code == 400 and "summary" in response.json()
        consortium.refresh_from_db()
        assert consortium.agreement_recorded_at is None and consortium.agreement_summary == ""

    def test_a_bad_agreement_document_names_the_field(self, api, consortium, partner, charity, charity_manager,
                                                      partner_manager):
        services.consortium_member_agree(consortium=consortium, organisation=charity, by=charity_manager)
        services.consortium_member_agree(consortium=consortium, organisation=partner.organisation, by=partner_manager)
        signed_in(api, charity_manager)
        response = api.post(consortium_url(consortium, "agreement"), {
            "summary": "Agreed", "document": SimpleUploadedFile("agreement.pdf", b"MZ\x90\x00 not a pdf")},
            format="multipart")
        assert response.status_code == 400 and "document" in response.json()
        consortium.refresh_from_db()
        assert consortium.agreement_recorded_at is None and not consortium.agreement_document

    def test_a_member_is_taken_out_but_never_the_lead(self, api, consortium, partner, charity_manager):
        signed_in(api, charity_manager)
        lead = consortium.members.get(role=MemberRole.LEAD)
        response = api.delete(consortium_url(consortium, "members", lead.pk))
        assert response.status_code == 400 and "lead" in response.json()["detail"][0]
        assert api.delete(consortium_url(consortium, "members", partner.pk)).status_code == 204
        assert list(consortium.members.all()) == [lead]
        assert api.delete(consortium_url(consortium, "members", partner.pk)).status_code == 404
        assert api.patch(consortium_url(consortium, "members", 999999), {"share_of_work": 1},
                         format="json").status_code == 404
        assert api.post(consortium_url(consortium, "agree"), {"member": 999999}, format="json").status_code == 404

    def test_a_consortium_is_only_formed_while_the_opportunity_is_open(self, api, opportunity, charity_manager,
                                                                        frozen_clock):
        frozen_clock.move_to(opportunity.deadline + timedelta(seconds=1))
        signed_in(api, charity_manager)
        response = api.post(consortia_url(opportunity), {"name": "Too late"}, format="json")
        assert response.status_code == 400 and not Consortium.objects.exists()


class TestWhoMayActOnAConsortium:
    def test_another_organisation_does_not_know_it_exists(self, api, consortium, partner, outsider, commissioner):
        for person in (outsider, commissioner):
            signed_in(api, person)
            assert api.get(consortium_url(consortium)).status_code == 404
            assert api.post(consortium_url(consortium, "members"), {
                "organisation": "elsewhere", "share_of_work": 0, "share_of_value": 0}, format="json").status_code == 404
            assert api.patch(consortium_url(consortium, "members", partner.pk), {"share_of_value": 0},
                             format="json").status_code == 404
            assert api.delete(consortium_url(consortium, "members", partner.pk)).status_code == 404
            assert api.post(consortium_url(consortium, "agree"), {"member": partner.pk},
                            format="json").status_code == 404
            assert api.post(consortium_url(consortium, "agreement"), {"summary": "x"},
                            format="multipart").status_code == 404
        assert consortium.members.count() == 2
        assert api.get("/api/v1/consortia/999999/").status_code == 404

    def test_a_member_sees_it_and_agrees_for_itself_but_only_the_lead_changes_it(
        self, api, consortium, partner, charity_manager, partner_manager
    ):
        lead = consortium.members.get(role=MemberRole.LEAD)
        signed_in(api, partner_manager)
        assert api.get(consortium_url(consortium)).status_code == 200
        assert api.post(consortium_url(consortium, "members"), {
            "organisation": "elsewhere", "share_of_work": 0, "share_of_value": 0}, format="json").status_code == 403
        assert api.patch(consortium_url(consortium, "members", partner.pk), {"share_of_value": 100},
                         format="json").status_code == 403
        assert api.delete(consortium_url(consortium, "members", lead.pk)).status_code == 403
        assert api.post(consortium_url(consortium, "agree"), {"member": lead.pk}, format="json").status_code == 403
        assert api.post(consortium_url(consortium, "agreement"), {"summary": "x"},
                        format="multipart").status_code == 403
        partner.refresh_from_db()
        lead.refresh_from_db()
        assert partner.share_of_value_percent == 40 and lead.agreed_at is None

    def test_a_member_who_is_not_a_manager_neither_starts_nor_agrees(self, api, opportunity, consortium, partner,
                                                                     charity_worker):
        lead = consortium.members.get(role=MemberRole.LEAD)
        signed_in(api, charity_worker)
        assert api.get(consortium_url(consortium)).status_code == 200
        assert api.post(consortia_url(opportunity), {"name": "Mine"}, format="json").status_code == 403
        assert api.post(consortium_url(consortium, "agree"), {"member": lead.pk}, format="json").status_code == 403
        assert Consortium.objects.count() == 1 and not ConsortiumMember.objects.filter(agreed_at__isnull=False).exists()

    def test_the_buyer_does_not_start_a_consortium_for_its_own_opportunity(self, api, opportunity, commissioner):
        signed_in(api, commissioner)
        assert api.post(consortia_url(opportunity), {"name": "Ours"}, format="json").status_code == 403
        assert not Consortium.objects.exists()

    def test_nobody_starts_one_for_an_organisation_they_do_not_belong_to(self, api, opportunity, charity, outsider):
        signed_in(api, outsider)
        response = api.post(consortia_url(opportunity) + f"?organisation={charity.slug}", {"name": "Theirs"},
                            format="json")
        assert response.status_code == 404 and not Consortium.objects.exists()

    def test_a_draft_opportunity_is_not_found(self, api, probation, leeds, charity_manager):
        signed_in(api, charity_manager)
        draft = make_opportunity(probation, areas=[leeds])
        assert api.post(consortia_url(draft), {"name": "Early"}, format="json").status_code == 404

    def test_signed_out_people_are_refused(self, api, opportunity, consortium, partner):
        assert api.post(consortia_url(opportunity), {"name": "Anon"}, format="json").status_code in REFUSED_ANONYMOUS
        assert api.get(consortium_url(consortium)).status_code in REFUSED_ANONYMOUS
        assert api.post(consortium_url(consortium, "members"), {}, format="json").status_code in REFUSED_ANONYMOUS
        assert api.patch(consortium_url(consortium, "members", partner.pk), {},
                         format="json").status_code in REFUSED_ANONYMOUS
        assert api.delete(consortium_url(consortium, "members", partner.pk)).status_code in REFUSED_ANONYMOUS
        assert api.post(consortium_url(consortium, "agree"), {}, format="json").status_code in REFUSED_ANONYMOUS
        assert api.post(consortium_url(consortium, "agreement"), {}, format="json").status_code in REFUSED_ANONYMOUS
        assert Consortium.objects.count() == 1 and consortium.members.count() == 2
