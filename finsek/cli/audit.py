"""The ``finsek audit`` and ``finsek close`` commands.

::

    finsek audit [--from DATE] [--to DATE] [--format text,md,pdf,json] [--out DIR] [--paper a4|letter]
                 [--severity error|warning|note] [--no-git]
    finsek close --through YYYY-MM-DD [--dry-run] [--yes]

Exit status: ``audit`` 0 when the audit finds no error, 1 when it finds one
(or cannot run), 2 when an option is typed wrong; ``close`` 0 when closed (or,
with --dry-run, when it would close), 1 when refused or not confirmed.

``close`` shows the audit's warnings for the period and asks before it
writes the close line (``--yes`` answers for a script; without a terminal and
without ``--yes`` it refuses).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from finsek.cli.ask import add_yes_option, confirmed
from finsek.cli.common import (
    EXIT_OK,
    TypedWrong,
    add_force_option,
    add_ledger_option,
    fail,
    load_settings,
    open_ledger,
    output_check,
    parse_formats,
    typed_on_the_command_line,
    writing_files,
)
from finsek.core.paper import default_paper

if TYPE_CHECKING:
    from finsek.audit.closing import ClosePlan

FORMATS = ("text", "md", "pdf", "json")
STDOUT_FORMATS = ("text", "md", "json")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``audit`` and ``close`` to finsek's commands."""
    audit = subparsers.add_parser(
        "audit", help="check the books as an auditor would, and print the committee's audit report",
        description="Check the books as an auditor would: ledger errors, bank reconciliation, offering counts, "
                    "receipts and approvals, check numbers, duplicates, fund balances, closed periods (and git "
                    "history). Each finding says where and what to do. Exit status 1 when there is an error.",
    )
    add_ledger_option(audit)
    audit.add_argument("--from", dest="date_from", metavar="DATE",
                       help="first day of the audit period (default: the first entry)")
    audit.add_argument("--to", dest="date_to", metavar="DATE",
                       help="last day of the audit period (default: where the books end: the month end of the last "
                            "entry, or its last statement balance; never after today)")
    audit.add_argument("--format", default="text", metavar="LIST",
                       help="comma-separated formats: text (the findings, on screen), md, pdf, json "
                            "(the committee's report); default text")
    audit.add_argument("--out", metavar="DIR",
                       help="folder for the md, pdf and json files (default: the reports_dir setting, else "
                            "./reports; a single md or json goes to the screen without --out)")
    audit.add_argument("--paper", choices=("a4", "letter"), help="PDF paper size (default: letter for en_US, else a4)")
    audit.add_argument("--severity", choices=("error", "warning", "note"), default="note",
                       help="on screen, show findings of this severity and worse (default: all)")
    audit.add_argument("--no-git", action="store_true", help="do not look at the git history of the ledger folder")
    audit.add_argument("--verify-close", nargs=2, metavar=("YYYY-MM-DD", "SHA256"),
                       help="check the books through a closed day against the digest recorded in the minutes "
                            "(printed on that month's board report and by finsek close); exit status 1 if they differ")
    add_force_option(audit)
    audit.set_defaults(handler=run_audit_command)

    close = subparsers.add_parser(
        "close", help="close the books through a date (after the month's audit has no errors)",
        description="Close the books through a date: finsek audits the period since the last close, refuses "
                    "while it has errors, and otherwise writes a custom \"close\" line with the digest of the "
                    "books. After it, entries in the closed period cannot be added or changed: corrections are "
                    "new entries dated after the close.",
    )
    add_ledger_option(close)
    close.add_argument("--through", required=True, metavar="YYYY-MM-DD",
                       help="the last day to close, usually the last day of a month (YYYY-MM means its last day)")
    close.add_argument("--dry-run", action="store_true", help="say whether it would close and print the line")
    close.add_argument("--no-git", action="store_true", help="do not look at the git history of the ledger folder")
    add_yes_option(close, "close")
    close.set_defaults(handler=run_close_command)


def run_audit_command(args: argparse.Namespace, today: dt.date | None = None) -> int:
    """``finsek audit``: the findings on screen and/or the committee's report; exit status 1 on any error."""
    # Imported here, not at the top, for start-up time (finsek --help).
    from finsek.core.dates import parse_date

    if args.verify_close:
        return _verify_close(args, today)
    formats = parse_formats(args.format, FORMATS)
    with typed_on_the_command_line():
        start = parse_date(args.date_from, today, "from") if args.date_from else None
        end = parse_date(args.date_to, today, "to") if args.date_to else None
    settings = load_settings()
    ledger = open_ledger(args, settings)
    from finsek.audit import memo
    from finsek.audit.report import build_report, render_json, render_markdown, render_text

    books = ledger.books
    # Answered from the audit's memo when the books (warm from the cache) and all else are as they were.
    result = memo.audit(books, start, end, today=today, git=not args.no_git)
    files = [fmt for fmt in formats if fmt != "text"]
    to_screen = not args.out and len(files) == 1 and files[0] in STDOUT_FORMATS and "text" not in formats
    if "text" in formats:
        sys.stdout.write(render_text(result, args.severity))
    if files:
        report = build_report(books, result)
        if to_screen:
            sys.stdout.write(render_markdown(report) if files[0] == "md" else render_json(report))
            return result.exit_status
        folder = settings.reports_folder(args.out)
        paper = args.paper or default_paper(books.locale)
        check = output_check(books, settings, args.force)
        for fmt in files:
            check(folder / f"{report.slug}.{fmt}")
        for fmt in files:
            if fmt == "md":
                payload = render_markdown(report).encode("utf-8")
            elif fmt == "json":
                payload = render_json(report).encode("utf-8")
            else:
                from finsek.audit.pdf import render_pdf

                payload = render_pdf(report, paper)
            path = folder / f"{report.slug}.{fmt}"
            with writing_files():
                _write(path, payload)
            print(f"Wrote {path}")
    return result.exit_status


def run_close_command(args: argparse.Namespace, today: dt.date | None = None) -> int:
    """``finsek close``: close the books through a date (or, with --dry-run, say whether it would)."""
    from finsek.core.dates import parse_through

    with typed_on_the_command_line():
        through = parse_through(args.through, today)
    ledger = open_ledger(args, load_settings())
    from finsek.audit.closing import close_books, plan_close

    books = ledger.books
    plan = plan_close(books, through, today, git=not args.no_git)
    if not plan.allowed:
        return fail(plan.refusal)
    if args.dry_run:
        sys.stdout.write(plan.draft.text)
        print(f"Would close {plan.period}.{_warnings(plan)}")
        return EXIT_OK
    _show_warnings(plan)
    question = (f"Close {plan.period}? Nothing dated on or before {through.isoformat()} can be added or changed "
                "afterwards.")
    if not confirmed(question, args.yes, without_terminal=f"Closing {plan.period} cannot be undone."):
        return fail("Nothing was closed.")
    result = close_books(ledger, through, today, git=not args.no_git, plan=plan)
    plan = result.plan
    print(f"Closed {plan.period}: wrote the close line to {Path(result.file).name}, line {result.lineno}.")
    print(f"From now on nothing dated on or before {through.isoformat()} can be added or changed; corrections "
          f"are new entries dated after it.{_warnings(plan)}")
    print(f"For the minutes, the digest of the books through {through.isoformat()}: {plan.digest} (the board "
          f"report of that month prints it too; 'finsek audit --verify-close {through.isoformat()} {plan.digest}' "
          "checks it later).")
    if result.note:
        print(result.note)
    elif plan.audit is not None and plan.audit.git.repository:
        print("The ledger folder is a git repository: commit the close now, so later changes can be traced to it.")
    return EXIT_OK


def _verify_close(args: argparse.Namespace, today: dt.date | None) -> int:
    """``finsek audit --verify-close DAY DIGEST``: the books through DAY against the digest in the minutes."""
    from finsek.audit.closing import parse_digest, verify_close
    from finsek.core.dates import parse_date

    day_text, digest_text = args.verify_close
    with typed_on_the_command_line():
        through = parse_date(day_text, today, "verify-close")
    digest = parse_digest(digest_text)
    if digest is None:
        raise TypedWrong(f"'{digest_text}' is not a close digest: copy it whole from the minutes "
                         "(sha256: followed by 64 letters and digits).")
    found = verify_close(open_ledger(args, load_settings()).books, through, digest)
    if not found.ok:
        return fail(found.message)
    print(found.message)
    return EXIT_OK
#: How many of the audit's warnings ``finsek close`` lists before asking.
SHOWN_WARNINGS = 20


def _show_warnings(plan: ClosePlan) -> None:
    """The audit's warnings for the period, before the question: what the close would seal as it is."""
    from finsek.core.text import printable

    warnings = [finding for finding in (plan.audit.findings if plan.audit else []) if finding.severity == "warning"]
    if not warnings:
        print(f"The audit of {plan.period} finds no error and no warning.")
        return
    plural = "s" if len(warnings) != 1 else ""
    print(f"The audit of {plan.period} finds no error, and {len(warnings)} warning{plural}:")
    for finding in warnings[:SHOWN_WARNINGS]:
        print(printable(f"  - {finding.message}", newlines=False))
    if len(warnings) > SHOWN_WARNINGS:
        print(f"  - and {len(warnings) - SHOWN_WARNINGS} more")
    print(f"finsek audit --from {plan.start.isoformat()} --to {plan.through.isoformat()} lists each with what to do.")


def _write(path: Path, payload: bytes) -> None:
    from finsek.ledger.files import write_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, payload, mode=0o644)


def _warnings(plan: ClosePlan) -> str:
    if plan.audit is None:
        return ""
    counts = plan.audit.counts
    if not counts["warning"]:
        return ""
    return (f" The audit of the period has {counts['warning']} warning(s): finsek audit --from "
            f"{plan.start.isoformat()} --to {plan.through.isoformat()} lists them.")
