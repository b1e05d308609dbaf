"""The monthly board report, as data.

``build_board_report(books, month)`` returns a :class:`~finsek.reports.model.Report`
whose sections come in the order the board reads them:

1. summary (sentences; also ``report.summary``)
2. statement of activities in the nonprofit form (FASB ASC 958): the month,
   the year to date without / with donor restrictions and in total, the
   prior year to date; net assets released from restrictions
3. budget against actual: the operating fund's budget against the operating
   fund's actuals only (other funds' spending in a column of its own; other
   funds with a budget in parts of their own)
4. fund activity (month and year to date) with the tie-out to cash
5. statement of financial position (net assets by restriction class)
6. giving trend (this fiscal year against last, by month; giving households)
7. where the money went (expenses by category, month and year to date)
8. reconciliation status (through which month end each bank account is reconciled:
   ``finsek.ledger.reconciled``, the rule the audit and the home screen share)
9. closed books (the digest of each close of the month, for the minutes)

The report names no donor: giving is counted in households, never listed.
"""

import datetime as dt
from decimal import Decimal

from finsek.core.dates import MONTH_ABBR, month_end
from finsek.core.money import format_amount
from finsek.core.text import slug
from finsek.ledger.reconciled import reconcile_rules, reconciliation, short_date
from finsek.ledger.reconciliations import records
from finsek.reports import budgeted as bd
from finsek.reports import financial as st
from finsek.reports import frames as fr
from finsek.reports import model as m
from finsek.reports import nonprofit as fasb
from finsek.reports.labels import account_label, account_labels
from finsek.reports.periods import BoardPeriod, Span
from finsek.reports.privacy import FEWER, MIN_HOUSEHOLDS, fold, shown, too_few

ZERO = Decimal(0)
TITLE = "Board report"


def _money(column: str, title: str) -> m.Column:
    return m.Column(column, title, "money")


BUDGET_COLUMNS = [
    m.Column("label", "Category", "text"),
    m.Column("account", "Account", "text", hidden=True),
    m.Column("fund", "Fund", "text", hidden=True),
    _money("month_actual", "Month actual"),
    _money("month_budget", "Month budget"),
    _money("month_variance", "Month variance"),
    _money("ytd_actual", "Year to date actual"),
    _money("ytd_budget", "Year to date budget"),
    _money("ytd_variance", "Year to date variance"),
    _money("annual_budget", "Annual budget"),
    m.Column("used", "% of annual budget", "percent"),
    _money("other_ytd", "Other funds, year to date"),
]

FUND_COLUMNS = [
    m.Column("label", "Fund", "text"),
    m.Column("fund", "Fund id", "text", hidden=True),
    m.Column("class", "Class", "text", hidden=True),
    _money("opening", "Opening balance"),
    _money("receipts", "Receipts"),
    _money("disbursements", "Disbursements"),
    _money("transfers_in", "Transfers in"),
    _money("transfers_out", "Transfers out"),
    _money("other", "Other equity"),
    _money("closing", "Closing balance"),
]

TIE_COLUMNS = [m.Column("label", "", "text"), _money("amount", "Amount")]


def _fmt(basis: st.Basis, amount: Decimal) -> str:
    return format_amount(basis.q(amount), basis.currency, basis.locale)


def _count(basis: st.Basis, number: int) -> str:
    text = f"{number:,}"
    return text.replace(",", "\u00a0") if basis.locale == "sv_SE" else text


# -- sections ---------------------------------------------------------------------


def activities_section(basis: st.Basis, period: BoardPeriod, depth: int | None = 3):
    """The statement of activities in the nonprofit form: by restriction class, with the year before."""
    columns = {
        "month": fasb.Part(period.month),
        "free": fasb.Part(period.ytd, "free"),
        "restricted": fasb.Part(period.ytd, "restricted"),
        "total": fasb.Part(period.ytd),
        "prior": fasb.Part(period.last_ytd),
    }
    rows, figures = fasb.statement(basis, columns, depth)
    last = period.last_ytd
    table_columns = [
        m.Column("label", "Category", "text"),
        m.Column("account", "Account", "text", hidden=True),
        _money("month", period.month_label),
        _money("free", "Without donor restrictions"),
        _money("restricted", "With donor restrictions"),
        _money("total", "Year to date total"),
        _money("prior", "Prior year to date"),
    ]
    notes = [
        f"The columns without and with donor restrictions are the year to date, the fiscal year "
        f"{period.fiscal_label} from {period.ytd.start.isoformat()} to "
        f"{period.ytd.end.isoformat()}; the prior year to date is the same months of the year before, "
        f"{last.start.isoformat()} to {last.end.isoformat()}. Each column's net assets at the start and end "
        "are at the start and end of its own months.",
        "Without donor restrictions: funds the board may use as it decides, including funds it has designated "
        "itself. With donor restrictions: funds a donor gave for a purpose. Expenses are shown without donor "
        "restrictions; what restricted funds paid for (and transfers out of them) is the line "
        f"\"{fasb.RELEASED}\".",
    ]
    table = m.table("activities", f"Statement of activities, {period.month_label} and fiscal year "
                    f"{period.fiscal_label} to date", table_columns, rows, notes)
    section = m.Section("activities", "Statement of activities", tables=[table])
    return section, figures


def budget_section(basis: st.Basis, period: BoardPeriod, depth: int | None = 3):
    """The operating budget against the operating fund's actuals; other funds' budgets fund by fund."""
    computes = {
        "month_actual": st.value("month_actual"),
        "month_budget": st.budget_value("month_budget"),
        "month_variance": st.variance("month_actual", "month_budget"),
        "ytd_actual": st.value("ytd_actual"),
        "ytd_budget": st.budget_value("ytd_budget"),
        "ytd_variance": st.variance("ytd_actual", "ytd_budget"),
        "annual_budget": st.budget_value("annual_budget"),
        "used": st.used("ytd_actual", "annual_budget"),
        "other_ytd": st.budget_value("other_ytd"),
    }
    money = {key for key in computes if key != "used"}
    blocks = bd.blocks(
        basis, {"month_actual": period.month, "ytd_actual": period.ytd},
        {"month_budget": period.month, "ytd_budget": period.ytd, "annual_budget": period.fiscal_year},
        {"other_ytd": period.ytd}, computes, money, "annual_budget", depth=depth, through=period.month.end,
    )
    operating = blocks[0]
    others = [name for name in basis.fund_names(period.month.end) if name != operating.fund]
    notes = [
        f"Each budget is compared only with its own fund's actuals: {bd.the_fund(basis, operating.fund)} "
        "(the operating fund) here"
        + (", and each other fund with a budget in its own part." if len(blocks) > 1 else "."),
        "Variance is positive when favourable: more income or less spending than budgeted. A line without a "
        "budget shows none; a total is compared with its budget only when every line in it that has an actual "
        "has a budget; where one does not, its budgeted lines and its lines without a budget are subtotalled "
        "apart.",
    ]
    if others:
        notes.append("Other funds, year to date: what " + ", ".join(basis.fund_title(name) for name in others)
                     + f" received or spent on the same lines, from {period.ytd.start.isoformat()} (not part of "
                     "the operating budget; see fund activity).")
    if not basis.budgets:
        notes.append("The ledger has no budget (custom \"budget\" directives), so no line has a budget.")
    title = f"Budget against actual, {period.month_label}"
    if len(blocks) == 1:
        title = f"Operating budget against actual ({operating.title}), {period.month_label}"
    table = m.table("budget", title, BUDGET_COLUMNS, bd.table_rows(blocks), notes)
    section = m.Section("budget", "Budget against actual", tables=[table])
    return section, blocks


def fund_table(basis: st.Basis, key: str, title: str, span: Span) -> tuple[m.Table, list[st.FundLine]]:
    lines = st.fund_lines(basis, span)
    rows = []
    totals = dict.fromkeys(st.FUND_FIELDS, ZERO)
    for line in lines:
        row = {"kind": "row", "label": line.title, "fund": line.fund,
               "class": st.CLASS_LABELS.get(line.klass, line.klass)}
        for name in st.FUND_FIELDS:
            row[name] = basis.q(getattr(line, name))
            totals[name] += getattr(line, name)
        rows.append(row)
    rows.append({"kind": "total", "label": "All funds", **{name: basis.q(totals[name]) for name in st.FUND_FIELDS}})
    columns = [column for column in FUND_COLUMNS if column.key != "other" or totals["other"] or
               any(line.other for line in lines)]
    notes = ["Closing = opening + receipts − disbursements + transfers in − transfers out"
             + (" + other equity (such as opening balances)." if len(columns) == len(FUND_COLUMNS) else ".")]
    return m.table(key, title, columns, rows, notes), lines


def funds_section(basis: st.Basis, period: BoardPeriod):
    month_table, month_lines = fund_table(basis, "funds_month", f"Fund activity, {period.month_label}", period.month)
    ytd_table, _ = fund_table(
        basis, "funds_ytd", f"Fund activity, fiscal year {period.fiscal_label} to date", period.ytd
    )
    funds_total = sum((line.closing for line in month_lines), ZERO)
    tie = st.tie_out(basis, period.month.end, funds_total)
    tie_table = m.table(
        "tie_out", f"Funds tied to cash at {period.month.end.isoformat()}", TIE_COLUMNS,
        st.tie_out_rows(basis, tie), [st.tie_out_note(basis, tie)],
    )
    section = m.Section("funds", "Fund activity", tables=[month_table, ytd_table, tie_table])
    return section, month_lines, tie


def position_section(basis: st.Basis, period: BoardPeriod, by_fund: bool = False):
    days = {"end": period.month.end, "start": period.ytd.before}
    rows, totals = st.position_rows(basis, days, by_fund=by_fund)
    columns = [
        m.Column("label", "", "text"),
        m.Column("account", "Account", "text", hidden=True),
        _money("end", f"At {period.month.end.isoformat()}"),
        _money("start", f"At {period.ytd.before.isoformat()} (start of the fiscal year)"),
    ]
    notes = ["Net assets are the fund balances by restriction class: funds without donor restrictions "
             "(including board-designated funds) and funds with donor restrictions."]
    table = m.table("position", f"Statement of financial position at {period.month.end.isoformat()}",
                    columns, rows, notes)
    return m.Section("position", "Statement of financial position", tables=[table]), totals


def _run_label(run: list[dt.date], short: bool = False) -> str:
    """``Jan 2026``, or ``Jan–Feb 2026`` (``Jan–Feb`` when ``short``) for months folded together."""
    first, last = run[0], run[-1]
    if short:
        return MONTH_ABBR[first.month - 1] + ("" if first == last else f"–{MONTH_ABBR[last.month - 1]}")
    if first == last:
        return f"{MONTH_ABBR[first.month - 1]} {first.year}"
    if first.year == last.year:
        return f"{MONTH_ABBR[first.month - 1]}–{MONTH_ABBR[last.month - 1]} {last.year}"
    return f"{MONTH_ABBR[first.month - 1]} {first.year}–{MONTH_ABBR[last.month - 1]} {last.year}"


def giving_section(basis: st.Basis, period: BoardPeriod):
    """Giving by month, this fiscal year against last, under the small-congregation rule (``privacy``).

    A month whose giving comes from one or two households (this year or
    last) is folded into the month next to it, and the row names both
    months; a figure that even then covers too few households reads
    "fewer than 3". No figure in the table, the chart or the summary covers
    fewer than 3 households, and none can be worked out from the others.
    """
    this_year = st.giving(basis, period.fiscal_year)
    last_year = st.giving(basis, period.last_year)
    pairs = list(zip(period.fiscal_months(), period.last_year.months(), strict=True))
    reported = sum(1 for first, _ in pairs if first <= period.month.start)

    def span_sum(giving: st.Giving, firsts: list[dt.date]) -> Decimal:
        return sum((giving.by_month.get(first, ZERO) for first in firsts), ZERO)

    def homes(giving: st.Giving, firsts: list[dt.date]) -> int:
        return giving.households(firsts[0], month_end(firsts[-1]))

    def counts(with_this: bool):
        def count(run):
            found = [homes(last_year, [last for _, last in run])]
            return [*found, homes(this_year, [first for first, _ in run])] if with_this else found
        return count

    runs = fold(pairs[:reported], counts(True)) + fold(pairs[reported:], counts(False))
    rows = []
    this_values: list[Decimal | None] = []
    last_values: list[Decimal | None] = []
    categories = []
    hidden_after = False  # a run after the report month too small to show: the whole last year is then hidden too
    for run in runs:
        firsts, lasts = [first for first, _ in run], [last for _, last in run]
        in_year = firsts[0] <= period.month.start
        previous, last_homes = basis.q(span_sum(last_year, lasts)), homes(last_year, lasts)
        current = basis.q(span_sum(this_year, firsts)) if in_year else None
        this_homes = homes(this_year, firsts) if in_year else None
        few_this, few_last = this_homes is not None and too_few(this_homes), too_few(last_homes)
        hidden_after = hidden_after or (not in_year and few_last)
        both = current is not None and not few_this and not few_last
        rows.append({
            "kind": "row", "label": _run_label(firsts),
            "this_year": FEWER if few_this else current,
            "last_year": FEWER if few_last else previous,
            "change": current - previous if both and current is not None else None,
            "change_pct": st.percent(current - previous, previous) if both and current is not None else None,
            "households": FEWER if few_this else this_homes,
            "last_households": FEWER if few_last else last_homes,
        })
        categories.append(_run_label(firsts, short=True))
        this_values.append(None if current is None or few_this else current)
        last_values.append(None if few_last else previous)
    ytd_this = sum((this_year.by_month.get(first, ZERO) for first in period.ytd.months()), ZERO)
    ytd_last = sum((last_year.by_month.get(first, ZERO) for first in period.last_ytd.months()), ZERO)
    full_last = sum(last_year.by_month.values(), ZERO)
    homes_this = this_year.households(period.ytd.start, period.ytd.end)
    homes_last = last_year.households(period.last_ytd.start, period.last_ytd.end)
    homes_full = last_year.households(period.last_year.start, period.last_year.end)
    few_ytd, few_last_ytd = too_few(homes_this), too_few(homes_last)
    few_full = too_few(homes_full) or hidden_after
    compare = not few_ytd and not few_last_ytd
    rows.append({
        "kind": "total", "label": "Year to date",
        "this_year": FEWER if few_ytd else basis.q(ytd_this), "last_year": FEWER if few_last_ytd else basis.q(ytd_last),
        "change": basis.q(ytd_this - ytd_last) if compare else None,
        "change_pct": st.percent(ytd_this - ytd_last, ytd_last) if compare else None,
        "households": shown(homes_this, homes_this), "last_households": shown(homes_last, homes_last),
    })
    rows.append({
        "kind": "total", "label": f"Fiscal year {period.last_fiscal_label}, whole year", "this_year": None,
        "last_year": FEWER if few_full else basis.q(full_last), "change": None, "change_pct": None,
        "households": None, "last_households": FEWER if few_full else homes_full,
    })
    columns = [
        m.Column("label", "Month", "text"),
        _money("this_year", f"FY {period.fiscal_label}"),
        _money("last_year", f"FY {period.last_fiscal_label}"),
        _money("change", "Change"),
        m.Column("change_pct", "Change %", "percent"),
        m.Column("households", f"Households {period.fiscal_label}", "count"),
        m.Column("last_households", f"Households {period.last_fiscal_label}", "count"),
    ]
    notes = [
        f"Giving is everything recorded under {basis.giving_account}. A giving household is a household (from the "
        "donor registry) with at least one recorded gift in the period; anonymous gifts are not counted as households.",
        f"No figure covers fewer than {MIN_HOUSEHOLDS} households: a month whose gifts came from one or two "
        f"households is shown together with the month next to it, or as \"{FEWER}\".",
    ]
    table = m.table("giving", "Giving by month, this fiscal year against last", columns, rows, notes)
    figure = m.Figure(
        "giving_trend", f"Giving by month: fiscal year {period.fiscal_label} against {period.last_fiscal_label}",
        "bars", categories,
        [m.Series(f"FY {period.last_fiscal_label}", last_values, "hatched"),
         m.Series(f"FY {period.fiscal_label}", this_values, "solid")],
        unit=basis.currency, note=f"No gifts are recorded under {basis.giving_account} in these two years.",
    )
    section = m.Section("giving", "Giving trend", tables=[table], figures=[figure])
    return section, {"ytd": ytd_this, "last_ytd": ytd_last, "households": homes_this,
                     "last_households": homes_last}


def expense_categories(basis: st.Basis, span: Span) -> dict[str, Decimal]:
    frame = basis.frame
    sums = fr.sums_by(frame, fr.in_root(frame, "Expenses") & fr.between(frame, span.start, span.end), "account")
    result: dict[str, Decimal] = {}
    for account, amount in sums.items():
        category = ":".join(account.split(":")[:2])
        result[category] = result.get(category, ZERO) + amount
    return result


def where_section(basis: st.Basis, period: BoardPeriod):
    month = expense_categories(basis, period.month)
    ytd = expense_categories(basis, period.ytd)
    month_total = sum(month.values(), ZERO)
    ytd_total = sum(ytd.values(), ZERO)
    names = sorted((name for name in set(month) | set(ytd) if month.get(name) or ytd.get(name)),
                   key=lambda name: (-ytd.get(name, ZERO), -month.get(name, ZERO), name))
    rows = []
    for name in names:
        rows.append({
            "kind": "row", "label": account_label(name), "account": name,
            "month": basis.q(month.get(name, ZERO)), "month_share": st.percent(month.get(name, ZERO), month_total),
            "ytd": basis.q(ytd.get(name, ZERO)), "ytd_share": st.percent(ytd.get(name, ZERO), ytd_total),
        })
    rows.append({"kind": "total", "label": "Total expenses", "month": basis.q(month_total),
                 "month_share": Decimal("100.0") if month_total else None, "ytd": basis.q(ytd_total),
                 "ytd_share": Decimal("100.0") if ytd_total else None})
    columns = [
        m.Column("label", "Category", "text"),
        m.Column("account", "Account", "text", hidden=True),
        _money("month", period.month_label),
        m.Column("month_share", "% of month", "percent"),
        _money("ytd", "Year to date"),
        m.Column("ytd_share", "% of year to date", "percent"),
    ]
    table = m.table("expenses", "Expenses by category", columns, rows)
    labels = [row["label"] for row in rows[:-1]]
    figures = [
        m.Figure("expenses_month", period.month_label, "hbars", labels,
                 [m.Series(period.month_label, [row["month"] for row in rows[:-1]], "solid")], basis.currency),
        m.Figure("expenses_ytd", f"Fiscal year {period.fiscal_label} to date", "hbars", labels,
                 [m.Series("Year to date", [row["ytd"] for row in rows[:-1]], "hatched")], basis.currency),
    ]
    return m.Section("expenses", "Where the money went", tables=[table], figures=figures)


def reconciliation_section(basis: st.Basis, period: BoardPeriod, today: dt.date):
    """Through which month end each bank account is reconciled (``finsek.ledger.reconciled``: the audit's rule)."""
    books = basis.books
    end = period.month.end
    rules = reconcile_rules(books.custom_entries)
    items = reconciliation(books, end, today=today, rules=rules)
    money = lambda amount: _fmt(basis, amount)  # noqa: E731
    names = account_labels(item.account for item in items)
    rows = []  # the status in a few words; the whole reason in the data and in the summary's attention list
    for item in items:
        statement = item.statement
        rows.append({
            "kind": "row", "label": names[item.account], "account": item.account,
            "through": item.through.isoformat() if item.through else None,
            "due": item.due.isoformat() if item.due else None,
            "statement": basis.q(statement.amount) if statement is not None else None,
            "outstanding": basis.q(_outstanding(books, statement)) if statement is not None else None,
            "balance": basis.q(books.account_balance(item.account, end)),
            "status": item.words() + (f": {item.short_reason()}" if item.short_reason() else ""),
            "reason": item.reason(money) or None,
        })
    columns = [
        m.Column("label", "Account", "text"),
        m.Column("account", "Ledger account", "text", hidden=True),
        m.Column("through", "Reconciled through", "date", hidden=True),
        m.Column("due", "Statement of", "date"),
        _money("statement", "Statement balance"),
        _money("outstanding", "Outstanding at the statement"),
        _money("balance", f"Ledger balance at {end.isoformat()}"),
        m.Column("status", "Status", "text"),
        m.Column("reason", "Why not reconciled", "text", hidden=True),
    ]
    prefixes = " ".join(rules.accounts)
    notes = [
        "An account is reconciled through a month when its reconciliation with the bank statement of that "
        "month end was finished (finsek reconcile), or the statement's balance was entered (finsek balance) and "
        "matches the books; the same rule as the audit and the home screen. Outstanding: the checks not yet "
        "cashed and deposits in transit at the statement (statement balance plus outstanding is the books' "
        "balance on the statement date). "
        f"Statement of: the month end due, the last whose statement exists on {today.isoformat()}. Accounts under "
        f"{prefixes} (the ledger's reconcile-accounts setting).",
    ]
    table = m.table("reconciliation", f"Bank accounts at {end.isoformat()}", columns, rows, notes)
    return m.Section("reconciliation", "Reconciliation status", tables=[table]), items


def _outstanding(books, statement) -> Decimal:
    """What the finished reconciliation behind ``statement`` left outstanding (0 for a bare balance line)."""
    if statement.source != "reconciled":
        return Decimal(0)
    for record in records(books.custom_entries, statement.account):
        if record.statement_date == statement.statement_date:
            return record.outstanding_total
    return Decimal(0)


# -- summary --------------------------------------------------------------------------


def _against(basis: st.Basis, actual: Decimal, budget: Decimal, income: bool) -> str:
    difference = actual - budget
    if not basis.q(difference):
        return f"{_fmt(basis, actual)}, on budget"
    words = ("above", "below") if income else ("over", "under")
    side = words[0] if difference > 0 else words[1]
    return f"{_fmt(basis, actual)} against a budget of {_fmt(basis, budget)} ({_fmt(basis, abs(difference))} {side})"


def _giving_sentence(basis: st.Basis, giving: dict) -> str:
    """Giving this year to date against last, never a figure that covers fewer than 3 households."""
    few_this, few_last = too_few(giving["households"]), too_few(giving["last_households"])
    this = (f"from {FEWER} households (no total is shown for so few)" if few_this else
            f"{_fmt(basis, giving['ytd'])} from {_count(basis, giving['households'])} households")
    last = (f"giving from {FEWER} households" if few_last else
            f"{_fmt(basis, giving['last_ytd'])} from {_count(basis, giving['last_households'])} households")
    trend = ""
    if not few_this and not few_last:
        change = giving["ytd"] - giving["last_ytd"]
        pct = st.percent(change, giving["last_ytd"])
        trend = f" ({'+' if change >= 0 else ''}{pct}%)" if pct is not None else ""
    head = "Giving this fiscal year to date comes " if few_this else "Giving this fiscal year to date is "
    return f"{head}{this}, against {last} in the same months last year{trend}."


def _budget_clause(basis: st.Basis, block: bd.Block, root: str, key: str) -> str:
    """What the operating fund received or spent: budgeted lines against their budget, then the rest."""
    income = root == "Income"
    noun = "income" if income else "expenses"
    verb = "was" if income else "were"
    actual, budget, unbudgeted = block.budgeted(root, f"{key}_actual", f"{key}_budget")
    if not any(line.budgeted(f"{key}_budget") for line in block.lines if line.root == root):
        return f"{noun} {verb} {_fmt(basis, unbudgeted)} (no line has a budget)"
    text = f"{noun} on budgeted lines {verb} {_against(basis, actual, budget, income)}"
    if unbudgeted:
        verb = "came in" if income else "was spent"
        text += f", and a further {_fmt(basis, unbudgeted)} {verb} on lines without a budget"
    return text


def summary_sentences(basis, period, activity, blocks, fund_lines, tie, giving, recon, flags) -> list[str]:
    operating = blocks[0]
    the_operating = bd.the_fund(basis, operating.fund)
    sentences = []
    for key, when in (("month", f"In {period.month_label}"),
                      ("ytd", f"For the fiscal year {period.fiscal_label} to date "
                              f"({period.month_number} of 12 months)")):
        sentences.append(
            f"{when}, in {the_operating} (the operating fund), "
            f"{_budget_clause(basis, operating, 'Income', key)}; {_budget_clause(basis, operating, 'Expenses', key)}."
        )
    other_in = sum((line.receipts for line in fund_lines if line.fund != operating.fund), ZERO)
    other_out = sum((line.disbursements for line in fund_lines if line.fund != operating.fund), ZERO)
    ytd_in = operating.totals.get("Income", {}).get("other_ytd", ZERO)
    ytd_out = operating.totals.get("Expenses", {}).get("other_ytd", ZERO)
    if other_in or other_out or ytd_in or ytd_out:
        sentences.append(
            f"The other funds received {_fmt(basis, other_in)} and spent "
            f"{_fmt(basis, other_out)} in {period.month_label} (year to date {_fmt(basis, ytd_in)} and "
            f"{_fmt(basis, ytd_out)}); they spend from their own balances, outside the operating budget."
        )
    net = operating.totals.get("Net", {})
    result = net.get("month_actual", ZERO)
    ytd_result = net.get("ytd_actual", ZERO)
    word = "surplus" if result >= 0 else "deficit"
    ytd_word = "surplus" if ytd_result >= 0 else "deficit"
    change = activity["total"]["change"]
    sentences.append(
        f"{the_operating[:1].upper()}{the_operating[1:]} ended the month with a {word} of "
        f"{_fmt(basis, abs(result))} and shows a {ytd_word} of {_fmt(basis, abs(ytd_result))} for the year to "
        "date. Net assets of all funds changed by "
        f"{_fmt(basis, activity['month']['change'])} in the month and {_fmt(basis, change)} in the year to date "
        f"({_fmt(basis, activity['free']['change'])} without and {_fmt(basis, activity['restricted']['change'])} "
        "with donor restrictions)."
    )
    variances = []
    for block in blocks:
        for line in block.lines:
            if not line.budgeted("ytd_budget"):
                continue
            difference = line.values.get("ytd_actual", ZERO) - line.values["ytd_budget"]
            if basis.q(difference):
                variances.append((abs(difference), block, line, difference))
    variances.sort(key=lambda item: -item[0])
    if variances:
        parts = []
        for _, block, line, difference in variances[:3]:
            name = f"{line.group}: {line.label}" if line.group else line.label
            if block is not operating:
                name = f"{block.title}, {name}"
            if line.root == "Income":
                side = "above budget" if difference > 0 else "below budget"
            else:
                side = "over budget" if difference > 0 else "under budget"
            parts.append(f"{name} {_fmt(basis, abs(difference))} {side}")
        sentences.append("Largest differences from budget, year to date: " + "; ".join(parts) + ".")
    down = [line for line in fund_lines if line.closing < line.opening]
    if down:
        parts = [f"{line.title} by {_fmt(basis, line.opening - line.closing)} (to {_fmt(basis, line.closing)})"
                 for line in down]
        sentences.append("Fund balances that went down this month: " + "; ".join(parts) + ".")
    else:
        sentences.append("No fund balance went down this month.")
    if giving["ytd"] or giving["last_ytd"]:
        sentences.append(_giving_sentence(basis, giving))
    if flags:
        sentences.append("Needs attention: " + " ".join(flags))
    elif any(item.due for item in recon):
        through = min(item.through or item.due for item in recon if item.due)
        sentences.append("Nothing needs attention: the ledger has no errors, the funds tie to cash and every bank "
                         f"account is reconciled through {short_date(through)}.")
    else:
        sentences.append("Nothing needs attention: the ledger has no errors and the funds tie to cash (no bank "
                         "account has a month end to reconcile yet).")
    return sentences


def audit_flags(basis: st.Basis, period: BoardPeriod, fund_lines, tie, recon) -> list[str]:
    books = basis.books
    flags = []
    if books.errors:
        flags.append(f"The ledger has {len(books.errors)} error(s); run 'finsek check' to see them.")
    for item in recon:
        if item.needs_attention:  # the account as people say it ("Savings: not reconciled since ...")
            sentence = item.sentence(lambda amount: _fmt(basis, amount))
            flags.append(account_label(item.account) + sentence[len(item.account):])
    for line in fund_lines:
        if line.closing < 0:
            name = line.title if line.fund in books.funds else f"fund '{line.fund}'"
            flags.append(f"The {name} is negative ({_fmt(basis, line.closing)}).")
        if books.funds and line.fund not in books.funds:
            flags.append(f"Postings name the fund '{line.fund}', which is not in the fund registry.")
    if tie.difference:
        flags.append(f"The funds differ from net assets by {_fmt(basis, tie.difference)}.")
    skipped = basis.frame.attrs.get("skipped") or {}
    if skipped:
        listed = ", ".join(f"{count} in {currency}" for currency, count in sorted(skipped.items()))
        flags.append(f"Postings in other currencies are not in this report ({listed}).")
    for problem in basis.budget_problems:
        flags.append(f"Budget directive on {problem.date.isoformat()}: {problem.message}.")
    return flags


def closes_section(books, period: BoardPeriod) -> m.Section | None:
    """The digest of each close through a day of the month, for the minutes (issue 13): a board that minutes
    it can later check the books against it with ``finsek audit --verify-close``, git or no git."""
    closes = sorted({(close.through, close.digest) for close in books.closes
                     if period.month.start <= close.through <= period.month.end})
    if not closes:
        return None
    sentences = [
        f"The books are closed through {through.isoformat()}; the digest of the books through that day is "
        f"{digest}. Record it in the minutes: 'finsek audit --verify-close {through.isoformat()} {digest}' "
        "shows at any later time whether the closed books are still the same."
        for through, digest in closes
    ]
    return m.Section("closes", "Closed books", intro=sentences)


# -- the report -----------------------------------------------------------------------


def build_board_report(books, month: dt.date, *, frame=None, generated: dt.date | None = None,
                       depth: int | None = 3) -> m.Report:
    """The board report for the calendar month of ``month`` (any day in it), as data."""
    basis = st.Basis(books, frame)
    period = BoardPeriod.for_month(month, books.settings.fiscal_year_start)
    activities, activity = activities_section(basis, period, depth)
    budget, blocks = budget_section(basis, period, depth)
    funds, fund_lines, tie = funds_section(basis, period)
    position, _ = position_section(basis, period)
    giving, giving_totals = giving_section(basis, period)
    where = where_section(basis, period)
    recon_section, recon = reconciliation_section(basis, period, generated or dt.date.today())
    flags = audit_flags(basis, period, fund_lines, tie, recon)
    summary = summary_sentences(basis, period, activity, blocks, fund_lines, tie, giving_totals, recon, flags)
    sections = [
        m.Section("summary", "Summary", intro=summary),
        activities, budget, funds, position, giving, where, recon_section,
    ]
    closed = closes_section(books, period)
    if closed is not None:
        sections.append(closed)
    return m.Report(
        kind="board", title=TITLE, organisation=books.title, currency=books.currency, locale=books.locale,
        period_label=period.month_label, start=period.month.start, end=period.month.end,
        generated=generated or dt.date.today(), summary=summary, sections=sections, warnings=flags,
        period=period.to_dict(), slug=f"{slug(books.title, 60, 'ledger')}-board-{period.month.start:%Y-%m}",
    )
