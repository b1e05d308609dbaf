"""Large cash gifts: a cash gift above the cash-gift threshold is worth a look (a note)."""

from finsek.audit.checks.context import AuditContext
from finsek.audit.entry_kinds import is_offering
from finsek.audit.findings import Finding
from finsek.ledger import conventions as conv
from finsek.ledger import roles


def check_cash_gifts(ctx: AuditContext) -> list[Finding]:
    found = []
    threshold = ctx.settings.cash_gift_threshold
    giving = roles.account(ctx.books.settings, "giving")
    for entry in ctx.transactions:
        if not ctx.in_period(entry):
            continue
        offering = is_offering(entry)
        txn_method = (entry.meta or {}).get(conv.METHOD_KEY)
        for posting in entry.postings:
            units = posting.units
            if units is None or units.number is None or units.currency != ctx.currency:
                continue
            if not posting.account.startswith("Income:") or -units.number <= threshold:
                continue
            method = (posting.meta or {}).get(conv.METHOD_KEY, txn_method)
            if method != "cash":
                continue
            donor = conv.posting_donor(entry, posting)
            gift = donor or (not offering and conv.account_matches(posting.account, giving))
            if not gift:
                continue  # the loose plate cash of a counted offering is many gifts
            found.append(ctx.finding(
                "cash-gifts", "large-cash-gift", "note",
                f"A cash gift of {ctx.money(-units.number)} on {entry.date.isoformat()} is above the cash-gift "
                f"threshold of {ctx.money(threshold)}.",
                "Make sure it was counted by two people and deposited whole, and that the donor receives a "
                "written acknowledgement.",
                entry, edit=False,
            ))
    return found
