"""The service navigation, by what the signed-in person may do."""

from dataclasses import dataclass

from django.urls import reverse

from pathways.commissioning import permissions as commissioning_permissions
from pathways.commissioning.selectors.evaluation import panels_of
from pathways.organisations import permissions as org_permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool = False


def nav_items_for(request) -> list[NavItem]:
    user = request.user
    items: list[tuple[str, str]] = [
        ("Home", reverse("web:home")),
        ("Find services", reverse("directory:search")),
        ("Opportunities", reverse("commissioning:opportunities")),
    ]
    if user.is_authenticated:
        organisation = request.acting_for
        if organisation is not None:
            items.append(("Your organisation", reverse("organisations:detail", args=[organisation.slug])))
            if org_permissions.can_manage_organisation(user, organisation):
                items.append(("Your services", reverse("directory:organisation-services", args=[organisation.slug])))
                if not commissioning_permissions.can_publish_for(user, organisation):
                    items.append(("Your bids", reverse("commissioning:bids-mine")))
            if commissioning_permissions.can_publish_for(user, organisation):
                items.append(
                    ("Your opportunities", reverse("commissioning:organisation-opportunities", args=[organisation.slug]))
                )
                items.append(("Provision map", reverse("directory:provision")))
            if org_permissions.can_view_audit_trail(user, organisation):
                items.append(("Audit trail", reverse("organisations:audit-trail", args=[organisation.slug])))
        if panels_of(user).exists():  # evaluators may sit on a panel from no organisation at all
            items.append(("Your evaluations", reverse("commissioning:evaluation-mine")))
        if org_permissions.can_curate(user):
            items.append(("Curation", reverse("directory:curation-queue")))
            items.append(("Organisations", reverse("organisations:list")))
            items.append(("Shared lists", reverse("taxonomy:lists")))
    else:
        items.append(("Sign in", reverse("web:sign-in")))
    # The current page belongs to the item whose address is the longest start of its path
    # (Home only when it is the path itself), so one item at most is marked.
    path = request.path
    home = reverse("web:home")
    matches = [url for _, url in items if (path == url if url == home else path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [NavItem(label, url, active=url == current) for label, url in items]
