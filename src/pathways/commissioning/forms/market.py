"""Forms of the market: an organisation's interests, interest in an opportunity, approved-list applications
and reviews, and consortia. They collect what was typed; services decide."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Fixed, Fluid, Layout, Size
from django import forms

from pathways.core.forms import GovukFormMixin
from pathways.organisations.audit_forms import DayField
from pathways.organisations.models import Organisation

from ..models import AlertFrequency, EvidenceKind, MemberRole
from ..selectors.opportunities import pathway_choices
from ..services.documents import ACCEPT_ATTRIBUTE, ACCEPTED_LABEL, MAX_DOCUMENT_LABEL
from .opportunities import DomainErrorFields, _pounds_field, add_area_fields


class ScopeFields:
    """Pathways (checkboxes) and areas (checkboxes per kind of place), shared by the profile and applications."""

    def add_scope_fields(self, *, terms=(), areas=()):
        chosen_terms = list(terms)
        choices = list(pathway_choices()) + [t for t in chosen_terms if t.is_retired]
        self.fields["terms"] = forms.MultipleChoiceField(
            label="Resettlement pathways", required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(term.code, term.name) for term in choices], initial=[term.code for term in chosen_terms],
            help_text="Leave them all empty for any pathway.",
        )
        add_area_fields(self, list(areas))

    def scope_layout(self, areas_heading: str) -> list:
        return [
            Field.checkboxes("terms", legend_size=Size.SMALL, small=True),
            HTML(f'<h2 class="govuk-heading-m">{areas_heading}</h2><p class="govuk-body">A region includes '
                 'the places in it. Leave them all empty for anywhere.</p>') if self.area_fields else HTML(""),
            *(Field.checkboxes(name, legend_size=Size.SMALL, small=True) for name in self.area_fields),
        ]

    def chosen_terms(self):
        from pathways.taxonomy.models import Term

        return list(Term.objects.filter(code__in=self.cleaned_data.get("terms") or []).select_related("vocabulary"))

    def chosen_areas(self):
        return [place for name in self.area_fields for place in self.cleaned_data.get(name) or []]


class InterestProfileForm(ScopeFields, DomainErrorFields, GovukFormMixin, forms.Form):
    value_minimum = _pounds_field("Smallest value you would bid for, in pounds (optional)")
    value_maximum = _pounds_field("Largest value you would bid for, in pounds (optional)")
    frequency = forms.ChoiceField(
        label="How often should we email you?", widget=forms.RadioSelect,
        choices=[
            Choice(AlertFrequency.AT_ONCE.value, "As soon as a matching opportunity is published"),
            Choice(AlertFrequency.WEEKLY.value, "Once a week, on Monday morning", hint="One email listing the week's matching opportunities."),
            Choice(AlertFrequency.NEVER.value, "Never", hint="You can still find opportunities on the list."),
        ],
        error_messages={"required": "Select how often we should email you"},
    )
    open_to_partners = forms.BooleanField(
        label="Other organisations may find us in the partner finder and get in touch about bidding together",
        required=False,
    )

    def __init__(self, *args, profile=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("frequency", AlertFrequency.AT_ONCE.value)
        if profile is not None:
            initial.update(value_minimum=profile.value_minimum, value_maximum=profile.value_maximum,
                           frequency=profile.frequency, open_to_partners=profile.open_to_partners)
        super().__init__(*args, **kwargs)
        self.add_scope_fields(terms=profile.terms.all() if profile else (), areas=profile.areas.all() if profile else ())
        self.helper.layout = Layout(
            HTML('<h2 class="govuk-heading-m">What work</h2>'),
            *self.scope_layout("Where"),
            HTML('<h2 class="govuk-heading-m">How much</h2>'),
            Field.text("value_minimum", field_width=Fixed.TEN),
            Field.text("value_maximum", field_width=Fixed.TEN),
            HTML('<h2 class="govuk-heading-m">Emails and partners</h2>'),
            Field.radios("frequency", legend_size=Size.SMALL),
            Field.checkbox("open_to_partners", small=True),
        )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("value_minimum"), cleaned.get("value_maximum")
        if low is not None and high is not None and low > high:
            self.add_error("value_maximum", "The largest value must be the same as or more than the smallest value")
        return cleaned


class InterestForm(GovukFormMixin, forms.Form):
    """Register interest (or change whether partners may see it). Small enough for the side panel."""

    visible_to_partners = forms.BooleanField(
        label="Let possible partners see that we are interested", required=False,
        help_text="They can then contact you about bidding together.",
    )


# The approved list --------------------------------------------------------------------------------------

class ApplicationStartForm(ScopeFields, DomainErrorFields, GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label="Which agency's approved list?", queryset=Organisation.objects.none(),
        error_messages={"required": "Select the agency whose list you are applying to"},
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = "Select the agency"
        self.add_scope_fields()
        self.fields["terms"].label = "Pathways you want to be invited for"
        self.helper.layout = Layout(Field.select("agency"), *self.scope_layout("Areas you work in"))


class EvidenceForm(DomainErrorFields, GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What kind of evidence is it?", widget=forms.RadioSelect, choices=EvidenceKind.choices,
        error_messages={"required": "Select what kind of evidence it is"},
    )
    title = forms.CharField(
        label="Title", max_length=200, help_text="Like “Safeguarding policy, reviewed March 2026”.",
        error_messages={"required": "Enter a title for the evidence", "max_length": "The title must be 200 characters or fewer"},
    )
    file = forms.FileField(
        label="Upload a file (optional)", required=False,
        help_text=f"It must be {ACCEPTED_LABEL}, smaller than {MAX_DOCUMENT_LABEL}.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    note = forms.CharField(
        label="Or a note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a reference, say who can be contacted and how.",
    )
    expires_on = DayField(label="Expires on (optional)", help_text="For insurance, for example 31 3 2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field("file"),
            Field.textarea("note", rows=3),
            Field("expires_on"),
        )


class ReviewForm(DomainErrorFields, GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision", widget=forms.RadioSelect,
        choices=[("approve", "Approve"), ("return", "Return it for more evidence")],
        error_messages={"required": "Select whether to approve or return the application"},
    )
    expires_on = DayField(label="If you approve: the approval expires on", help_text="For example, 30 11 2027")
    note = forms.CharField(
        label="Note to the organisation", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="If you return it, say what they need to add or change.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.SMALL), Field("expires_on"), Field.textarea("note", rows=4)
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "approve" and cleaned.get("expires_on") is None and "expires_on" not in self.errors:
            self.add_error("expires_on", "Enter the date the approval expires")
        if cleaned.get("decision") == "return" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Say what the organisation needs to add or change")
        return cleaned


# Consortia ----------------------------------------------------------------------------------------------

def _percent(label: str) -> forms.IntegerField:
    name = label[0].lower() + label[1:]
    return forms.IntegerField(
        label=label, min_value=0, max_value=100, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": f"Enter {name}", "invalid": f"Enter {name} as a whole number, like 40",
            "min_value": f"{label} cannot be less than 0%", "max_value": f"{label} cannot be more than 100%",
        },
    )


class ConsortiumForm(DomainErrorFields, GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name of the consortium", max_length=200,
                           error_messages={"required": "Enter a name for the consortium"})
    share_of_work = _percent("Your share of the work, in per cent")
    share_of_value = _percent("Your share of the value, in per cent")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("share_of_work", field_width=Fixed.FOUR),
            Field.text("share_of_value", field_width=Fixed.FOUR),
        )


class MemberForm(DomainErrorFields, GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(),
        error_messages={"required": "Select the organisation to add"},
    )
    role = forms.ChoiceField(
        label="Their part", widget=forms.RadioSelect,
        choices=[(MemberRole.MEMBER.value, "Member (bids with you)"),
                 (MemberRole.SUBCONTRACTOR.value, "Subcontractor (works for you under the contract)")],
        error_messages={"required": "Select whether they are a member or a subcontractor"},
    )
    share_of_work = _percent("Their share of the work, in per cent")
    share_of_value = _percent("Their share of the value, in per cent")

    def __init__(self, *args, organisations=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("role", MemberRole.MEMBER.value)
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations if organisations is not None else Organisation.objects.none()
        self.fields["organisation"].empty_label = "Select the organisation"
        self.helper.layout = Layout(
            Field.select("organisation"), Field.radios("role", legend_size=Size.SMALL, small=True),
            Field.text("share_of_work", field_width=Fixed.FOUR), Field.text("share_of_value", field_width=Fixed.FOUR),
        )


class AgreementForm(DomainErrorFields, GovukFormMixin, forms.Form):
    summary = forms.CharField(
        label="What the members agreed", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Who does what, how the money is shared, and who carries which risks.",
        error_messages={"required": "Write what the members agreed: roles, money and risks"},
    )
    document = forms.FileField(
        label="The signed agreement (optional)", required=False,
        help_text=f"It must be {ACCEPTED_LABEL}, smaller than {MAX_DOCUMENT_LABEL}.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    field_for_domain_field = {"file": "document"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("summary", rows=6), Field("document"))
