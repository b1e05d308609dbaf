"""The reconcile screen (c): list the items, tick with space, the difference at once, finish refused with
the reason until it is zero, then the reconciliation in the ledger file."""

import io
from decimal import Decimal

from rich.console import Console
from textual.widgets import Input, Static

from finsek.ledger.entries import PaymentInput, build_payment
from finsek.tui.screens.reconcile import ReconcileScreen
from finsek.tui.widgets.rowlist import RowList
from tests.reconcile.conftest import ACCOUNT, LEDGER, OCTOBER_BALANCE, TODAY, bean_check

from .conftest import make_app, settle


def parish(tmp_path):
    folder = tmp_path / "parish"
    folder.mkdir()
    main = folder / "books.beancount"
    main.write_text(LEDGER, encoding="utf-8")
    return main


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def status(screen) -> str:
    return str(screen.query_one("#status").render())


async def test_tick_to_zero_then_finish(tmp_path, monkeypatch):
    monkeypatch.setenv("FINSEK_STATE_DIR", str(tmp_path / "state"))
    main = parish(tmp_path)
    app = make_app(main, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReconcileScreen)
        assert screen.query_one("#reconcile-account", Input).value == ACCOUNT
        assert screen.query_one("#reconcile-date", Input).value == "2026-11-30"  # the month end due
        screen.query_one("#reconcile-date", Input).value = "2026-10-31"
        await pilot.press(*OCTOBER_BALANCE, "enter")  # the balance field has the focus
        await settle(app, pilot)
        items = screen.query_one(RowList)
        assert items.row_count == 7 and app.focused is items
        totals = text_of(screen, "#reconcile-totals")
        assert "Statement 4,855.60 USD" in totals and "Cleared 0.00 USD" in totals and "not zero" in totals

        await pilot.press("space", "space", "space", "space")  # opening, offering, checks 1001 and 1002
        await pilot.pause()
        totals = text_of(screen, "#reconcile-totals")
        assert "Cleared 4,867.60 USD" in totals and "Difference -12.00 USD" in totals
        assert "Outstanding 3 item(s), -342.38 USD" in totals
        assert items.cursor == 4  # each tick moves on to the next item

        before = main.read_bytes()
        await pilot.press("f2")
        await pilot.pause()
        assert "The difference is -12.00 USD" in status(screen)
        assert "bank fee" in text_of(screen, "#reconcile-explain")
        assert main.read_bytes() == before and not (main.parent / "2026.beancount").exists()

        # The fee is booked (as the payment form would), listed again: the ticks stay; tick the fee.
        app.ledger.save(build_payment(app.books, PaymentInput(
            date="2026-10-31", payee="First National", amount="12.00", account="Expenses:BankCharges",
            from_account=ACCOUNT), today=TODAY))
        await pilot.press("f5")
        await settle(app, pilot)
        assert items.row_count == 8 and "Difference -12.00 USD" in text_of(screen, "#reconcile-totals")
        found = screen.reconciliation
        fee = next(n for n, item in enumerate(found.items) if item.amount == Decimal("-12.00"))
        items.cursor = fee
        await pilot.press("space")
        await pilot.pause()
        assert "Difference 0.00 USD (zero: F2 finishes)" in text_of(screen, "#reconcile-totals")

        statement = tmp_path / "october.pdf"
        statement.write_bytes(b"%PDF-1.4 statement\n")
        screen.query_one("#reconcile-file", Input).value = str(statement)
        await pilot.press("f2")
        await settle(app, pilot)
        assert "Saved the reconciliation of Assets:Bank:FirstNational" in status(screen)
        await pilot.press("escape")
        await settle(app, pilot)
        # Home reads the finished reconciliation: October is reconciled, November (due) not yet.
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#banks", Static).content)
        assert "not since 31 Oct 2026" in console.export_text()
    text = (main.parent / "2026.beancount").read_text(encoding="utf-8")
    kept = "documents/bank/2026/2026-10-31-assets-bank-firstnational.pdf"
    assert f'2026-11-01 document Assets:Bank:FirstNational "{kept}"' in text
    assert (main.parent / kept).read_bytes() == b"%PDF-1.4 statement\n"
    assert "2026-11-01 balance Assets:Bank:FirstNational 4513.22 ~ 0 USD" in text
    assert '2026-11-01 custom "reconciled" Assets:Bank:FirstNational 2026-10-31 4855.60 USD' in text
    assert text.count("  outstanding-") == 3
    checked = bean_check(main)
    assert checked.returncode == 0, checked.stdout + checked.stderr


async def test_untick_and_tick_all_and_a_wrong_balance(tmp_path, monkeypatch):
    monkeypatch.setenv("FINSEK_STATE_DIR", str(tmp_path / "state"))
    main = parish(tmp_path)
    app = make_app(main, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")  # the command palette finds it by name
        await pilot.pause()
        await pilot.press(*"reconcile")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReconcileScreen)
        screen.query_one("#reconcile-date", Input).value = "2026-10-31"
        await pilot.press("1", "0", "0", "enter")
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert "Cleared 4,525.22 USD" in text_of(screen, "#reconcile-totals")
        await pilot.press("up", "space")  # untick the first item again (the cursor is on it)
        await pilot.pause()
        assert screen.reconciliation.ticked_count == 6
        await pilot.press("n")
        await pilot.pause()
        assert "Cleared 0.00 USD" in text_of(screen, "#reconcile-totals")
        # A new statement balance changes the difference at once.
        balance = screen.query_one("#reconcile-balance", Input)
        balance.value = "25.00"
        await pilot.pause()
        assert "Difference 25.00 USD" in text_of(screen, "#reconcile-totals")
        balance.value = "12,,x"
        await pilot.pause()
        assert "Difference 25.00 USD" in text_of(screen, "#reconcile-totals")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReconcileScreen)
