"""The approved list: applying with evidence, the agency's review, renewal reminders and expiry, and
invitations to mini-competitions reaching every approved organisation in scope, once."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import ApprovalStatus, ApprovedListEntry, Notification, Procedure
from pathways.commissioning.services import market as services
from pathways.commissioning.tasks.market import keep_the_approved_list
from pathways.core.errors import DomainError
from tests.factories import member

from .factories import published
from .market_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="policy.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def complete_application(organisation, agency, by, *, areas=()):
    entry = services.approval_application_start(organisation=organisation, agency=agency, by=by,
                                                terms=pathway_terms("pathway-accommodation"), areas=areas)
    services.approval_evidence_add(entry=entry, by=by, kind="policy", title="Equality policy", upload=pdf())
    services.approval_evidence_add(entry=entry, by=by, kind="insurance", title="Public liability £5m", upload=pdf("ins.pdf"))
    services.approval_evidence_add(entry=entry, by=by, kind="safeguarding", title="Safeguarding policy", upload=pdf("s.pdf"))
    services.approval_evidence_add(entry=entry, by=by, kind="reference", title="Reference",
                                   note="Jo Bloggs, Leeds City Council, jo@leeds.example")
    return entry


class TestApplying:
    def test_a_manager_applies_with_evidence_and_sends_it_and_every_step_is_audited(
        self, charity, charity_manager, agency, leeds, django_capture_on_commit_callbacks
    ):
        entry = complete_application(charity, agency, charity_manager, areas=[leeds])
        with django_capture_on_commit_callbacks(execute=True):
            services.approval_application_submit(entry=entry, by=charity_manager)
        entry.refresh_from_db()
        assert entry.status == ApprovalStatus.SUBMITTED and entry.submitted_at is not None
        assert entry.evidence.count() == 4
        assert [m.to for m in mail.outbox] == [["agency@example.org"]]
        assert AuditEntry.objects.filter(target_id=str(entry.pk), target_type__model="approvedlistentry").count() == 6

    def test_an_application_without_every_kind_of_evidence_is_not_sent(self, charity, charity_manager, agency):
        entry = services.approval_application_start(organisation=charity, agency=agency, by=charity_manager)
        services.approval_evidence_add(entry=entry, by=charity_manager, kind="policy", title="Policy", upload=pdf())
        with pytest.raises(DomainError, match="insurance"):
            services.approval_application_submit(entry=entry, by=charity_manager)

    @pytest.mark.parametrize(("upload", "message"), [
        (SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf at all"), "must be a PDF"),
        (SimpleUploadedFile("x.pdf", b""), "empty"),
    ])
    def test_uploads_are_checked_by_their_content(self, charity, charity_manager, agency, upload, message):
        entry = services.approval_application_start(organisation=charity, agency=agency, by=charity_manager)
        with pytest.raises(DomainError, match=message) as error:
            services.approval_evidence_add(entry=entry, by=charity_manager, kind="policy", title="Policy", upload=upload)
        assert error.value.field == "file"
        assert not entry.evidence.exists()

    def test_too_large_an_upload_is_refused(self, charity, charity_manager, agency, settings):
        from pathways.commissioning.services import documents

        entry = services.approval_application_start(organisation=charity, agency=agency, by=charity_manager)
        big = pdf(data=PDF + b"0" * (documents.MAX_DOCUMENT_BYTES))
        with pytest.raises(DomainError, match="smaller than"):
            services.approval_evidence_add(entry=entry, by=charity_manager, kind="policy", title="Policy", upload=big)

    def test_a_member_who_is_not_a_manager_cannot_apply(self, charity, charity_worker, agency, client):
        with pytest.raises(PermissionDenied):
            services.approval_application_start(organisation=charity, agency=agency, by=charity_worker)
        client.force_login(charity_worker)
        url = reverse("commissioning:approval-applications", args=[charity.slug])
        assert client.get(url).status_code == 200
        assert client.post(url, {"agency": agency.pk}).status_code == 403

    def test_another_organisations_application_is_not_found(self, charity, charity_manager, agency, outsider, client):
        entry = services.approval_application_start(organisation=charity, agency=agency, by=charity_manager)
        client.force_login(outsider)
        assert client.get(reverse("commissioning:approval-application", args=[charity.slug, entry.pk])).status_code == 404
        other = outsider.memberships.get().organisation
        assert client.get(reverse("commissioning:approval-application", args=[other.slug, entry.pk])).status_code == 404

    def test_only_an_agency_keeps_an_approved_list(self, charity, charity_manager, probation):
        with pytest.raises(DomainError):
            services.approval_application_start(organisation=charity, agency=probation, by=charity_manager)

    def test_the_application_pages_work_without_javascript(self, client, charity, charity_manager, agency):
        client.force_login(charity_manager)
        response = client.post(reverse("commissioning:approval-applications", args=[charity.slug]), {"agency": agency.pk})
        entry = ApprovedListEntry.objects.get()
        assert response.status_code == 302
        url = reverse("commissioning:approval-application", args=[charity.slug, entry.pk])
        response = client.post(url, {"action": "evidence", "kind": "policy", "title": "", "note": ""})
        assert "Enter a title for the evidence" in response.content.decode()
        client.post(url, {"action": "evidence", "kind": "policy", "title": "Policy", "file": pdf()})
        assert entry.evidence.count() == 1
        response = client.post(url, {"action": "submit"})
        assert "Add evidence of insurance" in response.content.decode()


class TestEvidenceFiles:
    def test_the_applicants_members_and_then_the_reviewing_agency_download_it_and_nobody_else(
        self, client, charity, charity_manager, charity_worker, agency, agency_worker, outsider
    ):
        entry = complete_application(charity, agency, charity_manager)
        evidence = entry.evidence.get(kind="policy")
        url = reverse("commissioning:approval-evidence", args=[entry.pk, evidence.pk])
        client.force_login(charity_worker)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="policy.pdf"'
        client.force_login(agency_worker)
        assert client.get(url).status_code == 404  # still a draft: the agency has not been sent it
        services.approval_application_submit(entry=entry, by=charity_manager)
        assert client.get(url).status_code == 200
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("commissioning:approval-evidence", args=[entry.pk, 999999])).status_code == 404


    def test_the_file_keeps_its_name_and_the_type_found_from_its_content(self, charity, charity_manager, agency):
        entry = services.approval_application_start(organisation=charity, agency=agency, by=charity_manager,
                                                    terms=pathway_terms("pathway-accommodation"))
        upload = SimpleUploadedFile("C:\\Users\\jo\\Insurance schedule 2026.PDF", PDF, content_type="text/plain")

        evidence = services.approval_evidence_add(entry=entry, by=charity_manager, kind="insurance",
                                                  title="Insurance", upload=upload)

        assert (evidence.original_name, evidence.content_type) == ("Insurance schedule 2026.PDF", "application/pdf")
        stored = evidence.file.name.rsplit("/", 1)[-1]  # stored under our own name, lower-case extension
        assert stored.startswith(f"{charity.slug}-insurance") and stored.endswith(".pdf")


class TestReview:
    def test_the_agency_approves_with_an_expiry_and_the_organisation_is_told(
        self, charity, charity_manager, agency, agency_worker, django_capture_on_commit_callbacks
    ):
        entry = complete_application(charity, agency, charity_manager)
        services.approval_application_submit(entry=entry, by=charity_manager)
        with django_capture_on_commit_callbacks(execute=True):
            services.approval_approve(entry=entry, by=agency_worker, expires_on=timezone.localdate() + timedelta(days=365))
        entry.refresh_from_db()
        assert entry.status == ApprovalStatus.APPROVED and entry.reviewed_by == agency_worker
        assert mail.outbox[-1].to == ["manager@womensaid.example"]
        assert AuditEntry.objects.filter(target_id=str(entry.pk), target_type__model="approvedlistentry", acting_for=agency).exists()

    def test_the_agency_returns_it_with_a_note_and_the_organisation_can_send_again(
        self, client, charity, charity_manager, agency, agency_worker
    ):
        entry = complete_application(charity, agency, charity_manager)
        services.approval_application_submit(entry=entry, by=charity_manager)
        client.force_login(agency_worker)
        url = reverse("commissioning:approval-review", args=[agency.slug, entry.pk])
        response = client.post(url, {"decision": "return", "note": ""})
        assert "Say what the organisation needs to add or change" in response.content.decode()
        assert client.post(url, {"decision": "return", "note": "Your insurance has expired"}).status_code == 302
        entry.refresh_from_db()
        assert (entry.status, entry.review_note) == (ApprovalStatus.RETURNED, "Your insurance has expired")
        services.approval_application_submit(entry=entry, by=charity_manager)
        assert ApprovedListEntry.objects.get().status == ApprovalStatus.SUBMITTED

    def test_an_expiry_in_the_past_is_refused(self, charity, charity_manager, agency, agency_worker):
        entry = complete_application(charity, agency, charity_manager)
        services.approval_application_submit(entry=entry, by=charity_manager)
        with pytest.raises(DomainError) as error:
            services.approval_approve(entry=entry, by=agency_worker, expires_on=timezone.localdate())
        assert error.value.field == "expires_on"

    def test_nobody_else_reviews(self, client, charity, charity_manager, agency, agency_worker, commissioner, outsider):
        entry = complete_application(charity, agency, charity_manager)
        services.approval_application_submit(entry=entry, by=charity_manager)
        agency_manager = member("manager", agency, email="agency.manager@example.org")
        for person in (charity_manager, commissioner, agency_manager):
            with pytest.raises(PermissionDenied):
                services.approval_approve(entry=entry, by=person, expires_on=timezone.localdate() + timedelta(days=9))
        url = reverse("commissioning:approval-review", args=[agency.slug, entry.pk])
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        client.force_login(agency_manager)
        assert client.get(url).status_code == 403
        assert client.get(reverse("commissioning:approved-list", args=[agency.slug])).status_code == 403

    def test_a_draft_is_not_seen_by_the_agency(self, client, charity, charity_manager, agency, agency_worker):
        entry = services.approval_application_start(organisation=charity, agency=agency, by=charity_manager)
        client.force_login(agency_worker)
        assert client.get(reverse("commissioning:approval-review", args=[agency.slug, entry.pk])).status_code == 404
        assert client.get(reverse("commissioning:approved-list", args=[agency.slug])).status_code == 200


class TestRenewalAndExpiry:
    def test_reminders_go_60_and_30_days_before_expiry_once_each_and_then_it_expires(
        self, charity, charity_manager, agency, django_capture_on_commit_callbacks
    ):
        start = datetime(2027, 1, 1, 6, 30, tzinfo=timezone.get_current_timezone())
        with time_machine.travel(start, tick=False):
            entry = approve(charity, agency, days=100)
        expires = entry.expires_on
        moments = [(expires - timedelta(days=61), 0), (expires - timedelta(days=60), 1), (expires - timedelta(days=59), 0),
                   (expires - timedelta(days=30), 1), (expires - timedelta(days=29), 0)]
        with django_capture_on_commit_callbacks(execute=True):
            for day, reminders in moments:
                with time_machine.travel(datetime.combine(day, start.timetz()), tick=False):
                    assert keep_the_approved_list.call_local() == (0, reminders), day
        assert len(mail.outbox) == 2 and "ends in 30 days" in mail.outbox[-1].subject
        with django_capture_on_commit_callbacks(execute=True):
            with time_machine.travel(datetime.combine(expires, start.timetz()), tick=False):
                assert keep_the_approved_list.call_local() == (0, 0)
            with time_machine.travel(datetime.combine(expires + timedelta(days=1), start.timetz()), tick=False):
                assert keep_the_approved_list.call_local() == (1, 0)
        assert ApprovedListEntry.objects.get().status == ApprovalStatus.EXPIRED
        assert "has ended" in mail.outbox[-1].subject

    def test_renewing_replaces_the_earlier_approval(self, charity, charity_manager, agency, agency_worker):
        old = approve(charity, agency, days=20)
        entry = complete_application(charity, agency, charity_manager)
        services.approval_application_submit(entry=entry, by=charity_manager)
        services.approval_approve(entry=entry, by=agency_worker, expires_on=timezone.localdate() + timedelta(days=365))
        old.refresh_from_db()
        assert old.status == ApprovalStatus.EXPIRED


class TestInvitations:
    def mini(self, probation, agency, agency_worker, areas):
        return published(probation, areas=areas, agency=agency, by=agency_worker, procedure=Procedure.MINI_COMPETITION)

    def test_every_approved_organisation_in_scope_is_invited_once_and_recorded(
        self, probation, agency, agency_worker, region, leeds, hull, charity, charity_manager, partner_charity,
        django_capture_on_commit_callbacks,
    ):
        opportunity = self.mini(probation, agency, agency_worker, [leeds])
        approve(charity, agency, pathways=["pathway-accommodation"], areas=[region])
        approve(partner_charity, agency, areas=[hull])  # Hull is not Leeds
        elsewhere = approve(member("manager").memberships.get().organisation, agency, pathways=["pathway-ete"])
        lapsed = approve(member("manager").memberships.get().organisation, agency)
        lapsed.expires_on = timezone.localdate() - timedelta(days=1)
        lapsed.save()
        other_agency_list = approve(member("manager").memberships.get().organisation,
                                    member("partnership-development-worker").memberships.get().organisation)
        with django_capture_on_commit_callbacks(execute=True):
            invited = services.invitations_send(opportunity=opportunity, by=agency_worker)
        assert invited == [charity]
        assert elsewhere and other_agency_list
        assert [m.to for m in mail.outbox] == [["manager@womensaid.example"]]
        assert Notification.objects.get().channel == Notification.Channel.INVITATION
        assert services.invitations_send(opportunity=opportunity, by=agency_worker) == []
        assert Notification.objects.count() == 1

        approve(partner_charity, agency, areas=[leeds])
        assert services.invitations_send(opportunity=opportunity, by=agency_worker) == [partner_charity]

    def test_only_a_mini_competition_invites(self, probation, leeds, commissioner):
        opportunity = published(probation, areas=[leeds], by=commissioner)
        with pytest.raises(DomainError):
            services.invitations_send(opportunity=opportunity, by=commissioner)

    def test_the_manage_page_shows_who_was_told_and_invites_by_post(
        self, client, probation, agency, agency_worker, leeds, charity, partner_charity
    ):
        opportunity = self.mini(probation, agency, agency_worker, [leeds])
        approve(charity, agency)
        services.interest_register(opportunity=opportunity, organisation=partner_charity, by=None)
        client.force_login(agency_worker)
        manage = reverse("commissioning:opportunity-manage", args=[opportunity.uuid])
        content = client.get(manage).content.decode()
        assert "Who was told and who is interested" in content and "Hull Housing Trust" in content
        assert "Invite 1 organisation from the approved list" in content
        response = client.post(reverse("commissioning:opportunity-invite", args=[opportunity.uuid]))
        assert response.status_code == 302
        content = client.get(manage).content.decode()
        assert "Leeds Women" in content and "Invite 1 organisation" not in content

    def test_nobody_but_the_opportunitys_managers_invites(self, client, probation, agency, agency_worker, leeds,
                                                          charity_manager, probation_worker):
        opportunity = self.mini(probation, agency, agency_worker, [leeds])
        url = reverse("commissioning:opportunity-invite", args=[opportunity.uuid])
        client.force_login(charity_manager)
        assert client.post(url).status_code == 404
        client.force_login(probation_worker)
        assert client.post(url).status_code == 403
        with pytest.raises(PermissionDenied):
            services.invitations_send(opportunity=opportunity, by=charity_manager)


