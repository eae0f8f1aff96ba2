"""How organisations, people and memberships read in the API. Read-only: changes go through services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Membership, Organisation, OrganisationType, Place, Role, SizeBand, User
from .permissions import capabilities_of


class OrganisationTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganisationType
        fields = ["code", "name"]


class RoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ["code", "name"]


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "kind", "name", "code"]


class SizeBandSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=SizeBand.choices)
    label = serializers.CharField()


class OrganisationSummarySerializer(serializers.ModelSerializer):
    type = OrganisationTypeSerializer()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "type"]


class OrganisationSerializer(serializers.ModelSerializer):
    type = OrganisationTypeSerializer()
    size_band = serializers.SerializerMethodField()
    areas = PlaceSerializer(many=True)

    class Meta:
        model = Organisation
        fields = [
            "slug", "name", "type", "description", "charity_number", "company_number", "annual_income",
            "size_band", "areas", "website", "email", "phone", "address", "postcode",
        ]

    @extend_schema_field(SizeBandSerializer(allow_null=True))
    def get_size_band(self, organisation):
        band = organisation.size_band
        return {"code": band.value, "label": band.label} if band else None


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name"]


class MemberSerializer(serializers.ModelSerializer):
    """A current member of an organisation, as the organisation's own members see them."""

    user = UserSerializer()
    role = RoleSerializer()

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "started_at"]


class MyMembershipSerializer(serializers.ModelSerializer):
    """One of the signed-in person's memberships, with what it lets them do there."""

    organisation = OrganisationSummarySerializer()
    role = RoleSerializer()
    capabilities = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "organisation", "role", "started_at", "capabilities"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_capabilities(self, membership):
        return sorted(capabilities_of(membership))


class MeSerializer(serializers.Serializer):
    user = UserSerializer()
    memberships = MyMembershipSerializer(many=True)
    acting_for = OrganisationSummarySerializer(allow_null=True)
