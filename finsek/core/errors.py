"""Errors finsek shows to people.

Every refusal carries one plain sentence that says what is wrong and what to
do. Code below the TUI and CLI raises ``Refused``; the faces print its message.
"""


class FinsekError(Exception):
    """Base class of the errors finsek reports to users."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class Refused(FinsekError):
    """A request that finsek will not carry out; nothing was changed."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class LedgerChanged(FinsekError):
    """The ledger file changed on disk after it was loaded."""


class LockBusy(FinsekError):
    """Another process holds the ledger lock."""
