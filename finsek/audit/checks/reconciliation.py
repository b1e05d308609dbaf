"""Bank reconciliation: each bank account has a balance from the bank statement at each month end.

A balance that does not match the books is Beancount's ``Balance failed`` error (see the ledger family);
this family finds the month ends with no balance at all, and keeps each month end's status for the
committee report.
"""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from finsek.audit.checks.context import AuditContext
from finsek.audit.findings import Finding
from finsek.core.dates import ONE_DAY, month_ends, month_name
from finsek.ledger import conventions as conv

#: What a month end's reconciliation can be.
STATUSES = ("reconciled", "mismatch", "missing")


class StatementBalance(NamedTuple):
    """The bank statement's balance a month end was compared with: a ``balance`` line of the books."""

    date: dt.date
    amount: Decimal
    currency: str
    filename: str | None = None
    lineno: int | None = None


class MonthReconciliation(NamedTuple):
    """One account at one month end: was it reconciled against the bank statement?"""

    account: str
    month_end: dt.date
    #: ``reconciled``, ``mismatch`` or ``missing``.
    status: str
    #: The statement's balance (None when ``missing``).
    assertion: StatementBalance | None = None
    #: The books' balance on the statement's day (None when ``missing``).
    books_amount: Decimal | None = None

    def to_dict(self) -> dict:
        statement = self.assertion
        return {
            "account": self.account,
            "month_end": self.month_end.isoformat(),
            "status": self.status,
            "assertion_date": statement.date.isoformat() if statement else None,
            "statement_balance": str(statement.amount) if statement else None,
            "books_balance": str(self.books_amount) if self.books_amount is not None else None,
            "statement_currency": statement.currency if statement else None,
            "statement_file": statement.filename if statement else None,
            "statement_line": statement.lineno if statement else None,
        }

    @classmethod
    def from_dict(cls, raw: dict) -> "MonthReconciliation":
        """The row ``to_dict`` gave."""
        statement = None
        if raw["assertion_date"] is not None:
            filename, lineno = raw["statement_file"], raw["statement_line"]
            if not isinstance(raw["statement_currency"], str) or not isinstance(raw["statement_balance"], str):
                raise TypeError("a statement balance has an amount and a currency")
            if filename is not None and not isinstance(filename, str):
                raise TypeError("a statement balance's file is a string")
            if lineno is not None and (isinstance(lineno, bool) or not isinstance(lineno, int)):
                raise TypeError("a statement balance's line is a number")
            statement = StatementBalance(dt.date.fromisoformat(raw["assertion_date"]),
                                         Decimal(raw["statement_balance"]), raw["statement_currency"], filename,
                                         lineno)
        books = raw["books_balance"]
        if not isinstance(raw["account"], str) or raw["status"] not in STATUSES:
            raise ValueError("a reconciliation row has an account and a known status")
        return cls(raw["account"], dt.date.fromisoformat(raw["month_end"]), raw["status"], statement,
                   None if books is None else Decimal(books))


def reconciliation_accounts(ctx: AuditContext) -> list[str]:
    prefixes = ctx.settings.reconcile_accounts
    return sorted(
        name for name in ctx.books.accounts
        if any(conv.account_matches(name, prefix) for prefix in prefixes) and name in ctx.books.account_series
    )


def reconciliation_status(ctx: AuditContext) -> list[MonthReconciliation]:
    """Each reconciled account at each month end of the period whose statement can exist by today."""
    rows = []
    grace = dt.timedelta(days=ctx.settings.reconcile_grace_days)
    for account in reconciliation_accounts(ctx):
        info = ctx.books.accounts[account]
        series = ctx.books.account_series[account]
        first_posting = series.dates[0] if series.dates else None
        assertions = ctx.books.assertions.get(account, [])
        for last in month_ends(ctx.start, ctx.end):
            statement_day = last + ONE_DAY
            if statement_day > ctx.today or info.opened > last or (info.closed and info.closed <= last):
                continue
            if first_posting is None or first_posting > last:
                continue
            near = [a for a in assertions if abs((a.date - statement_day).days) <= grace.days
                    and a.currency == ctx.currency]
            if not near:
                rows.append(MonthReconciliation(account, last, "missing"))
                continue
            assertion = min(near, key=lambda a: (abs((a.date - statement_day).days), a.date))
            books_amount = ctx.books.account_balance_before(account, assertion.date)
            tolerance = assertion.entry.tolerance if assertion.entry.tolerance is not None else Decimal("0.005")
            status = "reconciled" if abs(books_amount - assertion.amount) <= tolerance else "mismatch"
            meta = assertion.entry.meta or {}
            filename, lineno = meta.get("filename"), meta.get("lineno")
            statement = StatementBalance(assertion.date, assertion.amount, assertion.currency,
                                         None if filename is None else str(filename),
                                         lineno if isinstance(lineno, int) else None)
            rows.append(MonthReconciliation(account, last, status, statement, books_amount))
    return rows


def check_reconciliation(ctx: AuditContext) -> list[Finding]:
    """A month end without a balance from the bank statement (kept in ``ctx.reconciliation`` for the report)."""
    ctx.reconciliation = reconciliation_status(ctx)
    found = []
    for row in ctx.reconciliation:
        if row.status != "missing":
            continue  # a balance that does not match is Beancount's "Balance failed" error
        found.append(ctx.finding(
            "reconciliation", "unreconciled-month", "warning",
            f"{row.account} has no balance from the bank statement at the end of {month_name(row.month_end)}: "
            "the books were not reconciled with the bank for that month.",
            f"Enter the statement's closing balance: finsek balance --account {row.account} "
            f"--date {row.month_end.isoformat()} --amount AMOUNT (it is written as a balance line dated "
            f"{(row.month_end + ONE_DAY).isoformat()}).",
            date=row.month_end, edit=False,
        ))
    return found

