"""Offering counts: each counted offering names two different counters, and the counted total matches the
gifts entered.
"""

from decimal import Decimal

from finsek.audit.checks.context import ZERO, AuditContext, inflow, outflow, split_names
from finsek.audit.entry_kinds import is_offering
from finsek.audit.findings import Finding
from finsek.core.text import person_key
from finsek.ledger import conventions as conv

#: The total on the signed count sheet, written on the offering's entry.
COUNTED_TOTAL_KEY = "counted-total"


def check_offerings(ctx: AuditContext) -> list[Finding]:
    found = []
    for entry in ctx.transactions:
        if not ctx.in_period(entry) or not is_offering(entry):
            continue
        deposit = inflow(entry, ctx.currency) - outflow(entry, ctx.currency)
        what = f"The offering of {ctx.money(deposit)} on {entry.date.isoformat()}"
        counters = split_names((entry.meta or {}).get(conv.COUNTED_BY_KEY))
        distinct = {person_key(name) for name in counters}  # the write path's rule (validate._check_counters)
        if not counters:
            found.append(ctx.finding(
                "offerings", "offering-counters", "warning",
                f"{what} does not say who counted it (no counted-by).",
                'Add both counters\' names from the signed count sheet: counted-by: "A. Svensson, B. Jones".',
                entry,
            ))
        elif len(distinct) < 2:
            found.append(ctx.finding(
                "offerings", "offering-counters", "warning",
                f"{what} was counted by one person only: an offering is counted by two people who are not "
                "related, together.",
                "Name the second counter from the signed count sheet in counted-by; if there was none, tell the "
                "finance committee and have the next offerings counted by two people.",
                entry,
            ))
        gifts = ZERO
        other = ZERO
        for posting in entry.postings:
            units = posting.units
            if units is None or units.number is None or units.currency != ctx.currency:
                continue
            if posting.account.startswith("Income:"):
                gifts -= units.number
            elif not posting.account.startswith("Assets:"):
                other += units.number
        counted = (entry.meta or {}).get(COUNTED_TOTAL_KEY)
        if counted is not None:
            number = counted.number if hasattr(counted, "number") else counted
            try:
                counted_total = Decimal(str(number))
            except ArithmeticError:
                counted_total = None
            if counted_total is None or counted_total != gifts:
                shown = ctx.money(counted_total) if counted_total is not None else str(counted)
                found.append(ctx.finding(
                    "offerings", "offering-total", "error",
                    f"{what}: the counted total {shown} does not match the gifts entered, "
                    f"{ctx.money(gifts)}.",
                    "Compare the entry line by line with the count sheet and correct the gift that differs.",
                    entry,
                ))
        if other != 0 or deposit != gifts:
            found.append(ctx.finding(
                "offerings", "offering-total", "warning",
                f"{what} does not match its gifts ({ctx.money(gifts)}): "
                f"{ctx.money(deposit - gifts)} is posted to other accounts.",
                "Check the count sheet and the deposit slip: the deposit should equal the gifts counted. "
                "Explain any difference (cash short or over) in the entry's narration.",
                entry,
            ))
    return found
