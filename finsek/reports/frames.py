"""The posting frame: one row per posting, exact money, the base of every report.

Columns:

``date`` (datetime64), ``account``, ``root`` (Assets, Income, ...), ``fund``
(the posting's fund for Income, Expenses and Equity postings — its own
``fund:``, else the transaction's, else the default fund; for Assets and
Liabilities only an explicit ``fund:``, else empty), ``fund_class``, ``donor``
(an id, never a name; empty when none), ``payee``, ``narration``, ``links``
and ``tags`` (space-separated), ``flag``, ``txn`` (the transaction's position
in ``books.entries``), ``amount`` (``Decimal`` objects, exact, as in the
ledger) and ``units`` (the same amount as an integer count of
``10 ** -frame.attrs["places"]``: int64, or Python ints in an object column
when int64 could overflow).

The amount is the posting's *weight* in the operating currency, as Beancount
balances it: the units for plain postings, cost times units for postings held
at cost, units times price for converted ones. Postings whose weight is in
another currency (vacation hours, a second currency without a price) are left
out; ``frame.attrs["skipped"]`` counts them by currency.

No float ever holds money: sums are integer sums of ``units``, turned back
into ``Decimal`` by :func:`money`.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal

import numpy as np
import pandas as pd
from beancount.core import convert, data

from finsek.core.money import precision, quantize
from finsek.ledger import conventions as conv

ZERO = Decimal(0)
#: Finest decimal places kept in int64 before falling back to Python ints.
MAX_PLACES = 12
_INT64_LIMIT = 2**62

COLUMNS = (
    "date", "account", "root", "fund", "fund_class", "donor", "payee", "narration",
    "links", "tags", "flag", "txn", "amount", "units",
)


def _weight(posting) -> tuple[Decimal | None, str | None]:
    units = posting.units
    if units is None or not isinstance(units.number, Decimal):
        return None, None
    if posting.cost is None and posting.price is None:
        return units.number, units.currency
    weight = convert.get_weight(posting)
    if weight is None or not isinstance(weight.number, Decimal):
        return None, None
    return weight.number, weight.currency


def _categorical(values: list[str], codes_of: dict[str, int], names: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(np.fromiter((codes_of[value] for value in values), dtype=np.int32,
                                                 count=len(values)), categories=names)


def posting_frame(books) -> pd.DataFrame:
    """One row per posting of every transaction in ``books`` (pad entries included)."""
    currency = books.currency
    default_fund = books.default_fund
    funds = books.funds
    accounts, fund_col, donors, amounts = [], [], [], []
    # Per transaction (expanded to postings with np.repeat): cheaper than one append per posting.
    dates, payees, narrations, links_col, tags_col, flags, txns, counts = [], [], [], [], [], [], [], []
    skipped: Counter = Counter()
    places = precision(currency)
    largest = ZERO
    fund_key, donor_key = conv.FUND_KEY, conv.DONOR_KEY
    fund_roots = conv.FUND_ROOTS
    roots: dict[str, bool] = {}
    for index, entry in enumerate(books.entries):
        if type(entry) is not data.Transaction:
            continue
        meta = entry.meta or {}
        entry_fund = meta.get(fund_key)
        entry_donor = meta.get(donor_key)
        count = 0
        for posting in entry.postings:
            number, unit = _weight(posting)
            if number is None:
                continue
            if unit != currency:
                skipped[unit] += 1
                continue
            pmeta = posting.meta
            fund = pmeta.get(fund_key) if pmeta else None
            if fund is None:
                fund = entry_fund
            account = posting.account
            in_fund = roots.get(account)
            if in_fund is None:
                in_fund = roots[account] = account.split(":", 1)[0] in fund_roots
            if fund is not None:
                fund = str(fund)
            elif in_fund:
                fund = default_fund  # postings without a fund count in the default fund
            else:
                fund = ""
            donor = pmeta.get(donor_key) if pmeta else None
            if donor is None:
                donor = entry_donor
            exponent = number.as_tuple().exponent
            if -exponent > places:
                places = -exponent
            if abs(number) > largest:
                largest = abs(number)
            accounts.append(account)
            fund_col.append(fund)
            donors.append("" if donor is None else str(donor))
            amounts.append(number)
            count += 1
        if count:
            dates.append(entry.date)
            payees.append(entry.payee or "")
            narrations.append(entry.narration or "")
            links_col.append(" ".join(sorted(entry.links)) if entry.links else "")
            tags_col.append(" ".join(sorted(entry.tags)) if entry.tags else "")
            flags.append(entry.flag)
            txns.append(index)
            counts.append(count)
    places = min(places, 28)
    if places <= MAX_PLACES and largest.scaleb(places) < _INT64_LIMIT / max(len(amounts), 1):
        units = np.fromiter((int(number.scaleb(places)) for number in amounts), dtype=np.int64, count=len(amounts))
    else:
        units = np.array([int(number.scaleb(places)) for number in amounts], dtype=object)
    repeat = np.array(counts, dtype=np.int64)

    def expand(values, dtype=None):
        return np.repeat(np.array(values, dtype=dtype if dtype else object), repeat)

    account_names = sorted(set(accounts))
    account_codes = {name: code for code, name in enumerate(account_names)}
    account = _categorical(accounts, account_codes, account_names)
    root_names = sorted({name.split(":", 1)[0] for name in account_names})
    root_of = np.array([root_names.index(name.split(":", 1)[0]) for name in account_names], dtype=np.int32)
    fund_names = sorted(set(fund_col))
    fund_codes = {name: code for code, name in enumerate(fund_names)}
    fund = _categorical(fund_col, fund_codes, fund_names)
    class_names = ["", "designated", "restricted", "unrestricted"]
    class_names += sorted({funds[name].klass for name in fund_names if name in funds} - set(class_names))
    class_of = np.array([class_names.index(funds[name].klass if name in funds else "unrestricted") if name else 0
                         for name in fund_names], dtype=np.int32)
    frame = pd.DataFrame(
        {
            "date": np.repeat(np.array(dates, dtype="datetime64[D]"), repeat).astype("datetime64[s]"),
            "account": account,
            "root": pd.Categorical.from_codes(root_of[account.codes] if len(account) else [], categories=root_names),
            "fund": fund,
            "fund_class": pd.Categorical.from_codes(class_of[fund.codes] if len(fund) else [],
                                                    categories=class_names),
            "donor": pd.Categorical(donors),
            "payee": pd.array(expand(payees), dtype="str"),
            "narration": pd.array(expand(narrations), dtype="str"),
            "links": pd.array(expand(links_col), dtype="str"),
            "tags": pd.array(expand(tags_col), dtype="str"),
            "flag": pd.Categorical(expand(flags)),
            "txn": np.repeat(np.array(txns, dtype=np.int64), repeat),
            "amount": pd.Series(amounts, dtype=object),
            "units": units,
        },
        columns=list(COLUMNS),
    )
    frame.attrs.update(currency=currency, places=places, skipped=dict(skipped), default_fund=default_fund)
    return frame


# -- exact sums ---------------------------------------------------------------


def money(units, frame: pd.DataFrame) -> Decimal:
    """An integer count of ``units`` of ``frame`` as an exact ``Decimal``."""
    return Decimal(int(units)).scaleb(-frame.attrs["places"])


def cents(amount: Decimal, currency: str) -> Decimal:
    """Round an exact amount to the currency's precision (half to even), for people."""
    return quantize(amount, currency)


def total(frame: pd.DataFrame, mask=None) -> Decimal:
    """The exact sum of ``amount`` over the rows where ``mask`` holds."""
    units = frame["units"] if mask is None else frame["units"][mask]
    return money(units.sum(), frame) if len(units) else ZERO


def sums_by(frame: pd.DataFrame, mask, by: str | list[str]) -> dict:
    """Exact sums of ``amount`` grouped by one or more columns, as ``{key: Decimal}`` (non-empty groups)."""
    subset = frame.loc[mask, [*([by] if isinstance(by, str) else by), "units"]] if mask is not None else frame
    if subset.empty:
        return {}
    grouped = subset.groupby(by, observed=True, sort=False)["units"].sum()
    return {key: money(value, frame) for key, value in grouped.items()}


def to_datetime(day: dt.date) -> np.datetime64:
    return np.datetime64(day, "s")


def between(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None):
    """A boolean mask of rows dated ``start`` to ``end`` inclusive (open ends when None)."""
    dates = frame["date"]
    mask = np.ones(len(frame), dtype=bool)
    if start is not None:
        mask &= (dates >= to_datetime(start)).to_numpy(dtype=bool, copy=True)
    if end is not None:
        mask &= (dates <= to_datetime(end)).to_numpy(dtype=bool, copy=True)
    return mask


def under(frame: pd.DataFrame, prefix: str):
    """A boolean mask of rows whose account is ``prefix`` or below it (on ``:`` boundaries)."""
    names = [name for name in frame["account"].cat.categories if conv.account_matches(name, prefix)]
    return frame["account"].isin(names).to_numpy(dtype=bool, copy=True)


def in_root(frame: pd.DataFrame, *roots: str):
    return frame["root"].isin(roots).to_numpy(dtype=bool, copy=True)
