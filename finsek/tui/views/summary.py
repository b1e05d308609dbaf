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
    reconciled_through: dt.date | None
    statement: Decimal | None


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
    lines = []
    for account in books.bank_accounts(today):
        last = books.last_assertion(account)
        through = last.date - dt.timedelta(days=1) if last else None
        lines.append(BankLine(account, books.account_balance(account, today), through, last.amount if last else None))
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
