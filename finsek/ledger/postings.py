"""Every posting as columns of numbers: what reports are built from.

A report over 100,000 transactions should not need 100,000 Beancount
objects. ``PostingColumns`` holds one row per posting as numpy arrays of
integers (amounts as integer counts of ``10 ** -places``, names as codes into
small sorted string tables), so it can be cached next to the books as a
plain ``.npz`` file (read with ``allow_pickle=False``: data, never code) and
turned into a pandas frame by ``finsek.reports.frames`` without touching an
entry. The rules for each column (which fund a posting counts in, which
weight, what is left out) are documented in ``finsek.reports.frames``.
"""

import datetime as dt
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from beancount.core import convert, data

from finsek.core.money import precision
from finsek.ledger import conventions as conv

ZERO = Decimal(0)
#: Finest decimal places kept in int64 before falling back to Python ints.
MAX_PLACES = 12
_INT64_LIMIT = 2**62
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

#: Per-transaction code columns and the string table each one points into.
TRANSACTION_TEXT = ("payee", "narration", "links", "tags", "flag")
#: Per-posting code columns and their string tables.
POSTING_TEXT = ("account", "fund", "donor")


class PostingColumns(NamedTuple):
    """One row per posting of every transaction in a set of entries, sorted by date.

    ``days`` (days since 1970-01-01), ``counts`` (postings of the
    transaction) and the ``TRANSACTION_TEXT`` codes have one row per
    transaction; ``units`` and the ``POSTING_TEXT`` codes one row per posting.
    ``tables`` maps each text column to its sorted, distinct strings.
    """

    currency: str
    places: int
    days: np.ndarray
    counts: np.ndarray
    codes: dict[str, np.ndarray]
    tables: dict[str, list[str]]
    units: np.ndarray
    skipped: dict[str, int]

    @property
    def posting_count(self) -> int:
        return len(self.units)

    @property
    def transaction_count(self) -> int:
        return len(self.days)


def _weight(posting: data.Posting) -> tuple[Decimal | None, str | None]:
    units = posting.units
    if units is None or not isinstance(units.number, Decimal):
        return None, None
    if posting.cost is None and posting.price is None:
        return units.number, units.currency
    weight = convert.get_weight(posting)
    if weight is None or not isinstance(weight.number, Decimal):
        return None, None
    return weight.number, weight.currency


class _Table:
    """Codes for strings in order of first sight; ``sorted_codes`` renumbers them alphabetically."""

    __slots__ = ("codes", "values")

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.values: list[int] = []

    def add(self, text: str) -> None:
        code = self.codes.get(text)
        if code is None:
            code = self.codes[text] = len(self.codes)
        self.values.append(code)

    def sorted_codes(self) -> tuple[np.ndarray, list[str]]:
        names = sorted(self.codes)
        renumber = np.empty(len(names), dtype=np.int32)
        for new, name in enumerate(names):
            renumber[self.codes[name]] = new
        return renumber[np.array(self.values, dtype=np.int32)] if self.values else np.zeros(0, np.int32), names


def build_columns(entries: Iterable[data.Directive], currency: str, default_fund: str) -> PostingColumns:
    """The columns of every transaction in ``entries`` (pad entries included), in their order.

    ``units`` is int64, or Python ints in an object array when an amount
    needs more than ``MAX_PLACES`` decimals or a sum could overflow int64
    (such columns are never cached).
    """
    text = {name: _Table() for name in (*TRANSACTION_TEXT, *POSTING_TEXT)}
    payee, narration, links, tags, flag = (text[name].add for name in TRANSACTION_TEXT)
    account_add, fund_add, donor_add = (text[name].add for name in POSTING_TEXT)
    days, counts, numbers = [], [], []
    skipped: Counter = Counter()
    places = precision(currency)
    largest = ZERO
    fund_key, donor_key = conv.FUND_KEY, conv.DONOR_KEY
    in_fund_root: dict[str, bool] = {}
    for entry in entries:
        if type(entry) is not data.Transaction:
            continue
        meta = entry.meta or {}
        entry_fund = meta.get(fund_key)
        entry_donor = meta.get(donor_key)
        count = 0
        for posting in entry.postings:
            number, unit = _weight(posting)
            if number is None:
                continue
            if unit != currency:
                skipped[unit] += 1
                continue
            pmeta = posting.meta
            fund = pmeta.get(fund_key) if pmeta else None
            if fund is None:
                fund = entry_fund
            account = posting.account
            needs_fund = in_fund_root.get(account)
            if needs_fund is None:
                needs_fund = in_fund_root[account] = conv.needs_fund(account)
            if fund is not None:
                fund = str(fund)
            elif needs_fund:
                fund = default_fund
            else:
                fund = ""
            donor = pmeta.get(donor_key) if pmeta else None
            if donor is None:
                donor = entry_donor
            exponent = number.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > places:
                places = -exponent
            if abs(number) > largest:
                largest = abs(number)
            account_add(account)
            fund_add(fund)
            donor_add("" if donor is None else str(donor))
            numbers.append(number)
            count += 1
        if count:
            days.append(entry.date.toordinal() - _EPOCH_ORDINAL)
            payee(entry.payee or "")
            narration(entry.narration or "")
            links(" ".join(sorted(entry.links)) if entry.links else "")
            tags(" ".join(sorted(entry.tags)) if entry.tags else "")
            flag(entry.flag or "")
            counts.append(count)
    places = min(places, 28)
    if places <= MAX_PLACES and largest.scaleb(places) < _INT64_LIMIT / max(len(numbers), 1):
        units = np.fromiter((int(number.scaleb(places)) for number in numbers), dtype=np.int64, count=len(numbers))
    else:
        units = np.array([int(number.scaleb(places)) for number in numbers], dtype=object)
    codes, tables = {}, {}
    for name, table in text.items():
        codes[name], tables[name] = table.sorted_codes()
    return PostingColumns(currency, places, np.array(days, dtype=np.int32), np.array(counts, dtype=np.int32),
                          codes, tables, units, dict(skipped))


def concat(first: PostingColumns, second: PostingColumns) -> PostingColumns:
    """``first`` then ``second`` (same currency), re-sorted by date when ``second`` goes back in time."""
    places = max(first.places, second.places)
    units = np.concatenate([_rescaled(first.units, places - first.places, len(first.units) + len(second.units)),
                            _rescaled(second.units, places - second.places, len(first.units) + len(second.units))])
    codes, tables = {}, {}
    for name in (*TRANSACTION_TEXT, *POSTING_TEXT):
        names = sorted(set(first.tables[name]) | set(second.tables[name]))
        position = {value: index for index, value in enumerate(names)}
        parts = []
        for part in (first, second):
            remap = np.array([position[value] for value in part.tables[name]], dtype=np.int32)
            parts.append(remap[part.codes[name]] if len(part.codes[name]) else part.codes[name])
        codes[name], tables[name] = np.concatenate(parts), names
    days = np.concatenate([first.days, second.days])
    counts = np.concatenate([first.counts, second.counts])
    skipped = Counter(first.skipped)
    skipped.update(second.skipped)
    joined = PostingColumns(first.currency, places, days, counts, codes, tables, units, dict(skipped))
    if len(days) > 1 and np.any(days[1:] < days[:-1]):
        joined = _sorted_by_date(joined)
    return joined


def _rescaled(units: np.ndarray, shift: int, rows: int) -> np.ndarray:
    """``units`` times ``10 ** shift``, as Python ints once int64 sums could overflow."""
    if shift == 0:
        return units
    if units.dtype.kind == "i":
        largest = int(np.abs(units).max()) if len(units) else 0
        if largest * 10**shift < _INT64_LIMIT / max(rows, 1):
            return units * np.int64(10**shift)
        units = units.astype(object)
    return units * 10**shift


def _sorted_by_date(columns: PostingColumns) -> PostingColumns:
    order = np.argsort(columns.days, kind="stable")
    # A stable sort of each posting's day keeps a transaction's postings together, in the same order.
    posting_order = np.argsort(np.repeat(columns.days, columns.counts), kind="stable")
    codes = {name: values[order] if name in TRANSACTION_TEXT else values[posting_order]
             for name, values in columns.codes.items()}
    return columns._replace(days=columns.days[order], counts=columns.counts[order], codes=codes,
                            units=columns.units[posting_order])


# -- the .npz form ------------------------------------------------------------


def save(columns: PostingColumns, path: Path, key: str) -> None:
    """Write ``columns`` to ``path`` (already opened privately by the caller's rules) under ``key``."""
    # Any: mypy checks a ** unpacking against every keyword of ``savez``, its ``allow_pickle: bool`` too.
    arrays: dict[str, Any] = {
        "key": np.array(key),
        "currency": np.array(columns.currency),
        "places": np.array(columns.places, dtype=np.int64),
        "days": columns.days,
        "counts": columns.counts,
        "units": columns.units,
        "skipped_names": np.array(list(columns.skipped), dtype=str),
        "skipped_counts": np.array(list(columns.skipped.values()), dtype=np.int64),
    }
    for name, values in columns.codes.items():
        arrays[f"code_{name}"] = values
        arrays[f"table_{name}"] = np.array(columns.tables[name], dtype=str)
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)


def load(path: Path, key: str) -> PostingColumns | None:
    """The columns saved under ``key``, or None when the file is missing, damaged or of another key."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            if str(stored["key"]) != key:
                return None
            codes = {name: stored[f"code_{name}"] for name in (*TRANSACTION_TEXT, *POSTING_TEXT)}
            tables = {name: stored[f"table_{name}"].tolist() for name in codes}
            columns = PostingColumns(
                str(stored["currency"]), int(stored["places"]), stored["days"], stored["counts"], codes, tables,
                stored["units"], dict(zip(stored["skipped_names"].tolist(), stored["skipped_counts"].tolist(),
                                          strict=True)))
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile, zlib.error):
        return None
    if not _consistent(columns):
        return None
    return columns


def _consistent(columns: PostingColumns) -> bool:
    transactions, postings = len(columns.days), len(columns.units)
    if len(columns.counts) != transactions or int(columns.counts.sum()) != postings:
        return False
    for name, values in columns.codes.items():
        if len(values) != (transactions if name in TRANSACTION_TEXT else postings):
            return False
        if len(values) and (values.min() < 0 or values.max() >= len(columns.tables[name])):
            return False
    return columns.units.dtype == np.int64
