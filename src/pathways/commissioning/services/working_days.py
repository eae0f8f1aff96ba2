"""Working days in England and Wales: Monday to Friday, less bank holidays. The standstill period after an
award decision is counted in them.

The `holidays` package (on PyPI) is not a dependency of Pathways, so the bank holidays are kept here as a
dated list. Source: GOV.UK, "UK bank holidays", England and Wales (https://www.gov.uk/bank-holidays),
as published in November 2026; 2028 follows the usual rules (no special days announced yet). Add each
new year's dates when GOV.UK publishes them; ``LIST_COVERS_TO`` says how far the list goes, and beyond it
the usual rules are used (``usual_bank_holidays``), which miss one-off days such as a coronation.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

BANK_HOLIDAYS_ENGLAND_AND_WALES = frozenset({
    # 2024
    date(2024, 1, 1), date(2024, 3, 29), date(2024, 4, 1), date(2024, 5, 6), date(2024, 5, 27),
    date(2024, 8, 26), date(2024, 12, 25), date(2024, 12, 26),
    # 2025
    date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5), date(2025, 5, 26),
    date(2025, 8, 25), date(2025, 12, 25), date(2025, 12, 26),
    # 2026 (Boxing Day is a Saturday: the substitute day is Monday 28 December)
    date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4), date(2026, 5, 25),
    date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28),
    # 2027 (Christmas Day and Boxing Day fall at the weekend: substitute days 27 and 28 December)
    date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3), date(2027, 5, 31),
    date(2027, 8, 30), date(2027, 12, 27), date(2027, 12, 28),
    # 2028 (New Year's Day is a Saturday: substitute day Monday 3 January)
    date(2028, 1, 3), date(2028, 4, 14), date(2028, 4, 17), date(2028, 5, 1), date(2028, 5, 29),
    date(2028, 8, 28), date(2028, 12, 25), date(2028, 12, 26),
})
LIST_COVERS = (2024, 2028)


def _easter_sunday(year: int) -> date:
    """The Anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def usual_bank_holidays(year: int) -> set[date]:
    """England and Wales bank holidays by the usual rules, substitute days included."""
    easter = _easter_sunday(year)
    days = {easter - timedelta(days=2), easter + timedelta(days=1), _first_monday(year, 5),
            _last_monday(year, 5), _last_monday(year, 8)}
    new_year = date(year, 1, 1)
    days.add(new_year if new_year.weekday() < 5 else new_year + timedelta(days=7 - new_year.weekday()))
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    taken = set()
    for day in (christmas, boxing):
        moved = day
        while moved.weekday() >= 5 or moved in taken:
            moved += timedelta(days=1)
        taken.add(moved)
    return days | taken


def is_bank_holiday(day: date) -> bool:
    if LIST_COVERS[0] <= day.year <= LIST_COVERS[1]:
        return day in BANK_HOLIDAYS_ENGLAND_AND_WALES
    return day in usual_bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def working_days_after(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    day = start
    counted = 0
    while counted < count:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def standstill_end(decision_at: datetime, working_days: int) -> datetime:
    """When a standstill that starts at ``decision_at`` ends: midnight at the close of its last working
    day, UK time. The day of the decision does not count."""
    local = timezone.localtime(decision_at)
    last_day = working_days_after(local.date(), working_days)
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min), local.tzinfo)
