"""Likely duplicates: the same amount to the same payee, or from the same donor the same way, within a
few days (``duplicate-days``); entries a reversal names are left out.
"""

import datetime as dt
import itertools
import os
import re
from collections import defaultdict
from pathlib import Path

from finsek.audit.checks.context import AuditContext, inflow, name_key, where
from finsek.audit.entry_kinds import REVERSES_KEY
from finsek.audit.findings import Finding
from finsek.ledger import conventions as conv


def _reversed(ctx: AuditContext) -> set[tuple[dt.date, str, int]]:
    """(date, file name, line) of the entries that a reversal names."""
    found = set()
    pattern = re.compile(r"(\d{4}-\d{2}-\d{2})\s+(.+):(\d+)$")
    for entry in ctx.transactions:
        value = (entry.meta or {}).get(REVERSES_KEY)
        if not value:
            continue
        match = pattern.match(str(value).strip())
        if match:
            try:
                found.add((dt.date.fromisoformat(match[1]), Path(match[2]).name, int(match[3])))
            except ValueError:
                continue
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
        kind = ctx.kind(entry)
        if kind in ("reversal", "opening balances"):
            continue
        meta = entry.meta or {}
        if reversed_entries and (entry.date, os.path.basename(str(meta.get("filename", ""))),
                                 meta.get("lineno")) in reversed_entries:
            continue
        check = meta.get(conv.CHECK_KEY)
        method = meta.get(conv.METHOD_KEY)
        if kind == "offering":
            groups[("offering", inflow(entry, ctx.currency))].append((entry, (None, None)))
            continue
        if kind == "gift":
            for posting in entry.postings:
                donor = conv.posting_donor(entry, posting)
                units = posting.units
                if not donor or units is None or units.number is None or not posting.account.startswith("Income:"):
                    continue
                pmeta = posting.meta or {}
                how = (pmeta.get(conv.METHOD_KEY, method), pmeta.get(conv.CHECK_KEY, check))
                groups[("gift", ctx.donor(donor), -units.number)].append((entry, how))
            continue
        name = (entry.payee or entry.narration or "").strip()
        if name:
            size = conv.transaction_size(entry, ctx.currency)
            groups[("payee", name_key(name), size)].append((entry, (method, check)))
    found = []
    for key, items in groups.items():
        if len(items) < 2:
            continue
        for (first, first_how), (second, second_how) in itertools.pairwise(items):
            if first is second or (second.date - first.date).days > window or not ctx.in_period(second):
                continue
            if not _same_instrument(first_how, second_how):
                continue
            found.append(ctx.finding("duplicates", "likely-duplicate", "warning",
                                     _duplicate_message(ctx, key, first, second),
                                     "Compare both with the bank statement or deposit slip; if it was entered "
                                     "twice, reverse one (journal, reverse).", second))
    return found


def _same_instrument(first: tuple, second: tuple) -> bool:
    """Whether two payments could be one: same method (when both say) and the same check number (or none)."""
    (method1, check1), (method2, check2) = first, second
    if method1 is not None and method2 is not None and str(method1) != str(method2):
        return False
    return not ((check1 is not None or check2 is not None) and str(check1) != str(check2))


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
