"""Board report rules on a small hand-written ledger: classes, transfers, flags, sentences."""

import datetime as dt
from decimal import Decimal

import pytest

from finsek.ledger.books import load_books
from finsek.ledger.template import create_ledger
from finsek.reports.board import build_board_report
from finsek.reports.render import render

ENTRIES = """
2026-01-05 * "Offering"
  Assets:Bank:Checking            1000.00 USD
  Income:Contributions:Offerings -1000.00 USD
    donor: "D0001"

2026-01-06 * "Anonymous gift"
  Assets:Bank:Checking            50.00 USD
  Income:Contributions:Offerings -50.00 USD

2026-02-02 * "Board transfer to the operating reserve"
  Equity:Transfers   300.00 USD
    fund: "general"
  Equity:Transfers  -300.00 USD
    fund: "reserve"

2026-02-10 * "Bus for the youth trip"
  Expenses:Ministry:Youth   120.00 USD
    fund: "youthtrip"
  Assets:Bank:Checking     -120.00 USD

2026-02-11 * "Copier toner"
  Expenses:Administration:Office   40.00 USD
  Liabilities:Payable             -40.00 USD

2026-03-01 balance Assets:Bank:Checking 930.00 USD
"""


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules") / "books"
    main = create_ledger(folder, "St. Mary's & All Saints", today=dt.date(2026, 3, 5))
    with open(main.parent / "accounts.beancount", "a", encoding="utf-8") as handle:
        handle.write('2026-01-01 custom "fund" "reserve" "Operating Reserve" "designated"\n')
    with open(main.parent / "donors.csv", "a", encoding="utf-8") as handle:
        handle.write("D0001,Anna Svensson,H1,,,,,,,,,\n")
    with open(main.parent / "2026.beancount", "a", encoding="utf-8") as handle:
        handle.write(ENTRIES)
    loaded = load_books(main)
    assert not [error for error in loaded.errors if "youthtrip" not in error.message], loaded.errors
    return loaded


def test_transfers_classes_and_tie_out(books):
    report = build_board_report(books, dt.date(2026, 2, 1), generated=dt.date(2026, 3, 5))
    funds = {row["fund"]: row for row in report.table("funds_month").rows() if row["kind"] == "row"}
    assert funds["general"]["transfers_out"] == Decimal("300.00")
    assert funds["reserve"]["transfers_in"] == Decimal("300.00")
    assert funds["reserve"]["closing"] == Decimal("300.00")
    assert funds["youthtrip"]["disbursements"] == Decimal("120.00")
    assert funds["youthtrip"]["closing"] == Decimal("-120.00")
    assert funds["general"]["closing"] == Decimal("1050.00") - Decimal("300.00") - Decimal("40.00")
    position = {row["label"]: row for row in report.table("position").rows()}
    assert position["Board-designated"]["end"] == Decimal("300.00")
    assert position["Undesignated"]["end"] == Decimal("590.00")  # general 710 and youthtrip -120
    assert position["Total without donor restrictions"]["end"] == Decimal("890.00")
    assert position["With donor restrictions"]["end"] == Decimal("0.00")
    assert position["Total net assets"]["end"] == Decimal("890.00")
    assert position["Total liabilities"]["end"] == Decimal("40.00")
    assert position["Total liabilities and net assets"]["end"] == position["Total assets"]["end"] == Decimal("930.00")
    tie = {row["label"]: row["amount"] for row in report.table("tie_out").rows()}
    assert tie["Less liabilities"] == Decimal("-40.00") and tie["Difference"] == 0


def test_summary_flags_and_sentences(books):
    report = build_board_report(books, dt.date(2026, 2, 1), generated=dt.date(2026, 3, 5))
    text = " ".join(report.summary)
    assert "General Fund by 340.00 USD (to 710.00 USD)" in text  # the transfer and the toner; not the youth trip
    assert "'youthtrip', which is not in the fund registry" in text
    assert "The fund 'youthtrip' is negative (-120.00 USD)" in text
    giving = report.table("giving").row("Jan–Feb 2026")  # one giving household: the months are folded, no figure
    assert giving["this_year"] == "fewer than 3" and giving["households"] == "fewer than 3"
    recon = report.table("reconciliation").row("Assets:Bank:Checking", "account")
    assert recon["label"] == "Checking"
    assert (recon["through"], recon["statement"], recon["balance"], recon["status"]) == (
        "2026-02-28", Decimal("930.00"), Decimal("930.00"), "Reconciled through 28 Feb 2026")
    markdown = render(report, "md").decode()
    assert "Anna Svensson" not in markdown and "D0001" not in markdown
    assert "St. Mary&#x27;s &amp; All Saints" in render(report, "html").decode()


def test_html_escapes_and_xlsx_sheet_names(books):
    from io import BytesIO

    from openpyxl import load_workbook

    report = build_board_report(books, dt.date(2026, 2, 1))
    book = load_workbook(BytesIO(render(report, "xlsx")))
    assert book.sheetnames[0] == "Summary" and len(book.sheetnames) == 1 + len(report.tables())
    assert book["Activities"]["A2"].value.startswith("St. Mary's & All Saints")
