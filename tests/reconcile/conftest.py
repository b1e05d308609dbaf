"""A checking account not made by finsek: two checks and a deposit outstanding at the end of October,
a bank fee on the statement that is not in the books, then November with interest the books lack."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from finsek.cli.main import build_parser, run

TODAY = dt.date(2026, 12, 5)
BIN = Path(sys.executable).parent
ACCOUNT = "Assets:Bank:FirstNational"

#: One file, no plugin, no fund registry, accounts finsek's template does not have.
LEDGER = """option "title" "St. Mark's Parish"
option "operating_currency" "USD"

2026-01-01 open Assets:Bank:FirstNational USD
2026-01-01 open Assets:Cash:Petty USD
2026-01-01 open Equity:Opening
2026-01-01 open Income:Plate
2026-01-01 open Expenses:Utilities
2026-01-01 open Expenses:Repairs
2026-01-01 open Expenses:Housing
2026-01-01 open Expenses:Office
2026-01-01 open Expenses:BankCharges
2026-01-01 open Income:Interest

2026-10-01 * "Opening" "Balance brought forward"
  Assets:Bank:FirstNational   5000.00 USD
  Equity:Opening

2026-10-04 * "Plate offering"
  Assets:Bank:FirstNational   1250.00 USD
  Income:Plate

2026-10-05 * "City Power" "September electricity"
  check: "1001"
  Expenses:Utilities           182.40 USD
  Assets:Bank:FirstNational

2026-10-12 * "Summit Roofing" "Gutter repair"
  check: "1002"
  Expenses:Repairs            1200.00 USD
  Assets:Bank:FirstNational

2026-10-26 * "Rev. Ortiz" "Housing allowance"
  check: "1003"
  Expenses:Housing             900.00 USD
  Assets:Bank:FirstNational

2026-10-29 * "Office Depot" "Printer paper"
  check: "1004"
  Expenses:Office               82.38 USD
  Assets:Bank:FirstNational

2026-10-31 * "Plate offering"
  Assets:Bank:FirstNational    640.00 USD
  Income:Plate

2026-11-08 * "Plate offering"
  Assets:Bank:FirstNational    980.00 USD
  Income:Plate

2026-11-10 * "City Power" "October electricity"
  check: "1005"
  Expenses:Utilities           300.00 USD
  Assets:Bank:FirstNational
"""

#: The bank's October statement: the fee of 12.00 is not in the books; checks 1003 and 1004 and the
#: deposit of 31 October have not reached the bank.
OCTOBER_BALANCE = "4855.60"  # 5000 + 1250 - 182.40 - 1200 - 12.00
#: November: the deposit in transit, check 1003, the 980.00 offering and check 1005 cleared, and 1.25
#: interest; check 1004 is still outstanding.
NOVEMBER_BALANCE = "5276.85"  # 4855.60 + 640 - 900 + 980 - 300 + 1.25


@pytest.fixture
def books_path(tmp_path) -> Path:
    folder = tmp_path / "parish"
    folder.mkdir()
    main = folder / "books.beancount"
    main.write_text(LEDGER, encoding="utf-8")
    return main


def finsek(capsys, *args, today: dt.date | None = TODAY) -> tuple[int, str, str]:
    """Run a finsek command in-process (``today=None``: a command that takes no date, such as payment)."""
    parsed = build_parser().parse_args([str(arg) for arg in args])
    code = run(parsed, today=today)
    out, err = capsys.readouterr()
    return code, out, err


def reconcile_json(capsys, main: Path, date: str, balance: str, *extra: str) -> tuple[int, dict, str]:
    code, out, err = finsek(capsys, "reconcile", "--ledger", main, "--account", ACCOUNT, "--statement-date", date,
                            "--statement-balance", balance, "--json", *extra)
    return code, json.loads(out) if out.strip() else {}, err


def bean_check(main: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    return subprocess.run([str(BIN / "bean-check"), str(main)], capture_output=True, text=True, env=env)
