"""REST endpoints of the bidders portal: evaluation. A bidder's managers read the questions the agency has
asked about their bids (answers are given on the page). Nothing of the panel's scoring is in the API."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from pathways.organisations import permissions as org_permissions
from pathways.organisations.models import Organisation

from ..models import Inquiry


class QuestionSerializer(serializers.ModelSerializer):
    opportunity = serializers.UUIDField(source="bid.opportunity.uuid")
    opportunity_title = serializers.CharField(source="bid.opportunity.title")
    bidder = serializers.CharField(source="bid.bidder.name")

    class Meta:
        model = Inquiry
        fields = ["id", "opportunity", "opportunity_title", "bidder", "asked", "asked_at", "answer", "answered_at"]


@extend_schema(tags=["evaluation"], responses={200: QuestionSerializer(many=True)})
class MyQuestionList(generics.ListAPIView):
    """Questions the agency asked about bids of organisations the signed-in person manages."""

    permission_classes = [IsAuthenticated]
    serializer_class = QuestionSerializer
    pagination_class = None

    def get_queryset(self):
        user = self.request.user
        managed = [
            organisation.pk
            for organisation in Organisation.objects.filter(pk__in=org_permissions.member_organisation_ids(user))
            if org_permissions.can_manage_organisation(user, organisation)
        ]
        return (
            Inquiry.objects.filter(kind=Inquiry.Kind.QUESTION, bid__bidder_id__in=managed)
            .select_related("bid__opportunity", "bid__bidder").order_by("-asked_at", "pk")
        )


urlpatterns = [
    path("bid-questions/", MyQuestionList.as_view(), name="api-my-question-list"),
]
