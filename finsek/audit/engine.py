"""Run the audit: every check over a period of the books, as one result.

``run_audit(books)`` is what ``finsek audit``, ``finsek close`` and the
app's audit screen call. It is plain blocking code (the app runs it in a
worker) and never changes the books.
"""

import datetime as dt
import time
from dataclasses import dataclass, field

from beancount.core import data

from finsek.audit import checks as ck
from finsek.audit.close_chain import CloseStatus, close_status, looks_like_finsek, plugin_active, plugin_errors
from finsek.audit.findings import (
    SEVERITIES,
    Finding,
    at_least,
    count_by_severity,
    group_by_check,
)
from finsek.audit.gitcheck import GitInfo, git_findings
from finsek.audit.settings import AuditSettings, audit_settings
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
    reconciliation: list[ck.MonthReconciliation] = field(default_factory=list)
    closes: list[CloseStatus] = field(default_factory=list)
    git: GitInfo = field(default_factory=lambda: GitInfo(False))
    plugin_active: bool = True
    closed_through: dt.date | None = None
    seconds: float = 0.0

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
        return {
            "organisation": self.title,
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "today": self.today.isoformat(),
            "counts": self.counts,
            "exit_status": self.exit_status,
            "closed_through": self.closed_through.isoformat() if self.closed_through else None,
            "plugin_active": self.plugin_active,
            "settings": {
                key: (str(value) if not isinstance(value, bool | int | tuple) else value)
                for key, value in self.settings._asdict().items()
            },
            "findings": [finding.to_dict(self.root) for finding in self.findings],
            "reconciliation": [row.to_dict() for row in self.reconciliation],
            "closes": [status.to_dict() for status in self.closes],
            "git": self.git.to_dict(),
        }


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
    ctx = ck.AuditContext(books, start, end, today, settings)
    active = plugin_active(books)
    errors = list(books.errors)
    findings: list[Finding] = []
    statuses = close_status(books)
    if not active and looks_like_finsek(books):
        errors.extend(plugin_errors(books))
        findings.append(ctx.finding(
            "closes", "plugin-missing", "warning",
            'main.beancount has no plugin "finsek.plugin" line: bean-check and Fava do not check funds, donors '
            "or closed periods (this audit still does).",
            'Put the line plugin "finsek.plugin" back in main.beancount, after the options.',
            filename=str(books.main), edit=False,
        ))
    findings.extend(ck.ledger_error_findings(ctx, errors))
    for problem in settings.problems:
        findings.append(ctx.finding("ledger", "setting-invalid", "warning", problem,
                                    "Correct the custom \"finsek\" line in accounts.beancount.", edit=False))
    reconciliation = ck.reconciliation_status(ctx)
    findings.extend(ck.check_reconciliation(ctx, reconciliation))
    findings.extend(ck.check_offerings(ctx))
    findings.extend(ck.check_payments(ctx))
    findings.extend(ck.check_duties(ctx))
    findings.extend(ck.check_numbers(ctx))
    findings.extend(ck.check_duplicates(ctx))
    findings.extend(ck.check_funds(ctx))
    findings.extend(ck.check_donor_registry(ctx))
    findings.extend(ck.check_future(ctx))
    findings.extend(ck.check_cash_gifts(ctx))
    info = GitInfo(False, "The git check was not run.")
    if git:
        git_found, info = git_findings(ctx, statuses)
        findings.extend(git_found)
    findings.sort(key=Finding.sort_key)
    return AuditResult(
        title=books.title, root=str(books.root), currency=books.currency, locale=books.locale, start=start,
        end=end, today=today, settings=settings, findings=findings, reconciliation=reconciliation,
        closes=statuses, git=info, plugin_active=active, closed_through=books.closed_through,
        seconds=time.perf_counter() - began,
    )
