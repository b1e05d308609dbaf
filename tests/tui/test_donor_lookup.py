"""The one donor matcher in the app: pickers and forms find names without accents or with a typo, the same
person is not added twice, funds in any case, and a donors.csv in another shape shows its street."""

from textual.widgets import DataTable

from finsek.ledger.donors import read_registry
from finsek.tui.screens.donor import NewDonorScreen
from finsek.tui.screens.donors import DonorFormScreen, DonorsScreen
from finsek.tui.screens.modals import ChoiceScreen

from .conftest import make_app, ready, settle, year_file

#: id,name,household,address1,address2,postal_code,city,country,email,envelope
MORE = [
    "D0005,Zoë Öberg,,,,,,,,30",
    "D0006,María García,,,,,,,,31",
    "D0007,Erik Svensson,,Kyrkvägen 5,,753 10,Uppsala,SE,erik@example.org,101",
]


def add_donors(main) -> None:
    with open(main.parent / "donors.csv", "a", encoding="utf-8") as handle:
        handle.write("".join(f"{row},,,,\n" for row in MORE))


async def open_gift(app, pilot):
    await ready(app, pilot)
    await pilot.press("g")
    await pilot.pause()
    return app.screen


def error_text(form, name: str) -> str:
    widget = form.query_one(f"#err-{name}")
    return str(widget.render()) if widget.has_class("-shown") else ""


async def test_names_without_accents_are_found_and_saved_as_ids(ledger_path):
    add_donors(ledger_path)
    app = make_app(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_gift(app, pilot)
        donor = form.input("donor")
        await pilot.press(*"garcia")
        await pilot.pause()
        assert donor.dropdown.display and [choice.value for choice in donor.shown] == ["D0006"]
        donor.value = ""
        await pilot.press(*"zoe")
        await pilot.pause()
        assert donor.shown[0].value == "D0005"
        await pilot.press("escape")  # close the list; what was typed stays
        await pilot.pause()
        assert donor.value == "zoe" and "Zoë Öberg" in str(form.query_one("#hint-donor").render())
        form.input("amount").value = "40"
        form.input("fund").value = "Missions"  # the list shows 'missions'
        form.input("method").value = "Cash"
        await pilot.pause()
        assert not error_text(form, "donor") and not error_text(form, "fund")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Saved the gift" in form.query_one("#status").message
    saved = year_file(ledger_path).read_text()
    assert 'donor: "D0005"' in saved and 'fund: "missions"' in saved and 'method: "cash"' in saved


async def test_a_typo_is_answered_with_suggestions_in_the_form(ledger_path):
    add_donors(ledger_path)
    app = make_app(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_gift(app, pilot)
        donor = form.input("donor")
        await pilot.press(*"garsia")
        await pilot.pause()
        assert [choice.value for choice in donor.shown] == ["D0006"]  # the picker forgives the typo too
        await pilot.press("escape", "tab", *"25")
        await pilot.pause()
        message = error_text(form, "donor")
        assert "There is no donor 'garsia'" in message and "Did you mean D0006 María García (env. 31)?" in message
        assert "pick one from the list" not in message
        form.input("donor").value = "svensson"  # Anna and Erik
        await pilot.pause()
        message = error_text(form, "donor")
        assert "D0001 Anna Svensson (env. 12)" in message and "D0007 Erik Svensson (env. 101)" in message
    assert "25.00" not in year_file(ledger_path).read_text()


async def test_the_offering_grid_names_the_donor_typed_without_accents(ledger_path):
    add_donors(ledger_path)
    app = make_app(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        form.row(1).cell("donor").value = "oberg"
        await pilot.pause()
        assert "Zoë Öberg" in str(form.row(1).who_label.render())


async def test_ctrl_n_asks_before_adding_the_same_person_again(ledger_path):
    add_donors(ledger_path)
    registry = ledger_path.parent / "donors.csv"
    before = registry.read_text()
    app = make_app(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_gift(app, pilot)
        await pilot.press(*"erik svensson", "ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewDonorScreen)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        question = app.screen
        assert isinstance(question, ChoiceScreen)
        assert "Use D0007 Erik Svensson (env. 101)?" in str(question.query_one("#question").render())
        await pilot.press("u")
        await settle(app, pilot)
        assert app.screen is form and form.input("donor").value == "D0007" and app.focused.id == "f-amount"
        assert registry.read_text() == before  # nobody added
        # a different person by the same name: added when the treasurer says so
        form.input("donor").value = "Erik Svensson"
        await pilot.press("shift+tab")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("a")
        await settle(app, pilot)
        assert app.screen is form and form.input("donor").value == "D0008"
    assert [donor.name for donor in read_registry(ledger_path.parent) if donor.name == "Erik Svensson"] == [
        "Erik Svensson", "Erik Svensson"]


async def test_the_donors_screen_asks_too_and_shows_the_one_already_there(ledger_path):
    add_donors(ledger_path)
    registry = ledger_path.parent / "donors.csv"
    before = registry.read_text()
    app = make_app(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DonorsScreen)
        await pilot.press("down", "a")
        await pilot.pause()
        assert isinstance(app.screen, DonorFormScreen)
        await pilot.press(*"Someone New")
        app.screen.query_one("#d-email").value = "ERIK@example.org"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        question = app.screen
        assert isinstance(question, ChoiceScreen)
        assert "has the same e-mail address" in str(question.query_one("#question").render())
        await pilot.press("b")  # back to the form, everything still there
        await settle(app, pilot)
        assert isinstance(app.screen, DonorFormScreen) and app.screen.query_one("#d-name").value == "Someone New"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert app.screen is screen
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(table.cursor_row)[0]) == "D0007"
        assert "already in donors.csv" in screen.query_one("#status").message
    assert registry.read_text() == before


async def test_a_registry_in_another_shape_shows_its_street(ledger_path):
    (ledger_path.parent / "donors.csv").write_text(
        "Donor ID,Full Name,Address,Zip,Ort,E-mail,Phone,Envelope No,Favourite hymn\n"
        "D0001,Anna Svensson,Storgatan 1,111 22,Uppsala,anna@example.org,070-123,12,Amazing Grace\n",
        encoding="utf-8")
    app = make_app(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        screen = app.screen
        card = str(screen.query_one("#donor-card").render())
        assert "Address: Storgatan 1, Uppsala 111 22" in card and "Phone: 070-123" in card
        assert "'Favourite hymn'" in screen.query_one("#status").message
