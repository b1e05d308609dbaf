"""Clearing accounts of online giving: what a giving platform holds should leave for the bank.

A platform (PayPal, Stripe, …) pays its net gifts out to the bank every few
days; ``finsek import giving`` books the gifts into ``Assets:Clearing:…`` and
each payout out of it. At the end of the period such an account should hold
no more than the gifts of the last ``PAYOUT_DAYS`` days: more means a payout
that is missing from the books (or never reached the bank). Below zero means
a payout was booked that no gifts explain.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from finsek.audit.checks.context import AuditContext
from finsek.audit.findings import Finding

CLEARING_ROOT = "Assets:Clearing"
#: The longest a platform usually holds gifts before paying them out (Stripe 2–7 days, PayPal on request).
PAYOUT_DAYS = 14
ZERO = Decimal(0)


def check_clearing(ctx: AuditContext) -> list[Finding]:
    balances: dict[str, Decimal] = defaultdict(Decimal)
    recent: dict[str, Decimal] = defaultdict(Decimal)
    last_entry: dict[str, object] = {}
    window = ctx.end - dt.timedelta(days=PAYOUT_DAYS)
    for entry in ctx.transactions:
        if entry.date > ctx.end:
            continue
        for posting in entry.postings:
            units = posting.units
            if not _is_clearing(posting.account) or units is None or units.currency != ctx.currency:
                continue
            balances[posting.account] += units.number
            last_entry[posting.account] = entry
            if units.number > 0 and entry.date > window:
                recent[posting.account] += units.number
    found = []
    for account, balance in sorted(balances.items()):
        if balance < ZERO:
            found.append(ctx.finding(
                "clearing", "clearing-below-zero", "warning",
                f"{account} is {ctx.money(balance)} on {ctx.end.isoformat()}: more was paid out than the gifts "
                "booked into it.",
                "Import the platform's gifts for those days, or correct the payout's amount.",
                last_entry[account], edit=False,
            ))
        elif balance > recent[account]:
            found.append(ctx.finding(
                "clearing", "clearing-not-emptied", "warning",
                f"{account} holds {ctx.money(balance)} on {ctx.end.isoformat()}, more than the gifts of the last "
                f"{PAYOUT_DAYS} days ({ctx.money(recent[account])}): a payout is missing from the books.",
                "Import the platform's payouts (its export lists them) and check that each reached the bank.",
                last_entry[account], edit=False,
            ))
    return found


def _is_clearing(account: str) -> bool:
    return account == CLEARING_ROOT or account.startswith(CLEARING_ROOT + ":")
