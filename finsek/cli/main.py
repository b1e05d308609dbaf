"""The ``finsek`` command: every job has a non-interactive command.

The CLI and the TUI are two faces over the same functions (``finsek.ledger``).
Exit status: 0 done, 1 refused (one plain sentence on stderr, nothing
changed), 2 usage error. Heavy libraries are imported only when a command
needs them, so ``finsek --help`` answers at once.
"""

import argparse
import sys
from pathlib import Path

from finsek import __version__

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def _add_ledger(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ledger", metavar="PATH",
        help="the ledger's main file or folder (else $FINSEK_LEDGER, the settings file, or the demo)",
    )


def _add_write(parser: argparse.ArgumentParser) -> None:
    _add_ledger(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="print the exact text that would be added; save nothing"
    )
    parser.add_argument("--entered-by", metavar="NAME", default=None, help="who entered it (metadata entered-by)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="finsek",
        description="The financial secretary's desk: record gifts, offerings and payments in a Beancount "
        "ledger, print board reports and audit the books. Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"finsek {__version__}")
    _add_ledger(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser("init", help="create a new ledger folder for your congregation")
    init.add_argument("path", metavar="PATH", help="the new folder (must not exist or be empty)")
    init.add_argument("--name", required=True, help="the organisation's name, as printed on reports")
    init.add_argument("--currency", default="USD", help="currency code (default USD)")
    init.add_argument("--locale", default="en_US", choices=["en_US", "sv_SE"], help="number format (default en_US)")
    init.add_argument(
        "--fiscal-year-start", type=int, default=1, metavar="1..12", help="first month of the fiscal year"
    )
    init.add_argument("--start", metavar="DATE", help="date the books start (default: start of this fiscal year)")

    demo = commands.add_parser("demo", help="create a realistic demo church ledger")
    demo.add_argument("path", metavar="PATH", help="the new folder")
    demo.add_argument("--years", type=int, default=3, help="years of history (default 3)")
    demo.add_argument("--transactions", type=int, default=None, metavar="N", help="about N transactions")
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same ledger)")

    gift = commands.add_parser("gift", help="record one gift")
    _add_write(gift)
    gift.add_argument("--date", default="today", help="YYYY-MM-DD, today or yesterday (default today)")
    gift.add_argument("--amount", required=True, help="for example 100 or 1,234.50")
    gift.add_argument("--donor", default="", help="donor id (or envelope number) from donors.csv; omit if anonymous")
    gift.add_argument("--fund", default="", help="fund name (default: the general fund)")
    gift.add_argument("--method", default="check", help="cash, check, card, transfer, online or other")
    gift.add_argument("--check", default="", help="check number")
    gift.add_argument("--account", default="", help="income account (default by fund)")
    gift.add_argument("--deposit-to", default="Assets:Bank:Checking", help="account the money went into")
    gift.add_argument("--goods-services", default="", help="value of anything the donor received in return")
    gift.add_argument("--memo", default="", help="a note")

    offering = commands.add_parser("offering", help="record a counted offering (many gifts, one deposit)")
    _add_write(offering)
    offering.add_argument("--date", default="today")
    offering.add_argument("--counted-by", required=True, help='the two counters, e.g. "A. Svensson, B. Jones"')
    offering.add_argument("--gifts", required=True, metavar="FILE.csv",
                          help="CSV with columns donor,amount,method,check,fund,account")
    offering.add_argument("--total", required=True, help="the counted total from the tally sheet")
    offering.add_argument("--deposit-to", default="Assets:Bank:Checking")
    offering.add_argument("--memo", default="")

    payment = commands.add_parser("payment", help="record a payment (a bill, payroll, missions)")
    _add_write(payment)
    payment.add_argument("--date", default="today")
    payment.add_argument("--payee", required=True)
    payment.add_argument("--amount", required=True)
    payment.add_argument("--account", required=True, help="expense account, e.g. Expenses:Facilities:Utilities")
    payment.add_argument("--fund", default="")
    payment.add_argument("--from", dest="from_account", default="Assets:Bank:Checking", help="account paid from")
    payment.add_argument("--check", default="", help="check number")
    payment.add_argument("--receipt", default="", metavar="FILE", help="scanned receipt, copied into documents/")
    payment.add_argument("--approved-by", default="", metavar="NAME")
    payment.add_argument("--memo", default="")

    transfer = commands.add_parser("transfer", help="move money between funds (no cash moves)")
    _add_write(transfer)
    transfer.add_argument("--date", default="today")
    transfer.add_argument("--amount", required=True)
    transfer.add_argument("--from-fund", required=True)
    transfer.add_argument("--to-fund", required=True)
    transfer.add_argument("--approved-by", default="", metavar="NAME")
    transfer.add_argument("--memo", default="")

    balance = commands.add_parser("balance", help="record a bank statement's closing balance")
    _add_write(balance)
    balance.add_argument("--date", required=True, help="the statement's closing date")
    balance.add_argument("--account", required=True, help="e.g. Assets:Bank:Checking")
    balance.add_argument("--amount", required=True, help="the statement's closing balance")

    undo = commands.add_parser("undo", help="take back the last entry finsek saved")
    _add_ledger(undo)
    undo.add_argument("--dry-run", action="store_true", help="say what would be taken back")

    check = commands.add_parser("check", help="check the ledger (like bean-check, in plain words)")
    _add_ledger(check)

    from finsek.cli.giving import add_giving_commands, add_giving_reports
    from finsek.cli.report import add_report_commands

    report = add_report_commands(commands)
    add_giving_commands(commands)
    add_giving_reports(report)

    from finsek.cli.audit import add_audit_commands

    add_audit_commands(commands)
    return parser


def _fail(message: str, code: int = EXIT_REFUSED) -> int:
    print(f"finsek: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from finsek.core.errors import FinsekError

    try:
        return _dispatch(args)
    except FinsekError as error:
        return _fail(error.message)
    except KeyboardInterrupt:
        return _fail("Stopped; nothing was saved.")


def _dispatch(args) -> int:
    if hasattr(args, "giving_handler"):
        from finsek.cli.giving import run_giving

        return run_giving(args)
    command = args.command
    if command in ("audit", "close"):
        from finsek.cli.audit import run_audit_command

        return run_audit_command(args, open_ledger)
    if command == "init":
        return _init(args)
    if command == "demo":
        return _demo(args)
    if command is None:
        return _open_app(args)
    return {
        "gift": _gift, "offering": _offering, "payment": _payment, "transfer": _transfer,
        "balance": _balance, "undo": _undo, "check": _check, "report": _report,
    }[command](args)


def _settings():
    from finsek.config import load_settings

    return load_settings()


def open_ledger(args, settings=None):
    from finsek.cli.common import open_ledger as open_workspace_ledger

    return open_workspace_ledger(args, settings or _settings())


def _init(args) -> int:
    import datetime as dt

    from finsek.core.dates import parse_date
    from finsek.ledger.template import create_ledger

    start = parse_date(args.start) if args.start else None
    main = create_ledger(
        Path(args.path), args.name, currency=args.currency, locale=args.locale,
        fiscal_year_start=args.fiscal_year_start, today=dt.date.today(), start=start,
    )
    print(f"Created the ledger for {args.name} in {main.parent}.")
    print(f"Open it with: finsek --ledger {main}")
    return EXIT_OK


def _demo(args) -> int:
    from finsek.core.errors import Refused
    from finsek.demo import generate_demo

    target = Path(args.path)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise Refused(f"{target} already exists and is not empty: choose a new folder for the demo.")
    if args.years < 1 or args.years > 30:
        raise Refused("--years is a number from 1 to 30.")
    main = generate_demo(target, years=args.years, transactions=args.transactions, seed=args.seed)
    print(f"Created a demo church ledger in {main.parent}.")
    print(f"Open it with: finsek --ledger {main}")
    return EXIT_OK


def _save(args, ledger, draft) -> int:
    result = ledger.save(draft, dry_run=args.dry_run)
    if args.dry_run:
        sys.stdout.write(draft.text)
        for attachment in draft.attachments:
            print(f"; would copy {attachment.source} to {attachment.relative}")
        return EXIT_OK
    where = f"{result.file.name}, line {result.lineno}"
    print(f"Saved the {draft.summary} ({where}).")
    if result.note:
        print(result.note)
    return EXIT_OK


def _entered_by(args, settings) -> str:
    return args.entered_by if args.entered_by is not None else settings.entered_by


def _warn_if_broken(ledger) -> None:
    if ledger.books.errors:
        print(
            f"finsek: warning: the ledger already has {len(ledger.books.errors)} problem(s); "
            "run 'finsek check' to see them.",
            file=sys.stderr,
        )


def _gift(args) -> int:
    from finsek.ledger.entries import GiftInput, build_gift

    settings = _settings()
    ledger = open_ledger(args, settings)
    _warn_if_broken(ledger)
    draft = build_gift(ledger.books, GiftInput(
        date=args.date, amount=args.amount, donor=args.donor, fund=args.fund, method=args.method,
        check=args.check, account=args.account, deposit_to=args.deposit_to, memo=args.memo,
        goods_services=args.goods_services, entered_by=_entered_by(args, settings),
    ))
    return _save(args, ledger, draft)


def _offering(args) -> int:
    from finsek.imports.offering_csv import read_offering_csv
    from finsek.ledger.entries import OfferingInput, build_offering

    settings = _settings()
    ledger = open_ledger(args, settings)
    _warn_if_broken(ledger)
    lines = read_offering_csv(Path(args.gifts))
    draft = build_offering(ledger.books, OfferingInput(
        date=args.date, counted_by=args.counted_by, total=args.total, lines=lines,
        deposit_to=args.deposit_to, memo=args.memo, entered_by=_entered_by(args, settings),
    ))
    return _save(args, ledger, draft)


def _payment(args) -> int:
    from finsek.ledger.entries import PaymentInput, build_payment

    settings = _settings()
    ledger = open_ledger(args, settings)
    _warn_if_broken(ledger)
    draft = build_payment(ledger.books, PaymentInput(
        date=args.date, payee=args.payee, amount=args.amount, account=args.account, fund=args.fund,
        from_account=args.from_account, check=args.check, receipt=args.receipt, approved_by=args.approved_by,
        memo=args.memo, entered_by=_entered_by(args, settings),
    ))
    return _save(args, ledger, draft)


def _transfer(args) -> int:
    from finsek.ledger.entries import TransferInput, build_transfer

    ledger = open_ledger(args)
    _warn_if_broken(ledger)
    draft = build_transfer(ledger.books, TransferInput(
        date=args.date, amount=args.amount, from_fund=args.from_fund, to_fund=args.to_fund,
        memo=args.memo, approved_by=args.approved_by,
    ))
    return _save(args, ledger, draft)


def _balance(args) -> int:
    from finsek.ledger.entries import BalanceInput, build_balance

    ledger = open_ledger(args)
    _warn_if_broken(ledger)
    draft = build_balance(ledger.books, BalanceInput(date=args.date, account=args.account, amount=args.amount))
    return _save(args, ledger, draft)


def _undo(args) -> int:
    ledger = open_ledger(args)
    record = ledger.undo(dry_run=args.dry_run)
    verb = "Would take back" if args.dry_run else "Took back"
    print(f"{verb} the {record.summary} (saved {record.saved_at}).")
    return EXIT_OK


def _check(args) -> int:
    ledger = open_ledger(args)
    books = ledger.books
    if not books.errors:
        print(f"{books.title}: the ledger is valid ({books.transaction_count} transactions, no errors).")
        return EXIT_OK
    for error in books.errors:
        where = f"{error.filename}:{error.lineno}: " if error.filename and not error.filename.startswith("<") else ""
        print(f"{where}{error.message}")
    print(f"{len(books.errors)} problem(s) found in {books.main}.", file=sys.stderr)
    return EXIT_REFUSED


def _report(args) -> int:
    from finsek.cli.common import ledger_path
    from finsek.cli.report import run_report

    settings = _settings()
    path, _ = ledger_path(getattr(args, "ledger", None), settings)
    return run_report(args, path, settings)


def _open_app(args) -> int:
    from finsek.cli.common import ledger_path

    settings = _settings()
    path, is_demo = ledger_path(args.ledger, settings)
    from finsek.tui import run_app

    return run_app(path, settings, is_demo=is_demo)


