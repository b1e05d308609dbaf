"""The command line: exit codes, plain messages, nothing changed on refusal."""

import os
import subprocess
import sys

import pytest

from finsek.cli.main import main
from finsek.ledger.books import load_books


def run(capsys, *args):
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def year_text(ledger_path):
    return (ledger_path.parent / "2026.beancount").read_text()


def test_init_and_refuse_existing(tmp_path, capsys):
    target = tmp_path / "church"
    code, out, _ = run(capsys, "init", target, "--name", "St. Mary's \"Old\" Church", "--currency", "SEK",
                       "--locale", "sv_SE", "--fiscal-year-start", "7")
    assert code == 0 and "Created the ledger" in out
    books = load_books(target / "main.beancount")
    assert books.title == 'St. Mary\'s "Old" Church'
    assert books.currency == "SEK" and books.locale == "sv_SE" and books.settings.fiscal_year_start == 7
    assert not books.errors
    before = (target / "main.beancount").read_bytes()
    code, _, err = run(capsys, "init", target, "--name", "Other")
    assert code == 1 and "never overwrites" in err
    assert (target / "main.beancount").read_bytes() == before


def test_init_usage_errors_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["init", str(tmp_path / "x")])
    assert exit_info.value.code == 2
    code, _, err = run(capsys, "init", tmp_path / "y", "--name", "X", "--fiscal-year-start", "13")
    assert code == 1 and "month number" in err


def test_gift_saved_and_refused(ledger_path, capsys):
    code, out, _ = run(capsys, "gift", "--ledger", ledger_path, "--date", "2026-11-22", "--amount", "1,234.50",
                       "--donor", "D0001", "--fund", "building", "--check", "77")
    assert code == 0
    assert out.startswith("Saved the gift of 1,234.50 USD from D0001 to building on 2026-11-22 (2026.beancount, line")
    before = year_text(ledger_path)
    code, out, err = run(capsys, "gift", "--ledger", ledger_path, "--date", "2026-11-22", "--amount", "-5")
    assert code == 1 and out == ""
    assert err.startswith("finsek: The amount -5 is negative")
    assert err.count("\n") == 1
    assert year_text(ledger_path) == before


def test_dry_run_prints_the_exact_text(ledger_path, capsys):
    before = year_text(ledger_path)
    code, out, _ = run(capsys, "gift", "--ledger", ledger_path, "--date", "2026-11-22", "--amount", "5",
                       "--method", "cash", "--dry-run")
    assert code == 0
    assert out.startswith('2026-11-22 * "Gift" "Gift"\n  Assets:Bank:Checking')
    assert year_text(ledger_path) == before


def test_offering_from_csv(ledger_path, tmp_path, capsys):
    gifts = tmp_path / "gifts.csv"
    gifts.write_text("donor,amount,method,check,fund,account\nD0001,100.00,check,1234,,\n,40,cash,,,\n"
                     "102,250,check,881,building,\n")
    code, out, err = run(capsys, "offering", "--ledger", ledger_path, "--date", "2026-11-22",
                         "--counted-by", "A. Svensson, B. Jones", "--gifts", gifts, "--total", "390")
    assert code == 0, err
    assert "3 gifts" in out
    text = year_text(ledger_path)
    assert "^offering-2026-11-22" in text and 'donor: "D0002"' in text
    before = text
    code, _, err = run(capsys, "offering", "--ledger", ledger_path, "--date", "2026-11-22",
                       "--counted-by", "A, B", "--gifts", gifts, "--total", "400")
    assert code == 1 and "10.00 USD less than the counted total" in err
    assert year_text(ledger_path) == before
    bad = tmp_path / "bad.csv"
    bad.write_text("name,amount\nX,5\n")
    code, _, err = run(capsys, "offering", "--ledger", ledger_path, "--counted-by", "A, B", "--gifts", bad,
                       "--total", "5")
    assert code == 1 and "unknown column(s) name" in err


def test_payment_transfer_balance_undo_check(ledger_path, tmp_path, capsys):
    scan = tmp_path / "bill.pdf"
    scan.write_bytes(b"%PDF")
    assert run(capsys, "gift", "--ledger", ledger_path, "--date", "2026-11-01", "--amount", "1000")[0] == 0
    code, out, err = run(capsys, "payment", "--ledger", ledger_path, "--date", "2026-11-03", "--payee",
                         "City Power & Light", "--amount", "182.40", "--account", "Expenses:Facilities:Utilities",
                         "--check", "1043", "--receipt", scan, "--approved-by", "K. Berg", "--memo",
                         "October electricity")
    assert code == 0, err
    assert (ledger_path.parent / "documents/2026/2026-11-03-city-power-light.pdf").exists()
    code, out, err = run(capsys, "transfer", "--ledger", ledger_path, "--date", "2026-11-04", "--amount", "100",
                         "--from-fund", "general", "--to-fund", "missions")
    assert code == 0, err
    code, out, err = run(capsys, "balance", "--ledger", ledger_path, "--date", "2026-11-05",
                         "--account", "Assets:Bank:Checking", "--amount", "817.60")
    assert code == 0, err
    code, out, _ = run(capsys, "check", "--ledger", ledger_path)
    assert code == 0 and "the ledger is valid (3 transactions" in out
    code, out, _ = run(capsys, "undo", "--yes", "--ledger", ledger_path)
    assert code == 0 and "Took back the bank balance" in out
    assert "balance Assets:Bank:Checking" not in year_text(ledger_path)


def test_check_lists_errors_and_exits_1(ledger_path, capsys):
    with open(ledger_path.parent / "2026.beancount", "a") as handle:
        handle.write('\n2026-11-02 * "Broken"\n  Assets:Bank:Nope  5.00 USD\n  Income:Interest  -5.00 USD\n')
    code, out, err = run(capsys, "check", "--ledger", ledger_path)
    assert code == 1
    assert "2026.beancount:" in out and "Assets:Bank:Nope" in out
    assert "problem(s) found" in err


def test_ledger_from_environment_and_settings(ledger_path, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FINSEK_LEDGER", str(ledger_path.parent))
    assert run(capsys, "check")[0] == 0
    monkeypatch.delenv("FINSEK_LEDGER")
    config = tmp_path / "config.toml"
    config.write_text(f'ledger = "{ledger_path}"\nentered_by = "Anna"\n')
    monkeypatch.setenv("FINSEK_CONFIG", str(config))
    code, _, _ = run(capsys, "gift", "--date", "2026-11-22", "--amount", "5")
    assert code == 0
    assert 'entered-by: "Anna"' in year_text(ledger_path)
    config.write_text("ledger = [")
    code, _, err = run(capsys, "check")
    assert code == 1 and "not valid TOML" in err


def test_missing_ledger_path_is_a_plain_refusal(tmp_path, capsys):
    code, _, err = run(capsys, "check", "--ledger", tmp_path / "nowhere")
    assert code == 1 and "There is no ledger at" in err and "finsek init" in err


def test_swedish_amounts(tmp_path, capsys):
    target = tmp_path / "kyrka"
    run(capsys, "init", target, "--name", "Kyrkan", "--currency", "SEK", "--locale", "sv_SE")
    code, out, err = run(capsys, "gift", "--ledger", target, "--date", "today", "--amount", "1 234,50",
                         "--method", "transfer")
    assert code == 0, err
    assert "1\u00a0234,50 SEK" in out


def test_help_is_fast_and_lists_commands():
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "finsek.cli", "--help"],
                            capture_output=True, text=True, env={**os.environ})
    assert result.returncode == 0
    for command in ("init", "demo", "gift", "offering", "payment", "transfer", "balance", "undo", "check"):
        assert command in result.stdout
    assert "beancount" not in result.stderr and "pandas" not in result.stderr and "textual" not in result.stderr
