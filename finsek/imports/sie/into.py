"""A new finsek ledger from a SIE 4 file: how a new treasurer starts from the previous one's program.

The year's opening balances (``#IB 0``) become one opening entry on the
first day of the fiscal year, every voucher a transaction (its series and
number kept as ``sie-ver:``). Accounts are named by their BAS number: a
number of finsek's chart becomes that account, any other
``Root:NNNN-Name`` with ``bas:`` on its open line; only accounts the file
uses are opened. Objects of a dimension named for funds (Ändamål, fond,
fund) become funds; other objects are kept as ``objekt:`` on the posting.

Nothing is guessed: a voucher that does not balance stops the import with
its line; the new ledger is written to a temporary folder, loaded and
checked, and only then moved to its place. The opening balances, the
year's result and each closing balance are compared with the file's own
``#IB``, ``#RES`` and ``#UB``, and any difference is reported.
"""

import datetime as dt
import os
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import amount as bc_amount
from beancount.core import data
from beancount.parser import printer

from finsek.core.errors import Refused
from finsek.core.text import quote, slug
from finsek.imports.sie import bas
from finsek.imports.sie.model import SieFile, Voucher
from finsek.ledger import chart_sv, roles, template
from finsek.ledger.books import Books, load_books
from finsek.ledger.donors import header_line

ZERO = Decimal(0)
_FUND_DIMENSION = re.compile(r"ändamål|andamal|fond|fund", re.IGNORECASE)


@dataclass
class ImportSummary:
    main: Path
    accounts: int = 0
    vouchers: int = 0
    funds: list[str] = field(default_factory=list)
    result: Decimal = ZERO
    notes: list[str] = field(default_factory=list)


def ledger_from_sie(sie: SieFile, folder: Path, name: str | None = None) -> ImportSummary:
    """Write a new ledger in ``folder`` (missing or empty) from ``sie``; return what was made."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise Refused(f"{folder} already exists and is not empty: finsek never overwrites a ledger. "
                      "Choose a new folder with --into.")
    _refuse_unbalanced(sie)
    start, end = _year(sie)
    currency = sie.currency or "SEK"
    title = (name or sie.name or folder.name).strip()
    template.validate_init(title, currency, "sv_SE", start.month)
    accounts = _accounts(sie)
    funds = _funds(sie)
    entries = [_opening(sie, accounts, funds, start, currency)] if any(k[0] == 0 for k in sie.opening) else []
    entries += [_transaction(voucher, accounts, funds, currency) for voucher in sie.vouchers]
    entries = [entry for entry in entries if entry is not None]
    years = sorted({start.year, *(entry.date.year for entry in entries)})
    staging = folder.parent / f".{folder.name}.finsek-import"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        _write(staging, title, currency, start, years, accounts, funds, sie.objects, entries)
        books = load_books(staging / template.MAIN)
        if books.errors:
            raise Refused("The new ledger did not pass the check, so nothing was made: "
                          + "; ".join(error.message for error in books.errors[:3]))
        summary = ImportSummary(folder / template.MAIN, len(accounts), len(sie.vouchers), sorted(funds.values()))
        summary.result, summary.notes = _compare(sie, books, accounts, start, end)
        if folder.exists():
            folder.rmdir()
        os.replace(staging, folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return summary


def _opening_account(currency: str) -> str:
    """Where opening balances that do not add up go: the opening account of the chart the ledger gets."""
    if currency == "SEK":
        return next(account for account, _number, role in chart_sv.ACCOUNTS if role == "opening")
    return roles.ROLES["opening"][0]


def _refuse_unbalanced(sie: SieFile) -> None:
    wrong = [voucher for voucher in sie.vouchers if voucher.total != ZERO]
    if wrong:
        named = ", ".join(f"{v.label} of {v.date} (line {v.line}, off by {v.total})" for v in wrong[:5])
        more = f" and {len(wrong) - 5} more" if len(wrong) > 5 else ""
        raise Refused(f"{len(wrong)} voucher(s) in the file do not balance: {named}{more}. "
                      "Correct them in the program that wrote the file and export it again; nothing was made.")


def _year(sie: SieFile) -> tuple[dt.date, dt.date]:
    if 0 in sie.years:
        return sie.years[0]
    if not sie.vouchers:
        raise Refused("The file names no fiscal year (#RAR 0) and has no vouchers: there is nothing to import.")
    first = min(voucher.date for voucher in sie.vouchers)
    return first.replace(month=1, day=1), first.replace(month=12, day=31)


def _used_numbers(sie: SieFile) -> list[str]:
    used = {number for (index, number), total in sie.opening.items() if index == 0 and total}
    used |= {row.account for voucher in sie.vouchers for row in voucher.rows}
    return sorted(used)


def _accounts(sie: SieFile) -> dict[str, str]:
    """Each used SIE number's Beancount account, plus the opening account finsek needs."""
    taken: set[str] = set()
    chosen = {}
    for number in _used_numbers(sie):
        account = bas.account_for(number, sie.accounts.get(number, ""), taken, swedish=sie.currency == "SEK")
        chosen[number] = account
        taken.add(account)
    return chosen


def _funds(sie: SieFile) -> dict[tuple[int, str], str]:
    """Objects of a fund dimension, as finsek fund names."""
    dims = {dim for dim, title in sie.dimensions.items() if _FUND_DIMENSION.search(title)}
    funds: dict[tuple[int, str], str] = {}
    names: set[str] = set()
    pairs = [pair for voucher in sie.vouchers for row in voucher.rows for pair in row.objects]
    pairs += [pair for (_i, _n, pair) in sie.object_opening]
    for dim, code in pairs:
        if dim in dims and (dim, code) not in funds:
            fund = slug(code, empty="fund")
            while fund in names:
                fund = f"{fund}-{dim}"
            funds[(dim, code)] = fund
            names.add(fund)
    return funds


def _meta(**values: str) -> dict:
    return {key.replace("_", "-"): value for key, value in values.items() if value}


def _opening(sie: SieFile, accounts: dict[str, str], funds: dict, start: dt.date,
             currency: str) -> data.Transaction:
    """The #IB 0 balances; split by fund where the file's #OIB gives a fund's part (the rest in the default)."""
    postings = []
    for (index, number), total in sorted(sie.opening.items()):
        if index != 0 or not total or number not in accounts:
            continue
        parts = {funds[pair]: part for (i, n, pair), part in sie.object_opening.items()
                 if i == 0 and n == number and pair in funds and part}
        rest = total - sum(parts.values(), ZERO)
        for fund, part in sorted(parts.items()):
            postings.append(data.Posting(accounts[number], bc_amount.Amount(part, currency), None, None, None,
                                         {"fund": fund}))
        if rest:
            postings.append(data.Posting(accounts[number], bc_amount.Amount(rest, currency), None, None, None, None))
    rest = sum((posting.units.number for posting in postings), ZERO)
    if rest:
        rest_amount = bc_amount.Amount(-rest, currency)
        postings.append(data.Posting(_opening_account(currency), rest_amount, None, None, None, None))
    return data.Transaction(_meta(sie="IB"), start, "*", None, "Ingående balanser", frozenset(), frozenset(),
                            postings)


def _transaction(voucher: Voucher, accounts: dict[str, str], funds: dict, currency: str) -> data.Transaction:
    postings = []
    for row in voucher.rows:
        fund = next((funds[pair] for pair in row.objects if pair in funds), "")
        others = " ".join(f"{dim}/{code}" for dim, code in row.objects if (dim, code) not in funds)
        text = row.text if row.text and row.text != voucher.text else ""
        postings.append(data.Posting(accounts[row.account], bc_amount.Amount(row.amount, currency), None, None,
                                     None, _meta(fund=fund, objekt=others, text=text) or None))
    narration = voucher.text or f"Verifikation {voucher.label}"
    return data.Transaction(_meta(sie_ver=voucher.label), voucher.date, "*", None, narration, frozenset(),
                            frozenset(), postings)


def _write(staging: Path, title: str, currency: str, start: dt.date, years: list[int],
           accounts: dict[str, str], funds: dict, titles: dict, entries: list[data.Transaction]) -> None:
    staging.mkdir(mode=0o700, parents=True)
    (staging / "documents").mkdir(mode=0o700)
    (staging / template.MAIN).write_text(template.main_text(title, currency, years), encoding="utf-8")
    chart = _accounts_text(start, currency, accounts, funds, titles)
    (staging / template.ACCOUNTS_FILE).write_text(chart, encoding="utf-8")
    by_year: dict[int, list[str]] = defaultdict(list)
    for entry in entries:
        by_year[entry.date.year].append(printer.format_entry(entry))
    for year in years:
        text = template.year_file_header(year) + "\n" + "\n".join(by_year[year])
        (staging / f"{year}.beancount").write_text(text, encoding="utf-8")
    donors = staging / "donors.csv"
    donors.write_text(header_line(), encoding="utf-8")
    donors.chmod(0o600)


def _accounts_text(start: dt.date, currency: str, accounts: dict[str, str], funds: dict,
                   titles: dict[tuple[int, str], str]) -> str:
    day = start.isoformat()
    lines = ["; Chart of accounts from the SIE file (BAS numbers as bas:), funds and settings.", ""]
    lines.append(f'{day} custom "finsek" "locale" "{"sv_SE" if currency == "SEK" else "en_US"}"')
    lines.append(f'{day} custom "finsek" "fiscal-year-start" "{start.month}"')
    lines.append(f'{day} custom "finsek" "default-fund" "general"')
    lines.append(f'{day} custom "fund" "general" "Allmänna medel" "unrestricted"')
    if currency == "SEK":
        named = [(role, account) for account, _number, role in chart_sv.ACCOUNTS if role] + list(chart_sv.GROUPS)
        lines.extend(f'{day} custom "finsek" "account-{role}" "{account}"' for role, account in named)
    for (_dim, code), fund in sorted(funds.items(), key=lambda item: item[1]):
        if fund != "general":
            lines.append(f'{day} custom "fund" "{fund}" {quote(titles.get((_dim, code)) or code)} "unrestricted"')
    lines.append("")
    numbered = {account: number for number, account in accounts.items()}
    chart = {account: number for account, number, _role in chart_sv.ACCOUNTS} if currency == "SEK" else {
        account: number for account, (number, _label) in bas.CHART.items()}
    for account in sorted({*chart, *accounts.values()}):
        number = numbered.get(account) or chart.get(account, "")
        lines.append(f"{day} open {account}  {currency}")
        if number:
            lines.append(f'  bas: "{number}"')
    return "\n".join(lines) + "\n"


def _compare(sie: SieFile, books: Books, accounts: dict[str, str], start: dt.date,
             end: dt.date) -> tuple[Decimal, list[str]]:
    """The year's result in the new ledger, and every difference from the file's own totals."""
    notes = []
    result = ZERO
    for entry in books.transactions():
        if start <= entry.date <= end and entry.meta.get("sie") != "IB":
            for posting in entry.postings:
                if posting.account.split(":", 1)[0] in ("Income", "Expenses"):
                    result += posting.units.number
    file_result = sum((total for (index, _n), total in sie.result.items() if index == 0), ZERO)
    if any(index == 0 for index, _n in sie.result) and file_result != result:
        notes.append(f"The file's #RES adds up to {file_result}, the imported vouchers to {result}.")
    rest = sum((total for (index, n), total in sie.opening.items() if index == 0 and n in accounts), ZERO)
    if rest:
        notes.append(f"The opening balances do not add up to zero (off by {rest}); "
                     f"the difference was put on {_opening_account(sie.currency)}.")
    for (index, number), total in sorted(sie.closing.items()):
        if index != 0 or number not in accounts:
            continue
        books_total = books.account_balance(accounts[number], end, include_children=False)
        if books_total != total:
            notes.append(f"{number} {accounts[number]}: the file's closing balance is {total}, "
                         f"the imported books say {books_total}.")
    return result, notes
