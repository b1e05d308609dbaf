"""The one model every giving platform's export becomes."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

GIFT, REFUND, PAYOUT = "gift", "refund", "payout"
ZERO = Decimal(0)


@dataclass(frozen=True)
class PlatformLine:
    """One row of a platform's export that moves money.

    ``gross`` is what the giver gave (negative for a refund), ``fee`` what the
    platform kept (negative when a refund gives the fee back), ``net`` what
    reached the platform balance: ``gross - fee``. A payout's ``gross`` is
    the amount paid out to the bank (positive).
    """

    kind: str
    date: dt.date
    gross: Decimal
    fee: Decimal
    transaction_id: str
    line: int
    name: str = ""
    email: str = ""
    fund: str = ""
    message: str = ""
    refers_to: str = ""
    payout_id: str = ""
    phone: str = ""

    @property
    def net(self) -> Decimal:
        return self.gross - self.fee


@dataclass
class PlatformFile:
    """What one export holds: its platform, its money lines, and what was skipped or could not be read."""

    platform: str
    title: str
    lines: list[PlatformLine] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    currency: str = ""
