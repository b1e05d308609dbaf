"""Finished bank reconciliations as the ledger records them: ``custom "reconciled"`` lines.

``finsek reconcile --finish`` (and the app's reconcile screen) appends, dated
the day after the statement, beside the balance assertion of the books'
balance that follows from the statement::

    2026-11-01 custom "reconciled" Assets:Bank:Checking 2026-10-31 4210.55 USD
      books-balance: 4065.77 USD
      outstanding-1: "3f9a1c 2026-10-28 -82.38 USD check 1043, City Power & Light"
      outstanding-2: "7b02de 2026-10-31 250.00 USD Offering"

Values: the account, the statement's date, the statement's closing balance.
Metadata: ``books-balance`` (what the balance line asserts: statement balance
plus the outstanding items, signed as in the books) and one
``outstanding-N`` per item still outstanding (an entry of the books dated on
or before the statement date that the statement did not show): its id, date,
amount and currency, then words for people (check number, payee). The id is
``item_ref``: a short digest of the account, date, amount, check number and
the item's count among identical items of that day, so it does not change
when an entry's text is edited or the file is reordered.

Everything dated on or before the statement date that is not listed was
cleared by that statement. The next reconciliation of the account starts from
the listed items; the board report, the home screen and the audit read the
records through ``finsek.ledger.reconciled`` (a finished reconciliation is a
month reconciled), the audit also reads the items (stale checks).
"""

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from finsek.core.money import ledger_number
from finsek.core.text import quote
from finsek.ledger import conventions as conv

RECORD_TYPE = "reconciled"
BOOKS_BALANCE_KEY = "books-balance"
ITEM_KEY = "outstanding-"
STATEMENT_FILE_KEY = "statement-file"
#: ``ID DATE AMOUNT CURRENCY[ words]``.
_ITEM = re.compile(r"^(\S+) (\d{4}-\d{2}-\d{2}) (-?\d+(?:\.\d+)?) ([A-Z][A-Z0-9'._-]*)(?: (.*))?$", re.DOTALL)
_CHECK = re.compile(r"^check (\S+?)(?:,|$)")


class RecordedItem(NamedTuple):
    """One outstanding item of a finished reconciliation, as recorded."""

    ref: str
    date: dt.date
    amount: Decimal
    currency: str
    words: str = ""

    @property
    def check(self) -> str:
        """The check number the words name (``check 1043, City Power``), or empty."""
        found = _CHECK.match(self.words)
        return found.group(1) if found else ""

    @property
    def payee(self) -> str:
        """The words after the check number (the payee or the narration)."""
        found = _CHECK.match(self.words)
        return self.words[found.end():].lstrip(", ").strip() if found else self.words


class ReconciledRecord(NamedTuple):
    """One finished reconciliation: a ``custom "reconciled"`` line of the ledger."""

    account: str
    statement_date: dt.date
    statement_balance: Decimal
    currency: str
    #: The books' balance at the end of the statement date when it finished (None if the line has none).
    books_balance: Decimal | None
    items: tuple[RecordedItem, ...]
    #: The date of the line itself (the day after the statement).
    line_date: dt.date
    filename: str | None = None
    lineno: int | None = None
    statement_file: str | None = None

    @property
    def outstanding_total(self) -> Decimal:
        return sum((item.amount for item in self.items), Decimal(0))


def item_ref(account: str, date: dt.date, amount: Decimal, check: str, count: int) -> str:
    """The short id of an item: six hex digits of a digest of what identifies it."""
    key = f"{account}|{date.isoformat()}|{amount.normalize():f}|{check}|{count}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]


def _one_line(text: str, limit: int = 80) -> str:
    words = " ".join("".join(char if char.isprintable() else " " for char in text).split())
    return words[:limit]


def item_line(ref: str, date: dt.date, amount: Decimal, currency: str, words: str = "") -> str:
    """The text of one ``outstanding-N`` value (unquoted)."""
    tail = _one_line(words)
    return f"{ref} {date.isoformat()} {amount:f} {currency}" + (f" {tail}" if tail else "")


def record_text(line_date: dt.date, account: str, statement_date: dt.date, statement_balance: Decimal,
                currency: str, books_balance: Decimal, items: Sequence[RecordedItem],
                statement_file: str | None = None, entered_by: str = "") -> str:
    """The ``custom "reconciled"`` line with its metadata, as appended."""
    text = (f'{line_date.isoformat()} custom "{RECORD_TYPE}" {account} {statement_date.isoformat()} '
            f"{ledger_number(statement_balance, currency)} {currency}\n")
    text += f"  {BOOKS_BALANCE_KEY}: {ledger_number(books_balance, currency)} {currency}\n"
    for number, item in enumerate(items, start=1):
        line = item_line(item.ref, item.date, item.amount, item.currency, item.words)
        text += f"  {ITEM_KEY}{number}: {quote(line)}\n"
    if statement_file:
        text += f"  {STATEMENT_FILE_KEY}: {quote(statement_file)}\n"
    if entered_by:
        text += f"  {conv.ENTERED_BY_KEY}: {quote(entered_by)}\n"
    return text


def _number_and_currency(value: object) -> tuple[Decimal, str] | None:
    if isinstance(value, Amount) and isinstance(value.number, Decimal) and isinstance(value.currency, str):
        return value.number, value.currency
    return None


def parse_item(value: object) -> RecordedItem | None:
    """An ``outstanding-N`` value as an item (None when it is not one)."""
    if not isinstance(value, str):
        return None
    found = _ITEM.match(value.strip())
    if not found:
        return None
    try:
        return RecordedItem(found.group(1), dt.date.fromisoformat(found.group(2)), Decimal(found.group(3)),
                            found.group(4), found.group(5) or "")
    except (ValueError, InvalidOperation):
        return None


def read_record(entry: data.Custom) -> ReconciledRecord | None:
    """A ``custom "reconciled"`` entry as a record (None when its values are not account, date, amount)."""
    if entry.type != RECORD_TYPE:
        return None
    values = conv.custom_values(entry)
    if len(values) < 3 or not isinstance(values[0], str) or not isinstance(values[1], dt.date):
        return None
    balance = _number_and_currency(values[2])
    if balance is None:
        return None
    meta = entry.meta or {}
    books = _number_and_currency(meta.get(BOOKS_BALANCE_KEY))
    numbered = []
    for key, value in meta.items():
        if isinstance(key, str) and key.startswith(ITEM_KEY) and key[len(ITEM_KEY):].isdigit():
            item = parse_item(value)
            if item is not None:
                numbered.append((int(key[len(ITEM_KEY):]), item))
    numbered.sort(key=lambda pair: pair[0])
    filename, lineno = meta.get("filename"), meta.get("lineno")
    if filename is not None and str(filename).startswith("<"):
        filename, lineno = None, None
    statement_file = meta.get(STATEMENT_FILE_KEY)
    return ReconciledRecord(
        values[0], values[1], balance[0], balance[1], books[0] if books else None,
        tuple(item for _, item in numbered), entry.date,
        None if filename is None else str(filename), lineno if isinstance(lineno, int) else None,
        statement_file if isinstance(statement_file, str) else None,
    )


def records(entries: Iterable[data.Directive], account: str | None = None) -> list[ReconciledRecord]:
    """The finished reconciliations among ``entries`` (``books.custom_entries``), of ``account`` or of all,
    by statement date."""
    found = []
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == RECORD_TYPE:
            record = read_record(entry)
            if record is not None and (account is None or record.account == account):
                found.append(record)
    found.sort(key=lambda record: (record.statement_date, record.line_date))
    return found
