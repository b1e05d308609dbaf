"""No control character from user data or typed text reaches the terminal: refusals and listings show it escaped."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsek.cli.main import main
from tests.giving.conftest import DONORS, make_church, write_donors


def _is_control(char: str) -> bool:
    return (char < " " and char != "\n") or "\x7f" <= char <= "\x9f"


def finsek(capsys, *argv):
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert not any(_is_control(char) for char in text), repr(text)


def test_a_fund_typed_with_an_escape_is_refused_escaped(ledger_path, capsys):
    code, out, err = finsek(capsys, "--ledger", ledger_path, "gift", "--amount", "5", "--fund", "\x1b[31mRED")
    assert code in (1, 2) and out == ""
    assert "\\x1b[31mRED" in err
    assert_clean(out, err)


@pytest.mark.parametrize("argv", [
    ["gift", "--amount", "5\x1b]0;pwned\x07"],
    ["gift", "--amount", "5", "--date", "\x1b[2J2026-01-01"],
    ["gift", "--amount", "5", "--donor", "D\x9b1"],
    ["payment", "--payee", "X\x7f", "--amount", "5", "--account", "Expenses:\x1bNowhere"],
    ["donor", "show", "D\x1b[2J"],
    ["giftt\x1b[2J"],
])
def test_refusals_show_control_characters_escaped(ledger_path, capsys, argv):
    before = (ledger_path.parent / "2026.beancount").read_bytes()
    code, out, err = finsek(capsys, "--ledger", ledger_path, *argv)
    assert code in (1, 2)
    assert_clean(out, err)
    assert (ledger_path.parent / "2026.beancount").read_bytes() == before


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(max_codepoint=0x9f), min_size=1, max_size=12).filter(
    lambda text: any(_is_control(char) for char in text)))
def test_no_control_character_reaches_the_terminal_from_a_refusal(ledger_path, capsys, typed):
    for argv in (["gift", "--amount", typed], ["gift", "--amount", "5", "--fund", typed],
                 ["gift", "--amount", "5", "--memo", typed], ["gift", "--amount", "5", "--date", typed]):
        _, out, err = finsek(capsys, "--ledger", ledger_path, *argv)
        assert_clean(out, err)


def _hostile_church(tmp_path):
    main = make_church(tmp_path / "church")
    hostile = dict(id="D0099", name="Eve\x1b]0;owned\x07\x1b[2J", household="H9", city="Ci\x9bty\x7f",
                   email="eve@example.org", notes="a\x1b[1;1Hb")
    write_donors(main.parent, [*DONORS, hostile])
    return main


@pytest.mark.parametrize("fmt", ["text", "csv", "json"])
def test_donor_list_shows_escape_sequences_from_donors_csv_escaped(tmp_path, capsys, fmt):
    main = _hostile_church(tmp_path)
    code, out, err = finsek(capsys, "--ledger", main, "donor", "list", "--format", fmt)
    assert code == 0
    assert "Eve" in out
    assert_clean(out, err)


def test_donor_show_shows_escape_sequences_escaped(tmp_path, capsys):
    main = _hostile_church(tmp_path)
    code, out, err = finsek(capsys, "--ledger", main, "donor", "show", "D0099")
    assert code == 0
    assert "Eve\\x1b]0;owned\\x07\\x1b[2J" in out
    assert_clean(out, err)
    code, out, err = finsek(capsys, "--ledger", main, "donor", "show", "D0099", "--format", "json")
    assert code == 0 and "Eve" in out
    assert_clean(out, err)


def test_check_shows_the_ledger_s_errors_escaped(ledger_path, capsys):
    with open(ledger_path.parent / "2026.beancount", "a", encoding="utf-8") as handle:
        handle.write(f'\n{dt.date(2026, 1, 5)} * "Pay\x1b[2J" "x"\n  Assets:Nowhere\x1b[31m  5.00 USD\n'
                     "  Income:Gone\n")
    code, out, err = finsek(capsys, "--ledger", ledger_path, "check")
    assert code == 1
    assert_clean(out, err)


def test_the_pledge_report_shows_escape_sequences_escaped(tmp_path, capsys):
    main = _hostile_church(tmp_path)
    with open(main.parent / "2025.beancount", "a", encoding="utf-8") as handle:
        handle.write('\n2025-01-01 custom "pledge" "D0099" "general" 100.00 USD\n')
    for fmt in ("text", "csv", "json"):
        code, out, err = finsek(capsys, "--ledger", main, "report", "pledges", "--all", "--format", fmt)
        assert code == 0, err
        assert "D0099" in out
        assert_clean(out, err)
