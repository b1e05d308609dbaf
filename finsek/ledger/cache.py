"""A cache of loaded books, so a ledger that did not change opens at once, in the app and in every command.

Beancount's own cache is a pickle beside the ledger; finsek's is JSON (and
integer posting columns in an ``.npz`` read without pickle) in the user's
cache folder (platformdirs), private to the user: nothing read from it can
run code. It is used only when its key matches: the sha256 of finsek's
version and loading code (core/, ledger/, plugin.py), Beancount's version,
the source of every plugin the ledger loads, and the content of every
included file and of donors.csv. Any change gives a new key, so a stale
cache is never used. Ledgers whose includes use wildcards, or that read
document folders, are not cached (a new file would not change the key).

Three files per ledger: the manifest (key, options, Beancount's errors, the
derived data of ``ledger.index``), the entries (one JSON line each) and the
posting columns. A save does not rebuild them: ``append`` adds its entries'
lines and writes the small manifest under the new key; the columns are
written again only when far behind, and a reader builds columns for the
few entries after them.
"""

import datetime as dt
import hashlib
import importlib.util
import itertools
import json
import os
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TypeVar, overload

import beancount
import platformdirs
from beancount.core import account as account_module
from beancount.core import data
from beancount.core.amount import Amount
from beancount.core.position import Cost
from beancount.parser.grammar import ValueType

import finsek
from finsek.ledger import trust
from finsek.ledger.books import Books
from finsek.ledger.files import sha256_of, write_private
from finsek.ledger.index import AccountInfo, Assertion, Index, Series

if TYPE_CHECKING:
    from finsek.ledger.postings import PostingColumns

_T = TypeVar("_T")
_E = TypeVar("_E", data.Balance, data.Custom, data.Transaction)

FORMAT = 3

#: Saves since the posting columns were last written, past which a save writes them again (a save
#: otherwise only appends its entries, and a reader builds columns for those few itself).
COLUMNS_BEHIND = 2000

_ORDINAL = dt.date.toordinal
_FROM_ORDINAL = dt.date.fromordinal


def cache_dir() -> Path:
    override = os.environ.get("FINSEK_CACHE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir("finsek", appauthor=False))


def _manifest_path(main: Path) -> Path:
    return cache_dir() / "books" / (hashlib.sha256(str(main).encode()).hexdigest()[:32] + ".json")


def _module_digest(name: str) -> str:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return "missing"
    if spec is None or not spec.origin or not os.path.isfile(spec.origin):
        return "builtin"
    return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()


def _code_digest(plugins: list[str]) -> str:
    """finsek's loading code (core, ledger, its plugin) and every plugin the ledger names, as one digest."""
    digest = hashlib.sha256(f"{FORMAT}|{finsek.__version__}|{beancount.__version__}".encode())
    package = Path(finsek.__file__).resolve().parent
    for own in sorted([*(package / "core").glob("*.py"), *(package / "ledger").glob("*.py"), package / "plugin.py"]):
        digest.update(own.read_bytes())
    for plugin in sorted(set(plugins)):
        digest.update(f"|{plugin}:{_module_digest(plugin)}".encode())
    return digest.hexdigest()


def file_digests(
    main: Path, files: list[str], digest: Callable[[str], str | None] | None = None
) -> dict[str, str | None]:
    """sha256 of each file as it is on disk now (None when missing); ``digest(name)`` computes one."""
    digest = digest or sha256_of
    return {name: digest(name) for name in sorted(set(files) | {str(main.parent / "donors.csv")})}


def content_key(digests: dict[str, str | None], plugins: list[str]) -> str:
    """The cache key: the code that loads, and the content of every file it read."""
    digest = hashlib.sha256(_code_digest(plugins).encode())
    for name in sorted(digests):
        digest.update(f"\0{name}\0{digests[name] or '-'}".encode())
    return digest.hexdigest()


def cacheable(options: data.Options) -> bool:
    """False for ledgers whose files a key cannot cover: wildcard includes, document folders."""
    if options.get("documents"):
        return False
    return not any(
        any(char in line for char in "*?[")
        for name in options.get("include", [])
        for line in _include_lines(name)
    )


def _include_lines(name: str) -> list[str]:
    try:
        with open(name, encoding="utf-8", errors="replace") as handle:
            return [line for line in handle if line.startswith("include")]
    except OSError:
        return []


# -- encoding ---------------------------------------------------------------


def _value(value: object) -> object:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, Amount):
        return {"a": [None if value.number is None else str(value.number), value.currency]}
    if isinstance(value, dt.date):
        return {"t": _ORDINAL(value)}
    raise TypeError(type(value).__name__)


def _unvalue(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "d" in value:
        return Decimal(value["d"])
    if "a" in value:
        number, currency = value["a"]
        return _amount(None if number is None else Decimal(number), currency)
    return _FROM_ORDINAL(value["t"])


def _amount(number: Decimal | None, currency: str) -> Amount:
    """An ``Amount`` whose number may be missing, as Beancount's parser makes one for an incomplete posting."""
    # Beancount's Amount.__new__ says ``number: Decimal``, yet its field is Optional[Decimal] and it takes None.
    return Amount(number, currency)  # type: ignore[arg-type]


class _Encoder:
    """Entries to their JSON form; file names become indexes into ``files`` (kept in the manifest)."""

    def __init__(self, files: list[str] | None = None) -> None:
        self.files: dict[str, int] = {name: index for index, name in enumerate(files or [])}

    def meta(self, meta: data.Meta | None) -> list | None:
        if meta is None:
            return None
        filename = meta.get("filename")
        index = self.files.setdefault(filename, len(self.files)) if filename is not None else -1
        rest = {key: _value(value) for key, value in meta.items()
                if key not in ("filename", "lineno") and not key.startswith("__")}
        return [index, meta.get("lineno"), rest] if rest else [index, meta.get("lineno")]

    def amount(self, amount: Amount | None) -> list | None:
        if amount is None:
            return None
        return [None if amount.number is None else str(amount.number), amount.currency]

    def posting(self, posting: data.Posting) -> list:
        cost = posting.cost
        encoded_cost = None
        if cost is not None:
            if not isinstance(cost, Cost):
                raise TypeError("unbooked cost")
            encoded_cost = [str(cost.number), cost.currency, cost.date and _ORDINAL(cost.date), cost.label]
        return [posting.account, self.amount(posting.units), encoded_cost, self.amount(posting.price), posting.flag,
                self.meta(posting.meta)]

    def entry(self, entry: data.Directive) -> list:
        meta, day = self.meta(entry.meta), _ORDINAL(entry.date)
        if isinstance(entry, data.Transaction):
            return ["T", meta, day, entry.flag, entry.payee, entry.narration, sorted(entry.tags or ()),
                    sorted(entry.links or ()), [self.posting(p) for p in entry.postings]]
        if isinstance(entry, data.Open):
            booking = entry.booking.name if entry.booking is not None else None
            return ["O", meta, day, entry.account, entry.currencies, booking]
        if isinstance(entry, data.Close):
            return ["C", meta, day, entry.account]
        if isinstance(entry, data.Balance):
            return ["B", meta, day, entry.account, self.amount(entry.amount),
                    None if entry.tolerance is None else str(entry.tolerance), self.amount(entry.diff_amount)]
        if isinstance(entry, data.Custom):
            return ["U", meta, day, entry.type, [[_value(v.value), _dtype_name(v.dtype)] for v in entry.values]]
        if isinstance(entry, data.Commodity):
            return ["M", meta, day, entry.currency]
        if isinstance(entry, data.Pad):
            return ["P", meta, day, entry.account, entry.source_account]
        if isinstance(entry, data.Note):
            return ["N", meta, day, entry.account, entry.comment, sorted(entry.tags or ()), sorted(entry.links or ())]
        if isinstance(entry, data.Event):
            return ["E", meta, day, entry.type, entry.description]
        if isinstance(entry, data.Query):
            return ["Q", meta, day, entry.name, entry.query_string]
        if isinstance(entry, data.Price):
            return ["R", meta, day, entry.currency, self.amount(entry.amount)]
        if isinstance(entry, data.Document):
            return ["D", meta, day, entry.account, entry.filename, sorted(entry.tags or ()),
                    sorted(entry.links or ())]
        raise TypeError(type(entry).__name__)


def _dtype_name(dtype: object) -> str:
    if dtype is account_module.TYPE:
        return "account"
    return getattr(dtype, "__name__", str(dtype))


_DTYPES: dict[str, type | str] = {"account": account_module.TYPE, "str": str, "Decimal": Decimal, "date": dt.date,
                                  "bool": bool, "Amount": Amount, "int": int}


def _dtype(name: str) -> type | str:
    """A custom value's dtype: a type, or for an account the string ``beancount.core.account.TYPE``."""
    return _DTYPES.get(name, str)


class _Decoder:
    """Entries from their JSON form, sharing what repeats.

    Accounts, currencies, payees, meta keys and values, amounts, dates and
    tag sets recur across 100,000 transactions; each distinct one is made
    once and shared (all are immutable), which keeps decoded entries well
    below the memory Beancount's own load takes.
    """

    def __init__(self, files: list[str]) -> None:
        self.files = files
        self._strings: dict[str, str] = {}
        self._amounts: dict[tuple[str | None, str], Amount] = {}
        self._days: dict[int, dt.date] = {}
        self._sets: dict[tuple[str, ...], frozenset[str]] = {(): frozenset()}

    @overload
    def text(self, value: str) -> str: ...
    @overload
    def text(self, value: _T) -> _T: ...
    def text(self, value: object) -> object:
        """``value``, or the equal string already seen (anything but a string comes back as it is)."""
        if type(value) is not str:
            return value
        return self._strings.setdefault(value, value)

    def day(self, ordinal: int) -> dt.date:
        found = self._days.get(ordinal)
        if found is None:
            found = self._days[ordinal] = _FROM_ORDINAL(ordinal)
        return found

    def words(self, raw: list[str]) -> frozenset[str]:
        key = tuple(raw)
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = frozenset(self.text(word) for word in raw)
        return found

    def meta(self, raw: list | None) -> data.Meta | None:
        if raw is None:
            return None
        meta: data.Meta = {"filename": self.files[raw[0]] if raw[0] >= 0 else None, "lineno": raw[1]}
        if len(raw) > 2:
            text = self.text
            for key, value in raw[2].items():
                meta[text(key)] = text(_unvalue(value))
        return meta

    def amount(self, raw: list | None) -> Amount | None:
        if raw is None:
            return None
        number, currency = raw
        found = self._amounts.get((number, currency))
        if found is None:
            found = _amount(None if number is None else Decimal(number), self.text(currency))
            self._amounts[(number, currency)] = found
        return found

    def known_amount(self, raw: list) -> Amount:
        """An amount the entry cannot be without (a balance's, a price's)."""
        found = self.amount(raw)
        if found is None:
            raise ValueError("an entry's amount is missing")
        return found

    def posting(self, raw: list) -> data.Posting:
        account, units, encoded_cost, price, flag, meta = raw
        cost = None
        if encoded_cost is not None:
            number, currency, ordinal, label = encoded_cost
            cost = Cost(Decimal(number), self.text(currency), ordinal and _FROM_ORDINAL(ordinal), label)
        return data.Posting(self.text(account), self.amount(units), cost, self.amount(price), flag and self.text(flag),
                            self.meta(meta))

    def entry(self, raw: list) -> data.Directive:
        kind, meta, day = raw[0], self.meta(raw[1]) or {}, self.day(raw[2])
        if kind == "T":
            text = self.text
            return data.Transaction(meta, day, text(raw[3]), text(raw[4]), text(raw[5]), self.words(raw[6]),
                                    self.words(raw[7]), [self.posting(p) for p in raw[8]])
        if kind == "O":
            booking = data.Booking[raw[5]] if raw[5] else None
            return data.Open(meta, day, raw[3], raw[4], booking)
        if kind == "C":
            return data.Close(meta, day, raw[3])
        if kind == "B":
            return data.Balance(meta, day, raw[3], self.known_amount(raw[4]), raw[5] and Decimal(raw[5]),
                                self.amount(raw[6]))
        if kind == "U":
            # Beancount types ``dtype`` as a type, but its own parser gives account values the str account.TYPE.
            values = [ValueType(_unvalue(value), _dtype(dtype)) for value, dtype in raw[4]]  # type: ignore[arg-type]
            return data.Custom(meta, day, raw[3], values)
        if kind == "M":
            return data.Commodity(meta, day, raw[3])
        if kind == "P":
            return data.Pad(meta, day, raw[3], raw[4])
        if kind == "N":
            return data.Note(meta, day, raw[3], raw[4], frozenset(raw[5]), frozenset(raw[6]))
        if kind == "E":
            return data.Event(meta, day, raw[3], raw[4])
        if kind == "Q":
            return data.Query(meta, day, raw[3], raw[4])
        if kind == "R":
            return data.Price(meta, day, raw[3], self.known_amount(raw[4]))
        if kind == "D":
            return data.Document(meta, day, raw[3], raw[4], frozenset(raw[5]), frozenset(raw[6]))
        raise ValueError(kind)

    def entry_of(self, raw: list, kind: type[_E]) -> _E:
        """The entry ``raw`` encodes, which must be a ``kind`` (else the cache is damaged: ValueError)."""
        entry = self.entry(raw)
        if not isinstance(entry, kind):
            raise ValueError(f"{type(entry).__name__} where the cache keeps a {kind.__name__}")
        return entry


_OPTION_KEYS = ("title", "operating_currency", "include", "filename", "plugin", "documents")


def _entries_path(main: Path) -> Path:
    return _manifest_path(main).with_suffix(".entries.jsonl")


def _columns_path(main: Path) -> Path:
    return _manifest_path(main).with_suffix(".postings.npz")


class CacheState(NamedTuple):
    """Where the books stand in the cache: enough for a save to append to it instead of writing it anew.

    ``generation`` names one entries file and its posting columns; ``entry_count`` lines of that file
    (``entries_bytes`` bytes) hold the entries, and the columns cover its first ``columns_count`` lines,
    which end at byte ``columns_bytes``.
    """

    key: str
    generation: str
    entry_files: list[str]
    entry_count: int
    entries_bytes: int
    columns_count: int
    columns_bytes: int


# -- the derived data -------------------------------------------------------------


def encode_index(index: Index, encoder: _Encoder) -> dict[str, Any]:
    """Everything an ``Index`` holds, as JSON-ready data."""

    def series(table: dict[str, Series]) -> dict[str, list[list]]:
        return {name: [[_ORDINAL(day) for day in s.dates], [str(total) for total in s.totals]]
                for name, s in table.items()}

    index.forget_history()
    return {
        "currency": index.currency,
        "default_fund": index.default_fund,
        "accounts": [[a.name, _ORDINAL(a.opened), a.closed and _ORDINAL(a.closed), list(a.currencies)]
                     for a in index.accounts.values()],
        "account_series": series(index.account_series),
        "fund_series": series(index.fund_series),
        "assertions": {account: [encoder.entry(item.entry) for item in items]
                       for account, items in index.assertions.items()},
        "last_by_payee": {payee: encoder.entry(entry) for payee, entry in index.last_by_payee.items()},
        "checks": {account: sorted(numbers) for account, numbers in index.checks_by_account.items()},
        "links_by_date": {str(_ORDINAL(day)): sorted(links) for day, links in index.links_by_date.items()},
        "custom": [encoder.entry(entry) for entry in index.custom_entries],
        "recent": [encoder.entry(entry) for entry in index.recent],
        "transaction_count": index.transaction_count,
        "duplicates": {str(_ORDINAL(day)): items for day, items in index.duplicates.items()},
        "donor_checks": index.donor_checks,
        "reversed": sorted(index.reversed),
    }


def decode_index(summary: dict[str, Any], decoder: _Decoder) -> Index:
    """The ``Index`` that ``encode_index`` wrote."""

    def series(raw: dict[str, list[list]]) -> defaultdict[str, Series]:
        return defaultdict(Series, {name: Series([_FROM_ORDINAL(day) for day in dates], [Decimal(t) for t in totals])
                                    for name, (dates, totals) in raw.items()})

    assertions: defaultdict[str, list[Assertion]] = defaultdict(list)
    for account, raws in summary["assertions"].items():
        for raw in raws:
            entry = decoder.entry_of(raw, data.Balance)
            if entry.amount.number is None:
                raise ValueError("a balance assertion without a number")
            assertions[account].append(Assertion(entry.date, entry.account, entry.amount.number,
                                                 entry.amount.currency, entry))
    return Index(
        currency=summary["currency"],
        default_fund=summary["default_fund"],
        accounts={name: AccountInfo(name, _FROM_ORDINAL(opened), closed and _FROM_ORDINAL(closed), tuple(cur))
                  for name, opened, closed, cur in summary["accounts"]},
        account_series=series(summary["account_series"]),
        fund_series=series(summary["fund_series"]),
        assertions=assertions,
        last_by_payee={payee: decoder.entry_of(raw, data.Transaction)
                       for payee, raw in summary["last_by_payee"].items()},
        checks_by_account=defaultdict(set, {a: set(numbers) for a, numbers in summary["checks"].items()}),
        links_by_date=defaultdict(set, {_FROM_ORDINAL(int(day)): set(links)
                                        for day, links in summary["links_by_date"].items()}),
        custom_entries=[decoder.entry_of(raw, data.Custom) for raw in summary["custom"]],
        recent=[decoder.entry_of(raw, data.Transaction) for raw in summary["recent"]],
        transaction_count=summary["transaction_count"],
        duplicates=defaultdict(list, {_FROM_ORDINAL(int(day)): list(items)
                                      for day, items in summary["duplicates"].items()}),
        donor_checks=dict(summary["donor_checks"]),
        reversed=set(summary["reversed"]),
    )


# -- writing ----------------------------------------------------------------------


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _head(books: Books, digests: dict[str, str | None]) -> dict[str, Any] | None:
    """The manifest's head for ``books`` read from files with these ``digests``, or None if not cacheable."""
    main, options = books.main, books.options
    files = list(options.get("include", []))
    plugins = [name for name, _ in options.get("plugin", [])]
    if set(digests) != set(files) | {str(main.parent / "donors.csv")}:
        return None
    return {
        "format": FORMAT,
        "key": content_key(digests, plugins),
        "main": str(main),
        "files": files,
        "plugins": plugins,
        "options": {k: options.get(k) for k in _OPTION_KEYS if k != "plugin"},
        "errors": [list(error) for error in books.errors],
    }


def _write_manifest(books: Books, head: dict[str, Any], state: CacheState, encoder: _Encoder) -> None:
    summary = encode_index(books.index, encoder)
    state = state._replace(key=head["key"], entry_files=list(encoder.files))
    payload = {**head, "state": list(state), "summary": summary}
    write_private(_manifest_path(books.main), _dumps(payload).encode("utf-8"))
    books.cache_key, books.cache_state = head["key"], state


def store(books: Books, digests: dict[str, str | None]) -> bool:
    """Write the whole cache for ``books`` (best effort: a failure only costs speed).

    ``digests`` are the sha256 of the files as they were when the books were
    read from them, so the key can never describe newer content. Three files
    under one new generation: the entries (one JSON line each), the posting
    columns, then the manifest (the key and the derived data, read at start),
    written last so that it never names a generation not yet complete.
    """
    try:
        if not cacheable(books.options):
            return False
        head = _head(books, digests)
        if head is None:
            return False
        entries = books.entries
        columns = books.posting_columns()
        generation = secrets.token_hex(8)
        _manifest_path(books.main).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        encoder = _Encoder()
        size = _write_entries(_entries_path(books.main), generation, entries, encoder)
        state = CacheState(head["key"], generation, [], len(entries), size, len(entries), size)
        _write_columns(_columns_path(books.main), state, columns)
        _write_manifest(books, head, state, encoder)
        return True
    except (OSError, TypeError, ValueError):
        return False


def append(books: Books, digests: dict[str, str | None], entries: list[data.Directive]) -> bool:
    """Bring the cache up to ``books`` after a save appended ``entries`` to the ledger.

    Only when the cache holds exactly the books before the save (the manifest
    on disk has the key they were restored or stored under): the entries are
    appended to the entries file and the manifest is written with the new key
    and derived data. Anything else leaves the cache as it is, to be found
    stale and rebuilt.
    """
    state: CacheState | None = getattr(books, "cache_state", None)
    if state is None:
        return False
    try:
        on_disk = _read_json(_manifest_path(books.main))
        if not on_disk or on_disk.get("format") != FORMAT or on_disk.get("key") != state.key:
            return False
        head = _head(books, digests)
        if head is None:
            return False
        encoder = _Encoder(state.entry_files)
        lines = "".join(_dumps(encoder.entry(entry)) + "\n" for entry in entries).encode("utf-8")
        with open(_entries_path(books.main), "r+b") as handle:
            if _generation_of(handle) != state.generation:
                return False
            handle.truncate(state.entries_bytes)
            handle.seek(state.entries_bytes)
            handle.write(lines)
        state = state._replace(entry_count=state.entry_count + len(entries),
                               entries_bytes=state.entries_bytes + len(lines))
        if state.entry_count - state.columns_count > COLUMNS_BEHIND:
            state = state._replace(columns_count=state.entry_count, columns_bytes=state.entries_bytes)
            _write_columns(_columns_path(books.main), state, books.posting_columns())
        _write_manifest(books, head, state, encoder)
        return True
    except (OSError, TypeError, ValueError):
        return False


def _write_entries(path: Path, generation: str, entries: Iterable[data.Directive], encoder: _Encoder) -> int:
    """The head line, then one JSON line per entry, written as encoded; returns the file's size."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(dumps({"format": FORMAT, "generation": generation}) + "\n")
            for entry in entries:
                handle.write(dumps(encoder.entry(entry)))
                handle.write("\n")
            handle.flush()
            size = handle.tell()
        os.replace(temp, path)
        return size
    finally:
        temp.unlink(missing_ok=True)


def _generation_of(handle: IO[bytes]) -> str | None:
    handle.seek(0)
    try:
        head = json.loads(handle.readline())
    except ValueError:
        return None
    return head.get("generation") if isinstance(head, dict) and head.get("format") == FORMAT else None


def _columns_key(state: CacheState) -> str:
    """The columns' own key: the generation and how many entries they cover (a reader must agree on both)."""
    return f"{state.generation}:{state.columns_count}"


def _write_columns(path: Path, state: CacheState, columns: "PostingColumns") -> None:
    """The posting columns as ``.npz`` (numbers and strings only: an object column is never written)."""
    from finsek.ledger import postings  # numpy: imported only by what reads or writes columns (start-up time)

    path.unlink(missing_ok=True)
    if columns.units.dtype.kind != "i":
        return
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        postings.save(columns, temp, _columns_key(state))
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


# -- reading ----------------------------------------------------------------------


def _ours(path: Path) -> bool:
    """False for a file another user owns (someone who could write our cache folder planted it)."""
    return not hasattr(os, "getuid") or path.stat().st_uid == os.getuid()


def _read_json(path: Path) -> Any:
    if not _ours(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def fetch_books(main: Path, digest: Callable[[str], str | None] | None = None) -> Books | None:
    """The books from the cache when it is fresh (its key matches the files now), else None.

    ``digest(name)`` gives a file's sha256 (the write path passes one that
    keeps what it read, so each file is read once per load). The books hold
    the derived data at once and read their entries and posting columns
    from the cache on first use.
    """
    try:
        payload = _read_json(_manifest_path(main))
    except (OSError, ValueError):
        return None
    try:
        if not payload or payload.get("format") != FORMAT or payload.get("main") != str(main):
            return None
        key = payload["key"]
        if content_key(file_digests(main, payload["files"], digest), payload["plugins"]) != key:
            return None
        state = CacheState(*payload["state"])
        options = dict(payload["options"])
        options["plugin"] = [(name, None) for name in payload["plugins"]]
        errors = [_CachedError(*error) for error in payload["errors"]]
        index = decode_index(payload["summary"], _Decoder(state.entry_files))
        books = Books(main, [], errors, options, index=index,
                      entries_loader=lambda: load_entries(main, state),
                      columns_loader=lambda: load_columns(main, state, books.default_fund))
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    books.cache_key, books.cache_state = key, state
    return books


class _CachedError(NamedTuple):
    message: str
    filename: str | None
    lineno: int | None

    @property
    def source(self) -> dict[str, Any]:
        return {"filename": self.filename, "lineno": self.lineno}


def _entry_lines(main: Path, state: CacheState, *, after_columns: bool = False) -> list[str] | None:
    """The JSON lines of every entry, or of those after the posting columns' (None if not that generation)."""
    path = _entries_path(main)
    if not _ours(path):
        return None
    with open(path, "rb") as handle:
        if _generation_of(handle) != state.generation:
            return None
        if after_columns:
            handle.seek(state.columns_bytes)
        body = handle.read(state.entries_bytes - handle.tell())
    lines = body.decode("utf-8").splitlines()
    expected = state.entry_count - (state.columns_count if after_columns else 0)
    return lines if len(lines) == expected else None


def load_entries(main: Path, state: CacheState) -> list[data.Directive]:
    """Every entry from the cache; Beancount's loader if that file is gone or of another generation.

    Entries a save appended after the others keep the order the saving
    process gave them: each after every entry of an earlier or the same date.
    """
    try:
        lines = _entry_lines(main, state)
        if lines is not None:
            decode, loads = _Decoder(state.entry_files).entry, json.loads
            entries = [decode(loads(line)) for line in lines]
            if any(later.date < earlier.date for earlier, later in itertools.pairwise(entries)):
                entries.sort(key=lambda entry: entry.date)
            return entries
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        pass
    entries, _, _ = trust.load_file(main)  # the files may have changed since: untrusted code is refused again
    return entries


def load_columns(main: Path, state: CacheState, default_fund: str) -> "PostingColumns | None":
    """The posting columns: those written with the generation, plus any for entries appended since.

    None when they cannot be read (the books then build them from their entries).
    """
    from finsek.ledger import postings  # numpy: imported only by what reads or writes columns (start-up time)

    path = _columns_path(main)
    try:
        if not _ours(path):
            return None
        columns = postings.load(path, _columns_key(state))
        if columns is None or state.columns_count == state.entry_count:
            return columns
        lines = _entry_lines(main, state, after_columns=True)
        if lines is None:
            return None
        decode, loads = _Decoder(state.entry_files).entry, json.loads
        added = postings.build_columns([decode(loads(line)) for line in lines], columns.currency, default_fund)
        return postings.concat(columns, added)
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
