"""On the command line: saves that stop what the audit calls an error, the audit's warnings at entry, and
``close`` / ``undo`` asking first (``--yes`` for scripts)."""

import datetime as dt
import io
import sys
from pathlib import Path

import pytest

from finsek.audit.engine import run_audit
from finsek.cli.main import main
from finsek.demo import generate_demo
from finsek.ledger.books import load_books

#: A church ledger finsek did not make: no plugin, its own names, a restricted and a designated fund.
BOOKS = """\
option "title" "St. Olaf Lutheran"
option "operating_currency" "USD"

2025-01-01 custom "finsek" "default-fund" "operating"
2025-01-01 custom "finsek" "approval-threshold" 1000.00 USD
2025-01-01 custom "fund" "operating" "Operating" "unrestricted"
2025-01-01 custom "fund" "organ" "Organ Restoration" "restricted"
2025-01-01 custom "fund" "youth" "Youth Camp" "designated"

2025-01-01 open Assets:Bank:Checking
2025-01-01 open Equity:Opening
2025-01-01 open Equity:Transfers
2025-01-01 open Income:Contributions:Offerings
2025-01-01 open Expenses:Music
2025-01-01 open Expenses:Youth

2025-01-02 * "Opening balances"
  Assets:Bank:Checking   5000.00 USD
  Equity:Opening        -4000.00 USD
    fund: "operating"
  Equity:Opening         -600.00 USD
    fund: "organ"
  Equity:Opening         -400.00 USD
    fund: "youth"
"""

DAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


@pytest.fixture
def olaf(tmp_path) -> Path:
    folder = tmp_path / "olaf"
    folder.mkdir()
    (folder / "main.beancount").write_text(BOOKS, encoding="utf-8")
    (folder / "donors.csv").write_text("id,name,household\nD0007,Karin Lind,H7\n", encoding="utf-8")
    return folder / "main.beancount"


def finsek(capsys, *argv):
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.beancount"))}


# -- refusals at the door ----------------------------------------------------------------


def test_the_demo_refuses_a_transfer_that_overdraws_missions(tmp_path, capsys):
    demo = generate_demo(tmp_path / "demo")
    before = files(demo.parent)
    code, out, err = finsek(capsys, "transfer", "--ledger", demo, "--amount", "20000", "--from-fund", "missions",
                            "--to-fund", "general")
    assert code == 1 and out == ""
    assert "The Missions Fund (restricted) has " in err and "cannot go below zero" in err
    assert "move at most" in err
    assert files(demo.parent) == before


def test_a_payment_past_a_restricted_fund_is_refused_with_what_to_do(olaf, capsys):
    before = files(olaf.parent)
    code, _out, err = finsek(capsys, "payment", "--ledger", olaf, "--date", DAY, "--payee", "Organ builder",
                            "--amount", "700", "--account", "Expenses:Music", "--fund", "organ")
    assert code == 1
    assert "Organ Restoration (restricted) has 600.00 USD" in err
    assert "finsek transfer --amount 100.00 --from-fund operating --to-fund organ" in err
    assert files(olaf.parent) == before


def test_a_designated_fund_below_zero_needs_confirm_and_records_who_approved(olaf, capsys):
    argv = ["transfer", "--ledger", olaf, "--date", DAY, "--amount", "500", "--from-fund", "youth",
            "--to-fund", "operating"]
    before = files(olaf.parent)
    code, _, err = finsek(capsys, *argv)
    assert code == 1 and "--confirm" in err and "Youth Camp (designated) has 400.00 USD" in err
    code, _, err = finsek(capsys, *argv, "--confirm")
    assert code == 2 and "--approved-by NAME" in err  # who approved it is recorded, so it must be said
    assert files(olaf.parent) == before
    code, out, err = finsek(capsys, *argv, "--confirm", "--approved-by", "Council, 2026-05-30", "--dry-run")
    assert code == 0 and 'overdraft-approved-by: "Council, 2026-05-30"' in out
    assert files(olaf.parent) == before
    code, out, err = finsek(capsys, *argv, "--confirm", "--approved-by", "Council, 2026-05-30")
    assert code == 0, err
    assert "Youth Camp (designated) goes 100.00 USD below zero, approved by Council, 2026-05-30" in out
    year = (olaf.parent / f"{DAY[:4]}.beancount").read_text()
    assert 'overdraft-approved-by: "Council, 2026-05-30"' in year
    negative = [f for f in run_audit(load_books(olaf), None, None, git=False).findings if f.code == "fund-negative"]
    assert [f.severity for f in negative] == ["warning"]
    assert "Council, 2026-05-30 approved that (overdraft-approved-by)." in negative[0].message


def test_confirm_adds_nothing_when_no_fund_goes_below_zero(olaf, capsys):
    code, out, _err = finsek(capsys, "transfer", "--ledger", olaf, "--date", DAY, "--amount", "100", "--from-fund",
                            "youth", "--to-fund", "operating", "--confirm", "--dry-run")
    assert code == 0 and "overdraft-approved-by" not in out


# -- warnings at entry ---------------------------------------------------------------------


def test_a_payment_above_the_threshold_without_approver_saves_with_a_warning(olaf, capsys):
    argv = ["payment", "--ledger", olaf, "--date", DAY, "--payee", "Camp Lake", "--amount", "1204.50",
            "--account", "Expenses:Youth", "--fund", "operating"]
    code, out, err = finsek(capsys, *argv)
    assert code == 0 and out.startswith("Saved the payment of 1,204.50 USD")
    assert "finsek: warning: This payment of 1,204.50 USD is above the approval threshold of 1,000.00 USD" in err
    code, out, err = finsek(capsys, *argv[:-6], "--amount", "999", "--account", "Expenses:Youth", "--payee", "Other",
                            "--approved-by", "")
    assert code == 0 and "warning" not in err
    audit = run_audit(load_books(olaf), None, None, git=False)
    assert [f.message[:40] for f in audit.findings if f.code == "payment-approval"] == [
        "The payment of 1,204.50 USD to Camp Lake"]


def test_the_same_donor_check_and_a_likely_duplicate_gift_are_warned_about(olaf, capsys):
    gift = ["gift", "--ledger", olaf, "--date", DAY, "--donor", "D0007", "--method", "check", "--check", "4412"]
    code, _, err = finsek(capsys, *gift, "--amount", "100")
    assert code == 0 and "warning" not in err
    code, out, err = finsek(capsys, *gift, "--amount", "100")
    assert code == 0 and out.startswith("Saved the gift")
    assert "D0007's check 4412 is already in the books (a gift on " in err
    assert "has the same donor, amount and way of giving" in err
    code, _, err = finsek(capsys, *gift[:-2], "--check", "4413", "--amount", "75")
    assert code == 0 and "warning" not in err
    # The audit names the same two things, by the same rules.
    audit = run_audit(load_books(olaf), None, None, git=False)
    assert sorted(f.code for f in audit.findings if f.check == "duplicates") == [
        "duplicate-gift-check", "likely-duplicate"]


def test_a_payment_entered_twice_is_warned_about(olaf, capsys):
    pay = ["payment", "--ledger", olaf, "--date", DAY, "--payee", "City Power", "--amount", "182.40",
           "--account", "Expenses:Music"]
    assert finsek(capsys, *pay)[0] == 0
    code, _, err = finsek(capsys, *pay, "--dry-run")
    assert code == 0 and "to the same payee on " in err and "entered twice?" in err


# -- close and undo ask first ----------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def at_a_terminal(monkeypatch, answer: str) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal(answer + "\n"))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)


@pytest.fixture
def last_year(tmp_path) -> Path:
    """A ledger whose entries are a year back, so that a month of it can be closed today."""
    folder = tmp_path / "closing"
    folder.mkdir()
    day = dt.date.today().replace(day=1) - dt.timedelta(days=40)
    text = BOOKS.replace("2025-01-02", day.isoformat()).replace("2025-01-01", (day - dt.timedelta(days=1)).isoformat())
    text += f'\n{day.isoformat()} * "Camp Lake" "Deposit"\n  Expenses:Youth  1500.00 USD\n    fund: "operating"\n'
    text += "  Assets:Bank:Checking  -1500.00 USD\n"
    (folder / "main.beancount").write_text(text, encoding="utf-8")
    return folder / "main.beancount"


def month_end(ledger: Path) -> str:
    first = min(line[:10] for line in ledger.read_text().splitlines() if line[:4].isdigit())
    day = dt.date.fromisoformat(first)
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1).isoformat()[:7]


def test_close_without_a_terminal_and_without_yes_refuses(last_year, capsys):
    before = files(last_year.parent)
    code, out, err = finsek(capsys, "close", "--ledger", last_year, "--through", month_end(last_year), "--no-git")
    assert code == 1
    assert "warning" in out and "above the approval threshold" in out  # the period's warnings, shown first
    assert "add --yes" in err and "there is no terminal to ask" in err
    assert files(last_year.parent) == before


def test_close_asks_and_a_no_closes_nothing(last_year, capsys, monkeypatch):
    at_a_terminal(monkeypatch, "n")
    before = files(last_year.parent)
    code, out, err = finsek(capsys, "close", "--ledger", last_year, "--through", month_end(last_year), "--no-git")
    assert code == 1 and "Nothing was closed" in err
    assert "warnings:" in out and "above the approval threshold" in out and "[y/N]" in out
    assert files(last_year.parent) == before


def test_close_asks_and_a_yes_closes(last_year, capsys, monkeypatch):
    at_a_terminal(monkeypatch, "yes")
    code, out, err = finsek(capsys, "close", "--ledger", last_year, "--through", month_end(last_year), "--no-git")
    assert code == 0, err
    assert "Closed " in out and 'custom "close"' in last_year.read_text() + "".join(
        path.read_text() for path in last_year.parent.glob("20*.beancount"))


def test_undo_shows_the_entry_and_asks(olaf, capsys, monkeypatch):
    assert finsek(capsys, "gift", "--ledger", olaf, "--date", DAY, "--donor", "D0007", "--amount", "40",
                  "--method", "cash", "--memo", "Taken back soon")[0] == 0
    saved = files(olaf.parent)
    code, out, err = finsek(capsys, "undo", "--ledger", olaf)
    assert code == 1 and "add --yes" in err
    assert "The last entry finsek saved is the gift of 40.00 USD" in out and '"Taken back soon"' in out
    assert files(olaf.parent) == saved
    at_a_terminal(monkeypatch, "n")
    code, out, err = finsek(capsys, "undo", "--ledger", olaf)
    assert code == 1 and "Nothing was taken back" in err and files(olaf.parent) == saved
    at_a_terminal(monkeypatch, "y")
    code, out, err = finsek(capsys, "undo", "--ledger", olaf)
    assert code == 0 and "Took back the gift of 40.00 USD" in out
    assert "Taken back soon" not in "".join(path.read_text() for path in olaf.parent.glob("*.beancount"))


def test_undo_with_yes_and_dry_run(olaf, capsys):
    assert finsek(capsys, "gift", "--ledger", olaf, "--date", DAY, "--amount", "40", "--method", "cash")[0] == 0
    code, out, _ = finsek(capsys, "undo", "--ledger", olaf, "--dry-run")
    assert code == 0 and "Nothing was taken back (--dry-run)" in out
    code, out, _ = finsek(capsys, "undo", "--ledger", olaf, "--yes")
    assert code == 0 and "Took back the gift" in out
