"""The audit's warnings for an entry before it is saved: on the form and on the command line.

A warning does not refuse: the entry may be right (the approval is on paper,
the donor really gave twice). It says what the audit would list, so it can be
put right before the entry is written:

- a payment above the approval threshold that does not say who approved it
  (the audit's ``payment-approval``);
- a donor's check number already in the books for that donor (``duplicate-gift-check``);
- a likely duplicate: an offering with the same total, a gift with the same
  donor, amount and way of giving, a payment with the same payee and amount,
  within the audit's ``duplicate-days`` (``likely-duplicate``).

The rules are the audit's own (``finsek.ledger.entry_rules``, which the checks
call too), with the audit's settings; the history comes from the books' index,
so no entry is read and a command stays fast on a large ledger.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from beancount.core import data

from finsek.audit.checks.settings import audit_settings
from finsek.core.errors import Refused
from finsek.core.money import format_amount
from finsek.ledger.books import Books
from finsek.ledger.entries import Draft
from finsek.ledger.entry_rules import approval_missing, duplicate_keys, gift_checks, same_instrument
from finsek.ledger.kinds import transaction_kind
from finsek.ledger.validate import parse_draft


def entry_warnings(books: Books, drafts: Draft | list[Draft]) -> list[str]:
    """What the audit would warn about in ``drafts`` (one or several saved together), in plain sentences."""
    settings = audit_settings(books.custom_entries, books.settings)
    entries = []
    for draft in drafts if isinstance(drafts, list) else [drafts]:
        try:
            entries.extend(parse_draft(draft))
        except Refused:
            return []  # the save refuses it anyway, saying why
    money = lambda amount: format_amount(amount, books.currency, books.locale)  # noqa: E731
    canonical = books.donors.canonical
    found: list[str] = []
    seen_checks: set[tuple[str, str]] = set()
    aliases: dict[str, list[str]] = {}  # canonical id: every id that counts for it (read once, when needed)
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.flag == "P":
            continue
        kind = transaction_kind(entry)
        amount = approval_missing(entry, kind, books.currency, settings.approval_threshold)
        if amount is not None:
            found.append(f"This payment of {money(amount)} is above the approval threshold of "
                         f"{money(settings.approval_threshold)} and does not say who approved it: fill in "
                         "approved-by with the person or body that approved it, or the audit will list it.")
        for donor, number in gift_checks(entry):
            if not aliases:
                for other in books.donors:
                    aliases.setdefault(canonical(other.id), []).append(other.id)
            earlier = _donor_check(books, aliases.get(canonical(donor), [donor]), number)
            if earlier or (canonical(donor), number) in seen_checks:
                day, _, place = earlier.partition(" ") if earlier else ("", "", "")
                where = (f" (a gift on {day}{f', {place}' if place else ''})" if earlier
                         else " twice in this entry")
                found.append(f"{donor}'s check {number} is already in the books{where}: the same check "
                             "entered twice? Compare with the deposit slip.")
            seen_checks.add((canonical(donor), number))
        for key, how in duplicate_keys(entry, kind, books.currency, canonical):
            match = _likely_duplicate(books, entry.date, key, how, settings.duplicate_days)
            if match is not None:
                found.append(_duplicate_message(key, match, money))
    return found


def _donor_check(books: Books, ids: list[str], number: str) -> str | None:
    """Where the donor (``ids``: their id and those merged into it) first paid with check ``number``."""
    index = books.index
    for donor_id in sorted(ids):
        where = index.donor_checks.get(f"{donor_id}\x1f{number}")
        if where:
            return where.strip()
    return None


def _likely_duplicate(books: Books, day: dt.date, key: tuple, how: tuple, window: int) -> tuple[str, str] | None:
    """``(date, file:line)`` of an entry in the books that the audit would call a duplicate of this one."""
    index = books.index
    canonical = books.donors.canonical
    family, amount = key[0], key[-1]
    who = key[1] if len(key) > 2 else ""
    for offset in range(-window, window + 1):
        other_day = day + dt.timedelta(days=offset)
        for item in index.duplicates.get(other_day, ()):
            parts = item.split("\x1f")
            if len(parts) != 6 or parts[0] != family:
                continue
            _, other_who, other_amount, method, check, where = parts
            if family == "gift" and canonical(other_who) != who:
                continue
            if family == "payee" and other_who != who:
                continue
            try:
                if Decimal(other_amount) != amount:
                    continue
            except InvalidOperation:
                continue
            if not same_instrument(how, (method or None, check or None)):
                continue
            if f"{other_day.isoformat()} {where}" in index.reversed:
                continue
            return other_day.isoformat(), where
    return None


def _duplicate_message(key: tuple, match: tuple[str, str], money) -> str:
    day, where = match
    at = f"{day} ({where})" if where else day
    if key[0] == "offering":
        return f"An offering of {money(key[1])} on {at} has the same total: the same offering entered twice?"
    if key[0] == "gift":
        return (f"A gift of {money(key[2])} from {key[1]} on {at} has the same donor, amount and way of giving: "
                "the same gift entered twice?")
    return f"An entry of {money(key[2])} to the same payee on {at} looks like this one: entered twice?"
