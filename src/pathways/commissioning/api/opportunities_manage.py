"""REST endpoints of the bidders portal for publishers: an opportunity's commissioners, or the bidding agency
running it for them, create and change it, its lots, criteria and documents, and move it between states.

- ``POST opportunities/`` creates a draft, and ``PATCH opportunities/<uuid>/`` changes its details while they
  may change (the views are in ``opportunities``; what they do is here).
- ``GET opportunities/<uuid>/manage/``: the publisher's overview, drafts included: lots, criteria (with ids),
  documents (with ids), the proportionality warnings, what stops it being published, and the next steps.
- ``POST opportunities/<uuid>/lots/`` adds a lot; ``PUT``, ``PATCH``, ``DELETE .../lots/<number>/`` change or
  remove one. Lots and criteria are fixed once bids are invited.
- ``POST opportunities/<uuid>/criteria/`` adds a criterion; ``PUT``, ``PATCH``, ``DELETE .../criteria/<id>/``.
- ``POST opportunities/<uuid>/documents/`` uploads a document (multipart; judged by its content);
  ``DELETE .../documents/<id>/`` removes one before bids are invited.
- ``POST opportunities/<uuid>/publish/`` (a draft, as forthcoming or open for bids), ``.../open/`` (a
  forthcoming one opens for bids), ``.../cancel/`` (with the reason) and ``.../evaluation/`` (a closed one).

Every endpoint fetches as the publisher's pages do (``permissions.opportunity_get_for_manager``): anyone
outside the buyer and the agency gets a 404, their members who may not publish a 403. Changes go through the
same services as the pages, so a rule they keep cannot be got round here; a refusal is a 400 naming each field
at fault (``detail`` if none).
"""

from dataclasses import asdict

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pathways.core.api import refusal
from pathways.core.errors import DomainError
from pathways.organisations.models import Place
from pathways.taxonomy.models import Term

from .. import permissions
from ..models import Opportunity, OpportunityStatus, PriceFormula, Procedure
from ..selectors.opportunities import buyers_for_agency, pathway_choices
from ..serializers import OpportunityCriterionSerializer, OpportunityDocumentSerializer, OpportunitySerializer
from ..services import documents as document_services
from ..services import opportunities as services
from ..services.proportionality import proportionality_check, warnings_to_acknowledge

# What the services call a field, and what the API calls it.
NAMES = {"terms": "pathways"}

NOT_FOUND = OpenApiResponse(description="No such opportunity of the buyer or the agency you belong to (or no such "
                                        "lot, criterion or document of it)")
NOT_A_PUBLISHER = OpenApiResponse(description="You belong to the buyer or the agency but may not publish for it")
REMOVED = OpenApiResponse(description="Removed; nothing to return")


def _problems(description: str) -> OpenApiResponse:
    return OpenApiResponse(
        response=OpenApiTypes.OBJECT,
        description=f"{description}. The body names each field at fault, or ``detail``: "
                    '``{"deadline": ["The deadline for bids must be after the date clarifications close"]}``.',
    )


def opportunity_with_details(opportunity: Opportunity) -> Opportunity:
    """The opportunity read afresh, with everything its serializers show."""
    return (
        Opportunity.objects.filter(pk=opportunity.pk)
        .select_related("buyer", "agency")
        .prefetch_related("terms", "areas", "lots__areas", "criteria", "documents")
        .get()
    )


# Reading it as its publisher -------------------------------------------------------------------------------

class ManageCriterionSerializer(OpportunityCriterionSerializer):
    class Meta(OpportunityCriterionSerializer.Meta):
        fields = ["id", *OpportunityCriterionSerializer.Meta.fields]


class ManageDocumentSerializer(OpportunityDocumentSerializer):
    class Meta(OpportunityDocumentSerializer.Meta):
        fields = ["id", *OpportunityDocumentSerializer.Meta.fields]


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="What to send in ``acknowledged`` to say it was considered")
    field = serializers.CharField(help_text="The requirement it is about")
    title = serializers.CharField()
    message = serializers.CharField()


class ManageWarningSerializer(WarningSerializer):
    to_acknowledge = serializers.BooleanField(help_text="Not yet acknowledged in these words: it must be, to "
                                                        "publish or open for bids")


class PublishProblemSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class PublishProblemsSerializer(serializers.Serializer):
    forthcoming = PublishProblemSerializer(many=True, help_text="What stops a draft being published as forthcoming")
    open_for_bids = PublishProblemSerializer(many=True, help_text="What stops it being opened for bids")


class NextStepsSerializer(serializers.Serializer):
    editable = serializers.BooleanField(help_text="Its details may change (PATCH)")
    shaping = serializers.BooleanField(help_text="Its lots and criteria may change")
    can_publish = serializers.BooleanField()
    can_open = serializers.BooleanField()
    can_cancel = serializers.BooleanField()
    can_start_evaluation = serializers.BooleanField()
    can_add_documents = serializers.BooleanField()
    can_remove_documents = serializers.BooleanField()


def next_steps(status_now: str) -> dict:
    """What may be done next, as the overview page offers it."""
    return {
        "editable": status_now in services.EDITABLE,
        "shaping": status_now in services.SHAPING,
        "can_publish": status_now == OpportunityStatus.DRAFT,
        "can_open": status_now == OpportunityStatus.FORTHCOMING,
        "can_cancel": status_now in services.BEFORE_AWARD,
        "can_start_evaluation": status_now == OpportunityStatus.CLOSED,
        "can_add_documents": status_now in document_services.CAN_ADD,
        "can_remove_documents": status_now in document_services.CAN_REMOVE,
    }


def _problem_rows(problems) -> list[dict]:
    return [{"field": NAMES.get(field, field), "message": message} for field, message in problems]


class OpportunityManageSerializer(OpportunitySerializer):
    """The opportunity as its publisher sees it, drafts included, with what is left to do."""

    criteria = ManageCriterionSerializer(many=True)
    documents = ManageDocumentSerializer(many=True)
    warnings = serializers.SerializerMethodField(help_text="The proportionality warnings that stand now")
    publish_problems = serializers.SerializerMethodField()
    next_steps = serializers.SerializerMethodField()

    class Meta(OpportunitySerializer.Meta):
        fields = OpportunitySerializer.Meta.fields + [
            "created_at", "open_for_bids_at", "proportionality_reason", "warnings", "publish_problems", "next_steps",
        ]

    def _now(self):
        return self.context.setdefault("now", timezone.now())

    @extend_schema_field(ManageWarningSerializer(many=True))
    def get_warnings(self, opportunity) -> list:
        pending = {w.code for w in warnings_to_acknowledge(opportunity=opportunity, now=self._now())}
        return [{**asdict(w), "to_acknowledge": w.code in pending}
                for w in proportionality_check(opportunity=opportunity, now=self._now())]

    def _problems(self, opportunity, *, open_for_bids: bool, shown: bool) -> list[dict]:
        if not shown:
            return []
        return _problem_rows(services.publish_problems(opportunity=opportunity, open_for_bids=open_for_bids,
                                                       now=self._now()))

    @extend_schema_field(PublishProblemsSerializer)
    def get_publish_problems(self, opportunity) -> dict:
        """As the overview page shows them: for a draft both stages, for a forthcoming one opening for bids."""
        status_now = opportunity.current_status(self._now())
        return {
            "forthcoming": self._problems(opportunity, open_for_bids=False,
                                          shown=status_now == OpportunityStatus.DRAFT),
            "open_for_bids": self._problems(opportunity, open_for_bids=True, shown=status_now in services.SHAPING),
        }

    @extend_schema_field(NextStepsSerializer)
    def get_next_steps(self, opportunity) -> dict:
        return next_steps(opportunity.current_status(self._now()))


def manage_answer(request, opportunity: Opportunity, *, code=status.HTTP_200_OK) -> Response:
    """The opportunity as its publisher sees it, after a change."""
    serializer = OpportunityManageSerializer(opportunity_with_details(opportunity), context={"request": request})
    return Response(serializer.data, status=code)


class ManagerView(APIView):
    """An endpoint on one opportunity, for those who may publish it (404 outside, 403 inside without the right)."""

    def opportunity(self) -> Opportunity:
        return permissions.opportunity_get_for_manager(user=self.request.user,
                                                       opportunity_id=self.kwargs["opportunity_id"])


@extend_schema(tags=["opportunities"])
class OpportunityManage(ManagerView):
    """The publisher's overview of one opportunity, drafts included."""

    @extend_schema(responses={200: OpportunityManageSerializer, 403: NOT_A_PUBLISHER, 404: NOT_FOUND})
    def get(self, request, opportunity_id):
        return manage_answer(request, self.opportunity())


# Creating and changing the details ---------------------------------------------------------------------------

class OpportunityWriteSerializer(serializers.Serializer):
    """An opportunity's details. Pathways by their codes, areas by their ids; the key dates in order."""

    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(help_text="What is being bought, for whom, and why, in plain words")
    description = serializers.CharField(allow_blank=True, default="")
    procedure = serializers.ChoiceField(choices=Procedure.choices, default=Procedure.OPEN)
    pathways = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=pathway_choices(), required=False,
        help_text="Codes of the resettlement pathways the work serves",
    )
    areas = serializers.PrimaryKeyRelatedField(many=True, queryset=Place.objects.none(), required=False,
                                               help_text="Ids of the places where the work is")
    value_minimum = serializers.DecimalField(max_digits=12, decimal_places=0, allow_null=True, default=None)
    value_maximum = serializers.DecimalField(max_digits=12, decimal_places=0, allow_null=True, default=None,
                                             help_text="Whole pounds over the whole term; needed to publish")
    duration_months = serializers.IntegerField(min_value=1, max_value=240)
    contact_name = serializers.CharField(max_length=200, allow_blank=True, default="")
    contact_email = serializers.EmailField(allow_blank=True, default="")
    engagement_closes_at = serializers.DateTimeField(allow_null=True, default=None)
    clarifications_close_at = serializers.DateTimeField(allow_null=True, default=None)
    deadline = serializers.DateTimeField(allow_null=True, default=None)
    award_expected_on = serializers.DateField(allow_null=True, default=None)
    contract_starts_on = serializers.DateField(allow_null=True, default=None)
    standstill_working_days = serializers.IntegerField(min_value=0, max_value=30, default=8)
    insurance_required = serializers.DecimalField(max_digits=12, decimal_places=0, allow_null=True, default=None)
    turnover_multiple = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, default=None)
    accreditations_required = serializers.CharField(allow_blank=True, default="")
    payment_by_results_percent = serializers.IntegerField(min_value=0, max_value=100, default=0)

    def __init__(self, *args, **kwargs):
        """Offer the pathways and places in use, and any the opportunity has already, even if retired since."""
        super().__init__(*args, **kwargs)
        opportunity = self.context.get("opportunity")
        chosen_terms = [term.pk for term in opportunity.terms.all()] if opportunity else []
        chosen_areas = [place.pk for place in opportunity.areas.all()] if opportunity else []
        self.fields["pathways"].child_relation.queryset = Term.objects.filter(
            Q(pk__in=pathway_choices().values("pk")) | Q(pk__in=chosen_terms)
        ).select_related("vocabulary")
        self.fields["areas"].child_relation.queryset = Place.objects.filter(
            Q(retired_at__isnull=True) | Q(pk__in=chosen_areas)
        )

    def service_arguments(self) -> dict:
        """What the services take: ``terms`` and ``areas`` apart from the fields (left out if not given)."""
        data = self.validated_data
        arguments = {"terms": data.get("pathways"), "areas": data.get("areas")}
        fields = {name: value for name, value in data.items() if name in services.OPPORTUNITY_FIELDS}
        return {name: value for name, value in arguments.items() if value is not None} | fields


class OpportunityCreateSerializer(OpportunityWriteSerializer):
    organisation = serializers.SlugField(help_text="The slug of the organisation you publish for: the buyer you "
                                                   "commission for, or the bidding agency you work for")
    buyer = serializers.SlugRelatedField(
        slug_field="slug", queryset=buyers_for_agency(), required=False, allow_null=True,
        help_text="For the bidding agency: the slug of the buyer it runs this competition for",
    )


def _publisher(request):
    """The organisation named by ``organisation``, and whether the person publishes from it as the agency (they
    run competitions there but do not commission), as the create page decides."""
    slug = str(request.data.get("organisation") or "")
    if not slug:
        raise serializers.ValidationError({"organisation": ["Give the slug of the organisation you publish for"]})
    organisation = permissions.organisation_get_for_publisher(user=request.user, slug=slug)
    as_agency = permissions.publishes_as_agency(request.user, organisation)
    return organisation, as_agency


def _buyer(organisation, as_agency: bool, chosen):
    """The agency chooses the buyer; a commissioner's own organisation is the buyer."""
    if as_agency and chosen is None:
        raise serializers.ValidationError({"buyer": ["Select the buyer you are running this for"]})
    if not as_agency and chosen not in (None, organisation):
        raise serializers.ValidationError({"buyer": [f"You commission for {organisation}, so it is the buyer. "
                                                     f"Leave the buyer out"]})
    return chosen if as_agency else organisation


class SignedInToChange:
    """Reading stays as the view says (open to everyone); changing needs someone signed in."""

    def get_permissions(self):
        if self.request.method not in SAFE_METHODS:
            return [IsAuthenticated()]
        return super().get_permissions()


class OpportunityCreateMixin(SignedInToChange):
    """POST on the list of opportunities: a new draft, for the organisation the person publishes for."""

    @extend_schema(request=OpportunityCreateSerializer, responses={
        201: OpportunityManageSerializer, 400: _problems("Not created"),
        403: OpenApiResponse(description="You belong to the organisation but may not publish for it"),
        404: OpenApiResponse(description="No such organisation of yours"),
    })
    def post(self, request):
        organisation, as_agency = _publisher(request)
        incoming = OpportunityCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        buyer = _buyer(organisation, as_agency, incoming.validated_data.get("buyer"))
        try:
            opportunity = services.opportunity_create(
                by=request.user, buyer=buyer, agency=organisation if as_agency else None,
                **incoming.service_arguments(),
            )
        except PermissionDenied:
            return Response({"buyer": ["You cannot publish opportunities for this buyer"]},
                            status=status.HTTP_400_BAD_REQUEST)
        except DomainError as error:
            return refusal(error, names=NAMES)
        return manage_answer(request, opportunity, code=status.HTTP_201_CREATED)


class OpportunityUpdateMixin(SignedInToChange):
    """PATCH on an opportunity: change the details it names, while they may change."""

    @extend_schema(request=OpportunityWriteSerializer, responses={
        200: OpportunityManageSerializer,
        400: _problems("Not changed: a detail is wrong, or it can no longer change (once bids are invited the "
                       "deadline only moves later)"),
        403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def patch(self, request, opportunity_id):
        opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
        incoming = OpportunityWriteSerializer(data=request.data, partial=True, context={"opportunity": opportunity})
        incoming.is_valid(raise_exception=True)
        try:
            services.opportunity_update(opportunity=opportunity, by=request.user, **incoming.service_arguments())
        except DomainError as error:
            return refusal(error, names=NAMES)
        return manage_answer(request, opportunity)


# Lots, criteria and documents ---------------------------------------------------------------------------

class LotWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="")
    value_maximum = serializers.DecimalField(max_digits=12, decimal_places=0, allow_null=True, default=None,
                                             help_text="The most this lot may be worth, in whole pounds")
    areas = serializers.PrimaryKeyRelatedField(many=True, queryset=Place.objects.none(), default=list,
                                               help_text="Ids of the opportunity's areas this lot's work is in")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opportunity = self.context.get("opportunity")  # absent only when the schema is drawn
        if opportunity is not None:
            self.fields["areas"].child_relation.queryset = opportunity.areas.all()


class CriterionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, help_text="What bids are scored on, like “Quality of support”")
    guidance = serializers.CharField(allow_blank=True, default="", help_text="What a good answer shows")
    weight = serializers.IntegerField(help_text="Per cent, 1 to 100; all the weights must add up to 100")
    word_limit = serializers.IntegerField(allow_null=True, default=None, max_value=10000)
    is_price = serializers.BooleanField(default=False, help_text="This criterion scores price (one at most)")
    price_formula = serializers.ChoiceField(choices=PriceFormula.choices, allow_blank=True, default="",
                                            help_text="How price is turned into points; needed for price")


def lot_values(lot) -> dict:
    return {"title": lot.title, "description": lot.description, "value_maximum": lot.value_maximum,
            "areas": list(lot.areas.all())}


def criterion_values(criterion) -> dict:
    return {name: getattr(criterion, name)
            for name in ("title", "guidance", "weight", "word_limit", "is_price", "price_formula")}


def incoming_values(serializer_class, request, *, opportunity, current: dict | None = None) -> dict:
    """What was sent, checked; for a PATCH (``current`` given) on top of what is saved."""
    incoming = serializer_class(data=request.data, partial=current is not None, context={"opportunity": opportunity})
    incoming.is_valid(raise_exception=True)
    return {**(current or {}), **incoming.validated_data}


def _one_of(records, **lookup):
    record = records.filter(**lookup).first()
    if record is None:
        raise Http404("No such record of this opportunity")
    return record


def _changed(request, opportunity, change, *, code=status.HTTP_200_OK, names=None) -> Response:
    """Make ``change`` (a call of a service); the refusal, or the opportunity as it now is."""
    try:
        change()
    except DomainError as error:
        return refusal(error, names=names)
    if code == status.HTTP_204_NO_CONTENT:
        return Response(status=code)
    return manage_answer(request, opportunity, code=code)


SHAPING_REFUSED = _problems("Not changed: a value is wrong, or bids have been invited and lots and criteria are "
                            "fixed")


@extend_schema(tags=["opportunities"])
class LotList(ManagerView):
    """Add a lot: a part of the opportunity bid for, scored and awarded on its own. Numbered 1, 2, 3."""

    @extend_schema(request=LotWriteSerializer, responses={
        201: OpportunityManageSerializer, 400: SHAPING_REFUSED, 403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def post(self, request, opportunity_id):
        opportunity = self.opportunity()
        values = incoming_values(LotWriteSerializer, request, opportunity=opportunity)
        return _changed(request, opportunity, lambda: services.lot_add(opportunity=opportunity, by=request.user,
                                                                       **values), code=status.HTTP_201_CREATED)


@extend_schema(tags=["opportunities"])
class LotDetail(ManagerView):
    """Change a lot (PUT: all of it; PATCH: what is sent), or remove it (the lots after it move up a number)."""

    def lot(self, opportunity):
        return _one_of(opportunity.lots.all(), number=self.kwargs["lot_number"])

    @extend_schema(request=LotWriteSerializer, responses={
        200: OpportunityManageSerializer, 400: SHAPING_REFUSED, 403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def put(self, request, opportunity_id, lot_number):
        return self._save(request, partial=False)

    @extend_schema(request=LotWriteSerializer, responses={
        200: OpportunityManageSerializer, 400: SHAPING_REFUSED, 403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def patch(self, request, opportunity_id, lot_number):
        return self._save(request, partial=True)

    def _save(self, request, *, partial: bool):
        opportunity = self.opportunity()
        lot = self.lot(opportunity)
        values = incoming_values(LotWriteSerializer, request, opportunity=opportunity,
                                 current=lot_values(lot) if partial else None)
        return _changed(request, opportunity, lambda: services.lot_update(lot=lot, by=request.user, **values))

    @extend_schema(request=None, responses={
        204: REMOVED, 400: SHAPING_REFUSED, 403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def delete(self, request, opportunity_id, lot_number):
        opportunity = self.opportunity()
        lot = self.lot(opportunity)
        return _changed(request, opportunity, lambda: services.lot_remove(lot=lot, by=request.user),
                        code=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["opportunities"])
class CriterionList(ManagerView):
    """Add a criterion bids are scored on. The weights may not add up to more than 100."""

    @extend_schema(request=CriterionWriteSerializer, responses={
        201: OpportunityManageSerializer, 400: SHAPING_REFUSED, 403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def post(self, request, opportunity_id):
        opportunity = self.opportunity()
        values = incoming_values(CriterionWriteSerializer, request, opportunity=opportunity)
        return _changed(request, opportunity, lambda: services.criterion_add(opportunity=opportunity,
                                                                             by=request.user, **values),
                        code=status.HTTP_201_CREATED)


@extend_schema(tags=["opportunities"])
class CriterionDetail(ManagerView):
    """Change a criterion (PUT: all of it; PATCH: what is sent), or remove it."""

    def criterion(self, opportunity):
        return _one_of(opportunity.criteria.all(), pk=self.kwargs["criterion_id"])

    @extend_schema(request=CriterionWriteSerializer, responses={
        200: OpportunityManageSerializer, 400: SHAPING_REFUSED, 403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def put(self, request, opportunity_id, criterion_id):
        return self._save(request, partial=False)

    @extend_schema(request=CriterionWriteSerializer, responses={
        200: OpportunityManageSerializer, 400: SHAPING_REFUSED, 403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def patch(self, request, opportunity_id, criterion_id):
        return self._save(request, partial=True)

    def _save(self, request, *, partial: bool):
        opportunity = self.opportunity()
        criterion = self.criterion(opportunity)
        values = incoming_values(CriterionWriteSerializer, request, opportunity=opportunity,
                                 current=criterion_values(criterion) if partial else None)
        return _changed(request, opportunity,
                        lambda: services.criterion_update(criterion=criterion, by=request.user, **values))

    @extend_schema(request=None, responses={
        204: REMOVED, 400: SHAPING_REFUSED, 403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def delete(self, request, opportunity_id, criterion_id):
        opportunity = self.opportunity()
        criterion = self.criterion(opportunity)
        return _changed(request, opportunity, lambda: services.criterion_remove(criterion=criterion, by=request.user),
                        code=status.HTTP_204_NO_CONTENT)


class DocumentUploadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, help_text="Like “Specification” or “Questions to answer”")
    file = serializers.FileField(allow_empty_file=True,
                                 help_text=f"{document_services.ACCEPTED_LABEL[0].upper()}"
                                           f"{document_services.ACCEPTED_LABEL[1:]}, smaller than "
                                           f"{document_services.MAX_DOCUMENT_LABEL}. Judged by its content")


@extend_schema(tags=["opportunities"])
class DocumentList(ManagerView):
    """Add a document, until the deadline for bids (an addendum once bids are open)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer}, responses={
        201: OpportunityManageSerializer,
        400: _problems("Not added: no title, the file is not a document Pathways accepts, or the deadline has passed"),
        403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def post(self, request, opportunity_id):
        opportunity = self.opportunity()
        values = incoming_values(DocumentUploadSerializer, request, opportunity=opportunity)
        return _changed(request, opportunity, lambda: document_services.document_add(
            opportunity=opportunity, by=request.user, title=values["title"], upload=values["file"],
        ), code=status.HTTP_201_CREATED)


@extend_schema(tags=["opportunities"])
class DocumentDetail(ManagerView):
    """Remove a document, before bids are invited (bidders rely on them after)."""

    @extend_schema(request=None, responses={
        204: REMOVED, 400: _problems("Bids have been invited: add a new version instead"),
        403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def delete(self, request, opportunity_id, document_id):
        opportunity = self.opportunity()
        document = _one_of(opportunity.documents.all(), pk=document_id)
        return _changed(request, opportunity,
                        lambda: document_services.document_remove(document=document, by=request.user),
                        code=status.HTTP_204_NO_CONTENT)


# Moving between states ---------------------------------------------------------------------------------

class AcknowledgeSerializer(serializers.Serializer):
    acknowledged = serializers.ListField(
        child=serializers.CharField(), default=list,
        help_text="The codes of the proportionality warnings you have considered and go ahead with (see "
                  "``warnings`` in the overview); each warning that stands must be here",
    )
    reason = serializers.CharField(allow_blank=True, default="", help_text="Why the requirements are needed; "
                                                                            "recorded with your acknowledgement")


class PublishSerializer(AcknowledgeSerializer):
    open_for_bids = serializers.BooleanField(default=False, help_text="Open for bids now; otherwise published as "
                                                                      "forthcoming, to be opened later")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Bidders and the public will read it")


STAGE_REFUSED = _problems(
    "Not moved: each publish problem under its field, ``acknowledged`` if a warning was not ticked, and "
    "``warnings``: the proportionality warnings not acknowledged, as in the overview (``code``, ``field``, "
    "``title``, ``message``)"
)


def _stage_move(request, opportunity, move, *, acknowledged=()) -> Response:
    """Make a move between states; a refusal also lists the warnings that were not acknowledged."""
    response = _changed(request, opportunity, move, names=NAMES)
    if response.status_code == status.HTTP_400_BAD_REQUEST:
        missing = [w for w in warnings_to_acknowledge(opportunity=opportunity) if w.code not in set(acknowledged)]
        if missing:
            response.data["warnings"] = WarningSerializer(missing, many=True).data
    return response


@extend_schema(tags=["opportunities"])
class OpportunityPublish(ManagerView):
    """Publish a draft: as forthcoming (organisations prepare, find partners and take part in market
    engagement) or open for bids now. Every proportionality warning that stands must be acknowledged."""

    @extend_schema(request=PublishSerializer, responses={
        200: OpportunityManageSerializer, 400: STAGE_REFUSED, 403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def post(self, request, opportunity_id):
        opportunity = self.opportunity()
        data = incoming_values(PublishSerializer, request, opportunity=opportunity)
        return _stage_move(request, opportunity, lambda: services.opportunity_publish(
            opportunity=opportunity, by=request.user, open_for_bids=data["open_for_bids"],
            acknowledged=data["acknowledged"], reason=data["reason"],
        ), acknowledged=data["acknowledged"])


@extend_schema(tags=["opportunities"])
class OpportunityOpen(ManagerView):
    """Open a forthcoming opportunity for bids. Every proportionality warning that stands must be acknowledged."""

    @extend_schema(request=AcknowledgeSerializer, responses={
        200: OpportunityManageSerializer, 400: STAGE_REFUSED, 403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def post(self, request, opportunity_id):
        opportunity = self.opportunity()
        data = incoming_values(AcknowledgeSerializer, request, opportunity=opportunity)
        return _stage_move(request, opportunity, lambda: services.opportunity_open(
            opportunity=opportunity, by=request.user, acknowledged=data["acknowledged"], reason=data["reason"],
        ), acknowledged=data["acknowledged"])


@extend_schema(tags=["opportunities"])
class OpportunityCancel(ManagerView):
    """Cancel it, at any point before award, saying why."""

    @extend_schema(request=CancelSerializer, responses={
        200: OpportunityManageSerializer, 400: _problems("No reason, or it can no longer be cancelled"),
        403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def post(self, request, opportunity_id):
        opportunity = self.opportunity()
        data = incoming_values(CancelSerializer, request, opportunity=opportunity)
        return _changed(request, opportunity, lambda: services.opportunity_cancel(
            opportunity=opportunity, by=request.user, reason=data["reason"],
        ))


@extend_schema(tags=["opportunities"])
class OpportunityEvaluation(ManagerView):
    """Start evaluating the bids, once the deadline has passed."""

    @extend_schema(request=None, responses={
        200: OpportunityManageSerializer, 400: _problems("It has not closed"), 403: NOT_A_PUBLISHER, 404: NOT_FOUND,
    })
    def post(self, request, opportunity_id):
        opportunity = self.opportunity()
        return _changed(request, opportunity, lambda: services.opportunity_evaluation_start(
            opportunity=opportunity, by=request.user,
        ))


OPPORTUNITY = "opportunities/<uuid:opportunity_id>/"

urlpatterns = [
    path(f"{OPPORTUNITY}manage/", OpportunityManage.as_view(), name="api-opportunity-manage"),
    path(f"{OPPORTUNITY}lots/", LotList.as_view(), name="api-opportunity-lots"),
    path(f"{OPPORTUNITY}lots/<int:lot_number>/", LotDetail.as_view(), name="api-opportunity-lot"),
    path(f"{OPPORTUNITY}criteria/", CriterionList.as_view(), name="api-opportunity-criteria"),
    path(f"{OPPORTUNITY}criteria/<int:criterion_id>/", CriterionDetail.as_view(), name="api-opportunity-criterion"),
    path(f"{OPPORTUNITY}documents/", DocumentList.as_view(), name="api-opportunity-documents"),
    path(f"{OPPORTUNITY}documents/<int:document_id>/", DocumentDetail.as_view(), name="api-opportunity-document"),
    path(f"{OPPORTUNITY}publish/", OpportunityPublish.as_view(), name="api-opportunity-publish"),
    path(f"{OPPORTUNITY}open/", OpportunityOpen.as_view(), name="api-opportunity-open"),
    path(f"{OPPORTUNITY}cancel/", OpportunityCancel.as_view(), name="api-opportunity-cancel"),
    path(f"{OPPORTUNITY}evaluation/", OpportunityEvaluation.as_view(), name="api-opportunity-evaluation"),
]
