"""The donor registry, ``donors.csv`` beside the ledger.

Personal data lives here only: the ledger holds donor ids. A merged donor
keeps its row with ``alias_of`` naming the surviving id, so gifts recorded
under the old id count for the survivor without editing the ledger.
"""

import csv
from pathlib import Path
from typing import NamedTuple

COLUMNS = (
    "id",
    "name",
    "household",
    "address1",
    "address2",
    "postal_code",
    "city",
    "country",
    "email",
    "envelope",
    "notes",
    "alias_of",
)

FILENAME = "donors.csv"


class Donor(NamedTuple):
    id: str
    name: str
    household: str = ""
    address1: str = ""
    address2: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    envelope: str = ""
    notes: str = ""
    alias_of: str = ""


class DonorRegistry:
    """Donors by id, with alias resolution and envelope-number lookup."""

    def __init__(self, donors: list[Donor], path: Path | None = None, exists: bool = False):
        self.path = path
        self.exists = exists
        self.by_id = {donor.id: donor for donor in donors}
        self.by_envelope = {d.envelope: d for d in donors if d.envelope and not d.alias_of}

    def __contains__(self, donor_id: str) -> bool:
        return donor_id in self.by_id

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self):
        return iter(self.by_id.values())

    def get(self, donor_id: str) -> Donor | None:
        return self.by_id.get(donor_id)

    def canonical(self, donor_id: str) -> str:
        """Follow ``alias_of`` to the surviving donor id (cycles stop safely)."""
        seen = set()
        current = donor_id
        while current in self.by_id and self.by_id[current].alias_of and current not in seen:
            seen.add(current)
            current = self.by_id[current].alias_of
        return current

    def active(self) -> list[Donor]:
        return [donor for donor in self.by_id.values() if not donor.alias_of]

    def next_id(self) -> str:
        numbers = [int(d.id[1:]) for d in self.by_id.values() if d.id[:1] == "D" and d.id[1:].isdigit()]
        return f"D{(max(numbers) + 1) if numbers else 1:04d}"


def read_registry(ledger_dir: Path) -> DonorRegistry:
    path = Path(ledger_dir) / FILENAME
    if not path.exists():
        return DonorRegistry([], path, exists=False)
    donors = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            donor_id = (row.get("id") or "").strip()
            if not donor_id:
                continue
            values = {column: (row.get(column) or "") for column in COLUMNS}
            values["id"] = donor_id
            donors.append(Donor(**values))
    return DonorRegistry(donors, path, exists=True)


def header_line() -> str:
    return ",".join(COLUMNS) + "\n"
