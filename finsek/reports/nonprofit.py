"""The statement of activities in the nonprofit form (FASB ASC 958): by restriction class.

Columns are spans of days, each for net assets without donor restrictions
(``free``: unrestricted and board-designated funds), with donor restrictions
(``restricted``) or the ``total``. Income shows in the class of its fund.
Expenses are all shown without donor restrictions, as ASC 958 has them: when
a restricted fund pays (the roof from the Building Fund), its restriction is
met, and the line "Net assets released from restrictions" moves that amount
from the restricted column to the other one. Transfers out of a restricted
fund into a fund without donor restrictions are releases too (net of any
transfer the other way).

The statement ends with the change in net assets, net assets at the start
of each column's span and at its end, so every column adds up on the page:
start + change (+ other changes, such as opening balances) = end, and the end
equals the statement of financial position.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from finsek.ledger import conventions as conv
from finsek.reports import financial as st
from finsek.reports import frames as fr
from finsek.reports.periods import Span

ZERO = Decimal(0)
PARTS = ("free", "restricted", "total")
RELEASED = "Net assets released from restrictions"
CHANGE = "Change in net assets"
OTHER = "Other changes in net assets (opening balances, other equity)"
START = "Net assets at the start of the period"
END = "Net assets at the end of the period"


@dataclass(frozen=True)
class Part:
    """One column: a span of days and a restriction class (``free``, ``restricted`` or ``total``)."""

    span: Span
    part: str = "total"


def _class_mask(basis: st.Basis, part: str):
    if part == "total":
        return None
    restricted = st.restricted_mask(basis.frame)
    return restricted if part == "restricted" else ~restricted


def net_assets(basis: st.Basis, day: dt.date, part: str) -> Decimal:
    """Net assets (the fund balances) of a class at the end of ``day``, natural sign."""
    frame = basis.frame
    mask = fr.in_root(frame, *conv.FUND_ROOTS) & fr.between(frame, None, day)
    chosen = _class_mask(basis, part)
    if chosen is not None:
        mask &= chosen
    return -fr.total(frame, mask)


def released(basis: st.Basis, span: Span) -> Decimal:
    """Restrictions met in ``span``: restricted funds' expenses and net transfers out of restricted funds."""
    frame = basis.frame
    mask = st.restricted_mask(frame) & fr.between(frame, span.start, span.end)
    spent = fr.total(frame, mask & fr.in_root(frame, "Expenses"))
    moved = fr.total(frame, mask & fr.under(frame, basis.transfers_account))
    return spent + moved


def statement(basis: st.Basis, columns: dict[str, Part], depth: int | None = 3) -> tuple[list[dict], dict]:
    """Rows of the statement of activities by restriction class, and its exact figures by column.

    Returns the table rows and ``{column: {"income", "expenses", "released", "change", "other",
    "start", "end"}}`` (exact, natural sign, for the column's class).
    """
    measures = []
    for key, part in columns.items():
        measures.append(st.Measure(f"{key}#all", part.span))
        if part.part != "total":
            measures.append(st.Measure(f"{key}#class", part.span, restricted=part.part == "restricted"))
    lines = st.activity_lines(basis, measures, depth)

    def compute(key: str, part: str) -> st.Compute:
        def run(values, root, members):
            if part == "total":
                return values.get(f"{key}#all", ZERO)
            if root == "Expenses":  # every expense is a decrease in net assets without donor restrictions
                return values.get(f"{key}#all", ZERO) if part == "free" else None
            return values.get(f"{key}#class", ZERO)

        return run

    computes = {key: compute(key, part.part) for key, part in columns.items()}
    rows, _ = st.activity_rows(basis, lines, computes, set(computes), net=False)
    figures: dict[str, dict[str, Decimal]] = {}
    for key, part in columns.items():
        income = sum((line.values.get(f"{key}#all" if part.part == "total" else f"{key}#class", ZERO)
                      for line in lines if line.root == "Income"), ZERO)
        expenses = ZERO if part.part == "restricted" else sum(
            (line.values.get(f"{key}#all", ZERO) for line in lines if line.root == "Expenses"), ZERO)
        release = released(basis, part.span)
        release = {"free": release, "restricted": -release, "total": ZERO}[part.part]
        change = income + release - expenses
        start = net_assets(basis, part.span.before, part.part)
        end = net_assets(basis, part.span.end, part.part)
        figures[key] = {"income": income, "expenses": expenses, "released": release, "change": change,
                        "other": end - start - change, "start": start, "end": end}

    def line(kind: str, label: str, name: str) -> dict:
        return {"kind": kind, "label": label, "account": "",
                **{key: basis.q(values[name]) for key, values in figures.items()}}

    # The release sits at the end of the income section, and the income total includes it.
    total_at = next((index for index, row in enumerate(rows) if row["label"] == st.TOTAL_TITLES["Income"]), None)
    if total_at is None:
        rows[0:0] = [{"kind": "section", "label": st.ROOT_TITLES["Income"]}, {}]
        total_at = 1
    for values in figures.values():
        values["income_released"] = values["income"] + values["released"]
    rows[total_at] = line("total", st.TOTAL_TITLES["Income"], "income_released")
    rows.insert(total_at, line("row", RELEASED, "released"))
    rows.append(line("total", CHANGE, "change"))
    if any(values["other"] for values in figures.values()):
        rows.append(line("row", OTHER, "other"))
    rows.append(line("subtotal", START, "start"))
    rows.append(line("total", END, "end"))
    return rows, figures
