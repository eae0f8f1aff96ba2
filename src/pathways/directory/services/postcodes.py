"""Loading where postcodes are: postcode district centroids, or the ONS Postcode Directory (ONSPD).

Two layouts, told apart by the first row:

* postcode districts (the bundled ``data/postcode_districts.csv``): ``outcode,latitude,longitude,town,county``;
* the ONS Postcode Directory: many columns, of which ``pcds`` (the postcode), ``lat``, ``long`` and
  ``doterm`` (the date a postcode was terminated) are read. Postcodes without a location (the
  directory gives them latitude 99.999999) and terminated postcodes are skipped.

The file is read as a stream and written in batches, inside one transaction: if any row is wrong,
nothing is saved and the error lists each problem by row and column. Codes already loaded are updated.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError

from ..models import PostcodeArea
from ..selectors.postcodes import DISTRICT, FULL_POSTCODE, postcode_compact

BATCH = 5000
MAX_PROBLEMS = 20
# Wide enough for the United Kingdom, the Channel Islands and the Isle of Man.
LATITUDES = (49.0, 61.0)
LONGITUDES = (-9.0, 2.5)
ONSPD_NO_LOCATION = 99.0  # the directory's latitude for a postcode with no grid reference is 99.999999


@dataclass(frozen=True)
class Layout:
    name: str
    code: str
    latitude: str
    longitude: str
    town: str | None = None
    county: str | None = None
    terminated: str | None = None


DISTRICTS = Layout("postcode districts", "outcode", "latitude", "longitude", "town", "county")
ONSPD = Layout("ONS Postcode Directory", "pcds", "lat", "long", terminated="doterm")


@dataclass(frozen=True)
class PostcodeLoad:
    layout: str
    loaded: int
    skipped: int


def postcodes_load(*, path: str | Path, by=None, progress: Callable[[int], None] | None = None) -> PostcodeLoad:
    """Load a postcode file, all or nothing. Raises DomainError naming every problem (up to 20)."""
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"There is no file at {path}.")
    with path.open(newline="", encoding="utf-8-sig", errors="strict") as file:
        try:
            return postcodes_load_stream(file=file, source=path.name, by=by, progress=progress)
        except UnicodeDecodeError:
            raise DomainError(f"{path.name} is not a UTF-8 text file; save it as CSV (UTF-8) and try again.") from None


@transaction.atomic
def postcodes_load_stream(*, file: io.TextIOBase, source: str = "the file", by=None,
                          progress: Callable[[int], None] | None = None) -> PostcodeLoad:
    reader = csv.reader(file)
    header = next(reader, None)
    if not header:
        raise DomainError(f"{source} is empty.")
    layout, columns = _layout(header, source)
    problems: list[str] = []
    batch: list[PostcodeArea] = []
    loaded = skipped = 0
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        area, problem = _area(row, columns, layout, number)
        if problem:
            problems.append(problem)
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        if area is None:
            skipped += 1
            continue
        if problems:
            continue  # nothing more will be saved; keep reading to report every problem
        batch.append(area)
        if len(batch) >= BATCH:
            loaded += _save(batch)
            batch = []
            if progress:
                progress(loaded)
    if problems:
        more = " (only the first 20 are listed)" if len(problems) >= MAX_PROBLEMS else ""
        raise DomainError(
            f"{source} was not loaded: nothing was saved. Correct these rows and load it again{more}:\n"
            + "\n".join(problems)
        )
    loaded += _save(batch)
    if loaded == 0:
        raise DomainError(f"{source} has no postcodes with a location; nothing was saved.")
    audit_record(actor=by, action=AuditAction.CREATED, target=None,
                 changes={"postcodes": [None, f"{loaded} loaded from {source} ({layout.name})"]})
    return PostcodeLoad(layout=layout.name, loaded=loaded, skipped=skipped)


def _layout(header: list[str], source: str) -> tuple[Layout, dict[str, int]]:
    names = [name.strip().lower() for name in header]
    for layout in (DISTRICTS, ONSPD):
        if layout.code in names:
            missing = [c for c in (layout.latitude, layout.longitude) if c not in names]
            if missing:
                raise DomainError(
                    f"{source} looks like the {layout.name} layout but has no {' or '.join(missing)} column."
                )
            wanted = [layout.code, layout.latitude, layout.longitude, layout.town, layout.county, layout.terminated]
            return layout, {c: names.index(c) for c in wanted if c and c in names}
    raise DomainError(
        f"The first row of {source} must name its columns: outcode, latitude, longitude (postcode districts) "
        "or pcds, lat, long (the ONS Postcode Directory)."
    )


def _cell(row: list[str], columns: dict[str, int], column: str | None) -> str:
    if column is None or column not in columns or columns[column] >= len(row):
        return ""
    return row[columns[column]].strip()


def _area(row, columns, layout: Layout, number: int) -> tuple[PostcodeArea | None, str | None]:
    raw = _cell(row, columns, layout.code)
    code = postcode_compact(raw)
    if not code:
        return None, f"Row {number}, {layout.code}: the postcode is missing."
    pattern = DISTRICT if layout is DISTRICTS else FULL_POSTCODE
    if not pattern.match(code):
        what = "a postcode district such as LS6" if layout is DISTRICTS else "a postcode such as LS6 1AN"
        return None, f"Row {number}, {layout.code}: '{raw}' is not {what}."
    if layout.terminated and _cell(row, columns, layout.terminated):
        return None, None
    values = {}
    for column, (low, high) in ((layout.latitude, LATITUDES), (layout.longitude, LONGITUDES)):
        text = _cell(row, columns, column)
        try:
            values[column] = float(text)
        except ValueError:
            return None, f"Row {number}, {column}: '{text}' is not a number." if text else \
                f"Row {number}, {column}: the value is missing."
        if layout is ONSPD and column == layout.latitude and values[column] > ONSPD_NO_LOCATION:
            return None, None
        if not low <= values[column] <= high:
            return None, f"Row {number}, {column}: {text} is outside the United Kingdom ({low} to {high})."
    return PostcodeArea(
        code=code, latitude=values[layout.latitude], longitude=values[layout.longitude],
        town=_cell(row, columns, layout.town)[:100], county=_cell(row, columns, layout.county)[:100],
    ), None


def _save(batch: list[PostcodeArea]) -> int:
    if not batch:
        return 0
    batch = list({area.code: area for area in batch}.values())  # a code twice in a batch: the last counts
    PostcodeArea.objects.bulk_create(
        batch, update_conflicts=True, unique_fields=["code"], update_fields=["latitude", "longitude", "town", "county"]
    )
    return len(batch)
