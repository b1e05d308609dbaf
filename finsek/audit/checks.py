"""The audit checks: each a function from the context to findings.

Each check looks at the entries dated inside the audit period (``start`` to
``end``, both included); comparisons that need history (duplicates, check
numbers, fund balances) look before the period too but only report what
touches it. Errors from loading the ledger and entries dated in the future
are reported whatever the period. The checks are documented, with their
settings, in docs/audit.md; keep the two in step.
"""

import datetime as dt
import itertools
import os
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from finsek.audit.findings import Finding
from finsek.audit.kinds import (
    COUNTED_TOTAL_KEY,
    DEPOSITED_BY_KEY,
    RECEIPT_KEYS,
    REVERSES_KEY,
    ZERO,
    inflow,
    is_offering,
    meta_value,
    name_key,
    outflow,
    positive_total,
    split_names,
    transaction_kind,
)
from finsek.audit.settings import AuditSettings
from finsek.core.dates import month_ends, month_name
from finsek.core.money import format_amount
from finsek.ledger import conventions as conv

ONE_DAY = dt.timedelta(days=1)


class AuditContext:
    """The books, the period and the settings, with the indexes several checks share."""

    def __init__(self, books, start: dt.date, end: dt.date, today: dt.date, settings: AuditSettings):
        self.books = books
        self.start = start
        self.end = end
        self.today = today
        self.settings = settings
        self.currency = books.currency
        self.locale = books.locale
        self.closed_through = books.closed_through
        self.transactions = [
            entry for entry in books.entries
            if isinstance(entry, data.Transaction) and entry.flag != "P" and conv.is_from_file(entry)
        ]
        self._kinds: dict[int, str] = {}
        self._canonical: dict[str, str] = {}
        self.donor_names = {name_key(donor.name) for donor in books.donors if donor.name}

    # -- helpers ------------------------------------------------------------

    def in_period(self, entry_or_date) -> bool:
        day = entry_or_date if isinstance(entry_or_date, dt.date) else entry_or_date.date
        return self.start <= day <= self.end

    def kind(self, entry) -> str:
        found = self._kinds.get(id(entry))
        if found is None:
            found = self._kinds[id(entry)] = transaction_kind(entry)
        return found

    def donor(self, donor_id: str) -> str:
        """The surviving id of a donor (aliases merged), remembered."""
        found = self._canonical.get(donor_id)
        if found is None:
            found = self._canonical[donor_id] = self.books.donors.canonical(donor_id)
        return found

    def money(self, amount: Decimal) -> str:
        return format_amount(amount, self.currency, self.locale)

    def payee(self, entry) -> str:
        """``to City Power & Light``, or nothing when the payee may be a person who gives."""
        payee = (entry.payee or "").strip()
        if not payee or name_key(payee) in self.donor_names:
            return ""
        return f" to {payee}"

    def is_closed(self, day: dt.date | None) -> bool:
        return bool(day and self.closed_through and day <= self.closed_through)

    def finding(self, check: str, code: str, severity: str, message: str, action: str, entry=None, *,
                date: dt.date | None = None, filename: str | None = None, lineno: int | None = None,
                edit: bool = True) -> Finding:
        if entry is not None:
            meta = entry.meta or {}
            filename = filename or meta.get("filename")
            lineno = lineno or meta.get("lineno")
            date = date or entry.date
        if filename and str(filename).startswith("<"):
            filename, lineno = None, None
        closed = self.is_closed(date)
        if closed and edit:
            action = (
                f"{action} The books are closed through {self.closed_through.isoformat()}: do not edit the entry; "
                f"record any correction as a new entry dated after {self.closed_through.isoformat()}."
            )
        return Finding(check, code, severity, message, action, str(filename) if filename else None, lineno, date,
                       closed)


def _where(entry) -> str:
    meta = entry.meta or {}
    name = Path(str(meta.get("filename", ""))).name
    return f"{name}:{meta.get('lineno')}" if name else entry.date.isoformat()


# --------------------------------------------------------------------------- ledger errors


_CLASSIFY = (
    ("have changed since they were closed", "closes", "closed-period-changed"),
    ("This close line is not valid", "closes", "close-invalid"),
    ("Balance failed", "reconciliation", "balance-mismatch"),
    ("Unknown fund", "fund-donor-tags", "unknown-fund"),
    ("has no fund, and this ledger asks", "fund-donor-tags", "missing-fund"),
    ("Unknown donor id", "fund-donor-tags", "unknown-donor"),
    ("Unknown payment method", "ledger", "unknown-method"),
)

_ACTIONS = {
    "closed-period-changed": (
        "Undo the edit (compare the file with your backup or with 'git diff'), so the books match what was "
        "closed; post any correction as a new entry dated after the close."
    ),
    "close-invalid": "Restore the close line as finsek wrote it, or close the period again with 'finsek close'.",
    "balance-mismatch": (
        "Compare the bank statement with the entries of the month: enter what is missing or correct what is "
        "wrong until the books show the statement's balance."
    ),
    "unknown-fund": "Use a registered fund on the entry, or register the fund in accounts.beancount.",
    "missing-fund": "Add the fund the money belongs to (fund: \"general\" for example) under the posting.",
    "unknown-donor": "Use the donor's id from donors.csv (finsek's donor list), or add the donor first.",
    "unknown-method": "Use one of the payment methods cash, check, card, transfer, online or other.",
    "ledger-error": "Correct the entry at this line: 'finsek check' and bean-check show the same error.",
}

_DONOR_QUOTED = re.compile(r'Unknown donor id "[^"]*"')


def classify_error(message: str) -> tuple[str, str]:
    """``(check, code)`` of a Beancount or plugin error message."""
    for needle, check, code in _CLASSIFY:
        if needle in message:
            return check, code
    return "ledger", "ledger-error"


class _LineIndex:
    """Which entry starts or has a posting at a given file and line (built only when needed)."""

    def __init__(self, entries):
        self.lines: dict[tuple[str, int], object] = {}
        for entry in entries:
            meta = entry.meta or {}
            if "filename" in meta and "lineno" in meta:
                self.lines.setdefault((str(meta["filename"]), meta["lineno"]), entry)
            for posting in getattr(entry, "postings", ()) or ():
                pmeta = posting.meta or {}
                if "filename" in pmeta and "lineno" in pmeta:
                    self.lines.setdefault((str(pmeta["filename"]), pmeta["lineno"]), entry)

    def entry_at(self, filename, lineno):
        if not filename or lineno is None:
            return None
        return self.lines.get((str(filename), lineno))


def ledger_error_findings(ctx: AuditContext, errors) -> list[Finding]:
    """Findings from Beancount's and the plugin's errors (``books.errors``), whatever the period."""
    if not errors:
        return []
    index = _LineIndex(ctx.books.entries)
    found = []
    for error in errors:
        message = error.message.strip()
        check, code = classify_error(message)
        if code == "unknown-donor":
            message = _DONOR_QUOTED.sub("Unknown donor id", message)
        entry = index.entry_at(error.filename, error.lineno)
        date = entry.date if entry is not None else None
        if code in ("closed-period-changed", "close-invalid"):
            date = None  # the problem is the closed period, not the day the close was written
        severity = "error"
        found.append(ctx.finding(check, code, severity, message, _ACTIONS[code], date=date,
                                 filename=error.filename, lineno=error.lineno,
                                 edit=code not in ("closed-period-changed", "close-invalid")))
    return found


# --------------------------------------------------------------------------- reconciliation


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


def check_reconciliation(ctx: AuditContext, status: list[MonthReconciliation]) -> list[Finding]:
    found = []
    for row in status:
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


# --------------------------------------------------------------------------- offerings


def check_offerings(ctx: AuditContext) -> list[Finding]:
    found = []
    for entry in ctx.transactions:
        if not ctx.in_period(entry) or not is_offering(entry):
            continue
        deposit = inflow(entry, ctx.currency) - outflow(entry, ctx.currency)
        what = f"The offering of {ctx.money(deposit)} on {entry.date.isoformat()}"
        counters = split_names((entry.meta or {}).get(conv.COUNTED_BY_KEY))
        distinct = {name_key(name) for name in counters}
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


# --------------------------------------------------------------------------- payments


def _has_receipt(entry, documented_links: set[str]) -> str | None:
    """The receipt's path or reference, or None when the payment has none."""
    value = None
    for key in RECEIPT_KEYS:
        value = meta_value(entry, key)
        if value:
            return str(value)
    if entry.links and documented_links.intersection(entry.links):
        return ""
    return None


def _receipt_exists(ctx: AuditContext, entry, reference: str) -> bool:
    if not reference or "://" in reference:
        return True
    path = Path(reference).expanduser()
    if path.is_absolute():
        return path.exists()
    if (ctx.books.root / path).exists():
        return True
    source = (entry.meta or {}).get("filename")
    return bool(source) and (Path(str(source)).parent / path).exists()


def check_payments(ctx: AuditContext) -> list[Finding]:
    found = []
    settings = ctx.settings
    documented = set()
    for entry in ctx.books.entries:
        if isinstance(entry, data.Document) and entry.links:
            documented.update(entry.links)
    for entry in ctx.transactions:
        if not ctx.in_period(entry) or ctx.kind(entry) != "payment":
            continue
        amount = outflow(entry, ctx.currency)
        what = f"The payment of {ctx.money(amount)}{ctx.payee(entry)} on {entry.date.isoformat()}"
        receipt = _has_receipt(entry, documented)
        if receipt is None:
            if amount >= settings.receipt_threshold:
                found.append(ctx.finding(
                    "payments", "payment-receipt", "warning",
                    f"{what} has no receipt or invoice.",
                    "Scan the receipt or invoice into documents/ and add receipt: \"documents/…\" to the entry "
                    "(or attach it when you enter payments in finsek).",
                    entry,
                ))
        elif not _receipt_exists(ctx, entry, receipt):
            found.append(ctx.finding(
                "payments", "receipt-missing-file", "warning",
                f"{what} names a receipt file, {receipt}, that is not in the ledger folder.",
                "Put the scanned receipt back at that path (or correct the path in the entry).",
                entry,
            ))
        if amount > settings.approval_threshold and not meta_value(entry, conv.APPROVED_BY_KEY):
            found.append(ctx.finding(
                "payments", "payment-approval", "warning",
                f"{what} is above the approval threshold of {ctx.money(settings.approval_threshold)} and "
                "does not say who approved it.",
                "Add approved-by: \"NAME\" with the person or body that approved the payment (the minutes or "
                "the signed invoice say who).",
                entry,
            ))
    return found


# --------------------------------------------------------------------------- separation of duties


def _people(entry, *keys: str) -> dict[str, str]:
    found = {}
    for key in keys:
        for name in split_names(meta_value(entry, key)):
            found[name_key(name)] = name
    return found


def check_duties(ctx: AuditContext) -> list[Finding]:
    if not ctx.settings.separation_of_duties:
        return []
    found = []
    for entry in ctx.transactions:
        if not ctx.in_period(entry):
            continue
        day = entry.date.isoformat()
        if is_offering(entry):
            counters = _people(entry, conv.COUNTED_BY_KEY)
            handlers = _people(entry, DEPOSITED_BY_KEY, conv.APPROVED_BY_KEY)
            if counters.keys() & handlers.keys():
                found.append(ctx.finding(
                    "duties", "duties-offering", "warning",
                    f"The offering of {day} was counted and also deposited or approved by the same person "
                    "(see counted-by, deposited-by and approved-by).",
                    "Have someone who did not count the offering take it to the bank and sign for it; the "
                    "ledger asks for separation of duties.",
                    entry,
                ))
            continue
        approvers = _people(entry, conv.APPROVED_BY_KEY)
        if not approvers:
            continue
        doers = _people(entry, conv.ENTERED_BY_KEY, "paid-by", "signed-by")
        what = f"The {ctx.kind(entry)} of {ctx.money(positive_total(entry, ctx.currency))} on {day}"
        if approvers.keys() & doers.keys():
            found.append(ctx.finding(
                "duties", "duties-payment", "warning",
                f"{what} was approved by the same person who entered, paid or signed it.",
                "Have the payment approved by someone else (the treasurer's payments are approved by the "
                "chair or the finance committee); the ledger asks for separation of duties.",
                entry,
            ))
        elif entry.payee and name_key(entry.payee) in approvers:
            found.append(ctx.finding(
                "duties", "duties-payment", "warning",
                f"{what} was approved by the person it was paid to.",
                "A payment to a person (a reimbursement) is approved by someone else: have it approved by the "
                "chair or the finance committee.",
                entry,
            ))
    return found


# --------------------------------------------------------------------------- check numbers


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
            elif posting.account.startswith("Income:") and own is not None:
                donor = conv.posting_donor(entry, posting)
                if donor:
                    gift_checks[(ctx.donor(donor), str(own).strip())].append(entry)
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
                    f"{first.date.isoformat()} ({_where(first)}).",
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
                    f"on {unique[0].date.isoformat()} ({_where(unique[0])}): the same check entered twice?",
                    "Compare with the deposit slips: if it is the same check, reverse one of the gifts.",
                    entry,
                ))
    return found


# --------------------------------------------------------------------------- likely duplicates


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
            groups[("payee", name_key(name), positive_total(entry, ctx.currency))].append((entry, (method, check)))
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
    day, earlier = second.date.isoformat(), f"{first.date.isoformat()} ({_where(first)})"
    if key[0] == "offering":
        return f"The offering of {ctx.money(key[1])} on {day} has the same total as the offering of {earlier}."
    if key[0] == "gift":
        return (f"A gift of {ctx.money(key[2])} on {day} has the same donor, amount and way of giving as a gift "
                f"on {earlier}.")
    kind = ctx.kind(second)
    article = "An" if kind[0] in "aeiou" else "A"
    return f"{article} {kind} of {ctx.money(key[2])}{ctx.payee(second)} on {day} looks like the one on {earlier}."


# --------------------------------------------------------------------------- funds


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


# --------------------------------------------------------------------------- funds and donors on entries


def check_donor_registry(ctx: AuditContext) -> list[Finding]:
    if ctx.books.donors.exists:
        return []
    for entry in ctx.transactions:
        if ctx.in_period(entry) and meta_value(entry, conv.DONOR_KEY):
            return [ctx.finding(
                "fund-donor-tags", "donor-registry-missing", "note",
                "The entries name donor ids, but the ledger folder has no donors.csv: the ids cannot be checked.",
                "Keep the donor registry (donors.csv) in the ledger folder; finsek's donor list writes it.",
                filename=str(ctx.books.root / "donors.csv"), edit=False,
            )]
    return []


# --------------------------------------------------------------------------- dates and cash


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


def check_cash_gifts(ctx: AuditContext) -> list[Finding]:
    found = []
    threshold = ctx.settings.cash_gift_threshold
    for entry in ctx.transactions:
        if not ctx.in_period(entry):
            continue
        offering = is_offering(entry)
        txn_method = (entry.meta or {}).get(conv.METHOD_KEY)
        for posting in entry.postings:
            units = posting.units
            if units is None or units.number is None or units.currency != ctx.currency:
                continue
            if not posting.account.startswith("Income:") or -units.number <= threshold:
                continue
            method = (posting.meta or {}).get(conv.METHOD_KEY, txn_method)
            if method != "cash":
                continue
            donor = conv.posting_donor(entry, posting)
            gift = donor or (not offering and conv.account_matches(posting.account, "Income:Contributions"))
            if not gift:
                continue  # the loose plate cash of a counted offering is many gifts
            found.append(ctx.finding(
                "cash-gifts", "large-cash-gift", "note",
                f"A cash gift of {ctx.money(-units.number)} on {entry.date.isoformat()} is above the cash-gift "
                f"threshold of {ctx.money(threshold)}.",
                "Make sure it was counted by two people and deposited whole, and that the donor receives a "
                "written acknowledgement.",
                entry, edit=False,
            ))
    return found
