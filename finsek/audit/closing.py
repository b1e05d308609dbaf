"""Closing the books through a date: ``finsek close --through YYYY-MM-DD``.

Closing writes one line, through the writer (the only way finsek writes)::

    2026-11-05 custom "close" 2026-10-31 "sha256:…"

with the digest of the books through the closed date (docs/close-digest.md);
the digest covers the previous close lines too, so closes chain. Before
writing, the period since the previous close (or since the books began) is
audited: any error refuses the close, naming each. After a close the write
path refuses entries dated in the closed period, and the plugin makes any
edit inside it an error in bean-check and Fava.

``plan_close`` answers "may I close through this date, and what would be
written?" without writing (the app shows it before asking); ``close_books``
writes.

The audit before a close is always run, never answered from the audit's
memo (``finsek.audit.memo``): a close seals the period for good, so what
allows it must be the audit of the books as they are now, not a result
remembered under a key, however complete the key; it runs once a month, over
one period, where seconds do not matter.
"""

import datetime as dt
import re
from typing import NamedTuple

from finsek.audit.engine import AuditResult, books_start, run_audit
from finsek.audit.findings import Finding
from finsek.core.dates import ONE_DAY, last_month_end, month_name
from finsek.core.errors import Refused
from finsek.ledger.digest import describe_period, period_digest, period_name
from finsek.ledger.entries import Draft

#: How many errors a refusal names before saying "and N more".
NAMED_ERRORS = 10


class ClosePlan(NamedTuple):
    """What closing through ``through`` would do, or why it may not."""

    through: dt.date
    today: dt.date
    start: dt.date
    digest: str | None
    draft: Draft | None
    audit: AuditResult | None
    refusal: str | None

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    @property
    def blocking(self) -> list[Finding]:
        return self.audit.errors if self.audit is not None else []

    @property
    def period(self) -> str:
        return period_name(self.start, self.through)


class CloseResult(NamedTuple):
    plan: ClosePlan
    file: str
    lineno: int | None
    note: str


def suggested_through(books, today: dt.date | None = None) -> dt.date | None:
    """The month end the treasurer would close next: the last one before today, if not closed yet."""
    today = today or dt.date.today()
    through = last_month_end(today)
    if books.closed_through and books.closed_through >= through:
        return None
    return through


def close_text(closed_on: dt.date, through: dt.date, digest: str) -> str:
    return f'{closed_on.isoformat()} custom "close" {through.isoformat()} "{digest}"\n'


def _name_errors(errors: list[Finding], root) -> str:
    named = []
    for finding in errors[:NAMED_ERRORS]:
        where = finding.location(root)
        named.append(f"{where}: {finding.message}" if where else finding.message)
    more = len(errors) - NAMED_ERRORS
    text = "\n  - " + "\n  - ".join(named)
    if more > 0:
        text += f"\n  - and {more} more"
    return text


def plan_close(books, through: dt.date, today: dt.date | None = None, *, git: bool = True) -> ClosePlan:
    """Check whether the books may be closed through ``through`` today; build the close line if so."""
    today = today or dt.date.today()
    previous = books.closed_through
    start = (previous + ONE_DAY) if previous else (books_start(books) or through)
    start = min(start, through)

    def refused(message: str, audit: AuditResult | None = None) -> ClosePlan:
        return ClosePlan(through, today, start, None, None, audit, message)

    if through >= today:
        latest = (today - ONE_DAY).isoformat()
        return refused(f"A day can be closed only after it has ended: today is {today.isoformat()}, so close "
                       f"through {latest} at the latest (usually the last day of last month).")
    first = books_start(books)
    if first is None or through < first:
        begins = f"start on {first.isoformat()}" if first else "have no entries yet"
        return refused(f"The books {begins}: there is nothing to close through {through.isoformat()}.")
    if previous and through <= previous:
        return refused(f"The books are already closed through {previous.isoformat()}: {describe_period(through)} "
                       "is closed. Corrections are new entries dated after the close.")
    audit = run_audit(books, start, through, today=today, git=git)
    if audit.has_errors:
        errors = audit.errors
        plural = "s" if len(errors) != 1 else ""
        return refused(
            f"finsek will not close {period_name(start, through)}: the audit finds {len(errors)} error{plural} "
            f"that must be put right first:{_name_errors(errors, books.root)}\n"
            f"Run finsek audit --from {start.isoformat()} --to {through.isoformat()} to see each with what to do.",
            audit,
        )
    digest = period_digest(books.entries, through)
    label = month_name(through) if (through + ONE_DAY).day == 1 else through.isoformat()
    draft = Draft("close", today, close_text(today, through, digest), f"close of the books through {through} ({label})")
    return ClosePlan(through, today, start, digest, draft, audit, None)


def close_books(ledger, through: dt.date, today: dt.date | None = None, *, git: bool = True,
                plan: ClosePlan | None = None) -> CloseResult:
    """Close ``ledger`` (a ``finsek.ledger.ledger.Ledger``) through ``through``; raise ``Refused`` if not allowed.

    ``plan``: the plan just shown to the person who confirmed it (``finsek close`` asks in between); the
    close is written only if the books still have the digest it was made for.
    """
    if plan is None or plan.through != through or plan.digest != period_digest(ledger.books.entries, through):
        plan = plan_close(ledger.books, through, today, git=git)
    if not plan.allowed:
        raise Refused(plan.refusal, "through")
    result = ledger.save(plan.draft)
    if result.reloaded and period_digest(ledger.books.entries, through) != plan.digest:
        # Someone changed the ledger between the audit and the write: the digest may be stale.
        ledger.undo()
        raise Refused("The ledger changed on disk while closing, so the close was taken back. Run finsek close "
                      "again.", "through")
    return CloseResult(plan, str(result.file), result.lineno, result.note)


_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


class CloseCheck(NamedTuple):
    """What ``verify_close`` found: whether the books and the close line are as the minutes say, in words."""

    ok: bool
    message: str


def parse_digest(text: str) -> str | None:
    """A digest as the minutes hold it (``sha256:`` and 64 hex digits, any case, spaces around), else None."""
    digest = (text or "").strip().lower()
    if not digest.startswith("sha256:"):
        digest = "sha256:" + digest
    return digest if _DIGEST.fullmatch(digest) else None


def verify_close(books, through: dt.date, digest: str) -> CloseCheck:
    """Check the books through ``through`` against a digest the board minuted (no git needed).

    The digest is recomputed from the books now (``period_digest``, as ``finsek
    close`` wrote it). ok only when it matches and the ledger still holds a
    close line through that day with that digest: a close line that is gone or
    was written again is itself a fault (the period is open to edits, or was
    closed again after a change).
    """
    now = period_digest(books.entries, through)
    day = through.isoformat()
    lines = [close for close in books.closes if close.through == through]
    if now != digest:
        return CloseCheck(False, (
            f"The books through {day} do NOT match the digest in the minutes: something dated on or before {day} "
            "was changed, added or removed after the books were closed. In a git repository 'finsek audit' lists "
            "the entries; otherwise compare the ledger with a copy made at the close."))
    if not lines:
        return CloseCheck(False, (
            f"The books through {day} match the digest in the minutes, but the ledger no longer has its close line "
            f"through {day}, so the period is open to edits: close it again with 'finsek close --through {day}'."))
    if all(close.digest != digest for close in lines):
        return CloseCheck(False, (
            f"The books through {day} match the digest in the minutes, but the close line in the ledger holds "
            f"another digest ({lines[0].digest}): restore the close line with the digest in the minutes."))
    return CloseCheck(True, (
        f"The books through {day} match the digest in the minutes ({digest}): nothing dated on or before {day} "
        "has changed since the close."))
