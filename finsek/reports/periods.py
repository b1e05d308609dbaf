"""Report periods: a month, its fiscal year, year to date, and the year before.

Fiscal years may start in any month (``custom "finsek" "fiscal-year-start"
"7"`` for July–June). A fiscal year is named after the calendar year it starts
in when it is a calendar year (``2026``), else after both (``2025–26``).
"""

import datetime as dt
import re
from dataclasses import dataclass

from finsek.core.dates import MONTH_NAMES, add_months, fiscal_year_label, fiscal_year_start, month_end
from finsek.core.errors import Refused


def parse_month(text: str) -> dt.date:
    """``YYYY-MM`` (or ``YYYY-MM-DD``) to the first of that month."""
    raw = (text or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", raw)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise Refused(f"'{text}' is not a month: type it as YYYY-MM, for example 2026-03.", "month")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


@dataclass(frozen=True)
class Span:
    """Days ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def before(self) -> dt.date:
        """The day before the span: balances "at the start" are at the end of this day."""
        return self.start - dt.timedelta(days=1)

    def months(self) -> list[dt.date]:
        count = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return [add_months(self.start, index) for index in range(count)]

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class BoardPeriod:
    """Everything a monthly board report needs to know about dates."""

    month: Span
    fiscal_year: Span
    ytd: Span
    last_year: Span
    last_ytd: Span
    start_month: int

    @classmethod
    def for_month(cls, month: dt.date, start_month: int = 1) -> "BoardPeriod":
        first = month.replace(day=1)
        last = month_end(first)
        fy_start = fiscal_year_start(first, start_month)
        fy_end = add_months(fy_start, 12) - dt.timedelta(days=1)
        last_start = add_months(fy_start, -12)
        last_ytd_end = month_end(add_months(first, -12))
        return cls(
            month=Span(first, last),
            fiscal_year=Span(fy_start, fy_end),
            ytd=Span(fy_start, last),
            last_year=Span(last_start, fy_start - dt.timedelta(days=1)),
            last_ytd=Span(last_start, last_ytd_end),
            start_month=start_month,
        )

    @property
    def month_label(self) -> str:
        return f"{MONTH_NAMES[self.month.start.month - 1]} {self.month.start.year}"

    @property
    def fiscal_label(self) -> str:
        return fiscal_year_label(self.fiscal_year.start)

    @property
    def last_fiscal_label(self) -> str:
        return fiscal_year_label(self.last_year.start)

    @property
    def month_number(self) -> int:
        """Which month of the fiscal year the report month is (1 to 12)."""
        return len(self.ytd.months())

    def fiscal_months(self) -> list[dt.date]:
        return self.fiscal_year.months()

    def to_dict(self) -> dict:
        return {
            "month": self.month.start.strftime("%Y-%m"),
            "month_label": self.month_label,
            "month_span": self.month.to_dict(),
            "fiscal_year": {**self.fiscal_year.to_dict(), "label": self.fiscal_label},
            "year_to_date": self.ytd.to_dict(),
            "last_fiscal_year": {**self.last_year.to_dict(), "label": self.last_fiscal_label},
            "last_year_to_date": self.last_ytd.to_dict(),
            "fiscal_year_start_month": self.start_month,
        }
