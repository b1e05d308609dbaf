"""Findings: what the audit found, as data every face can show.

A :class:`Finding` is one thing an auditor would question: its severity
(``error``, ``warning`` or ``note``), the check that found it, the entry's
file and line, a plain sentence saying what is wrong and another saying what
to do. Findings never name a donor: gifts are described by date and amount,
and the file and line lead the treasurer to the entry.

Severities:

- ``error``: the books are wrong or unproven (invalid ledger, a closed month
  changed, a balance that does not match, money spent that a restricted fund
  did not have). ``finsek audit`` exits 1 and ``finsek close`` refuses.
- ``warning``: a control an auditor expects is missing (no receipt, no second
  counter, an unreconciled month, a gap in the check numbers).
- ``note``: worth a look, not necessarily wrong (a large cash gift, a new
  check series, a formatting change after a close).
"""

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

SEVERITIES = ("error", "warning", "note")
_RANK = {name: index for index, name in enumerate(SEVERITIES)}


class Check(NamedTuple):
    """One audit check: its id (for filtering), a title and what it looks at."""

    id: str
    title: str
    description: str


#: Every check, in the order reports list them.
CHECKS: tuple[Check, ...] = (
    Check("ledger", "Ledger errors", "Errors Beancount and the finsek plugin report when loading the ledger."),
    Check("closes", "Closed periods", "Each close line is valid and its digest still matches the books."),
    Check("reconciliation", "Bank reconciliation",
          "Each bank account has a balance from the bank statement at each month end, and it matches."),
    Check("offerings", "Offering counts", "Each counted offering names two different counters, and the counted "
          "total matches the gifts."),
    Check("payments", "Payments", "Payments have a receipt (above the receipt threshold) and, above the approval "
          "threshold, the name of who approved them."),
    Check("duties", "Separation of duties", "Nobody both counts and deposits an offering, or approves a payment "
          "they entered or receive (when the ledger asks for separation of duties)."),
    Check("check-numbers", "Check numbers", "No check number is used twice from one bank account, and no number "
          "is skipped without a note."),
    Check("duplicates", "Likely duplicates", "The same amount to the same payee, or from the same donor, within "
          "a few days."),
    Check("funds", "Fund balances", "No fund goes below zero on any day; money spent or moved out of a restricted "
          "fund is released by someone."),
    Check("fund-donor-tags", "Funds and donors on entries", "Funds and donor ids are registered; every Income, "
          "Expenses and Equity posting names its fund when the ledger asks for strict funds."),
    Check("future", "Future dates", "No entry is dated after today."),
    Check("cash-gifts", "Large cash gifts", "Cash gifts above the cash-gift threshold."),
    Check("clearing", "Online giving paid out", "What a giving platform holds (Assets:Clearing) leaves for the bank "
          "within a couple of weeks and never goes below zero."),
    Check("git", "Changes after a close (git)", "When the ledger folder is a git repository: entries of a closed "
          "period that changed after the commit that closed it."),
)
CHECK_TITLES = {check.id: check.title for check in CHECKS}

#: A short title for each kind of finding (``Finding.code``), for headings and filters.
CODE_TITLES = {
    "ledger-error": "Beancount errors",
    "clearing-not-emptied": "Payouts missing from online giving",
    "clearing-below-zero": "Online giving paid out more than it received",
    "unknown-method": "Unknown payment methods",
    "setting-invalid": "Settings finsek cannot read",
    "closed-period-changed": "Closed periods changed",
    "close-invalid": "Close lines that are not valid",
    "plugin-missing": "The finsek plugin is not loaded",
    "unreconciled-month": "Months not reconciled",
    "balance-mismatch": "Balances that do not match",
    "offering-counters": "Offerings without two counters",
    "offering-total": "Offering totals that do not match",
    "payment-receipt": "Payments without a receipt",
    "receipt-missing-file": "Receipt files missing",
    "payment-approval": "Payments without approval",
    "duties-offering": "Counters who deposited or approved",
    "duties-payment": "Payments approved by who made them",
    "check-duplicate": "Check numbers used twice",
    "check-gap": "Missing check numbers",
    "check-series": "Jumps in the check numbers",
    "likely-duplicate": "Likely duplicate entries",
    "duplicate-gift-check": "Donor checks entered twice",
    "fund-negative": "Funds below zero",
    "restricted-spending": "Restricted money spent without a release",
    "restricted-release": "Restricted money moved without matching payments",
    "missing-fund": "Postings without a fund",
    "unknown-fund": "Unknown funds",
    "unknown-donor": "Unknown donor ids",
    "donor-registry-missing": "No donor registry",
    "future-entry": "Entries dated in the future",
    "large-cash-gift": "Large cash gifts",
    "git-changed-after-close": "Entries changed after a close",
    "git-close-rewritten": "Close lines rewritten",
    "git-close-uncommitted": "Closes not committed",
    "git-formatting": "Reformatted after a close",
    "git-unavailable": "git history unreadable",
}
_CHECK_ORDER = {check.id: index for index, check in enumerate(CHECKS)}


@dataclass(frozen=True)
class Finding:
    """One finding. ``filename`` is absolute (or None), ``lineno`` 1-based (or None)."""

    check: str
    code: str
    severity: str
    message: str
    action: str
    filename: str | None = None
    lineno: int | None = None
    date: dt.date | None = None
    #: True when the entry lies in a closed period (fix it with a new entry, never an edit).
    closed: bool = False

    def __post_init__(self):
        if self.severity not in _RANK:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def rank(self) -> int:
        return _RANK[self.severity]

    @property
    def check_title(self) -> str:
        return CHECK_TITLES.get(self.check, self.check)

    @property
    def title(self) -> str:
        return CODE_TITLES.get(self.code, self.code)

    def relative_file(self, root: Path | str | None = None) -> str | None:
        """The file, relative to ``root`` when it is inside it."""
        if not self.filename:
            return None
        name = self.filename
        if root is not None and os.path.isabs(name):
            try:
                relative = os.path.relpath(name, root)
            except ValueError:  # another drive on Windows
                relative = name
            if not relative.startswith(".."):
                name = relative
        return name

    def location(self, root: Path | str | None = None) -> str:
        """``2026.beancount:120``: the file relative to ``root`` when inside it, and the line."""
        name = self.relative_file(root)
        if not name:
            return ""
        return f"{name}:{self.lineno}" if self.lineno else name

    def sort_key(self) -> tuple:
        """Report order: errors first, then warnings, then notes; within each, by check (``CHECKS`` order)."""
        return (
            self.rank,
            _CHECK_ORDER.get(self.check, len(_CHECK_ORDER)),
            self.date or dt.date.min,
            self.filename or "",
            self.lineno or 0,
            self.message,
        )

    def to_dict(self, root: Path | str | None = None) -> dict:
        return {
            "severity": self.severity,
            "check": self.check,
            "code": self.code,
            "message": self.message,
            "action": self.action,
            "file": self.relative_file(root),
            "line": self.lineno,
            "date": self.date.isoformat() if self.date else None,
            "closed": self.closed,
        }

    @classmethod
    def from_dict(cls, raw: dict, root: Path | str | None = None) -> "Finding":
        """The finding ``to_dict(root)`` gave (its file made absolute again under ``root``)."""
        name = raw["file"]
        if name is not None and root is not None and not os.path.isabs(name):
            name = os.path.join(root, name)
        return cls(
            check=_text(raw["check"]), code=_text(raw["code"]), severity=_text(raw["severity"]),
            message=_text(raw["message"]), action=_text(raw["action"]),
            filename=None if name is None else _text(name), lineno=_whole(raw["line"]),
            date=None if raw["date"] is None else dt.date.fromisoformat(raw["date"]), closed=_flag(raw["closed"]),
        )


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a string was expected, not {type(value).__name__}")
    return value


def _whole(value: object) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(f"a line number was expected, not {type(value).__name__}")
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"true or false was expected, not {type(value).__name__}")
    return value


def severity_rank(severity: str) -> int:
    return _RANK[severity]


def at_least(findings, severity: str) -> list[Finding]:
    """The findings of ``severity`` or worse (``note`` keeps all)."""
    limit = _RANK[severity]
    return [finding for finding in findings if finding.rank <= limit]


def count_by_severity(findings) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def group_by_severity(findings) -> list[tuple[str, list[tuple[Check, list[Finding]]]]]:
    """``[(severity, [(Check, [Finding, ...]), ...]), ...]``: errors, warnings, notes, each by check."""
    result = []
    for severity in SEVERITIES:
        items = [finding for finding in findings if finding.severity == severity]
        if items:
            result.append((severity, group_by_check(items)))
    return result


def group_by_check(findings) -> list[tuple[Check, list[Finding]]]:
    """The findings grouped by check, in ``CHECKS`` order, each group sorted; empty groups left out."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.check, []).append(finding)
    result = []
    for check in CHECKS:
        if check.id in groups:
            result.append((check, sorted(groups.pop(check.id), key=Finding.sort_key)))
    for name, items in groups.items():
        result.append((Check(name, name, ""), sorted(items, key=Finding.sort_key)))
    return result
