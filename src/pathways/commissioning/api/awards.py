"""REST endpoints of the bidders portal: awards and contracts (public once the award is confirmed) and a
bidder's own award letters (their managers only)."""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated

from .. import permissions
from ..models import Award, AwardLetter, Contract
from ..selectors import awards as selectors

NOT_FOUND = OpenApiResponse(description="No such confirmed award of a published opportunity")


class PartySerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()


class ContractSerializer(serializers.ModelSerializer):
    buyer = PartySerializer()
    supplier = PartySerializer()
    opportunity = serializers.UUIDField(source="award.opportunity.uuid")

    class Meta:
        model = Contract
        fields = ["uuid", "reference", "title", "opportunity", "buyer", "supplier", "value", "starts_on", "ends_on",
                  "status"]


class AwardSerializer(serializers.ModelSerializer):
    opportunity = serializers.UUIDField(source="opportunity.uuid")
    opportunity_reference = serializers.CharField(source="opportunity.reference")
    supplier = serializers.SerializerMethodField()
    lot = serializers.IntegerField(source="lot.number", allow_null=True, default=None)
    contract = ContractSerializer(allow_null=True, default=None)

    class Meta:
        model = Award
        fields = ["opportunity", "opportunity_reference", "lot", "supplier", "value", "approved_at",
                  "standstill_ends_at", "recommendation", "contract"]

    @extend_schema(responses=PartySerializer)
    def get_supplier(self, award) -> dict:
        bid = award.bid
        supplier = bid.consortium.lead if bid.consortium_id else bid.bidder
        return {"uuid": str(supplier.uuid), "name": supplier.name}


class LetterSerializer(serializers.ModelSerializer):
    opportunity = serializers.UUIDField(source="award.opportunity.uuid")
    opportunity_title = serializers.CharField(source="award.opportunity.title")
    bidder = PartySerializer(source="bid.bidder")
    successful = serializers.SerializerMethodField()
    html = serializers.CharField()

    class Meta:
        model = AwardLetter
        fields = ["id", "opportunity", "opportunity_title", "bidder", "successful", "sent_at", "html"]

    def get_successful(self, letter) -> bool:
        return letter.award.bid_id == letter.bid_id


@extend_schema(tags=["awards"], responses={200: AwardSerializer(many=True)})
class AwardList(generics.ListAPIView):
    """Confirmed awards of published opportunities, newest first."""

    permission_classes = [AllowAny]
    serializer_class = AwardSerializer

    def get_queryset(self):
        return selectors.awards_public().select_related("lot")


@extend_schema(tags=["awards"], responses={200: AwardSerializer, 404: NOT_FOUND})
class OpportunityAward(generics.RetrieveAPIView):
    """The confirmed award of one published opportunity."""

    permission_classes = [AllowAny]
    serializer_class = AwardSerializer
    queryset = Award.objects.none()

    def get_object(self):
        opportunity = permissions.opportunity_get_for_user(
            user=self.request.user, opportunity_id=self.kwargs["opportunity_id"],
            check=lambda user, opportunity: opportunity.is_public,
        )
        award = selectors.awards_public().select_related("lot").filter(opportunity=opportunity).first()
        if award is None:
            raise Http404("No confirmed award")
        return award


@extend_schema(tags=["awards"], responses={200: ContractSerializer(many=True)})
class ContractList(generics.ListAPIView):
    """Contracts from confirmed awards of published opportunities: the hand-over to the contracting cycle."""

    permission_classes = [AllowAny]
    serializer_class = ContractSerializer

    def get_queryset(self):
        return selectors.contracts_public()


@extend_schema(tags=["awards"], responses={200: LetterSerializer(many=True)})
class MyLetterList(generics.ListAPIView):
    """Award letters to organisations the signed-in person manages."""

    permission_classes = [IsAuthenticated]
    serializer_class = LetterSerializer
    pagination_class = None
    queryset = AwardLetter.objects.none()  # tells the schema the model; get_queryset() is what runs

    def get_queryset(self):
        return selectors.letters_for_user(user=self.request.user)


@extend_schema(tags=["awards"], responses={200: LetterSerializer, 404: OpenApiResponse(description="No such letter of yours")})
class MyLetter(generics.RetrieveAPIView):
    """One award letter, for the managers of the bidder it is addressed to."""

    permission_classes = [IsAuthenticated]
    serializer_class = LetterSerializer
    queryset = AwardLetter.objects.none()

    def get_object(self):
        letter = AwardLetter.objects.select_related("award__opportunity", "bid__bidder").filter(
            pk=self.kwargs["letter_id"]).first()
        if letter is None or letter not in selectors.letters_for_user(user=self.request.user):
            raise Http404("No such letter")
        return letter


urlpatterns = [
    path("awards/", AwardList.as_view(), name="api-award-list"),
    path("opportunities/<uuid:opportunity_id>/award/", OpportunityAward.as_view(), name="api-opportunity-award"),
    path("contracts/", ContractList.as_view(), name="api-contract-list"),
    path("award-letters/", MyLetterList.as_view(), name="api-my-letter-list"),
    path("award-letters/<int:letter_id>/", MyLetter.as_view(), name="api-my-letter"),
]
