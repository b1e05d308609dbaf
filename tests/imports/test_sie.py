"""SIE 4: read what other programs write, export a fiscal year, and make a ledger from a file."""

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beanquery import query

from finsek.cli.main import main
from finsek.core.errors import Refused
from finsek.imports.sie import bas
from finsek.imports.sie.export import export_year
from finsek.imports.sie.fields import Objects, decode, quote, split
from finsek.imports.sie.into import ledger_from_sie
from finsek.imports.sie.reader import read_file, read_text
from finsek.imports.sie.writer import sie_bytes
from finsek.ledger.books import load_books

TODAY = dt.date(2026, 12, 1)

#: A ledger finsek did not make: other account names, no plugin, a fiscal year from July, one bas: number.
LEDGER = """\
option "title" "Församlingen i Ödeby"
option "operating_currency" "SEK"

2024-07-01 custom "finsek" "fiscal-year-start" "7"
2024-07-01 custom "fund" "general" "Allmänna medel" "unrestricted"
2024-07-01 custom "fund" "bygg" "Byggfonden" "restricted"

2024-07-01 open Assets:Bank:Foreningskonto   SEK
  bas: "1930"
2024-07-01 open Assets:Swish                 SEK
2024-07-01 open Equity:Opening               SEK
2024-07-01 open Income:Kollekt               SEK
2024-07-01 open Income:Gavor                 SEK
2024-07-01 open Expenses:El                  SEK
2024-07-01 open Expenses:Reparationer        SEK

2024-07-01 * "Ingående balans"
  Assets:Bank:Foreningskonto   10000.00 SEK
  Equity:Opening              -10000.00 SEK

2025-03-02 * "Kollekt" "Söndagens kollekt"
  Assets:Swish      812.40 SEK
  Income:Kollekt   -812.40 SEK

2025-08-03 * "Kollekt" "Gudstjänst \\"Sommarkväll\\" – åäö"
  Assets:Bank:Foreningskonto    1250.00 SEK
  Income:Kollekt               -1250.00 SEK

2025-09-10 * "Anna Öberg" "Gåva till bygget"
  Assets:Swish        500.00 SEK
  Income:Gavor       -500.00 SEK
    fund: "bygg"

2025-10-01 * "Vattenfall" "El september"
  Expenses:El                   812.40 SEK
  Assets:Bank:Foreningskonto   -812.40 SEK

2026-02-14 * "Byggare AB" "Nytt tak, del 1"
  Expenses:Reparationer         400.00 SEK
    fund: "bygg"
  Assets:Bank:Foreningskonto   -400.00 SEK

2026-07-05 * "Kollekt" "Nästa år"
  Assets:Bank:Foreningskonto     90.00 SEK
  Income:Kollekt                -90.00 SEK
"""


@pytest.fixture
def ledger(tmp_path) -> Path:
    main_file = tmp_path / "books" / "main.beancount"
    main_file.parent.mkdir()
    main_file.write_text(LEDGER, encoding="utf-8")
    assert not loader.load_file(str(main_file))[1]
    return main_file


def run(capsys, *argv):
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def beanquery_total(path: Path, where: str) -> Decimal:
    entries, _errors, options = loader.load_file(str(path))
    _types, rows = query.run_query(entries, options, f"SELECT sum(number) AS total WHERE {where}")
    total = rows[0][0] if rows else None
    return Decimal(total) if total is not None else Decimal(0)


# -- one line ---------------------------------------------------------------------


def test_split_reads_quotes_escapes_tabs_and_object_lists():
    assert split('#TRANS\t3051\t{1 "2"\t10 "12"}\t-301050.00\t20100107\t"Mässan, 12"\t""') == [
        "#TRANS", "3051", Objects(["1", "2", "10", "12"]), "-301050.00", "20100107", "Mässan, 12", ""]
    assert split('#VER A 7 20110104 "Sa \\"hej\\" då"') == ["#VER", "A", "7", "20110104", 'Sa "hej" då']
    assert split("#KONTO 1060 Hyresrätt") == ["#KONTO", "1060", "Hyresrätt"]
    assert split("  #TRANS 1320      { }           -500.00") == ["#TRANS", "1320", Objects([]), "-500.00"]


def test_quote_escapes_quotes_and_drops_control_characters():
    text = 'Kör "nu"\x1b[31m\nslut\\'
    assert split("#X " + quote(text))[1] == 'Kör "nu" [31m slut\\ '


def test_decode_takes_pc8_and_utf8_written_by_other_programs():
    assert decode("#FNAMN \"Övningsbolaget\"".encode("cp437")) == '#FNAMN "Övningsbolaget"'
    assert decode("#FNAMN \"Övningsbolaget\"".encode()) == '#FNAMN "Övningsbolaget"'
    assert decode(b"\xef\xbb\xbf#FLAGGA 0") == "#FLAGGA 0"


# -- files other programs write (dialects seen in files from Mamut, SoftOne, BL, Magenta, Visma) --

DIALECTS = {
    "tabs, everything quoted, objects, RTRANS/BTRANS": (
        '#FLAGGA\t0\n#PROGRAM\t"Mamut Enterprise"\t14.8604\n#FORMAT\t"PC8"\n#SIETYP\t4\n#FNAMN\t"Mamut_SIE"\n'
        '#RAR\t0\t20100101\t20101231\n#KONTO\t1510\t"Kundfordringar"\n#KONTO\t3051\t"Försäljning"\n'
        '#DIM\t1\t"Department"\n#OBJEKT\t1\t2\t"Försäljningsavdelning"\n#IB\t0\t1510\t100.00\n#IB\t0\t2099\t-100.00\n'
        '#VER\t"1"\t"1"\t20100107\t"Svenska Mässan, 12"\t\n{\n'
        '#TRANS\t3051\t{1 "2"\t10 "12"}\t-301050.00\t20100107\t"Svenska Mässan, 12"\t""\n'
        '#RTRANS\t1510\t{}\t301050.00\n#TRANS\t1510\t{}\t301050.00\n#BTRANS\t1510\t{}\t5.00\n}\n'
    ),
    "aligned spaces, empty objects, registration date": (
        "#FLAGGA  0\n#PROGRAM \"SoftOne Business Redovisning\"  2016.SV.02\n#SIETYP  4\n"
        "#FNAMN   \"Demoföretaget AB\"\n#RAR     0  20140101  20141231\n#KTYP    DIFF\n"
        "#VER     1       1  20140131 \"3\" 20131218\n{\n  #TRANS 1320      { }           -500.00  20140131 \"3\"\n"
        "  #TRANS 6010      { }            500.00  20140131 \"3\"\n}\n"
    ),
    "unquoted text, no row dates, whole numbers": (
        "#FLAGGA 0\n#SIETYP 4\n#FNAMN TESTFÖRETAGET\n#RAR 0  20110101 20111231\n#KONTO 1930 Företagskonto\n"
        "#VER A     3 20110107 \"PlusGiro årsavgift\" 20110224 SNI\n{\n   #TRANS  6570 {} 900\n"
        "   #TRANS  1930 {} -900\n}\n"
    ),
}


@pytest.mark.parametrize("name", DIALECTS)
def test_reader_reads_each_dialect(name):
    sie = read_text(DIALECTS[name])
    assert sie.problems == []
    assert sie.vouchers and all(voucher.total == 0 for voucher in sie.vouchers)
    assert 0 in sie.years


def test_reader_keeps_rtrans_once_and_skips_btrans():
    sie = read_text(DIALECTS["tabs, everything quoted, objects, RTRANS/BTRANS"])
    (voucher,) = sie.vouchers
    assert [(row.account, row.amount) for row in voucher.rows] == [
        ("3051", Decimal("-301050.00")), ("1510", Decimal("301050.00"))]
    assert voucher.rows[0].objects == ((1, "2"), (10, "12"))


def test_reader_reports_what_it_cannot_read_with_line_numbers():
    sie = read_text('#SIETYP 4\n#RAR 0 2011-01-01 20111231\n#VER A 1 20110105 "Fel"\n{\n#TRANS 1930 {} 10.00\n'
                    '#TRANS 3010 {} -9.00\n}\n#TRANS 1930 {} 1.00\n')
    assert any(problem.startswith("line 2: #RAR") for problem in sie.problems)
    assert any("line 3: voucher A 1 of 2011-01-05 does not balance" in problem for problem in sie.problems)
    assert any(problem.startswith("line 8: a #TRANS row outside a voucher") for problem in sie.problems)


# -- export --------------------------------------------------------------------------


def test_export_has_one_balanced_voucher_per_transaction_and_the_ledgers_result(ledger):
    books = load_books(ledger)
    sie, notes = export_year(books, 2025, TODAY)
    assert sie.years[0] == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert sie.years[-1] == (dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    assert len(sie.vouchers) == 4 and all(voucher.total == 0 for voucher in sie.vouchers)
    result = beanquery_total(ledger, "date >= 2025-07-01 AND date <= 2026-06-30 AND account ~ '^(Income|Expenses)'")
    assert sum(total for (index, _n), total in sie.result.items() if index == 0) == result
    # The balances add up with the result, and the bank carries its bas: number.
    assert sum(total for (index, _n), total in sie.closing.items() if index == 0) + result == 0
    assert sum(total for (index, _n), total in sie.opening.items() if index == 0) == 0
    assert sie.closing[(0, "1930")] == beanquery_total(ledger, "date <= 2026-06-30 AND account ~ 'Foreningskonto'")
    # The previous year's result is carried in 2067, by fund.
    assert sie.opening[(0, "2067")] == Decimal("-812.40")
    assert any("Assets:Swish has no bas: number" in note for note in notes)
    assert any(row.objects == ((6, "bygg"),) for voucher in sie.vouchers for row in voucher.rows)


def test_written_file_is_pc8_with_the_labels_auditors_read(ledger):
    sie, _ = export_year(load_books(ledger), 2025, TODAY)
    payload, lost = sie_bytes(sie, TODAY)
    text = payload.decode("cp437")
    assert lost == ""
    for label in ("#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", '#PROGRAM "finsek"', "#GEN 20261201",
                  '#FNAMN "Församlingen i Ödeby"', "#RAR 0 20250701 20260630", "#KONTO 1930", '#DIM 6 "Ändamål"',
                  '#OBJEKT 6 "bygg" "Byggfonden"', "#IB 0 1930 10000.00", "#RES 0 ", "#VER "):
        assert label in text, label
    assert 'Gudstjänst \\"Sommarkväll\\" - åäö' in text
    assert text.count("#VER ") == 4 and "\r\n" in text


def test_export_refuses_a_year_without_entries(ledger):
    with pytest.raises(Refused, match="no entries in the fiscal year 2030-07-01"):
        export_year(load_books(ledger), 2030, TODAY)


# -- import ---------------------------------------------------------------------------


def test_round_trip_gives_a_valid_ledger_with_the_same_result_by_fund(ledger, tmp_path):
    sie, _ = export_year(load_books(ledger), 2025, TODAY)
    payload, _ = sie_bytes(sie, TODAY)
    file = tmp_path / "ar.se"
    file.write_bytes(payload)
    summary = ledger_from_sie(read_file(file), tmp_path / "new")
    assert summary.notes == [] and summary.vouchers == 4
    new = summary.main
    assert not loader.load_file(str(new))[1]
    bean_check = Path(__import__("sys").executable).with_name("bean-check")
    assert subprocess.run([str(bean_check), str(new)], capture_output=True).returncode == 0
    year = "date >= 2025-07-01 AND date <= 2026-06-30 AND account ~ '^(Income|Expenses)'"
    assert beanquery_total(new, year) == beanquery_total(ledger, year) == summary.result
    assert beanquery_total(new, year + " AND meta('fund') = 'bygg'") == Decimal("-100.00")
    accounts = (new.parent / "accounts.beancount").read_text()
    assert 'custom "fund" "bygg" "Byggfonden"' in accounts and 'bas: "1930"' in accounts
    assert not list(tmp_path.glob(".*finsek-import"))


def test_import_refuses_an_unbalanced_file_and_makes_nothing(tmp_path):
    sie = read_text('#SIETYP 4\n#RAR 0 20110101 20111231\n#VER A 12 20110105 "Fel"\n{\n#TRANS 1930 {} 10.00\n'
                    "#TRANS 3010 {} -9.00\n}\n")
    with pytest.raises(Refused, match=r"1 voucher\(s\) in the file do not balance: A 12 of 2011-01-05 \(line 3"):
        ledger_from_sie(sie, tmp_path / "new")
    assert list(tmp_path.iterdir()) == []


def test_import_names_accounts_by_bas_number():
    taken: set[str] = set()
    assert bas.account_for("1930", "Företagskonto", taken) == "Assets:Bank:Checking"
    assert bas.account_for("2640", "Ingående moms", taken) == "Liabilities:2640-IngaendeMoms"
    assert bas.account_for("8410", "Räntekostnader", taken) == "Expenses:8410-Rantekostnader"
    assert bas.account_for("8310", "Ränteintäkter", set()) == "Income:Interest"
    assert bas.account_for("2099", "Årets resultat", taken) == "Equity:2099-AretsResultat"


def test_cli_export_and_import(ledger, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "sie", "export", "--ledger", ledger, "--year", "2025", "--out", tmp_path / "a.se")
    assert code == 0, err
    assert "4 vouchers" in out and "Assets:Swish has no bas: number" in out
    code, out, err = run(capsys, "sie", "import", tmp_path / "a.se", "--into", tmp_path / "ny", "--name", "Ny")
    assert code == 0, err
    assert "Made" in out and (tmp_path / "ny" / "main.beancount").exists()
    code, _out, err = run(capsys, "sie", "import", tmp_path / "a.se", "--into", tmp_path / "ny")
    assert code == 1 and "already exists and is not empty" in err


def test_cli_export_never_writes_over_the_ledger_and_reads_years_strictly(ledger, capsys):
    before = ledger.read_bytes()
    code, _, err = run(capsys, "sie", "export", "--ledger", ledger, "--year", "2025", "--out", ledger)
    assert code == 1 and "is one of the ledger's files" in err
    assert ledger.read_bytes() == before
    code, _, err = run(capsys, "sie", "export", "--ledger", ledger, "--year", "25")
    assert code == 2 and "is not a year" in err


@pytest.mark.parametrize("tax_id, written", [("5562529155", "556252-9155"), ("802000-1234", "")])
def test_orgnr_is_written_only_when_valid(ledger, tax_id, written):
    ledger.write_text(LEDGER + f'2024-07-01 custom "finsek" "tax-id" "{tax_id}"\n', encoding="utf-8")
    sie, notes = export_year(load_books(ledger), 2025, TODAY)
    assert sie.orgnr == written
    assert any("not a valid Swedish organisationsnummer" in note for note in notes) == (not written)
