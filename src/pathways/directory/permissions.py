"""Who may see and change the knowledge base.

Published records are public. Providers (managers of the organisation that runs a service) edit their
own; curators verify any record and decide change requests, and everything they do is audited.
"""

from django.http import Http404

from pathways.organisations import permissions as org_permissions

from .models import Publication, Service


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
