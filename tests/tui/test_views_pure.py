"""Pure helpers of the report, audit and donors screens: report tables and charts as text, the system
viewer, donor fields with line breaks; and the home screen's keys to the new screens."""

from decimal import Decimal

from rich.console import Console

from finsek.ledger.books import load_books
from finsek.reports import board_report
from finsek.reports.model import Figure, Series
from finsek.tui import viewer
from finsek.tui.screens.donors import progress_bar, shown_value, stored_value
from finsek.tui.views.report_view import figure_renderable, table_plain, table_renderable

from .conftest import TODAY, make_app, ready, settle


def as_text(renderable, width: int = 160) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_report_tables_as_the_printed_report_formats_them(ledger_path):
    books = load_books(ledger_path)
    report = board_report(books, TODAY)
    table = report.table("budget")
    text = as_text(table_renderable(table, report.locale), width=240)
    lines = text.splitlines()
    assert lines[0].startswith("Category") and "Month actual" in lines[0]
    utilities = next(line for line in lines if "Utilities" in line)
    assert utilities.replace("\u00a0", " ").startswith("  Utilities")  # rows indented under their group
    assert "182.40" in utilities and "Maintenance" in lines[lines.index(utilities) + 1]
    total = next(line for line in lines if line.startswith("Total expenses"))
    assert total.index("182.40") + len("182.40") == utilities.index("182.40") + len("182.40")  # money right-aligned
    plain = dict((row[0], row) for row in table_plain(table, report.locale))
    assert plain["Utilities"][4] == "182.40" and plain["Utilities"][2] == "450.00"


def test_charts_as_text_bars():
    figure = Figure("f", "Where the money went", "hbars", ["Personnel", "Facilities"],
                    [Series("Month", [Decimal("1000.00"), Decimal("250.00")], "solid"),
                     Series("Year", [Decimal("2000.00"), None], "hatched")], "USD")
    text = as_text(figure_renderable(figure, "en_US"))
    lines = text.splitlines()
    assert lines[0] == "Where the money went (USD)" and "██ Month" in lines[1] and "▒▒ Year" in lines[1]
    assert lines[2].count("█") == 16 and lines[2].rstrip().endswith("1,000.00")
    assert lines[3].count("▒") == 32 and lines[3].rstrip().endswith("2,000.00")
    assert lines[4].startswith("Facilities") and lines[4].count("█") == 4
    assert lines[5].rstrip().endswith("—")
    empty = Figure("g", "Giving", "bars", ["Jan"], [Series("FY", [Decimal(0)])], note="No gifts recorded.")
    assert "No gifts recorded." in as_text(figure_renderable(empty, "sv_SE"))


def test_viewer_names_the_file_without_a_desktop(monkeypatch, tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF")
    monkeypatch.setattr(viewer.sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert viewer.viewer_command() is None
    assert str(target) in viewer.open_file(target)
    started = []
    monkeypatch.setattr(viewer, "launch", started.append)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(viewer.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert viewer.open_file(target) is None and started == [["/usr/bin/xdg-open", str(target)]]
    monkeypatch.setattr(viewer.sys, "platform", "darwin")
    assert viewer.viewer_command() == "/usr/bin/open"


def test_viewer_uses_startfile_on_windows(monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(viewer.sys, "platform", "win32")
    monkeypatch.setattr(viewer.os, "startfile", opened.append, raising=False)
    assert viewer.open_file(tmp_path / "r.html") is None
    assert opened == [str((tmp_path / "r.html").resolve())]


def test_donor_fields_with_line_breaks_round_trip():
    assert shown_value("address1", "Storgatan 1\nc/o Lind") == "Storgatan 1 ⏎ c/o Lind"
    assert stored_value("address1", "Storgatan 1 ⏎ c/o Lind") == "Storgatan 1\nc/o Lind"
    assert stored_value("name", "A ⏎ B") == "A ⏎ B"  # one-line fields keep what was typed (and are refused)
    assert progress_bar(Decimal(250), Decimal(1000), 12) == "███" + "░" * 9
    assert progress_bar(Decimal(2000), Decimal(1000), 4) == "████"


async def test_home_keys_open_report_audit_donors_and_shift_r_reloads(ledger_path):
    from finsek.tui.commands import finsek_commands

    app = make_app(ledger_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        for key, name in (("r", "ReportsScreen"), ("a", "AuditScreen"), ("d", "DonorsScreen")):
            await pilot.press(key)
            await settle(app, pilot)
            assert type(app.screen).__name__ == name
            names = [command for command, _help, _callback in finsek_commands(app, app.screen)]
            assert {"Board report", "Audit", "Donors"} <= set(names)
            assert {"ReportsScreen": "Export the report", "AuditScreen": "Close the books through a month end",
                    "DonorsScreen": "Merge the selected donor into another"}[name] == names[
                        {"ReportsScreen": 0, "AuditScreen": 0, "DonorsScreen": 2}[name]]
            await pilot.press("f1")  # ? types into the donors' search; F1 works everywhere
            await pilot.pause()
            help_ids = {str(row[1]) for row in (app.screen.query_one("DataTable").get_row_at(i)
                                               for i in range(app.screen.query_one("DataTable").row_count))}
            assert {"ReportsScreen": "report_export", "AuditScreen": "audit_close",
                    "DonorsScreen": "donors_search"}[name] in help_ids
            await pilot.press("escape")
            await pilot.press("escape")
            await pilot.pause()
            assert type(app.screen).__name__ == "HomeScreen"
        before = app.reload_count, app.books
        await pilot.press("R")
        await settle(app, pilot)
        assert app.books is not before[1]
        assert any("read again from disk" in n.message for n in app._notifications)



async def test_new_keys_can_be_remapped(ledger_path, tmp_path):
    from finsek.config import Settings

    app = make_app(ledger_path, Settings(keymap={"reports": "f5", "report_export": "f6"}, reports_dir=tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ReportsScreen"
        await pilot.press("f6")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceScreen"
