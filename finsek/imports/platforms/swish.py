"""A Swedish bank's Swish report (Swish för företag, from the bank's web: CSV).

Columns (the banks name them alike): Datum (or Bokföringsdag,
Transaktionsdag), Tid, Referensnummer (or Swishreferens), Belopp,
Mobilnummer (or Avsändare, Betalarens nummer), Namn (or Betalarens namn,
Avsändarens namn), Meddelande. Amounts with a decimal comma; a negative
amount is a Swish refund (återbetalning). Swish money lands in the bank
account at once, with no fee per gift (the bank bills its fees apart).
"""

from collections.abc import Iterator

from finsek.imports.platforms.model import ZERO, PlatformLine
from finsek.imports.platforms.reading import Fields, gift_or_refund, read_file
from finsek.imports.platforms.table import Row

NAME, TITLE = "swish", "Swish"
SIGNATURE = frozenset({"belopp", "meddelande"})
DATE = ("datum", "bokföringsdag", "transaktionsdag", "bokforingsdag")


def lines(row: Row, fields: Fields) -> Iterator[PlatformLine | str]:
    gross = fields.amount(row, "belopp")
    reference = row.get("referensnummer", "swishreferens", "referens", "betalningsreferens")
    phone = row.get("mobilnummer", "avsändare", "betalarens nummer", "avsandare")
    if not reference:
        raise ValueError("the Swish reference (Referensnummer) is empty")
    yield PlatformLine(
        gift_or_refund(gross), date=fields.date(row, *DATE), gross=gross, fee=ZERO, transaction_id=reference,
        line=row.line, name=row.get("namn", "betalarens namn", "avsändarens namn", "avsandarens namn"),
        message=row.get("meddelande"), fund=row.get("meddelande"), phone=phone,
    )


def read(rows: list[Row]):
    return read_file(NAME, TITLE, rows, lines, DATE, day_first=False, decimal_comma=True)
