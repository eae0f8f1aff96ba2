"""The demo's bidders portal as loaded: opportunities in every state, an awarded one with everything behind
it, the market around them, valid open data, fairness figures, and pages that render for the demo's people."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import (
    AlertFrequency,
    ApprovalStatus,
    ApprovedListEntry,
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    Clarification,
    Contract,
    ContractStatus,
    Interest,
    InterestProfile,
    MemberRole,
    ModeratedScore,
    ModeratedScoreChange,
    Notification,
    Opportunity,
    OpportunityStatus,
    Procedure,
    Score,
)
from pathways.commissioning.ocds import packages, validation
from pathways.commissioning.ocds.releases import published_opportunities
from pathways.commissioning.selectors.fairness import FairnessFilters, fairness_figures
from pathways.demo.region import demo_load
from pathways.organisations.models import Organisation, User

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def fingerprint() -> dict:
    """What the demo's portal holds, without ids, keys or ciphertext (which are random by design)."""
    return {
        "opportunities": sorted(Opportunity.objects.values_list(
            "reference", "title", "status", "procedure", "duration_months", "deadline", "published_at",
            "bids_opened_at", "awarded_at", "cancelled_reason", "proportionality_acknowledged")),
        "bids": sorted(Bid.objects.values_list("opportunity__reference", "bidder__name", "status", "submitted_at",
                                               "consortium__name")),
        "scores": sorted(Score.objects.values_list("bid__bidder__name", "criterion__title", "evaluator__user__email",
                                                   "score", "justification", "submitted_at")),
        "moderated": sorted(ModeratedScore.objects.values_list("bid__bidder__name", "criterion__title", "score",
                                                               "reason", "moderated_at")),
        "notifications": sorted(Notification.objects.values_list("opportunity__reference", "organisation__name",
                                                                 "channel", "sent_at")),
        "awards": sorted(Award.objects.values_list("bid__bidder__name", "status", "value", "approved_at",
                                                   "standstill_ends_at")),
        "contracts": sorted(Contract.objects.values_list("reference", "supplier__name", "value", "starts_on",
                                                         "ends_on", "status")),
        "audit": sorted(AuditEntry.objects.filter(at__lt=timezone.now() - timedelta(hours=1)).values_list(
            "at", "actor_label", "action", "target_type__model")),
    }


def test_the_demo_portal_is_the_same_each_time_it_is_loaded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    prints = []
    for _ in range(2):
        try:
            with transaction.atomic():
                demo_load()
                prints.append(fingerprint())
                raise Rollback
        except Rollback:
            pass
    assert prints[0]["opportunities"]
    assert prints[0] == prints[1]


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the class and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with transaction.atomic():
            counts = demo_load()
            yield counts
            transaction.set_rollback(True)


def opportunity(title_start: str) -> Opportunity:
    return Opportunity.objects.get(title__startswith=title_start)


AWARDED = "Resettlement support from the prison gate"
EVALUATION = "Housing and support for women"
CLOSED = "Small grants for family links"
OPEN = "Mentoring through the gate"
FORTHCOMING = "Restorative justice service"
DRAFT = "Support for families of people in prison"
CANCELLED = "Housing-related support"


@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    def test_the_counts_say_what_was_made(self, demo):
        assert demo["opportunities"] == Opportunity.objects.count() == 7
        assert demo["bids"] == Bid.objects.count()
        assert demo["notifications"] == Notification.objects.count() > 0

    def test_there_is_an_opportunity_in_every_state_with_a_mix_of_procedures_and_terms(self):
        now = timezone.now()
        assert {o.current_status(now) for o in Opportunity.objects.all()} == set(OpportunityStatus.values)
        assert set(Opportunity.objects.values_list("procedure", flat=True)) == set(Procedure.values)
        assert any(o.is_short_term for o in Opportunity.objects.all())
        assert Opportunity.objects.filter(duration_months=36).exists()
        assert opportunity(OPEN).lots.count() == 2
        assert opportunity(OPEN).proportionality_acknowledged and opportunity(OPEN).proportionality_reason
        assert timedelta(days=7) < opportunity(OPEN).deadline - now < timedelta(days=42)
        assert timedelta(0) < now - opportunity(CLOSED).deadline < timedelta(days=2)
        assert opportunity(CLOSED).status == OpportunityStatus.CLOSED
        assert opportunity(DRAFT).published_at is None
        cancelled = opportunity(CANCELLED)
        assert cancelled.cancelled_reason and cancelled.published_at is not None
        # every opportunity sits in the demo region
        assert all(o.areas.exists() for o in Opportunity.objects.all())

    def test_bids_were_submitted_before_their_deadlines_and_opened_after(self):
        for bid in Bid.objects.filter(status=BidStatus.SUBMITTED).select_related("opportunity"):
            assert bid.submitted_at < bid.opportunity.deadline
            assert bid.sealed and bid.draft == {}
            if bid.opportunity.bids_opened_at:
                assert bid.opportunity.bids_opened_at > bid.opportunity.deadline
        assert opportunity(CLOSED).bids_opened_at is None
        assert opportunity(CLOSED).bids.filter(status=BidStatus.SUBMITTED).count() == 2

    def test_the_awarded_opportunity_has_everything_from_bids_to_a_running_contract(self):
        awarded = opportunity(AWARDED)
        assert awarded.status == OpportunityStatus.AWARDED
        bids = list(awarded.bids.filter(status=BidStatus.SUBMITTED))
        assert len({bid.bidder_id for bid in bids}) >= 3
        consortium = next(bid.consortium for bid in bids if bid.consortium_id)
        members = list(consortium.members.all())
        assert {m.role for m in members} >= {MemberRole.LEAD, MemberRole.MEMBER}
        assert sum(m.share_of_value_percent for m in members) == 100
        assert all(m.agreed_at for m in members) and consortium.agreement_recorded_at and consortium.agreement_summary
        panel = list(awarded.panel.filter(removed_at__isnull=True))
        assert 2 <= len(panel) <= 3
        assert all(member.declared_no_conflict_at < awarded.bids_opened_at and member.declaration for member in panel)
        scored = awarded.criteria.filter(is_price=False).count()
        scores = Score.objects.filter(bid__opportunity=awarded)
        assert scores.count() == len(panel) * len(bids) * scored
        assert all(score.justification for score in scores)
        assert all(score.submitted_at > awarded.bids_opened_at for score in scores)
        inquiries = [i for bid in bids for i in bid.inquiries.all()]
        assert any(i.kind == "question" and i.answer and i.answered_at for i in inquiries)
        moderated = ModeratedScore.objects.filter(bid__opportunity=awarded)
        assert moderated.count() == len(bids) * scored and all(m.reason for m in moderated)
        assert ModeratedScoreChange.objects.filter(moderated_score__in=moderated).exclude(reason="").exists()
        award = awarded.awards.get()
        assert award.status == AwardStatus.CONFIRMED and award.recommendation and award.bid.consortium_id
        assert award.approved_by.email == "commissioner@example.org"
        assert award.standstill_ends_at < timezone.now()
        assert set(award.letters.values_list("bid_id", flat=True)) == {bid.pk for bid in bids}
        contract = award.contract
        assert contract.status == ContractStatus.ACTIVE and contract.signed_at
        assert contract.starts_on <= timezone.localdate() <= contract.ends_on
        assert contract.supplier == consortium.lead

    def test_evaluation_is_part_way_with_bids_opened(self):
        under = opportunity(EVALUATION)
        assert under.status == OpportunityStatus.EVALUATION and under.bids_opened_at
        assert Notification.objects.filter(opportunity=under, channel=Notification.Channel.INVITATION).count() >= 2
        needed = under.panel.count() * under.bids.filter(status=BidStatus.SUBMITTED).count() * \
            under.criteria.filter(is_price=False).count()
        assert 0 < Score.objects.filter(bid__opportunity=under).count() < needed
        assert not ModeratedScore.objects.filter(bid__opportunity=under).exists()

    def test_the_market_has_profiles_interest_alerts_and_an_approved_list(self):
        frequencies = set(InterestProfile.objects.values_list("frequency", flat=True))
        assert {AlertFrequency.AT_ONCE, AlertFrequency.WEEKLY} <= frequencies
        assert InterestProfile.objects.filter(open_to_partners=True).exists()
        assert Interest.objects.filter(visible_to_partners=True).exists()
        assert Interest.objects.filter(visible_to_partners=False).exists()
        assert set(Notification.objects.values_list("channel", flat=True)) == set(Notification.Channel.values)
        statuses = set(ApprovalStatus.values) - {ApprovalStatus.DRAFT, ApprovalStatus.EXPIRED}
        assert set(ApprovedListEntry.objects.values_list("status", flat=True)) == statuses
        soon = timezone.localdate() + timedelta(days=60)
        near = ApprovedListEntry.objects.get(status=ApprovalStatus.APPROVED, expires_on__lte=soon)
        assert near.renewal_reminded_at is not None
        assert ApprovedListEntry.objects.get(status=ApprovalStatus.RETURNED).review_note
        open_one = opportunity(OPEN)
        assert Clarification.objects.filter(opportunity=open_one, published_at__isnull=False).exists()
        assert Clarification.objects.filter(opportunity=open_one, published_at__isnull=True).exists()
        drafts = {bid.lot.number: bid for bid in open_one.bids.filter(status=BidStatus.DRAFT).select_related("lot")}
        assert drafts[1].bidder.name == "Aire Valley Resettlement Trust" and drafts[1].attachments.exists()
        assert drafts[2].bidder.name == "Don Valley Faith Forum" and drafts.keys() == {1, 2}

    def test_significant_acts_are_in_the_audit_trail_at_the_moment_they_happened(self):
        awarded = opportunity(AWARDED)
        opened = AuditEntry.objects.filter(changes__has_key="bids_opened_at")
        assert awarded.bids_opened_at in set(opened.values_list("at", flat=True))
        assert AuditEntry.objects.filter(target_label=awarded.awards.get().contract.__str__()).exists()

    def test_the_open_data_export_of_the_demo_validates(self, tmp_path):
        releases = list(packages.releases_for(published_opportunities()))
        assert len(releases) >= 6
        for release in releases:
            assert validation.release_errors(release) == []
        package = packages.release_package(releases, uri="https://example.org/ocds/")
        assert validation.release_package_errors(package) == []
        records = packages.record_package(published_opportunities(), uri="https://example.org/ocds/records/")
        assert validation.record_package_errors(records) == []
        tags = {tag for release in releases for tag in release["tag"]}
        assert {"tender", "award", "contract"} <= tags
        path = tmp_path / "demo.json"
        call_command("export_ocds", str(path))
        assert len(json.loads(path.read_text())["releases"]) == len(releases)

    def test_the_fairness_figures_have_something_at_every_stage(self):
        figures = fairness_figures(filters=FairnessFilters())
        assert not figures.is_empty
        assert all(count > 0 for count in figures.totals.counts())
        assert all(count > 0 for _code, _label, count in figures.channels)

    # Pages ----------------------------------------------------------------------------------------------------

    def assert_pages(self, client, email, names):
        if email:
            client.force_login(User.objects.get(email=email))
        failures = []
        for name, args in names:
            url = reverse(f"commissioning:{name}", args=args)
            response = client.get(url)
            if response.status_code != 200:
                failures.append((url, response.status_code))
        assert failures == []

    def every(self, *titles):
        return [opportunity(title) for title in titles]

    def test_public_pages_render_for_everyone(self, client):
        public = self.every(AWARDED, EVALUATION, CLOSED, OPEN, FORTHCOMING, CANCELLED)
        self.assert_pages(client, None, [("opportunities", ()), ("fairness", ()), ("open-data", ())]
                          + [("opportunity", (o.uuid,)) for o in public])
        assert client.get(reverse("commissioning:opportunity", args=[opportunity(DRAFT).uuid])).status_code == 404

    def test_pages_render_for_the_commissioner(self, client):
        ours = self.every(AWARDED, EVALUATION, OPEN, DRAFT)
        region = Organisation.objects.get(name="Yorkshire and the Humber Probation Region (demo)")
        self.assert_pages(client, "commissioner@example.org", [("organisation-opportunities", (region.slug,)),
                                                                ("fairness", ())]
                          + [(name, (o.uuid,)) for o in ours for name in ("opportunity", "opportunity-manage")])

    @pytest.mark.parametrize(("email", "title"), [("olivia.brook@example.org", FORTHCOMING),
                                                  ("martin.haigh@example.org", CANCELLED)])
    def test_manage_pages_render_for_other_buyers_commissioners(self, client, email, title):
        found = opportunity(title)
        self.assert_pages(client, email, [("organisation-opportunities", (found.buyer.slug,)),
                                          ("opportunity-manage", (found.uuid,)), ("opportunity", (found.uuid,))])

    def test_pages_render_for_the_agency_worker(self, client):
        run = self.every(AWARDED, EVALUATION, CLOSED, OPEN)
        awarded, under = opportunity(AWARDED), opportunity(EVALUATION)
        ridings = Organisation.objects.get(name="Ridings Voluntary Action")
        entries = ApprovedListEntry.objects.filter(agency=ridings)
        names = [("organisation-opportunities", (ridings.slug,)), ("evaluation-mine", ()),
                 ("approved-list", (ridings.slug,)),
                 ("fairness-agency", (ridings.slug,))]
        names += [(name, (o.uuid,)) for o in run for name in ("opportunity", "opportunity-manage")]
        names += [(name, (o.uuid,)) for o in (awarded, under)
                  for name in ("opportunity-evaluation", "evaluation-panel", "evaluation-scoring",
                               "evaluation-moderation")]
        names += [("evaluation-bid", (o.uuid, bid.uuid)) for o in (awarded, under)
                  for bid in o.bids.filter(status=BidStatus.SUBMITTED)]
        names += [("approval-review", (ridings.slug, entry.pk)) for entry in entries]
        letter = awarded.awards.get().letters.first()
        names += [("award-letter", (awarded.uuid, letter.pk))]
        self.assert_pages(client, "agency@example.org", names)

    def test_pages_render_for_a_panel_member(self, client):
        awarded = opportunity(AWARDED)
        names = [("evaluation-mine", ()), ("evaluation-scoring", (awarded.uuid,))]
        names += [("evaluation-bid", (awarded.uuid, bid.uuid))
                  for bid in awarded.bids.filter(status=BidStatus.SUBMITTED)]
        self.assert_pages(client, "evaluator@example.org", names)

    def test_pages_render_for_a_bidders_manager(self, client):
        aire = Organisation.objects.get(name="Aire Valley Resettlement Trust")
        draft = opportunity(OPEN).bids.get(bidder=aire)
        submitted = opportunity(EVALUATION).bids.get(bidder=aire)
        names = [("bids-mine", ()),
                 ("interest-profile", (aire.slug,)), ("approval-applications", (aire.slug,)),
                 ("bid", (draft.uuid,)), ("bid-edit", (draft.uuid,)), ("bid", (submitted.uuid,)),
                 ("bid-receipt", (submitted.uuid,)), ("partner-finder", (opportunity(OPEN).uuid,))]
        names += [("opportunity", (o.uuid,)) for o in self.every(OPEN, EVALUATION, FORTHCOMING)]
        self.assert_pages(client, "manager@example.org", names)

    def test_pages_render_for_the_winning_consortiums_lead(self, client):
        awarded = opportunity(AWARDED)
        bid = awarded.awards.get().bid
        letter = awarded.awards.get().letters.get(bid=bid)
        names = [("bid", (bid.uuid,)), ("consortium", (bid.consortium_id,)), ("opportunity", (awarded.uuid,)),
                 ("award-letter", (awarded.uuid, letter.pk)), ("award-letter-pdf", (awarded.uuid, letter.pk))]
        self.assert_pages(client, "lee.sowerby@example.org", names)
        assert client.get(reverse("commissioning:award-my-letters", args=[awarded.uuid])).status_code in (200, 302)

    def test_pages_render_for_the_bidder_the_panel_questioned(self, client):
        awarded = opportunity(AWARDED)
        self.assert_pages(client, "marcia.campbell@example.org", [
            ("evaluation-questions", (awarded.uuid,)), ("bids-mine", ()), ("opportunity", (awarded.uuid,)),
        ])
