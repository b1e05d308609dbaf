"""The ``finsek report`` command: the board report and ad-hoc statements.

::

    finsek report board [--month YYYY-MM] [--format pdf,html,xlsx,md,json] [--out DIR] [--paper a4|letter]
    finsek report activities|funds|position|budget [--from DATE] [--to DATE] [--by-fund]
                                                   [--format md|csv|json|xlsx|html|pdf] [--out PATH]

The giving reports (``report pledges``, ``report givers``) are added here from
``finsek.cli.giving``, so every kind of report is listed under one command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from finsek.cli import giving
from finsek.cli.common import (
    EXIT_OK,
    add_force_option,
    add_ledger_option,
    load_settings,
    note,
    open_ledger,
    output_check,
    parse_formats,
    typed_on_the_command_line,
    writing_files,
)

if TYPE_CHECKING:
    from finsek.config import Settings
    from finsek.ledger.books import Books

BOARD_FORMATS = ("pdf", "html", "xlsx", "md", "json")
ADHOC_FORMATS = ("md", "csv", "json", "xlsx", "html", "pdf")
ADHOC = ("activities", "funds", "position", "budget")
TEXT_FORMATS = ("md", "csv", "json")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``report`` with its kinds (board, the ad-hoc statements, pledges, givers) to finsek's commands."""
    report = subparsers.add_parser(
        "report", help="print the monthly board report or an ad-hoc statement",
        description="Reports from the ledger: the monthly board report (PDF, HTML, XLSX, Markdown, JSON) and "
                    "ad-hoc statements over any dates. Every total is exact to the cent.",
    )
    add_ledger_option(report)
    kinds = report.add_subparsers(dest="report_kind", metavar="REPORT", required=True)

    board = kinds.add_parser(
        "board", help="the monthly board report",
        description="The monthly board report: summary, statement of activities against budget, fund activity, "
                    "financial position, giving trend, where the money went and reconciliation status.",
    )
    add_ledger_option(board)
    board.add_argument("--month", metavar="YYYY-MM", help="the month to report (default: last month)")
    board.add_argument("--format", default=",".join(BOARD_FORMATS), metavar="LIST",
                       help=f"comma-separated formats: {','.join(BOARD_FORMATS)} (default: all)")
    board.add_argument("--out", metavar="DIR",
                       help="folder for the files (default: the reports_dir setting, else ./reports)")
    board.add_argument("--paper", choices=("a4", "letter"), help="PDF paper size (default: letter for en_US, else a4)")
    add_force_option(board)
    board.set_defaults(handler=run_board)

    for kind, text in (
        ("activities", "income and expenses by category"),
        ("funds", "fund activity and the tie-out to cash"),
        ("position", "statement of financial position (assets, liabilities, net assets)"),
        ("budget", "budget against actual by category"),
    ):
        parser = kinds.add_parser(kind, help=text, description=f"Ad-hoc report: {text}.")
        add_ledger_option(parser)
        parser.add_argument("--from", dest="date_from", metavar="DATE",
                            help="first day, YYYY-MM-DD (default: start of the fiscal year)")
        parser.add_argument("--to", dest="date_to", metavar="DATE", help="last day, YYYY-MM-DD (default: today)")
        parser.add_argument("--by-fund", action="store_true", help="fund by fund")
        parser.add_argument("--format", default="md", choices=ADHOC_FORMATS, help="output format (default md)")
        parser.add_argument("--out", metavar="PATH",
                            help="file or folder to write (default: print md, csv and json; "
                                 "write xlsx, html and pdf into the reports folder)")
        parser.add_argument("--paper", choices=("a4", "letter"), help="PDF paper size")
        add_force_option(parser)
        parser.set_defaults(handler=run_adhoc)

    giving.add_report_kinds(kinds)


def last_month(today: dt.date | None = None) -> dt.date:
    first = (today or dt.date.today()).replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def run_board(args: argparse.Namespace, today: dt.date | None = None) -> int:
    """``finsek report board``: write the board report's files."""
    # Imported here, not at the top, for start-up time (finsek --help).
    from finsek.reports.periods import parse_month

    with typed_on_the_command_line():
        month = parse_month(args.month) if args.month else last_month(today)
    formats = parse_formats(args.format, BOARD_FORMATS)
    settings = load_settings()
    books = _books(args, settings)
    from finsek.reports.board import build_board_report
    from finsek.reports.render import default_paper, export

    report = build_board_report(books, month, generated=today)
    folder = settings.reports_folder(args.out)
    paper = args.paper or default_paper(report.locale)
    with writing_files():
        written = export(report, folder, formats, paper, check=output_check(books, settings, args.force),
                         negatives=settings.negatives)
    print(f"Board report for {report.organisation}, {report.period_label}:")
    for path in written.values():
        print(f"  {path}")
    for warning in report.warnings:
        print(f"  note: {warning}")
    return EXIT_OK


def run_adhoc(args: argparse.Namespace, today: dt.date | None = None) -> int:
    """``finsek report activities|funds|position|budget``: print the statement, or write it to a file."""
    from finsek.core.dates import parse_date

    with typed_on_the_command_line():
        start = parse_date(args.date_from, today, "from") if args.date_from else None
        end = parse_date(args.date_to, today, "to") if args.date_to else None
    settings = load_settings()
    books = _books(args, settings)
    from finsek.reports.adhoc import build_report
    from finsek.reports.render import EXTENSIONS, default_paper, render, write_file

    report = build_report(args.report_kind, books, start, end, by_fund=args.by_fund, generated=today)
    paper = args.paper or default_paper(report.locale)
    payload = render(report, args.format, paper, settings.negatives)
    if args.out is None and args.format in TEXT_FORMATS:
        sys.stdout.write(payload.decode("utf-8"))
        return EXIT_OK
    target = settings.reports_folder(args.out)
    named = args.out is None or target.is_dir() or str(args.out).endswith(("/", "\\"))
    if named:
        target = target / f"{report.slug}.{EXTENSIONS[args.format]}"
    output_check(books, settings, args.force)(target, named_by_finsek=named)
    with writing_files():
        write_file(target, payload)
    print(f"Wrote {target}")
    return EXIT_OK


def _books(args: argparse.Namespace, settings: Settings) -> Books:
    books = open_ledger(args, settings).books
    if books.errors:
        note(f"warning: the ledger has {len(books.errors)} problem(s); the report says so. "
             "Run 'finsek check' to see them.")
    return books
