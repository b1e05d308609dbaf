"""Inputs for money, file paths, and things picked from a list (donors, funds, accounts, payees).

``PickerInput`` is an ``Input`` with a dropdown of matches under its row:
type any part of a name, envelope number or account, press ↓/↑ to choose and
Enter to take it (Enter takes the only match by itself); Enter without a
choice moves on as usual. The dropdown is
an ``OptionList`` mounted after the input's row, so it pushes the rows below
down instead of covering them, and mouse clicks pick too.
"""

import os
from collections.abc import Iterable
from pathlib import Path

from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from finsek.tui import bindings
from finsek.tui.views.lookup import Choice, rank_choices

MONEY_CHARACTERS = r"[0-9.,' \u00a0\u202f-]*"


class MoneyInput(Input):
    """An amount: digits and separators only (``1,234.50`` or ``1 234,50``)."""

    def __init__(self, value: str | None = None, placeholder: str = "0.00", **kwargs):
        super().__init__(value, placeholder, restrict=MONEY_CHARACTERS, **kwargs)


class PathSuggester(Suggester):
    """Completes a file path inline (→ takes the completion), folders first."""

    def __init__(self, base: Path | None = None):
        super().__init__(use_cache=False, case_sensitive=True)
        self.base = base

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = Path(os.path.expanduser(value))
        if not expanded.is_absolute() and self.base is not None:
            expanded = self.base / expanded
        if value.endswith(("/", os.sep)):
            folder, prefix = expanded, ""
        else:
            folder, prefix = expanded.parent, expanded.name
        try:
            names = sorted(
                (entry.name, entry.is_dir())
                for entry in os.scandir(folder)
                if entry.name.startswith(prefix) and not entry.name.startswith(".")
            )
        except OSError:
            return None
        if not names:
            return None
        names.sort(key=lambda item: (not item[1], item[0].casefold()))
        name, is_dir = names[0]
        rest = name[len(prefix) :] + ("/" if is_dir else "")
        return value + rest if rest else None


class Dropdown(OptionList):
    """The list of matches under a ``PickerInput``; it never takes the focus."""

    DEFAULT_CLASSES = "dropdown"

    def __init__(self, owner: "PickerInput"):
        super().__init__()
        self.owner = owner
        self.can_focus = False

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.owner.pick_index(event.option_index)
        self.owner.focus()


class PickerInput(Input):
    """An input that offers matching choices in a dropdown while typing."""

    BINDINGS = bindings.PICKER

    class Picked(Message):
        """A choice was taken from the dropdown."""

        def __init__(self, picker: "PickerInput", choice: Choice):
            super().__init__()
            self.picker = picker
            self.choice = choice

        @property
        def control(self) -> "PickerInput":
            return self.picker

    def __init__(self, value: str | None = None, placeholder: str = "", *, choices: Iterable[Choice] = (),
                 limit: int = 6, free_text: bool = False, **kwargs):
        super().__init__(value, placeholder, **kwargs)
        self.free_text = free_text  # a new value is as good as a listed one (a payee): Enter keeps what was typed
        self.choices: list[Choice] = choices if isinstance(choices, list) else list(choices)  # keeps DonorChoices
        self.limit = limit
        self.shown: list[Choice] = []
        self._quiet = False
        self.dropdown = Dropdown(self)

    def on_mount(self) -> None:
        self.dropdown.display = False
        row = self.parent
        host = row.parent if row is not None else None
        if host is not None:
            host.mount(self.dropdown, after=row)

    def set_choices(self, choices: Iterable[Choice]) -> None:
        self.choices = choices if isinstance(choices, list) else list(choices)

    @property
    def open(self) -> bool:
        return bool(self.dropdown.display and self.shown)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is not self:
            return
        if self._quiet:
            self._quiet = False
            self.close()
            return
        self.update_matches()

    def update_matches(self) -> None:
        value = self.value.strip()
        if not self.has_focus or not value:
            self.close()
            return
        matches = rank_choices(self.choices, value, self.limit)
        if not matches or (len(matches) == 1 and matches[0].value == value):
            self.close()
            return
        self.shown = matches
        self.dropdown.set_options([Option(choice.label) for choice in matches])
        self.dropdown.highlighted = None
        self.dropdown.display = True

    def close(self) -> None:
        self.shown = []
        if self.dropdown.display:
            self.dropdown.display = False

    def _on_blur(self, event) -> None:
        super()._on_blur(event)
        self.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick_move", "pick_close"):
            return self.open
        return super().check_action(action, parameters)

    def action_pick_move(self, step: int) -> None:
        count = len(self.shown)
        current = self.dropdown.highlighted
        if current is None:
            self.dropdown.highlighted = 0 if step > 0 else count - 1
        else:
            self.dropdown.highlighted = (current + step) % count

    def action_pick_close(self) -> None:
        self.close()

    def pick_index(self, index: int) -> None:
        if 0 <= index < len(self.shown):
            self.pick(self.shown[index])

    def pick(self, choice: Choice) -> None:
        if self.value != choice.value:
            self._quiet = True
            self.value = choice.value
        self.cursor_position = len(self.value)
        self.close()
        self.post_message(self.Picked(self, choice))

    def take_choice(self) -> bool:
        """Enter on the dropdown: take the highlighted match, or the only one. True if one was taken."""
        if not self.open:
            return False
        if self.dropdown.highlighted is not None:
            self.pick_index(self.dropdown.highlighted)
            return True
        if len(self.shown) == 1 and not self.free_text:
            self.pick_index(0)
            return True
        return False

    async def action_submit(self) -> None:
        if self.take_choice():
            return
        self.close()
        await super().action_submit()
