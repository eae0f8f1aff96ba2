"""REST endpoints of the bidders portal, wired under /api/v1/ by pathways.api.urls: opportunities.

- ``GET opportunities/`` and ``GET opportunities/<uuid>/``: open to everyone, published opportunities only. A
  draft is not found here (404), even for the people writing it: they read it at ``.../manage/``.
- ``POST opportunities/`` creates a draft and ``PATCH opportunities/<uuid>/`` changes its details, for its
  commissioners or the bidding agency running it.
- The rest of the publisher's side (``.../manage/``, lots, criteria, documents, publishing, opening,
  cancelling, starting evaluation) is in ``opportunities_manage``; its urlpatterns are included below.
"""

import django_filters
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics
from rest_framework.permissions import AllowAny

from pathways.organisations.models import Place

from .. import permissions
from ..models import Opportunity, Procedure
from ..selectors.opportunities import (
    PUBLIC_FILTER_STATUSES,
    VALUE_BANDS,
    OpportunityFilters,
    opportunity_list_public,
    pathway_choices,
)
from ..serializers import OpportunitySerializer, OpportunitySummarySerializer
from . import opportunities_manage
from .opportunities_manage import OpportunityCreateMixin, OpportunityUpdateMixin, opportunity_with_details

NOT_FOUND = OpenApiResponse(description="No such published opportunity")


@extend_schema_field(OpenApiTypes.STR)
class TermCodeFilter(django_filters.ModelChoiceFilter):
    """A taxonomy term given by its code."""


@extend_schema_field(OpenApiTypes.INT)
class PlaceFilter(django_filters.ModelChoiceFilter):
    """A place given by its id."""


class OpportunityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Words in the title or summary, or the reference", method="_noop")
    status = django_filters.MultipleChoiceFilter(
        label="Status as it stands now (repeat for several)", method="_noop",
        choices=[(status.value, status.label) for status in PUBLIC_FILTER_STATUSES],
    )
    pathway = TermCodeFilter(
        label="Resettlement pathway, by term code", to_field_name="code", queryset=pathway_choices(), method="_noop"
    )
    area = PlaceFilter(
        label="Area (place id): includes the places it is part of and the places within it",
        queryset=Place.objects.all(), method="_noop",
    )
    procedure = django_filters.ChoiceFilter(label="How it is bought", choices=Procedure.choices, method="_noop")
    value_band = django_filters.ChoiceFilter(
        label="Value band", choices=[(code, label) for code, label, _, _ in VALUE_BANDS], method="_noop"
    )
    closing_soon = django_filters.BooleanFilter(label="Open and closing in the next 14 days", method="_noop")

    class Meta:
        model = Opportunity
        fields = []

    def _noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        """All the filters at once, through the same selector as the public list page."""
        data = self.form.cleaned_data
        filters = OpportunityFilters(
            query=data.get("q") or "",
            statuses=list(data.get("status") or []),
            pathway=data.get("pathway"),
            area=data.get("area"),
            procedure=data.get("procedure") or "",
            value_band=data.get("value_band") or "",
            closing_soon=bool(data.get("closing_soon")),
        )
        return opportunity_list_public(filters=filters, now=timezone.now()).prefetch_related("terms", "areas")


@extend_schema(tags=["opportunities"], responses={200: OpportunitySummarySerializer(many=True)})
class OpportunityList(OpportunityCreateMixin, generics.ListAPIView):
    """Published opportunities: open ones first (soonest deadline first), then forthcoming, then the rest.
    POST creates a draft."""

    permission_classes = [AllowAny]
    serializer_class = OpportunitySummarySerializer
    filterset_class = OpportunityFilterSet

    def get_queryset(self):
        return Opportunity.objects.published()


@extend_schema(tags=["opportunities"], responses={200: OpportunitySerializer, 404: NOT_FOUND})
class OpportunityDetail(OpportunityUpdateMixin, generics.RetrieveAPIView):
    """One published opportunity, with its lots, criteria, documents and contact. PATCH changes its details."""

    permission_classes = [AllowAny]
    serializer_class = OpportunitySerializer
    queryset = Opportunity.objects.none()  # tells the schema the model; get_object() is what runs

    def get_object(self):
        opportunity = permissions.opportunity_get_for_user(
            user=self.request.user, opportunity_id=self.kwargs["opportunity_id"],
            check=lambda user, opportunity: opportunity.is_public,
        )
        return opportunity_with_details(opportunity)


urlpatterns = [
    path("opportunities/", OpportunityList.as_view(), name="api-opportunity-list"),
    path("opportunities/<uuid:opportunity_id>/", OpportunityDetail.as_view(), name="api-opportunity-detail"),
    *opportunities_manage.urlpatterns,
]
