"""The online giving screen (i): an export read line by line, a line in review settled, the batch booked."""

from textual.widgets import DataTable, Input

from finsek.tui.screens.online import GivingImportScreen

from .conftest import make_app, ready, settle

HEAD = ('"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","From Email Address",'
        '"To Email Address","Transaction ID","Item Title","Reference Txn ID"\n')


def row(day: str, name: str, gross: str, fee: str, net: str, email: str, txn: str, item: str = "") -> str:
    return (f'"{day}","09:00:00","PST","{name}","Donation Payment","Completed","USD","{gross}","{fee}","{net}",'
            f'"{email}","giving@church.test","{txn}","{item}",""\n')


async def test_read_settle_a_fund_and_book(ledger_path, tmp_path):
    export = tmp_path / "Download.CSV"
    export.write_text(HEAD + row("11/20/2026", "Anna Svensson", "100.00", "-3.20", "96.80", "anna@example.org", "A1")
                      + row("11/21/2026", "Anna Svensson", "40.00", "-1.46", "38.54", "anna@example.org", "A2",
                            "Roof Appeal"), encoding="utf-8")
    year_file = ledger_path.parent / "2026.beancount"
    app = make_app(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, GivingImportScreen)
        screen.query_one("#online-file", Input).value = str(export)
        await pilot.press("enter")
        await settle(app, pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        text = app.export_screenshot().replace("&#160;", " ")
        assert "1 to book into Assets:Clearing:PayPal" in text and "1 in review" in text
        assert "D0001 Anna Svensson" in text
        table.move_cursor(row=1, animate=False)
        await pilot.press("f")
        await pilot.pause()
        for key in "building":
            await pilot.press(key)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "2 to book" in app.export_screenshot().replace("&#160;", " ")
        await pilot.press("f2")
        await settle(app, pilot)
        await settle(app, pilot)
        written = year_file.read_text(encoding="utf-8")
        assert written.count('online-id: "paypal:') == 2 and 'fund: "building"' in written
        assert "Anna" not in written
        assert "2 imported before" in app.export_screenshot().replace("&#160;", " ")
