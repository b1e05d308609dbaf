"""The reconciliation as the statement matching uses it: entries marked cleared, lines not in the books."""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from finsek.ledger.books import load_books
from finsek.ledger.reconcile import start_reconciliation
from tests.reconcile.conftest import ACCOUNT, OCTOBER_BALANCE, TODAY

OCTOBER = dt.date(2026, 10, 31)


class Line(NamedTuple):
    """A statement line as the readers make it (only what the reconciliation reads)."""

    date: dt.date
    amount: Decimal
    text: str


class Matched(NamedTuple):
    """The matching's own item: it carries the entry."""

    entry: object


def october(books_path):
    books = load_books(books_path)
    return books, start_reconciliation(books, ACCOUNT, OCTOBER, Decimal(OCTOBER_BALANCE), today=TODAY)


def test_entries_the_matching_found_are_cleared_and_its_lines_not_in_the_books_explain_the_rest(books_path):
    _books, found = october(books_path)
    on_statement = [item.entry for item in found.items if item.date <= dt.date(2026, 10, 12)]
    assert found.mark_cleared([Matched(on_statement[0]), *on_statement[1:]]) == 4
    assert found.mark_cleared(on_statement) == 0  # already ticked
    assert found.difference == Decimal("-12.00")
    found.add_unrecorded([Line(OCTOBER, Decimal("-12.00"), "SERVICE CHARGE")])
    hints = found.explain()
    assert "1 line(s) not in the books, -12.00 USD in all, which is the difference" in hints[0]
    assert found.to_dict()["unrecorded"] == [{"date": "2026-10-31", "amount": "-12.00", "text": "SERVICE CHARGE"}]


def test_ticks_by_file_and_line_and_the_running_totals(books_path):
    _books, found = october(books_path)
    check = next(item for item in found.items if item.check == "1002")
    assert found.mark_cleared([(books_path, check.entry.meta["lineno"])]) == 1
    assert found.cleared_balance == Decimal("-1200.00")
    number = found.number_of(check)
    assert found.toggle(number) is False and found.cleared_balance == 0
    name, _, _line = check.where.rpartition(":")
    assert name == "books.beancount" and found.tick_ref(check.where) is check
    assert found.ticked_count == 1 and found.outstanding_total == found.books_balance + Decimal("1200.00")


def test_a_ticked_item_the_statement_does_not_show_is_named(books_path):
    _books, found = october(books_path)
    found.tick_all(dt.date(2026, 10, 12))
    found.tick_ref("#1004")  # ticked by mistake: the statement does not show it
    found.statement_balance = found.cleared_balance + Decimal("82.38")
    assert any("check 1004 Office Depot -82.38 USD" in hint and "untick it" in hint for hint in found.explain())
