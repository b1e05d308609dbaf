"""BAS account numbers: how finsek's accounts are numbered in SIE, and SIE's numbers named in finsek.

An account's number is its ``bas:`` metadata (on its ``open`` line) when it
has one; else, for the accounts of finsek's chart, the number in ``CHART``
(chosen from the BAS account plan as a Swedish congregation's auditor
expects them: 1930 for the bank account, 2440 for payables, 3xxx for gifts
and collections, 5xxx–7xxx for costs, 83xx for interest); else a free number
in the range of its kind, counted up from ``SPARE`` and reported, so the
treasurer can set ``bas:`` where the auditor wants another.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping

from finsek.ledger import chart_sv

BAS_KEY = "bas"

#: finsek's chart (finsek/ledger/template.py) in BAS numbers, with the Swedish name written to #KONTO.
CHART: dict[str, tuple[str, str]] = {
    "Assets:Bank:Checking": ("1930", "Bank, checkkonto"),
    "Assets:Bank:Savings": ("1940", "Bank, sparkonto"),
    "Assets:Cash:Petty": ("1910", "Kassa"),
    "Assets:Cash:Undeposited": ("1911", "Kollekter ej insatta på bank"),
    "Liabilities:Payable": ("2440", "Leverantörsskulder"),
    "Liabilities:Payroll": ("2710", "Personalens källskatt"),
    "Equity:NetAssets:Opening": ("2061", "Eget kapital vid start"),
    "Equity:Transfers": ("2065", "Överföringar mellan ändamål"),
    "Income:Contributions:Offerings": ("3010", "Kollekter och gåvor"),
    "Income:Contributions:Designated": ("3020", "Ändamålsbestämda gåvor"),
    "Income:Contributions:Special": ("3030", "Insamlingar"),
    "Income:Fundraising": ("3040", "Försäljning och evenemang"),
    "Income:Rental": ("3910", "Hyresintäkter"),
    "Income:Interest": ("8310", "Ränteintäkter"),
    "Expenses:Personnel:Salaries": ("7210", "Löner"),
    "Expenses:Personnel:Taxes": ("7510", "Arbetsgivaravgifter"),
    "Expenses:Personnel:Benefits": ("7690", "Övriga personalkostnader"),
    "Expenses:Facilities:Utilities": ("5020", "El, värme och vatten"),
    "Expenses:Facilities:Maintenance": ("5070", "Reparation och underhåll av lokaler"),
    "Expenses:Facilities:Insurance": ("6310", "Försäkringar"),
    "Expenses:Facilities:Rent": ("5010", "Lokalhyra"),
    "Expenses:Ministry:Worship": ("6991", "Gudstjänster"),
    "Expenses:Ministry:Education": ("6992", "Undervisning"),
    "Expenses:Ministry:Youth": ("6993", "Barn och ungdom"),
    "Expenses:Missions:Denominational": ("6981", "Avgifter till samfundet"),
    "Expenses:Missions:Local": ("6994", "Mission och diakoni lokalt"),
    "Expenses:Benevolence": ("6995", "Hjälp till enskilda"),
    "Expenses:Administration:Office": ("6110", "Kontorsmaterial"),
    "Expenses:Administration:BankFees": ("6570", "Bankkostnader"),
}

#: Where numbers for accounts without one are counted from, by Beancount root.
SPARE = {"Assets": 1980, "Liabilities": 2890, "Equity": 2080, "Income": 3980, "Expenses": 6900}
#: The account the previous years' results are carried in, in the opening and closing balances.
RETAINED = ("2067", "Balanserat resultat")

_NUMBER = re.compile(r"[0-9]{4}")


def is_balance(number: str) -> bool:
    """Balance-sheet accounts (class 1 assets, class 2 equity and liabilities) carry #IB and #UB."""
    return number[:1] in ("1", "2")


def kind(number: str) -> str:
    """#KTYP: T asset, S liability or equity, I income, K cost."""
    if number.startswith("1"):
        return "T"
    if number.startswith("2"):
        return "S"
    return "I" if number.startswith("3") or number[:2] in ("80", "81", "82", "83") else "K"


def root(number: str) -> str:
    """The Beancount root for a BAS number (20xx is equity, the rest of class 2 liabilities)."""
    if number.startswith("1"):
        return "Assets"
    if number.startswith("20"):
        return "Equity"
    if number.startswith("2"):
        return "Liabilities"
    return "Income" if kind(number) == "I" else "Expenses"


def numbers(accounts: Iterable[str], metadata: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Each account's number, and the accounts given a spare one (for the summary).

    ``metadata`` holds the ``bas:`` values the ledger's open lines give.
    """
    chosen: dict[str, str] = {}
    for account in accounts:
        given = metadata.get(account, "").strip()
        if _NUMBER.fullmatch(given):
            chosen[account] = given
        elif account in CHART:
            chosen[account] = CHART[account][0]
    taken = set(chosen.values())
    spared = []
    for account in sorted(set(accounts) - set(chosen)):
        number = SPARE.get(account.split(":", 1)[0], 6900)
        while str(number) in taken:
            number += 1
        chosen[account] = str(number)
        taken.add(str(number))
        spared.append(account)
    return chosen, spared


def name_of(account: str) -> str:
    """The #KONTO name: the Swedish name of finsek's chart, else the account's parts after its root."""
    if account in CHART:
        return CHART[account][1]
    return ", ".join(account.split(":")[1:]) or account


def account_for(number: str, name: str, taken: set[str], swedish: bool = False) -> str:
    """A Beancount account for a SIE account: finsek's own for its number (of its Swedish chart when
    ``swedish``), else ``Root:NNNN-Name``."""
    own = ([(account, chart_number) for account, chart_number, _role in chart_sv.ACCOUNTS] if swedish
           else [(account, chart_number) for account, (chart_number, _label) in CHART.items()])
    for account, chart_number in own:
        if chart_number == number and account not in taken:
            return account
    words = re.findall(r"[A-Za-z0-9]+", _ascii(name))
    label = "".join(word[:1].upper() + word[1:] for word in words)[:40]
    digits = number if number.isdigit() else "0000"
    base = f"{root(digits)}:{digits}" + (f"-{label}" if label else "")
    account, count = base, 2
    while account in taken:
        account, count = f"{base}-{count}", count + 1
    return account


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
