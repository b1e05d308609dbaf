"""A platform's CSV export as rows of text, with file line numbers, and its amounts and dates read exactly.

Exports arrive as their users download them: UTF-8 with or without a BOM or
Windows-1252; commas, semicolons or tabs (``csv.Sniffer``); Excel's
``="0701234567"`` quoting; amounts as ``$1,234.50``, ``1 234,50``,
``1.234,50`` or ``(12.00)``; dates as ISO, with a time, US ``MM/DD/YYYY``
or day first, decided for the whole file so one ambiguous date is read the
way the others are.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from finsek.core.errors import Refused

_EXCEL_TEXT = re.compile(r'^="(.*)"$')
_DATE_PARTS = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def get(self, *names: str) -> str:
        """The first non-empty value among the columns ``names`` (normalised headings)."""
        for name in names:
            value = self.values.get(name, "")
            if value:
                return value
        return ""


def heading(text: str) -> str:
    """A column heading as compared: lower case, single spaces, no BOM or surrounding quotes."""
    return " ".join(text.replace("\ufeff", "").strip().strip('"').lower().split())


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_rows(path: Path) -> tuple[list[str], list[Row]]:
    """The headings and the rows of a CSV file; blank rows are dropped, line numbers are the file's."""
    try:
        text = decode(Path(path).read_bytes())
    except IsADirectoryError:
        raise Refused(f"{path} is a folder: give the export file the platform made.") from None
    except OSError as error:
        raise Refused(f"Could not read {path}: {error.strerror or error}.") from None
    return rows_of(text)


def rows_of(text: str) -> tuple[list[str], list[Row]]:
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    headings: list[str] = []
    rows: list[Row] = []
    for record in reader:
        cells = [_cell(cell) for cell in record]
        if not any(cells):
            continue
        if not headings:
            headings = [heading(cell) for cell in cells]
            continue
        rows.append(Row(reader.line_num, dict(zip(headings, cells, strict=False))))
    return headings, rows


def _cell(text: str) -> str:
    text = text.strip()
    match = _EXCEL_TEXT.match(text)
    return match.group(1) if match else text


def amount(text: str, *, decimal_comma: bool | None = None) -> Decimal:
    """An amount as a platform writes it, exactly; raises ValueError with a plain reason."""
    raw = text.strip()
    negative = raw.startswith("(") and raw.endswith(")")
    clean = _SPACES.sub("", raw.strip("()"))
    clean = re.sub(r"^[A-Z]{3}|[A-Z]{3}$|[$€£¥]|kr$|SEK$", "", clean, flags=re.IGNORECASE).strip()
    if clean.endswith("-"):
        clean, negative = clean[:-1], not negative
    if "," in clean and "." in clean:
        clean = clean.replace(".", "").replace(",", ".") if clean.rfind(",") > clean.rfind(".") else clean.replace(
            ",", "")
    elif "," in clean:
        comma_decimal = decimal_comma if decimal_comma is not None else bool(re.search(r",\d{1,2}$", clean))
        clean = clean.replace(",", ".") if comma_decimal else clean.replace(",", "")
    try:
        number = Decimal(clean)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not an amount") from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValueError(f"'{text}' is not an amount")
    return -number if negative else number


def day_first(values: list[str]) -> bool | None:
    """Whether the file writes dates day first (``31/12/2026``): True, False, or None when it cannot tell."""
    for value in values:
        match = _DATE_PARTS.match(value.strip())
        if not match or len(match.group(1)) == 4:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
    return None


def date(text: str, *, first_is_day: bool = False) -> dt.date:
    """A date with or without a time: ISO, ``YYYY/MM/DD``, or ``MM/DD/YYYY`` (``DD/MM/YYYY`` when day first)."""
    value = text.strip()
    match = _DATE_PARTS.match(value)
    if not match:
        raise ValueError(f"'{text}' is not a date")
    a, b, c = match.groups()
    try:
        if len(a) == 4:
            return dt.date(int(a), int(b), int(c))
        year = int(c) + (2000 if len(c) == 2 else 0)
        return dt.date(year, int(b), int(a)) if first_is_day else dt.date(year, int(a), int(b))
    except ValueError:
        raise ValueError(f"'{text}' is not a date") from None
