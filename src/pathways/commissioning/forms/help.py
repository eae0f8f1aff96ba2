"""Forms for the help with tendering: the bid-readiness checklist and the full-cost-recovery calculator."""

from decimal import Decimal

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Fixed, Layout, Size
from django import forms

from pathways.core.forms import GovukFormMixin

from ..guides import READINESS_GROUPS, READINESS_ITEMS
from ..selectors.help import opportunities_to_cost
from ..services import full_cost
from ..services.full_cost import DIRECT_COSTS, ONE_OFF_COSTS, FullCostInputs, OverheadBasis
from .opportunities import DomainErrorFields


class ReadinessForm(GovukFormMixin, forms.Form):
    """One set of checkboxes per group of the checklist."""

    def __init__(self, *args, ticked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.group_fields = []
        for code, label in READINESS_GROUPS:
            name = f"items_{code}"
            self.fields[name] = forms.MultipleChoiceField(
                label=label, required=False, widget=forms.CheckboxSelectMultiple,
                choices=[Choice(item.code, item.label, hint=item.hint) for item in READINESS_ITEMS if item.group == code],
                initial=[item.code for item in READINESS_ITEMS if item.group == code and item.code in ticked],
            )
            self.group_fields.append(name)
        self.helper.layout = Layout(
            *(Field.checkboxes(name, legend_size=Size.MEDIUM) for name in self.group_fields)
        )

    def chosen_items(self) -> list[str]:
        return [code for name in self.group_fields for code in self.cleaned_data.get(name) or []]


def _money(label: str, hint: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label}, in pounds a year", required=False, min_value=0, max_digits=full_cost.AMOUNT_MAX_DIGITS,
        decimal_places=full_cost.AMOUNT_DECIMAL_PLACES, help_text=hint,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages=full_cost.amount_messages(label),
    )


def _number(label: str, hint: str = "", *, decimal_places=2, required=False) -> forms.DecimalField:
    name = label[0].lower() + label[1:]
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_digits=14, decimal_places=decimal_places, help_text=hint,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter {name}",
            "invalid": f"Enter {name} as a number, like 2.5",
            "min_value": f"{label} cannot be less than 0",
            "max_decimal_places": f"Enter {name} with {decimal_places} decimal places at most",
            "max_digits": f"Enter a smaller number for {name}",
            "max_whole_digits": f"Enter a smaller number for {name}",
        },
    )


class FullCostForm(DomainErrorFields, GovukFormMixin, forms.Form):
    """The calculator's inputs. Sent with GET (to calculate) and with POST (to save, with a title)."""

    overheads_total = _money(
        "The organisation's overheads",
        "Its yearly central costs, shared by all its work: management, finance, HR, IT, governance, shared premises.",
    )
    basis = forms.ChoiceField(
        label="How should this work's share of overheads be worked out?", widget=forms.RadioSelect,
        choices=[
            Choice(OverheadBasis.STAFF_TIME.value, "By staff time",
                   hint="This work's full-time-equivalent staff out of the organisation's. The usual basis."),
            Choice(OverheadBasis.FLOOR_AREA.value, "By floor area",
                   hint="The space this work uses out of the organisation's, in square metres."),
            Choice(OverheadBasis.EXPENDITURE.value, "By share of spending",
                   hint="This work's direct costs out of all the organisation's direct spending."),
            Choice(OverheadBasis.PERCENTAGE.value, "A percentage I state",
                   hint="If you have worked out your own basis."),
        ],
        error_messages={"required": "Choose how this work's share of overheads is worked out"},
    )
    work_share = _number("This work's part (staff time or floor area)",
                         "Full-time-equivalent staff (like 2.5) or square metres. Not needed for the other bases.")
    organisation_total = _number(
        "The whole organisation's total",
        "In the same unit: all its full-time-equivalent staff, all its floor area, or all its direct spending in pounds.",
    )
    percentage = _number("Percentage of overheads (if you state one)", "Like 15 for 15%.", decimal_places=1)
    term_months = forms.IntegerField(
        label="Length of the work, in months", min_value=1, max_value=240,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Enter the length of the work in months, like 36",
                        "invalid": "Enter the length of the work as a whole number of months, like 36",
                        "min_value": "The length must be at least 1 month",
                        "max_value": "The length must be 240 months or fewer"},
    )
    yearly_increase_percent = _number(
        "Yearly cost increase, in per cent (optional)",
        "Pay rises and inflation each year after the first, like 3. Leave empty for none.", decimal_places=1,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, hint in DIRECT_COSTS:
            self.fields[name] = _money(label, hint)
        for name, label, hint in ONE_OFF_COSTS:
            self.fields[name] = _money(label, f"{hint} A one-off amount.")
            self.fields[name].label = f"{label}, in pounds"
        order = [name for name, _, _ in DIRECT_COSTS] + [
            "overheads_total", "basis", "work_share", "organisation_total", "percentage",
        ] + [name for name, _, _ in ONE_OFF_COSTS] + ["term_months", "yearly_increase_percent"]
        self.order_fields(order)
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            HTML('<h2 class="govuk-heading-m">Direct costs</h2><p class="govuk-body">What the work itself costs in a year.</p>'),
            *(Field.text(name, field_width=Fixed.TEN) for name, _, _ in DIRECT_COSTS),
            HTML('<h2 class="govuk-heading-m">A fair share of overheads</h2>'),
            Field.text("overheads_total", field_width=Fixed.TEN),
            Field.radios("basis", legend_size=Size.SMALL),
            Field.text("work_share", field_width=Fixed.TEN),
            Field.text("organisation_total", field_width=Fixed.TEN),
            Field.text("percentage", field_width=Fixed.FIVE),
            HTML('<h2 class="govuk-heading-m">Starting and ending well</h2>'),
            *(Field.text(name, field_width=Fixed.TEN) for name, _, _ in ONE_OFF_COSTS),
            HTML('<h2 class="govuk-heading-m">Length</h2>'),
            Field.text("term_months", field_width=Fixed.FOUR),
            Field.text("yearly_increase_percent", field_width=Fixed.FOUR),
        )

    def inputs(self) -> FullCostInputs:
        data = self.cleaned_data
        money = {name: data.get(name) or Decimal(0) for name, _, _ in DIRECT_COSTS + ONE_OFF_COSTS}
        return FullCostInputs(
            **money,
            overheads_total=data.get("overheads_total") or Decimal(0),
            basis=data["basis"],
            work_share=data.get("work_share"),
            organisation_total=data.get("organisation_total"),
            percentage=data.get("percentage"),
            term_months=data["term_months"],
            yearly_increase_percent=data.get("yearly_increase_percent") or Decimal(0),
        )


class FullCostSaveForm(DomainErrorFields, GovukFormMixin, forms.Form):
    """Naming a calculation and, if it is for one, choosing the opportunity, to save it."""

    title = forms.CharField(
        label="Name this calculation", max_length=200, help_text="Like “Leeds mentoring bid, March”.",
        error_messages={"required": "Give the calculation a name, like “Leeds mentoring bid”",
                        "max_length": "The name must be 200 characters or fewer"},
    )
    opportunity = forms.ChoiceField(label="Which opportunity is it for? (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opportunities = {str(o.uuid): o for o in opportunities_to_cost()}
        self.fields["opportunity"].choices = [("", "Not for a particular opportunity")] + [
            (key, f"{o.title} ({o.reference})") for key, o in self.opportunities.items()
        ]
        self.helper.layout = Layout(Field.text("title"), Field.select("opportunity"))

    def chosen_opportunity(self):
        return self.opportunities.get(self.cleaned_data.get("opportunity") or "")
