"""What every platform reader shares: reading a row's fields with the file's own way of writing them."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from finsek.imports.platforms import table
from finsek.imports.platforms.model import GIFT, REFUND, ZERO, PlatformFile, PlatformLine
from finsek.imports.platforms.table import Row


@dataclass(frozen=True)
class Fields:
    """How one file writes dates and amounts, decided once for the whole file."""

    first_is_day: bool
    decimal_comma: bool | None

    def date(self, row: Row, *names: str) -> dt.date:
        text = row.get(*names)
        if not text:
            raise ValueError(f"the {names[0]} is empty")
        return table.date(text, first_is_day=self.first_is_day)

    def amount(self, row: Row, *names: str, default: Decimal | None = None) -> Decimal:
        text = row.get(*names)
        if not text:
            if default is not None:
                return default
            raise ValueError(f"the {names[0]} is empty")
        return table.amount(text, decimal_comma=self.decimal_comma)


def person(row: Row, name: tuple[str, ...], first: str = "first name", last: str = "last name") -> str:
    """The giver's name: a name column, else first and last name."""
    return row.get(*name) or " ".join(part for part in (row.get(first), row.get(last)) if part)


#: A platform's reader: the file's rows and fields, giving lines, or a reason to skip (str), row by row.
Reader = Callable[[Row, Fields], Iterable[PlatformLine | str]]


def read_file(platform: str, title: str, rows: list[Row], reader: Reader, date_columns: tuple[str, ...], *,
              day_first: bool = False, decimal_comma: bool | None = None) -> PlatformFile:
    """Every row through ``reader``; a row that cannot be read is a problem naming its file line, never a guess."""
    found = table.day_first([row.get(*date_columns) for row in rows])
    fields = Fields(day_first if found is None else found, decimal_comma)
    result = PlatformFile(platform, title)
    for row in rows:
        try:
            for item in reader(row, fields):
                if isinstance(item, str):
                    result.skipped.append(f"line {row.line}: {item}")
                else:
                    result.lines.append(item)
        except ValueError as error:
            result.problems.append(f"line {row.line}: {error}")
    return result


def gift_or_refund(gross: Decimal, refund: bool = False) -> str:
    return REFUND if refund or gross < ZERO else GIFT
