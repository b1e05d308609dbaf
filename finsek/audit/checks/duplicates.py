"""Likely duplicates: the same amount to the same payee, or from the same donor the same way, within a
few days (``duplicate-days``); entries a reversal names are left out.
"""

import datetime as dt
import itertools
import os
from collections import defaultdict

from finsek.audit.checks.context import AuditContext, where
from finsek.audit.entry_kinds import REVERSES_KEY
from finsek.audit.findings import Finding
from finsek.ledger.entry_rules import duplicate_keys, reversed_reference, same_instrument


def _reversed(ctx: AuditContext) -> set[tuple[dt.date, str, int]]:
    """(date, file name, line) of the entries that a reversal names."""
    found = set()
    for entry in ctx.transactions:
        if REVERSES_KEY in (entry.meta or {}):
            reference = reversed_reference(entry)
            if reference is not None:
                found.add(reference)
    return found


def check_duplicates(ctx: AuditContext) -> list[Finding]:
    reversed_entries = _reversed(ctx)
    window = ctx.settings.duplicate_days
    groups: dict[tuple, list] = defaultdict(list)
    for entry in ctx.transactions:
        if entry.date > ctx.end:
            break
        if entry.date < ctx.start - dt.timedelta(days=window):
            continue
        meta = entry.meta or {}
        if reversed_entries and (entry.date, os.path.basename(str(meta.get("filename", ""))),
                                 meta.get("lineno")) in reversed_entries:
            continue
        for key, how in duplicate_keys(entry, ctx.kind(entry), ctx.currency, ctx.donor):
            groups[key].append((entry, how))
    found = []
    for key, items in groups.items():
        if len(items) < 2:
            continue
        for (first, first_how), (second, second_how) in itertools.pairwise(items):
            if first is second or (second.date - first.date).days > window or not ctx.in_period(second):
                continue
            if not same_instrument(first_how, second_how):
                continue
            found.append(ctx.finding("duplicates", "likely-duplicate", "warning",
                                     _duplicate_message(ctx, key, first, second),
                                     "Compare both with the bank statement or deposit slip; if it was entered "
                                     "twice, reverse one (journal, reverse).", second))
    return found


def _duplicate_message(ctx: AuditContext, key: tuple, first, second) -> str:
    day, earlier = second.date.isoformat(), f"{first.date.isoformat()} ({where(first)})"
    if key[0] == "offering":
        return f"The offering of {ctx.money(key[1])} on {day} has the same total as the offering of {earlier}."
    if key[0] == "gift":
        return (f"A gift of {ctx.money(key[2])} on {day} has the same donor, amount and way of giving as a gift "
                f"on {earlier}.")
    kind = ctx.kind(second)
    article = "An" if kind[0] in "aeiou" else "A"
    return f"{article} {kind} of {ctx.money(key[2])}{ctx.payee(second)} on {day} looks like the one on {earlier}."
