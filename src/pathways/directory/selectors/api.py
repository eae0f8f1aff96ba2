"""What the directory's REST API reads: the services and change requests a person may see."""

from django.db.models import Prefetch, Q, QuerySet

from pathways.organisations import permissions as org_permissions
from pathways.organisations.models import Organisation

from ..models import ChangeRequest, Funding, Publication, Service, StatutoryRelationship


def services_visible_to(*, user) -> QuerySet[Service]:
    """Published services for everyone; every service of their own organisations for members; every
    service for curators. With what the API shows of each, in a fixed number of queries."""
    services = Service.objects.all()
    if not org_permissions.can_curate(user):
        services = services.filter(
            Q(publication=Publication.PUBLISHED)
            | Q(organisation_id__in=org_permissions.member_organisation_ids(user))
        )
    return (
        services.select_related("organisation", "last_checked_by")
        .prefetch_related(
            "terms__vocabulary",
            "areas",
            Prefetch("funding", queryset=Funding.objects.select_related("funder").order_by("kind", "pk")),
            Prefetch(
                "statutory_relationships",
                queryset=StatutoryRelationship.objects.select_related("statutory_body").order_by(
                    "statutory_body__name", "pk"
                ),
            ),
        )
        .order_by("name", "pk")
    )


def organisations_managed_by(*, user) -> list[int]:
    """The ids of the organisations whose services the person looks after."""
    return [
        organisation.pk
        for organisation in Organisation.objects.filter(pk__in=org_permissions.member_organisation_ids(user))
        if org_permissions.can_manage_organisation(user, organisation)
    ]


def change_requests_visible_to(*, user) -> QuerySet[ChangeRequest]:
    """Change requests about the services a person looks after (every one, for curators), newest first."""
    requests = ChangeRequest.objects.all()
    if not org_permissions.can_curate(user):
        requests = requests.filter(service__organisation_id__in=organisations_managed_by(user=user))
    return requests.select_related("service", "decided_by").order_by("-created_at", "-pk")
