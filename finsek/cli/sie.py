"""``finsek sie export`` and ``finsek sie import``: the year in SIE 4 for the auditor, and a ledger from one."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from finsek.cli.common import (
    EXIT_OK,
    TypedWrong,
    add_force_option,
    add_ledger_option,
    load_settings,
    note,
    open_ledger,
    output_check,
    writing_files,
)


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``sie export`` and ``sie import`` to finsek's commands."""
    sie = subparsers.add_parser("sie", help="SIE 4 files: the year for the auditor, or a ledger from another program")
    commands = sie.add_subparsers(dest="sie_command", metavar="export|import", required=True)
    export = commands.add_parser("export", help="write a fiscal year as a SIE 4 file (for the auditor, Fortnox, Visma)")
    add_ledger_option(export)
    export.add_argument("--year", required=True, metavar="YYYY", help="the fiscal year that starts in YYYY")
    export.add_argument("--out", metavar="FILE.se", help="the file to write (default: the reports folder)")
    add_force_option(export)
    export.set_defaults(handler=run_export)
    into = commands.add_parser("import", help="make a new finsek ledger from a SIE 4 file another program wrote")
    into.add_argument("file", metavar="FILE", help="the SIE file (.se)")
    into.add_argument("--into", required=True, metavar="DIR", help="the new ledger folder (must not exist or be empty)")
    into.add_argument("--name", help="the organisation's name (default: #FNAMN of the file)")
    into.set_defaults(handler=run_import)


def _year(text: str) -> int:
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        raise TypedWrong(f"'{text}' is not a year: write it as four digits, such as 2026.")
    return int(text)


def run_export(args: argparse.Namespace, today: dt.date | None = None) -> int:
    from finsek.core.text import slug
    from finsek.imports.sie.export import export_year
    from finsek.imports.sie.writer import sie_bytes
    from finsek.ledger.files import write_atomically

    year = _year(args.year)
    today = today or dt.date.today()
    settings = load_settings()
    books = open_ledger(args, settings).books
    if books.errors:
        note(f"warning: the ledger has {len(books.errors)} problem(s); run 'finsek check' before you hand "
             "the file to the auditor.")
    sie, notes = export_year(books, year, today)
    payload, lost = sie_bytes(sie, today)
    named = args.out is None
    path = Path(args.out).expanduser() if args.out else settings.reports_folder() / f"{slug(books.title)}-{year}.se"
    output_check(books, settings, args.force)(path, named_by_finsek=named)
    with writing_files():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, payload)
    print(f"Wrote {path}: {len(sie.vouchers)} vouchers, {len(sie.accounts)} accounts, "
          f"fiscal year {sie.years[0][0]} to {sie.years[0][1]}.")
    for line in notes:
        print(f"  note: {line}")
    if lost:
        print(f"  note: SIE files are written in PC8, which has no {lost!r}; those characters were written as ?")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from finsek.core.errors import Refused
    from finsek.imports.sie.into import ledger_from_sie
    from finsek.imports.sie.reader import read_file

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise Refused(f"{source} is not a file: give the SIE file the other program wrote.")
    try:
        sie = read_file(source)
    except OSError as error:
        raise Refused(f"Could not read {source}: {error.strerror or error}.") from None
    if not sie.vouchers and not sie.opening:
        raise Refused(f"{source} has no opening balances and no vouchers: is it a SIE file of type 4?")
    for problem in sie.problems:
        note(f"{source.name}: {problem}")
    summary = ledger_from_sie(sie, Path(args.into).expanduser(), args.name)
    print(f"Made {summary.main}: {summary.vouchers} vouchers, {summary.accounts} accounts, "
          f"result of the year {summary.result}.")
    if summary.funds:
        print(f"  funds from the file: {', '.join(summary.funds)} (check each fund's class in accounts.beancount)")
    for line in summary.notes:
        print(f"  note: {line}")
    return EXIT_OK
