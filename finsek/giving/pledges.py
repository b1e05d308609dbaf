"""Gifts and pledges: what donors gave, and what they promised.

A **gift** is an ``Income`` posting in the operating currency whose posting
(or, failing that, transaction) names a donor. Its amount is the posting's
amount with the sign turned round, so a refund recorded as a reversal counts
against the donor. Gifts recorded under a merged id count for the surviving
donor (``DonorRegistry.canonical``); postings without a donor (loose cash,
anonymous gifts) are never gifts of anyone.

A **pledge** is a Beancount custom directive::

    2026-01-01 custom "pledge" "D0042" "building" 1200.00 USD
    2026-03-01 custom "pledge" "D0042" "building" 5000.00 USD 2028-12-31 "Capital campaign"

donor, fund, amount, then optionally the last day of a campaign and a label.
Without an end date a pledge covers the fiscal year that holds its date;
with one it covers its date through the end date. Gifts by the donor (and
any id merged into it) to that fund within the period count towards it. A
later pledge for the same donor, fund and period replaces an earlier one
(a revised pledge); a pledge of 0 cancels.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from beancount.core import data

from finsek.core.dates import fiscal_year
from finsek.core.money import quantize
from finsek.ledger import conventions as conv

ZERO = Decimal(0)
PLEDGE = "pledge"


class Gift(NamedTuple):
    date: dt.date
    donor: str
    """The surviving donor id (aliases resolved)."""
    recorded_as: str
    """The id written in the ledger (differs from ``donor`` for a merged donor)."""
    fund: str
    account: str
    method: str
    check: str
    amount: Decimal
    goods_services: Decimal
    deductible: Decimal
    filename: str
    lineno: int


def _meta_text(entry, posting, key: str) -> str:
    for meta in (posting.meta, entry.meta):
        if meta and key in meta and meta[key] is not None:
            return str(meta[key])
    return ""


def goods_value(value, currency: str) -> Decimal | None:
    """The ``goods-services`` metadata as an amount of ``currency`` (None when unreadable)."""
    if value is None:
        return ZERO
    if hasattr(value, "number") and hasattr(value, "currency"):
        if value.currency != currency or value.number is None:
            return None
        return value.number
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        return Decimal(value)
    text = str(value).strip()
    if text.endswith(currency):
        text = text[: -len(currency)].strip()
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class GiftScan(NamedTuple):
    gifts: list[Gift]
    problems: list[str]


def scan_gifts(
    books,
    start: dt.date | None = None,
    end: dt.date | None = None,
    donors: set[str] | None = None,
) -> GiftScan:
    """Every gift dated ``start``..``end`` (inclusive; open ends when None), in ledger order.

    ``donors`` limits the scan to these surviving ids. Problems (an unreadable
    ``goods-services`` value, one larger than its gift, gifts in another
    currency) come back as sentences; the gift still counts.
    """
    registry = books.donors
    currency = books.currency
    gifts: list[Gift] = []
    problems: list[str] = []
    for entry in books.entries:
        if not isinstance(entry, data.Transaction) or entry.flag == "P":
            continue
        if (start is not None and entry.date < start) or (end is not None and entry.date > end):
            continue
        for posting in entry.postings:
            if not conv.account_matches(posting.account, "Income"):
                continue
            recorded = conv.posting_donor(entry, posting)
            if recorded is None:
                continue
            donor = registry.canonical(recorded)
            if donors is not None and donor not in donors:
                continue
            where = f"{entry.meta.get('filename', '?')}:{entry.meta.get('lineno', '?')}"
            units = posting.units
            if units is None or units.number is None:
                continue
            if units.currency != currency:
                problems.append(
                    f"A gift from {recorded} on {entry.date} is in {units.currency}, not {currency}, "
                    f"and is left out of statements ({where})."
                )
                continue
            amount = -units.number
            raw_goods = (posting.meta or {}).get(conv.GOODS_SERVICES_KEY)
            goods = goods_value(raw_goods, currency)
            if goods is None:
                problems.append(
                    f"The goods-services value '{raw_goods}' on the gift from {recorded} on {entry.date} is not "
                    f"an amount in {currency}: write it like 25.00 {currency} ({where})."
                )
                goods = ZERO
            goods = quantize(goods, currency)
            if goods < 0 or (amount > 0 and goods > amount):
                problems.append(
                    f"The goods-services value {goods} on the gift from {recorded} on {entry.date} is "
                    f"{'negative' if goods < 0 else 'more than the gift'}: check it ({where})."
                )
                goods = min(max(goods, ZERO), max(amount, ZERO))
            gifts.append(Gift(
                entry.date, donor, recorded, conv.posting_fund(entry, posting, books.default_fund),
                posting.account, _meta_text(entry, posting, conv.METHOD_KEY),
                _meta_text(entry, posting, conv.CHECK_KEY), amount, goods, amount - goods,
                str(entry.meta.get("filename", "")), int(entry.meta.get("lineno", 0) or 0),
            ))
    return GiftScan(gifts, problems)


# -- pledges -------------------------------------------------------------------------


class Pledge(NamedTuple):
    date: dt.date
    donor: str
    """The surviving donor id."""
    recorded_as: str
    fund: str
    amount: Decimal
    start: dt.date
    end: dt.date
    label: str


class PledgeProgress(NamedTuple):
    pledge: Pledge
    given: Decimal
    """Gifts to the pledge's fund within its period, up to the as-of date."""

    @property
    def donor(self) -> str:
        return self.pledge.donor

    @property
    def fund(self) -> str:
        return self.pledge.fund

    @property
    def pledged(self) -> Decimal:
        return self.pledge.amount

    @property
    def outstanding(self) -> Decimal:
        return max(self.pledge.amount - self.given, ZERO)

    @property
    def over(self) -> Decimal:
        return max(self.given - self.pledge.amount, ZERO)

    @property
    def percent(self) -> Decimal | None:
        if not self.pledge.amount:
            return None
        return (self.given * 100 / self.pledge.amount).quantize(Decimal(1))


class PledgeScan(NamedTuple):
    pledges: list[Pledge]
    problems: list[str]


def read_pledges(books) -> PledgeScan:
    """The pledges in force (revisions applied, cancelled ones left out) and problems found."""
    registry = books.donors
    found: dict[tuple, Pledge] = {}
    problems: list[str] = []
    example = f'2026-01-01 custom "pledge" "D0042" "building" 1200.00 {books.currency}'
    for entry in books.entries:
        if not isinstance(entry, data.Custom) or entry.type != PLEDGE:
            continue
        where = f"{entry.meta.get('filename', '?')}:{entry.meta.get('lineno', '?')}"
        values = conv.custom_values(entry)
        shape_ok = (
            len(values) >= 3 and isinstance(values[0], str) and isinstance(values[1], str)
            and hasattr(values[2], "number") and hasattr(values[2], "currency")
        )
        if not shape_ok:
            problems.append(f"The pledge at {where} should read like: {example}")
            continue
        recorded, fund, amount = values[0].strip(), values[1].strip(), values[2]
        if amount.currency != books.currency or amount.number is None:
            problems.append(f"The pledge at {where} is in {amount.currency}: pledges are in {books.currency}.")
            continue
        if amount.number < 0:
            problems.append(f"The pledge at {where} is negative: a pledge of 0 cancels one, nothing is less.")
            continue
        if registry.exists and recorded not in registry:
            problems.append(f"The pledge at {where} names donor {recorded}, who is not in donors.csv: add the donor.")
            continue
        if books.funds and fund not in books.funds:
            problems.append(f"The pledge at {where} names fund '{fund}', which is not registered: fix the fund name.")
            continue
        end = None
        label = ""
        for value in values[3:]:
            if isinstance(value, dt.date) and end is None:
                end = value
            elif isinstance(value, str) and not label:
                label = value
        if end is None:
            start, end = fiscal_year(entry.date, books.settings.fiscal_year_start)
        else:
            start = entry.date
            if end < start:
                problems.append(f"The pledge at {where} ends ({end}) before it starts ({start}): fix the end date.")
                continue
        donor = registry.canonical(recorded)
        key = (donor, fund, end)
        previous = found.get(key)
        if previous is not None:
            start = min(start, previous.start)
            label = label or previous.label
        found[key] = Pledge(entry.date, donor, recorded, fund, quantize(amount.number, books.currency), start, end,
                            label)
    pledges = [pledge for pledge in found.values() if pledge.amount > 0]
    pledges.sort(key=lambda p: (p.start, p.donor, p.fund))
    return PledgeScan(pledges, problems)


def pledge_progress(
    books,
    pledges: list[Pledge],
    as_of: dt.date | None = None,
    gifts: list[Gift] | None = None,
) -> list[PledgeProgress]:
    """How much of each pledge has been given by ``as_of`` (all recorded gifts when None)."""
    if not pledges:
        return []
    if gifts is None:
        first = min(p.start for p in pledges)
        last = max(p.end for p in pledges)
        gifts = scan_gifts(books, first, last, {p.donor for p in pledges}).gifts
    by_key: dict[tuple[str, str], list[Gift]] = {}
    for gift in gifts:
        by_key.setdefault((gift.donor, gift.fund), []).append(gift)
    result = []
    for pledge in pledges:
        end = min(pledge.end, as_of) if as_of else pledge.end
        given = sum(
            (g.amount for g in by_key.get((pledge.donor, pledge.fund), ()) if pledge.start <= g.date <= end), ZERO
        )
        result.append(PledgeProgress(pledge, given))
    return result
