"""Writes of the market: interest profiles, alerts and weekly digests, interest in an opportunity, the
approved list (applications, evidence, review, renewal reminders, expiry), invitations from it, and
consortia.

Each service checks that ``by`` may act (``by=None`` is Pathways itself: a periodic task), changes state in
one transaction, writes the audit entry, and sends its emails once the transaction has committed.
"""

import os
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record, changes_between
from pathways.core.errors import DomainError
from pathways.core.links import site_url_for
from pathways.core.mail import email_after_commit
from pathways.jobs.services import job_run_now
from pathways.organisations import permissions as org_permissions

from ..models import (
    AlertFrequency,
    ApprovalEvidence,
    ApprovalStatus,
    ApprovedListEntry,
    Consortium,
    ConsortiumMember,
    EvidenceKind,
    Interest,
    InterestProfile,
    MemberRole,
    Notification,
    Opportunity,
    Procedure,
)
from ..permissions import market as perms
from ..selectors import market as selectors
from ..selectors.opportunities import PATHWAYS_VOCABULARY, moment_in_words, value_in_words
from .documents import document_kind

DIGEST_PERIOD = timedelta(days=7)
# Reminders before an approval expires, in days.
RENEWAL_REMINDER_DAYS = (60, 30)
# Evidence every application needs before it is sent.
REQUIRED_EVIDENCE = (EvidenceKind.POLICY, EvidenceKind.INSURANCE, EvidenceKind.SAFEGUARDING, EvidenceKind.REFERENCE)


# Helpers ------------------------------------------------------------------------------------------------

def _email(*, recipients: list[str], subject: str, template: str, context: dict) -> None:
    """Send one email to each recipient once the transaction commits (never for a rolled-back change)."""
    if not recipients:
        return
    body = render_to_string(f"commissioning/market/emails/{template}", context)
    email_after_commit(subject=subject, body=body, recipients=recipients)


def _site_path(name: str, *args) -> str:
    """The whole address of a commissioning page, for an email."""
    return site_url_for(f"commissioning:{name}", *args)


def _audit(*, by, target, acting_for, owner=None, action=AuditAction.CHANGED, changes=None, reason=""):
    audit_record(
        actor=by, action=action, target=target, acting_for=acting_for if by is not None else None,
        owner=owner if owner is not None else acting_for, changes=changes, reason=reason,
    )


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _pathway_terms(terms) -> list:
    terms = list(terms)
    if any(term.vocabulary.code != PATHWAYS_VOCABULARY for term in terms):
        raise DomainError("Choose only resettlement pathways.", field="terms")
    return terms


def _can_take_interest(opportunity: Opportunity, now: datetime) -> bool:
    return opportunity.is_public and opportunity.current_status(now) in selectors.INTEREST_STATUSES


# Interest profiles --------------------------------------------------------------------------------------

def _profile_snapshot(profile: InterestProfile | None) -> dict:
    if profile is None or profile.pk is None:
        return {}
    return {
        "pathways": sorted(profile.terms.values_list("code", flat=True)),
        "areas": sorted(profile.areas.values_list("name", flat=True)),
        "value_minimum": str(profile.value_minimum) if profile.value_minimum is not None else None,
        "value_maximum": str(profile.value_maximum) if profile.value_maximum is not None else None,
        "frequency": profile.frequency,
        "open_to_partners": profile.open_to_partners,
    }


@transaction.atomic
def interest_profile_save(
    *, organisation, by, terms=(), areas=(), value_minimum=None, value_maximum=None,
    frequency=AlertFrequency.AT_ONCE, open_to_partners=False,
) -> InterestProfile:
    """Create or change what ``organisation`` wants to hear about. Its managers do this."""
    if by is not None:
        _check(perms.can_change_interest_profile(by, organisation))
    if frequency not in AlertFrequency.values:
        raise DomainError("Choose how often to hear about opportunities.", field="frequency")
    for name, value in (("value_minimum", value_minimum), ("value_maximum", value_maximum)):
        if value is not None and value < 0:
            raise DomainError("Enter an amount of 0 or more", field=name)
    if value_minimum is not None and value_maximum is not None and value_minimum > value_maximum:
        raise DomainError("The highest value must be the same as or more than the lowest value", field="value_maximum")
    terms = _pathway_terms(terms)
    profile, created = InterestProfile.objects.select_for_update().get_or_create(organisation=organisation)
    before = {} if created else _profile_snapshot(profile)
    profile.value_minimum, profile.value_maximum = value_minimum, value_maximum
    profile.frequency, profile.open_to_partners = frequency, bool(open_to_partners)
    profile.save()
    profile.terms.set(terms)
    profile.areas.set(areas)
    changes = changes_between(before, _profile_snapshot(profile))
    if changes:
        _audit(by=by, target=profile, acting_for=organisation,
               action=AuditAction.CREATED if created else AuditAction.CHANGED, changes=changes)
    return profile


# Interest in an opportunity -------------------------------------------------------------------------------

@transaction.atomic
def interest_register(*, opportunity: Opportunity, organisation, by, visible_to_partners=False) -> Interest:
    """Record that ``organisation`` is interested (again: the choice about visibility is updated)."""
    if by is not None:
        _check(perms.can_register_interest(by, organisation, opportunity))
    if perms.is_buyer_side(organisation, opportunity):
        raise DomainError("The buyer and the agency cannot register interest in their own opportunity.")
    now = timezone.now()
    if not _can_take_interest(opportunity, now):
        raise DomainError("Interest can only be registered while an opportunity is forthcoming or open.")
    interest, created = Interest.objects.select_for_update().get_or_create(
        opportunity=opportunity, organisation=organisation,
        defaults={"visible_to_partners": bool(visible_to_partners), "registered_by": by, "registered_at": now},
    )
    if not created:
        if interest.visible_to_partners == bool(visible_to_partners):
            return interest
        before = {"visible_to_partners": interest.visible_to_partners}
        interest.visible_to_partners = bool(visible_to_partners)
        interest.save(update_fields=["visible_to_partners"])
        _audit(by=by, target=opportunity, acting_for=organisation,
               changes={"interest": ["registered", "registered"], **changes_between(
                   before, {"visible_to_partners": interest.visible_to_partners})})
        return interest
    _audit(by=by, target=opportunity, acting_for=organisation, action=AuditAction.CREATED,
           changes={"interest": [None, "registered"], "visible_to_partners": [None, interest.visible_to_partners]})
    return interest


@transaction.atomic
def interest_withdraw(*, opportunity: Opportunity, organisation, by) -> None:
    if by is not None:
        _check(perms.can_register_interest(by, organisation, opportunity))
    deleted, _ = Interest.objects.filter(opportunity=opportunity, organisation=organisation).delete()
    if not deleted:
        raise DomainError("Your organisation has not registered interest in this opportunity.")
    _audit(by=by, target=opportunity, acting_for=organisation, action=AuditAction.REMOVED,
           changes={"interest": ["registered", None]})


# Alerts and digests ---------------------------------------------------------------------------------------

def _opportunity_lines(opportunity: Opportunity) -> dict:
    return {
        "opportunity": opportunity,
        "buyer": opportunity.buyer.name,
        "value": value_in_words(opportunity.value_minimum, opportunity.value_maximum),
        "deadline": moment_in_words(opportunity.deadline) if opportunity.deadline else "",
        "path": _site_path("opportunity", opportunity.uuid),
    }


def _notify_once(*, opportunity, organisation, channel, now) -> bool:
    """Record the notification; False if it had been recorded already (by this run or another)."""
    try:
        with transaction.atomic():
            Notification.objects.create(opportunity=opportunity, organisation=organisation, channel=channel, sent_at=now)
    except IntegrityError:
        return False
    return True


ALERTS_JOB = "commissioning.alerts"
DIGESTS_JOB = "commissioning.digests"


def alerts_due(*, now: datetime) -> list[tuple[Opportunity, InterestProfile]]:
    """Each forthcoming or open opportunity with each "at once" profile it matches whose organisation has not
    been told about it yet."""
    due = []
    for opportunity in selectors.opportunities_for_alerts(now=now):
        told = set(Notification.objects.filter(
            opportunity=opportunity, channel=Notification.Channel.ALERT
        ).values_list("organisation_id", flat=True))
        due += [(opportunity, profile)
                for profile in selectors.profiles_matching(opportunity=opportunity, frequency=AlertFrequency.AT_ONCE)
                if profile.organisation_id not in told]
    return due


def alerts_run(*, now: datetime | None = None) -> int:
    """The five-minute run: when anyone is due an alert, send them as a background job that operators can
    follow (a run with no one to tell records nothing). Returns the number of alerts sent."""
    if not alerts_due(now=now or timezone.now()):
        return 0
    job = job_run_now(kind=ALERTS_JOB, title="Alerts about new opportunities", params={
        "now": now.isoformat() if now else None})
    return job.result.get("sent", 0)


def alerts_send(*, now: datetime | None = None, progress=None) -> int:
    """Email every "at once" organisation about each forthcoming or open opportunity it matches and has not
    been told about. Returns the number of alerts sent."""
    now = now or timezone.now()
    due = alerts_due(now=now)
    if progress is not None:
        progress.set_total(len(due))
    sent = 0
    for done, (opportunity, profile) in enumerate(due, start=1):
        recipients = selectors.recipients_for(profile.organisation)
        # Nobody to tell: it is not recorded as told, and is tried again next time.
        if recipients:
            with transaction.atomic():
                if _notify_once(opportunity=opportunity, organisation=profile.organisation,
                                channel=Notification.Channel.ALERT, now=now):
                    _email(
                        recipients=recipients,
                        subject=f"New opportunity: {opportunity.title}",
                        template="alert.txt",
                        context={"organisation": profile.organisation, "profile_path": _site_path(
                            "interest-profile", profile.organisation.slug), **_opportunity_lines(opportunity)},
                    )
                    sent += 1
        if progress is not None:
            progress.advance(done)
    return sent


def digests_run(*, now: datetime | None = None) -> int:
    """The Monday run of the weekly digests, as a background job operators can follow. Returns how many were
    sent."""
    job = job_run_now(kind=DIGESTS_JOB, title="Weekly digests of opportunities", params={
        "now": now.isoformat() if now else None})
    return job.result.get("sent", 0)


def digests_send(*, now: datetime | None = None, progress=None) -> int:
    """Send each "weekly" organisation one email listing what matched and was published since its last
    digest. Returns the number of digests sent (an organisation with nothing new gets none)."""
    now = now or timezone.now()
    sent = 0
    candidates = list(selectors.opportunities_for_alerts(now=now))
    profiles = list(InterestProfile.objects.filter(frequency=AlertFrequency.WEEKLY).select_related("organisation"))
    if progress is not None:
        progress.set_total(len(profiles))
    for done, profile in enumerate(profiles, start=1):
        if progress is not None:
            progress.advance(done - 1)
        recipients = selectors.recipients_for(profile.organisation)
        if not recipients:
            continue
        with transaction.atomic():
            profile = InterestProfile.objects.select_for_update().select_related("organisation").get(pk=profile.pk)
            # Since the last digest (a second run the same morning finds nothing new), or the last week.
            since = profile.last_digest_at or now - DIGEST_PERIOD
            alerted = set(Notification.objects.filter(
                organisation=profile.organisation, channel=Notification.Channel.ALERT
            ).values_list("opportunity_id", flat=True))
            matching = [
                opportunity for opportunity in candidates
                if since < opportunity.published_at <= now and opportunity.pk not in alerted
                and not perms.is_buyer_side(profile.organisation, opportunity)
                and selectors.profile_matches(profile=profile, opportunity=opportunity)
            ]
            fresh = [
                opportunity for opportunity in matching
                if _notify_once(opportunity=opportunity, organisation=profile.organisation,
                                channel=Notification.Channel.DIGEST, now=now)
            ]
            profile.last_digest_at = now
            profile.save(update_fields=["last_digest_at"])
            if not fresh:
                continue
            _email(
                recipients=recipients,
                subject=f"Opportunities this week: {len(fresh)} for {profile.organisation.name}",
                template="digest.txt",
                context={"organisation": profile.organisation, "items": [_opportunity_lines(o) for o in fresh],
                         "profile_path": _site_path("interest-profile", profile.organisation.slug)},
            )
            sent += 1
    if progress is not None:
        progress.advance(len(profiles))
    return sent


# The approved list --------------------------------------------------------------------------------------

def _entry_snapshot(entry: ApprovedListEntry) -> dict:
    return {
        "status": entry.status,
        "expires_on": entry.expires_on.isoformat() if entry.expires_on else None,
        "review_note": entry.review_note,
    }


def _entry_audit(*, by, entry, acting_for, action=AuditAction.CHANGED, changes=None, reason=""):
    _audit(by=by, target=entry, acting_for=acting_for, owner=entry.organisation, action=action, changes=changes,
           reason=reason)


def _lock_entry(entry: ApprovedListEntry) -> ApprovedListEntry:
    ApprovedListEntry.objects.select_for_update().filter(pk=entry.pk).values_list("pk", flat=True).first()
    entry.refresh_from_db()
    return entry


LIVE_APPLICATION = (ApprovalStatus.DRAFT, ApprovalStatus.SUBMITTED, ApprovalStatus.RETURNED)


@transaction.atomic
def approval_application_start(*, organisation, agency, by, terms=(), areas=()) -> ApprovedListEntry:
    """A draft application of ``organisation`` to ``agency``'s approved list (or to renew its place on it)."""
    if by is not None:
        _check(perms.can_apply(by, organisation))
    if agency is None or not agency.type.can_act_as_agency:
        raise DomainError("Choose a bidding agency that keeps an approved list.", field="agency")
    if agency.pk == organisation.pk:
        raise DomainError("An agency cannot apply to its own approved list.", field="agency")
    if ApprovedListEntry.objects.select_for_update().filter(
        organisation=organisation, agency=agency, status__in=LIVE_APPLICATION
    ).exists():
        raise DomainError(f"Your organisation already has an application to {agency.name} in progress.", field="agency")
    entry = ApprovedListEntry.objects.create(organisation=organisation, agency=agency)
    entry.terms.set(_pathway_terms(terms))
    entry.areas.set(areas)
    _entry_audit(by=by, entry=entry, acting_for=organisation, action=AuditAction.CREATED,
                 changes={"status": [None, entry.status], "agency": [None, agency.name]})
    return entry


def _check_applicant(by, entry: ApprovedListEntry) -> None:
    if by is not None:
        _check(perms.can_apply(by, entry.organisation))
    if entry.status not in (ApprovalStatus.DRAFT, ApprovalStatus.RETURNED):
        raise DomainError("This application has been sent: it can no longer change.")


@transaction.atomic
def approval_evidence_add(
    *, entry: ApprovedListEntry, by, kind, title, upload=None, note="", expires_on: date | None = None,
) -> ApprovalEvidence:
    """A piece of evidence: an uploaded file (checked by its content and size) or a note, or both."""
    _lock_entry(entry)
    _check_applicant(by, entry)
    if kind not in EvidenceKind.values:
        raise DomainError("Choose what kind of evidence this is.", field="kind")
    title, note = (title or "").strip(), (note or "").strip()
    if not title:
        raise DomainError("Enter a title for the evidence", field="title")
    if len(title) > 200:
        raise DomainError("The title must be 200 characters or fewer", field="title")
    if upload is None and not note:
        raise DomainError("Upload a file or write a note about the evidence", field="file")
    content_type = document_kind(upload) if upload is not None else ""  # a DomainError names a bad file
    evidence = ApprovalEvidence(entry=entry, kind=kind, title=title, note=note, expires_on=expires_on)
    if upload is not None:
        original = os.path.basename((upload.name or "").replace("\\", "/"))[:255]
        extension = os.path.splitext(original)[1].lower() or ".bin"
        evidence.original_name, evidence.content_type = original, content_type
        evidence.file.save(f"{entry.organisation.slug}-{kind}{extension}", upload, save=False)
    evidence.save()
    _entry_audit(by=by, entry=entry, acting_for=entry.organisation,
                 changes={"evidence": [None, f"{EvidenceKind(kind).label}: {title}"]})
    return evidence


@transaction.atomic
def approval_evidence_remove(*, entry: ApprovedListEntry, by, evidence_id) -> None:
    _lock_entry(entry)
    _check_applicant(by, entry)
    evidence = entry.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise DomainError("That evidence is not part of this application.")
    label = f"{evidence.get_kind_display()}: {evidence.title}"
    if evidence.file:
        evidence.file.delete(save=False)
    evidence.delete()
    _entry_audit(by=by, entry=entry, acting_for=entry.organisation, changes={"evidence": [label, None]})


def application_problems(entry: ApprovedListEntry) -> list[tuple[str, str]]:
    have = set(entry.evidence.values_list("kind", flat=True))
    return [
        ("evidence", f"Add evidence of {EvidenceKind(kind).label.lower()}")
        for kind in REQUIRED_EVIDENCE if kind not in have
    ]


@transaction.atomic
def approval_application_submit(*, entry: ApprovedListEntry, by) -> ApprovedListEntry:
    _lock_entry(entry)
    _check_applicant(by, entry)
    if problems := application_problems(entry):
        raise DomainError(problems[0][1], field="evidence")
    before = _entry_snapshot(entry)
    entry.status, entry.submitted_at = ApprovalStatus.SUBMITTED, timezone.now()
    entry.save(update_fields=["status", "submitted_at"])
    _entry_audit(by=by, entry=entry, acting_for=entry.organisation, changes=changes_between(before, _entry_snapshot(entry)))
    _email(
        recipients=[entry.agency.email] if entry.agency.email else [],
        subject=f"Approved list: {entry.organisation.name} has applied",
        template="approval_submitted.txt",
        context={"entry": entry, "path": _site_path("approval-review", entry.agency.slug, entry.pk)},
    )
    return entry


def _check_reviewer(by, entry: ApprovedListEntry) -> None:
    if by is not None:
        _check(perms.can_review_for(by, entry.agency))
    if entry.status != ApprovalStatus.SUBMITTED:
        raise DomainError("Only an application waiting for review can be approved or returned.")


@transaction.atomic
def approval_approve(*, entry: ApprovedListEntry, by, expires_on: date, note="") -> ApprovedListEntry:
    """The agency approves the organisation onto its list until ``expires_on``. A renewal replaces the
    organisation's earlier approval."""
    _lock_entry(entry)
    _check_reviewer(by, entry)
    if expires_on is None:
        raise DomainError("Enter the date the approval expires", field="expires_on")
    if expires_on <= timezone.localdate():
        raise DomainError("The date the approval expires must be in the future", field="expires_on")
    before = _entry_snapshot(entry)
    now = timezone.now()
    entry.status, entry.expires_on, entry.review_note = ApprovalStatus.APPROVED, expires_on, (note or "").strip()
    entry.reviewed_by, entry.reviewed_at, entry.renewal_reminded_at = by, now, None
    entry.save()
    for earlier in ApprovedListEntry.objects.filter(
        organisation=entry.organisation, agency=entry.agency, status=ApprovalStatus.APPROVED
    ).exclude(pk=entry.pk):
        earlier.status = ApprovalStatus.EXPIRED
        earlier.save(update_fields=["status"])
        _entry_audit(by=by, entry=earlier, acting_for=entry.agency,
                     changes={"status": [ApprovalStatus.APPROVED.value, ApprovalStatus.EXPIRED.value]},
                     reason="Replaced by the renewed approval")
    _entry_audit(by=by, entry=entry, acting_for=entry.agency, changes=changes_between(before, _entry_snapshot(entry)))
    _email(
        recipients=selectors.recipients_for(entry.organisation),
        subject=f"You are on {entry.agency.name}'s approved list",
        template="approval_decided.txt",
        context={"entry": entry, "approved": True, "path": _site_path("approval-application", entry.organisation.slug, entry.pk)},
    )
    return entry


@transaction.atomic
def approval_return(*, entry: ApprovedListEntry, by, note: str) -> ApprovedListEntry:
    """The agency returns the application for more evidence, saying what is needed."""
    _lock_entry(entry)
    _check_reviewer(by, entry)
    note = (note or "").strip()
    if not note:
        raise DomainError("Say what the organisation needs to add or change", field="note")
    before = _entry_snapshot(entry)
    entry.status, entry.review_note = ApprovalStatus.RETURNED, note
    entry.reviewed_by, entry.reviewed_at = by, timezone.now()
    entry.save()
    _entry_audit(by=by, entry=entry, acting_for=entry.agency, changes=changes_between(before, _entry_snapshot(entry)),
                 reason=note)
    _email(
        recipients=selectors.recipients_for(entry.organisation),
        subject=f"Your application to {entry.agency.name}'s approved list needs more",
        template="approval_decided.txt",
        context={"entry": entry, "approved": False, "path": _site_path("approval-application", entry.organisation.slug, entry.pk)},
    )
    return entry


def approval_reminders_send(*, now: datetime | None = None) -> int:
    """Remind organisations whose approval expires within 60 days, and again within 30. Returns how many."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    furthest = max(RENEWAL_REMINDER_DAYS)
    entries = ApprovedListEntry.objects.filter(
        status=ApprovalStatus.APPROVED, expires_on__gte=today, expires_on__lte=today + timedelta(days=furthest)
    ).select_related("organisation", "agency")
    for entry in entries:
        days_left = (entry.expires_on - today).days
        # The latest reminder point already reached: 60, then 30.
        point = min(days for days in RENEWAL_REMINDER_DAYS if days_left <= days)
        due_from = timezone.make_aware(datetime.combine(entry.expires_on - timedelta(days=point), datetime.min.time()))
        if entry.renewal_reminded_at is not None and entry.renewal_reminded_at >= due_from:
            continue
        with transaction.atomic():
            entry = _lock_entry(entry)
            if entry.renewal_reminded_at is not None and entry.renewal_reminded_at >= due_from:
                continue
            entry.renewal_reminded_at = now
            entry.save(update_fields=["renewal_reminded_at"])
            _entry_audit(by=None, entry=entry, acting_for=None,
                         changes={"renewal_reminded_at": [None, now.isoformat()]})
            _email(
                recipients=selectors.recipients_for(entry.organisation),
                subject=f"Your place on {entry.agency.name}'s approved list ends in {days_left} days",
                template="renewal_reminder.txt",
                context={"entry": entry, "days_left": days_left,
                         "path": _site_path("approval-applications", entry.organisation.slug)},
            )
        sent += 1
    return sent


def approvals_expire(*, now: datetime | None = None) -> int:
    """Approvals whose expiry date has passed become expired. Returns how many."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    expired = 0
    for entry in ApprovedListEntry.objects.filter(status=ApprovalStatus.APPROVED, expires_on__lt=today).select_related(
        "organisation", "agency"
    ):
        with transaction.atomic():
            entry = _lock_entry(entry)
            if entry.status != ApprovalStatus.APPROVED:
                continue
            entry.status = ApprovalStatus.EXPIRED
            entry.save(update_fields=["status"])
            _entry_audit(by=None, entry=entry, acting_for=None,
                         changes={"status": [ApprovalStatus.APPROVED.value, ApprovalStatus.EXPIRED.value]})
            _email(
                recipients=selectors.recipients_for(entry.organisation),
                subject=f"Your place on {entry.agency.name}'s approved list has ended",
                template="approval_expired.txt",
                context={"entry": entry, "path": _site_path("approval-applications", entry.organisation.slug)},
            )
        expired += 1
    return expired


# Invitations from the approved list ------------------------------------------------------------------------

def invitation_problems(opportunity: Opportunity, now=None) -> list[str]:
    now = now or timezone.now()
    problems = []
    if opportunity.procedure != Procedure.MINI_COMPETITION:
        problems.append("Only a mini-competition invites from the approved list.")
    if not _can_take_interest(opportunity, now):
        problems.append("Invitations are sent once it is published, while it is forthcoming or open.")
    return problems


@transaction.atomic
def invitations_send(*, opportunity: Opportunity, by) -> list:
    """Invite every approved, unexpired organisation in scope that has not been invited yet: an email and
    a recorded notification each. Sending again invites only those added to the list since. Returns the
    organisations invited now."""
    if by is not None:
        _check(perms.can_invite_from_approved_list(by, opportunity))
    now = timezone.now()
    if problems := invitation_problems(opportunity, now):
        raise DomainError(problems[0])
    Opportunity.objects.select_for_update().filter(pk=opportunity.pk).values_list("pk", flat=True).first()
    invited = []
    for entry in selectors.approved_entries_in_scope(opportunity=opportunity, today=timezone.localdate(now)):
        organisation = entry.organisation
        if not _notify_once(opportunity=opportunity, organisation=organisation,
                            channel=Notification.Channel.INVITATION, now=now):
            continue
        invited.append(organisation)
        _email(
            recipients=selectors.recipients_for(organisation),
            subject=f"Invitation to bid: {opportunity.title}",
            template="invitation.txt",
            context={"organisation": organisation, **_opportunity_lines(opportunity)},
        )
    if invited:
        from ..permissions import acting_organisation

        audit_record(
            actor=by, action=AuditAction.CHANGED, target=opportunity,
            acting_for=acting_organisation(by, opportunity) if by is not None else None, owner=opportunity.buyer,
            changes={"invited": [None, sorted(o.name for o in invited)]},
        )
    return invited


# Consortia ----------------------------------------------------------------------------------------------

def _share(value, name: str, label: str) -> int:
    try:
        share = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"Enter {label} as a whole number from 0 to 100", field=name) from None
    if not 0 <= share <= 100:
        raise DomainError(f"Enter {label} as a whole number from 0 to 100", field=name)
    return share


def _consortium_snapshot(consortium: Consortium) -> dict:
    return {
        member.organisation.name: f"{member.get_role_display()}: {member.share_of_work_percent}% of the work, "
                                  f"{member.share_of_value_percent}% of the value"
        for member in consortium.members.select_related("organisation")
    }


def _lock_consortium(consortium: Consortium) -> Consortium:
    Consortium.objects.select_for_update().filter(pk=consortium.pk).values_list("pk", flat=True).first()
    consortium.refresh_from_db()
    return consortium


def _check_lead(by, consortium: Consortium) -> None:
    if by is not None:
        _check(perms.can_change_consortium(by, consortium))
    if hasattr(consortium, "bid") and consortium.bid is not None and consortium.bid.status == "submitted":
        raise DomainError("This consortium's bid has been submitted: withdraw it before changing the consortium.")


def _agreements_reset(consortium: Consortium) -> None:
    """Shares or members changed: everyone agrees again to what it now is."""
    consortium.members.update(agreed_at=None)
    if consortium.agreement_recorded_at is not None:
        consortium.agreement_recorded_at = None
        consortium.save(update_fields=["agreement_recorded_at"])


@transaction.atomic
def consortium_create(*, opportunity: Opportunity, lead, by, name: str, share_of_work=100, share_of_value=100) -> Consortium:
    """``lead`` starts a consortium to bid for ``opportunity``, with its own shares of the work and value."""
    if by is not None:
        _check(org_permissions.can_manage_organisation(by, lead))
    if perms.is_buyer_side(lead, opportunity):
        raise DomainError("The buyer and the agency cannot bid for their own opportunity.")
    if not _can_take_interest(opportunity, timezone.now()):
        raise DomainError("A consortium can only be formed while an opportunity is forthcoming or open.")
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter a name for the consortium", field="name")
    if len(name) > 200:
        raise DomainError("The name must be 200 characters or fewer", field="name")
    work = _share(share_of_work, "share_of_work", "your share of the work")
    value = _share(share_of_value, "share_of_value", "your share of the value")
    consortium = Consortium.objects.create(opportunity=opportunity, name=name, lead=lead)
    ConsortiumMember.objects.create(consortium=consortium, organisation=lead, role=MemberRole.LEAD,
                                    share_of_work_percent=work, share_of_value_percent=value)
    _audit(by=by, target=consortium, acting_for=lead, action=AuditAction.CREATED,
           changes=changes_between({}, {"name": name, "opportunity": opportunity.reference, **_consortium_snapshot(consortium)}))
    return consortium


@transaction.atomic
def consortium_member_add(*, consortium: Consortium, by, organisation, role=MemberRole.MEMBER, share_of_work=0,
                          share_of_value=0) -> ConsortiumMember:
    _lock_consortium(consortium)
    _check_lead(by, consortium)
    if role not in (MemberRole.MEMBER, MemberRole.SUBCONTRACTOR):
        raise DomainError("Choose whether they are a member or a subcontractor", field="role")
    if organisation is None:
        raise DomainError("Choose the organisation to add", field="organisation")
    if perms.is_buyer_side(organisation, consortium.opportunity):
        raise DomainError("The buyer and the agency cannot be part of a bid for their own opportunity.",
                          field="organisation")
    if consortium.members.filter(organisation=organisation).exists():
        raise DomainError(f"{organisation.name} is already in this consortium", field="organisation")
    before = _consortium_snapshot(consortium)
    member = ConsortiumMember.objects.create(
        consortium=consortium, organisation=organisation, role=role,
        share_of_work_percent=_share(share_of_work, "share_of_work", "the share of the work"),
        share_of_value_percent=_share(share_of_value, "share_of_value", "the share of the value"),
    )
    _agreements_reset(consortium)
    _audit(by=by, target=consortium, acting_for=consortium.lead,
           changes=changes_between(before, _consortium_snapshot(consortium)))
    _email(
        recipients=selectors.recipients_for(organisation),
        subject=f"{consortium.lead.name} has added you to a consortium",
        template="consortium_added.txt",
        context={"consortium": consortium, "member": member, "path": _site_path("consortium", consortium.pk)},
    )
    return member


@transaction.atomic
def consortium_member_update(*, consortium: Consortium, by, member_id, share_of_work, share_of_value) -> ConsortiumMember:
    _lock_consortium(consortium)
    _check_lead(by, consortium)
    member = consortium.members.filter(pk=member_id).first()
    if member is None:
        raise DomainError("That organisation is not in this consortium.")
    before = _consortium_snapshot(consortium)
    member.share_of_work_percent = _share(share_of_work, "share_of_work", "the share of the work")
    member.share_of_value_percent = _share(share_of_value, "share_of_value", "the share of the value")
    member.save(update_fields=["share_of_work_percent", "share_of_value_percent"])
    changes = changes_between(before, _consortium_snapshot(consortium))
    if changes:
        _agreements_reset(consortium)
        _audit(by=by, target=consortium, acting_for=consortium.lead, changes=changes)
    return member


@transaction.atomic
def consortium_member_remove(*, consortium: Consortium, by, member_id) -> None:
    _lock_consortium(consortium)
    _check_lead(by, consortium)
    member = consortium.members.filter(pk=member_id).first()
    if member is None:
        raise DomainError("That organisation is not in this consortium.")
    if member.role == MemberRole.LEAD:
        raise DomainError("The lead cannot leave its own consortium.")
    before = _consortium_snapshot(consortium)
    member.delete()
    _agreements_reset(consortium)
    _audit(by=by, target=consortium, acting_for=consortium.lead,
           changes=changes_between(before, _consortium_snapshot(consortium)))


@transaction.atomic
def consortium_member_agree(*, consortium: Consortium, organisation, by) -> ConsortiumMember:
    """A manager of ``organisation`` confirms it agrees to its role and shares as they stand."""
    _lock_consortium(consortium)
    member = consortium.members.select_related("organisation").filter(organisation=organisation).first()
    if member is None:
        raise DomainError("Your organisation is not in this consortium.")
    if by is not None:
        _check(perms.can_agree_for(by, member))
    total = selectors.value_share_total(consortium)
    if total != 100:
        raise DomainError(f"The shares of the value add up to {total}%: they must add up to 100% before members agree.")
    if member.agreed_at is None:
        member.agreed_at = timezone.now()
        member.save(update_fields=["agreed_at"])
        _audit(by=by, target=consortium, acting_for=organisation, owner=consortium.lead,
               changes={f"agreed: {organisation.name}": [None, member.agreed_at.isoformat()]})
    return member


@transaction.atomic
def consortium_agreement_record(*, consortium: Consortium, by, summary: str, document=None) -> Consortium:
    """The lead records what the members agreed, once every member has confirmed."""
    _lock_consortium(consortium)
    _check_lead(by, consortium)
    summary = (summary or "").strip()
    if not summary:
        raise DomainError("Write what the members agreed: roles, money and risks", field="summary")
    members = list(consortium.members.all())
    if len(members) < 2:
        raise DomainError("Add at least one other organisation before recording the agreement.")
    if sum(m.share_of_value_percent for m in members) != 100:
        raise DomainError("The shares of the value must add up to 100%.")
    if any(member.agreed_at is None for member in members):
        raise DomainError("Every member must agree before the agreement is recorded.")
    if document is not None:
        document_kind(document)
        extension = (document.name or "").rsplit(".", 1)[-1].lower() if "." in (document.name or "") else "bin"
        consortium.agreement_document.save(f"consortium-{consortium.pk}.{extension}", document, save=False)
    before = {"agreement_summary": consortium.agreement_summary}
    consortium.agreement_summary = summary
    consortium.agreement_recorded_at = timezone.now()
    consortium.save()
    _audit(by=by, target=consortium, acting_for=consortium.lead,
           changes={**changes_between(before, {"agreement_summary": summary}),
                    "agreement_recorded_at": [None, consortium.agreement_recorded_at.isoformat()]})
    return consortium
