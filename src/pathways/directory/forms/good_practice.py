"""Forms of the good-practice bank: searching it, writing a write-up, and a curator's decision."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Layout, Size
from django import forms

from pathways.core.forms import GovukFormMixin
from pathways.organisations.models import Place, PlaceKind
from pathways.organisations.selectors import PLACE_KIND_PLURALS, areas_by_kind, places_for_choice
from pathways.taxonomy.models import Term

from ..models import EvidenceStrength, GoodPractice
from ..selectors.good_practice import good_practice_linkable_services, pathways_for_choice
from ..services.good_practice import GOOD_PRACTICE_FIELDS

# What each strength of evidence means, in plain words, weakest first.
EVIDENCE_HINTS = {
    EvidenceStrength.STORIES: "What people who used it say. Shows what it felt like, not how much it changed.",
    EvidenceStrength.MONITORING: "Numbers the provider kept, such as how many people came and finished.",
    EvidenceStrength.BEFORE_AFTER: "The same measures taken before and after, such as a distance travelled scale.",
    EvidenceStrength.EVALUATED: "Someone independent of the provider studied it and reported.",
    EvidenceStrength.COMPARISON: "Outcomes compared with a matched group who did not take part, such as a "
    "Justice Data Lab report. The strongest evidence that it made the difference.",
}


def _heading(text: str) -> HTML:
    return HTML(f'<h2 class="govuk-heading-m">{text}</h2>')


class GoodPracticeFilterForm(GovukFormMixin, forms.Form):
    """Search and filters for the bank. Sent with GET, so every field is optional."""

    q = forms.CharField(label="Words to search for", required=False, max_length=200)
    pathway = forms.ModelChoiceField(
        label="Pathway", required=False, queryset=Term.objects.none(), to_field_name="code",
        empty_label="Any pathway", error_messages={"invalid_choice": "Select a pathway from the list"},
    )
    area = forms.ModelChoiceField(
        label="Area", required=False, queryset=Place.objects.all(),
        error_messages={"invalid_choice": "Select an area from the list"},
    )
    strength = forms.ChoiceField(
        label="Evidence", required=False, choices=[("", "Any evidence")] + EvidenceStrength.choices,
        error_messages={"invalid_choice": "Select a kind of evidence from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].queryset = pathways_for_choice()
        places = Place.objects.filter(retired_at__isnull=True)
        self.fields["area"].choices = [("", "Anywhere")] + [
            (kind, [(place.pk, place.name) for place in group]) for kind, group in areas_by_kind(places=places)
        ]
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.text("q"), Field.select("pathway"), Field.select("area"), Field.select("strength")
        )

    def filters(self) -> dict:
        """The valid filters, for ``good_practice_list_published``; an invalid one is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q", ""),
            "pathway": data.get("pathway"),
            "area": data.get("area"),
            "evidence_strength": data.get("strength", ""),
        }


class GoodPracticeForm(GovukFormMixin, forms.Form):
    """A write-up: what was done, the evidence and its strength, and what it is about."""

    title = forms.CharField(
        label="Title", max_length=GoodPractice._meta.get_field("title").max_length,
        error_messages={"required": "Enter a title", "max_length": "The title must be 200 characters or fewer"},
    )
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was done and what difference it made, in a few sentences.",
        error_messages={"required": "Enter a summary of what was done and what difference it made"},
    )
    body = forms.CharField(
        label="The full story (optional)", required=False, widget=forms.Textarea(attrs={"rows": 10}),
        help_text="How it works, who it is for, what it costs, what others would need to do it too.",
    )
    evidence = forms.CharField(
        label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the claims rest on, with links or references. Needed before you submit it.",
    )
    evidence_strength = forms.ChoiceField(
        label="How strong is the evidence?", widget=forms.RadioSelect,
        choices=[Choice(value, label, hint=EVIDENCE_HINTS[value]) for value, label in EvidenceStrength.choices],
        error_messages={"required": "Select how strong the evidence is"},
    )
    terms = forms.ModelMultipleChoiceField(
        label="Pathways", required=False, queryset=Term.objects.none(), widget=forms.CheckboxSelectMultiple,
    )
    services = forms.ModelMultipleChoiceField(
        label="Your services it is about", required=False, queryset=None, widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation, good_practice: GoodPractice | None = None, **kwargs):
        chosen_services, chosen_terms, chosen_areas = [], [], []
        if good_practice is not None:
            chosen_services = list(good_practice.services.all())
            chosen_terms = list(good_practice.terms.all())
            chosen_areas = list(good_practice.areas.all())
            kwargs.setdefault("initial", {
                **{field: getattr(good_practice, field) for field in GOOD_PRACTICE_FIELDS},
                "services": [s.pk for s in chosen_services],
                "terms": [t.pk for t in chosen_terms],
            })
        super().__init__(*args, **kwargs)
        self.fields["terms"].queryset = (
            pathways_for_choice() | Term.objects.filter(pk__in=[t.pk for t in chosen_terms])
        ).distinct()
        services = good_practice_linkable_services(organisation=organisation, chosen=chosen_services)
        self.fields["services"].queryset = services
        self.fields["services"].choices = [
            (s.pk, s.name if s.organisation_id == organisation.pk else f"{s.name} ({s.organisation.name})")
            for s in services
        ]
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
            Field.text("title"),
            Field.textarea("summary", rows=4),
            Field.textarea("body", rows=10),
            _heading("Evidence"),
            Field.textarea("evidence", rows=6),
            Field.radios("evidence_strength", legend_size=Size.SMALL, small=True),
            _heading("What it is about"),
            Field.checkboxes("terms", legend_size=Size.SMALL, small=True),
            Field.checkboxes("services", legend_size=Size.SMALL, small=True) if services else HTML(""),
            _heading("Where") if self.area_fields else HTML(""),
            *(Field.checkboxes(name, legend_size=Size.SMALL, small=True) for name in self.area_fields),
        )

    def good_practice_fields(self) -> dict:
        return {field: self.cleaned_data[field] for field in GOOD_PRACTICE_FIELDS}

    def links(self) -> dict:
        return {
            "services": list(self.cleaned_data["services"]),
            "terms": list(self.cleaned_data["terms"]),
            "areas": [place for name in self.area_fields for place in self.cleaned_data[name]],
        }


class ReviewForm(GovukFormMixin, forms.Form):
    """A curator's decision on a write-up."""

    PUBLISH = "publish"
    RETURN = "return"

    decision = forms.ChoiceField(
        label="Your decision", widget=forms.RadioSelect,
        error_messages={"required": "Select whether to publish it or return it"},
    )
    note = forms.CharField(
        label="Note to the authors", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when you return it: say what to change. The authors will see it.",
    )

    def __init__(self, *args, can_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if can_publish:
            choices.append(Choice(
                self.PUBLISH, "Publish it", hint="Anyone can then read it, and it shows beside the services it matches."
            ))
        choices.append(
            Choice(self.RETURN, "Return it to the authors", hint="They can change it and submit it again.")
        )
        self.fields["decision"].choices = choices
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("note", rows=4)
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not data.get("note", "").strip():
            self.add_error("note", "Say why it is being returned: the authors will see this note")
        return data
