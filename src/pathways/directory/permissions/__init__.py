"""Who may see and change the knowledge base.

Published records are public. Providers (managers of the organisation that runs a service) edit their
own; curators verify any record and decide change requests, and everything they do is audited.

The rules of the rest of the directory are beside these: ``good_practice`` (write-ups and their
curation), ``imports`` (spreadsheet imports) and ``search`` (saved searches).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathways.organisations import permissions as org_permissions

from ..models import ChangeRequest, Publication, Service


def can_curate(user) -> bool:
    return org_permissions.can_curate(user)


def can_edit_service(user, service: Service) -> bool:
    return org_permissions.can_manage_organisation(user, service.organisation) or can_curate(user)


def can_add_service(user, organisation) -> bool:
    return org_permissions.can_manage_organisation(user, organisation) or can_curate(user)


def can_view_service(user, service: Service) -> bool:
    if service.publication == Publication.PUBLISHED:
        return True
    return org_permissions.is_member(user, service.organisation) or can_curate(user)


def can_verify_service(user, service: Service) -> bool:
    return can_curate(user)


def can_confirm_service(user, service: Service) -> bool:
    """The provider says the record is still right."""
    return org_permissions.can_manage_organisation(user, service.organisation)


def can_decide_change_request(user, change_request) -> bool:
    return can_edit_service(user, change_request.service)


def service_get_for_user(*, user, service_id, check=can_view_service) -> Service:
    """The service with this uuid if ``check`` allows it; a 404 otherwise, so unpublished records stay unseen."""
    service = Service.objects.select_related("organisation__type").filter(uuid=service_id).first()
    if service is None or not check(user, service):
        raise Http404("No such service")
    return service


# The provider's pages and curation -----------------------------------------------------------------

def can_reach_service_records(user, service: Service) -> bool:
    """Members of the provider and curators reach its pages (a worker is then refused any change: 403)."""
    return org_permissions.is_member(user, service.organisation) or can_curate(user)


def can_manage_services(user, organisation) -> bool:
    """The provider's list of services, its change requests and adding a service."""
    return can_add_service(user, organisation)


def can_view_versions(user, service: Service) -> bool:
    return can_edit_service(user, service)


def can_see_contract_references(user) -> bool:
    """Contract and grant references are shown to people who are signed in, not to the public."""
    return getattr(user, "is_authenticated", False)


def can_see_checker_names(user) -> bool:
    """The public reads "the provider" or "a curator"; people who are signed in read the person's name."""
    return getattr(user, "is_authenticated", False)


def service_get_for_provider(*, user, service_id) -> Service:
    """For the provider's pages: a 404 unless a member of the provider or a curator, a 403 unless
    they may change it."""
    service = service_get_for_user(user=user, service_id=service_id, check=can_reach_service_records)
    if not can_edit_service(user, service):
        raise PermissionDenied
    return service


def organisation_get_for_provider(*, user, slug: str):
    """An organisation whose services the user looks after: 404 for outsiders, 403 for members who cannot."""
    organisation = org_permissions.organisation_get_for_member(
        user=user, slug=slug, check=org_permissions.can_view_organisation
    )
    if not can_manage_services(user, organisation):
        raise PermissionDenied
    return organisation


def change_request_get_for_user(*, user, change_request_id) -> ChangeRequest:
    """A change request for its provider's managers and for curators: 404 for outsiders, 403 for
    members who cannot decide it."""
    change_request = (
        ChangeRequest.objects.select_related("service__organisation__type", "decided_by")
        .filter(pk=change_request_id)
        .first()
    )
    if change_request is None or not can_reach_service_records(user, change_request.service):
        raise Http404("No such change request")
    if not can_decide_change_request(user, change_request):
        raise PermissionDenied
    return change_request
