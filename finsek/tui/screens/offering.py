"""Count the offering (``o``): two counters, the counted total, then one line per gift.

The grid is keyboard first: type the envelope number (or a name, ↓ Enter to
pick), Tab, the amount, Enter — the next line. Method is cash unless a check
number is typed (then check); fund is the general fund unless typed. Loose
cash is its own field, a line without donor. The running total and the
difference from the counted total stay visible under the grid; saving is
refused until they match. After saving, the count sheet can be written.
"""

import re

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Input, Static

from finsek.core.errors import Refused
from finsek.core.money import format_amount, parse_amount
from finsek.ledger.entries import (
    Draft,
    OfferingInput,
    OfferingLine,
    build_offering,
    offering_line_total,
)
from finsek.tui import bindings
from finsek.tui.screens.base import FieldSpec, FormScreen
from finsek.tui.screens.modals import ChoiceScreen
from finsek.tui.views.countsheet import write_count_sheet
from finsek.tui.views.lookup import (
    account_choices,
    donor_choices,
    fund_choices,
    method_choices,
    resolve_donor,
    resolve_method,
)
from finsek.tui.widgets import MoneyInput, PickerInput
from finsek.tui.widgets.status import update_text

COLUMNS = ("donor", "amount", "method", "check", "fund")
START_ROWS = 5
_LINE_REFUSAL = re.compile(r"^Gift line (\d+): (.*)$", re.DOTALL)
LINE_FIELDS = {"income account": "fund", "donor": "donor", "amount": "amount", "method": "method",
               "check": "check", "fund": "fund"}


class GridRow(Vertical):
    """One gift: donor, (donor's name), amount, method, check number, fund."""

    BINDINGS = bindings.GRID

    def __init__(self, number: int, screen: "OfferingScreen"):
        super().__init__(classes="grid-line", id=f"line-{number}")
        self.number = number
        self.form = screen

    def compose(self) -> ComposeResult:
        n = self.number
        with Horizontal(classes="grid-cells"):
            yield Static(f"{n:>3}", classes="cell-number")
            yield PickerInput(
                placeholder="env./name", choices=self.form.choices_for("donor"), id=f"l{n}-donor",
                compact=True, classes="cell-donor",
            )
            yield Static("", id=f"l{n}-who", classes="cell-who")
            yield MoneyInput(id=f"l{n}-amount", compact=True, classes="cell-amount")
            yield PickerInput(
                placeholder="cash", choices=method_choices(), id=f"l{n}-method", compact=True, classes="cell-method"
            )
            yield Input(placeholder="", id=f"l{n}-check", compact=True, classes="cell-check")
            yield PickerInput(
                placeholder=self.form.app.default_fund(), choices=self.form.choices_for("fund"), id=f"l{n}-fund",
                compact=True, classes="cell-fund",
            )
        yield Static("", id=f"l{n}-error", classes="field-error")

    def on_mount(self) -> None:
        self.cells = {column: self.query_one(f"#l{self.number}-{column}", Input) for column in COLUMNS}
        self.who_label = self.query_one(f"#l{self.number}-who", Static)
        self.error_line = self.query_one(f"#l{self.number}-error", Static)

    def cell(self, column: str) -> Input:
        cells = getattr(self, "cells", None)
        return cells[column] if cells else self.query_one(f"#l{self.number}-{column}", Input)

    def raw(self) -> dict[str, str]:
        try:
            return {column: self.cell(column).value for column in COLUMNS}
        except NoMatches:  # a line just added, not on the screen yet: still empty
            return dict.fromkeys(COLUMNS, "")

    def blank(self) -> bool:
        return not any(value.strip() for value in self.raw().values())

    async def action_grid_move(self, step: int) -> None:
        focused = self.app.focused
        column = str(getattr(focused, "id", "") or "").rpartition("-")[2] or "donor"
        await self.form.row_ready(self.number + step)
        self.form.move_to_row(self.number + step, column if column in COLUMNS else "donor")


class OfferingScreen(FormScreen):
    KIND = "offering"
    TITLE_TEXT = "Count the offering"
    INTRO = (
        "One line per gift: envelope no. or name, Tab, amount, Enter for the next line. "
        "A check number makes the method check; empty fund is the general fund."
    )
    BINDINGS = bindings.OFFERING
    FIRST_FOCUS = "counted_by"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]  # noqa: RUF012
    KEEP_AFTER_SAVE = ("date", "deposit_to")
    ALIASES = {  # noqa: RUF012
        "counters' names": "counted_by",
        "counted total": "total",
        "deposit account": "deposit_to",
        "entered-by name": "memo",
    }

    def __init__(self) -> None:
        super().__init__()
        self.row_count = 0
        self.mounting: dict = {}
        self.grid_rows: list[GridRow] = []
        self.current_lines: list[OfferingLine] = []
        self.row_map: list[int] = []  # builder line index → grid row number (0 = loose cash)
        self.total_typed = None

    def field_specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("date", "Date", "text", "YYYY-MM-DD, today or yesterday", "today"),
            FieldSpec("deposit_to", "Deposited to", "picker", "", self.default_deposit()),
            FieldSpec("memo", "Memo", "text", "empty: Sunday offering, counted by …"),
            FieldSpec("counted_by", "Counted by", "text", "both counters, e.g. A. Svensson, B. Jones"),
            FieldSpec("total", "Counted total", "money", "the total on the tally sheet"),
            FieldSpec("loose_cash", "Loose cash", "money", "cash not in envelopes (no donor)"),
        ]

    def choices_for(self, name: str):
        books = self.books
        if books is None:
            return []
        if name == "donor":
            return donor_choices(books)
        if name == "fund":
            return fund_choices(books)
        if name == "deposit_to":
            return account_choices(books, "Assets")
        return []

    def compose_fields(self) -> ComposeResult:
        yield from super().compose_fields()
        with Horizontal(classes="grid-header"):
            for title, css in (("#", "cell-number"), ("Donor", "cell-donor"), ("Name", "cell-who"),
                               ("Amount", "cell-amount"), ("Method", "cell-method"), ("Check no.", "cell-check"),
                               ("Fund", "cell-fund")):
                yield Static(title, classes=css)
        with Vertical(id="grid"):
            for _ in range(START_ROWS):
                self.row_count += 1
                row = GridRow(self.row_count, self)
                self.grid_rows.append(row)
                yield row

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if getattr(widget, "id", None) == "status":
                yield Static("", id="totals")
            yield widget

    def on_mount(self) -> None:
        self.totals_line = self.query_one("#totals", Static)  # FormScreen.on_mount runs next

    def _books_changed(self, version: int) -> None:
        super()._books_changed(version)
        for row in self.rows():
            row.cell("donor").set_choices(self.choices_for("donor"))
            row.cell("fund").set_choices(self.choices_for("fund"))

    # -- the grid ---------------------------------------------------------------

    def rows(self) -> list[GridRow]:
        return self.grid_rows

    def row(self, number: int) -> GridRow:
        return self.grid_rows[number - 1]

    def add_row(self):
        """Append an empty line; returns the row and the awaitable of its mounting."""
        self.row_count += 1
        row = GridRow(self.row_count, self)
        self.grid_rows.append(row)
        mounting = self.query_one("#grid").mount(row)
        self.mounting[self.row_count] = mounting
        return row, mounting

    async def row_ready(self, number: int) -> None:
        """Wait until a line added while typing is on the screen."""
        mounting = self.mounting.pop(number, None)
        if mounting is not None:
            await mounting

    async def action_add_row(self) -> None:
        row, _mounting = self.add_row()
        await self.row_ready(row.number)
        self.set_focus(row.cell("donor"))

    def action_clear_row(self) -> None:
        focused = self.app.focused
        for row in self.rows():
            if focused is not None and row in focused.ancestors:
                for column in COLUMNS:
                    row.cell(column).value = ""
                self.set_focus(row.cell("donor"))
                return
        self.status("Put the cursor on a gift line to clear it.", "warning")

    def move_to_row(self, number: int, column: str = "donor") -> None:
        if 1 <= number <= self.row_count:
            self.set_focus(self.row(number).cell(column))
            self.row(number).scroll_visible()

    async def enter_pressed(self, focused) -> None:
        name = str(getattr(focused, "id", "") or "")
        match = re.fullmatch(r"l(\d+)-\w+", name)
        if match is None:
            if name == "f-loose_cash":
                self.move_to_row(1)
            else:
                self.focus_next()
            return
        number = int(match.group(1))
        if number >= self.row_count:
            self.add_row()
        await self.row_ready(number + 1)
        self.move_to_row(number + 1)

    def field_changed(self, name: str, value: str) -> None:
        match = re.fullmatch(r"l(\d+)-(\w+)", name)
        if match is None or self.books is None:
            return
        number, column = int(match.group(1)), match.group(2)
        if column == "donor":
            donor = self.books.donors.get(resolve_donor(self.books, value))
            self.row(number).who_label.update(Content(donor.name if donor else ""), layout=False)
        elif column == "check":
            self.row(number).cell("method").placeholder = "check" if value.strip() else "cash"
        if number == self.row_count and value.strip():
            self.add_row()

    # -- building ---------------------------------------------------------------

    def lines(self) -> list[OfferingLine]:
        books = self.books
        lines: list[OfferingLine] = []
        self.row_map = []
        for row in self.rows():
            if row.blank():
                continue
            raw = row.raw()
            lines.append(
                OfferingLine(
                    amount=raw["amount"],
                    donor=resolve_donor(books, raw["donor"]),
                    method=resolve_method(raw["method"], raw["check"]),
                    check=raw["check"],
                    fund=raw["fund"],
                )
            )
            self.row_map.append(row.number)
        loose = self.input("loose_cash").value
        if loose.strip():
            lines.append(OfferingLine(amount=loose, method="cash"))
            self.row_map.append(0)
        return lines

    def offering_input(self, values: dict[str, str]) -> OfferingInput:
        self.current_lines = self.lines()
        return OfferingInput(
            date=values["date"],
            counted_by=values["counted_by"],
            total=values["total"],
            lines=self.current_lines,
            deposit_to=values["deposit_to"],
            memo=values["memo"],
            entered_by=self.app.settings.entered_by,
        )

    def build(self, values: dict[str, str]) -> Draft:
        offering = self.offering_input(values)
        if not offering.lines:
            raise Refused("Type the first gift on line 1 (or the loose cash): envelope or name, Tab, amount.", "lines")
        try:
            return build_offering(self.books, offering, today=self.app.today())
        except Refused as refusal:
            match = _LINE_REFUSAL.match(refusal.message)
            if match is None:
                raise
            index = int(match.group(1)) - 1
            number = self.row_map[index] if 0 <= index < len(self.row_map) else 0
            where = "Loose cash" if number == 0 else f"Line {number}"
            raise Refused(f"{where}: {match.group(2)}", f"line:{number}:{refusal.field}") from None

    def show_refusal(self, refusal: Refused, force: bool = False) -> None:
        if not force and refusal.field == "total" and refusal.message.startswith("The gifts add up"):
            refusal = Refused(refusal.message, None)  # the totals line shows it while typing
        super().show_refusal(refusal, force)
        field = refusal.field or ""
        if field.startswith("line:"):
            _, number, _column = field.split(":", 2)
            focused = self.app.focused
            typing_here = focused is not None and self.row(int(number)) in focused.ancestors if number != "0" else False
            if number != "0" and (force or not typing_here):
                self.show_error(self.row(int(number)).error_line, refusal.message)

    def refusal_status(self, refusal: Refused, force: bool, by_field: bool) -> tuple[str, str]:
        if not force and refusal.message.startswith("The gifts add up"):
            return "Type the gifts, one per line; ctrl+s saves once the difference is 0.00.", "info"
        if not force and (refusal.field or "").startswith("line:"):
            return refusal.message, "warning"
        return super().refusal_status(refusal, force, by_field)

    def field_for(self, refused_field: str | None) -> str | None:
        if refused_field and refused_field.startswith("line:0:"):
            return "loose_cash"
        return super().field_for(refused_field)

    def focus_field(self, refused_field: str | None) -> None:
        if refused_field and refused_field.startswith("line:"):
            _, number, column = refused_field.split(":", 2)
            if number != "0":
                self.move_to_row(int(number), LINE_FIELDS.get(column, "amount"))
                return
        super().focus_field(refused_field)

    def after_validate(self) -> None:
        books = self.books
        totals = self.totals_line
        if books is None:
            totals.update("")
            return
        running = offering_line_total(books, self.current_lines)
        money = lambda amount: format_amount(amount, None, books.locale)  # noqa: E731
        try:
            counted = parse_amount(self.input("total").value, books.currency, books.locale)
        except Refused:
            counted = None
        gifts = sum(1 for number in self.row_map if number)
        loose = " + loose cash" if 0 in self.row_map else ""
        parts = [f"{gifts} gift{'s' if gifts != 1 else ''}{loose}", f"total {money(running)}"]
        if counted is None:
            parts.append("counted: type the counted total")
            kind = "-pending"
        else:
            difference = counted - running
            parts.append(f"counted {money(counted)}")
            if difference == 0:
                parts.append("difference 0.00 ✓")
                kind = "-good"
            else:
                side = "still to enter" if difference > 0 else "too much"
                parts.append(f"difference {money(abs(difference))} {side}")
                kind = "-bad"
        update_text(totals, "  ·  ".join(parts))
        for name in ("-pending", "-good", "-bad"):
            totals.set_class(name == kind, name)

    # -- after saving: the count sheet --------------------------------------------

    def after_save(self, result, message: str) -> None:
        draft = result.draft

        def answered(choice: str | None) -> None:
            if choice in ("txt", "html") and self.books is not None:
                try:
                    path = write_count_sheet(self.books, draft, choice)
                except OSError as error:
                    self.app.tell(f"The count sheet could not be written: {error}", severity="error")
                else:
                    self.app.tell(f"Count sheet written to {path}", title="Count sheet")
            self.app.pop_screen()

        self.app.push_screen(
            ChoiceScreen(
                f"{message}\n\nWrite the count sheet for the counters to sign and keep with the deposit slip?",
                [("txt", "Text file", "t"), ("html", "HTML page", "h"), ("no", "Not now", "n")],
            ),
            answered,
        )
