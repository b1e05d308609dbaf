"""The journal: newest first, filter as you type, show an entry, reverse it."""

from textual import events

from finsek.tui.screens.journal import EntryScreen, JournalScreen
from finsek.tui.screens.modals import ConfirmScreen
from finsek.tui.widgets.rowlist import RowList

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
        table = journal.query_one(RowList)
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
        assert app.focused is journal.query_one(RowList)
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


async def test_keys_typed_fast_move_down_the_list_and_open_that_entry(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        journal = await open_journal(app, pilot)
        # keys queued together, as a fast typist or a paste sends them
        for key in ("down", "down"):
            app._driver.send_message(events.Key(key, None))
        await pilot.pause()
        rows = journal.query_one(RowList)
        assert app.focused is rows and rows.cursor == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen) and app.screen.entry is journal.shown[1].entry


async def test_the_list_shows_every_match_and_pages_through_them(tmp_path):
    from finsek.demo import generate_demo

    main = generate_demo(tmp_path / "books", years=1, transactions=1200, seed=3)
    app = make_app(main)
    async with app.run_test(size=(120, 30)) as pilot:
        journal = await open_journal(app, pilot)
        rows = journal.query_one(RowList)
        assert rows.row_count == len(journal.index) > 1000  # no cut-off: every transaction is there
        await pilot.press("down", "end")
        await pilot.pause()
        assert rows.cursor == rows.row_count - 1 and rows.scroll_offset.y > 1000
        oldest = journal.shown[-1]
        drawn = rows.render_line(rows.cursor - rows.scroll_offset.y + 1).text
        assert rows.render_line(0).text.startswith("Date")
        assert drawn.startswith(oldest.date) and oldest.payee[:10] in drawn
        await pilot.press("home", "pagedown")
        await pilot.pause()
        assert 10 < rows.cursor < 40 and rows.scroll_offset.y > 0
        assert rows.render_line(rows.cursor - rows.scroll_offset.y + 1).text.startswith(journal.shown[rows.cursor].date)
