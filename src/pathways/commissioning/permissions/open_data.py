"""Who may see the open data and the fairness figures.

The OCDS data and the public fairness figures are open to everyone, but only for published processes: a
draft or an unpublished opportunity is not found (404), whoever asks. The fuller fairness view of an agency
(per opportunity, with the organisations' names) is for its partnership development workers (the
run-competitions capability): someone outside the agency gets a 404, a member without the capability a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathways.organisations import permissions as org_permissions
from pathways.organisations.capabilities import Cap
from pathways.organisations.models import Organisation

from ..models import Opportunity
from ..ocds.releases import opportunity_for_ocid


def published_process_get(*, ocid: str) -> Opportunity:
    """The published opportunity with this ocid; 404 for anything else (a draft, another prefix, nonsense)."""
    opportunity = opportunity_for_ocid(ocid)
    if opportunity is None:
        raise Http404("No such published process")
    return opportunity


def can_view_agency_fairness(user, organisation) -> bool:
    return org_permissions.has_capability(user, Cap.RUN_COMPETITIONS, organisation)


def agency_get_for_fairness(*, user, slug: str):
    """The agency whose fuller fairness figures ``user`` asks for: 404 for outsiders, 403 for members who do
    not run competitions there."""
    organisation = org_permissions.organisation_get_for_member(user=user, slug=slug)
    if not can_view_agency_fairness(user, organisation):
        raise PermissionDenied
    return organisation


def agencies_for_fairness(user) -> list:
    """The agencies whose fuller fairness figures ``user`` may see, for links from the public page."""
    if not user.is_authenticated:
        return []
    organisations = Organisation.objects.filter(pk__in=org_permissions.member_organisation_ids(user)).order_by("name")
    return [organisation for organisation in organisations if can_view_agency_fairness(user, organisation)]
