"""The fairness figures: who was told about opportunities, registered interest, bid and won, by size and
locality. The public page (and its CSV) gives aggregates only, never an organisation's name or anything
about a single bid; the agency's fuller page adds each organisation on each opportunity it ran.
Each chart is drawn here as SVG and its figures are in a table beside it, so nothing needs JavaScript.
"""

import csv
from dataclasses import dataclass

from crispy_forms_gds.layout import Div, Field, Layout
from django import forms
from django.http import HttpResponse
from django.shortcuts import render

from pathways.core.forms import GovukFormMixin
from pathways.organisations.audit_forms import DayField

from ..permissions import open_data as permissions
from ..selectors import fairness as selectors
from ..selectors.fairness import STAGES, Fairness, FairnessFilters, GroupFigures


class FairnessFilterForm(GovukFormMixin, forms.Form):
    published_from = DayField(label="Published from", help_text="For example, 1 4 2026")
    published_to = DayField(label="Published to", help_text="For example, 31 3 2027")
    buyer = forms.TypedChoiceField(label="Buyer", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, with_buyer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.buyers = {buyer.pk: buyer for buyer in selectors.buyer_choices()}
        self.fields["buyer"].choices = [("", "Any buyer"), *[(pk, b.name) for pk, b in self.buyers.items()]]
        if not with_buyer:
            del self.fields["buyer"]
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Div(
                Div(Field("published_from"), css_class="govuk-grid-column-one-half"),
                Div(Field("published_to"), css_class="govuk-grid-column-one-half"),
                css_class="govuk-grid-row",
            ),
            *([Field.select("buyer")] if with_buyer else []),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("published_from"), cleaned.get("published_to")
        if start and end and end < start:
            self.add_error("published_to", "The date published to must be the same as or after the date published from")
        return cleaned

    def filters(self, **extra) -> FairnessFilters:
        """The valid filters; with a mistake, the figures are for everything until it is put right."""
        if not self.is_valid():
            return FairnessFilters(**extra)
        data = self.cleaned_data
        return FairnessFilters(
            published_from=data.get("published_from"), published_to=data.get("published_to"),
            buyer=self.buyers.get(data.get("buyer")), **extra,
        )


# Charts -------------------------------------------------------------------------------------------------
# A horizontal bar chart: for each group, one bar per stage. Colour is never the only signal: each bar is
# labelled with its stage and its number, and the table beside the chart gives every figure.

STAGE_FILLS = {"told": "#1d70b8", "interested": "#4c2c92", "bid": "#f47738", "won": "#00703c"}
LABEL_WIDTH = 140
BAR_AREA = 170
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 18
TOP = 10


@dataclass
class Bar:
    x: int
    y: int
    width: int
    fill: str
    text: str
    text_x: int


@dataclass
class BarGroup:
    label: str
    y: int
    bars: list[Bar]


@dataclass
class BarChart:
    key: str
    title: str
    description: str
    width: int
    height: int
    groups: list[BarGroup]


def short_label(label: str) -> str:
    """The chart's label: "Micro (under £10,000)" is "Micro"; the table gives the full name."""
    return label.split(" (")[0]


def bar_chart(*, key: str, title: str, groups: list[GroupFigures]) -> BarChart:
    largest = max([count for group in groups for count in group.counts()] + [1])
    stage_count = len(STAGES)
    group_height = stage_count * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    drawn = []
    for index, group in enumerate(groups):
        top = TOP + index * group_height
        bars = []
        for position, ((stage, label), count) in enumerate(zip(STAGES, group.counts(), strict=True)):
            width = round(BAR_AREA * count / largest)
            bars.append(Bar(
                x=LABEL_WIDTH, y=top + position * (BAR_HEIGHT + BAR_GAP), width=width, fill=STAGE_FILLS[stage],
                text=f"{label}: {count}", text_x=LABEL_WIDTH + width + 6,
            ))
        drawn.append(BarGroup(label=short_label(group.label), y=top + 2 * (BAR_HEIGHT + BAR_GAP) - 2, bars=bars))
    described = "; ".join(
        f"{group.label}: " + ", ".join(f"{label.lower()} {count}" for (_, label), count in zip(STAGES, group.counts(), strict=True))
        for group in groups
    )
    return BarChart(
        key=key, title=title, description=f"{described}. The table beside the chart gives the same figures.",
        width=LABEL_WIDTH + BAR_AREA + 160, height=TOP + len(groups) * group_height, groups=drawn,
    )


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def group_rows(groups: list[GroupFigures]) -> list[dict]:
    return [{
        "label": group.label, "counts": group.counts(),
        "bid_rate": percent(group.bid_rate), "win_rate": percent(group.win_rate),
        "success_rate": percent(group.success_rate),
    } for group in groups]


def page_context(fairness: Fairness) -> dict:
    return {
        "fairness": fairness,
        "stages": STAGES,
        "charts": [
            {"chart": bar_chart(key="size", title="Taking part, by size of organisation", groups=fairness.by_size),
             "rows": group_rows(fairness.by_size), "heading": "Size (yearly income)"},
            {"chart": bar_chart(key="locality", title="Taking part, by where organisations work",
                                groups=fairness.by_locality),
             "rows": group_rows(fairness.by_locality), "heading": "Where they work"},
        ],
        "headline": group_rows([fairness.small_local, fairness.everyone_else, fairness.totals]),
        "small_local": fairness.small_local,
        "small_local_rates": group_rows([fairness.small_local])[0],
    }


# Pages ---------------------------------------------------------------------------------------------------

def fairness_public(request):
    form = FairnessFilterForm(request.GET or None)
    fairness = selectors.fairness_figures(filters=form.filters() if request.GET else FairnessFilters())
    return render(request, "commissioning/fairness/public.html", {
        "form": form, "query": request.GET.urlencode(), **page_context(fairness),
        "agencies": permissions.agencies_for_fairness(request.user),
    })


def fairness_public_csv(request):
    form = FairnessFilterForm(request.GET or None)
    fairness = selectors.fairness_figures(filters=form.filters() if request.GET else FairnessFilters())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fairness-figures.csv"'
    writer = csv.writer(response)
    writer.writerow(["Grouped by", "Group", *[label for _, label in STAGES],
                     "Of those told, share that bid", "Of those told, share that won", "Of those that bid, share that won"])
    sections = [("All", [fairness.totals]), ("Size", fairness.by_size), ("Where they work", fairness.by_locality),
                ("Small and local", [fairness.small_local, fairness.everyone_else])]
    for heading, groups in sections:
        for row in group_rows(groups):
            writer.writerow([heading, row["label"], *row["counts"], row["bid_rate"], row["win_rate"], row["success_rate"]])
    for _, label, count in fairness.channels:
        writer.writerow(["How they were told", label, count, "", "", "", "", "", ""])
    return response


def fairness_agency(request, slug):
    agency = permissions.agency_get_for_fairness(user=request.user, slug=slug)
    form = FairnessFilterForm(request.GET or None)
    filters = form.filters(agency=agency) if request.GET else FairnessFilters(agency=agency)
    fairness = selectors.fairness_figures(filters=filters)
    return render(request, "commissioning/fairness/agency.html", {
        "form": form, "agency": agency, "query": request.GET.urlencode(),
        "opportunity_rows": selectors.opportunity_rows(fairness),
        "size_labels": dict(selectors.SIZE_GROUPS), "locality_labels": dict(selectors.LOCALITY_GROUPS),
        "channel_labels": dict(selectors.CHANNELS),
        **page_context(fairness),
    })


def fairness_agency_csv(request, slug):
    agency = permissions.agency_get_for_fairness(user=request.user, slug=slug)
    form = FairnessFilterForm(request.GET or None)
    filters = form.filters(agency=agency) if request.GET else FairnessFilters(agency=agency)
    fairness = selectors.fairness_figures(filters=filters)
    sizes, localities, channels = dict(selectors.SIZE_GROUPS), dict(selectors.LOCALITY_GROUPS), dict(selectors.CHANNELS)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fairness-{agency.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Opportunity reference", "Opportunity", "Organisation", "Size", "Where they work",
                     "Told by", "Registered interest", "Bid", "Won"])
    for taking in fairness.takings:
        writer.writerow([
            taking.opportunity.reference, taking.opportunity.title, taking.organisation.name,
            sizes[taking.size], localities[taking.locality],
            "; ".join(channels[channel] for channel in sorted(taking.channels)),
            "yes" if taking.interested else "no", "yes" if taking.bid else "no", "yes" if taking.won else "no",
        ])
    return response
