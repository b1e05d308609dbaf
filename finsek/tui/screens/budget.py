"""The budget (``B``): every budget line by fund and account, a year or a month, last year's actual beside it.

The table is ``finsek.ledger.budget_lines`` (the same as ``finsek budget
show``), built in a thread worker; editing a line's amount (``enter``) writes
a new ``custom "budget"`` line through the same function as ``finsek budget
set`` and the app's save path, so nothing is ever edited in place in the
files: the later line replaces the earlier one.
"""

import datetime as dt
from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Footer, Input, Label, Static

from finsek.core.dates import add_months
from finsek.core.errors import FinsekError
from finsek.core.money import format_amount
from finsek.ledger.budget_lines import (
    BudgetLine,
    BudgetTable,
    edit_draft,
    edit_start,
    fiscal_year_of,
    month_table,
    year_table,
)
from finsek.tui import bindings
from finsek.tui.screens.base import BREAKPOINTS
from finsek.tui.screens.typed import FinsekScreen
from finsek.tui.widgets import LedgerHeader, StatusLine

HINT = "enter changes the line's amount · v month or year · f one fund at a time"
SHORT_PERIODS = {"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year"}
AMOUNT_WIDTH = 11
PERIOD_WIDTH = 7
ZERO = Decimal(0)


class BudgetScreen(FinsekScreen[None]):
    BINDINGS = bindings.BUDGET
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    INTRO = (
        "The budget lines in effect, by fund and account, for a year or a month, with last year's actual "
        "beside each. enter changes the selected line's amount (a new budget line is appended: a later line "
        "replaces an earlier one); v switches between year and month, p and n step back and forward, f shows "
        "one fund at a time."
    )

    def __init__(self) -> None:
        super().__init__(classes="budget")
        self.view = "year"
        self.year: int | None = None
        self.month: dt.date | None = None
        self.fund: str | None = None  # None: every fund
        self.table_data: BudgetTable | None = None
        self.rows: list[BudgetLine | None] = []
        self.editing: BudgetLine | None = None
        self.wanted: tuple | None = None

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        with Horizontal(id="budget-bar"):
            yield Static("", id="budget-title")
            yield Static("", id="budget-state")
        yield DataTable(id="budget-table", cursor_type="row", zebra_stripes=True, header_height=2)
        with Horizontal(id="budget-edit"):
            yield Label("", id="budget-edit-label")
            yield Input("", id="budget-amount", compact=True, restrict=r"[0-9., \u00a0]*", max_length=20)
        yield StatusLine(HINT, id="status")
        yield Footer()

    def on_mount(self) -> None:
        today = self.app.today()
        books = self.app.books
        self.year = fiscal_year_of(books, today) if books is not None else today.year
        self.month = today.replace(day=1)
        self.query_one("#budget-edit").display = False
        self.watch(self.app, "books_version", lambda _v: self.build(), init=False)
        self.query_one(DataTable).focus()
        self.build()

    def on_resize(self, _event) -> None:
        self.lay_out_columns()

    # -- building -------------------------------------------------------------------------

    def key(self) -> tuple:
        return (self.app.books_version, self.view, self.year, self.month)

    def build(self) -> None:
        books = self.app.books
        if books is None:
            return
        key = self.key()
        self.wanted = key
        view, year, month = self.view, self.year, self.month
        self.query_one("#budget-state", Static).update(Content("reading…"))

        def work() -> None:
            try:
                table = year_table(books, year) if view == "year" else month_table(books, month)
            except Exception as error:  # never a traceback on screen: say what went wrong
                message = error.message if isinstance(error, FinsekError) else f"{type(error).__name__}: {error}"
                self.app.call_from_thread(self.build_failed, key, message)
                return
            self.app.call_from_thread(self.built, key, table)

        self.run_worker(work, thread=True, group="budget", name="budget table", exit_on_error=False)

    def build_failed(self, key, message: str) -> None:
        if not self.is_attached or key != self.wanted:
            return
        self.query_one("#budget-state", Static).update("")
        self.say(f"The budget could not be read: {message}", "error")

    def built(self, key, table: BudgetTable) -> None:
        if not self.is_attached or key != self.wanted:
            return
        self.table_data = table
        self.fill()

    def shown_lines(self) -> list[BudgetLine]:
        table = self.table_data
        if table is None:
            return []
        return [line for line in table.lines if self.fund is None or line.fund == self.fund]

    def lay_out_columns(self) -> None:
        table = self.query_one(DataTable)
        if not table.columns:
            return
        others = PERIOD_WIDTH + 3 * AMOUNT_WIDTH + 2 * 5 + 4
        account = min(40, max(18, self.size.width - others))
        column = table.columns.get("account")  # type: ignore[call-overload]
        if column is not None and column.width != account:
            column.width = account
            column.auto_width = False
            table.refresh()

    def fill(self) -> None:
        data = self.table_data
        if data is None:
            return
        books = self.app.books
        locale = books.locale if books is not None else "en_US"
        table = self.query_one(DataTable)
        selected = self.rows[table.cursor_row] if self.rows and 0 <= table.cursor_row < len(self.rows) else None
        table.clear(columns=True)
        if self.view == "year":
            budget_head, last_head = data.label, data.last_label
        else:
            budget_head, last_head = f"{data.start:%b %Y}", f"{data.start.replace(year=data.start.year - 1):%b %Y}"
        table.add_column(Text("Account\n"), key="account")
        table.add_column(Text("Per\n"), width=PERIOD_WIDTH, key="period")
        table.add_column(Text("Amount\nper period", justify="right"), width=AMOUNT_WIDTH, key="amount")
        table.add_column(Text(f"Budget\n{budget_head}", justify="right"), width=AMOUNT_WIDTH, key="budget")
        table.add_column(Text(f"Actual\n{last_head}", justify="right"), width=AMOUNT_WIDTH, key="last")
        self.lay_out_columns()

        def money(amount) -> Text:
            return Text(format_amount(amount, None, locale), justify="right")

        lines = self.shown_lines()
        rows: list[BudgetLine | None] = []
        fund = root = None
        for line in lines:
            if line.fund != fund:
                fund, root = line.fund, None
                title = books.funds[fund].title if books is not None and fund in books.funds else fund
                table.add_row(Text(title, style="bold"), "", "", "", "")
                rows.append(None)
            line_root = line.account.split(":", 1)[0]
            if line_root != root:
                root = line_root
                table.add_row(Text(f" {root}", style="italic"), "", "", "", "")
                rows.append(None)
            name = line.account.split(":", 1)[1] if ":" in line.account else line.account
            if line.start > data.start or (line.end is not None and line.end < data.end):
                name += f" ({line.start:%b %Y}–{line.end:%b %Y})" if line.end else f" (from {line.start:%b %Y})"
            table.add_row(Text(f"  {name}", overflow="ellipsis", no_wrap=True),
                          SHORT_PERIODS.get(line.period, line.period), money(line.amount), money(line.budget),
                          money(line.last_year))
            rows.append(line)
        for root_name in ("Income", "Expenses"):
            chosen = [line for line in lines if line.account.split(":", 1)[0] == root_name]
            if chosen:
                table.add_row(Text(f"Total {root_name.lower()}", style="bold"), "", "",
                              money(sum((line.budget for line in chosen), ZERO)),
                              money(sum((line.last_year for line in chosen), ZERO)))
                rows.append(None)
        self.rows = rows
        funds = "all funds" if self.fund is None else f"fund {self.fund}"
        view = "year" if self.view == "year" else "month"
        self.query_one("#budget-title", Static).update(Content(f"Budget {data.label}"))
        self.query_one("#budget-state", Static).update(Content(f"{view} view · {funds} · {data.currency}"))
        if selected is not None:
            for number, row in enumerate(rows):
                if row is not None and row.key == selected.key:
                    table.move_cursor(row=number, animate=False)
                    break
        elif rows:
            first = next((number for number, row in enumerate(rows) if row is not None), 0)
            table.move_cursor(row=first, animate=False)
        if not lines:
            where = "" if self.fund is None else f" for {self.fund}"
            self.say(f"No budget lines are in effect in {data.label}{where}: set one on the command line with "
                     "finsek budget set, or copy last year's with finsek budget copy.", "warning")
        elif data.problems:
            self.say(f"{len(data.problems)} budget line(s) could not be read: {data.problems[0]}", "warning")

    def say(self, message: str, kind: str = "info") -> None:
        self.query_one(StatusLine).say(message, kind)

    # -- views ---------------------------------------------------------------------------

    def action_toggle_view(self) -> None:
        self.view = "month" if self.view == "year" else "year"
        self.build()

    def action_step(self, step: int) -> None:
        if self.view == "year":
            assert self.year is not None
            self.year += step
        else:
            assert self.month is not None
            self.month = add_months(self.month, step)
        self.build()

    def action_next_fund(self) -> None:
        data = self.table_data
        books = self.app.books
        if data is None or books is None:
            return
        funds = list(dict.fromkeys(line.fund for line in data.lines))
        if not funds:
            return
        order = [None, *funds]
        position = order.index(self.fund) if self.fund in order else 0
        self.fund = order[(position + 1) % len(order)]
        self.fill()

    # -- editing ------------------------------------------------------------------------

    def action_edit(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows) or self.rows[table.cursor_row] is None:
            self.say("Choose a budget line (↑ ↓), then press enter to change its amount.", "warning")
            return
        line = self.rows[table.cursor_row]
        assert line is not None
        books = self.app.books
        locale = books.locale if books is not None else "en_US"
        assert books is not None and self.table_data is not None
        try:
            start = edit_start(books, self.table_data, line)
        except FinsekError as error:
            self.say(error.message, "error")
            return
        self.editing = line
        label = self.query_one("#budget-edit-label", Label)
        label.update(Content(f"{line.account} ({line.fund}), {line.period} from {start.isoformat()}: "))
        amount = self.query_one("#budget-amount", Input)
        amount.value = format_amount(abs(line.amount), None, locale)
        self.query_one("#budget-edit").display = True
        amount.focus()
        amount.select_all()
        self.say("Type the new amount, enter saves it, escape cancels.", "info")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line, data, books = self.editing, self.table_data, self.app.books
        if line is None or data is None or books is None:
            return
        try:
            draft = edit_draft(books, data, line, event.value)
        except FinsekError as error:
            self.say(error.message, "error")
            return
        self.say("Saving…", "info")
        self.app.save_draft(draft, lambda result: self.saved(draft.summary, result), self.save_failed)

    def saved(self, summary: str, result) -> None:
        self.close_edit()
        where = f" ({result.file.name}, line {result.lineno})" if result.file is not None else ""
        self.say(f"Saved the {summary}{where}.", "ok")

    def save_failed(self, error: FinsekError) -> None:
        self.say(error.message, "error")

    def close_edit(self) -> None:
        self.editing = None
        self.query_one("#budget-edit").display = False
        self.query_one(DataTable).focus()

    def action_back(self) -> None:
        if self.editing is not None:
            self.close_edit()
            self.say(HINT, "info")
            return
        self.app.pop_screen()
