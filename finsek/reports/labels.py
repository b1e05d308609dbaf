"""Account names as people say them: "Checking", "Facilities: Maintenance".

A board member reads ``Checking``, not ``Assets:Bank:Checking``. Every label
a report prints for an account comes from here, so the PDF, the HTML page,
the XLSX workbook, Markdown, JSON and the app all say the same thing (the
account itself stays in the data, in a hidden ``account`` column):

- the root (``Assets``, ``Income``, ...) is dropped, and for assets and
  liabilities a generic middle name too (``Bank``): ``Checking``; ``Cash``
  only when the name below says it again (``Petty Cash``, but ``Cash: Petty``);
- the names left are joined with ": ": ``Facilities: Maintenance``;
- each name is spaced as words: ``BankFees`` → ``Bank Fees``,
  ``Accounts-Payable`` → ``Accounts Payable``;
- ``under`` (a group the table already shows as a heading) is left out:
  ``Maintenance`` under ``Facilities``;
- ``account_labels`` keeps labels apart when two accounts would read alike.
"""

import re

ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")
#: Middle names of asset and liability accounts that say only what kind of account it is.
GENERIC = frozenset({"Bank", "Banks", "Current", "Accounts"})
#: Middle names left out only when the name below says them again (``Cash:PettyCash`` → ``Petty Cash``).
REPEATED = frozenset({"Cash"})

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def words(name: str) -> str:
    """One account name as words: ``BankFees`` → ``Bank Fees``, ``Office-Supplies`` → ``Office Supplies``."""
    return " ".join(_CAMEL.sub(" ", name.replace("-", " ").replace("_", " ")).split())


def _parts(account: str, under: str | None, generic: bool) -> list[str]:
    parts = account.split(":")
    if under and account.startswith(under + ":"):
        return parts[len(under.split(":")):]
    if len(parts) > 1 and parts[0] in ROOTS:
        root, parts = parts[0], parts[1:]
        if generic and root in ("Assets", "Liabilities") and len(parts) > 1 and (
                parts[0] in GENERIC or (parts[0] in REPEATED and parts[0] in words(parts[1]).split())):
            parts = parts[1:]
    return parts


def account_label(account: str, under: str | None = None) -> str:
    """``account`` as people say it (see the module); ``under`` a group already shown as a heading."""
    if not account:
        return account
    return ": ".join(words(part) for part in _parts(account, under, generic=True))


def account_labels(accounts, under: str | None = None) -> dict[str, str]:
    """``account_label`` of each account, with the generic name put back where two would read alike."""
    accounts = list(accounts)
    labels = {account: account_label(account, under) for account in accounts}
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    for account, label in labels.items():
        if seen[label] > 1:
            labels[account] = ": ".join(words(part) for part in _parts(account, under, generic=False))
    return labels
