"""Run the audit: every check over a period of the books, as one result.

``run_audit(books)`` is what ``finsek audit``, ``finsek close`` and the
app's audit screen call. It is plain blocking code (the app runs it in a
worker) and never changes the books.
"""

import datetime as dt
import time
from dataclasses import dataclass, field

from beancount.core import data

from finsek.audit.checks import run_checks
from finsek.audit.checks.closes import CloseStatus
from finsek.audit.checks.context import AuditContext
from finsek.audit.checks.git import GitInfo
from finsek.audit.checks.reconciliation import MonthReconciliation
from finsek.audit.checks.settings import AuditSettings, audit_settings
from finsek.audit.findings import (
    SEVERITIES,
    Finding,
    at_least,
    count_by_severity,
    group_by_check,
)
from finsek.core.dates import is_month_end, month_end
from finsek.core.errors import Refused
from finsek.ledger import conventions as conv


@dataclass
class AuditResult:
    """What the audit found over ``start``..``end`` (both included), as of ``today``."""

    title: str
    root: str
    currency: str
    locale: str
    start: dt.date
    end: dt.date
    today: dt.date
    settings: AuditSettings
    findings: list[Finding] = field(default_factory=list)
    reconciliation: list[MonthReconciliation] = field(default_factory=list)
    closes: list[CloseStatus] = field(default_factory=list)
    git: GitInfo = field(default_factory=lambda: GitInfo(False))
    plugin_active: bool = True
    closed_through: dt.date | None = None
    #: How long the audit took (not part of what it found: left out of ``==`` and ``to_dict``).
    seconds: float = field(default=0.0, compare=False)
    #: Every file the checks looked for on disk (receipts), and whether it was there: what the result depends
    #: on besides the books (``finsek.audit.memo`` looks again before answering from a remembered result).
    #: Left out of ``==`` and ``to_dict``, like ``seconds``.
    looked_for: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def has_errors(self) -> bool:
        return any(finding.severity == "error" for finding in self.findings)

    @property
    def exit_status(self) -> int:
        return 1 if self.has_errors else 0

    def filtered(self, severity: str | None = None, check: str | None = None, at_least_severity: bool = False,
                 ) -> list[Finding]:
        """The findings of one severity (or that severity and worse) and/or one check, in report order."""
        found = self.findings
        if severity is not None:
            found = at_least(found, severity) if at_least_severity else [f for f in found if f.severity == severity]
        if check is not None:
            found = [finding for finding in found if finding.check == check]
        return found

    def grouped(self, severity: str | None = None):
        """``[(Check, [Finding, ...]), ...]`` in the order of ``CHECKS``."""
        return group_by_check(self.filtered(severity, at_least_severity=True) if severity else self.findings)

    def summary(self) -> str:
        """One sentence: how many errors, warnings and notes."""
        counts = self.counts
        if not self.findings:
            return "The audit found nothing to question."
        parts = [f"{counts[name]} {name}{'s' if counts[name] != 1 else ''}" for name in SEVERITIES if counts[name]]
        return f"The audit found {', '.join(parts[:-1]) + ' and ' + parts[-1] if len(parts) > 1 else parts[0]}."

    def next_steps(self) -> list[str]:
        """What to do, most important first: the errors, then the warnings, then the notes (plain sentences)."""
        counts = self.counts
        steps = []
        if counts["error"]:
            steps.append(
                f"Put right the {_count(counts['error'], 'error')} first ({_top_kinds(self.errors)}): each says "
                "where it is and what to do. The period cannot be closed while any error remains."
            )
        if counts["warning"]:
            warnings = [finding for finding in self.findings if finding.severity == "warning"]
            steps.append(
                f"{'Then look at' if steps else 'Look at'} the {_count(counts['warning'], 'warning')} "
                f"({_top_kinds(warnings)}): controls an auditor expects. Put them right, or explain them to the "
                "committee."
            )
        if counts["note"]:
            steps.append(f"The {_count(counts['note'], 'note')} {'is' if counts['note'] == 1 else 'are'} worth a "
                         "look; none is necessarily wrong.")
        if not self.findings:
            steps.append("Nothing to put right.")
        if (not counts["error"] and is_month_end(self.end) and self.end < self.today
                and (self.closed_through is None or self.closed_through < self.end)):
            when = "When the warnings are put right or explained, the" if counts["warning"] else "With no errors, the"
            steps.append(f"{when} books can be closed through {self.end.isoformat()}: "
                         f"finsek close --through {self.end.isoformat()}.")
        return steps

    def to_dict(self) -> dict:
        """Everything the audit found, as JSON-ready data (dates ISO, amounts exact decimal strings).

        ``AuditResult.from_dict`` gives back an equal result; the committee's
        JSON report (``finsek.audit.report.render_json``) is this plus the
        report's figures.
        """
        return {
            "organisation": self.title,
            "root": self.root,
            "currency": self.currency,
            "locale": self.locale,
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "today": self.today.isoformat(),
            "counts": self.counts,
            "exit_status": self.exit_status,
            "closed_through": self.closed_through.isoformat() if self.closed_through else None,
            "plugin_active": self.plugin_active,
            "settings": self.settings.to_dict(),
            "findings": [finding.to_dict(self.root) for finding in self.findings],
            "reconciliation": [row.to_dict() for row in self.reconciliation],
            "closes": [status.to_dict() for status in self.closes],
            "git": self.git.to_dict(),
        }

    @classmethod
    def from_dict(cls, raw: dict) -> "AuditResult":
        """The result ``to_dict`` gave (``counts`` and ``exit_status`` follow from the findings).

        Raises KeyError, TypeError, ValueError or ArithmeticError (a bad
        amount) when ``raw`` is not what ``to_dict`` writes.
        """
        root = raw["root"]
        texts = (raw["organisation"], root, raw["currency"], raw["locale"])
        if not all(isinstance(text, str) for text in texts) or not isinstance(raw["plugin_active"], bool):
            raise TypeError("the result's organisation, folder, currency and locale are strings")
        closed = raw["closed_through"]
        return cls(
            title=raw["organisation"], root=root, currency=raw["currency"], locale=raw["locale"],
            start=dt.date.fromisoformat(raw["period"]["from"]), end=dt.date.fromisoformat(raw["period"]["to"]),
            today=dt.date.fromisoformat(raw["today"]), settings=AuditSettings.from_dict(raw["settings"]),
            findings=[Finding.from_dict(item, root) for item in raw["findings"]],
            reconciliation=[MonthReconciliation.from_dict(item) for item in raw["reconciliation"]],
            closes=[CloseStatus.from_dict(item) for item in raw["closes"]],
            git=GitInfo.from_dict(raw["git"]), plugin_active=raw["plugin_active"],
            closed_through=None if closed is None else dt.date.fromisoformat(closed),
        )


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def _top_kinds(findings: list[Finding], limit: int = 3) -> str:
    """``Months not reconciled: 12; Payments without a receipt: 3; others: 2``: the commonest kinds first."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.title] = counts.get(finding.title, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    parts = [f"{title}: {count:,}" for title, count in ranked[:limit]]
    rest = sum(count for _, count in ranked[limit:])
    if rest:
        parts.append(f"others: {rest:,}")
    return "; ".join(parts)


def books_start(books) -> dt.date | None:
    """The date of the first transaction or balance written in the ledger's files (else of any entry)."""
    first = None
    for entry in books.entries:
        if not conv.is_from_file(entry):
            continue
        if isinstance(entry, data.Transaction | data.Balance):
            return entry.date
        first = first or entry.date
    return first


def books_end(books, today: dt.date) -> dt.date | None:
    """Where the books end, on or before ``today``: the end of the last transaction's month, or the last
    balance line (a statement balance) when that comes later.

    So a month with entries is audited whole (its statement balance is expected), and a ledger whose entries
    end last December is not audited through the empty months since. Entries dated after today are the
    future-dates check's business, not the period's.
    """
    last_transaction = last_balance = None
    for entry in reversed(books.entries):
        if entry.date > today or not conv.is_from_file(entry):
            continue
        if last_transaction is None and isinstance(entry, data.Transaction) and entry.flag != "P":
            last_transaction = entry.date
        elif last_balance is None and isinstance(entry, data.Balance):
            last_balance = entry.date
        if last_transaction is not None and last_balance is not None:
            break
    ends = [day for day in (last_balance, last_transaction and month_end(last_transaction)) if day is not None]
    return min(max(ends), today) if ends else None


def default_period(books, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The whole books: from the first transaction (or balance) to where they end (``books_end``), not today."""
    today = today or dt.date.today()
    start = min(books_start(books) or today, today)
    end = books_end(books, today) or today
    return start, max(start, end)


def run_audit(books, start: dt.date | None = None, end: dt.date | None = None, *, today: dt.date | None = None,
              git: bool = True) -> AuditResult:
    """Audit ``books`` (a loaded ``Books``) over ``start``..``end``; the default is the whole books.

    The default period runs from the first entry to the last (``default_period``); with a start but no end,
    it ends at the last entry too (or at the start, when the start is later).
    """
    began = time.perf_counter()
    today = today or dt.date.today()
    default_start, default_end = default_period(books, today)
    start = start or default_start
    end = end or max(default_end, start)
    if start > end:
        raise Refused(f"The audit period starts ({start.isoformat()}) after it ends ({end.isoformat()}): "
                      "swap --from and --to.", "from")
    settings = audit_settings(books.entries, books.settings)
    ctx = AuditContext(books, start, end, today, settings, git=git)
    findings = run_checks(ctx)
    findings.sort(key=Finding.sort_key)
    return AuditResult(
        title=books.title, root=str(books.root), currency=books.currency, locale=books.locale, start=start,
        end=end, today=today, settings=settings, findings=findings, reconciliation=ctx.reconciliation,
        closes=ctx.closes, git=ctx.git_info, plugin_active=ctx.plugin_active, closed_through=books.closed_through,
        seconds=time.perf_counter() - began, looked_for=ctx.looked_for,
    )
