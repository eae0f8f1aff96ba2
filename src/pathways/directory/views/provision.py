"""The provision map: pathways by area, as a chart and as the same figures in a table, with the
services behind each figure and the whole map as CSV or XLSX.

Public. Every figure is counted from published records only, and the services behind a figure are
published ones, so the map shows nothing that the directory does not already show to anyone; being
open lets providers, funders and the public see the gaps that commissioners see.
"""

import textwrap
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..forms.provision import ProvisionMapForm
from ..provision_exports import provision_csv, provision_filename, provision_xlsx
from ..selectors import provision as selectors
from ..selectors.provision import COVERED, GAP, Figures, ProvisionMap

PAGE_SIZE = 50


@require_GET
def provision_map(request):
    form = ProvisionMapForm(request.GET or None)
    level, within = form.choice()
    provision = selectors.provision_map_cached(level=level, within=within)
    return render(request, "directory/provision/map.html", {
        "form": form,
        "provision": provision,
        "chart": provision_chart(provision),
        "query": _map_query(provision.level, provision.within),
    })


@require_GET
def provision_export(request, format):
    level, within = ProvisionMapForm(request.GET or None).choice()
    provision = selectors.provision_map_cached(level=level, within=within)
    if format == "csv":
        response = HttpResponse(provision_csv(provision), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            provision_xlsx(provision),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{provision_filename(provision, format)}"'
    return response


@require_GET
def provision_services(request):
    """The services behind one figure of the map."""
    pathway = selectors.pathway_get(code=request.GET.get("pathway", ""))
    area = selectors.area_get(area_id=request.GET.get("area"))
    if pathway is None or area is None:
        raise Http404("No such pathway or area")
    services = selectors.provision_services(pathway=pathway, area=area)
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    level, within = ProvisionMapForm(request.GET).choice()
    return render(request, "directory/provision/services.html", {
        "pathway": pathway,
        "area": area,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "figures": selectors.provision_figures(services=services),
        "query": _map_query(level, within),
    })


def _map_query(level: str, within) -> str:
    """The map's own address parameters, so the services page and the downloads show the same map."""
    query = f"level={level}"
    if within is not None:
        query += f"&within={within.pk}"
    return query


# The chart: a server-drawn SVG heat map. Colour is never the only signal: each square carries its
# number and a word, gaps have a dashed red border and stale-only squares are hatched.

LABEL_WIDTH = 250
CELL_WIDTH = 68
CELL_HEIGHT = 46
CHARACTER_WIDTH = 7.2  # about, for 13px Arial
LEGEND_HEIGHT = 80
TOTAL_GAP = 12

# (least services, fill, text colour, legend label)
SHADES = [
    (7, "#1d70b8", "#ffffff", "7 or more services"),
    (4, "#6f9fd0", "#0b0c0c", "4 to 6 services"),
    (2, "#b4cfe8", "#0b0c0c", "2 or 3 services"),
    (1, "#e8f1f8", "#0b0c0c", "1 service"),
]
GAP_STROKE = "#d4351c"
STALE_FILL = "url(#provision-stale)"


@dataclass(frozen=True)
class ChartSquare:
    x: int
    y: int
    fill: str
    text_colour: str
    number: str
    word: str
    dashed: bool = False


@dataclass(frozen=True)
class ChartLabel:
    x: int
    y: int
    lines: list[str]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    cell_width: int
    cell_height: int
    squares: list[ChartSquare]
    row_labels: list[ChartLabel]
    column_labels: list[ChartLabel]
    legend: list[tuple[int, ChartSquare, str]]
    legend_y: int
    total_x: int


def _square(figures: Figures, x: int, y: int) -> ChartSquare:
    if figures.status == GAP:
        return ChartSquare(x, y, "#ffffff", GAP_STROKE, "0", "gap", dashed=True)
    if figures.status != COVERED:
        return ChartSquare(x, y, STALE_FILL, "#0b0c0c", str(figures.services), "stale")
    fill, text = next((fill, text) for least, fill, text, _ in SHADES if figures.services >= least)
    return ChartSquare(x, y, fill, text, str(figures.services), f"{figures.fresh_percent}% fresh")


def _wrap(text: str, width: int, lines: int) -> list[str]:
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def provision_chart(provision: ProvisionMap) -> Chart:
    """Where everything goes in the SVG, in its own units (the SVG scales to the page's width)."""
    columns = len(provision.areas)
    total_x = LABEL_WIDTH + columns * CELL_WIDTH + TOTAL_GAP
    names = [_wrap(area.name, 24, 1)[0] for area in provision.areas] + ["All these areas"]
    # Column labels are turned 45 degrees: room above the squares for the longest of them.
    top = int(max(len(name) for name in names) * CHARACTER_WIDTH * 0.71) + 24
    squares, row_labels = [], []
    for index, row in enumerate(provision.rows):
        y = top + index * CELL_HEIGHT
        lines = _wrap(row.pathway.name, 34, 2)
        row_labels.append(ChartLabel(LABEL_WIDTH - 10, y + (26 if len(lines) == 1 else 18), lines))
        for column, cell in enumerate(row.cells):
            squares.append(_square(cell, LABEL_WIDTH + column * CELL_WIDTH, y))
        squares.append(_square(row.total, total_x, y))
    column_labels = [
        ChartLabel(LABEL_WIDTH + column * CELL_WIDTH + CELL_WIDTH // 2, top - 8, [name])
        for column, name in enumerate(names[:-1])
    ]
    column_labels.append(ChartLabel(total_x + CELL_WIDTH // 2, top - 8, [names[-1]]))
    legend_y = top + len(provision.rows) * CELL_HEIGHT + 24
    legend_items = [
        *((fill, text, label, "") for _, fill, text, label in reversed(SHADES)),
        (STALE_FILL, "#0b0c0c", "None checked in 12 months", "stale"),
        ("#ffffff", GAP_STROKE, "No services", "gap"),
    ]
    legend = []
    for index, (fill, text, label, word) in enumerate(legend_items):
        x = 10 + (index % 3) * 250
        y = legend_y + (index // 3) * 30
        legend.append((x, ChartSquare(x, y, fill, text, "", word, dashed=word == "gap"), label))
    width = max(total_x + CELL_WIDTH // 2 + top, 770)  # the last label leans out to the right
    return Chart(
        width=width, height=legend_y + LEGEND_HEIGHT, cell_width=CELL_WIDTH - 4, cell_height=CELL_HEIGHT - 4,
        squares=squares, row_labels=row_labels, column_labels=column_labels, legend=legend, legend_y=legend_y,
        total_x=total_x,
    )
