"""Who may read, write and publish write-ups in the good-practice bank.

Published write-ups are public. Managers of an organisation write its write-ups and submit them; while a
write-up is a draft or has been returned, they change it. Everyone in the organisation reads its
unpublished write-ups. Curators read what has been submitted or decided, and publish or return it; a
curator never decides on a write-up they wrote. Anyone else asking for an unpublished write-up is told
it does not exist.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathways.organisations import permissions as org_permissions

from ..models import GoodPractice, GoodPracticeStatus

EDITABLE = (GoodPracticeStatus.DRAFT, GoodPracticeStatus.RETURNED)
REVIEWABLE = (GoodPracticeStatus.SUBMITTED, GoodPracticeStatus.PUBLISHED)


def can_write_good_practice(user, organisation) -> bool:
    return organisation is not None and org_permissions.can_manage_organisation(user, organisation)


def can_view_good_practice(user, good_practice: GoodPractice) -> bool:
    if good_practice.status == GoodPracticeStatus.PUBLISHED:
        return True
    if org_permissions.is_member(user, good_practice.organisation):
        return True
    return good_practice.status != GoodPracticeStatus.DRAFT and org_permissions.can_curate(user)


def can_edit_good_practice(user, good_practice: GoodPractice) -> bool:
    return good_practice.status in EDITABLE and can_write_good_practice(user, good_practice.organisation)


def can_submit_good_practice(user, good_practice: GoodPractice) -> bool:
    return can_edit_good_practice(user, good_practice)


def can_review_good_practice(user, good_practice: GoodPractice) -> bool:
    """Publish a submitted write-up, or return a submitted or published one to its author."""
    return (
        good_practice.status in REVIEWABLE
        and org_permissions.can_curate(user)
        and good_practice.author_id != user.pk
    )


def can_see_review_queue(user) -> bool:
    return org_permissions.can_curate(user)


def good_practice_get_for_user(*, user, good_practice_id, check=can_view_good_practice) -> GoodPractice:
    """The write-up with this id if the person may see it, or a 404 (for a bad id too); then a 403 if
    ``check`` does not allow what they asked to do with it."""
    try:
        pk = int(good_practice_id)
    except (TypeError, ValueError):
        raise Http404("No such write-up") from None
    good_practice = (
        GoodPractice.objects.select_related("organisation", "author", "curator").filter(pk=pk).first()
    )
    if good_practice is None or not can_view_good_practice(user, good_practice):
        raise Http404("No such write-up")
    if not check(user, good_practice):
        raise PermissionDenied
    return good_practice
