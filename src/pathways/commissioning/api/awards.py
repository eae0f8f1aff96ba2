"""REST endpoints of the bidders portal: awards and contracts (public once the award is confirmed), a
bidder's own award letters (their managers only), and the decision itself, as the award pages make it:

- ``opportunities/<uuid>/award/recommendation/``: whoever runs the panel recommends a bid.
- ``opportunities/<uuid>/award/approve/`` and ``.../award/send-back/``: the buyer's commissioners decide
  (a reason is needed to send it back).
- ``opportunities/<uuid>/lots/<number>/no-award/``: those who manage the opportunity end a lot without an
  award, with the reason (bidders and the public read it).

An opportunity with lots is awarded lot by lot: the recommendation's lot is its bid's, and approving or
sending back names the ``lot`` (its number). ``opportunities/<uuid>/awards/`` lists every confirmed award of
an opportunity, one per lot.

Outsiders (bidders included) get a 404; people inside the opportunity without the right a 403.
"""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pathways.core.api import refusal
from pathways.core.errors import DomainError

from .. import permissions, sealing
from ..models import Award, AwardLetter, AwardStatus, Contract
from ..permissions import awards as award_permissions
from ..selectors import awards as selectors
from ..selectors import evaluation as evaluation_selectors
from ..selectors.opportunities import lot_numbered
from ..services import awards as services
from .evaluation import required_messages

NOT_FOUND = OpenApiResponse(description="No such confirmed award of a published opportunity")
NOT_INSIDE = OpenApiResponse(description="No such opportunity that you may know of, or nothing waiting here")
FORBIDDEN = OpenApiResponse(description="You are inside the opportunity but may not do this")
REFUSED = OpenApiResponse(description="What was sent is incomplete, or a rule refused it: {field or detail: [message]}")


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
    """The confirmed award of one published opportunity (with lots, the first confirmed one: see the list of
    its awards for every lot)."""

    permission_classes = [AllowAny]
    serializer_class = AwardSerializer
    queryset = Award.objects.none()

    def get_object(self):
        opportunity = _public_opportunity(self.request, self.kwargs["opportunity_id"])
        award = selectors.awards_public().select_related("lot").filter(opportunity=opportunity).first()
        if award is None:
            raise Http404("No confirmed award")
        return award


def _public_opportunity(request, opportunity_id):
    return permissions.opportunity_get_for_user(
        user=request.user, opportunity_id=opportunity_id, check=lambda user, opportunity: opportunity.is_public,
    )


@extend_schema(tags=["awards"], responses={200: AwardSerializer(many=True), 404: NOT_FOUND})
class OpportunityAwardList(generics.ListAPIView):
    """Every confirmed award of one published opportunity, in lot order: one per lot once that lot is
    confirmed (one in all for an opportunity without lots)."""

    permission_classes = [AllowAny]
    serializer_class = AwardSerializer
    pagination_class = None
    queryset = Award.objects.none()

    def get_queryset(self):
        opportunity = _public_opportunity(self.request, self.kwargs["opportunity_id"])
        return selectors.awards_public().select_related("lot").filter(opportunity=opportunity).order_by("lot__number")


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


# The decision ---------------------------------------------------------------------------------------

class DecisionSerializer(serializers.ModelSerializer):
    """An award as the buyer, the agency and the panel see it while it is being decided."""

    opportunity = serializers.UUIDField(source="opportunity.uuid")
    bid = serializers.UUIDField(source="bid.uuid")
    bidder = serializers.CharField(source="bid.bidder.name")
    lot = serializers.IntegerField(source="lot.number", allow_null=True, default=None)

    class Meta:
        model = Award
        fields = ["opportunity", "lot", "bid", "bidder", "status", "recommendation", "recommended_at", "value",
                  "approved_at", "standstill_ends_at"]


class RecommendRequestSerializer(serializers.Serializer):
    bid = serializers.UUIDField(error_messages={**required_messages("Choose the bid the panel recommends"),
                                                "invalid": "Choose the bid the panel recommends"})
    recommendation = serializers.CharField(
        help_text="Why, in plain words: every bidder reads this in their letter.",
        error_messages=required_messages("Write why the panel recommends this bid, in plain words"))


class LotRequestSerializer(serializers.Serializer):
    lot = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                   help_text="The lot's number: required when the opportunity has lots.")


class SendBackRequestSerializer(LotRequestSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Why the recommendation goes back to the agency (required).")


class SentBackSerializer(serializers.Serializer):
    status = serializers.CharField()
    reason = serializers.CharField()


class AwardRecommend(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["awards"], request=RecommendRequestSerializer, responses={
        201: DecisionSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_INSIDE})
    def post(self, request, opportunity_id):
        """Recommend one of the bids being evaluated to the buyer, once every bid has an agreed score for
        every criterion. For whoever runs the panel."""
        opportunity = award_permissions.opportunity_get_for_award(
            user=request.user, opportunity_id=opportunity_id, check=award_permissions.can_recommend_award)
        incoming = RecommendRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        bid = next((b for b in evaluation_selectors.evaluated_bids(opportunity)
                    if b.uuid == incoming.validated_data["bid"]), None)
        if bid is None:
            return Response({"bid": ["Choose one of the bids being evaluated"]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            award = services.award_recommend(opportunity=opportunity, bid=bid, by=request.user,
                                             recommendation=incoming.validated_data["recommendation"])
        except DomainError as error:
            return refusal(error)
        except sealing.StillSealed:
            raise Http404("The bids have not been opened") from None
        return Response(DecisionSerializer(award).data, status=status.HTTP_201_CREATED)


def _lot(opportunity, number):
    """The lot named in the request: a 400 naming ``lot`` when it is missing while the opportunity has lots,
    or not one of its lots."""
    try:
        return lot_numbered(opportunity, number)
    except DomainError as error:
        raise exceptions.ValidationError({"lot": [error.message]}) from None


def _waiting_award(request, opportunity_id, incoming_class) -> tuple[Award, dict]:
    """The recommendation waiting for the buyer, for the lot named when the opportunity has lots, and what
    was sent: 404 outside (or when none waits), 403 inside without the commission capability in the buyer,
    400 for a missing or unknown lot."""
    opportunity = award_permissions.opportunity_get_for_award(
        user=request.user, opportunity_id=opportunity_id, check=award_permissions.can_decide_award)
    incoming = incoming_class(data=request.data)
    incoming.is_valid(raise_exception=True)
    lot = _lot(opportunity, incoming.validated_data["lot"])
    award = opportunity.awards.filter(status=AwardStatus.RECOMMENDED, lot=lot).select_related(
        "bid__bidder", "lot").first()
    if award is None:
        raise Http404("No recommendation waiting")
    return award, incoming.validated_data


class AwardApprove(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["awards"], request=LotRequestSerializer, responses={
        200: DecisionSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_INSIDE})
    def post(self, request, opportunity_id):
        """Approve the recommendation (for the ``lot`` named, when the opportunity has lots): the standstill
        starts and every bidder for it is sent their letter. For the buyer's commissioners."""
        award, _ = _waiting_award(request, opportunity_id, LotRequestSerializer)
        try:
            award = services.award_approve(award=award, by=request.user)
        except DomainError as error:
            return refusal(error)
        return Response(DecisionSerializer(award).data)


class AwardSendBack(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["awards"], request=SendBackRequestSerializer, responses={
        200: SentBackSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_INSIDE})
    def post(self, request, opportunity_id):
        """Send the recommendation (for the ``lot`` named, when the opportunity has lots) back to the agency,
        with the reason; the agency may then recommend again. For the buyer's commissioners."""
        award, data = _waiting_award(request, opportunity_id, SendBackRequestSerializer)
        try:
            services.award_send_back(award=award, by=request.user, reason=data["reason"])
        except DomainError as error:
            return refusal(error)
        return Response({"status": "sent back", "reason": data["reason"].strip()})


class LotNotAwardedRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Why the lot ends without an award (required): bidders and the public "
                                             "read it.")


class LotNotAwardedSerializer(serializers.Serializer):
    """A lot ended without an award, and where the opportunity stands after it."""

    lot = serializers.IntegerField(source="number")
    title = serializers.CharField()
    not_awarded_at = serializers.DateTimeField()
    reason = serializers.CharField(source="not_awarded_reason")
    opportunity_status = serializers.CharField(source="opportunity.status")


class LotNotAwarded(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["awards"], request=LotNotAwardedRequestSerializer, responses={
        200: LotNotAwardedSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_INSIDE})
    def post(self, request, opportunity_id, lot_number):
        """End the lot without an award, when the panel found no bid it can accept: each bidder for the lot is
        told, and the opportunity is marked awarded if every other lot with bids is settled. Refused while the
        lot has a recommendation or an award (the buyer sends a recommendation back first), and when no lot
        would be awarded (cancel the opportunity instead). For those who manage the opportunity."""
        opportunity = award_permissions.opportunity_get_for_award(
            user=request.user, opportunity_id=opportunity_id, check=permissions.can_manage_opportunity)
        lot = award_permissions.lot_get_for_award(opportunity, lot_number)
        incoming = LotNotAwardedRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            lot = services.lot_not_awarded(opportunity=opportunity, lot=lot, by=request.user,
                                           reason=incoming.validated_data["reason"])
        except DomainError as error:
            return refusal(error)
        return Response(LotNotAwardedSerializer(lot).data)


urlpatterns = [
    path("awards/", AwardList.as_view(), name="api-award-list"),
    path("opportunities/<uuid:opportunity_id>/award/", OpportunityAward.as_view(), name="api-opportunity-award"),
    path("opportunities/<uuid:opportunity_id>/awards/", OpportunityAwardList.as_view(),
         name="api-opportunity-award-list"),
    path("opportunities/<uuid:opportunity_id>/award/recommendation/", AwardRecommend.as_view(),
         name="api-award-recommend"),
    path("opportunities/<uuid:opportunity_id>/award/approve/", AwardApprove.as_view(), name="api-award-approve"),
    path("opportunities/<uuid:opportunity_id>/award/send-back/", AwardSendBack.as_view(), name="api-award-send-back"),
    path("opportunities/<uuid:opportunity_id>/lots/<int:lot_number>/no-award/", LotNotAwarded.as_view(),
         name="api-lot-not-awarded"),
    path("contracts/", ContractList.as_view(), name="api-contract-list"),
    path("award-letters/", MyLetterList.as_view(), name="api-my-letter-list"),
    path("award-letters/<int:letter_id>/", MyLetter.as_view(), name="api-my-letter"),
]
