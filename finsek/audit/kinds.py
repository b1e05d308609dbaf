"""What kind of entry is this? Offerings, gifts, payments, transfers, ...

Used to count entries by kind in the committee report and to pick the entries
each check looks at. The rules follow the ledger conventions (DESIGN.md):
an offering carries ``counted-by`` or an ``^offering-…`` link; a gift credits
``Income:Contributions``; a payment takes money out of an asset account into
an expense or a liability; a fund transfer touches only equity accounts; a
bank transfer only asset accounts.
"""

from decimal import Decimal

from beancount.core import data

from finsek.ledger import conventions as conv

ZERO = Decimal(0)

#: Kinds of transaction, in the order reports list them.
TRANSACTION_KINDS = (
    "opening balances",
    "offering",
    "gift",
    "other income",
    "payment",
    "fund transfer",
    "bank transfer",
    "reversal",
    "other transaction",
)
#: Kinds of the other directives.
OTHER_KINDS = (
    "balance assertion",
    "close",
    "account opened",
    "account closed",
    "budget",
    "fund registration",
    "setting",
    "note",
    "document",
    "other directive",
)
KINDS = TRANSACTION_KINDS + OTHER_KINDS

REVERSES_KEY = "reverses"
COUNTED_TOTAL_KEY = "counted-total"
DEPOSITED_BY_KEY = "deposited-by"
RECEIPT_KEYS = ("receipt", "document", "invoice")


def _root(account: str) -> str:
    return account.split(":", 1)[0]


def is_offering(entry: data.Transaction) -> bool:
    meta = entry.meta or {}
    if conv.COUNTED_BY_KEY in meta:
        return True
    return any(link.startswith("offering-") for link in entry.links or ())


def is_reversal(entry: data.Transaction) -> bool:
    return REVERSES_KEY in (entry.meta or {}) or any(link.startswith("reversal-") for link in entry.links or ())


def transaction_kind(entry: data.Transaction) -> str:
    if is_reversal(entry):
        return "reversal"
    roots = set()
    opening = False
    contributions = False
    expense_out = False
    asset_out = False
    for posting in entry.postings:
        account = posting.account
        root = _root(account)
        roots.add(root)
        number = posting.units.number if posting.units is not None else None
        if root == "Equity" and "Opening" in account:
            opening = True
        elif root == "Income" and conv.account_matches(account, "Income:Contributions"):
            contributions = True
        elif root in ("Expenses", "Liabilities") and number is not None and number > 0:
            expense_out = True
        elif root == "Assets" and number is not None and number < 0:
            asset_out = True
    if opening:
        return "opening balances"
    if is_offering(entry):
        return "offering"
    if contributions:
        return "gift"
    if "Income" in roots:
        return "other income"
    if expense_out and asset_out:
        return "payment"
    if roots == {"Equity"}:
        return "fund transfer"
    if roots == {"Assets"}:
        return "bank transfer"
    return "other transaction"


def entry_kind(entry) -> str:
    """The kind of any entry, one of ``KINDS``."""
    if isinstance(entry, data.Transaction):
        return transaction_kind(entry)
    if isinstance(entry, data.Balance):
        return "balance assertion"
    if isinstance(entry, data.Open):
        return "account opened"
    if isinstance(entry, data.Close):
        return "account closed"
    if isinstance(entry, data.Note):
        return "note"
    if isinstance(entry, data.Document):
        return "document"
    if isinstance(entry, data.Custom):
        return {"close": "close", "budget": "budget", "fund": "fund registration", "finsek": "setting"}.get(
            entry.type, "other directive"
        )
    return "other directive"


def meta_value(entry, key: str):
    """A key's value on the transaction, else on the first posting that has it."""
    meta = entry.meta or {}
    if key in meta:
        return meta[key]
    for posting in getattr(entry, "postings", ()):
        if posting.meta and key in posting.meta:
            return posting.meta[key]
    return None


def split_names(value) -> list[str]:
    """People's names in a metadata value: ``"A. Svensson, B. Jones"`` or ``"A and B"``."""
    if value is None:
        return []
    text = str(value)
    for separator in (" and ", " och ", ";", "&", "/", "+"):
        text = text.replace(separator, ",")
    return [name.strip() for name in text.split(",") if name.strip()]


def name_key(name: str) -> str:
    """A name compared loosely: case, dots and spacing do not matter."""
    return " ".join(name.replace(".", " ").casefold().split())


def outflow(entry: data.Transaction, currency: str) -> Decimal:
    """Money taken out of asset accounts by the entry (a positive number)."""
    total = ZERO
    for posting in entry.postings:
        units = posting.units
        if units is None or units.number is None or units.currency != currency:
            continue
        if posting.account.startswith("Assets:") and units.number < 0:
            total -= units.number
    return total


def inflow(entry: data.Transaction, currency: str) -> Decimal:
    """Money put into asset accounts by the entry (a positive number)."""
    total = ZERO
    for posting in entry.postings:
        units = posting.units
        if units is None or units.number is None or units.currency != currency:
            continue
        if posting.account.startswith("Assets:") and units.number > 0:
            total += units.number
    return total


def positive_total(entry: data.Transaction, currency: str) -> Decimal:
    total = ZERO
    for posting in entry.postings:
        units = posting.units
        if units is not None and units.number is not None and units.currency == currency and units.number > 0:
            total += units.number
    return total
