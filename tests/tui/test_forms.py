"""The gift, payment, transfer and balance forms: main flows and refusals."""

from finsek.core.errors import LedgerChanged
from finsek.tui.screens.home import HomeScreen
from finsek.tui.screens.modals import ConfirmScreen

from .conftest import TODAY, make_app, ready, settle, year_file


async def open_form(app, pilot, key: str):
    await ready(app, pilot)
    await pilot.press(key)
    await pilot.pause()
    return app.screen


def error_text(form, name: str) -> str:
    widget = form.query_one(f"#err-{name}")
    return str(widget.render()) if widget.has_class("-shown") else ""


# -- gift ----------------------------------------------------------------------


async def test_gift_by_envelope_shows_the_text_live_and_saves(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(app, pilot, "g")
        assert app.focused.id == "f-donor"
        await pilot.press(*"12")
        await pilot.pause()
        assert "Anna Svensson" in str(form.query_one("#hint-donor").render())
        await pilot.press("tab", *"250.00", "tab", *"building", "tab", "tab", *"881")
        await pilot.pause()
        preview = form.query_one("#preview").text
        assert 'donor: "D0001"' in preview and 'fund: "building"' in preview and 'check: "881"' in preview
        assert "Income:Contributions:Designated" in preview
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = year_file(ledger_path).read_text()
        assert preview in saved
        assert form.input("amount").value == "" and form.input("date").value == "today"
        assert "Saved the gift of 250.00 USD" in form.query_one("#status").message


async def test_gift_donor_picked_by_name_from_the_dropdown(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(app, pilot, "g")
        await pilot.press(*"carla")
        await pilot.pause()
        donor = form.input("donor")
        assert donor.dropdown.display and donor.shown[0].value == "D0003"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert donor.value == "D0003" and not donor.dropdown.display
        assert app.focused is donor  # Enter picked; it did not move on
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "f-amount"


async def test_gift_refusals_show_by_the_field_and_keep_the_text(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(app, pilot, "g")
        await pilot.press(*"nobody-at-all", "tab", *"12.345")
        await pilot.pause()
        assert "no donor" in error_text(form, "donor") or "decimals" in error_text(form, "amount")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert form.input("donor").value == "nobody-at-all" and form.input("amount").value == "12.345"
        assert form.query_one("#status").kind == "error"
        assert app.focused.id in ("f-donor", "f-amount")
        form.input("donor").value = ""
        await pilot.pause()
        assert "more decimals" in error_text(form, "amount")
        form.input("amount").value = "12.34"
        form.input("date").value = (TODAY.replace(year=TODAY.year + 1)).isoformat()
        await pilot.pause()
        assert "future" in error_text(form, "date")
    assert "12.34" not in year_file(ledger_path).read_text()


async def test_a_save_refused_by_the_write_path_keeps_everything(ledger_path, monkeypatch):
    from finsek.ledger.ledger import Ledger

    def changed(self, draft, dry_run=False):
        raise LedgerChanged("2026.beancount changed while saving: nothing was written, save again.")

    monkeypatch.setattr(Ledger, "save", changed)
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(app, pilot, "g")
        await pilot.press(*"15", "tab", *"60")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert form.input("donor").value == "15" and form.input("amount").value == "60"
        status = form.query_one("#status")
        assert status.kind == "error" and "changed while saving" in status.message
        assert not form.saving


async def test_escape_asks_before_dropping_what_was_typed(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(app, pilot, "g")
        await pilot.press("escape")  # nothing typed: straight back
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        form = await open_form(app, pilot, "g")
        await pilot.press(*"15")
        await pilot.pause()
        assert form.input("donor").dropdown.display
        await pilot.press("escape")  # the first escape closes the list of matches
        await pilot.pause()
        assert app.screen is form and not form.input("donor").dropdown.display
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and form.input("donor").value == "15"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


# -- payment --------------------------------------------------------------------


async def test_payment_fills_from_the_last_payment_and_suggests_the_check(ledger_path, tmp_path):
    receipt = tmp_path / "scans" / "power-bill-november.pdf"
    receipt.parent.mkdir()
    receipt.write_bytes(b"%PDF-1.4 receipt")
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(app, pilot, "p")
        assert form.input("check").value == "1044"  # the next unused check after 1043
        await pilot.press(*"city")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert form.input("payee").value == "City Power & Light"
        assert form.input("account").value == "Expenses:Facilities:Utilities"
        assert form.input("amount").value == "182.40"
        assert "last paid" in str(form.query_one("#hint-payee").render())
        form.input("amount").value = "190.10"
        receipt_input = form.input("receipt")
        receipt_input.focus()
        await pilot.pause()
        receipt_input.value = str(receipt.parent / "powe")
        receipt_input.cursor_position = len(receipt_input.value)
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("right")  # takes the path completion
        await pilot.pause()
        assert receipt_input.value == str(receipt)
        form.input("memo").value = "November electricity"
        await pilot.pause()
        assert 'receipt: "documents/' in form.query_one("#preview").text
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert form.input("check").value == "1045"
    text = year_file(ledger_path).read_text()
    assert 'check: "1044"' in text and "190.10 USD" in text and "November electricity" in text
    copied = list((ledger_path.parent / "documents" / str(TODAY.year)).glob("*city-power*.pdf"))
    assert copied and copied[0].read_bytes() == b"%PDF-1.4 receipt"


async def test_payment_refuses_a_used_check_number(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(app, pilot, "p")
        for name, value in (("payee", "Hardware store"), ("amount", "20"),
                            ("account", "Expenses:Facilities:Maintenance"), ("check", "1043")):
            form.input(name).value = value
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "already in the books" in error_text(form, "check")
        assert app.focused.id == "f-check"
    assert "Hardware store" not in year_file(ledger_path).read_text()


# -- transfer -------------------------------------------------------------------


async def test_transfer_between_funds(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(app, pilot, "t")
        await pilot.press(*"500", "tab", *"general", "tab", *"general")
        await pilot.pause()
        assert "two different funds" in error_text(form, "to_fund")
        form.input("to_fund").value = "building"
        await pilot.pause()
        assert "Fund balances now" in str(form.query_one("#fund-balances").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    text = year_file(ledger_path).read_text()
    assert '"Fund transfer"' in text and 'fund: "building"' in text


# -- bank balance -------------------------------------------------------------------


async def test_balance_shows_the_difference_before_saving(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(app, pilot, "b")
        await pilot.press(*TODAY.isoformat(), "tab", "tab", *"4800.00")
        await pilot.pause()
        note = str(form.query_one("#difference").render())
        assert "4,817.60" in note and "-17.60" in note
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "difference" in form.query_one("#status").message
        assert form.input("amount").value == "4800.00"
        form.input("amount").value = "4817.60"
        await pilot.pause()
        assert "agree" in str(form.query_one("#difference").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert "balance Assets:Bank:Checking 4817.60 ~ 0 USD" in year_file(ledger_path).read_text()


async def test_a_new_donor_is_added_from_the_gift_form(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(app, pilot, "g")
        await pilot.press(*"Erik Lund", "ctrl+n")
        await pilot.pause()
        assert app.screen.query_one("#d-name").value == "Erik Lund"
        app.screen.query_one("#d-envelope").value = "12"  # taken by Anna Svensson
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "already belongs to D0001" in str(app.screen.query_one("#donor-status").render())
        app.screen.query_one("#d-envelope").value = "44"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert form.input("donor").value == "D0005" and app.focused.id == "f-amount"
        await pilot.press(*"75", "ctrl+s")
        await settle(app, pilot)
        assert not app.ledger.changed_on_disk()
    assert 'donor: "D0005"' in year_file(ledger_path).read_text()
    assert "D0005,Erik Lund" in (ledger_path.parent / "donors.csv").read_text()


async def test_enter_takes_the_only_matching_donor(ledger_path):
    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(app, pilot, "g")
        await pilot.press(*"svens")
        await pilot.pause()
        donor = form.input("donor")
        assert donor.open and len(donor.shown) == 1
        await pilot.press("enter")
        await pilot.pause()
        assert donor.value == "D0001" and not donor.dropdown.display
