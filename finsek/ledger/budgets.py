"""Budgets from Fava's ``custom "budget"`` directive, spread over months exactly.

The directive is Fava's, so Fava shows the same budgets::

    2026-01-01 custom "budget" Expenses:Facilities:Utilities "monthly" 450.00 USD
    2026-07-01 custom "budget" Income:Contributions:Designated "yearly" 30000.00 USD
      fund: "building"

Rules (see docs/reports.md):

- A budget takes effect on the first day of the month of its date and stays
  in effect until a later budget for the same account and fund replaces it
  (Fava's rule, kept at month granularity).
- ``yearly`` and ``quarterly`` amounts are spread over the twelve (three)
  months that start with that first month, in equal parts by the largest
  remainder method: the parts differ by at most one cent and add up to the
  amount exactly. A yearly budget stays in effect year after year.
- ``monthly`` is the amount for each month. ``weekly`` and ``daily`` accrue
  by day from the first day in effect; each month gets the difference of
  the rounded running totals, so any run of months adds up exactly.
- A part of a month (ad-hoc reports with dates inside a month) gets the
  month's amount pro rata by days, again by differences of rounded running
  totals, so the parts of a month add up to the month.
- A budget's fund is its ``fund:`` metadata, else the ledger's default fund
  (postings without a fund count in the default fund, and so do budgets).
- Income budgets are written as positive numbers (expected income). A
  negative number on an Income account (Fava's sign) is read as the same
  expected income.
- An account prefix matches on ``:`` boundaries: a budget for
  ``Expenses:Office`` never covers ``Expenses:OfficeParty``.

No pandas here: the ledger layer stays light; reports build frames from this.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from finsek.core.money import precision
from finsek.ledger import conventions as conv

PERIODS = ("daily", "weekly", "monthly", "quarterly", "yearly")
ZERO = Decimal(0)


class Budget(NamedTuple):
    """One ``custom "budget"`` directive, normalised."""

    date: dt.date
    account: str
    period: str
    amount: Decimal
    currency: str
    fund: str
    order: int  # position in the ledger: a later directive wins a tie

    @property
    def effective(self) -> dt.date:
        """The first day the budget is in effect: the first of its month."""
        return self.date.replace(day=1)


class BudgetProblem(NamedTuple):
    date: dt.date
    message: str


# -- exact spreading ---------------------------------------------------------


def _exponent(amount: Decimal, currency: str) -> int:
    """Decimal places to work in: the currency's, or more when the amount has more."""
    exponent = amount.as_tuple().exponent  # 'n', 'N' or 'F' when the amount is not finite
    places = -exponent if isinstance(exponent, int) else 0
    return max(precision(currency), places)


def _to_units(amount: Decimal, places: int) -> int:
    return int(amount.scaleb(places))


def _from_units(units: int, places: int) -> Decimal:
    return Decimal(units).scaleb(-places)


def spread_units(total: int, weights: Sequence[int]) -> list[int]:
    """Split the integer ``total`` in proportion to ``weights`` by the largest remainder method.

    Every part is the floor of its exact share plus at most one; the parts add
    up to ``total`` exactly. Ties in the remainders go to the earlier part.
    A negative total is spread as its absolute value, then negated, so the
    parts of ``-x`` are the negated parts of ``x``.
    """
    if not weights:
        if total:
            raise ValueError("cannot spread a non-zero total over no parts")
        return []
    if any(weight < 0 for weight in weights):
        raise ValueError("weights must not be negative")
    whole = sum(weights)
    if whole == 0:
        raise ValueError("weights must not all be zero")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    shares = [divmod(magnitude * weight, whole) for weight in weights]
    parts = [quotient for quotient, _ in shares]
    left = magnitude - sum(parts)
    order = sorted(range(len(weights)), key=lambda index: (-shares[index][1], index))
    for index in order[:left]:
        parts[index] += 1
    return [sign * part for part in parts]


def spread(amount: Decimal, parts: int | Sequence[int], currency: str = "USD") -> list[Decimal]:
    """Split ``amount`` into ``parts`` equal parts (or by weights), exact to the cent.

    >>> spread(Decimal("100.00"), 3)
    [Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
    """
    weights = [1] * parts if isinstance(parts, int) else list(parts)
    places = _exponent(amount, currency)
    return [_from_units(units, places) for units in spread_units(_to_units(amount, places), weights)]


def _round_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half to even, in integers."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    return quotient


def accrued(amount: Decimal, days: int, period_days: int, currency: str = "USD") -> Decimal:
    """The running total of ``amount`` per ``period_days`` after ``days`` days, rounded."""
    places = _exponent(amount, currency)
    return _from_units(_round_div(_to_units(amount, places) * days, period_days), places)


# -- calendar helpers --------------------------------------------------------


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def days_in_month(index: int) -> int:
    return (month_start(index + 1) - month_start(index)).days


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from ``first``'s month to ``last``'s, inclusive."""
    return [month_start(index) for index in range(month_index(first), month_index(last) + 1)]


# -- parsing -----------------------------------------------------------------


def _normal_sign(account: str, amount: Decimal) -> Decimal:
    if account.split(":", 1)[0] == "Income" and amount < 0:
        return -amount
    return amount


def parse_budgets(
    entries: Iterable, default_fund: str = conv.DEFAULT_FUND, currency: str | None = None
) -> tuple[list[Budget], list[BudgetProblem]]:
    """The ledger's budgets (in ledger order) and the directives finsek could not read."""
    budgets: list[Budget] = []
    problems: list[BudgetProblem] = []
    for order, entry in enumerate(entries):
        if not (isinstance(entry, data.Custom) and entry.type == "budget"):
            continue
        values = conv.custom_values(entry)
        if len(values) < 3:
            problems.append(BudgetProblem(entry.date, "a budget needs an account, a period and an amount"))
            continue
        account, period, amount = values[0], values[1], values[2]
        if not isinstance(account, str) or not account:
            problems.append(BudgetProblem(entry.date, "a budget's first value must be an account"))
            continue
        period = str(period).strip().lower()
        if period not in PERIODS:
            problems.append(
                BudgetProblem(entry.date, f"budget for {account}: unknown period '{period}' (use {', '.join(PERIODS)})")
            )
            continue
        number = getattr(amount, "number", None)
        unit = getattr(amount, "currency", None)
        if not isinstance(number, Decimal) or not unit:
            problems.append(BudgetProblem(entry.date, f"budget for {account}: the amount needs a currency"))
            continue
        if currency is not None and unit != currency:
            problems.append(
                BudgetProblem(entry.date, f"budget for {account} is in {unit}, not {currency}: it is left out")
            )
            continue
        meta = entry.meta or {}
        fund = str(meta[conv.FUND_KEY]) if conv.FUND_KEY in meta else default_fund
        budgets.append(Budget(entry.date, account, period, _normal_sign(account, number), unit, fund, order))
    return budgets, problems


# -- the budget book ---------------------------------------------------------


class BudgetBook:
    """Budgets by (account, fund), answering "how much for this month / these days"."""

    def __init__(self, budgets: Iterable[Budget], currency: str = "USD"):
        self.currency = currency
        by_key: dict[tuple[str, str], list[Budget]] = defaultdict(list)
        for budget in budgets:
            by_key[(budget.account, budget.fund)].append(budget)
        self._by_key = {
            key: sorted(items, key=lambda item: (month_index(item.date), item.order)) for key, items in by_key.items()
        }
        self._cache: dict[tuple[tuple[str, str], int], Decimal] = {}

    @classmethod
    def from_entries(
        cls, entries: Iterable[data.Directive], default_fund: str = conv.DEFAULT_FUND, currency: str = "USD"
    ) -> "BudgetBook":
        budgets, _ = parse_budgets(entries, default_fund, currency)
        return cls(budgets, currency)

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def pairs(self) -> list[tuple[str, str]]:
        """Every (account, fund) that has a budget."""
        return sorted(self._by_key)

    def accounts(self) -> list[str]:
        return sorted({account for account, _ in self._by_key})

    def funds(self) -> list[str]:
        return sorted({fund for _, fund in self._by_key})

    def _active(self, key: tuple[str, str], index: int) -> Budget | None:
        found = None
        for budget in self._by_key.get(key, ()):
            if month_index(budget.date) <= index:
                found = budget
            else:
                break
        return found

    def month_amount(self, account: str, fund: str, month: dt.date | int) -> Decimal:
        """The budget of exactly this account and fund for one calendar month."""
        index = month if isinstance(month, int) else month_index(month)
        key = (account, fund)
        cached = self._cache.get((key, index))
        if cached is not None:
            return cached
        budget = self._active(key, index)
        value = ZERO if budget is None else self._part(budget, index)
        self._cache[(key, index)] = value
        return value

    def _part(self, budget: Budget, index: int) -> Decimal:
        offset = index - month_index(budget.date)
        if budget.period == "monthly":
            return budget.amount
        if budget.period == "yearly":
            return spread(budget.amount, 12, self.currency)[offset % 12]
        if budget.period == "quarterly":
            return spread(budget.amount, 3, self.currency)[offset % 3]
        period_days = 7 if budget.period == "weekly" else 1
        start = budget.effective
        before = (month_start(index) - start).days
        after = before + days_in_month(index)
        return accrued(budget.amount, after, period_days, self.currency) - accrued(
            budget.amount, before, period_days, self.currency
        )

    def covers(self, account: str, fund: str, start: dt.date, end: dt.date) -> bool:
        """True when a budget of exactly this account and fund is in effect on some day ``start`` to ``end``.

        A line with a budget in effect has a budget (perhaps 0.00); a line without one has none, and a
        report shows no budget for it rather than 0.00.
        """
        if end < start:
            return False
        return any(self._active((account, fund), index) is not None
                   for index in range(month_index(start), month_index(end) + 1))

    def between(self, account: str, fund: str, start: dt.date, end: dt.date) -> Decimal:
        """The budget of exactly this account and fund for the days ``start`` to ``end`` inclusive."""
        if end < start:
            return ZERO
        total = ZERO
        for index in range(month_index(start), month_index(end) + 1):
            amount = self.month_amount(account, fund, index)
            if not amount:
                continue
            first = month_start(index)
            length = days_in_month(index)
            day_from = (start - first).days if month_index(start) == index else 0
            day_to = (end - first).days + 1 if month_index(end) == index else length
            if day_from == 0 and day_to == length:
                total += amount
            else:
                total += accrued(amount, day_to, length, self.currency) - accrued(
                    amount, day_from, length, self.currency
                )
        return total

    def total(
        self, prefix: str | None, start: dt.date, end: dt.date, fund: str | None = None
    ) -> Decimal:
        """Budgets of ``prefix`` and the accounts below it (on ``:`` boundaries), of one fund or all."""
        return sum(
            (
                self.between(account, key_fund, start, end)
                for account, key_fund in self._by_key
                if (prefix is None or conv.account_matches(account, prefix)) and (fund is None or key_fund == fund)
            ),
            ZERO,
        )

    def monthly(self, start: dt.date, end: dt.date) -> list[tuple[str, str, dt.date, Decimal]]:
        """(account, fund, first of month, amount) for every budget and month from ``start`` to ``end``.

        Months only partly inside the range get their pro-rata share.
        """
        rows = []
        for account, fund in self.pairs():
            for index in range(month_index(start), month_index(end) + 1):
                first = month_start(index)
                last = month_start(index + 1) - dt.timedelta(days=1)
                amount = self.between(account, fund, max(first, start), min(last, end))
                if amount:
                    rows.append((account, fund, first, amount))
        return rows
