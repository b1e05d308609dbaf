"""The church giving platforms' donation exports: Tithe.ly, Planning Center Giving and Vanco.

Each writes one row per donation with the giver, the fund and the fee; a
refund is a negative amount or a status that says so:

- Tithe.ly (Giving → Transactions → Export): Date, First Name, Last Name,
  Email, Giving Type (the fund), Amount, Fee, Net Amount, Payment Method,
  Transaction ID, Status, Deposit Date, Memo.
- Planning Center Giving (Donations → Export): Donation ID, Received At,
  Payment Method, Fund, Amount, Fee, First Name, Last Name, Email, Batch,
  Refunded.
- Vanco (Reports → Transactions): Transaction Date, Customer Name,
  Customer Email, Fund Name, Amount, Fee, Transaction Ref, Deposit Date.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from finsek.imports.platforms.model import ZERO, PlatformLine
from finsek.imports.platforms.reading import Fields, gift_or_refund, person, read_file
from finsek.imports.platforms.table import Row


@dataclass(frozen=True)
class Columns:
    name: str
    title: str
    signature: frozenset[str]
    date: tuple[str, ...]
    amount: tuple[str, ...]
    fee: tuple[str, ...]
    net: tuple[str, ...]
    giver: tuple[str, ...]
    email: tuple[str, ...]
    fund: tuple[str, ...]
    reference: tuple[str, ...]
    payout: tuple[str, ...]
    message: tuple[str, ...] = ("memo", "note", "notes")


TITHELY = Columns(
    "tithely", "Tithe.ly", frozenset({"giving type", "amount"}), ("date", "transaction date"), ("amount",), ("fee",),
    ("net amount", "net"), ("name", "donor name"), ("email",), ("giving type",), ("transaction id", "id"),
    ("deposit date", "deposit id"),
)
PLANNING_CENTER = Columns(
    "planningcenter", "Planning Center Giving", frozenset({"donation id", "fund", "amount"}),
    ("received at", "received date", "date"), ("amount",), ("fee", "fee amount"), ("net", "net amount"),
    ("name", "person name"), ("email", "email address"), ("fund", "fund name"), ("donation id",),
    ("batch", "batch id", "payout id"),
)
VANCO = Columns(
    "vanco", "Vanco", frozenset({"customer name", "fund name"}), ("transaction date", "date"), ("amount",),
    ("fee", "fees"), ("net amount", "net"), ("customer name",), ("customer email", "email"), ("fund name",),
    ("transaction ref", "transaction id", "reference"), ("deposit date", "deposit id"),
)
ALL = (TITHELY, PLANNING_CENTER, VANCO)

_REFUND_WORDS = ("refund", "reversed", "returned", "chargeback")
_SKIP_WORDS = ("failed", "declined", "pending", "canceled", "cancelled", "voided")


def reader(columns: Columns):
    def lines(row: Row, fields: Fields) -> Iterator[PlatformLine | str]:
        status = " ".join(filter(None, (row.get("status"), row.get("refunded")))).lower()
        if any(word in status for word in _SKIP_WORDS):
            yield f"a donation that is {row.get('status')}"
            return
        gross = fields.amount(row, *columns.amount)
        refund = any(word in status for word in _REFUND_WORDS) or status == "true" or gross < ZERO
        if refund and gross > ZERO:
            gross = -gross
        fee = fields.amount(row, *columns.fee, default=ZERO) if row.get(*columns.fee) else (
            gross - fields.amount(row, *columns.net) if row.get(*columns.net) else ZERO)
        if refund and fee > ZERO:
            fee = ZERO  # platforms keep their fee on a refund unless they say otherwise
        reference = row.get(*columns.reference)
        yield PlatformLine(
            gift_or_refund(gross, refund), date=fields.date(row, *columns.date), gross=gross, fee=abs(fee),
            transaction_id=f"{reference}-refund" if refund and reference else reference, line=row.line,
            name=person(row, columns.giver), email=row.get(*columns.email), fund=row.get(*columns.fund),
            message=row.get(*columns.message), refers_to=reference if refund else "",
            payout_id=row.get(*columns.payout),
        )

    return lines


def read(columns: Columns, rows: list[Row]):
    return read_file(columns.name, columns.title, rows, reader(columns), columns.date)
