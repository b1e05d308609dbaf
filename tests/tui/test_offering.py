"""The offering count: the grid, the running total, refusals, the count sheet, the keystroke count."""

from finsek.tui.screens.home import HomeScreen
from finsek.tui.screens.modals import ChoiceScreen

from .conftest import TODAY, make_app, ready, settle, year_file


class Keys:
    """Counts the keys a person presses."""

    def __init__(self, pilot):
        self.pilot = pilot
        self.count = 0

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        await self.press(*text)


def totals(form) -> str:
    return str(form.query_one("#totals").render())


async def test_ten_gift_offering_by_keyboard_counts_its_keystrokes(ledger_path):
    gifts = [  # envelope, amount, check number ("" = cash)
        ("12", "100", "501"), ("15", "40", ""), ("27", "75", "1202"), ("", "20", ""), ("12", "10", ""),
        ("15", "60", "3300"), ("27", "5", ""), ("", "12", ""), ("12", "200", "502"), ("15", "30", ""),
    ]
    total = sum(int(amount) for _, amount, _ in gifts) + 38  # and 38.00 loose cash
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        keys = Keys(pilot)
        await keys.press("o")
        await pilot.pause()
        form = app.screen
        assert app.focused.id == "f-counted_by"
        await keys.type("Ann, Bob")
        await keys.press("enter")
        await keys.type(str(total))
        await keys.press("enter")
        await keys.type("38")
        await keys.press("enter")
        assert app.focused.id == "l1-donor"
        for donor, amount, check in gifts:
            if donor:
                await keys.type(donor)
            await keys.press("tab")
            await keys.type(amount)
            if check:
                await keys.press("tab", "tab")
                await keys.type(check)
            await keys.press("enter")
        await pilot.pause()
        assert "10 gifts + loose cash" in totals(form) and "difference 0.00" in totals(form)
        await keys.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await keys.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        print(f"\nA 10-gift offering (4 checks, loose cash) took {keys.count} keystrokes from the home screen.")
        assert keys.count <= 100
    text = year_file(ledger_path).read_text()
    assert 'counted-by: "Ann, Bob"' in text and text.count('method: "check"') == 4
    assert f"{total}.00 USD" in text


async def test_offering_is_refused_until_the_total_matches(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        form.input("counted_by").value = "Ann"
        form.input("total").value = "150"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "no gifts" in form.query_one("#status").message or "line 1" in form.query_one("#status").message
        form.row(1).cell("donor").value = "12"
        form.row(1).cell("amount").value = "100"
        await pilot.pause()
        assert "50.00 still to enter" in totals(form)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        status = form.query_one("#status")
        assert status.kind == "error" and "two people" in status.message
        form.input("counted_by").value = "Ann, Bob"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "less than the counted total" in form.query_one("#status").message
        form.row(2).cell("donor").value = "nobody"
        form.row(2).cell("amount").value = "50"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert form.query_one("#status").message.startswith("Line 2: There is no donor")
        assert app.focused is form.row(2).cell("donor")
        assert form.query_one("#l2-error").has_class("-shown")
        form.row(2).cell("donor").value = ""  # loose cash after all: a line without donor
        form.row(1).cell("amount").value = "110"
        await pilot.pause()
        assert "10.00 too much" in totals(form)
        form.row(1).cell("amount").value = "100"
        await pilot.pause()
        assert "difference 0.00" in totals(form)
        assert app.screen is form and form.input("total").value == "150"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("t")  # the count sheet, as a text file
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    sheets = list((ledger_path.parent / "documents" / str(TODAY.year)).glob("*count-sheet.txt"))
    assert len(sheets) == 1
    sheet = sheets[0].read_text()
    assert "Anna Svensson" in sheet and "150.00" in sheet and "Ann, Bob" in sheet


async def test_enter_moves_down_the_grid_and_adds_lines(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        start = form.row_count
        form.move_to_row(start)
        await pilot.pause()
        await pilot.press(*"27")
        await pilot.pause()
        assert form.row_count == start + 1  # typing on the last line opens a new one
        assert "Carla Diaz" in str(form.query_one(f"#l{start}-who").render())
        await pilot.press("escape", "tab", *"5", "enter")
        await pilot.pause()
        assert app.focused.id == f"l{start + 1}-donor"
        await pilot.press("up")
        await pilot.pause()
        assert app.focused.id == f"l{start}-donor"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert form.row(start).blank()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.focused.id == f"l{form.row_count}-donor"
