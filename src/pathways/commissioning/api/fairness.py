"""REST endpoints of the bidders portal: the fairness figures, as the fairness pages give them.

- ``fairness/``: for anyone, signed in or not. Of the published opportunities in a period (and of one buyer),
  how many organisations were told about them, registered interest, bid and won, with the rates, in all, by
  size, by where they work, and small and local against everyone else. Aggregates only: never an
  organisation's name or anything about a single bid.
- ``fairness/agencies/<slug>/``: the agency's fuller figures, for the opportunities it ran, adding each
  organisation on each opportunity (the rows of the agency's CSV). For its partnership development workers:
  anyone outside the agency gets a 404, its members without that role a 403, as on the page.

The filters are query parameters, checked as the page's form checks them: ``published_from`` and
``published_to`` (dates, like 2026-04-01; the end not before the start) and ``buyer`` (the slug of a buyer
with published opportunities). A mistake is a 400 naming the parameter.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ..permissions import open_data as permissions
from ..selectors import fairness as selectors
from ..selectors.fairness import Fairness, FairnessFilters

TAGS = ["fairness"]
BAD_FILTER = OpenApiResponse(description='A filter is not right; the body names it: ``{"published_from": [...]}``')


def _date_field(name: str) -> serializers.DateField:
    return serializers.DateField(
        required=False, allow_null=True, help_text=f"Only opportunities published {name} this day, like 2026-04-01",
        error_messages={"invalid": f"Enter the date published {name} as a real date, like 2026-04-01"},
    )


class FairnessFilterSerializer(serializers.Serializer):
    """The page's filters, as query parameters."""

    published_from = _date_field("from")
    published_to = _date_field("to")
    buyer = serializers.SlugRelatedField(
        slug_field="slug", queryset=selectors.buyer_choices(), required=False, allow_null=True,
        help_text="The slug of a buyer with published opportunities",
        error_messages={"does_not_exist": "There is no buyer with published opportunities called “{value}”"},
    )

    def validate(self, attrs):
        start, end = attrs.get("published_from"), attrs.get("published_to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"published_to": ["The date published to must be the same as or after the date published from"]}
            )
        return attrs

    def filters(self, **extra) -> FairnessFilters:
        data = self.validated_data
        return FairnessFilters(published_from=data.get("published_from"), published_to=data.get("published_to"),
                               buyer=data.get("buyer"), **extra)


class GroupFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    told = serializers.IntegerField(help_text="Organisations told about an opportunity (each opportunity counts)")
    interested = serializers.IntegerField(help_text="Organisations that registered interest")
    bid = serializers.IntegerField(help_text="Organisations that bid, alone or in a consortium")
    won = serializers.IntegerField(help_text="Organisations that won (a confirmed award)")
    bid_rate = serializers.FloatField(allow_null=True, help_text="Of those told, the share that bid (0 to 1)")
    win_rate = serializers.FloatField(allow_null=True, help_text="Of those told, the share that won (0 to 1)")
    success_rate = serializers.FloatField(allow_null=True, help_text="Of those that bid, the share that won (0 to 1)")


class ChannelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="How many times organisations were told this way")


class FiltersAppliedSerializer(serializers.Serializer):
    published_from = serializers.DateField(allow_null=True)
    published_to = serializers.DateField(allow_null=True)
    buyer = serializers.CharField(source="buyer.slug", allow_null=True)


class FairnessSerializer(serializers.Serializer):
    """The public figures: aggregates only."""

    filters = FiltersAppliedSerializer()
    opportunity_count = serializers.IntegerField(help_text="Published opportunities the figures are about")
    totals = GroupFiguresSerializer(help_text="All organisations")
    by_size = GroupFiguresSerializer(many=True, help_text="By size band (yearly income)")
    by_locality = GroupFiguresSerializer(many=True, help_text="By where they work, against where the work is")
    small_local = GroupFiguresSerializer(help_text="Small and local organisations (income under £100,000)")
    everyone_else = GroupFiguresSerializer(help_text="All other organisations")
    channels = serializers.SerializerMethodField(help_text="How organisations were told")

    @extend_schema_field(ChannelSerializer(many=True))
    def get_channels(self, fairness: Fairness):
        return [{"code": code, "label": label, "count": count} for code, label, count in fairness.channels]


class TakingSerializer(serializers.Serializer):
    """One organisation on one opportunity, and how far it went."""

    organisation = serializers.SerializerMethodField()
    size = serializers.CharField(help_text="Its size band, or ``unknown``")
    locality = serializers.CharField(help_text="``local``, ``outside`` (the region) or ``unknown``")
    told_by = serializers.SerializerMethodField(help_text="The ways it was told, if it was")
    interested = serializers.BooleanField()
    bid = serializers.BooleanField()
    won = serializers.BooleanField()

    @extend_schema_field({"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}})
    def get_organisation(self, taking) -> dict:
        return {"slug": taking.organisation.slug, "name": taking.organisation.name}

    def get_told_by(self, taking) -> list[str]:
        return sorted(taking.channels)


class OpportunityFiguresSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(source="opportunity.uuid")
    reference = serializers.CharField(source="opportunity.reference")
    title = serializers.CharField(source="opportunity.title")
    figures = GroupFiguresSerializer()
    organisations = TakingSerializer(source="takings", many=True)


class AgencyFairnessSerializer(FairnessSerializer):
    """The agency's fuller figures: the same, and each organisation on each opportunity it ran."""

    agency = serializers.SerializerMethodField()
    opportunities = serializers.SerializerMethodField()

    def get_agency(self, fairness: Fairness) -> str:
        return fairness.filters.agency.slug

    @extend_schema_field(OpportunityFiguresSerializer(many=True))
    def get_opportunities(self, fairness: Fairness):
        return OpportunityFiguresSerializer(selectors.opportunity_rows(fairness), many=True).data


def _filters(request, **extra) -> FairnessFilters:
    incoming = FairnessFilterSerializer(data=request.query_params)
    incoming.is_valid(raise_exception=True)
    return incoming.filters(**extra)


class FairnessFigures(APIView):
    """The fairness figures for everyone, as on the public page and its CSV."""

    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, parameters=[FairnessFilterSerializer],
                   responses={200: FairnessSerializer, 400: BAD_FILTER})
    def get(self, request):
        fairness = selectors.fairness_figures(filters=_filters(request))
        return Response(FairnessSerializer(fairness).data)


class AgencyFairnessFigures(APIView):
    """The agency's fuller figures, for its partnership development workers, as on its page and CSV. Anyone
    else, signed in or not, is refused by the same check as the page's (404 outside the agency, 403 in it)."""

    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, parameters=[FairnessFilterSerializer], responses={
        200: AgencyFairnessSerializer, 400: BAD_FILTER,
        403: OpenApiResponse(description="You are in the agency but not one of its partnership development workers"),
        404: OpenApiResponse(description="No such agency of yours"),
    })
    def get(self, request, slug):
        agency = permissions.agency_get_for_fairness(user=request.user, slug=slug)
        fairness = selectors.fairness_figures(filters=_filters(request, agency=agency))
        return Response(AgencyFairnessSerializer(fairness).data)


urlpatterns = [
    path("fairness/", FairnessFigures.as_view(), name="api-fairness"),
    path("fairness/agencies/<slug:slug>/", AgencyFairnessFigures.as_view(), name="api-fairness-agency"),
]
