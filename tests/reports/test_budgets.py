"""Budgets: Fava's directive, exact spreading, ``:`` boundaries, funds, signs."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from finsek.ledger.books import load_books
from finsek.ledger.budgets import (
    BudgetBook,
    accrued,
    month_index,
    month_start,
    parse_budgets,
    spread,
    spread_units,
)
from finsek.ledger.template import create_ledger

CENT = Decimal("0.01")
amounts = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)


@given(amounts, st.integers(min_value=1, max_value=60))
def test_equal_parts_add_up_exactly_and_differ_by_at_most_a_cent(amount, parts):
    pieces = spread(amount, parts)
    assert len(pieces) == parts
    assert sum(pieces, Decimal(0)) == amount
    assert max(pieces) - min(pieces) <= CENT
    assert all(piece == piece.quantize(CENT) for piece in pieces)


@given(st.integers(min_value=-10**12, max_value=10**12),
       st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40).filter(any))
def test_largest_remainder_with_weights(total, weights):
    parts = spread_units(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = abs(total) * weight / whole
        assert abs(abs(part) - exact) < 1
    assert spread_units(-total, weights) == [-part for part in parts]


def test_yearly_budget_spread_over_twelve_months_is_the_yearly_amount():
    assert spread(Decimal("4000.00"), 12) == [Decimal("333.34")] * 4 + [Decimal("333.33")] * 8
    assert spread(Decimal("100.00"), 3) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(spread(Decimal("0.05"), 12)) == Decimal("0.05")


def _book(text: str, default_fund: str = "general") -> BudgetBook:
    from beancount import loader

    entries, _, _ = loader.load_string(text)
    budgets, problems = parse_budgets(entries, default_fund, "USD")
    assert not problems, problems
    return BudgetBook(budgets, "USD")


@given(amounts, st.integers(min_value=1, max_value=12), st.integers(min_value=2000, max_value=2090))
@settings(max_examples=60, deadline=None)
def test_yearly_directive_months_sum_to_amount_from_any_start_month(amount, month, year):
    book = _book(f'{year}-{month:02d}-01 custom "budget" Expenses:Office "yearly" {amount} USD\n')
    first = dt.date(year, month, 1)
    parts = [book.month_amount("Expenses:Office", "general", month_index(first) + k) for k in range(12)]
    assert sum(parts, Decimal(0)) == amount
    assert book.between("Expenses:Office", "general", first, month_start(month_index(first) + 12)
                        - dt.timedelta(days=1)) == amount
    # A yearly budget stays in effect the year after, spread the same way.
    again = [book.month_amount("Expenses:Office", "general", month_index(first) + 12 + k) for k in range(12)]
    assert again == parts


@given(amounts.filter(lambda a: a > 0), st.sampled_from(["daily", "weekly", "monthly", "quarterly", "yearly"]),
       st.integers(min_value=0, max_value=700), st.integers(min_value=1, max_value=700),
       st.integers(min_value=0, max_value=700))
@settings(max_examples=80, deadline=None)
def test_any_split_of_a_span_adds_up_to_the_span(amount, period, offset, length, cut):
    book = _book(f'2024-03-01 custom "budget" Expenses:Office "{period}" {amount} USD\n')
    start = dt.date(2024, 3, 1) + dt.timedelta(days=offset)
    end = start + dt.timedelta(days=length)
    middle = start + dt.timedelta(days=min(cut, length))
    whole = book.between("Expenses:Office", "general", start, end)
    left = book.between("Expenses:Office", "general", start, middle - dt.timedelta(days=1))
    right = book.between("Expenses:Office", "general", middle, end)
    assert left + right == whole
    assert whole == whole.quantize(CENT)


def test_weekly_and_daily_accrue_by_day_exactly():
    book = _book('2026-01-01 custom "budget" Expenses:Office "weekly" 70.00 USD\n'
                 '2026-01-01 custom "budget" Expenses:Benevolence "daily" 1.00 USD\n')
    assert book.month_amount("Expenses:Office", "general", dt.date(2026, 1, 1)) == Decimal("310.00")
    assert book.month_amount("Expenses:Benevolence", "general", dt.date(2026, 2, 1)) == Decimal("28.00")
    year = book.between("Expenses:Office", "general", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert year == accrued(Decimal("70.00"), 365, 7)


def test_later_directive_replaces_earlier_from_its_month():
    book = _book('2026-01-01 custom "budget" Expenses:Office "monthly" 100.00 USD\n'
                 '2026-04-15 custom "budget" Expenses:Office "monthly" 150.00 USD\n')
    months = [book.month_amount("Expenses:Office", "general", dt.date(2026, m, 1)) for m in range(1, 7)]
    assert months == [Decimal("100.00")] * 3 + [Decimal("150.00")] * 3
    assert book.month_amount("Expenses:Office", "general", dt.date(2025, 12, 1)) == 0


def test_prefix_matches_on_colon_boundaries_only():
    book = _book('2026-01-01 custom "budget" Expenses:Office "monthly" 100.00 USD\n'
                 '2026-01-01 custom "budget" Expenses:OfficeParty "monthly" 40.00 USD\n'
                 '2026-01-01 custom "budget" Expenses:Office:Paper "monthly" 10.00 USD\n')
    january = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert book.total("Expenses:Office", *january) == Decimal("110.00")
    assert book.total("Expenses:OfficeParty", *january) == Decimal("40.00")
    assert book.total("Expenses", *january) == Decimal("150.00")


def test_fund_metadata_and_income_sign():
    book = _book('2026-01-01 custom "budget" Income:Contributions:Designated "yearly" 1200.00 USD\n'
                 '  fund: "building"\n'
                 '2026-01-01 custom "budget" Income:Contributions:Offerings "monthly" -500.00 USD\n')
    assert book.pairs() == [("Income:Contributions:Designated", "building"),
                           ("Income:Contributions:Offerings", "general")]
    january = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert book.total("Income", *january, fund="building") == Decimal("100.00")
    assert book.total("Income", *january, fund="general") == Decimal("500.00")  # Fava's negative sign, read as income
    assert book.total("Income", *january) == Decimal("600.00")


def test_unreadable_directives_are_reported_not_guessed():
    from beancount import loader

    entries, _, _ = loader.load_string(
        '2026-01-01 custom "budget" Expenses:Office "fortnightly" 100.00 USD\n'
        '2026-01-01 custom "budget" Expenses:Office "monthly" 100.00 EUR\n'
    )
    budgets, problems = parse_budgets(entries, "general", "USD")
    assert budgets == [] and len(problems) == 2
    assert "fortnightly" in problems[0].message and "EUR" in problems[1].message


def test_board_report_rows_keep_office_and_officeparty_apart(tmp_path):
    from finsek.reports.board import build_board_report

    main = create_ledger(tmp_path / "books", "Test Church", today=dt.date(2026, 3, 10))
    with open(main.parent / "accounts.beancount", "a", encoding="utf-8") as handle:
        handle.write(
            "2026-01-01 open Expenses:Office USD\n"
            "2026-01-01 open Expenses:OfficeParty USD\n"
            '2026-01-01 custom "budget" Expenses:Office "yearly" 1200.00 USD\n'
            '2026-01-01 custom "budget" Expenses:OfficeParty "monthly" 50.00 USD\n'
        )
    with open(main.parent / "2026.beancount", "a", encoding="utf-8") as handle:
        handle.write(
            '2026-02-03 * "Paper"\n  Expenses:Office  30.00 USD\n  Assets:Bank:Checking\n\n'
            '2026-02-04 * "Cake"\n  Expenses:OfficeParty  70.00 USD\n  Assets:Bank:Checking\n\n'
        )
    books = load_books(main)
    assert not books.errors, books.errors
    report = build_board_report(books, dt.date(2026, 2, 1))
    rows = {row["account"]: row for row in report.table("budget").rows() if row["kind"] == "row"}
    assert rows["Expenses:Office"]["month_actual"] == Decimal("30.00")
    assert rows["Expenses:Office"]["month_budget"] == Decimal("100.00")
    assert rows["Expenses:Office"]["annual_budget"] == Decimal("1200.00")
    assert rows["Expenses:OfficeParty"]["month_actual"] == Decimal("70.00")
    assert rows["Expenses:OfficeParty"]["month_budget"] == Decimal("50.00")
    assert rows["Expenses:OfficeParty"]["month_variance"] == Decimal("-20.00")


def test_a_line_has_a_budget_only_while_one_is_in_effect(tmp_path):
    """A budget from November is no budget for October (none, not 0.00); ``monthly 0.00`` is a budget of 0.00."""
    from finsek.ledger.budgets import BudgetBook
    from finsek.reports.board import build_board_report

    main = create_ledger(tmp_path / "books", "Test Church", today=dt.date(2026, 12, 10))
    with open(main.parent / "accounts.beancount", "a", encoding="utf-8") as handle:
        handle.write(
            "2026-01-01 open Expenses:Office USD\n"
            "2026-01-01 open Expenses:Flowers USD\n"
            '2026-11-01 custom "budget" Expenses:Office "monthly" 100.00 USD\n'
            '2026-01-01 custom "budget" Expenses:Flowers "monthly" 0.00 USD\n'
        )
    with open(main.parent / "2026.beancount", "a", encoding="utf-8") as handle:
        handle.write(
            '2026-10-03 * "Paper"\n  Expenses:Office  30.00 USD\n  Assets:Bank:Checking\n\n'
            '2026-10-04 * "Lilies"\n  Expenses:Flowers  20.00 USD\n  Assets:Bank:Checking\n\n'
        )
    books = load_books(main)
    assert not books.errors, books.errors
    book = BudgetBook.from_entries(books.custom_entries, books.default_fund, books.currency)
    assert not book.covers("Expenses:Office", "general", dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert book.covers("Expenses:Office", "general", dt.date(2026, 10, 1), dt.date(2026, 11, 1))
    assert not book.covers("Expenses:Office", "building", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    rows = {row["account"]: row for row in build_board_report(books, dt.date(2026, 10, 1)).table("budget").rows()
            if row["kind"] == "row"}
    office, flowers = rows["Expenses:Office"], rows["Expenses:Flowers"]
    assert (office["month_actual"], office["month_budget"], office["month_variance"]) == (Decimal("30.00"), None, None)
    assert office["annual_budget"] == Decimal("200.00")  # November and December
    assert (flowers["month_budget"], flowers["month_variance"], flowers["used"]) == (
        Decimal("0.00"), Decimal("-20.00"), None)
