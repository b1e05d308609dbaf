"""The budget screen (B): lines by fund and account, year and month, last year's actual; changing an amount."""

import datetime as dt

from textual.widgets import DataTable

from finsek.ledger.books import load_books
from finsek.ledger.budget_lines import year_table
from finsek.tui.screens.budget import BudgetScreen

from .conftest import TODAY, make_app, ready, settle

NEXT_YEAR = TODAY.year + 1
#: A day in the year after the ledger's: the template's yearly lines are still in effect, and this year is last year.
LATER = dt.date(NEXT_YEAR, 3, 15)


async def open_budget(app, pilot) -> BudgetScreen:
    await ready(app, pilot)
    await pilot.press("B")
    await settle(app, pilot)
    assert isinstance(app.screen, BudgetScreen)
    return app.screen


def row_of(screen: BudgetScreen, account: str) -> int:
    return next(number for number, line in enumerate(screen.rows) if line is not None and line.account == account)


def cells(screen: BudgetScreen, number: int) -> list[str]:
    return [str(cell) for cell in screen.query_one(DataTable).get_row_at(number)]


async def test_year_view_shows_each_line_with_last_years_actual(ledger_path):
    app = make_app(ledger_path, today=LATER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_budget(app, pilot)
        utilities = cells(screen, row_of(screen, "Expenses:Facilities:Utilities"))
        assert utilities[0].strip() == "Facilities:Utilities" and utilities[1] == "year"
        assert utilities[4] == "182.40"  # this year's electricity, last year seen from next year
        text = app.export_screenshot().replace("&#160;", " ")
        assert f"Budget {NEXT_YEAR}" in text and "General Fund" in text and f"{TODAY.year}" in text
        await pilot.press("v")
        await settle(app, pilot)
        assert screen.view == "month" and screen.table_data.label == f"March {NEXT_YEAR}"
        await pilot.press("p")
        await settle(app, pilot)
        assert screen.table_data.label == f"February {NEXT_YEAR}"


async def test_enter_changes_a_lines_amount_and_the_ledger_gets_the_new_line(ledger_path):
    accounts = ledger_path.parent / "accounts.beancount"
    app = make_app(ledger_path, today=LATER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_budget(app, pilot)
        table = screen.query_one(DataTable)
        table.move_cursor(row=row_of(screen, "Expenses:Facilities:Utilities"), animate=False)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#budget-edit").display
        before = accounts.read_text(encoding="utf-8")
        await pilot.press("0", "enter")
        await settle(app, pilot)
        assert "zero" in screen.query_one("#status").message
        assert accounts.read_text(encoding="utf-8") == before
        await pilot.press("backspace", "5", "2", "0", "0", ".", "5", "0", "enter")
        await settle(app, pilot)
        assert "Saved the budget of 5,200.50 USD yearly for Expenses:Facilities:Utilities" in \
            screen.query_one("#status").message
        assert accounts.read_text(encoding="utf-8") == before + (
            f'\n{NEXT_YEAR}-01-01 custom "budget" Expenses:Facilities:Utilities "yearly" 5200.50 USD\n'
            '  fund: "general"\n')
        assert not screen.query_one("#budget-edit").display
        assert cells(screen, row_of(screen, "Expenses:Facilities:Utilities"))[2] == "5,200.50"
        text = app.export_screenshot().replace("&#160;", " ")
        assert "Facilities:Utilities" in text and "Actual" in text
    lines = year_table(load_books(ledger_path), NEXT_YEAR).lines
    (line,) = [line for line in lines if line.account == "Expenses:Facilities:Utilities"]
    assert line.amount == line.budget == line.annual
    assert str(line.amount) == "5200.50"
    earlier = year_table(load_books(ledger_path), TODAY.year).lines
    assert all(str(line.amount) != "5200.50" for line in earlier)  # the year before keeps its budget


async def test_escape_cancels_an_edit_then_leaves(ledger_path):
    app = make_app(ledger_path, today=LATER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_budget(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert screen.query_one("#budget-edit").display
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.query_one("#budget-edit").display and app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, BudgetScreen)


async def test_the_palette_opens_the_budget(ledger_path):
    app = make_app(ledger_path, today=LATER)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"budget")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, BudgetScreen)
