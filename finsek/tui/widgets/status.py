"""A status line: one message, styled by what it is (info, ok, warning, error)."""

from textual.content import Content
from textual.widgets import Static

KINDS = ("info", "ok", "warning", "error")


def text_shape(widget: Static, text: str) -> tuple[int, ...]:
    """How many rows ``text`` takes in ``widget`` (roughly, by wrapping at its width)."""
    width = max(widget.size.width, 1)
    return tuple(max(1, -(-len(line) // width)) for line in text.split("\n"))


def update_text(widget: Static, text: str) -> None:
    """Update a text widget, asking for a (screen-wide, costly) layout only when its height may change.

    A keystroke in a long offering must not re-arrange hundreds of inputs.
    """
    shape = text_shape(widget, text)
    layout = shape != getattr(widget, "_finsek_shape", None)
    widget._finsek_shape = shape
    widget.update(Content(text), layout=layout)


class StatusLine(Static):
    DEFAULT_CLASSES = "status-line"

    def __init__(self, message: str = "", kind: str = "info", **kwargs):
        super().__init__(Content(message), **kwargs)
        self.message = message
        self.kind = kind
        self.add_class(f"-{kind}")

    def say(self, message: str, kind: str = "info") -> None:
        if message == self.message and kind == self.kind:
            return
        self.message = message
        for name in KINDS:
            self.set_class(name == kind, f"-{name}")
        self.kind = kind
        update_text(self, message)
