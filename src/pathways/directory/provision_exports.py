"""The provision map as a spreadsheet: CSV and XLSX with one row for each pathway and area.

Both carry the same columns, so a commissioner can sort and filter the figures, or join them to their
own, without retyping what the map shows.
"""

import csv
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .selectors.provision import COVERED, ProvisionMap

HEADER = [
    "Pathway code",
    "Pathway",
    "Area id",
    "Area code",
    "Area",
    "Kind of area",
    "Services",
    "Checked in the last 12 months",
    "Not checked in the last 12 months",
    "Gap",
    "Why it is a gap",
]

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def provision_rows(provision: ProvisionMap) -> list[list]:
    """One row for each pathway and area, in the map's order."""
    return [
        [
            _text(cell.pathway.code), _text(cell.pathway.name),
            cell.area.pk, _text(cell.area.code), _text(cell.area.name), cell.area.get_kind_display(),
            cell.services, cell.fresh, cell.stale,
            "No" if cell.status == COVERED else "Yes", cell.status_label.removeprefix("Gap: "),
        ]
        for cell in provision.cells
    ]


def provision_filename(provision: ProvisionMap, extension: str) -> str:
    scope = f"-within-{provision.within.pk}" if provision.within else ""
    return f"provision-map-{provision.level.replace('_', '-')}{scope}-{provision.generated_at:%Y-%m-%d}.{extension}"


def provision_csv(provision: ProvisionMap) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads the £ and accents in names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(provision_rows(provision))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def provision_xlsx(provision: ProvisionMap) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Provision map"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in provision_rows(provision):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    widths = [24, 40, 8, 12, 28, 24, 10, 14, 14, 6, 44]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    about = workbook.create_sheet("About")
    about.append(["Provision map from Pathways"])
    about["A1"].font = Font(bold=True)
    within = f" within {provision.within.name}" if provision.within else ""
    about.append(["Areas", f"{provision.level_label}{within}"])
    about.append(["Made at", timezone.localtime(provision.generated_at).replace(tzinfo=None)])
    about["B3"].number_format = "yyyy-mm-dd hh:mm"
    about.append(["Counts", "Published services that are running or closed for a while. A service counts for "
                  "each area it serves and every area that contains it."])
    about.append(["Checked", "Checked in the last 12 months by the provider, a curator or an import."])
    about.append(["Gap", "No services, or none whose record was checked in the last 12 months."])
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 100

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
