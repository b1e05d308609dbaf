"""The board report screen (r): months, the tables, export into the reports folder, opening the PDF."""

from finsek.config import Settings
from finsek.core.dates import add_months
from finsek.tui.screens.modals import ChoiceScreen
from finsek.tui.screens.reports import ReportsScreen

from .conftest import TODAY, make_app, ready, settle

SECTIONS = ("Summary", "Statement of activities", "Fund activity", "Statement of financial position", "Giving trend",
            "Where the money went", "Reconciliation status")


async def open_reports(app, pilot) -> ReportsScreen:
    await ready(app, pilot)
    await pilot.press("r")
    await settle(app, pilot)
    assert isinstance(app.screen, ReportsScreen)
    return app.screen


async def test_report_of_last_month_steps_months_and_reuses_the_frame(ledger_path, tmp_path):
    app = make_app(ledger_path, Settings(reports_dir=tmp_path / "out"))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_reports(app, pilot)
        last_month = add_months(TODAY.replace(day=1), -1)
        assert screen.query_one("#report-month").value == f"{last_month:%Y-%m}"
        assert screen.report is not None and screen.report.start == last_month
        text = screen.shown_text()
        for title in SECTIONS:
            assert title in text
        assert "Board report: Test Church" in text
        frame = app.report_frame[2]
        await pilot.press("n")
        await settle(app, pilot)
        assert screen.report.start == TODAY.replace(day=1)
        assert app.report_frame[2] is frame  # the posting frame is built once per version of the books
        await pilot.press("n")
        await pilot.pause()
        assert "has not started yet" in screen.query_one("#status").message
        assert screen.report.start == TODAY.replace(day=1)
        await pilot.press("m")
        await pilot.pause()
        assert app.focused.id == "report-month"
        await pilot.press("backspace", *"13", "enter")  # 2026-013 is no month
        await pilot.pause()
        assert "is not a month" in screen.query_one("#status").message
        app.focused.value = f"{last_month:%Y-%m}"
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.report.start == last_month
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


async def test_export_writes_every_format_into_the_reports_folder(ledger_path, tmp_path):
    out = tmp_path / "out"
    app = make_app(ledger_path, Settings(reports_dir=out))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_reports(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen) and str(out) in app.screen.question
        await pilot.press("escape")  # cancel: nothing written
        await pilot.pause()
        assert not out.exists()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("a")
        await settle(app, pilot)
        slug = screen.report.slug
        for extension in ("pdf", "html", "xlsx", "md", "json"):
            assert (out / f"{slug}.{extension}").stat().st_size > 0
        assert (out / f"{slug}.pdf").read_bytes().startswith(b"%PDF")
        assert "Wrote 5 files" in screen.query_one("#status").message
        assert "Statement of activities" in (out / f"{slug}.md").read_text(encoding="utf-8")


async def test_export_follows_the_negatives_setting(ledger_path, tmp_path):
    from io import BytesIO

    from openpyxl import load_workbook

    for negatives, expected in (("minus", "#,##0.00;-#,##0.00"), ("parentheses", "#,##0.00_);(#,##0.00)")):
        out = tmp_path / negatives
        app = make_app(ledger_path, Settings(reports_dir=out, negatives=negatives))
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await open_reports(app, pilot)
            await settle(app, pilot)
            await pilot.press("x")
            await settle(app, pilot)
            assert isinstance(app.screen, ChoiceScreen)
            await pilot.press("a")
            await settle(app, pilot)
            assert "Wrote 5 files" in screen.query_one("#status").message, screen.query_one("#status").message
            book = load_workbook(BytesIO((out / f"{screen.report.slug}.xlsx").read_bytes()))
            formats = {cell.number_format for sheet in book for row in sheet.iter_rows() for cell in row
                       if isinstance(cell.value, float | int) and "0.00" in cell.number_format}
            assert formats == {expected}, negatives


async def test_open_says_where_the_file_is_when_there_is_no_viewer(ledger_path, tmp_path, monkeypatch):
    from finsek.tui import viewer

    monkeypatch.setattr(viewer, "viewer_command", lambda: None)
    monkeypatch.setattr(viewer.sys, "platform", "linux")
    out = tmp_path / "out"
    app = make_app(ledger_path, Settings(reports_dir=out))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_reports(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("h")  # not exported yet: written first, then opened
        await settle(app, pilot)
        html = out / f"{screen.report.slug}.html"
        assert html.exists()
        message = screen.query_one("#status").message
        assert "no program to open it" in message and str(html.resolve()) in message


async def test_open_hands_the_pdf_to_the_system_viewer(ledger_path, tmp_path, monkeypatch):
    from finsek.tui import viewer

    started = []
    monkeypatch.setattr(viewer, "viewer_command", lambda: "/usr/bin/xdg-open")
    monkeypatch.setattr(viewer.sys, "platform", "linux")
    monkeypatch.setattr(viewer, "launch", started.append)
    app = make_app(ledger_path, Settings(reports_dir=tmp_path / "out"))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_reports(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("p")
        await settle(app, pilot)
        pdf = tmp_path / "out" / f"{screen.report.slug}.pdf"
        assert started == [["/usr/bin/xdg-open", str(pdf.resolve())]]
        assert "Opened" in screen.query_one("#status").message


async def test_report_is_readable_at_80x24(ledger_path, tmp_path):
    app = make_app(ledger_path, Settings(reports_dir=tmp_path / "out"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reports(app, pilot)
        text = app.export_screenshot().replace("&#160;", " ")
        assert "Board report for" in text and "Summary" in text and "Export" in text
