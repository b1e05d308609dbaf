"""The books: a loaded Beancount ledger and what finsek derives from it.

``load_books`` works on any valid Beancount ledger, finsek-made or not. It is
plain blocking code, so the TUI runs it in a worker. Derived data (balances
by account and fund, payees, check numbers, balance assertions) is indexed
once at load and updated entry by entry when finsek saves, so a save never
reloads the whole ledger.
"""

import bisect
import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from beancount import loader
from beancount.core import data

from finsek.ledger import conventions as conv
from finsek.ledger import trust
from finsek.ledger.donors import DonorRegistry, read_registry
from finsek.ledger.files import FileStamp, file_stamp
from finsek.ledger.index import AccountInfo, Assertion, Index, Series, build_index

if TYPE_CHECKING:
    from finsek.ledger.cache import CacheState
    from finsek.ledger.postings import PostingColumns

ZERO = Decimal(0)


class LoadError(NamedTuple):
    """One problem found while loading, as data the faces can list."""

    message: str
    filename: str | None
    lineno: int | None


class Books:
    """A loaded ledger. Read-only for callers; ``add_entries`` is for the write path.

    Books restored from the cache start from their derived data alone (all a
    home screen or a save needs) and read their entries the first time
    ``entries`` is asked for, so the app is usable before 100,000
    transactions are decoded.
    """

    def __init__(
        self,
        main: Path,
        entries: list[data.Directive],
        errors: Iterable[object],
        options: data.Options,
        *,
        index: Index | None = None,
        entries_loader: Callable[[], Iterable[data.Directive]] | None = None,
        columns_loader: "Callable[[], PostingColumns | None] | None" = None,
    ) -> None:
        """Books over ``entries``; or, given the ``index`` a cache kept, over entries read on first use."""
        self.main = Path(main).resolve()
        self.root = self.main.parent
        self.options = options
        self.errors = [_load_error(error) for error in errors]
        self.title: str = options.get("title") or self.main.stem
        currencies = options.get("operating_currency") or []
        self.currency: str = currencies[0] if currencies else "USD"
        self.donors: DonorRegistry = read_registry(self.root)
        self.files = self._file_stamps()
        self.from_cache = index is not None
        #: The cache key the books were restored under or last stored with (None when the cache has no copy).
        self.cache_key: str | None = None
        #: Where these books stand in the cache (``finsek.ledger.cache.CacheState``), for a save to append to it.
        self.cache_state: CacheState | None = None
        self._lock = threading.Lock()
        self._pending: list[data.Directive] = []
        self._entries_loader: Callable[[], Iterable[data.Directive]] = entries_loader or list
        self._columns_lock = threading.Lock()
        self._columns: PostingColumns | None = None
        self._columns_loader = columns_loader
        self._columns_added: list[data.Directive] = []
        self._entries: list[data.Directive] | None = None if entries_loader is not None else entries
        if index is None:
            settings = conv.ledger_settings(entries)
            index = build_index(entries, self.currency, settings.default_fund)
        self._adopt(index)

    def _adopt(self, index: Index) -> None:
        """Use ``index`` as the books' derived data; settings, funds and closes follow from its customs."""
        self.index = index
        self._read_customs()

    def _read_customs(self) -> None:
        customs = self.index.custom_entries
        self.settings = conv.ledger_settings(customs)
        self.funds = conv.fund_registry(customs)
        self.default_fund = self.settings.default_fund
        self.closes = conv.closes(customs)
        self.closed_through = max((close.through for close in self.closes), default=None)

    # The index's tables, read as the books' own (callers ask books.accounts, books.assertions, ...).
    @property
    def accounts(self) -> dict[str, AccountInfo]:
        return self.index.accounts

    @property
    def account_series(self) -> defaultdict[str, Series]:
        return self.index.account_series

    @property
    def fund_series(self) -> defaultdict[str, Series]:
        return self.index.fund_series

    @property
    def assertions(self) -> defaultdict[str, list[Assertion]]:
        return self.index.assertions

    @property
    def last_by_payee(self) -> dict[str, data.Transaction]:
        return self.index.last_by_payee

    @property
    def checks_by_account(self) -> defaultdict[str, set[str]]:
        return self.index.checks_by_account

    @property
    def links_by_date(self) -> defaultdict[dt.date, set[str]]:
        return self.index.links_by_date

    @property
    def custom_entries(self) -> list[data.Custom]:
        return self.index.custom_entries

    @property
    def recent(self) -> list[data.Transaction]:
        return self.index.recent

    @property
    def transaction_count(self) -> int:
        return self.index.transaction_count

    @property
    def entries(self) -> list[data.Directive]:
        """Every entry, sorted by date (read from the cache on first use when restored from it)."""
        if self._entries is None:
            with self._lock:
                if self._entries is None:
                    entries = list(self._entries_loader())
                    present = {(e.meta.get("filename"), e.meta.get("lineno")) for e in entries if e.meta}
                    for entry in self._pending:
                        if (entry.meta.get("filename"), entry.meta.get("lineno")) in present:
                            continue  # read back from the files themselves (the cache had moved on)
                        _insert_by_date(entries, entry)
                    self._pending = []
                    self._entries = entries
        return self._entries

    @property
    def entries_loaded(self) -> bool:
        return self._entries is not None

    def posting_columns(self) -> "PostingColumns":
        """Every posting as numpy columns (``finsek.ledger.postings``), from the cache when it has them.

        Built once, then extended by what ``add_entries`` takes in, so a
        report after a save does not read every entry again.
        """
        from finsek.ledger import postings  # numpy: only when columns are asked for (start-up time)

        with self._columns_lock:
            columns = self._columns
            if columns is None:
                loader, self._columns_loader = self._columns_loader, None
                columns = loader() if loader is not None else None
                if columns is None:
                    columns = postings.build_columns(self.entries, self.currency, self.default_fund)
                    self._columns_added = []
            if self._columns_added:
                added = postings.build_columns(self._columns_added, self.currency, self.default_fund)
                columns = postings.concat(columns, added)
                self._columns_added = []
            self._columns = columns
            return columns

    # -- loading and indexing -------------------------------------------------

    def _file_stamps(self) -> dict[Path, FileStamp | None]:
        paths = [Path(name) for name in self.options.get("include", [])] or [self.main]
        paths.append(self.root / "donors.csv")
        return {path: file_stamp(path) for path in paths}

    def recent_transactions(self, count: int = 8) -> list[data.Transaction]:
        """The latest transactions, newest first (no need to read every entry)."""
        return list(reversed(self.recent[-count:]))

    def add_entries(
        self, entries: Sequence[data.Directive], files: Mapping[Path, FileStamp | None] | None = None
    ) -> None:
        """Take in entries the write path has just appended (already validated)."""
        with self._columns_lock:
            if self._columns is not None or self._columns_loader is not None:
                self._columns_added.extend(entries)
        for entry in entries:
            with self._lock:
                if self._entries is None:
                    self._pending.append(entry)
                else:
                    _insert_by_date(self._entries, entry)
            self.index.take(entry)
        if any(isinstance(entry, data.Custom) for entry in entries):
            self._read_customs()
        if files:
            self.files.update(files)

    def remove_entries(
        self, entries: Iterable[data.Directive], files: Mapping[Path, FileStamp | None] | None = None
    ) -> None:
        """Forget entries that undo has taken out of the file, and re-index."""
        doomed = {id(entry) for entry in entries}
        self._entries = [entry for entry in self.entries if id(entry) not in doomed]
        with self._columns_lock:
            self._columns, self._columns_loader, self._columns_added = None, None, []
        self._adopt(build_index(self._entries, self.currency, conv.ledger_settings(self._entries).default_fund))
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


def _insert_by_date(entries: list[data.Directive], entry: data.Directive) -> None:
    """Put ``entry`` after every entry of an earlier or the same date."""
    entries.insert(bisect.bisect_right(entries, entry.date, key=lambda item: item.date), entry)


def _load_error(error: object) -> LoadError:
    source = getattr(error, "source", None) or {}
    filename = source.get("filename") if isinstance(source, dict) else None
    lineno = source.get("lineno") if isinstance(source, dict) else None
    message = str(getattr(error, "message", error)).strip()
    return LoadError(message, filename, lineno)


def main_file(path: str | Path) -> Path:
    """The ledger's main file, given it or its folder."""
    main = Path(path).expanduser()
    if main.is_dir():
        main = main / "main.beancount"
    return main.resolve()


def load_books(path: str | Path) -> Books:
    """Load a ledger with Beancount (blocking). Problems come back in ``books.errors``, never raised,
    except code the ledger asks to run that is not trusted, and files that cannot be read (``Refused``).

    ``finsek.ledger.cache.fetch_books`` answers instead when the cache is
    fresh; ``Ledger.load`` asks it first.
    """
    loader.initialize(use_cache=False)
    main = main_file(path)
    entries, errors, options = trust.load_file(main)  # refuses untrusted plugins before they run
    return Books(main, entries, errors, options)
