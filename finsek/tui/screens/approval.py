"""The board's approval to take a designated fund below zero: asked before the save, recorded on the entry.

The write path refuses such a save (``OverdraftNeedsApproval``) until the
entry says who approved it; the payment and transfer forms then show this
dialog. Its answer is the approver's name, which the form writes as
``overdraft-approved-by`` and saves again; escape or Cancel saves nothing.
"""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from finsek.ledger.overdraft import OverdraftNeedsApproval
from finsek.tui.screens.typed import FinsekModalScreen


class ApprovalScreen(FinsekModalScreen[str | None]):
    """Who approved taking a designated fund below zero: a name (save with it) or None (do not save)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]  # noqa: RUF012
    DEFAULT_CSS = """
    ApprovalScreen #approval-row { height: 1; width: 100%; }
    ApprovalScreen #approval-row Label { width: auto; }
    ApprovalScreen #approver { width: 1fr; }
    """

    def __init__(self, refusal: OverdraftNeedsApproval, approver: str = ""):
        super().__init__(classes="confirm approval")
        self.refusal = refusal
        self.approver = approver

    def compose(self) -> ComposeResult:
        over = self.refusal.overdraft
        with Vertical(id="dialog"):
            yield Static(Content(f"Take the {over.title} below zero?"), id="question")
            yield Static(Content(self.refusal.message.split(" Spending beyond")[0].rstrip(".") + "."), id="detail")
            yield Static(Content(
                "Spending beyond a board-designated fund needs the board's approval. If it was given, say who "
                "approved it: finsek records it on the entry (overdraft-approved-by)."), id="where")
            with Horizontal(id="approval-row"):
                yield Label("Approved by ", classes="field-label")
                yield Input(self.approver, id="approver", placeholder="e.g. Church council, 2026-11-24",
                            compact=True)
            yield Static("", id="approval-error", classes="field-error")
            with Horizontal(id="buttons"):
                yield Button("Save with this approval", id="yes", variant="primary")
                yield Button("Cancel (escape)", id="no")

    def on_mount(self) -> None:
        self.query_one("#approver", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "yes":
            self._answer()
        else:
            self.dismiss(None)

    def _answer(self) -> None:
        name = self.query_one("#approver", Input).value.strip()
        if not name:
            error = self.query_one("#approval-error", Static)
            error.update(Content("Type who approved it (a person or the board, with the date of the decision)."))
            error.add_class("-shown")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
