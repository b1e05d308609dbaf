"""What every entry form shares: fields, validation as you type, the live preview, save and cancel.

A form lists its fields (``field_specs``) and turns their typed values into a
``Draft`` with a ledger builder (``build``). On every change the builder runs:
its ``Refused`` message appears by the field it names (once that field has
been touched) and in the status line; otherwise the preview shows the exact
Beancount text that ctrl+s will append, and under it the audit's warnings
about it (``finsek.audit.at_entry``: no approver above the threshold, a
donor's check twice, a likely duplicate, a fund it would take below zero),
which do not stop the save. A refused save keeps everything typed; a save
that would take a designated fund below zero asks who approved it
(``ApprovalScreen``) and saves again with that name. Saving runs in a thread
worker through ``Ledger.save``.
"""

from typing import ClassVar, NamedTuple

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Input, Label, Static

from finsek.audit.at_entry import entry_warnings
from finsek.core.errors import FinsekError, Refused
from finsek.core.money import format_amount
from finsek.ledger.books import Books
from finsek.ledger.entries import Draft, deposit_account
from finsek.ledger.ledger import SaveResult
from finsek.ledger.overdraft import OverdraftNeedsApproval, check_overdrafts
from finsek.ledger.validate import parse_draft
from finsek.tui import bindings
from finsek.tui.screens.approval import ApprovalScreen
from finsek.tui.screens.modals import ConfirmScreen
from finsek.tui.screens.typed import FinsekScreen
from finsek.tui.views.lookup import Choice
from finsek.tui.widgets import LedgerHeader, MoneyInput, PathSuggester, PickerInput, Preview, StatusLine

BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

#: How a warning that the write path will refuse the entry begins (a restricted fund below zero).
WILL_NOT_SAVE = "This will not be saved:"


class FieldSpec(NamedTuple):
    name: str
    label: str
    kind: str = "text"  # text, money, picker, path
    placeholder: str = ""
    value: str = ""


class FormScreen(FinsekScreen[None]):
    """Base class of the gift, offering, payment, transfer and balance forms."""

    BINDINGS = bindings.FORM
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    KIND = ""
    TITLE_TEXT = ""
    INTRO = ""
    #: Refused.field names from the builders → the form's field names.
    ALIASES: ClassVar[dict[str, str]] = {}
    #: Fields whose value stays after a save (the next entry is often on the same date).
    KEEP_AFTER_SAVE: ClassVar[tuple[str, ...]] = ("date",)
    FIRST_FOCUS = ""

    def __init__(self) -> None:
        super().__init__(classes=f"form form-{self.KIND}")
        self.specs: list[FieldSpec] = []
        self.initial: dict[str, str] = {}
        self.touched: set[str] = set()
        self.draft: Draft | None = None
        self.refusal: Refused | None = None
        self.saving = False
        self.last_result: SaveResult | None = None
        #: The message of the last save, kept in the status line until something new is typed.
        self.sticky = ""
        #: A refused save is on show: its message stays until something is typed.
        self.forced = False
        self.shown_errors: list = []
        #: The audit's warnings about the entry as typed (shown beside the preview; they do not stop a save).
        self.warnings: list[str] = []
        #: Who approved taking a designated fund below zero, once asked (the payment and transfer forms use it).
        self.overdraft_approver = ""

    # -- the books ------------------------------------------------------------

    @property
    def books(self) -> Books | None:
        return self.app.books

    def default_deposit(self) -> str:
        """The deposit account of these books (its ``deposit`` role), the form's default for where money went."""
        return deposit_account(self.books) if self.books is not None else ""

    # -- building the screen --------------------------------------------------

    def field_specs(self) -> list[FieldSpec]:
        raise NotImplementedError

    def choices_for(self, name: str) -> list[Choice]:
        return []

    def build(self, values: dict[str, str]) -> Draft:
        raise NotImplementedError

    def make_input(self, spec: FieldSpec) -> Input:
        options = {"id": f"f-{spec.name}", "compact": True, "placeholder": spec.placeholder}
        if spec.kind == "money":
            return MoneyInput(spec.value, **options)
        if spec.kind == "picker":
            choices = self.choices_for(spec.name)
            return PickerInput(spec.value, choices=choices, free_text=spec.name == "payee", **options)
        if spec.kind == "path":
            return Input(spec.value, suggester=PathSuggester(), **options)
        return Input(spec.value, **options)

    def field_row(self, spec: FieldSpec) -> Vertical:
        return Vertical(
            Horizontal(
                Label(spec.label, classes="field-label"),
                self.make_input(spec),
                Static("", id=f"hint-{spec.name}", classes="field-hint"),
                classes="field-row",
            ),
            Static("", id=f"err-{spec.name}", classes="field-error"),
            classes="field",
            id=f"field-{spec.name}",
        )

    def compose(self) -> ComposeResult:
        self.specs = self.field_specs()
        self.initial = {spec.name: spec.value for spec in self.specs}
        yield LedgerHeader()
        with Horizontal(id="form-body"):
            with VerticalScroll(id="form"):
                yield Static(Content(self.TITLE_TEXT), classes="form-title")
                if self.INTRO:
                    yield Static(Content(self.INTRO), classes="form-intro")
                yield from self.compose_fields()
            with Vertical(id="preview-pane"):
                yield Static("Will be added to the ledger:", classes="pane-title")
                with VerticalScroll(id="preview-scroll"):
                    yield Preview(id="preview")
                yield Static("", id="entry-warnings", classes="side-note")
                yield from self.compose_side()
        yield StatusLine("", id="status")
        yield Footer()

    def compose_fields(self) -> ComposeResult:
        for spec in self.specs:
            yield self.field_row(spec)

    def compose_side(self) -> ComposeResult:
        return
        yield

    def on_mount(self) -> None:
        self.inputs = {spec.name: self.query_one(f"#f-{spec.name}", Input) for spec in self.specs}
        self.preview = self.query_one(Preview)
        self.status_line = self.query_one("#status", StatusLine)
        self.watch(self.app, "books_version", self._books_changed, init=False)
        first = self.FIRST_FOCUS or (self.specs[0].name if self.specs else "")
        if first:
            self.inputs[first].focus()
        self.revalidate()

    def _books_changed(self, _version: int) -> None:
        for picker in self.query(PickerInput):
            name = str(picker.id).removeprefix("f-")
            picker.set_choices(self.choices_for(name))
        if not self.saving:
            self.revalidate()

    # -- values -----------------------------------------------------------------

    def input(self, name: str) -> Input:
        inputs = getattr(self, "inputs", None)
        return inputs[name] if inputs else self.query_one(f"#f-{name}", Input)

    def values(self) -> dict[str, str]:
        return {spec.name: self.input(spec.name).value for spec in self.specs}

    def set_value(self, name: str, value: str) -> None:
        self.input(name).value = value

    def dirty(self) -> bool:
        return any(value.strip() != self.initial.get(name, "").strip() for name, value in self.values().items())

    def field_for(self, refused_field: str | None) -> str | None:
        if not refused_field:
            return None
        name = self.ALIASES.get(refused_field, refused_field)
        return name if any(spec.name == name for spec in self.specs) else None

    # -- validating as you type ---------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        name = str(event.input.id or "").removeprefix("f-")
        if name in self.initial and event.value.strip() != self.initial.get(name, "").strip():
            self.touched.add(name)
        if self.touched:
            self.sticky = ""
        self.forced = False
        self.overdraft_approver = ""  # asked again for what is typed now
        self.field_changed(name, event.value)
        self.revalidate()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        name = str(event.input.id or "").removeprefix("f-")
        if self.forced:  # a refused save's message stays until something is typed
            return
        if name in self.initial and not self.saving and not self.sticky and self.app.screen is self:
            self.touched.add(name)
            self.revalidate()

    async def action_enter(self) -> None:
        focused = self.focused
        if isinstance(focused, PickerInput):
            if focused.take_choice():
                return
            focused.close()
        await self.enter_pressed(focused)

    async def enter_pressed(self, focused) -> None:
        """Enter moves on to the next field (the offering grid: to the next line)."""
        self.focus_next()

    def action_next_field(self) -> None:
        if isinstance(self.focused, PickerInput):
            self.focused.close()
        self.focus_next()

    def action_previous_field(self) -> None:
        if isinstance(self.focused, PickerInput):
            self.focused.close()
        self.focus_previous()

    def field_changed(self, name: str, value: str) -> None:
        """Hook for forms that fill other fields from one (a known payee, a donor's name)."""

    def revalidate(self) -> None:
        if not self.is_mounted:
            return
        preview = self.preview
        if self.books is None:
            preview.show_pending("The books are still loading…")
            self.status("The books are still loading…", "info")
            return
        try:
            draft = self.build(self.values())
        except FinsekError as error:
            self.draft = None
            self.show_warnings([])
            self.show_refusal(error if isinstance(error, Refused) else Refused(error.message))
            if self.sticky and not self.touched:
                self.status(self.sticky, "ok")
        else:
            self.draft = draft
            self.sticky = ""
            self.refusal = None
            self.clear_errors()
            preview.show_text(draft.text)
            warnings = self.warnings_for(draft)
            self.show_warnings(warnings)
            blocked = next((w for w in warnings if w.startswith(WILL_NOT_SAVE)), None)
            if blocked:
                self.status(blocked, "warning")
            elif warnings:
                plural = "s" if len(warnings) > 1 else ""
                self.status(f"Ready, with {len(warnings)} warning{plural} (under the entry): {draft.summary}. "
                            "ctrl+s saves it as it is, escape cancels.", "warning")
            else:
                self.status(f"Ready: {draft.summary}. Press ctrl+s to save, escape to cancel.", "ok")
        self.after_validate()

    def warnings_for(self, draft: Draft) -> list[str]:
        """What the audit would say about ``draft`` (``entry_warnings``), and a fund it would take below zero."""
        books = self.books
        if books is None:
            return []
        found = entry_warnings(books, draft)
        try:
            check_overdrafts(books, parse_draft(draft))
        except OverdraftNeedsApproval as needed:
            over = needed.overdraft
            money = format_amount(over.after, books.currency, books.locale)
            found.append(f"The {over.title} ({over.klass}) would go to {money}: saving asks who approved that.")
        except Refused as refusal:
            found.append(f"{WILL_NOT_SAVE} {refusal.message}")
        return found

    def show_warnings(self, warnings: list[str]) -> None:
        self.warnings = warnings
        widget = self.query_one("#entry-warnings", Static)
        text = "\n".join(f"⚠ {warning}" for warning in warnings)
        widget.update(Content(f"The audit would say:\n{text}" if warnings else ""))
        widget.set_class(bool(warnings), "-bad")

    def after_validate(self) -> None:
        """Hook: running totals, differences."""

    def clear_errors(self) -> None:
        for widget in self.shown_errors:
            if isinstance(widget, Static):
                widget.update("")
            widget.remove_class("-shown", "-invalid")
        self.shown_errors = []

    def show_error(self, widget: Static, message: str, field=None) -> None:
        widget.update(Content(message))
        widget.add_class("-shown")
        self.shown_errors.append(widget)
        if field is not None:
            field.add_class("-invalid")
            self.shown_errors.append(field)

    def show_refusal(self, refusal: Refused, force: bool = False) -> None:
        self.refusal = refusal
        self.forced = force
        self.clear_errors()
        name = self.field_for(refusal.field)
        by_field = name is not None and (force or name in self.touched)
        if by_field:
            self.show_error(self.query_one(f"#err-{name}", Static), refusal.message, self.query_one(f"#field-{name}"))
        self.preview.show_pending(
            "The entry appears here when the form is complete.\n\n" + refusal.message
        )
        self.status(*self.refusal_status(refusal, force, by_field))

    def refusal_status(self, refusal: Refused, force: bool, by_field: bool) -> tuple[str, str]:
        """The status line for a refusal: the message, and how loud."""
        return refusal.message, "error" if force or by_field else "warning"

    def status(self, message: str, kind: str = "info") -> None:
        status_line = getattr(self, "status_line", None) or self.query_one("#status", StatusLine)
        status_line.say(message, kind)

    # -- save and cancel ----------------------------------------------------------

    def action_save(self) -> None:
        if self.saving:
            return
        if self.books is None:
            self.status("The books are still loading: wait a moment, then save.", "warning")
            return
        try:
            draft = self.build(self.values())
        except FinsekError as error:
            refusal = error if isinstance(error, Refused) else Refused(error.message)
            self.show_refusal(refusal, force=True)
            self.focus_field(refusal.field)
            return
        self.saving = True
        self.status(f"Saving the {draft.summary}…", "info")
        self.app.save_draft(draft, self.saved, self.save_failed)

    def focus_field(self, refused_field: str | None) -> None:
        name = self.field_for(refused_field)
        if name is not None:
            self.set_focus(self.input(name))

    #: Whether the form's builder writes ``overdraft_approver`` (the payment and transfer forms).
    ASKS_OVERDRAFT = False

    def ask_overdraft_approval(self, needed: OverdraftNeedsApproval) -> None:
        """Ask who approved taking a designated fund below zero; save again with that name, or not at all."""
        self.status("The board's approval is needed: say who approved it, or cancel.", "warning")
        suggested = self.values().get("approved_by", "") or self.app.settings.entered_by

        def answered(name: str | None) -> None:
            if not name:
                self.status("Not saved: a designated fund cannot go below zero without an approval. Everything "
                            "you typed is still here.", "warning")
                return
            self.overdraft_approver = name
            self.action_save()

        self.app.push_screen(ApprovalScreen(needed, suggested), answered)

    def saved(self, result: SaveResult) -> None:
        self.saving = False
        self.overdraft_approver = ""
        self.last_result = result
        where = f"{result.file.name}, line {result.lineno}" if result.file else ""
        message = f"Saved the {result.draft.summary} ({where})."
        if result.note:
            message += " " + result.note
        self.app.tell(message, title="Saved")
        self.after_save(result, message)

    def after_save(self, result: SaveResult, message: str) -> None:
        self.reset_form()
        self.sticky = message + " Ready for the next one (escape goes back)."
        self.status(self.sticky, "ok")

    def reset_form(self) -> None:
        keep = set(self.KEEP_AFTER_SAVE)
        for spec in self.specs:
            if spec.name not in keep:
                self.set_value(spec.name, spec.value)
        self.initial = {spec.name: self.input(spec.name).value for spec in self.specs}
        self.touched.clear()
        self.revalidate()
        first = self.FIRST_FOCUS or self.specs[0].name
        self.set_focus(self.input(first))

    def save_failed(self, error: FinsekError) -> None:
        self.saving = False
        if isinstance(error, OverdraftNeedsApproval) and self.ASKS_OVERDRAFT and not self.overdraft_approver:
            self.ask_overdraft_approval(error)
            return
        refusal = error if isinstance(error, Refused) else Refused(error.message)
        self.show_refusal(refusal, force=True)
        self.status(f"Not saved: {error.message} Everything you typed is still here.", "error")
        self.focus_field(refusal.field)

    def action_cancel(self) -> None:
        if self.saving:
            return
        if not self.dirty():
            self.app.pop_screen()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmScreen("Leave this form? What you typed here will not be saved.", yes="Leave", no="Stay"),
            answered,
        )
