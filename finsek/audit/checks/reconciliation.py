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
from finsek.ledger.reconciled import STATUSES as RECONCILE_STATUSES
from finsek.ledger.reconciled import ReconcileRules, expected, month_status, statements

#: What a month end's reconciliation can be (``finsek.ledger.reconciled.STATUSES``).
STATUSES = RECONCILE_STATUSES


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


def reconciliation_rules(ctx: AuditContext) -> ReconcileRules:
    """The audit's settings as the rules of ``finsek.ledger.reconciled`` (the same lines, read the same way)."""
    return ReconcileRules(ctx.settings.reconcile_accounts, ctx.settings.reconcile_grace_days)


def reconciliation_accounts(ctx: AuditContext) -> list[str]:
    prefixes = ctx.settings.reconcile_accounts
    return sorted(
        name for name in ctx.books.accounts
        if any(conv.account_matches(name, prefix) for prefix in prefixes) and name in ctx.books.account_series
    )


def reconciliation_status(ctx: AuditContext) -> list[MonthReconciliation]:
    """Each reconciled account at each month end of the period whose statement can exist by today.

    Each month end's status is ``finsek.ledger.reconciled.month_status``: the one meaning of
    "reconciled" the board report and the home screen use too.
    """
    rows = []
    rules = reconciliation_rules(ctx)
    for account in reconciliation_accounts(ctx):
        found = None
        for last in month_ends(ctx.start, ctx.end):
            if last + ONE_DAY > ctx.today or not expected(ctx.books, account, last):
                continue
            if found is None:
                found = statements(ctx.books, account)
            status = month_status(ctx.books, account, last, rules, found=found)
            statement = status.statement
            if statement is None:
                rows.append(MonthReconciliation(account, last, "missing"))
                continue
            line_day = statement.line_date or statement.statement_date + ONE_DAY
            rows.append(MonthReconciliation(
                account, last, status.status,
                StatementBalance(line_day, statement.amount, statement.currency, statement.filename,
                                 statement.lineno),
                statement.books_amount,
            ))
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

