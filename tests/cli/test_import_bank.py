"""``finsek import bank FILE --account A --dry-run [--json]``: the statement matched to the books, nothing saved."""

import json
import os
from pathlib import Path

from finsek.cli.main import main

FIXTURES = Path(__file__).parent.parent / "imports" / "fixtures"

LEDGER = """option "operating_currency" "USD"
2026-01-01 open Assets:Bank:Main USD
2026-01-01 open Assets:Clearing:Tithely USD
2026-01-01 open Expenses:Utilities USD
2026-01-01 open Expenses:Bank-Fees USD
2026-01-01 open Income:Offerings USD

2026-11-01 * "City Power & Light" "October electricity"
  Expenses:Utilities      82.38 USD
  Assets:Bank:Main       -82.38 USD

2026-11-14 * "Tithe.ly" "Payout"
  Assets:Bank:Main       1048.25 USD
  Assets:Clearing:Tithely -1048.25 USD

2026-11-22 * "Offering" "Sunday offering" ^offering-2026-11-22
  counted-by: "A. Svensson, B. Jones"
  Assets:Bank:Main       390.00 USD
  Income:Offerings      -390.00 USD
    method: "cash"

2026-11-14 * "City Power & Light" "November electricity"
  check: "1043"
  Expenses:Utilities      182.40 USD
  Assets:Bank:Main       -182.40 USD
"""


def finsek(capsys, *argv):
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def books(tmp_path: Path, extra: str = "") -> Path:
    main_file = tmp_path / "books" / "main.beancount"
    main_file.parent.mkdir()
    main_file.write_text(LEDGER + extra, encoding="utf-8")
    return main_file


def run_json(capsys, main_file: Path, statement: str, *more):
    code, out, err = finsek(capsys, "import", "bank", FIXTURES / statement, "--account", "Assets:Bank:Main",
                            "--dry-run", "--json", "--ledger", main_file, *more)
    assert code == 0, err
    return json.loads(out)


def test_json_contract(tmp_path, capsys):
    main_file = books(tmp_path)
    before = main_file.read_bytes()
    result = run_json(capsys, main_file, "ofx1_checking.qfx")
    assert result["account"] == "Assets:Bank:Main"
    statement = result["statement"]
    assert [statement[key] for key in ("start", "end", "opening", "closing")] == [
        "2026-11-01", "2026-11-30", "3248.80", "4410.27"]
    assert [(line["amount"], line["status"]) for line in result["lines"]] == [
        ("-82.38", "matched"), ("1048.25", "matched"), ("390.00", "matched"), ("-182.40", "matched"),
        ("-12.00", "review"),
    ]
    check = result["lines"][3]
    assert check["check"] == "1043" and check["ref"] == "202611240"
    assert check["entry"].endswith("main.beancount:22")
    assert result["counts"] == {"matched": 4, "saved": 0, "review": 1, "duplicate": 0}
    assert main_file.read_bytes() == before  # nothing saved


def test_a_line_booked_before_is_a_duplicate_and_the_same_file_twice_reads_the_same(tmp_path, capsys):
    booked = """
2026-11-30 * "Bank" "Monthly service fee"
  bank-ref: "202611300"
  Expenses:Bank-Fees       12.00 USD
  Assets:Bank:Main        -12.00 USD
"""
    main_file = books(tmp_path, booked)
    first = run_json(capsys, main_file, "ofx1_checking.qfx")
    assert first["lines"][-1]["status"] == "duplicate"
    assert first["counts"]["duplicate"] == 1 and first["counts"]["review"] == 0
    assert run_json(capsys, main_file, "ofx1_checking.qfx") == first


def test_every_format_of_the_same_month_finds_the_same(tmp_path, capsys):
    main_file = books(tmp_path)
    statuses = {name: [line["status"] for line in run_json(capsys, main_file, name)["lines"]]
                for name in ("chase_checking.csv", "bank_of_america.csv", "wells_fargo.csv", "ofx1_checking.qfx",
                             "camt053_v8.xml")}
    assert set(map(tuple, statuses.values())) == {("matched", "matched", "matched", "matched", "review")}


def test_a_profile_from_the_settings(tmp_path, capsys):
    config = Path(os.environ["FINSEK_CONFIG"])
    config.write_text('[bank_profiles.mybank]\ndate = "When"\namount = "How much"\ntext = ["What"]\n',
                      encoding="utf-8")
    main_file = books(tmp_path)
    result = run_json(capsys, main_file, "unknown.csv", "--profile", "mybank")
    assert result["lines"][0]["amount"] == "10.00" and result["lines"][0]["status"] == "review"


def test_refusals(tmp_path, capsys):
    main_file = books(tmp_path)
    code, out, err = finsek(capsys, "import", "bank", FIXTURES / "unknown.csv", "--account", "Assets:Bank:Main",
                            "--dry-run", "--ledger", main_file)
    assert code == 1 and out == "" and "'When', 'What', 'How much'" in err and err.count("\n") == 1
    code, _, err = finsek(capsys, "import", "bank", FIXTURES / "seb.csv", "--account", "Assets:Bank:Nowhere",
                          "--dry-run", "--ledger", main_file)
    assert code == 1 and "no account Assets:Bank:Nowhere" in err
    code, _, err = finsek(capsys, "import", "bank", FIXTURES / "seb.csv", "--account", "Assets:Bank:Main",
                          "--ledger", main_file)
    assert code == 1 and "--dry-run" in err
    code, _, err = finsek(capsys, "import", "bank", FIXTURES / "seb.csv", "--account", "Assets:Bank:Main",
                          "--dry-run", "--profile", "nosuch", "--ledger", main_file)
    assert code == 1 and "no bank profile 'nosuch'" in err


def test_text_output(tmp_path, capsys):
    main_file = books(tmp_path)
    code, out, _ = finsek(capsys, "import", "bank", FIXTURES / "chase_checking.csv", "--account",
                          "Assets:Bank:Main", "--dry-run", "--ledger", main_file)
    assert code == 0
    assert "matched 4, duplicate 0, review 1; nothing was saved" in out
    assert "MONTHLY SERVICE FEE" in out
