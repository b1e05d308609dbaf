"""Small screens over others: a yes/no question, the help listing, one entry's text."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, DataTable, Static

from finsek.tui import bindings
from finsek.tui.screens.typed import FinsekModalScreen


class ConfirmScreen(FinsekModalScreen[bool]):
    """A question answered with y / n (or the buttons); escape means no."""

    BINDINGS = bindings.CONFIRM

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No"):
        super().__init__(classes="confirm")
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(self.question), id="question")
            if self.detail:
                with VerticalScroll(id="detail-scroll"):
                    yield Static(Content(self.detail.rstrip("\n")), id="detail")
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ChoiceScreen(FinsekModalScreen[str]):
    """A question with several answers, each a button with its own key."""

    def __init__(self, question: str, answers: list[tuple[str, str, str]]):
        """``answers``: (value, label, key) triples; escape answers with the last value."""
        super().__init__(classes="confirm")
        self.question = question
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(self.question), id="question")
            with Horizontal(id="buttons"):
                for value, label, key in self.answers:
                    yield Button(f"{label} ({key})", id=f"answer-{value}")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event) -> None:
        for value, _label, key in self.answers:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return
        if event.key == "escape":
            event.stop()
            self.dismiss(self.answers[-1][0])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(str(event.button.id).removeprefix("answer-"))


class HelpScreen(FinsekModalScreen[None]):
    """Every key of the screen below, with the id to remap it in the settings file."""

    BINDINGS = bindings.HELP

    def __init__(self, title: str, active: dict[str, ActiveBinding], intro: str = ""):
        super().__init__(classes="help")
        self.title_text = title
        self.active = active
        self.intro = intro

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(f"Keys on this screen: {self.title_text}"), id="question")
            if self.intro:
                yield Static(Content(self.intro), id="help-intro")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                Content(
                    "Change a key in the settings file under [keymap], by its id, e.g.  gift = \"f2\".  "
                    "ctrl+p opens the command palette with every action. Press escape to close."
                ),
                id="help-footer",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Id (for the keymap)", "What it does")
        seen = set()
        rows = []
        for key, active in self.active.items():
            binding = active.binding
            if not binding.description or (binding.action, key) in seen:
                continue
            seen.add((binding.action, key))
            display = self.app.get_key_display(binding.__class__(key, binding.action, binding.description))
            rows.append((0 if binding.id else 1, display, binding.description, binding.id or ""))
        rows.sort(key=lambda row: row[0])
        for _, display, description, binding_id in rows:
            table.add_row(Text(display), Text(binding_id), Text(description))
        table.focus()

    def action_dismiss_help(self) -> None:
        self.dismiss(None)


class TextScreen(FinsekModalScreen[str | None]):
    """A read-only text (an entry's Beancount text, a list of problems) with its own keys."""

    BINDINGS = bindings.TEXT

    def __init__(self, title: str, text: str, where: str = ""):
        super().__init__(classes="text")
        self.title_text = title
        self.text = text
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(self.title_text), id="question")
            if self.where:
                yield Static(Content(self.where), id="where")
            with VerticalScroll(id="detail-scroll"):
                yield Static(Content(self.text.rstrip("\n")), id="detail")
            yield Static(Content("escape closes"), id="help-footer")

    def action_dismiss_text(self) -> None:
        self.dismiss(None)
