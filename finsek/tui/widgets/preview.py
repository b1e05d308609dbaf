"""The exact Beancount text a form will append, shown live while typing."""

from textual.widgets import Static

from finsek.tui.widgets.status import update_text


class Preview(Static):
    """Plain text, never markup: what is shown is byte for byte what will be saved."""

    DEFAULT_CLASSES = "preview"

    def __init__(self, **kwargs):
        super().__init__("", **kwargs)
        self.text = ""
        self.pending = ""

    def show_text(self, text: str) -> None:
        if text == self.text and not self.pending:
            return
        self.text = text
        self.pending = ""
        self.remove_class("-pending")
        update_text(self, text.rstrip("\n"))

    def show_pending(self, message: str) -> None:
        if message == self.pending and not self.text:
            return
        self.text = ""
        self.pending = message
        self.add_class("-pending")
        update_text(self, message)
