"""Donors on entries: the donor ids entries name can be checked against a donor registry (donors.csv).

Unknown funds and donor ids, and postings without a fund, are errors the plugin reports when loading (see
the ledger family); they are findings of the same check, ``fund-donor-tags``.
"""

from finsek.audit.checks.context import AuditContext, meta_value
from finsek.audit.findings import Finding
from finsek.ledger import conventions as conv
from finsek.ledger.donor_faults import registry_faults


def check_donor_registry(ctx: AuditContext) -> list[Finding]:
    if ctx.books.donors.exists:
        return _registry_faults(ctx)
    for entry in ctx.transactions:
        if ctx.in_period(entry) and meta_value(entry, conv.DONOR_KEY):
            return [ctx.finding(
                "fund-donor-tags", "donor-registry-missing", "note",
                "The entries name donor ids, but the ledger folder has no donors.csv: the ids cannot be checked.",
                "Keep the donor registry (donors.csv) in the ledger folder; finsek's donor list writes it.",
                filename=str(ctx.books.root / "donors.csv"), edit=False,
            )]
    return []


def _registry_faults(ctx: AuditContext) -> list[Finding]:
    """donors.csv's own faults (duplicate ids, aliases into nothing or in a circle, shared envelopes), by line."""
    path = str(ctx.books.root / "donors.csv")
    return [
        ctx.finding("fund-donor-tags", "donor-registry-fault", "error", fault.message,
                    "Fix that row of donors.csv (finsek donor edit, or a spreadsheet saved as CSV UTF-8).",
                    filename=path, lineno=fault.lineno, edit=False)
        for fault in registry_faults(ctx.books.root)
    ]
