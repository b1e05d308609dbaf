"""Which platform wrote an export (from its headings, or as the user says), and reading it into the model."""

from pathlib import Path

from finsek.core.errors import Refused
from finsek.imports.platforms import churchgiving, generic, paypal, stripe, swish
from finsek.imports.platforms.model import PlatformFile
from finsek.imports.platforms.table import Row, read_rows

SOURCES = ("paypal", "stripe", "tithely", "planningcenter", "vanco", "swish", "generic")
_CHURCH = {columns.name: columns for columns in churchgiving.ALL}


def recognise(headings: list[str]) -> str:
    """The platform whose signature columns the headings hold; ``generic`` when none does."""
    present = set(headings)
    if present >= paypal.SIGNATURE:
        return "paypal"
    if present >= stripe.SIGNATURE or present >= stripe.BALANCE_SIGNATURE:
        return "stripe"
    for columns in (churchgiving.PLANNING_CENTER, churchgiving.VANCO, churchgiving.TITHELY):
        if columns.signature <= present:
            return columns.name
    if present >= swish.SIGNATURE:
        return "swish"
    return "generic"


def layout_key(headings: list[str]) -> str:
    """What a described layout is remembered by: the file's headings."""
    return "|".join(headings)


def read_export(path: Path, source: str | None = None, described: dict[str, dict[str, str]] | None = None,
                columns: dict[str, str] | None = None) -> tuple[PlatformFile, str]:
    """The export at ``path`` in the one model, and its layout key.

    ``source`` names the platform when the headings do not; ``described``
    holds the column descriptions remembered by layout key (``--columns``).
    """
    headings, rows = read_rows(path)
    if not headings:
        raise Refused(f"{path} is empty: download the export again from the giving platform.")
    key = layout_key(headings)
    mapping = columns or (described or {}).get(key)
    platform = source or ("generic" if mapping else recognise(headings))
    if platform not in SOURCES:
        raise Refused(f"'{platform}' is not a giving platform finsek reads: use one of {', '.join(SOURCES)}.")
    return read_rows_as(platform, headings, rows, mapping, path), key


def read_rows_as(platform: str, headings: list[str], rows: list[Row], described: dict[str, str] | None,
                 path: Path) -> PlatformFile:
    if platform == "paypal":
        return paypal.read(rows)
    if platform == "stripe":
        return stripe.read_balance(rows) if set(headings) >= stripe.BALANCE_SIGNATURE else stripe.read(rows)
    if platform == "swish":
        return swish.read(rows)
    if platform in _CHURCH:
        return churchgiving.read(_CHURCH[platform], rows)
    columns = generic.columns_for(headings, described)
    lacking = generic.missing(columns)
    if lacking:
        raise Refused(
            f"finsek does not know the layout of {path.name} (its columns: {', '.join(headings)}); it needs the "
            f"{' and '.join(lacking)}. Say which columns they are once, for example "
            f"--columns \"date=Gift date,amount=Total,reference=Receipt no,name=Donor\"; finsek remembers it."
        )
    return generic.read(rows, columns)
