"""Add a new donor to the registry (``donors.csv``) from the gift form (ctrl+n).

The registry is written by ``finsek.ledger.donors.add_donor`` (locked,
atomic); the ledger itself is not touched. The new donor's id goes into the
gift's donor field.
"""

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from finsek.core.errors import FinsekError
from finsek.ledger.donor_match import PossibleDuplicate, describe
from finsek.ledger.donors import add_donor
from finsek.tui import bindings
from finsek.tui.screens.modals import ChoiceScreen
from finsek.tui.screens.typed import FinsekModalScreen

FIELDS = (
    ("name", "Name", "as on the giving statement, e.g. Anna Svensson"),
    ("envelope", "Envelope no.", "optional"),
    ("email", "Email", "optional"),
    ("address1", "Address", "optional, for the year's statement"),
    ("postal_code", "Postal code", "optional"),
    ("city", "City", "optional"),
)


def ask_duplicate(screen, duplicate: PossibleDuplicate, use, add_new, stay) -> None:
    """Ask whether the donor being added is one already there: ``use(donor)``, ``add_new()`` or ``stay()``."""
    first = duplicate.matches[0][0]

    def answered(answer: str | None) -> None:
        if answer == "use":
            use(first)
        elif answer == "new":
            add_new()
        else:
            stay()

    screen.app.push_screen(ChoiceScreen(
        f"{duplicate.found}\nUse {describe(first)}?",
        [("use", f"Use {first.id}", "u"), ("new", "No, a different person: add", "a"), ("back", "Back", "b")],
    ), answered)


class NewDonorScreen(FinsekModalScreen[str | None]):
    BINDINGS = bindings.NEW_DONOR

    def __init__(self, name: str = ""):
        super().__init__(classes="confirm new-donor")
        self.typed_name = name
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Add a new donor to donors.csv", id="question")
            for field, label, placeholder in FIELDS:
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label")
                    value = self.typed_name if field == "name" else ""
                    yield Input(value, placeholder=placeholder, id=f"d-{field}", compact=True)
            yield Static("", id="donor-status")
            with Horizontal(id="buttons"):
                yield Button("Add donor (ctrl+s)", id="add", variant="primary")
                yield Button("Cancel (escape)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#d-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add":
            self.action_add()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)

    def action_add(self, new: bool = False) -> None:
        app = self.app
        books = app.books
        if books is None or self.saving:
            return
        fields = {field: self.query_one(f"#d-{field}", Input).value for field, _label, _placeholder in FIELDS}
        self.saving = True
        self.say("Adding…", "info")

        def work() -> None:
            try:
                with app.ledger_lock:
                    change = add_donor(books.root, fields, new=new)
            except FinsekError as error:
                app.call_from_thread(self.failed, error)
            except OSError as error:
                app.call_from_thread(self.failed, FinsekError(f"donors.csv could not be written ({error})."))
            else:
                app.call_from_thread(self.added, change)

        self.run_worker(work, thread=True, group="donor", exit_on_error=False)

    def failed(self, error: FinsekError) -> None:
        self.saving = False
        if isinstance(error, PossibleDuplicate):
            self.say(error.found, "warning")
            ask_duplicate(self, error, lambda donor: self.dismiss(donor.id), lambda: self.action_add(new=True),
                          lambda: self.query_one("#d-name", Input).focus())
            return
        self.say(error.message, "error")
        field = getattr(error, "field", None)
        if field:
            for widget in self.query(f"#d-{field}"):
                widget.focus()

    def added(self, change) -> None:
        self.saving = False
        self.app.donor_added(change)
        self.dismiss(change.donor.id)

    def say(self, message: str, kind: str) -> None:
        status = self.query_one("#donor-status", Static)
        status.update(Content(message))
        status.set_class(kind == "error", "-error")
