"""Spreadsheet files for the import: reading CSV and XLSX, writing the template, and keeping an upload
between its preview and its commit.

An upload is kept at MEDIA_ROOT/imports/<uuid>.<csv|xlsx>, with what is known about it (who uploaded
it, its preview, its outcome) in <uuid>.json beside it. MEDIA_ROOT is not served: only the uploader
reaches an import, through the import pages. Files go after the commit, or after IMPORT_LIFETIME.
"""

import codecs
import csv
import io
import json
import os
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from pathways.core.errors import DomainError

from .spreadsheet_columns import COLUMNS, KEY_BY_HEADING, heading_key

# Limits on what is uploaded.
IMPORT_MAX_BYTES = 10 * 1024 * 1024
IMPORT_MAX_ROWS = 20_000
# Rows read at all, blank ones included, and columns read of each row: a file claiming more is refused.
IMPORT_MAX_RAW_ROWS = 100_000
IMPORT_MAX_COLUMNS = 200
# An Excel file is a zip: refuse one that would unpack to more than this (a "zip bomb").
XLSX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# How long an upload is kept between preview and commit.
IMPORT_LIFETIME = timedelta(days=1)
# A commit's lock older than this was left by a process that died: it no longer stops another commit.
LOCK_STALE_AFTER = timedelta(hours=1)

EXTENSIONS = ("csv", "xlsx")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format

FILE_FIELD = "file"
WINDOWS_1252_NOTICE = (
    "The file was not saved as UTF-8, so it was read as Windows-1252 (the older Excel CSV format). "
    "Check that names with accents and £ signs look right below. To be sure, save it from your "
    "spreadsheet as “CSV UTF-8” and upload it again."
)


def _file_error(message: str) -> DomainError:
    return DomainError(message, field=FILE_FIELD)


# Reading ---------------------------------------------------------------------------------------------

@dataclass
class Table:
    """The rows of an uploaded sheet: ``columns`` maps a column key to its position; ``rows`` yields
    (spreadsheet row number, {column key: cell text}) for each row that is not blank."""

    columns: dict[str, int]
    rows: Iterator[tuple[int, dict[str, str]]]
    notices: list[str] = field(default_factory=list)
    problems: list[tuple[str | None, str]] = field(default_factory=list)


def cell_text(value) -> str:
    """What a person sees in a cell, as text: 18 not 18.0, yes/no for TRUE/FALSE, 09:30 for a time."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat") and hasattr(value, "hour"):  # a time
        return value.strftime("%H:%M")
    if hasattr(value, "isoformat"):  # a date
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _columns_from_headings(headings: list[str]) -> tuple[dict[str, int], list[str], list[tuple[str | None, str]]]:
    """Positions of the template's columns; notices of columns that were ignored; problems."""
    columns: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[tuple[str | None, str]] = []
    for position, heading in enumerate(headings):
        text = cell_text(heading)
        if not text:
            continue
        key = KEY_BY_HEADING.get(heading_key(text))
        if key is None:
            ignored.append(text)
        elif key in columns:
            problems.append((text, "this column heading appears more than once"))
        else:
            columns[key] = position
    notices = []
    if ignored:
        names = ", ".join(f"“{name}”" for name in ignored)
        notices.append(
            f"These columns are not in the template, so they were ignored: {names}. "
            "If one of them should be read, correct its heading to match the template."
        )
    return columns, notices, problems


def _rows(raw_rows: Iterator[tuple[int, list]], columns: dict[str, int]) -> Iterator[tuple[int, dict[str, str]]]:
    for number, cells in raw_rows:
        if number > IMPORT_MAX_RAW_ROWS:
            raise _file_error(f"The file has more than {IMPORT_MAX_RAW_ROWS:,} rows, counting blank ones. Delete "
                              "the blank rows at its end, or split it into smaller files.")
        values = {key: (cell_text(cells[pos]) if pos < len(cells) else "") for key, pos in columns.items()}
        if any(values.values()):
            yield number, values


def _decode_csv(data: bytes) -> tuple[str, list[str]]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), []
        except UnicodeDecodeError:
            raise _file_error("The file says it is UTF-8 but it is not. Save it again as “CSV UTF-8”.") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise _file_error("The file could not be read as text. Save it again as “CSV UTF-8”.") from None
    if b"\x00" in data:
        raise _file_error("The file is not a CSV file: it holds data that is not text. Upload a CSV or .xlsx file.")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), [WINDOWS_1252_NOTICE]
    except UnicodeDecodeError:
        raise _file_error(
            "The file is not saved as UTF-8 or Windows-1252 text, so it cannot be read. "
            "Save it from your spreadsheet as “CSV UTF-8” and upload it again."
        ) from None


def _delimiter(first_line: str) -> str:
    """Commas, or semicolons or tabs if the heading row is separated by those instead."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


@contextmanager
def _open_csv(path: Path):
    text, notices = _decode_csv(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))

    def numbered() -> Iterator[tuple[int, list]]:
        try:
            for row in reader:
                yield reader.line_num, row[:IMPORT_MAX_COLUMNS]
        except csv.Error as error:
            raise _file_error(f"Row {reader.line_num}: the file could not be read as CSV ({error}).") from None

    rows = numbered()
    first = next(rows, None)
    yield (first[1] if first else []), rows, notices


def _check_xlsx_container(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise _file_error("The file is not an Excel workbook (.xlsx). Save it again as .xlsx or as CSV.") from None
    if "xl/workbook.xml" not in names:
        raise _file_error("The file is not an Excel workbook (.xlsx). Save it again as .xlsx or as CSV.")
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise _file_error("The workbook is too large to read. Split it into smaller files, or save it as CSV.")


@contextmanager
def _open_xlsx(path: Path):
    from openpyxl import load_workbook

    _check_xlsx_container(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        raise _file_error("The workbook could not be opened. Save it again as .xlsx or as CSV.") from None
    try:
        sheet = workbook["Services"] if "Services" in workbook.sheetnames else workbook.worksheets[0]
        # The size a sheet claims is not trusted: only the cells it holds are read.
        sheet.reset_dimensions()
        values = sheet.iter_rows(values_only=True, max_col=IMPORT_MAX_COLUMNS)
        rows = ((number, list(cells)) for number, cells in enumerate(values, start=1))
        first = next(rows, None)
        yield (first[1] if first else []), rows, []
    finally:
        workbook.close()


def sniff_extension(path: Path, name: str) -> str:
    """'csv' or 'xlsx', from the file's name and checked against its first bytes."""
    extension = Path(name).suffix.lower().lstrip(".")
    with path.open("rb") as file:
        start = file.read(8)
    if extension == "xls" or start.startswith(OLE_MAGIC):
        raise _file_error("Older Excel files (.xls) cannot be read. Save it as .xlsx or as CSV and upload that.")
    if extension not in EXTENSIONS:
        raise _file_error("The file must be a CSV file (.csv) or an Excel workbook (.xlsx).")
    if extension == "xlsx" and not start.startswith(ZIP_MAGIC):
        raise _file_error("The file is not an Excel workbook (.xlsx). Save it again as .xlsx or as CSV.")
    if extension == "csv" and start.startswith(ZIP_MAGIC):
        raise _file_error("The file is an Excel workbook with a .csv name. Save it as .xlsx, or as CSV, and upload it again.")
    return extension


@contextmanager
def open_table(path: Path, extension: str):
    """The sheet's columns and rows. Raises DomainError for a file that cannot be read at all."""
    opener = _open_xlsx if extension == "xlsx" else _open_csv
    with opener(path) as (headings, raw_rows, notices):
        if not any(cell_text(heading) for heading in headings):
            raise _file_error(
                "The first row of the file is empty. It must hold the column headings of the template, "
                "starting with “External ID”."
            )
        columns, heading_notices, problems = _columns_from_headings(headings)
        yield Table(columns=columns, rows=_rows(raw_rows, columns), notices=notices + heading_notices,
                    problems=problems)


def table_row_count(path: Path, extension: str) -> int:
    """How many rows hold something, not counting the headings; stops counting past the limit."""
    with open_table(path, extension) as table:
        count = 0
        for count, _row in enumerate(table.rows, start=1):
            if count > IMPORT_MAX_ROWS:
                break
        return count


# The template ----------------------------------------------------------------------------------------

def template_csv() -> bytes:
    """The template as CSV: the heading row only, with a byte-order mark so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([column.label for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(*, lists: dict[str, list[str]]) -> bytes:
    """The template as an Excel workbook: a Services sheet to fill in (drop-down lists where a column
    takes set values), a Guidance sheet explaining every column, and the Lists of names to use.

    ``lists`` maps a list's title (such as "Pathways") to its entries.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    services = workbook.active
    services.title = "Services"
    services.append([column.label for column in COLUMNS])
    services.freeze_panes = "B2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for position, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(position)
        services[f"{letter}1"].font = bold
        services.column_dimensions[letter].width = column.width
        if column.choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True,
                showErrorMessage=True, errorTitle=column.label,
                error=f"{column.label}: choose one of {', '.join(column.choices)}, or leave it blank.",
            )
            validation.add(f"{letter}2:{letter}{IMPORT_MAX_ROWS + 1}")
            services.add_data_validation(validation)

    guidance = workbook.create_sheet("Guidance")
    guidance.append(["Column", "Required", "What to enter", "Allowed values", "Example"])
    for cell in guidance[1]:
        cell.font = bold
    for column in COLUMNS:
        guidance.append([column.label, "Required" if column.required else "", column.guidance, column.allowed,
                         column.example])
    for letter, width in zip("ABCDE", (24, 10, 60, 50, 34), strict=True):
        guidance.column_dimensions[letter].width = width
    for row in guidance.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    guidance.append([])
    for line in GUIDANCE_NOTES:
        guidance.append([line])

    sheet = workbook.create_sheet("Lists")
    titles = list(lists)
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = bold
    for position, title in enumerate(titles, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = 40
        for row, entry in enumerate(lists[title], start=2):
            sheet.cell(row=row, column=position, value=entry)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GUIDANCE_NOTES = [
    "Fill in one row for each service on the Services sheet. Keep the heading row as it is.",
    "Importing the file again updates the services with the same External ID: change the rows and import it again.",
    "A column you leave out of the file is left as it is on every service; a blank cell in a column that is there "
    "clears that detail (the Allowed values column says what a blank means where it means something else).",
    "The row is the whole record for the columns it has: its location, drop-in and opening times, contact and "
    "funding replace the service's earlier ones.",
    "Nothing is saved until you have seen the preview and chosen to import. If any row has a problem, nothing is "
    "imported: correct the file and upload it again.",
]


# Keeping an upload -----------------------------------------------------------------------------------

def imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


class ImportState:
    CHECKING = "checking"  # a background job is checking the file
    CHECKED = "checked"  # the preview is ready
    COMMITTING = "committing"  # a background job is importing the services
    COMMITTED = "committed"  # done: the outcome is ready and the file is gone


@dataclass
class SpreadsheetImport:
    """An uploaded spreadsheet on its way into the knowledge base."""

    id: str
    user_id: int
    file_name: str
    extension: str
    size: int
    rows: int
    uploaded_at: str
    acting_for_id: int | None = None
    state: str = ImportState.CHECKED
    job_id: str | None = None
    preview: dict | None = None
    outcome: dict | None = None

    @classmethod
    def new(cls, *, user_id: int, file_name: str, extension: str, size: int, acting_for_id=None):
        return cls(
            id=str(uuid.uuid4()), user_id=user_id, file_name=file_name, extension=extension, size=size, rows=0,
            uploaded_at=timezone.now().isoformat(), acting_for_id=acting_for_id,
        )

    @property
    def file_path(self) -> Path:
        return imports_dir() / f"{self.id}.{self.extension}"

    @property
    def record_path(self) -> Path:
        return imports_dir() / f"{self.id}.json"

    @property
    def lock_path(self) -> Path:
        return imports_dir() / f"{self.id}.lock"

    @property
    def uploaded(self) -> datetime:
        return datetime.fromisoformat(self.uploaded_at)

    @property
    def is_expired(self) -> bool:
        return timezone.now() - self.uploaded > IMPORT_LIFETIME

    @property
    def problems(self) -> list[dict]:
        return (self.preview or {}).get("problems", [])

    def save(self) -> None:
        """Write the record so that a reader never sees half of it."""
        imports_dir().mkdir(parents=True, exist_ok=True)
        partial = self.record_path.with_suffix(".json.partial")
        partial.write_text(json.dumps(asdict(self), default=str), encoding="utf-8")
        os.replace(partial, self.record_path)

    @classmethod
    def load(cls, import_id) -> "SpreadsheetImport | None":
        try:
            key = str(uuid.UUID(str(import_id)))
        except ValueError:
            return None
        path = imports_dir() / f"{key}.json"
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def remove_file(self) -> None:
        self.file_path.unlink(missing_ok=True)

    def remove(self) -> None:
        self.remove_file()
        self.lock_path.unlink(missing_ok=True)
        self.record_path.unlink(missing_ok=True)

    @contextmanager
    def lock(self):
        """Only one commit of an import at a time: a second click while the first runs is refused."""
        try:
            handle = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if not self._lock_is_stale():
                raise DomainError("This import is already being saved. Wait a moment and look again.") from None
            self.lock_path.unlink(missing_ok=True)
            handle = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        os.close(handle)
        try:
            yield
        finally:
            self.lock_path.unlink(missing_ok=True)

    def _lock_is_stale(self) -> bool:
        try:
            age = datetime.now().timestamp() - self.lock_path.stat().st_mtime
        except OSError:
            return True
        return age > LOCK_STALE_AFTER.total_seconds()


def expired_imports_remove(*, now=None) -> int:
    """Remove uploads (and their records) older than IMPORT_LIFETIME. Returns how many imports went."""
    folder = imports_dir()
    if not folder.is_dir():
        return 0
    cutoff = (now or timezone.now()) - IMPORT_LIFETIME
    removed = 0
    for path in folder.iterdir():
        try:
            modified = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.get_current_timezone())
        except OSError:
            continue
        if modified >= cutoff:
            continue
        if path.suffix == ".json":
            record = SpreadsheetImport.load(path.stem)
            if record is not None and record.uploaded >= cutoff:
                continue
            removed += 1
        path.unlink(missing_ok=True)
    return removed
