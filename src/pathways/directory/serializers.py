"""How the directory reads in its REST API. Changes go through pathways.directory.services.

What is personal stays out of sight: a checker's name and contract references are shown to people who
are signed in (as on the service's page); a change request's reporter (name and email) only to those
who decide it: the provider's managers and curators.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pathways.organisations.models import Organisation, Place, PlaceKind
from pathways.taxonomy.models import Term

from . import permissions
from .models import (
    ChangeRequest,
    CheckMethod,
    Funding,
    Service,
    StatutoryRelationship,
)


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class OrganisationRefSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name"]


class TermRefSerializer(serializers.ModelSerializer):
    vocabulary = serializers.CharField(source="vocabulary.code", read_only=True)

    class Meta:
        model = Term
        fields = ["code", "name", "vocabulary"]


class PlaceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "kind", "name", "code"]


class FreshnessSerializer(serializers.Serializer):
    last_checked_at = serializers.DateTimeField(allow_null=True, help_text="When the record was last checked.")
    last_checked_by = serializers.CharField(
        allow_null=True, help_text="Who checked it: their name for people signed in, null for the public."
    )
    last_check_method = serializers.ChoiceField(
        choices=CheckMethod.choices, allow_blank=True, help_text="How it was checked."
    )
    last_check_method_label = serializers.CharField(help_text="How it was checked, in words.")
    is_stale = serializers.BooleanField(help_text="Not checked in the last 12 months.")


class FundingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    funder = OrganisationRefSerializer(allow_null=True, read_only=True)
    value_band_label = serializers.CharField(source="get_value_band_display", read_only=True)

    class Meta:
        model = Funding
        fields = [
            "id", "kind", "kind_label", "funder", "funder_name", "stream", "starts_on", "ends_on",
            "value_band", "value_band_label",
        ]


class StatutoryRelationshipSerializer(serializers.ModelSerializer):
    statutory_body = OrganisationRefSerializer(read_only=True)
    basis_label = serializers.CharField(source="get_basis_display", read_only=True)
    reference = serializers.SerializerMethodField(
        help_text="The contract or grant reference, for people who are signed in; null for the public."
    )

    class Meta:
        model = StatutoryRelationship
        fields = ["statutory_body", "basis", "basis_label", "reference", "starts_on", "ends_on"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reference(self, relationship):
        return relationship.reference if permissions.can_see_contract_references(_user(self)) else None


class ServiceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    terms = TermRefSerializer(many=True, read_only=True)
    areas = PlaceRefSerializer(many=True, read_only=True)
    freshness = serializers.SerializerMethodField()
    funding = FundingSerializer(many=True, read_only=True)
    statutory_relationships = StatutoryRelationshipSerializer(many=True, read_only=True)
    web_url = serializers.SerializerMethodField(help_text="The service's page.")

    class Meta:
        model = Service
        fields = [
            "id", "name", "organisation", "description", "url", "email", "phone", "status", "publication",
            "terms", "areas", "freshness", "funding", "statutory_relationships", "web_url",
        ]

    @extend_schema_field(FreshnessSerializer)
    def get_freshness(self, service):
        checker = service.last_checked_by
        show_name = checker is not None and permissions.can_see_checker_names(_user(self))
        return {
            "last_checked_at": service.last_checked_at,
            "last_checked_by": (checker.full_name or checker.email) if show_name else None,
            "last_check_method": service.last_check_method,
            "last_check_method_label": service.get_last_check_method_display() if service.last_check_method else "",
            "is_stale": service.is_stale,
        }

    @extend_schema_field(serializers.URLField())
    def get_web_url(self, service):
        path = reverse("directory:service", kwargs={"service_id": service.uuid})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


# Change requests -----------------------------------------------------------------------------------

class ServiceRefSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Service
        fields = ["id", "name"]


class ChangeRequestSerializer(serializers.ModelSerializer):
    """A change request as whoever sent it, or anyone else who is not deciding it, sees it."""

    service = ServiceRefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ChangeRequest
        fields = ["id", "service", "message", "suggested_changes", "status", "status_label", "created_at"]


class ChangeRequestForDeciderSerializer(ChangeRequestSerializer):
    """A change request as the provider's managers and curators see it: with who sent it and the decision."""

    decided_by = serializers.SerializerMethodField()

    class Meta(ChangeRequestSerializer.Meta):
        fields = ChangeRequestSerializer.Meta.fields + [
            "reporter_name", "reporter_email", "decided_at", "decided_by", "decision_reason",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by(self, change_request):
        person = change_request.decided_by
        return (person.full_name or person.email) if person is not None else None


class ChangeRequestCreateSerializer(serializers.Serializer):
    """What anyone sends to report a problem or suggest a change."""

    service = serializers.UUIDField(help_text="The id of a published service.")
    message = serializers.CharField(
        trim_whitespace=False, help_text="The problem, or the change and why, in plain words."
    )
    suggested_changes = serializers.DictField(
        required=False, default=dict,
        help_text="Optional: new values by field name, such as {\"phone\": \"0113 496 0000\"}.",
    )
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    reporter_email = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=254,
        help_text="Optional, for a reply. Never shown to anyone but the provider and the curators.",
    )


class ChangeRequestDecisionSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true to accept (applying any suggested changes), false to reject.")
    reason = serializers.CharField(help_text="Why: the person who asked will see it.", trim_whitespace=False)


# The provision map ---------------------------------------------------------------------------------

class ProvisionQuerySerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=PlaceKind.choices, required=False, default=PlaceKind.PROBATION_REGION,
        help_text="The kind of area to compare.",
    )
    within = serializers.PrimaryKeyRelatedField(
        queryset=Place.objects.all(), required=False, allow_null=True, default=None,
        help_text="Optional: a place id; only areas inside it are compared.",
    )


class FiguresSerializer(serializers.Serializer):
    services = serializers.IntegerField(help_text="Published services that are running or closed for a while.")
    fresh = serializers.IntegerField(help_text="Of those, how many were checked in the last 12 months.")
    stale = serializers.IntegerField(help_text="Of those, how many were not.")
    status = serializers.CharField(
        help_text="One of gap (no services), stale (services, but none checked in 12 months) or covered.",
    )
    is_gap = serializers.BooleanField(help_text="true for gap and stale.")


class ProvisionCellSerializer(FiguresSerializer):
    pathway = serializers.CharField(source="pathway.code", help_text="The pathway's term code.")
    area = serializers.IntegerField(source="area.pk", help_text="The area's place id.")


class PathwayTotalSerializer(FiguresSerializer):
    pathway = serializers.CharField(help_text="The pathway's term code.")


class AreaTotalSerializer(FiguresSerializer):
    area = serializers.IntegerField(help_text="The area's place id.")


class ProvisionMapSerializer(serializers.Serializer):
    level = serializers.CharField()
    level_label = serializers.CharField()
    within = PlaceRefSerializer(allow_null=True)
    generated_at = serializers.DateTimeField()
    areas = PlaceRefSerializer(many=True, help_text="The columns, by name.")
    pathways = TermRefSerializer(many=True, help_text="The rows, in the pathways' order.")
    cells = ProvisionCellSerializer(many=True, help_text="One for each pathway and area.")
    pathway_totals = PathwayTotalSerializer(many=True, help_text="Each pathway across all the areas.")
    area_totals = AreaTotalSerializer(many=True, help_text="Each area across all the pathways.")
    total = FiguresSerializer(help_text="Every pathway in every area, each service counted once.")

    def to_representation(self, provision):
        def figures(f, **extra):
            return {**extra, "services": f.services, "fresh": f.fresh, "stale": f.stale, "status": f.status,
                    "is_gap": f.is_gap}

        return {
            "level": provision.level,
            "level_label": provision.level_label,
            "within": PlaceRefSerializer(provision.within).data if provision.within else None,
            "generated_at": serializers.DateTimeField().to_representation(provision.generated_at),
            "areas": PlaceRefSerializer(provision.areas, many=True).data,
            "pathways": TermRefSerializer([row.pathway for row in provision.rows], many=True).data,
            "cells": [figures(c, pathway=c.pathway.code, area=c.area.pk) for c in provision.cells],
            "pathway_totals": [figures(row.total, pathway=row.pathway.code) for row in provision.rows],
            "area_totals": [figures(t, area=a.pk) for a, t in zip(provision.areas, provision.area_totals)],
            "total": figures(provision.total),
        }

