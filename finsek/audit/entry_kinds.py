"""What kind of entry is this? The rules are the ledger layer's (``finsek.ledger.kinds``), so that the write
path's warnings and the audit read entries the same way; this module keeps the audit's names for them."""

from finsek.ledger.kinds import (
    KINDS,
    OTHER_KINDS,
    REVERSES_KEY,
    TRANSACTION_KINDS,
    entry_kind,
    is_offering,
    is_reversal,
    transaction_kind,
)

__all__ = [
    "KINDS",
    "OTHER_KINDS",
    "REVERSES_KEY",
    "TRANSACTION_KINDS",
    "entry_kind",
    "is_offering",
    "is_reversal",
    "transaction_kind",
]
