"""Reports: pandas frames from the books, report builders, renderers.

The API the CLI and the TUI call (everything is imported lazily, so importing
``finsek.reports`` costs nothing)::

    from finsek.reports import board_report, adhoc_report, render, export

    report = board_report(books, dt.date(2026, 3, 1))   # a Report: sections of tables (frames) and figures
    for section in report.sections:
        for table in section.tables:
            table.columns, table.frame                  # display-ready rows, money as Decimal
    pdf_bytes = render(report, "pdf", paper="a4")       # or html, xlsx, md, json, csv
    paths = export(report, folder, ("pdf", "html"))     # {format: Path}

``posting_frame(books)`` gives the frame of every posting (see
:mod:`finsek.reports.frames`); pass it as ``frame=`` to build several reports
from one frame.
"""


def posting_frame(books):
    from finsek.reports.frames import posting_frame as build  # pandas: only when a report is built (start-up time)

    return build(books)


def board_report(books, month, **options):
    """The monthly board report for ``month`` (a date in it) as data: a :class:`~finsek.reports.model.Report`."""
    from finsek.reports.board import build_board_report  # pandas: only when a report is built (start-up time)

    return build_board_report(books, month, **options)


def adhoc_report(kind, books, start=None, end=None, **options):
    """``activities``, ``funds``, ``position`` or ``budget`` over any dates, as data."""
    from finsek.reports.adhoc import build_report  # pandas: only when a report is built (start-up time)

    return build_report(kind, books, start, end, **options)


def render(report, fmt, paper="a4", negatives="parentheses") -> bytes:
    from finsek.reports.render import render as run

    return run(report, fmt, paper, negatives)


def export(report, folder, formats=("pdf", "html", "xlsx", "md", "json"), paper=None, check=None,
           negatives="parentheses"):
    from finsek.reports.render import export as run

    return run(report, folder, formats, paper, check, negatives=negatives)
