"""The form a curator uses to harvest another Open Referral UK API."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from pathways.core.forms import GovukFormMixin


class HarvestForm(GovukFormMixin, forms.Form):
    base_url = forms.CharField(
        label="Address of the Open Referral UK API",
        help_text="Where its /services list is found, such as https://example.org/api/openreferral/v3",
        max_length=500,
        error_messages={"required": "Enter the address of the Open Referral UK API"},
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("base_url"))
