"""REST endpoints of the bidders portal: evaluation. The same acts as the evaluation pages, through the same
permissions and services.

- ``evaluations/``: the panels the signed-in person sits on.
- ``evaluations/<uuid>/declaration/``: a member signs their declaration of no conflict of interest.
- ``evaluations/<uuid>/bids/`` and ``.../bids/<uuid>/``: the opened bids, only for a member who has signed,
  has no stake Pathways knows of, and only after the bids were opened (each reading of a bid is audited).
- ``.../bids/<uuid>/scores/``: a member's own score for one criterion, with the justification.
- ``.../bids/<uuid>/inquiries/``: the agency (or the chair) asks the bidder a question or records a visit.
- ``.../bids/<uuid>/moderated-scores/``: the panel's agreed score; changing it needs a reason for the change.
- ``bid-questions/`` and ``bid-questions/<id>/answer/``: a bidder's managers read and answer the questions
  asked about their own bids.
- ``evaluations/<uuid>/panel/``: whoever runs the panel (the agency, or the buyer's commissioners where there is
  no agency) lists its members, with their role, declaration and any stake Pathways knows of, and adds someone
  by email with their role and the criteria they score.
- ``evaluations/<uuid>/panel/<id>/remove/``: they remove a member, with the reason.
- ``evaluations/<uuid>/ranking/``: the bids by total weighted score, once the bids are opened, for whoever
  moderates and may see the bids (declared, no stake); ``?lot=N`` when the opportunity has lots. It shows the
  bids' prices, so each reading is audited as a reading of every bid ranked.

Outsiders get a 404 everywhere; people inside the opportunity who may not do the thing get a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pathways.core.api import refusal
from pathways.core.errors import DomainError
from pathways.organisations import permissions as org_permissions
from pathways.organisations.models import Organisation

from .. import permissions as opportunity_permissions
from .. import sealing
from ..models import Criterion, Inquiry, ModeratedScore, PanelRole
from ..permissions import evaluation as permissions
from ..selectors import evaluation as selectors
from ..selectors.opportunities import lot_numbered
from ..services import bids as bid_services
from ..services import evaluation as services

NOT_FOUND = OpenApiResponse(description="No such panel or bid that you may know of")
FORBIDDEN = OpenApiResponse(description="You are inside the opportunity but may not do this (yet)")
REFUSED = OpenApiResponse(description="What was sent is incomplete, or a rule refused it: {field or detail: [message]}")
SCORE_MESSAGES = {"required": "Enter a score from 0 to 10", "invalid": "Enter a whole number from 0 to 10",
                  "min_value": "Enter a whole number from 0 to 10", "max_value": "Enter a whole number from 0 to 10",
                  "null": "Enter a score from 0 to 10"}
MODERATED_SCORE_MESSAGES = {"required": "Enter a score from 0 to 10",
                            "invalid": "Enter a score from 0 to 10, like 7 or 7.5",
                            "min_value": "Enter a score from 0 to 10", "max_value": "Enter a score from 0 to 10",
                            "max_decimal_places": "Enter a score with at most 2 decimal places",
                            "max_digits": "Enter a score from 0 to 10", "null": "Enter a score from 0 to 10"}


def required_messages(message):
    return {"required": message, "blank": message, "null": message}



def _criterion(opportunity, criterion_id, **filters):
    criterion = opportunity.criteria.filter(pk=criterion_id, **filters).first() if criterion_id else None
    if criterion is None:
        raise DomainError("Choose a criterion of this opportunity that the panel scores", field="criterion")
    return criterion


# Serializers ------------------------------------------------------------------------------------------

class PanelOpportunitySerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    reference = serializers.CharField()
    title = serializers.CharField()
    buyer = serializers.CharField(source="buyer.name")
    status = serializers.CharField()
    deadline = serializers.DateTimeField(allow_null=True)
    bids_opened_at = serializers.DateTimeField(allow_null=True)


class PanelSerializer(serializers.Serializer):
    opportunity = PanelOpportunitySerializer()
    role = serializers.ChoiceField(choices=PanelRole.choices)
    declared = serializers.BooleanField()
    declared_at = serializers.DateTimeField(allow_null=True)
    may_see_bids = serializers.BooleanField()
    conflicts = serializers.ListField(child=serializers.CharField(),
                                      help_text="What stake Pathways knows you have in a bidder; empty when none.")


def _panel_row(member, user) -> dict:
    return {
        "opportunity": member.opportunity, "role": member.role,
        "declared": member.declared_no_conflict_at is not None, "declared_at": member.declared_no_conflict_at,
        "may_see_bids": permissions.member_may_see_bids(member),
        "conflicts": selectors.conflicts_for(user, member.opportunity, to_them=True),
    }


class DeclarationSerializer(serializers.Serializer):
    declaration = serializers.CharField(required=False, allow_blank=True,
                                        help_text="In your own words: any link with the bidders.")
    confirmed = serializers.BooleanField(required=False, default=False,
                                         help_text="True to confirm you have no conflict of interest with any bidder.")


class BidSummarySerializer(serializers.Serializer):
    uuid = serializers.UUIDField(source="bid.uuid")
    bidder = serializers.CharField(source="bid.bidder.name")
    consortium = serializers.CharField(source="bid.consortium.name", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField(source="bid.submitted_at")
    scored = serializers.IntegerField(help_text="Criteria you have scored")
    to_score = serializers.IntegerField(help_text="Criteria given to you")


class ScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id")
    score = serializers.IntegerField()
    justification = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class OtherScoreSerializer(serializers.Serializer):
    evaluator = serializers.SerializerMethodField()
    score = serializers.IntegerField()
    justification = serializers.CharField()

    def get_evaluator(self, score) -> str:
        return score.evaluator.user.full_name or score.evaluator.user.email


class SpreadSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    lowest = serializers.IntegerField()
    highest = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=5, decimal_places=2)
    scores = OtherScoreSerializer(many=True)


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    guidance = serializers.CharField()
    weight = serializers.IntegerField()


class SectionSerializer(serializers.Serializer):
    criterion = CriterionSerializer()
    answer = serializers.CharField(allow_blank=True)
    your_score = ScoreSerializer(allow_null=True)
    moderated = serializers.BooleanField(help_text="The panel has agreed this score: yours can no longer change.")
    everyone = SpreadSerializer(allow_null=True, help_text="Everyone's scores, once you have scored every bid.")


class AttachmentSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    content_hash = serializers.CharField()
    url = serializers.CharField(help_text="Where to download it (audited, the panel only).")


class SubcontractorSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    work = serializers.CharField(allow_blank=True)
    share_percent = serializers.IntegerField(allow_null=True, required=False)


class InquirySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="“question” (to the bidder) or “visit”")

    class Meta:
        model = Inquiry
        fields = ["id", "kind", "asked", "answer", "asked_at", "answered_at"]


class OpenedBidSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    bidder = serializers.CharField()
    consortium = serializers.CharField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    receipt_hash = serializers.CharField()
    sections = SectionSerializer(many=True)
    subcontractors = SubcontractorSerializer(many=True)
    attachments = AttachmentSerializer(many=True)
    inquiries = InquirySerializer(many=True)


class ScoreRequestSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(error_messages=required_messages("Choose the criterion you are scoring"))
    score = serializers.IntegerField(min_value=0, max_value=10, error_messages=SCORE_MESSAGES)
    justification = serializers.CharField(error_messages=required_messages("Write why you gave this score"))


class InquiryRequestSerializer(serializers.Serializer):
    # Checked by the service; a plain string here, as "kind" names other choices elsewhere in the schema.
    kind = serializers.CharField(help_text="“question” (to the bidder) or “visit”",
                                 error_messages=required_messages("Choose a question or a visit"))
    asked = serializers.CharField(error_messages=required_messages("Write the question, or what the visit was for"))
    answer = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="For a visit: what was found")


class ModeratedScoreChangeSerializer(serializers.Serializer):
    before = serializers.DecimalField(max_digits=5, decimal_places=2)
    after = serializers.DecimalField(max_digits=5, decimal_places=2)
    reason = serializers.CharField()
    changed_at = serializers.DateTimeField()


class ModeratedScoreSerializer(serializers.ModelSerializer):
    bid = serializers.UUIDField(source="bid.uuid")
    changes = ModeratedScoreChangeSerializer(many=True)

    class Meta:
        model = ModeratedScore
        fields = ["bid", "criterion", "score", "reason", "moderated_at", "changes"]


class ModeratedScoreRequestSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(error_messages=required_messages("Choose the criterion the panel agreed"))
    score = serializers.DecimalField(max_digits=4, decimal_places=2, min_value=0, max_value=10,
                                     error_messages=MODERATED_SCORE_MESSAGES)
    reason = serializers.CharField(error_messages=required_messages("Write the reasons for the panel's score"))
    change_reason = serializers.CharField(required=False, allow_blank=True, default="",
                                          help_text="Needed when the panel has already agreed a score.")


class QuestionSerializer(serializers.ModelSerializer):
    opportunity = serializers.UUIDField(source="bid.opportunity.uuid")
    opportunity_title = serializers.CharField(source="bid.opportunity.title")
    bidder = serializers.CharField(source="bid.bidder.name")
    lot = serializers.IntegerField(source="bid.lot.number", allow_null=True, default=None,
                                   help_text="The number of the lot the questioned bid is for; null without lots")

    class Meta:
        model = Inquiry
        fields = ["id", "opportunity", "opportunity_title", "bidder", "lot", "asked", "asked_at", "answer",
                  "answered_at"]


class AnswerRequestSerializer(serializers.Serializer):
    answer = serializers.CharField(error_messages=required_messages("Write your answer"))


# The panel, as whoever runs it sees it ----------------------------------------------------------------

PANEL_ROLES = "“chair” (moderates as the agency does, once declared) or “evaluator” (the default)"


class PanelCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class PanelMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="member.pk")
    name = serializers.CharField(source="member.user.full_name")
    email = serializers.EmailField(source="member.user.email")
    # A plain string: a second component with the panel's roles as an enum collides in the schema's enum names.
    role = serializers.ChoiceField(source="member.role", choices=PanelRole.choices, help_text=PANEL_ROLES)
    criteria = PanelCriterionSerializer(many=True, source="member.criteria.all",
                                        help_text="The criteria they score; empty means every one.")
    added_at = serializers.DateTimeField(source="member.added_at")
    declared = serializers.BooleanField()
    declared_at = serializers.DateTimeField(source="member.declared_no_conflict_at", allow_null=True)
    conflicts = serializers.ListField(child=serializers.CharField(),
                                      help_text="What stake Pathways knows they have in a bidder; empty when none.")


def _member_row(member) -> dict:
    return {"member": member, "declared": member.declared_no_conflict_at is not None,
            "conflicts": selectors.conflicts_for(member.user, member.opportunity)}


class PanelMemberAddSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="They must already use Pathways.", error_messages={
        **required_messages("Enter the email address of the person to add"),
        "invalid": "Enter an email address like name@example.org"})
    # Checked by the service, which names it when it is neither (a plain string, as in PanelMemberSerializer).
    role = serializers.ChoiceField(choices=PanelRole.choices, required=False, default=PanelRole.EVALUATOR,
                                   help_text=PANEL_ROLES, error_messages={
                                       "invalid_choice": "Choose whether they chair the panel or evaluate"})
    criteria = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                     help_text="The ids of the criteria they score; leave out for every one.")


class PanelMemberRemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(error_messages=required_messages("Give the reason for removing them from the "
                                                                    "panel"))


class PanelMemberRemovedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")
    removed_at = serializers.DateTimeField()
    reason = serializers.CharField(source="removed_reason")


# The ranking ------------------------------------------------------------------------------------------

class RankedCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="criterion.pk")
    title = serializers.CharField(source="criterion.title")
    weight = serializers.IntegerField(source="criterion.weight")
    is_price = serializers.BooleanField(source="criterion.is_price")
    score = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True,
                                     help_text="The panel's agreed score out of 10; null for price, or not yet agreed")
    points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True,
                                      help_text="Weighted points out of the criterion's weight; null until agreed")
    reason = serializers.CharField(allow_blank=True, help_text="The panel's reasons for its score")


class RankedBidSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    bid = serializers.UUIDField(source="bid.uuid")
    name = serializers.CharField(help_text="The consortium's name when a consortium bid, else the bidder's")
    bidder = serializers.CharField(source="bid.bidder.name")
    consortium = serializers.CharField(source="bid.consortium.name", allow_null=True, default=None)
    total = serializers.DecimalField(max_digits=6, decimal_places=2)
    price = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    complete = serializers.BooleanField(help_text="Every criterion agreed and a price to score")
    criteria = RankedCriterionSerializer(many=True, source="results")


class RankingSerializer(serializers.Serializer):
    lot = serializers.IntegerField(allow_null=True, help_text="The lot ranked; null for an opportunity without lots")
    complete = serializers.BooleanField(help_text="Every bid ranked has an agreed score on every criterion")
    rows = RankedBidSerializer(many=True)


# A member's panels and declaration --------------------------------------------------------------------

@extend_schema(tags=["evaluation"], responses={200: PanelSerializer(many=True)})
class PanelList(APIView):
    """The panels the signed-in person sits on: their role, whether they have declared, and any conflict."""

    permission_classes = [IsAuthenticated]

    def get(self, request):
        rows = [_panel_row(member, request.user) for member in selectors.panels_of(request.user)]
        return Response(PanelSerializer(rows, many=True).data)


class Declaration(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["evaluation"], request=DeclarationSerializer, responses={
        200: PanelSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, opportunity_id):
        """Sign your declaration of no conflict of interest, in your own words and confirmed. Nothing of any
        bid is shown before this."""
        _opportunity, member = permissions.opportunity_get_for_member(user=request.user, opportunity_id=opportunity_id)
        incoming = DeclarationSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if member.declared_no_conflict_at is not None:
            return Response({"detail": ["You have already signed your declaration."]},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            member = services.panel_declaration_sign(member=member, by=request.user,
                                                     declaration=incoming.validated_data.get("declaration", ""),
                                                     confirmed=incoming.validated_data["confirmed"])
        except DomainError as error:
            return refusal(error)
        return Response(PanelSerializer(_panel_row(member, request.user)).data)


# The opened bids, for the panel ---------------------------------------------------------------------

def _member_who_sees_bids(request, opportunity_id):
    """The opportunity and the member: 404 for anyone not on the panel (403 for the buyer's and the agency's
    people), and 403 for a member who has not declared, has a stake, or before the bids are opened."""
    opportunity, member = permissions.opportunity_get_for_member(user=request.user, opportunity_id=opportunity_id)
    if not permissions.member_may_see_bids(member):
        raise PermissionDenied
    if opportunity.deadline is None or timezone.now() < opportunity.deadline:
        raise PermissionDenied  # as the sealing's clock does: nothing before the deadline, whatever the records say
    return opportunity, member


@extend_schema(tags=["evaluation"], responses={200: BidSummarySerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND})
class PanelBidList(APIView):
    """The opened bids you are to score, with how far you have got. Their content is read one bid at a time."""

    permission_classes = [IsAuthenticated]

    def get(self, request, opportunity_id):
        opportunity, member = _member_who_sees_bids(request, opportunity_id)
        criteria = selectors.criteria_for_member(member)
        mine = selectors.member_scores(member)
        rows = [{"bid": bid, "scored": sum((bid.pk, c.pk) in mine for c in criteria), "to_score": len(criteria)}
                for bid in selectors.evaluated_bids(opportunity)]
        return Response(BidSummarySerializer(rows, many=True).data)


@extend_schema(tags=["evaluation"], responses={200: OpenedBidSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
class PanelBidDetail(APIView):
    """One opened bid as the panel sees it: the answers to the criteria given to you, your scores,
    the attachments, and the questions and visits. Each reading is audited."""

    permission_classes = [IsAuthenticated]

    def get(self, request, opportunity_id, bid_id):
        opportunity, member = permissions.opportunity_get_for_member(user=request.user, opportunity_id=opportunity_id)
        bid = permissions.bid_get_for_panel(user=request.user, opportunity=opportunity, bid_id=bid_id)
        try:
            contents = bid_services.opened_bid(bid=bid, by=request.user)
        except sealing.StillSealed:
            raise PermissionDenied from None
        criteria = selectors.criteria_for_member(member)
        mine = selectors.member_scores(member)
        everyone = selectors.independent_scores(opportunity) if selectors.member_has_scored_all(member) else {}
        moderated = set(ModeratedScore.objects.filter(bid=bid).values_list("criterion_id", flat=True))
        sections = [{
            "criterion": criterion, "answer": contents.get("sections", {}).get(str(criterion.pk), ""),
            "your_score": mine.get((bid.pk, criterion.pk)), "moderated": criterion.pk in moderated,
            "everyone": everyone.get((bid.pk, criterion.pk)),
        } for criterion in criteria]
        attachments = [{**item, "url": request.build_absolute_uri(
            reverse("commissioning:bid-attachment", args=[bid.uuid, item["uuid"]]))}
            for item in contents.get("attachments", [])]
        return Response(OpenedBidSerializer({
            "uuid": bid.uuid, "bidder": bid.bidder.name,
            "consortium": bid.consortium.name if bid.consortium_id else None,
            "submitted_at": bid.submitted_at, "receipt_hash": bid.receipt_hash, "sections": sections,
            "subcontractors": contents.get("subcontractors", []), "attachments": attachments,
            "inquiries": bid.inquiries.order_by("asked_at", "pk"),
        }).data)


class ScoreCreate(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["evaluation"], request=ScoreRequestSerializer, responses={
        200: ScoreSerializer, 201: ScoreSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, opportunity_id, bid_id):
        """Your own score, 0 to 10, for one criterion of an opened bid, with why. Sending it again changes
        it (201 the first time, 200 after), until the panel has agreed that score."""
        opportunity, member = permissions.opportunity_get_for_member(user=request.user, opportunity_id=opportunity_id)
        bid = permissions.bid_get_for_panel(user=request.user, opportunity=opportunity, bid_id=bid_id)
        incoming = ScoreRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        existed = bid.scores.filter(evaluator=member, criterion_id=data["criterion"]).exists()
        try:
            score = services.score_record(bid=bid, criterion=_criterion(opportunity, data["criterion"]),
                                          by=request.user, score=data["score"], justification=data["justification"])
        except DomainError as error:
            return refusal(error)
        return Response(ScoreSerializer(score).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


# The panel, for whoever runs it ---------------------------------------------------------------------

PANEL_RUNNER_ONLY = OpenApiResponse(description="You belong to the buyer or the agency but do not run this panel")


class PanelMemberList(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["evaluation"], responses={200: PanelMemberSerializer(many=True), 403: PANEL_RUNNER_ONLY,
                                                   404: NOT_FOUND})
    def get(self, request, opportunity_id):
        """The panel's members: their role, the criteria they score, whether they have signed their declaration,
        and any stake Pathways knows they have in a bidder."""
        opportunity = permissions.opportunity_get_for_panel_runner(user=request.user, opportunity_id=opportunity_id)
        rows = [_member_row(member) for member in selectors.panel_active(opportunity)]
        return Response(PanelMemberSerializer(rows, many=True).data)

    @extend_schema(tags=["evaluation"], request=PanelMemberAddSerializer, responses={
        201: PanelMemberSerializer, 400: REFUSED, 403: PANEL_RUNNER_ONLY, 404: NOT_FOUND})
    def post(self, request, opportunity_id):
        """Add someone who already uses Pathways to the panel, by their email address. Refused, with the reasons,
        when Pathways knows of a stake they have in a bidder. They see no bid before signing their declaration."""
        opportunity = permissions.opportunity_get_for_panel_runner(user=request.user, opportunity_id=opportunity_id)
        incoming = PanelMemberAddSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            member = services.panel_member_add(opportunity=opportunity, by=request.user, email=data["email"],
                                               role=data["role"], criteria=_criteria(opportunity, data["criteria"]))
        except DomainError as error:
            return refusal(error)
        return Response(PanelMemberSerializer(_member_row(member)).data, status=status.HTTP_201_CREATED)


def _criteria(opportunity, ids) -> list:
    """The opportunity's criteria with these ids, refused if one is not among them (the service refuses the
    price, which the panel does not score)."""
    found = list(Criterion.objects.filter(opportunity=opportunity, pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError("Choose criteria of this opportunity that the panel scores", field="criteria")
    return found


class PanelMemberRemove(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["evaluation"], request=PanelMemberRemoveSerializer, responses={
        200: PanelMemberRemovedSerializer, 400: REFUSED, 403: PANEL_RUNNER_ONLY, 404: NOT_FOUND})
    def post(self, request, opportunity_id, member_id):
        """Remove a member from the panel, with the reason (kept in the audit trail). Their scores no longer
        count; they cannot be added again."""
        _opportunity, member = permissions.panel_member_get_for_runner(
            user=request.user, opportunity_id=opportunity_id, member_id=member_id)
        incoming = PanelMemberRemoveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            member = services.panel_member_remove(member=member, by=request.user,
                                                  reason=incoming.validated_data["reason"])
        except DomainError as error:
            return refusal(error)
        return Response(PanelMemberRemovedSerializer(member).data)


# The agency's (or the chair's) part: questions, visits and moderation ---------------------------------

def _bid_for_moderator(request, opportunity_id, bid_id):
    opportunity = permissions.opportunity_get_for_moderator(user=request.user, opportunity_id=opportunity_id)
    bid = permissions.bid_get_for_panel(user=request.user, opportunity=opportunity, bid_id=bid_id, contents=False)
    return opportunity, bid


class InquiryCreate(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["evaluation"], request=InquiryRequestSerializer, responses={
        201: InquirySerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, opportunity_id, bid_id):
        """Ask the bidder a question (their managers answer it) or record a visit and what was found.
        For whoever runs the panel, or its chair."""
        _opportunity, bid = _bid_for_moderator(request, opportunity_id, bid_id)
        incoming = InquiryRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            inquiry = services.inquiry_record(bid=bid, by=request.user, **incoming.validated_data)
        except DomainError as error:
            return refusal(error)
        return Response(InquirySerializer(inquiry).data, status=status.HTTP_201_CREATED)


class ModeratedScoreCreate(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["evaluation"], request=ModeratedScoreRequestSerializer, responses={
        200: ModeratedScoreSerializer, 201: ModeratedScoreSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, opportunity_id, bid_id):
        """The panel's agreed score for one criterion of a bid, with its reasons (the bidder reads them in
        their letter). Changing an agreed score needs ``change_reason``. 201 the first time, 200 after."""
        opportunity, bid = _bid_for_moderator(request, opportunity_id, bid_id)
        incoming = ModeratedScoreRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        existed = ModeratedScore.objects.filter(bid=bid, criterion_id=data["criterion"]).exists()
        try:
            record = services.moderated_score_record(
                bid=bid, criterion=_criterion(opportunity, data["criterion"], is_price=False), by=request.user,
                score=data["score"], reason=data["reason"], change_reason=data["change_reason"])
        except DomainError as error:
            return refusal(error)
        return Response(ModeratedScoreSerializer(record).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


@extend_schema(tags=["evaluation"], parameters=[OpenApiParameter(
    "lot", int, description="The lot's number; needed when the opportunity has lots, each ranked on its own")])
class Ranking(APIView):
    """The bids by total weighted score, highest first: each agreed score ÷ 10 × its weight, plus the price
    points by the price criterion's formula against the lowest price (in the same lot). For whoever moderates
    and may see the bids (signed declaration, no stake), once the bids are opened, as the moderation page
    shows it. Every bid ranked is decrypted to read its price, so each is recorded as read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: RankingSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, opportunity_id):
        opportunity = permissions.opportunity_get_for_moderator(user=request.user, opportunity_id=opportunity_id)
        if opportunity.bids_opened_at is None or not permissions.can_see_bids(request.user, opportunity):
            raise PermissionDenied
        try:
            lot = lot_numbered(opportunity, request.query_params.get("lot"))
            ranked = services.ranking_read(opportunity=opportunity, lot=lot, by=request.user)
        except sealing.StillSealed:
            raise PermissionDenied from None
        except DomainError as error:
            return refusal(error)
        return Response(RankingSerializer({
            "lot": getattr(lot, "number", None), "rows": ranked,
            "complete": selectors.moderation_complete(opportunity, lot),
        }).data)


# The bidder's side ----------------------------------------------------------------------------------

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
            .select_related("bid__opportunity", "bid__bidder", "bid__lot").order_by("-asked_at", "pk")
        )


class QuestionAnswer(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["evaluation"], request=AnswerRequestSerializer, responses={
        200: QuestionSerializer, 400: REFUSED, 404: OpenApiResponse(description="No such question to your bid")})
    def post(self, request, inquiry_id):
        """Answer a question the agency asked about your organisation's bid (its managers only). The
        answer joins the evidence the panel reads."""
        found = Inquiry.objects.select_related("bid__opportunity").filter(pk=inquiry_id).first()
        if found is None:
            raise Http404("No such question")
        opportunity = opportunity_permissions.opportunity_get_for_user(user=request.user,
                                                                       opportunity_id=found.bid.opportunity.uuid)
        inquiry = permissions.inquiry_get_for_bidder(user=request.user, opportunity=opportunity, inquiry_id=found.pk)
        incoming = AnswerRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            inquiry = services.inquiry_answer(inquiry=inquiry, by=request.user,
                                              answer=incoming.validated_data["answer"])
        except DomainError as error:
            return refusal(error)
        return Response(QuestionSerializer(inquiry).data)


urlpatterns = [
    path("evaluations/", PanelList.as_view(), name="api-evaluation-list"),
    path("evaluations/<uuid:opportunity_id>/declaration/", Declaration.as_view(), name="api-evaluation-declaration"),
    path("evaluations/<uuid:opportunity_id>/bids/", PanelBidList.as_view(), name="api-evaluation-bid-list"),
    path("evaluations/<uuid:opportunity_id>/bids/<uuid:bid_id>/", PanelBidDetail.as_view(),
         name="api-evaluation-bid"),
    path("evaluations/<uuid:opportunity_id>/bids/<uuid:bid_id>/scores/", ScoreCreate.as_view(),
         name="api-evaluation-score"),
    path("evaluations/<uuid:opportunity_id>/bids/<uuid:bid_id>/inquiries/", InquiryCreate.as_view(),
         name="api-evaluation-inquiry"),
    path("evaluations/<uuid:opportunity_id>/bids/<uuid:bid_id>/moderated-scores/", ModeratedScoreCreate.as_view(),
         name="api-evaluation-moderated-score"),
    path("evaluations/<uuid:opportunity_id>/panel/", PanelMemberList.as_view(), name="api-evaluation-panel"),
    path("evaluations/<uuid:opportunity_id>/panel/<int:member_id>/remove/", PanelMemberRemove.as_view(),
         name="api-evaluation-panel-remove"),
    path("evaluations/<uuid:opportunity_id>/ranking/", Ranking.as_view(), name="api-evaluation-ranking"),
    path("bid-questions/", MyQuestionList.as_view(), name="api-my-question-list"),
    path("bid-questions/<int:inquiry_id>/answer/", QuestionAnswer.as_view(), name="api-question-answer"),
]
