"""Who may import services from a spreadsheet, and for which organisations.

A curator imports for any organisation (the old regional directories list many providers) and may add
organisations that are not in Pathways yet. A manager imports for the organisations they manage. An
upload belongs to the person who made it: anyone else gets a 404, as for an upload that never was.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathways.organisations import permissions as org_permissions
from pathways.organisations.capabilities import Cap
from pathways.organisations.models import Organisation

from ..services.spreadsheet_files import SpreadsheetImport


def can_import(user) -> bool:
    return org_permissions.can_curate(user) or org_permissions.has_capability(user, Cap.MANAGE_ORGANISATION)


def can_import_for_any_organisation(user) -> bool:
    return org_permissions.can_curate(user)


def can_import_for(user, organisation) -> bool:
    return org_permissions.can_curate(user) or org_permissions.can_manage_organisation(user, organisation)


def can_add_organisations_by_import(user) -> bool:
    return org_permissions.can_create_organisation(user)


def organisations_managed_by(user) -> list[Organisation]:
    """The organisations a manager imports for, by name."""
    ids = [
        organisation_id
        for organisation_id in org_permissions.member_organisation_ids(user)
        if Cap.MANAGE_ORGANISATION in org_permissions.capabilities_in(user, Organisation(pk=organisation_id))
    ]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def organisations_importable_by(user) -> list[Organisation]:
    """The organisations a person may name in an import (a curator may also add new ones)."""
    if can_import_for_any_organisation(user):
        return list(Organisation.objects.order_by("name"))
    return organisations_managed_by(user)


def require_import(user) -> None:
    """Signed-in people who may not import are refused (403)."""
    if not can_import(user):
        raise PermissionDenied


def import_get_for_user(*, user, import_id) -> SpreadsheetImport:
    """The upload with this id if ``user`` made it and it has not expired; a 404 otherwise."""
    require_import(user)
    spreadsheet_import = SpreadsheetImport.load(import_id)
    if spreadsheet_import is None or spreadsheet_import.user_id != user.pk or spreadsheet_import.is_expired:
        raise Http404("No such import")
    return spreadsheet_import
