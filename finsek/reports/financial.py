"""Financial statements computed from the posting frame.

Signs are natural for people: income, expenses, liabilities and net assets
are positive numbers. Variances are positive when favourable (more income or
less spending than budgeted). Everything is summed exactly (integer units)
and rounded to the currency's precision only when a table is made, so a
total is the rounded exact total, never a sum of rounded rows.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from finsek.core.money import format_amount, quantize
from finsek.ledger import conventions as conv
from finsek.ledger import roles
from finsek.ledger.budgets import BudgetBook, parse_budgets
from finsek.reports import frames as fr
from finsek.reports.labels import account_label, account_labels, words
from finsek.reports.periods import Span

ZERO = Decimal(0)
ROOTS = ("Income", "Expenses")
CASH_WORDS = frozenset({"Bank", "Cash", "Checking", "Savings", "Petty", "Undeposited"})
CLASS_LABELS = {
    "unrestricted": "Without donor restrictions",
    "designated": "Without donor restrictions (board-designated)",
    "restricted": "With donor restrictions",
}
#: Rows of net assets without donor restrictions on the statement of financial position.
NET_ASSET_LABELS = {"unrestricted": "Undesignated", "designated": "Board-designated",
                    "restricted": "With donor restrictions"}


def is_cash(account: str) -> bool:
    parts = account.split(":")
    return parts[0] == "Assets" and any(part in CASH_WORDS for part in parts[1:])


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_EVEN)


class Basis:
    """The books, their posting frame and their budgets: what every statement reads."""

    def __init__(self, books, frame: pd.DataFrame | None = None):
        self.books = books
        self.frame = frame if frame is not None else fr.posting_frame(books)
        self.currency = books.currency
        self.locale = books.locale
        budgets, problems = parse_budgets(books.custom_entries, books.default_fund, books.currency)
        self.budgets = BudgetBook(budgets, books.currency)
        self.budget_problems = problems
        #: The ledger's own accounts for gifts and for transfers between funds (``finsek.ledger.roles``).
        self.giving_account = roles.account(books.settings, "giving")
        self.transfers_account = roles.account(books.settings, "transfers")
        self._order = {name: index for index, name in enumerate(books.accounts)}
        self._order_cache: dict[str, tuple] = {}

    def q(self, amount: Decimal | None) -> Decimal | None:
        return None if amount is None else quantize(amount, self.currency)

    def order(self, prefix: str) -> tuple:
        """Ledger order (the chart of accounts as opened) for an account or prefix."""
        found = self._order_cache.get(prefix)
        if found is None:
            indexes = [index for name, index in self._order.items() if conv.account_matches(name, prefix)]
            found = (min(indexes) if indexes else len(self._order), prefix)
            self._order_cache[prefix] = found
        return found

    def fund_names(self, through: dt.date | None = None) -> list[str]:
        """Registered funds in ledger order, then any other fund that has postings."""
        names = list(self.books.funds)
        frame = self.frame
        mask = fr.in_root(frame, *conv.FUND_ROOTS)
        if through is not None:
            mask &= fr.between(frame, None, through)
        seen = set(frame.loc[mask, "fund"].unique()) - {""}
        names += sorted(seen - set(names))
        return names or [self.books.default_fund]

    def fund_title(self, fund: str) -> str:
        found = self.books.funds.get(fund)
        return found.title if found else fund

    def fund_class(self, fund: str) -> str:
        return self.books.fund_class(fund)


# -- statement of activities --------------------------------------------------


@dataclass
class Measure:
    """One number per category: actual postings or budget over a span.

    ``fund`` limits it to one fund (with ``other``: to every fund but that one);
    ``restricted`` to funds with (True) or without (False) donor restrictions.
    A budget measure is present on a line only when a budget is in effect for
    it in the span (perhaps 0.00): a line without a budget has none, never 0.00.
    """

    key: str
    span: Span
    budget: bool = False
    fund: str | None = None
    other: bool = False
    restricted: bool | None = None


@dataclass
class Line:
    root: str
    group: str | None
    label: str
    account: str
    values: dict[str, Decimal] = field(default_factory=dict)

    def budgeted(self, key: str) -> bool:
        return key in self.values


def category_of(account: str, budgeted: set[str], depth: int | None) -> str:
    """The statement row an account counts in.

    The shallowest of: an account with a budget that is this account or above
    it, and the account cut to ``depth`` components. Postings and budgets go
    through the same function, so every amount lands in exactly one row.
    """
    parts = account.split(":")
    for size in range(1, len(parts) + 1):
        prefix = ":".join(parts[:size])
        if prefix in budgeted or size == depth:
            return prefix
    return account


def restricted_mask(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose fund has donor restrictions (class ``restricted``)."""
    return (frame["fund_class"] == "restricted").to_numpy(dtype=bool)


def activity_lines(basis: Basis, measures: list[Measure], depth: int | None = 3) -> list[Line]:
    """Income and expense categories with every measure, in natural sign, exact (lines with some measure
    not zero)."""
    frame = basis.frame
    budget_keys = [(account, fund) for account, fund in basis.budgets.pairs() if account.split(":")[0] in ROOTS]
    budgeted = {account for account, _ in budget_keys}
    by_category: dict[str, dict[str, Decimal]] = {}
    base = fr.in_root(frame, *ROOTS)
    for measure in measures:
        if measure.budget:
            for account, fund in budget_keys:
                if measure.fund is not None and (fund == measure.fund) == measure.other:
                    continue
                if measure.restricted is not None and (basis.fund_class(fund) == "restricted") != measure.restricted:
                    continue
                if not basis.budgets.covers(account, fund, measure.span.start, measure.span.end):
                    continue
                amount = basis.budgets.between(account, fund, measure.span.start, measure.span.end)
                values = by_category.setdefault(category_of(account, budgeted, depth), {})
                values[measure.key] = values.get(measure.key, ZERO) + amount
            continue
        mask = base & fr.between(frame, measure.span.start, measure.span.end)
        if measure.fund is not None:
            chosen = (frame["fund"] == measure.fund).to_numpy(dtype=bool)
            mask &= ~chosen if measure.other else chosen
        if measure.restricted is not None:
            chosen = restricted_mask(frame)
            mask &= chosen if measure.restricted else ~chosen
        for account, amount in fr.sums_by(frame, mask, "account").items():
            sign = -1 if account.startswith("Income") else 1
            values = by_category.setdefault(category_of(account, budgeted, depth), {})
            values[measure.key] = values.get(measure.key, ZERO) + sign * amount
    lines = []
    for category, values in by_category.items():
        parts = category.split(":")
        group = words(parts[1]) if len(parts) >= 3 else None
        label = account_label(category, ":".join(parts[:2]) if group else None)
        if any(values.values()):
            lines.append(Line(parts[0], group, label, category, values))
    lines.sort(key=lambda line: (ROOTS.index(line.root), basis.order(":".join(line.account.split(":")[:2])),
                                 basis.order(line.account)))
    return lines


#: A column's value from a row's summed values, its root and the lines it sums.
Compute = Callable[[dict[str, Decimal], str, list[Line]], Decimal | None]


def value(key: str) -> Compute:
    return lambda values, root, members: values.get(key, ZERO)


def budget_value(key: str) -> Compute:
    """A budget: None (no budget) unless some line in the row has one."""
    return lambda values, root, members: values.get(key)


def _comparable(actual: str, budget: str, values: dict[str, Decimal], members: list[Line]) -> bool:
    """A row compares with its budget only when it has one and every line in it with an actual has one."""
    return budget in values and all(line.budgeted(budget) or not line.values.get(actual) for line in members)


def variance(actual: str, budget: str) -> Compute:
    """Actual against budget, positive when favourable; None where the row has no budget to compare with."""

    def compute(values, root, members):
        if not _comparable(actual, budget, values, members):
            return None
        difference = values.get(actual, ZERO) - values[budget]
        return -difference if root == "Expenses" else difference

    return compute


def used(actual: str, budget: str) -> Compute:
    """Percent of the budget used (not shown for the net result, where it means nothing)."""

    def compute(values, root, members):
        if root == "Net" or not _comparable(actual, budget, values, members):
            return None
        return percent(values.get(actual, ZERO), values[budget])

    return compute


ROOT_TITLES = {"Income": "Income", "Expenses": "Expenses"}
TOTAL_TITLES = {"Income": "Total income", "Expenses": "Total expenses"}
BUDGETED_TITLES = {"Income": "Budgeted income", "Expenses": "Budgeted expenses"}
UNBUDGETED_TITLES = {"Income": "Income without a budget", "Expenses": "Expenses without a budget"}
NET_TITLE = "Net surplus (deficit)"


def _add(into: dict[str, Decimal], values: dict[str, Decimal], sign: int = 1) -> None:
    for key, amount in values.items():
        into[key] = into.get(key, ZERO) + sign * amount


def _sum(lines: list[Line]) -> dict[str, Decimal]:
    total: dict[str, Decimal] = {}
    for line in lines:
        _add(total, line.values)
    return total


def activity_rows(basis: Basis, lines: list[Line], computes: dict[str, Compute], money: set[str],
                  net: bool = True, split: str | None = None,
                  ) -> tuple[list[dict], dict[str, dict[str, Decimal]]]:
    """Table rows (sections, groups, subtotals, totals) and the exact totals by root.

    With ``split`` (a budget key), a section whose lines are partly budgeted
    ends with two subtotals before its total: the lines with that budget, and
    the lines without one (so the budgeted lines are compared with their
    budget, and what has no budget is shown beside it, never against 0.00).
    """

    def make(kind, label, members, root, account="", values=None):
        values = _sum(members) if values is None else values
        row = {"kind": kind, "label": label, "account": account}
        for key, compute in computes.items():
            result = compute(values, root, members)
            row[key] = basis.q(result) if key in money and result is not None else result
        return row

    rows: list[dict] = []
    totals: dict[str, dict[str, Decimal]] = {root: {} for root in ROOTS}
    for root in ROOTS:
        members = [line for line in lines if line.root == root]
        if not members:
            continue
        rows.append({"kind": "section", "label": ROOT_TITLES[root]})
        index = 0
        while index < len(members):
            group = members[index].group
            block = [members[index]]
            index += 1
            while group is not None and index < len(members) and members[index].group == group:
                block.append(members[index])
                index += 1
            if group is not None and len(block) > 1:
                rows.append({"kind": "group", "label": group})
                for line in block:
                    rows.append(make("row", line.label, [line], root, line.account))
                rows.append(make("subtotal", f"Total {group.lower()}", block, root))
            else:
                line = block[0]
                label = f"{group}: {line.label}" if group is not None else line.label
                rows.append(make("row", label, [line], root, line.account))
        totals[root] = _sum(members)
        total = make("total", TOTAL_TITLES[root], members, root)
        if split is not None:
            budgeted = [line for line in members if line.budgeted(split)]
            unbudgeted = [line for line in members if not line.budgeted(split)]
            if budgeted and unbudgeted:
                part = make("subtotal", BUDGETED_TITLES[root], budgeted, root)
                # Only when the total cannot be compared with its budget but the budgeted lines can.
                if any(part[key] is not None and total[key] is None for key in computes):
                    rows.append(part)
                    rows.append(make("subtotal", UNBUDGETED_TITLES[root], unbudgeted, root))
        rows.append(total)
    if net and lines:
        result: dict[str, Decimal] = {}
        _add(result, totals["Income"])
        _add(result, totals["Expenses"], -1)
        totals["Net"] = result
        rows.append(make("total", NET_TITLE, lines, "Net", values=result))
    return rows, totals


# -- fund activity --------------------------------------------------------------


@dataclass
class FundLine:
    fund: str
    title: str
    klass: str
    opening: Decimal
    receipts: Decimal
    disbursements: Decimal
    transfers_in: Decimal
    transfers_out: Decimal
    other: Decimal
    closing: Decimal


FUND_FIELDS = ("opening", "receipts", "disbursements", "transfers_in", "transfers_out", "other", "closing")


def fund_lines(basis: Basis, span: Span) -> list[FundLine]:
    frame = basis.frame
    in_funds = fr.in_root(frame, *conv.FUND_ROOTS)
    during = in_funds & fr.between(frame, span.start, span.end)
    transfers = fr.under(frame, basis.transfers_account)
    negative = (frame["units"] < 0).to_numpy()
    opening = fr.sums_by(frame, in_funds & fr.between(frame, None, span.before), "fund")
    closing = fr.sums_by(frame, in_funds & fr.between(frame, None, span.end), "fund")
    receipts = fr.sums_by(frame, during & fr.in_root(frame, "Income"), "fund")
    spent = fr.sums_by(frame, during & fr.in_root(frame, "Expenses"), "fund")
    came_in = fr.sums_by(frame, during & transfers & negative, "fund")
    went_out = fr.sums_by(frame, during & transfers & ~negative, "fund")
    other = fr.sums_by(frame, during & fr.in_root(frame, "Equity") & ~transfers, "fund")
    lines = []
    for fund in basis.fund_names(span.end):
        line = FundLine(
            fund, basis.fund_title(fund), basis.fund_class(fund),
            -opening.get(fund, ZERO), -receipts.get(fund, ZERO), spent.get(fund, ZERO),
            -came_in.get(fund, ZERO), went_out.get(fund, ZERO), -other.get(fund, ZERO), -closing.get(fund, ZERO),
        )
        if fund not in basis.books.funds and not any(getattr(line, name) for name in FUND_FIELDS):
            continue
        lines.append(line)
    return lines


@dataclass
class TieOut:
    cash: Decimal
    other_assets: Decimal
    liabilities: Decimal
    funds: Decimal

    @property
    def net_assets(self) -> Decimal:
        return self.cash + self.other_assets - self.liabilities

    @property
    def difference(self) -> Decimal:
        return self.net_assets - self.funds


def balances_at(basis: Basis, day: dt.date | None, root: str) -> dict[str, Decimal]:
    frame = basis.frame
    return fr.sums_by(frame, fr.in_root(frame, root) & fr.between(frame, None, day), "account")


def tie_out(basis: Basis, day: dt.date, funds_total: Decimal) -> TieOut:
    assets = balances_at(basis, day, "Assets")
    cash = sum((amount for account, amount in assets.items() if is_cash(account)), ZERO)
    other = sum((amount for account, amount in assets.items() if not is_cash(account)), ZERO)
    liabilities = -sum(balances_at(basis, day, "Liabilities").values(), ZERO)
    return TieOut(cash, other, liabilities, funds_total)


def tie_out_rows(basis: Basis, tie: TieOut) -> list[dict]:
    q = basis.q
    rows = [{"kind": "row", "label": "Cash and bank accounts", "amount": q(tie.cash)}]
    if tie.other_assets:
        rows.append({"kind": "row", "label": "Other assets", "amount": q(tie.other_assets)})
    if tie.liabilities:
        rows.append({"kind": "row", "label": "Less liabilities", "amount": q(-tie.liabilities)})
    rows.append({"kind": "subtotal", "label": "Net assets (what the organisation has, less what it owes)",
                 "amount": q(tie.net_assets)})
    rows.append({"kind": "row", "label": "Total of the fund balances", "amount": q(tie.funds)})
    rows.append({"kind": "total", "label": "Difference", "amount": q(tie.difference)})
    return rows


def tie_out_note(basis: Basis, tie: TieOut) -> str:
    if not tie.difference:
        return "The fund balances tie to cash: they add up to cash and other assets less liabilities, to the cent."
    return (
        f"The fund balances differ from net assets by {fmt_money(basis, tie.difference)}: Beancount accepted "
        "transactions that balance only within its rounding tolerance, or postings in other currencies are left out."
    )


def fmt_money(basis: Basis, amount: Decimal) -> str:
    return format_amount(amount, basis.currency, basis.locale)


# -- statement of financial position -----------------------------------------------


def _cut(account: str, depth: int) -> str:
    return ":".join(account.split(":")[:depth])


def position_rows(basis: Basis, days: dict[str, dt.date], by_fund: bool = False,
                  depth: int = 3) -> tuple[list[dict], dict[str, dict[str, Decimal]]]:
    """Assets, liabilities and net assets at each day in ``days`` (column key to day)."""
    q = basis.q
    frame = basis.frame
    assets = {key: balances_at(basis, day, "Assets") for key, day in days.items()}
    liabilities = {key: balances_at(basis, day, "Liabilities") for key, day in days.items()}

    def grouped(balances: dict[str, dict[str, Decimal]], choose, cut: Callable[[str], str], sign: int):
        result: dict[str, dict[str, Decimal]] = {}
        for key, items in balances.items():
            for account, amount in items.items():
                if choose(account):
                    name = cut(account)
                    result.setdefault(name, {}).setdefault(key, ZERO)
                    result[name][key] += sign * amount
        return {name: values for name, values in result.items() if any(values.values())}

    def line(kind, label, values, account=""):
        return {"kind": kind, "label": label, "account": account, **{key: q(values.get(key, ZERO)) for key in days}}

    def add_all(items):
        total: dict[str, Decimal] = {}
        for values in items:
            _add(total, values)
        return total

    rows: list[dict] = [{"kind": "section", "label": "Assets"}]
    cash = grouped(assets, is_cash, lambda account: account, 1)
    other = grouped(assets, lambda account: not is_cash(account), lambda account: _cut(account, depth), 1)
    rows.append({"kind": "group", "label": "Cash and bank accounts"})
    owed = grouped(liabilities, lambda account: True, lambda account: _cut(account, depth), -1)
    names = account_labels([*cash, *other, *owed])
    for name in sorted(cash, key=basis.order):
        rows.append(line("row", names[name], cash[name], name))
    cash_total = add_all(cash.values())
    rows.append(line("subtotal", "Total cash and bank accounts", cash_total))
    if other:
        rows.append({"kind": "group", "label": "Other assets"})
        for name in sorted(other, key=basis.order):
            rows.append(line("row", names[name], other[name], name))
        rows.append(line("subtotal", "Total other assets", add_all(other.values())))
    total_assets = add_all([cash_total, add_all(other.values())])
    rows.append(line("total", "Total assets", total_assets))

    rows.append({"kind": "section", "label": "Liabilities"})
    for name in sorted(owed, key=basis.order):
        rows.append(line("row", names[name], owed[name], name))
    total_owed = add_all(owed.values())
    rows.append(line("total", "Total liabilities", total_owed))

    rows.append({"kind": "section", "label": "Net assets"})
    in_funds = fr.in_root(frame, *conv.FUND_ROOTS)
    column = "fund" if by_fund else "fund_class"
    net: dict[str, dict[str, Decimal]] = {}
    for key, day in days.items():
        for name, amount in fr.sums_by(frame, in_funds & fr.between(frame, None, day), column).items():
            net.setdefault(name, {})[key] = -amount
    if by_fund:
        order = basis.fund_names()
        names = [name for name in order if name in net] + sorted(set(net) - set(order))
        classes = {name: basis.fund_class(name) for name in names}
    else:
        names = [klass for klass in ("unrestricted", "designated", "restricted") if klass in net
                 or klass != "designated" or any(fund.klass == "designated" for fund in basis.books.funds.values())]
        names += sorted(set(net) - set(names))
        classes = {name: name for name in names}

    def label_of(name: str) -> str:
        if by_fund:
            return basis.fund_title(name)
        return NET_ASSET_LABELS.get(name, f"Class '{name}'")

    free = [name for name in names if classes[name] in ("unrestricted", "designated")]
    bound = [name for name in names if classes[name] == "restricted"]
    rest = [name for name in names if name not in free and name not in bound]
    rows.append({"kind": "group", "label": CLASS_LABELS["unrestricted"]})
    for name in free:
        label = label_of(name)
        if by_fund and classes[name] == "designated":
            label += " (board-designated)"
        rows.append(line("row", label, net.get(name, {}), name))
    rows.append(line("subtotal", f"Total {CLASS_LABELS['unrestricted'].lower()}",
                     add_all([net.get(name, {}) for name in free])))
    if by_fund:
        rows.append({"kind": "group", "label": CLASS_LABELS["restricted"]})
        for name in bound:
            rows.append(line("row", label_of(name), net.get(name, {}), name))
        rows.append(line("subtotal", f"Total {CLASS_LABELS['restricted'].lower()}",
                         add_all([net.get(name, {}) for name in bound])))
    else:
        rows.append(line("row", CLASS_LABELS["restricted"], net.get("restricted", {}), "restricted"))
    for name in rest:
        rows.append(line("row", label_of(name), net.get(name, {}), name))
    total_net = add_all(net.values())
    residual = {key: total_assets.get(key, ZERO) - total_owed.get(key, ZERO) - total_net.get(key, ZERO)
                for key in days}
    if any(residual.values()):
        rows.append(line("row", "Remainder within Beancount's balancing tolerance", residual))
        _add(total_net, residual)
    rows.append(line("total", "Total net assets", total_net))
    rows.append(line("total", "Total liabilities and net assets", add_all([total_owed, total_net])))
    totals = {"assets": total_assets, "cash": cash_total, "liabilities": total_owed, "net_assets": total_net,
              "residual": residual}
    return rows, totals


# -- giving -------------------------------------------------------------------------


def household_of(books) -> Callable[[str], str]:
    registry = books.donors

    def find(donor: str) -> str:
        canonical = registry.canonical(donor)
        record = registry.get(canonical)
        return (record.household or canonical) if record else canonical

    return find


@dataclass
class Giving:
    """Giving (Income:Contributions, natural sign) by month, and giving households."""

    by_month: dict[dt.date, Decimal]
    households_by_month: dict[dt.date, int]
    households: Callable[[dt.date, dt.date], int]


def giving(basis: Basis, span: Span, account: str | None = None) -> Giving:
    frame = basis.frame
    mask = fr.under(frame, account or basis.giving_account) & fr.between(frame, span.start, span.end)
    months = frame["date"].to_numpy()[mask].astype("datetime64[M]")
    units = frame["units"].to_numpy()[mask]
    month_codes, month_names = pd.factorize(months, sort=True)
    by_month = {pd.Timestamp(month).date(): -fr.money(amount, frame)
                for month, amount in zip(month_names, _sum_by_code(month_codes, units, len(month_names)),
                                         strict=True)}
    donor_column = frame["donor"]
    find = household_of(basis.books)
    # One household code per donor category (donors the registry joins share one), decided once each.
    home_names: dict[str, int] = {}
    home_of_donor = np.array(
        [-1 if not donor else home_names.setdefault(find(donor), len(home_names))
         for donor in donor_column.cat.categories] + [-1], dtype=np.int64)
    homes = home_of_donor[donor_column.cat.codes.to_numpy()[mask]]
    known = homes >= 0
    homes, home_dates, home_months = homes[known], frame["date"].to_numpy()[mask][known], month_codes[known]
    pairs = np.unique(home_months * (len(home_names) + 1) + homes)
    counts = np.bincount(pairs // (len(home_names) + 1), minlength=len(month_names))
    households_by_month = {pd.Timestamp(month).date(): int(count)
                           for month, count in zip(month_names, counts, strict=True) if count}

    def households(start: dt.date, end: dt.date) -> int:
        chosen = (home_dates >= fr.to_datetime(start)) & (home_dates <= fr.to_datetime(end))
        return len(np.unique(homes[chosen]))

    return Giving(by_month, households_by_month, households)


def _sum_by_code(codes: np.ndarray, units: np.ndarray, size: int) -> np.ndarray:
    """Exact integer sums of ``units`` per code (Python ints when the units are)."""
    sums = np.zeros(size, dtype=units.dtype if units.dtype == np.int64 else object)
    if sums.dtype == object:
        sums[:] = 0
    np.add.at(sums, codes, units)
    return sums
