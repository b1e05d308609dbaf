"""The home screen: where the funds stand, this month in and out, the banks, recent entries."""

import contextlib
import time
from pathlib import Path

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from finsek.core.money import format_amount
from finsek.ledger import conventions as conv
from finsek.tui import bindings
from finsek.tui.screens.base import BREAKPOINTS
from finsek.tui.screens.typed import FinsekScreen
from finsek.tui.views import summary
from finsek.tui.widgets import LedgerHeader, StatusLine

ACTIONS = (
    ("gift", "Gift", "g"),
    ("offering", "Offering", "o"),
    ("payment", "Payment", "p"),
    ("transfer", "Transfer", "t"),
    ("balance", "Balance", "b"),
    ("online", "Online", "i"),
)
VIEWS = (
    ("journal", "Journal", "j"),
    ("reports", "Report", "r"),
    ("audit", "Audit", "a"),
    ("donors", "Donors", "d"),
    ("budget", "Budget", "B"),
)
SEVERITY_GLYPHS = (("error", "✖", "errors"), ("warning", "▲", "warnings"), ("note", "·", "notes"))


def action_line(title: str, actions) -> Content:
    """One line of clickable actions with their keys (one widget, not a button each: the home screen
    is the first thing drawn at start)."""
    parts = [f"[@click=app.open('{kind}')] {label} [b]{key}[/b] [/]" for kind, label, key in actions]
    return Content.from_markup(f"[dim]{title + ':':<8}[/dim]" + " ".join(parts))


def _table(*columns: tuple[str, str]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    for title, justify in columns:
        if justify == "right":  # amounts: never cut
            table.add_column(title, justify="right", no_wrap=True, min_width=10)
        elif title == "Date":
            table.add_column(title, no_wrap=True, width=10)
        else:
            table.add_column(title, justify=justify, no_wrap=True, overflow="ellipsis", ratio=1)
    return table


class HomeScreen(FinsekScreen[None]):
    BINDINGS = bindings.HOME
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS

    def __init__(self) -> None:
        super().__init__(classes="home")

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        with VerticalScroll(id="home"):
            yield Static(action_line("Record", ACTIONS), id="actions", classes="actions")
            yield Static(action_line("Look", VIEWS), id="views", classes="actions")
            yield Static("", id="problems")
            yield Static(Content("Loading the books…"), id="loading")
            with Grid(id="panels"):
                yield Static("", id="funds", classes="panel")
                yield Static("", id="month", classes="panel")
                yield Static("", id="banks", classes="panel")
                yield Static("", id="audit", classes="panel")
                yield Static("", id="recent", classes="panel")
        yield StatusLine("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        titles = {"funds": "Funds", "month": "This month", "banks": "Bank accounts", "audit": "Audit",
                  "recent": "Recent entries"}
        for name, title in titles.items():
            self.query_one(f"#{name}").border_title = title
        self.query_one("#audit").border_subtitle = "a: the list"
        self.watch(self.app, "books_version", lambda _v: self.refresh_data(), init=False)
        self.watch(self.app, "audit_version", lambda _v: self.refresh_audit(), init=False)
        self.set_interval(0.5, self.tick_loading)
        self.refresh_data()

    def tick_loading(self) -> None:
        started = getattr(self.app, "load_started", None)
        if self.app.loading and started is not None:
            seconds = int(time.monotonic() - started)
            self.query_one("#loading", Static).update(
                Content(f"Loading the books from {self.app.ledger.main} … {seconds} s (a large ledger takes a moment)")
            )

    def on_click(self, event) -> None:
        if getattr(event.widget, "id", None) == "audit":
            event.stop()
            self.app.action_open("audit")

    def refresh_audit(self) -> None:
        """The audit panel: findings by severity and the most frequent kinds; the audit runs in a worker."""
        app = self.app
        panel = self.query_one("#audit", Static)
        if app.books is None:
            panel.update("")
            return
        result = app.audit_result if app.audit_is_current() else None
        if result is None:
            if app.audit_failure and app.audit_version == app.books_version:
                panel.update(Text(f"The audit could not run: {app.audit_failure}"))
            else:
                panel.update(Text("Auditing the books…", style="italic"))
            return
        counts = result.counts
        text = Text()
        for index, (name, glyph, plural) in enumerate(SEVERITY_GLYPHS):
            number = counts.get(name, 0)
            style = "bold" if number and name == "error" else ""
            text.append(("   " if index else "") + f"{glyph} {number:,} {plural if number != 1 else name}", style=style)
        kinds: dict[str, int] = {}
        for finding in result.findings:
            if finding.severity != "note":
                kinds[finding.title] = kinds.get(finding.title, 0) + 1
        top = sorted(kinds.items(), key=lambda item: (-item[1], item[0]))[:2]
        if counts.get("error"):
            text.append("\nErrors must be put right before a month can be closed.", style="bold")
        elif not result.findings:
            text.append("\nNothing to question.")
        for title, number in top:
            text.append(f"\n{number:,} × {title}")
        panel.update(text)

    def refresh_data(self) -> None:
        app = self.app
        books = app.books
        loading = self.query_one("#loading", Static)
        problems = self.query_one("#problems", Static)
        if app.load_failure:
            loading.display = True
            loading.update(Content(f"The books could not be loaded: {app.load_failure}"))
            loading.add_class("-error")
            return
        if books is None:
            loading.display = True
            return
        loading.display = False
        if books.errors:
            count = len(books.errors)
            first = books.errors[0].message.splitlines()[0][:100]
            problems.update(
                Content(f"⚠ The ledger has {count} problem{'s' if count != 1 else ''} (first: {first}). "
                        "Press e to see them; finsek still works.")
            )
            problems.display = True
        else:
            problems.display = False
        today = app.today()
        money = lambda amount: format_amount(amount, None, books.locale)  # noqa: E731

        funds = _table(("Fund", "left"), ("Class", "left"), (f"Balance {books.currency}", "right"))
        total = 0
        for line in summary.fund_lines(books, today):
            funds.add_row(Text(line.title), Text(line.klass), money(line.balance))
            total += line.balance
        funds.add_row(Text("Net assets", style="bold"), "", Text(money(total), style="bold"))
        self.query_one("#funds", Static).update(funds)

        figures = summary.month_figures(books, today)
        month = _table(("", "left"), ("Actual", "right"), ("Budget", "right"))
        budget = lambda value: money(value) if value is not None else "—"  # noqa: E731
        month.add_row("Income", money(figures.income), budget(figures.income_budget))
        month.add_row("Expenses", money(figures.expenses), budget(figures.expenses_budget))
        month.add_row(Text("Net", style="bold"), Text(money(figures.income - figures.expenses), style="bold"), "")
        month_panel = self.query_one("#month", Static)
        month_panel.update(month)
        month_panel.border_title = f"This month ({figures.first:%B %Y})"

        banks = _table(("Account", "left"), ("Balance", "right"), ("Reconciled", "left"))
        for line in summary.bank_lines(books, today):
            banks.add_row(
                Text(line.account.removeprefix("Assets:")),
                money(line.balance),
                Text(line.reconciled_words(),
                     style="" if line.reconciled is None or line.reconciled.is_reconciled else "bold"),
            )
        self.query_one("#banks", Static).update(banks)

        recent = _table(("Date", "left"), ("Payee / narration", "left"), ("Amount", "right"))
        for entry in summary.recent_transactions(books, 8):
            text = " · ".join(part for part in (entry.payee, entry.narration) if part)
            recent.add_row(entry.date.isoformat(), Text(text), money(conv.transaction_size(entry, books.currency)))
        self.query_one("#recent", Static).update(recent)
        self.refresh_audit()
        self.query_one(StatusLine).say(
            f"{books.transaction_count:,} transaction{'' if books.transaction_count == 1 else 's'}. "
            "Keys below; ? lists them all, ctrl+p finds any command.",
            "info",
        )


class ErrorsScreen(FinsekScreen[None]):
    """The problems found while loading, as a list a person can read."""

    BINDINGS = bindings.ERRORS

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        yield Static("", id="errors-intro")
        yield DataTable(id="errors-table", cursor_type="row", zebra_stripes=True)
        yield StatusLine("escape goes back", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("File", key="file")
        table.add_column("Line", key="line")
        table.add_column("Problem", key="problem")
        self.watch(self.app, "books_version", lambda _v: self.fill(), init=False)
        self.fill()
        table.focus()

    def fill(self) -> None:
        books = self.app.books
        table = self.query_one(DataTable)
        table.clear()
        intro = self.query_one("#errors-intro", Static)
        if books is None:
            intro.update(Content(self.app.load_failure or "The books are still loading…"))
            return
        if not books.errors:
            intro.update(Content("The ledger has no problems: bean-check would find none either."))
            return
        count = len(books.errors)
        intro.update(
            Content(
                f"The ledger has {count} problem{'s' if count != 1 else ''}. finsek still works, but fix them in "
                "the files (an editor, or ask whoever keeps them); finsek notices the change and reloads."
            )
        )
        for error in books.errors:
            filename = error.filename or ""
            if filename and not filename.startswith("<"):
                with contextlib.suppress(ValueError):
                    filename = str(Path(filename).relative_to(books.root))
            table.add_row(Text(filename), str(error.lineno or ""), Text(" ".join(error.message.split())))
