"""Dates as people type them: ISO, ``today``, ``yesterday``."""

import datetime as dt

from finsek.core.errors import Refused


def parse_date(text: str | dt.date, today: dt.date | None = None, field: str = "date") -> dt.date:
    if isinstance(text, dt.date):
        return text
    today = today or dt.date.today()
    raw = (text or "").strip().lower()
    if raw in ("", "today", "idag"):
        return today
    if raw in ("yesterday", "igår", "igar"):
        return today - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Refused(
            f"'{text}' is not a date: type it as YYYY-MM-DD (for example "
            f"{today.isoformat()}), or 'today' or 'yesterday'.",
            field,
        ) from None


def month_end(day: dt.date) -> dt.date:
    first_next = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_next - dt.timedelta(days=1)


def parse_through(text: str, today: dt.date | None = None) -> dt.date:
    """The last day of a period as typed: ``YYYY-MM-DD``, or ``YYYY-MM`` for that month's last day."""
    raw = (text or "").strip()
    if len(raw) == 7 and raw[4] == "-":
        try:
            return month_end(dt.date.fromisoformat(raw + "-01"))
        except ValueError:
            pass
    return parse_date(raw, today, "through")
