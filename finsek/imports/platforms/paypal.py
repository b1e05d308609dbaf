"""PayPal's activity download (Reports → Activity download, CSV, "Balance affecting").

Columns: Date, Time, TimeZone, Name, Type, Status, Currency, Gross, Fee, Net,
From Email Address, To Email Address, Transaction ID, …, Item Title, …,
Reference Txn ID, …, Subject, Note. PayPal writes its fee as a negative
number; a refund has a negative Gross and names the gift in Reference Txn ID;
money moved to the bank is a "General Withdrawal" (or "User Initiated
Withdrawal"). Only completed rows move money.
"""

from collections.abc import Iterator

from finsek.imports.platforms.model import PAYOUT, PlatformLine
from finsek.imports.platforms.reading import Fields, gift_or_refund, person, read_file
from finsek.imports.platforms.table import Row

NAME, TITLE = "paypal", "PayPal"
SIGNATURE = frozenset({"transaction id", "gross", "fee", "net", "type", "status"})
_NOT_MONEY_IN = ("currency conversion", "authorization", "hold", "invoice sent", "request")


def lines(row: Row, fields: Fields) -> Iterator[PlatformLine | str]:
    kind_text, status = row.get("type"), row.get("status")
    if status.lower() not in ("completed", "cleared", ""):
        yield f"'{kind_text}' is {status}, not completed"
        return
    if any(word in kind_text.lower() for word in _NOT_MONEY_IN):
        yield f"'{kind_text}' does not move money in or out"
        return
    gross = fields.amount(row, "gross")
    fee = -fields.amount(row, "fee", default=gross - gross)
    common = dict(date=fields.date(row, "date"), transaction_id=row.get("transaction id"), line=row.line)
    text = kind_text.lower()
    if "withdrawal" in text or ("transfer" in text and "bank" in text):
        yield PlatformLine(PAYOUT, gross=-gross, fee=fee, **common)
        return
    refund = any(word in text for word in ("refund", "reversal", "chargeback"))
    if not refund and gross <= 0:
        yield f"'{kind_text}' of {gross} is money going out, not a gift"
        return
    yield PlatformLine(
        gift_or_refund(gross, refund), gross=gross, fee=fee, name=person(row, ("name",)),
        email=row.get("from email address") if not refund else row.get("to email address", "from email address"),
        fund=row.get("item title", "subject"), message=row.get("note"), refers_to=row.get("reference txn id"),
        **common,
    )


def read(rows: list[Row]):
    return read_file(NAME, TITLE, rows, lines, ("date",))
