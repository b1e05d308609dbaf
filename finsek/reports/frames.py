"""The posting frame: one row per posting, exact money, the base of every report.

Columns:

``date`` (datetime64), ``account``, ``root`` (Assets, Income, ...), ``fund``
(the posting's fund for Income, Expenses and Equity postings — its own
``fund:``, else the transaction's, else the default fund; for Assets and
Liabilities only an explicit ``fund:``, else empty), ``fund_class``, ``donor``
(an id, never a name; empty when none), ``payee``, ``narration``, ``links``
and ``tags`` (space-separated), ``flag`` (every text column is a categorical
of strings), ``txn`` (the transaction's number in date order: a
transaction's postings share it), ``amount`` (``Decimal`` objects, exact, to
``frame.attrs["places"]`` decimals) and ``units`` (the same amount as an
integer count of ``10 ** -frame.attrs["places"]``: int64, or Python ints in
an object column when int64 could overflow).

The frame is made from ``books.posting_columns()`` (integer columns the
books cache keeps beside their entries), so a report on warm books never
decodes an entry.

The amount is the posting's *weight* in the operating currency, as Beancount
balances it: the units for plain postings, cost times units for postings held
at cost, units times price for converted ones. Postings whose weight is in
another currency (vacation hours, a second currency without a price) are left
out; ``frame.attrs["skipped"]`` counts them by currency.

No float ever holds money: sums are integer sums of ``units``, turned back
into ``Decimal`` by :func:`money`.
"""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from finsek.core.money import quantize
from finsek.ledger import conventions as conv
from finsek.ledger.postings import PostingColumns

ZERO = Decimal(0)

COLUMNS = (
    "date", "account", "root", "fund", "fund_class", "donor", "payee", "narration",
    "links", "tags", "flag", "txn", "amount", "units",
)
_CLASS_NAMES = ["", "designated", "restricted", "unrestricted"]


def posting_frame(books) -> pd.DataFrame:
    """One row per posting of every transaction in ``books`` (pad entries included)."""
    return frame_of_columns(books.posting_columns(), books)


def frame_of_columns(columns: PostingColumns, books) -> pd.DataFrame:
    """The frame of ``columns``: codes become categoricals, units stay integers, no entry is read."""
    repeat = columns.counts.astype(np.int64)

    def text(name: str) -> pd.Categorical:
        codes = columns.codes[name]
        if name not in ("account", "fund", "donor"):
            codes = np.repeat(codes, repeat)
        return pd.Categorical.from_codes(codes, categories=pd.Index(columns.tables[name], dtype=object))

    account = text("account")
    account_names = columns.tables["account"]
    root_names = sorted({name.split(":", 1)[0] for name in account_names})
    root_of = np.array([root_names.index(name.split(":", 1)[0]) for name in account_names], dtype=np.int32)
    fund = text("fund")
    fund_names = columns.tables["fund"]
    funds = books.funds
    class_names = _CLASS_NAMES + sorted({funds[name].klass for name in fund_names if name in funds}
                                        - set(_CLASS_NAMES))
    class_of = np.array([class_names.index(funds[name].klass if name in funds else "unrestricted") if name else 0
                         for name in fund_names], dtype=np.int32)
    days = np.repeat(columns.days.astype("datetime64[D]"), repeat).astype("datetime64[s]")
    frame = pd.DataFrame(
        {
            "date": days,
            "account": account,
            "root": pd.Categorical.from_codes(root_of[account.codes] if len(account) else [], categories=root_names),
            "fund": fund,
            "fund_class": pd.Categorical.from_codes(class_of[fund.codes] if len(fund) else [],
                                                    categories=class_names),
            "donor": text("donor"),
            "payee": text("payee"),
            "narration": text("narration"),
            "links": text("links"),
            "tags": text("tags"),
            "flag": text("flag"),
            "txn": np.repeat(np.arange(columns.transaction_count, dtype=np.int64), repeat),
            "amount": _decimals(columns.units, columns.places),
            "units": columns.units,
        },
        columns=list(COLUMNS),
    )
    frame.attrs.update(currency=columns.currency, places=columns.places, skipped=dict(columns.skipped),
                       default_fund=books.default_fund)
    return frame


def _decimals(units: np.ndarray, places: int) -> np.ndarray:
    """Each count of units as an exact ``Decimal``, made once per distinct amount (amounts repeat a lot)."""
    if not len(units):
        return np.array([], dtype=object)
    inverse, distinct = pd.factorize(units, sort=False)
    made = np.array([Decimal(int(value)).scaleb(-places) for value in distinct], dtype=object)
    return made[inverse]


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
    if isinstance(by, str) and isinstance(frame[by].dtype, pd.CategoricalDtype) and frame["units"].dtype == np.int64:
        return _sums_by_codes(frame, mask, by)
    subset = frame.loc[mask, [*([by] if isinstance(by, str) else by), "units"]] if mask is not None else frame
    if subset.empty:
        return {}
    grouped = subset.groupby(by, observed=True, sort=False)["units"].sum()
    return {key: money(value, frame) for key, value in grouped.items()}


def _sums_by_codes(frame: pd.DataFrame, mask, by: str) -> dict:
    """``sums_by`` for one categorical column: integer sums per code (``np.add.at`` on int64, exact)."""
    column = frame[by]
    codes = column.cat.codes.to_numpy()
    units = frame["units"].to_numpy()
    if mask is not None:
        codes, units = codes[mask], units[mask]
    size = len(column.cat.categories)
    sums = np.zeros(size, dtype=np.int64)
    np.add.at(sums, codes, units)
    present = np.bincount(codes, minlength=size) if len(codes) else np.zeros(size, dtype=np.int64)
    names = column.cat.categories
    return {names[code]: money(sums[code], frame) for code in np.flatnonzero(present)}


def to_datetime(day: dt.date) -> np.datetime64:
    return np.datetime64(day, "s")


def between(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None):
    """A boolean mask of rows dated ``start`` to ``end`` inclusive (open ends when None)."""
    dates = frame["date"].to_numpy()
    mask = np.ones(len(frame), dtype=bool)
    if start is not None:
        mask &= dates >= to_datetime(start)
    if end is not None:
        mask &= dates <= to_datetime(end)
    return mask


def _in_categories(column: pd.Series, chosen) -> np.ndarray:
    """A boolean mask of rows whose category satisfies ``chosen(name)`` (decided once per category)."""
    table = np.array([bool(chosen(name)) for name in column.cat.categories] + [False], dtype=bool)
    return table[column.cat.codes.to_numpy()]  # code -1 (missing) picks the final False


def under(frame: pd.DataFrame, prefix: str):
    """A boolean mask of rows whose account is ``prefix`` or below it (on ``:`` boundaries)."""
    return _in_categories(frame["account"], lambda name: conv.account_matches(name, prefix))


def in_root(frame: pd.DataFrame, *roots: str):
    return _in_categories(frame["root"], lambda name: name in roots)
