"""Reconcile (``c``): the books of a bank account against its statement, GnuCash's reconcile window.

The account, the statement's date and closing balance at the top; then the
statement balance, the cleared balance and the difference, updated at every
tick; then every item since the account's last finished reconciliation (and
those it left outstanding), one line each with a tick column. Space (or
enter) ticks or unticks the item under the cursor, ``a`` ticks all and ``n``
none; F2 (or ctrl+s) finishes, which is refused, with what may explain it,
while the difference is not zero (the statement's file, when given, is kept
in ``documents/`` and attached to the account). The same functions as ``finsek reconcile``
(``finsek.ledger.reconcile``): a tick is a set operation and a running total,
and the list draws only the lines on screen (``RowList``), so a tick costs
the same on any ledger.
"""

import datetime as dt
from decimal import Decimal

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Input, Label, Static

from finsek.core.dates import parse_date
from finsek.core.errors import FinsekError
from finsek.core.money import parse_amount
from finsek.core.text import printable
from finsek.ledger.reconcile import Item, Reconciliation, start_reconciliation
from finsek.ledger.reconciled import accounts_to_reconcile, due_month_end
from finsek.tui import bindings
from finsek.tui.screens.typed import FinsekScreen
from finsek.tui.widgets import LedgerHeader, StatusLine
from finsek.tui.widgets.rowlist import RowColumn, RowList

HINT = "enter lists the items · space ticks what the statement shows · a all · n none · F2 finishes"
COLUMNS = (
    RowColumn("✓", 1),
    RowColumn("Date", 10),
    RowColumn("Check", 7, "right"),
    RowColumn("Payee", 20, grow=1),
    RowColumn("Amount", 14, "right"),
    RowColumn("Id", 6),
)


class ReconcileScreen(FinsekScreen[None]):
    BINDINGS = bindings.RECONCILE
    INTRO = (
        "Reconcile a bank account with its statement: type the account, the statement's date and its closing "
        "balance, press enter, then tick (space) each item the statement shows. What is not ticked is "
        "outstanding: checks not cashed yet, deposits in transit. When the difference is zero, F2 (or ctrl+s) "
        "records the reconciliation; an item on the statement that is not in the books (a bank fee, interest) "
        "is booked first (p, or the entry forms), then listed again (enter)."
    )

    def __init__(self) -> None:
        super().__init__(classes="reconcile")
        self.reconciliation: Reconciliation | None = None
        self._generation = 0
        self._explained = False

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        with Horizontal(id="reconcile-bar"):
            yield Label("Account ", classes="reconcile-label")
            yield Input("", id="reconcile-account", compact=True)
            yield Label(" Statement date ", classes="reconcile-label")
            yield Input("", id="reconcile-date", compact=True, placeholder="YYYY-MM-DD")
            yield Label(" Statement balance ", classes="reconcile-label")
            yield Input("", id="reconcile-balance", compact=True, placeholder="0.00")
        with Horizontal(id="reconcile-file-bar"):
            yield Label("Statement file (kept in documents/, optional) ", classes="reconcile-label")
            yield Input("", id="reconcile-file", compact=True, placeholder="~/Downloads/statement.pdf")
        yield Static("", id="reconcile-totals")
        yield RowList(COLUMNS, self.cells, id="reconcile-items")
        yield Static("", id="reconcile-explain")
        yield StatusLine(HINT, id="status")
        yield Footer()

    def on_mount(self) -> None:
        books = self.app.books
        today = self.app.today()
        due = due_month_end(today, today)
        if books is not None:
            accounts = accounts_to_reconcile(books, due) or books.bank_accounts(today)
            if accounts:
                self.query_one("#reconcile-account", Input).value = accounts[0]
        self.query_one("#reconcile-date", Input).value = due.isoformat()
        self.query_one("#reconcile-balance", Input).focus()

    def say(self, message: str, kind: str = "info") -> None:
        self.query_one(StatusLine).say(message, kind)

    # -- listing --------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "reconcile-file":
            self.query_one(RowList).focus()
            return
        self.action_list()

    def typed(self) -> tuple[str, dt.date, Decimal] | None:
        """The account, statement date and balance as typed (None, with the reason said, when not readable)."""
        books = self.app.books
        if books is None:
            self.say("The books are still loading.", "warning")
            return None
        account = self.query_one("#reconcile-account", Input).value.strip()
        try:
            day = parse_date(self.query_one("#reconcile-date", Input).value, self.app.today(), "statement date")
            balance = parse_amount(self.query_one("#reconcile-balance", Input).value, books.currency, books.locale,
                                   allow_negative=True, allow_zero=True, field="statement balance")
        except FinsekError as error:
            self.say(error.message, "error")
            return None
        return account, day, balance

    def action_list(self) -> None:
        """List the account's items for the statement typed (in a worker: the entries may be read first)."""
        typed = self.typed()
        books = self.app.books
        if typed is None or books is None:
            return
        account, day, balance = typed
        today = self.app.today()
        self._generation += 1
        generation = self._generation
        self.say(f"Listing {account} …")

        def work() -> None:
            try:
                found = start_reconciliation(books, account, day, balance, today=today)
            except FinsekError as error:
                self.app.call_from_thread(self.failed, error.message, generation)
                return
            self.app.call_from_thread(self.show, found, generation)

        self.run_worker(work, thread=True, group="reconcile", name="list items", exit_on_error=False)

    def failed(self, message: str, generation: int) -> None:
        if generation != self._generation or not self.is_attached:
            return
        self.reconciliation = None
        self.query_one(RowList).show_rows([])
        self.query_one("#reconcile-totals", Static).update("")
        self.query_one("#reconcile-explain", Static).update("")
        self.say(message, "error")

    def show(self, found: Reconciliation, generation: int) -> None:
        if generation != self._generation or not self.is_attached:
            return
        before = self.reconciliation
        if before is not None and (before.account, before.statement_date) == (found.account, found.statement_date):
            found.mark_cleared(before.cleared)  # listed again (after booking a fee): the ticks stay
        self.reconciliation = found
        items = self.query_one(RowList)
        items.show_rows(found.items)
        self.update_totals()
        since = (f"since the reconciliation of {found.previous.statement_date.isoformat()}"
                 if found.previous is not None else
                 f"since {found.start.isoformat()}" if found.start is not None else "from the first entry")
        notes = " ".join(found.notes)
        self.say(printable(f"{len(found.items)} item(s) of {found.account} {since}. {notes}".strip()),
                 "warning" if found.notes else "info")
        if found.items:
            items.focus()

    def cells(self, item: Item) -> list[str]:
        found = self.reconciliation
        ticked = found is not None and found.is_ticked(found.number_of(item))
        money = found.money(item.amount) if found is not None else str(item.amount)
        return ["✓" if ticked else " ", item.date.isoformat(), item.check, item.text, money.rsplit(" ", 1)[0],
                item.ref]

    def update_totals(self) -> None:
        found = self.reconciliation
        totals = self.query_one("#reconcile-totals", Static)
        if found is None:
            totals.update("")
            return
        money = found.money
        outstanding = len(found.items) - found.ticked_count
        state = "zero: F2 finishes" if found.difference == 0 else "not zero"
        totals.update(printable(
            f"Statement {money(found.statement_balance)}   Cleared {money(found.cleared_balance)}   "
            f"Difference {money(found.difference)} ({state})\n"
            f"Books {money(found.books_balance)}   Outstanding {outstanding} item(s), "
            f"{money(found.outstanding_total)}"))
        zero = found.difference == 0
        if totals.has_class("reconcile-zero") != zero:
            totals.set_class(zero, "reconcile-zero")
        if self._explained:
            self._explained = False
            self.query_one("#reconcile-explain", Static).update("")

    def on_input_changed(self, event: Input.Changed) -> None:
        """A new statement balance changes the difference at once (no listing again)."""
        found, books = self.reconciliation, self.app.books
        if event.input.id != "reconcile-balance" or found is None or books is None:
            return
        try:
            found.statement_balance = parse_amount(event.value, books.currency, books.locale, allow_negative=True,
                                                   allow_zero=True, field="statement balance")
        except FinsekError:
            return
        self.update_totals()

    # -- ticking ----------------------------------------------------------------------------------

    def action_toggle(self) -> None:
        found = self.reconciliation
        items = self.query_one(RowList)
        if found is None or not found.items:
            self.say("List the items first: type the statement's date and balance, then enter.", "warning")
            return
        found.toggle(items.cursor)
        items.refresh()
        self.update_totals()
        if items.cursor < len(found.items) - 1:
            items.cursor += 1

    def on_row_list_chosen(self, event: RowList.Chosen) -> None:
        event.stop()
        self.action_toggle()

    def action_tick_all(self) -> None:
        found = self.reconciliation
        if found is None:
            return
        found.tick_all()
        self.query_one(RowList).refresh()
        self.update_totals()

    def action_untick_all(self) -> None:
        found = self.reconciliation
        if found is None:
            return
        for number in range(len(found.items)):
            found.untick(number)
        self.query_one(RowList).refresh()
        self.update_totals()

    # -- finishing --------------------------------------------------------------------------------

    def action_finish(self) -> None:
        found = self.reconciliation
        if found is None:
            self.say("List the items first: type the statement's date and balance, then enter.", "warning")
            return
        refusal = found.refusal()
        if refusal:
            first, _, rest = refusal.partition("\n")
            self.say(first, "error")
            self.query_one("#reconcile-explain", Static).update(printable(rest.strip()))
            self._explained = True
            return
        try:
            draft = found.finish_draft(statement_file=self.query_one("#reconcile-file", Input).value.strip() or None,
                                       entered_by=self.app.settings.entered_by,
                                       max_mb=self.app.settings.receipt_max_mb)
        except FinsekError as error:
            self.say(error.message, "error")
            return

        def job(ledger):
            return ledger.save(draft)

        def done(result) -> None:
            message = f"Saved the {draft.summary} ({result.file.name}, line {result.lineno})."
            self.reconciliation = None
            self.query_one(RowList).show_rows([])
            self.query_one("#reconcile-totals", Static).update("")
            self.say(message, "ok")
            self.app.tell(message, title="Reconciled")

        def failed(error: FinsekError) -> None:
            self.say(error.message, "error")

        self.say("Recording the reconciliation …")
        self.app.ledger_job(job, done, failed, name="reconcile")

    def action_back(self) -> None:
        self.app.pop_screen()
