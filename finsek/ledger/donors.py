"""The donor registry, ``donors.csv`` beside the ledger.

Personal data lives here only: the ledger holds donor ids. A merged donor
keeps its row with ``alias_of`` naming the surviving id, so gifts recorded
under the old id count for the survivor without editing the ledger.

Reading is ``read_registry``. Changing the registry (``add_donor``,
``edit_donor``, ``merge_donors``, ``unmerge_donor``, ``set_household``)
happens under the ledger lock: the file is read again from disk, the change
is checked, and the whole file is replaced atomically (temp file, fsync,
rename) and kept private to its owner (mode 0600). Columns the treasurer
added by hand (a phone column, say) are kept as they are.

Text rules: every field is one line, except the address lines and the notes,
which may hold line breaks (a CSV file quotes them). Control characters are
refused everywhere.
"""

import contextlib
import csv
import io
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from finsek.core.errors import Refused
from finsek.core.text import check_one_alphabet, check_text
from finsek.ledger import donor_match
from finsek.ledger.files import file_stamp, write_atomically
from finsek.ledger.lock import ledger_lock
from finsek.ledger.names import fold

if TYPE_CHECKING:
    from finsek.ledger.books import Books
    from finsek.ledger.ledger import Ledger

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
    "tax_id",
    "phone",
)

FILENAME = "donors.csv"

#: Fields that may hold line breaks (kept as ``\n``); every other field is one line.
MULTILINE = ("address1", "address2", "notes")

#: What each column is called in messages.
LABELS = {
    "id": "donor id",
    "name": "name",
    "household": "household",
    "address1": "address line 1",
    "address2": "address line 2",
    "postal_code": "postal code",
    "city": "city",
    "country": "country",
    "email": "e-mail address",
    "envelope": "envelope number",
    "notes": "notes",
    "alias_of": "merged-into id",
    "tax_id": "tax id (personnummer)",
    "phone": "phone number",
}

#: Fields a person edits (``id`` and ``alias_of`` change only through add and merge).
EDITABLE = tuple(column for column in COLUMNS if column not in ("id", "alias_of"))

_MAX = {"name": 200, "household": 60, "notes": 2000, "email": 200, "envelope": 20, "tax_id": 40, "phone": 40}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

#: Countries whose addresses put the postal code after the city.
_CITY_FIRST = {"US", "USA", "UNITED STATES", "CA", "CANADA", "GB", "UK", "UNITED KINGDOM", "AU", "NZ", "IE"}
#: Other ways of writing a country code, so the home country is left off an address however it was typed.
_COUNTRY_NAMES = {
    "US": {"USA", "UNITED STATES", "UNITED STATES OF AMERICA", "U.S.A.", "U.S."},
    "SE": {"SWEDEN", "SVERIGE"},
    "GB": {"UK", "UNITED KINGDOM"},
}


def same_country(country: str, code: str) -> bool:
    """True when ``country`` as typed (``US``, ``usa``, ``Sverige``) names the country with ISO ``code``."""
    typed, code = country.strip().upper(), code.strip().upper()
    return bool(typed) and (typed == code or typed in _COUNTRY_NAMES.get(code, ()))


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
    tax_id: str = ""
    phone: str = ""

    def address_lines(self, home_country: str = "") -> list[str]:
        """The postal address as printed on an envelope (without the name).

        ``home_country`` (``US``, ``SE``) is left off; any other country is
        printed on the last line.
        """
        lines = [line.strip() for field in (self.address1, self.address2) for line in field.split("\n")]
        lines = [line for line in lines if line]
        country = self.country.strip()
        if country.upper() in _CITY_FIRST or (not country and home_country.upper() in _CITY_FIRST):
            place = " ".join(part for part in (self.city.strip(), self.postal_code.strip()) if part)
        else:
            place = " ".join(part for part in (self.postal_code.strip(), self.city.strip()) if part)
        if place:
            lines.append(place)
        if country and not same_country(country, home_country):
            lines.append(country)
        return lines


class DonorRegistry:
    """Donors by id, with alias resolution, households and envelope-number lookup."""

    def __init__(self, donors: list[Donor], path: Path | None = None, exists: bool = False):
        self.path = path
        self.exists = exists
        self.by_id: dict[str, Donor] = {}
        #: Ids that appear on more than one row (the first row wins).
        self.duplicates: list[str] = []
        #: Columns of the file finsek does not use, as one sentence each (``column_notes``).
        self.column_notes: list[str] = []
        for donor in donors:
            if donor.id in self.by_id:
                self.duplicates.append(donor.id)
                continue
            self.by_id[donor.id] = donor
        self.by_envelope = {d.envelope: d for d in self.by_id.values() if d.envelope and not d.alias_of}

    def __contains__(self, donor_id: str) -> bool:
        return donor_id in self.by_id

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self) -> Iterator[Donor]:
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

    # -- aliases and households ------------------------------------------------

    def aliases_of(self, donor_id: str) -> list[str]:
        """Ids merged into ``donor_id`` (directly or through a chain), in file order."""
        target = self.canonical(donor_id)
        return [other for other in self.by_id if other != target and self.canonical(other) == target]

    def ids_of(self, donor_id: str) -> list[str]:
        """The surviving id of ``donor_id`` and every id merged into it."""
        target = self.canonical(donor_id)
        return [target, *self.aliases_of(target)]

    def household_of(self, donor_id: str) -> str:
        """The household a donor (or alias) gives as: its ``household``, else its own surviving id."""
        canonical = self.canonical(donor_id)
        record = self.by_id.get(canonical)
        return (record.household.strip() or canonical) if record else canonical

    def household_members(self, key: str) -> list[Donor]:
        """Active donors of a household key (a household name, or a donor id without household)."""
        members = [donor for donor in self.active() if donor.household.strip() == key]
        if not members and key in self.by_id:
            record = self.by_id[self.canonical(key)]
            members = [record] if not record.alias_of else []
        return members

    def households(self) -> dict[str, list[Donor]]:
        found: dict[str, list[Donor]] = {}
        for donor in self.active():
            found.setdefault(donor.household.strip() or donor.id, []).append(donor)
        return found

    def next_household(self) -> str:
        numbers = [
            int(d.household[1:]) for d in self.by_id.values() if d.household[:1] == "H" and d.household[1:].isdigit()
        ]
        return f"H{(max(numbers) + 1) if numbers else 1:04d}"

    # -- looking people up -------------------------------------------------------

    def search(self, text: str, *, include_aliases: bool = False, limit: int | None = None) -> list[Donor]:
        """Donors matching ``text`` (``donor_match.search``: id, envelope, words anywhere, typos)."""
        return donor_match.search(self, text, include_aliases=include_aliases, limit=limit)

    def problems(self) -> list[str]:
        """What is wrong with the registry itself, as plain sentences (empty when all is well)."""
        found = [f"{donor_id} is on more than one row of {FILENAME}: keep one row." for donor_id in self.duplicates]
        for donor in self.by_id.values():
            if not donor.alias_of:
                continue
            if donor.alias_of not in self.by_id:
                found.append(
                    f"{donor.id} is marked as merged into {donor.alias_of}, which is not in {FILENAME}: "
                    f"fix its alias_of column."
                )
                continue
            seen = [donor.id]
            current = donor.alias_of
            while current in self.by_id and self.by_id[current].alias_of and current not in seen:
                seen.append(current)
                current = self.by_id[current].alias_of
            if current in seen:
                found.append(
                    f"{donor.id} is merged in a circle ({' → '.join([*seen, current])}): "
                    f"clear alias_of on the donor that should survive."
                )
        envelopes: dict[str, list[str]] = {}
        for donor in self.active():
            if donor.envelope:
                envelopes.setdefault(donor.envelope, []).append(donor.id)
        for envelope, ids in envelopes.items():
            if len(ids) > 1:
                found.append(f"Envelope number {envelope} belongs to {', '.join(ids)}: give each donor their own.")
        return found


def _open_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(f"{path} is not UTF-8 text: save it from your spreadsheet as 'CSV UTF-8'.") from None


def _parse(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of donors.csv text (rows without an id are dropped)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        names = column_names(list(reader.fieldnames or []))
        rows = []
        for row in reader:
            values = {names.get(key, key): (value or "") for key, value in row.items() if isinstance(key, str)}
            values["id"] = values.get("id", "").strip()
            if values["id"]:
                rows.append(values)
    except csv.Error as error:
        raise Refused(f"{FILENAME} is not a readable CSV file ({error}): fix it in a text editor.") from None
    return list(reader.fieldnames or []), rows


def _donor(row: Mapping[str, str]) -> Donor:
    donor = Donor(**{column: (row.get(column) or "").replace("\r\n", "\n") for column in COLUMNS})
    state = row.get(STATE) or ""
    return donor._replace(city=with_state(donor.city, state)) if state.strip() else donor


def read_registry(ledger_dir: Path) -> DonorRegistry:
    path = Path(ledger_dir) / FILENAME
    if not path.exists():
        return DonorRegistry([], path, exists=False)
    text = _open_text(path)
    registry = DonorRegistry(_read_donors(text), path, exists=True)
    registry.column_notes = column_notes(_header(text))
    return registry


def _read_donors(text: str) -> list[Donor]:
    """The donors of donors.csv text, as ``_donor(row)`` for each row of ``_parse``, read column by position
    (every app start reads it: thousands of rows should not cost a dict each)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        width = len(header)
        position = column_positions(header)
        picks = [position.get(column) for column in COLUMNS]
        state_at = position.get(STATE)
        id_at = picks[0]
        donors = []
        for row in reader:
            if id_at is None or id_at >= len(row) or not row[id_at].strip():
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            values = ["" if at is None else row[at] for at in picks]
            values[0] = values[0].strip()
            if state_at is not None and row[state_at].strip():
                values[COLUMNS.index("city")] = with_state(values[COLUMNS.index("city")], row[state_at])
            donors.append(Donor(*[value.replace("\r\n", "\n") if "\r" in value else value for value in values]))
    except csv.Error as error:
        raise Refused(f"{FILENAME} is not a readable CSV file ({error}): fix it in a text editor.") from None
    return donors


# -- columns as other programs name them -----------------------------------------------

#: A column finsek reads beside its own: a US state, added to the city (``Springfield, IL``).
STATE = "state"

#: Other names of finsek's columns, as spreadsheets, church software and people write them (English and
#: Swedish), compared in any case without accents, spaces or punctuation (``_column_key``).
COLUMN_NAMES = {
    "id": ("donorid", "donornumber", "donorno", "givarid", "givarnummer", "givarnr"),
    "name": ("fullname", "donorname", "namn", "fulltnamn"),
    "household": ("family", "familyid", "householdid", "hushall", "familj"),
    "address1": ("address", "street", "streetaddress", "addressline1", "address1", "addr1", "street1",
                 "mailingaddress", "gatuadress", "adress", "adressrad1", "utdelningsadress"),
    "address2": ("addressline2", "address2", "addr2", "street2", "co", "careof", "adressrad2"),
    "postal_code": ("postalcode", "postcode", "zip", "zipcode", "zippostalcode", "postnummer", "postnr"),
    "city": ("city", "town", "ort", "postort", "stad"),
    "country": ("country", "land"),
    "email": ("email", "emailaddress", "mail", "epost", "epostadress", "mejl", "mejladress"),
    "envelope": ("envelope", "envelopenumber", "envelopeno", "env", "envno", "kuvert", "kuvertnummer", "kuvertnr"),
    "notes": ("notes", "note", "comments", "comment", "anteckningar", "anteckning", "kommentar", "ovrigt"),
    "alias_of": ("aliasof", "mergedinto"),
    "tax_id": ("taxid", "tin", "ssn", "personnummer", "personnr", "orgnr", "organisationsnummer"),
    "phone": ("phone", "phonenumber", "telephone", "tel", "mobile", "cell", "cellphone", "telefon",
              "telefonnummer", "telnr", "mobil", "mobilnummer"),
    STATE: ("state", "stateprovince", "province", "region"),
}


def _column_key(name: str) -> str:
    """``E-mail address`` → ``emailaddress``; ``Gatuadress`` → ``gatuadress``."""
    return "".join(char for char in fold(name) if char.isalnum())


_COLUMN_KEYS = {key: column for column, keys in COLUMN_NAMES.items() for key in keys}
_COLUMN_KEYS.update({_column_key(column): column for column in COLUMNS})


def column_names(header: list[str]) -> dict[str, str]:
    """Which of finsek's columns each column of ``header`` holds (by its name as written); others are left out.

    A column named exactly as finsek names it wins; of two other names for one column the first does.
    """
    found: dict[str, str] = {}
    taken: set[str] = set()
    for name in header:
        if name in COLUMNS:
            found[name] = name
            taken.add(name)
    for name in header:
        column = _COLUMN_KEYS.get(_column_key(name))
        if name not in found and column is not None and column not in taken:
            found[name] = column
            taken.add(column)
    return found


def column_positions(header: list[str]) -> dict[str, int]:
    """finsek's columns (and ``state``) to their positions in ``header``; the last of two same-named columns,
    as ``csv.DictReader`` reads them."""
    names = column_names(header)
    return {names[name]: index for index, name in enumerate(header) if name in names}


def column_notes(header: list[str]) -> list[str]:
    """Sentences about columns: none of donor ids; columns finsek does not use (kept as they are, shown nowhere)."""
    names = column_names(header)
    notes = []
    if header and "id" not in names.values():
        notes.append(f"{FILENAME} has no column of donor ids, so finsek reads no donor from it: name the column "
                     "that holds the ids (such as D0042) 'id'.")
    ignored = [name for name in header if name.strip() and name not in names]
    listed = ", ".join(f"'{name}'" for name in ignored)
    if len(ignored) == 1:
        notes.append(f"{FILENAME} has a column finsek does not use: {listed}. It is kept as it is, but shown "
                     "nowhere: rename it to one of finsek's columns (such as notes or phone) to use it.")
    elif ignored:
        notes.append(f"{FILENAME} has columns finsek does not use: {listed}. They are kept as they are, but shown "
                     "nowhere: rename one to one of finsek's columns (such as notes or phone) to use it.")
    return notes


def with_state(city: str, state: str) -> str:
    """A city with its state, as an address prints it (``Springfield`` and ``IL`` → ``Springfield, IL``)."""
    state = state.strip()
    if not state or city.rstrip().upper().endswith(state.upper()):
        return city
    return f"{city.rstrip()}, {state}" if city.strip() else state


def _header(text: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return []


def header_line() -> str:
    return ",".join(COLUMNS) + "\n"


# -- checking what a person typed -------------------------------------------------


def clean_field(column: str, value: str) -> str:
    """One field as it will be stored, or ``Refused`` in plain words (its ``field`` is the column)."""
    try:
        return _clean_field(column, value)
    except Refused as refusal:
        raise Refused(refusal.message, column if column in LABELS else refusal.field) from None


def _clean_field(column: str, value: str) -> str:
    if column not in LABELS:
        raise Refused(f"There is no donor field called '{column}': use one of {', '.join(EDITABLE)}.")
    label = LABELS[column]
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    limit = _MAX.get(column, 200)
    if column in MULTILINE:
        lines = [check_text(line, label, max_length=limit) for line in text.split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        cleaned = "\n".join(lines)
        if len(cleaned) > limit:
            raise Refused(f"The {label} is {len(cleaned)} characters long: keep it under {limit}.", column)
        return cleaned
    cleaned = check_text(text, label, required=column == "name", max_length=limit)
    if column == "name":
        check_one_alphabet(cleaned, label)
    if column in ("id", "alias_of") and cleaned and not _ID.fullmatch(cleaned):
        raise Refused(
            f"'{cleaned}' cannot be a donor id: use letters, digits, '-', '_' or '.', such as D0042.", column
        )
    if column == "email" and cleaned and not _EMAIL.fullmatch(cleaned):
        raise Refused(f"'{cleaned}' does not look like an e-mail address: type it as name@example.org.", column)
    return cleaned


def clean_fields(values: Mapping[str, str]) -> dict[str, str]:
    return {column: clean_field(column, value) for column, value in values.items()}


# -- changing the registry ------------------------------------------------------------


class DonorChange(NamedTuple):
    """What a registry change did: the donor as saved, the new registry, and a sentence to show."""

    donor: Donor
    registry: DonorRegistry
    message: str
    saved: bool
    other: Donor | None = None


class _File:
    """donors.csv as rows, with any extra columns the treasurer added kept in place."""

    def __init__(self, root: Path):
        self.path = Path(root) / FILENAME
        if self.path.exists():
            self.header, self.rows = _parse(_open_text(self.path))
        else:
            self.header, self.rows = list(COLUMNS), []
        #: The file's column names to finsek's (rows are keyed by finsek's names, other columns by their own).
        self.names = column_names(self.header)
        #: False when the file is there but has no id column: through a link, finsek never writes over it.
        self.is_registry = not self.path.exists() or "id" in self.names.values()

    def registry(self) -> DonorRegistry:
        registry = DonorRegistry([_donor(row) for row in self.rows], self.path, exists=True)
        registry.column_notes = column_notes(self.header)
        return registry

    def row(self, donor_id: str) -> dict[str, str]:
        for row in self.rows:
            if row["id"] == donor_id:
                return row
        raise unknown_donor(donor_id)

    def blank_row(self) -> dict[str, str]:
        return {self.names.get(name, name): "" for name in self.header}

    def text(self) -> str:
        """The file: its own columns in their order and names, then any of finsek's it lacks that now hold data."""
        keys = [self.names.get(name, name) for name in self.header]
        added = [column for column in COLUMNS if column not in keys and any(row.get(column) for row in self.rows)]
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([*self.header, *added])
        for row in self.rows:
            writer.writerow([row.get(key, "") for key in [*keys, *added]])
        return buffer.getvalue()

    def save(self) -> None:
        if self.path.is_symlink() and not self.is_registry:  # a link planted to make finsek overwrite a file
            raise Refused(f"{FILENAME} is a link to {self.path.resolve()}, which is not a donor list (it has no id "
                          "column): nothing was written; replace the link with your donors.csv.")
        if self.path.exists() and (os.stat(self.path).st_mode & 0o077):
            os.chmod(self.path, 0o600)
        write_atomically(self.path, self.text().encode("utf-8"), mode=0o600)


def unknown_donor(donor_id: str) -> Refused:
    return Refused(
        f"There is no donor '{donor_id}' in {FILENAME}: check the id with 'finsek donor list'.", "donor"
    )


def _locked(root: Path) -> contextlib.AbstractContextManager[object]:
    return ledger_lock(Path(root))


def _check_envelope(registry: DonorRegistry, envelope: str, donor_id: str) -> None:
    if not envelope:
        return
    holder = registry.by_envelope.get(envelope)
    if holder is not None and holder.id != donor_id:
        raise Refused(
            f"Envelope number {envelope} already belongs to {holder.id} ({holder.name}): choose another number.",
            "envelope",
        )


def _household_value(registry: DonorRegistry, value: str) -> str:
    return registry.next_household() if value.strip().lower() == "new" else value


def add_donor(root: Path, fields: Mapping[str, str], *, dry_run: bool = False, new: bool = False) -> DonorChange:
    """Add a donor. ``fields`` maps column names to text; ``id`` is optional (next free ``D####``);
    ``household`` may be ``new`` for a fresh household id. A donor with the same name, e-mail or
    address as one already there is refused (``donor_match.PossibleDuplicate``) unless ``new``
    says this is a different person."""
    values = dict(fields)
    if values.get("alias_of"):
        raise Refused("A new donor cannot be merged yet: add the donor, then use 'finsek donor merge'.", "alias_of")
    values.pop("alias_of", None)
    cleaned = clean_fields(values)
    if not cleaned.get("name"):
        raise Refused("The name is empty: please fill it in.", "name")
    with _locked(root):
        store = _File(root)
        registry = store.registry()
        donor_id = cleaned.get("id") or registry.next_id()
        if donor_id in registry:
            taken = registry.by_id[donor_id]
            raise Refused(f"The id {donor_id} is already used by {taken.name}: leave the id empty for a new one.", "id")
        cleaned["id"] = donor_id
        if not new:
            duplicates = donor_match.possible_duplicates(registry, cleaned)
            if duplicates:
                raise donor_match.PossibleDuplicate(cleaned["name"], duplicates)
        if "household" in cleaned:
            cleaned["household"] = _household_value(registry, cleaned["household"])
        _check_envelope(registry, cleaned.get("envelope", ""), donor_id)
        row = store.blank_row()
        row.update(cleaned)
        donor = _donor(row)
        if not dry_run:
            store.rows.append(row)
            store.save()
            registry = store.registry()
    verb = "Would add" if dry_run else "Added"
    return DonorChange(donor, registry, f"{verb} {donor.id} {donor.name}.", saved=not dry_run)


def edit_donor(
    root: Path, donor_id: str, changes: Mapping[str, str], *, expect: Donor | None = None, dry_run: bool = False
) -> DonorChange:
    """Change fields of a donor. ``expect`` is the donor as the caller last saw it: when the row
    on disk differs (someone else saved meanwhile) the edit is refused instead of overwriting."""
    for column in changes:
        if column in ("id", "alias_of"):
            what = "An id never changes (the ledger uses it)" if column == "id" else "Merging is its own step"
            raise Refused(f"{what}: use 'finsek donor merge' to combine two donors.", column)
    cleaned = clean_fields(changes)
    if "name" in cleaned and not cleaned["name"]:
        raise Refused("The name is empty: please fill it in.", "name")
    with _locked(root):
        store = _File(root)
        registry = store.registry()
        row = store.row(donor_id)
        before = _donor(row)
        if expect is not None and before != expect:
            raise Refused(
                f"{donor_id} was changed by someone else since you opened it: open it again and redo your edit."
            )
        if "household" in cleaned:
            cleaned["household"] = _household_value(registry, cleaned["household"])
        if "envelope" in cleaned and not before.alias_of:
            _check_envelope(registry, cleaned["envelope"], donor_id)
        changed = [LABELS[column] for column, value in cleaned.items() if row.get(column, "") != value]
        if not dry_run:
            row.update(cleaned)
            if changed:
                store.save()
            registry = store.registry()
        donor = before._replace(**cleaned)
    if not changed:
        return DonorChange(donor, registry, f"Nothing to change for {donor_id} {donor.name}.", saved=False)
    verb = "Would change" if dry_run else "Changed"
    return DonorChange(donor, registry, f"{verb} {', '.join(changed)} of {donor_id} {donor.name}.", saved=not dry_run)


def merge_donors(root: Path, merged_id: str, into_id: str, *, dry_run: bool = False) -> DonorChange:
    """Merge ``merged_id`` into ``into_id``: the merged row stays, with ``alias_of`` set, so gifts the
    ledger records under either id count for the survivor. The ledger is never edited. Fields the
    survivor leaves empty are filled from the merged row; donors already merged into ``merged_id``
    now point at the survivor directly."""
    merged_id, into_id = (merged_id or "").strip(), (into_id or "").strip()
    if merged_id == into_id:
        raise Refused(f"{merged_id} cannot be merged into itself: name the donor it duplicates.")
    with _locked(root):
        store = _File(root)
        registry = store.registry()
        for donor_id in (merged_id, into_id):
            if donor_id not in registry:
                raise unknown_donor(donor_id)
        merged, survivor = registry.by_id[merged_id], registry.by_id[into_id]
        if survivor.alias_of:
            target = registry.canonical(into_id)
            hint = f"merge into {target} instead" if target != merged_id else f"unmerge {into_id} first"
            raise Refused(f"{into_id} is itself merged into {survivor.alias_of}: {hint}.")
        if merged.alias_of:
            raise Refused(
                f"{merged_id} is already merged into {merged.alias_of}: unmerge it first "
                f"('finsek donor edit {merged_id} --unmerge') to move it elsewhere."
            )
        merged_row, survivor_row = store.row(merged_id), store.row(into_id)
        filled = [
            column for column in EDITABLE
            if column not in ("name", "notes") and not survivor_row.get(column) and merged_row.get(column)
        ]
        repointed = [row["id"] for row in store.rows if row.get("alias_of") == merged_id]
        if not dry_run:
            for column in filled:
                survivor_row[column] = merged_row[column]
            note = f"Merged into {into_id}"
            if note not in merged_row.get("notes", ""):
                merged_row["notes"] = "\n".join(part for part in (merged_row.get("notes", ""), note) if part)
            merged_row["alias_of"] = into_id
            merged_row["envelope"] = ""
            for row in store.rows:
                if row.get("alias_of") == merged_id:
                    row["alias_of"] = into_id
            store.save()
            registry = store.registry()
    parts = [
        f"{'Would merge' if dry_run else 'Merged'} {merged_id} ({merged.name}) into {into_id} ({survivor.name}): "
        f"gifts recorded under {merged_id} now count for {into_id}; the ledger is unchanged."
    ]
    if filled:
        parts.append(f"Filled in from {merged_id}: {', '.join(LABELS[column] for column in filled)}.")
    if repointed:
        parts.append(f"Also moved to {into_id}: {', '.join(repointed)} (merged into {merged_id} before).")
    if merged.envelope and "envelope" not in filled:
        parts.append(f"Envelope number {merged.envelope} is free again.")
    result = registry.by_id[merged_id] if not dry_run else merged._replace(alias_of=into_id)
    return DonorChange(result, registry, " ".join(parts), saved=not dry_run, other=registry.get(into_id) or survivor)


def unmerge_donor(root: Path, donor_id: str, *, dry_run: bool = False) -> DonorChange:
    """Undo a merge: ``donor_id`` is a donor of its own again (its gifts count for it alone)."""
    with _locked(root):
        store = _File(root)
        row = store.row(donor_id)
        before = _donor(row)
        if not before.alias_of:
            raise Refused(f"{donor_id} is not merged into anyone: there is nothing to unmerge.")
        if not dry_run:
            row["alias_of"] = ""
            store.save()
        registry = store.registry()
    verb = "Would unmerge" if dry_run else "Unmerged"
    return DonorChange(
        before._replace(alias_of=""), registry,
        f"{verb} {donor_id} from {before.alias_of}: its gifts count for {donor_id} again.", saved=not dry_run,
    )


def set_household(root: Path, donor_ids: list[str], household: str, *, dry_run: bool = False) -> DonorChange:
    """Put donors in one household (``new`` for a fresh household id, empty to take them out)."""
    if not donor_ids:
        raise Refused("Name at least one donor to put in the household.")
    household = clean_field("household", household)
    with _locked(root):
        store = _File(root)
        registry = store.registry()
        household = _household_value(registry, household)
        rows = [store.row(donor_id) for donor_id in donor_ids]
        for row in rows:
            if row.get("alias_of"):
                raise Refused(f"{row['id']} is merged into {row['alias_of']}: put {row['alias_of']} in the household.")
        if not dry_run:
            for row in rows:
                row["household"] = household
            store.save()
            registry = store.registry()
    first = registry.get(donor_ids[0]) or _donor(rows[0])._replace(household=household)
    verb = "Would put" if dry_run else "Put"
    where = f"household {household}" if household else "no household"
    return DonorChange(first, registry, f"{verb} {', '.join(donor_ids)} in {where}.", saved=not dry_run)


def refresh_books(target: "Ledger | Books", registry: DonorRegistry) -> None:
    """Give an open ledger the registry a change just saved.

    ``target`` is a ``Ledger`` (preferred) or its ``Books``. Without this the
    next ledger save would take the new donors.csv for an edit behind
    finsek's back and reload everything.
    """
    if hasattr(target, "registry_changed"):
        target.registry_changed(registry)
        return
    target.donors = registry
    path = Path(target.root) / FILENAME
    target.files[path] = file_stamp(path)
