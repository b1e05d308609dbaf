"""A small, clean church ledger that each audit test changes to trip one check."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from finsek.audit.engine import run_audit
from finsek.cli.main import build_parser, run
from finsek.ledger.books import load_books
from finsek.ledger.template import create_ledger

TODAY = dt.date(2026, 11, 27)
BIN = Path(sys.executable).parent

DONORS = (
    "D0001,Anna Svensson,H1,Storgatan 1,,111 22,Uppsala,SE,anna@example.org,101,,\n"
    "D0002,Bo Jones,H2,12 Elm St,,02134,Boston,US,,102,,\n"
    "D0003,Carla Okafor,H3,3 Oak Ave,,02135,Boston,US,,103,,\n"
    "D0004,C. Okafor,H3,,,,,,,,merged,D0003\n"
)

RECEIPTS = ("documents/2026/2026-09-15-city-power.pdf", "documents/2026/2026-10-12-roof.pdf")

#: Two months of clean books: every check passes.
ENTRIES = """
2026-09-01 * "Opening balances" "Balances carried over from the previous books"
  Assets:Bank:Checking           5000.00 USD
  Assets:Bank:Savings           10000.00 USD
  Equity:NetAssets:Opening     -12000.00 USD
    fund: "general"
  Equity:NetAssets:Opening      -3000.00 USD
    fund: "building"

2026-09-06 * "Offering" "Sunday offering, counted by A. Svensson and B. Jones" ^offering-2026-09-06
  counted-by: "A. Svensson, B. Jones"
  Assets:Bank:Checking             390.00 USD
  Income:Contributions:Offerings  -100.00 USD
    donor: "D0001"
    method: "check"
    check: "1234"
  Income:Contributions:Offerings   -40.00 USD
    method: "cash"
  Income:Contributions:Designated -250.00 USD
    fund: "building"
    donor: "D0002"
    method: "check"
    check: "881"

2026-09-15 * "City Power & Light" "August electricity"
  check: "1001"
  receipt: "documents/2026/2026-09-15-city-power.pdf"
  Expenses:Facilities:Utilities    182.40 USD
  Assets:Bank:Checking            -182.40 USD

2026-10-01 balance Assets:Bank:Checking   5207.60 USD
2026-10-01 balance Assets:Bank:Savings   10000.00 USD

2026-10-04 * "Offering" "Sunday offering, counted by C. Lee and D. Moore" ^offering-2026-10-04
  counted-by: "C. Lee, D. Moore"
  Assets:Bank:Checking             275.00 USD
  Income:Contributions:Offerings  -200.00 USD
    donor: "D0003"
    method: "check"
    check: "5521"
  Income:Contributions:Offerings   -75.00 USD
    method: "cash"

2026-10-12 * "Summit Roofing" "Roof repair"
  check: "1002"
  receipt: "documents/2026/2026-10-12-roof.pdf"
  approved-by: "Church council"
  Expenses:Facilities:Maintenance 1200.00 USD
    fund: "building"
  Assets:Bank:Checking           -1200.00 USD

2026-10-20 * "Online giving" "Online gift"
  Assets:Bank:Checking              50.00 USD
  Income:Contributions:Offerings   -50.00 USD
    donor: "D0004"
    method: "online"

2026-11-01 balance Assets:Bank:Checking   4332.60 USD
2026-11-01 balance Assets:Bank:Savings   10000.00 USD
"""


def make_books(folder: Path, entries: str = ENTRIES, settings: str = "") -> Path:
    main = create_ledger(folder, "Test Church", today=TODAY)
    with (folder / "donors.csv").open("a", encoding="utf-8") as handle:
        handle.write(DONORS)
    for receipt in RECEIPTS:
        path = folder / receipt
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4 receipt\n")
    if settings:
        append(folder / "accounts.beancount", settings)
    append(folder / "2026.beancount", entries)
    return main


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def audit(main: Path, start=None, end=None, git: bool = True):
    return run_audit(load_books(main), start, end, today=TODAY, git=git)


def codes(result, severity: str | None = None) -> list[str]:
    return sorted(f.code for f in result.findings if severity is None or f.severity == severity)


def finsek(capsys, *args, today: dt.date = TODAY) -> tuple[int, str, str]:
    """Run ``finsek audit`` or ``finsek close`` in-process, as ``finsek.cli.main`` runs them, on ``today``."""
    parsed = build_parser().parse_args([str(arg) for arg in args])
    code = run(parsed, today=today)
    out, err = capsys.readouterr()
    return code, out, err


def bean_check(main: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    return subprocess.run([str(BIN / "bean-check"), "--no-cache", str(main)], capture_output=True, text=True,
                          env=env)


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"}
    result = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, env=env, check=True)
    return result.stdout


@pytest.fixture
def books(tmp_path) -> Path:
    return make_books(tmp_path / "books")
