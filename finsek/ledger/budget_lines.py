"""Budget lines the treasurer reads and sets: the table with last year's actual, and the lines to write.

One module for both faces (``finsek budget show|set|copy`` and the app's
budget screen):

- :func:`budget_table` lists every budget line in effect during a period
  (a fiscal year or a month), each with its budget for the period, its
  annual equivalent and the actual of the same period a year earlier: the
  actual of the line's fund on its account and the accounts below it
  (exact, integer sums of the posting columns).
- :func:`set_draft` and :func:`copy_drafts` make the ``custom "budget"``
  lines to append (Fava's directive, with ``fund:``), for ``Ledger.save`` and
  ``Ledger.save_many``. Nothing is ever edited: a later line replaces an
  earlier one for the same account and fund (``ledger/budgets.py``; Fava
  reads it the same way per account), so changing a line's amount is
  appending a line with the same date.

Lines are written where the budgets live: beside an existing line of the same
date, account and fund if there is one, else in the file that holds the most
budget lines (of two, the one with the latest), else ``accounts.beancount`` (the template's file for open
directives, funds, settings and budgets), else the file of the fund registry,
else the main file. Lines are dated the first of a month (finsek counts
budgets by month; Fava by day: the first of the month keeps them agreeing).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

import numpy as np
from beancount.core import data

from finsek.core.dates import add_months, fiscal_year, fiscal_year_label, month_name
from finsek.core.errors import Refused
from finsek.core.money import format_amount, ledger_number, parse_amount, quantum
from finsek.core.text import check_text, printable, quote
from finsek.ledger import conventions as conv
from finsek.ledger.books import Books
from finsek.ledger.budgets import PERIODS, Budget, BudgetBook, month_index, month_start, parse_budgets
from finsek.ledger.entries import Draft
from finsek.ledger.template import ACCOUNTS_FILE

#: The periods a treasurer sets (Fava's ``weekly`` and ``daily`` are read, shown and copied, not offered).
SET_PERIODS = ("monthly", "quarterly", "yearly")
BUDGET_ROOTS = ("Income", "Expenses")
ZERO = Decimal(0)
_EPOCH = dt.date(1970, 1, 1).toordinal()


class BudgetLine(NamedTuple):
    """One ``custom "budget"`` line in effect during the period of a table."""

    account: str
    fund: str
    period: str
    amount: Decimal  # as finsek reads it: expected income positive
    currency: str
    start: dt.date  # the first day it is in effect (the first of its month)
    end: dt.date | None  # the last day before a later line replaces it; None: still in effect
    budget: Decimal  # its budget for the table's period
    annual: Decimal  # twelve months of it from its start
    last_year: Decimal  # the same period a year earlier: the fund's actual on the account and below, budget's sign
    file: str
    lineno: int

    @property
    def key(self) -> tuple[str, str]:
        return self.account, self.fund


class BudgetTable(NamedTuple):
    start: dt.date
    end: dt.date
    label: str  # "2026", "2026–27", "March 2026"
    last_label: str
    currency: str
    lines: list[BudgetLine]
    problems: list[str]  # budget directives finsek could not read, in words

    def total(self, root: str, field: str = "budget") -> Decimal:
        return sum((getattr(line, field) for line in self.lines if conv.account_matches(line.account, root)), ZERO)


class _Read(NamedTuple):
    budget: Budget
    entry: data.Custom


# -- reading ---------------------------------------------------------------


def _read(books: Books) -> tuple[list[_Read], list[str]]:
    customs = books.custom_entries
    budgets, problems = parse_budgets(customs, books.default_fund, books.currency)
    words = [f"{problem.date.isoformat()}: {problem.message}" for problem in problems]
    return [_Read(budget, customs[budget.order]) for budget in budgets], words


def _by_key(read: Iterable[_Read]) -> dict[tuple[str, str], list[_Read]]:
    """Lines by (account, fund), in the order finsek applies them (month, then ledger order)."""
    keyed: dict[tuple[str, str], list[_Read]] = defaultdict(list)
    for item in read:
        keyed[(item.budget.account, item.budget.fund)].append(item)
    return {key: sorted(items, key=lambda item: (month_index(item.budget.date), item.budget.order))
            for key, items in keyed.items()}


def _spans(items: list[_Read]) -> list[tuple[_Read, int, int | None]]:
    """Each line with its first and last month index in effect (None: open); lines never in effect left out."""
    spans = []
    for number, item in enumerate(items):
        first = month_index(item.budget.date)
        following = items[number + 1] if number + 1 < len(items) else None
        last = None if following is None else month_index(following.budget.date) - 1
        if last is None or last >= first:
            spans.append((item, first, last))
    return spans


def fiscal_bounds(books: Books, year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the fiscal year that starts in ``year``."""
    return fiscal_year(dt.date(year, books.settings.fiscal_year_start, 1), books.settings.fiscal_year_start)


def fiscal_year_of(books: Books, day: dt.date) -> int:
    return fiscal_year(day, books.settings.fiscal_year_start)[0].year


def actuals(
    books: Books, keys: Iterable[tuple[str, str]], start: dt.date, end: dt.date
) -> dict[tuple[str, str], Decimal]:
    """The actual of each (account, fund) from ``start`` to ``end``: that fund's postings on the account and
    the accounts below it, in the budget's sign (income positive), exact."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    columns = books.posting_columns()
    days = np.repeat(columns.days, columns.counts.astype(np.int64))
    in_range = (days >= start.toordinal() - _EPOCH) & (days <= end.toordinal() - _EPOCH)
    account_codes, fund_codes = columns.codes["account"], columns.codes["fund"]
    account_names, fund_names = columns.tables["account"], columns.tables["fund"]
    fund_code = {name: code for code, name in enumerate(fund_names)}
    found = {}
    for account, fund in keys:
        total = 0
        if fund in fund_code:
            matching = [code for code, name in enumerate(account_names) if conv.account_matches(name, account)]
            mask = in_range & (fund_codes == fund_code[fund]) & np.isin(account_codes, matching)
            total = int(columns.units[mask].sum())
        amount = Decimal(total).scaleb(-columns.places)
        found[(account, fund)] = -amount if account.split(":", 1)[0] == "Income" else amount
    return found


def budget_table(books: Books, start: dt.date, end: dt.date, label: str = "", last_label: str = "") -> BudgetTable:
    """Every budget line in effect between ``start`` and ``end`` (whole months), by fund and account."""
    read, problems = _read(books)
    book = BudgetBook([item.budget for item in read], books.currency)
    first, last = month_index(start), month_index(end)
    chosen = []
    for key, items in _by_key(read).items():
        for item, line_first, line_last in _spans(items):
            if line_first > last or (line_last is not None and line_last < first):
                continue
            begin = max(first, line_first)
            finish = last if line_last is None else min(last, line_last)
            budget = book.between(*key, month_start(begin), month_start(finish + 1) - dt.timedelta(days=1))
            chosen.append((key, item, line_first, line_last, budget))
    last_start = _year_before(start)
    last_end = _year_before(month_start(last + 1)) - dt.timedelta(days=1)
    before = actuals(books, [key for key, *_ in chosen], last_start, last_end)
    lines = []
    for key, item, line_first, line_last, budget in chosen:
        line_start = month_start(line_first)
        alone = BudgetBook([item.budget._replace(date=line_start)], books.currency)
        lines.append(BudgetLine(
            key[0], key[1], item.budget.period, item.budget.amount, item.budget.currency, line_start,
            None if line_last is None else month_start(line_last + 1) - dt.timedelta(days=1),
            budget, alone.between(*key, line_start, add_months(line_start, 12) - dt.timedelta(days=1)), before[key],
            str(item.entry.meta.get("filename", "")), int(item.entry.meta.get("lineno", 0)),
        ))
    lines.sort(key=lambda line: (line.fund != books.default_fund, line.fund, not line.account.startswith("Income"),
                                 line.account, line.start))
    return BudgetTable(start, end, label, last_label, books.currency, lines, problems)


def _year_before(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1, day=1)


def year_table(books: Books, year: int) -> BudgetTable:
    """The lines in effect in the fiscal year starting in ``year``, with the year before's actuals."""
    start, end = fiscal_bounds(books, year)
    return budget_table(books, start, end, fiscal_year_label(start), fiscal_year_label(_year_before(start)))


def month_table(books: Books, month: dt.date) -> BudgetTable:
    """The lines in effect in one month, with the same month a year earlier."""
    first = month.replace(day=1)
    end = add_months(first, 1) - dt.timedelta(days=1)
    earlier = _year_before(first)
    return budget_table(books, first, end, month_name(first), month_name(earlier))


# -- writing ---------------------------------------------------------------


class BudgetChange(NamedTuple):
    """A budget line to write, before it becomes text."""

    account: str
    fund: str
    period: str
    amount: Decimal  # as written (an Income line keeps the sign its ledger uses)
    start: dt.date


def budget_account(books: Books, text: str, day: dt.date) -> str:
    """The Income or Expenses account typed, open on ``day``, or a refusal that says what to type."""
    account = check_text(text, "account", required=True)
    info = books.accounts.get(account)
    if info is None:
        close = [name for name in books.accounts if name.casefold() == account.casefold()]
        hint = (f" Did you mean {close[0]}?" if close
                else " Type the account's full name as the ledger has it, such as Expenses:Facilities:Utilities.")
        raise Refused(f"There is no account {printable(account)} in the books.{hint}", "account")
    if account.split(":", 1)[0] not in BUDGET_ROOTS:
        raise Refused(f"{account} is not an Income or Expenses account: budgets are set on income and expenses.",
                      "account")
    if day < info.opened:
        raise Refused(f"{account} opens on {info.opened.isoformat()}: a budget for it can start on "
                      f"{_first_from(info.opened).isoformat()} at the earliest.", "account")
    if info.closed is not None and day >= info.closed:
        raise Refused(f"{account} was closed on {info.closed.isoformat()}: choose an open account.", "account")
    return account


def _first_from(day: dt.date) -> dt.date:
    """The first first-of-a-month on or after ``day``."""
    return day if day.day == 1 else add_months(day.replace(day=1), 1)


def budget_fund(books: Books, text: str | None) -> str:
    """The registered fund typed (in any case), or the default fund when none is typed."""
    typed = check_text(text or "", "fund")
    if not typed:
        return books.default_fund
    names = list(books.funds) or [books.default_fund]
    for name in names:
        if name.casefold() == typed.casefold():
            return name
    known = ", ".join(names)
    raise Refused(f"There is no fund '{printable(typed)}' in the books: use one of {known}.", "fund")


def budget_amount(books: Books, text: str | Decimal) -> Decimal:
    """A plain positive amount in the ledger's currency (as the ledger's locale types it)."""
    return parse_amount(text, books.currency, books.locale, field="amount")


def budget_start(books: Books, day: dt.date) -> dt.date:
    """``day`` when it is the first of a month after any close; else a refusal saying which day to use."""
    if day.day != 1:
        raise Refused(f"A budget starts on the first of a month (finsek and Fava count budgets by month): "
                      f"use {day.replace(day=1).isoformat()} or {add_months(day.replace(day=1), 1).isoformat()}.",
                      "date")
    closed = books.closed_through
    if closed is not None and day <= closed:
        after = _first_from(closed + dt.timedelta(days=1))
        raise Refused(f"The books are closed through {closed.isoformat()}, so a budget line dated "
                      f"{day.isoformat()} would change a closed period: start it on {after.isoformat()} or later.",
                      "date")
    return day


def _target_file(books: Books, account: str, fund: str, day: dt.date, read: list[_Read]) -> Path:
    """Where a new line goes (see the module's docstring)."""
    files = {Path(path).resolve(): Path(path) for path in books.files if Path(path).suffix == ".beancount"}

    def known(name: object) -> Path | None:
        return files.get(Path(str(name)).resolve()) if name else None

    for item in reversed(read):
        same = (item.budget.account, item.budget.fund, item.budget.date) == (account, fund, day)
        if same and (found := known(item.entry.meta.get("filename"))):
            return found
    counts: dict[Path, tuple[int, int]] = {}  # file: (budget lines in it, the ledger position of its last one)
    for item in read:
        if found := known(item.entry.meta.get("filename")):
            count, _ = counts.get(found, (0, 0))
            counts[found] = (count + 1, item.budget.order)
    if counts:
        return max(counts, key=lambda path: counts[path])
    if found := known(books.root / ACCOUNTS_FILE):
        return found
    for entry in books.custom_entries:
        if entry.type in ("fund", "finsek") and (found := known(entry.meta.get("filename"))):
            return found
    return books.main


def _text(books: Books, change: BudgetChange) -> str:
    return (f'{change.start.isoformat()} custom "budget" {change.account} "{change.period}" '
            f"{ledger_number(change.amount, books.currency)} {books.currency}\n"
            f"  {conv.FUND_KEY}: {quote(change.fund)}\n")


def _summary(books: Books, change: BudgetChange) -> str:
    amount = format_amount(abs(change.amount), books.currency, books.locale)
    return f"budget of {amount} {change.period} for {change.account} ({change.fund}) from {change.start.isoformat()}"


def draft_of(books: Books, change: BudgetChange, read: list[_Read] | None = None) -> Draft:
    read = _read(books)[0] if read is None else read
    target = _target_file(books, change.account, change.fund, change.start, read)
    return Draft("budget", change.start, _text(books, change), _summary(books, change), file=target)


def _replaced(read: list[_Read], account: str, fund: str, day: dt.date) -> _Read | None:
    """The line in effect for (account, fund) in ``day``'s month before anything is written, if any."""
    items = _by_key(read).get((account, fund), [])
    found = None
    for item in items:
        if month_index(item.budget.date) <= month_index(day):
            found = item
    return found


def _written_sign(item: _Read | None) -> int:
    """-1 when the line being replaced is an Income line written with Fava's negative sign; else 1."""
    if item is None:
        return 1
    amount = conv.custom_values(item.entry)[2]
    return -1 if item.budget.account.startswith("Income") and amount.number < 0 else 1


def set_draft(
    books: Books, account: str, amount: str | Decimal, *, fund: str | None = None, period: str = "monthly",
    start: dt.date,
) -> Draft:
    """The line that sets ``account``'s budget in ``fund`` from ``start``: checked, placed, ready to save."""
    period = (period or "").strip().lower()
    if period not in PERIODS:
        raise Refused(f"'{printable(period)}' is not a budget period: use {', '.join(SET_PERIODS)}.", "period")
    start = budget_start(books, start)
    name = budget_account(books, account, start)
    fund_name = budget_fund(books, fund)
    number = budget_amount(books, amount)
    read, _ = _read(books)
    sign = _written_sign(_replaced(read, name, fund_name, start))
    return draft_of(books, BudgetChange(name, fund_name, period, sign * number, start), read)


def edit_start(books: Books, table: BudgetTable, line: BudgetLine) -> dt.date:
    """Where a new amount for ``line`` of ``table`` starts (the app's edit): the line's start; the start of the
    fiscal year shown when the line began in an earlier year (so the years before keep their budget); the
    first month after a close when that is later (a closed month's budget cannot change)."""
    shown, year_end = fiscal_year(table.start, books.settings.fiscal_year_start)
    start = max(line.start, shown)
    closed = books.closed_through
    if closed is not None and start <= closed:
        start = _first_from(closed + dt.timedelta(days=1))
        if start > year_end or (line.end is not None and start > line.end):
            raise Refused(f"The books are closed through {closed.isoformat()}: this line's months are all closed, "
                          "so its budget can no longer change.", "date")
    return start


def edit_draft(books: Books, table: BudgetTable, line: BudgetLine, amount: str | Decimal) -> Draft:
    """A new amount for ``line`` of ``table``: the same account, fund and period, from ``edit_start``."""
    start = edit_start(books, table, line)
    return set_draft(books, line.account, amount, fund=line.fund, period=line.period, start=start)


def parse_change(text: str) -> Decimal:
    """``3%``, ``3``, ``-2.5%`` as a percentage; a refusal for anything else."""
    raw = (text or "").strip()
    number = raw[:-1].strip() if raw.endswith("%") else raw
    try:
        if not number or any(not (char.isascii() and (char.isdigit() or char in "+-.")) for char in number):
            raise InvalidOperation
        value = Decimal(number)
    except InvalidOperation:
        raise Refused(f"'{printable(raw)}' is not a percentage: type it as 3% or -2.5%.", "change") from None
    if not value.is_finite() or value <= -100 or value > 1000:
        raise Refused(f"A change of {printable(raw)} would leave no budget: type a change above -100% "
                      "(and at most 1000%).", "change")
    return value


def changed_amount(amount: Decimal, percent: Decimal, currency: str) -> Decimal:
    """``amount`` changed by ``percent``, rounded to the currency's smallest unit, half to even."""
    return (amount * (100 + percent) / 100).quantize(quantum(currency), rounding=ROUND_HALF_EVEN)


class CopyPlan(NamedTuple):
    drafts: list[Draft]
    changes: list[BudgetChange]
    notes: list[str]  # what was left out, and why


def copy_drafts(
    books: Books, from_year: int, to_year: int, percent: Decimal = ZERO, *, replace: bool = False
) -> CopyPlan:
    """Next year's lines from this year's: the line of each account and fund in effect at the end of
    ``from_year``, dated the start of ``to_year``, its amount changed by ``percent`` (half to even)."""
    if to_year <= from_year:
        raise Refused(f"Copy budgets forward: the year to copy to ({to_year}) must come after {from_year}.", "year")
    from_start, from_end = fiscal_bounds(books, from_year)
    to_start, to_end = fiscal_bounds(books, to_year)
    budget_start(books, to_start)
    read, _ = _read(books)
    keyed = _by_key(read)
    existing = [item for item in read if to_start <= item.budget.date <= to_end]
    if existing and not replace:
        label = fiscal_year_label(to_start)
        raise Refused(f"{label} already has {len(existing)} budget line{'s' if len(existing) != 1 else ''} "
                      f"(the first: {existing[0].budget.account}, {existing[0].budget.fund}): add --replace to "
                      "write the copy over them, or change single lines with finsek budget set.", "year")
    changes, notes = [], []
    last_month = month_index(from_end)
    for (account, fund), items in sorted(keyed.items()):
        source = None
        for item in items:
            if month_index(item.budget.date) <= last_month:
                source = item
        if source is None:
            continue
        info = books.accounts.get(account)
        if info is None or info.opened > to_start or (info.closed is not None and info.closed <= to_start):
            notes.append(f"{account} ({fund}) left out: the account is not open on {to_start.isoformat()}.")
            continue
        if books.funds and fund not in books.funds:
            notes.append(f"{account} ({fund}) left out: the fund {fund} is not in the fund registry.")
            continue
        written = conv.custom_values(source.entry)[2].number
        amount = changed_amount(written, percent, books.currency)
        if amount == 0:
            notes.append(f"{account} ({fund}) left out: {written} changed by {percent}% rounds to zero.")
            continue
        later = {item.budget.date.replace(day=1) for item in items if to_start < item.budget.date <= to_end}
        dates = [to_start, *sorted(later)]
        for day in dates:
            changes.append(BudgetChange(account, fund, source.budget.period, amount, day))
    if not changes:
        raise Refused(f"There are no budget lines in effect in {fiscal_year_label(from_start)} to copy: set them "
                      "with finsek budget set first.", "year")
    kept = sorted({(item.budget.account, item.budget.fund) for item in existing}
                  - {(change.account, change.fund) for change in changes})
    notes += [f"{account} ({fund}) keeps its {fiscal_year_label(to_start)} line: it has no line to copy."
              for account, fund in kept]
    return CopyPlan([draft_of(books, change, read) for change in changes], changes, notes)
