"""What is wrong with donors.csv itself, with the line of each row, for ``finsek check`` and the audit.

The registry (``finsek.ledger.donors``) reads donors.csv leniently: a
duplicated id keeps its first row, an alias into nothing or in a circle
resolves as far as it can. Each of those is a fault a user must fix, or a
gift is credited to the wrong donor; this module finds them and names the
line numbers of the rows (as a text editor or spreadsheet counts them: the
header is line 1; a row with a line break inside a quoted field is numbered
by its first line).

Kept apart from the registry so that a fault report never changes how
donors.csv is read.
"""

import csv
import io
from pathlib import Path
from typing import NamedTuple

from finsek.ledger.donors import FILENAME


class DonorFault(NamedTuple):
    lineno: int  # the line of the row the fault is reported at
    message: str  # what is wrong and what to do, in one sentence


class _Row(NamedTuple):
    lineno: int
    id: str
    alias_of: str
    envelope: str


def registry_faults(ledger_dir: Path) -> list[DonorFault]:
    """The faults of ``ledger_dir``/donors.csv, in the order of its lines (empty when there is none or no file).

    Duplicate ids, an ``alias_of`` naming a missing id, itself or a circle,
    and an envelope number held by two donors who are not merged.
    """
    path = Path(ledger_dir) / FILENAME
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []  # the registry itself refuses these, with their own sentence
    try:
        rows = _rows(text)
    except csv.Error:
        return []
    faults: list[DonorFault] = []
    first: dict[str, _Row] = {}
    for row in rows:
        if row.id in first:
            faults.append(DonorFault(row.lineno, (
                f"Donor id {row.id} is on line {first[row.id].lineno} and again on line {row.lineno} of {FILENAME}; "
                f"finsek uses line {first[row.id].lineno} only: keep one row (merge the other into it).")))
        else:
            first[row.id] = row
    for row in first.values():
        if not row.alias_of:
            continue
        if row.alias_of == row.id:
            faults.append(DonorFault(row.lineno, (
                f"Donor {row.id} (line {row.lineno} of {FILENAME}) is marked as merged into itself: "
                "clear its alias_of column.")))
        elif row.alias_of not in first:
            faults.append(DonorFault(row.lineno, (
                f"Donor {row.id} (line {row.lineno} of {FILENAME}) is marked as merged into {row.alias_of}, "
                "which is not in the file: fix its alias_of column.")))
        else:
            chain = [row.id]
            current = row.alias_of
            while current in first and current not in chain:
                chain.append(current)
                current = first[current].alias_of
                if not current:
                    break
            if current and current in chain:
                lines = ", ".join(str(first[donor].lineno) for donor in chain)
                faults.append(DonorFault(row.lineno, (
                    f"Donor {row.id} is merged in a circle ({' → '.join([*chain, current])}; lines {lines} of "
                    f"{FILENAME}): clear alias_of on the donor that should remain.")))
    holders: dict[str, list[_Row]] = {}
    for row in first.values():
        if row.envelope and not row.alias_of:
            holders.setdefault(row.envelope, []).append(row)
    for envelope, held in holders.items():
        if len(held) > 1:
            named = ", ".join(f"{row.id} (line {row.lineno})" for row in held)
            faults.append(DonorFault(held[1].lineno, (
                f"Envelope number {envelope} belongs to {named} in {FILENAME}: give each donor their own.")))
    return sorted(faults)


def _rows(text: str) -> list[_Row]:
    """Each row with an id, its first line number, and its id, alias_of and envelope (columns found by name)."""
    handle = io.StringIO(text, newline="")
    reader = csv.reader(handle)
    header = next(reader, [])
    position = {name.strip(): index for index, name in enumerate(header)}  # the last of two same-named columns
    picks = [position.get(column) for column in ("id", "alias_of", "envelope")]
    if picks[0] is None:
        return []
    rows = []
    line = reader.line_num + 1  # the line the next row starts on
    for values in reader:
        start, line = line, reader.line_num + 1
        fields = ["" if at is None or at >= len(values) else values[at].strip() for at in picks]
        if fields[0]:
            rows.append(_Row(start, *fields))
    return rows
