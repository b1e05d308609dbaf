"""The ``finsek audit`` and ``finsek close`` commands.

::

    finsek audit [--from DATE] [--to DATE] [--format text,md,pdf,json] [--out DIR] [--paper a4|letter]
                 [--severity error|warning|note] [--no-git]
    finsek close --through YYYY-MM-DD [--dry-run]

``finsek.cli.main`` calls :func:`add_audit_commands` while building its parser
and :func:`run_audit_command` for either command. Only the standard library
is imported at module level, so ``finsek --help`` stays fast.

Exit status: ``audit`` 0 when the audit finds no error, 1 when it finds one
(or cannot run), 2 for a usage error; ``close`` 0 when closed (or, with
--dry-run, when it would close), 1 when refused.
"""

import argparse
import datetime as dt
import sys
from pathlib import Path

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "md", "pdf", "json")
STDOUT_FORMATS = ("text", "md", "json")


def _ledger_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a --ledger given before the command (finsek --ledger X audit).
    parser.add_argument("--ledger", metavar="PATH", default=argparse.SUPPRESS,
                        help="the ledger's main file or folder")


def add_audit_commands(subparsers) -> None:
    """Add ``audit`` and ``close`` to finsek's subparsers."""
    audit = subparsers.add_parser(
        "audit", help="check the books as an auditor would, and print the committee's audit report",
        description="Check the books as an auditor would: ledger errors, bank reconciliation, offering counts, "
                    "receipts and approvals, check numbers, duplicates, fund balances, closed periods (and git "
                    "history). Each finding says where and what to do. Exit status 1 when there is an error.",
    )
    _ledger_option(audit)
    audit.add_argument("--from", dest="date_from", metavar="DATE",
                       help="first day of the audit period (default: the first entry)")
    audit.add_argument("--to", dest="date_to", metavar="DATE", help="last day of the audit period (default: today)")
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

    close = subparsers.add_parser(
        "close", help="close the books through a date (after the month's audit has no errors)",
        description="Close the books through a date: finsek audits the period since the last close, refuses "
                    "while it has errors, and otherwise writes a custom \"close\" line with the digest of the "
                    "books. After it, entries in the closed period cannot be added or changed: corrections are "
                    "new entries dated after the close.",
    )
    _ledger_option(close)
    close.add_argument("--through", required=True, metavar="YYYY-MM-DD",
                       help="the last day to close, usually the last day of a month (YYYY-MM means its last day)")
    close.add_argument("--dry-run", action="store_true", help="say whether it would close and print the line")
    close.add_argument("--no-git", action="store_true", help="do not look at the git history of the ledger folder")


def _error(message: str, code: int = EXIT_REFUSED) -> int:
    print(f"finsek: {message}", file=sys.stderr)
    return code


def default_paper(locale: str) -> str:
    return "letter" if locale in ("en_US", "en_CA", "fr_CA", "es_US") else "a4"


def parse_formats(text: str) -> list[str]:
    from finsek.core.errors import Refused

    formats = [part.strip().lower() for part in (text or "").split(",") if part.strip()]
    formats = ["md" if fmt == "markdown" else fmt for fmt in formats]
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown or not formats:
        raise Refused(f"Unknown format '{','.join(unknown) or text}': use some of {','.join(FORMATS)}.", "format")
    return list(dict.fromkeys(formats))


def _open_ledger(args):
    """The ledger the command works on (as ``finsek.cli.main.open_ledger`` finds it) and finsek's settings."""
    from finsek.config import load_settings, resolve_ledger
    from finsek.ledger.ledger import Ledger

    settings = load_settings()
    for warning in settings.warnings:
        print(f"finsek: {warning}", file=sys.stderr)
    path, is_demo = resolve_ledger(getattr(args, "ledger", None), settings)
    if is_demo and not path.exists():
        from finsek.demo import generate_demo

        print(f"finsek: no ledger is configured; creating a demo church ledger in {path.parent} ...", file=sys.stderr)
        generate_demo(path.parent)
    return Ledger(path, git_autocommit=settings.git_autocommit), settings


def run_audit_command(args, open_ledger=None, today: dt.date | None = None) -> int:
    """Run ``finsek audit`` or ``finsek close``; return the exit status.

    ``open_ledger``: a function from ``args`` to a ``Ledger`` (``finsek.cli.main.open_ledger``); by default the
    ledger is found the same way, through finsek's settings. ``today``: for tests.
    """
    from finsek.core.dates import parse_through
    from finsek.core.errors import FinsekError, Refused

    try:
        if args.command == "close":
            through = parse_through(args.through, today)
        else:
            formats = parse_formats(args.format)
            start, end = _period(args, today)
    except Refused as error:
        return _error(error.message, EXIT_USAGE)
    try:
        if open_ledger is not None:
            ledger, settings = open_ledger(args), None
        else:
            ledger, settings = _open_ledger(args)
        if args.command == "close":
            return _close(args, ledger, through, today)
        return _audit(args, ledger, settings, formats, start, end, today)
    except FinsekError as error:
        return _error(error.message)
    except OSError as error:
        return _error(f"Could not write the report: {error.strerror or error}.")


def _period(args, today):
    from finsek.core.dates import parse_date

    start = parse_date(args.date_from, today, "from") if args.date_from else None
    end = parse_date(args.date_to, today, "to") if args.date_to else None
    return start, end


def _audit(args, ledger, settings, formats, start, end, today) -> int:
    from finsek.audit.engine import run_audit
    from finsek.audit.report import build_report, render_json, render_markdown, render_text

    books = ledger.books
    result = run_audit(books, start, end, today=today, git=not args.no_git)
    files = [fmt for fmt in formats if fmt != "text"]
    to_screen = not args.out and len(files) == 1 and files[0] in STDOUT_FORMATS and "text" not in formats
    if "text" in formats:
        sys.stdout.write(render_text(result, args.severity))
    if files:
        report = build_report(books, result)
        if to_screen:
            sys.stdout.write(render_markdown(report) if files[0] == "md" else render_json(report))
            return result.exit_status
        if settings is None:
            from finsek.config import load_settings

            settings = load_settings()
        folder = settings.reports_folder(args.out)
        paper = args.paper or default_paper(books.locale)
        for fmt in files:
            if fmt == "md":
                payload = render_markdown(report).encode("utf-8")
            elif fmt == "json":
                payload = render_json(report).encode("utf-8")
            else:
                from finsek.audit.pdf import render_pdf

                payload = render_pdf(report, paper)
            path = folder / f"{report.slug}.{fmt}"
            _write(path, payload)
            print(f"Wrote {path}")
    return result.exit_status


def _write(path: Path, payload: bytes) -> None:
    from finsek.ledger.ledger import write_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, payload, mode=0o644)


def _close(args, ledger, through: dt.date, today) -> int:
    from finsek.audit.closing import close_books, plan_close

    books = ledger.books
    if args.dry_run:
        plan = plan_close(books, through, today, git=not args.no_git)
        if not plan.allowed:
            return _error(plan.refusal)
        sys.stdout.write(plan.draft.text)
        print(f"Would close {plan.period}.{_warnings(plan)}")
        return EXIT_OK
    result = close_books(ledger, through, today, git=not args.no_git)
    plan = result.plan
    print(f"Closed {plan.period}: wrote the close line to {Path(result.file).name}, line {result.lineno}.")
    print(f"From now on nothing dated on or before {through.isoformat()} can be added or changed; corrections "
          f"are new entries dated after it.{_warnings(plan)}")
    if result.note:
        print(result.note)
    elif plan.audit is not None and plan.audit.git.repository:
        print("The ledger folder is a git repository: commit the close now, so later changes can be traced to it.")
    return EXIT_OK


def _warnings(plan) -> str:
    if plan.audit is None:
        return ""
    counts = plan.audit.counts
    if not counts["warning"]:
        return ""
    return (f" The audit of the period has {counts['warning']} warning(s): finsek audit --from "
            f"{plan.start.isoformat()} --to {plan.through.isoformat()} lists them.")
