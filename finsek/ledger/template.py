"""A new church ledger folder: ``finsek init``.

Layout (docs/conventions.md, "The ledger folder")::

    main.beancount        options, plugin line, includes
    accounts.beancount    open directives, fund registry, settings, budgets
    YYYY.beancount        the year's entries
    donors.csv            the donor registry (private to its owner)
    documents/            receipts and count sheets
"""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

from finsek.core import dates
from finsek.core.errors import Refused
from finsek.core.money import LOCALES, ledger_number
from finsek.core.text import check_text, quote
from finsek.ledger import chart_sv
from finsek.ledger.donors import header_line

ACCOUNTS = (
    "Assets:Bank:Checking",
    "Assets:Bank:Savings",
    "Assets:Cash:Undeposited",
    "Assets:Cash:Petty",
    "Liabilities:Payable",
    "Liabilities:Payroll",
    "Equity:NetAssets:Opening",
    "Equity:Transfers",
    "Income:Contributions:Offerings",
    "Income:Contributions:Designated",
    "Income:Contributions:Special",
    "Income:Fundraising",
    "Income:Rental",
    "Income:Interest",
    "Expenses:Personnel:Salaries",
    "Expenses:Personnel:Taxes",
    "Expenses:Personnel:Benefits",
    "Expenses:Facilities:Utilities",
    "Expenses:Facilities:Maintenance",
    "Expenses:Facilities:Insurance",
    "Expenses:Facilities:Rent",
    "Expenses:Ministry:Worship",
    "Expenses:Ministry:Education",
    "Expenses:Ministry:Youth",
    "Expenses:Missions:Denominational",
    "Expenses:Missions:Local",
    "Expenses:Benevolence",
    "Expenses:Administration:Office",
    "Expenses:Administration:BankFees",
)

FUNDS = (
    ("general", "General Fund", "unrestricted"),
    ("building", "Building Fund", "restricted"),
    ("missions", "Missions Fund", "restricted"),
    ("benevolence", "Benevolence Fund", "restricted"),
)

#: Sample yearly budget in whole currency units, for a congregation of about 150 households.
SAMPLE_BUDGET = (
    ("Income:Contributions:Offerings", "-240000"),
    ("Expenses:Personnel:Salaries", "120000"),
    ("Expenses:Personnel:Taxes", "9600"),
    ("Expenses:Personnel:Benefits", "14400"),
    ("Expenses:Facilities:Utilities", "5400"),
    ("Expenses:Facilities:Maintenance", "6000"),
    ("Expenses:Facilities:Insurance", "4800"),
    ("Expenses:Ministry:Worship", "3000"),
    ("Expenses:Ministry:Education", "2400"),
    ("Expenses:Ministry:Youth", "3600"),
    ("Expenses:Missions:Denominational", "24000"),
    ("Expenses:Missions:Local", "3000"),
    ("Expenses:Benevolence", "4000"),
    ("Expenses:Administration:Office", "3000"),
    ("Expenses:Administration:BankFees", "360"),
)

MAIN = "main.beancount"
ACCOUNTS_FILE = "accounts.beancount"


def year_file_header(year: int) -> str:
    return f"; Entries dated {year}. finsek appends new entries at the end of this file.\n"


def main_text(name: str, currency: str, years: list[int]) -> str:
    includes = "".join(f'include "{year}.beancount"\n' for year in years)
    return (
        f"option \"title\" {quote(name)}\n"
        f'option "operating_currency" "{currency}"\n'
        '\nplugin "finsek.plugin"\n\n'
        f'include "{ACCOUNTS_FILE}"\n'
        f"{includes}"
    )


def accounts_text(
    start: dt.date,
    currency: str,
    locale: str,
    fiscal_year_start: int,
    budget_years: list[int],
    budget_scale: Decimal = Decimal(1),
) -> str:
    """accounts.beancount: the English chart, or the Swedish one (``chart_sv``) for ``sv_SE``."""
    swedish = locale == "sv_SE"
    day = start.isoformat()
    lines = ["; Chart of accounts, funds, settings and budgets. Add accounts with open directives.", ""]
    lines.append(f'{day} custom "finsek" "locale" "{locale}"')
    lines.append(f'{day} custom "finsek" "fiscal-year-start" "{fiscal_year_start}"')
    lines.append(f'{day} custom "finsek" "default-fund" "{chart_sv.DEFAULT_FUND if swedish else "general"}"')
    if fiscal_year_start != 1:
        end = dt.date(2001, fiscal_year_start, 1) - dt.timedelta(days=1)
        lines.append(f'{day} custom "fava-option" "fiscal-year-end" "{end:%m-%d}"')
    if swedish:
        lines.extend(_swedish_settings(day, currency))
    lines.append("")
    lines.append("; Funds: name, title, class (unrestricted, designated or restricted).")
    for fund, title, klass in chart_sv.FUNDS if swedish else FUNDS:
        lines.append(f'{day} custom "fund" "{fund}" "{title}" "{klass}"')
    lines.append("")
    numbered = [(account, number) for account, number, _role in chart_sv.ACCOUNTS] if swedish else [
        (account, "") for account in ACCOUNTS]
    width = max(len(account) for account, _number in numbered)
    for account, number in numbered:
        lines.append(f"{day} open {account.ljust(width)}  {currency}")
        if number:
            lines.append(f'  bas: "{number}"')
    for year in budget_years:
        lines.append("")
        lines.append(f"; Budget for the fiscal year starting {year}-{fiscal_year_start:02d}.")
        budget_day = dt.date(year, fiscal_year_start, 1).isoformat()
        for account, amount in chart_sv.SAMPLE_BUDGET if swedish else SAMPLE_BUDGET:
            yearly = Decimal(amount) * budget_scale
            if yearly < 0:
                yearly = -yearly
            lines.append(
                f'{budget_day} custom "budget" {account.ljust(width)} "yearly" '
                f"{ledger_number(yearly, currency)} {currency}"
            )
    return "\n".join(lines) + "\n"


def _swedish_settings(day: str, currency: str) -> list[str]:
    """The Swedish chart's roles and its thresholds in the ledger's currency (kronor)."""
    lines = ["", "; Which account plays which part in finsek (see docs/conventions.md, \"Account roles\")."]
    roles = [(role, account) for account, _number, role in chart_sv.ACCOUNTS if role] + list(chart_sv.GROUPS)
    lines.extend(f'{day} custom "finsek" "account-{role}" "{account}"' for role, account in roles)
    lines.append("")
    lines.append("; Thresholds: approval of a payment, receipts, large cash gifts.")
    for key, value in chart_sv.SETTINGS:
        number, unit = value.split()
        lines.append(f'{day} custom "finsek" "{key}" {number} {currency if unit == "SEK" else unit}')
    return lines


def _write_private(path: Path, text: str, mode: int = 0o600) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def validate_init(name: str, currency: str, locale: str, fiscal_year_start: int) -> tuple[str, str]:
    name = check_text(name, "organisation name", required=True, max_length=200)
    currency = (currency or "").strip().upper()
    if not (3 <= len(currency) <= 5 and currency.isalpha() and currency.isascii()):
        raise Refused(f"'{currency}' is not a currency code: use three letters such as USD or SEK.")
    if locale not in LOCALES:
        raise Refused(f"The locale '{locale}' is not supported: choose one of {', '.join(LOCALES)}.")
    if not 1 <= fiscal_year_start <= 12:
        raise Refused("The fiscal year start is a month number from 1 (January) to 12 (December).")
    return name, currency


def create_ledger(
    path: Path,
    name: str,
    currency: str = "USD",
    locale: str = "en_US",
    fiscal_year_start: int = 1,
    today: dt.date | None = None,
    start: dt.date | None = None,
    budget_scale: Decimal = Decimal(1),
) -> Path:
    """Create the ledger folder and return the path of its main file.

    Refuses to touch an existing ledger: the folder must be missing or empty.
    """
    name, currency = validate_init(name, currency, locale, fiscal_year_start)
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise Refused(
            f"{path} already exists and is not empty: finsek never overwrites a ledger. "
            "Choose a new folder name."
        )
    today = today or dt.date.today()
    start = start or dates.fiscal_year_start(today, fiscal_year_start)
    years = list(range(start.year, today.year + 1))
    budget_years = sorted(
        {dates.fiscal_year_start(dt.date(year, 12, 31), fiscal_year_start).year for year in years}
        | {dates.fiscal_year_start(today, fiscal_year_start).year}
    )
    budget_years = [year for year in budget_years if dt.date(year, fiscal_year_start, 1) >= start]
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    (path / "documents").mkdir(mode=0o700)
    _write_private(path / MAIN, main_text(name, currency, years), 0o644)
    _write_private(
        path / ACCOUNTS_FILE,
        accounts_text(start, currency, locale, fiscal_year_start, budget_years, budget_scale),
        0o644,
    )
    for year in years:
        _write_private(path / f"{year}.beancount", year_file_header(year), 0o644)
    _write_private(path / "donors.csv", header_line(), 0o600)
    return path / MAIN
