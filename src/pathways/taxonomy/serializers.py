"""The taxonomy and places as the public API shows them."""

from rest_framework import serializers

from pathways.organisations.models import Place, PlaceKind

from .models import Term, Vocabulary


class VocabularySerializer(serializers.ModelSerializer):
    uuid = serializers.UUIDField(read_only=True, help_text="Stable identifier, the same on every installation.")

    class Meta:
        model = Vocabulary
        fields = ["code", "uuid", "name", "description"]


class TermSerializer(serializers.ModelSerializer):
    uuid = serializers.UUIDField(
        read_only=True,
        help_text="Stable identifier (the Open Referral UK taxonomy term id), the same on every installation.",
    )
    vocabulary = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Code of the broader term, if any."
    )
    retired = serializers.BooleanField(source="is_retired", read_only=True)

    class Meta:
        model = Term
        fields = ["code", "uuid", "name", "description", "vocabulary", "parent", "retired", "retired_at"]


class TermQuerySerializer(serializers.Serializer):
    vocabulary = serializers.SlugField(required=False, help_text="Only terms of the vocabulary with this code.")
    include_retired = serializers.BooleanField(
        required=False, default=False, help_text="Include retired terms (left out by default)."
    )
    q = serializers.CharField(required=False, default="", help_text="Words in the term's name or description.")


class PlaceWithParentSerializer(serializers.ModelSerializer):
    """A place and the place it is part of, such as a delivery unit's probation region."""

    kind = serializers.ChoiceField(choices=PlaceKind.choices, read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Id of the place this one is part of.")

    class Meta:
        model = Place
        fields = ["id", "kind", "name", "code", "parent"]


class PlaceQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlaceKind.choices, required=False, help_text="Only places of this kind.")
