"""One model of a bank statement, whatever file it came from (CSV, camt.053, OFX).

Every reader in this package turns its format into a ``Statement`` of
``StatementLine``s, oldest first. A line is known again by ``identity``: the
bank's own reference (camt.053 ``AcctSvcrRef``, OFX ``FITID``, a CSV reference
column) or, when the file has none, by its date, amount, text and its count
among identical lines of that day. finsek writes that identity on every entry
booked from a line as ``bank-ref:`` metadata (``BANK_REF_KEY``), so importing
the same or an overlapping statement again adds nothing.
"""

import datetime as dt
import hashlib
import itertools
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

#: The metadata key of an entry booked from (or matched by hand to) a statement line.
BANK_REF_KEY = "bank-ref"
#: Prefix of an identity made from a line's contents (the file had no reference of its own).
CONTENT_PREFIX = "line:"


@dataclass(frozen=True)
class StatementLine:
    """One booked line of a bank statement: positive amounts are money in, negative money out."""

    date: dt.date
    amount: Decimal
    text: str = ""
    ref: str = ""
    check: str = ""
    balance: Decimal | None = None


@dataclass(frozen=True)
class Statement:
    """A statement of one bank account: its lines oldest first, and its balances when the file has them.

    ``account`` is the bank's own number for the account (IBAN, OFX ACCTID) or
    empty; ``opening`` is the balance before the first day, ``closing`` after
    the last. ``notes`` says what the reader left out and why (pending lines,
    summary rows), so nothing is dropped silently.
    """

    account: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    opening: Decimal | None = None
    closing: Decimal | None = None
    lines: tuple[StatementLine, ...] = ()
    currency: str = ""
    source: str = ""
    notes: tuple[str, ...] = field(default=())


def fold(text: str) -> str:
    """``text`` for comparing: accents off, case-folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def content_identity(line: StatementLine, count: int) -> str:
    """The identity of a line without a bank reference: date, amount, text and its count that day."""
    digest = hashlib.sha256(fold(line.text).encode("utf-8")).hexdigest()[:10]
    return f"{CONTENT_PREFIX}{line.date.isoformat()}:{line.amount}:{count}:{digest}"


def identities(lines: Sequence[StatementLine]) -> list[str]:
    """Each line's identity, in the order given.

    The bank's reference when it is unique in the file; otherwise (no
    reference, or one the bank repeats on several lines) the date, amount,
    text and the line's count among identical lines of that day (plus the
    reference, when there is one). Identical lines are interchangeable, so
    the count does not depend on the file's order, and two overlapping files
    give the same identities to the same lines.
    """
    ref_counts = Counter(line.ref for line in lines if line.ref)
    seen: Counter = Counter()
    found = []
    for line in lines:
        if line.ref and ref_counts[line.ref] == 1:
            found.append(line.ref)
            continue
        key = (line.ref, line.date, line.amount, fold(line.text))
        seen[key] += 1
        identity = content_identity(line, seen[key])
        found.append(f"{line.ref}/{identity}" if line.ref else identity)
    return found


def chronological(lines: Sequence[StatementLine]) -> list[StatementLine]:
    """``lines`` oldest first, whichever way the bank listed them; lines of one day keep their order in time.

    A file listed newest first (its first date later than its last, or, on a
    single day, a running balance that only adds up read backwards) is
    reversed before the stable sort by date.
    """
    items = list(lines)
    if len(items) > 1 and (
        items[0].date > items[-1].date or (items[0].date == items[-1].date and _balances_run_backwards(items))
    ):
        items.reverse()
    return sorted(items, key=lambda line: line.date)


def _balances_run_backwards(lines: list[StatementLine]) -> bool:
    pairs = [(a, b) for a, b in itertools.pairwise(lines) if a.balance is not None and b.balance is not None]
    if not pairs:
        return False
    forward = sum(1 for a, b in pairs if a.balance + b.amount == b.balance)  # type: ignore[operator]
    backward = sum(1 for a, b in pairs if b.balance + a.amount == a.balance)  # type: ignore[operator]
    return backward > forward


def balances_from_lines(lines: Sequence[StatementLine]) -> tuple[Decimal | None, Decimal | None]:
    """Opening and closing balance from the running balances of lines oldest first (None when there are none)."""
    with_balance = [line for line in lines if line.balance is not None]
    if not with_balance:
        return None, None
    first, last = with_balance[0], with_balance[-1]
    before_first = sum((line.amount for line in lines[: lines.index(first)]), Decimal(0))
    assert first.balance is not None
    opening = first.balance - first.amount - before_first
    after_last = sum((line.amount for line in lines[lines.index(last) + 1 :]), Decimal(0))
    assert last.balance is not None
    return opening, last.balance + after_last
