"""finsek.ledger.reconciled: the one rule of "reconciled", on ledgers written inline."""

import datetime as dt
from decimal import Decimal

import pytest

from finsek.ledger import reconciled as rc
from finsek.ledger.books import load_books

HEAD = """option "operating_currency" "USD"
2026-01-01 open Assets:Bank:Checking USD
2026-01-01 open Assets:Bank:Old USD
2026-01-01 open Income:Gifts
2026-01-05 * "Gift"
  Assets:Bank:Checking  100.00 USD
  Income:Gifts
2026-02-05 * "Gift"
  Assets:Bank:Checking   20.00 USD
  Income:Gifts
2026-03-05 * "Gift"
  Assets:Bank:Checking    5.00 USD
  Income:Gifts
"""


def _books(tmp_path, extra: str):
    path = tmp_path / "main.beancount"
    path.write_text(HEAD + extra, encoding="utf-8")
    return load_books(path)


def test_a_matching_later_month_counts_even_after_a_missing_one(tmp_path):
    # January matched, February missing, March matched: reconciled through March (the bank and the books agree
    # at the end of March); February stays a month without a statement balance.
    books = _books(tmp_path, "2026-02-01 balance Assets:Bank:Checking 100.00 USD\n"
                             "2026-04-01 balance Assets:Bank:Checking 125.00 USD\n")
    state = rc.reconciled_through(books, "Assets:Bank:Checking", dt.date(2026, 3, 31), today=dt.date(2026, 4, 9))
    assert (state.through, state.due, state.status) == (dt.date(2026, 3, 31), dt.date(2026, 3, 31), "reconciled")
    assert rc.month_status(books, "Assets:Bank:Checking", dt.date(2026, 2, 28)).status == "missing"


def test_a_statement_balance_within_the_grace_days_counts_a_mid_month_one_does_not(tmp_path):
    books = _books(tmp_path, "2026-02-03 balance Assets:Bank:Checking 100.00 USD\n"
                             "2026-03-15 balance Assets:Bank:Checking 125.00 USD\n")
    assert rc.month_status(books, "Assets:Bank:Checking", dt.date(2026, 1, 31)).status == "reconciled"
    assert rc.month_status(books, "Assets:Bank:Checking", dt.date(2026, 2, 28)).status == "missing"
    state = rc.reconciled_through(books, "Assets:Bank:Checking", dt.date(2026, 3, 31), today=dt.date(2026, 4, 9))
    assert state.words() == "Not reconciled since 31 Jan 2026"
    assert state.reason() == "no statement balance for 31 Mar 2026 was entered"
    wider = rc.ReconcileRules(grace_days=0)
    assert rc.month_status(books, "Assets:Bank:Checking", dt.date(2026, 1, 31), wider).status == "missing"


def test_the_rules_come_from_the_ledger_and_a_bad_value_keeps_the_default(tmp_path):
    books = _books(tmp_path, '2026-01-01 custom "finsek" "reconcile-accounts" "Assets:Bank:Checking"\n'
                             '2026-01-01 custom "finsek" "reconcile-grace-days" "three"\n')
    rules = rc.reconcile_rules(books.custom_entries)
    assert rules == rc.ReconcileRules(("Assets:Bank:Checking",), rc.DEFAULT_GRACE_DAYS)
    # Assets:Bank:Old has no posting: nothing to reconcile there
    assert rc.accounts_to_reconcile(books, dt.date(2026, 3, 31)) == ["Assets:Bank:Checking"]
    assert rc.accounts_to_reconcile(books, dt.date(2026, 3, 31), rc.ReconcileRules()) == ["Assets:Bank:Checking"]


def test_a_finished_reconciliation_is_another_source_and_wins_over_a_balance_line(tmp_path, monkeypatch):
    """The extension point for issue 14's ``custom "reconciled"`` records."""
    books = _books(tmp_path, "2026-02-01 balance Assets:Bank:Checking 99.00 USD\n")
    assert rc.month_status(books, "Assets:Bank:Checking", dt.date(2026, 1, 31)).status == "mismatch"

    def finished(books, account):
        return [rc.Statement(account, dt.date(2026, 1, 31), Decimal("130.00"), "USD", Decimal("100.00"), True,
                             "reconciled", dt.date(2026, 2, 1))]

    monkeypatch.setattr(rc, "STATEMENT_SOURCES", [*rc.STATEMENT_SOURCES, finished])
    status = rc.month_status(books, "Assets:Bank:Checking", dt.date(2026, 1, 31))
    assert (status.status, status.statement.source) == ("reconciled", "reconciled")


@pytest.mark.parametrize(("as_of", "today", "due"), [
    (dt.date(2026, 3, 31), dt.date(2026, 4, 1), dt.date(2026, 3, 31)),
    (dt.date(2026, 3, 31), dt.date(2026, 3, 31), dt.date(2026, 2, 28)),
    (dt.date(2026, 3, 20), None, dt.date(2026, 2, 28)),
    (dt.date(2026, 3, 20), dt.date(2026, 1, 15), dt.date(2025, 12, 31)),
])
def test_the_month_end_due(as_of, today, due):
    assert rc.due_month_end(as_of, today) == due


def test_a_balance_matches_exactly_when_bean_check_accepts_it(tmp_path):
    books = _books(tmp_path, '2026-02-01 * "Interest"\n  Assets:Bank:Checking  0.008 USD\n  Income:Gifts\n'
                             "2026-03-01 balance Assets:Bank:Checking 120.00 USD\n"
                             "2026-04-01 balance Assets:Bank:Checking 125.00 ~ 0 USD\n")
    failed = [error.message for error in books.errors if "Balance failed" in error.message]
    february = rc.month_status(books, "Assets:Bank:Checking", dt.date(2026, 2, 28))
    march = rc.month_status(books, "Assets:Bank:Checking", dt.date(2026, 3, 31))
    assert february.status == "reconciled"  # 120.008 against 120.00: inside Beancount's 0.01
    assert march.status == "mismatch" and len(failed) == 1  # 125.008 against 125.00 ~ 0: refused by both
