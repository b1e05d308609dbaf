"""A fiscal year of the books as a SIE 4 file: what the auditor, Fortnox or Visma reads.

One ``#VER`` per transaction of the year (series A, numbered in date
order), one ``#TRANS`` per posting with its fund as an object of dimension 6
(``#DIM 6 "Ändamål"``; every fund a ``#OBJEKT``); ``#IB``/``#UB`` for the
balance-sheet accounts and ``#RES`` for the result accounts, for the year
and, when the books have it, the year before. The books never close income
into equity, so the results of earlier years are carried in the opening and
closing balances as ``2067 Balanserat resultat``: the balances then add up
to zero with the year's result, as SIE readers check.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from beancount.core import convert, data
from stdnum.se import orgnr

from finsek import __version__
from finsek.core.dates import ONE_DAY, add_months
from finsek.core.errors import Refused
from finsek.imports.sie import bas
from finsek.imports.sie.model import Row, SieFile, Voucher
from finsek.ledger import conventions as conv
from finsek.ledger.books import Books

FUND_DIMENSION = 6
FUND_DIMENSION_NAME = "Ändamål"
ZERO = Decimal(0)


def fiscal_year_of(books: Books, year: int) -> tuple[dt.date, dt.date]:
    """The fiscal year that starts in ``year`` (by the ledger's fiscal-year-start month)."""
    start = dt.date(year, books.settings.fiscal_year_start, 1)
    return start, add_months(start, 12) - ONE_DAY


def export_year(books: Books, year: int, today: dt.date) -> tuple[SieFile, list[str]]:
    """The SIE model of the fiscal year starting in ``year``, and notes for the treasurer."""
    start, end = fiscal_year_of(books, year)
    entries = books.entries
    opens = {entry.account: entry for entry in entries if isinstance(entry, data.Open)}
    given = {account: str(entry.meta.get(bas.BAS_KEY, "")) for account, entry in opens.items()}
    transactions = [entry for entry in entries if isinstance(entry, data.Transaction)]
    if not any(start <= entry.date <= end for entry in transactions):
        raise Refused(f"The books have no entries in the fiscal year {start} to {end}: choose another --year.")
    numbers, spared = bas.numbers(opens, given)
    orgnr, orgnr_note = _orgnr(books.settings.tax_id)
    sie = SieFile(program=f"finsek {__version__}", sie_type="4", name=books.title, orgnr=orgnr,
                  currency=books.currency)
    sie.years[0] = (start, end)
    previous = (add_months(start, -12), start - ONE_DAY)
    if any(previous[0] <= entry.date <= previous[1] for entry in transactions):
        sie.years[-1] = previous
    sie.dimensions[FUND_DIMENSION] = FUND_DIMENSION_NAME
    for name, fund in books.funds.items():
        sie.objects[(FUND_DIMENSION, name)] = fund.title
    sums: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for entry in transactions:
        rows = [_row(books, entry, posting, numbers) for posting in entry.postings]
        index = _year_index(sie.years, entry.date, start)
        for row in rows:
            sums[index][(row.account, row.objects[0][1] if row.objects else "")] += row.amount
        if index == 0:
            text = ": ".join(part for part in (entry.payee, entry.narration) if part)
            sie.vouchers.append(Voucher("A", str(len(sie.vouchers) + 1), entry.date, text, rows))
            for row in rows:
                for dim, code in row.objects:
                    sie.objects.setdefault((dim, code), code)
    _balances(sie, sums)
    for account, number in numbers.items():
        sie.accounts[number] = bas.name_of(account)
        sie.kinds[number] = bas.kind(number)
    sie.accounts.setdefault(bas.RETAINED[0], bas.RETAINED[1])
    sie.kinds.setdefault(bas.RETAINED[0], bas.kind(bas.RETAINED[0]))
    notes = [
        f"{account} has no bas: number; it was written as {numbers[account]} "
        f"(add bas: \"NNNN\" to its open line to choose another)"
        for account in spared
    ]
    del today  # the #GEN date is the writer's
    return sie, [*orgnr_note, *notes]


def _orgnr(tax_id: str) -> tuple[str, list[str]]:
    """The ledger's ``tax-id`` as #ORGNR when it is a valid Swedish organisationsnummer (python-stdnum)."""
    if not tax_id.strip():
        return "", []
    if orgnr.is_valid(tax_id):
        return orgnr.format(tax_id), []
    return "", [f"the ledger's tax-id '{tax_id}' is not a valid Swedish organisationsnummer; #ORGNR was left out"]


def _row(books: Books, entry: data.Transaction, posting: data.Posting, numbers: dict[str, str]) -> Row:
    weight = convert.get_weight(posting)
    if weight.currency != books.currency or not isinstance(weight.number, Decimal):
        raise Refused(
            f"The entry of {entry.date} ({entry.payee or entry.narration}) posts {weight.currency} to "
            f"{posting.account}: SIE holds one currency ({books.currency}) only."
        )
    if not conv.needs_fund(posting.account):
        return Row(numbers[posting.account], weight.number)
    fund = conv.posting_fund(entry, posting, books.default_fund)
    return Row(numbers[posting.account], weight.number, ((FUND_DIMENSION, fund),))


def _year_index(years: dict[int, tuple[dt.date, dt.date]], day: dt.date, start: dt.date) -> int:
    """0 for the year, -1 for the year before when exported, -99 for anything earlier; 99 after."""
    for index, (first, last) in years.items():
        if first <= day <= last:
            return index
    return -99 if day < start else 99


def _balances(sie: SieFile, sums: dict[int, dict[tuple[str, str], Decimal]]) -> None:
    """#IB, #UB, #RES, and #OIB/#OUB by fund, of each exported year from the sums of the years before and in it."""
    carried: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (number, fund), total in sums[-99].items():
        carried[(number if bas.is_balance(number) else bas.RETAINED[0], fund)] += total
    for index in sorted(sie.years):
        _put(sie.opening, sie.object_opening, index, carried)
        for (number, fund), total in sums[index].items():
            if bas.is_balance(number):
                carried[(number, fund)] += total
            else:
                sie.result[(index, number)] = sie.result.get((index, number), ZERO) + total
        _put(sie.closing, sie.object_closing, index, carried)
        for (number, fund), total in sums[index].items():
            if not bas.is_balance(number):
                carried[(bas.RETAINED[0], fund)] += total
    for key in [key for key, total in sie.result.items() if not total]:
        del sie.result[key]


def _put(totals: dict, by_object: dict, index: int, carried: dict[tuple[str, str], Decimal]) -> None:
    for (number, fund), total in carried.items():
        if total:
            totals[(index, number)] = totals.get((index, number), ZERO) + total
            if fund:
                by_object[(index, number, (FUND_DIMENSION, fund))] = total
    for key in [key for key in totals if key[0] == index and not totals[key]]:
        del totals[key]
