"""What a SIE 4 file holds, as finsek reads and writes it."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Row:
    """A ``#TRANS`` line: one account's amount (debit positive), with its objects and text."""

    account: str
    amount: Decimal
    objects: tuple[tuple[int, str], ...] = ()
    text: str = ""


@dataclass
class Voucher:
    """A ``#VER``: one balanced transaction (verifikation)."""

    series: str
    number: str
    date: dt.date
    text: str
    rows: list[Row] = field(default_factory=list)
    line: int = 0

    @property
    def label(self) -> str:
        return f"{self.series} {self.number}".strip()

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal(0))


@dataclass
class SieFile:
    """The parts of a SIE file finsek uses; balances keyed by (year index, account)."""

    program: str = ""
    sie_type: str = ""
    name: str = ""
    orgnr: str = ""
    currency: str = "SEK"
    years: dict[int, tuple[dt.date, dt.date]] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    dimensions: dict[int, str] = field(default_factory=dict)
    objects: dict[tuple[int, str], str] = field(default_factory=dict)
    opening: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    closing: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    result: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    #: #OIB and #OUB: balances of one object (a fund), keyed by (year index, account, (dimension, object)).
    object_opening: dict[tuple[int, str, tuple[int, str]], Decimal] = field(default_factory=dict)
    object_closing: dict[tuple[int, str, tuple[int, str]], Decimal] = field(default_factory=dict)
    vouchers: list[Voucher] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
