"""What "reconciled" means: the one rule the board report, the home screen and the audit share.

An account is **reconciled through a month** when a statement balance for
that month end was entered and matches the books. Today a statement balance
is a ``balance`` line as ``finsek balance`` writes it: the closing balance of
the statement dated D, asserted on D + 1 (Beancount checks the start of its
day). A line up to ``reconcile-grace-days`` days (default 3) either side of
the day after the month end stands for that month end; the nearest one is
the month's statement balance. It matches when the books' balance at the
start of its day (children included, as Beancount counts) equals it within
Beancount's tolerance for that line (so finsek and bean-check agree).

Anything else is *not reconciled*: a month end without a statement balance
(``missing``) or with one that does not match the books (``mismatch``). Such
an account is "not reconciled since" the last month end that was (or
"never"), and the board report lists it under what needs attention.

Which accounts are expected to be reconciled: the open accounts under the
``reconcile-accounts`` prefixes (default ``Assets:Bank``), once they have a
posting. Both settings are ``custom "finsek"`` lines the audit reads too::

    2026-01-01 custom "finsek" "reconcile-accounts" "Assets:Bank Assets:Cash:Petty"
    2026-01-01 custom "finsek" "reconcile-grace-days" "3"

Sources of statement balances are the functions in ``STATEMENT_SOURCES``:
each gives the :class:`Statement` records of one account. Bank
reconciliation (issue 14) adds a second source there: its
``custom "reconciled"`` records (account, statement date and balance,
outstanding items), each a :class:`Statement` with ``source="reconciled"``
and ``matched`` true when the reconciliation finished with no difference.
``month_status`` prefers such a record over a bare balance line for the
same month end, so every face reads finished reconciliations without change.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, NamedTuple

from beancount.core import data
from beancount.ops.balance import get_balance_tolerance
from beancount.parser.options import OPTIONS_DEFAULTS

from finsek.core.dates import MONTH_ABBR, ONE_DAY, is_month_end, month_ends
from finsek.ledger import conventions as conv

if TYPE_CHECKING:
    from finsek.ledger.books import Books

DEFAULT_ACCOUNTS: tuple[str, ...] = ("Assets:Bank",)
DEFAULT_GRACE_DAYS = 3

#: A month end's status: its statement balance matches, does not match, or was never entered.
STATUSES = ("reconciled", "mismatch", "missing")
#: Which statement record wins when two stand for the same month end (a finished reconciliation first).
SOURCE_RANK = {"reconciled": 0, "balance": 1}


class ReconcileRules(NamedTuple):
    """Which accounts are reconciled, and how far a statement balance may lie from the day after a month end."""

    accounts: tuple[str, ...] = DEFAULT_ACCOUNTS
    grace_days: int = DEFAULT_GRACE_DAYS


def read_accounts(value: object) -> tuple[str, ...]:
    """``"Assets:Bank Assets:Cash:Petty"`` as account prefixes; ValueError when it names none."""
    names = tuple(part for part in str(value).replace(",", " ").split() if part)
    if not names or any(not part[:1].isupper() for part in names):
        raise ValueError("account names such as \"Assets:Bank Assets:Cash:Petty\"")
    return names


def read_days(value: object) -> int:
    """A whole number of days (0 to 10,000); ValueError otherwise."""
    number = value.number if hasattr(value, "number") else value
    try:
        result = Decimal(str(number).strip())
    except InvalidOperation as error:
        raise ValueError("a whole number of days") from error
    if not result.is_finite() or result != result.to_integral_value() or result < 0 or result > 10_000:
        raise ValueError("a whole number of days")
    return int(result)


_RULE_READERS: dict[str, tuple[str, Callable]] = {
    "reconcile-accounts": ("accounts", read_accounts),
    "reconcile-grace-days": ("grace_days", read_days),
}


def reconcile_rules(entries: Iterable[data.Directive]) -> ReconcileRules:
    """The rules a ledger sets with ``custom "finsek"`` lines (the last line of each key wins).

    A value finsek cannot read leaves the default (the audit reports it as a
    finding). ``entries`` may be ``books.custom_entries``.
    """
    values: dict = {}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "finsek":
            args = conv.custom_values(entry)
            if len(args) >= 2 and isinstance(args[0], str) and args[0] in _RULE_READERS:
                values[args[0]] = args[1]
    updates = {}
    for key, raw in values.items():
        attr, reader = _RULE_READERS[key]
        try:
            updates[attr] = reader(raw)
        except (ValueError, TypeError):
            continue
    return ReconcileRules(**updates)


class Statement(NamedTuple):
    """A bank statement's closing balance, as the books recorded it, compared with the books."""

    account: str
    #: The statement's own date (a ``balance`` line dated D stands for the statement of D - 1).
    statement_date: dt.date
    amount: Decimal
    currency: str
    #: The books' balance the statement was compared with (at the end of the statement date).
    books_amount: Decimal
    matched: bool
    #: ``balance`` (a balance line); ``reconciled`` (a finished reconciliation, issue 14).
    source: str = "balance"
    #: The date of the line in the ledger.
    line_date: dt.date | None = None
    filename: str | None = None
    lineno: int | None = None


def balance_tolerance(entry: data.Balance, options: Mapping) -> Decimal:
    """How far the books may be from a balance line and still match it: Beancount's own rule, so a balance
    finsek calls matching is one bean-check accepts (its explicit ``~`` tolerance, else twice the tolerance
    multiplier times its last digit: 0.01 for ``1580.00``, exact for ``1580``).

    Books read from finsek's cache keep only a few options: they use Beancount's default multiplier.
    """
    multiplier = options.get("tolerance_multiplier") or OPTIONS_DEFAULTS["tolerance_multiplier"]
    return get_balance_tolerance(entry, {"tolerance_multiplier": multiplier})


def balance_statements(books: "Books", account: str) -> list[Statement]:
    """The account's ``balance`` lines in the operating currency, each compared with the books."""
    found = []
    for assertion in books.assertions.get(account, ()):
        if assertion.currency != books.currency:
            continue
        books_amount = books.account_balance_before(account, assertion.date)
        entry = assertion.entry
        tolerance = balance_tolerance(entry, books.options)
        meta = getattr(entry, "meta", None) or {}
        filename, lineno = meta.get("filename"), meta.get("lineno")
        if filename is not None and str(filename).startswith("<"):
            filename, lineno = None, None
        found.append(Statement(
            account, assertion.date - ONE_DAY, assertion.amount, assertion.currency, books_amount,
            abs(books_amount - assertion.amount) <= tolerance, "balance", assertion.date,
            None if filename is None else str(filename), lineno if isinstance(lineno, int) else None,
        ))
    return found


#: Every source of statement balances: ``(books, account) -> [Statement, ...]``. Issue 14 adds the
#: ``custom "reconciled"`` records of finished reconciliations here.
STATEMENT_SOURCES: list[Callable[..., Sequence[Statement]]] = [balance_statements]


def statements(books: "Books", account: str) -> list[Statement]:
    """Every statement balance of ``account`` from every source, by statement date."""
    found: list[Statement] = []
    for source in STATEMENT_SOURCES:
        found.extend(source(books, account))
    found.sort(key=lambda item: (item.statement_date, SOURCE_RANK.get(item.source, 9)))
    return found


class MonthStatus(NamedTuple):
    """One account at one month end: ``reconciled``, ``mismatch`` or ``missing``."""

    account: str
    month_end: dt.date
    status: str
    #: The statement balance that stands for the month end (None when ``missing``).
    statement: Statement | None = None


def statement_for(found: Sequence[Statement], last: dt.date, grace_days: int) -> Statement | None:
    """The statement that stands for month end ``last``: a finished reconciliation first, then the nearest."""
    near = [item for item in found if abs((item.statement_date - last).days) <= grace_days]
    if not near:
        return None
    return min(near, key=lambda item: (SOURCE_RANK.get(item.source, 9), abs((item.statement_date - last).days),
                                       item.statement_date))


def month_status(books: "Books", account: str, last: dt.date, rules: ReconcileRules | None = None, *,
                 found: Sequence[Statement] | None = None) -> MonthStatus:
    """Whether ``account`` is reconciled at month end ``last`` (``found``: its ``statements``, when known)."""
    rules = rules or reconcile_rules(books.custom_entries)
    found = statements(books, account) if found is None else found
    statement = statement_for(found, last, rules.grace_days)
    if statement is None:
        return MonthStatus(account, last, "missing")
    return MonthStatus(account, last, "reconciled" if statement.matched else "mismatch", statement)


def expected(books: "Books", account: str, last: dt.date) -> bool:
    """Whether ``account`` should have a statement balance at month end ``last``: open, with a posting by then."""
    info = books.accounts.get(account)
    if info is None or info.opened > last or (info.closed and info.closed <= last):
        return False
    series = books.account_series.get(account)
    return bool(series is not None and series.dates and series.dates[0] <= last)


def accounts_to_reconcile(books: "Books", day: dt.date, rules: ReconcileRules | None = None) -> list[str]:
    """The accounts under the ``reconcile-accounts`` prefixes, open on ``day`` (not closed by it), with postings."""
    rules = rules or reconcile_rules(books.custom_entries)
    found = []
    for name, info in books.accounts.items():
        if not any(conv.account_matches(name, prefix) for prefix in rules.accounts):
            continue
        if name not in books.account_series or info.opened > day or (info.closed and info.closed <= day):
            continue
        found.append(name)
    return sorted(found)


def short_date(day: dt.date) -> str:
    """``31 Oct 2026``."""
    return f"{day.day} {MONTH_ABBR[day.month - 1]} {day.year}"


class Reconciled(NamedTuple):
    """Through which month end one account is reconciled, as of a day."""

    account: str
    #: The last month end (on or before the day asked about) whose statement balance matches; None: never.
    through: dt.date | None
    #: The month end that should be reconciled by then (the last whose statement can exist); None: none yet.
    due: dt.date | None
    #: The status of ``due``: ``reconciled``, ``mismatch`` or ``missing`` (``reconciled`` when nothing is due).
    status: str
    #: The statement balance that stands for ``due`` (None when missing or nothing is due).
    statement: Statement | None = None

    @property
    def is_reconciled(self) -> bool:
        """True when the month end due is reconciled (or nothing is due yet)."""
        return self.status == "reconciled"

    @property
    def needs_attention(self) -> bool:
        return not self.is_reconciled

    def words(self) -> str:
        """``Reconciled through 31 Dec 2026``, ``Not reconciled since 31 Oct 2026``, ``Never reconciled``."""
        if self.is_reconciled and self.through is not None:
            return f"Reconciled through {short_date(self.through)}"
        if self.is_reconciled:
            return "Nothing to reconcile yet"
        if self.through is None:
            return "Never reconciled"
        return f"Not reconciled since {short_date(self.through)}"

    def reason(self, money: Callable[[Decimal], str] = str) -> str:
        """Why the month end due is not reconciled, in plain words (empty when it is)."""
        if self.is_reconciled or self.due is None:
            return ""
        if self.status == "missing":
            return f"no statement balance for {short_date(self.due)} was entered"
        statement = self.statement
        assert statement is not None
        return (f"the statement balance for {short_date(self.due)} ({money(statement.amount)}) does not match the "
                f"books ({money(statement.books_amount)})")

    def short_reason(self) -> str:
        """The reason in a few words, beside the month end due and its statement balance (empty when reconciled)."""
        if self.is_reconciled or self.due is None:
            return ""
        return "no statement balance entered" if self.status == "missing" else "the statement balance does not match"

    def sentence(self, money: Callable[[Decimal], str] = str) -> str:
        """``Assets:Bank:Savings: not reconciled since 30 Nov 2026 (no statement balance for 31 Dec 2026 ...)``."""
        words = self.words()
        reason = self.reason(money)
        return f"{self.account}: {words[:1].lower() + words[1:]}" + (f" ({reason})" if reason else "") + "."


def due_month_end(as_of: dt.date, today: dt.date | None) -> dt.date:
    """The last month end on or before ``as_of`` whose statement can exist by ``today`` (its next day)."""
    last = as_of if is_month_end(as_of) else as_of.replace(day=1) - ONE_DAY
    if today is not None:
        while last + ONE_DAY > today:
            last = last.replace(day=1) - ONE_DAY
    return last


def reconciled_through(books: "Books", account: str, as_of: dt.date, *, today: dt.date | None = None,
                       rules: ReconcileRules | None = None) -> Reconciled:
    """Through which month end ``account`` is reconciled as of ``as_of`` (a month end or any day).

    The month end due is the last on or before ``as_of`` whose statement can
    exist by ``today`` (``None``: any). ``through`` is the last month end on
    or before ``as_of`` whose statement balance matches, by ``month_status``:
    the same test the audit makes of every month end.
    """
    rules = rules or reconcile_rules(books.custom_entries)
    found = statements(books, account)
    through = None
    grace = dt.timedelta(days=rules.grace_days)
    candidates = {last for item in found
                  for last in month_ends(item.statement_date - grace, min(item.statement_date + grace, as_of))}
    for last in sorted(candidates, reverse=True):
        if month_status(books, account, last, rules, found=found).status == "reconciled":
            through = last
            break
    due: dt.date | None = due_month_end(as_of, today)
    if due is not None and not expected(books, account, due):
        due = None  # nothing to reconcile at that month end yet (no posting by then, or not open)
    if due is None:
        return Reconciled(account, through, None, "reconciled")
    status = month_status(books, account, due, rules, found=found)
    return Reconciled(account, through, due, status.status, status.statement)


def reconciliation(books: "Books", as_of: dt.date, *, today: dt.date | None = None,
                   rules: ReconcileRules | None = None) -> list[Reconciled]:
    """``reconciled_through`` for every account to reconcile on ``as_of``."""
    rules = rules or reconcile_rules(books.custom_entries)
    return [reconciled_through(books, account, as_of, today=today, rules=rules)
            for account in accounts_to_reconcile(books, as_of, rules)]
