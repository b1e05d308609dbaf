"""The one-line header: organisation, ledger path, today's period."""

from textual.widgets import Static


class LedgerHeader(Static):
    """Shows what the app tells it in ``app.header_text()``; refreshed when the books change."""

    DEFAULT_CLASSES = "ledger-header"

    def on_mount(self) -> None:
        self.update_text()
        self.watch(self.app, "books_version", lambda _value: self.update_text(), init=False)

    def update_text(self) -> None:
        header_text = getattr(self.app, "header_text", None)
        self.update(header_text() if header_text else self.app.title)
