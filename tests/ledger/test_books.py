"""Reading any Beancount ledger: bean-example output and finsek's own."""

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from beancount import loader
from beanquery import query

from finsek.ledger.books import load_books


@pytest.fixture(scope="module")
def example_ledger(tmp_path_factory):
    path = tmp_path_factory.mktemp("example") / "example.beancount"
    bean_example = os.path.join(os.path.dirname(sys.executable), "bean-example")
    subprocess.run([bean_example, "--seed", "3", "--date-begin", "2024-01-01", "--date-end", "2025-12-31",
                    "-o", str(path)], check=True, capture_output=True)
    return path


def beanquery_sum(path, where):
    entries, _, options = loader.load_file(str(path))
    _, rows = query.run_query(entries, options, f"SELECT sum(number) AS total WHERE {where}")
    total = rows[0][0] if rows else None
    return total or Decimal(0)


def test_a_ledger_finsek_did_not_create_loads(example_ledger):
    books = load_books(example_ledger)
    assert books.errors == []
    assert books.currency == "USD"
    assert books.funds == {}
    assert books.fund_balances().keys() == {"general"}
    assert books.transaction_count > 500
    assert books.payees()
    assert books.last_transaction(books.payees()[0]) is not None


def test_account_balances_equal_beanquery(example_ledger):
    books = load_books(example_ledger)
    for account in ("Assets:US:BofA:Checking", "Liabilities:US:Chase:Slate", "Expenses:Food", "Income:US"):
        for day in (dt.date(2024, 6, 30), dt.date(2025, 12, 31)):
            expected = beanquery_sum(
                example_ledger,
                f"account ~ '^{account}(:|$)' AND currency = 'USD' AND date <= {day.isoformat()}",
            )
            assert books.account_balance(account, day) == expected, (account, day)


def test_postings_without_fund_count_in_default_fund(example_ledger):
    books = load_books(example_ledger)
    expected = -beanquery_sum(example_ledger, "account ~ '^(Income|Expenses|Equity):' AND currency = 'USD'")
    assert books.fund_balance("general") == expected


def test_load_errors_are_data(tmp_path):
    path = tmp_path / "broken.beancount"
    path.write_text('2026-01-01 open Assets:A\n2026-01-02 * "x"\n  Assets:B  1 USD\n  Assets:A\n')
    books = load_books(path)
    assert books.errors
    assert books.errors[0].filename.endswith("broken.beancount")
    assert books.errors[0].lineno == 2
    assert "Assets:B" in books.errors[0].message
