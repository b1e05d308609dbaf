"""The canonical form and digest of a closed period (``custom "close"``).

``2026-11-05 custom "close" 2026-10-31 "sha256:…"`` records the digest of the
books through 2026-10-31. The digest is computed over a canonical form that
finsek defines itself, built from the entries' explicit fields only, so it
does not depend on how the files are formatted, on the order of entries within
a day, on which included file holds an entry, or on where the ledger folder
lives. docs/close-digest.md documents the exact form; keep the two in step.

In short: one line per covered entry, each line the compact JSON encoding
(``sort_keys``, ``ensure_ascii=False``, separators ``,`` and ``:``) of
``[DATE, TYPE, BODY]``; the lines sorted as strings and joined with ``\\n``;
``sha256`` of the UTF-8 bytes, written ``sha256:<64 lowercase hex digits>``.
"""

import datetime as dt
import hashlib
import json
import os
import posixpath
from bisect import bisect_right
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.core.position import Cost, CostSpec

from finsek.core.dates import MONTH_NAMES, is_month_end, month_name
from finsek.ledger.conventions import Close, is_from_file

DIGEST_PREFIX = "sha256:"
CLOSE_TYPE = "close"

#: Custom-directive values typed as accounts carry this marker as their dtype.
try:  # pragma: no cover - depends on the Beancount version
    from beancount.core.account import TYPE as _ACCOUNT_DTYPE
except ImportError:  # pragma: no cover
    _ACCOUNT_DTYPE = "<AccountDummy>"

_PADDING_FLAG = "P"
_AUTOMATIC_META = "__automatic__"

_TYPE_NAMES = {
    data.Open: "open",
    data.Close: "close",
    data.Commodity: "commodity",
    data.Pad: "pad",
    data.Balance: "balance",
    data.Transaction: "txn",
    data.Note: "note",
    data.Event: "event",
    data.Query: "query",
    data.Price: "price",
    data.Document: "document",
    data.Custom: "custom",
}


# --------------------------------------------------------------------------- values


def _number(number: object) -> str | None:
    if number is None:
        return None
    if isinstance(number, Decimal):
        return format(number, "f")
    return format(Decimal(str(number)), "f")


def _amount(value: Amount | None) -> list | None:
    """``[NUMBER, CURRENCY]`` with NUMBER a plain decimal string (or null when missing)."""
    if value is None:
        return None
    return [_number(value.number), value.currency]


def _value(value: object) -> list:
    """A metadata value, tagged with its type so that ``"12"`` and ``12`` differ."""
    if value is None:
        return ["null"]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, str):
        return ["str", value]
    if isinstance(value, Decimal):
        return ["number", _number(value)]
    if isinstance(value, int):
        return ["number", _number(Decimal(value))]
    if isinstance(value, Amount):
        return ["amount", _number(value.number), value.currency]
    if isinstance(value, dt.datetime):
        return ["other", type(value).__name__, value.isoformat()]
    if isinstance(value, dt.date):
        return ["date", value.isoformat()]
    return ["other", type(value).__name__, str(value)]


def _custom_value(item: Any) -> list:
    """A custom directive's value: a ``ValueType`` (value and dtype) or a bare value."""
    value, dtype = (item.value, item.dtype) if hasattr(item, "dtype") else (item, None)
    if dtype == _ACCOUNT_DTYPE:
        return ["account", value]
    return _value(value)


def _meta(meta: data.Meta | None) -> dict:
    if not meta:
        return {}
    return {
        key: _value(value)
        for key, value in meta.items()
        if key not in ("filename", "lineno") and not key.startswith("__")
    }


def _strings(values: Iterable[str] | None) -> list[str]:
    return sorted(values) if values else []


# --------------------------------------------------------------------------- entries


def _cost(cost: Cost | CostSpec | None) -> dict | None:
    if cost is None:
        return None
    if isinstance(cost, CostSpec):  # unresolved
        return {
            "number_per": _number(cost.number_per),
            "number_total": _number(cost.number_total),
            "currency": cost.currency,
            "date": cost.date.isoformat() if cost.date else None,
            "label": cost.label,
            "merge": cost.merge,
        }
    return {
        "number": _number(cost.number),
        "currency": cost.currency,
        "date": cost.date.isoformat() if cost.date else None,
        "label": cost.label,
    }


def _posting(posting: data.Posting) -> dict:
    if posting.meta and posting.meta.get(_AUTOMATIC_META):
        # Beancount filled in this posting's amount: keep what was written (the account).
        return {"account": posting.account, "auto": True, "flag": posting.flag, "meta": _meta(posting.meta)}
    return {
        "account": posting.account,
        "units": _amount(posting.units),
        "cost": _cost(posting.cost),
        "price": _amount(posting.price),
        "flag": posting.flag,
        "meta": _meta(posting.meta),
    }


def _postings(postings: Iterable[data.Posting]) -> list[dict]:
    explicit = []
    automatic = []
    for posting in postings:
        rendered = _posting(posting)
        if rendered.get("auto"):
            # One elided posting may be split by currency when booked: keep it once, last.
            if rendered not in automatic:
                automatic.append(rendered)
        else:
            explicit.append(rendered)
    return explicit + automatic


def _document_path(entry: data.Document) -> str:
    """The document path relative to the folder of the file that names it, with ``/``."""
    name = str(entry.filename)
    source = (entry.meta or {}).get("filename")
    if source and os.path.isabs(name):
        name = os.path.relpath(name, os.path.dirname(str(source)))
    return posixpath.join(*name.split(os.sep)) if os.sep != "/" else name


def _body(entry: data.Directive) -> dict:
    meta = _meta(entry.meta)
    if isinstance(entry, data.Transaction):
        return {
            "flag": entry.flag,
            "payee": entry.payee,
            "narration": entry.narration,
            "tags": _strings(entry.tags),
            "links": _strings(entry.links),
            "meta": meta,
            "postings": _postings(entry.postings),
        }
    if isinstance(entry, data.Open):
        return {
            "account": entry.account,
            "currencies": list(entry.currencies) if entry.currencies else [],
            "booking": entry.booking.name if entry.booking is not None else None,
            "meta": meta,
        }
    if isinstance(entry, data.Close):
        return {"account": entry.account, "meta": meta}
    if isinstance(entry, data.Commodity):
        return {"currency": entry.currency, "meta": meta}
    if isinstance(entry, data.Pad):
        return {"account": entry.account, "source_account": entry.source_account, "meta": meta}
    if isinstance(entry, data.Balance):
        return {
            "account": entry.account,
            "amount": _amount(entry.amount),
            "tolerance": _number(entry.tolerance),
            "meta": meta,
        }
    if isinstance(entry, data.Note):
        return {
            "account": entry.account,
            "comment": entry.comment,
            "tags": _strings(getattr(entry, "tags", None)),
            "links": _strings(getattr(entry, "links", None)),
            "meta": meta,
        }
    if isinstance(entry, data.Event):
        return {"type": entry.type, "description": entry.description, "meta": meta}
    if isinstance(entry, data.Query):
        return {"name": entry.name, "query_string": entry.query_string, "meta": meta}
    if isinstance(entry, data.Price):
        return {"currency": entry.currency, "amount": _amount(entry.amount), "meta": meta}
    if isinstance(entry, data.Document):
        return {
            "account": entry.account,
            "filename": _document_path(entry),
            "tags": _strings(entry.tags),
            "links": _strings(entry.links),
            "meta": meta,
        }
    if isinstance(entry, data.Custom):
        return {"type": entry.type, "values": [_custom_value(v) for v in entry.values], "meta": meta}
    return {"repr": repr(entry._replace(meta=None)) if hasattr(entry, "_replace") else repr(entry)}


def _dumps(structure: object) -> str:
    return json.dumps(structure, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def reference_line(entry: data.Directive) -> str:
    """The canonical line, built the slow and obvious way (the definition)."""
    kind = _TYPE_NAMES.get(type(entry), type(entry).__name__.lower())
    return _dumps([entry.date.isoformat(), kind, _body(entry)])


# The fast path below writes exactly the bytes ``reference_line`` does for
# transactions (the bulk of any ledger) without building the structure first:
# f-strings, the C string encoder json.dumps itself uses, and caches of the
# encoded accounts and currencies. tests/test_digest.py checks the two agree.

_enc = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False
_NULL = "null"


def _fast_value(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return f'["str",{_enc(value)}]'
    if kind is Decimal:
        return f'["number","{format(value, "f")}"]'
    if kind is bool:
        return '["bool",true]' if value else '["bool",false]'
    if kind is dt.date:
        return f'["date","{value.isoformat()}"]'
    return _dumps(_value(value))


def _fast_meta(meta: data.Meta) -> str:
    parts = []
    for key in sorted(meta):
        if key == "filename" or key == "lineno" or key[:2] == "__":
            continue
        value = meta[key]
        if type(value) is str:
            parts.append(f'{_enc(key)}:["str",{_enc(value)}]')
        else:
            parts.append(f"{_enc(key)}:{_fast_value(value)}")
    return "{" + ",".join(parts) + "}"


class _LineWriter:
    """Canonical lines of many entries, sharing caches of encoded names and dates."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.day: dt.date | None = None
        self.day_text = ""

    def name(self, text: str) -> str:
        encoded = self.names.get(text)
        if encoded is None:
            encoded = self.names[text] = _enc(text)
        return encoded

    def amount(self, value: Amount) -> str:
        number = value.number
        currency = value.currency
        if type(number) is not Decimal or currency is None:
            return _dumps(_amount(value))
        text = str(number)
        if "E" in text or "e" in text:
            text = format(number, "f")
        return f'["{text}",{self.names.get(currency) or self.name(currency)}]'

    @staticmethod
    def entry_meta(meta: data.Meta | None) -> str:
        if not meta:
            return "{}"
        size = len(meta)
        if size == 3 and "__tolerances__" in meta and "lineno" in meta and "filename" in meta:
            return "{}"
        if size == 2 and "lineno" in meta and "filename" in meta:
            return "{}"
        return _fast_meta(meta)

    def line(self, entry: data.Directive) -> str:
        if type(entry) is not data.Transaction:
            return reference_line(entry)
        enc = _enc
        names = self.names
        explicit = []
        automatic = None
        for posting in entry.postings:
            meta = posting.meta
            account = posting.account
            account_text = names.get(account) or self.name(account)
            flag = posting.flag
            flag_text = _NULL if flag is None else enc(flag)
            if not meta or (len(meta) == 2 and "lineno" in meta and "filename" in meta):
                meta_text = "{}"
            elif meta.get(_AUTOMATIC_META):
                rendered = f'{{"account":{account_text},"auto":true,"flag":{flag_text},"meta":{_fast_meta(meta)}}}'
                if automatic is None:
                    automatic = [rendered]
                elif rendered not in automatic:
                    automatic.append(rendered)
                continue
            else:
                meta_text = _fast_meta(meta)
            units = posting.units
            if units is None:
                units_text = _NULL
            else:
                number = units.number
                currency = units.currency
                if type(number) is Decimal and currency is not None:
                    number_text = str(number)
                    if "E" in number_text or "e" in number_text:
                        number_text = format(number, "f")
                    units_text = f'["{number_text}",{names.get(currency) or self.name(currency)}]'
                else:
                    units_text = self.amount(units)
            cost = posting.cost
            price = posting.price
            if cost is None and price is None:
                explicit.append(
                    f'{{"account":{account_text},"cost":null,"flag":{flag_text},"meta":{meta_text},'
                    f'"price":null,"units":{units_text}}}'
                )
            else:
                explicit.append(
                    f'{{"account":{account_text},"cost":{_NULL if cost is None else _dumps(_cost(cost))},'
                    f'"flag":{flag_text},"meta":{meta_text},'
                    f'"price":{_NULL if price is None else self.amount(price)},"units":{units_text}}}'
                )
        if automatic:
            explicit.extend(automatic)
        date = entry.date
        if date != self.day:
            self.day = date
            self.day_text = date.isoformat()
        flag = entry.flag
        payee = entry.payee
        narration = entry.narration
        links = entry.links
        tags = entry.tags
        # Payees and narrations repeat ("Offering", "Online gift"): the name cache helps there too.
        return (
            f'["{self.day_text}","txn",{{"flag":{_NULL if flag is None else enc(flag)},'
            f'"links":[{",".join(map(enc, sorted(links))) if links else ""}],'
            f'"meta":{self.entry_meta(entry.meta)},'
            f'"narration":{_NULL if narration is None else (names.get(narration) or self.name(narration))},'
            f'"payee":{_NULL if payee is None else (names.get(payee) or self.name(payee))},'
            f'"postings":[{",".join(explicit)}],'
            f'"tags":[{",".join(map(enc, sorted(tags))) if tags else ""}]}}]'
        )


def entry_line(entry: data.Directive) -> str:
    """The canonical line of one entry: ``[DATE, TYPE, BODY]`` as compact, key-sorted JSON."""
    return _LineWriter().line(entry)


# --------------------------------------------------------------------------- coverage


def close_through(entry: object) -> dt.date | None:
    """The through-date of a ``custom "close"`` entry (its first value), else None."""
    if isinstance(entry, data.Custom) and entry.type == CLOSE_TYPE and entry.values:
        first = entry.values[0]
        value = first.value if hasattr(first, "value") else first
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
    return None


def _location(entry: data.Directive) -> tuple[object, object]:
    meta = entry.meta or {}
    return (meta.get("filename"), meta.get("lineno"))


def covered_entries(entries: Iterable[data.Directive]) -> list[data.Directive]:
    """The entries a digest can cover: those written in a file, not synthesised.

    Left out: entries without a source file (plugins mark theirs ``<name>``),
    entries without a positive line number (documents found through
    ``option "documents"``), padding transactions (flag ``P``, placed at their
    ``pad`` directive's line) and prices made from a transaction (placed at its
    line, by ``beancount.plugins.implicit_prices``).
    """
    kept = []
    pads = set()
    prices = False
    for entry in entries:
        meta = entry.meta
        if not meta:
            continue
        lineno = meta.get("lineno")
        if type(lineno) is not int or lineno <= 0 or not is_from_file(entry):
            continue
        kind = type(entry)
        if kind is data.Pad:
            pads.add(_location(entry))
        elif kind is data.Price:
            prices = True
        kept.append(entry)
    if not pads and not prices:
        return kept
    transactions = {_location(e) for e in kept if isinstance(e, data.Transaction)} if prices else set()
    result = []
    for entry in kept:
        if isinstance(entry, data.Transaction) and entry.flag == _PADDING_FLAG and _location(entry) in pads:
            continue
        if isinstance(entry, data.Price) and _location(entry) in transactions:
            continue
        result.append(entry)
    return result


def _includes(entry: data.Directive, through: dt.date, closes_given: bool) -> bool:
    """Whether ``entry`` (a covered entry) belongs to the digest through ``through``."""
    chained = close_through(entry)
    if chained is not None:
        return False if closes_given else chained < through
    return entry.date <= through


# --------------------------------------------------------------------------- digests


def canonical_lines(
    entries: Iterable[data.Directive], through: dt.date, previous_closes: Iterable[Close | data.Custom] | None = None
) -> list[str]:
    """The sorted canonical lines of the books through ``through``.

    Covered: every entry written in a file (see ``covered_entries``) dated on
    or before ``through``, except ``custom "close"`` entries, plus every
    ``custom "close"`` entry whose through-date is before ``through``,
    whatever its own date (closes chain). A close through ``through`` itself,
    or through a later date, is never covered.

    ``previous_closes``: the close entries to chain, instead of those found in
    ``entries`` (which are then ignored); for computing a close that another
    set of closes will precede.
    """
    given = previous_closes is not None
    line_of = _LineWriter().line
    lines = [line_of(e) for e in covered_entries(entries) if _includes(e, through, given)]
    if previous_closes is not None:
        for close in previous_closes:
            entry = close.entry if isinstance(close, Close) else close
            chained = close_through(entry)
            if chained is not None and chained < through:
                lines.append(entry_line(entry))
    lines.sort()
    return lines


def hash_lines(lines: Iterable[str]) -> str:
    """``sha256:`` and the hex SHA-256 of the lines joined with ``\\n``, in UTF-8."""
    text = "\n".join(lines)
    return DIGEST_PREFIX + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def period_digest(
    entries: Iterable[data.Directive], through: dt.date, previous_closes: Iterable[Close | data.Custom] | None = None
) -> str:
    """The digest to write in ``custom "close" THROUGH "sha256:…"``."""
    return hash_lines(canonical_lines(entries, through, previous_closes))


def period_digests(entries: Iterable[data.Directive], throughs: Iterable[dt.date]) -> dict[dt.date, str]:
    """``period_digest(entries, t)`` for each t in ``throughs``, with one pass over the entries.

    Each entry's line is built once, the lines are sorted once and hashed
    incrementally, so checking every monthly close of a large ledger costs
    about as much as checking the last one.
    """
    wanted = sorted(set(throughs))
    if not wanted:
        return {}
    last = wanted[-1]
    writer = _LineWriter()
    line_of = writer.line
    plain: list[str] = []
    chained: list[tuple[str, dt.date, str]] = []  # (date, through, line) of the close entries
    for entry in covered_entries(entries):
        if type(entry) is data.Custom:
            through_c = close_through(entry)
            if through_c is not None:
                if through_c < last:
                    chained.append((entry.date.isoformat(), through_c, line_of(entry)))
                continue
        if entry.date <= last:
            plain.append(line_of(entry))
    # Lines start with '["YYYY-MM-DD"', so their string order is date order first, and
    # every line dated on or before DAY sorts before '["DAY"' followed by the largest code point.
    stream = plain + [line for _, _, line in chained]
    stream.sort()
    result: dict[dt.date, str] = {}
    state = hashlib.sha256()
    fed = 0  # how many lines of ``stream`` are in ``state``
    for through in wanted:
        day = through.isoformat()
        end = bisect_right(stream, f'["{day}"\U0010ffff')
        if end > fed:
            chunk = "\n".join(stream[fed:end])
            state.update((("\n" + chunk) if fed else chunk).encode("utf-8", "surrogatepass"))
            fed = end
        if any(date <= day and through_c >= through for date, through_c, _ in chained):
            # A close dated on or before a through-date it must not cover: rare, compute directly.
            lines = [line for line in plain if line[2:12] <= day]
            lines += [line for _, through_c, line in chained if through_c < through]
            lines.sort()
            result[through] = hash_lines(lines)
            continue
        late = sorted(line for date, through_c, line in chained if date > day and through_c < through)
        current = state
        if late:
            current = state.copy()
            chunk = "\n".join(late)
            current.update((("\n" + chunk) if fed else chunk).encode("utf-8", "surrogatepass"))
        result[through] = DIGEST_PREFIX + current.hexdigest()
    return result


# --------------------------------------------------------------------------- naming periods


def period_name(start: dt.date | None, end: dt.date) -> str:
    """Plain words for the dates from ``start`` (None: the beginning) through ``end``.

    ``October 2026``, ``July–October 2026``, ``November 2025–October 2026``,
    ``2026-10-01 to 2026-10-15``, ``October 2026 and before``.
    """
    if start is None:
        if is_month_end(end):
            return f"{month_name(end)} and before"
        return f"up to {end.isoformat()}"
    if start.day == 1 and is_month_end(end) and start <= end:
        if (start.year, start.month) == (end.year, end.month):
            return month_name(end)
        if start.year == end.year:
            return f"{MONTH_NAMES[start.month - 1]}–{month_name(end)}"
        return f"{month_name(start)}–{month_name(end)}"
    if start == end:
        return start.isoformat()
    return f"{start.isoformat()} to {end.isoformat()}"


def describe_period(through: dt.date) -> str:
    """``the period through 2026-10-31 (October 2026)``, for messages."""
    if is_month_end(through):
        return f"the period through {through.isoformat()} ({month_name(through)})"
    return f"the period through {through.isoformat()}"
