"""Payments: a receipt above the receipt threshold (and its file where it names one), and above the
approval threshold the name of who approved it.
"""

from pathlib import Path

from beancount.core import data

from finsek.audit.checks.context import AuditContext, meta_value, outflow
from finsek.audit.findings import Finding
from finsek.ledger.entry_rules import approval_missing

#: Where an entry names its receipt or invoice (a path in the ledger folder, or a reference).
RECEIPT_KEYS = ("receipt", "document", "invoice")


def _has_receipt(entry, documented_links: set[str]) -> str | None:
    """The receipt's path or reference, or None when the payment has none."""
    value = None
    for key in RECEIPT_KEYS:
        value = meta_value(entry, key)
        if value:
            return str(value)
    if entry.links and documented_links.intersection(entry.links):
        return ""
    return None


def _receipt_exists(ctx: AuditContext, entry, reference: str) -> bool:
    if not reference or "://" in reference:
        return True
    path = Path(reference).expanduser()
    if path.is_absolute():
        return ctx.exists(path)
    if ctx.exists(ctx.books.root / path):
        return True
    source = (entry.meta or {}).get("filename")
    return bool(source) and ctx.exists(Path(str(source)).parent / path)


def check_payments(ctx: AuditContext) -> list[Finding]:
    found = []
    settings = ctx.settings
    documented = set()
    for entry in ctx.books.entries:
        if isinstance(entry, data.Document) and entry.links:
            documented.update(entry.links)
    for entry in ctx.transactions:
        if not ctx.in_period(entry) or ctx.kind(entry) != "payment":
            continue
        amount = outflow(entry, ctx.currency)
        what = f"The payment of {ctx.money(amount)}{ctx.payee(entry)} on {entry.date.isoformat()}"
        receipt = _has_receipt(entry, documented)
        if receipt is None:
            if amount >= settings.receipt_threshold:
                found.append(ctx.finding(
                    "payments", "payment-receipt", "warning",
                    f"{what} has no receipt or invoice.",
                    "Scan the receipt or invoice into documents/ and add receipt: \"documents/…\" to the entry "
                    "(or attach it when you enter payments in finsek).",
                    entry,
                ))
        elif not _receipt_exists(ctx, entry, receipt):
            found.append(ctx.finding(
                "payments", "receipt-missing-file", "warning",
                f"{what} names a receipt file, {receipt}, that is not in the ledger folder.",
                "Put the scanned receipt back at that path (or correct the path in the entry).",
                entry,
            ))
        if approval_missing(entry, "payment", ctx.currency, settings.approval_threshold) is not None:
            found.append(ctx.finding(
                "payments", "payment-approval", "warning",
                f"{what} is above the approval threshold of {ctx.money(settings.approval_threshold)} and "
                "does not say who approved it.",
                "Add approved-by: \"NAME\" with the person or body that approved the payment (the minutes or "
                "the signed invoice say who).",
                entry,
            ))
    return found
