"""finsek.audit: the audit checks, the committee's report and closing periods.

The faces (CLI, TUI) call:

- ``run_audit(books, start=None, end=None, *, today=None, git=True) -> AuditResult``
  (``finsek.audit.engine``): every check over a period; ``result.findings``
  are ``Finding`` objects (severity, check, code, message, action, filename,
  lineno, date, closed), ``result.grouped()`` groups them by check.
- ``plan_close(books, through, today=None) -> ClosePlan`` and
  ``close_books(ledger, through, today=None) -> CloseResult``
  (``finsek.audit.closing``).
- ``build_report(books, result)`` and its renderers (``finsek.audit.report``,
  ``finsek.audit.pdf``).

The checks themselves are ``finsek.audit.checks``: one module per family,
run in the order of its ``FAMILIES`` table.

Names are loaded on first use, so importing ``finsek.cli.audit`` (for the
argument parser) stays cheap.
"""

import importlib

_EXPORTS = {
    "run_audit": "finsek.audit.engine",
    "AuditResult": "finsek.audit.engine",
    "default_period": "finsek.audit.engine",
    "Finding": "finsek.audit.findings",
    "CHECKS": "finsek.audit.findings",
    "SEVERITIES": "finsek.audit.findings",
    "plan_close": "finsek.audit.closing",
    "close_books": "finsek.audit.closing",
    "suggested_through": "finsek.audit.closing",
    "ClosePlan": "finsek.audit.closing",
    "CloseResult": "finsek.audit.closing",
    "close_status": "finsek.audit.checks.closes",
    "build_report": "finsek.audit.report",
    "render_markdown": "finsek.audit.report",
    "render_text": "finsek.audit.report",
    "render_json": "finsek.audit.report",
    "render_pdf": "finsek.audit.pdf",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'finsek.audit' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
