"""In the app: the audit's warnings beside the entry before saving, a restricted fund never overdrawn, and a
designated one only with the approval asked for in a dialog and written on the entry."""

import pytest

from finsek.tui.screens.approval import ApprovalScreen

from .conftest import TODAY, make_app, make_ledger, ready, settle, year_file


@pytest.fixture
def books(tmp_path, monkeypatch):
    """The conftest's church, with a designated Youth Trip fund holding 300.00 and a missions gift of 100.00."""
    monkeypatch.setenv("FINSEK_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("FINSEK_CONFIG", str(tmp_path / "config.toml"))
    main = make_ledger(tmp_path)
    accounts = main.parent / "accounts.beancount"
    first = min(line[:10] for line in accounts.read_text().splitlines() if line[:4].isdigit())
    with open(accounts, "a", encoding="utf-8") as handle:
        handle.write(f'\n{first} custom "fund" "youth" "Youth Trip" "designated"\n')
    with open(year_file(main), "a", encoding="utf-8") as handle:
        handle.write(f'\n{TODAY.isoformat()} * "Fund transfer" "Board set money aside for the youth trip"\n'
                     "  Equity:Transfers   300.00 USD\n    fund: \"general\"\n"
                     "  Equity:Transfers  -300.00 USD\n    fund: \"youth\"\n"
                     f'\n{TODAY.isoformat()} * "Gift" "For missions"\n'
                     "  Assets:Bank:Checking  100.00 USD\n"
                     "  Income:Contributions:Designated  -100.00 USD\n    fund: \"missions\"\n")
    return main


async def open_form(app, pilot, key: str):
    await ready(app, pilot)
    await pilot.press(key)
    await pilot.pause()
    return app.screen


def warnings_text(form) -> str:
    return str(form.query_one("#entry-warnings").render())


async def test_a_transfer_that_overdraws_a_restricted_fund_is_flagged_then_refused(books):
    before = year_file(books).read_text()
    app = make_app(books)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot, "t")
        await pilot.press(*"20000", "tab", *"missions", "tab", *"general")
        await pilot.pause()
        shown = warnings_text(form)
        assert "This will not be saved: The Missions Fund (restricted) has 100.00 USD" in shown
        assert form.query_one("#status").message.startswith("This will not be saved: The Missions Fund")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        status = form.query_one("#status").message
        assert status.startswith("Not saved: The Missions Fund (restricted) has 100.00 USD")
        assert "move at most 100.00 USD out of it" in status
        assert form.input("amount").value == "20000"  # nothing typed is lost
    assert year_file(books).read_text() == before


async def test_a_designated_fund_below_zero_asks_who_approved_and_writes_it(books):
    app = make_app(books)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot, "p")
        for name, value in (("payee", "Camp Lake"), ("amount", "450"), ("account", "Expenses:Ministry:Youth"),
                            ("fund", "youth"), ("check", "")):
            form.input(name).value = value
        await pilot.pause()
        assert "The Youth Trip (designated) would go to -150.00 USD: saving asks who approved" in warnings_text(form)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ApprovalScreen)
        assert "Youth Trip (designated) has 300.00 USD" in str(app.screen.query_one("#detail").render())
        await pilot.press("escape")  # cancel: nothing saved, everything kept
        await settle(app, pilot)
        assert app.screen is form and form.input("amount").value == "450"
        assert "Camp Lake" not in year_file(books).read_text()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ApprovalScreen)
        await pilot.press("enter")  # an empty name is not an approval
        await pilot.pause()
        assert isinstance(app.screen, ApprovalScreen)
        await pilot.press(*"Board, 2026-11-01", "enter")
        await settle(app, pilot)
        assert app.screen is form
        assert "Saved the payment of 450.00 USD to Camp Lake" in form.query_one("#status").message
    text = year_file(books).read_text()
    assert 'overdraft-approved-by: "Board, 2026-11-01"' in text and '"Camp Lake"' in text


async def test_a_payment_above_the_threshold_without_approver_is_warned_and_still_saves(books):
    app = make_app(books)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot, "p")
        for name, value in (("payee", "Roofer"), ("amount", "1204.50"),
                            ("account", "Expenses:Facilities:Maintenance"), ("check", "")):
            form.input(name).value = value
        await pilot.pause()
        assert "above the approval threshold of 500.00 USD and does not say who approved it" in warnings_text(form)
        assert "1 warning" in form.query_one("#status").message
        form.input("approved_by").value = "Council"
        await pilot.pause()
        assert warnings_text(form) == ""
        form.input("approved_by").value = ""
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Saved the payment of 1,204.50 USD" in form.query_one("#status").message
    assert '"Roofer"' in year_file(books).read_text()


async def test_the_same_donor_check_twice_is_warned_about_on_the_gift_form(books):
    app = make_app(books)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot, "g")
        for name, value in (("donor", "D0002"), ("amount", "60"), ("method", "check"), ("check", "4412")):
            form.input(name).value = value
        await pilot.pause()
        assert warnings_text(form) == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        for name, value in (("donor", "D0002"), ("amount", "60"), ("method", "check"), ("check", "4412")):
            form.input(name).value = value
        await pilot.pause()
        shown = warnings_text(form)
        assert "D0002's check 4412 is already in the books" in shown
        assert "has the same donor, amount and way of giving" in shown


async def test_a_reversal_from_the_journal_follows_the_same_rules(books):
    from finsek.tui.screens.journal import JournalScreen
    from finsek.tui.screens.modals import ConfirmScreen

    with open(year_file(books), "a", encoding="utf-8") as handle:
        handle.write(f'\n{TODAY.isoformat()} * "Camp Lake" "Youth trip deposit"\n'
                     "  Expenses:Ministry:Youth  250.00 USD\n    fund: \"youth\"\n"
                     "  Assets:Bank:Checking  -250.00 USD\n"
                     f'\n{TODAY.isoformat()} * "Mission partner" "Support"\n'
                     "  Expenses:Missions:Local  60.00 USD\n    fund: \"missions\"\n"
                     "  Assets:Bank:Checking  -60.00 USD\n")
    app = make_app(books)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        journal = app.screen
        assert isinstance(journal, JournalScreen)
        await pilot.press(*"For missions", "down", "r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert "Not saved: The Missions Fund (restricted) has 40.00 USD" in journal.query_one("#status").message
        journal.query_one("#filter").value = ""
        journal.query_one("#filter").focus()
        await pilot.pause()
        await pilot.press(*"aside for the youth", "down", "r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Equity:Transfers" in app.screen.detail
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, ApprovalScreen), journal.query_one("#status").message
        await pilot.press(*"Council", "enter")
        await settle(app, pilot)
        assert "Saved the reversal" in journal.query_one("#status").message
    text = year_file(books).read_text()
    assert 'overdraft-approved-by: "Council"' in text and "Reversal of" in text
    assert text.count("Reversal of") == 1
