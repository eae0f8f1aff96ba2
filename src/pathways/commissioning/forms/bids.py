"""Forms for clarifications and bids. They collect what was typed; the services decide."""

from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms

from pathways.core.forms import GovukFormMixin

from ..services.bids import ATTACHMENT_ACCEPT, ATTACHMENT_TYPES_LABEL, MAX_ATTACHMENT_LABEL

NUMBER = {"inputmode": "numeric", "spellcheck": "false"}
SUBCONTRACTOR_ROWS_EXTRA = 2


class ProblemsMixin:
    """Put each of a service's problems on the field it names (or at the top of the form)."""

    def add_domain_error(self, error):
        problems = getattr(error, "problems", None) or [(error.field, error.message)]
        for field, message in problems:
            self.add_error(field if field in self.fields else None, message)


# Clarifications ------------------------------------------------------------------------------------------

class QuestionForm(ProblemsMixin, GovukFormMixin, forms.Form):
    organisation = forms.ChoiceField(label="Which organisation are you asking for?", required=True,
                                     error_messages={"required": "Choose the organisation you are asking for"})
    question = forms.CharField(
        label="Your question", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Only the people answering see it as you wrote it, and not who asked. The answer is "
                  "published to every bidder, worded so that it does not identify you.",
        error_messages={"required": "Enter your question"},
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        organisations = list(organisations)
        if len(organisations) <= 1:
            del self.fields["organisation"]
            self.helper.layout = Layout(Field.textarea("question", rows=6))
        else:
            self.fields["organisation"].choices = [("", "Choose")] + [(o.slug, o.name) for o in organisations]
            self.helper.layout = Layout(Field.select("organisation"), Field.textarea("question", rows=6))


class AnswerForm(ProblemsMixin, GovukFormMixin, forms.Form):
    published_question = forms.CharField(
        label="The question as it will be published", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Take out anything that would identify who asked: names, places only they work in, their "
                  "own services.",
        error_messages={"required": "Enter the question as it will be published"},
    )
    answer = forms.CharField(label="Your answer", widget=forms.Textarea(attrs={"rows": 8}),
                             error_messages={"required": "Enter the answer"})


# Bids ----------------------------------------------------------------------------------------------------

class DraftForm(ProblemsMixin, GovukFormMixin, forms.Form):
    """A section per non-price criterion, the price, the consortium and the subcontractors."""

    def __init__(self, *args, criteria=(), price_criterion=None, consortia=(), draft=None, consortium_id=None,
                 **kwargs):
        draft = draft or {}
        initial = {}
        super().__init__(*args, **kwargs)
        layout = []
        self.section_fields = []
        for criterion in criteria:
            name = f"section_{criterion.pk}"
            limit = f" Up to {criterion.word_limit:,} words." if criterion.word_limit else ""
            self.fields[name] = forms.CharField(
                label=criterion.title, required=False, widget=forms.Textarea(attrs={"rows": 10}),
                help_text=f"{criterion.guidance} Weight {criterion.weight}%.{limit}".strip(),
            )
            initial[name] = draft.get("sections", {}).get(str(criterion.pk), "")
            self.section_fields.append((name, criterion))
            layout.append(Field.textarea(name, label_size=Size.MEDIUM,
                                         max_words=criterion.word_limit) if criterion.word_limit
                          else Field.textarea(name, label_size=Size.MEDIUM))
        if price_criterion is not None:
            self.fields["price"] = forms.CharField(
                label="Your price, in pounds", required=False, widget=forms.TextInput(attrs=NUMBER),
                help_text=f"The whole price over the contract, as a whole number of pounds. "
                          f"Scored on “{price_criterion.title}” ({price_criterion.weight}%): "
                          f"{price_criterion.get_price_formula_display()}.",
            )
            initial["price"] = draft.get("price") or ""
            layout.append(Field.text("price", field_width=10, label_size=Size.MEDIUM))
        if consortia:
            self.fields["consortium"] = forms.ChoiceField(
                label="Bidding as a consortium?", required=False,
                choices=[("", "No, my organisation bids alone")] + [(str(c.pk), c.name) for c in consortia],
                widget=forms.RadioSelect,
            )
            initial["consortium"] = str(consortium_id or "")
            layout.append(Field.radios("consortium", legend_size=Size.MEDIUM))
        rows = list(draft.get("subcontractors") or [])
        self.subcontractor_rows = len(rows) + SUBCONTRACTOR_ROWS_EXTRA
        sub_layout = []
        for index in range(self.subcontractor_rows):
            row = rows[index] if index < len(rows) else {}
            number = index + 1
            self.fields[f"subcontractor_{index}_organisation"] = forms.CharField(
                label=f"Subcontractor {number}: organisation", required=False, max_length=200)
            self.fields[f"subcontractor_{index}_work"] = forms.CharField(
                label=f"Subcontractor {number}: what they will do", required=False, max_length=1000)
            self.fields[f"subcontractor_{index}_share_percent"] = forms.CharField(
                label=f"Subcontractor {number}: share of the work, in per cent", required=False,
                widget=forms.TextInput(attrs=NUMBER))
            initial[f"subcontractor_{index}_organisation"] = row.get("organisation", "")
            initial[f"subcontractor_{index}_work"] = row.get("work", "")
            initial[f"subcontractor_{index}_share_percent"] = row.get("share_percent", "")
            sub_layout += [Field.text(f"subcontractor_{index}_organisation"),
                           Field.text(f"subcontractor_{index}_work"),
                           Field.text(f"subcontractor_{index}_share_percent", field_width=3)]
        layout.append(Fieldset(
            HTML('<p class="govuk-body">Name every organisation that will do part of the work for you. '
                 'Leave these empty if there are none. Save to get more rows.</p>'),
            *sub_layout, legend="Subcontractors", legend_size=Size.MEDIUM,
        ))
        self.initial.update(initial)
        self.helper.layout = Layout(*layout)

    def sections(self) -> dict:
        return {str(criterion.pk): self.cleaned_data.get(name, "") for name, criterion in self.section_fields}

    def subcontractors(self) -> list[dict]:
        return [
            {
                "organisation": self.cleaned_data.get(f"subcontractor_{index}_organisation", ""),
                "work": self.cleaned_data.get(f"subcontractor_{index}_work", ""),
                "share_percent": self.cleaned_data.get(f"subcontractor_{index}_share_percent", ""),
            }
            for index in range(self.subcontractor_rows)
        ]


class CalculationForm(ProblemsMixin, GovukFormMixin, forms.Form):
    calculation = forms.ChoiceField(label="Use a saved full-cost calculation", required=True,
                                    error_messages={"required": "Choose a calculation"})

    def __init__(self, *args, calculations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calculation"].choices = [("", "Choose")] + [
            (str(c.pk), f"{c.title}: £{int(c.total):,} over {c.term_months} months") for c in calculations
        ]


class AttachmentForm(ProblemsMixin, GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Add an attachment", widget=forms.ClearableFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
        help_text=f"It must be {ATTACHMENT_TYPES_LABEL}, smaller than {MAX_ATTACHMENT_LABEL}.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )


class ConfirmForm(GovukFormMixin, forms.Form):
    """A button only."""
