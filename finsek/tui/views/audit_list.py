"""The audit screen's list, computed from the books (no Textual).

``audit_books`` is the app's background audit: it answers from the audit's
memo when the books did not change, else runs the audit (in a child process
when it can, see ``finsek.audit.background``), and arranges the
findings the way the audit screen lists them, so the screen's thread only
draws. It blocks: the app runs it in a thread worker.
"""

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from beancount.core import data

from finsek.audit.findings import SEVERITIES
from finsek.core import collect

if TYPE_CHECKING:
    from finsek.audit.engine import AuditResult

#: Each severity's findings in report order: (finding, its place, the text the filter searches).
Arranged = dict[str, list[tuple]]


class AuditedBooks(NamedTuple):
    result: "AuditResult"
    arranged: Arranged


def audit_books(books, today: dt.date, *, elsewhere: bool) -> AuditedBooks:
    """Audit ``books`` as of ``today`` and arrange the findings.

    The audit's memo answers first (``finsek.audit.memo``: books that did not
    change since their last audit); else, when ``elsewhere``, a child process
    audits them (and remembers the result); else this process does.
    """
    # the audit engine and its checks: not before the app's first screen (start-up time)
    from finsek.audit import memo

    result = memo.recall(books, today=today)
    if result is None and elsewhere:  # heavy work in child processes (see finsek.audit.background)
        from finsek.audit.background import audit_elsewhere

        result = audit_elsewhere(books, today)
    if result is None:
        with collect.paused():
            result = memo.audit(books, today=today)
    return AuditedBooks(result, arrange(result))


def arrange(result: "AuditResult") -> Arranged:
    """Each severity's findings in report order (by check), each with its place and the text the filter searches."""
    arranged: Arranged = {name: [] for name in SEVERITIES}
    for finding in sorted(result.findings, key=lambda finding: finding.sort_key()):
        where = finding.location(result.root)
        text = " ".join((finding.title, finding.check_title, finding.message, where,
                         finding.date.isoformat() if finding.date else "")).casefold()
        arranged.setdefault(finding.severity, []).append((finding, where, text))
    return arranged


def by_check(found: list[tuple]) -> list[tuple[str, list[tuple]]]:
    """One severity's findings (``(finding, ...)`` in report order) as ``[(check title, [...]), ...]``.

    Report order sorts a severity's findings by check, so each check's findings are already together.
    """
    groups: list[tuple[str, list[tuple]]] = []
    current = None
    for item in found:
        finding = item[0]
        if finding.check != current:
            current = finding.check
            groups.append((finding.check_title, []))
        groups[-1][1].append(item)
    return groups


def entry_at(books, filename: str | None, lineno: int | None):
    """The entry written at ``filename``:``lineno`` (a transaction preferred), or None."""
    if not filename or not lineno:
        return None
    found = None
    for entry in books.entries:
        meta = entry.meta or {}
        if meta.get("lineno") == lineno and meta.get("filename") == filename:
            if isinstance(entry, data.Transaction):
                return entry
            found = found or entry
    return found
