"""Bank reconciliation: each bank account has a balance from the bank statement at each month end.

A balance that does not match the books is Beancount's ``Balance failed`` error (see the ledger family);
this family finds the month ends with no balance at all, and keeps each month end's status for the
committee report.
"""

import datetime as dt
from decimal import Decimal

from finsek.audit.checks.context import AuditContext
from finsek.audit.findings import Finding
from finsek.core.dates import ONE_DAY, month_ends, month_name
from finsek.ledger import conventions as conv


class MonthReconciliation:
    """One account at one month end: was it reconciled against the bank statement?"""

    __slots__ = ("account", "assertion", "books_amount", "month_end", "status")

    def __init__(self, account: str, month_end: dt.date, status: str, assertion=None, books_amount=None):
        self.account = account
        self.month_end = month_end
        #: ``reconciled``, ``mismatch`` or ``missing``.
        self.status = status
        self.assertion = assertion
        self.books_amount = books_amount

    def to_dict(self) -> dict:
        return {
            "account": self.account,
            "month_end": self.month_end.isoformat(),
            "status": self.status,
            "assertion_date": self.assertion.date.isoformat() if self.assertion else None,
            "statement_balance": str(self.assertion.amount) if self.assertion else None,
            "books_balance": str(self.books_amount) if self.books_amount is not None else None,
        }


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
            rows.append(MonthReconciliation(account, last, status, assertion, books_amount))
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

