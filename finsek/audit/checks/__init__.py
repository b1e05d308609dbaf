"""The audit's checks: one module per family, run in the order of ``FAMILIES``.

A family is a function from the context (``context.AuditContext``: the
books, the period, the settings and what several checks share) to a list of
findings. What a family sees besides findings (the closes, the months
reconciled, what git could see) it records on the context for the result.

A new family of checks is one new module here and one line in ``FAMILIES``
(and its check in ``finsek.audit.findings.CHECKS``, and docs/audit.md).
"""

from finsek.audit.checks import (
    cash_gifts,
    check_numbers,
    clearing,
    closes,
    donors,
    duplicates,
    duties,
    funds,
    future,
    git,
    ledger,
    offerings,
    payments,
    reconciliation,
)
from finsek.audit.checks.context import AuditContext
from finsek.audit.findings import Finding

#: Every family of checks, in the order the engine runs them. The closes family comes first: the ledger
#: family reports the plugin's errors it adds, and the git family looks at the closes it lists.
FAMILIES = (
    closes.check_closes,
    ledger.check_ledger,
    reconciliation.check_reconciliation,
    offerings.check_offerings,
    payments.check_payments,
    duties.check_duties,
    check_numbers.check_numbers,
    duplicates.check_duplicates,
    funds.check_funds,
    donors.check_donor_registry,
    future.check_future,
    cash_gifts.check_cash_gifts,
    clearing.check_clearing,
    git.check_git,
)


def run_checks(ctx: AuditContext) -> list[Finding]:
    """The findings of every family, in the order they ran (the engine sorts them for the report)."""
    found: list[Finding] = []
    for family in FAMILIES:
        found.extend(family(ctx))
    return found
