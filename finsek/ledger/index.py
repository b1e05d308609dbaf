"""What finsek derives from a ledger's entries, kept up to date entry by entry.

Balances by account and by fund as daily running totals, open accounts,
balance assertions, the last transaction of each payee, check numbers by
account, links by date, custom directives and the latest transactions; and
what the warnings at entry compare a new entry with (``finsek.audit.at_entry``):
each transaction's duplicate keys by date, each donor's check numbers, and the
entries reversals name (by the audit's own rules, ``entry_rules``), for the
last ``HISTORY_DAYS`` before the newest transaction, so that the index stays
small on a large ledger (the audit itself compares every entry). An
``Index`` is built once per load (or read from the cache) and then takes in
each entry a save appends, so a save never re-reads the ledger.
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from finsek.ledger import conventions as conv
from finsek.ledger.entry_rules import duplicate_keys, gift_checks, reversed_reference
from finsek.ledger.kinds import transaction_kind

ZERO = Decimal(0)
RECENT = 50
#: How far back (before the newest transaction) the index keeps what the warnings at entry compare with.
HISTORY_DAYS = 92


class AccountInfo(NamedTuple):
    name: str
    opened: dt.date
    closed: dt.date | None
    currencies: tuple[str, ...]

    def is_open_on(self, day: dt.date) -> bool:
        return self.opened <= day and (self.closed is None or day < self.closed)


class Assertion(NamedTuple):
    date: dt.date
    account: str
    amount: Decimal
    currency: str
    entry: data.Balance


class Series:
    """Daily net changes of one key (an account or a fund) as a running total.

    One point per day with postings, so balances at any date are a bisect
    away and the size grows with days, not with postings.
    """

    __slots__ = ("dates", "totals")

    def __init__(self, dates: list[dt.date] | None = None, totals: list[Decimal] | None = None):
        self.dates: list[dt.date] = dates if dates is not None else []
        self.totals: list[Decimal] = totals if totals is not None else []

    def add(self, day: dt.date, amount: Decimal) -> None:
        index = bisect.bisect_left(self.dates, day)
        if index == len(self.dates) or self.dates[index] != day:
            before = self.totals[index - 1] if index else ZERO
            self.dates.insert(index, day)
            self.totals.insert(index, before)
        for later in range(index, len(self.totals)):
            self.totals[later] += amount

    def extend_sorted(self, day: dt.date, amount: Decimal) -> None:
        """Add a posting no earlier than the last one (the fast path while loading)."""
        if self.dates and self.dates[-1] == day:
            self.totals[-1] += amount
            return
        before = self.totals[-1] if self.totals else ZERO
        self.dates.append(day)
        self.totals.append(before + amount)

    def at(self, day: dt.date | None) -> Decimal:
        """The sum of postings dated on or before ``day`` (all when None)."""
        if day is None:
            return self.totals[-1] if self.totals else ZERO
        index = bisect.bisect_right(self.dates, day)
        return self.totals[index - 1] if index else ZERO

    def before(self, day: dt.date) -> Decimal:
        index = bisect.bisect_left(self.dates, day)
        return self.totals[index - 1] if index else ZERO


@dataclass
class Index:
    """The derived data of one ledger in its operating ``currency``, funds defaulting to ``default_fund``."""

    currency: str
    default_fund: str
    accounts: dict[str, AccountInfo] = field(default_factory=dict)
    account_series: defaultdict[str, Series] = field(default_factory=lambda: defaultdict(Series))
    fund_series: defaultdict[str, Series] = field(default_factory=lambda: defaultdict(Series))
    assertions: defaultdict[str, list[Assertion]] = field(default_factory=lambda: defaultdict(list))
    last_by_payee: dict[str, data.Transaction] = field(default_factory=dict)
    checks_by_account: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    links_by_date: defaultdict[dt.date, set[str]] = field(default_factory=lambda: defaultdict(set))
    custom_entries: list[data.Custom] = field(default_factory=list)
    recent: list[data.Transaction] = field(default_factory=list)
    transaction_count: int = 0
    #: Each transaction's duplicate keys (``entry_rules.duplicate_keys``) by date, each as
    #: ``family, who, amount, method, check, file:line`` joined by ``\x1f`` ("" where a value is missing).
    duplicates: defaultdict[dt.date, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: ``"donor\x1fcheck number"``: ``"YYYY-MM-DD file:line"`` of the first gift paid with that check.
    donor_checks: dict[str, str] = field(default_factory=dict)
    #: ``"YYYY-MM-DD file:line"`` of each entry a reversal names.
    reversed: set[str] = field(default_factory=set)

    def take(self, entry: data.Directive, in_order: bool = False) -> None:
        """Count one entry in; ``in_order`` when no earlier-dated entry follows (the load's fast path)."""
        if isinstance(entry, data.Transaction):
            self._take_transaction(entry, in_order)
        elif isinstance(entry, data.Custom):
            self.custom_entries.append(entry)
        elif isinstance(entry, data.Balance):
            number = entry.amount.number
            if number is None:  # Beancount's grammar requires one; a plugin's balance without one asserts nothing
                return
            assertion = Assertion(entry.date, entry.account, number, entry.amount.currency, entry)
            items = self.assertions[entry.account]
            if in_order:
                items.append(assertion)
            else:
                bisect.insort(items, assertion, key=lambda item: item.date)
        elif isinstance(entry, data.Open):
            self.accounts[entry.account] = AccountInfo(entry.account, entry.date, None, tuple(entry.currencies or ()))
        elif isinstance(entry, data.Close) and entry.account in self.accounts:
            self.accounts[entry.account] = self.accounts[entry.account]._replace(closed=entry.date)

    def _take_transaction(self, entry: data.Transaction, in_order: bool) -> None:
        self.transaction_count += 1
        for posting in entry.postings:
            units = posting.units
            if units is None or units.number is None or units.currency != self.currency:
                continue
            account = self.account_series[posting.account]
            (account.extend_sorted if in_order else account.add)(entry.date, units.number)
            if conv.needs_fund(posting.account):
                fund = self.fund_series[conv.posting_fund(entry, posting, self.default_fund)]
                (fund.extend_sorted if in_order else fund.add)(entry.date, -units.number)
        if entry.links:
            self.links_by_date[entry.date].update(entry.links)
        if entry.flag == "P":
            return
        self._remember_recent(entry)
        self._remember_keys(entry)
        if entry.payee:
            previous = self.last_by_payee.get(entry.payee)
            if previous is None or previous.date <= entry.date:
                self.last_by_payee[entry.payee] = entry
        check = (entry.meta or {}).get(conv.CHECK_KEY)
        if check is not None:
            for posting in entry.postings:
                units = posting.units
                if posting.account.startswith("Assets:") and units and units.number is not None and units.number < 0:
                    self.checks_by_account[posting.account].add(str(check))

    def _remember_keys(self, entry: data.Transaction) -> None:
        """What the warnings at entry need of ``entry``: its duplicate keys, its donors' checks, what it reverses."""
        kind = transaction_kind(entry)
        meta = entry.meta or {}
        name = str(meta.get("filename") or "")
        where = f"{name.rsplit('/', 1)[-1]}:{meta.get('lineno')}" if name and not name.startswith("<") else ""
        if kind == "reversal":
            reference = reversed_reference(entry)
            if reference is not None:
                self.reversed.add(f"{reference[0].isoformat()} {reference[1]}:{reference[2]}")
            return
        for key, (method, check) in duplicate_keys(entry, kind, self.currency):
            who = str(key[1]) if len(key) > 2 else ""
            self.duplicates[entry.date].append(
                "\x1f".join((key[0], who, str(key[-1]), method or "", check or "", where)))
        for donor, number in gift_checks(entry):
            self.donor_checks.setdefault(f"{donor}\x1f{number}", f"{entry.date.isoformat()} {where}")

    def forget_history(self) -> None:
        """Drop what the warnings at entry compare with from before the last ``HISTORY_DAYS`` days."""
        if not self.recent:
            return
        cutoff = self.recent[-1].date - dt.timedelta(days=HISTORY_DAYS)
        for day in [day for day in self.duplicates if day < cutoff]:
            del self.duplicates[day]
        first = cutoff.isoformat()
        self.donor_checks = {key: value for key, value in self.donor_checks.items() if value[:10] >= first}
        self.reversed = {value for value in self.reversed if value[:10] >= first}

    def _remember_recent(self, entry: data.Transaction) -> None:
        recent = self.recent
        if recent and entry.date < recent[0].date and len(recent) >= RECENT:
            return
        index = bisect.bisect_right(recent, entry.date, key=lambda item: item.date)
        recent.insert(index, entry)
        if len(recent) > RECENT:
            del recent[0]


def build_index(entries: Sequence[data.Directive], currency: str, default_fund: str) -> Index:
    """Index entries sorted by date (as Beancount's loader returns them).

    Accounts are opened and closed before any posting is counted, so a close
    dated before a posting still marks the account closed.
    """
    index = Index(currency, default_fund)
    for entry in entries:
        if isinstance(entry, data.Open):
            index.take(entry)
    for entry in entries:
        if isinstance(entry, data.Close):
            index.take(entry)
    for entry in entries:
        if not isinstance(entry, data.Open | data.Close):
            index.take(entry, in_order=True)
    index.forget_history()
    return index
