"""Stale checks: a check still outstanding, long after it was written, at a finished reconciliation.

A check that has not reached the bank months after it was written was lost,
never sent, or is waiting to be cashed after the payee's bank stops honouring
it: the books show money spent that may still be in the account. The audit
reads the items each account's latest finished reconciliation of the period
left outstanding (``custom "reconciled"``, ``finsek.ledger.reconciliations``)
and warns about each check older than ``stale-check-days`` (default 90) on the
statement date.
"""

from finsek.audit.checks.context import AuditContext
from finsek.audit.findings import Finding
from finsek.core.money import format_amount
from finsek.ledger.reconciliations import ReconciledRecord, records


def check_stale_checks(ctx: AuditContext) -> list[Finding]:
    """Each outstanding check older than ``stale-check-days`` at an account's last reconciliation of the period."""
    limit = ctx.settings.stale_check_days
    latest: dict[str, ReconciledRecord] = {}
    for record in records(ctx.books.custom_entries):
        if ctx.start <= record.statement_date <= ctx.end:
            latest[record.account] = record  # records come by statement date: the last one wins
    found = []
    for account, record in sorted(latest.items()):
        for item in record.items:
            age = (record.statement_date - item.date).days
            if item.amount >= 0 or not item.check or age <= limit:
                continue
            money = format_amount(-item.amount, item.currency, ctx.books.locale)
            payee = f" to {item.payee}" if item.payee else ""
            found.append(ctx.finding(
                "reconciliation", "stale-check", "warning",
                f"Check {item.check}{payee} for {money} from {account}, written {item.date.isoformat()}, was still "
                f"outstanding at the reconciliation of {record.statement_date.isoformat()}: {age} days, "
                f"more than {limit}.",
                "Ask the payee whether the check arrived. If it was lost, stop it at the bank and reverse the "
                "payment from the journal (then write a new check); if the payee will not cash it, reverse it. "
                "Many banks refuse a check older than six months.",
                date=item.date, filename=record.filename, lineno=record.lineno, edit=False,
            ))
    return found
