"""The pledge report: pledged, given and outstanding per pledge, and by fund.

Plain Python over the books, exact to the cent with ``Decimal``; the CLI
formats it.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from finsek.core.dates import fiscal_year
from finsek.giving.pledges import ZERO, pledge_progress, read_pledges
from finsek.giving.wording import fund_title, key_order
from finsek.ledger.names import resolve_fund


@dataclass
class PledgeRow:
    donor: str
    name: str
    fund: str
    fund_title: str
    label: str
    start: dt.date
    end: dt.date
    pledged: Decimal
    given: Decimal
    outstanding: Decimal
    percent: Decimal | None


@dataclass
class PledgeReport:
    rows: list[PledgeRow]
    by_fund: dict[str, tuple[Decimal, Decimal, Decimal]]
    """``{fund: (pledged, given, outstanding)}``."""
    pledged: Decimal
    given: Decimal
    outstanding: Decimal
    as_of: dt.date
    period: tuple[dt.date, dt.date] | None
    problems: list[str]


def pledge_report(
    books, *, fund: str | None = None, year: int | None = None, as_of: dt.date | None = None, all_: bool = False
) -> PledgeReport:
    """Pledges whose period overlaps fiscal year ``year`` (default: the fiscal year of ``as_of``, which
    defaults to today), or every pledge with ``all_``; given counts gifts up to ``as_of``."""
    if fund and books.funds:
        fund = resolve_fund(books, fund)  # any case, accents optional
    as_of = as_of or dt.date.today()
    start_month = books.settings.fiscal_year_start
    period = fiscal_year(dt.date(year, start_month, 1) if year is not None else as_of, start_month)
    scan = read_pledges(books)
    chosen = [
        p for p in scan.pledges
        if (fund is None or p.fund == fund) and (all_ or (p.start <= period[1] and p.end >= period[0]))
    ]
    progress = pledge_progress(books, chosen, as_of=as_of)
    rows = []
    by_fund: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    for item in progress:
        record = books.donors.get(item.donor)
        rows.append(PledgeRow(item.donor, record.name if record else "", item.fund, fund_title(books, item.fund),
                              item.pledge.label, item.pledge.start, item.pledge.end, item.pledged, item.given,
                              item.outstanding, item.percent))
        pledged, given, outstanding = by_fund.get(item.fund, (ZERO, ZERO, ZERO))
        by_fund[item.fund] = (pledged + item.pledged, given + item.given, outstanding + item.outstanding)
    rows.sort(key=lambda row: (row.fund, key_order(row.donor), row.start))
    return PledgeReport(
        rows, by_fund, sum((r.pledged for r in rows), ZERO), sum((r.given for r in rows), ZERO),
        sum((r.outstanding for r in rows), ZERO), as_of, None if all_ else period, scan.problems,
    )
