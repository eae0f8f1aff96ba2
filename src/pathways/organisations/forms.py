from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator

from pathways.core.forms import GovukFormMixin

from .models import Organisation, Place, PlaceKind, User, charity_number_validator, company_number_validator
from .selectors import (
    PLACE_KIND_PLURALS, areas_by_kind, organisation_types_for_choice, places_for_choice, roles_for_invitation,
)
from .services import ORGANISATION_FIELDS

# crispy-forms-gds styles errors only on TextInput, Select and Textarea, so email and web addresses are
# TextInputs whose type it sets from "input_type".
EMAIL_INPUT = {"input_type": "email", "spellcheck": "false"}


class OrganisationFilterForm(GovukFormMixin, forms.Form):
    """Search and filters for the list of organisations. Sent with GET, so every field is optional."""

    q = forms.CharField(label="Name contains", required=False, max_length=200)
    type = forms.ModelChoiceField(
        label="Type", required=False, queryset=None, empty_label="Any type", to_field_name="code"
    )
    area = forms.ModelChoiceField(label="Works in", required=False, queryset=Place.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = organisation_types_for_choice()
        self.fields["area"].choices = [("", "Anywhere")] + [
            (kind, [(place.pk, place.name) for place in places])
            for kind, places in areas_by_kind(places=Place.objects.all())
        ]
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.text("q"), Field.select("type"), Field.select("area")
        )

    def filters(self) -> dict:
        """The valid filters, ready for ``organisation_list_for_search``; an invalid one is ignored."""
        self.is_valid()
        data = self.cleaned_data
        return {"query": data.get("q", ""), "type": data.get("type"), "area": data.get("area")}


class OrganisationForm(GovukFormMixin, forms.ModelForm):
    """An organisation's details and the areas it works in: one set of checkboxes per kind of place."""

    website = forms.URLField(
        label="Website (optional)", required=False, max_length=200, assume_scheme="https",
        widget=forms.TextInput(attrs={"input_type": "url", "spellcheck": "false"}),
        error_messages={"invalid": "Enter the website address in full, for example https://www.example.org"},
    )

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        labels = {
            "name": "Name",
            "type": "Type of organisation",
            "description": "What the organisation does",
            "charity_number": "Registered charity number (optional)",
            "company_number": "Company number (optional)",
            "annual_income": "Annual income in pounds (optional)",
            "email": "Email address (optional)",
            "phone": "Phone number (optional)",
            "address": "Address (optional)",
            "postcode": "Postcode (optional)",
        }
        help_texts = {
            "annual_income": "From the latest accounts, in whole pounds, for example 250000. It sets the size band.",
            "description": "Who you work with and what you offer, in a few sentences.",
        }
        error_messages = {
            "name": {
                "required": "Enter the organisation's name",
                "max_length": "Name must be 200 characters or fewer",
            },
            "type": {"required": "Select the type of organisation"},
            "annual_income": {
                "invalid": "Enter annual income as a whole number of pounds, for example 250000",
                "max_decimal_places": "Enter annual income as a whole number of pounds, for example 250000",
            },
            "email": {"invalid": "Enter an email address in the correct format, like name@example.org"},
            "charity_number": {"max_length": charity_number_validator.message},
            "company_number": {"max_length": company_number_validator.message},
            "phone": {"max_length": "Phone number must be 30 characters or fewer"},
            "postcode": {"max_length": "Enter a real postcode, like LS1 4AP"},
        }
        widgets = {
            "annual_income": forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
            "address": forms.Textarea(attrs={"autocomplete": "street-address"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "email": forms.TextInput(attrs=EMAIL_INPUT),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current_type = self.instance.type if self.instance.type_id else None
        self.fields["type"].queryset = organisation_types_for_choice(current=current_type)
        self.fields["type"].empty_label = "Select a type"
        self.fields["annual_income"].validators.append(
            MinValueValidator(0, "Annual income cannot be less than 0. Enter 0 if there was none")
        )
        chosen = list(self.instance.areas.all()) if self.instance.pk else []
        self.area_fields = []
        for kind in PlaceKind:
            places = places_for_choice(kind=kind, chosen=chosen)
            if not places.exists():
                continue
            name = f"areas_{kind.value}"
            self.fields[name] = forms.ModelMultipleChoiceField(
                label=PLACE_KIND_PLURALS[kind], queryset=places, required=False, widget=forms.CheckboxSelectMultiple,
                initial=[place.pk for place in chosen if place.kind == kind],
            )
            self.area_fields.append(name)
        self.helper.layout = Layout(
            Field.text("name"),
            Field.select("type"),
            Field.textarea("description", rows=4),
            Field.text("charity_number", field_width=Fixed.TEN),
            Field.text("company_number", field_width=Fixed.TEN),
            Field.text("annual_income", field_width=Fixed.TEN),
            Field.text("website", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("phone", field_width=Fixed.TWENTY),
            Field.textarea("address", rows=3),
            Field.text("postcode", field_width=Fixed.TEN),
            HTML('<h2 class="govuk-heading-m">Areas the organisation works in</h2>') if self.area_fields else HTML(""),
            *(Field.checkboxes(name, legend_size=Size.SMALL, small=True) for name in self.area_fields),
        )

    def clean_postcode(self):
        return self.cleaned_data["postcode"].strip().upper()

    def clean_company_number(self):
        return self.cleaned_data["company_number"].strip().upper()

    def organisation_fields(self) -> dict:
        return {field: self.cleaned_data[field] for field in ORGANISATION_FIELDS}

    def chosen_areas(self) -> list[Place]:
        return [place for name in self.area_fields for place in self.cleaned_data[name]]


class InvitationForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the email address of the person you are inviting",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.TextInput(attrs={**EMAIL_INPUT, "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label="Their name (optional)", required=False, max_length=200,
        help_text="Used to greet them in the email and to fill in the form when they join.",
    )
    role = forms.ModelChoiceField(
        label="Role", queryset=None, widget=forms.RadioSelect,
        error_messages={"required": "Select the role they will have"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roles = roles_for_invitation()
        self.fields["role"].queryset = roles
        self.fields["role"].choices = [Choice(role.pk, role.name, hint=role.description) for role in roles]
        self.helper.layout = Layout(
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.radios("role", legend_size=Size.SMALL),
        )


class JoinForm(GovukFormMixin, forms.Form):
    """A new account for someone accepting an invitation to ``email``.

    The password is checked here too, so that every problem shows at once; the service checks it again.
    """

    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Create a password", strip=False, error_messages={"required": "Enter a password"},
        help_text="At least 10 characters. Avoid common passwords and anything close to your name or email.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label="Confirm password", strip=False, error_messages={"required": "Enter the password again"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        password, confirm = data.get("password"), data.get("password_confirm")
        if password:
            person = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(password, user=person)
            except ValidationError as error:
                self.add_error("password", error)
        if password and confirm and password != confirm:
            self.add_error("password_confirm", "The two passwords do not match. Enter the same password twice")
        return data


class EndMembershipForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, leaving: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if leaving:
            self.fields["reason"].label = "Why are you leaving? (optional)"
        else:
            self.fields["reason"].label = "Why is this membership ending?"
            self.fields["reason"].help_text = (
                "For example, they have left the organisation. This is kept in the team's history."
            )
