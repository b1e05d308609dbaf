"""Funds below zero, caught before an entry is written (the audit's ``fund-negative``, at the door).

The audit calls a restricted fund below zero an error (donors' money spent
that they had not given for it) and a designated one a warning. The write
path (``validate.check_entries``, run again under the lock) therefore:

- refuses an entry that takes a restricted fund below zero on its date or
  any later day, saying what the fund has and what to do;
- refuses one that takes a designated fund below zero unless it says who
  approved that (``overdraft-approved-by:`` on the transaction): the app asks
  in a dialog, the command line takes ``--confirm``; the refusal is an
  ``OverdraftNeedsApproval`` so the faces can tell it from others.

Only a fund the entries lower is looked at, so a ledger whose fund is already
below zero can still take the gift or transfer that mends it.
"""

import bisect
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from finsek.core.errors import Refused
from finsek.core.money import format_amount
from finsek.ledger import conventions as conv
from finsek.ledger.books import Books

ZERO = Decimal(0)

#: The classes of fund that may not go below zero without more.
GUARDED = ("restricted", "designated")


class Overdraft(NamedTuple):
    """A fund that the entries would take below zero."""

    fund: str
    title: str
    klass: str
    has: Decimal  # the most it has from the entries' date on (its lowest balance), before them
    after: Decimal  # its lowest balance after them
    day: dt.date  # the day of that lowest balance
    entry: data.Transaction  # the first entry that lowers it
    taken: Decimal  # what the entries take out of it

    @property
    def short(self) -> Decimal:
        """How much more the fund would need to stay at zero."""
        return -self.after


class OverdraftNeedsApproval(Refused):
    """A designated fund would go below zero and the entry does not say who approved it."""

    def __init__(self, message: str, overdraft: Overdraft):
        super().__init__(message, "amount")
        self.overdraft = overdraft


def _changes(books: Books, entry: data.Transaction) -> dict[str, Decimal]:
    """What ``entry`` does to each fund's balance (minus its Income, Expenses and Equity postings)."""
    found: dict[str, Decimal] = defaultdict(Decimal)
    for posting in entry.postings:
        units = posting.units
        if units is None or not isinstance(units.number, Decimal) or units.currency != books.currency:
            continue
        if conv.needs_fund(posting.account):
            found[conv.posting_fund(entry, posting, books.default_fund)] -= units.number
    return found


def fund_overdrafts(books: Books, entries: list) -> list[Overdraft]:
    """The restricted and designated funds that ``entries`` (to be saved together) would take below zero,
    or further below, on their date or any day after."""
    by_day: dict[str, dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    lowered: dict[str, data.Transaction] = {}
    taken: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.flag == "P":
            continue
        for fund, change in _changes(books, entry).items():
            by_day[fund][entry.date] += change
            if change < 0:
                lowered.setdefault(fund, entry)
                taken[fund] -= change
    found = []
    for fund, first in lowered.items():
        klass = books.fund_class(fund)
        if klass not in GUARDED:
            continue
        changes = by_day[fund]
        series = books.fund_series.get(fund)
        start = min(changes)
        later = series.dates[bisect.bisect_left(series.dates, start):] if series else []
        has = after = None
        lowest_day = start
        added = ZERO
        pending = sorted(changes.items())
        for day in sorted({*changes, *later}):
            while pending and pending[0][0] <= day:
                added += pending.pop(0)[1]
            before = books.fund_balance(fund, day)
            if has is None or before < has:
                has = before
            if after is None or before + added < after:
                after, lowest_day = before + added, day
        assert has is not None and after is not None
        if after < 0 and after < has:
            registered = books.funds.get(fund)
            title = registered.title if registered else f"fund {fund}"
            found.append(Overdraft(fund, title, klass, has, after, lowest_day, first, taken[fund]))
    return found


def check_overdrafts(books: Books, entries: list) -> None:
    """Refuse entries that take a restricted fund below zero, or a designated one without an approval."""
    for over in fund_overdrafts(books, entries):
        money = lambda amount: format_amount(amount, books.currency, books.locale)  # noqa: E731
        has = money(max(over.has, ZERO))
        where = f"the {over.title} ({over.klass})"
        what = _what(over.entry)
        state = (f"{where[0].upper()}{where[1:]} has {has}"
                 f"{'' if over.has >= 0 else f' (it is already below zero: {money(over.has)})'}; {what} "
                 f"would leave it at {money(over.after)}")
        if over.day != over.entry.date:
            state += f" on {over.day.isoformat()}"
        transfer = (f"finsek transfer --amount {over.short} --from-fund {books.default_fund} "
                    f"--to-fund {over.fund}")
        if over.klass == "restricted":
            if what == "this transfer":
                todo = f"move at most {has} out of it." if over.has > 0 else "move nothing out of it."
            else:
                room = f"take at most {has} from it" if over.has > 0 else "take nothing from it"
                todo = (f"{room} and charge the rest to another fund, or first move money into it with a "
                        f"transfer the board approved ({transfer}).")
            raise Refused(
                f"{state}, and money donors gave for a purpose cannot go below zero. Nothing was saved: {todo}",
                "amount",
            )
        if not str((over.entry.meta or {}).get(conv.OVERDRAFT_APPROVED_BY_KEY) or "").strip():
            raise OverdraftNeedsApproval(
                f"{state}. Spending beyond a board-designated fund needs the board's approval: if it was "
                "given, confirm it and say who approved it (on the command line --confirm, with "
                "--approved-by NAME); otherwise charge it to another fund or transfer money in first "
                f"({transfer}).",
                over,
            )


def _what(entry: data.Transaction) -> str:
    roots = {posting.account.split(":", 1)[0] for posting in entry.postings}
    if roots == {"Equity"}:
        return "this transfer"
    if "Expenses" in roots:
        return "this payment"
    return "this entry"
