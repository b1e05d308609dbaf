"""What a finished reconciliation means elsewhere: the one meaning of reconciled (board, home, audit), the
board's outstanding column, stale checks in the audit."""

import datetime as dt
from decimal import Decimal

from finsek.audit.engine import run_audit
from finsek.ledger.books import load_books
from finsek.ledger.reconciled import month_status, reconciled_through
from finsek.reports.board import build_board_report
from tests.reconcile.conftest import ACCOUNT, OCTOBER_BALANCE, TODAY, finsek
from tests.reconcile.test_reconcile_cli import finish_october

OCTOBER = dt.date(2026, 10, 31)


def test_before_finishing_the_month_is_not_reconciled(books_path):
    state = reconciled_through(load_books(books_path), ACCOUNT, OCTOBER, today=TODAY)
    assert state.status == "missing" and state.words() == "Never reconciled"


def test_a_finished_reconciliation_is_the_months_statement_balance(capsys, books_path, tmp_path):
    assert finish_october(capsys, books_path, tmp_path)[0] == 0
    books = load_books(books_path)
    state = reconciled_through(books, ACCOUNT, OCTOBER, today=TODAY)
    assert state.is_reconciled and state.through == OCTOBER
    statement = state.statement
    assert statement.source == "reconciled" and statement.amount == Decimal(OCTOBER_BALANCE)
    # Compared with the books' cleared balance: the balance less what was outstanding.
    assert statement.books_amount == Decimal(OCTOBER_BALANCE) and statement.matched


def test_an_october_entry_added_by_hand_afterwards_unreconciles_october(capsys, books_path, tmp_path):
    assert finish_october(capsys, books_path, tmp_path)[0] == 0
    with books_path.open("a", encoding="utf-8") as handle:
        handle.write('\n2026-10-20 * "Forgotten" "Cash withdrawal"\n  Expenses:Office  40.00 USD\n'
                     "  Assets:Bank:FirstNational\n")
    books = load_books(books_path)
    status = month_status(books, ACCOUNT, OCTOBER)
    assert status.status == "mismatch" and status.statement.source == "reconciled"
    assert any("Balance failed" in error.message for error in books.errors)


def test_the_board_report_shows_the_statement_and_what_was_outstanding(capsys, books_path, tmp_path):
    assert finish_october(capsys, books_path, tmp_path)[0] == 0
    report = build_board_report(load_books(books_path), OCTOBER, generated=TODAY)
    [section] = [section for section in report.sections if section.key == "reconciliation"]
    [row] = section.tables[0].rows()
    assert row["account"] == ACCOUNT and row["label"] == "First National"
    assert row["status"] == "Reconciled through 31 Oct 2026"
    assert row["statement"] == Decimal("4855.60") and row["outstanding"] == Decimal("-342.38")
    assert row["statement"] + row["outstanding"] == row["balance"]


def test_a_check_outstanding_more_than_90_days_is_a_stale_check(capsys, books_path, tmp_path):
    with books_path.open("a", encoding="utf-8") as handle:
        handle.write('\n2026-07-20 * "Camp Wildwood" "Youth camp deposit"\n  check: "0999"\n'
                     "  Expenses:Office  250.00 USD\n  Assets:Bank:FirstNational\n")
    code, _, err = finsek(capsys, "payment", "--ledger", books_path, "--date", "2026-10-31", "--payee",
                          "First National", "--amount", "12.00", "--account", "Expenses:BankCharges", "--from",
                          ACCOUNT, today=None)
    assert code == 0, err
    code, _, err = finsek(capsys, "reconcile", "--ledger", books_path, "--account", ACCOUNT, "--statement-date",
                          "2026-10-31", "--statement-balance", OCTOBER_BALANCE, "--tick", "2026-10-01:5000.00",
                          "--tick", "2026-10-04:1250.00", "--tick", "#1001", "--tick", "#1002", "--tick",
                          "2026-10-31:-12.00", "--finish")
    assert code == 0, err
    result = run_audit(load_books(books_path), dt.date(2026, 10, 1), OCTOBER, today=TODAY, git=False)
    [stale] = [finding for finding in result.findings if finding.code == "stale-check"]
    assert stale.severity == "warning" and stale.check == "reconciliation"
    assert "Check 0999 to Camp Wildwood for 250.00 USD" in stale.message and "103 days" in stale.message
    # Checks 1003 and 1004 are outstanding too, but only days old: not stale.
    assert "1003" not in stale.message
