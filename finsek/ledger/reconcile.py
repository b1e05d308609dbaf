"""Reconciling one bank account with one statement: what is cleared, what is outstanding, the difference.

The model is GnuCash's reconcile window. A ``Reconciliation`` lists the
account's **items** (each transaction's part on the account and its
sub-accounts) that a statement dated D could show: those dated after the
last finished reconciliation of the account (``custom "reconciled"``,
``finsek.ledger.reconciliations``) up to D, and the items that
reconciliation left outstanding. Without a finished reconciliation, the
items start after the account's last matching ``balance`` line (a statement
balance entered with ``finsek balance``: nothing was outstanding then), else
at the account's first posting.

Each item is **cleared** (ticked: the statement shows it) or
**outstanding** (a check not cashed yet, a deposit in transit), signed as in
the books. Then::

    books balance    = the account's balance at the end of D (sub-accounts included, as a balance line counts)
    cleared balance  = books balance - the outstanding items
    difference       = statement balance - cleared balance

Ticking is a set operation and a running total (constant time), whatever
the size of the ledger. The statement matching (``finsek.imports``) marks
items cleared with ``mark_cleared`` and hands over the statement lines not
in the books with ``add_unrecorded``; by hand, ``tick`` / ``untick`` /
``toggle`` and ``tick_ref`` (an item's id, ``#CHECK``, ``FILE:LINE`` or
``DATE:AMOUNT``).

Finishing (``finish_draft``) is refused while the difference is not zero,
with the items that may explain it. When zero, it is one draft, appended
through ``Ledger.save`` and dated D + 1 (Beancount checks a balance at the
start of its day, as ``finsek balance`` writes it): the balance line of the
books' balance (statement balance plus the outstanding items: deposits in
transit added, outstanding checks taken off), the ``custom "reconciled"``
record, and, given the statement's file, a ``document`` line attaching the
copy kept under ``documents/``. No existing entry is ever changed.
"""

import bisect
import contextlib
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from finsek.core.dates import ONE_DAY
from finsek.core.errors import Refused
from finsek.core.money import format_amount, ledger_number
from finsek.core.text import check_text, quote, slug
from finsek.ledger import conventions as conv
from finsek.ledger.books import Books
from finsek.ledger.entries import RECEIPT_MAX_MB, Attachment, Draft, receipt_refusal
from finsek.ledger.reconciled import balance_statements
from finsek.ledger.reconciliations import (
    ReconciledRecord,
    RecordedItem,
    item_ref,
    record_text,
    records,
)

ZERO = Decimal(0)
_DATE_AMOUNT = re.compile(r"(\d{4}-\d{2}-\d{2}):(-?\d+(?:\.\d+)?)")
#: How many items the refusal to finish names as possible explanations.
NAMED_HINTS = 6


@dataclass(eq=False)
class Item:
    """One transaction's part on the account: what a statement line shows, or an outstanding item."""

    ref: str
    date: dt.date
    amount: Decimal
    payee: str
    narration: str
    check: str
    #: ``2026.beancount:12``: the file (relative to the ledger folder) and line of the entry.
    where: str
    #: Outstanding at the last finished reconciliation (carried over).
    carried: bool = False
    entry: data.Transaction | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        """The payee, else the narration."""
        return self.payee or self.narration

    def words(self) -> str:
        """``check 1043, City Power & Light`` (what the record keeps for people)."""
        parts = [f"check {self.check}"] if self.check else []
        if self.text:
            parts.append(self.text)
        return ", ".join(parts)

    def describe(self, currency: str, locale: str = "en_US") -> str:
        """``2026-10-28 check 1043 City Power & Light -82.38 USD [3f9a1c]``."""
        check = f" check {self.check}" if self.check else ""
        return (f"{self.date.isoformat()}{check} {self.text or '(no payee)'} "
                f"{format_amount(self.amount, currency, locale)} [{self.ref}]")


@dataclass(frozen=True)
class Unrecorded:
    """A statement line not in the books (from the statement matching)."""

    date: dt.date
    amount: Decimal
    text: str = ""


def _where(entry: data.Directive, root: Path, names: dict[str, str]) -> str:
    """``2026.beancount:12`` (``names``: each file's name relative to the ledger folder, worked out once)."""
    meta = entry.meta or {}
    filename = str(meta.get("filename") or "")
    if filename:
        relative = names.get(filename)
        if relative is None:
            relative = filename
            with contextlib.suppress(ValueError):
                relative = str(Path(filename).resolve().relative_to(root))
            names[filename] = relative
        filename = relative
    return f"{filename}:{meta.get('lineno', '')}"


def _resolved(name: object) -> str:
    return str(Path(str(name)).resolve()) if name else ""


def _check_of(entry: data.Transaction, postings: list[data.Posting]) -> str:
    """The check number of a payment (the transaction's ``check:``, or one on the bank posting itself)."""
    for posting in postings:
        value = (posting.meta or {}).get(conv.CHECK_KEY)
        if value is not None:
            return str(value)
    value = (entry.meta or {}).get(conv.CHECK_KEY)
    return "" if value is None else str(value)


def account_items(books: Books, account: str, after: dt.date | None, through: dt.date,
                  only_days: Iterable[dt.date] | None = None) -> list[Item]:
    """The items of ``account`` dated after ``after`` (None: from the start) through ``through``, by date.

    ``only_days``: just the items of those days (to find recorded items again). Pads (flag ``P``) are not
    items: they are part of the books' balance, never of a statement.
    """
    entries = books.entries
    if only_days is not None:
        ranges = []
        for day in sorted(set(only_days)):
            ranges.append((bisect.bisect_left(entries, day, key=lambda e: e.date),
                           bisect.bisect_right(entries, day, key=lambda e: e.date)))
    else:
        low = bisect.bisect_right(entries, after, key=lambda e: e.date) if after else 0
        ranges = [(low, bisect.bisect_right(entries, through, key=lambda e: e.date))]
    found: list[Item] = []
    counts: Counter = Counter()
    names: dict[str, str] = {}
    prefix = account + ":"
    for low, high in ranges:
        for entry in entries[low:high]:
            if not isinstance(entry, data.Transaction) or entry.flag == "P":
                continue
            mine = []
            amount = ZERO
            for posting in entry.postings:
                units = posting.units
                if (posting.account == account or posting.account.startswith(prefix)) and units is not None \
                        and units.currency == books.currency and isinstance(units.number, Decimal):
                    mine.append(posting)
                    amount += units.number
            if not mine:
                continue
            if amount == 0:
                continue
            check = _check_of(entry, mine)
            key = (entry.date, amount.normalize(), check)
            counts[key] += 1
            found.append(Item(item_ref(account, entry.date, amount, check, counts[key]), entry.date, amount,
                              entry.payee or "", entry.narration or "", check, _where(entry, books.root, names),
                              entry=entry))
    return found


def _matched_balance_start(books: Books, account: str, before: dt.date) -> dt.date | None:
    """The statement date of the account's last matching ``balance`` line for a statement before ``before``."""
    dates = [item.statement_date for item in balance_statements(books, account)
             if item.matched and item.statement_date < before]
    return max(dates, default=None)


class Reconciliation:
    """One account against one statement: items, ticks, balances. Build it with ``start_reconciliation``."""

    def __init__(self, books: Books, account: str, statement_date: dt.date, statement_balance: Decimal,
                 items: list[Item], previous: ReconciledRecord | None, start: dt.date | None,
                 notes: list[str]):
        self.books = books
        self.account = account
        self.statement_date = statement_date
        self.statement_balance = statement_balance
        self.currency = books.currency
        self.items = items
        self.previous = previous
        #: Items are those after this statement date (besides the carried ones); None: from the beginning.
        self.start = start
        self.notes = notes
        self.books_balance = books.account_balance(account, statement_date)
        self.unrecorded: list[Unrecorded] = []
        self._ticked: set[int] = set()
        self._outstanding_total = sum((item.amount for item in items), ZERO)
        self._index = {id(item): number for number, item in enumerate(items)}

    # -- ticking ----------------------------------------------------------------

    def is_ticked(self, number: int) -> bool:
        return number in self._ticked

    def number_of(self, item: Item) -> int:
        """The position of ``item`` in ``items``."""
        return self._index[id(item)]

    @property
    def ticked_count(self) -> int:
        return len(self._ticked)

    def tick(self, number: int) -> None:
        if number not in self._ticked:
            self._ticked.add(number)
            self._outstanding_total -= self.items[number].amount

    def untick(self, number: int) -> None:
        if number in self._ticked:
            self._ticked.remove(number)
            self._outstanding_total += self.items[number].amount

    def toggle(self, number: int) -> bool:
        """Tick or untick item ``number``; True when it is now ticked."""
        if number in self._ticked:
            self.untick(number)
            return False
        self.tick(number)
        return True

    def tick_all(self, through: dt.date | None = None) -> int:
        """Tick every item dated on or before ``through`` (all when None); how many were ticked now."""
        count = 0
        for number, item in enumerate(self.items):
            if (through is None or item.date <= through) and number not in self._ticked:
                self.tick(number)
                count += 1
        return count

    def find(self, ref: str) -> list[int]:
        """The items ``ref`` names: an id from the listing, ``#1043`` (a check number), ``FILE:LINE``, or
        ``DATE:AMOUNT`` as the JSON lists an outstanding item (``2026-10-31:640.00``)."""
        text = ref.strip()
        if not text:
            return []
        lowered = text.casefold()
        if lowered.startswith("#") or lowered.startswith("check:"):
            number = text.split(":", 1)[1] if lowered.startswith("check:") else text[1:]
            return [n for n, item in enumerate(self.items) if item.check and item.check == number.strip()]
        found = [n for n, item in enumerate(self.items) if item.ref == lowered]
        if found:
            return found
        dated = _DATE_AMOUNT.fullmatch(text)
        if dated:
            try:
                day, amount = dt.date.fromisoformat(dated.group(1)), Decimal(dated.group(2))
            except (ValueError, ArithmeticError):
                return []
            same = [n for n, item in enumerate(self.items) if item.date == day and item.amount == amount]
            # identical items are interchangeable: the first one not ticked yet
            return [next((n for n in same if n not in self._ticked), same[0])] if same else []
        if ":" in text:
            name, _, line = text.rpartition(":")
            return [n for n, item in enumerate(self.items)
                    if item.where.rpartition(":")[2] == line
                    and (item.where.rpartition(":")[0] == name or Path(item.where.rpartition(":")[0]).name == name)]
        return []

    def tick_ref(self, ref: str) -> Item:
        """Tick the one item ``ref`` names; refuse, in plain words, a reference that names none or several."""
        found = self.find(ref)
        if not found:
            raise Refused(
                f"No item of {self.account} up to {self.statement_date.isoformat()} is '{ref}': use an id shown "
                "in brackets in the list (finsek reconcile without --tick shows it), #CHECKNUMBER, FILE:LINE or "
                "DATE:AMOUNT.",
                "tick")
        if len(found) > 1:
            listed = ", ".join(self.items[n].ref for n in found[:5])
            raise Refused(f"'{ref}' names {len(found)} items ({listed}): tick them by their ids.", "tick")
        self.tick(found[0])
        return self.items[found[0]]

    def mark_cleared(self, cleared: Iterable[object]) -> int:
        """Tick the items the statement matching found on the statement: their entries (Beancount
        transactions, or anything with an ``entry``), ``Item``s, ids, or ``(filename, lineno)`` pairs.
        Returns how many were ticked now."""
        wanted_ids: set[int] = set()
        wanted_refs: set[str] = set()
        wanted_places: set[tuple[str, int]] = set()
        for thing in cleared:
            if not isinstance(thing, Item | str | data.Transaction) and hasattr(thing, "entry"):
                thing = thing.entry  # the matching's own item (``finsek.imports.matching.BookItem``)
            if isinstance(thing, Item):
                wanted_refs.add(thing.ref)
                if thing.entry is not None:
                    wanted_ids.add(id(thing.entry))
            elif isinstance(thing, str):
                wanted_refs.add(thing.casefold())
            elif isinstance(thing, tuple) and len(thing) == 2:
                wanted_places.add((_resolved(thing[0]), int(thing[1])))
            elif thing is not None:
                wanted_ids.add(id(thing))
                meta = getattr(thing, "meta", None) or {}
                if meta.get("filename") and isinstance(meta.get("lineno"), int):
                    wanted_places.add((_resolved(meta["filename"]), meta["lineno"]))
        count = 0
        for number, item in enumerate(self.items):
            if number in self._ticked:
                continue
            hit = id(item.entry) in wanted_ids or item.ref in wanted_refs
            if not hit and wanted_places and item.entry is not None:
                meta = item.entry.meta or {}
                hit = (_resolved(meta.get("filename", "")), meta.get("lineno")) in wanted_places
            if hit:
                self.tick(number)
                count += 1
        return count

    def add_unrecorded(self, lines: Iterable[object]) -> None:
        """Statement lines not in the books (anything with ``date``, ``amount`` and ``text``)."""
        for line in lines:
            self.unrecorded.append(Unrecorded(line.date, line.amount, getattr(line, "text", "") or ""))  # type: ignore[attr-defined]

    # -- totals -----------------------------------------------------------------

    @property
    def outstanding_total(self) -> Decimal:
        return self._outstanding_total

    @property
    def cleared_balance(self) -> Decimal:
        return self.books_balance - self._outstanding_total

    @property
    def difference(self) -> Decimal:
        return self.statement_balance - self.cleared_balance

    @property
    def outstanding(self) -> list[Item]:
        return [item for number, item in enumerate(self.items) if number not in self._ticked]

    @property
    def cleared(self) -> list[Item]:
        return [item for number, item in enumerate(self.items) if number in self._ticked]

    def money(self, amount: Decimal) -> str:
        return format_amount(amount, self.currency, self.books.locale)

    def explain(self) -> list[str]:
        """Plain sentences on what may explain the difference (empty when it is zero)."""
        difference = self.difference
        if difference == 0:
            return []
        hints = []
        for item in self.outstanding:
            if item.amount == difference:
                hints.append(f"{item.describe(self.currency, self.books.locale)} is outstanding: if the "
                             f"statement shows it, tick it.")
        for item in self.cleared:
            if item.amount == -difference:
                hints.append(f"{item.describe(self.currency, self.books.locale)} is ticked: if the statement "
                             "does not show it, untick it.")
        unrecorded = sum((line.amount for line in self.unrecorded), ZERO)
        if self.unrecorded:
            listed = "; ".join(f"{line.date.isoformat()} {line.text} {self.money(line.amount)}"
                               for line in self.unrecorded[:NAMED_HINTS])
            closing = ", which is the difference" if unrecorded == difference else ""
            hints.append(f"The statement has {len(self.unrecorded)} line(s) not in the books, "
                         f"{self.money(unrecorded)} in all{closing}: {listed}. Book them.")
        for line in self.unrecorded:
            if line.amount == difference and unrecorded != difference:
                hints.append(f"The statement line {line.date.isoformat()} {line.text} {self.money(line.amount)} "
                             "is not in the books: book it.")
        hints = hints[:NAMED_HINTS]
        more = "less" if difference < 0 else "more"
        hints.append(
            f"The statement shows {self.money(abs(difference))} {more} than the cleared items. An item on the "
            f"statement that is not in the books (a bank fee, interest, a transfer) is booked dated on or before "
            f"{self.statement_date.isoformat()}, then ticked."
        )
        cents = abs(difference) * 100
        if cents == cents.to_integral_value() and cents % 9 == 0:
            hints.append("A difference divisible by 9 is often two digits swapped in an amount: compare the "
                         "amounts with the statement.")
        return hints

    # -- output -----------------------------------------------------------------

    def to_dict(self) -> dict:
        """The JSON contract of ``finsek reconcile --json`` (amounts as plain decimal strings)."""
        return {
            "account": self.account,
            "statement_date": self.statement_date.isoformat(),
            "statement_balance": str(self.statement_balance),
            "cleared_balance": str(self.cleared_balance),
            "books_balance": str(self.books_balance),
            "difference": str(self.difference),
            "outstanding": [{"date": item.date.isoformat(), "amount": str(item.amount), "payee": item.text,
                             "check": item.check or None}
                            for item in self.outstanding],
            "unrecorded": [{"date": line.date.isoformat(), "amount": str(line.amount), "text": line.text}
                           for line in self.unrecorded],
        }

    # -- finishing --------------------------------------------------------------

    def refusal(self) -> str | None:
        """Why the reconciliation cannot be finished (None: it can)."""
        if self.difference == 0:
            return None
        hints = "\n  - ".join(self.explain())
        return (f"The difference is {self.money(self.difference)} (statement "
                f"{self.money(self.statement_balance)}, cleared {self.money(self.cleared_balance)}), so the "
                f"reconciliation of {self.account} on {self.statement_date.isoformat()} was not recorded. "
                f"What may explain it:\n  - {hints}")

    def finish_draft(self, *, statement_file: str | Path | None = None, entered_by: str = "",
                     max_mb: float = RECEIPT_MAX_MB) -> Draft:
        """The draft that records the finished reconciliation; refused while the difference is not zero."""
        refusal = self.refusal()
        if refusal:
            raise Refused(refusal, "difference")
        entered_by = check_text(entered_by, "entered-by name", max_length=80)
        day = self.statement_date + ONE_DAY
        attachments: tuple[Attachment, ...] = ()
        relative = None
        if statement_file is not None and str(statement_file).strip():
            source = Path(str(statement_file).strip()).expanduser()
            max_bytes = int(max_mb * 1024 * 1024)
            problem = receipt_refusal(source, max_bytes)
            if problem:
                raise Refused(problem.replace("receipt", "statement"), "statement_file")
            relative = statement_destination(self.books, source, self.account, self.statement_date)
            attachments = (Attachment(source.resolve(), relative, max_bytes),)
        items = [RecordedItem(item.ref, item.date, item.amount, self.currency, item.words())
                 for item in self.outstanding]
        number = ledger_number(self.books_balance, self.currency)
        text = f"{day.isoformat()} balance {self.account} {number} ~ 0 {self.currency}\n"
        text += record_text(day, self.account, self.statement_date, self.statement_balance, self.currency,
                            self.books_balance, items, relative, entered_by)
        if relative:
            text += f"{day.isoformat()} document {self.account} {quote(relative)}\n"
        count = len(items)
        summary = (f"reconciliation of {self.account} with the statement of {self.statement_date.isoformat()} "
                   f"({self.money(self.statement_balance)}, {count} item{'s' if count != 1 else ''} outstanding)")
        return Draft("reconciliation", day, text, summary, attachments)


def statement_destination(books: Books, source: Path, account: str, statement_date: dt.date) -> str:
    """A safe, unused ``documents/bank/YYYY/DATE-account.ext`` path for a statement's file."""
    extension = "".join(char for char in source.suffix.lower() if char.isalnum() or char == ".")[:8]
    stem = f"{statement_date.isoformat()}-{slug(account, 60)}"
    folder = books.root / "documents" / "bank" / str(statement_date.year)
    candidate = f"{stem}{extension}"
    number = 2
    while (folder / candidate).exists():
        candidate = f"{stem}-{number}{extension}"
        number += 1
    return f"documents/bank/{statement_date.year}/{candidate}"


def start_reconciliation(books: Books, account: str, statement_date: dt.date, statement_balance: Decimal,
                         *, today: dt.date | None = None) -> Reconciliation:
    """The reconciliation of ``account`` with its statement of ``statement_date`` (nothing ticked yet)."""
    today = today or dt.date.today()
    account = (account or "").strip()
    info = books.accounts.get(account)
    if info is None:
        close = [name for name in books.accounts if name.casefold() == account.casefold()]
        hint = f" Did you mean {close[0]}?" if close else " Choose one of the bank accounts."
        raise Refused(f"There is no account {account} in the books.{hint}", "account")
    if statement_date > today:
        raise Refused(f"The statement date {statement_date.isoformat()} is in the future: type the date printed "
                      "on the statement.", "statement_date")
    if statement_date < info.opened:
        raise Refused(f"{account} was opened on {info.opened.isoformat()}, after the statement date "
                      f"{statement_date.isoformat()}: check the date.", "statement_date")
    done = records(books.custom_entries, account)
    for record in done:
        if record.statement_date == statement_date:
            where = f" ({Path(record.filename).name}:{record.lineno})" if record.filename else ""
            raise Refused(f"The statement of {statement_date.isoformat()} for {account} was already reconciled"
                          f"{where}: reconcile the next statement.", "statement_date")
    later = [record for record in done if record.statement_date > statement_date]
    if later:
        raise Refused(f"{account} is reconciled through {later[-1].statement_date.isoformat()} already: "
                      f"reconcile a statement dated after it.", "statement_date")
    previous = done[-1] if done else None
    notes: list[str] = []
    carried: list[Item] = []
    if previous is not None:
        start: dt.date | None = previous.statement_date
        carried = _carried_items(books, account, previous, notes)
        if previous.books_balance is not None:
            now = books.account_balance(account, previous.statement_date)
            if now != previous.books_balance:
                notes.append(
                    f"The books' balance of {account} on {previous.statement_date.isoformat()} is "
                    f"{format_amount(now, books.currency, books.locale)}, but the reconciliation of that day left "
                    f"it at {format_amount(previous.books_balance, books.currency, books.locale)}: an entry dated "
                    "on or before it was added or changed since (bean-check reports the balance line). Find it "
                    "in the journal and reverse it or date it later.")
    else:
        start = _matched_balance_start(books, account, statement_date)
    items = carried + account_items(books, account, start, statement_date)
    return Reconciliation(books, account, statement_date, statement_balance, items, previous, start, notes)


def _carried_items(books: Books, account: str, previous: ReconciledRecord, notes: list[str]) -> list[Item]:
    """The items the last reconciliation left outstanding, found again in the books (by id, else date and amount)."""
    if not previous.items:
        return []
    candidates = account_items(books, account, None, previous.statement_date,
                               only_days=[item.date for item in previous.items])
    by_ref = {item.ref: item for item in candidates}
    used: set[int] = set()
    found: list[Item] = []
    for recorded in previous.items:
        item = by_ref.get(recorded.ref)
        if item is None or id(item) in used:
            item = next((other for other in candidates if id(other) not in used and other.date == recorded.date
                         and other.amount == recorded.amount), None)
        if item is None:
            notes.append(
                f"The item {recorded.ref} ({recorded.date.isoformat()} {recorded.amount} {recorded.currency} "
                f"{recorded.words}) was outstanding at the reconciliation of {previous.statement_date.isoformat()} "
                "but is no longer in the books: if it was reversed, the reversal is an item of its own.")
            continue
        used.add(id(item))
        item.carried = True
        found.append(item)
    found.sort(key=lambda item: item.date)
    return found
