"""The ``finsek report`` command: the board report and ad-hoc statements.

::

    finsek report board [--month YYYY-MM] [--format pdf,html,xlsx,md,json] [--out DIR] [--paper a4|letter]
    finsek report activities|funds|position|budget [--from DATE] [--to DATE] [--by-fund]
                                                   [--format md|csv|json|xlsx|html|pdf] [--out PATH]

``finsek.cli.main`` calls :func:`add_report_commands` while building its parser
and :func:`run_report` to run the command. Only the standard library is
imported at module level, so ``finsek --help`` stays fast.
"""

import argparse
import datetime as dt
import sys

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
BOARD_FORMATS = ("pdf", "html", "xlsx", "md", "json")
ADHOC_FORMATS = ("md", "csv", "json", "xlsx", "html", "pdf")
ADHOC = ("activities", "funds", "position", "budget")
TEXT_FORMATS = ("md", "csv", "json")


def _ledger_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a --ledger given before the command (finsek --ledger X report ...).
    parser.add_argument("--ledger", metavar="PATH", default=argparse.SUPPRESS,
                        help="the ledger's main file or folder")


def add_report_commands(subparsers) -> argparse.ArgumentParser:
    """Add ``report`` with its subcommands to finsek's subparsers; return the ``report`` parser."""
    report = subparsers.add_parser(
        "report", help="print the monthly board report or an ad-hoc statement",
        description="Reports from the ledger: the monthly board report (PDF, HTML, XLSX, Markdown, JSON) and "
                    "ad-hoc statements over any dates. Every total is exact to the cent.",
    )
    kinds = report.add_subparsers(dest="report_kind", metavar="REPORT", required=True)

    board = kinds.add_parser(
        "board", help="the monthly board report",
        description="The monthly board report: summary, statement of activities against budget, fund activity, "
                    "financial position, giving trend, where the money went and reconciliation status.",
    )
    _ledger_option(board)
    board.add_argument("--month", metavar="YYYY-MM", help="the month to report (default: last month)")
    board.add_argument("--format", default=",".join(BOARD_FORMATS), metavar="LIST",
                       help=f"comma-separated formats: {','.join(BOARD_FORMATS)} (default: all)")
    board.add_argument("--out", metavar="DIR",
                       help="folder for the files (default: the reports_dir setting, else ./reports)")
    board.add_argument("--paper", choices=("a4", "letter"), help="PDF paper size (default: letter for en_US, else a4)")

    for kind, text in (
        ("activities", "income and expenses by category"),
        ("funds", "fund activity and the tie-out to cash"),
        ("position", "statement of financial position (assets, liabilities, net assets)"),
        ("budget", "budget against actual by category"),
    ):
        parser = kinds.add_parser(kind, help=text, description=f"Ad-hoc report: {text}.")
        _ledger_option(parser)
        parser.add_argument("--from", dest="date_from", metavar="DATE",
                            help="first day, YYYY-MM-DD (default: start of the fiscal year)")
        parser.add_argument("--to", dest="date_to", metavar="DATE", help="last day, YYYY-MM-DD (default: today)")
        parser.add_argument("--by-fund", action="store_true", help="fund by fund")
        parser.add_argument("--format", default="md", choices=ADHOC_FORMATS, help="output format (default md)")
        parser.add_argument("--out", metavar="PATH",
                            help="file or folder to write (default: print md, csv and json; "
                                 "write xlsx, html and pdf into the reports folder)")
        parser.add_argument("--paper", choices=("a4", "letter"), help="PDF paper size")
    return report


def _error(message: str, code: int) -> int:
    print(f"finsek: {message}", file=sys.stderr)
    return code


def _settings(settings):
    if settings is None:
        from finsek.config import load_settings

        settings = load_settings()
    return settings


def last_month(today: dt.date | None = None) -> dt.date:
    first = (today or dt.date.today()).replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def parse_formats(text: str, allowed=BOARD_FORMATS) -> list[str]:
    from finsek.core.errors import Refused

    formats = [part.strip().lower() for part in (text or "").split(",") if part.strip()]
    formats = ["md" if fmt == "markdown" else fmt for fmt in formats]
    unknown = [fmt for fmt in formats if fmt not in allowed]
    if unknown or not formats:
        raise Refused(f"Unknown format '{','.join(unknown) or text}': use some of {','.join(allowed)}.", "format")
    return list(dict.fromkeys(formats))


def run_report(args, ledger_path, settings=None, today: dt.date | None = None) -> int:
    """Run ``finsek report ...`` on the ledger at ``ledger_path``; return the exit status."""
    from finsek.core.errors import FinsekError, Refused

    try:
        kind = args.report_kind
        if kind == "board":
            from finsek.reports.periods import parse_month

            month = parse_month(args.month) if args.month else last_month(today)
            formats = parse_formats(args.format)
        else:
            from finsek.core.dates import parse_date

            start = parse_date(args.date_from, today, "from") if args.date_from else None
            end = parse_date(args.date_to, today, "to") if args.date_to else None
    except Refused as error:
        return _error(error.message, EXIT_USAGE)
    try:
        if settings is None and not getattr(args, "out", None):
            from finsek.config import load_settings

            settings = load_settings()
        from finsek.ledger.books import load_books

        books = load_books(ledger_path)
        if books.errors:
            print(f"finsek: warning: the ledger has {len(books.errors)} problem(s); the report says so. "
                  "Run 'finsek check' to see them.", file=sys.stderr)
        if kind == "board":
            return _board(args, books, month, formats, settings, today)
        return _adhoc(args, books, kind, start, end, settings, today)
    except FinsekError as error:
        return _error(error.message, EXIT_REFUSED)
    except OSError as error:
        return _error(f"Could not write the report: {error.strerror or error}.", EXIT_REFUSED)


def _board(args, books, month: dt.date, formats: list[str], settings, today) -> int:
    from finsek.reports.board import build_board_report
    from finsek.reports.render import default_paper, export

    report = build_board_report(books, month, generated=today)
    folder = _settings(settings).reports_folder(args.out)
    paper = args.paper or default_paper(report.locale)
    written = export(report, folder, formats, paper)
    print(f"Board report for {report.organisation}, {report.period_label}:")
    for path in written.values():
        print(f"  {path}")
    for warning in report.warnings:
        print(f"  note: {warning}")
    return EXIT_OK


def _adhoc(args, books, kind: str, start, end, settings, today) -> int:
    from finsek.reports.adhoc import build_report
    from finsek.reports.render import EXTENSIONS, default_paper, render, write_file

    report = build_report(kind, books, start, end, by_fund=args.by_fund, generated=today)
    paper = args.paper or default_paper(report.locale)
    payload = render(report, args.format, paper)
    if args.out is None and args.format in TEXT_FORMATS:
        sys.stdout.write(payload.decode("utf-8"))
        return EXIT_OK
    target = _settings(settings).reports_folder(args.out)
    if args.out is None or target.is_dir() or str(args.out).endswith(("/", "\\")):
        target = target / f"{report.slug}.{EXTENSIONS[args.format]}"
    write_file(target, payload)
    print(f"Wrote {target}")
    return EXIT_OK
