"""The one-line header: organisation, ledger path, today's period."""

from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from textual import getters

    from finsek.tui.app import FinsekApp


class LedgerHeader(Static):
    """Shows what the app tells it in ``app.header_text()``; refreshed when the books change."""

    if TYPE_CHECKING:
        app = getters.app(FinsekApp)  # for the type checker only (finsek.tui.screens.typed says why)

    DEFAULT_CLASSES = "ledger-header"

    def on_mount(self) -> None:
        self.update_text()
        self.watch(self.app, "books_version", lambda _value: self.update_text(), init=False)

    def update_text(self) -> None:
        self.update(self.app.header_text())
