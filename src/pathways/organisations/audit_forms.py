"""The filters over an organisation's audit trail: a GET form that works without JavaScript."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Div, Field, Layout
from django import forms
from django.core.exceptions import ValidationError

from pathways.audit.models import AuditAction
from pathways.audit.selectors import AuditFilters
from pathways.core.forms import GovukFormMixin


class DayField(DateInputField):
    """A GOV.UK date input (day, month, year), optional, with messages that name the date."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, required=False, require_all_fields=False, **kwargs)
        name = label.lower()
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.error_messages["incomplete"] = f"The date {name} must include a {part}"
            field.validators[0].message = f"The date {name} must be a real date, like 27 3 2026"
        self.name = name

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"The date {self.name} must be a real date, like 27 3 2026") from None


class AuditTrailFilterForm(GovukFormMixin, forms.Form):
    date_from = DayField(label="From", help_text="For example, 1 3 2026")
    date_to = DayField(label="To", help_text="For example, 31 3 2026")
    person = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *AuditAction.choices]
    )
    kind = forms.ChoiceField(label="Kind of record", required=False)

    def __init__(self, *args, people: list[tuple[int, str]], kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Anyone"), *people]
        self.fields["kind"].choices = [("", "Any kind of record"), *kinds]
        self.helper.layout = Layout(
            Div(
                Div(Field("date_from"), css_class="govuk-grid-column-one-half"),
                Div(Field("date_to"), css_class="govuk-grid-column-one-half"),
                css_class="govuk-grid-row",
            ),
            Div(
                Div(Field.select("person"), css_class="govuk-grid-column-one-third"),
                Div(Field.select("action"), css_class="govuk-grid-column-one-third"),
                Div(Field.select("kind"), css_class="govuk-grid-column-one-third"),
                css_class="govuk-grid-row",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The date to must be the same as or after the date from")
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            actor_id=data["person"],
            action=data["action"],
            kind=data["kind"],
        )
