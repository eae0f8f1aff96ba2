"""Forms for deciding change requests and for curators' checks."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from pathways.core.forms import GovukFormMixin

from ..services.records import CHANGE_REQUEST_MESSAGE_MAX


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision", widget=forms.RadioSelect,
        choices=[
            Choice("accept", "Accept", hint="Any suggested changes are made to the record as a new version."),
            Choice("reject", "Reject", hint="The record stays as it is."),
        ],
        error_messages={"required": "Choose whether to accept or reject the request"},
    )
    reason = forms.CharField(
        label="Reason", max_length=CHANGE_REQUEST_MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The person who reported it sees this if they left an email address.",
        error_messages={
            "required": "Give a reason for the decision",
            "max_length": f"Give the reason in {CHANGE_REQUEST_MESSAGE_MAX:,} characters or fewer",
        },
    )

    def __init__(self, *args, has_suggestions: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_suggestions:
            self.fields["decision"].choices = [
                Choice("accept", "Accept", hint="The report is right. Change the record yourself if it needs it."),
                Choice("reject", "Reject", hint="The record stays as it is."),
            ]
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("reason", rows=4),
        )

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == "accept"
