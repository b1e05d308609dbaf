"""Ad-hoc reports over any dates: activities, funds, position, budget.

``build_report(kind, books, start, end, by_fund=False)`` returns a
:class:`~finsek.reports.model.Report` with one section, rendered by the same
renderers as the board report (``md``, ``csv``, ``json``, ``xlsx``, and also
``html`` and ``pdf``).

- ``activities``: income and expenses by category from ``start`` to ``end``
  in the nonprofit form (without / with donor restrictions, total, and the
  same days a year earlier; see :mod:`finsek.reports.nonprofit`); with
  ``by_fund``, one column per fund and a total.
- ``funds``: each fund's opening balance, receipts, disbursements, transfers
  and closing balance, and the tie-out to cash.
- ``position``: assets, liabilities and net assets at ``end`` (and at the day
  before ``start`` for comparison); with ``by_fund``, net assets fund by fund.
- ``budget``: each fund's budget against that fund's actuals only (budgets
  without ``fund:`` belong to the default fund, the operating fund, which
  comes first; see :mod:`finsek.reports.budgeted`); with ``by_fund``, every
  fund, budgeted or not.
"""

import datetime as dt
from decimal import Decimal

from finsek.core.errors import Refused
from finsek.core.text import slug
from finsek.reports import budgeted as bd
from finsek.reports import financial as st
from finsek.reports import model as m
from finsek.reports import nonprofit as fasb
from finsek.reports.board import TIE_COLUMNS, fund_table
from finsek.reports.periods import Span, fiscal_year_start

KINDS = ("activities", "funds", "position", "budget")
TITLES = {
    "activities": "Statement of activities",
    "funds": "Fund activity",
    "position": "Statement of financial position",
    "budget": "Budget against actual",
}
ZERO = Decimal(0)


def default_span(books, start: dt.date | None, end: dt.date | None, today: dt.date | None = None) -> Span:
    """``--from`` defaults to the start of the fiscal year of ``--to``; ``--to`` to today."""
    end = end or today or dt.date.today()
    start = start or fiscal_year_start(end, books.settings.fiscal_year_start)
    return Span(start, end)


def _label(span: Span) -> str:
    return f"{span.start.isoformat()} to {span.end.isoformat()}"


def _year_before(span: Span) -> Span:
    def back(day: dt.date) -> dt.date:
        return day.replace(year=day.year - 1) if not (day.month == 2 and day.day == 29) else day.replace(
            year=day.year - 1, day=28)

    return Span(back(span.start), back(span.end))


def activities_table(basis: st.Basis, span: Span, by_fund: bool, depth: int | None) -> m.Table:
    if not by_fund:
        prior = _year_before(span)
        rows, _ = fasb.statement(basis, {"free": fasb.Part(span, "free"), "restricted": fasb.Part(span, "restricted"),
                                         "actual": fasb.Part(span), "prior": fasb.Part(prior)}, depth)
        columns = [
            m.Column("label", "Category", "text"), m.Column("account", "Account", "text", hidden=True),
            m.Column("free", "Without donor restrictions"), m.Column("restricted", "With donor restrictions"),
            m.Column("actual", "Total"), m.Column("prior", "Total, a year earlier"),
        ]
        notes = [
            "Expenses are shown without donor restrictions; what restricted funds paid for (and transfers out of "
            f"them) is the line \"{fasb.RELEASED}\". The last column is the same days a year earlier, "
            f"{_label(prior)}.",
        ]
        if not any(row["kind"] == "row" and row["account"] for row in rows):
            notes.append("No income or expenses are recorded in this period.")
        return m.table("activities", f"Statement of activities, {_label(span)}", columns, rows, notes)
    measures = [st.Measure("actual", span)]
    funds = basis.fund_names(span.end)
    measures += [st.Measure(f"fund:{fund}", span, fund=fund) for fund in funds]
    lines = st.activity_lines(basis, measures, depth)
    computes = {f"fund:{fund}": st.value(f"fund:{fund}") for fund in funds}
    computes["actual"] = st.value("actual")
    rows, _ = st.activity_rows(basis, lines, computes, set(computes))
    columns = [m.Column("label", "Category", "text"), m.Column("account", "Account", "text", hidden=True)]
    columns += [m.Column(f"fund:{fund}", basis.fund_title(fund)) for fund in funds]
    columns.append(m.Column("actual", "Total"))
    notes = [] if rows else ["No income or expenses are recorded in this period."]
    return m.table("activities", f"Statement of activities, {_label(span)}", columns, rows, notes)


def budget_table(basis: st.Basis, span: Span, by_fund: bool, depth: int | None) -> m.Table:
    computes = {
        "actual": st.value("actual"),
        "budget": st.budget_value("budget"),
        "variance": st.variance("actual", "budget"),
        "used": st.used("actual", "budget"),
        "other": st.budget_value("other"),
    }
    blocks = bd.blocks(basis, {"actual": span}, {"budget": span}, {"other": span}, computes,
                       {"actual", "budget", "variance", "other"}, "budget", by_fund=by_fund, depth=depth,
                       through=span.end)
    rows = bd.table_rows(blocks)
    if len(blocks) == 1 and by_fund:
        rows.insert(0, {"kind": "section", "label": blocks[0].title, "fund": blocks[0].fund})
    columns = [
        m.Column("label", "Category", "text"),
        m.Column("account", "Account", "text", hidden=True),
        m.Column("fund", "Fund", "text", hidden=True),
        m.Column("actual", "Actual"),
        m.Column("budget", "Budget"),
        m.Column("variance", "Variance"),
        m.Column("used", "% of budget", "percent"),
        m.Column("other", "Other funds"),
    ]
    notes = [
        f"Each budget is compared only with its own fund's actuals: first {bd.the_fund(basis, blocks[0].fund)} "
        "(the operating fund); \"Other funds\" is what every other fund received or spent on the same lines.",
        "Variance is positive when favourable: more income or less spending than budgeted. A line without a "
        "budget shows none; a total is compared with its budget only when every line in it has one.",
    ]
    if not basis.budgets:
        notes.append("The ledger has no budget (custom \"budget\" directives).")
    return m.table("budget", f"Budget against actual, {_label(span)}", columns, rows, notes)


def build_report(kind: str, books, start: dt.date | None = None, end: dt.date | None = None, *,
                 by_fund: bool = False, frame=None, generated: dt.date | None = None,
                 depth: int | None = 3) -> m.Report:
    if kind not in KINDS:
        raise ValueError(f"unknown report '{kind}': use {', '.join(KINDS)}")
    basis = st.Basis(books, frame)
    span = default_span(books, start, end, generated)
    if span.end < span.start:
        raise Refused(f"--from {span.start.isoformat()} is after --to {span.end.isoformat()}: swap them.")
    tables: list[m.Table]
    if kind == "activities":
        tables = [activities_table(basis, span, by_fund, depth)]
    elif kind == "budget":
        tables = [budget_table(basis, span, by_fund, depth)]
    elif kind == "funds":
        table, lines = fund_table(basis, "funds", f"Fund activity, {_label(span)}", span)
        tie = st.tie_out(basis, span.end, sum((line.closing for line in lines), ZERO))
        tables = [table, m.table("tie_out", f"Funds tied to cash at {span.end.isoformat()}", TIE_COLUMNS,
                                 st.tie_out_rows(basis, tie), [st.tie_out_note(basis, tie)])]
    else:
        days = {"end": span.end, "start": span.before}
        rows, _ = st.position_rows(basis, days, by_fund=by_fund)
        columns = [
            m.Column("label", "", "text"),
            m.Column("account", "Account", "text", hidden=True),
            m.Column("end", f"At {span.end.isoformat()}"),
            m.Column("start", f"At {span.before.isoformat()}"),
        ]
        tables = [m.table("position", f"Statement of financial position at {span.end.isoformat()}", columns, rows)]
    title = TITLES[kind]
    return m.Report(
        kind=kind, title=title, organisation=books.title, currency=books.currency, locale=books.locale,
        period_label=_label(span), start=span.start, end=span.end, generated=generated or dt.date.today(),
        sections=[m.Section(kind, title, tables=tables)],
        period={"span": span.to_dict(), "by_fund": by_fund},
        slug=f"{slug(books.title, 60, 'ledger')}-{kind}-{span.start.isoformat()}-{span.end.isoformat()}",
    )
