"""Each bank statement line matched to the entries of that account in the books.

The rules, in the order they apply:

1. **Seen before.** A line whose identity (``statement.identities``: the
   bank's reference, else date, amount, text and count that day) is the
   ``bank-ref:`` of an entry on the account, or is in ``known`` (matches
   recorded earlier, for example by a finished reconciliation), is a
   ``duplicate``: importing the same file twice, or overlapping months, adds
   nothing. Entries that carry a ``bank-ref`` belong to their line and are
   not matched to any other.
2. **One line, one entry.** Same amount on the account; a date within a
   window (``Windows``: a deposit posts up to a week after the books' date,
   a check clears up to 90 days after it was written, other debits up to 10
   days; the books may also be up to 3 days later than the bank); the check
   number, when both have one, must agree (and agreeing outweighs
   everything); then the nearer date and the payee text (accent-insensitive
   fuzzy matching with rapidfuzz) decide between candidates. Pairs are taken
   best first, so each line and each entry is used once. A match that a
   second candidate would have fitted exactly as well is marked
   ``doubtful``, for a person to confirm.
3. **Several entries, one deposit.** A deposit line left over may be several
   counted offerings or cash and check gifts of the days before it, deposited
   together: the smallest set of them (at most ``MAX_GROUP``, searched among
   the ``MAX_GROUP_CANDIDATES`` nearest in date, with a bounded search) whose
   amounts add up exactly to the line.

Everything else is ``unmatched``: a line not in the books yet. No entry is
ever changed here; this module only says what goes with what.
"""

import bisect
import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from rapidfuzz import fuzz

from finsek.imports.statement import BANK_REF_KEY, Statement, StatementLine, fold, identities

MAX_GROUP = 6
MAX_GROUP_CANDIDATES = 14
MAX_GROUP_STEPS = 20_000
_DEPOSIT_METHODS = {"cash", "check"}


@dataclass(frozen=True)
class Windows:
    """How many days an entry in the books may come before its statement line (or, ``after``, follow it).

    ``deposit`` for money in, ``check`` for a check (a number on the line or
    on the entry), ``other`` for any other money out.
    """

    deposit: int = 7
    check: int = 90
    other: int = 10
    after: int = 3

    @property
    def widest(self) -> int:
        return max(self.deposit, self.check, self.other)


@dataclass(frozen=True)
class BookItem:
    """One transaction's part on the bank account, as matching sees it."""

    key: str
    date: dt.date
    amount: Decimal
    text: str = ""
    check: str = ""
    refs: tuple[str, ...] = ()
    deposit: bool = False
    entry: data.Transaction | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class LineMatch:
    line: StatementLine
    identity: str
    status: str  # "matched", "duplicate" or "unmatched"
    entries: tuple[BookItem, ...] = ()
    doubtful: bool = False


def entry_key(entry: data.Directive, root: Path | None = None, _names: dict | None = None) -> str:
    """How an entry is named to people and in JSON: ``2026-11-03 2026.beancount:12``."""
    meta = entry.meta or {}
    filename = str(meta.get("filename") or "")
    if root is not None and filename:
        names = _names if _names is not None else {}
        if filename not in names:
            relative = filename
            with contextlib.suppress(ValueError):
                relative = str(Path(filename).resolve().relative_to(root))
            names[filename] = relative
        filename = names[filename]
    return f"{entry.date} {filename}:{meta.get('lineno', '')}"


def book_items(entries: Sequence[data.Directive], account: str, *, start: dt.date | None = None,
               end: dt.date | None = None, root: Path | None = None) -> list[BookItem]:
    """The transactions on ``account`` dated from ``start`` to ``end`` (entries sorted by date, as Books keeps them)."""
    low = bisect.bisect_left(entries, start, key=lambda e: e.date) if start else 0
    high = bisect.bisect_right(entries, end, key=lambda e: e.date) if end else len(entries)
    items = []
    names: dict[str, str] = {}
    for entry in entries[low:high]:
        if not isinstance(entry, data.Transaction) or entry.flag == "P":
            continue
        amount = None
        refs = []
        others = []
        for posting in entry.postings:
            if posting.account == account and posting.units is not None:
                amount = (amount or Decimal(0)) + posting.units.number
                if posting.meta and posting.meta.get(BANK_REF_KEY):
                    refs.append(str(posting.meta[BANK_REF_KEY]))
            else:
                others.append(posting)
        if amount is None or amount == 0:
            continue
        meta = entry.meta or {}
        if meta.get(BANK_REF_KEY):
            refs.insert(0, str(meta[BANK_REF_KEY]))
        check = str(meta.get("check") or "").strip().lstrip("0") if amount < 0 else ""
        offering = "counted-by" in meta or any(link.startswith("offering") for link in entry.links or ())
        methods = {(p.meta or {}).get("method") or meta.get("method") for p in others if p.account.startswith("Income")}
        deposit = amount > 0 and (offering or (bool(methods) and methods <= _DEPOSIT_METHODS))
        text = " ".join(part for part in (entry.payee, entry.narration) if part)
        items.append(BookItem(key=entry_key(entry, root, names), date=entry.date, amount=amount, text=text, check=check,
                              refs=tuple(refs), deposit=deposit, entry=entry))
    return items


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return fuzz.token_set_ratio(a, b, processor=None)


def _score(line: StatementLine, item: BookItem, similarity: float) -> float:
    days = (line.date - item.date).days
    score = 1000.0 if line.check and line.check == item.check else 0.0
    score += similarity * 0.5
    score -= abs(days) * (3.0 if days >= 0 else 6.0)
    return score


def match_lines(lines: Sequence[StatementLine], items: Iterable[BookItem], *, windows: Windows | None = None,
                known: Mapping[str, Sequence[str]] | None = None) -> list[LineMatch]:
    """Match ``lines`` (one account's statement) against ``items`` (that account in the books)."""
    windows = windows or Windows()
    ids = identities(lines)
    items = list(items)
    by_key = {item.key: item for item in items}
    by_ref: dict[str, BookItem] = {}
    for item in items:
        for ref in item.refs:
            by_ref.setdefault(ref, item)
    results: list[LineMatch | None] = [None] * len(lines)
    used: set[str] = set()
    for number, (line, identity) in enumerate(zip(lines, ids, strict=True)):
        item = by_ref.get(identity)
        if item is not None and item.key not in used:
            used.add(item.key)
            results[number] = LineMatch(line, identity, "duplicate", (item,))
            continue
        if known and identity in known:
            earlier = tuple(by_key[key] for key in known[identity] if key in by_key)
            used.update(entry.key for entry in earlier)
            results[number] = LineMatch(line, identity, "duplicate", earlier)
    used.update(key for known_keys in (known or {}).values() for key in known_keys)
    free = [item for item in items if item.key not in used and not item.refs]
    plain: dict[Decimal, list[BookItem]] = defaultdict(list)
    checked: dict[Decimal, list[BookItem]] = defaultdict(list)
    for item in sorted(free, key=lambda item: item.date):
        (checked if item.check else plain)[item.amount].append(item)
    folded: dict[str, str] = {}

    def text_of(value: str) -> str:
        if value not in folded:
            folded[value] = fold(value)
        return folded[value]

    after = dt.timedelta(days=windows.after)
    similar: dict[tuple[str, str], float] = {}
    pairs = []
    for number, line in enumerate(lines):
        if results[number] is not None:
            continue
        if line.amount > 0:
            searches = [(plain, windows.deposit)]  # money in: never one of the church's checks
        elif line.check:
            searches = [(checked, windows.check), (plain, windows.check)]
        else:  # a check the bank did not number may still be a check in the books
            searches = [(plain, windows.other), (checked, windows.check)]
        line_text = text_of(line.text)
        for index, days in searches:
            candidates = index.get(line.amount)
            if not candidates:
                continue
            low = bisect.bisect_left(candidates, line.date - dt.timedelta(days=days), key=lambda i: i.date)
            high = bisect.bisect_right(candidates, line.date + after, key=lambda i: i.date)
            for item in candidates[low:high]:
                if line.check and item.check and line.check != item.check:
                    continue
                texts = (line_text, text_of(item.text))
                similarity = similar.get(texts)
                if similarity is None:
                    similarity = similar[texts] = _similarity(*texts)
                score = _score(line, item, similarity)
                pairs.append((-score, number, item.date, item.key, item))
    pairs.sort(key=lambda pair: pair[:4])
    best: dict[int, float] = {}
    for score, number, *_ in pairs:
        best.setdefault(number, score)
    taken: set[str] = set()
    chosen: dict[int, BookItem] = {}
    for _value, number, _, key, item in pairs:
        if number in chosen or key in taken:
            continue
        chosen[number] = item
        taken.add(key)
    # Doubtful: another entry fitted as well and differs (interchangeable twins, same day and text, are not doubt).
    ties: dict[int, set] = defaultdict(set)
    for score, number, day, _, item in pairs:
        if score == best[number]:
            ties[number].add((day, text_of(item.text), item.check))
    for number, item in chosen.items():
        results[number] = LineMatch(lines[number], ids[number], "matched", (item,), doubtful=len(ties[number]) > 1)
    left = [item for item in free if item.key not in taken and item.deposit]
    for number, line in enumerate(lines):
        if results[number] is not None:
            continue
        group = _deposit_group(line, left, windows) if line.amount > 0 else None
        if group:
            members, doubtful = group
            keys = {item.key for item in members}
            left = [item for item in left if item.key not in keys]
            results[number] = LineMatch(line, ids[number], "matched", members, doubtful=doubtful)
        else:
            results[number] = LineMatch(line, ids[number], "unmatched")
    return [result for result in results if result is not None]


def _deposit_group(line: StatementLine, left: Sequence[BookItem], windows: Windows
                   ) -> tuple[tuple[BookItem, ...], bool] | None:
    """The smallest set of deposit entries before ``line`` whose amounts add up to it (bounded search)."""
    target = line.amount
    candidates = [item for item in left if 0 < item.amount < target
                  and -windows.after <= (line.date - item.date).days <= windows.deposit]
    candidates.sort(key=lambda item: (abs((line.date - item.date).days), item.key))
    candidates = candidates[:MAX_GROUP_CANDIDATES]
    candidates.sort(key=lambda item: -item.amount)
    found: list[tuple[int, int, tuple[BookItem, ...]]] = []
    steps = 0
    suffix = [Decimal(0)] * (len(candidates) + 1)
    for index in range(len(candidates) - 1, -1, -1):
        suffix[index] = suffix[index + 1] + candidates[index].amount

    def search(start: int, chosen: list[BookItem], total: Decimal) -> None:
        nonlocal steps
        if total == target and len(chosen) >= 2:
            spread = sum(abs((line.date - item.date).days) for item in chosen)
            found.append((len(chosen), spread, tuple(chosen)))
            return
        if len(chosen) >= MAX_GROUP or steps >= MAX_GROUP_STEPS:
            return
        for index in range(start, len(candidates)):
            steps += 1
            amount = candidates[index].amount
            if total + amount > target:
                continue
            if total + suffix[index] < target:
                return
            chosen.append(candidates[index])
            search(index + 1, chosen, total + amount)
            chosen.pop()

    search(0, [], Decimal(0))
    if not found:
        return None
    found.sort(key=lambda item: (item[0], item[1], [member.key for member in item[2]]))
    size, spread, members = found[0]
    doubtful = sum(1 for other in found if other[0] == size and other[1] == spread) > 1
    return tuple(sorted(members, key=lambda item: (item.date, item.key))), doubtful


def match_statement(statement: Statement, entries: Sequence[data.Directive], account: str, *,
                    windows: Windows | None = None, known: Mapping[str, Sequence[str]] | None = None,
                    root: Path | None = None) -> list[LineMatch]:
    """Match a whole statement against the books' ``entries`` (sorted by date) on ``account``."""
    if not statement.lines:
        return []
    windows = windows or Windows()
    start = statement.lines[0].date - dt.timedelta(days=windows.widest)
    end = statement.lines[-1].date + dt.timedelta(days=windows.after)
    items = book_items(entries, account, start=start, end=end, root=root)
    return match_lines(statement.lines, items, windows=windows, known=known)
