"""The search form (sent with GET, so every field is optional) and the forms for saved searches."""

from urllib.parse import urlencode

from django import forms
from django.http import QueryDict

from pathways.core.forms import GovukFormMixin

from ..models import AlertFrequency, SavedSearch
from ..selectors.postcodes import postcode_display, postcode_is_valid, postcode_locate
from ..selectors.search import FACETS, ORDERS

RADIUS_CHOICES = [("", "Any distance"), ("1", "1 mile"), ("3", "3 miles"), ("5", "5 miles"), ("10", "10 miles"),
                  ("25", "25 miles"), ("50", "50 miles")]
DEFAULT_RADIUS = "10"
ORDER_LABELS = {"relevance": "Best match", "distance": "Nearest first", "freshness": "Most recently checked",
                "name": "Name, A to Z"}
FACET_LEGENDS = {
    "pathway": "Pathway", "category": "What it offers", "group": "Who it is for", "area": "Area or prison",
    "route": "How people are referred", "setting": "Custody or community", "cost": "Cost",
}
# The address parameters a search keeps (in a saved search, the print list and page links).
SEARCH_PARAMETERS = ("q", "postcode", "radius", *FACETS, "open_now", "drop_in", "order")


class SearchForm(GovukFormMixin, forms.Form):
    """What to look for. Facet choices are every value a facet can take; the page shows only those
    with services (and those chosen), with their counts."""

    q = forms.CharField(label="Search for a service", required=False, max_length=200)
    postcode = forms.CharField(label="Postcode or district", required=False, max_length=10,
                               help_text="For example, LS6 1AN or LS6")
    radius = forms.ChoiceField(label="Within", required=False, choices=RADIUS_CHOICES)
    open_now = forms.BooleanField(label="Open now", required=False)
    drop_in = forms.BooleanField(label="Has a drop-in", required=False)
    order = forms.ChoiceField(label="Sort by", required=False, choices=[(o, ORDER_LABELS[o]) for o in ORDERS])

    def __init__(self, *args, facet_values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for facet in FACETS:
            self.fields[facet] = forms.MultipleChoiceField(
                label=FACET_LEGENDS[facet], required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(fv.value, fv.label) for fv in facet_values[facet]],
            )
        self.near: tuple[float, float] | None = None

    def clean_postcode(self):
        code = self.cleaned_data.get("postcode", "").strip()
        if not code:
            return ""
        if not postcode_is_valid(code):
            raise forms.ValidationError("Enter a postcode, like LS6 1AN, or the first part of one, like LS6")
        self.near = postcode_locate(code=code)
        if self.near is None:
            raise forms.ValidationError(
                f"We could not find where {postcode_display(code)} is. Check it, or enter only the first part, like LS6"
            )
        return postcode_display(code)

    def clean(self):
        data = super().clean()
        if data.get("order") == "distance" and not data.get("postcode") and "postcode" not in self.errors:
            data["order"] = "relevance"
        return data

    def search(self) -> dict:
        """The valid conditions, ready for ``service_search``. An invalid field is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        radius = data.get("radius") if "radius" in data else None
        near = self.near if data.get("postcode") else None
        order = data.get("order") or ("distance" if near and not data.get("q") else "relevance")
        return {
            "text": data.get("q", ""),
            "facets": {facet: data.get(facet) or [] for facet in FACETS},
            "near": near,
            "radius_miles": float(radius) if near and radius else None,
            "open_now": bool(data.get("open_now")),
            "drop_in": bool(data.get("drop_in")),
            "order": order,
        }

    def is_search(self) -> bool:
        """Whether anything was asked for (an empty form lists every service)."""
        return any(self.data.get(name) for name in SEARCH_PARAMETERS if name not in {"order", "radius"})


def search_query(params: QueryDict) -> str:
    """The search's address parameters alone (no page, no form tokens), as kept in a saved search."""
    pairs = [(name, value) for name in SEARCH_PARAMETERS for value in params.getlist(name) if value]
    return urlencode(pairs)


def search_form_data(params: QueryDict) -> QueryDict:
    """The data a SearchForm reads from the address. A postcode with no radius chosen gets the default."""
    data = params.copy()
    if data.get("postcode") and "radius" not in data:
        data["radius"] = DEFAULT_RADIUS
    return data


class SavedSearchForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["name", "frequency"]
        labels = {"name": "Name this search", "frequency": "Email me when new services match"}
        help_texts = {"name": "For example, Housing in Leeds for women"}
        widgets = {"frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = [
            (AlertFrequency.DAILY, "Every day, if there are new services"),
            (AlertFrequency.WEEKLY, "Every week, if there are new services"),
            (AlertFrequency.NEVER, "Never: just keep the search"),
        ]
        self.fields["name"].error_messages["required"] = "Enter a name for the search"
