"""Consortia: a lead, members and subcontractors with shares adding up to 100, each member's agreement, the
recorded agreement, and who may see and change them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import ConsortiumMember, MemberRole
from pathways.commissioning.selectors.market import consortia_led_by, consortium_ready
from pathways.commissioning.services import bids as bid_services
from pathways.commissioning.services import market as services
from pathways.core.errors import DomainError

from .factories import published
from .market_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity(probation, leeds):
    return published(probation, areas=[leeds])


@pytest.fixture
def consortium(opportunity, charity, charity_manager):
    return services.consortium_create(opportunity=opportunity, lead=charity, by=charity_manager,
                                      name="Leeds and Hull Housing", share_of_work=60, share_of_value=60)


def add_partner(consortium, partner_charity, by, value=40):
    return services.consortium_member_add(consortium=consortium, by=by, organisation=partner_charity,
                                          share_of_work=40, share_of_value=value)


class TestFormingAConsortium:
    def test_the_lead_forms_it_members_agree_and_the_agreement_is_recorded_then_it_is_ready(
        self, opportunity, consortium, charity, charity_manager, partner_charity, partner_manager
    ):
        add_partner(consortium, partner_charity, charity_manager)
        assert not consortium_ready(consortium)
        services.consortium_member_agree(consortium=consortium, organisation=charity, by=charity_manager)
        services.consortium_member_agree(consortium=consortium, organisation=partner_charity, by=partner_manager)
        assert not consortium_ready(consortium)
        services.consortium_agreement_record(
            consortium=consortium, by=charity_manager, summary="We share the work by area.",
            document=SimpleUploadedFile("agreement.pdf", b"%PDF-1.4\n%%EOF\n"),
        )
        consortium.refresh_from_db()
        assert consortium_ready(consortium) and consortium.agreement_document
        assert list(consortia_led_by(charity, opportunity)) == [consortium]
        assert list(consortia_led_by(partner_charity, opportunity)) == []
        assert bid_services.consortium_ready(consortium) is True
        assert AuditEntry.objects.filter(target_id=str(consortium.pk), target_label=consortium.name).count() == 5

    def test_members_cannot_agree_until_the_value_shares_add_up_to_100(
        self, consortium, charity_manager, partner_charity, partner_manager
    ):
        add_partner(consortium, partner_charity, charity_manager, value=30)
        with pytest.raises(DomainError, match="90%"):
            services.consortium_member_agree(consortium=consortium, organisation=partner_charity, by=partner_manager)

    def test_changing_shares_asks_everyone_to_agree_again(
        self, consortium, charity, charity_manager, partner_charity, partner_manager
    ):
        member = add_partner(consortium, partner_charity, charity_manager)
        services.consortium_member_agree(consortium=consortium, organisation=partner_charity, by=partner_manager)
        lead = consortium.members.get(role=MemberRole.LEAD)
        services.consortium_member_update(consortium=consortium, by=charity_manager, member_id=lead.pk,
                                          share_of_work=50, share_of_value=50)
        member.refresh_from_db()
        assert member.agreed_at is None

    def test_the_agreement_needs_every_member_to_have_agreed(self, consortium, charity_manager, partner_charity):
        add_partner(consortium, partner_charity, charity_manager)
        with pytest.raises(DomainError, match="Every member"):
            services.consortium_agreement_record(consortium=consortium, by=charity_manager, summary="Agreed")

    def test_subcontractors_are_declared_with_their_share(self, consortium, charity_manager, partner_charity):
        services.consortium_member_add(consortium=consortium, by=charity_manager, organisation=partner_charity,
                                       role=MemberRole.SUBCONTRACTOR, share_of_work=40, share_of_value=40)
        assert ConsortiumMember.objects.get(organisation=partner_charity).role == MemberRole.SUBCONTRACTOR

    def test_the_buyer_cannot_be_a_member(self, consortium, charity_manager, probation):
        with pytest.raises(DomainError):
            services.consortium_member_add(consortium=consortium, by=charity_manager, organisation=probation,
                                           share_of_work=10, share_of_value=10)


class TestWhoMay:
    def test_only_the_leads_managers_change_it(self, consortium, charity_worker, partner_charity, partner_manager):
        for person in (charity_worker, partner_manager):
            with pytest.raises(PermissionDenied):
                services.consortium_member_add(consortium=consortium, by=person, organisation=partner_charity,
                                               share_of_work=1, share_of_value=1)

    def test_only_a_members_manager_agrees_for_it(
        self, consortium, charity, charity_manager, charity_worker, partner_charity, outsider
    ):
        add_partner(consortium, partner_charity, charity_manager)
        for person in (charity_manager, outsider):
            with pytest.raises(PermissionDenied):
                services.consortium_member_agree(consortium=consortium, organisation=partner_charity, by=person)
        with pytest.raises(PermissionDenied):
            services.consortium_member_agree(consortium=consortium, organisation=charity, by=charity_worker)

    def test_its_page_is_seen_by_its_organisations_members_only(
        self, client, consortium, charity_worker, charity_manager, partner_charity, partner_manager, outsider,
    ):
        url = reverse("commissioning:consortium", args=[consortium.pk])
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        client.force_login(partner_manager)
        assert client.get(url).status_code == 404
        add_partner(consortium, partner_charity, charity_manager)
        assert client.get(url).status_code == 200
        assert client.post(url, {"action": "add"}).status_code == 403
        client.force_login(charity_worker)
        content = client.get(url).content.decode()
        assert "Leeds and Hull Housing" in content and "Add them" not in content

    def test_the_pages_work_without_javascript(
        self, client, opportunity, charity, charity_manager, partner_charity, partner_manager
    ):
        client.force_login(charity_manager)
        create = reverse("commissioning:consortium-create", args=[opportunity.uuid])
        response = client.post(create, {"organisation": charity.slug, "name": "", "share_of_work": "60",
                                         "share_of_value": "60"})
        assert "Enter a name for the consortium" in response.content.decode()
        response = client.post(create, {"organisation": charity.slug, "name": "Together", "share_of_work": "60",
                                         "share_of_value": "60"})
        assert response.status_code == 302
        url = response.url
        client.post(url, {"action": "add", "organisation": partner_charity.pk, "role": "member",
                          "share_of_work": "40", "share_of_value": "40"})
        lead, partner = sorted(ConsortiumMember.objects.all(), key=lambda m: m.role != "lead")
        client.post(url, {"action": "agree", "member": lead.pk})
        client.force_login(partner_manager)
        client.post(url, {"action": "agree", "member": partner.pk})
        client.force_login(charity_manager)
        assert "Record the agreement" in client.get(url).content.decode()
        client.post(url, {"action": "agreement", "summary": "We split it by area."})
        assert "Ready to bid" in client.get(url).content.decode()

    def test_the_signed_agreement_is_downloaded_by_members_only(
        self, client, consortium, charity, charity_manager, partner_charity, partner_manager, outsider
    ):
        add_partner(consortium, partner_charity, charity_manager)
        services.consortium_member_agree(consortium=consortium, organisation=charity, by=charity_manager)
        services.consortium_member_agree(consortium=consortium, organisation=partner_charity, by=partner_manager)
        services.consortium_agreement_record(consortium=consortium, by=charity_manager, summary="Agreed",
                                             document=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"))
        url = reverse("commissioning:consortium-document", args=[consortium.pk])
        client.force_login(partner_manager)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
        client.force_login(outsider)
        assert client.get(url).status_code == 404

    def test_a_member_of_another_organisation_cannot_start_one_for_the_lead(self, client, opportunity, charity, outsider):
        client.force_login(outsider)
        url = reverse("commissioning:consortium-create", args=[opportunity.uuid]) + f"?organisation={charity.slug}"
        assert client.get(url).status_code == 404

    def test_a_member_who_is_not_a_manager_cannot_start_one(self, client, opportunity, charity, charity_worker):
        client.force_login(charity_worker)
        assert client.get(reverse("commissioning:consortium-create", args=[opportunity.uuid])).status_code == 403
