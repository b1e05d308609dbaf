"""Numbers the home screen shows, computed from the books (no Textual).

This month's income and expenses come from the books' balance index; the
budget for the month from the ledger layer's ``BudgetBook`` (Fava's
``custom "budget"`` directives, spread exactly).
"""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from finsek.core.dates import fiscal_year_label, fiscal_year_start, month_end
from finsek.ledger import conventions as conv
from finsek.ledger.books import Books
from finsek.ledger.budgets import BudgetBook
from finsek.ledger.reconciled import Reconciled, month_status, reconcile_rules, reconciled_through, short_date

ZERO = Decimal(0)


class MonthFigures(NamedTuple):
    first: dt.date
    last: dt.date
    income: Decimal
    expenses: Decimal
    income_budget: Decimal | None
    expenses_budget: Decimal | None


class BankLine(NamedTuple):
    account: str
    balance: Decimal
    #: The last month end whose statement balance matches (``finsek.ledger.reconciled``); None: never.
    reconciled_through: dt.date | None
    #: That month end's statement balance.
    statement: Decimal | None
    #: The whole answer: is the month end due reconciled, and if not, since when not and why.
    reconciled: Reconciled | None = None

    def reconciled_words(self) -> str:
        """``through 30 Nov 2026`` when the month end due is reconciled; else ``not since 31 Oct 2026`` or ``never``.

        ``—`` when the account has no month end to reconcile yet.
        """
        state = self.reconciled
        through = state.through if state is not None else self.reconciled_through
        if state is not None and state.is_reconciled:
            return f"through {short_date(through)}" if through else "—"
        return f"not since {short_date(through)}" if through else "never"


class FundLine(NamedTuple):
    name: str
    title: str
    klass: str
    balance: Decimal


def month_budget(books: Books, root: str, first: dt.date, book: BudgetBook | None = None) -> Decimal | None:
    """The budget for ``root`` (Income or Expenses) in the month starting ``first``; None without budgets."""
    book = book or BudgetBook.from_entries(books.custom_entries, books.default_fund, books.currency)
    pairs = book.pairs() if hasattr(book, "pairs") else book.keys()
    keys = [key for key in pairs if conv.account_matches(key[0], root)]
    if not keys:
        return None
    return sum((book.month_amount(account, fund, first) for account, fund in keys), ZERO)


def month_figures(books: Books, today: dt.date) -> MonthFigures:
    first = today.replace(day=1)
    last = month_end(today)
    income = -(books.account_balance("Income", last) - books.account_balance_before("Income", first))
    expenses = books.account_balance("Expenses", last) - books.account_balance_before("Expenses", first)
    book = BudgetBook.from_entries(books.custom_entries, books.default_fund, books.currency)
    return MonthFigures(
        first, last, income, expenses,
        month_budget(books, "Income", first, book), month_budget(books, "Expenses", first, book),
    )


def bank_lines(books: Books, today: dt.date) -> list[BankLine]:
    """Each bank and cash account's balance today and through which month end it is reconciled.

    "Reconciled" is ``finsek.ledger.reconciled.reconciled_through``: the rule the board report and the
    audit use, so the three never disagree.
    """
    lines = []
    rules = reconcile_rules(books.custom_entries)
    for account in books.bank_accounts(today):
        state = reconciled_through(books, account, today, today=today, rules=rules)
        through = state.through
        statement = None
        if through is not None:
            matched = month_status(books, account, through, rules).statement
            statement = matched.amount if matched else None
        lines.append(BankLine(account, books.account_balance(account, today), through, statement, state))
    return lines


def fund_lines(books: Books, today: dt.date) -> list[FundLine]:
    lines = []
    for name, balance in books.fund_balances(today).items():
        fund = books.funds.get(name)
        lines.append(FundLine(name, fund.title if fund else name, books.fund_class(name), balance))
    return lines


def recent_transactions(books: Books, count: int = 8) -> list[data.Transaction]:
    return books.recent_transactions(count)


def fiscal_year(books: Books, today: dt.date) -> str:
    return fiscal_year_label(fiscal_year_start(today, books.settings.fiscal_year_start))
