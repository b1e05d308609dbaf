"""Check numbers: no check number is used twice from one bank account, no number is skipped without
a note; a donor's check entered twice is a ``duplicates`` finding.
"""

import itertools
import re
from collections import defaultdict

from beancount.core import data

from finsek.audit.checks.context import AuditContext, where
from finsek.audit.findings import Finding
from finsek.ledger import conventions as conv
from finsek.ledger.entry_rules import gift_checks as donor_checks

_VOID = re.compile(r"\bvoid", re.IGNORECASE)
_NUMBER = re.compile(r"\b(\d{1,12})\b")


def _ranges(numbers: list[int]) -> str:
    parts = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}–{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts)


def check_numbers(ctx: AuditContext) -> list[Finding]:
    found = []
    by_account: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    gift_checks: dict[tuple[str, str], list] = defaultdict(list)
    for entry in ctx.transactions:
        txn_check = (entry.meta or {}).get(conv.CHECK_KEY)
        for posting in entry.postings:
            units = posting.units
            if units is None or units.number is None:
                continue
            own = (posting.meta or {}).get(conv.CHECK_KEY)
            if posting.account.startswith("Assets:") and units.number < 0:
                number = own if own is not None else txn_check
                if number is not None and str(number).strip():
                    by_account[posting.account][str(number).strip()].append(entry)
        for donor, number in donor_checks(entry):
            gift_checks[(ctx.donor(donor), number)].append(entry)
    voided: dict[str, set[str]] = defaultdict(set)
    for entry in ctx.books.entries:
        if isinstance(entry, data.Note):
            number = (entry.meta or {}).get(conv.CHECK_KEY)
            if number is not None:
                voided[entry.account].add(str(number).strip())
            elif _VOID.search(entry.comment or ""):
                voided[entry.account].update(_NUMBER.findall(entry.comment or ""))
    for account, numbers in sorted(by_account.items()):
        for number, entries in sorted(numbers.items()):
            unique = list({id(entry): entry for entry in entries}.values())
            if len(unique) < 2:
                continue
            first = unique[0]
            for entry in unique[1:]:
                if not ctx.in_period(entry):
                    continue
                found.append(ctx.finding(
                    "check-numbers", "check-duplicate", "error",
                    f"Check {number} from {account} is in the books twice: on {entry.date.isoformat()} and on "
                    f"{first.date.isoformat()} ({where(first)}).",
                    "Compare both with the bank statement and the checkbook: if the same check was entered twice, "
                    "reverse one; if a number was mistyped, correct it.",
                    entry,
                ))
        numeric = sorted(
            (int(number), entries[0]) for number, entries in numbers.items() if number.isdigit()
        )
        skip = voided.get(account, set())
        for (low, _), (high, entry) in itertools.pairwise(numeric):
            if high - low <= 1 or not ctx.in_period(entry):
                continue
            missing = [n for n in range(low + 1, high) if str(n) not in skip]
            if not missing:
                continue
            if high - low - 1 > ctx.settings.check_gap_limit:
                found.append(ctx.finding(
                    "check-numbers", "check-series", "note",
                    f"The check numbers from {account} jump from {low} to {high} on {entry.date.isoformat()}: "
                    "a new checkbook?",
                    "If a new checkbook was started, say so in a note on the account "
                    f"({entry.date.isoformat()} note {account} \"New checkbook from {high}\"); otherwise look for "
                    "the missing checks.",
                    entry,
                ))
                continue
            plural = "s" if len(missing) > 1 else ""
            found.append(ctx.finding(
                "check-numbers", "check-gap", "warning",
                f"Check{plural} {_ranges(missing)} from {account} {'are' if plural else 'is'} not in the books "
                f"(between check {low} and check {high}, {entry.date.isoformat()}).",
                "Find each missing check in the checkbook: enter it if it was written, or record it as void "
                f"with a note: {entry.date.isoformat()} note {account} \"Check {missing[0]} void\".",
                entry, edit=False,
            ))
    for (_, number), entries in sorted(gift_checks.items()):
        unique = list({id(entry): entry for entry in entries}.values())
        for entry in unique[1:]:
            if ctx.in_period(entry):
                found.append(ctx.finding(
                    "duplicates", "duplicate-gift-check", "warning",
                    f"A gift on {entry.date.isoformat()} was paid with the same donor's check {number} as a gift "
                    f"on {unique[0].date.isoformat()} ({where(unique[0])}): the same check entered twice?",
                    "Compare with the deposit slips: if it is the same check, reverse one of the gifts.",
                    entry,
                ))
    return found
