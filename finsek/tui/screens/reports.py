"""The monthly board report (``r``): pick a month, read its tables, export it, open the PDF or HTML.

The report's data is built in a thread worker from the posting frame, which
is built once per version of the books and kept on the app
(``app.report_frame``), so stepping through months costs only the report
itself. Exports are rendered and written in a worker too, into the
``reports_dir`` setting or ``./reports``.
"""

import datetime as dt
import threading
import time
from functools import partial
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Input, Label, Static

from finsek.core.dates import add_months
from finsek.core.errors import FinsekError
from finsek.ledger.outputs import check_output
from finsek.reports import board_report, export, posting_frame
from finsek.reports.periods import parse_month
from finsek.tui import bindings
from finsek.tui.screens.base import BREAKPOINTS
from finsek.tui.screens.modals import ChoiceScreen
from finsek.tui.screens.typed import FinsekScreen
from finsek.tui.viewer import open_file
from finsek.tui.views.report_view import figure_renderable, table_renderable
from finsek.tui.widgets import LedgerHeader, StatusLine

FORMAT_NAMES = {"pdf": "PDF", "html": "HTML", "xlsx": "Excel (XLSX)", "md": "Markdown", "json": "JSON"}
EXPORT_CHOICES = [
    ("all", "All five", "a"),
    ("pdf", "PDF", "p"),
    ("html", "HTML", "h"),
    ("xlsx", "XLSX", "x"),
    ("md", "Markdown", "m"),
    ("json", "JSON", "j"),
    ("cancel", "Cancel", "escape"),
]
HINT = "p / n: month before / after · x exports · o opens the PDF or HTML · ↑ ↓ scroll"
OPEN_CHOICES = [("pdf", "PDF", "p"), ("html", "HTML", "h"), ("cancel", "Cancel", "escape")]

_frame_lock = threading.Lock()


def report_frame(app, books, version: int):
    """The posting frame of ``books``: built once per version of the books (in the calling thread)."""
    with _frame_lock:
        cached = app.report_frame
        if cached is not None and cached[0] == version and cached[1] is books:
            return cached[2]
        frame = posting_frame(books)
        app.report_frame = (version, books, frame)
        return frame


class ReportsScreen(FinsekScreen[None]):
    BINDINGS = bindings.REPORTS
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    INTRO = (
        "The monthly board report: p and n step through the months, m types one. x exports it (PDF, HTML, "
        "XLSX, Markdown, JSON) into the reports folder; o opens the PDF or HTML with the system's viewer."
    )

    def __init__(self, month: dt.date | None = None) -> None:
        super().__init__(classes="reports")
        self.month = month
        self.report = None
        self.report_key: tuple[int, dt.date] | None = None
        self.wanted: tuple[int, dt.date] | None = None
        self.build_seconds = 0.0
        self.files: dict[str, Path] = {}
        self.exporting = False

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        with Horizontal(id="report-bar"):
            yield Label("Board report for ", id="report-for")
            yield Input("", placeholder="YYYY-MM", id="report-month", compact=True, restrict=r"[0-9-]*",
                        max_length=10)
            yield Static("", id="report-state")
        with VerticalScroll(id="report-scroll"):
            yield Static(Content("Building the report…"), id="report-empty")
        yield StatusLine(HINT, id="status")
        yield Footer()

    def on_mount(self) -> None:
        if self.month is None:
            first = self.app.today().replace(day=1)
            self.month = add_months(first, -1)
        self.query_one("#report-month", Input).value = f"{self.month:%Y-%m}"
        self.watch(self.app, "books_version", lambda _v: self.build(), init=False)
        self.query_one("#report-scroll").focus()
        self.build()

    # -- building ---------------------------------------------------------------------

    def build(self) -> None:
        app = self.app
        books = app.books
        if books is None:
            return
        version = app.books_version
        month = self.month
        key = (version, month)
        if key == self.report_key or key == self.wanted:
            return
        self.wanted = key
        self.set_state(f"Building {month:%B %Y}…")
        today = app.today()

        def work() -> None:
            started = time.perf_counter()
            try:
                frame = report_frame(app, books, version)
                report = board_report(books, month, frame=frame, generated=today)
            except Exception as error:  # never a traceback on screen: say what went wrong
                message = error.message if isinstance(error, FinsekError) else f"{type(error).__name__}: {error}"
                app.call_from_thread(self.build_failed, key, message)
                return
            app.call_from_thread(self.built, key, report, time.perf_counter() - started)

        self.run_worker(work, thread=True, group="report", name=f"board report {month:%Y-%m}", exit_on_error=False)

    def built(self, key, report, seconds: float) -> None:
        if not self.is_attached or key != self.wanted:
            return  # another month (or newer books) was asked for meanwhile
        self.wanted = None
        self.report = report
        self.report_key = key
        self.build_seconds = seconds
        self.files = {}
        self.show(report)
        self.set_state(f"{report.period_label} · built in {seconds:.1f} s")
        self.query_one(StatusLine).say(HINT, "info")

    def build_failed(self, key, message: str) -> None:
        if not self.is_attached or key != self.wanted:
            return
        self.wanted = None
        self.set_state("")
        self.query_one(StatusLine).say(f"The report could not be built: {message}", "error")

    def set_state(self, text: str) -> None:
        self.query_one("#report-state", Static).update(Content(text))

    def show(self, report) -> None:
        scroll = self.query_one("#report-scroll", VerticalScroll)
        widgets: list[Static] = [
            Static(Content(f"{report.title}: {report.organisation}"), classes="report-title"),
            Static(Content(self.period_line(report)), classes="report-period"),
        ]
        for section in report.sections:
            widgets.append(Static(Content(section.title), classes="report-heading"))
            if section.intro:
                bullet = "• " if section.key == "summary" else ""
                widgets.append(Static(Content("\n".join(f"{bullet}{line}" for line in section.intro)),
                                      classes="report-intro"))
            for table in section.tables:
                if table.title and table.title != section.title:
                    widgets.append(Static(Content(table.title), classes="report-table-title"))
                widgets.append(Static(table_renderable(table, report.locale), classes="report-table"))
                if table.notes:
                    widgets.append(Static(Content("\n".join(table.notes)), classes="report-note"))
            for figure in section.figures:
                widgets.append(Static(figure_renderable(figure, report.locale, report.currency),
                                      classes="report-figure"))
        scroll.remove_children()
        scroll.mount_all(widgets)
        scroll.scroll_home(animate=False)

    @staticmethod
    def period_line(report) -> str:
        fiscal = (report.period or {}).get("fiscal_year")
        line = report.period_label
        if fiscal:
            line += f" · fiscal year {fiscal['label']} ({fiscal['start']} to {fiscal['end']})"
        return line + f" · generated {report.generated.isoformat()}"

    def shown_text(self) -> str:
        """Everything the report view holds, as plain text (headings, sentences, table titles)."""
        return "\n".join(str(widget.render()) for widget in self.query("#report-scroll Static"))

    # -- months -------------------------------------------------------------------------

    def action_step_month(self, step: int) -> None:
        self.go_to(add_months(self.month, step))

    def go_to(self, month: dt.date) -> None:
        latest = self.app.today().replace(day=1)
        if month > latest:
            self.query_one(StatusLine).say(
                f"{month:%B %Y} has not started yet: the latest report is for {latest:%B %Y} (so far).", "warning"
            )
            return
        self.month = month
        self.query_one("#report-month", Input).value = f"{month:%Y-%m}"
        self.build()

    def action_focus_month(self) -> None:
        month_input = self.query_one("#report-month", Input)
        month_input.focus()
        month_input.select_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            month = parse_month(event.value)
        except FinsekError as error:
            self.query_one(StatusLine).say(error.message, "error")
            return
        self.query_one("#report-scroll").focus()
        self.go_to(month)

    def action_back(self) -> None:
        if self.focused is self.query_one("#report-month", Input):
            self.query_one("#report-month", Input).value = f"{self.month:%Y-%m}"
            self.query_one("#report-scroll").focus()
            return
        self.app.pop_screen()

    # -- export and open -------------------------------------------------------------------

    def ready_report(self):
        if self.report is None or self.wanted is not None:
            self.query_one(StatusLine).say("The report is still being built: a moment, then try again.", "warning")
            return None
        return self.report

    def action_export(self) -> None:
        report = self.ready_report()
        if report is None or self.exporting:
            return
        folder = self.app.settings.reports_folder()

        def chosen(answer: str | None) -> None:
            if answer and answer != "cancel":
                formats = list(FORMAT_NAMES) if answer == "all" else [answer]
                self.export(formats)

        self.app.push_screen(
            ChoiceScreen(f"Export the board report for {report.period_label} into {folder}:", EXPORT_CHOICES),
            chosen,
        )

    def export(self, formats: list[str], then_open: str | None = None) -> None:
        report = self.report
        key = self.report_key
        folder = self.app.settings.reports_folder()
        app = self.app
        books = app.books
        self.exporting = True
        names = ", ".join(FORMAT_NAMES[fmt] for fmt in formats)
        self.query_one(StatusLine).say(f"Writing the {names} of {report.period_label} into {folder}…", "info")

        def work() -> None:
            try:
                check = partial(check_output, books=books, named_by_finsek=True) if books is not None else None
                written = export(report, folder, formats, check=check, negatives=app.settings.negatives)
            except (FinsekError, OSError, ValueError) as error:
                message = getattr(error, "message", None) or getattr(error, "strerror", None) or str(error)
                app.call_from_thread(self.export_failed, message)
                return
            app.call_from_thread(self.exported, key, written, then_open)

        self.run_worker(work, thread=True, group="report-export", name="export report", exit_on_error=False)

    def exported(self, key, written: dict[str, Path], then_open: str | None) -> None:
        self.exporting = False
        if key == self.report_key:
            self.files.update(written)
        paths = list(written.values())
        folder = paths[0].parent if paths else self.app.settings.reports_folder()
        names = ", ".join(path.name for path in paths)
        message = f"Wrote {len(paths)} file{'s' if len(paths) != 1 else ''} into {folder}: {names}"
        self.query_one(StatusLine).say(message, "ok")
        self.app.tell(message, title="Report exported")
        if then_open and then_open in written:
            self.open_path(written[then_open])

    def export_failed(self, message: str) -> None:
        self.exporting = False
        self.query_one(StatusLine).say(f"The report could not be written: {message}", "error")

    def action_open_file(self) -> None:
        report = self.ready_report()
        if report is None or self.exporting:
            return

        def chosen(answer: str | None) -> None:
            if answer in ("pdf", "html"):
                path = self.files.get(answer)
                if path is not None and path.exists():
                    self.open_path(path)
                else:
                    self.export([answer], then_open=answer)

        self.app.push_screen(
            ChoiceScreen(f"Open the board report for {report.period_label} with the system's viewer:", OPEN_CHOICES),
            chosen,
        )

    def open_path(self, path: Path) -> None:
        problem = open_file(path)
        if problem is None:
            self.query_one(StatusLine).say(f"Opened {path.name} with the system's viewer ({path}).", "ok")
        else:
            self.query_one(StatusLine).say(problem, "warning")
            self.app.tell(problem, title="Not opened", severity="warning", timeout=10)
