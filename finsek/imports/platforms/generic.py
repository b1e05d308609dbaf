"""Any other giving export: columns found by their usual names, or described once with ``--columns``.

Usual names (any case, English or Swedish): date/datum, name/namn/donor/giver,
email/e-post, amount/gross/belopp, fee/avgift, net/netto, fund/ändamål/
designation, reference/id/transaction id/referens, payout/batch. A layout
with other headings is described once (``date=Gift date,amount=Total,…``)
and remembered for files with the same headings.
"""

from collections.abc import Iterator

from finsek.imports.platforms.model import ZERO, PlatformLine
from finsek.imports.platforms.reading import Fields, gift_or_refund, read_file
from finsek.imports.platforms.table import Row, heading

NAME, TITLE = "generic", "online giving"
FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "datum", "gift date", "donation date", "transaction date"),
    "name": ("name", "namn", "donor", "donor name", "giver", "givare", "full name"),
    "email": ("email", "e-mail", "e-post", "email address", "epost"),
    "amount": ("amount", "gross", "belopp", "gift amount", "summa", "total"),
    "fee": ("fee", "fees", "avgift", "processing fee"),
    "net": ("net", "netto", "net amount"),
    "fund": ("fund", "ändamål", "designation", "category", "fond", "purpose"),
    "reference": ("reference", "id", "transaction id", "referens", "ref", "transaction"),
    "payout": ("payout", "payout id", "batch", "deposit"),
}
REQUIRED = ("date", "amount", "reference")


def columns_for(headings: list[str], described: dict[str, str] | None = None) -> dict[str, str]:
    """Each field's column among ``headings``: described ones first, then the usual names."""
    present = set(headings)
    chosen = {field: heading(column) for field, column in (described or {}).items() if heading(column) in present}
    for field, names in FIELDS.items():
        if field not in chosen:
            found = next((name for name in names if name in present), None)
            if found:
                chosen[field] = found
    return chosen


def missing(columns: dict[str, str]) -> list[str]:
    return [field for field in REQUIRED if field not in columns]


def reader(columns: dict[str, str]):
    def get(row: Row, field: str) -> str:
        return row.get(columns[field]) if field in columns else ""

    def lines(row: Row, fields: Fields) -> Iterator[PlatformLine | str]:
        gross = fields.amount(row, columns["amount"])
        fee = fields.amount(row, columns["fee"], default=ZERO) if "fee" in columns else (
            gross - fields.amount(row, columns["net"]) if "net" in columns and get(row, "net") else ZERO)
        reference = get(row, "reference")
        if not reference:
            raise ValueError(f"the {columns['reference']} (the platform's reference) is empty")
        yield PlatformLine(
            gift_or_refund(gross), date=fields.date(row, columns["date"]), gross=gross, fee=abs(fee),
            transaction_id=reference, line=row.line, name=get(row, "name"), email=get(row, "email"),
            fund=get(row, "fund"), payout_id=get(row, "payout"),
        )

    return lines


def read(rows: list[Row], columns: dict[str, str]):
    return read_file(NAME, TITLE, rows, reader(columns), (columns["date"],))
