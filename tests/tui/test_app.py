"""Start, home, help, palette, keymap, load errors, changes on disk, undo."""

from textual.widgets import DataTable, Static

from finsek.config import Settings
from finsek.tui.screens.home import ErrorsScreen, HomeScreen
from finsek.tui.screens.modals import ConfirmScreen, HelpScreen

from .conftest import TODAY, make_app, ready, settle, year_file


def screen_text(app) -> str:
    """Everything the current screen shows, as plain text."""
    return app.export_screenshot().replace("&#160;", " ")


async def test_draws_at_once_then_loads_in_a_worker(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await ready(app, pilot)
        assert app.books is not None and not app.loading
        header = app.screen.query_one("LedgerHeader")
        assert "Test Church" in str(header.render()) and str(ledger_path) in str(header.render())
        assert f"{TODAY:%B %Y}" in str(header.render())
        funds = str(app.screen.query_one("#funds", Static).render())
        assert "General Fund" in screen_text(app) and "restricted" in screen_text(app)
        assert funds
        assert "4,817.60" in screen_text(app)
        assert "never" in screen_text(app)  # no bank reconciliation yet
        assert "City Power" in screen_text(app)  # recent entries
        assert not app.screen.query_one("#loading").display


async def test_the_home_actions_are_clickable(ledger_path):
    from finsek.tui.screens.journal import JournalScreen
    from finsek.tui.screens.payment import PaymentScreen

    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        actions = str(app.screen.query_one("#actions", Static).render())
        assert "Gift g" in actions and "Offering o" in actions
        await pilot.click("#actions", offset=(actions.index("Payment") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen)
        await pilot.press("escape")
        await pilot.pause()
        views = str(app.screen.query_one("#views", Static).render())
        await pilot.click("#views", offset=(views.index("Journal") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)


async def test_help_lists_the_screen_keys_with_ids(ledger_path):
    app = make_app(ledger_path, Settings(keymap={"gift": "f2"}))
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        ids = {str(row[1]) for row in rows}
        assert {"gift", "offering", "payment", "journal", "undo", "help"} <= ids
        gift_row = next(row for row in rows if str(row[1]) == "gift")
        assert "f2" in str(gift_row[0]).lower()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_keymap_remaps_a_binding(ledger_path):
    app = make_app(ledger_path, Settings(keymap={"gift": "f2"}))
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "GiftScreen"


async def test_unknown_keymap_id_is_a_warning_not_a_crash(ledger_path):
    app = make_app(ledger_path, Settings(keymap={"nonsense": "f9"}))
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        assert any("nonsense" in n.message for n in app._notifications)


async def test_command_palette_offers_every_action(ledger_path):
    from finsek.tui.commands import finsek_commands

    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        names = [name for name, _help, _callback in finsek_commands(app, app.screen)]
        for wanted in ("Record a gift", "Count an offering", "Pay a bill", "Transfer between funds",
                       "Enter a bank statement balance", "Journal", "Undo the last entry saved", "Quit finsek"):
            assert wanted in names
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"pay a bill")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PaymentScreen"


async def test_load_errors_are_listed_and_the_app_still_works(ledger_path):
    with open(year_file(ledger_path), "a", encoding="utf-8") as handle:
        handle.write(f'\n{TODAY.isoformat()} * "Broken" "does not balance"\n'
                     "  Assets:Bank:Checking   10.00 USD\n  Income:Contributions:Offerings  -5.00 USD\n"
                     f"\n{TODAY.isoformat()} open Assets:Bank:Checking USD\n")
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        assert app.books.errors
        assert "problem" in str(app.screen.query_one("#problems").render())
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ErrorsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(app.books.errors)
        assert any(str(year_file(ledger_path).name) in str(table.get_row_at(i)[0]) for i in range(table.row_count))
        await pilot.press("escape")
        await pilot.press("g")
        await pilot.pause()
        app.screen.input("amount").value = "20"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "gift of 20.00 USD" in app.screen.query_one("#status").message
    assert "Gift" in year_file(ledger_path).read_text()


async def test_a_missing_ledger_file_is_a_listed_problem(tmp_path):
    app = make_app(tmp_path / "nowhere" / "main.beancount")
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        assert app.books.errors
        assert "problem" in str(app.screen.query_one("#problems").render())


async def test_a_ledger_that_cannot_be_loaded_says_why(ledger_path, monkeypatch):
    from finsek.ledger.ledger import Ledger

    def refuse(self, **options):
        raise PermissionError(13, "Permission denied", str(ledger_path))

    monkeypatch.setattr(Ledger, "load", refuse)
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        assert app.books is None
        loading = app.screen.query_one("#loading")
        assert loading.display and "Permission denied" in str(loading.render())
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_change_on_disk_is_noticed_and_reloaded(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        before = app.books
        with open(year_file(ledger_path), "a", encoding="utf-8") as handle:
            handle.write(f'\n{TODAY.isoformat()} * "Bake sale" "Edited by hand"\n'
                         "  Assets:Cash:Undeposited   75.00 USD\n  Income:Fundraising  -75.00 USD\n")
        app.check_disk()  # what the two-second timer calls
        await settle(app, pilot)
        assert app.books is not before and app.reload_count == 1
        assert any("changed on disk" in n.message for n in app._notifications)
        assert "Bake sale" in screen_text(app)
        assert app.screen.query_one("#status").message.startswith("3 transactions")


async def test_a_form_keeps_what_was_typed_when_the_file_changes(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press(*"15", "tab", *"40")
        with open(year_file(ledger_path), "a", encoding="utf-8") as handle:
            handle.write(f'\n{TODAY.isoformat()} * "Someone else" "Saved from another desk"\n'
                         "  Assets:Cash:Undeposited   5.00 USD\n  Income:Fundraising  -5.00 USD\n")
        app.check_disk()
        await settle(app, pilot)
        assert app.screen.input("amount").value == "40"
        assert app.screen.input("donor").value == "15"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    text = year_file(ledger_path).read_text()
    assert "Saved from another desk" in text and 'donor: "D0002"' in text


async def test_watch_timer_is_running(ledger_path):
    app = make_app(ledger_path, watch_interval=2.0)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        assert any(getattr(timer, "name", "") == "watch-ledger" for timer in app._timers)


async def test_undo_takes_back_the_last_entry_after_confirmation(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("u")
        await pilot.pause()
        assert any("Nothing to undo" in n.message for n in app._notifications)
        before = year_file(ledger_path).read_text()
        await pilot.press("g")
        await pilot.pause()
        app.screen.input("amount").value = "33"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "33.00 USD" in year_file(ledger_path).read_text()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "33.00" in app.screen.detail
        await pilot.press("n")
        await pilot.pause()
        assert "33.00 USD" in year_file(ledger_path).read_text()
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert year_file(ledger_path).read_text() == before
        assert any("Took back" in n.message for n in app._notifications)


async def test_readable_at_80x24(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        assert app.screen.has_class("-narrow")
        assert "Funds" in screen_text(app)
        await pilot.press("o")
        await pilot.pause()
        text = screen_text(app)
        assert "Counted by" in text and "Save" in text


async def test_a_cold_start_loads_in_a_child_process_and_reads_the_cache(ledger_path):
    app = make_app(ledger_path, prime_in_subprocess=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        assert app.books.from_cache  # the child wrote the cache; this process only read it
        assert not app.books.errors
        assert app.screen.query_one("#funds").border_title == "Funds"


async def test_collection_paused_for_the_start_is_on_again_once_the_books_are_drawn(ledger_path):
    import gc

    app = make_app(ledger_path)
    assert not gc.isenabled()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.pause()
        assert gc.isenabled()
    assert gc.isenabled()


async def test_after_a_quiet_moment_the_journal_index_is_built_before_the_audit_runs(ledger_path, monkeypatch):
    import asyncio

    from finsek.audit import engine

    order = []
    real_audit = engine.run_audit

    def audit(books, *args, **options):
        order.append(("audit", app.journal_cache is not None))
        return real_audit(books, *args, **options)

    monkeypatch.setattr(engine, "run_audit", audit)
    app = make_app(ledger_path, quiet_after_load=0.3)
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(100):
            await asyncio.sleep(0.05)
            await pilot.pause()
            if app.audit_is_current() and app.journal_cache is not None:
                break
        assert order == [("audit", True)]  # one audit, and only once the index was there
