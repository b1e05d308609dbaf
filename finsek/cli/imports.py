"""``finsek import giving``: a giving platform's export booked as gifts, fees, refunds and payouts."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from finsek.cli.common import (
    EXIT_OK,
    TypedWrong,
    add_ledger_option,
    load_settings,
    note,
    open_ledger,
)
from finsek.core.text import printable

SOURCES = ("paypal", "stripe", "tithely", "planningcenter", "vanco", "swish", "generic")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``import giving`` to finsek's commands."""
    imports = subparsers.add_parser("import", help="read files from outside: online giving exports")
    kinds = imports.add_subparsers(dest="import_kind", metavar="giving", required=True)
    giving = kinds.add_parser("giving", help="book a giving platform's export: gross gifts, fees, refunds, payouts")
    add_ledger_option(giving)
    giving.add_argument("file", metavar="FILE", help="the export as downloaded from the platform (CSV)")
    giving.add_argument("--source", choices=SOURCES, help="the platform (default: recognised from the headings)")
    giving.add_argument("--fee-account", default="", help="expense account for the platform's fees "
                        "(default: the one used last time, else Expenses:Administration:BankFees)")
    giving.add_argument("--clearing-account", default="", help="asset account holding what the platform owes "
                        "(default: the one used last time, else Assets:Clearing:<Platform>)")
    giving.add_argument("--bank-account", default="", help="where payouts go (default Assets:Bank:Checking)")
    giving.add_argument("--income-account", default="", help="income account for the gifts "
                        "(default: offerings, or designated gifts for a fund other than the default)")
    giving.add_argument("--fund", action="append", default=[], metavar="TEXT=FUND",
                        help="the platform's fund (or words of a Swish message) that means this fund; repeat")
    giving.add_argument("--alias", action="append", default=[], metavar="NAME=ID",
                        help="credit this platform name or e-mail to this donor; repeat")
    giving.add_argument("--columns", default="", metavar="FIELD=HEADING,...",
                        help="describe an unknown layout once: date, amount, reference, name, email, fee, fund")
    giving.add_argument("--dry-run", action="store_true", help="say what would be booked; change nothing")
    giving.add_argument("--json", action="store_true", help="print the result as JSON")
    giving.set_defaults(handler=run_import_giving)


def _pairs(values: list[str], what: str) -> dict[str, str]:
    found = {}
    for value in values:
        for part in value.split(",") if what == "--columns" else [value]:
            text, sep, target = part.partition("=")
            if not sep or not text.strip() or not target.strip():
                example = "date=Gift date" if what == "--columns" else "Building Campaign=building"
                raise TypedWrong(f"{what} takes TEXT=VALUE, such as {example}; got '{part}'.")
            found[text.strip()] = target.strip()
    return found


def _profiles_path() -> Path:
    from finsek.config import config_path

    return config_path().parent / "giving-columns.json"


def _profiles() -> dict[str, dict[str, str]]:
    path = _profiles_path()
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _remember(key: str, columns: dict[str, str]) -> None:
    from finsek.ledger.files import write_private

    profiles = _profiles()
    profiles[key] = columns
    path = _profiles_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_private(path, json.dumps(profiles, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError as error:
        note(f"could not remember the layout in {path}: {error.strerror or error}")


def run_import_giving(args: argparse.Namespace, today: dt.date | None = None) -> int:
    from finsek.imports.platforms.booking import Options, apply_plan, check_plan, plan_import
    from finsek.imports.platforms.sources import read_export

    today = today or dt.date.today()
    columns = _pairs([args.columns], "--columns") if args.columns else None
    options = Options(args.clearing_account, args.fee_account, args.bank_account, args.income_account,
                      _pairs(args.fund, "--fund"), _pairs(args.alias, "--alias"))
    settings = load_settings()
    ledger = open_ledger(args, settings)
    books = ledger.books
    file, key = read_export(Path(args.file).expanduser(), args.source, _profiles(), columns)
    if columns:
        _remember(key, columns)
    plan = plan_import(books, file, options, today)
    if args.dry_run:
        check_plan(ledger, plan, args.income_account)
        new_ids: dict[str, str] = {}
    else:
        new_ids = apply_plan(ledger, plan, args.income_account)
    _report(args, plan, new_ids)
    return EXIT_OK


def _report(args: argparse.Namespace, plan, new_ids: dict[str, str]) -> None:
    file = plan.file
    rows = []
    for outcome in plan.outcomes:
        line = outcome.line
        donor = outcome.donor or new_ids.get(outcome.new_giver) or ("new" if outcome.new_giver else None)
        rows.append({
            "line": line.line, "kind": line.kind, "date": line.date.isoformat(), "gross": f"{line.gross:f}",
            "fee": f"{line.fee:f}", "net": f"{line.net:f}", "id": line.transaction_id,
            "status": outcome.status if not (args.dry_run and outcome.status == "saved") else "to save",
            "donor": donor, "fund": outcome.fund or None, "how": outcome.how or None,
            "reason": outcome.reason or None,
        })
    if args.json:
        payload = {
            "platform": file.platform, "clearing_account": plan.clearing, "fee_account": plan.fee_account,
            "opened": plan.to_open, "counts": plan.counts(), "lines": rows,
            "new_donors": [{"id": new_ids.get(key), "name": name} for key, (name, _e) in plan.new_givers.items()],
            "skipped": file.skipped, "problems": file.problems, "dry_run": args.dry_run,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    verb = "Would book" if args.dry_run else "Booked"
    counts = plan.counts()
    print(f"{file.title}: {verb} {counts.get('saved', 0)} line(s) into {plan.clearing}; "
          f"{counts.get('duplicate', 0)} imported before; {counts.get('review', 0)} waiting for review.")
    for account in plan.to_open:
        print(f"  opened {account} (dated at the first imported line)" if not args.dry_run
              else f"  would open {account}")
    for key, (name, email) in plan.new_givers.items():
        where = new_ids.get(key, "a new id")
        print(printable(f"  new donor {where}: {name or email} (merge with 'finsek donor merge' if it is a "
                        "donor you already have)"))
    for row in rows:
        if row["status"] == "review":
            print(printable(f"  review line {row['line']} ({row['date']}, {row['gross']}): {row['reason']}"))
    for text in (*file.problems, *file.skipped):
        note(f"{Path(args.file).name}: {text}")
