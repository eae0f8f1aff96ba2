"""Forms of the award: they collect what was typed; the services decide."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from pathways.core.forms import GovukFormMixin

from .opportunities import DomainErrorFields


class RecommendForm(DomainErrorFields, GovukFormMixin, forms.Form):
    bid = forms.ChoiceField(label="Which bid does the panel recommend?", widget=forms.RadioSelect,
                            error_messages={"required": "Choose the bid the panel recommends"})
    recommendation = forms.CharField(
        label="Why, in plain words", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Every bidder reads this in their letter.",
        error_messages={"required": "Write why the panel recommends this bid, in plain words"})

    def __init__(self, *args, ranked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._bids = {str(row.bid.uuid): row.bid for row in ranked}
        self.fields["bid"].choices = [(str(row.bid.uuid), f"{row.name}: {row.total} points") for row in ranked]
        self.helper.layout = Layout(Field.radios("bid"), Field.textarea("recommendation", rows=5))

    def chosen_bid(self):
        return self._bids[self.cleaned_data["bid"]]


class DecisionForm(DomainErrorFields, GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision", widget=forms.RadioSelect,
        choices=[("approve", "Approve the award"), ("send_back", "Send it back to the agency")],
        error_messages={"required": "Choose whether to approve the award or send it back"})
    reason = forms.CharField(label="If you send it back, why", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("decision"), Field.textarea("reason", rows=4))


class LotNotAwardedForm(DomainErrorFields, GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why does this lot end without an award?", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Every bidder for the lot and the public will read this. Do not name bidders, prices or scores.",
        error_messages={"required": "Give the reason this lot ends without an award: bidders and the public will "
                                    "read it"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reason", rows=5))
