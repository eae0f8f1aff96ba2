"""Reading organisations, people and places."""

from .models import Membership, Organisation


def organisations_for_member(*, user) -> list[Organisation]:
    return list(
        Organisation.objects.filter(memberships__user=user, memberships__ended_at__isnull=True)
        .select_related("type")
        .distinct()
        .order_by("name")
    )


def memberships_for_user(*, user):
    return Membership.objects.current().filter(user=user).select_related("organisation__type", "role")
