"""Reports as data: tables (pandas frames), figures and sentences, before any rendering.

A :class:`Report` is what the TUI shows and every renderer prints. Tables
hold display-ready rows: a ``kind`` column (``section``, ``group``, ``row``,
``subtotal``, ``total``, ``note``) and one column per :class:`Column`, with
money as ``Decimal`` rounded to the currency's precision (never float),
percentages as ``Decimal`` with one decimal, counts as ``int``, and ``None``
where there is nothing to show.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported where a table is made: the app's screens import this module
    import pandas as pd

KINDS = ("section", "group", "row", "subtotal", "total", "note")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "money"  # text, money, percent, count, date
    hidden: bool = False  # kept in the data (JSON), not printed

    @property
    def numeric(self) -> bool:
        return self.kind in ("money", "percent", "count")


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    frame: "pd.DataFrame"
    notes: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts (``kind`` plus every column)."""
        keys = ["kind", *(column.key for column in self.columns)]
        return [dict(zip(keys, values, strict=True)) for values in self.frame[keys].itertuples(index=False)]

    def row(self, label: str, column: str = "label") -> dict[str, Any]:
        """The first row whose ``column`` equals ``label`` (KeyError when none)."""
        for item in self.rows():
            if item.get(column) == label:
                return item
        raise KeyError(label)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


@dataclass
class Series:
    name: str
    values: list[Decimal | None]
    style: str = "solid"  # solid (dark) or hatched (light): legible in black and white


@dataclass
class Figure:
    key: str
    title: str
    kind: str  # "bars" (vertical, grouped) or "hbars" (horizontal, grouped)
    categories: list[str]
    series: list[Series]
    unit: str = ""
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    intro: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Report:
    """A report ready to show or render."""

    kind: str  # board, activities, funds, position, budget
    title: str
    organisation: str
    currency: str
    locale: str
    period_label: str
    start: dt.date
    end: dt.date
    generated: dt.date
    summary: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    period: dict = field(default_factory=dict)
    slug: str = ""

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def figures(self) -> list[Figure]:
        return [figure for section in self.sections for figure in section.figures]

    def table(self, key: str) -> Table:
        for table in self.tables():
            if table.key == key:
                return table
        raise KeyError(key)

    def figure(self, key: str) -> Figure:
        for figure in self.figures():
            if figure.key == key:
                return figure
        raise KeyError(key)

    @property
    def heading(self) -> str:
        """The running head printed on every page: organisation and period."""
        return f"{self.organisation} · {self.title} · {self.period_label}"


def table(key: str, title: str, columns: list[Column], rows: list[dict], notes: list[str] | None = None) -> Table:
    """A :class:`Table` from row dicts (missing values become ``None``)."""
    import pandas as pd  # pandas: only when a table is made (start-up time)

    keys = ["kind", *(column.key for column in columns)]
    frame = pd.DataFrame([[row.get(name) for name in keys] for row in rows], columns=keys, dtype=object)
    return Table(key, title, columns, frame, list(notes or []))
