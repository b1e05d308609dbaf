"""Skattereduktion för gåvor: per person, 200 kr a gift, 2 000 kr a year, qualifying purposes only."""

import datetime as dt
from decimal import Decimal

import pytest

from finsek.cli.main import main
from finsek.giving.pledges import scan_gifts
from finsek.giving.skattereduktion import checked_personnummer, person_totals, skatteverket_csv
from finsek.giving.statements import build_statements
from finsek.ledger.books import load_books
from finsek.ledger.template import create_ledger

YEAR = 2025
DONORS = (
    "id,name,household,address1,postal_code,city,country,tax_id\n"
    "D0001,Anna Svensson,H1,Storgatan 1,111 22,Uppsala,SE,19800101-1009\n"
    "D0002,Björn Svensson,H1,Storgatan 1,111 22,Uppsala,SE,19750315-1008\n"
    "D0003,Cecilia Ek,,Ekvägen 3,222 33,Lund,SE,19620704-1002\n"
    "D0004,Dan Berg,,Bergsgatan 4,333 44,Umeå,SE,\n"
)


def gift(day: str, donor: str, amount: str, fund: str = "diakoni", goods: str = "") -> str:
    extra = f'\n    goods-services: {goods} SEK' if goods else ""
    return (f'{YEAR}-{day} * "Gåva"\n  Assets:Bank:Checking  {amount} SEK\n'
            f'  Income:Contributions:Designated  -{amount} SEK\n    donor: "{donor}"\n    fund: "{fund}"\n'
            f'    method: "transfer"{extra}\n\n')


ENTRIES = "".join([
    # Anna: 12 x 200 to diakoni = 2 400 counts; a 150 gift does not (under 200 kr).
    *(gift(f"{month:02d}-05", "D0001", "200.00") for month in range(1, 13)),
    gift("03-09", "D0001", "150.00"),
    # Björn: 1 500 to diakoni counts but stays under 2 000 kr; 5 000 to the building does not count.
    gift("04-01", "D0002", "1500.00"), gift("04-02", "D0002", "5000.00", fund="building"),
    # Cecilia: a concert ticket (something in return) is not a gift; 2 000.50 to diakoni counts.
    gift("05-01", "D0003", "600.00", goods="600.00"), gift("06-01", "D0003", "2000.50"),
    # Dan: 3 000 to diakoni, but no personnummer.
    gift("07-01", "D0004", "3000.00"),
])
SETTINGS = (
    '\n2024-01-01 custom "finsek" "gift-approval" "beslut 2021-03-01"\n'
    '2024-01-01 custom "fund" "diakoni" "Diakonin" "restricted"\n'
    '2024-01-01 custom "finsek" "tax-id" "802000-1234"\n'
)


@pytest.fixture
def books_path(tmp_path):
    main_file = create_ledger(tmp_path / "se", "Ödeby församling", currency="SEK", locale="sv_SE",
                              today=dt.date(2026, 1, 10), start=dt.date(2024, 1, 1))
    (tmp_path / "se" / "donors.csv").write_text(DONORS, encoding="utf-8")
    with open(tmp_path / "se" / "accounts.beancount", "a", encoding="utf-8") as handle:
        handle.write(SETTINGS + '2024-01-01 custom "finsek" "gift-purposes" "diakoni"\n')
    (tmp_path / "se" / f"{YEAR}.beancount").open("a", encoding="utf-8").write(ENTRIES)
    return main_file


def totals(books):
    reduction = person_totals(books, YEAR, scan_gifts(books).gifts)
    return reduction, {person.donor: person for person in reduction.people}


def test_only_gifts_of_200_kr_to_qualifying_purposes_without_return_count_per_person(books_path):
    reduction, people = totals(load_books(books_path))
    assert people["D0001"].counted == Decimal("2400.00") and people["D0001"].reported
    assert people["D0002"].counted == Decimal("1500.00") and not people["D0002"].reported
    assert people["D0003"].counted == Decimal("2000.50") and people["D0003"].reported
    assert people["D0004"].counted == Decimal("3000.00") and not people["D0004"].reported
    assert [person.donor for person in reduction.reported] == ["D0001", "D0003"]
    assert any("D0004 (Dan Berg)" in problem and "no personnummer" in problem for problem in reduction.problems)


def test_no_gift_counts_until_the_ledger_names_the_purposes(books_path):
    text = (books_path.parent / "accounts.beancount").read_text(encoding="utf-8")
    (books_path.parent / "accounts.beancount").write_text(text.replace('"gift-purposes"', '"other"'), encoding="utf-8")
    reduction, people = totals(load_books(books_path))
    assert reduction.reported == [] and all(person.counted == 0 for person in people.values())
    assert any("gift-purposes" in problem for problem in reduction.problems)


def test_household_statement_lists_each_person_and_says_era(books_path):
    result = build_statements(load_books(books_path), YEAR, household=True)
    home = next(statement for statement in result.statements if statement.key == "H1")
    text = " ".join(paragraph.text for paragraph in home.paragraphs)
    assert "Tack för era gåvor" in text and "från er" in text
    assert "Anna Svensson (19800101-****) 2\xa0400,00 SEK" in text
    assert "Björn" not in text.split("Vi rapporterar")[1].split(".")[0]
    assert home.qualifying_total == Decimal("2400.00")  # Björn's 1 500 is his own and under 2 000


def test_swedish_statement_never_splits_a_payment_with_something_in_return(books_path):
    result = build_statements(load_books(books_path), YEAR, donors=["D0003"])
    (cecilia,) = result.statements
    concert = next(line for line in cecilia.lines if line.goods)
    assert concert.deductible == 0 and not concert.qualifying
    text = " ".join(paragraph.text for paragraph in cecilia.paragraphs)
    assert "Tack för dina gåvor" in text and "inte gåvor" in text
    assert "Bara den del" not in text and "större än deras värde" not in text
    assert cecilia.deductible_total == Decimal("2000.50")


def test_a_person_without_a_valid_personnummer_is_asked_for_it(books_path):
    (dan,) = build_statements(load_books(books_path), YEAR, donors=["D0004"]).statements
    sections = [paragraph.section for paragraph in dan.paragraphs]
    assert "no-tax-id" in sections and "tax-id" not in sections


@pytest.mark.parametrize("value, expected", [
    ("19800101-1009", "19800101-1009"), ("800101-1009", "19800101-1009"), ("198001011009", "19800101-1009"),
    ("19800101-1234", ""), ("", ""),
])
def test_personnummer_checked_by_its_check_digit(value, expected):
    assert checked_personnummer(value)[0] == expected


def test_list_for_skatteverket_whole_kronor_valid_personnummer_only(books_path, tmp_path, capsys):
    reduction, _ = totals(load_books(books_path))
    text = skatteverket_csv(reduction, "802000-1234", dt.date(2026, 1, 10)).decode("utf-8-sig")
    assert text.splitlines()[1:] == ["Personnummer;Gåvobelopp (kr)", "19620704-1002;2000", "19800101-1009;2400"]
    code = main(["statements", "--ledger", str(books_path), "--year", str(YEAR), "--skatteverket",
                 "--out", str(tmp_path / "ut")])
    out, err = capsys.readouterr()
    assert code == 0, err
    written = tmp_path / "ut" / f"skatteverket-gavor-{YEAR}.csv"
    assert "2 person(s)" in out and written.stat().st_mode & 0o777 == 0o600
    assert "19750315" not in written.read_text(encoding="utf-8-sig")
