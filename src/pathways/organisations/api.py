"""REST endpoints of this app, wired under /api/v1/ by pathways.api.urls.

Read-only. Organisations outside what the person may see are not found (404), never forbidden.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from . import permissions, selectors
from .models import Membership
from .serializers import MemberSerializer, MeSerializer, OrganisationSerializer

NOT_FOUND = OpenApiResponse(description="No such organisation, or not one you may see")
NOT_SIGNED_IN = OpenApiResponse(description="Not signed in")


class Me(APIView):
    """The signed-in person, their current memberships and the organisation they are acting for."""

    @extend_schema(tags=["organisations"], responses={200: MeSerializer, 403: NOT_SIGNED_IN})
    def get(self, request):
        memberships = selectors.memberships_for_user(user=request.user).prefetch_related("role__capabilities")
        data = {"user": request.user, "memberships": memberships, "acting_for": request.acting_for}
        return Response(MeSerializer(data).data)


@extend_schema(tags=["organisations"], responses={200: OrganisationSerializer(many=True), 403: NOT_SIGNED_IN})
class OrganisationList(generics.ListAPIView):
    """Organisations you belong to; curators see every organisation."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return permissions.organisations_visible_to(self.request.user).order_by("name", "pk")


@extend_schema(tags=["organisations"], responses={200: OrganisationSerializer, 403: NOT_SIGNED_IN, 404: NOT_FOUND})
class OrganisationDetail(generics.RetrieveAPIView):
    """One organisation, for its members and for curators."""

    serializer_class = OrganisationSerializer

    def get_object(self):
        return permissions.organisation_get_for_member(
            user=self.request.user, slug=self.kwargs["slug"], check=permissions.can_view_organisation
        )


@extend_schema(tags=["organisations"], responses={200: MemberSerializer(many=True), 403: NOT_SIGNED_IN, 404: NOT_FOUND})
class OrganisationMembers(generics.ListAPIView):
    """The organisation's current members, for its own members only."""

    serializer_class = MemberSerializer
    queryset = Membership.objects.none()  # tells the schema the model; get_queryset() is what runs

    def get_queryset(self):
        organisation = permissions.organisation_get_for_member(
            user=self.request.user, slug=self.kwargs["slug"], check=permissions.can_view_members
        )
        return selectors.current_members(organisation=organisation)


urlpatterns = [
    path("me/", Me.as_view(), name="api-me"),
    path("organisations/", OrganisationList.as_view(), name="api-organisation-list"),
    path("organisations/<slug:slug>/", OrganisationDetail.as_view(), name="api-organisation-detail"),
    path("organisations/<slug:slug>/members/", OrganisationMembers.as_view(), name="api-organisation-members"),
]
