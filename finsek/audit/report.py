"""The audit report for the committee: data first, then Markdown, text and JSON.

The report reads in order of importance. First a summary that fits one page:
the findings counted by severity and by check, every error with what to do
(the first few; all are under Errors), and the next steps. Then the findings:
errors, then warnings, then notes, each grouped by check. Then the
reconciliation status of each bank account at each month end, every close
with its digest verified, the opening and closing balance of each asset and
liability account and each fund, the income and expenses by account with
their totals, and the number of entries by kind. It names no donor: gifts
are counted and summed, never listed, and findings describe entries by date
and amount (the file and line lead the treasurer to them).

``render_pdf`` (``finsek.audit.pdf``) prints the same report.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from finsek.audit.engine import AuditResult
from finsek.audit.entry_kinds import KINDS, entry_kind
from finsek.audit.findings import CHECKS, SEVERITIES, Finding, group_by_check, group_by_severity
from finsek.core.dates import MONTH_NAMES, ONE_DAY, month_name
from finsek.core.money import format_amount
from finsek.core.text import markdown_text
from finsek.ledger import conventions as conv
from finsek.ledger.reconciled import ReconcileRules, reconciliation

ZERO = Decimal(0)
#: Findings listed per check in the Markdown and PDF reports; the text and JSON outputs list all.
LISTED_PER_CHECK = 25
#: Errors listed on the summary page (all of them are under Errors).
SUMMARY_ERRORS = 8
SEVERITY_HEADINGS = {"error": "Errors", "warning": "Warnings", "note": "Notes"}
SEVERITY_KEYS = {"error": "errors", "warning": "warnings", "note": "notes"}

STATUS_WORDS = {"reconciled": "Reconciled", "mismatch": "Does not match", "missing": "No statement balance"}


@dataclass
class Table:
    title: str
    columns: list[str]
    align: str  # one letter per column: l(eft) or r(ight)
    rows: list[list[str]]
    #: Indexes of rows printed in bold (totals).
    bold: set[int] = field(default_factory=set)
    note: str = ""
    #: Relative column widths for the PDF (None: equal shares after the first).
    widths: list[float] | None = None
    #: What the table is, for the renderers (``errors``, ``counts``), when it matters.
    key: str = ""


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    #: Numbered steps under "What to do" (the summary's).
    steps: list[str] = field(default_factory=list)


@dataclass
class AuditReport:
    organisation: str
    title: str
    period_label: str
    start: dt.date
    end: dt.date
    generated: dt.date
    currency: str
    locale: str
    root: str
    sections: list[Section]
    result: AuditResult
    data: dict

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    @property
    def slug(self) -> str:
        return f"audit-{self.start.isoformat()}-to-{self.end.isoformat()}"


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def period_label(start: dt.date, end: dt.date) -> str:
    return f"{long_date(start)} to {long_date(end)}"


# --------------------------------------------------------------------------- building


def build_report(books, result: AuditResult, generated: dt.date | None = None) -> AuditReport:
    """The committee's report of ``result`` (from ``run_audit``) over ``books``."""
    generated = generated or result.today
    money = _Money(books.currency, books.locale)
    balances, funds, totals, raw = _balances(books, result.start, result.end, money)
    kinds = _kinds(books, result.start, result.end)
    sections = [
        Section("summary", "Summary", _summary(result, kinds), _summary_tables(result), result.next_steps()),
        *_severity_sections(result),
        Section("reconciliation", "Reconciliation with the bank",
                _reconciliation_intro(result) + _reconciled_through(books, result),
                [_reconciliation_table(result, money)] if result.reconciliation else []),
        Section("closes", "Closed periods", _closes_intro(result), [_closes_table(result)] if result.closes else []),
        Section("balances", "Balances", [
            f"Opening balances at the start of {long_date(result.start)}, closing balances at the end of "
            f"{long_date(result.end)}, in {books.currency}."
        ], [balances, funds]),
        Section("activity", "Income and expenses", [
            "Income and expenses of the period by account. Gifts are summed, never listed by donor."
        ], [totals]),
        Section("entries", "Entries by kind", [
            "The entries dated in the period, by kind (padding entries Beancount makes itself are not counted)."
        ], [_kinds_table(kinds)]),
    ]
    raw.update(entries_by_kind=dict(kinds))
    return AuditReport(
        organisation=books.title, title="Audit report", period_label=period_label(result.start, result.end),
        start=result.start, end=result.end, generated=generated, currency=books.currency, locale=books.locale,
        root=str(books.root), sections=sections, result=result, data=raw,
    )


class _Money:
    def __init__(self, currency: str, locale: str):
        self.currency = currency
        self.locale = locale

    def __call__(self, amount: Decimal | None) -> str:
        if amount is None:
            return ""
        return format_amount(amount, self.currency, self.locale).rsplit(" ", 1)[0]


def _balances(books, start: dt.date, end: dt.date, money: _Money):
    before = start - ONE_DAY
    rows, bold = [], set()
    raw_accounts = []
    sums = {"Assets": [ZERO, ZERO], "Liabilities": [ZERO, ZERO]}
    activity: dict[str, list] = {"Income": [], "Expenses": []}
    for account in sorted(books.account_series):
        root = account.split(":", 1)[0]
        opening = books.account_balance(account, before, include_children=False)
        closing = books.account_balance(account, end, include_children=False)
        if root in sums:
            if opening == 0 and closing == 0 and not _moved(books, account, start, end):
                continue
            sums[root][0] += opening
            sums[root][1] += closing
            rows.append([account, money(opening), money(closing - opening), money(closing)])
            raw_accounts.append({"account": account, "opening": str(opening), "closing": str(closing)})
        elif root in activity and closing != opening:
            activity[root].append((account, closing - opening))
    for root in ("Assets", "Liabilities"):
        opening, closing = sums[root]
        bold.add(len(rows))
        rows.append([f"Total {root.lower()}", money(opening), money(closing - opening), money(closing)])
    net_open = sums["Assets"][0] + sums["Liabilities"][0]
    net_close = sums["Assets"][1] + sums["Liabilities"][1]
    bold.add(len(rows))
    rows.append(["Net assets (assets less liabilities)", money(net_open), money(net_close - net_open),
                 money(net_close)])
    balances = Table("Accounts", ["Account", "Opening", "Change", "Closing"], "lrrr", rows, bold,
                     widths=[2.4, 1, 1, 1])

    fund_rows, fund_bold, raw_funds = [], set(), []
    total_open = total_close = ZERO
    for fund, closing in books.fund_balances(end).items():
        opening = books.fund_balance(fund, before)
        registered = books.funds.get(fund)
        title = registered.title if registered else fund
        fund_rows.append([title, books.fund_class(fund), money(opening), money(closing - opening), money(closing)])
        raw_funds.append({"fund": fund, "class": books.fund_class(fund), "opening": str(opening),
                          "closing": str(closing)})
        total_open += opening
        total_close += closing
    fund_bold.add(len(fund_rows))
    fund_rows.append(["All funds", "", money(total_open), money(total_close - total_open), money(total_close)])
    note = ""
    if total_close != net_close:
        note = (f"The funds add up to {money(total_close)}, not to net assets ({money(net_close)}): some postings "
                "are in another currency or the ledger's equity accounts hold more than funds.")
    funds = Table("Funds", ["Fund", "Class", "Opening", "Change", "Closing"], "llrrr", fund_rows, fund_bold, note,
                  widths=[1.8, 1.1, 1, 1, 1])

    total_rows, total_bold = [], set()
    income_total = -sum((amount for _, amount in activity["Income"]), ZERO)
    expense_total = sum((amount for _, amount in activity["Expenses"]), ZERO)
    for account, amount in activity["Income"]:
        total_rows.append([account, money(-amount)])
    total_bold.add(len(total_rows))
    total_rows.append(["Total income", money(income_total)])
    for account, amount in activity["Expenses"]:
        total_rows.append([account, money(amount)])
    total_bold.add(len(total_rows))
    total_rows.append(["Total expenses", money(expense_total)])
    total_bold.add(len(total_rows))
    label = "Surplus" if income_total >= expense_total else "Deficit"
    total_rows.append([f"{label} (income less expenses)", money(income_total - expense_total)])
    totals = Table("", ["Account", books.currency], "lr", total_rows, total_bold, widths=[3, 1])
    raw = {
        "accounts": raw_accounts,
        "funds": raw_funds,
        "income": {account: str(-amount) for account, amount in activity["Income"]},
        "expenses": {account: str(amount) for account, amount in activity["Expenses"]},
        "total_income": str(income_total),
        "total_expenses": str(expense_total),
    }
    return balances, funds, totals, raw


def _moved(books, account: str, start: dt.date, end: dt.date) -> bool:
    series = books.account_series.get(account)
    return bool(series and any(start <= day <= end for day in series.dates))


def _kinds(books, start: dt.date, end: dt.date) -> dict[str, int]:
    counts = dict.fromkeys(KINDS, 0)
    for entry in books.entries:
        if entry.date < start:
            continue
        if entry.date > end:
            break
        if not conv.is_from_file(entry) or (isinstance(entry, data.Transaction) and entry.flag == "P"):
            continue
        counts[entry_kind(entry)] += 1
    return {kind: count for kind, count in counts.items() if count}


def _kinds_table(kinds: dict[str, int]) -> Table:
    rows = [[kind[:1].upper() + kind[1:], f"{count:,}"] for kind, count in kinds.items()]
    rows.append(["All entries", f"{sum(kinds.values()):,}"])
    return Table("", ["Kind", "Entries"], "lr", rows, {len(rows) - 1}, widths=[3, 1])


def _summary(result: AuditResult, kinds: dict[str, int]) -> list[str]:
    sentences = [result.summary()]
    ledger_errors = [f for f in result.findings if f.check == "ledger" and f.severity == "error"]
    if ledger_errors:
        sentences.append(f"The ledger has {len(ledger_errors)} error(s) that Beancount or finsek's plugin report: "
                         "see the findings.")
    else:
        sentences.append("The ledger is valid: Beancount and finsek's plugin report no error in it.")
    sentences.append(f"The period holds {sum(kinds.values()):,} entries, "
                     f"{sum(kinds.get(k, 0) for k in ('offering', 'gift')):,} of them offerings and gifts and "
                     f"{kinds.get('payment', 0):,} payments.")
    sentences.extend(_reconciliation_intro(result)[:1])
    sentences.extend(_closes_intro(result)[:1])
    return sentences


def _summary_tables(result: AuditResult) -> list[Table]:
    """The findings counted by check and severity, and the errors with what to do: the first page."""
    tables = []
    if result.findings:
        counted = []
        for check, items in group_by_check(result.findings):
            counts = [sum(1 for f in items if f.severity == name) for name in SEVERITIES]
            counted.append((check, counts))
        # the checks with errors first, then those with warnings, then those with notes only (CHECKS order within)
        counted.sort(key=lambda item: next(index for index, count in enumerate(item[1]) if count))
        rows = [[check.title, *(f"{count:,}" if count else "" for count in counts)] for check, counts in counted]
        totals = result.counts
        rows.append(["All checks", *(f"{totals[name]:,}" for name in SEVERITIES)])
        tables.append(Table("Findings by check", ["Check", "Errors", "Warnings", "Notes"], "lrrr", rows,
                            {len(rows) - 1}, widths=[3, 1, 1, 1], key="counts"))
    errors = result.errors
    if errors:
        tables.append(errors_table(result, SUMMARY_ERRORS))
    return tables


def errors_table(result: AuditResult, limit: int) -> Table:
    """The first ``limit`` errors, each with its check, place and what to do (the rest: "N more ...")."""
    errors = result.errors
    shown = errors[:limit]
    rows = [[f.check_title, _where(f, result.root), f.message, f.action] for f in shown]
    rest = len(errors) - len(shown)
    note = f"{rest} more error{'s are' if rest != 1 else ' is'} listed under Errors." if rest else ""
    return Table(f"The errors ({len(errors)})", ["Check", "Where", "Error", "What to do"], "llll", rows, note=note,
                 widths=[1.0, 1.75, 2.35, 2.35], key="errors")


def _reconciliation_intro(result: AuditResult) -> list[str]:
    rows = result.reconciliation
    if not rows:
        return ["No month of the period has ended with a bank account to reconcile."]
    done = sum(1 for row in rows if row.status == "reconciled")
    missing = sum(1 for row in rows if row.status == "missing")
    wrong = sum(1 for row in rows if row.status == "mismatch")
    sentence = f"{done} of {len(rows)} month-end bank balances were reconciled with the bank statement"
    extra = []
    if missing:
        extra.append(f"{missing} have no statement balance")
    if wrong:
        extra.append(f"{wrong} do not match the books")
    return [sentence + (": " + " and ".join(extra) if extra else "") + "."]


def _reconciled_through(books, result: AuditResult) -> list[str]:
    """Each account at the end of the period, in the words of the board report and the home screen."""
    rules = ReconcileRules(result.settings.reconcile_accounts, result.settings.reconcile_grace_days)
    sentences = []
    for state in reconciliation(books, result.end, today=result.today, rules=rules):
        if state.due is None:
            continue
        sentences.append(state.sentence(lambda amount: format_amount(amount, books.currency, books.locale)))
    return sentences


def _reconciliation_table(result: AuditResult, money: _Money) -> Table:
    rows = []
    for row in sorted(result.reconciliation, key=lambda r: (r.month_end, r.account)):
        statement = money(row.assertion.amount) if row.assertion else ""
        books_amount = money(row.books_amount) if row.books_amount is not None else ""
        rows.append([month_name(row.month_end), row.account, statement, books_amount, STATUS_WORDS[row.status]])
    return Table("Month-end balances", ["Month", "Account", "Statement", "Books", "Status"], "llrrl", rows,
                 widths=[1.3, 1.9, 1.1, 1.1, 1.3])


def _closes_intro(result: AuditResult) -> list[str]:
    closes = result.closes
    if not closes:
        return ["No period has been closed yet (finsek close --through YYYY-MM-DD)."]
    broken = [status for status in closes if not status.verified]
    last = max(status.through for status in closes)
    sentence = f"{len(closes)} closed period(s), the last through {long_date(last)}: "
    if broken:
        sentence += f"{len(broken)} digest(s) no longer match, so entries of a closed period were changed."
    else:
        sentence += "every digest matches, so nothing in a closed period has changed."
    out = [sentence]
    if result.git.repository:
        committed = len(result.git.commits)
        out.append(f"The ledger folder is a git repository: {committed} of the {len(closes)} closes are committed "
                   "and were compared with the files now.")
    elif result.git.note:
        out.append(result.git.note)
    return out


def _closes_table(result: AuditResult) -> Table:
    rows = []
    for status in result.closes:
        commit = result.git.commits.get(status.through)
        git = f"{commit.commit[:10]} ({commit.date})" if commit else ("not committed" if result.git.repository
                                                                      else "")
        rows.append([
            long_date(status.through), status.closed_on.isoformat(), status.digest[:7 + 12] + "…",
            "Verified" if status.verified else "CHANGED", git,
        ])
    return Table("Closes", ["Closed through", "Closed on", "Digest", "Digest check", "Git commit"], "lllll", rows,
                 widths=[1.4, 1.1, 1.7, 1.0, 1.5])


SEVERITY_INTROS = {
    "error": "Errors: the books are wrong or unproven. Each must be put right before the period can be closed; "
             "each says where it is and what to do.",
    "warning": "Warnings: a control an auditor expects is missing. Put each right, or explain it to the committee.",
    "note": "Notes: worth a look, not necessarily wrong.",
}


def _severity_sections(result: AuditResult) -> list[Section]:
    """One section per severity that has findings (errors, then warnings, then notes), each by check."""
    sections = []
    for severity, groups in group_by_severity(result.findings):
        count = sum(len(items) for _, items in groups)
        title = f"{SEVERITY_HEADINGS[severity]} ({count:,})"
        sections.append(Section(SEVERITY_KEYS[severity], title, [SEVERITY_INTROS[severity]],
                                _check_tables(result, groups)))
    return sections


def _check_tables(result: AuditResult, groups) -> list[Table]:
    tables = []
    for check, items in groups:
        by_code: dict[str, list[Finding]] = {}
        for finding in items:
            by_code.setdefault(finding.code, []).append(finding)
        for findings in by_code.values():
            title = f"{check.title}: {findings[0].title}" if len(by_code) > 1 else check.title
            shown = findings[:LISTED_PER_CHECK]
            notes = []
            if len(findings) > len(shown):
                notes.append(f"{len(findings) - len(shown)} more are not printed here: finsek audit lists them all "
                             "(and --format json writes them to a file).")
            actions = {finding.action for finding in shown}
            if len(actions) == 1:
                rows = [[_where(f, result.root), f.message] for f in shown]
                notes.insert(0, f"What to do: {actions.pop()}")
                table = Table(f"{title} ({len(findings):,})", ["Where", "Finding"], "ll", rows, widths=[1.6, 5.5])
            else:
                rows = [[_where(f, result.root), f.message, f.action] for f in shown]
                table = Table(f"{title} ({len(findings):,})", ["Where", "Finding", "What to do"], "lll", rows,
                              widths=[1.6, 2.75, 2.75])
            table.note = " ".join(notes)
            tables.append(table)
    return tables


def _where(finding: Finding, root: str) -> str:
    return finding.location(root) or (finding.date.isoformat() if finding.date else "")


# --------------------------------------------------------------------------- rendering


def _md(text: str) -> str:
    return markdown_text(str(text))


def markdown_table(table: Table) -> str:
    out = [f"### {_md(table.title)}", ""] if table.title else []
    out.append("| " + " | ".join(_md(column) for column in table.columns) + " |")
    out.append("|" + "|".join("---:" if align == "r" else ":---" for align in table.align) + "|")
    for index, row in enumerate(table.rows):
        cells = [_md(cell) for cell in row]
        if index in table.bold:
            cells = [f"**{cell}**" if cell else cell for cell in cells]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    if table.note:
        out.extend([f"*{_md(table.note)}*", ""])
    return "\n".join(out)


def render_markdown(report: AuditReport) -> str:
    out = [
        f"# {_md(report.title)}: {_md(report.organisation)}",
        "",
        f"Period: {_md(report.period_label)}.  ",
        f"Generated {report.generated.isoformat()} by finsek.",
        "",
    ]
    for section in report.sections:
        out.extend([f"## {_md(section.title)}", ""])
        bullet = "- " if section.key == "summary" else ""
        for paragraph in section.paragraphs:
            out.append(f"{bullet}{_md(paragraph)}" if bullet else _md(paragraph))
            if not bullet:
                out.append("")
        if bullet:
            out.append("")
        if section.steps:
            out.extend(["**What to do**", ""])
            out.extend(f"{number}. {_md(step)}" for number, step in enumerate(section.steps, 1))
            out.append("")
        out.extend(markdown_table(table) for table in section.tables)
    return "\n".join(out).rstrip() + "\n"


def render_json(report: AuditReport) -> str:
    result = report.result
    payload = result.to_dict()
    # the first page: counts by severity, every error with what to do, and the next steps
    payload["summary"] = {
        "sentences": report.section("summary").paragraphs,
        "counts": result.counts,
        "errors": [finding.to_dict(result.root) for finding in result.errors],
        "next_steps": result.next_steps(),
    }
    payload["report"] = report.data
    payload["generated"] = report.generated.isoformat()
    return json.dumps(payload, indent=1, ensure_ascii=False) + "\n"


def render_text(result: AuditResult, severity: str = "note") -> str:
    """The findings for the terminal: grouped by severity, then check; every finding, with what to do."""
    lines = [f"{result.title}: audit of {period_label(result.start, result.end)}", result.summary()]
    steps = result.next_steps()
    if result.findings:
        lines.extend(["", "What to do:"])
        lines.extend(f"  {number}. {step}" for number, step in enumerate(steps, 1))
    elif len(steps) > 1:
        lines.extend(steps[1:])
    limit = SEVERITIES.index(severity)
    for name in SEVERITIES[: limit + 1]:
        items = [finding for finding in result.findings if finding.severity == name]
        if not items:
            continue
        lines.extend(["", f"{SEVERITY_HEADINGS[name].upper()} ({len(items)})"])
        for check in CHECKS:
            group = [finding for finding in items if finding.check == check.id]
            if not group:
                continue
            lines.append(f"  {check.title}")
            for finding in group:
                where = _where(finding, result.root)
                lines.append(f"    {where + ': ' if where else ''}{finding.message}")
                lines.append(f"      What to do: {finding.action}")
    hidden = sum(1 for finding in result.findings if SEVERITIES.index(finding.severity) > limit)
    if hidden:
        lines.extend(["", f"({hidden} finding(s) of lesser severity not shown; use --severity note to see all.)"])
    return "\n".join(lines) + "\n"
