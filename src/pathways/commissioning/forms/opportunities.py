"""Forms for finding opportunities and for publishing them. They collect what was typed; services decide."""

from datetime import datetime, time

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.utils import timezone

from pathways.core.forms import GovukFormMixin
from pathways.organisations.audit_forms import DayField
from pathways.organisations.models import PlaceKind
from pathways.organisations.selectors import PLACE_KIND_PLURALS, areas_by_kind, places_for_choice

from ..models import SHORT_TERM_MONTHS, Opportunity, PriceFormula, Procedure
from ..selectors.opportunities import (
    PUBLIC_FILTER_STATUSES,
    VALUE_BANDS,
    OpportunityFilters,
    buyers_for_agency,
    pathway_choices,
    public_area_choices,
)
from ..services.documents import ACCEPT_ATTRIBUTE, ACCEPTED_LABEL, MAX_DOCUMENT_LABEL
from ..services.pricing import formula_example, formula_in_words

NUMBER = {"inputmode": "numeric", "spellcheck": "false"}
EMAIL_INPUT = {"input_type": "email", "spellcheck": "false"}


def _heading(text: str, hint: str = "") -> HTML:
    hint_html = f'<p class="govuk-body">{hint}</p>' if hint else ""
    return HTML(f'<h2 class="govuk-heading-m">{text}</h2>{hint_html}')


def _pounds_field(label: str, *, required=False, help_text="") -> forms.DecimalField:
    name = label[0].lower() + label[1:]
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_digits=12, decimal_places=0, help_text=help_text,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={
            "required": f"Enter {name}",
            "invalid": f"Enter {name} as a whole number of pounds, like 250000",
            "max_decimal_places": f"Enter {name} as a whole number of pounds, like 250000",
            "max_digits": f"Enter {name} of less than £1,000,000,000,000",
            "max_whole_digits": f"Enter {name} of less than £1,000,000,000,000",
            "min_value": f"Enter {name} of £0 or more",
        },
    )


class DomainErrorFields:
    """Put a service's refusal on the form field that asks the question, when the names differ."""

    field_for_domain_field: dict[str, str] = {}

    def field_for(self, name: str | None) -> str | None:
        name = self.field_for_domain_field.get(name, name)
        return name if name in self.fields else None

    def add_domain_error(self, error):
        problems = getattr(error, "problems", None) or [(error.field, error.message)]
        for field, message in problems:
            self.add_error(self.field_for(field), message)


# Finding opportunities ------------------------------------------------------------------------------------

class OpportunityFilterForm(GovukFormMixin, forms.Form):
    """The public list's search and filters. Sent with GET, so every field is optional."""

    q = forms.CharField(label="Words or reference", required=False, max_length=200)
    status = forms.MultipleChoiceField(
        label="Status", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(status.value, status.label) for status in PUBLIC_FILTER_STATUSES],
    )
    closing_soon = forms.BooleanField(label="Closing in the next 14 days", required=False)
    pathway = forms.ChoiceField(label="Pathway", required=False)
    area = forms.TypedChoiceField(label="Area", required=False, coerce=int, empty_value=None)
    procedure = forms.ChoiceField(
        label="How it is bought", required=False, choices=[("", "Any way"), *Procedure.choices]
    )
    value = forms.ChoiceField(
        label="Value", required=False, choices=[("", "Any value"), *[(code, label) for code, label, _, _ in VALUE_BANDS]]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pathways = {term.code: term for term in pathway_choices()}
        self.fields["pathway"].choices = [("", "Any pathway"), *[(code, t.name) for code, t in self.pathways.items()]]
        places = list(public_area_choices())
        self.places = {place.pk: place for place in places}
        self.fields["area"].choices = [("", "Anywhere")] + [
            (kind, [(place.pk, place.name) for place in group])
            for kind, group in areas_by_kind(places=places)
        ]
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.text("q"),
            Field.checkboxes("status", legend_size=Size.SMALL, small=True),
            Field.checkbox("closing_soon", small=True),
            Field.select("pathway"),
            Field.select("area"),
            Field.select("procedure"),
            Field.select("value"),
        )

    def filters(self) -> OpportunityFilters:
        """The valid filters; an invalid one is ignored (a bookmarked link with an old value still works)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return OpportunityFilters(
            query=data.get("q") or "",
            statuses=data.get("status") or [],
            pathway=self.pathways.get(data.get("pathway") or ""),
            area=self.places.get(data.get("area")),
            procedure=data.get("procedure") or "",
            value_band=data.get("value") or "",
            closing_soon=bool(data.get("closing_soon")),
        )


# An opportunity's details ---------------------------------------------------------------------------------

class TimeTextInput(forms.TextInput):
    """Shows a time as 14:30. crispy-forms-gds styles errors by the widget's class name, so this one
    answers to TextInput's."""

    def format_value(self, value):
        if isinstance(value, time):
            return value.strftime("%H:%M")
        return super().format_value(value)


TimeTextInput.__name__ = "TextInput"

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M", "%I:%M%p", "%I%p", "%I.%M%p", "%I:%M %p", "%I %p"]


def add_area_fields(form, chosen_areas: list) -> None:
    """One set of area checkboxes per kind of place (``areas_<kind>``, listed in ``form.area_fields``), with
    ``chosen_areas`` ticked; a refusal about ``areas`` shows on the first of them."""
    form.area_fields = []
    for kind in PlaceKind:
        places = places_for_choice(kind=kind, chosen=chosen_areas)
        if not places.exists():
            continue
        name = f"areas_{kind.value}"
        form.fields[name] = forms.ModelMultipleChoiceField(
            label=PLACE_KIND_PLURALS[kind], queryset=places, required=False, widget=forms.CheckboxSelectMultiple,
            initial=[place.pk for place in chosen_areas if place.kind == kind],
        )
        form.area_fields.append(name)
    if form.area_fields:
        form.field_for_domain_field = {**form.field_for_domain_field, "areas": form.area_fields[0]}


def _time_field(name: str, label: str) -> forms.TimeField:
    return forms.TimeField(
        label=f"{label}: time (optional)", required=False, input_formats=TIME_FORMATS,
        widget=TimeTextInput(attrs={"spellcheck": "false"}),
        help_text="Use the 24-hour clock, like 17:00. If you leave it empty, it is 12:00 (midday).",
        error_messages={"invalid": f"Enter the time {name} like 09:30 or 17:00"},
    )


# Key dates with a time: (form prefix, label)
MOMENTS = [
    ("engagement_closes_at", "Market engagement closes"),
    ("clarifications_close_at", "Questions (clarifications) close"),
    ("deadline", "Deadline for bids"),
]
DAYS = [("award_expected_on", "Award expected"), ("contract_starts_on", "Contract starts")]


class OpportunityForm(DomainErrorFields, GovukFormMixin, forms.Form):
    """An opportunity's details. The agency also chooses the buyer; a commissioner's own organisation buys."""

    field_for_domain_field = {
        **{name: f"{name}_date" for name, _ in MOMENTS},
        "buyer": "buyer",
    }

    buyer = forms.ModelChoiceField(
        label="Buyer", queryset=None, help_text="The organisation you are running this competition for.",
        error_messages={"required": "Select the buyer you are running this for"},
    )
    title = forms.CharField(
        label="Title", max_length=200, help_text="Say what the work is, like “Housing advice for women leaving HMP New Hall”.",
        error_messages={"required": "Enter a title", "max_length": "The title must be 200 characters or fewer"},
    )
    summary = forms.CharField(
        label="Summary in plain words", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What is being bought, for whom, and why, for someone who has never bid before. Short "
                  "sentences; explain any tendering words.",
        error_messages={"required": "Write a summary of what is being bought and why"},
    )
    description = forms.CharField(
        label="Full description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 8}),
    )
    procedure = forms.ChoiceField(
        label="How will it be bought?", widget=forms.RadioSelect,
        choices=[
            Choice(Procedure.OPEN.value, Procedure.OPEN.label, hint="Any organisation can bid."),
            Choice(Procedure.MINI_COMPETITION.value, Procedure.MINI_COMPETITION.label,
                   hint="Organisations on the approved list for these pathways and areas are invited."),
            Choice(Procedure.GRANT_ROUND.value, Procedure.GRANT_ROUND.label,
                   hint="Funding for work that organisations propose."),
        ],
        error_messages={"required": "Select how it will be bought"},
    )
    terms = forms.MultipleChoiceField(
        label="Resettlement pathways", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Organisations that work on these pathways are told about it.",
    )
    value_minimum = _pounds_field("Least it may be worth, in pounds (optional)")
    value_maximum = _pounds_field(
        "Most it may be worth, in pounds", help_text="For the whole term, like 450000. An estimate is fine while it is forthcoming."
    )
    duration_months = forms.IntegerField(
        label="Length of the contract, in months", min_value=1, max_value=240, widget=forms.TextInput(attrs=NUMBER),
        help_text=f"Under {SHORT_TERM_MONTHS} months is shown to bidders as short-term.",
        error_messages={
            "required": "Enter the length of the contract in months, like 36",
            "invalid": "Enter the length of the contract as a whole number of months, like 36",
            "min_value": "The length of the contract must be at least 1 month",
            "max_value": "The length of the contract must be 240 months or fewer",
        },
    )
    contact_name = forms.CharField(label="Contact name (optional)", required=False, max_length=200)
    contact_email = forms.EmailField(
        label="Contact email (optional)", required=False, widget=forms.TextInput(attrs=EMAIL_INPUT),
        help_text="Where bidders write with questions. If you leave it empty, the organisation's email is shown.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    award_expected_on = DayField(label="Award expected", help_text="For example, 27 3 2027")
    contract_starts_on = DayField(label="Contract starts", help_text="For example, 1 5 2027")
    standstill_working_days = forms.IntegerField(
        label="Standstill period, in working days", min_value=0, max_value=30, widget=forms.TextInput(attrs=NUMBER),
        help_text="The pause between telling bidders the decision and signing the contract. Usually 8.",
        error_messages={
            "required": "Enter the standstill period in working days, like 8",
            "invalid": "Enter the standstill period as a whole number of working days, like 8",
            "min_value": "The standstill period cannot be less than 0 days",
            "max_value": "The standstill period must be 30 working days or fewer",
        },
    )
    insurance_required = _pounds_field(
        "Insurance cover asked for, in pounds (optional)",
        help_text="The highest cover of any kind you ask bidders to hold, like 1000000.",
    )
    turnover_multiple = forms.DecimalField(
        label="Yearly turnover asked for, as a multiple of the yearly value (optional)", required=False,
        min_value=0, max_digits=4, decimal_places=1, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="For example 1.5 means bidders' turnover must be at least one and a half times the contract's yearly value.",
        error_messages={
            "invalid": "Enter the turnover multiple as a number, like 1.5",
            "max_decimal_places": "Enter the turnover multiple with one decimal place at most, like 1.5",
            "max_digits": "Enter a turnover multiple under 1000",
            "max_whole_digits": "Enter a turnover multiple under 1000",
            "min_value": "The turnover multiple cannot be less than 0",
        },
    )
    accreditations_required = forms.CharField(
        label="Accreditations or quality marks asked for (optional)", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    payment_by_results_percent = forms.IntegerField(
        label="Share of payment that depends on results, in per cent", min_value=0, max_value=100,
        widget=forms.TextInput(attrs=NUMBER), help_text="0 if none of the payment depends on results.",
        error_messages={
            "required": "Enter the share of payment that depends on results, or 0",
            "invalid": "Enter the share of payment that depends on results as a whole number, like 10",
            "min_value": "The share of payment that depends on results cannot be less than 0%",
            "max_value": "The share of payment that depends on results cannot be more than 100%",
        },
    )

    def __init__(self, *args, opportunity: Opportunity | None = None, choose_buyer: bool = False, **kwargs):
        if opportunity is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(opportunity)
        kwargs.setdefault("initial", {}).setdefault("standstill_working_days", 8)
        kwargs["initial"].setdefault("payment_by_results_percent", 0)
        kwargs["initial"].setdefault("procedure", Procedure.OPEN.value)
        super().__init__(*args, **kwargs)
        self.opportunity = opportunity
        if choose_buyer:
            self.fields["buyer"].queryset = buyers_for_agency()
            self.fields["buyer"].empty_label = "Select the buyer"
        else:
            del self.fields["buyer"]
        chosen_terms = list(opportunity.terms.all()) if opportunity is not None else []
        terms = list(pathway_choices()) + [t for t in chosen_terms if t.is_retired]
        self.fields["terms"].choices = [(term.code, term.name) for term in terms]
        # Moments: a date and a time each
        for name, label in MOMENTS:
            self.fields[f"{name}_date"] = DayField(label=label, help_text="For example, 27 3 2027")
            self.fields[f"{name}_time"] = _time_field(label.lower(), label)
        # Areas: one set of checkboxes per kind of place
        add_area_fields(self, list(opportunity.areas.all()) if opportunity is not None else [])
        moments = []
        for name, _label in MOMENTS:
            moments += [
                Field(f"{name}_date"),
                Field.text(f"{name}_time", field_width=Fixed.FIVE),
            ]
        self.helper.layout = Layout(
            _heading("About the work"),
            *([Field.select("buyer")] if choose_buyer else []),
            Field.text("title"),
            Field.textarea("summary", rows=6),
            HTML("{% include 'commissioning/manage/_readability.html' %}"),
            Field.textarea("description", rows=8),
            Field.radios("procedure", legend_size=Size.SMALL),
            Field.checkboxes("terms", legend_size=Size.SMALL, small=True),
            HTML('<h2 class="govuk-heading-m">Where the work is</h2>') if self.area_fields else HTML(""),
            *(Field.checkboxes(name, legend_size=Size.SMALL, small=True) for name in self.area_fields),
            _heading("Money and length"),
            Field.text("value_minimum", field_width=Fixed.TEN),
            Field.text("value_maximum", field_width=Fixed.TEN),
            Field.text("duration_months", field_width=Fixed.FOUR),
            HTML("{% include 'commissioning/manage/_short_term.html' %}"),
            _heading("Key dates", "Each must come after the one before. Leave any you do not know yet empty."),
            *moments,
            Field("award_expected_on"),
            Field("contract_starts_on"),
            Field.text("standstill_working_days", field_width=Fixed.FOUR),
            _heading(
                "What you ask of bidders",
                "Pathways checks these against the size of the contract before you publish, so that small "
                "organisations are not shut out.",
            ),
            Field.text("insurance_required", field_width=Fixed.TEN),
            Field.text("turnover_multiple", field_width=Fixed.FOUR),
            Field.textarea("accreditations_required", rows=2),
            Field.text("payment_by_results_percent", field_width=Fixed.FOUR),
            _heading("Who bidders contact"),
            Field.text("contact_name", field_width=Fluid.TWO_THIRDS),
            Field.text("contact_email", field_width=Fluid.TWO_THIRDS),
        )

    @staticmethod
    def initial_for(opportunity: Opportunity) -> dict:
        initial = {
            name: getattr(opportunity, name)
            for name in (
                "title", "summary", "description", "procedure", "value_minimum", "value_maximum",
                "duration_months", "contact_name", "contact_email", "award_expected_on", "contract_starts_on",
                "standstill_working_days", "insurance_required", "turnover_multiple", "accreditations_required",
                "payment_by_results_percent",
            )
        }
        initial["buyer"] = opportunity.buyer_id
        initial["terms"] = [term.code for term in opportunity.terms.all()]
        for name, _ in MOMENTS:
            value = getattr(opportunity, name)
            if value is not None:
                local = timezone.localtime(value)
                initial[f"{name}_date"] = local.date()
                initial[f"{name}_time"] = local.time().replace(second=0, microsecond=0)
        return initial

    def clean(self):
        cleaned = super().clean()
        for name, label in MOMENTS:
            day, at = cleaned.get(f"{name}_date"), cleaned.get(f"{name}_time")
            if at is not None and day is None and f"{name}_date" not in self.errors:
                self.add_error(f"{name}_date", f"Enter the date {label.lower()} as well as the time")
        return cleaned

    def _moment(self, name: str) -> datetime | None:
        day = self.cleaned_data.get(f"{name}_date")
        if day is None:
            return None
        at = self.cleaned_data.get(f"{name}_time") or time(12, 0)
        return timezone.make_aware(datetime.combine(day, at))

    def opportunity_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title", "summary", "description", "procedure", "value_minimum", "value_maximum",
                "duration_months", "contact_name", "contact_email", "award_expected_on", "contract_starts_on",
                "standstill_working_days", "insurance_required", "turnover_multiple", "accreditations_required",
                "payment_by_results_percent",
            )
        }
        for name, _ in MOMENTS:
            fields[name] = self._moment(name)
        return fields

    def chosen_buyer(self):
        return self.cleaned_data.get("buyer")

    def chosen_terms(self):
        from pathways.taxonomy.models import Term

        return list(Term.objects.filter(code__in=self.cleaned_data.get("terms") or []).select_related("vocabulary"))

    def chosen_areas(self):
        return [place for name in self.area_fields for place in self.cleaned_data.get(name) or []]

    # What the page shows beside the fields, from what was typed or saved

    def typed(self, name: str):
        if self.is_bound:
            return self.data.get(name, "")
        return self.initial.get(name, "")

    def short_term(self) -> bool:
        try:
            return 0 < int(str(self.typed("duration_months")).strip()) < SHORT_TERM_MONTHS
        except ValueError:
            return False


# Lots, criteria, documents ------------------------------------------------------------------------------------

class LotForm(DomainErrorFields, GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title of the lot", max_length=200, help_text="Like “Lot for West Yorkshire” or “Women's services”.",
        error_messages={"required": "Enter the lot's title", "max_length": "The title must be 200 characters or fewer"},
    )
    description = forms.CharField(
        label="What the lot covers (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    value_maximum = _pounds_field("Most this lot may be worth, in pounds (optional)")
    areas = forms.ModelMultipleChoiceField(
        label="Where this lot's work is (optional)", required=False, queryset=None, widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, opportunity: Opportunity, lot=None, **kwargs):
        if lot is not None and "initial" not in kwargs:
            kwargs["initial"] = {"title": lot.title, "description": lot.description,
                                 "value_maximum": lot.value_maximum, "areas": [a.pk for a in lot.areas.all()]}
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = opportunity.areas.order_by("kind", "name")
        show_areas = self.fields["areas"].queryset.exists()
        if not show_areas:
            del self.fields["areas"]
        self.helper.layout = Layout(
            Field.text("title"),
            Field.textarea("description", rows=4),
            Field.text("value_maximum", field_width=Fixed.TEN),
            *([Field.checkboxes("areas", legend_size=Size.SMALL, small=True)] if show_areas else []),
        )

    def lot_fields(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "description": data["description"], "value_maximum": data["value_maximum"],
                "areas": list(data.get("areas") or [])}


class CriterionForm(DomainErrorFields, GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="What bids are scored on", max_length=200, help_text="Like “Quality of support” or “Price”.",
        error_messages={"required": "Enter what bids are scored on", "max_length": "This must be 200 characters or fewer"},
    )
    guidance = forms.CharField(
        label="What a good answer shows (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}),
    )
    weight = forms.IntegerField(
        label="Weight, in per cent", min_value=1, max_value=100, widget=forms.TextInput(attrs=NUMBER),
        help_text="How much this counts towards the total. All the weights must add up to 100.",
        error_messages={"required": "Enter the weight, like 30", "invalid": "Enter the weight as a whole number, like 30",
                        "min_value": "The weight must be at least 1", "max_value": "The weight must be 100 or less"},
    )
    word_limit = forms.IntegerField(
        label="Word limit for the answer (optional)", required=False, min_value=1, max_value=10000,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={"invalid": "Enter the word limit as a whole number, like 500",
                        "min_value": "The word limit must be at least 1",
                        "max_value": "The word limit must be 10,000 or fewer"},
    )
    is_price = forms.BooleanField(label="This criterion scores price", required=False)
    price_formula = forms.ChoiceField(
        label="If it scores price: how is price turned into points?", required=False, widget=forms.RadioSelect,
    )

    def __init__(self, *args, criterion=None, **kwargs):
        if criterion is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(criterion, name) for name in
                                 ("title", "guidance", "weight", "word_limit", "is_price", "price_formula")}
        super().__init__(*args, **kwargs)
        weight = 40
        self.fields["price_formula"].choices = [
            Choice(formula.value, formula.label,
                   hint=f"{formula_in_words(formula=formula.value, weight=weight)} "
                        f"{formula_example(formula=formula.value, weight=weight)} (With a weight of {weight}.)")
            for formula in PriceFormula
        ]
        self.helper.layout = Layout(
            Field.text("title"),
            Field.textarea("guidance", rows=4),
            Field.text("weight", field_width=Fixed.FOUR),
            Field.text("word_limit", field_width=Fixed.FIVE),
            Field.checkbox("is_price"),
            Field.radios("price_formula", legend_size=Size.SMALL),
        )

    def criterion_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "guidance", "weight", "word_limit", "is_price")} | {
            "price_formula": data["price_formula"] or ""
        }


class DocumentForm(DomainErrorFields, GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, help_text="Like “Specification” or “Questions to answer”.",
        error_messages={"required": "Enter a title for the document", "max_length": "The title must be 200 characters or fewer"},
    )
    file = forms.FileField(
        label="File", help_text=f"{ACCEPTED_LABEL[0].upper()}{ACCEPTED_LABEL[1:]}, smaller than {MAX_DOCUMENT_LABEL}.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("title"), Field("file"))


# Moving between states --------------------------------------------------------------------------------------

class PublishForm(DomainErrorFields, GovukFormMixin, forms.Form):
    """Publish a draft (choosing the stage), or open a forthcoming one; acknowledge any warnings."""

    stage = forms.ChoiceField(
        label="How do you want to publish it?", widget=forms.RadioSelect,
        choices=[
            Choice("forthcoming", "As forthcoming",
                   hint="Tell organisations it is coming, so they can prepare, find partners and take part in "
                        "market engagement. You open it for bids later."),
            Choice("open", "Open for bids now", hint="Organisations can bid until the deadline."),
        ],
        error_messages={"required": "Select how you want to publish it"},
    )
    acknowledged = forms.MultipleChoiceField(
        label="Warnings you have considered", required=False, widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label="Why the requirements are needed (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with your acknowledgement.",
    )

    def __init__(self, *args, warnings=(), choose_stage: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = list(warnings)
        layout = []
        if choose_stage:
            layout.append(Field.radios("stage", legend_size=Size.MEDIUM))
        else:
            del self.fields["stage"]
        if self.warnings:
            self.fields["acknowledged"].choices = [
                Choice(w.code, f"I have considered the warning about {w.title.lower()} and want to go ahead")
                for w in self.warnings
            ]
            layout += [Field.checkboxes("acknowledged", legend_size=Size.MEDIUM), Field.textarea("reason", rows=3)]
        else:
            del self.fields["acknowledged"]
            del self.fields["reason"]
        self.helper.layout = Layout(*layout)

    def clean_acknowledged(self):
        chosen = self.cleaned_data["acknowledged"]
        missing = [w for w in self.warnings if w.code not in chosen]
        if missing:
            raise forms.ValidationError(
                "Tick each warning to say you have considered it, or go back and change the requirements: "
                + ", ".join(w.title.lower() for w in missing)
            )
        return chosen


class CancelForm(DomainErrorFields, GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is it being cancelled?", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Bidders and the public will read this.",
        error_messages={"required": "Give the reason for cancelling: bidders and the public will read it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reason", rows=4))


class ConfirmForm(GovukFormMixin, forms.Form):
    """A button and nothing else: the POST is the confirmation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout()

