"""REST endpoints of the bidders portal: clarifications and bids.

- ``GET clarifications`` of a published opportunity: public; the published wording and the answer only.
- ``POST clarifications``: signed in, for an organisation the person belongs to (not the buyer or agency).
- ``GET bids`` and ``GET bids/<uuid>``: the bids of the person's own organisations, with their status and
  receipt, and the ``lot`` each is for. Never the draft or the sealed content; anyone else's bid is a 404.
- Writing a bid, as the bid pages do and through the same services: ``POST opportunities/<uuid>/bids/`` starts
  one (for a ``lot``, by its number, when the opportunity has lots: each lot is a separate bid),
  ``bids/<uuid>/draft/`` reads (its organisation's members, as the bid's page) and saves (its managers) the
  draft, ``bids/<uuid>/price/`` takes a full-cost calculation's total, ``bids/<uuid>/attachments/`` adds and
  removes files, ``bids/<uuid>/submit/`` seals it, ``bids/<uuid>/withdraw/`` withdraws it and ``DELETE
  bids/<uuid>/`` throws a draft away. Members who are not managers get a 403 on every change, anyone outside
  the organisation a 404. Once submitted, nothing of what the bid says is shown again: it is sealed.

The agency's side (or the buyer's commissioners' where there is no agency), as the opportunity's management
page does it and through the same permissions and services:

- ``GET opportunities/<uuid>/clarifications/waiting/``: the questions waiting for an answer, for those who
  answer them; never who asked, as the page shows it.
- ``POST opportunities/<uuid>/clarifications/<id>/answer/``: publish a question, in wording that does not
  identify who asked, with its answer (emailed to everyone interested or bidding).
- ``POST opportunities/<uuid>/bids/open/``: open the bids after the deadline, an audited act (400 before it).

Anyone outside the buyer and the agency gets a 404; their members who may not do the thing a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from pathways.core.api import refusal
from pathways.core.errors import DomainError
from pathways.organisations import permissions as org_permissions

from .. import permissions
from ..models import Bid, BidStatus, Clarification
from ..permissions import bids as bid_permissions
from ..selectors import bids as bid_selectors
from ..selectors import clarifications as clarification_selectors
from ..selectors.opportunities import lot_numbered
from ..services import bid_format
from ..services import bids as bid_services
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


class WaitingClarificationSerializer(serializers.ModelSerializer):
    """A question waiting for an answer, as the agency sees it: what was asked and when, never who asked."""

    class Meta:
        model = Clarification
        fields = ["id", "question", "asked_at"]


class ClarificationAnswerSerializer(serializers.Serializer):
    # Blank is left to the service, which names every problem in the words the answer page uses.
    published_question = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Needed. The question as it will be published: take out anything that would identify who asked.")
    answer = serializers.CharField(required=False, allow_blank=True, default="", help_text="Needed. Your answer.")


class BidsOpenedSerializer(serializers.Serializer):
    bids_opened_at = serializers.DateTimeField()
    opened = serializers.IntegerField(help_text="How many submitted bids were opened (withdrawn bids never are)")


class BidSerializer(serializers.ModelSerializer):
    opportunity = serializers.UUIDField(source="opportunity.uuid")
    opportunity_reference = serializers.CharField(source="opportunity.reference")
    opportunity_title = serializers.CharField(source="opportunity.title")
    deadline = serializers.DateTimeField(source="opportunity.deadline")
    bidder = serializers.CharField(source="bidder.name")
    lot = serializers.IntegerField(source="lot.number", allow_null=True, read_only=True,
                                   help_text="The number of the lot this bid is for; null for a bid for the whole "
                                             "opportunity")

    class Meta:
        model = Bid
        fields = ["uuid", "opportunity", "opportunity_reference", "opportunity_title", "deadline", "bidder", "lot",
                  "status", "submitted_at", "receipt_hash", "withdrawn_at", "created_at"]



def editable(bid: Bid) -> dict:
    """What the bidder may still change: the draft while it is one. A submitted or withdrawn bid has none to
    show (its content is sealed), whatever is left in the row."""
    return bid_format.draft_normalised(bid.draft if bid.status == BidStatus.DRAFT else None)


class BidStartSerializer(serializers.Serializer):
    organisation = serializers.SlugField(required=False, allow_blank=True,
                                         help_text="The slug of the organisation bidding; needed if you belong to "
                                                   "several.")
    lot = serializers.IntegerField(required=False, allow_null=True,
                                   help_text="The number of the lot you are bidding for; needed when the opportunity "
                                             "has lots. Each lot is a separate bid.")


class BidSubcontractorSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    work = serializers.CharField(max_length=1000, required=False, allow_blank=True,
                                 help_text="What this subcontractor will do")
    share_percent = serializers.IntegerField(required=False, allow_null=True,
                                             help_text="Its share of the work, a whole number from 1 to 100")


class BidAttachmentSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    content_hash = serializers.CharField(help_text="SHA-256 of the file as uploaded")


class BidProblemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class BidCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text="The key of this criterion's answer in ``sections``")
    title = serializers.CharField()
    word_limit = serializers.IntegerField(allow_null=True)


class BidDraftSerializer(BidSerializer):
    """The bid with its draft. Once submitted or withdrawn the draft fields are empty: what was sealed is not
    shown again, to anyone, until the bids are opened."""

    criteria = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    price = serializers.SerializerMethodField()
    full_cost_calculation = serializers.SerializerMethodField()
    subcontractors = serializers.SerializerMethodField()
    consortium = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()

    class Meta(BidSerializer.Meta):
        fields = [*BidSerializer.Meta.fields, "criteria", "sections", "price", "full_cost_calculation",
                  "subcontractors", "consortium", "attachments", "problems"]

    @extend_schema_field(BidCriterionSerializer(many=True))
    def get_criteria(self, bid) -> list:
        return BidCriterionSerializer(bid_selectors.section_criteria(bid.opportunity), many=True).data

    @extend_schema_field(serializers.DictField(child=serializers.CharField(),
                                               help_text="Your answer to each criterion, by the criterion's id"))
    def get_sections(self, bid) -> dict:
        return editable(bid)["sections"]

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Whole pounds, like 250000"))
    def get_price(self, bid):
        return editable(bid)["price"]

    @extend_schema_field(serializers.IntegerField(allow_null=True,
                                                  help_text="The saved full-cost calculation the price came from"))
    def get_full_cost_calculation(self, bid):
        return editable(bid)["full_cost_calculation"]

    @extend_schema_field(BidSubcontractorSerializer(many=True))
    def get_subcontractors(self, bid) -> list:
        return BidSubcontractorSerializer(editable(bid)["subcontractors"], many=True).data

    @extend_schema_field(serializers.IntegerField(allow_null=True,
                                                  help_text="The id of the consortium your organisation leads"))
    def get_consortium(self, bid):
        return bid.consortium_id if bid.status == BidStatus.DRAFT else None

    @extend_schema_field(BidAttachmentSerializer(many=True))
    def get_attachments(self, bid) -> list:
        return BidAttachmentSerializer(editable(bid)["attachments"], many=True).data

    @extend_schema_field(BidProblemSerializer(many=True))
    def get_problems(self, bid) -> list:
        """What stops the draft from being submitted (nothing once it is submitted)."""
        if bid.status != BidStatus.DRAFT:
            return []
        return [{"field": field, "message": message} for field, message in bid_services.submission_problems(bid)]


class BidDraftWriteSerializer(serializers.Serializer):
    sections = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True, trim_whitespace=False), required=False,
        help_text="Your answer to each criterion, by the criterion's id (see ``criteria``)",
    )
    price = serializers.CharField(required=False, allow_blank=True, allow_null=True,
                                  help_text="Your price over the whole contract, in whole pounds, like 250000")
    subcontractors = BidSubcontractorSerializer(many=True, required=False)
    consortium = serializers.IntegerField(required=False, allow_null=True,
                                          help_text="The id of a consortium your organisation leads for this "
                                                    "opportunity, or null to bid alone")


class BidCalculationSerializer(serializers.Serializer):
    calculation = serializers.IntegerField(help_text="The id of one of your organisation's saved full-cost "
                                                     "calculations")


class BidAttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=f"{bid_services.ATTACHMENT_TYPES_LABEL[0].upper()}"
                                           f"{bid_services.ATTACHMENT_TYPES_LABEL[1:]}, smaller than "
                                           f"{bid_services.MAX_ATTACHMENT_LABEL}")


PROBLEMS = OpenApiResponse(description="Refused: ``{field or \"detail\": [message, ...]}``, every problem named")
NOT_YOURS = OpenApiResponse(description="You belong to the bidding organisation but do not manage it")


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
            return refusal(error)
        return Response({"status": "waiting for an answer", "asked_at": clarification.asked_at},
                        status=status.HTTP_201_CREATED)


def _opportunity_for_manager(request, opportunity_id):
    """The opportunity for its buyer's and agency's pages: 404 for anyone outside them, 403 for their members who
    may not change it."""
    return permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)


@extend_schema(tags=["clarifications"], responses={
    200: WaitingClarificationSerializer(many=True),
    403: OpenApiResponse(description="You belong to the buyer or the agency but may not manage this opportunity"),
    404: OpenApiResponse(description="No such opportunity of yours"),
})
class ClarificationWaitingList(generics.ListAPIView):
    """The questions waiting for an answer, oldest first, for the agency (or the buyer's commissioners). Who
    asked is not shown, so that every answer stays neutral."""

    serializer_class = WaitingClarificationSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Clarification.objects.none()
        opportunity = _opportunity_for_manager(self.request, self.kwargs["opportunity_id"])
        return clarification_selectors.clarifications_waiting(opportunity=opportunity)


@extend_schema(tags=["clarifications"])
class ClarificationAnswer(generics.GenericAPIView):
    """Answer a waiting question and publish it with its answer, on the opportunity's page, and by email to
    every organisation interested or bidding."""

    serializer_class = ClarificationAnswerSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ClarificationAnswerSerializer, responses={
        200: ClarificationSerializer,
        400: OpenApiResponse(description="Refused: a field left empty, already published, or the opportunity is "
                                         "cancelled or awarded: ``{field or \"detail\": [message, ...]}``"),
        403: OpenApiResponse(description="You belong to the buyer or the agency but may not answer"),
        404: OpenApiResponse(description="No such opportunity of yours, or no such question on it"),
    })
    def post(self, request, opportunity_id, clarification_id):
        opportunity = _opportunity_for_manager(request, opportunity_id)
        clarification = bid_permissions.clarification_get_for_answerer(
            user=request.user, opportunity=opportunity, clarification_id=clarification_id)
        incoming = ClarificationAnswerSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            clarification = clarification_services.clarification_publish(
                clarification=clarification, by=request.user, **incoming.validated_data)
        except DomainError as error:
            return refusal(error)
        return Response(ClarificationSerializer(clarification).data)


@extend_schema(tags=["bids"], responses={200: BidSerializer(many=True)})
class BidList(generics.ListAPIView):
    """Your organisations' bids: status and receipts, never their content."""

    serializer_class = BidSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return bid_selectors.bids_of_organisations(
            organisation_ids=org_permissions.member_organisation_ids(self.request.user)
        )


@extend_schema(tags=["bids"])
class BidDetail(generics.RetrieveAPIView):
    """One of your organisation's bids: its status and receipt (never its content); a draft can be deleted."""

    serializer_class = BidSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        return bid_permissions.bid_get_for_bidder(user=self.request.user, bid_id=self.kwargs["bid_id"])

    @extend_schema(responses={200: BidSerializer, 404: NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=None, responses={
        204: OpenApiResponse(description="The draft and its attachments are deleted"),
        400: OpenApiResponse(description="Only a draft can be deleted"), 403: NOT_YOURS, 404: NOT_FOUND,
    })
    def delete(self, request, bid_id):
        bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
        try:
            bid_services.bid_discard(bid=bid, by=request.user)
        except DomainError as error:
            return refusal(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["bids"])
class BidStart(generics.GenericAPIView):
    """Start your organisation's bid for an opportunity open for bids, or for one of its lots when it has lots
    (each lot is a separate bid, scored separately)."""

    serializer_class = BidStartSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(request=BidStartSerializer, responses={
        201: BidDraftSerializer,
        200: OpenApiResponse(BidDraftSerializer, description="Your organisation already has a bid for this "
                                                             "opportunity (or this lot): that bid"),
        400: PROBLEMS,
        403: OpenApiResponse(description="You work for the buyer or the agency, or do not manage your "
                                         "organisation"),
        404: OpenApiResponse(description="No such opportunity, or no such organisation of yours"),
    })
    def post(self, request, opportunity_id):
        opportunity = permissions.opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
        incoming = BidStartSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if not bid_permissions.organisations_that_may_ask(request.user, opportunity):
            if permissions.can_reach_opportunity(request.user, opportunity):
                raise PermissionDenied
            return Response({"detail": "You must belong to an organisation to bid."},
                            status=status.HTTP_403_FORBIDDEN)
        organisation = bid_permissions.organisation_for_asking(
            user=request.user, opportunity=opportunity, slug=incoming.validated_data.get("organisation") or None
        )
        try:
            lot = lot_numbered(opportunity, incoming.validated_data.get("lot"), required=False)
            existing = bid_selectors.live_bid(opportunity=opportunity, organisation=organisation, lot=lot)
            if existing is not None:  # as the page does: the organisation's bid, not a second one
                bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=existing.uuid)
                return Response(BidDraftSerializer(bid).data)
            bid = bid_services.bid_start(opportunity=opportunity, organisation=organisation, by=request.user,
                                         lot=lot)
        except DomainError as error:
            return refusal(error)
        bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid.uuid)
        return Response(BidDraftSerializer(bid).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["bids"])
class BidDraft(generics.GenericAPIView):
    """Your bid's draft: an answer per criterion, the price, the subcontractors and the consortium.

    Its organisation's members read it; its managers save it. PUT replaces the whole draft (what is left out is
    emptied); PATCH changes only what it names (``sections`` by criterion). A refusal names the field at fault
    (``section_<criterion id>``, ``price``, ``subcontractor_<row>_<field>``, ``subcontractors``, ``consortium``)
    and saves nothing. A submitted or withdrawn bid shows no draft: its content is sealed."""

    permission_classes = [IsAuthenticated]

    def get_serializer_class(self):
        return BidDraftSerializer if self.request.method in ("GET", "HEAD") else BidDraftWriteSerializer

    def get_object(self):
        """The bid, for its members to read and its managers to change (403 for its other members)."""
        return bid_permissions.bid_get_for_bidder(user=self.request.user, bid_id=self.kwargs["bid_id"],
                                                  change=self.request.method not in ("GET", "HEAD", "OPTIONS"))

    @extend_schema(responses={200: BidDraftSerializer, 404: NOT_FOUND})
    def get(self, request, bid_id):
        return Response(BidDraftSerializer(self.get_object()).data)

    @extend_schema(request=BidDraftWriteSerializer,
                   responses={200: BidDraftSerializer, 400: PROBLEMS, 403: NOT_YOURS, 404: NOT_FOUND})
    def put(self, request, bid_id):
        return self._save(request, bid_id, partial=False)

    @extend_schema(request=BidDraftWriteSerializer,
                   responses={200: BidDraftSerializer, 400: PROBLEMS, 403: NOT_YOURS, 404: NOT_FOUND})
    def patch(self, request, bid_id):
        return self._save(request, bid_id, partial=True)

    def _save(self, request, bid_id, *, partial: bool):
        bid = self.get_object()
        incoming = BidDraftWriteSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        known = {str(criterion.pk) for criterion in bid_selectors.section_criteria(bid.opportunity)}
        unknown = sorted(set(data.get("sections", {})) - known, key=str)
        if unknown:
            return Response({"sections": [f"This opportunity has no criterion {key} to answer"
                                          for key in unknown]}, status=status.HTTP_400_BAD_REQUEST)
        current = editable(bid) if partial else bid_format.draft_normalised(None)
        try:
            bid_services.bid_draft_save(
                bid=bid, by=request.user,
                sections={**current["sections"], **data.get("sections", {})},
                price=data.get("price", current["price"]),
                subcontractors=data.get("subcontractors", current["subcontractors"]),
                consortium_id=data.get("consortium", bid.consortium_id if partial else None),
            )
        except DomainError as error:
            return refusal(error)
        bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id)
        return Response(BidDraftSerializer(bid).data)


@extend_schema(tags=["bids"])
class BidPrice(generics.GenericAPIView):
    """Make the total of one of your organisation's saved full-cost calculations the draft's price."""

    serializer_class = BidCalculationSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(request=BidCalculationSerializer,
                   responses={200: BidDraftSerializer, 400: PROBLEMS, 403: NOT_YOURS, 404: NOT_FOUND})
    def post(self, request, bid_id):
        bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
        incoming = BidCalculationSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            bid_services.bid_price_from_calculation(bid=bid, by=request.user,
                                                    calculation_id=incoming.validated_data["calculation"])
        except DomainError as error:
            return refusal(error)
        bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id)
        return Response(BidDraftSerializer(bid).data)


@extend_schema(tags=["bids"])
class BidAttachmentList(generics.GenericAPIView):
    """Add a file to your draft bid. What it is is judged by its bytes (and its name's extension must agree)."""

    serializer_class = BidAttachmentUploadSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": BidAttachmentUploadSerializer},
                   responses={201: BidAttachmentSerializer, 400: PROBLEMS, 403: NOT_YOURS, 404: NOT_FOUND})
    def post(self, request, bid_id):
        bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
        try:
            attachment = bid_services.attachment_add(bid=bid, by=request.user, upload=request.FILES.get("file"))
        except DomainError as error:
            return refusal(error)
        meta = next(item for item in editable(attachment.bid)["attachments"] if item["uuid"] == str(attachment.uuid))
        return Response(BidAttachmentSerializer(meta).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["bids"])
class BidAttachmentDetail(generics.GenericAPIView):
    """Remove a file from your draft bid."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={
        204: OpenApiResponse(description="Removed"),
        400: OpenApiResponse(description="Not an attachment of this draft, or the bid is no longer a draft"),
        403: NOT_YOURS, 404: NOT_FOUND,
    })
    def delete(self, request, bid_id, attachment_id):
        bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
        try:
            bid_services.attachment_remove(bid=bid, by=request.user, attachment_id=attachment_id)
        except DomainError as error:
            return refusal(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["bids"])
class BidSubmit(generics.GenericAPIView):
    """Seal and submit your draft bid, before the deadline. The answer is your receipt: keep your own copy of
    what you submitted, because Pathways cannot show it back before the deadline."""

    serializer_class = BidSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={
        200: OpenApiResponse(BidSerializer, description="Submitted: the receipt (receipt_hash, submitted_at)"),
        400: OpenApiResponse(description="Not submitted: ``{field or \"detail\": [message, ...]}`` naming every "
                                         "problem, or the deadline has passed"),
        403: NOT_YOURS, 404: NOT_FOUND,
    })
    def post(self, request, bid_id):
        bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
        try:
            bid = bid_services.bid_submit(bid=bid, by=request.user)
        except DomainError as error:
            return refusal(error)
        return Response(BidSerializer(bid).data)


@extend_schema(tags=["bids"])
class BidWithdraw(generics.GenericAPIView):
    """Withdraw your submitted bid, before the deadline. It is kept sealed and never opened; you may start again."""

    serializer_class = BidSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={
        200: BidSerializer,
        400: OpenApiResponse(description="Not a submitted bid, or the deadline has passed"),
        403: NOT_YOURS, 404: NOT_FOUND,
    })
    def post(self, request, bid_id):
        bid = bid_permissions.bid_get_for_bidder(user=request.user, bid_id=bid_id, change=True)
        try:
            bid = bid_services.bid_withdraw(bid=bid, by=request.user)
        except DomainError as error:
            return refusal(error)
        return Response(BidSerializer(bid).data)


@extend_schema(tags=["bids"])
class BidsOpen(generics.GenericAPIView):
    """Open the bids, after the deadline: the audited act after which the evaluation panel reads them. The
    agency does it (the buyer's commissioner where there is no agency). Anyone on the panel found to have a
    stake in a bidder leaves it."""

    serializer_class = BidsOpenedSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={
        200: BidsOpenedSerializer,
        400: OpenApiResponse(description="Before the deadline, already opened, or the opportunity was cancelled"),
        403: OpenApiResponse(description="You belong to the buyer or the agency but may not open the bids"),
        404: OpenApiResponse(description="No such opportunity of yours"),
    })
    def post(self, request, opportunity_id):
        opportunity = _opportunity_for_manager(request, opportunity_id)
        if not bid_permissions.can_open_bids(request.user, opportunity):
            raise PermissionDenied
        try:  # StillSealed, before the deadline, is a DomainError
            opportunity = bid_services.bids_open(opportunity=opportunity, by=request.user)
        except DomainError as error:
            return refusal(error)
        opened = bid_selectors.bid_counts(opportunity=opportunity)["submitted"]
        return Response(BidsOpenedSerializer({"bids_opened_at": opportunity.bids_opened_at, "opened": opened}).data)


urlpatterns = [
    path("opportunities/<uuid:opportunity_id>/clarifications/", ClarificationList.as_view(),
         name="api-clarification-list"),
    path("opportunities/<uuid:opportunity_id>/clarifications/waiting/", ClarificationWaitingList.as_view(),
         name="api-clarification-waiting"),
    path("opportunities/<uuid:opportunity_id>/clarifications/<int:clarification_id>/answer/",
         ClarificationAnswer.as_view(), name="api-clarification-answer"),
    path("opportunities/<uuid:opportunity_id>/bids/open/", BidsOpen.as_view(), name="api-bids-open"),
    path("bids/", BidList.as_view(), name="api-bid-list"),
    path("bids/<uuid:bid_id>/", BidDetail.as_view(), name="api-bid-detail"),
    path("opportunities/<uuid:opportunity_id>/bids/", BidStart.as_view(), name="api-bid-start"),
    path("bids/<uuid:bid_id>/draft/", BidDraft.as_view(), name="api-bid-draft"),
    path("bids/<uuid:bid_id>/price/", BidPrice.as_view(), name="api-bid-price"),
    path("bids/<uuid:bid_id>/attachments/", BidAttachmentList.as_view(), name="api-bid-attachment-list"),
    path("bids/<uuid:bid_id>/attachments/<uuid:attachment_id>/", BidAttachmentDetail.as_view(),
         name="api-bid-attachment-detail"),
    path("bids/<uuid:bid_id>/submit/", BidSubmit.as_view(), name="api-bid-submit"),
    path("bids/<uuid:bid_id>/withdraw/", BidWithdraw.as_view(), name="api-bid-withdraw"),
]
