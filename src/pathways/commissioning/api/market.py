"""REST endpoints of the bidders portal: market.

- ``market/interest-profile/``: the interest profile of the organisation the signed-in person acts for;
  its members read it, its managers change it (PUT or PATCH).
- ``market/interests/``: the opportunities that organisation registered interest in.
- ``opportunities/<uuid>/interest/``: how many organisations registered interest in a published
  opportunity, for anyone (never which ones).
- ``market/approved-list/``: the entries on the approved list of the agency the person acts for, for its
  partnership development workers.

An organisation is chosen with ``?organisation=<slug>`` (one the person belongs to), else the one they act for.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from pathways.organisations import permissions as org_permissions
from pathways.organisations.models import Place
from pathways.taxonomy.models import Term

from .. import permissions
from ..models import AlertFrequency, ApprovedListEntry, Interest, InterestProfile
from ..permissions import market as perms
from ..selectors import market as selectors
from ..selectors.opportunities import PATHWAYS_VOCABULARY
from ..services import market as services

ORGANISATION = OpenApiParameter(
    "organisation", OpenApiTypes.STR, description="Slug of an organisation you belong to (default: the one you act for)"
)


def _organisation(request):
    slug = request.query_params.get("organisation")
    if slug:
        return org_permissions.organisation_get_for_member(user=request.user, slug=slug)
    organisation = getattr(request, "acting_for", None)
    if organisation is None:
        raise Http404("You do not belong to an organisation")
    return organisation


class InterestProfileSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.slug", read_only=True)
    pathways = serializers.SlugRelatedField(
        source="terms", many=True, slug_field="code", required=False,
        queryset=Term.objects.filter(vocabulary__code=PATHWAYS_VOCABULARY),
    )
    areas = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Place.objects.all())
    frequency = serializers.ChoiceField(choices=AlertFrequency.choices, required=False)

    class Meta:
        model = InterestProfile
        fields = ["organisation", "pathways", "areas", "value_minimum", "value_maximum", "frequency",
                  "open_to_partners", "last_digest_at", "updated_at"]
        read_only_fields = ["last_digest_at", "updated_at"]


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class InterestProfileDetail(generics.RetrieveUpdateAPIView):
    """Your organisation's interest profile: what it wants to hear about, how often, and whether partners may find it."""

    serializer_class = InterestProfileSerializer
    queryset = InterestProfile.objects.none()

    def get_object(self):
        organisation = _organisation(self.request)
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not perms.can_change_interest_profile(
            self.request.user, organisation
        ):
            raise PermissionDenied
        profile = selectors.interest_profile_for(organisation=organisation)
        return profile or InterestProfile(organisation=organisation)

    def retrieve(self, request, *args, **kwargs):
        profile = self.get_object()
        if profile.pk is None:  # nothing saved yet: the defaults
            return Response({
                "organisation": profile.organisation.slug, "pathways": [], "areas": [], "value_minimum": None,
                "value_maximum": None, "frequency": profile.frequency, "open_to_partners": profile.open_to_partners,
                "last_digest_at": None, "updated_at": None,
            })
        return Response(self.get_serializer(profile).data)

    def perform_update(self, serializer):
        profile = serializer.instance
        data = serializer.validated_data
        current = {
            "terms": list(profile.terms.all()) if profile.pk else [],
            "areas": list(profile.areas.all()) if profile.pk else [],
            "value_minimum": profile.value_minimum, "value_maximum": profile.value_maximum,
            "frequency": profile.frequency, "open_to_partners": profile.open_to_partners,
        }
        current.update(data)
        serializer.instance = services.interest_profile_save(organisation=profile.organisation, by=self.request.user, **current)


class InterestOpportunitySerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()


class InterestSerializer(serializers.ModelSerializer):
    opportunity = InterestOpportunitySerializer()

    class Meta:
        model = Interest
        fields = ["opportunity", "visible_to_partners", "registered_at"]


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class InterestList(generics.ListAPIView):
    """The opportunities your organisation registered interest in, newest first."""

    serializer_class = InterestSerializer
    queryset = Interest.objects.none()

    def get_queryset(self):
        return selectors.interests_for_organisation(organisation=_organisation(self.request))


class InterestCountSerializer(serializers.Serializer):
    opportunity = serializers.UUIDField()
    organisations_interested = serializers.IntegerField()


@extend_schema(tags=["market"], responses={200: InterestCountSerializer, 404: OpenApiResponse(description="No such published opportunity")})
class InterestCount(generics.GenericAPIView):
    """How many organisations registered interest in a published opportunity. Which ones is not public."""

    permission_classes = [AllowAny]
    serializer_class = InterestCountSerializer

    def get(self, request, opportunity_id):
        opportunity = permissions.opportunity_get_for_user(
            user=request.user, opportunity_id=opportunity_id, check=lambda user, opportunity: opportunity.is_public,
        )
        return Response({"opportunity": opportunity.uuid,
                         "organisations_interested": selectors.interest_count(opportunity=opportunity)})


class ApprovedListEntrySerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()
    pathways = serializers.SlugRelatedField(source="terms", many=True, slug_field="code", read_only=True)
    areas = serializers.SlugRelatedField(many=True, slug_field="name", read_only=True)

    class Meta:
        model = ApprovedListEntry
        fields = ["id", "organisation", "status", "pathways", "areas", "submitted_at", "reviewed_at", "expires_on"]

    def get_organisation(self, entry) -> dict:
        return {"uuid": str(entry.organisation.uuid), "name": entry.organisation.name}


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class ApprovedList(generics.ListAPIView):
    """The agency's approved list: every application sent to it, with its status and expiry."""

    serializer_class = ApprovedListEntrySerializer
    queryset = ApprovedListEntry.objects.none()

    def get_queryset(self):
        agency = _organisation(self.request)
        if not perms.can_review_for(self.request.user, agency):
            raise PermissionDenied
        return selectors.approved_list_for_agency(agency=agency)


urlpatterns = [
    path("market/interest-profile/", InterestProfileDetail.as_view(), name="api-interest-profile"),
    path("market/interests/", InterestList.as_view(), name="api-interests"),
    path("market/approved-list/", ApprovedList.as_view(), name="api-approved-list"),
    path("opportunities/<uuid:opportunity_id>/interest/", InterestCount.as_view(), name="api-interest-count"),
]
