"""Stripe: the payments export (Payments → Export) and the itemized balance report (Reports → Balance).

Payments export: id, Created date (UTC), Amount, Amount Refunded, Currency,
Fee, Status, Customer Email, Customer Description, Description and any
``… (metadata)`` columns (a donation form's ``fund (metadata)``). A refunded
payment is a gift and a refund (Stripe keeps its fee). The itemized balance
report has one row per balance change: balance_transaction_id, created_utc,
gross, fee, net, reporting_category (charge, refund, dispute, payout),
source_id, customer_email, customer_name, description and the
automatic_payout_id that ties each gift to the payout that paid it out.
"""

import re
from collections.abc import Iterator

from finsek.imports.platforms.model import GIFT, PAYOUT, REFUND, ZERO, PlatformLine
from finsek.imports.platforms.reading import Fields, read_file
from finsek.imports.platforms.table import Row

NAME, TITLE = "stripe", "Stripe"
SIGNATURE = frozenset({"id", "amount", "amount refunded", "fee", "status"})
BALANCE_SIGNATURE = frozenset({"balance_transaction_id", "reporting_category", "gross", "fee", "net"})
_CREATED = ("created date (utc)", "created (utc)", "created")


def _fund(row: Row) -> str:
    """A donation form's fund: a metadata column with the word "fund" (not "refunded")."""
    for column, value in row.values.items():
        if re.search(r"\bfund\b", column) and value:
            return value
    return ""


def payment_lines(row: Row, fields: Fields) -> Iterator[PlatformLine | str]:
    status = row.get("status").lower()
    if status not in ("paid", "refunded", "succeeded", "partially refunded"):
        yield f"a payment that is {row.get('status') or 'without status'}"
        return
    common = dict(transaction_id=row.get("id"), line=row.line, name=row.get("customer description", "customer name"),
                  email=row.get("customer email"), fund=_fund(row))
    gross = fields.amount(row, "amount")
    yield PlatformLine(GIFT, date=fields.date(row, *_CREATED), gross=gross,
                       fee=fields.amount(row, "fee", default=ZERO), **common)
    refunded = fields.amount(row, "amount refunded", default=ZERO)
    if refunded:
        day = fields.date(row, "refunded date (utc)", *_CREATED)
        yield PlatformLine(REFUND, date=day, gross=-refunded, fee=ZERO,
                           **{**common, "transaction_id": f"{common['transaction_id']}-refund",
                              "refers_to": common["transaction_id"]})


def balance_lines(row: Row, fields: Fields) -> Iterator[PlatformLine | str]:
    category = row.get("reporting_category").lower()
    common = dict(date=fields.date(row, "created_utc", "created"), transaction_id=row.get("balance_transaction_id"),
                  line=row.line, payout_id=row.get("automatic_payout_id"))
    gross, fee = fields.amount(row, "gross"), fields.amount(row, "fee", default=ZERO)
    if category == "payout":
        yield PlatformLine(PAYOUT, gross=-gross, fee=fee, **{**common, "payout_id": row.get("source_id")})
    elif category in ("charge", "payment", "refund", "dispute", "partial_capture_reversal"):
        kind = GIFT if category in ("charge", "payment") else REFUND
        yield PlatformLine(kind, gross=gross, fee=fee, name=row.get("customer_name", "customer_description"),
                           email=row.get("customer_email"), fund=_fund(row), refers_to=row.get("source_id")
                           if kind == REFUND else "", **common)
    else:
        yield f"a balance change of kind '{category}' (not a gift, refund or payout)"


def read(rows: list[Row]):
    return read_file(NAME, TITLE, rows, payment_lines, _CREATED)


def read_balance(rows: list[Row]):
    return read_file(NAME, TITLE, rows, balance_lines, ("created_utc", "created"))
