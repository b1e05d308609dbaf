"""donors.csv as other programs write it: column names mapped, unknown columns kept, no empty copy columns."""

import csv
import io

from finsek.cli.main import main
from finsek.giving.statements import build_statements
from finsek.ledger.books import load_books
from finsek.ledger.donors import add_donor, column_names, edit_donor, merge_donors, read_registry
from finsek.ledger.template import create_ledger
from tests.giving.conftest import TODAY, make_church

#: A registry exported by another program: its own headings, an ``address`` column, a state, extra columns.
OTHER = (
    "Donor ID,Full Name,Address,Address Line 2,ZIP,City,State,E-mail,Phone,Envelope No,Favourite hymn,Member since\n"
    'D0001,Erik Svensson,12 Elm St,Apt 3,62701,Springfield,IL,erik@example.org,555-0101,101,"Amazing Grace",2019\n'
    "D0002,Zoë Öberg,1 Quiet Lane,,62702,\"Springfield, IL\",IL,,,102,,2021\n"
)

SWEDISH = (
    "Id;Namn;Gatuadress;Postnummer;Ort;Land;E-post;Telefon;Kuvertnummer;Personnummer;Anteckningar\n"
    "D0001;Åsa Lindqvist;Storgatan 1;111 22;Uppsala;SE;asa@example.se;070-1234567;7;19800101-1234;körledare\n"
).replace(";", ",")


def rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_other_column_names_are_read_as_finseks(tmp_path):
    (tmp_path / "donors.csv").write_text(OTHER, encoding="utf-8")
    registry = read_registry(tmp_path)
    erik = registry.get("D0001")
    assert (erik.name, erik.address1, erik.address2, erik.postal_code, erik.email, erik.phone, erik.envelope) == (
        "Erik Svensson", "12 Elm St", "Apt 3", "62701", "erik@example.org", "555-0101", "101")
    assert erik.city == "Springfield, IL"  # the state column joins the city, as an address prints it
    assert registry.get("D0002").city == "Springfield, IL"  # not twice
    assert erik.address_lines("US") == ["12 Elm St", "Apt 3", "Springfield, IL 62701"]
    assert registry.column_notes == [
        "donors.csv has columns finsek does not use: 'Favourite hymn', 'Member since'. They are kept as they are, "
        "but shown nowhere: rename one to one of finsek's columns (such as notes or phone) to use it."]


def test_swedish_headings_in_any_case(tmp_path):
    (tmp_path / "donors.csv").write_text(SWEDISH, encoding="utf-8")
    registry = read_registry(tmp_path)
    asa = registry.get("D0001")
    assert (asa.name, asa.address1, asa.postal_code, asa.city, asa.country, asa.email, asa.phone, asa.envelope,
            asa.tax_id, asa.notes) == ("Åsa Lindqvist", "Storgatan 1", "111 22", "Uppsala", "SE", "asa@example.se",
                                       "070-1234567", "7", "19800101-1234", "körledare")
    assert registry.column_notes == []
    for header, column in (("STREET", "address1"), ("address line 1", "address1"), ("Postcode", "postal_code"),
                           ("Postal code", "postal_code"), ("zip code", "postal_code"), ("E-Mail Address", "email"),
                           ("Telephone", "phone"), ("Postort", "city"), ("c/o", "address2")):
        assert column_names(["id", header]) == {"id": "id", header: column}, header
    # finsek's own name wins over another name for the same column; the other is then unused
    assert column_names(["id", "address", "address1"]) == {"id": "id", "address1": "address1"}


def test_a_file_without_ids_says_so(tmp_path):
    (tmp_path / "donors.csv").write_text("Number,Name\n1,Anna\n", encoding="utf-8")
    notes = read_registry(tmp_path).column_notes
    assert notes[0].startswith("donors.csv has no column of donor ids") and "'Number'" in notes[1]


def test_a_rewrite_keeps_the_file_as_it_was_written(tmp_path):
    (tmp_path / "donors.csv").write_text(OTHER, encoding="utf-8")
    before = rows(tmp_path / "donors.csv")
    change = edit_donor(tmp_path, "D0002", {"address1": "2 Quiet Lane", "email": "zoe@example.org"})
    assert change.saved and "'Favourite hymn'" in change.registry.column_notes[0]
    after = rows(tmp_path / "donors.csv")
    assert after[0] == before[0]  # the same columns, in the same order, no empty address1 beside Address
    assert after[1] == before[1]
    assert after[2][2] == "2 Quiet Lane" and after[2][7] == "zoe@example.org" and after[2][11] == "2021"
    assert after[2][5] == "Springfield, IL"  # the city was not edited: as it was
    added = add_donor(tmp_path, {"name": "Karin Berg", "address1": "5 Oak Ave", "postal_code": "62703",
                                 "phone": "555-0199", "household": "new"})
    after = rows(tmp_path / "donors.csv")
    assert after[0] == [*before[0], "household"]  # a column finsek needs is added once it holds data
    karin = dict(zip(after[0], after[3], strict=True))
    assert (karin["Donor ID"], karin["Full Name"], karin["Address"], karin["ZIP"], karin["Phone"], karin["household"],
            karin["Favourite hymn"]) == (added.donor.id, "Karin Berg", "5 Oak Ave", "62703", "555-0199", "H0001", "")
    merge_donors(tmp_path, "D0002", "D0001")
    after = rows(tmp_path / "donors.csv")
    assert after[0] == [*before[0], "household", "notes", "alias_of"]
    assert read_registry(tmp_path).get("D0002").alias_of == "D0001"


def test_a_new_registry_has_finseks_columns(tmp_path):
    create_ledger(tmp_path / "books", "Test", today=TODAY)
    add_donor(tmp_path / "books", {"name": "Anna Berg"})
    header = rows(tmp_path / "books" / "donors.csv")[0]
    assert header[:4] == ["id", "name", "household", "address1"] and "phone" in header


def test_statements_and_donor_show_print_the_street_of_an_address_column(tmp_path, capsys):
    main_file = make_church(tmp_path / "church")
    (tmp_path / "church" / "donors.csv").write_text(
        "ID,Name,Address,Zip,City,State,Country\n"
        "D0001,Anna Svensson,12 Elm St,62701,Springfield,IL,US\n"
        "D0002,Pat O'Brien,1 Quiet Lane,62702,Springfield,IL,US\n"
        "D0003,Björn Svensson,,,,,\nD0004,A. Svensson,,,,,\nD0005,Zoë Ł,,,,,\n", encoding="utf-8")
    books = load_books(main_file)
    result = build_statements(books, 2025, donors=["D0001"])
    assert result.statements[0].address == ["12 Elm St", "Springfield, IL 62701"]
    assert main(["donor", "show", "anna svensson", "--ledger", str(main_file)]) == 0
    out = capsys.readouterr().out
    assert "Address: 12 Elm St, Springfield, IL 62701" in out
