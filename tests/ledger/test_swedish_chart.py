"""A Swedish congregation from the start: Swedish accounts with BAS numbers, roles, funds, kronor thresholds."""

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader

from finsek.audit.checks.settings import audit_settings
from finsek.cli.main import main
from finsek.imports.sie.export import export_year
from finsek.ledger import roles
from finsek.ledger.books import load_books
from finsek.ledger.template import create_ledger

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def swedish(tmp_path) -> Path:
    folder = tmp_path / "forsamling"
    main_file = create_ledger(folder, "Ödeby församling", currency="SEK", locale="sv_SE", today=TODAY)
    (folder / "donors.csv").write_text(
        "id,name,household,address1,address2,postal_code,city,country,email,envelope,notes,alias_of\n"
        "D0001,Åsa Öberg,,Kyrkvägen 1,,123 45,Ödeby,SE,,7,,\n", encoding="utf-8")
    return main_file


def finsek(capsys, *argv):
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def test_init_writes_a_swedish_chart_that_bean_check_accepts(swedish):
    assert subprocess.run([str(Path(sys.executable).with_name("bean-check")), str(swedish)],
                          capture_output=True).returncode == 0
    entries, _errors, _options = loader.load_file(str(swedish))
    opens = {entry.account: entry.meta.get("bas") for entry in entries if type(entry).__name__ == "Open"}
    assert opens["Assets:Bank:Företagskonto"] == "1930" and opens["Income:Gåvor:Kollekter"] == "3010"
    assert all(number for number in opens.values())
    books = load_books(swedish)
    assert books.default_fund == "allmanna" and books.funds["bygg"].title == "Byggfonden"
    assert roles.account(books.settings, "deposit") == "Assets:Bank:Företagskonto"
    assert roles.account(books.settings, "bank-fees") == "Expenses:Administration:Bankkostnader"
    assert books.settings.approval_threshold == Decimal("5000.00")
    assert audit_settings(books.entries, books.settings).receipt_threshold == Decimal("500.00")


def test_an_english_ledger_keeps_finseks_english_accounts(tmp_path):
    books = load_books(create_ledger(tmp_path / "c", "Grace Church", today=TODAY))
    assert roles.account(books.settings, "deposit") == "Assets:Bank:Checking"
    assert roles.account(books.settings, "gifts") == "Income:Contributions:Offerings"


def test_gifts_transfers_and_payments_find_the_swedish_accounts(swedish, capsys):
    ledger = ["--ledger", swedish]
    code, _out, err = finsek(capsys, *ledger, "gift", "--date", "2026-11-22", "--amount", "500", "--donor", "D0001",
                             "--method", "swish")
    assert code == 0, err
    code, _out, err = finsek(capsys, *ledger, "gift", "--date", "2026-11-22", "--amount", "300", "--donor", "D0001",
                             "--fund", "bygg", "--method", "bankgiro")
    assert code == 0, err
    code, _out, err = finsek(capsys, *ledger, "transfer", "--date", "2026-11-23", "--amount", "100",
                             "--from-fund", "allmanna", "--to-fund", "bygg", "--memo", "Styrelsebeslut")
    assert code == 0, err
    code, _out, err = finsek(capsys, *ledger, "payment", "--date", "2026-11-24", "--amount", "812,40", "--payee",
                             "Vattenfall", "--account", "Expenses:Lokal:El-och-värme")
    assert code == 0, err
    text = (swedish.parent / "2026.beancount").read_text(encoding="utf-8")
    assert "Assets:Bank:Företagskonto" in text and "Income:Gåvor:Kollekter" in text
    assert "Income:Gåvor:Ändamålsbestämda" in text and "Equity:Överföringar-mellan-ändamål" in text
    assert "Assets:Bank:Checking" not in text and "Income:Contributions" not in text
    assert 'method: "swish"' in text


def test_sie_export_of_a_swedish_year(swedish, capsys):
    finsek(capsys, "--ledger", swedish, "gift", "--date", "2026-11-22", "--amount", "500", "--donor", "D0001",
           "--method", "swish")
    sie, notes = export_year(load_books(swedish), 2026, TODAY)
    assert notes == []  # every account has its bas: number
    assert {row.account for voucher in sie.vouchers for row in voucher.rows} == {"1930", "3010"}
