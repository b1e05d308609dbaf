"""The donor registry: odd characters round-trip, writes are private and locked, merges never touch the ledger."""

import csv
import hashlib
import stat
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsek.core.errors import Refused
from finsek.core.text import check_one_alphabet
from finsek.ledger.donors import (
    COLUMNS,
    Donor,
    add_donor,
    edit_donor,
    header_line,
    merge_donors,
    read_registry,
    set_household,
    unmerge_donor,
)

from .conftest import DONORS, write_donors


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def ledger_digest(folder) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.beancount")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_odd_characters_read_exactly(church):
    registry = read_registry(church.parent)
    for row in DONORS:
        donor = registry.get(row["id"])
        assert donor == Donor(**{column: row.get(column, "") for column in COLUMNS})
    pat = registry.get("D0002")
    assert pat.name == 'Pat "Paddy" O\'Brien, Jr.'
    assert pat.address_lines("US") == [
        '12 Elm St, Building "C"', "Suite 4, rear entrance", "c/o Smith, Jones & Co.", "Boston, MA 02134",
    ]
    assert registry.get("D0001").address_lines("US") == ["Storgatan 1", "111 22 Uppsala", "SE"]
    assert registry.get("D0001").address_lines("SE") == ["Storgatan 1", "111 22 Uppsala"]


def test_a_write_round_trips_every_row_and_keeps_extra_columns(church):
    folder = church.parent
    path = folder / "donors.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*COLUMNS, "phone"], lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "phone": "+46 (0)18-12 34 56" if row["id"] == "D0001" else ""})
    path.chmod(0o644)
    before = read_registry(folder)
    change = edit_donor(folder, "D0006", {"email": "quiet@example.org"})
    assert change.saved and "e-mail address" in change.message
    after = read_registry(folder)
    assert mode(path) == 0o600
    for donor in before:
        expected = donor._replace(email="quiet@example.org") if donor.id == "D0006" else donor
        assert after.get(donor.id) == expected
    reread = {row["id"]: row for row in csv.DictReader(path.open(encoding="utf-8", newline=""))}
    assert reread["D0001"]["phone"] == "+46 (0)18-12 34 56"
    assert not list(folder.glob("*.finsek-tmp"))


def test_add_assigns_the_next_id_and_a_new_household(church):
    folder = church.parent
    change = add_donor(folder, {"name": "  Émile Zola ", "household": "new", "address1": "1 Rue\r\nBât. B",
                                "envelope": "120"})
    assert change.donor.id == "D0007" and change.donor.name == "Émile Zola"
    assert change.donor.household == "H0007"
    assert read_registry(folder).get("D0007").address1 == "1 Rue\nBât. B"
    assert mode(folder / "donors.csv") == 0o600
    dry = add_donor(folder, {"name": "Someone"}, dry_run=True)
    assert not dry.saved and "D0008" not in read_registry(folder)


@pytest.mark.parametrize("fields, words", [
    ({"name": ""}, "name is empty"),
    ({"name": "Two\nLines"}, "keep it on one line"),
    ({"name": "Bell\x07"}, "control character"),
    ({"name": "A", "address1": "ok\n\x1b[31m"}, "control character"),
    ({"name": "A", "email": "not an address"}, "e-mail"),
    ({"name": "A", "envelope": "101"}, "already belongs to D0001"),
    ({"name": "A", "id": "D0001"}, "already used"),
    ({"name": "A", "id": "bad id"}, "cannot be a donor id"),
    ({"name": "A", "alias_of": "D0001"}, "cannot be merged yet"),
    ({"name": "A", "colour": "red"}, "no donor field"),
])
def test_add_refuses_bad_input_in_plain_words(church, fields, words):
    before = (church.parent / "donors.csv").read_bytes()
    with pytest.raises(Refused) as caught:
        add_donor(church.parent, fields)
    assert words in caught.value.message
    assert caught.value.message.endswith(".")
    assert (church.parent / "donors.csv").read_bytes() == before


def test_edit_refusals(church):
    folder = church.parent
    with pytest.raises(Refused, match="no donor 'D0999'"):
        edit_donor(folder, "D0999", {"name": "X"})
    with pytest.raises(Refused, match="never changes"):
        edit_donor(folder, "D0001", {"id": "D0100"})
    with pytest.raises(Refused, match="Merging is its own step"):
        edit_donor(folder, "D0001", {"alias_of": "D0002"})
    seen = read_registry(folder).get("D0001")
    edit_donor(folder, "D0001", {"city": "Stockholm"})
    with pytest.raises(Refused, match="changed by someone else"):
        edit_donor(folder, "D0001", {"city": "Lund"}, expect=seen)
    assert edit_donor(folder, "D0001", {"city": "Stockholm"}).saved is False


def test_merge_makes_an_alias_and_never_edits_the_ledger(church):
    folder = church.parent
    before = ledger_digest(folder)
    change = merge_donors(folder, "D0003", "D0001")
    assert "ledger is unchanged" in change.message and "Envelope number 103 is free again" in change.message
    registry = read_registry(folder)
    assert registry.get("D0003").alias_of == "D0001"
    assert registry.get("D0003").envelope == ""
    assert registry.canonical("D0003") == "D0001"
    assert set(registry.ids_of("D0001")) == {"D0001", "D0003", "D0004"}
    assert ledger_digest(folder) == before
    # The survivor's empty fields were filled from the merged row; nothing else changed.
    assert registry.get("D0001").email == "anna@example.org"


def test_merge_moves_earlier_aliases_and_fills_empty_fields(church):
    folder = church.parent
    change = merge_donors(folder, "D0001", "D0006")
    registry = read_registry(folder)
    assert registry.get("D0004").alias_of == "D0006"
    assert "D0004" in change.message
    assert registry.get("D0006").email == "anna@example.org"
    assert registry.get("D0006").envelope == "101"


@pytest.mark.parametrize("merged, into, words", [
    ("D0001", "D0001", "cannot be merged into itself"),
    ("D0002", "D0004", "itself merged into D0001: merge into D0001 instead"),
    ("D0001", "D0004", "unmerge D0004 first"),
    ("D0004", "D0002", "already merged into D0001"),
    ("D0999", "D0001", "no donor 'D0999'"),
    ("D0001", "D0999", "no donor 'D0999'"),
])
def test_merge_refusals(church, merged, into, words):
    before = (church.parent / "donors.csv").read_bytes()
    with pytest.raises(Refused) as caught:
        merge_donors(church.parent, merged, into)
    assert words in caught.value.message
    assert (church.parent / "donors.csv").read_bytes() == before


def test_unmerge_and_households(church):
    folder = church.parent
    assert "count for D0004 again" in unmerge_donor(folder, "D0004").message
    assert read_registry(folder).canonical("D0004") == "D0004"
    with pytest.raises(Refused, match="not merged"):
        unmerge_donor(folder, "D0004")
    set_household(folder, ["D0002", "D0006"], "new")
    registry = read_registry(folder)
    assert registry.get("D0002").household == registry.get("D0006").household == "H0007"
    assert [d.id for d in registry.household_members("H0007")] == ["D0002", "D0006"]
    assert registry.household_of("D0005") == "D0005"


def test_cycles_are_reported_and_do_not_hang(tmp_path):
    rows = [dict(id="D1", name="One", alias_of="D2"), dict(id="D2", name="Two", alias_of="D1"),
            dict(id="D3", name="Three", alias_of="D9"), dict(id="D4", name="Four", envelope="7"),
            dict(id="D5", name="Five", envelope="7")]
    write_donors(tmp_path, rows)
    registry = read_registry(tmp_path)
    assert registry.canonical("D1") in ("D1", "D2")
    problems = " ".join(registry.problems())
    assert "in a circle" in problems and "D9" in problems and "Envelope number 7" in problems


def test_search_ignores_case_and_accents(church):
    registry = read_registry(church.parent)
    assert [d.id for d in registry.search("bjorn")] == ["D0003"]
    assert [d.id for d in registry.search("svensson")] == ["D0001", "D0003"]
    assert [d.id for d in registry.search("102")] == ["D0002"]
    assert [d.id for d in registry.search("d0005")] == ["D0005"]
    assert [d.id for d in registry.search("svensson", include_aliases=True)] == ["D0004", "D0001", "D0003"]
    assert registry.search("jones co") == [registry.get("D0002")]
    assert len(registry.search("")) == 5


def test_header_line_names_every_column():
    assert header_line().strip().split(",") == list(COLUMNS)


_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
    | st.sampled_from('",;\'\\'),
    min_size=1, max_size=30,
).map(str.strip).filter(bool)


def _one_alphabet(text: str) -> bool:
    try:
        check_one_alphabet(text, "name")
    except Refused:
        return False
    return True


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_LINE.filter(_one_alphabet), lines=st.lists(_LINE, min_size=1, max_size=3), city=_LINE,
       notes=st.lists(_LINE, max_size=2))
def test_any_printable_text_round_trips(tmp_path_factory, name, lines, city, notes):
    folder = tmp_path_factory.mktemp("donors")
    (folder / "donors.csv").write_text(header_line(), encoding="utf-8")
    fields = {"name": name, "address1": "\n".join(lines), "city": city, "notes": "\n".join(notes)}
    donor = add_donor(folder, fields).donor
    again = read_registry(folder).get(donor.id)
    assert again == donor
    assert (again.name, again.address1, again.city, again.notes) == (name, "\n".join(lines), city, "\n".join(notes))


def test_ids_accept_only_plain_characters(church):
    for bad in ('D"1', "D 1", "D\\1", "-D1"):
        with pytest.raises(Refused):
            add_donor(church.parent, {"name": "X", "id": bad})
    assert set(string.ascii_letters) <= set(string.printable)


def test_refresh_books_keeps_the_next_ledger_save_from_reloading(church, tmp_path):
    from finsek.ledger.donors import refresh_books
    from finsek.ledger.entries import GiftInput, build_gift
    from finsek.ledger.ledger import Ledger

    ledger = Ledger(church, state_dir=tmp_path / "state")
    books = ledger.books
    change = add_donor(church.parent, {"name": "New Giver"})
    assert books.changed_files()
    refresh_books(ledger, change.registry)
    assert not books.changed_files()
    assert change.donor.id in ledger.books.donors
    draft = build_gift(ledger.books, GiftInput(date="2025-12-01", amount="10", donor=change.donor.id, method="cash"))
    assert ledger.save(draft).reloaded is False


def test_refusals_name_the_column(church):
    with pytest.raises(Refused) as caught:
        add_donor(church.parent, {"name": "A", "address2": "x\x00y"})
    assert caught.value.field == "address2"
    with pytest.raises(Refused) as caught:
        add_donor(church.parent, {"name": "A\nB"})
    assert caught.value.field == "name"
