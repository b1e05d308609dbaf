"""A small sample church ledger shared by the plugin and digest tests."""

import datetime as dt
from pathlib import Path

from finsek.ledger.template import create_ledger

DONORS = "D0042,Anna Svensson,,,,,,,,12,,\nD0077,Bo Jones,,,,,,,,,,\nD0100,Anna S.,,,,,,,,,,D0042\n"

ENTRIES = """
2026-09-06 * "Offering" "Sunday offering, counted by A. Svensson and B. Jones" ^offering-2026-09-06
  counted-by: "A. Svensson, B. Jones"
  Assets:Bank:Checking             390.00 USD
  Income:Contributions:Offerings   -100.00 USD
    donor: "D0042"
    method: "check"
    check: "1234"
  Income:Contributions:Offerings    -40.00 USD
    method: "cash"
  Income:Contributions:Designated -250.00 USD
    fund: "building"
    donor: "D0077"
    method: "check"
    check: "881"

2026-10-03 * "City Power & Light" "September electricity"
  check: "1043"
  receipt: "documents/2026/2026-10-03-city-power.pdf"
  Expenses:Facilities:Utilities   182.40 USD
  Assets:Bank:Checking           -182.40 USD

2026-10-03 * "Anna Svensson" "Online gift"
  Assets:Bank:Checking   50.00 USD
  Income:Contributions:Offerings  -50.00 USD
    donor: "D0100"
    method: "online"

2026-10-18 * "Board transfer to building reserve"
  Equity:Transfers   500.00 USD
    fund: "general"
  Equity:Transfers  -500.00 USD
    fund: "building"

2026-10-31 balance Assets:Bank:Checking  257.60 USD

2026-11-08 * "Offering" "Sunday offering"
  Assets:Bank:Checking  75.00 USD
  Income:Contributions:Offerings  -75.00 USD
    method: "cash"
"""

#: Text edits inside the closed period (each changes the digest).
TAMPERS = {
    "amount": ("500.00 USD", "500.01 USD"),
    "date": ("2026-10-18 *", "2026-10-19 *"),
    "payee": ('"City Power & Light"', '"City Power and Light"'),
    "account": ("Expenses:Facilities:Utilities", "Expenses:Facilities:Maintenance"),
    "metadata": ('check: "1043"', 'check: "1044"'),
    "delete": (
        '2026-10-18 * "Board transfer to building reserve"\n  Equity:Transfers   500.00 USD\n'
        '    fund: "general"\n  Equity:Transfers  -500.00 USD\n    fund: "building"\n',
        "",
    ),
    "insert": (
        "2026-10-31 balance",
        '2026-10-20 * "Board transfer"\n  Equity:Transfers  10.00 USD\n    fund: "general"\n'
        '  Equity:Transfers  -10.00 USD\n    fund: "missions"\n\n2026-10-31 balance',
    ),
}


def make_books(tmp_path: Path, entries: str = ENTRIES, name: str = "books") -> Path:
    main = create_ledger(tmp_path / name, "Test Church", today=dt.date(2026, 11, 27))
    with (main.parent / "donors.csv").open("a", encoding="utf-8") as handle:
        handle.write(DONORS)
    append(main.parent / "2026.beancount", entries)
    return main


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
