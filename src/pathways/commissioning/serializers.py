"""How published opportunities read in the API. Read-only: changes go through services."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Criterion, Lot, Opportunity, OpportunityDocument, OpportunityStatus
from .selectors.opportunities import contact_for
from .services.pricing import formula_in_words


class OpportunityOrganisationSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()


class OpportunityPathwaySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class OpportunityAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    code = serializers.CharField()


class OpportunityLotSerializer(serializers.ModelSerializer):
    areas = OpportunityAreaSerializer(many=True)

    class Meta:
        model = Lot
        fields = ["number", "title", "description", "value_maximum", "areas"]


class OpportunityCriterionSerializer(serializers.ModelSerializer):
    price_formula_in_words = serializers.SerializerMethodField()

    class Meta:
        model = Criterion
        fields = ["title", "guidance", "weight", "word_limit", "is_price", "price_formula", "price_formula_in_words"]

    def get_price_formula_in_words(self, criterion) -> str:
        return formula_in_words(formula=criterion.price_formula, weight=criterion.weight) if criterion.is_price else ""


class OpportunityDocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = OpportunityDocument
        fields = ["title", "original_name", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, document) -> str:
        path = reverse("commissioning:opportunity-document", args=[document.opportunity.uuid, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class OpportunityContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    organisation = OpportunityOrganisationSerializer()


class OpportunitySummarySerializer(serializers.ModelSerializer):
    """An opportunity in a list."""

    status = serializers.SerializerMethodField()
    buyer = OpportunityOrganisationSerializer()
    agency = OpportunityOrganisationSerializer(allow_null=True)
    pathways = OpportunityPathwaySerializer(many=True, source="terms")
    areas = OpportunityAreaSerializer(many=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Opportunity
        fields = [
            "uuid", "reference", "title", "summary", "status", "procedure", "buyer", "agency", "pathways", "areas",
            "value_minimum", "value_maximum", "duration_months", "is_short_term", "deadline", "published_at", "url",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=OpportunityStatus.choices))
    def get_status(self, opportunity) -> str:
        return getattr(opportunity, "current", None) or opportunity.current_status()

    def get_url(self, opportunity) -> str:
        path = reverse("commissioning:opportunity", args=[opportunity.uuid])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class OpportunitySerializer(OpportunitySummarySerializer):
    """Everything a bidder needs about one opportunity."""

    lots = OpportunityLotSerializer(many=True)
    criteria = OpportunityCriterionSerializer(many=True)
    documents = OpportunityDocumentSerializer(many=True)
    contact = serializers.SerializerMethodField()

    class Meta(OpportunitySummarySerializer.Meta):
        fields = OpportunitySummarySerializer.Meta.fields + [
            "description", "engagement_closes_at", "clarifications_close_at", "award_expected_on",
            "contract_starts_on", "standstill_working_days", "insurance_required", "turnover_multiple",
            "accreditations_required", "payment_by_results_percent", "cancelled_reason", "lots", "criteria",
            "documents", "contact",
        ]

    @extend_schema_field(OpportunityContactSerializer)
    def get_contact(self, opportunity) -> dict:
        contact = contact_for(opportunity)
        return OpportunityContactSerializer({
            "name": contact.name, "email": contact.email, "phone": contact.phone,
            "organisation": contact.organisation,
        }).data
