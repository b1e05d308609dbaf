"""The books: a loaded Beancount ledger and what finsek derives from it.

``load_books`` works on any valid Beancount ledger, finsek-made or not. It is
plain blocking code, so the TUI runs it in a worker. Derived data (balances
by account and fund, payees, check numbers, balance assertions) is indexed
once at load and updated entry by entry when finsek saves, so a save never
reloads the whole ledger.
"""

import bisect
import datetime as dt
import os
import threading
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from beancount import loader
from beancount.core import data

from finsek.ledger import conventions as conv
from finsek.ledger.donors import DonorRegistry, read_registry

loader.initialize(use_cache=False)

ZERO = Decimal(0)


class LoadError(NamedTuple):
    """One problem found while loading, as data the faces can list."""

    message: str
    filename: str | None
    lineno: int | None


class AccountInfo(NamedTuple):
    name: str
    opened: dt.date
    closed: dt.date | None
    currencies: tuple[str, ...]

    def is_open_on(self, day: dt.date) -> bool:
        return self.opened <= day and (self.closed is None or day < self.closed)


class FileStamp(NamedTuple):
    """What ``stat`` says of a file: any write by anyone changes one of these."""

    size: int
    mtime_ns: int
    ctime_ns: int = 0
    inode: int = 0


class Assertion(NamedTuple):
    date: dt.date
    account: str
    amount: Decimal
    currency: str
    entry: data.Balance


def file_stamp(path: Path) -> FileStamp | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return FileStamp(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


class _Series:
    """Daily net changes of one key (an account or a fund) as a running total.

    One point per day with postings, so balances at any date are a bisect
    away and the size grows with days, not with postings.
    """

    __slots__ = ("dates", "totals")

    def __init__(self):
        self.dates: list[dt.date] = []
        self.totals: list[Decimal] = []

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


class Books:
    """A loaded ledger. Read-only for callers; ``add_entries`` is for the write path.

    Books restored from the cache start from their derived data alone (all a
    home screen or a save needs) and read their entries the first time
    ``entries`` is asked for, so the app is usable before 100,000
    transactions are decoded.
    """

    def __init__(self, main: Path, entries, errors, options, *, summary=None, entries_loader=None,
                 columns_loader=None):
        self.main = Path(main).resolve()
        self.root = self.main.parent
        self.options = options
        self.errors = [_load_error(error) for error in errors]
        self.title: str = options.get("title") or self.main.stem
        currencies = options.get("operating_currency") or []
        self.currency: str = currencies[0] if currencies else "USD"
        self.donors: DonorRegistry = read_registry(self.root)
        self.files = self._file_stamps()
        self.from_cache = False
        #: The cache key the books were restored under (None when Beancount loaded them).
        self.cache_key: str | None = None
        #: False once a save or an undo changed the books in memory (they then differ from any cache).
        self.as_loaded = True
        self._lock = threading.Lock()
        self._pending: list = []
        self._entries_loader = entries_loader
        self._columns_lock = threading.Lock()
        self._columns = None
        self._columns_loader = columns_loader
        self._columns_added: list = []
        if summary is not None:
            self._entries = None
            from finsek.ledger.cache import restore_summary

            restore_summary(self, summary)
            return
        self._entries = entries
        self.settings = conv.ledger_settings(entries)
        self.funds = conv.fund_registry(entries)
        self.default_fund = self.settings.default_fund
        self._index(entries)

    @property
    def entries(self) -> list:
        """Every entry, sorted by date (read from the cache on first use when restored from it)."""
        if self._entries is None:
            with self._lock:
                if self._entries is None:
                    entries = list(self._entries_loader())
                    present = {(e.meta.get("filename"), e.meta.get("lineno")) for e in entries if e.meta}
                    for entry in self._pending:
                        if (entry.meta.get("filename"), entry.meta.get("lineno")) in present:
                            continue  # read back from the files themselves (the cache had moved on)
                        index = bisect.bisect_right(entries, entry.date, key=lambda item: item.date)
                        entries.insert(index, entry)
                    self._pending = []
                    self._entries = entries
        return self._entries

    @property
    def entries_loaded(self) -> bool:
        return self._entries is not None

    def posting_columns(self):
        """Every posting as numpy columns (``finsek.ledger.postings``), from the cache when it has them.

        Built once, then extended by what ``add_entries`` takes in, so a
        report after a save does not read every entry again.
        """
        from finsek.ledger import postings

        with self._columns_lock:
            if self._columns is None:
                loader, self._columns_loader = self._columns_loader, None
                self._columns = loader() if loader is not None else None
                if self._columns is None:
                    self._columns = postings.build_columns(self.entries, self.currency, self.default_fund)
                    self._columns_added = []
            if self._columns_added:
                added = postings.build_columns(self._columns_added, self.currency, self.default_fund)
                self._columns = postings.concat(self._columns, added)
                self._columns_added = []
            return self._columns

    # -- loading and indexing -------------------------------------------------

    def _file_stamps(self) -> dict[Path, FileStamp]:
        paths = [Path(name) for name in self.options.get("include", [])] or [self.main]
        paths.append(self.root / "donors.csv")
        return {path: file_stamp(path) for path in paths}

    def _index(self, entries) -> None:
        self.accounts: dict[str, AccountInfo] = {}
        self.account_series: dict[str, _Series] = defaultdict(_Series)
        self.fund_series: dict[str, _Series] = defaultdict(_Series)
        self.assertions: dict[str, list[Assertion]] = defaultdict(list)
        self.last_by_payee: dict[str, data.Transaction] = {}
        self.checks_by_account: dict[str, set[str]] = defaultdict(set)
        self.links_by_date: dict[dt.date, set[str]] = defaultdict(set)
        self.custom_entries: list[data.Custom] = []
        self.recent: list[data.Transaction] = []
        self.transaction_count = 0
        self.closes = conv.closes(entries)
        self.closed_through = max((close.through for close in self.closes), default=None)
        for entry in entries:
            if isinstance(entry, data.Open):
                self.accounts[entry.account] = AccountInfo(
                    entry.account, entry.date, None, tuple(entry.currencies or ())
                )
        for entry in entries:
            if isinstance(entry, data.Close) and entry.account in self.accounts:
                self.accounts[entry.account] = self.accounts[entry.account]._replace(closed=entry.date)
        for entry in entries:
            self._index_entry(entry, in_order=True)

    def _index_entry(self, entry, in_order: bool) -> None:
        if isinstance(entry, data.Transaction):
            self.transaction_count += 1
            add = "extend_sorted" if in_order else "add"
            for posting in entry.postings:
                units = posting.units
                if units is None or units.number is None or units.currency != self.currency:
                    continue
                getattr(self.account_series[posting.account], add)(entry.date, units.number)
                if conv.needs_fund(posting.account):
                    fund = conv.posting_fund(entry, posting, self.default_fund)
                    getattr(self.fund_series[fund], add)(entry.date, -units.number)
            if entry.links:
                self.links_by_date[entry.date].update(entry.links)
            if entry.flag != "P":
                self._remember_recent(entry)
                if entry.payee:
                    previous = self.last_by_payee.get(entry.payee)
                    if previous is None or previous.date <= entry.date:
                        self.last_by_payee[entry.payee] = entry
                check = (entry.meta or {}).get(conv.CHECK_KEY)
                if check is not None:
                    for posting in entry.postings:
                        if posting.account.startswith("Assets:") and posting.units and posting.units.number < 0:
                            self.checks_by_account[posting.account].add(str(check))
        elif isinstance(entry, data.Custom):
            self.custom_entries.append(entry)
        elif isinstance(entry, data.Balance):
            assertion = Assertion(
                entry.date, entry.account, entry.amount.number, entry.amount.currency, entry
            )
            items = self.assertions[entry.account]
            if in_order:
                items.append(assertion)
            else:
                bisect.insort(items, assertion, key=lambda item: item.date)

    RECENT = 50

    def _remember_recent(self, entry: data.Transaction) -> None:
        recent = self.recent
        if recent and entry.date < recent[0].date and len(recent) >= self.RECENT:
            return
        index = bisect.bisect_right(recent, entry.date, key=lambda item: item.date)
        recent.insert(index, entry)
        if len(recent) > self.RECENT:
            del recent[0]

    def recent_transactions(self, count: int = 8) -> list[data.Transaction]:
        """The latest transactions, newest first (no need to read every entry)."""
        return list(reversed(self.recent[-count:]))

    def add_entries(self, entries, files: dict[Path, FileStamp] | None = None) -> None:
        """Take in entries the write path has just appended (already validated)."""
        self.as_loaded = False
        with self._columns_lock:
            if self._columns is not None or self._columns_loader is not None:
                self._columns_added.extend(entries)
        for entry in entries:
            with self._lock:
                if self._entries is None:
                    self._pending.append(entry)
                else:
                    self._insert(entry)
            self._index_entry(entry, in_order=False)
            if isinstance(entry, data.Custom) and entry.type == "close":
                self.closes = sorted([*self.closes, *conv.closes([entry])], key=lambda c: (c.through, c.date))
                self.closed_through = max(close.through for close in self.closes)
        if files:
            self.files.update(files)

    def _insert(self, entry) -> None:
        index = bisect.bisect_right(self._entries, entry.date, key=lambda item: item.date)
        self._entries.insert(index, entry)

    def remove_entries(self, entries, files: dict[Path, FileStamp] | None = None) -> None:
        """Forget entries that undo has taken out of the file, and re-index."""
        self.as_loaded = False
        doomed = {id(entry) for entry in entries}
        self._entries = [entry for entry in self.entries if id(entry) not in doomed]
        with self._columns_lock:
            self._columns, self._columns_loader, self._columns_added = None, None, []
        self._index(self._entries)
        if files:
            self.files.update(files)

    # -- questions callers ask ------------------------------------------------

    @property
    def org_name(self) -> str:
        return self.title

    @property
    def locale(self) -> str:
        return self.settings.locale

    def changed_files(self) -> list[Path]:
        """Included files (and donors.csv) whose size or mtime differ from load time."""
        return [path for path, stamp in self.files.items() if file_stamp(path) != stamp]

    def transactions(self) -> list[data.Transaction]:
        return [entry for entry in self.entries if isinstance(entry, data.Transaction) and entry.flag != "P"]

    def account_balance(self, account: str, at: dt.date | None = None, *, include_children: bool = True) -> Decimal:
        """Balance in the operating currency at the end of ``at`` (all dates when None)."""
        if not include_children:
            series = self.account_series.get(account)
            return series.at(at) if series else ZERO
        return sum(
            (series.at(at) for name, series in self.account_series.items() if conv.account_matches(name, account)),
            ZERO,
        )

    def account_balance_before(self, account: str, day: dt.date) -> Decimal:
        """Balance at the start of ``day``: what a Beancount balance assertion checks."""
        return sum(
            (
                series.before(day)
                for name, series in self.account_series.items()
                if conv.account_matches(name, account)
            ),
            ZERO,
        )

    def balances(self, at: dt.date | None = None) -> dict[str, Decimal]:
        return {name: series.at(at) for name, series in sorted(self.account_series.items())}

    def fund_balance(self, fund: str, at: dt.date | None = None) -> Decimal:
        """A fund's net assets: minus the sum of its Income, Expenses and Equity postings."""
        series = self.fund_series.get(fund)
        return series.at(at) if series else ZERO

    def fund_balances(self, at: dt.date | None = None) -> dict[str, Decimal]:
        names = list(self.funds) + sorted(set(self.fund_series) - set(self.funds))
        if not names:
            names = [self.default_fund]
        return {name: self.fund_balance(name, at) for name in names}

    def fund_class(self, fund: str) -> str:
        found = self.funds.get(fund)
        return found.klass if found else "unrestricted"

    def known_fund(self, fund: str) -> bool:
        return fund in self.funds if self.funds else fund == self.default_fund

    def open_accounts(self, day: dt.date | None = None, root: str | None = None) -> list[str]:
        day = day or dt.date.today()
        return sorted(
            name
            for name, info in self.accounts.items()
            if info.is_open_on(day) and (root is None or conv.account_matches(name, root))
        )

    def bank_accounts(self, day: dt.date | None = None) -> list[str]:
        return [a for a in self.open_accounts(day, "Assets") if ":Bank" in a or ":Cash" in a] or self.open_accounts(
            day, "Assets"
        )

    def payees(self) -> list[str]:
        return sorted(self.last_by_payee, key=str.casefold)

    def last_transaction(self, payee: str) -> data.Transaction | None:
        return self.last_by_payee.get(payee)

    def last_assertion(self, account: str) -> Assertion | None:
        items = self.assertions.get(account)
        return items[-1] if items else None

    def assertions_after(self, account: str, day: dt.date) -> list[Assertion]:
        """Balance assertions on ``account`` or a parent that a posting on ``day`` would affect."""
        found = []
        parts = account.split(":")
        for depth in range(1, len(parts) + 1):
            for item in self.assertions.get(":".join(parts[:depth]), ()):
                if item.date > day:
                    found.append(item)
        return found

    def next_check_number(self, account: str) -> str:
        numbers = [int(value) for value in self.checks_by_account.get(account, ()) if value.isdigit()]
        return str(max(numbers) + 1) if numbers else "1001"

    def year_file(self, year: int) -> Path:
        return self.root / f"{year}.beancount"

    def included(self, path: Path) -> bool:
        resolved = str(Path(path).resolve())
        return any(str(Path(name).resolve()) == resolved for name in self.options.get("include", []))


def _load_error(error) -> LoadError:
    source = getattr(error, "source", None) or {}
    filename = source.get("filename") if isinstance(source, dict) else None
    lineno = source.get("lineno") if isinstance(source, dict) else None
    message = str(getattr(error, "message", error)).strip()
    return LoadError(message, filename, lineno)


def load_books(path: str | Path, *, use_cache: bool = False, digest=None) -> Books:
    """Load a ledger (blocking). Problems come back in ``books.errors``, never raised.

    With ``use_cache``, a fresh cache (see ``finsek.ledger.cache``) answers
    instead of Beancount's loader; ``books.from_cache`` tells which it was.
    Call ``store_cache(books)`` afterwards (in the background) to make one.
    """
    main = Path(path).expanduser()
    if main.is_dir():
        main = main / "main.beancount"
    main = main.resolve()
    if use_cache:
        from finsek.ledger import cache

        cached = cache.fetch(main, digest)
        if cached is not None:
            summary, errors, options, entries_loader, columns_loader = cached
            try:
                books = Books(main, [], [_CachedError(*error) for error in errors], options,
                              summary=summary, entries_loader=entries_loader, columns_loader=columns_loader)
            except (KeyError, IndexError, TypeError, ValueError):
                books = None
            if books is not None:
                books.from_cache = True
                books.cache_key = summary["key"]
                return books
    entries, errors, options = loader.load_file(str(main))
    books = Books(main, entries, errors, options)
    return books


class _CachedError(NamedTuple):
    message: str
    filename: str | None
    lineno: int | None

    @property
    def source(self):
        return {"filename": self.filename, "lineno": self.lineno}
