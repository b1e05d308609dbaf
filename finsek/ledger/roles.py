"""The accounts finsek itself books to, by role, so a ledger may name them in its own language.

finsek books a gift to "the gifts account", a deposit to "the deposit
account", a platform's fee to "the bank fees account". Each role has the
account of finsek's English chart as its default; a ledger names its own with
``custom "finsek" "account-<role>" "<account>"`` (``finsek init --locale
sv_SE`` writes them for the Swedish chart), so ``Income:Gåvor:Kollekter`` is
the gifts account of a Swedish congregation and every form, command, report
and check finds it.
"""

from finsek.ledger.conventions import LedgerSettings

ROLES: dict[str, tuple[str, str]] = {
    "deposit": ("Assets:Bank:Checking", "the bank account gifts are deposited to and bills are paid from"),
    "savings": ("Assets:Bank:Savings", "the savings account"),
    "bank": ("Assets:Bank", "the group of bank accounts (reconciled with statements)"),
    "undeposited": ("Assets:Cash:Undeposited", "cash counted but not yet deposited"),
    "petty-cash": ("Assets:Cash:Petty", "petty cash"),
    "payable": ("Liabilities:Payable", "bills received, not yet paid"),
    "opening": ("Equity:NetAssets:Opening", "net assets when the books started"),
    "transfers": ("Equity:Transfers", "transfers between funds"),
    "giving": ("Income:Contributions", "the group of gift accounts"),
    "gifts": ("Income:Contributions:Offerings", "gifts and offerings to the general fund"),
    "designated-gifts": ("Income:Contributions:Designated", "gifts to a fund other than the general fund"),
    "bank-fees": ("Expenses:Administration:BankFees", "bank and payment platform fees"),
}


#: The gift groups of finsek's English and Swedish charts, for code that sees an entry without its ledger.
GIVING_GROUPS = ("Income:Contributions", "Income:Gåvor")


def account(settings: LedgerSettings, role: str) -> str:
    """The account the ledger uses for ``role``: its own ``account-<role>`` line, else finsek's default."""
    return dict(settings.accounts).get(role) or ROLES[role][0]
