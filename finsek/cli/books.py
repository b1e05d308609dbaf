"""The commands about a whole ledger: ``finsek init``, ``finsek demo`` and ``finsek check``."""

import argparse
from pathlib import Path

from finsek.cli.common import EXIT_OK, EXIT_REFUSED, add_ledger_option, fail, load_settings, open_ledger
from finsek.core.text import printable


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``init``, ``demo`` and ``check`` to finsek's commands."""
    init = subparsers.add_parser("init", help="create a new ledger folder for your congregation")
    init.add_argument("path", metavar="PATH", help="the new folder (must not exist or be empty)")
    init.add_argument("--name", required=True, help="the organisation's name, as printed on reports")
    init.add_argument("--currency", default="USD", help="currency code (default USD)")
    init.add_argument("--locale", default="en_US", choices=["en_US", "sv_SE"], help="number format (default en_US)")
    init.add_argument(
        "--fiscal-year-start", type=int, default=1, metavar="1..12", help="first month of the fiscal year"
    )
    init.add_argument("--start", metavar="DATE", help="date the books start (default: start of this fiscal year)")
    init.set_defaults(handler=run_init)

    demo = subparsers.add_parser("demo", help="create a realistic demo church ledger")
    demo.add_argument("path", metavar="PATH", help="the new folder")
    demo.add_argument("--years", type=int, default=3, help="years of history (default 3)")
    demo.add_argument("--transactions", type=int, default=None, metavar="N", help="about N transactions")
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same ledger)")
    demo.set_defaults(handler=run_demo)

    check = subparsers.add_parser("check", help="check the ledger (like bean-check, in plain words)")
    add_ledger_option(check)
    check.set_defaults(handler=run_check)


def run_init(args: argparse.Namespace) -> int:
    import datetime as dt

    # Imported here, not at the top, for start-up time (finsek --help).
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


def run_demo(args: argparse.Namespace) -> int:
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


def run_check(args: argparse.Namespace) -> int:
    from finsek.ledger.donor_faults import registry_faults

    books = open_ledger(args, load_settings()).books
    faults = registry_faults(books.root)
    if not books.errors and not faults:
        print(f"{books.title}: the ledger is valid ({books.transaction_count} transactions, no errors).")
        return EXIT_OK
    for error in books.errors:
        where = f"{error.filename}:{error.lineno}: " if error.filename and not error.filename.startswith("<") else ""
        print(printable(f"{where}{error.message}"))
    for fault in faults:
        print(printable(f"{books.root / 'donors.csv'}:{fault.lineno}: {fault.message}"))
    return fail(f"{len(books.errors) + len(faults)} problem(s) found in {books.main}.", EXIT_REFUSED)
