"""What kind of entry is this? Offerings, gifts, payments, transfers, ...

Used to count entries by kind in the committee report, to pick the entries
each check looks at, and by the warnings a save gives. The rules follow the
ledger conventions (docs/conventions.md, "Metadata keys"):
an offering carries ``counted-by`` or an ``^offering-…`` link; a gift credits
``Income:Contributions``; a payment takes money out of an asset account into
an expense or a liability; a fund transfer touches only equity accounts; a
bank transfer only asset accounts.
"""

from beancount.core import data

from finsek.ledger import conventions as conv
from finsek.ledger.roles import GIVING_GROUPS

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
        elif root == "Income" and any(conv.account_matches(account, group) for group in GIVING_GROUPS):
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


def entry_kind(entry: data.Directive) -> str:
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
