"""Dates as people type them, and the calendar arithmetic finsek's reports share.

One place for months (names, ends, stepping) and fiscal years, so the board
report, the audit, pledges, the app and the template agree on what "this
fiscal year" and "the end of March" mean.
"""

import datetime as dt
import re

from finsek.core.errors import Refused
from finsek.core.text import printable

ONE_DAY = dt.timedelta(days=1)

#: English month names and abbreviations (the reports' language; translated text comes from the catalogue).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
MONTH_ABBR = tuple(name[:3] for name in MONTH_NAMES)

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COMPACT_DAY = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


def parse_date(text: str | dt.date, today: dt.date | None = None, field: str = "date") -> dt.date:
    if isinstance(text, dt.date):
        return text
    today = today or dt.date.today()
    raw = (text or "").strip().lower()
    if raw in ("", "today", "idag"):
        return today
    if raw in ("yesterday", "igår", "igar"):
        return today - ONE_DAY
    if compact := _COMPACT_DAY.fullmatch(raw):
        raise Refused(
            f"'{raw}' is not a date finsek reads: type it as {'-'.join(compact.groups())}, with dashes.",
            field,
        )
    try:
        if not _ISO_DAY.fullmatch(raw):
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Refused(
            f"'{printable(text)}' is not a date: type it as YYYY-MM-DD (for example "
            f"{today.isoformat()}), or 'today' or 'yesterday'.",
            field,
        ) from None


def parse_through(text: str, today: dt.date | None = None) -> dt.date:
    """The last day of a period as typed: ``YYYY-MM-DD``, or ``YYYY-MM`` for that month's last day."""
    raw = (text or "").strip()
    if len(raw) == 7 and raw[4] == "-":
        try:
            return month_end(dt.date.fromisoformat(raw + "-01"))
        except ValueError:
            pass
    return parse_date(raw, today, "through")


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    return add_months(day, 1) - ONE_DAY


def is_month_end(day: dt.date) -> bool:
    return (day + ONE_DAY).day == 1


def last_month_end(today: dt.date) -> dt.date:
    """The last day of the month before ``today``'s."""
    return today.replace(day=1) - ONE_DAY


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last days of the months that end inside ``start``..``end``."""
    found = []
    month = start.replace(day=1)
    while (last := month_end(month)) <= end:
        if last >= start:
            found.append(last)
        month = add_months(month, 1)
    return found


def month_name(day: dt.date) -> str:
    """``March 2026``."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def fiscal_year_start(day: dt.date, start_month: int) -> dt.date:
    """The first day of the fiscal year (starting in month ``start_month``) that holds ``day``."""
    year = day.year if day.month >= start_month else day.year - 1
    return dt.date(year, start_month, 1)


def fiscal_year(day: dt.date, start_month: int) -> tuple[dt.date, dt.date]:
    """First and last day of the fiscal year holding ``day``."""
    first = fiscal_year_start(day, start_month)
    return first, add_months(first, 12) - ONE_DAY


def fiscal_year_label(start: dt.date) -> str:
    """``2026`` for a calendar year, ``2026–27`` for one that starts in another month."""
    if start.month == 1:
        return str(start.year)
    return f"{start.year}–{(start.year + 1) % 100:02d}"
