"""REST endpoints of the bidders portal: help with tendering, as the help pages give it.

- ``help/guides/``, ``help/guides/<slug>/`` and ``help/glossary/``: the guides (each with its text as the page
  renders it, in HTML, and the words it uses) and the glossary, for anyone.
- ``help/full-cost/calculate/``: the full-cost-recovery calculator, for anyone, as on its page: the inputs in,
  the full cost year by year out. Nothing is saved.
- ``organisations/<slug>/bid-readiness/``: the organisation's bid-readiness checklist and what it has ticked.
  Its members read it; its managers set what is ticked (PUT).
- ``organisations/<slug>/full-cost-calculations/`` and ``.../<id>/``: the calculations it saved. Its members
  read them; its managers save one (with a name and, if it is for one, an opportunity still to bid for) and
  remove one.

Anyone outside the organisation gets a 404; its members who are not managers a 403 on every change. A mistake
in what is sent is a 400 naming the field.
"""

from dataclasses import asdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pathways.core.api import refusal
from pathways.core.errors import DomainError

from .. import permissions
from ..guides import GLOSSARY, GUIDES, READINESS_ITEMS, guide_get
from ..models import FullCostCalculation
from ..selectors import help as selectors
from ..services import full_cost, readiness
from ..services.full_cost import DIRECT_COSTS, MONEY_FIELDS, ONE_OFF_COSTS, FullCostInputs, OverheadBasis

TAGS = ["help"]
NO_SUCH_ORGANISATION = OpenApiResponse(description="No such organisation of yours")
NO_SUCH_CALCULATION = OpenApiResponse(description="No such organisation of yours, or no such calculation of it")
NOT_A_MANAGER = OpenApiResponse(description="You are a member of the organisation but not one of its managers")
MISTAKES = OpenApiResponse(description='Something sent is not right; the body names the field: ``{"staff": [...]}``')


# Guides and glossary -----------------------------------------------------------------------------------

class GuideSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()


class GlossaryEntrySerializer(serializers.Serializer):
    term = serializers.CharField()
    slug = serializers.CharField(help_text="The term's anchor on the glossary page")
    meaning = serializers.CharField()
    guide = serializers.CharField(allow_blank=True, help_text="The slug of the guide that explains it, if one does")


class GuideDetailSerializer(GuideSerializer):
    html = serializers.SerializerMethodField(help_text="The guide's text, in HTML, as its page shows it")
    terms = serializers.SerializerMethodField(help_text="The words the guide uses, explained")

    def get_html(self, guide) -> str:
        return render_to_string(guide.template)

    @extend_schema_field(GlossaryEntrySerializer(many=True))
    def get_terms(self, guide):
        return GlossaryEntrySerializer([entry for entry in GLOSSARY if entry.guide == guide.slug], many=True).data


class GuideList(APIView):
    """Every guide to tendering, in the order of the help page."""

    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, responses={200: GuideSerializer(many=True)})
    def get(self, request):
        return Response(GuideSerializer(GUIDES, many=True).data)


class GuideDetail(APIView):
    """One guide: its text and the words it uses."""

    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, responses={200: GuideDetailSerializer, 404: OpenApiResponse(description="No such guide")})
    def get(self, request, slug):
        guide = guide_get(slug)
        if guide is None:
            raise Http404("No such guide")
        return Response(GuideDetailSerializer(guide).data)


class Glossary(APIView):
    """Tendering words in plain English, in alphabetical order."""

    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, responses={200: GlossaryEntrySerializer(many=True)})
    def get(self, request):
        return Response(GlossaryEntrySerializer(GLOSSARY, many=True).data)


# The bid-readiness checklist ---------------------------------------------------------------------------

class ReadinessItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    group = serializers.CharField()
    label = serializers.CharField()
    hint = serializers.CharField()
    guide = serializers.CharField(help_text="The slug of the guide that explains it")
    anchor = serializers.CharField(allow_blank=True, help_text="Where in the guide")
    ticked = serializers.BooleanField(help_text="The organisation has it ready")


class ReadinessSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="The organisation's slug")
    ready = serializers.BooleanField(help_text="Saved with every item ticked")
    ticked = serializers.ListField(child=serializers.CharField(), help_text="The codes of the items ticked")
    items = ReadinessItemSerializer(many=True, help_text="Every item of the checklist, in order")
    updated_at = serializers.DateTimeField(allow_null=True, help_text="When it was last saved; empty if never")


class ReadinessChangeSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.CharField(), allow_empty=True,
                                 help_text="The codes of every item the organisation has ready; the rest are unticked")


def _readiness_body(organisation) -> dict:
    current = selectors.bid_readiness_for(organisation=organisation)
    ticked = {item.code for item in current.have}
    return ReadinessSerializer({
        "organisation": organisation.slug, "ready": current.ready,
        "ticked": [item.code for item in current.have],
        "items": [{**asdict(item), "ticked": item.code in ticked} for item in READINESS_ITEMS],
        "updated_at": current.saved.updated_at if current.saved else None,
    }).data


class BidReadiness(APIView):
    """The organisation's bid-readiness checklist: what buyers usually ask for, and what it has ready."""

    @extend_schema(tags=TAGS, responses={200: ReadinessSerializer, 404: NO_SUCH_ORGANISATION})
    def get(self, request, slug):
        organisation = permissions.organisation_get_for_tendering(user=request.user, slug=slug)
        return Response(_readiness_body(organisation))

    @extend_schema(tags=TAGS, request=ReadinessChangeSerializer, responses={
        200: ReadinessSerializer, 400: MISTAKES, 403: NOT_A_MANAGER, 404: NO_SUCH_ORGANISATION,
    })
    def put(self, request, slug):
        organisation = permissions.organisation_get_for_tendering(user=request.user, slug=slug, change=True)
        incoming = ReadinessChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            readiness.bid_readiness_save(organisation=organisation, items=incoming.validated_data["items"],
                                         by=request.user)
        except DomainError as error:
            return refusal(error)
        return Response(_readiness_body(organisation))


# The full-cost-recovery calculator ---------------------------------------------------------------------

@extend_schema_field({"type": "string"})
class OverheadBasisField(serializers.ChoiceField):
    """How overheads are shared out. Its values are listed in words, not as a schema enum: the directory's API
    has a different ``basis``, and the two enums would clash in name (an ENUM_NAME_OVERRIDES entry would fix it)."""

    def __init__(self, **kwargs):
        super().__init__(choices=OverheadBasis.choices, **kwargs)


def _money(label: str, hint: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=full_cost.AMOUNT_MAX_DIGITS, decimal_places=full_cost.AMOUNT_DECIMAL_PLACES, min_value=0,
        required=False, allow_null=True, help_text=f"In pounds. {hint}", error_messages=full_cost.amount_messages(label),
    )


def _number(help_text: str, *, decimal_places: int = 2) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=decimal_places, min_value=0, required=False,
                                    allow_null=True, help_text=help_text)


class FullCostInputSerializer(serializers.Serializer):
    """The calculator's inputs, as its page has them. Amounts left out count as £0."""

    basis = OverheadBasisField(
        help_text="How this work's share of the overheads is worked out: " + ", ".join(OverheadBasis.values),
        error_messages={"required": "Choose how this work's share of overheads is worked out"},
    )
    work_share = _number("This work's part: full-time-equivalent staff or square metres (for those bases)")
    organisation_total = _number("The whole organisation's total, in the same unit (or its direct spending in pounds)")
    percentage = _number("The percentage of overheads, for a stated percentage, like 15", decimal_places=1)
    term_months = serializers.IntegerField(
        min_value=1, max_value=full_cost.MAX_TERM_MONTHS, help_text="The length of the work, in months",
        error_messages={"required": "Enter the length of the work in months, like 36"},
    )
    yearly_increase_percent = _number("Pay rises and inflation each year after the first, in per cent",
                                      decimal_places=1)

    def get_fields(self):
        fields = super().get_fields()
        money = {name: _money(label, hint) for name, label, hint in DIRECT_COSTS + ONE_OFF_COSTS}
        money["overheads_total"] = _money("The organisation's overheads",
                                          "Its yearly central costs, shared by all its work.")
        return {**money, **fields}

    def inputs(self) -> FullCostInputs:
        """The validated inputs for the service: amounts left out are £0, as on the page."""
        data = self.validated_data
        values = {name: data[name] for name in FullCostInputs.__dataclass_fields__ if data.get(name) is not None}
        for name in [*MONEY_FIELDS, "yearly_increase_percent"]:
            values.setdefault(name, Decimal(0))
        return FullCostInputs(**values)


def _pounds(help_text: str = "") -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=0, help_text=help_text)


class YearCostSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    months = serializers.IntegerField()
    direct = _pounds()
    overheads = _pounds()
    development = _pounds()
    exit = _pounds()
    total = _pounds()


class FullCostResultSerializer(serializers.Serializer):
    direct_yearly = _pounds("The direct costs of a year")
    overhead_percent = serializers.DecimalField(max_digits=4, decimal_places=1,
                                                help_text="This work's share of the overheads, in per cent")
    overheads_yearly = _pounds("This work's share of the overheads in a year")
    basis_explained = serializers.CharField()
    years = YearCostSerializer(many=True, help_text="Year by year, the last one possibly part of a year")
    total = _pounds("The full cost over the whole term")
    yearly_total = _pounds("The full cost of a year, on average")
    term_months = serializers.IntegerField()


class FullCostCalculate(APIView):
    """Work out the full cost of a piece of work. For anyone; nothing is saved."""

    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, request=FullCostInputSerializer, responses={200: FullCostResultSerializer, 400: MISTAKES})
    def post(self, request):
        incoming = FullCostInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            result = full_cost.full_cost_calculate(incoming.inputs())
        except DomainError as error:
            return refusal(error)
        return Response(FullCostResultSerializer(result).data)


# Saved calculations ------------------------------------------------------------------------------------

class CostedOpportunitySerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    reference = serializers.CharField()
    title = serializers.CharField()


class CalculationSerializer(serializers.ModelSerializer):
    opportunity = CostedOpportunitySerializer(allow_null=True)

    class Meta:
        model = FullCostCalculation
        fields = ["id", "title", "opportunity", "term_months", "yearly_total", "total", "created_at"]


class CalculationDetailSerializer(CalculationSerializer):
    inputs = serializers.SerializerMethodField(help_text="What was entered")
    result = serializers.SerializerMethodField(help_text="What it comes to, year by year")

    class Meta(CalculationSerializer.Meta):
        fields = [*CalculationSerializer.Meta.fields, "inputs", "result"]

    @extend_schema_field(FullCostInputSerializer)
    def get_inputs(self, calculation):
        return FullCostInputSerializer(FullCostInputs.from_record(calculation.inputs)).data

    @extend_schema_field(FullCostResultSerializer)
    def get_result(self, calculation):
        inputs = FullCostInputs.from_record(calculation.inputs)
        return FullCostResultSerializer(full_cost.full_cost_calculate(inputs)).data


class CalculationSaveSerializer(FullCostInputSerializer):
    title = serializers.CharField(max_length=200, help_text="A name for the calculation, like “Leeds mentoring bid”",
                                  error_messages={"blank": "Give the calculation a name, like “Leeds mentoring bid”"})
    opportunity = serializers.SlugRelatedField(
        slug_field="uuid", queryset=selectors.opportunities_to_cost(), required=False, allow_null=True,
        help_text="The uuid of the published opportunity, still to bid for, that it is for (optional)",
        error_messages={"does_not_exist": "Choose a published opportunity that is still to be bid for",
                        "invalid": "Choose a published opportunity that is still to be bid for"},
    )


class CalculationList(generics.ListAPIView):
    """The full-cost calculations the organisation saved, newest first; its managers save one."""

    serializer_class = CalculationSerializer
    queryset = FullCostCalculation.objects.none()

    @extend_schema(tags=TAGS, responses={200: CalculationSerializer(many=True), 404: NO_SUCH_ORGANISATION})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        organisation = permissions.organisation_get_for_tendering(user=self.request.user, slug=self.kwargs["slug"])
        return selectors.calculations_for(organisation=organisation)

    @extend_schema(tags=TAGS, request=CalculationSaveSerializer, responses={
        201: CalculationDetailSerializer, 400: MISTAKES, 403: NOT_A_MANAGER, 404: NO_SUCH_ORGANISATION,
    })
    def post(self, request, slug):
        organisation = permissions.organisation_get_for_tendering(user=request.user, slug=slug, change=True)
        incoming = CalculationSaveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            calculation = full_cost.full_cost_save(
                organisation=organisation, by=request.user, inputs=incoming.inputs(),
                title=incoming.validated_data["title"], opportunity=incoming.validated_data.get("opportunity"),
            )
        except DomainError as error:
            return refusal(error)
        return Response(CalculationDetailSerializer(calculation).data, status=status.HTTP_201_CREATED)


class CalculationDetail(APIView):
    """One saved calculation: what was entered and what it comes to. Its organisation's managers remove it."""

    def _calculation(self, request, slug, calculation_id, *, change=False) -> FullCostCalculation:
        organisation = permissions.organisation_get_for_tendering(user=request.user, slug=slug)
        calculation = permissions.calculation_get_for_user(user=request.user, organisation=organisation,
                                                           calculation_id=calculation_id)
        if change and not permissions.can_change_tendering_records(request.user, organisation):
            raise PermissionDenied  # after the 404s, as on the page
        return calculation

    @extend_schema(tags=TAGS, responses={200: CalculationDetailSerializer, 404: NO_SUCH_CALCULATION})
    def get(self, request, slug, calculation_id):
        return Response(CalculationDetailSerializer(self._calculation(request, slug, calculation_id)).data)

    @extend_schema(tags=TAGS, request=None, responses={
        204: OpenApiResponse(description="Removed"), 403: NOT_A_MANAGER, 404: NO_SUCH_CALCULATION,
    })
    def delete(self, request, slug, calculation_id):
        calculation = self._calculation(request, slug, calculation_id, change=True)
        full_cost.full_cost_remove(calculation=calculation, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("help/guides/", GuideList.as_view(), name="api-help-guides"),
    path("help/guides/<slug:slug>/", GuideDetail.as_view(), name="api-help-guide"),
    path("help/glossary/", Glossary.as_view(), name="api-help-glossary"),
    path("help/full-cost/calculate/", FullCostCalculate.as_view(), name="api-full-cost-calculate"),
    path("organisations/<slug:slug>/bid-readiness/", BidReadiness.as_view(), name="api-bid-readiness"),
    path("organisations/<slug:slug>/full-cost-calculations/", CalculationList.as_view(),
         name="api-full-cost-calculations"),
    path("organisations/<slug:slug>/full-cost-calculations/<int:calculation_id>/", CalculationDetail.as_view(),
         name="api-full-cost-calculation"),
]
