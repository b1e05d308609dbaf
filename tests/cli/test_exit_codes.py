"""One exit-code contract for every command: 0 done, 1 refused, 2 typed wrong; one ``finsek:`` line on stderr."""

import os
import subprocess
import sys

import pytest

from finsek.cli import books
from finsek.cli.main import main


def finsek(capsys, *argv):
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:  # argparse stops on what it cannot parse
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(err: str) -> None:
    assert err.startswith("finsek: ") and err.endswith("\n") and err.count("\n") == 1, err


@pytest.mark.parametrize("argv", [
    ["gift", "--date", "2026-11-22", "--amount", "-5"],
    ["payment", "--date", "2026-11-22", "--payee", "X", "--amount", "5", "--account", "Expenses:Nowhere"],
    ["report", "activities", "--from", "2026-02-01", "--to", "2026-01-01"],
    ["donor", "show", "D0404"],
    ["close", "--through", "2030-12-31"],
    ["undo"],
])
def test_a_refusal_exits_1_with_one_line(ledger_path, capsys, argv):
    before = (ledger_path.parent / "2026.beancount").read_bytes()
    code, out, err = finsek(capsys, "--ledger", ledger_path, *argv)
    assert code == 1 and out == ""
    assert_one_line(err)
    assert (ledger_path.parent / "2026.beancount").read_bytes() == before


def test_a_ledger_that_is_not_there_exits_1(tmp_path, capsys):
    for argv in (["check"], ["audit"], ["report", "board"], ["donor", "list"], ["gift", "--amount", "5"]):
        code, _, err = finsek(capsys, "--ledger", tmp_path / "nowhere", *argv)
        assert code == 1 and "There is no ledger at" in err
        assert_one_line(err)


@pytest.mark.parametrize("argv", [
    ["gift", "--amount", "5", "--methd", "cash"],   # a typo in an option
    ["gift", "--amout", "5"],                       # a typo in a required option
    ["gift", "--date", "2026-11-22"],               # a required option left out
    ["report", "activities", "--format", "pdfx"],   # a value not among the choices
    ["statements", "--year", "twenty"],             # a value of the wrong type
    ["giftt"],                                      # a typo in the command
])
def test_an_option_typed_wrong_exits_2_with_one_line(ledger_path, capsys, argv):
    code, out, err = finsek(capsys, "--ledger", ledger_path, *argv)
    assert code == 2 and out == ""
    assert_one_line(err)
    assert "--help" in err


@pytest.mark.parametrize("argv, words", [
    (["report", "board", "--month", "2026-13"], "is not a month"),
    (["report", "board", "--format", "pdf,docx"], "Unknown format 'docx'"),
    (["report", "funds", "--to", "31/12/2026"], "is not a date"),
    (["audit", "--format", "docx"], "Unknown format 'docx'"),
    (["audit", "--from", "last spring"], "is not a date"),
    (["close", "--through", "October"], "is not a date"),
])
def test_a_month_date_or_format_typed_wrong_exits_2_through_the_same_printer(ledger_path, capsys, argv, words):
    code, out, err = finsek(capsys, "--ledger", ledger_path, *argv)
    assert code == 2 and out == ""
    assert_one_line(err)
    assert words in err


def test_ctrl_c_saves_nothing_and_says_so(ledger_path, capsys, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(books, "run_check", interrupted)
    code, out, err = finsek(capsys, "--ledger", ledger_path, "check")
    assert code == 1 and out == "" and err == "finsek: Stopped; nothing was saved.\n"


def test_the_exit_status_reaches_the_shell(ledger_path):
    """The installed command's status is main()'s: run it as a program."""
    def run(*argv):
        return subprocess.run([sys.executable, "-m", "finsek.cli", "--ledger", str(ledger_path), *argv],
                              capture_output=True, text=True, env={**os.environ})

    done = run("check")
    assert done.returncode == 0 and done.stderr == ""
    refused = run("gift", "--date", "2026-11-22", "--amount", "-5")
    assert refused.returncode == 1 and refused.stdout == ""
    assert_one_line(refused.stderr)
    typo = run("gift", "--amout", "5")
    assert typo.returncode == 2 and typo.stdout == ""
    assert_one_line(typo.stderr)
