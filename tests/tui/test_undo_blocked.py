"""The app's undo says what stops it when a save from elsewhere came after this window's save (issue 13 item 18)."""

from finsek.ledger.entries import GiftInput, build_gift
from finsek.ledger.ledger import Ledger

from .conftest import TODAY, make_app, ready, settle, year_file


async def test_undo_after_a_command_line_save_names_that_save(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        app.screen.input("amount").value = "33"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        elsewhere = Ledger(ledger_path)  # the command line, another process: same undo record
        elsewhere.save(build_gift(elsewhere.books, GiftInput(date=TODAY.isoformat(), amount="44"), today=TODAY))
        after = year_file(ledger_path).read_text()
        await pilot.press("u")
        await pilot.pause()
        said = " ".join(n.message for n in app._notifications)
        assert "no longer the last" in said and "44.00" in said and "finsek undo" in said
        assert "no entry was saved in this session" not in said
        assert year_file(ledger_path).read_text() == after


def test_row_lists_and_notifications_show_control_characters_escaped():
    from rich.text import Text

    from finsek.tui.widgets.rowlist import RowColumn, layout_line

    columns = (RowColumn("Payee", 30),)
    line = layout_line(["Bad\x1b[31mRed\x07"], columns, 40)
    assert isinstance(line, Text) and "\\x1b[31mRed\\x07" in line.plain


async def test_the_app_refuses_a_ledger_with_an_untrusted_plugin_before_it_runs(ledger_path, tmp_path):
    """Issue 13 item 17 in the app: the plugin never runs, and the screen says why the books did not open."""
    from finsek.tui.screens.home import HomeScreen

    marker = tmp_path / "ran"
    (ledger_path.parent / "evilplug.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n__plugins__ = ()\n")
    ledger_path.write_text(ledger_path.read_text().replace(
        'plugin "finsek.plugin"', 'option "insert_pythonpath" "TRUE"\nplugin "evilplug"\nplugin "finsek.plugin"'))
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        assert app.books is None and isinstance(app.screen, HomeScreen)
        loading = str(app.screen.query_one("#loading").render())
        assert "evilplug" in loading and "trusted_ledgers" in loading
    assert not marker.exists()
