"""Donors (``d``): search as you type, a donor's giving history and pledges, add, edit, merge.

Names and addresses live in ``donors.csv`` only; this screen shows them, and
says so. Every change goes through ``finsek.ledger.donors`` (locked, atomic,
private file) in a thread worker; the ledger itself is never touched. After
a change the open books take the new registry (``app.registry_changed``)
without a reload. A donor's history (``donor_history``) is computed in a
worker too, since it reads every gift in the books.
"""

from decimal import Decimal

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, DataTable, Footer, Input, Label, Static
from textual.worker import get_current_worker

from finsek.core.errors import FinsekError, Refused
from finsek.core.money import format_amount
from finsek.giving.history import donor_history
from finsek.giving.wording import home_country
from finsek.ledger import donors as registry_api
from finsek.ledger.donor_match import PossibleDuplicate, describe, match_donor
from finsek.tui import bindings
from finsek.tui.screens.base import BREAKPOINTS
from finsek.tui.screens.donor import ask_duplicate
from finsek.tui.screens.modals import ConfirmScreen
from finsek.tui.screens.typed import FinsekModalScreen, FinsekScreen
from finsek.tui.views.lookup import donor_choices
from finsek.tui.widgets import LedgerHeader, PickerInput, StatusLine

PRIVACY = (
    "Private: donors' names, addresses and giving (from donors.csv). Keep this screen off shared screens "
    "and projectors; the ledger and the board report hold only ids."
)
#: Donors listed at most (the search narrows).
LIMIT = 300
#: The form's fields: (column, label, placeholder).
FIELDS = (
    ("name", "Name", "as on the giving statement"),
    ("household", "Household", "H0012, new for a new one, empty for none"),
    ("address1", "Address", "street; ⏎ separates lines"),
    ("address2", "Address line 2", "optional"),
    ("postal_code", "Postal code", ""),
    ("city", "City", "Springfield, IL — or Uppsala"),
    ("country", "Country", "empty: this ledger's country"),
    ("email", "E-mail", "for statements by e-mail"),
    ("envelope", "Envelope no.", "unique among donors"),
    ("notes", "Notes", "for the treasurer, never printed"),
    ("tax_id", "Tax id", "Sweden: personnummer (optional)"),
    ("phone", "Phone", "optional, never printed"),
)
LINE_BREAK = " ⏎ "
#: Years shown side by side in a donor's history (older years are in "All years").
YEARS_SHOWN = 3
GIFTS_SHOWN = 8


def shown_value(column: str, value: str) -> str:
    """A field as an input shows it: line breaks (address lines, notes) as ⏎."""
    return value.replace("\n", LINE_BREAK) if column in registry_api.MULTILINE else value


def stored_value(column: str, text: str) -> str:
    if column in registry_api.MULTILINE:
        return "\n".join(part.strip() for part in text.split("⏎"))
    return text


def progress_bar(given: Decimal, pledged: Decimal, width: int = 12) -> str:
    if pledged <= 0:
        return ""
    filled = min(width, int((given * width / pledged).to_integral_value()))
    return "█" * filled + "░" * (width - filled)


def history_renderable(books, history, locale: str):
    """Giving by year and fund, pledges with progress, the latest gifts (Rich, plain styles)."""
    money = lambda amount: format_amount(amount, None, locale)  # noqa: E731
    parts = []
    if not history.by_year:
        parts.append(Text("No gifts recorded.", style="italic"))
    else:
        # funds down, years across (the last three, and all years when there are more): narrow enough for 80 columns
        years = list(history.by_year)[-YEARS_SHOWN:]
        parts.append(Text(f"Giving by year and fund ({books.currency})", style="bold"))
        table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False, show_edge=False, header_style="bold")
        table.add_column("Fund", no_wrap=True, overflow="ellipsis", min_width=8, max_width=18)
        for year in years:
            table.add_column(str(year), justify="right", no_wrap=True, min_width=8)
        every = len(history.by_year) > len(years)
        if every:
            table.add_column("All years", justify="right", no_wrap=True, min_width=8)
        for position, fund in enumerate(history.funds):
            title = books.funds[fund].title if fund in books.funds else fund
            cells = [money(history.by_year[year].get(fund, Decimal(0))) for year in years]
            if every:
                cells.append(money(sum((funds.get(fund, Decimal(0)) for funds in history.by_year.values()),
                                       Decimal(0))))
            table.add_row(title, *cells, end_section=position == len(history.funds) - 1)
        totals = [Text(money(history.totals[year]), style="bold") for year in years]
        if every:
            totals.append(Text(money(history.grand_total), style="bold"))
        table.add_row(Text("Total", style="bold"), *totals)
        parts.append(table)
    if history.pledges:
        # one pledge in two lines (fund and period; bar and figures): fits a narrow pane
        pledges = Text("\nPledges", style="bold")
        for progress in history.pledges:
            fund = books.funds[progress.fund].title if progress.fund in books.funds else progress.fund
            pledge = progress.pledge
            label = f" ({pledge.label})" if pledge.label else ""
            done = f" {progress.percent}%" if progress.percent is not None else ""
            pledges.append(f"\n{fund}{label}, {pledge.start} to {pledge.end}")
            pledges.append(f"\n  {progress_bar(progress.given, progress.pledged)}{done}  ")
            pledges.append(f"{money(progress.given)} of {money(progress.pledged)} given, "
                           f"{money(progress.outstanding)} to go")
        parts.append(pledges)
    if history.gifts:
        latest = history.gifts[-GIFTS_SHOWN:][::-1]
        merged = any(gift.recorded_as != gift.donor for gift in latest)
        parts.append(Text(f"\nLatest gifts (of {len(history.gifts):,})", style="bold"))
        recent = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False, show_edge=False, header_style="bold")
        columns = [("Date", False), ("Fund", False), ("Method", False), ("Amount", True)]
        if merged:
            columns.append(("Recorded as", False))
        for title, right in columns:
            recent.add_column(title, justify="right" if right else "left", no_wrap=True)
        for gift in latest:
            method = gift.method + (f" {gift.check}" if gift.check else "")
            cells = [gift.date.isoformat(), gift.fund, method, money(gift.amount)]
            if merged:
                cells.append(gift.recorded_as if gift.recorded_as != gift.donor else "")
            recent.add_row(*cells)
        parts.append(recent)
    return Group(*parts)


def card_text(books, donor) -> str:
    registry = books.donors
    lines = [f"{donor.id}  {donor.name}"]
    if donor.alias_of:
        lines.append(f"Merged into {donor.alias_of}: its gifts count there.")
    if donor.household:
        members = registry.household_members(donor.household)
        names = ", ".join(f"{member.id} {member.name}" for member in members)
        lines.append(f"Household {donor.household}: {names}")
    address = donor.address_lines(home_country(books.locale))
    if address:
        lines.append("Address: " + ", ".join(address))
    for label, value in (("E-mail", donor.email), ("Phone", donor.phone), ("Envelope", donor.envelope),
                         ("Notes", " ".join(donor.notes.split()))):
        if value:
            lines.append(f"{label}: {value}")
    aliases = registry.aliases_of(donor.id)
    if aliases:
        lines.append("Merged into this donor: " + ", ".join(
            f"{alias} ({registry.get(alias).name})" for alias in aliases if registry.get(alias)))
    return "\n".join(lines)


class DonorsScreen(FinsekScreen[None]):
    BINDINGS = bindings.DONORS
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    INTRO = (
        "Type to search by name, envelope number, id, e-mail or address; ↓ goes to the list. The selected "
        "donor's giving by year and fund and pledge progress show beside it. a adds, e edits, m merges a "
        "duplicate into another donor (the ledger is never edited)."
    )

    def __init__(self) -> None:
        super().__init__(classes="donors")
        self.shown: list = []
        self.current_id: str | None = None
        self.history_for: tuple[int, str] | None = None
        self.history = None

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        yield Static(Content(PRIVACY), id="privacy")
        yield Input(placeholder="search: name, envelope no., id, e-mail, address (/)", id="donor-search",
                    compact=True)
        yield Static("", id="donor-count")
        with Horizontal(id="donors-body"):
            yield DataTable(id="donors-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="donor-detail"):
                yield Static("", id="donor-card")
                yield Static("", id="donor-history")
        yield StatusLine("Type to search · ↓ to the list · a add · e edit · m merge · escape goes back", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Id", width=6, key="id")
        table.add_column("Name", width=22, key="name")
        table.add_column("Env.", width=5, key="envelope")
        table.add_column("Household", width=9, key="household")
        table.add_column("City", width=12, key="city")
        self.watch(self.app, "books_version", lambda _v: self.search(keep=True), init=False)
        self.query_one("#donor-search", Input).focus()
        self.search()
        problems = self.app.books.donors.problems() if self.app.books else []
        notes = self.app.books.donors.column_notes if self.app.books else []
        if notes and not problems:
            self.say(notes[0], "warning")
        if problems:
            self.say(f"donors.csv has {len(problems)} problem{'s' if len(problems) != 1 else ''}: {problems[0]}",
                     "warning")

    def say(self, message: str, kind: str = "info") -> None:
        self.query_one(StatusLine).say(message, kind)

    # -- the list -------------------------------------------------------------------------

    def search(self, keep: bool = False, select: str | None = None) -> None:
        books = self.app.books
        if books is None:
            return
        text = self.query_one("#donor-search", Input).value
        found = books.donors.search(text)
        total = len(found)
        rows = found[:LIMIT]
        table = self.query_one(DataTable)
        wanted = select or (self.current_id if keep else None)
        table.clear()
        table.add_rows(
            (Text(donor.id), Text(donor.name), Text(donor.envelope), Text(donor.household), Text(donor.city))
            for donor in rows
        )
        self.shown = rows
        active = len(books.donors.active())
        if total > len(rows):
            note = f"{total:,} of {active:,} donors match; showing {len(rows):,}. Type more to narrow."
        else:
            note = f"{total:,} of {active:,} donors match." if text.strip() else f"{active:,} donors."
        self.query_one("#donor-count", Static).update(Content(note))
        position = next((i for i, donor in enumerate(rows) if donor.id == wanted), 0)
        if rows:
            table.move_cursor(row=position, animate=False)
        self.show_donor(rows[position] if rows else None, force=keep)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "donor-search":
            self.search()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_focus_list()

    def on_key(self, event) -> None:
        if event.key == "down" and self.focused is self.query_one("#donor-search", Input):
            event.stop()
            self.action_focus_list()

    def action_focus_list(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#donor-search", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    def selected(self):
        table = self.query_one(DataTable)
        row = table.cursor_row
        if not self.shown or row is None or not 0 <= row < len(self.shown):
            return None
        return self.shown[row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_donor(self.selected())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.query_one("#donor-detail").focus()

    # -- one donor --------------------------------------------------------------------------

    def show_donor(self, donor, force: bool = False) -> None:
        books = self.app.books
        card = self.query_one("#donor-card", Static)
        history = self.query_one("#donor-history", Static)
        if donor is None or books is None:
            self.current_id = None
            card.update(Content("No donor matches." if books is not None else "The books are still loading…"))
            history.update("")
            return
        key = (self.app.books_version, donor.id)
        if key == self.history_for and not force and self.current_id == donor.id:
            return
        self.current_id = donor.id
        card.update(Content(card_text(books, donor)))
        if key == self.history_for and self.history is not None:
            return
        self.history_for = key
        self.history = None
        history.update(Content("Adding up the giving…"))
        app = self.app
        today = app.today()

        def work() -> None:
            try:
                found = donor_history(books, donor.id, as_of=today)
            except FinsekError as error:
                if not get_current_worker().is_cancelled:
                    app.call_from_thread(self.history_failed, key, error.message)
                return
            if not get_current_worker().is_cancelled:
                app.call_from_thread(self.history_ready, key, found)

        self.run_worker(work, thread=True, group="donor-history", exclusive=True, name="donor history",
                        exit_on_error=False)

    def history_ready(self, key, history) -> None:
        if not self.is_attached or key != self.history_for:
            return
        self.history = history
        books = self.app.books
        self.query_one("#donor-history", Static).update(history_renderable(books, history, books.locale))

    def history_failed(self, key, message: str) -> None:
        if self.is_attached and key == self.history_for:
            self.query_one("#donor-history", Static).update(Content(message))

    # -- changes ------------------------------------------------------------------------------

    def changed(self, change) -> None:
        if change is None:
            return
        if isinstance(change, registry_api.Donor):  # "use D0001 …" instead of adding the same person again
            self.query_one("#donor-search", Input).value = ""
            self.search(select=change.id)
            self.say(f"Showing {describe(change)}, already in donors.csv.", "info")
            return
        self.app.registry_changed(change, "Donors")
        self.say(change.message, "ok")
        target = change.other.id if change.other is not None else change.donor.id
        self.search(keep=True, select=target)

    def action_add(self) -> None:
        if self.app.books is not None:
            self.app.push_screen(DonorFormScreen(None), self.changed)

    def action_edit(self) -> None:
        donor = self.selected()
        if donor is None:
            self.say("Choose a donor in the list first (↓ from the search).", "warning")
            return
        self.app.push_screen(DonorFormScreen(donor), self.changed)

    def action_merge(self) -> None:
        donor = self.selected()
        if donor is None:
            self.say("Choose the duplicate donor in the list first, then press m.", "warning")
            return
        self.app.push_screen(MergeScreen(donor), self.changed)


def registry_job(screen, job, done, failed) -> None:
    """Run ``job(root)`` (a donors.csv change) in a thread worker, under the app's ledger lock."""
    app = screen.app
    root = app.books.root

    def work() -> None:
        try:
            with app.ledger_lock:
                change = job(root)
        except FinsekError as error:
            app.call_from_thread(failed, error)
        except OSError as error:
            app.call_from_thread(failed, FinsekError(f"donors.csv could not be written ({error.strerror or error})."))
        else:
            app.call_from_thread(done, change)

    screen.run_worker(work, thread=True, group="donor-write", name="donors.csv", exit_on_error=False)


class DonorFormScreen(FinsekModalScreen[registry_api.DonorChange | registry_api.Donor | None]):
    """Add a donor (``donor`` None) or edit one; messages appear by the field, as on the entry forms."""

    BINDINGS = bindings.DONOR_FORM

    def __init__(self, donor=None) -> None:
        super().__init__(classes="confirm donor-form")
        self.donor = donor
        self.initial = {column: shown_value(column, getattr(donor, column, "") if donor else "")
                        for column, _label, _placeholder in FIELDS}
        self.touched: set[str] = set()
        self.saving = False

    def compose(self) -> ComposeResult:
        title = f"Edit {self.donor.id} {self.donor.name}" if self.donor else "Add a donor to donors.csv"
        with Vertical(id="dialog"):
            yield Static(Content(title), id="question")
            with VerticalScroll(id="donor-fields"):
                for column, label, placeholder in FIELDS:
                    with Vertical(classes="field", id=f"field-{column}"):
                        with Horizontal(classes="field-row"):
                            yield Label(label, classes="field-label")
                            yield Input(self.initial[column], placeholder=placeholder, id=f"d-{column}",
                                        compact=True)
                        yield Static("", id=f"err-{column}", classes="field-error")
            yield Static("", id="donor-status")
            with Horizontal(id="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (escape)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#d-name", Input).focus()

    def values(self) -> dict[str, str]:
        return {column: self.query_one(f"#d-{column}", Input).value for column, _label, _placeholder in FIELDS}

    def problems(self, values: dict[str, str]) -> dict[str, str]:
        """Plain-language problems by field (as donors.csv would refuse them). Editing, only what was
        changed is judged: a field saved long ago in a spreadsheet never blocks another correction."""
        found: dict[str, str] = {}
        for column, text in values.items():
            if self.donor is not None and text == self.initial[column] and column != "name":
                continue
            try:
                registry_api.clean_field(column, stored_value(column, text))
            except Refused as refusal:
                found[column] = refusal.message
        if not values["name"].strip():
            found.setdefault("name", "The name is empty: please fill it in.")
        books = self.app.books
        envelope = values["envelope"].strip()
        changed = self.donor is None or values["envelope"] != self.initial["envelope"]
        if books is not None and envelope and changed and not (self.donor and self.donor.alias_of):
            holder = books.donors.by_envelope.get(envelope)
            if holder is not None and (self.donor is None or holder.id != self.donor.id):
                found.setdefault("envelope", f"Envelope number {envelope} already belongs to {holder.id} "
                                             f"({holder.name}): choose another number.")
        return found

    def show_problems(self, force: bool = False) -> dict[str, str]:
        found = self.problems(self.values())
        for column, _label, _placeholder in FIELDS:
            message = found.get(column, "") if (force or column in self.touched) else ""
            error = self.query_one(f"#err-{column}", Static)
            error.update(Content(message))
            error.set_class(bool(message), "-shown")
            self.query_one(f"#field-{column}").set_class(bool(message), "-invalid")
        return found

    def on_input_changed(self, event: Input.Changed) -> None:
        column = str(event.input.id).removeprefix("d-")
        if event.value != self.initial.get(column, ""):
            self.touched.add(column)
        self.show_problems()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        if self.saving:
            return
        if not any(value != self.initial[column] for column, value in self.values().items()):
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Leave this form? What you typed here will not be saved.",
                                           yes="Leave", no="Stay"), answered)

    def action_save(self, new: bool = False) -> None:
        if self.saving or self.app.books is None:
            return
        found = self.show_problems(force=True)
        if found:
            column = next(column for column, _label, _placeholder in FIELDS if column in found)
            self.say(found[column], "error")
            self.query_one(f"#d-{column}", Input).focus()
            return
        values = self.values()
        if self.donor is None:
            fields = {column: stored_value(column, text) for column, text in values.items() if text.strip()}

            def job(root):
                return registry_api.add_donor(root, fields, new=new)
        else:
            changes = {column: stored_value(column, text) for column, text in values.items()
                       if text != self.initial[column]}
            if not changes:
                self.dismiss(None)
                return
            donor = self.donor

            def job(root):
                return registry_api.edit_donor(root, donor.id, changes, expect=donor)

        self.saving = True
        self.say("Saving…", "info")
        registry_job(self, job, self.saved, self.failed)

    def saved(self, change) -> None:
        self.saving = False
        self.dismiss(change)

    def failed(self, error: FinsekError) -> None:
        self.saving = False
        if isinstance(error, PossibleDuplicate):
            self.say(error.found, "info")
            ask_duplicate(self, error, self.dismiss, lambda: self.action_save(new=True),
                          lambda: self.query_one("#d-name", Input).focus())
            return
        field = getattr(error, "field", None)
        self.say(f"Not saved: {error.message} Everything you typed is still here.", "error")
        if field and self.query(f"#err-{field}"):
            widget = self.query_one(f"#err-{field}", Static)
            widget.update(Content(error.message))
            widget.add_class("-shown")
            self.query_one(f"#field-{field}").add_class("-invalid")
            self.query_one(f"#d-{field}", Input).focus()

    def say(self, message: str, kind: str) -> None:
        status = self.query_one("#donor-status", Static)
        status.update(Content(message))
        status.set_class(kind == "error", "-error")


class MergeScreen(FinsekModalScreen[registry_api.DonorChange | None]):
    """Merge a duplicate into another donor: pick the survivor, see what will happen, confirm."""

    BINDINGS = bindings.MERGE

    def __init__(self, duplicate) -> None:
        super().__init__(classes="confirm merge")
        self.duplicate = duplicate
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(f"Merge {self.duplicate.id} {self.duplicate.name} into another donor"),
                         id="question")
            yield Static(Content(
                f"Use this when {self.duplicate.id} is a duplicate. Its row stays in donors.csv, marked as merged, "
                "so gifts already recorded under it count for the donor you choose; the ledger is not changed."
            ), id="merge-intro")
            with Vertical(classes="field", id="field-into"):
                with Horizontal(classes="field-row"):
                    yield Label("Merge into", classes="field-label")
                    yield PickerInput(placeholder="name, envelope no. or id", id="merge-into", compact=True,
                                      choices=donor_choices(self.app.books))
                yield Static("", id="err-into", classes="field-error")
            with Horizontal(id="buttons"):
                yield Button("Merge… (ctrl+s)", id="merge", variant="primary")
                yield Button("Cancel (escape)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#merge-into", PickerInput).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_check()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "merge":
            self.action_check()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def show_error(self, message: str) -> None:
        error = self.query_one("#err-into", Static)
        error.update(Content(message))
        error.set_class(bool(message), "-shown")
        self.query_one("#field-into").set_class(bool(message), "-invalid")

    def action_check(self) -> None:
        if self.busy:
            return
        books = self.app.books
        typed = self.query_one("#merge-into", PickerInput).value.strip()
        if not typed:
            self.show_error("Type the donor to merge into: a name, an envelope number or an id.")
            return
        found = match_donor(books.donors, typed)
        if found.donor is None:
            self.show_error(found.message())
            return
        into = found.donor.id
        duplicate = self.duplicate.id
        self.busy = True
        self.show_error("")

        def job(root):
            return registry_api.merge_donors(root, duplicate, into, dry_run=True)

        registry_job(self, job, lambda change: self.checked(into, change), self.refused)

    def refused(self, error: FinsekError) -> None:
        self.busy = False
        self.show_error(error.message)

    def checked(self, into: str, preview) -> None:
        self.busy = False
        duplicate = self.duplicate.id

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            self.busy = True

            def job(root):
                return registry_api.merge_donors(root, duplicate, into)

            registry_job(self, job, self.merged, self.refused)

        self.app.push_screen(ConfirmScreen(f"Merge {duplicate} into {into}?", preview.message.replace(
            "Would merge", "This merges"), yes="Merge", no="Cancel"), answered)

    def merged(self, change) -> None:
        self.busy = False
        self.dismiss(change)
