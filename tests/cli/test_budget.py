"""``finsek budget show|set|copy`` on a new ledger: text, JSON, exit codes, the lines in accounts.beancount."""

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from finsek.cli.main import build_parser, run
from tests.conftest import make_ledger

TODAY = dt.date(2026, 11, 27)
BIN = Path(sys.executable).parent


def finsek(capsys, *argv, today: dt.date = TODAY):
    try:
        code = run(build_parser().parse_args([str(arg) for arg in argv]), today=today)
    except SystemExit as stop:  # argparse stops on what it cannot parse
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def accounts(ledger_path: Path) -> str:
    return (ledger_path.parent / "accounts.beancount").read_text(encoding="utf-8")


def test_set_then_show_in_two_funds_with_last_years_actual(tmp_path, capsys):
    ledger_path = make_ledger(tmp_path / "two-years", start=dt.date(2025, 1, 1))
    year_file = ledger_path.parent / "2025.beancount"
    with open(year_file, "a", encoding="utf-8") as handle:
        handle.write(
        '2025-05-01 * "Roofer"\n  Expenses:Facilities:Maintenance  700.00 USD\n    fund: "building"\n'
        "  Assets:Bank:Checking\n\n"
        '2025-06-01 * "Plumber"\n  Expenses:Facilities:Maintenance  80.00 USD\n    fund: "general"\n'
        "  Assets:Bank:Checking\n")
    code, out, err = finsek(capsys, "budget", "set", "--ledger", ledger_path, "Expenses:Facilities:Maintenance",
                            "1,200", "--fund", "Building", "--period", "yearly", "--year", "2026")
    assert code == 0, err
    assert "Saved the budget of 1,200.00 USD yearly for Expenses:Facilities:Maintenance (building) from 2026-01-01" \
        in out and "accounts.beancount" in out
    assert accounts(ledger_path).endswith(
        '2026-01-01 custom "budget" Expenses:Facilities:Maintenance "yearly" 1200.00 USD\n  fund: "building"\n')
    code, out, err = finsek(capsys, "budget", "show", "--ledger", ledger_path, "--json")
    assert code == 0 and err == ""
    shown = json.loads(out)
    assert shown["year"] == "2026" and shown["last_year"] == "2025"
    maintenance = {line["fund"]: line for line in shown["lines"]
                   if line["account"] == "Expenses:Facilities:Maintenance"}
    assert maintenance["building"]["amount"] == "1200.00" and maintenance["building"]["last_year_actual"] == "700.00"
    assert maintenance["general"]["last_year_actual"] == "80.00"
    assert Decimal(maintenance["general"]["annual"]) == Decimal(maintenance["general"]["amount"])
    code, out, _ = finsek(capsys, "budget", "show", "--ledger", ledger_path, "--fund", "BUILDING")
    assert code == 0
    assert "Budget 2026, Grace Church (USD)" in out and "2025 actual" in out
    assert "building  Expenses:Facilities:Maintenance  yearly  1,200.00  from 2026-01-01  1,200.00       700.00" in out
    assert "general" not in out
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    check = subprocess.run([str(BIN / "bean-check"), str(ledger_path)], capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stdout + check.stderr


def test_set_dry_run_prints_the_line_and_writes_nothing(ledger_path, capsys):
    before = accounts(ledger_path)
    code, out, _ = finsek(capsys, "budget", "set", "--ledger", ledger_path, "Expenses:Ministry:Youth", "75",
                          "--from", "2026-12-01", "--dry-run")
    assert code == 0
    assert out == '2026-12-01 custom "budget" Expenses:Ministry:Youth "monthly" 75.00 USD\n  fund: "general"\n'
    assert accounts(ledger_path) == before


@pytest.mark.parametrize(("argv", "status", "says"), [
    (["Expenses:Nowhere", "10"], 1, "There is no account Expenses:Nowhere"),
    (["Assets:Bank:Checking", "10"], 1, "not an Income or Expenses account"),
    (["Expenses:Benevolence", "10", "--fund", "roof"], 1, "There is no fund 'roof'"),
    (["Expenses:Benevolence", "-10"], 2, "negative"),
    (["Expenses:Benevolence", "ten"], 2, "is not an amount"),
    (["Expenses:Benevolence", "10", "--from", "2026-12-15"], 1, "first of a month"),
    (["Expenses:Benevolence", "10", "--from", "01/12/2026"], 2, "is not a date"),
    (["Expenses:Benevolence", "10", "--year", "26"], 2, "is not a year"),
    (["Expenses:Benevolence", "10", "--period", "weekly"], 2, "invalid choice"),
    (["Expenses:Benevolence", "10", "--year", "2026", "--from", "2026-01-01"], 2, "not allowed with"),
])
def test_set_refuses_with_one_line_and_its_exit_status(ledger_path, capsys, argv, status, says):
    before = accounts(ledger_path)
    code, out, err = finsek(capsys, "budget", "set", "--ledger", ledger_path, *argv)
    assert (code, out) == (status, "")
    assert err.startswith("finsek: ") and err.count("\n") == 1 and says in err, err
    assert accounts(ledger_path) == before


def test_copy_with_a_change_then_refuses_without_replace(ledger_path, capsys):
    code, out, err = finsek(capsys, "budget", "copy", "--ledger", ledger_path, "--from-year", "2026",
                            "--to-year", "2027", "--change", "3%")
    assert code == 0, err
    assert "Saved 15 budget lines for 2027" in out and "half to even" in out
    written = accounts(ledger_path)
    assert '2027-01-01 custom "budget" Expenses:Administration:BankFees "yearly" 370.80 USD' in written  # 360.00
    code, out, _ = finsek(capsys, "budget", "show", "--ledger", ledger_path, "--year", "2027", "--json")
    lines = json.loads(out)["lines"]
    assert len(lines) == 15 and all(line["from"] == "2027-01-01" for line in lines)
    code, out, err = finsek(capsys, "budget", "copy", "--ledger", ledger_path, "--from-year", "2026",
                            "--to-year", "2027", "--change", "3%")
    assert code == 1 and "2027 already has 15 budget lines" in err and "--replace" in err
    assert accounts(ledger_path) == written
    code, out, err = finsek(capsys, "budget", "copy", "--ledger", ledger_path, "--from-year", "2026",
                            "--to-year", "2027", "--change", "0", "--replace")
    assert code == 0, err
    code, out, _ = finsek(capsys, "budget", "show", "--ledger", ledger_path, "--year", "2027", "--json")
    bank = next(line for line in json.loads(out)["lines"] if line["account"].endswith("BankFees"))
    assert bank["amount"] == "360.00"


@pytest.mark.parametrize(("argv", "says"), [
    (["--from-year", "2026", "--to-year", "2027", "--change", "three"], "is not a percentage"),
    (["--from-year", "2026", "--to-year", "2027", "--change", "-100%"], "would leave no budget"),
    (["--from-year", "twenty", "--to-year", "2027"], "is not a year"),
])
def test_copy_typed_wrong_exits_2(ledger_path, capsys, argv, says):
    code, out, err = finsek(capsys, "budget", "copy", "--ledger", ledger_path, *argv)
    assert (code, out) == (2, "") and says in err


def test_copy_takes_a_cut_typed_with_a_minus(ledger_path, capsys):
    code, out, err = finsek(capsys, "budget", "copy", "--ledger", ledger_path, "--from-year", "2026",
                            "--to-year", "2027", "--change", "-2.5%", "--dry-run")
    assert code == 0, err
    assert '2027-01-01 custom "budget" Expenses:Administration:BankFees "yearly" 351.00 USD' in out


def test_show_a_year_without_lines_says_what_to_do(ledger_path, capsys):
    code, out, _ = finsek(capsys, "budget", "show", "--ledger", ledger_path, "--year", "2020")
    assert code == 0 and "No budget lines are in effect in 2020" in out and "finsek budget set" in out
