"""Fund balances: no fund goes below zero on any day; money spent or moved out of a restricted fund is
released by someone.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from finsek.audit.checks.context import ZERO, AuditContext, meta_value
from finsek.audit.findings import Finding
from finsek.core.dates import ONE_DAY
from finsek.ledger import conventions as conv


def _fund_title(ctx: AuditContext, fund: str) -> str:
    registered = ctx.books.funds.get(fund)
    return registered.title if registered else f"fund {fund}"


def check_funds(ctx: AuditContext) -> list[Finding]:
    found = []
    default = ctx.books.default_fund
    balances: dict[str, Decimal] = defaultdict(Decimal)
    below: dict[str, tuple] = {}  # fund: (since, entry that took it below, lowest, lowest day)
    stretches: list[tuple] = []
    day = None
    touched: dict[str, object] = {}

    def end_of_day(current: dt.date) -> None:
        for fund, entry in touched.items():
            balance = balances[fund]
            if balance < 0:
                if fund not in below:
                    below[fund] = (current, entry, balance, current)
                elif balance < below[fund][2]:
                    since, first, _, _ = below[fund]
                    below[fund] = (since, first, balance, current)
            elif fund in below:
                since, first, lowest, lowest_day = below.pop(fund)
                stretches.append((fund, since, current - ONE_DAY, first, lowest, lowest_day, False))
        touched.clear()

    for entry in ctx.transactions:
        if day is not None and entry.date != day:
            end_of_day(day)
        day = entry.date
        for posting in entry.postings:
            units = posting.units
            if units is None or units.number is None or units.currency != ctx.currency:
                continue
            if not conv.needs_fund(posting.account):
                continue
            fund = conv.posting_fund(entry, posting, default)
            balances[fund] -= units.number
            if units.number > 0 or fund not in touched:
                touched[fund] = entry
    if day is not None:
        end_of_day(day)
    for fund, (since, first, lowest, lowest_day) in below.items():
        stretches.append((fund, since, None, first, lowest, lowest_day, True))
    for fund, since, until, first, lowest, lowest_day, ongoing in sorted(stretches, key=lambda s: (s[1], s[0])):
        if since > ctx.end or (until is not None and until < ctx.start):
            continue
        klass = ctx.books.fund_class(fund)
        title = _fund_title(ctx, fund)
        lowest_text = f"lowest {ctx.money(lowest)} on {lowest_day.isoformat()}"
        span = (f"has been below zero since {since.isoformat()} ({lowest_text})" if ongoing
                else f"was below zero from {since.isoformat()} to {until.isoformat()} ({lowest_text})")
        if klass == "restricted":
            message = f"The {title} (restricted) {span}: money was spent that donors had not given for it."
            severity = "error"
        else:
            message = f"The {title} ({klass}) {span}: it spent more than it had."
            approved = meta_value(first, conv.OVERDRAFT_APPROVED_BY_KEY)
            if approved:
                message += f" {approved} approved that (overdraft-approved-by)."
            severity = "warning"
        found.append(ctx.finding(
            "funds", "fund-negative", severity, message,
            "Check the entries that day: a payment charged to the wrong fund is corrected with a new entry; "
            "if the fund really overspent, the board approves a transfer from the general fund "
            "(finsek transfer).",
            first, date=since,
        ))
    found.extend(_restricted(ctx))
    return found


def _restricted(ctx: AuditContext) -> list[Finding]:
    found = []
    default = ctx.books.default_fund
    expense_by_link: dict[str, Decimal] = defaultdict(Decimal)
    for entry in ctx.transactions:
        if not entry.links:
            continue
        spent = sum(
            (p.units.number for p in entry.postings
             if p.account.startswith("Expenses:") and p.units is not None and p.units.number is not None
             and p.units.currency == ctx.currency and p.units.number > 0
             and ctx.books.fund_class(conv.posting_fund(entry, p, default)) != "restricted"),
            ZERO,
        )
        if spent:
            for link in entry.links:
                expense_by_link[link] += spent
    for entry in ctx.transactions:
        if not ctx.in_period(entry):
            continue
        approved = meta_value(entry, conv.APPROVED_BY_KEY)
        spent: dict[str, Decimal] = defaultdict(Decimal)
        moved_out: dict[str, Decimal] = defaultdict(Decimal)
        moved_in: set[str] = set()
        for posting in entry.postings:
            units = posting.units
            if units is None or units.number is None or units.currency != ctx.currency:
                continue
            fund = conv.posting_fund(entry, posting, default)
            klass = ctx.books.fund_class(fund)
            if posting.account.startswith("Expenses:") and units.number > 0 and klass == "restricted":
                spent[fund] += units.number
            elif posting.account.startswith("Equity:") and "Opening" not in posting.account:
                if units.number > 0 and klass == "restricted":
                    moved_out[fund] += units.number
                elif units.number < 0 and klass != "restricted":
                    moved_in.add(fund)
        if spent and not approved:
            for fund, amount in spent.items():
                found.append(ctx.finding(
                    "funds", "restricted-spending", "warning",
                    f"{ctx.money(amount)} of the {_fund_title(ctx, fund)} (restricted) was spent on "
                    f"{entry.date.isoformat()} without saying who released it for this purpose.",
                    "Add approved-by: \"NAME\" with who released the restricted money (the board, the deacons, "
                    "the committee the donors' restriction names).",
                    entry,
                ))
        if moved_out and moved_in:
            covered = sum((expense_by_link[link] for link in entry.links or ()), ZERO)
            for fund, amount in moved_out.items():
                if covered >= amount:
                    continue
                found.append(ctx.finding(
                    "funds", "restricted-release", "warning",
                    f"{ctx.money(amount)} was moved out of the {_fund_title(ctx, fund)} (restricted) into an "
                    f"unrestricted fund on {entry.date.isoformat()} without matching payments: donors' "
                    "restrictions cannot be lifted by a transfer.",
                    "A release pays back the general fund for payments made from it for the restricted purpose: "
                    "give the transfer and those payments the same ^link, or reverse the transfer.",
                    entry,
                ))
    return found
