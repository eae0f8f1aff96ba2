"""REST endpoints of the bidders portal: clarifications and bids.

- ``GET clarifications`` of a published opportunity: public; the published wording and the answer only.
- ``POST clarifications``: signed in, for an organisation the person belongs to (not the buyer or agency).
- ``GET bids`` and ``GET bids/<uuid>``: the bids of the person's own organisations, with their status and
  receipt. Never the draft or the sealed content; anyone else's bid is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from pathways.core.errors import DomainError
from pathways.organisations import permissions as org_permissions

from .. import permissions
from ..models import Bid, Clarification
from ..permissions import bids as bid_permissions
from ..selectors import bids as bid_selectors
from ..selectors import clarifications as clarification_selectors
from ..services import clarifications as clarification_services

NOT_FOUND = OpenApiResponse(description="No such published opportunity, or no such bid of yours")


class ClarificationSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="published_question")

    class Meta:
        model = Clarification
        fields = ["question", "answer", "published_at"]


class ClarificationQuestionSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=clarification_services.MAX_QUESTION_CHARACTERS)
    organisation = serializers.SlugField(required=False, allow_blank=True,
                                         help_text="The slug of the organisation asking; needed if you belong to "
                                                   "several.")


class ClarificationReceivedSerializer(serializers.Serializer):
    status = serializers.CharField()
    asked_at = serializers.DateTimeField()


class BidSerializer(serializers.ModelSerializer):
    opportunity = serializers.UUIDField(source="opportunity.uuid")
    opportunity_reference = serializers.CharField(source="opportunity.reference")
    opportunity_title = serializers.CharField(source="opportunity.title")
    deadline = serializers.DateTimeField(source="opportunity.deadline")
    bidder = serializers.CharField(source="bidder.name")

    class Meta:
        model = Bid
        fields = ["uuid", "opportunity", "opportunity_reference", "opportunity_title", "deadline", "bidder",
                  "status", "submitted_at", "receipt_hash", "withdrawn_at", "created_at"]


@extend_schema(tags=["clarifications"])
class ClarificationList(generics.ListCreateAPIView):
    """The published questions and answers of an opportunity, and asking a new question."""

    serializer_class = ClarificationSerializer
    pagination_class = None

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    def _opportunity(self):
        opportunity = permissions.opportunity_get_for_user(user=self.request.user,
                                                           opportunity_id=self.kwargs["opportunity_id"])
        if not opportunity.is_public:
            raise Http404("No such published opportunity")
        return opportunity

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Clarification.objects.none()
        return clarification_selectors.published_clarifications(opportunity=self._opportunity())

    @extend_schema(responses={200: ClarificationSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ClarificationQuestionSerializer, responses={
        201: ClarificationReceivedSerializer, 400: OpenApiResponse(description="The question is empty or too late"),
        403: OpenApiResponse(description="You work for the buyer or the agency"), 404: NOT_FOUND,
    })
    def post(self, request, *args, **kwargs):
        opportunity = self._opportunity()
        incoming = ClarificationQuestionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if not bid_permissions.organisations_that_may_ask(request.user, opportunity):
            if permissions.can_reach_opportunity(request.user, opportunity):
                raise PermissionDenied
            return Response({"detail": "You must belong to an organisation to ask a question."},
                            status=status.HTTP_403_FORBIDDEN)
        organisation = bid_permissions.organisation_for_asking(
            user=request.user, opportunity=opportunity, slug=incoming.validated_data.get("organisation") or None
        )
        try:
            clarification = clarification_services.clarification_ask(
                opportunity=opportunity, organisation=organisation, by=request.user,
                question=incoming.validated_data["question"],
            )
        except DomainError as error:
            return Response({error.field or "detail": [error.message]}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"status": "waiting for an answer", "asked_at": clarification.asked_at},
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["bids"], responses={200: BidSerializer(many=True)})
class BidList(generics.ListAPIView):
    """Your organisations' bids: status and receipts, never their content."""

    serializer_class = BidSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return bid_selectors.bids_of_organisations(
            organisation_ids=org_permissions.member_organisation_ids(self.request.user)
        )


@extend_schema(tags=["bids"], responses={200: BidSerializer, 404: NOT_FOUND})
class BidDetail(generics.RetrieveAPIView):
    serializer_class = BidSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        return bid_permissions.bid_get_for_bidder(user=self.request.user, bid_id=self.kwargs["bid_id"])


urlpatterns = [
    path("opportunities/<uuid:opportunity_id>/clarifications/", ClarificationList.as_view(),
         name="api-clarification-list"),
    path("bids/", BidList.as_view(), name="api-bid-list"),
    path("bids/<uuid:bid_id>/", BidDetail.as_view(), name="api-bid-detail"),
]
