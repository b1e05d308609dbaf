"""A cache of loaded books, so a ledger that did not change opens at once.

Beancount's own cache is a pickle beside the ledger; finsek's is JSON in the
user's cache folder (platformdirs), private to the user, and JSON cannot run
code when read. An entry is used only when its key matches: the sha256 of
finsek's version, Beancount's version, the source of every plugin the ledger
loads, and the content of every included file and of donors.csv. Any change
gives a new key, so a stale cache is never used. Ledgers whose includes use
wildcards, or that read document folders, are not cached (a new file would
not change the key).
"""

import datetime as dt
import hashlib
import importlib.util
import json
import os
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from beancount.core.amount import Amount
from beancount.core.position import Cost
from beancount.parser.grammar import ValueType

import finsek

FORMAT = 1

#: The modules finsek's plugin runs: a change to any of them changes what a load gives.
_PLUGIN_SOURCES = ("conventions.py", "digest.py", "donors.py")
_ORDINAL = dt.date.toordinal
_FROM_ORDINAL = dt.date.fromordinal


def cache_dir() -> Path:
    override = os.environ.get("FINSEK_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

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
    import beancount

    digest = hashlib.sha256(f"{FORMAT}|{finsek.__version__}|{beancount.__version__}".encode())
    here = Path(__file__).resolve().parent
    for own in (here / "cache.py", here.parent / "plugin.py", *(here / name for name in _PLUGIN_SOURCES)):
        digest.update(own.read_bytes())
    for plugin in sorted(set(plugins)):
        digest.update(f"|{plugin}:{_module_digest(plugin)}".encode())
    return digest.hexdigest()


def sha256_of(name: str) -> str | None:
    try:
        with open(name, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def file_digests(main: Path, files: list[str], digest=None) -> dict[str, str | None]:
    """sha256 of each file as it is on disk now (None when missing); ``digest(name)`` computes one."""
    digest = digest or sha256_of
    return {name: digest(name) for name in sorted(set(files) | {str(main.parent / "donors.csv")})}


def content_key(digests: dict[str, str | None], plugins: list[str]) -> str:
    """The cache key: the code that loads, and the content of every file it read."""
    digest = hashlib.sha256(_code_digest(plugins).encode())
    for name in sorted(digests):
        digest.update(f"\0{name}\0{digests[name] or '-'}".encode())
    return digest.hexdigest()


def cacheable(options: dict, entries) -> bool:
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


def _value(value):
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, Amount):
        return {"a": [None if value.number is None else str(value.number), value.currency]}
    if isinstance(value, dt.date):
        return {"t": _ORDINAL(value)}
    raise TypeError(type(value).__name__)


def _unvalue(value):
    if not isinstance(value, dict):
        return value
    if "d" in value:
        return Decimal(value["d"])
    if "a" in value:
        number, currency = value["a"]
        return Amount(None if number is None else Decimal(number), currency)
    return _FROM_ORDINAL(value["t"])


class _Encoder:
    def __init__(self):
        self.files: dict[str, int] = {}

    def meta(self, meta):
        if meta is None:
            return None
        filename = meta.get("filename")
        index = self.files.setdefault(filename, len(self.files)) if filename is not None else -1
        rest = {key: _value(value) for key, value in meta.items()
                if key not in ("filename", "lineno") and not key.startswith("__")}
        return [index, meta.get("lineno"), rest] if rest else [index, meta.get("lineno")]

    def amount(self, amount):
        if amount is None:
            return None
        return [None if amount.number is None else str(amount.number), amount.currency]

    def posting(self, posting):
        cost = posting.cost
        if cost is not None:
            if not isinstance(cost, Cost):
                raise TypeError("unbooked cost")
            cost = [str(cost.number), cost.currency, cost.date and _ORDINAL(cost.date), cost.label]
        return [posting.account, self.amount(posting.units), cost, self.amount(posting.price), posting.flag,
                self.meta(posting.meta)]

    def entry(self, entry):
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


def _dtype_name(dtype) -> str:
    from beancount.core import account as account_module

    if dtype is account_module.TYPE:
        return "account"
    return getattr(dtype, "__name__", str(dtype))


def _dtype(name: str):
    from beancount.core import account as account_module

    return {"account": account_module.TYPE, "str": str, "Decimal": Decimal, "date": dt.date, "bool": bool,
            "Amount": Amount, "int": int}.get(name, str)


class _Decoder:
    """Entries from their JSON form, sharing what repeats.

    Accounts, currencies, payees, meta keys and values, amounts, dates and
    tag sets recur across 100,000 transactions; each distinct one is made
    once and shared (all are immutable), which keeps decoded entries well
    below the memory Beancount's own load takes.
    """

    def __init__(self, files: list[str]):
        self.files = files
        self._strings: dict = {}
        self._amounts: dict = {}
        self._days: dict = {}
        self._sets: dict = {(): frozenset()}

    def text(self, value):
        if value.__class__ is not str:
            return value
        return self._strings.setdefault(value, value)

    def day(self, ordinal: int) -> dt.date:
        found = self._days.get(ordinal)
        if found is None:
            found = self._days[ordinal] = _FROM_ORDINAL(ordinal)
        return found

    def words(self, raw: list) -> frozenset:
        key = tuple(raw)
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = frozenset(self.text(word) for word in raw)
        return found

    def meta(self, raw):
        if raw is None:
            return None
        meta = {"filename": self.files[raw[0]] if raw[0] >= 0 else None, "lineno": raw[1]}
        if len(raw) > 2:
            text = self.text
            for key, value in raw[2].items():
                meta[text(key)] = text(_unvalue(value))
        return meta

    def amount(self, raw):
        if raw is None:
            return None
        number, currency = raw
        found = self._amounts.get((number, currency))
        if found is None:
            found = Amount(None if number is None else Decimal(number), self.text(currency))
            self._amounts[(number, currency)] = found
        return found

    def posting(self, raw):
        account, units, cost, price, flag, meta = raw
        if cost is not None:
            cost = Cost(Decimal(cost[0]), self.text(cost[1]), cost[2] and _FROM_ORDINAL(cost[2]), cost[3])
        return data.Posting(self.text(account), self.amount(units), cost, self.amount(price), flag and self.text(flag),
                            self.meta(meta))

    def entry(self, raw):
        kind, meta, day = raw[0], self.meta(raw[1]), self.day(raw[2])
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
            return data.Balance(meta, day, raw[3], self.amount(raw[4]), raw[5] and Decimal(raw[5]),
                                self.amount(raw[6]))
        if kind == "U":
            values = [ValueType(_unvalue(value), _dtype(dtype)) for value, dtype in raw[4]]
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
            return data.Price(meta, day, raw[3], self.amount(raw[4]))
        if kind == "D":
            return data.Document(meta, day, raw[3], raw[4], frozenset(raw[5]), frozenset(raw[6]))
        raise ValueError(kind)


_OPTION_KEYS = ("title", "operating_currency", "include", "filename", "plugin", "documents")


def _entries_path(main: Path) -> Path:
    return _manifest_path(main).with_suffix(".entries.jsonl")


def _columns_path(main: Path) -> Path:
    return _manifest_path(main).with_suffix(".postings.npz")


def summary_of(books, encoder: _Encoder) -> dict:
    """Everything a ``Books`` derives from its entries, as JSON-ready data."""

    def series(table):
        return {name: [[_ORDINAL(day) for day in s.dates], [str(total) for total in s.totals]]
                for name, s in table.items()}

    return {
        "accounts": [[a.name, _ORDINAL(a.opened), a.closed and _ORDINAL(a.closed), list(a.currencies)]
                     for a in books.accounts.values()],
        "account_series": series(books.account_series),
        "fund_series": series(books.fund_series),
        "assertions": {account: [encoder.entry(item.entry) for item in items]
                       for account, items in books.assertions.items()},
        "last_by_payee": {payee: encoder.entry(entry) for payee, entry in books.last_by_payee.items()},
        "checks": {account: sorted(numbers) for account, numbers in books.checks_by_account.items()},
        "links_by_date": {str(_ORDINAL(day)): sorted(links) for day, links in books.links_by_date.items()},
        "custom": [encoder.entry(entry) for entry in books.custom_entries],
        "recent": [encoder.entry(entry) for entry in books.recent],
        "transaction_count": books.transaction_count,
    }


def restore_summary(books, payload: dict) -> None:
    """Give ``books`` its derived data from a summary (the inverse of ``summary_of``)."""
    from collections import defaultdict

    from finsek.ledger import books as books_module
    from finsek.ledger import conventions as conv

    summary, decoder = payload["summary"], _Decoder(payload["filenames"])
    books.custom_entries = [decoder.entry(raw) for raw in summary["custom"]]
    books.settings = conv.ledger_settings(books.custom_entries)
    books.funds = conv.fund_registry(books.custom_entries)
    books.default_fund = books.settings.default_fund
    books.closes = conv.closes(books.custom_entries)
    books.closed_through = max((close.through for close in books.closes), default=None)
    books.accounts = {
        name: books_module.AccountInfo(name, _FROM_ORDINAL(opened), closed and _FROM_ORDINAL(closed), tuple(cur))
        for name, opened, closed, cur in summary["accounts"]
    }

    def series(raw):
        table = defaultdict(books_module._Series)
        for name, (dates, totals) in raw.items():
            item = table[name]
            item.dates = [_FROM_ORDINAL(day) for day in dates]
            item.totals = [Decimal(total) for total in totals]
        return table

    books.account_series = series(summary["account_series"])
    books.fund_series = series(summary["fund_series"])
    books.assertions = defaultdict(list)
    for account, raws in summary["assertions"].items():
        for raw in raws:
            entry = decoder.entry(raw)
            books.assertions[account].append(books_module.Assertion(
                entry.date, entry.account, entry.amount.number, entry.amount.currency, entry))
    books.last_by_payee = {payee: decoder.entry(raw) for payee, raw in summary["last_by_payee"].items()}
    books.checks_by_account = defaultdict(set, {a: set(numbers) for a, numbers in summary["checks"].items()})
    books.links_by_date = defaultdict(set, {_FROM_ORDINAL(int(day)): set(links)
                                            for day, links in summary["links_by_date"].items()})
    books.recent = [decoder.entry(raw) for raw in summary["recent"]]
    books.transaction_count = summary["transaction_count"]


def _write_private(path: Path, text: str) -> None:
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temp, path)


def store(books, digests: dict[str, str | None]) -> bool:
    """Write the cache for ``books`` (best effort: a failure only costs speed).

    ``digests`` are the sha256 of the files as they were when the books were
    read from them, so the key can never describe newer content. Two files:
    the summary (derived data, small, read at start) and the entries (read
    when something needs every entry).
    """
    main, options = books.main, books.options
    try:
        entries = books.entries
        if not cacheable(options, entries):
            return False
        files = list(options.get("include", []))
        plugins = [name for name, _ in options.get("plugin", [])]
        if set(digests) != set(files) | {str(main.parent / "donors.csv")}:
            return False
        key = content_key(digests, plugins)
        head = {
            "format": FORMAT,
            "key": key,
            "main": str(main),
            "files": files,
            "plugins": plugins,
            "options": {k: options.get(k) for k in _OPTION_KEYS if k != "plugin"},
            "errors": [list(error) for error in books.errors],
        }
        encoder = _Encoder()
        summary = summary_of(books, encoder)
        summary_text = json.dumps({**head, "filenames": list(encoder.files), "summary": summary},
                                  ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, OSError):
        return False
    try:
        path = _manifest_path(main)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _write_entries(_entries_path(main), head, entries)
        _write_columns(_columns_path(main), key, books.posting_columns())
        _write_private(path, summary_text)
        return True
    except (OSError, TypeError, ValueError):
        return False


def _write_entries(path: Path, head: dict, entries) -> None:
    """One JSON line per entry, written as it is encoded (the whole text never sits in memory)."""
    encoder = _Encoder()
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    body = path.with_suffix(f".{os.getpid()}.body")
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        fd = os.open(body, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for entry in entries:
                handle.write(dumps(encoder.entry(entry)))
                handle.write("\n")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle, open(body, encoding="utf-8") as source:
            handle.write(dumps(head) + "\n" + dumps(list(encoder.files)) + "\n")
            while chunk := source.read(1 << 20):
                handle.write(chunk)
        os.replace(temp, path)
    finally:
        body.unlink(missing_ok=True)
        temp.unlink(missing_ok=True)


def _write_columns(path: Path, key: str, columns) -> None:
    """The posting columns as ``.npz`` (numbers and strings only: an object column is never written)."""
    from finsek.ledger import postings

    path.unlink(missing_ok=True)
    if columns.units.dtype.kind != "i":
        return
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        postings.save(columns, temp, key)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _read_json(path: Path):
    if hasattr(os, "getuid") and path.stat().st_uid != os.getuid():
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def fetch(main: Path, digest=None):
    """``(summary payload, errors, options, entries loader, columns loader)`` when the cache is fresh, else None.

    ``digest(name)`` gives a file's sha256 (the write path passes one that
    keeps what it read, so each file is read once per load).
    """
    path = _manifest_path(main)
    try:
        payload = _read_json(path)
    except (OSError, ValueError):
        return None
    try:
        if not payload or payload.get("format") != FORMAT or payload.get("main") != str(main):
            return None
        key = payload["key"]
        if content_key(file_digests(main, payload["files"], digest), payload["plugins"]) != key:
            return None
        options = dict(payload["options"])
        options["plugin"] = [(name, None) for name in payload["plugins"]]
        errors = [tuple(error) for error in payload["errors"]]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return payload, errors, options, lambda: load_entries(main, key), lambda: load_columns(main, key)


def load_columns(main: Path, key: str):
    """The posting columns cached with ``key``, or None (the books then build them from their entries)."""
    from finsek.ledger import postings

    path = _columns_path(main)
    try:
        if hasattr(os, "getuid") and path.stat().st_uid != os.getuid():
            return None
    except OSError:
        return None
    return postings.load(path, key)


def load_entries(main: Path, key: str) -> list:
    """Every entry from the cache written with ``key``; Beancount's loader if that file is gone or other."""
    path = _entries_path(main)
    try:
        if hasattr(os, "getuid") and path.stat().st_uid != os.getuid():
            raise OSError("not ours")
        with open(path, encoding="utf-8") as handle:
            head = json.loads(handle.readline())
            if head.get("key") == key and head.get("format") == FORMAT:
                decoder = _Decoder(json.loads(handle.readline()))
                loads, entry = json.loads, decoder.entry
                return [entry(loads(line)) for line in handle]
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        pass
    from beancount import loader

    entries, _, _ = loader.load_file(str(main))
    return entries
