"""Who may do what in the market of the bidders portal: interest profiles, interest in an opportunity, the
partner finder, the approved list, invitations from it, and consortia.

- An organisation's interest profile: its members read it, its managers (manage-organisation) change it.
- Interest in an opportunity and the partner finder: any member of an organisation other than the buyer and
  the agency of that opportunity.
- The approved list: an organisation's managers apply for it (its members read the application); the
  agency's partnership development workers (run-competitions, in an organisation that can act as agency)
  review. Anyone else gets a 404.
- Invitations from the approved list: whoever manages the opportunity (its commissioners or the agency).
- A consortium: members of its organisations see it; the lead's managers change it; each member's managers
  agree for that member.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathways.organisations import permissions as org_permissions
from pathways.organisations.models import Organisation

from ..models import ApprovalEvidence, ApprovedListEntry, Consortium, ConsortiumMember, Opportunity
from . import can_manage_opportunity, can_run_competitions_in


def is_buyer_side(organisation, opportunity: Opportunity) -> bool:
    """The buyer and the agency never register interest, bid or partner on their own opportunity."""
    return organisation.pk in {opportunity.buyer_id, opportunity.agency_id}


# Interest profiles ----------------------------------------------------------------------------------------

def can_view_interest_profile(user, organisation) -> bool:
    return org_permissions.is_member(user, organisation)


def can_change_interest_profile(user, organisation) -> bool:
    return org_permissions.can_manage_organisation(user, organisation)


def organisation_get_for_interests(*, user, slug: str, change: bool = False) -> Organisation:
    """404 for outsiders (and a bad slug); 403 for members who may not change the profile when asked to."""
    organisation = org_permissions.organisation_get_for_member(user=user, slug=slug, check=can_view_interest_profile)
    if change and not can_change_interest_profile(user, organisation):
        raise PermissionDenied
    return organisation


# Interest in an opportunity and the partner finder ---------------------------------------------------------

def can_register_interest(user, organisation, opportunity: Opportunity) -> bool:
    return org_permissions.is_member(user, organisation) and not is_buyer_side(organisation, opportunity)


def organisations_that_may_register(user, opportunity: Opportunity) -> list[Organisation]:
    ids = org_permissions.member_organisation_ids(user)
    if not ids:
        return []
    return [
        organisation
        for organisation in Organisation.objects.select_related("type").filter(pk__in=ids).order_by("name")
        if not is_buyer_side(organisation, opportunity)
    ]


def can_find_partners(user, organisation, opportunity: Opportunity) -> bool:
    return can_register_interest(user, organisation, opportunity)


def organisation_for_opportunity(*, user, opportunity: Opportunity, slug: str | None, preferred=None) -> Organisation:
    """The organisation the person acts for on this opportunity: the one named by ``slug`` (404 unless they
    belong to it and it is not the buyer or agency), else ``preferred`` if allowed, else their first."""
    allowed = organisations_that_may_register(user, opportunity)
    if slug:
        found = next((organisation for organisation in allowed if organisation.slug == slug), None)
        if found is None:
            raise Http404("No such organisation")
        return found
    if preferred is not None and any(organisation.pk == preferred.pk for organisation in allowed):
        return preferred
    if not allowed:
        raise Http404("You do not belong to an organisation that can take part")
    return allowed[0]


# The approved list --------------------------------------------------------------------------------------

def can_view_applications(user, organisation) -> bool:
    return org_permissions.is_member(user, organisation)


def can_apply(user, organisation) -> bool:
    return org_permissions.can_manage_organisation(user, organisation)


def can_review_for(user, agency) -> bool:
    """A partnership development worker of ``agency`` (the capability only counts where the type can act as agency)."""
    return agency is not None and agency.type.can_act_as_agency and can_run_competitions_in(user, agency)


def organisation_get_for_applications(*, user, slug: str, change: bool = False) -> Organisation:
    organisation = org_permissions.organisation_get_for_member(user=user, slug=slug, check=can_view_applications)
    if change and not can_apply(user, organisation):
        raise PermissionDenied
    return organisation


def agency_get_for_reviewer(*, user, slug: str) -> Organisation:
    """The agency whose approved list the person reviews: 404 for outsiders, 403 for its other members."""
    agency = org_permissions.organisation_get_for_member(user=user, slug=slug)
    if not can_review_for(user, agency):
        raise PermissionDenied
    return agency


def _entry(**filters) -> ApprovedListEntry | None:
    return (
        ApprovedListEntry.objects.select_related("organisation__type", "agency__type", "reviewed_by")
        .filter(**filters).first()
    )


def entry_get_for_applicant(*, user, organisation, entry_id) -> ApprovedListEntry:
    entry = _entry(pk=entry_id, organisation=organisation)
    if entry is None or not can_view_applications(user, organisation):
        raise Http404("No such application")
    return entry


def entry_get_for_reviewer(*, user, agency, entry_id) -> ApprovedListEntry:
    """An application to ``agency``'s list that has been sent (a draft stays the applicant's own)."""
    entry = _entry(pk=entry_id, agency=agency)
    if entry is None or entry.submitted_at is None or not can_review_for(user, agency):
        raise Http404("No such application")
    return entry


def evidence_get_for_reader(*, user, entry_id, evidence_id) -> ApprovalEvidence:
    """A piece of evidence with a file: for the applicant's members, and for the reviewing agency's workers
    once the application has been sent; a 404 for anyone else."""
    evidence = (
        ApprovalEvidence.objects.select_related("entry__organisation", "entry__agency__type")
        .filter(pk=evidence_id, entry_id=entry_id).exclude(file="").first()
    )
    entry = evidence.entry if evidence is not None else None
    if entry is None or not (can_view_applications(user, entry.organisation) or (
            entry.submitted_at is not None and can_review_for(user, entry.agency))):
        raise Http404("No such evidence")
    return evidence


# Invitations --------------------------------------------------------------------------------------------

def can_invite_from_approved_list(user, opportunity: Opportunity) -> bool:
    return can_manage_opportunity(user, opportunity)


# Consortia ----------------------------------------------------------------------------------------------

def consortium_organisation_ids(consortium: Consortium) -> set[int]:
    return {consortium.lead_id, *consortium.members.values_list("organisation_id", flat=True)}


def can_view_consortium(user, consortium: Consortium) -> bool:
    return bool(org_permissions.member_organisation_ids(user) & consortium_organisation_ids(consortium))


def can_change_consortium(user, consortium: Consortium) -> bool:
    return org_permissions.can_manage_organisation(user, consortium.lead)


def can_agree_for(user, member: ConsortiumMember) -> bool:
    return org_permissions.can_manage_organisation(user, member.organisation)


def consortium_get_for_user(*, user, consortium_id) -> Consortium:
    """A consortium, for the members of its organisations; 404 for anyone else (and a bad id)."""
    consortium = (
        Consortium.objects.select_related("opportunity__buyer", "opportunity__agency", "lead__type")
        .filter(pk=consortium_id).first()
    )
    if consortium is None or not can_view_consortium(user, consortium):
        raise Http404("No such consortium")
    return consortium
