"""Giving households by size band: counts and totals only, never a name.

``givers_report(books, year)`` counts the households whose gifts in the
calendar year fall in each size band. The small-congregation rule
(``finsek.reports.privacy``, the same for the board report) joins a band of
one or two households to its neighbour, so no count or total covers fewer
than 3 households.
"""

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from finsek.core.errors import Refused
from finsek.giving.pledges import ZERO, scan_gifts
from finsek.ledger import conventions as conv
from finsek.ledger import roles
from finsek.reports.privacy import MIN_HOUSEHOLDS, fold, too_few

#: Where the size bands divide, in whole units of a dollar-like currency: under 100, 100 to under 500, ...
BANDS = (Decimal(100), Decimal(500), Decimal(1000), Decimal(2500), Decimal(5000), Decimal(10000))
#: Currencies whose gifts run about ten (or a hundred) times larger in number.
_BAND_SCALE = {"SEK": 10, "NOK": 10, "DKK": 10, "JPY": 100, "ISK": 100}


#: Bands with fewer households than this are joined to a neighbour, so no one household's giving can be read off.
MIN_BAND = MIN_HOUSEHOLDS


@dataclass
class Band:
    low: Decimal | None
    high: Decimal | None
    households: int
    total: Decimal
    label: str

    @property
    def shown_total(self) -> Decimal | None:
        """The band's total, or None when too few households are in it to show it."""
        return None if too_few(self.households) else self.total

    @property
    def shown_households(self) -> int | None:
        """The band's count of households, or None when it is 1 or 2."""
        return None if too_few(self.households) else self.households


@dataclass
class GiversReport:
    year: int
    bands: list[Band]
    households: int
    total: Decimal
    """Gifts of the households in the bands."""
    without_donor: Decimal
    """Contributions (``Income:Contributions``) recorded without a donor: loose offerings, anonymous gifts."""
    net_zero: int
    """Households whose gifts in the year add up to nothing or less (refunds), not in any band."""
    currency: str
    locale: str


def default_bands(currency: str) -> list[Decimal]:
    scale = _BAND_SCALE.get(currency, 1)
    return [cut * scale for cut in BANDS]


def whole(amount: Decimal, locale: str) -> str:
    """A round amount without decimals (``1,000`` or ``1 000``); cents shown only when there are some."""
    text = f"{amount:,f}" if amount != amount.to_integral_value() else f"{int(amount):,}"
    return text.replace(",", "\u00a0").replace(".", ",") if locale.startswith("sv") else text


def givers_report(books, year: int, bands: list[Decimal] | None = None) -> GiversReport:
    """How many households gave how much in calendar year ``year``: counts and totals only, no names.

    ``bands`` are the amounts where one band ends and the next begins (default
    100, 500, 1,000, 2,500, 5,000, 10,000; ten times that in SEK).
    """
    cuts = sorted(set(bands if bands is not None else default_bands(books.currency)))
    if not cuts or cuts[0] <= 0:
        raise Refused("Size bands divide at amounts above zero: give them like 100,500,1000.", "bands")
    registry = books.donors
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    homes: dict[str, Decimal] = {}
    for gift in scan_gifts(books, start, end).gifts:
        key = registry.household_of(gift.donor)
        homes[key] = homes.get(key, ZERO) + gift.amount
    without = ZERO
    giving = roles.account(books.settings, "giving")
    for entry in books.entries:
        if isinstance(entry, data.Transaction) and entry.flag != "P" and start <= entry.date <= end:
            for posting in entry.postings:
                if (conv.account_matches(posting.account, giving) and posting.units is not None
                        and posting.units.currency == books.currency and conv.posting_donor(entry, posting) is None):
                    without -= posting.units.number
    currency, locale = books.currency, books.locale
    edges: list[Decimal | None] = [None, *cuts, None]
    positive = [amount for amount in homes.values() if amount > 0]

    def inside(low: Decimal | None, high: Decimal | None) -> list[Decimal]:
        return [amount for amount in positive if (low is None or amount >= low) and (high is None or amount < high)]

    spans = list(itertools.pairwise(edges))
    runs = fold(spans, lambda run: len(inside(run[0][0], run[-1][1])))
    result = []
    for run in runs:
        low, high = run[0][0], run[-1][1]
        amounts = inside(low, high)
        if low is None and high is None:
            label = "any amount"
        elif low is None:
            label = f"under {whole(high, locale)}"
        elif high is None:
            label = f"{whole(low, locale)} and more"
        else:
            label = f"{whole(low, locale)} to under {whole(high, locale)}"
        result.append(Band(low, high, len(amounts), sum(amounts, ZERO), label))
    return GiversReport(year, result, len(positive), sum(positive, ZERO), without,
                        sum(1 for amount in homes.values() if amount <= 0), currency, locale)
