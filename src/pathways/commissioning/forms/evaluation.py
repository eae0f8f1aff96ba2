"""Forms of the evaluation: they collect what was typed; the services decide."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from pathways.core.forms import GovukFormMixin

from ..models import Inquiry, PanelRole
from .opportunities import DomainErrorFields


class PanelMemberForm(DomainErrorFields, GovukFormMixin, forms.Form):
    email = forms.EmailField(label="Their email address", help_text="They must already use Pathways.",
                             error_messages={"required": "Enter the email address of the person to add",
                                             "invalid": "Enter an email address like name@example.org"})
    role = forms.ChoiceField(label="Their role", choices=PanelRole.choices, initial=PanelRole.EVALUATOR,
                             widget=forms.RadioSelect, error_messages={"required": "Choose their role"})
    criteria = forms.MultipleChoiceField(
        label="Criteria they score", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for them to score every criterion.")

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._criteria = {str(c.pk): c for c in criteria}
        self.fields["criteria"].choices = [(key, c.title) for key, c in self._criteria.items()]
        self.helper.layout = Layout(Field.text("email"), Field.radios("role"), Field.checkboxes("criteria"))

    def chosen_criteria(self):
        return [self._criteria[key] for key in self.cleaned_data.get("criteria", [])]


class ReasonForm(DomainErrorFields, GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Give the reason"})

    def __init__(self, *args, label="Reason", required_message="Give the reason", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required_message
        self.helper.layout = Layout(Field.textarea("reason", rows=4))


class DeclarationForm(DomainErrorFields, GovukFormMixin, forms.Form):
    declaration = forms.CharField(
        label="Your declaration, in your own words", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say whether you, your family or any organisation you work or volunteer for has any link with "
                  "the bidders: jobs, money, contracts, friendships.",
        error_messages={"required": "Write your declaration in your own words"})
    confirmed = forms.BooleanField(
        label="I confirm I have no conflict of interest with any bidder, and I will tell the agency at once if "
              "one arises", error_messages={"required": "Tick to confirm you have no conflict of interest"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("declaration", rows=5), Field("confirmed"))


class ScoreForm(DomainErrorFields, GovukFormMixin, forms.Form):
    score = forms.IntegerField(label="Score (0 to 10)", min_value=0, max_value=10,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
                               error_messages={"required": "Enter a score from 0 to 10",
                                               "invalid": "Enter a whole number from 0 to 10",
                                               "min_value": "Enter a whole number from 0 to 10",
                                               "max_value": "Enter a whole number from 0 to 10"})
    justification = forms.CharField(label="Why you gave this score", widget=forms.Textarea(attrs={"rows": 4}),
                                    error_messages={"required": "Write why you gave this score"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("score", field_width=2), Field.textarea("justification", rows=4))


class ModerationForm(DomainErrorFields, GovukFormMixin, forms.Form):
    score = forms.DecimalField(label="The panel's score (0 to 10)", min_value=0, max_value=10, decimal_places=2,
                               widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
                               error_messages={"required": "Enter a score from 0 to 10",
                                               "invalid": "Enter a score from 0 to 10, like 7 or 7.5",
                                               "min_value": "Enter a score from 0 to 10",
                                               "max_value": "Enter a score from 0 to 10",
                                               "max_decimal_places": "Enter a score with at most 2 decimal places"})
    reason = forms.CharField(label="The panel's reasons", widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="The bidder will read these in their letter.",
                             error_messages={"required": "Write the reasons for the panel's score"})
    change_reason = forms.CharField(
        label="Why is the agreed score changing?", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the panel has already agreed a score.")

    def __init__(self, *args, changing=False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.text("score", field_width=3), Field.textarea("reason", rows=4)]
        if changing:
            fields.append(Field.textarea("change_reason", rows=3))
        else:
            del self.fields["change_reason"]
        self.helper.layout = Layout(*fields)


class InquiryForm(DomainErrorFields, GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What are you recording?", choices=Inquiry.Kind.choices, widget=forms.RadioSelect,
                             initial=Inquiry.Kind.QUESTION, error_messages={"required": "Choose a question or a visit"})
    asked = forms.CharField(label="The question, or what the visit was for", widget=forms.Textarea(attrs={"rows": 4}),
                            error_messages={"required": "Write the question, or what the visit was for"})
    answer = forms.CharField(label="For a visit: what was found", required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("kind"), Field.textarea("asked", rows=4),
                                    Field.textarea("answer", rows=4))


class AnswerForm(DomainErrorFields, GovukFormMixin, forms.Form):
    answer = forms.CharField(label="Your answer", widget=forms.Textarea(attrs={"rows": 5}),
                             error_messages={"required": "Write your answer"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("answer", rows=5))
