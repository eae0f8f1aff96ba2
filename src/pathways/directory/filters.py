"""Filters of the directory's REST API (django-filter). Each filter on a related record matches services
through a subquery, so a service is listed once however many of its records match."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from pathways.organisations.models import Place

from .models import (
    STALE_AFTER,
    ChangeRequest,
    ChangeRequestStatus,
    Funding,
    FundingKind,
    Publication,
    RelationshipBasis,
    Service,
    ServiceStatus,
    StatutoryRelationship,
)
from .selectors.provision import PlaceTree


class ServiceFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(
        field_name="organisation__slug", help_text="The provider's slug, such as aire-valley."
    )
    pathway = django_filters.CharFilter(
        method="filter_term",
        help_text="A taxonomy term code, such as pathway-accommodation (categories and client groups work too).",
    )
    area = django_filters.NumberFilter(
        method="filter_area",
        help_text="A place id (see /api/v1/places/). Services in a place inside it match too: "
        "a service in Leeds matches West Yorkshire.",
    )
    stale = django_filters.BooleanFilter(
        method="filter_stale", help_text="true: records not checked in the last 12 months; false: the others."
    )
    funding_kind = django_filters.ChoiceFilter(
        choices=FundingKind.choices, method="filter_funding_kind", help_text="Services with funding of this kind."
    )
    relationship_basis = django_filters.ChoiceFilter(
        choices=RelationshipBasis.choices, method="filter_relationship_basis",
        help_text="Services working with a statutory body on this basis.",
    )
    statutory_body = django_filters.CharFilter(
        method="filter_statutory_body", help_text="Services working with this statutory body (its slug)."
    )
    status = django_filters.ChoiceFilter(choices=ServiceStatus.choices, help_text="Whether the service is running.")
    publication = django_filters.ChoiceFilter(
        choices=Publication.choices,
        help_text="Drafts and withdrawn records are only ever listed for their provider and for curators.",
    )

    class Meta:
        model = Service
        fields = [
            "organisation", "pathway", "area", "stale", "funding_kind", "relationship_basis", "statutory_body",
            "status", "publication",
        ]

    def filter_term(self, queryset, name, value):
        return queryset.filter(pk__in=Service.terms.through.objects.filter(term__code=value).values("service_id"))

    def filter_area(self, queryset, name, value):
        places = PlaceTree().within(int(value)) if Place.objects.filter(pk=value).exists() else set()
        return queryset.filter(
            pk__in=Service.areas.through.objects.filter(place_id__in=places).values("service_id")
        )

    def filter_stale(self, queryset, name, value):
        stale = Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=timezone.now() - STALE_AFTER)
        return queryset.filter(stale) if value else queryset.exclude(stale)

    def filter_funding_kind(self, queryset, name, value):
        return queryset.filter(pk__in=Funding.objects.filter(kind=value).values("service_id"))

    def filter_relationship_basis(self, queryset, name, value):
        return queryset.filter(pk__in=StatutoryRelationship.objects.filter(basis=value).values("service_id"))

    def filter_statutory_body(self, queryset, name, value):
        return queryset.filter(
            pk__in=StatutoryRelationship.objects.filter(statutory_body__slug=value).values("service_id")
        )


class ChangeRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ChangeRequestStatus.choices, help_text="Open, accepted or rejected.")
    service = django_filters.UUIDFilter(field_name="service__uuid", help_text="The service's id.")

    class Meta:
        model = ChangeRequest
        fields = ["status", "service"]
