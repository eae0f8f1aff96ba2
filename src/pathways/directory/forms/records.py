"""Forms for a service's record and its related records. They collect what was typed; services decide."""

from datetime import time

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Fixed, Fluid, Layout, Size
from django import forms

from pathways.core.forms import GovukFormMixin
from pathways.organisations.audit_forms import DayField
from pathways.organisations.models import Organisation, PlaceKind
from pathways.organisations.selectors import PLACE_KIND_PLURALS, places_for_choice
from pathways.taxonomy.models import Term, Vocabulary

from ..models import (
    WEEKDAYS,
    Attendance,
    ChangeRequest,
    Contact,
    Funding,
    FundingKind,
    Gender,
    Location,
    LocationType,
    RelationshipBasis,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    StatutoryRelationship,
    ValueBand,
)
from ..services.records import CHANGE_REQUEST_MESSAGE_MAX, SERVICE_FIELDS
from ..services.related import CONTACT_FIELDS, FUNDING_FIELDS, LOCATION_FIELDS, RELATIONSHIP_FIELDS, SCHEDULE_FIELDS

EMAIL_INPUT = {"input_type": "email", "spellcheck": "false"}
URL_INPUT = {"input_type": "url", "spellcheck": "false"}
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"
URL_INVALID = "Enter the web address in full, like https://www.example.org"


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _heading(text: str) -> HTML:
    return HTML(f'<h2 class="govuk-heading-m">{text}</h2>')


class DomainErrorFields:
    """Put a service's refusal on the form field that asks the question, when the names differ."""

    field_for_domain_field: dict[str, str] = {}

    def add_domain_error(self, error):
        error.field = self.field_for_domain_field.get(error.field, error.field)
        super().add_domain_error(error)


# The service itself -----------------------------------------------------------------------------------

SETTINGS = [
    ("in_custody", "In custody", "Works with people in prison."),
    ("in_community", "In the community", "Works with people living in the community."),
    ("through_the_gate", "Through the gate", "Starts in prison and carries on after release."),
]
ROUTES = [
    ("self_referral", "Self-referral", "People can contact the service themselves."),
    ("agency_referral", "Referral by any agency", "Any organisation can refer someone."),
    ("statutory_referral_only", "Statutory referral only", "Only probation, a prison or a court can refer."),
]


class ServiceForm(DomainErrorFields, GovukFormMixin, forms.Form):
    """Every field a provider edits on a service, its terms (one set of checkboxes per list) and areas."""

    field_for_domain_field = {
        **{flag: "settings" for flag, _, _ in SETTINGS}, **{flag: "routes" for flag, _, _ in ROUTES},
    }

    name = forms.CharField(
        label="Name of the service", max_length=_max(Service, "name"),
        error_messages={"required": "Enter the name of the service",
                        "max_length": "The name must be 200 characters or fewer"},
    )
    description = forms.CharField(
        label="What the service does", required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="In plain words, for a worker or for the person themselves.",
    )
    status = forms.ChoiceField(label="Is it running?", choices=ServiceStatus.choices, widget=forms.RadioSelect)
    alert = forms.CharField(
        label="Notice (optional)", required=False, max_length=_max(Service, "alert"),
        help_text="A short notice shown at the top of the page, like “No drop-in on 26 December”.",
    )
    url = forms.URLField(
        label="Website (optional)", required=False, max_length=200, assume_scheme="https",
        widget=forms.TextInput(attrs=URL_INPUT), error_messages={"invalid": URL_INVALID},
    )
    email = forms.EmailField(
        label="Email address (optional)", required=False, widget=forms.TextInput(attrs=EMAIL_INPUT),
        error_messages={"invalid": EMAIL_INVALID},
    )
    phone = forms.CharField(
        label="Phone number (optional)", required=False, max_length=_max(Service, "phone"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": "The phone number must be 30 characters or fewer"},
    )

    minimum_age = forms.IntegerField(
        label="Youngest age (optional)", required=False, min_value=0, max_value=120,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the youngest age as a whole number, like 18",
                        "min_value": "The youngest age cannot be less than 0",
                        "max_value": "The youngest age must be 120 or less"},
    )
    maximum_age = forms.IntegerField(
        label="Oldest age (optional)", required=False, min_value=0, max_value=120,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the oldest age as a whole number, like 25",
                        "min_value": "The oldest age cannot be less than 0",
                        "max_value": "The oldest age must be 120 or less"},
    )
    gender = forms.ChoiceField(label="Who is it for?", choices=Gender.choices, widget=forms.RadioSelect)
    settings = forms.MultipleChoiceField(
        label="Where does it work with people?", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[Choice(flag, label, hint=hint) for flag, label, hint in SETTINGS],
    )
    eligibility = forms.CharField(
        label="Who can use it, and who cannot (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In plain words, like “Women over 18 on licence in Leeds. Not for people with current arson convictions.”",
    )

    routes = forms.MultipleChoiceField(
        label="How can people get to it?", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[Choice(flag, label, hint=hint) for flag, label, hint in ROUTES],
    )
    referral_details = forms.CharField(
        label="How to refer or be referred (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
    )

    is_free = forms.BooleanField(label="It is free for the person", required=False)
    fees = forms.CharField(
        label="Any cost to the person (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
    )
    languages = forms.CharField(
        label="Languages spoken (optional)", required=False, max_length=500,
        help_text="Separate them with commas, like English, Urdu, Polish.",
    )
    accreditations = forms.CharField(
        label="Accreditations and quality marks (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
    )
    capacity = forms.CharField(
        label="How many people it can work with (optional)", required=False, max_length=_max(Service, "capacity"),
        help_text="Like “12 places at a time” or “About 40 people a week”.",
    )
    typical_wait_days = forms.IntegerField(
        label="Typical wait, in days (optional)", required=False, min_value=0, max_value=365,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the typical wait as a whole number of days, like 14",
                        "min_value": "The typical wait cannot be less than 0 days",
                        "max_value": "The typical wait must be 365 days or fewer"},
    )
    peer_led = forms.BooleanField(
        label="It is led or delivered by people with lived experience", required=False,
    )

    def __init__(self, *args, service: Service | None = None, **kwargs):
        if service is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(service)
        super().__init__(*args, **kwargs)
        chosen_terms = list(service.terms.all()) if service is not None and service.pk else []
        chosen_areas = list(service.areas.all()) if service is not None and service.pk else []
        self.term_fields = []
        for vocabulary in Vocabulary.objects.all():
            terms = Term.objects.filter(vocabulary=vocabulary).filter(
                retired_at__isnull=True
            ) | Term.objects.filter(pk__in=[t.pk for t in chosen_terms if t.vocabulary_id == vocabulary.pk])
            if not terms.exists():
                continue
            name = f"terms_{vocabulary.code.replace('-', '_')}"
            self.fields[name] = forms.ModelMultipleChoiceField(
                label=vocabulary.name, queryset=terms.order_by("position", "name"), required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[t.pk for t in chosen_terms if t.vocabulary_id == vocabulary.pk],
            )
            self.term_fields.append(name)
        self.area_fields = []
        for kind in PlaceKind:
            places = places_for_choice(kind=kind, chosen=chosen_areas)
            if not places.exists():
                continue
            name = f"areas_{kind.value}"
            self.fields[name] = forms.ModelMultipleChoiceField(
                label=PLACE_KIND_PLURALS[kind], queryset=places, required=False, widget=forms.CheckboxSelectMultiple,
                initial=[place.pk for place in chosen_areas if place.kind == kind],
            )
            self.area_fields.append(name)
        self.helper.layout = Layout(
            _heading("About the service"),
            Field.text("name"),
            Field.textarea("description", rows=5),
            Field.radios("status", legend_size=Size.SMALL, small=True),
            Field.text("alert"),
            Field.text("url", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("phone", field_width=Fixed.TWENTY),
            _heading("Who it is for"),
            Field.text("minimum_age", field_width=Fixed.THREE),
            Field.text("maximum_age", field_width=Fixed.THREE),
            Field.radios("gender", legend_size=Size.SMALL, small=True),
            Field.checkboxes("settings", legend_size=Size.SMALL, small=True),
            Field.textarea("eligibility", rows=4),
            _heading("How people get to it"),
            Field.checkboxes("routes", legend_size=Size.SMALL, small=True),
            Field.textarea("referral_details", rows=3),
            _heading("Cost, languages and capacity"),
            Field.checkbox("is_free", small=True),
            Field.textarea("fees", rows=2),
            Field.text("languages", field_width=Fluid.TWO_THIRDS),
            Field.textarea("accreditations", rows=2),
            Field.text("capacity", field_width=Fluid.TWO_THIRDS),
            Field.text("typical_wait_days", field_width=Fixed.THREE),
            Field.checkbox("peer_led", small=True),
            _heading("Pathways, categories and client groups") if self.term_fields else HTML(""),
            *(Field.checkboxes(name, legend_size=Size.SMALL, small=True) for name in self.term_fields),
            _heading("Areas and prisons served") if self.area_fields else HTML(""),
            *(Field.checkboxes(name, legend_size=Size.SMALL, small=True) for name in self.area_fields),
        )

    @staticmethod
    def initial_for(service: Service) -> dict:
        initial = {name: getattr(service, name) for name in SERVICE_FIELDS}
        initial["languages"] = ", ".join(service.languages or [])
        initial["settings"] = [flag for flag, _, _ in SETTINGS if getattr(service, flag)]
        initial["routes"] = [flag for flag, _, _ in ROUTES if getattr(service, flag)]
        return initial

    def clean_languages(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["languages"].split(",")]
        seen, result = set(), []
        for name in names:
            if name and name.lower() not in seen:
                seen.add(name.lower())
                result.append(name[:1].upper() + name[1:])
        return result

    def clean(self):
        data = super().clean()
        routes = set(data.get("routes") or [])
        if "statutory_referral_only" in routes and routes - {"statutory_referral_only"}:
            self.add_error(
                "routes", "Choose statutory referral only on its own, or choose self-referral and referral by any agency"
            )
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", "The oldest age must be the same as or more than the youngest age")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in SERVICE_FIELDS if name in data}
        for flag, _, _ in SETTINGS:
            fields[flag] = flag in data["settings"]
        for flag, _, _ in ROUTES:
            fields[flag] = flag in data["routes"]
        for text in ("name", "description", "alert", "phone", "eligibility", "referral_details", "fees",
                     "accreditations", "capacity"):
            fields[text] = fields[text].strip()
        return fields

    def chosen_terms(self) -> list[Term]:
        return [term for name in self.term_fields for term in self.cleaned_data[name]]

    def chosen_areas(self) -> list:
        return [place for name in self.area_fields for place in self.cleaned_data[name]]


# Reporting a problem ---------------------------------------------------------------------------------

# The fields anyone can suggest a new value for, with the label the form gives them.
SUGGESTIBLE = ["name", "phone", "email", "url", "description"]


class ReportProblemForm(GovukFormMixin, forms.Form):
    message = forms.CharField(
        label="What is wrong, or what should change?", max_length=CHANGE_REQUEST_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="For example, the drop-in has moved to Wednesdays, or the phone number no longer works.",
        error_messages={
            "required": "Describe the problem or the change",
            "max_length": f"Describe the problem in {CHANGE_REQUEST_MESSAGE_MAX:,} characters or fewer",
        },
    )
    name = forms.CharField(label="Name of the service", required=False, max_length=_max(Service, "name"),
                           error_messages={"max_length": "The name must be 200 characters or fewer"})
    phone = forms.CharField(label="Phone number", required=False, max_length=_max(Service, "phone"),
                            error_messages={"max_length": "The phone number must be 30 characters or fewer"})
    email = forms.EmailField(label="Email address", required=False, widget=forms.TextInput(attrs=EMAIL_INPUT),
                             error_messages={"invalid": EMAIL_INVALID})
    url = forms.URLField(label="Website", required=False, max_length=200, assume_scheme="https",
                         widget=forms.TextInput(attrs=URL_INPUT), error_messages={"invalid": URL_INVALID})
    description = forms.CharField(label="What the service does", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages={"max_length": "The description must be 5,000 characters or fewer"})
    reporter_name = forms.CharField(
        label="Your name (optional)", required=False, max_length=_max(ChangeRequest, "reporter_name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": "Your name must be 200 characters or fewer"},
    )
    reporter_email = forms.EmailField(
        label="Your email address (optional)", required=False,
        help_text="Only if you would like to hear what was decided. It is never shown on Pathways.",
        widget=forms.TextInput(attrs={**EMAIL_INPUT, "autocomplete": "email"}),
        error_messages={"invalid": EMAIL_INVALID},
    )

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.helper.layout = Layout(
            Field.textarea("message", rows=6),
            HTML(
                '<h2 class="govuk-heading-m">Suggest the right details (optional)</h2>'
                '<p class="govuk-body">Fill in only what should change. Leave the rest empty.</p>'
            ),
            Field.text("name"),
            Field.text("phone", field_width=Fixed.TWENTY),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("url", field_width=Fluid.TWO_THIRDS),
            Field.textarea("description", rows=4),
            HTML(
                '<h2 class="govuk-heading-m">If you would like a reply (optional)</h2>'
            ),
            Field.text("reporter_name", field_width=Fluid.TWO_THIRDS),
            Field.text("reporter_email", field_width=Fluid.TWO_THIRDS),
        )

    def suggested_changes(self) -> dict:
        """What was filled in and differs from the record now."""
        changes = {}
        for name in SUGGESTIBLE:
            value = self.cleaned_data.get(name)
            value = value.strip() if isinstance(value, str) else value
            if value and value != getattr(self.service, name):
                changes[name] = value
        return changes


# Related records -------------------------------------------------------------------------------------

class TimeTextInput(forms.TextInput):
    """A text input that shows a time as 09:30. crispy-forms-gds styles errors by the widget's class
    name, so this one answers to TextInput's."""

    def format_value(self, value):
        if isinstance(value, time):
            return value.strftime("%H:%M")
        return super().format_value(value)


TimeTextInput.__name__ = "TextInput"


def _time_field(label: str, which: str) -> forms.TimeField:
    return forms.TimeField(
        label=label, input_formats=["%H:%M", "%H.%M", "%H%M", "%I:%M%p", "%I%p", "%I.%M%p"],
        widget=TimeTextInput(attrs={"spellcheck": "false"}),
        help_text="Use the 24-hour clock, like 09:30 or 14:00.",
        error_messages={"required": f"Enter the time it {which}",
                        "invalid": f"Enter the time it {which} like 09:30 or 14:00"},
    )


def statutory_bodies_for_choice():
    """Organisations that are not voluntary sector and are not infrastructure bodies: prisons, probation,
    local authorities, police and crime commissioners, primes and funders."""
    return Organisation.objects.filter(type__is_voluntary_sector=False, type__can_commission=True).order_by("name")


class LocationForm(GovukFormMixin, forms.Form):
    existing = forms.ModelChoiceField(
        label="Use a location your organisation already has (optional)", required=False,
        queryset=Location.objects.none(), empty_label="No, add a new location below",
    )
    location_type = forms.ChoiceField(
        label="What kind of location is it?", choices=LocationType.choices, widget=forms.RadioSelect,
        initial=LocationType.PHYSICAL,
    )
    name = forms.CharField(label="Name of the location", required=False, max_length=_max(Location, "name"),
                           help_text="Like “Leeds drop-in centre” or “HMP Leeds, education block”.")
    address_1 = forms.CharField(label="Address line 1", required=False, max_length=_max(Location, "address_1"),
                                widget=forms.TextInput(attrs={"autocomplete": "address-line1"}))
    address_2 = forms.CharField(label="Address line 2 (optional)", required=False,
                                max_length=_max(Location, "address_2"),
                                widget=forms.TextInput(attrs={"autocomplete": "address-line2"}))
    city = forms.CharField(label="Town or city", required=False, max_length=_max(Location, "city"),
                           widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    region = forms.CharField(label="County (optional)", required=False, max_length=_max(Location, "region"))
    postcode = forms.CharField(label="Postcode", required=False, max_length=10,
                               widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
                               error_messages={"max_length": "Enter a real postcode, like LS1 4AP"})
    prison = forms.ModelChoiceField(
        label="If it is inside a prison, which one? (optional)", required=False, queryset=None,
        empty_label="Not in a prison",
    )
    description = forms.CharField(label="How to find it (optional)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    accessibility = forms.CharField(
        label="Accessibility (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Step-free access, hearing loops, accessible toilets, and so on.",
    )

    def __init__(self, *args, service: Service, record: ServiceAtLocation | None = None, **kwargs):
        location = record.location if record is not None else None
        if location is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(location, name) for name in LOCATION_FIELDS}
        super().__init__(*args, **kwargs)
        self.fields["prison"].queryset = places_for_choice(
            kind=PlaceKind.PRISON, chosen=[location.prison] if location is not None and location.prison else []
        )
        choices = Location.objects.filter(organisation=service.organisation).exclude(
            service_at_locations__service=service
        ).order_by("name")
        fields = [
            Field.radios("location_type", legend_size=Size.SMALL, small=True),
            Field.text("name"),
            Field.text("address_1"),
            Field.text("address_2"),
            Field.text("city", field_width=Fluid.TWO_THIRDS),
            Field.text("region", field_width=Fluid.TWO_THIRDS),
            Field.text("postcode", field_width=Fixed.TEN),
            Field.select("prison"),
            Field.textarea("description", rows=2),
            Field.textarea("accessibility", rows=2),
        ]
        if record is None and choices.exists():
            self.fields["existing"].queryset = choices
            self.helper.layout = Layout(
                Field.select("existing"),
                HTML('<h2 class="govuk-heading-m">Or add a new location</h2>'),
                *fields,
            )
        else:
            del self.fields["existing"]
            self.helper.layout = Layout(*fields)

    def clean(self):
        data = super().clean()
        if not data.get("existing") and not (data.get("name") or "").strip() and "name" not in self.errors:
            self.add_error("name", "Enter the name of the location, or choose one your organisation already has")
        return data

    def service_kwargs(self) -> dict:
        if self.cleaned_data.get("existing"):
            return {"location": self.cleaned_data["existing"]}
        return {name: self.cleaned_data[name] for name in LOCATION_FIELDS}


class ScheduleForm(GovukFormMixin, forms.Form):
    attendance = forms.ChoiceField(
        label="How do people come?", widget=forms.RadioSelect,
        choices=[
            Choice(Attendance.OPENING_HOURS, "Open", hint="Opening hours: people can come or call."),
            Choice(Attendance.DROP_IN, "Drop-in", hint="No appointment needed."),
            Choice(Attendance.APPOINTMENT, "By appointment", hint="Only with an appointment."),
        ],
        error_messages={"required": "Choose how people come"},
    )
    weekday = forms.ChoiceField(label="Day of the week", choices=[("", "Choose a day"), *WEEKDAYS],
                                error_messages={"required": "Choose the day"})
    opens_at = _time_field("Opens at", "opens")
    closes_at = _time_field("Closes at", "closes")
    service_at_location = forms.ModelChoiceField(
        label="Where (optional)", required=False, queryset=ServiceAtLocation.objects.none(),
        empty_label="At any of its locations, or not at a place",
    )
    valid_from = DayField(label="From", help_text="Only if these times start on a date. For example, 1 4 2026")
    valid_to = DayField(label="Until", help_text="Only if these times end on a date. For example, 31 3 2027")
    notes = forms.CharField(label="Notes (optional)", required=False, max_length=_max(Schedule, "notes"),
                            help_text="Like “Women only” or “First Monday of the month”.")

    def __init__(self, *args, service: Service, record: Schedule | None = None, **kwargs):
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(record, name) for name in SCHEDULE_FIELDS}
            kwargs["initial"]["service_at_location"] = record.service_at_location_id
        super().__init__(*args, **kwargs)
        links = ServiceAtLocation.objects.filter(service=service).select_related("location").order_by("location__name")
        self.fields["service_at_location"].queryset = links
        self.fields["service_at_location"].label_from_instance = lambda link: link.location.name
        fields = [
            Field.radios("attendance", legend_size=Size.SMALL, small=True),
            Field.select("weekday"),
            Field.text("opens_at", field_width=Fixed.FIVE),
            Field.text("closes_at", field_width=Fixed.FIVE),
        ]
        if links.exists():
            fields.append(Field.select("service_at_location"))
        else:
            del self.fields["service_at_location"]
        self.helper.layout = Layout(*fields, Field("valid_from"), Field("valid_to"), Field.text("notes"))

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("service_at_location", None)
        return {name: data[name] for name in SCHEDULE_FIELDS}


class ContactForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name (optional)", required=False, max_length=_max(Contact, "name"))
    title = forms.CharField(label="Job title or role (optional)", required=False, max_length=_max(Contact, "title"))
    email = forms.EmailField(label="Email address (optional)", required=False,
                             widget=forms.TextInput(attrs=EMAIL_INPUT), error_messages={"invalid": EMAIL_INVALID})
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=_max(Contact, "phone"),
                            error_messages={"max_length": "The phone number must be 30 characters or fewer"})

    def __init__(self, *args, service: Service, record: Contact | None = None, **kwargs):
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(record, name) for name in CONTACT_FIELDS}
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("phone", field_width=Fixed.TWENTY),
        )

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONTACT_FIELDS}


class FundingForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What kind of funding is it?", choices=FundingKind.choices,
                             widget=forms.RadioSelect, error_messages={"required": "Choose the kind of funding"})
    funder = forms.ModelChoiceField(label="Funder", required=False, queryset=Organisation.objects.none(),
                                    empty_label="Not listed: type its name below")
    funder_name = forms.CharField(label="Funder's name, if not listed (optional)", required=False,
                                  max_length=_max(Funding, "funder_name"))
    stream = forms.CharField(label="Programme or fund (optional)", required=False, max_length=_max(Funding, "stream"),
                             help_text="Like “Supporting People” or “ESF Co-financing round 2”.")
    starts_on = DayField(label="Starts", help_text="For example, 1 4 2026")
    ends_on = DayField(label="Ends", help_text="For example, 31 3 2027")
    value_band = forms.ChoiceField(label="How much a year (optional)", required=False,
                                   choices=[("", "Not given"), *ValueBand.choices])

    def __init__(self, *args, service: Service, record: Funding | None = None, **kwargs):
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(record, name) for name in FUNDING_FIELDS}
            kwargs["initial"]["funder"] = record.funder_id
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = statutory_bodies_for_choice()
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.select("funder"),
            Field.text("funder_name", field_width=Fluid.TWO_THIRDS),
            Field.text("stream", field_width=Fluid.TWO_THIRDS),
            Field("starts_on"),
            Field("ends_on"),
            Field.select("value_band"),
        )

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in FUNDING_FIELDS}


class RelationshipForm(GovukFormMixin, forms.Form):
    statutory_body = forms.ModelChoiceField(
        label="Which statutory body?", queryset=Organisation.objects.none(), empty_label="Choose one",
        error_messages={"required": "Choose the statutory body"},
    )
    basis = forms.ChoiceField(label="On what basis?", choices=RelationshipBasis.choices, widget=forms.RadioSelect,
                              error_messages={"required": "Choose the basis of the relationship"})
    reference = forms.CharField(
        label="Contract or grant reference (optional)", required=False,
        max_length=_max(StatutoryRelationship, "reference"),
        help_text="Shown to people who are signed in, not to the public.",
    )
    starts_on = DayField(label="Starts", help_text="For example, 1 4 2026")
    ends_on = DayField(label="Ends", help_text="For example, 31 3 2027")

    def __init__(self, *args, service: Service, record: StatutoryRelationship | None = None, **kwargs):
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(record, name) for name in RELATIONSHIP_FIELDS}
            kwargs["initial"]["statutory_body"] = record.statutory_body_id
        super().__init__(*args, **kwargs)
        self.fields["statutory_body"].queryset = statutory_bodies_for_choice()
        self.helper.layout = Layout(
            Field.select("statutory_body"),
            Field.radios("basis", legend_size=Size.SMALL, small=True),
            Field.text("reference", field_width=Fluid.ONE_HALF),
            Field("starts_on"),
            Field("ends_on"),
        )

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in RELATIONSHIP_FIELDS}


class ConfirmForm(GovukFormMixin, forms.Form):
    """No questions: the button is the answer."""
