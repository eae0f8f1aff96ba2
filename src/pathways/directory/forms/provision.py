"""Choosing what the provision map shows: the kind of area for its columns, and optionally one area to
look inside. Sent with GET, so the map's address can be shared and bookmarked."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from pathways.core.forms import GovukFormMixin
from pathways.organisations.models import Place, PlaceKind
from pathways.organisations.selectors import PLACE_KIND_PLURALS, areas_by_kind

from ..selectors.provision import DEFAULT_LEVEL, provision_levels, provision_parent_choices


class ProvisionMapForm(GovukFormMixin, forms.Form):
    level = forms.ChoiceField(label="Areas to compare", required=False, choices=(), initial=DEFAULT_LEVEL)
    within = forms.ModelChoiceField(
        label="Inside", required=False, queryset=Place.objects.none(),
        error_messages={"invalid_choice": "Select an area from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (value, PLACE_KIND_PLURALS[PlaceKind(value)]) for value, _label in provision_levels()
        ]
        self.fields["level"].error_messages["invalid_choice"] = "Select a kind of area from the list"
        parents = provision_parent_choices()
        self.fields["within"].queryset = parents
        self.fields["within"].choices = [("", "The whole of Pathways")] + [
            (kind, [(place.pk, place.name) for place in places]) for kind, places in areas_by_kind(places=parents)
        ]
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field.select("level"), Field.select("within"))

    def choice(self) -> tuple[str, Place | None]:
        """The level and area chosen; the defaults for anything missing or not valid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("level") or DEFAULT_LEVEL, data.get("within")

