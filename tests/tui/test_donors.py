"""The donors screen (d): search, giving history and pledges, add, edit, merge (and its refusals)."""

from textual.widgets import DataTable

from finsek.ledger.donors import read_registry
from finsek.tui.screens.donors import DonorFormScreen, DonorsScreen, MergeScreen
from finsek.tui.screens.modals import ConfirmScreen

from .conftest import TODAY, make_app, ready, settle, year_file


def add_gifts(main) -> None:
    """Two gifts from Carla Diaz (D0003) in two funds, and her pledge to the building fund."""
    day = TODAY.isoformat()
    with open(year_file(main), "a", encoding="utf-8") as handle:
        handle.write(
            f'\n{TODAY.year}-01-01 custom "pledge" "D0003" "building" 1000.00 USD\n'
            f'\n{day} * "Gift" "Check from Carla"\n'
            "  Assets:Bank:Checking                       400.00 USD\n"
            "  Income:Contributions:Designated           -250.00 USD\n"
            '    fund: "building"\n    donor: "D0003"\n    method: "check"\n'
            "  Income:Contributions:Offerings            -150.00 USD\n"
            '    donor: "D0003"\n    method: "check"\n'
        )


async def open_donors(app, pilot) -> DonorsScreen:
    await ready(app, pilot)
    await pilot.press("d")
    await settle(app, pilot)
    assert isinstance(app.screen, DonorsScreen)
    return app.screen


def shown_ids(screen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(index)[0]) for index in range(table.row_count)]


async def test_search_as_you_type_and_the_giving_history_with_pledge_progress(ledger_path):
    add_gifts(ledger_path)
    app = make_app(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_donors(app, pilot)
        assert "names, addresses" in str(screen.query_one("#privacy").render())
        assert shown_ids(screen) == ["D0001", "D0002", "D0003", "D0004"]
        await pilot.press(*"carla")
        await settle(app, pilot)
        assert shown_ids(screen) == ["D0003"]
        assert "1 of 4 donors match" in str(screen.query_one("#donor-count").render())
        assert "D0003  Carla Diaz" in str(screen.query_one("#donor-card").render())
        history = screen.history
        assert history is not None and history.grand_total == 400
        text = app.export_screenshot().replace("&#160;", " ")
        assert "Building Fund" in text and "250.00" in text and "400.00" in text
        assert "1,000.00" in text and "25%" in text  # the pledge: 250 of 1,000 given
        await pilot.press(*" nobody")
        await pilot.pause()
        assert shown_ids(screen) == [] and "No donor matches" in str(screen.query_one("#donor-card").render())


async def test_add_validates_by_the_field_then_writes_donors_csv(ledger_path):
    registry = ledger_path.parent / "donors.csv"
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_donors(app, pilot)
        await pilot.press("down", "a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DonorFormScreen) and app.focused.id == "d-name"
        await pilot.press(*"Eva Lind")
        form.query_one("#d-envelope").value = "12"  # Anna Svensson's
        form.query_one("#d-email").value = "eva-at-example"
        await pilot.pause()
        assert "already belongs to D0001" in str(form.query_one("#err-envelope").render())
        assert "does not look like an e-mail" in str(form.query_one("#err-email").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and "Eva Lind" not in registry.read_text()
        form.query_one("#d-envelope").value = "31"
        form.query_one("#d-email").value = "eva@example.org"
        form.query_one("#d-address1").value = "Storgatan 1 ⏎ c/o Lind"
        await pilot.pause()
        assert not form.query_one("#err-envelope").has_class("-shown")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert "Added D0005 Eva Lind" in screen.query_one("#status").message
        assert app.books.donors.get("D0005").address1 == "Storgatan 1\nc/o Lind"
        assert str(screen.query_one(DataTable).get_row_at(screen.query_one(DataTable).cursor_row)[0]) == "D0005"
    added = read_registry(ledger_path.parent).get("D0005")
    assert (added.name, added.envelope, added.email) == ("Eva Lind", "31", "eva@example.org")


async def test_edit_changes_only_what_was_typed(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_donors(app, pilot)
        await pilot.press(*"bertil", "enter", "e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DonorFormScreen) and form.query_one("#d-name").value == "Bertil Jones"
        form.query_one("#d-city").value = "Örebro"
        form.query_one("#d-name").value = ""
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "The name is empty" in str(form.query_one("#err-name").render())
        form.query_one("#d-name").value = "Bertil Jones"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Changed city of D0002" in screen.query_one("#status").message
    donor = read_registry(ledger_path.parent).get("D0002")
    assert (donor.name, donor.city, donor.envelope) == ("Bertil Jones", "Örebro", "15")


async def test_merge_into_itself_is_refused_then_a_merge_is_confirmed(ledger_path):
    registry = ledger_path.parent / "donors.csv"
    before = registry.read_text()
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_donors(app, pilot)
        await pilot.press(*"D0004", "enter", "m")
        await pilot.pause()
        merge = app.screen
        assert isinstance(merge, MergeScreen)
        await pilot.press(*"D0004", "enter")
        await settle(app, pilot)
        assert "cannot be merged into itself" in str(merge.query_one("#err-into").render())
        assert registry.read_text() == before
        merge.query_one("#merge-into").value = "D0001"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen) and "D0001" in app.screen.detail
        await pilot.press("n")
        await pilot.pause()
        assert registry.read_text() == before
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is screen and "Merged D0004" in screen.query_one("#status").message
        assert app.books.donors.canonical("D0004") == "D0001"
        assert "D0004" not in shown_ids(screen)  # merged donors leave the list; D0001 is selected
    assert read_registry(ledger_path.parent).get("D0004").alias_of == "D0001"


async def test_donors_readable_at_80x24(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_donors(app, pilot)
        await pilot.press("down")  # to the list: its keys show in the footer
        await settle(app, pilot)
        text = app.export_screenshot().replace("&#160;", " ")
        assert "Private" in text and "Svensson" in text and "Add" in text and "Merge" in text
