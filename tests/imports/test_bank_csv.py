"""Bank CSV exports in the real layouts of US and Swedish banks (fixtures in tests/imports/fixtures/)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from finsek.core.errors import Refused
from finsek.imports.bank import detect_format, read_statement
from finsek.imports.bank_csv import parse_csv_statement, parse_decimal, profile_from_settings, read_csv_statement

FIXTURES = Path(__file__).parent / "fixtures"
D = Decimal

US = [  # the same November at a US bank, as each bank exports it
    ("chase_checking.csv", "chase"),
    ("bank_of_america.csv", "bank-of-america"),
    ("wells_fargo.csv", "wells-fargo"),
]
SE = [
    ("handelsbanken.csv", "handelsbanken"),
    ("seb.csv", "seb"),
    ("nordea.csv", "nordea"),
]


@pytest.mark.parametrize(("name", "layout"), US)
def test_us_banks(name, layout):
    statement = read_csv_statement(FIXTURES / name)
    assert statement.source == f"csv:{layout}"
    assert [(line.date, line.amount) for line in statement.lines] == [
        (dt.date(2026, 11, 2), D("-82.38")), (dt.date(2026, 11, 20), D("1048.25")),
        (dt.date(2026, 11, 23), D("390.00")), (dt.date(2026, 11, 24), D("-182.40")),
        (dt.date(2026, 11, 30), D("-12.00")),
    ]
    assert statement.lines[3].check == "1043"  # a column (Chase, Wells Fargo) or the text "Check 1043" (BofA)
    assert (statement.start, statement.end) == (dt.date(2026, 11, 2), dt.date(2026, 11, 30))
    if layout != "wells-fargo":  # Wells Fargo's export has no balance
        assert (statement.opening, statement.closing) == (D("3248.80"), D("4410.27"))


@pytest.mark.parametrize(("name", "layout"), SE)
def test_swedish_banks(name, layout):
    statement = read_csv_statement(FIXTURES / name)
    assert statement.source == f"csv:{layout}"
    assert [(line.date, line.amount) for line in statement.lines] == [
        (dt.date(2026, 11, 2), D("500.00")), (dt.date(2026, 11, 5), D("-1823.75")),
        (dt.date(2026, 11, 24), D("7800.00")), (dt.date(2026, 11, 30), D("-95.00")),
    ]
    assert (statement.opening, statement.closing) == (D("42338.25"), D("48719.50"))
    assert "lindström" in statement.lines[0].text.casefold()  # å, ä, ö read right


def test_swedbank_windows_1252_title_line_and_identical_lines():
    raw = (FIXTURES / "swedbank.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    statement = read_csv_statement(FIXTURES / "swedbank.csv")
    assert statement.source == "csv:swedbank" and statement.currency == "SEK"
    assert statement.lines[0].text == "Swish inbetalning - Swish Åsa Lindström"
    deposits = [line for line in statement.lines if line.date == dt.date(2026, 11, 24)]
    assert [line.balance for line in deposits] == [D("44914.50"), D("48814.50")]  # oldest first, by the balances
    assert (statement.opening, statement.closing) == (D("42338.25"), D("48719.50"))


def test_nordea_pending_line_left_out_and_noted():
    statement = read_csv_statement(FIXTURES / "nordea.csv")
    assert len(statement.lines) == 4
    assert any("not yet booked" in note and "ICA KVANTUM" in note for note in statement.notes)


def test_seb_reference_column():
    statement = read_csv_statement(FIXTURES / "seb.csv")
    assert statement.lines[0].ref == "5483001166"


def test_debit_and_credit_columns_by_their_headings():
    statement = read_csv_statement(FIXTURES / "debit_credit.csv")
    assert statement.source == "csv:headings"
    assert [line.amount for line in statement.lines] == [D("-82.38"), D("1048.25"), D("-182.40")]
    assert statement.lines[2].check == "1043"


def test_oldest_first_and_newest_first_read_the_same():
    header = "Date;Text;Amount;Balance\n"
    rows = ["2026-11-02;A;-1 234,50;8 765,50", "2026-11-03;B;1 000,00;9 765,50", "2026-11-05;C;-0,50;9 765,00"]
    oldest = parse_csv_statement(header + "\n".join(rows))
    newest = parse_csv_statement(header + "\n".join(reversed(rows)))
    assert oldest.lines == newest.lines
    assert oldest.lines[0].amount == D("-1234.50")
    assert (oldest.opening, oldest.closing) == (D("10000.00"), D("9765.00"))


def test_swedish_headings_and_utf8_bom():
    text = "\ufeffDatum;Text;Belopp\n2026-11-02;Kollekt;1 234,50\n"
    statement = parse_csv_statement(text)
    assert statement.lines[0].amount == D("1234.50") and statement.lines[0].text == "Kollekt"


@pytest.mark.parametrize(("text", "mark", "value"), [
    ("1,234.50", ".", "1234.50"), ("1 234,50", ",", "1234.50"), ("-1 234,50", ",", "-1234.50"),
    ("(12.00)", ".", "-12.00"), ("$1,234.50", ".", "1234.50"), ("\u22121\u00a0234,50", ",", "-1234.50"),
    ("1.234,50", ",", "1234.50"), ("12.00-", ".", "-12.00"),
])
def test_amounts_as_banks_print_them(text, mark, value):
    assert parse_decimal(text, mark) == D(value)


def test_unknown_layout_names_the_headings_and_how_to_describe_them():
    with pytest.raises(Refused) as refused:
        read_csv_statement(FIXTURES / "unknown.csv")
    message = refused.value.message
    assert "'When', 'What', 'How much'" in message
    assert "[bank_profiles.mybank]" in message and "--profile" in message
    assert 'date = "When", amount = "How much", text = ["What"]' in message  # guessed from the data


def test_a_profile_from_the_settings_reads_that_layout():
    profile = profile_from_settings("mybank", {"date": "When", "amount": "How much", "text": ["What"]})
    statement = read_csv_statement(FIXTURES / "unknown.csv", profile)
    assert statement.lines[0].amount == D("10.00") and statement.lines[0].text == "Something"
    with pytest.raises(Refused, match="amount column"):
        profile_from_settings("bad", {"date": "When"})
    with pytest.raises(Refused, match="unknown key"):
        profile_from_settings("bad", {"date": "When", "amount": "X", "colour": "red"})


def test_dd_mm_yyyy_when_a_day_is_above_12():
    statement = parse_csv_statement("Date,Description,Amount\n25/11/2026,A,1.00\n03/11/2026,B,2.00\n")
    assert [line.date for line in statement.lines] == [dt.date(2026, 11, 3), dt.date(2026, 11, 25)]


def test_a_line_without_an_amount_is_refused_not_dropped():
    with pytest.raises(Refused, match="without an amount"):
        parse_csv_statement("Date,Description,Amount\n2026-11-03,Mystery,\n")


def test_format_detection():
    assert detect_format(FIXTURES / "chase_checking.csv") == "csv"
    assert detect_format(FIXTURES / "camt053_v2.xml") == "camt053"
    assert detect_format(FIXTURES / "ofx1_checking.qfx") == "ofx"
    assert detect_format(FIXTURES / "ofx2_checking.ofx") == "ofx"
    assert read_statement(FIXTURES / "seb.csv").source == "csv:seb"
