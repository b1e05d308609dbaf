"""The audit (``a``): what an auditor would question, grouped by severity; closing a month (``c``).

The findings come from the app's audit (``app.audit_result``), run in a
thread worker after every load and save. ``e``, ``w`` and ``n`` show or hide
errors, warnings and notes; ``/`` filters by words. Enter on a finding opens
its entry in the journal (where ``r`` reverses it). ``c`` closes the books
through a month end with the rules of ``finsek close``: the period's audit
must find no errors, and the exact line is shown before it is written
through the app's save path.
"""

import datetime as dt
from pathlib import Path

from beancount.core import data
from beancount.parser import printer
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from finsek.audit import close_books, plan_close, suggested_through
from finsek.audit.findings import SEVERITIES
from finsek.core.dates import parse_through
from finsek.core.errors import FinsekError
from finsek.tui import bindings
from finsek.tui.screens.base import BREAKPOINTS
from finsek.tui.screens.journal import JournalScreen
from finsek.tui.screens.modals import TextScreen
from finsek.tui.screens.typed import FinsekModalScreen, FinsekScreen
from finsek.tui.views.audit_list import arrange, by_check, entry_at
from finsek.tui.widgets import LedgerHeader, StatusLine

PLURAL = {"error": "Errors", "warning": "Warnings", "note": "Notes"}
GLYPH = {"error": "✖", "warning": "▲", "note": "·"}
#: Findings shown per severity; more are counted, and the filter narrows them.
LIMIT = 1000


class AuditScreen(FinsekScreen[None]):
    BINDINGS = bindings.AUDIT
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    INTRO = (
        "Everything an auditor would question: errors first, then warnings, then notes, each by check. "
        "e / w / n show or hide errors, warnings and "
        "notes; / filters; Enter opens the entry in the journal. c closes the books through a month end."
    )

    def __init__(self) -> None:
        super().__init__(classes="audit")
        self.showing = {name: True for name in SEVERITIES}
        self.shown: list = []  # one per table row: a Finding, or None for a heading
        self.result = None
        self.arranged: dict[str, list[tuple]] = {}

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        yield Static(Content("Auditing the books…"), id="audit-summary")
        with Horizontal(id="audit-bar"):
            for name in SEVERITIES:
                button = Button("", id=f"show-{name}", compact=True, classes="severity")
                button.can_focus = False
                yield button
            yield Input(placeholder="/ filter: words, file, date", id="audit-filter", compact=True)
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="audit-detail-scroll"):
            yield Static("", id="audit-detail")
        yield StatusLine("Enter: go to the entry · e / w / n show or hide · c closes a month", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.columns_for = 0
        self.set_columns(self.app.size.width)
        self.watch(self.app, "audit_version", lambda _v: self.fill(), init=False)
        self.watch(self.app, "books_version", lambda _v: self.fill(), init=False)
        self.app.start_audit()
        self.fill()
        table.focus()

    def set_columns(self, width: int) -> None:
        """The finding's words get the room the screen has (the detail below shows all of it)."""
        table = self.query_one(DataTable)
        finding = max(30, width - (10 + 28 + 22 + 10))
        if finding == self.columns_for:
            return
        self.columns_for = finding
        table.clear(columns=True)
        table.add_column("Date", width=10, key="date")
        table.add_column("Kind", width=28, key="kind")
        table.add_column("Finding", width=finding, key="finding")
        table.add_column("Where", width=22, key="where")

    def on_resize(self, event) -> None:
        before = self.columns_for
        self.set_columns(event.size.width)
        if self.columns_for != before:
            self.refresh_list()

    # -- the list ---------------------------------------------------------------------------

    def fill(self) -> None:
        app = self.app
        summary = self.query_one("#audit-summary", Static)
        result = app.audit_result if app.audit_is_current() else None
        if app.books is None:
            summary.update(Content(app.load_failure or "The books are still loading…"))
            return
        if result is None:
            if app.audit_failure and app.audit_version == app.books_version:
                summary.update(Content(f"The audit could not run: {app.audit_failure}"))
            else:
                summary.update(Content("Auditing the books…" if self.result is None else
                                       "Auditing the books again (they changed)…"))
            if self.result is None:
                return
        else:
            if result is not self.result:
                self.result = result
                self.arranged = self.app.audit_arranged or arrange(result)
            summary.update(Content(
                f"Audit of {result.start.isoformat()} to {result.end.isoformat()}: {result.summary()}"
                + (f" Closed through {result.closed_through.isoformat()}." if result.closed_through else "")
            ))
        self.refresh_list()

    def refresh_list(self) -> None:
        result = self.result
        if result is None:
            return
        counts = result.counts
        for name in SEVERITIES:
            button = self.query_one(f"#show-{name}", Button)
            mark = "✔" if self.showing[name] else "✗"
            key = {"error": "e", "warning": "w", "note": "n"}[name]
            button.label = f"{mark} {PLURAL[name]} {counts.get(name, 0):,} ({key})"
            button.set_class(not self.showing[name], "-hidden")
        words = self.query_one("#audit-filter", Input).value.casefold().split()
        table = self.query_one(DataTable)
        previous = self.selected()
        table.clear()
        self.shown = []
        rows = []
        for name in SEVERITIES:
            if not self.showing[name]:
                continue
            found = [(finding, where) for finding, where, text in self.arranged.get(name, ())
                     if all(word in text for word in words)]
            if not found:
                continue
            label = f"{GLYPH[name]} {PLURAL[name]}: {len(found):,}"
            rows.append((Text(""), Text(label, style="bold"), Text(""), Text("")))
            self.shown.append(None)
            style = "bold" if name == "error" else ""
            for title, group in by_check(found[:LIMIT]):  # each severity by check, as the report reads
                rows.append((Text(""), Text(f"  {title} ({len(group):,})", style="italic"), Text(""), Text("")))
                self.shown.append(None)
                for finding, where in group:
                    rows.append((
                        Text(finding.date.isoformat() if finding.date else ""),
                        Text(f"{GLYPH[name]} {finding.title}", style=style),
                        Text(" ".join(finding.message.split()), style=style),
                        Text(where),
                    ))
                    self.shown.append(finding)
            if len(found) > LIMIT:
                rows.append((Text(""), Text(f"… {len(found) - LIMIT:,} more", style="italic"),
                             Text("Type in the filter (/) to narrow the list.", style="italic"), Text("")))
                self.shown.append(None)
        table.add_rows(rows)
        if not rows:
            hidden = [PLURAL[name].lower() for name in SEVERITIES if not self.showing[name]]
            why = ("Nothing matches the filter." if words else
                   "Nothing to show" + (f" ({', '.join(hidden)} hidden)." if hidden else ": the audit found nothing."))
            self.query_one("#audit-detail", Static).update(Content(why))
            return
        # keep the cursor on the same finding when the list changes; else on the first finding
        position = next((i for i, item in enumerate(self.shown) if previous is not None and item == previous), None)
        if position is None:
            position = next((i for i, item in enumerate(self.shown) if item is not None), 0)
        table.move_cursor(row=position, animate=False)
        self.show_detail()

    def selected(self):
        table = self.query_one(DataTable)
        row = table.cursor_row
        if row is None or not 0 <= row < len(self.shown):
            return None
        return self.shown[row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_detail()

    def show_detail(self) -> None:
        finding = self.selected()
        detail = self.query_one("#audit-detail", Static)
        if finding is None:
            detail.update(Content("↑ ↓ choose a finding; its details and what to do appear here."))
            return
        root = self.result.root if self.result else None
        where = finding.location(root)
        lines = [f"{finding.severity.capitalize()} · {finding.check_title} · {finding.title}",
                 " ".join(finding.message.split()),
                 f"What to do: {' '.join(finding.action.split())}"]
        if where:
            lines.append(f"Where: {where}" + ("   (Enter opens it)" if finding.lineno else ""))
        if finding.closed:
            lines.append("This entry is in a closed period: do not edit it; record a correction dated after the close.")
        detail.update(Content("\n".join(lines)))

    # -- keys -----------------------------------------------------------------------------------

    def action_toggle(self, severity: str) -> None:
        self.showing[severity] = not self.showing[severity]
        self.refresh_list()
        state = "shown" if self.showing[severity] else "hidden"
        self.query_one(StatusLine).say(f"{PLURAL[severity]} {state}.", "info")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        name = str(event.button.id).removeprefix("show-")
        if name in SEVERITIES:
            self.action_toggle(name)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "audit-filter":
            self.refresh_list()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#audit-filter", Input).focus()

    def action_back(self) -> None:
        if self.focused is self.query_one("#audit-filter", Input):
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()

    def action_rerun(self) -> None:
        self.app.audit_version = -1
        self.app.start_audit()
        self.fill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_show_finding()

    def action_show_finding(self) -> None:
        if self.focused is self.query_one("#audit-filter", Input):
            self.query_one(DataTable).focus()
            return
        finding = self.selected()
        books = self.app.books
        status = self.query_one(StatusLine)
        if finding is None or books is None:
            return
        root = self.result.root if self.result else None
        entry = entry_at(books, finding.filename, finding.lineno)
        if isinstance(entry, data.Transaction):
            self.app.push_screen(JournalScreen(f"from:{entry.date} to:{entry.date}", show=entry))
            return
        if entry is not None:
            self.app.push_screen(TextScreen(f"{type(entry).__name__} of {entry.date}", printer.format_entry(entry),
                                            f"In {finding.location(root)}"))
            return
        where = finding.location(root)
        status.say(f"This finding is about {where}, not one entry: open the file in an editor to look at it."
                   if where else "This finding is about the books as a whole, not one entry.", "info")

    # -- closing --------------------------------------------------------------------------------

    def action_close_books(self) -> None:
        if self.app.books is None:
            return

        def chosen(through: dt.date | None) -> None:
            if through is not None:
                self.close_through(through)

        self.app.push_screen(CloseScreen(), chosen)

    def close_through(self, through: dt.date) -> None:
        app = self.app
        today = app.today()
        self.query_one(StatusLine).say(f"Closing the books through {through}…", "info")
        app.ledger_job(lambda ledger: close_books(ledger, through, today), self.closed, self.close_failed,
                       name="close")

    def closed(self, result) -> None:
        plan = result.plan
        message = (f"Closed {plan.period}: wrote the close line to {Path(result.file).name}, line {result.lineno}. "
                   f"Nothing dated on or before {plan.through} can be added or changed now; corrections are new "
                   "entries dated after it.")
        if result.note:
            message += " " + result.note
        self.query_one(StatusLine).say(message, "ok")
        self.app.tell(message, title="Books closed")

    def close_failed(self, error: FinsekError) -> None:
        self.query_one(StatusLine).say(f"Not closed: {error.message}", "error")
        self.app.tell(error.message, title="Not closed", severity="error", timeout=10)


class CloseScreen(FinsekModalScreen[dt.date | None]):
    """Close the books through a day: the suggested month end, the plan (or the refusal), then y."""

    BINDINGS = bindings.CLOSE

    def __init__(self) -> None:
        super().__init__(classes="confirm close")
        self.plan = None
        self.checking: dt.date | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Close the books", id="question")
            yield Static(Content(
                "Closing makes the books final through a day: later entries or changes dated in it are refused "
                "and reported (bean-check, Fava, the audit). Corrections are new entries dated after it."),
                id="close-intro")
            with Horizontal(classes="field-row"):
                yield Label("Close through", classes="field-label")
                yield Input("", placeholder="YYYY-MM-DD or YYYY-MM", id="close-through", compact=True,
                            restrict=r"[0-9-]*", max_length=10)
            with VerticalScroll(id="close-scroll"):
                yield Static(Content("Checking…"), id="close-plan")
                yield Static("", id="close-line")
            with Horizontal(id="buttons"):
                yield Button("Close the books (y)", id="close-yes", variant="primary", disabled=True)
                yield Button("Cancel (escape)", id="close-no")

    def on_mount(self) -> None:
        books = self.app.books
        today = self.app.today()
        through = suggested_through(books, today)
        field = self.query_one("#close-through", Input)
        if through is None:
            self.say(f"The books are closed through {books.closed_through} already: the next month can be closed "
                     "once it has ended. Type another day to close through it.", "")
            field.focus()
            return
        field.value = through.isoformat()
        self.query_one("#close-no", Button).focus()
        self.check(through)

    def say(self, text: str, kind: str, line: str = "") -> None:
        """The plan (or the refusal) in words, and the exact line to be written (scrolls sideways)."""
        self.query_one("#close-line", Static).update(Content(line))
        self.query_one("#close-line", Static).display = bool(line)
        plan = self.query_one("#close-plan", Static)
        plan.update(Content(text))
        plan.set_class(kind == "error", "-error")
        plan.set_class(kind == "ok", "-ok")

    def check(self, through: dt.date) -> None:
        app = self.app
        books = app.books
        today = app.today()
        self.checking = through
        self.plan = None
        self.query_one("#close-yes", Button).disabled = True
        self.say(f"Auditing the period through {through}…", "")

        def work() -> None:
            try:
                plan = plan_close(books, through, today)
            except FinsekError as error:
                app.call_from_thread(self.checked, through, None, error.message)
                return
            app.call_from_thread(self.checked, through, plan, None)

        self.run_worker(work, thread=True, group="close-plan", name="plan close", exit_on_error=False)

    def checked(self, through: dt.date, plan, problem: str | None) -> None:
        if not self.is_attached or through != self.checking:
            return
        if problem is not None:
            self.say(problem, "error")
            return
        self.plan = plan
        if not plan.allowed:
            self.say(plan.refusal, "error")
            return
        target = f"{plan.today.year}.beancount"
        warnings = plan.audit.counts.get("warning", 0) if plan.audit is not None else 0
        note = (f" ({warnings} warning{'s' if warnings != 1 else ''}: they do not block a close)"
                if warnings else "")
        text = (f"This closes {plan.period}: the audit of the period finds no errors{note}. "
                f"This line will be added to {target}:")
        self.say(text, "ok", plan.draft.text.rstrip())
        button = self.query_one("#close-yes", Button)
        button.disabled = False
        button.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.checking is not None and event.value.strip() == self.checking.isoformat():
            return  # the day being checked (as filled in on opening)
        self.plan = None
        self.checking = None
        self.query_one("#close-yes", Button).disabled = True
        self.say("Press Enter to check this day.", "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            through = parse_through(event.value, self.app.today())
        except FinsekError as error:
            self.say(error.message, "error")
            return
        self.check(through)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "close-yes":
            self.action_close_books()
        else:
            self.dismiss(None)

    def action_close_books(self) -> None:
        plan = self.plan
        if plan is None:
            if self.checking is not None:
                self.say("Still checking the period: a moment, please.", "")
            return
        if not plan.allowed:
            return  # the refusal is on screen
        self.dismiss(plan.through)

    def action_cancel(self) -> None:
        self.dismiss(None)
