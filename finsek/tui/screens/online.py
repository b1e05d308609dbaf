"""Online giving (``i``): a giving platform's export read, shown line by line, and booked in one batch.

The same functions as ``finsek import giving``: the file is read and planned
in a thread worker, every line shown with what would happen to it (to save,
imported before, or waiting for review and why); a line waiting for review
is settled with one key — ``d`` credits it to a donor id, ``f`` maps the
platform's fund text to a fund — and the plan is made again; F2 (or ctrl+s)
books every line to save, all or nothing.
"""

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Label, Static

from finsek.core.errors import FinsekError
from finsek.core.money import format_amount
from finsek.core.text import printable
from finsek.imports.platforms.booking import REVIEW, SAVED, Options, Outcome, Plan, apply_plan, check_plan, plan_import
from finsek.imports.platforms.sources import read_export
from finsek.tui import bindings
from finsek.tui.screens.typed import FinsekScreen
from finsek.tui.widgets import LedgerHeader, StatusLine

HINT = "type the export's path, enter reads it · d donor · f fund for a line in review · F2 books"
STATUS_WORDS = {SAVED: "to book", REVIEW: "review", "duplicate": "imported before"}


class GivingImportScreen(FinsekScreen[None]):
    BINDINGS = bindings.GIVING_IMPORT
    INTRO = (
        "Book a giving platform's export (PayPal, Stripe, Tithe.ly, Planning Center, Vanco, Swish, or a CSV "
        "you describe once on the command line): type the file's path and press enter to see every line and "
        "what would happen to it. A line in review waits for you: d credits it to a donor id, f says which fund "
        "the platform's fund means. F2 (or ctrl+s) books the lines to book, all or nothing."
    )

    def __init__(self) -> None:
        super().__init__(classes="online")
        self.options = Options()
        self.plan: Plan | None = None
        self.rows: list[Outcome] = []
        self.asking: str = ""

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        with Horizontal(id="online-bar"):
            yield Label("Export file ", id="online-file-label")
            yield Input("", id="online-file", placeholder="~/Downloads/Download.CSV", compact=True)
        yield Static("", id="online-state")
        yield DataTable(id="online-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="online-ask"):
            yield Label("", id="online-ask-label")
            yield Input("", id="online-answer", compact=True, max_length=60)
        yield StatusLine(HINT, id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#online-ask").display = False
        self.query_one("#online-file", Input).focus()

    def say(self, message: str, kind: str = "info") -> None:
        self.query_one(StatusLine).say(message, kind)

    # -- reading and planning ------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "online-file":
            self.read()
        elif event.input.id == "online-answer":
            self.answered(event.value.strip())

    def read(self) -> None:
        text = self.query_one("#online-file", Input).value.strip()
        books = self.app.books
        if not text or books is None:
            self.say("Type the path of the export file first." if books else "The books are still loading.",
                     "warning")
            return
        path, options, today, ledger = Path(text).expanduser(), self.options, self.app.today(), self.app.ledger
        self.say(f"Reading {path.name} …")

        def work() -> None:
            try:
                file, _key = read_export(path)
                plan = plan_import(books, file, options, today)
                check_plan(ledger, plan)
            except FinsekError as error:
                self.app.call_from_thread(self.say, error.message, "error")
                return
            except Exception as error:  # never a traceback on screen
                self.app.call_from_thread(self.say, f"{path.name} could not be read: {error}", "error")
                return
            self.app.call_from_thread(self.show, plan)

        self.run_worker(work, thread=True, group="online", name="read export", exit_on_error=False)

    def show(self, plan: Plan) -> None:
        if not self.is_attached:
            return
        self.plan = plan
        books = self.app.books
        locale = books.locale if books is not None else "en_US"
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for label, key in (("Line", "line"), ("Date", "date"), ("Kind", "kind"), ("Gross", "gross"),
                           ("Fee", "fee"), ("Donor", "donor"), ("Fund", "fund"), ("What happens", "status")):
            table.add_column(label, key=key)
        self.rows = list(plan.outcomes)
        for outcome in self.rows:
            line = outcome.line
            donor = outcome.donor or (f"new: {line.name or line.email}" if outcome.new_giver else "")
            if donor and books is not None and books.donors.get(donor):
                donor = f"{donor} {books.donors.get(donor).name}"
            status = STATUS_WORDS.get(outcome.status, outcome.status)
            if outcome.status == REVIEW:
                status = f"review: {outcome.reason}"
            style = "bold yellow" if outcome.status == REVIEW else ("dim" if outcome.status != SAVED else "")
            table.add_row(str(line.line), line.date.isoformat(), line.kind,
                          Text(format_amount(line.gross, None, locale), justify="right"),
                          Text(format_amount(line.fee, None, locale), justify="right"),
                          printable(donor), outcome.fund, Text(printable(status), style=style))
        counts = plan.counts()
        opened = f"; opens {', '.join(plan.to_open)}" if plan.to_open else ""
        self.query_one("#online-state", Static).update(
            f"{plan.file.title}: {counts.get(SAVED, 0)} to book into {plan.clearing}, "
            f"{counts.get('duplicate', 0)} imported before, {counts.get(REVIEW, 0)} in review{opened}.")
        skipped = len(plan.file.skipped) + len(plan.file.problems)
        if plan.file.problems:
            self.say(f"{len(plan.file.problems)} row(s) could not be read: {plan.file.problems[0]}", "warning")
        elif counts.get(REVIEW):
            self.say("Lines in review are not booked: d credits one to a donor, f maps its fund.", "warning")
        else:
            self.say(f"F2 books the {counts.get(SAVED, 0)} line(s)" + (f"; {skipped} row(s) skipped" if skipped
                                                                       else "") + ".", "ok")
        if self.rows:
            table.focus()

    # -- settling a line in review ---------------------------------------------------------------

    def selected(self) -> Outcome | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def ask(self, what: str) -> None:
        outcome = self.selected()
        if outcome is None or outcome.status != REVIEW:
            self.say("Choose a line in review first (↑ ↓).", "warning")
            return
        self.asking = what
        label = (f"Donor id for '{outcome.line.name or outcome.line.email}' " if what == "donor"
                 else f"Fund for '{outcome.line.fund}' ")
        self.query_one("#online-ask-label", Label).update(printable(label))
        self.query_one("#online-ask").display = True
        answer = self.query_one("#online-answer", Input)
        answer.value = ""
        answer.focus()

    def action_ask_donor(self) -> None:
        self.ask("donor")

    def action_ask_fund(self) -> None:
        self.ask("fund")

    def answered(self, value: str) -> None:
        outcome, what = self.selected(), self.asking
        self.query_one("#online-ask").display = False
        self.asking = ""
        if outcome is None or not value:
            self.query_one(DataTable).focus()
            return
        books = self.app.books
        if what == "donor":
            if books is not None and books.donors.exists and value not in books.donors:
                self.say(f"There is no donor {value} in donors.csv: type an id such as D0042.", "error")
                return
            self.options.aliases[outcome.line.email or outcome.line.name] = value
        else:
            self.options.fund_rules[outcome.line.fund] = value
        self.read()

    def action_cancel_ask(self) -> None:
        if self.asking:
            self.query_one("#online-ask").display = False
            self.asking = ""
            self.query_one(DataTable).focus()
        else:
            self.app.pop_screen()

    # -- booking --------------------------------------------------------------------------------

    def action_book(self) -> None:
        plan = self.plan
        if plan is None or not plan.to_save:
            self.say("Nothing to book: read an export first." if plan is None else "Nothing to book.", "warning")
            return
        count = len(plan.to_save)

        def job(ledger):
            return apply_plan(ledger, plan)

        def done(new_ids) -> None:
            added = f", {len(new_ids)} new donor(s) added" if new_ids else ""
            self.say(f"Booked {count} line(s){added}.", "ok")
            self.app.tell(f"Booked {count} {plan.file.title} line(s){added}.", title="Online giving")
            self.read()

        def failed(error: FinsekError) -> None:
            self.say(error.message, "error")

        self.say(f"Booking {count} line(s) …")
        self.app.ledger_job(job, done, failed, name="import giving")
