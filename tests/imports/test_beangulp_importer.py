"""finsek's readers through beangulp's Importer interface (what Fava's import page calls)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import beangulp
from beancount import loader
from beancount.core import data

from finsek.imports.beangulp_importer import BankStatementImporter
from finsek.imports.statement import BANK_REF_KEY

FIXTURES = Path(__file__).parent / "fixtures"
BANK = "Assets:Bank:Checking"

BOOKS = """
2026-01-01 open Assets:Bank:Checking USD
2026-01-01 open Expenses:Utilities USD
2026-11-03 * "City Power & Light" "October electricity"
  check: "1043"
  Expenses:Utilities      182.40 USD
  Assets:Bank:Checking   -182.40 USD
2026-11-30 * "Bank" "Fee"
  bank-ref: "202611300"
  Expenses:Utilities      12.00 USD
  Assets:Bank:Checking   -12.00 USD
"""


def test_identify_account_date_extract():
    importer = BankStatementImporter(BANK, account_id="000123456789")
    assert isinstance(importer, beangulp.Importer)
    qfx = str(FIXTURES / "ofx1_checking.qfx")
    assert importer.identify(qfx)
    assert not importer.identify(str(FIXTURES / "ofx2_checking.ofx"))  # another account
    assert not importer.identify(str(FIXTURES / "unknown.csv"))
    assert importer.account(qfx) == BANK
    assert importer.date(qfx) == dt.date(2026, 11, 30)
    entries = importer.extract(qfx, [])
    transactions = [entry for entry in entries if isinstance(entry, data.Transaction)]
    assert [entry.meta[BANK_REF_KEY] for entry in transactions][:2] == ["202611020", "202611200"]
    assert transactions[3].meta["check"] == "1043"
    balance = [entry for entry in entries if isinstance(entry, data.Balance)]
    assert balance[0].date == dt.date(2026, 12, 1) and balance[0].amount.number == Decimal("4410.27")


def test_deduplicate_marks_what_the_books_have():
    existing, errors, _ = loader.load_string(BOOKS)
    assert not errors
    importer = BankStatementImporter(BANK)
    qfx = str(FIXTURES / "ofx1_checking.qfx")
    entries = importer.extract(qfx, existing)
    importer.deduplicate(entries, existing)
    duplicates = {entry.meta[BANK_REF_KEY] for entry in entries
                  if isinstance(entry, data.Transaction) and "__duplicate__" in entry.meta}
    assert duplicates == {"202611240", "202611300"}  # the check (matched) and the fee (booked before by bank-ref)


def test_csv_with_a_counter_account():
    importer = BankStatementImporter(BANK, counter_account="Expenses:Uncategorized")
    entries = importer.extract(str(FIXTURES / "chase_checking.csv"), [])
    first = entries[0]
    assert [p.account for p in first.postings] == [BANK, "Expenses:Uncategorized"]
    assert first.meta[BANK_REF_KEY].startswith("line:2026-11-02:-82.38:1:")
