"""The audit's rules about single entries, in the ledger layer so that the save path can apply them too.

One rule, two users: the audit's checks (``finsek.audit.checks``) call these
functions over the whole ledger, and the warnings a form or a command shows
before it saves (``finsek.audit.at_entry``) call them on the entry being
entered, against the books' index (``finsek.ledger.index`` keeps what the
history needs: each entry's duplicate keys and each donor's check numbers).

- ``approval_missing``: a payment above the approval threshold that does not
  say who approved it (the audit's ``payment-approval``);
- ``gift_checks``: the donor's check numbers on an entry's gifts (the audit's
  ``duplicate-gift-check``);
- ``duplicate_keys`` and ``same_instrument``: what makes two entries likely
  duplicates (the audit's ``likely-duplicate``);
- ``same_person``: two counters who are one person (the write path refuses
  it; the audit's ``offering-counters``).
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from finsek.core.text import person_key
from finsek.ledger import conventions as conv
from finsek.ledger.kinds import REVERSES_KEY

ZERO = Decimal(0)

#: The approval threshold when the ledger sets none (``custom "finsek" "approval-threshold"``).
DEFAULT_APPROVAL_THRESHOLD = Decimal("500.00")


def meta_value(entry: data.Directive, key: str) -> object:
    """A key's value on the transaction, else on the first posting that has it."""
    meta = entry.meta or {}
    if key in meta:
        return meta[key]
    for posting in getattr(entry, "postings", ()):
        if posting.meta and key in posting.meta:
            return posting.meta[key]
    return None


def outflow(entry: data.Transaction, currency: str) -> Decimal:
    """Money taken out of asset accounts by the entry (a positive number)."""
    return _asset_moves(entry, currency, -1)


def inflow(entry: data.Transaction, currency: str) -> Decimal:
    """Money put into asset accounts by the entry (a positive number)."""
    return _asset_moves(entry, currency, 1)


def _asset_moves(entry: data.Transaction, currency: str, sign: int) -> Decimal:
    """The sum of the entry's asset postings in ``currency`` of one sign (1 in, -1 out), made positive."""
    total = ZERO
    for posting in entry.postings:
        units = posting.units
        if units is None or units.number is None or units.currency != currency:
            continue
        if posting.account.startswith("Assets:") and units.number * sign > 0:
            total += units.number * sign
    return total


def name_key(name: str) -> str:
    """A payee's or donor's name compared loosely: case, dots and spacing do not matter."""
    return " ".join(name.replace(".", " ").casefold().split())


def approval_threshold(settings: conv.LedgerSettings) -> Decimal:
    """The ledger's approval threshold, else the default."""
    threshold = settings.approval_threshold
    return threshold if threshold is not None else DEFAULT_APPROVAL_THRESHOLD


def approval_missing(entry: data.Transaction, kind: str, currency: str, threshold: Decimal) -> Decimal | None:
    """The amount of a payment (``kind`` as ``transaction_kind`` says) above ``threshold`` that names no
    approver; None when it is not one."""
    if kind != "payment":
        return None
    amount = outflow(entry, currency)
    if amount > threshold and not meta_value(entry, conv.APPROVED_BY_KEY):
        return amount
    return None


def gift_checks(entry: data.Transaction) -> list[tuple[str, str]]:
    """``(donor id, check number)`` of each income line that carries both (the donor's own check)."""
    found = []
    for posting in entry.postings:
        units = posting.units
        if units is None or units.number is None or not posting.account.startswith("Income:"):
            continue
        own = (posting.meta or {}).get(conv.CHECK_KEY)
        donor = conv.posting_donor(entry, posting)
        if own is not None and donor and str(own).strip():
            found.append((donor, str(own).strip()))
    return found


#: How a gift or payment was made: (method, check number), each None when the entry does not say.
Instrument = tuple[str | None, str | None]


def duplicate_keys(entry: data.Transaction, kind: str, currency: str,
                   canonical: Callable[[str], str] = str) -> list[tuple[tuple, Instrument]]:
    """What another entry must share with this one to be its likely duplicate, with how it was paid.

    An offering: its total. A gift: each donor's line, by donor (``canonical``
    merges aliases) and amount. Anything else: its payee (or narration) and
    size. Reversals and opening balances have none.
    """
    if kind in ("reversal", "opening balances"):
        return []
    meta = entry.meta or {}
    check, method = meta.get(conv.CHECK_KEY), meta.get(conv.METHOD_KEY)
    if kind == "offering":
        return [(("offering", inflow(entry, currency)), (None, None))]
    if kind == "gift":
        found = []
        for posting in entry.postings:
            donor = conv.posting_donor(entry, posting)
            units = posting.units
            if not donor or units is None or units.number is None or not posting.account.startswith("Income:"):
                continue
            pmeta = posting.meta or {}
            how = (_text(pmeta.get(conv.METHOD_KEY, method)), _text(pmeta.get(conv.CHECK_KEY, check)))
            found.append((("gift", canonical(donor), -units.number), how))
        return found
    name = (entry.payee or entry.narration or "").strip()
    if not name:
        return []
    return [(("payee", name_key(name), conv.transaction_size(entry, currency)), (_text(method), _text(check)))]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def same_instrument(first: Instrument, second: Instrument) -> bool:
    """Whether two payments could be one: same method (when both say) and the same check number (or none)."""
    (method1, check1), (method2, check2) = first, second
    if method1 is not None and method2 is not None and str(method1) != str(method2):
        return False
    return not ((check1 is not None or check2 is not None) and str(check1) != str(check2))


def reversed_reference(entry: data.Transaction) -> tuple[dt.date, str, int] | None:
    """``(date, file name, line)`` of the entry a reversal names in ``reverses:``, or None."""
    value = str((entry.meta or {}).get(REVERSES_KEY) or "").strip()
    day, _, place = value.partition(" ")
    name, _, line = place.strip().rpartition(":")
    try:
        return dt.date.fromisoformat(day), Path(name).name, int(line)
    except ValueError:
        return None


def same_person(names: list[str]) -> tuple[str, str] | None:
    """The first two of ``names`` that are one person (``person_key``: case, punctuation, invisible
    characters and look-alike letters do not matter), or None."""
    seen: dict[str, str] = {}
    for name in names:
        key = person_key(name)
        if key in seen:
            return seen[key], name
        seen[key] = name
    return None
