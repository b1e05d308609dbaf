"""Budget lines: the table with last year's actual, and the lines ``budget set`` / ``budget copy`` write.

On a ledger finsek did not make (its own file names and account names, two
funds, a fund with capitals, an Income budget written with Fava's negative
sign, a prefix trap), on the template's ledger and on the demo; actuals are
checked against beanquery, the written lines with bean-check, Beancount's
loader and Fava.
"""

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beanquery import query

from finsek.core.errors import Refused
from finsek.ledger.books import load_books
from finsek.ledger.budget_lines import (
    actuals,
    budget_table,
    changed_amount,
    copy_drafts,
    edit_draft,
    month_table,
    parse_change,
    set_draft,
    year_table,
)
from finsek.ledger.budgets import BudgetBook
from finsek.ledger.ledger import Ledger
from finsek.ledger.template import create_ledger

D = Decimal
BIN = Path(sys.executable).parent

MAIN = """option "title" "St. Olaf Parish"
option "operating_currency" "USD"

include "setup.beancount"
include "plan.beancount"
include "books.beancount"
"""

SETUP = """2024-01-01 custom "fund" "general" "General" "unrestricted"
2024-01-01 custom "fund" "Roof" "Roof Appeal" "restricted"

2024-01-01 open Assets:Checking USD
2024-01-01 open Equity:Opening USD
2024-01-01 open Income:Giving USD
2024-01-01 open Income:Giving:Plate USD
2024-01-01 open Expenses:Building USD
2024-01-01 open Expenses:Building:Repairs USD
2024-01-01 open Expenses:BuildingFund USD
2024-01-01 open Expenses:Music USD
"""

PLAN = """; the parish's budget
2025-01-01 custom "budget" Expenses:Building "monthly" 100.00 USD
2025-01-01 custom "budget" Expenses:Building "yearly" 5000.00 USD
  fund: "Roof"
2025-01-01 custom "budget" Income:Giving "yearly" -12000.00 USD
2026-07-01 custom "budget" Expenses:Building "monthly" 150.00 USD
"""

BOOKS = """2025-03-05 * "Roofer" "Gutter"
  Expenses:Building:Repairs   250.00 USD
  Assets:Checking

2025-04-10 * "Roofer" "Roof"
  Expenses:Building:Repairs  4000.00 USD
    fund: "Roof"
  Assets:Checking

2025-05-01 * "Trap" "not under Expenses:Building"
  Expenses:BuildingFund        77.00 USD
  Assets:Checking

2025-06-01 * "Hardware" "Nails"
  fund: "Roof"
  Expenses:Building            30.00 USD
  Assets:Checking

2025-06-07 * "Plate" "Sunday"
  Assets:Checking             1000.00 USD
  Income:Giving:Plate         -900.00 USD
  Income:Giving               -100.00 USD
    fund: "Roof"

2025-12-31 * "Roofer" "Last one of the year"
  Expenses:Building:Repairs    12.34 USD
  Assets:Checking

2026-01-02 * "Roofer" "Not last year"
  Expenses:Building:Repairs   500.00 USD
  Assets:Checking
"""


def parish(tmp_path: Path) -> Path:
    folder = tmp_path / "parish"
    folder.mkdir()
    for name, text in (("main", MAIN), ("setup", SETUP), ("plan", PLAN), ("books", BOOKS)):
        (folder / f"{name}.beancount").write_text(text, encoding="utf-8")
    return folder / "main.beancount"


def bean_check(main: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    return subprocess.run([str(BIN / "bean-check"), "--no-cache", str(main)], capture_output=True, text=True, env=env)


def beanquery_actual(books, account: str, fund: str, year: int) -> Decimal:
    """The fund's postings on the account and below it in a year, natural sign, by beanquery."""
    _, rows = query.run_query(
        books.entries, books.options,
        f"SELECT sum(number) AS total WHERE account ~ '^{account}(:|$)' AND year = {year} "
        f"AND coalesce(str(meta('fund')), str(entry_meta('fund')), '{books.default_fund}') = '{fund}'",
    )
    total = rows[0][0] if rows and rows[0][0] is not None else D(0)
    return total


def fava_budget(main: Path, account: str, start: dt.date, end: dt.date) -> Decimal:
    from fava.core import FavaLedger

    ledger = FavaLedger(str(main.resolve()))
    assert not ledger.budgets.errors and not ledger.errors
    return ledger.budgets.calculate(account, start, end).get("USD", D(0))


# -- the table ------------------------------------------------------------------------------


def test_year_table_has_every_line_in_effect_with_its_funds_actual_of_last_year(tmp_path):
    books = load_books(parish(tmp_path))
    table = year_table(books, 2026)
    assert table.label == "2026" and table.last_label == "2025"
    rows = [(line.fund, line.account, line.period, line.amount, line.start, line.end, line.budget, line.annual,
             line.last_year) for line in table.lines]
    assert rows == [
        ("general", "Income:Giving", "yearly", D("12000.00"), dt.date(2025, 1, 1), None, D("12000.00"),
         D("12000.00"), D("900.00")),
        ("general", "Expenses:Building", "monthly", D("100.00"), dt.date(2025, 1, 1), dt.date(2026, 6, 30),
         D("600.00"), D("1200.00"), D("262.34")),
        ("general", "Expenses:Building", "monthly", D("150.00"), dt.date(2026, 7, 1), None, D("900.00"),
         D("1800.00"), D("262.34")),
        ("Roof", "Expenses:Building", "yearly", D("5000.00"), dt.date(2025, 1, 1), None, D("5000.00"),
         D("5000.00"), D("4030.00")),
    ]
    assert table.total("Expenses") == D("6500.00")
    assert table.total("Income") == BudgetBook.from_entries(books.custom_entries).total(
        "Income", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert all(line.file.endswith("plan.beancount") for line in table.lines)


def test_actuals_equal_beanquery_for_each_fund_account_and_year(tmp_path):
    books = load_books(parish(tmp_path))
    for year in (2025, 2026):
        for account in ("Expenses:Building", "Expenses:Building:Repairs", "Income:Giving", "Expenses:BuildingFund"):
            for fund in ("general", "Roof"):
                found = actuals(books, [(account, fund)], dt.date(year, 1, 1), dt.date(year, 12, 31))
                natural = beanquery_actual(books, account, fund, year)
                expected = -natural if account.startswith("Income") else natural
                assert found[(account, fund)] == expected, (account, fund, year)


def test_month_table_compares_with_the_same_month_a_year_earlier(tmp_path):
    books = load_books(parish(tmp_path))
    table = month_table(books, dt.date(2026, 4, 1))
    assert table.label == "April 2026" and table.last_label == "April 2025"
    by_key = {(line.fund, line.account): line for line in table.lines}
    assert by_key[("Roof", "Expenses:Building")].budget == D("416.67")  # 5000 over 12, largest remainder
    assert by_key[("Roof", "Expenses:Building")].last_year == D("4000.00")
    assert by_key[("general", "Expenses:Building")].budget == D("100.00")
    assert by_key[("general", "Expenses:Building")].last_year == D("0.00")
    assert len(table.lines) == 3  # the July line is not in effect in April


def test_fiscal_year_from_july(tmp_path):
    main = create_ledger(tmp_path / "july", "July Church", fiscal_year_start=7, today=dt.date(2026, 9, 1))
    books = load_books(main)
    table = year_table(books, 2026)
    assert table.start == dt.date(2026, 7, 1) and table.end == dt.date(2027, 6, 30)
    assert table.label == "2026–27" and table.last_label == "2025–26"
    assert table.lines and all(line.start == dt.date(2026, 7, 1) for line in table.lines)


def test_an_unreadable_budget_is_said_not_dropped(tmp_path):
    main = parish(tmp_path)
    with open(main.parent / "plan.beancount", "a", encoding="utf-8") as handle:
        handle.write('2026-01-01 custom "budget" Expenses:Music "fortnightly" 10.00 USD\n')
    table = year_table(load_books(main), 2026)
    assert any("fortnightly" in problem for problem in table.problems)


# -- set --------------------------------------------------------------------------------------


def test_set_appends_where_the_budgets_live_and_replaces_the_line(tmp_path):
    main = parish(tmp_path)
    ledger = Ledger(main, state_dir=tmp_path / "state")
    draft = set_draft(ledger.books, "Expenses:Building", "175", fund="roof", period="yearly",
                      start=dt.date(2026, 1, 1))
    assert draft.text == ('2026-01-01 custom "budget" Expenses:Building "yearly" 175.00 USD\n'
                          '  fund: "Roof"\n')
    result = ledger.save(draft)
    assert result.file == (main.parent / "plan.beancount").resolve()
    assert (main.parent / "plan.beancount").read_text(encoding="utf-8").endswith(draft.text)
    assert "custom" not in (main.parent / "books.beancount").read_text(encoding="utf-8")
    for books in (ledger.books, load_books(main)):  # in memory after the save, and read again
        line = next(line for line in year_table(books, 2026).lines if line.fund == "Roof")
        assert (line.amount, line.start, line.budget) == (D("175.00"), dt.date(2026, 1, 1), D("175.00"))
        old = next(line for line in year_table(books, 2025).lines if line.fund == "Roof")
        assert old.amount == D("5000.00") and old.end == dt.date(2025, 12, 31)
    assert bean_check(main).returncode == 0


def test_undo_takes_a_budget_line_back_out_of_its_file(tmp_path):
    main = parish(tmp_path)
    plan_file = main.parent / "plan.beancount"
    before = plan_file.read_bytes()
    ledger = Ledger(main, state_dir=tmp_path / "state")
    ledger.save(set_draft(ledger.books, "Expenses:Music", "25", start=dt.date(2026, 2, 1)))
    assert plan_file.read_bytes() != before
    ledger.undo()
    assert plan_file.read_bytes() == before
    assert not [line for line in year_table(ledger.books, 2026).lines if line.account == "Expenses:Music"]


def test_a_second_set_on_the_same_day_wins_and_fava_reads_it(tmp_path):
    main = parish(tmp_path)
    ledger = Ledger(main, state_dir=tmp_path / "state")
    for amount in ("300", "320.50"):
        ledger.save(set_draft(ledger.books, "Expenses:Music", amount, start=dt.date(2026, 1, 1)))
    books = load_books(main)
    (line,) = [line for line in year_table(books, 2026).lines if line.account == "Expenses:Music"]
    assert line.amount == D("320.50") and line.budget == D("3846.00")
    assert round(fava_budget(main, "Expenses:Music", dt.date(2026, 1, 1), dt.date(2027, 1, 1)), 2) == D("3846.00")
    assert bean_check(main).returncode == 0


def test_set_keeps_favas_sign_on_an_income_line_written_negative(tmp_path):
    main = parish(tmp_path)
    ledger = Ledger(main, state_dir=tmp_path / "state")
    draft = set_draft(ledger.books, "Income:Giving", "13,000", period="yearly", start=dt.date(2027, 1, 1))
    assert '"yearly" -13000.00 USD' in draft.text
    ledger.save(draft)
    (line,) = [line for line in year_table(load_books(main), 2027).lines if line.account == "Income:Giving"]
    assert line.amount == D("13000.00")


@pytest.mark.parametrize(
    ("account", "amount", "fund", "start", "says"),
    [
        ("Expenses:building", "10", None, dt.date(2026, 1, 1), "Did you mean Expenses:Building?"),
        ("Expenses:Nothing", "10", None, dt.date(2026, 1, 1), "There is no account Expenses:Nothing"),
        ("Assets:Checking", "10", None, dt.date(2026, 1, 1), "not an Income or Expenses account"),
        ("Expenses:Music", "10", "missions", dt.date(2026, 1, 1), "There is no fund 'missions'"),
        ("Expenses:Music", "-10", None, dt.date(2026, 1, 1), "negative"),
        ("Expenses:Music", "0", None, dt.date(2026, 1, 1), "zero"),
        ("Expenses:Music", "ten", None, dt.date(2026, 1, 1), "is not an amount"),
        ("Expenses:Music", "10.001", None, dt.date(2026, 1, 1), "more decimals"),
        ("Expenses:Music", "10", None, dt.date(2026, 1, 15), "first of a month"),
        ("Expenses:Music", "10", None, dt.date(2023, 12, 1), "opens on 2024-01-01"),
    ],
)
def test_set_refuses_in_plain_words(tmp_path, account, amount, fund, start, says):
    main = parish(tmp_path)
    books = load_books(main)
    with pytest.raises(Refused) as refused:
        set_draft(books, account, amount, fund=fund, start=start)
    assert says in refused.value.message


def test_set_refuses_a_line_inside_a_closed_period(tmp_path):
    from finsek.ledger.digest import period_digest

    main = parish(tmp_path)
    entries, _, _ = loader.load_file(str(main))
    digest = period_digest(entries, dt.date(2026, 3, 31))
    with open(main.parent / "setup.beancount", "a", encoding="utf-8") as handle:
        handle.write(f'\n2026-04-02 custom "close" 2026-03-31 "{digest}"\n')
    books = load_books(main)
    with pytest.raises(Refused) as refused:
        set_draft(books, "Expenses:Music", "10", start=dt.date(2026, 1, 1))
    assert "closed through 2026-03-31" in refused.value.message and "2026-04-01" in refused.value.message
    assert set_draft(books, "Expenses:Music", "10", start=dt.date(2026, 4, 1)).date == dt.date(2026, 4, 1)


def test_edit_of_a_line_from_an_earlier_year_starts_with_the_year_shown(tmp_path):
    main = parish(tmp_path)
    books = load_books(main)
    table = year_table(books, 2026)
    roof = next(line for line in table.lines if line.fund == "Roof")
    draft = edit_draft(books, table, roof, "5,500.00")
    assert draft.text.startswith('2026-01-01 custom "budget" Expenses:Building "yearly" 5500.00 USD')
    summer = next(line for line in table.lines if line.start == dt.date(2026, 7, 1))
    assert edit_draft(books, table, summer, "160").date == dt.date(2026, 7, 1)


def test_a_ledger_in_one_file_without_budgets_gets_them_in_that_file(tmp_path):
    main = tmp_path / "solo.beancount"
    main.write_text('option "operating_currency" "USD"\n2025-01-01 open Expenses:Food USD\n'
                    "2025-01-01 open Assets:Cash USD\n\n"
                    '2025-02-01 * "Shop"\n  Expenses:Food  40.00 USD\n  Assets:Cash\n', encoding="utf-8")
    ledger = Ledger(main, state_dir=tmp_path / "state")
    assert year_table(ledger.books, 2026).lines == []
    with pytest.raises(Refused, match="use one of general"):
        set_draft(ledger.books, "Expenses:Food", "50", fund="building", start=dt.date(2026, 1, 1))
    ledger.save(set_draft(ledger.books, "Expenses:Food", "50", start=dt.date(2026, 1, 1)))
    assert main.read_text(encoding="utf-8").endswith(
        '2026-01-01 custom "budget" Expenses:Food "monthly" 50.00 USD\n  fund: "general"\n')
    (line,) = year_table(load_books(main), 2026).lines
    assert (line.budget, line.last_year) == (D("600.00"), D("40.00"))
    assert bean_check(main).returncode == 0


# -- copy -------------------------------------------------------------------------------------


def test_change_rounds_half_to_even_to_the_cent():
    assert parse_change("3%") == D(3) and parse_change(" -2.5 % ".replace(" ", "")) == D("-2.5")
    assert changed_amount(D("100.50"), D("1"), "USD") == D("101.50")  # 101.505 → .50 (even)
    assert changed_amount(D("100.70"), D("1"), "USD") == D("101.71")  # 101.707
    assert changed_amount(D("0.50"), D("1"), "USD") == D("0.50")  # 0.505 → .50
    assert changed_amount(D("1.50"), D("1"), "USD") == D("1.52")  # 1.515 → .52
    assert changed_amount(D("1000"), D("3"), "JPY") == D("1030")
    for wrong in ("3%%", "abc", "-100%", "", "1e3", "٣%"):
        with pytest.raises(Refused):
            parse_change(wrong)


def test_copy_writes_next_years_lines_in_one_batch_and_refuses_a_second_time(tmp_path):
    main = parish(tmp_path)
    ledger = Ledger(main, state_dir=tmp_path / "state")
    plan = copy_drafts(ledger.books, 2026, 2027, D(3))
    assert [change[:5] for change in plan.changes] == [
        ("Expenses:Building", "Roof", "yearly", D("5150.00"), dt.date(2027, 1, 1)),
        ("Expenses:Building", "general", "monthly", D("154.50"), dt.date(2027, 1, 1)),
        ("Income:Giving", "general", "yearly", D("-12360.00"), dt.date(2027, 1, 1)),
    ]
    ledger.save_many(plan.drafts)
    assert len(ledger.undo_records()) == 1  # one batch, one undo step
    table = year_table(load_books(main), 2027)
    assert [(line.fund, line.account, line.budget) for line in table.lines] == [
        ("general", "Income:Giving", D("12360.00")),
        ("general", "Expenses:Building", D("1854.00")),
        ("Roof", "Expenses:Building", D("5150.00")),
    ]
    assert bean_check(main).returncode == 0
    # Fava keys budgets by account alone: of the two lines of one day, it reads the later one (general's)
    assert round(fava_budget(main, "Expenses:Building", dt.date(2027, 1, 1), dt.date(2027, 2, 1)), 2) == D("154.50")
    with pytest.raises(Refused, match="already has 3 budget lines"):
        copy_drafts(load_books(main), 2026, 2027, D(3))


def test_copy_replace_holds_all_year_and_keeps_lines_it_has_nothing_for(tmp_path):
    main = parish(tmp_path)
    with open(main.parent / "plan.beancount", "a", encoding="utf-8") as handle:
        handle.write('2027-04-01 custom "budget" Expenses:Building "monthly" 999.00 USD\n'
                     '2027-01-01 custom "budget" Expenses:Music "monthly" 20.00 USD\n')
    ledger = Ledger(main, state_dir=tmp_path / "state")
    plan = copy_drafts(ledger.books, 2026, 2027, D(0), replace=True)
    assert any("Expenses:Music (general) keeps" in note for note in plan.notes)
    ledger.save_many(plan.drafts)
    books = load_books(main)
    book = BudgetBook.from_entries(books.custom_entries)
    assert [book.month_amount("Expenses:Building", "general", dt.date(2027, month, 1)) for month in (1, 4, 12)] == [
        D("150.00")] * 3
    assert book.month_amount("Expenses:Music", "general", dt.date(2027, 6, 1)) == D("20.00")


def test_copy_refuses_backwards_and_an_empty_year(tmp_path):
    books = load_books(parish(tmp_path))
    with pytest.raises(Refused, match="must come after"):
        copy_drafts(books, 2026, 2026)
    with pytest.raises(Refused, match="no budget lines in effect in 2023"):
        copy_drafts(books, 2023, 2024)


def test_copy_leaves_nothing_written_when_the_batch_fails(tmp_path):
    main = parish(tmp_path)
    before = {path.name: path.read_bytes() for path in main.parent.glob("*.beancount")}
    ledger = Ledger(main, state_dir=tmp_path / "state")
    plan = copy_drafts(ledger.books, 2026, 2027, D(3))
    (tmp_path / "elsewhere.beancount").write_text("", encoding="utf-8")
    with pytest.raises(Refused, match=r"elsewhere\.beancount is not one of this ledger.s files"):
        ledger.save_many([*plan.drafts, plan.drafts[0]._replace(file=tmp_path / "elsewhere.beancount")])
    assert {path.name: path.read_bytes() for path in main.parent.glob("*.beancount")} == before


def test_budget_table_on_the_demo_compares_each_line_with_its_own_funds_actual(tmp_path):
    from finsek.demo import generate_demo

    main = generate_demo(tmp_path / "demo", years=2, transactions=3000, seed=3, today=dt.date(2026, 11, 22))
    books = load_books(main)
    table = year_table(books, 2026)
    assert table.lines and {line.fund for line in table.lines} == {books.default_fund}
    for line in table.lines:
        natural = beanquery_actual(books, line.account, line.fund, 2025)
        assert line.last_year == (-natural if line.account.startswith("Income") else natural), line.account
    assert budget_table(books, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).lines == table.lines


def test_edit_after_a_close_starts_with_the_first_open_month_or_is_refused(tmp_path):
    from finsek.ledger.digest import period_digest

    main = parish(tmp_path)
    entries, _, _ = loader.load_file(str(main))
    digest = period_digest(entries, dt.date(2026, 8, 31))
    with open(main.parent / "setup.beancount", "a", encoding="utf-8") as handle:
        handle.write(f'\n2026-09-02 custom "close" 2026-08-31 "{digest}"\n')
    ledger = Ledger(main, state_dir=tmp_path / "state")
    table = year_table(ledger.books, 2026)
    roof = next(line for line in table.lines if line.fund == "Roof")
    draft = edit_draft(ledger.books, table, roof, "6000")
    assert draft.date == dt.date(2026, 9, 1)
    ledger.save(draft)
    assert bean_check(main).returncode == 0
    spring = next(line for line in table.lines if line.end == dt.date(2026, 6, 30))
    with pytest.raises(Refused, match="months are all closed"):
        edit_draft(ledger.books, table, spring, "110")
    with pytest.raises(Refused, match="all closed"):
        edit_draft(ledger.books, year_table(ledger.books, 2025), roof, "110")


def test_a_line_of_the_same_day_in_another_file_is_replaced_in_that_file(tmp_path):
    main = parish(tmp_path)
    books_file = main.parent / "books.beancount"
    with open(books_file, "a", encoding="utf-8") as handle:
        handle.write('\n2027-01-01 custom "budget" Expenses:Building "monthly" 999.00 USD\n')
    ledger = Ledger(main, state_dir=tmp_path / "state")
    plan = copy_drafts(ledger.books, 2026, 2027, D(0), replace=True)
    targets = {draft.file.name for draft in plan.drafts}
    assert targets == {"books.beancount", "plan.beancount"}  # one batch over two files
    ledger.save_many(plan.drafts)
    assert books_file.read_text(encoding="utf-8").endswith(
        '2027-01-01 custom "budget" Expenses:Building "monthly" 150.00 USD\n  fund: "general"\n')
    for books in (ledger.books, load_books(main)):
        book = BudgetBook.from_entries(books.custom_entries)
        assert book.month_amount("Expenses:Building", "general", dt.date(2027, 1, 1)) == D("150.00")
    assert bean_check(main).returncode == 0
    ledger.undo()
    assert "150.00" not in books_file.read_text(encoding="utf-8").split("999.00")[1]


def test_copy_and_set_on_the_demo_pass_bean_check_and_fava_reads_them(tmp_path):
    from fava.core import FavaLedger

    from finsek.demo import generate_demo

    main = generate_demo(tmp_path / "demo", years=2, transactions=1500, seed=5, today=dt.date(2026, 11, 22))
    ledger = Ledger(main, state_dir=tmp_path / "state")
    ledger.save_many(copy_drafts(ledger.books, 2026, 2027, parse_change("3%")).drafts)
    ledger.save(set_draft(ledger.books, "Expenses:Facilities:Utilities", "400", start=dt.date(2027, 7, 1)))
    check = bean_check(main)
    assert check.returncode == 0, check.stdout + check.stderr
    table = year_table(load_books(main), 2027)
    salaries = next(line for line in table.lines if line.account == "Expenses:Personnel:Salaries")
    summer = next(line for line in table.lines if line.start == dt.date(2027, 7, 1))
    assert (summer.account, summer.amount, summer.budget) == ("Expenses:Facilities:Utilities", D("400.00"),
                                                             D("2400.00"))
    fava = FavaLedger(str(main.resolve()))
    assert not fava.errors and not fava.budgets.errors
    start, july, end = dt.date(2027, 1, 1), dt.date(2027, 7, 1), dt.date(2028, 1, 1)
    assert round(fava.budgets.calculate(salaries.account, start, end)["USD"], 2) == salaries.budget
    assert round(fava.budgets.calculate(summer.account, july, end)["USD"], 2) == summer.budget
