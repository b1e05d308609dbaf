"""Budget against actual, fund by fund: a budget is compared only with its own fund's actuals.

A budget line belongs to a fund (its ``fund:``, else the ledger's default
fund) and covers its account and the accounts below it. Its actual is what
that fund received or spent on those accounts, never another fund's: the
roof paid from the restricted Building Fund is not an overrun of the General
Fund's maintenance budget. The operating fund (the default fund) comes
first; its block also shows, in a column of its own, what every other fund
received or spent on the same lines (``other``), so the board sees that
spending without reading it as an operating overrun. Any other fund with a
budget gets a block of its own.

Lines without a budget show no budget (``None``: empty in print, ``null``
in JSON), no variance and no percentage; a total compares with its budget
only when every line in it that has an actual has a budget, and where one
does not, the budgeted lines and the lines without a budget get subtotals
of their own (the budgeted lines compared with the budget).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from finsek.reports import financial as st
from finsek.reports.periods import Span

ZERO = Decimal(0)


@dataclass
class Block:
    """One fund's lines and rows."""

    fund: str
    title: str
    lines: list[st.Line]
    rows: list[dict]
    totals: dict[str, dict[str, Decimal]] = field(default_factory=dict)

    def budgeted(self, root: str, actual: str, budget: str) -> tuple[Decimal, Decimal, Decimal]:
        """(actual of the lines with a budget, their budget, actual of the lines without one) under ``root``."""
        members = [line for line in self.lines if line.root == root]
        with_budget = [line for line in members if line.budgeted(budget)]
        return (sum((line.values.get(actual, ZERO) for line in with_budget), ZERO),
                sum((line.values[budget] for line in with_budget), ZERO),
                sum((line.values.get(actual, ZERO) for line in members if not line.budgeted(budget)), ZERO))


def the_fund(basis: st.Basis, fund: str) -> str:
    """"the General Fund", or "the fund 'general'" for a fund not in the registry."""
    return f"the {basis.fund_title(fund)}" if fund in basis.books.funds else f"the fund '{fund}'"


def block_funds(basis: st.Basis, by_fund: bool, through=None) -> list[str]:
    """The operating (default) fund, then every other fund with a budget (every fund with ``by_fund``)."""
    operating = basis.books.default_fund
    others = basis.fund_names(through) if by_fund else []
    others += [fund for fund in basis.budgets.funds() if fund not in others]
    return [operating] + [fund for fund in others if fund != operating]


def blocks(basis: st.Basis, actuals: dict[str, Span], budgets: dict[str, Span], others: dict[str, Span],
           computes: dict[str, st.Compute], money: set[str], split: str, *, by_fund: bool = False,
           depth: int | None = 3, through=None) -> list[Block]:
    """Each fund's budget against its actual (``actuals``/``budgets``: measure key to span).

    ``others`` are measured in the operating fund's block only: every other fund's actual on its lines.
    A fund other than the operating fund with neither budget nor actual in these spans is left out.
    """
    found = []
    funds = block_funds(basis, by_fund, through)
    for fund in funds:
        measures = [st.Measure(key, span, fund=fund) for key, span in actuals.items()]
        measures += [st.Measure(key, span, budget=True, fund=fund) for key, span in budgets.items()]
        if fund == funds[0]:
            measures += [st.Measure(key, span, fund=fund, other=True) for key, span in others.items()]
        lines = st.activity_lines(basis, measures, depth)
        if not lines and fund != funds[0]:
            continue
        rows, totals = st.activity_rows(basis, lines, computes, money, split=split)
        for row in rows:
            row["fund"] = fund
        title = basis.fund_title(fund) if fund in basis.books.funds else f"Fund '{fund}'"
        found.append(Block(fund, title, lines, rows, totals))
    return found


def table_rows(blocks: list[Block]) -> list[dict]:
    """The rows of all blocks; with more than one, each fund is a section and its income and expenses groups."""
    if len(blocks) == 1:
        return list(blocks[0].rows)
    rows: list[dict] = []
    for block in blocks:
        rows.append({"kind": "section", "label": block.title, "fund": block.fund})
        for row in block.rows:
            rows.append({**row, "kind": "group"} if row["kind"] == "section" else row)
    return rows
