"""Separation of duties (when the ledger asks for it): nobody both counts and deposits or approves an
offering, or approves a payment they entered, paid, signed or receive.
"""

from finsek.audit.checks.context import AuditContext, meta_value, name_key, split_names
from finsek.audit.entry_kinds import is_offering
from finsek.audit.findings import Finding
from finsek.ledger import conventions as conv

#: Who took the offering to the bank.
DEPOSITED_BY_KEY = "deposited-by"


def _people(entry, *keys: str) -> dict[str, str]:
    found = {}
    for key in keys:
        for name in split_names(meta_value(entry, key)):
            found[name_key(name)] = name
    return found


def check_duties(ctx: AuditContext) -> list[Finding]:
    if not ctx.settings.separation_of_duties:
        return []
    found = []
    for entry in ctx.transactions:
        if not ctx.in_period(entry):
            continue
        day = entry.date.isoformat()
        if is_offering(entry):
            counters = _people(entry, conv.COUNTED_BY_KEY)
            handlers = _people(entry, DEPOSITED_BY_KEY, conv.APPROVED_BY_KEY)
            if counters.keys() & handlers.keys():
                found.append(ctx.finding(
                    "duties", "duties-offering", "warning",
                    f"The offering of {day} was counted and also deposited or approved by the same person "
                    "(see counted-by, deposited-by and approved-by).",
                    "Have someone who did not count the offering take it to the bank and sign for it; the "
                    "ledger asks for separation of duties.",
                    entry,
                ))
            continue
        approvers = _people(entry, conv.APPROVED_BY_KEY)
        if not approvers:
            continue
        doers = _people(entry, conv.ENTERED_BY_KEY, "paid-by", "signed-by")
        what = f"The {ctx.kind(entry)} of {ctx.money(conv.transaction_size(entry, ctx.currency))} on {day}"
        if approvers.keys() & doers.keys():
            found.append(ctx.finding(
                "duties", "duties-payment", "warning",
                f"{what} was approved by the same person who entered, paid or signed it.",
                "Have the payment approved by someone else (the treasurer's payments are approved by the "
                "chair or the finance committee); the ledger asks for separation of duties.",
                entry,
            ))
        elif entry.payee and name_key(entry.payee) in approvers:
            found.append(ctx.finding(
                "duties", "duties-payment", "warning",
                f"{what} was approved by the person it was paid to.",
                "A payment to a person (a reimbursement) is approved by someone else: have it approved by the "
                "chair or the finance committee.",
                entry,
            ))
    return found
