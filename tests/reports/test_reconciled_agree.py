"""One meaning of "reconciled": the board report, the home screen and the audit agree on one ledger.

The ledger is written inline, not made by finsek (no plugin, no funds, its own account names): Savings'
December statement balance was refused as a mismatch and never entered, Checking's was entered and matches.
"""

import datetime as dt
from decimal import Decimal

import pytest

from finsek.audit.engine import run_audit
from finsek.audit.report import build_report, render_markdown
from finsek.ledger.books import load_books
from finsek.ledger.reconciled import reconciled_through
from finsek.reports.board import build_board_report
from finsek.tui.views.summary import bank_lines

TODAY = dt.date(2027, 1, 10)
DECEMBER = dt.date(2026, 12, 1)

LEDGER = """option "title" "Grace Chapel"
option "operating_currency" "USD"

2025-01-01 open Assets:Bank:Checking USD
2025-01-01 open Assets:Bank:Savings USD
2025-01-01 open Assets:Cash:Petty USD
2025-01-01 open Equity:Opening-Balances
2025-01-01 open Income:Donations
2025-01-01 open Income:Interest
2025-01-01 open Expenses:Utilities

2026-10-01 * "Opening balances"
  Assets:Bank:Checking   1000.00 USD
  Assets:Bank:Savings    5000.00 USD
  Assets:Cash:Petty        50.00 USD
  Equity:Opening-Balances

2026-10-12 * "Sunday offering"
  Assets:Bank:Checking    400.00 USD
  Income:Donations

2026-11-01 balance Assets:Bank:Checking 1400.00 USD
2026-11-01 balance Assets:Bank:Savings  5000.00 USD

2026-11-20 * "City Power" "Electricity"
  Expenses:Utilities      120.00 USD
  Assets:Bank:Checking

2026-12-01 balance Assets:Bank:Checking 1280.00 USD
2026-12-01 balance Assets:Bank:Savings  5000.00 USD

2026-12-20 * "Bank" "Interest"
  Assets:Bank:Savings       3.10 USD
  Income:Interest

2026-12-21 * "Sunday offering"
  Assets:Bank:Checking    300.00 USD
  Income:Donations

2027-01-01 balance Assets:Bank:Checking 1580.00 USD
{savings_december}"""


def _books(tmp_path, savings_december: str = ""):
    main = tmp_path / "books.beancount"
    main.write_text(LEDGER.format(savings_december=savings_december), encoding="utf-8")
    return load_books(main)


def _three(books):
    board = build_board_report(books, DECEMBER, generated=TODAY)
    home = {line.account: line for line in bank_lines(books, TODAY)}
    audit = run_audit(books, dt.date(2026, 10, 1), dt.date(2026, 12, 31), today=TODAY, git=False)
    return board, home, audit


def test_a_refused_december_statement_is_not_reconciled_anywhere(tmp_path):
    books = _books(tmp_path)
    board, home, audit = _three(books)

    # The board report: the table and the summary's attention list.
    table = board.table("reconciliation")
    assert [row["account"] for row in table.rows()] == ["Assets:Bank:Checking", "Assets:Bank:Savings"]
    checking, savings = table.row("Assets:Bank:Checking", "account"), table.row("Assets:Bank:Savings", "account")
    assert (checking["label"], savings["label"]) == ("Checking", "Savings")  # as people say them
    assert checking["status"] == "Reconciled through 31 Dec 2026"
    assert (checking["through"], checking["due"], checking["statement"]) == ("2026-12-31", "2026-12-31",
                                                                            Decimal("1580.00"))
    assert savings["status"] == "Not reconciled since 30 Nov 2026: no statement balance entered"
    assert savings["due"] == "2026-12-31"
    assert savings["reason"] == "no statement balance for 31 Dec 2026 was entered"
    assert (savings["through"], savings["statement"], savings["balance"]) == ("2026-11-30", None,
                                                                                Decimal("5003.10"))
    summary = " ".join(board.summary)
    assert "every bank account is reconciled" not in summary
    assert ("Needs attention: Savings: not reconciled since 30 Nov 2026 (no statement balance for "
            "31 Dec 2026 was entered).") in summary
    assert not any("Checking" in flag for flag in board.warnings)

    # The home screen.
    assert home["Assets:Bank:Checking"].reconciled_words() == "through 31 Dec 2026"
    assert home["Assets:Bank:Savings"].reconciled_words() == "not since 30 Nov 2026"
    assert home["Assets:Bank:Savings"].reconciled_through == dt.date(2026, 11, 30)
    assert home["Assets:Cash:Petty"].reconciled_words() == "never"  # no statement balance was ever entered

    # The audit: the same month end missing, and only that one.
    missing = [f for f in audit.findings if f.code == "unreconciled-month"]
    assert [(f.severity, f.date) for f in missing] == [("warning", dt.date(2026, 12, 31))]
    assert "Assets:Bank:Savings" in missing[0].message
    december = {row.account: row.status for row in audit.reconciliation if row.month_end == dt.date(2026, 12, 31)}
    assert december == {"Assets:Bank:Checking": "reconciled", "Assets:Bank:Savings": "missing"}
    markdown = render_markdown(build_report(books, audit))
    assert "1 have no statement balance" in markdown
    # the audit report says it in the board's words too
    assert ("Assets:Bank:Savings: not reconciled since 30 Nov 2026 (no statement balance for 31 Dec 2026 was "
            "entered).") in markdown
    assert "Assets:Bank:Checking: reconciled through 31 Dec 2026." in markdown

    # All three, account by account: one answer.
    for account in ("Assets:Bank:Checking", "Assets:Bank:Savings"):
        board_ok = table.row(account, "account")["status"].startswith("Reconciled through 31 Dec 2026")
        home_ok = home[account].reconciled_words() == "through 31 Dec 2026"
        audit_ok = december[account] == "reconciled"
        assert board_ok == home_ok == audit_ok


def test_a_december_statement_that_does_not_match_is_not_reconciled_anywhere(tmp_path):
    books = _books(tmp_path, "2027-01-01 balance Assets:Bank:Savings  5000.00 USD\n")
    board, home, audit = _three(books)
    savings = board.table("reconciliation").row("Assets:Bank:Savings", "account")
    assert savings["status"] == "Not reconciled since 30 Nov 2026: the statement balance does not match"
    assert savings["reason"] == ("the statement balance for 31 Dec 2026 (5,000.00 USD) does not match the books "
                                 "(5,003.10 USD)")
    assert savings["statement"] == Decimal("5000.00")
    assert "Savings: not reconciled since 30 Nov 2026 (the statement balance" in " ".join(board.summary)
    assert home["Assets:Bank:Savings"].reconciled_words() == "not since 30 Nov 2026"
    rows = {row.account: row for row in audit.reconciliation if row.month_end == dt.date(2026, 12, 31)}
    assert rows["Assets:Bank:Savings"].status == "mismatch"
    assert rows["Assets:Bank:Savings"].books_amount == Decimal("5003.10")
    assert any(f.code == "balance-mismatch" and f.severity == "error" for f in audit.findings)


def test_every_statement_entered_and_matching_is_reconciled_everywhere(tmp_path):
    books = _books(tmp_path, "2027-01-01 balance Assets:Bank:Savings  5003.10 USD\n")
    board, home, audit = _three(books)
    assert {row["status"] for row in board.table("reconciliation").rows()} == {"Reconciled through 31 Dec 2026"}
    assert not any("Savings" in flag or "Checking" in flag for flag in board.warnings)
    assert {home[name].reconciled_words() for name in ("Assets:Bank:Checking", "Assets:Bank:Savings")} == {
        "through 31 Dec 2026"}
    assert not [f for f in audit.findings if f.check == "reconciliation"]
    assert {row.status for row in audit.reconciliation} == {"reconciled"}


def test_the_settings_that_widen_reconciliation_reach_all_three(tmp_path):
    books = _books(tmp_path, '2025-01-01 custom "finsek" "reconcile-accounts" "Assets:Bank Assets:Cash:Petty"\n')
    board, home, audit = _three(books)
    petty = board.table("reconciliation").row("Assets:Cash:Petty", "account")
    assert petty["status"] == "Never reconciled: no statement balance entered"
    assert "Cash: Petty: never reconciled" in " ".join(board.summary)
    assert home["Assets:Cash:Petty"].reconciled_words() == "never"
    assert {f.date for f in audit.findings if f.code == "unreconciled-month" and "Petty" in f.message} == {
        dt.date(2026, 10, 31), dt.date(2026, 11, 30), dt.date(2026, 12, 31)}


@pytest.mark.parametrize(("as_of", "today", "words"), [
    (dt.date(2026, 12, 31), dt.date(2027, 1, 10), "Not reconciled since 30 Nov 2026"),
    # on 31 December the December statement cannot exist yet: November is the month due, and it matches
    (dt.date(2026, 12, 31), dt.date(2026, 12, 31), "Reconciled through 30 Nov 2026"),
    (dt.date(2026, 12, 15), dt.date(2027, 1, 10), "Reconciled through 30 Nov 2026"),
    (dt.date(2026, 10, 31), dt.date(2027, 1, 10), "Reconciled through 31 Oct 2026"),
    (dt.date(2026, 9, 30), dt.date(2027, 1, 10), "Nothing to reconcile yet"),
])
def test_the_month_due_follows_the_day_asked_and_today(tmp_path, as_of, today, words):
    books = _books(tmp_path)
    assert reconciled_through(books, "Assets:Bank:Savings", as_of, today=today).words() == words
