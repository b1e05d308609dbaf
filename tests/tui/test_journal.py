"""The journal: newest first, filter as you type, show an entry, reverse it."""

from textual.widgets import DataTable

from finsek.tui.screens.journal import EntryScreen, JournalScreen
from finsek.tui.screens.modals import ConfirmScreen

from .conftest import make_app, ready, settle, year_file


async def open_journal(app, pilot) -> JournalScreen:
    await ready(app, pilot)
    await pilot.press("j")
    await settle(app, pilot)
    assert isinstance(app.screen, JournalScreen)
    return app.screen


async def test_journal_lists_newest_first_and_filters_as_you_type(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        journal = await open_journal(app, pilot)
        table = journal.query_one(DataTable)
        assert table.row_count == 2
        assert journal.shown[0].entry.date >= journal.shown[-1].entry.date
        assert app.focused.id == "filter"
        await pilot.press(*"power")
        await pilot.pause()
        assert table.row_count == 1 and journal.shown[0].payee == "City Power & Light"
        assert "1 of 2 transactions match" in str(journal.query_one("#journal-count").render())
        await pilot.press(*" fund:building")
        await pilot.pause()
        assert table.row_count == 0
        journal.query_one("#filter").value = "account:opening"
        await pilot.pause()
        assert table.row_count == 1 and journal.shown[0].narration == "Opening balance"


async def test_enter_shows_the_entry_with_its_file_and_line(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        journal = await open_journal(app, pilot)
        await pilot.press(*"power", "enter")  # Enter in the filter goes to the list
        await pilot.pause()
        assert app.focused is journal.query_one(DataTable)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert '"City Power & Light" "Electricity"' in app.screen.text
        assert f"{year_file(ledger_path).name}:" in app.screen.where
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is journal


async def test_r_writes_a_reversal_after_confirmation(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        journal = await open_journal(app, pilot)
        await pilot.press(*"power", "down")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Expenses:Facilities:Utilities" in app.screen.detail and "-182.40" in app.screen.detail
        await pilot.press("n")
        await pilot.pause()
        assert "Reversal" not in year_file(ledger_path).read_text()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert "Saved the reversal" in journal.query_one("#status").message
        assert journal.matched == 2  # the filter still says "power": the original and its reversal
    text = year_file(ledger_path).read_text()
    assert "Reversal of" in text and "-182.40 USD" in text and "reverses:" in text


async def test_reversal_from_the_entry_screen(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_journal(app, pilot)
        await pilot.press(*"opening", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
    assert "Reversal of" in year_file(ledger_path).read_text()
