"""Ledger errors: what Beancount and finsek's plugin report when loading the ledger, and settings lines
finsek cannot read.

Each error becomes a finding of the check its message belongs to (a changed closed period is a ``closes``
finding, a failed balance a ``reconciliation`` one, an unknown fund or donor a ``fund-donor-tags`` one).
"""

import re

from finsek.audit.checks.context import AuditContext
from finsek.audit.findings import Finding

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


def check_ledger(ctx: AuditContext) -> list[Finding]:
    """Beancount's and the plugin's errors (``ctx.errors``), whatever the period; settings finsek cannot read."""
    found = []
    index = _LineIndex(ctx.books.entries) if ctx.errors else None
    for error in ctx.errors:
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
    for problem in ctx.settings.problems:
        found.append(ctx.finding("ledger", "setting-invalid", "warning", problem,
                                 "Correct the custom \"finsek\" line in accounts.beancount.", edit=False))
    return found
