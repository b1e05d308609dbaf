"""The journal (``j``): every transaction, newest first, filtered as you type.

The search index (one lowercase string per transaction) is built once per
version of the books in a thread worker; each keystroke filters it and the
list (a ``RowList``) draws only the lines on screen, so every match is there
to scroll to and 100,000 transactions stay responsive. Enter shows an entry as Beancount text with its file and line;
``r`` writes a reversal after confirmation — history is never edited.
"""

import contextlib
import time
from pathlib import Path

from beancount.core import data
from beancount.parser import printer
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, Input, Static

from finsek.core.errors import FinsekError
from finsek.ledger.entries import build_reversal
from finsek.ledger.overdraft import OverdraftNeedsApproval
from finsek.tui import bindings
from finsek.tui.screens.approval import ApprovalScreen
from finsek.tui.screens.base import BREAKPOINTS
from finsek.tui.screens.modals import ConfirmScreen, TextScreen
from finsek.tui.screens.typed import FinsekScreen
from finsek.tui.views.journal_index import JournalFilter, JournalRow
from finsek.tui.widgets import LedgerHeader, StatusLine
from finsek.tui.widgets.rowlist import RowColumn, RowList

#: At 80 columns every column fits; wider screens give the room to payee, narration and accounts.
COLUMNS = (
    RowColumn("Date", 10),
    RowColumn("Payee", 12, grow=1),
    RowColumn("Narration", 14, grow=2),
    RowColumn("Amount", 13, "right"),
    RowColumn("Funds", 8),
    RowColumn("Accounts", 12, grow=2),
)
FILTER_HELP = "filter: words, payee:, account:, fund:, donor:, from:2026-01-01, to:2026-03"


def where_is(entry: data.Transaction, root: Path | None) -> str:
    filename = str((entry.meta or {}).get("filename", ""))
    lineno = (entry.meta or {}).get("lineno", "")
    if root is not None and filename:
        with contextlib.suppress(ValueError):
            filename = str(Path(filename).relative_to(root))
    return f"{filename}:{lineno}"


def _cells(row: JournalRow) -> tuple[str, ...]:
    return row.date, row.payee, row.narration, row.amount, row.funds, row.accounts


class EntryScreen(TextScreen):
    """One entry's Beancount text with its file and line; ``r`` reverses it."""

    BINDINGS = bindings.ENTRY

    def __init__(self, entry: data.Transaction, root: Path | None):
        text = printer.format_entry(entry)
        super().__init__(f"Entry of {entry.date}: {entry.payee or ''} {entry.narration or ''}".strip(), text,
                         f"In {where_is(entry, root)}   ·   r reverses it, escape closes")
        self.entry = entry

    def action_reverse(self) -> None:
        self.dismiss("reverse")

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)


class JournalScreen(FinsekScreen[None]):
    BINDINGS = bindings.JOURNAL
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS

    def __init__(self, query: str = "", show: data.Transaction | None = None) -> None:
        """``query`` fills the filter; ``show`` is an entry to select and open once the list is ready
        (the audit's Enter on a finding)."""
        super().__init__(classes="journal")
        self.initial_query = query
        self.show_pending = show
        self.index: list[JournalRow] = []
        self.search = JournalFilter([])
        self.index_version = -1
        self.shown: list[JournalRow] = []
        self.matched = 0
        self.last_filter_ms = 0.0

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        yield Input(placeholder=FILTER_HELP, id="filter", compact=True)
        yield Static("Building the journal…", id="journal-count")
        yield RowList(COLUMNS, _cells, id="journal-table")
        yield StatusLine("Type to filter · ↓ or Enter to the list · Enter shows an entry · r reverses it", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "books_version", lambda _v: self.load_index(), init=False)
        filter_input = self.query_one("#filter", Input)
        if self.initial_query:
            filter_input.value = self.initial_query
        filter_input.focus()
        self.load_index()

    # -- the index --------------------------------------------------------------

    def load_index(self) -> None:
        books = self.app.books
        if books is None:
            return
        version = self.app.books_version
        cached = self.app.journal_cache
        if cached is not None and cached[0] == version:
            self.index_ready(version, cached[2], books)
            return
        if not self.index:
            self.query_one("#journal-count", Static).update(
                Content(f"Building the journal of {books.transaction_count:,} transactions…")
            )
        self.app.build_journal_index(lambda rows: self.index_ready(version, rows, books))

    def index_ready(self, version: int, rows: list[JournalRow], books=None) -> None:
        if not self.is_attached:
            return
        self.index = rows
        self.search = JournalFilter(rows)
        self.index_version = version
        self.apply_filter()
        if self.show_pending is not None:
            self.select_entry(self.show_pending)

    def select_entry(self, entry: data.Transaction) -> None:
        """Put the cursor on ``entry`` (when the filter shows it) and open it."""
        self.show_pending = None
        where = ((entry.meta or {}).get("filename"), (entry.meta or {}).get("lineno"))
        for position, row in enumerate(self.shown):
            meta = row.entry.meta or {}
            if row.entry is entry or (meta.get("filename"), meta.get("lineno")) == where:
                table = self.query_one(RowList)
                table.move_cursor(position)
                table.focus()
                self.action_show_entry()
                return

    # -- filtering ----------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.apply_filter()

    def apply_filter(self) -> None:
        started = time.perf_counter()
        text = self.query_one("#filter", Input).value
        rows, matched = self.search(text)
        self.query_one(RowList).show_rows(rows)
        self.shown = rows
        self.matched = matched
        self.last_filter_ms = (time.perf_counter() - started) * 1000
        note = f"{matched:,} of {len(self.index):,} transactions match, newest first."
        self.query_one("#journal-count", Static).update(Content(note))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.set_focus(self.query_one(RowList))  # at once: the next key typed goes to the list

    def on_key(self, event) -> None:
        if event.key == "down" and self.focused is self.query_one("#filter", Input):
            event.stop()
            self.set_focus(self.query_one(RowList))

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- one entry ------------------------------------------------------------------

    def selected(self) -> JournalRow | None:
        cursor = self.query_one(RowList).cursor
        if not 0 <= cursor < len(self.shown):
            return None
        return self.shown[cursor]

    def on_row_list_chosen(self, event: RowList.Chosen) -> None:
        event.stop()
        self.action_show_entry()

    def action_show_entry(self) -> None:
        row = self.selected()
        if row is None:
            return
        books = self.app.books

        def closed(answer: str | None) -> None:
            if answer == "reverse":
                self.reverse(row.entry)

        self.app.push_screen(EntryScreen(row.entry, books.root if books else None), closed)

    def action_reverse(self) -> None:
        row = self.selected()
        if row is None:
            self.query_one(StatusLine).say("Choose an entry in the list first (↓ from the filter).", "warning")
            return
        self.reverse(row.entry)

    def reverse(self, entry: data.Transaction) -> None:
        books = self.app.books
        try:
            draft = build_reversal(books, entry, today=self.app.today())
        except FinsekError as error:
            self.query_one(StatusLine).say(error.message, "error")
            return

        def failed(error: FinsekError) -> None:
            if not isinstance(error, OverdraftNeedsApproval):
                self.reversal_failed(error)
                return

            def approved(name: str | None) -> None:  # a designated fund below zero: saved with who approved it
                if not name:
                    self.reversal_failed(error)
                    return
                again = build_reversal(books, entry, draft.date.isoformat(), today=self.app.today(),
                                       overdraft_approved_by=name)
                self.app.save_draft(again, self.reversal_saved, self.reversal_failed)

            self.app.push_screen(ApprovalScreen(error, self.app.settings.entered_by), approved)

        def answered(yes: bool | None) -> None:
            if yes:
                self.query_one(StatusLine).say(f"Saving the {draft.summary}…", "info")
                self.app.save_draft(draft, self.reversal_saved, failed)

        self.app.push_screen(
            ConfirmScreen(
                f"Write a reversal of the entry of {entry.date} ({entry.payee or entry.narration})? "
                "The original stays in the books; this new entry cancels it:",
                draft.text,
                yes="Write reversal",
                no="Cancel",
            ),
            answered,
        )

    def reversal_saved(self, result) -> None:
        where = f"{result.file.name}, line {result.lineno}" if result.file else ""
        self.query_one(StatusLine).say(f"Saved the {result.draft.summary} ({where}).", "ok")
        self.app.tell(f"Saved the {result.draft.summary}.", title="Reversed")

    def reversal_failed(self, error: FinsekError) -> None:
        self.query_one(StatusLine).say(f"Not saved: {error.message}", "error")
