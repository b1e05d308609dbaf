"""``--ledger`` means the same before or after the command, for every command.

Each test puts ``--ledger`` BEFORE the command, on a ledger that is not the
demo, with no ledger configured anywhere else: the command must act on that
ledger, and no demo ledger may be created.
"""

import argparse
import datetime as dt
import json

import pytest

from finsek.cli.main import build_parser, main
from finsek.config import demo_ledger_path
from finsek.ledger.template import create_ledger

TODAY = dt.date(2026, 11, 27)
NAME = "Hope Chapel of the Ledger Option"
DONOR = "D0001,Zebulon Quartermaine,H1,1 Main St,,02134,Boston,US,,101,,\n"


@pytest.fixture
def chapel(tmp_path, monkeypatch, _isolated_user_dirs):
    """A ledger in SEK (the demo is in USD) that only ``--ledger`` names; the demo would go in the data dir."""
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("FINSEK_CONFIG", str(config))
    monkeypatch.delenv("FINSEK_LEDGER", raising=False)
    monkeypatch.setenv("FINSEK_DATA_DIR", str(tmp_path / "data"))
    main_file = create_ledger(tmp_path / "chapel", NAME, currency="SEK", today=TODAY)
    with (main_file.parent / "donors.csv").open("a", encoding="utf-8") as handle:
        handle.write(DONOR)
    yield main_file
    assert not demo_ledger_path().exists(), "the demo ledger was created"
    assert not (tmp_path / "data").exists(), "something was written into the data folder"


def finsek(capsys, *argv):
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def year_text(main_file):
    return (main_file.parent / "2026.beancount").read_text(encoding="utf-8")


def test_check(chapel, capsys):
    code, out, err = finsek(capsys, "--ledger", chapel, "check")
    assert code == 0, err
    assert out.startswith(f"{NAME}: the ledger is valid (0 transactions")


def test_gift_dry_run(chapel, capsys):
    before = year_text(chapel)
    code, out, err = finsek(capsys, "--ledger", chapel, "gift", "--date", "2026-11-22", "--amount", "75",
                            "--method", "cash", "--dry-run")
    assert code == 0, err
    assert out.startswith('2026-11-22 * "Gift"') and "75.00 SEK" in out
    assert year_text(chapel) == before


def test_gift_saved(chapel, capsys):
    code, out, err = finsek(capsys, "--ledger", chapel, "gift", "--date", "2026-11-22", "--amount", "75",
                            "--method", "cash", "--memo", "saved where it was asked")
    assert code == 0, err
    assert out.startswith("Saved the gift of 75.00 SEK")
    assert "saved where it was asked" in year_text(chapel)


@pytest.mark.parametrize("where", ["before report", "between report and board"])
def test_report_board_json(chapel, tmp_path, capsys, where):
    out_dir = tmp_path / "board"
    command = ["--ledger", chapel, "report", "board"] if where == "before report" else [
        "report", "--ledger", chapel, "board"]
    code, out, err = finsek(capsys, *command, "--month", "2026-10", "--format", "json", "--out", out_dir)
    assert code == 0, err
    assert f"Board report for {NAME}, October 2026:" in out
    (written,) = out_dir.iterdir()
    assert written.suffix == ".json" and NAME in written.read_text(encoding="utf-8")


def test_audit(chapel, capsys):
    code, out, err = finsek(capsys, "--ledger", chapel, "audit", "--no-git")
    assert code == 0, err
    assert out.startswith(f"{NAME}: audit of") and "The audit found nothing to question." in out


@pytest.mark.parametrize("where", ["before donor", "between donor and list"])
def test_donor_list(chapel, capsys, where):
    command = ["--ledger", chapel, "donor", "list"] if where == "before donor" else [
        "donor", "--ledger", chapel, "list"]
    code, out, err = finsek(capsys, *command, "--format", "json")
    assert code == 0, err
    assert [donor["name"] for donor in json.loads(out)] == ["Zebulon Quartermaine"]


def test_undo(chapel, capsys):
    code, _, err = finsek(capsys, "gift", "--ledger", chapel, "--date", "2026-11-22", "--amount", "75",
                          "--method", "cash", "--memo", "to be taken back")
    assert code == 0, err
    assert "to be taken back" in year_text(chapel)
    code, out, err = finsek(capsys, "--ledger", chapel, "undo", "--yes")
    assert code == 0, err
    assert "Took back the gift of 75.00 SEK" in out
    assert "to be taken back" not in year_text(chapel)


def _leaf_parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every (command words, parser) of finsek, the top-level parser included."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _leaf_parsers(child, (*path, name))


def test_every_ledger_option_keeps_a_value_given_before_the_command():
    """A subcommand's own default would overwrite a --ledger given before it: every one must be SUPPRESS."""
    seen = []
    for path, parser in _leaf_parsers(build_parser()):
        for action in parser._actions:
            if "--ledger" in action.option_strings:
                seen.append(" ".join(path))
                assert action.default is argparse.SUPPRESS, f"finsek {' '.join(path)} --ledger"
                assert action.help == build_parser()._option_string_actions["--ledger"].help
    for command in ("", "check", "gift", "undo", "report", "report board", "report pledges", "audit", "close",
                    "donor", "donor list", "donor add", "statements"):
        assert command in seen
