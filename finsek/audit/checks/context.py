"""What every family of checks shares: the context (books, period, settings) and helpers.

Each check looks at the entries dated inside the audit period (``start`` to
``end``, both included); comparisons that need history (duplicates, check
numbers, fund balances) look before the period too but only report what
touches it. Errors from loading the ledger and entries dated in the future
are reported whatever the period. The checks are documented, with their
settings, in docs/audit.md; keep the two in step.
"""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from finsek.audit.checks.settings import AuditSettings
from finsek.audit.entry_kinds import transaction_kind
from finsek.audit.findings import Finding
from finsek.core.money import format_amount
from finsek.ledger import conventions as conv
from finsek.ledger.conventions import split_names
from finsek.ledger.entry_rules import inflow, meta_value, name_key, outflow

ZERO = Decimal(0)


class AuditContext:
    """The books, the period and the settings, with the indexes several checks share."""

    def __init__(self, books, start: dt.date, end: dt.date, today: dt.date, settings: AuditSettings, *,
                 git: bool = True):
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
        #: Whether the git family may run git (``run_audit(git=False)`` does not).
        self.use_git = git
        # What the families see besides findings, for the result (FAMILIES runs the closes family first):
        self.errors: list = list(books.errors)  # loading errors; closes adds the plugin's when its line is missing
        self.plugin_active = True  # set by closes
        self.closes: list = []  # closes: each close line and whether its digest matches (CloseStatus)
        self.reconciliation: list = []  # reconciliation: each account at each month end (MonthReconciliation)
        self.git_info = None  # git: what git could see (GitInfo)
        #: Every file a check looked for on disk and whether it was there (see ``exists``).
        self.looked_for: dict[str, bool] = {}

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

    def exists(self, path: Path) -> bool:
        """Whether ``path`` exists, remembered in ``looked_for``: checks ask the disk only through this.

        The result depends on these files as much as on the books, so the
        audit's memo looks at each again before it answers for the books.
        """
        name = str(path)
        found = self.looked_for.get(name)
        if found is None:
            found = self.looked_for[name] = os.path.exists(name)
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


def where(entry) -> str:
    """``2026.beancount:120``: the file name and line of an entry (its date when it has none)."""
    meta = entry.meta or {}
    name = Path(str(meta.get("filename", ""))).name
    return f"{name}:{meta.get('lineno')}" if name else entry.date.isoformat()


#: The per-entry rules live in the ledger layer (``finsek.ledger.entry_rules``), where the save path's warnings
#: use them too; the checks import them from here as before.
__all__ = ["ZERO", "AuditContext", "inflow", "meta_value", "name_key", "outflow", "split_names", "where"]
