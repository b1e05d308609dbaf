"""The audit screen (a), the home screen's audit panel, and closing a month from the app (c)."""

import datetime as dt
from pathlib import Path

from textual.widgets import DataTable

from finsek.ledger.books import load_books
from finsek.ledger.template import create_ledger
from finsek.tui.screens.audit import AuditScreen, CloseScreen
from finsek.tui.screens.home import HomeScreen
from finsek.tui.screens.journal import EntryScreen, JournalScreen

from .conftest import make_app, settle

DAY = dt.date(2026, 3, 15)

ENTRIES = """
2026-01-05 * "Opening balance"
  Assets:Bank:Checking                      5000.00 USD
  Equity:NetAssets:Opening                 -5000.00 USD
    fund: "general"

2026-01-20 * "City Power & Light" "Electricity"
  check: "1043"
  Expenses:Facilities:Utilities              182.40 USD
    fund: "general"
  Assets:Bank:Checking                      -182.40 USD

2026-02-01 balance Assets:Bank:Checking     {january} USD

2026-03-01 balance Assets:Bank:Checking     4817.60 USD
"""


def audit_ledger(root: Path, *, broken: bool = False) -> Path:
    """Two months of books with one warning (a payment without a receipt); ``broken``: a bank balance
    that does not match (an error)."""
    main = create_ledger(root / "books", "Test Church", today=DAY)
    with open(main.parent / "2026.beancount", "a", encoding="utf-8") as handle:
        handle.write(ENTRIES.format(january="4900.00" if broken else "4817.60"))
    return main


async def audited(app, pilot) -> None:
    """Wait for the load, then for the audit it starts (each a worker)."""
    for _ in range(5):
        await settle(app, pilot)
        if app.books is not None and app.audit_is_current():
            return
    raise AssertionError("the audit did not finish")


def table_rows(screen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def test_home_panel_counts_and_the_list_grouped_by_severity(tmp_path, monkeypatch):
    monkeypatch.setenv("FINSEK_STATE_DIR", str(tmp_path / "state"))
    main = audit_ledger(tmp_path)
    app = make_app(main, today=DAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await audited(app, pilot)
        panel = str(app.screen.query_one("#audit").render())
        assert "0 errors" in panel and "1 warning" in panel and "Payments without a receipt" in panel
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        rows = table_rows(screen)
        assert rows[0][1].endswith("Warnings: 1")
        assert rows[1][1] == "  Payments (1)"  # each severity by check
        assert "Payments without a receipt" in rows[2][1] and rows[2][0] == "2026-01-20"
        assert "2026.beancount:" in rows[2][3]
        assert "What to do" in str(screen.query_one("#audit-detail").render())
        await pilot.press("w")  # hide the warnings
        await pilot.pause()
        assert screen.query_one(DataTable).row_count == 0
        assert "warnings hidden" in str(screen.query_one("#audit-detail").render())
        await pilot.press("w")
        await pilot.pause()
        assert screen.query_one(DataTable).row_count == 3
        await pilot.press("enter")  # to the entry, in the journal
        await settle(app, pilot)
        assert isinstance(app.screen, EntryScreen) and '"City Power & Light"' in app.screen.text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen) and app.screen.query_one("#filter").value.startswith("from:")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_close_a_month_shows_the_line_then_writes_it(tmp_path, monkeypatch):
    monkeypatch.setenv("FINSEK_STATE_DIR", str(tmp_path / "state"))
    main = audit_ledger(tmp_path)
    year_file = main.parent / "2026.beancount"
    app = make_app(main, today=DAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await audited(app, pilot)
        await pilot.press("a")
        await pilot.press("c")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, CloseScreen)
        assert dialog.query_one("#close-through").value == "2026-02-28"  # the last month end
        plan = str(dialog.query_one("#close-plan").render())
        line = str(dialog.query_one("#close-line").render())
        assert "1 warning" in plan and line.startswith(f'{DAY.isoformat()} custom "close" 2026-02-28 "sha256:')
        assert 'custom "close"' not in year_file.read_text()  # shown, not written
        await pilot.press("y")
        await settle(app, pilot)
        await audited(app, pilot)
        assert isinstance(app.screen, AuditScreen)
        status = app.screen.query_one("#status").message
        assert "Closed 2026-01-05 to 2026-02-28: wrote the close line to 2026.beancount" in status
        assert app.books.closed_through == dt.date(2026, 2, 28)
        assert "closed through 2026-02-28" in str(app.screen.query_one("LedgerHeader").render())
        await pilot.press("c")
        await settle(app, pilot)
        assert "closed through 2026-02-28 already" in str(app.screen.query_one("#close-plan").render())
        await pilot.press("escape")
    assert f'{DAY.isoformat()} custom "close" 2026-02-28 "sha256:' in year_file.read_text()
    assert load_books(main).closed_through == dt.date(2026, 2, 28)


async def test_close_is_refused_while_the_audit_finds_errors(tmp_path, monkeypatch):
    from finsek.audit import plan_close

    monkeypatch.setenv("FINSEK_STATE_DIR", str(tmp_path / "state"))
    main = audit_ledger(tmp_path, broken=True)
    year_file = main.parent / "2026.beancount"
    before = year_file.read_text()
    app = make_app(main, today=DAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await audited(app, pilot)
        assert "1 error" in str(app.screen.query_one("#audit").render())
        await pilot.press("a")
        await pilot.pause()
        assert table_rows(app.screen)[0][1].endswith("Errors: 1")
        await pilot.press("c")
        await settle(app, pilot)
        dialog = app.screen
        shown = str(dialog.query_one("#close-plan").render())
        cli = plan_close(load_books(main), dt.date(2026, 2, 28), DAY).refusal  # what finsek close says
        assert shown == cli and "finsek will not close" in shown and "1 error" in shown
        assert dialog.query_one("#close-yes").disabled
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog  # refused: nothing happens
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
    assert year_file.read_text() == before


async def test_audit_is_readable_at_80x24(tmp_path, monkeypatch):
    monkeypatch.setenv("FINSEK_STATE_DIR", str(tmp_path / "state"))
    app = make_app(audit_ledger(tmp_path), today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await audited(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("a")
        await pilot.pause()
        text = app.export_screenshot().replace("&#160;", " ")
        assert "Warnings 1 (w)" in text and "What to do" in text and "Close a month" in text


async def test_the_list_reads_errors_then_warnings_each_by_check(tmp_path, monkeypatch):
    monkeypatch.setenv("FINSEK_STATE_DIR", str(tmp_path / "state"))
    main = audit_ledger(tmp_path, broken=True)
    app = make_app(main, today=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await audited(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        kinds = [row[1] for row in table_rows(app.screen)]
        assert kinds[0] == "✖ Errors: 1" and kinds[1] == "  Bank reconciliation (1)"
        assert kinds[2].startswith("✖ Balances that do not match")
        assert kinds[3] == "▲ Warnings: 1" and kinds[4] == "  Payments (1)"
        assert kinds[5].startswith("▲ Payments without a receipt")
