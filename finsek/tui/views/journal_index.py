"""The journal's search index: one lowercase string per transaction, built once.

Filtering 100,000 transactions on every keystroke stays fast because each
row carries its search text precomputed (date, payee, narration, accounts,
funds, donors and their names, amount, links, check number) and the screen
draws only the matches on screen. Pure Python, no Textual.

Query syntax (every part must match; case does not matter)::

    electricity 2026-05          words anywhere (a date prefix is a word too)
    fund:building donor:D0042    one field: payee, narration, account, fund, donor, date
    from:2026-01-01 to:2026-03-31
"""

from typing import NamedTuple

from beancount.core import data

from finsek.core.money import format_amount
from finsek.ledger import conventions as conv
from finsek.ledger.books import Books

FIELDS = ("date", "payee", "narration", "account", "fund", "donor")
ALIASES = {"accounts": "account", "funds": "fund", "donors": "donor", "memo": "narration", "text": "narration"}


class JournalRow(NamedTuple):
    entry: data.Transaction
    date: str
    payee: str
    narration: str
    amount: str
    accounts: str
    funds: str
    search: str
    fields: tuple[str, ...]


class Query(NamedTuple):
    words: tuple[str, ...] = ()
    fields: tuple[tuple[int, str], ...] = ()
    date_from: str = ""
    date_to: str = ""

    @property
    def empty(self) -> bool:
        return not (self.words or self.fields or self.date_from or self.date_to)


def make_row(books: Books, entry: data.Transaction, shared: dict | None = None) -> JournalRow:
    """One transaction's row; ``shared`` (one dict per index) makes each repeated text once."""
    keep = (shared if shared is not None else {}).setdefault
    accounts = []
    funds = []
    donors = []
    for posting in entry.postings:
        if posting.account not in accounts:
            accounts.append(posting.account)
        if conv.needs_fund(posting.account):
            fund = conv.posting_fund(entry, posting, books.default_fund)
            if fund not in funds:
                funds.append(fund)
        donor = conv.posting_donor(entry, posting)
        if donor and donor not in donors:
            donors.append(donor)
    donor_names = [books.donors.get(donor).name for donor in donors if books.donors.get(donor) is not None]
    size = conv.transaction_size(entry, books.currency)
    amount = shared.get(size) if shared is not None else None  # Decimal keys: amounts repeat a lot
    if amount is None:
        amount = keep(size, format_amount(size, books.currency, books.locale))
    date = shared.get(entry.date) if shared is not None else None
    if date is None:
        date = keep(entry.date, entry.date.isoformat())
    payee = entry.payee or ""
    narration = entry.narration or ""
    check = str((entry.meta or {}).get(conv.CHECK_KEY, ""))
    account_text = " ".join(accounts)
    fund_text = " ".join(funds)
    field_values = (
        date,
        keep(payee.casefold(), payee.casefold()),
        keep(narration.casefold(), narration.casefold()),
        keep(account_text.casefold(), account_text.casefold()),
        keep(fund_text.casefold(), fund_text.casefold()),
        keep(" ".join(donors + donor_names).casefold(), " ".join(donors + donor_names).casefold()),
    )
    search = " ".join(
        (*field_values, amount.replace(",", "").casefold(), " ".join(entry.links or ()).casefold(), check.casefold())
    )
    listed_accounts = ", ".join(accounts)
    listed_funds = ", ".join(funds)
    return JournalRow(
        entry, date, payee, narration, amount, keep(listed_accounts, listed_accounts), keep(listed_funds, listed_funds),
        search, field_values,
    )


def build_index(books: Books) -> list[JournalRow]:
    """Every transaction (plugin-made pads left out), newest first."""
    shared: dict = {}
    rows = [make_row(books, entry, shared) for entry in books.transactions()]
    rows.reverse()
    return rows


def parse_query(text: str) -> Query:
    words: list[str] = []
    fields: list[tuple[int, str]] = []
    date_from = date_to = ""
    for part in (text or "").casefold().split():
        key, sep, value = part.partition(":")
        key = ALIASES.get(key, key)
        if sep and value and key in ("from", "since"):
            date_from = value
        elif sep and value and key in ("to", "until"):
            date_to = value
        elif sep and value and key in FIELDS:
            fields.append((FIELDS.index(key), value))
        elif sep and not value and key in (*FIELDS, "from", "to", "since", "until"):
            continue  # a field name still being typed
        else:
            words.append(part.replace(",", "") if any(char.isdigit() for char in part) else part)
    return Query(tuple(words), tuple(fields), date_from, date_to)


def _matches(row: JournalRow, query: Query) -> bool:
    search = row.search
    for word in query.words:
        if word not in search:
            return False
    for index, value in query.fields:
        if value not in row.fields[index]:
            return False
    if query.date_from and row.date < query.date_from:
        return False
    return not (query.date_to and row.date[: len(query.date_to)] > query.date_to)


def filter_rows(rows: list[JournalRow], query: Query | str, limit: int | None = 500) -> tuple[list[JournalRow], int]:
    """The first ``limit`` matching rows (all when None), newest first, and how many match in all."""
    if isinstance(query, str):
        query = parse_query(query)
    if query.empty:
        return (rows if limit is None else rows[:limit]), len(rows)
    if query.words and not query.fields and not query.date_from and not query.date_to:
        words = query.words
        if len(words) == 1:
            word = words[0]
            found = [row for row in rows if word in row.search]
        else:
            found = [row for row in rows if all(word in row.search for word in words)]
    else:
        found = [row for row in rows if _matches(row, query)]
    return (found if limit is None else found[:limit]), len(found)


def narrows(old: Query, new: Query) -> bool:
    """Whether every row ``new`` matches also matches ``old`` (so ``new`` can filter ``old``'s matches).

    True when each old word or field value sits inside a new one of the same
    kind (typing more letters only narrows) and the dates are the same.
    """
    if (old.date_from, old.date_to) != (new.date_from, new.date_to):
        return False
    if not all(any(word in longer for longer in new.words) for word in old.words):
        return False
    return all(any(index == other and value in longer for other, longer in new.fields) for index, value in old.fields)


class JournalFilter:
    """Filters one index as the user types: a longer query searches only the last matches, and
    recent answers are kept, so backspace is instant and typing searches fewer rows each time."""

    KEEP = 32

    def __init__(self, rows: list[JournalRow]):
        self.rows = rows
        self._answers: dict[Query, list[JournalRow]] = {}
        self._last: Query | None = None

    def __call__(self, text: str) -> tuple[list[JournalRow], int]:
        """Every matching row (newest first) and how many there are."""
        query = parse_query(text)
        found = self._answers.get(query)
        if found is None:
            last = self._last
            base = self._answers[last] if last is not None and narrows(last, query) else self.rows
            found, _ = filter_rows(base, query, None)
            self._answers[query] = found
            if len(self._answers) > self.KEEP:
                del self._answers[next(iter(self._answers))]
        self._last = query
        return found, len(found)


def refresh_index(books: Books, rows: list[JournalRow]) -> list[JournalRow]:
    """The index after saves or undo on the same books: new rows made, gone rows dropped, the rest kept."""
    current = books.transactions()
    present = {id(entry) for entry in current}
    known = {id(row.entry) for row in rows}
    kept = [row for row in rows if id(row.entry) in present]
    new = [make_row(books, entry) for entry in current if id(entry) not in known]
    if not new:
        return kept
    merged = new[::-1] + kept
    merged.sort(key=lambda row: row.date, reverse=True)  # stable: the newest saved first within a day
    return merged
