"""Future dates: no transaction or balance is dated after today (whatever the audit period)."""

from beancount.core import data

from finsek.audit.checks.context import AuditContext
from finsek.audit.findings import Finding
from finsek.ledger import conventions as conv


def check_future(ctx: AuditContext) -> list[Finding]:
    found = []
    for entry in reversed(ctx.books.entries):
        if entry.date <= ctx.today:
            break
        if not conv.is_from_file(entry):
            continue
        if isinstance(entry, data.Transaction) and entry.flag != "P":
            what = f"A {ctx.kind(entry)} is dated {entry.date.isoformat()}, after today"
        elif isinstance(entry, data.Balance):
            what = f"The balance of {entry.account} is asserted on {entry.date.isoformat()}, after today"
        else:
            continue
        found.append(ctx.finding(
            "future", "future-entry", "warning",
            f"{what}: money is recorded on the day it is received or paid.",
            "Correct the date to the day it happened (or remove the entry until it does).",
            entry, edit=False,
        ))
    found.reverse()
    return found
