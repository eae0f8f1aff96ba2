"""Forms for the shared lists. They collect what was typed; the services decide whether it is allowed."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Fieldset, Layout, Size
from django import forms

from pathways.core.forms import GovukFormMixin
from pathways.organisations.capabilities import Cap
from pathways.organisations.models import OrganisationType, Place, PlaceKind, Role

from .models import Term


class TermForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name", max_length=Term._meta.get_field("name").max_length,
        error_messages={"required": "Enter a name for the term."},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say what the term covers, in plain words, if its name does not make it clear.",
    )
    parent = forms.ModelChoiceField(
        label="Broader term (optional)", required=False, queryset=Term.objects.none(), empty_label="None",
        help_text="Put this term under another term in the same list, if it is a kind of that term.",
    )

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is None:
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = parents


class RetireForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is it being retired?", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, what replaces it. People who see it on old records can read this.",
        error_messages={"required": "Enter why it is being retired."},
    )


class ConfirmForm(GovukFormMixin, forms.Form):
    """No questions: the button is the answer."""


class PlaceForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What kind of place is it?", choices=PlaceKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of place this is."},
    )
    name = forms.CharField(
        label="Name", max_length=Place._meta.get_field("name").max_length,
        error_messages={"required": "Enter the name of the place."},
    )
    code = forms.CharField(
        label="Official code (optional)", required=False, max_length=Place._meta.get_field("code").max_length,
        help_text="The ONS code of a region or local authority, or a prison's three-letter code.",
    )
    parent = forms.TypedChoiceField(
        label="Part of (optional)", required=False, coerce=int, empty_value=None,
        help_text="For example, the probation region a delivery unit belongs to.",
    )

    def __init__(self, *args, parents, fixed_kind=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._parents = {place.pk: place for place in parents}
        groups: dict[str, list] = {}
        for place in parents:
            groups.setdefault(place.get_kind_display(), []).append((place.pk, place.name))
        self.fields["parent"].choices = [("", "None"), *groups.items()]
        if fixed_kind:
            del self.fields["kind"]
        self.fields["code"].widget.attrs["class"] = "govuk-input--width-10"

    def clean_parent(self):
        pk = self.cleaned_data["parent"]
        return None if pk is None else self._parents[pk]


class OrganisationTypeForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name", max_length=OrganisationType._meta.get_field("name").max_length,
        error_messages={"required": "Enter a name for the type of organisation."},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_voluntary_sector = forms.BooleanField(label="Part of the voluntary and community sector", required=False)
    can_commission = forms.BooleanField(
        label="Can commission", required=False, help_text="Publish opportunities and hold contracts as a buyer."
    )
    can_curate = forms.BooleanField(
        label="Can curate", required=False, help_text="Keep the knowledge base and these shared lists."
    )
    can_act_as_agency = forms.BooleanField(
        label="Can act as the bidding agency", required=False, help_text="Run competitions neutrally."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "name",
            "description",
            Fieldset(
                "is_voluntary_sector", "can_commission", "can_curate", "can_act_as_agency",
                legend="What are organisations of this type?", legend_size=Size.SMALL,
            ),
        )


class RoleForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name", max_length=Role._meta.get_field("name").max_length,
        error_messages={"required": "Enter a name for the role."},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What people in this role do.",
    )
    capabilities = forms.MultipleChoiceField(
        label="What does this role allow?", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[Choice(cap.value, cap.label) for cap in Cap],
        help_text="Commissioning, running competitions and curating only take effect in an organisation "
        "whose type allows them.",
    )
