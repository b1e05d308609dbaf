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


def default_period(books, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The whole books: from the first transaction (or balance) to today."""
    today = today or dt.date.today()
    start = books_start(books) or today
    return min(start, today), today


def run_audit(books, start: dt.date | None = None, end: dt.date | None = None, *, today: dt.date | None = None,
              git: bool = True) -> AuditResult:
    """Audit ``books`` (a loaded ``Books``) over ``start``..``end``; the defaults are the whole books to today."""
    began = time.perf_counter()
    today = today or dt.date.today()
    default_start, default_end = default_period(books, today)
    start = start or default_start
    end = end or default_end
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
