"""``finsek reconcile``: the books of one bank account against one bank statement.

Lists the account's items since its last finished reconciliation (and those
that reconciliation left outstanding), the cleared balance and the difference
with the statement. ``--tick`` marks an item as shown on the statement (by
the id in brackets in the listing, ``#CHECKNUMBER`` or ``FILE:LINE``);
``--finish`` records the reconciliation when the difference is zero
(``finsek.ledger.reconcile``), and is refused, naming what may explain the
difference, otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from finsek.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    add_ledger_option,
    fail,
    load_settings,
    note,
    open_ledger,
    typed_on_the_command_line,
)
from finsek.core.text import printable

if TYPE_CHECKING:
    import datetime as dt

    from finsek.ledger.reconcile import Reconciliation


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``reconcile`` to finsek's commands."""
    parser = subparsers.add_parser(
        "reconcile", help="reconcile a bank account with its statement: outstanding items, difference, finish",
        description="Compare the books of a bank account with its statement. Items shown on the statement are "
        "ticked (--tick, by the id in brackets in the listing, #CHECKNUMBER or FILE:LINE); what is not ticked "
        "is outstanding (checks not yet cashed, deposits in transit). --finish records the reconciliation "
        "when the difference is zero.")
    add_ledger_option(parser)
    parser.add_argument("--account", required=True, help="the bank account, e.g. Assets:Bank:Checking")
    parser.add_argument("--statement-date", required=True, metavar="DATE", help="the statement's closing date")
    parser.add_argument("--statement-balance", required=True, metavar="AMOUNT",
                        help="the statement's closing balance")
    parser.add_argument("--tick", action="append", default=[], metavar="REF",
                        help="an item the statement shows: its id from the listing, #CHECKNUMBER or FILE:LINE "
                        "(repeat for each)")
    parser.add_argument("--tick-through", metavar="DATE", default=None,
                        help="tick every item dated on or before DATE (a first reconciliation)")
    parser.add_argument("--finish", action="store_true",
                        help="record the reconciliation (refused while the difference is not zero)")
    parser.add_argument("--statement-file", metavar="FILE", default=None,
                        help="with --finish: keep the statement's file in documents/ and attach it to the account")
    parser.add_argument("--dry-run", action="store_true", help="with --finish: print what would be added")
    parser.add_argument("--entered-by", metavar="NAME", default=None, help="who reconciled (metadata entered-by)")
    parser.add_argument("--json", action="store_true", help="print the reconciliation as JSON")
    parser.set_defaults(handler=run_reconcile)


def run_reconcile(args: argparse.Namespace, today: dt.date | None = None) -> int:
    # Imported here, not at the top, for start-up time (finsek --help).
    from finsek.core.dates import parse_date
    from finsek.core.money import parse_amount
    from finsek.ledger.reconcile import start_reconciliation

    settings = load_settings()
    ledger = open_ledger(args, settings)
    books = ledger.books
    with typed_on_the_command_line():
        statement_date = parse_date(args.statement_date, today, "statement date")
        balance = parse_amount(args.statement_balance, books.currency, books.locale, allow_negative=True,
                               allow_zero=True, field="statement balance")
        through = parse_date(args.tick_through, today, "tick-through date") if args.tick_through else None
    reconciliation = start_reconciliation(books, args.account, statement_date, balance, today=today)
    if through is not None:
        reconciliation.tick_all(through)
    for ref in args.tick:
        reconciliation.tick_ref(ref)
    for line in reconciliation.notes:
        note(line)
    if not args.finish:
        _show(reconciliation, args.json)
        return EXIT_OK
    refusal = reconciliation.refusal()
    if refusal:
        _show(reconciliation, args.json)
        return fail(refusal, EXIT_REFUSED)
    entered_by = args.entered_by if args.entered_by is not None else settings.entered_by
    draft = reconciliation.finish_draft(statement_file=args.statement_file, entered_by=entered_by,
                                        max_mb=settings.receipt_max_mb)
    result = ledger.save(draft, dry_run=args.dry_run)
    if args.json:
        _show(reconciliation, True)
    if args.dry_run:
        if not args.json:
            sys.stdout.write(draft.text)
            for attachment in draft.attachments:
                print(f"; would copy {attachment.source} to {attachment.relative}")
        return EXIT_OK
    if not args.json:
        _show(reconciliation, False)
        print(printable(f"Saved the {draft.summary} ({result.file.name if result.file else '?'}, "
                        f"line {result.lineno})."))
        if result.note:
            print(printable(result.note))
    return EXIT_OK


def _show(reconciliation: Reconciliation, as_json: bool) -> None:
    if as_json:
        print(json.dumps(reconciliation.to_dict(), indent=2, ensure_ascii=False))
        return
    print(printable(listing(reconciliation)))


def listing(reconciliation: Reconciliation) -> str:
    """The reconciliation as text: balances, then the items (ticked ones marked x), then what is missing."""
    r = reconciliation
    money = r.money
    since = (f"since the reconciliation of {r.previous.statement_date.isoformat()}" if r.previous is not None
             else f"since {r.start.isoformat()}" if r.start is not None else "from the first entry")
    lines = [
        f"{r.account}: statement of {r.statement_date.isoformat()} ({since})",
        f"  Statement balance  {money(r.statement_balance):>20}",
        f"  Cleared balance    {money(r.cleared_balance):>20}",
        f"  Difference         {money(r.difference):>20}",
        f"  Books balance      {money(r.books_balance):>20}",
        "",
    ]
    if r.items:
        lines.append("  [x] cleared   [ ] outstanding")
        for number, item in enumerate(r.items):
            mark = "x" if r.is_ticked(number) else " "
            check = f"#{item.check}" if item.check else ""
            carried = " (outstanding before)" if item.carried else ""
            lines.append(f"  [{mark}] [{item.ref}] {item.date.isoformat()} {check:>7} {item.text[:40]:<40} "
                         f"{money(item.amount):>16}{carried}")
        outstanding = r.outstanding
        lines.append(f"  {len(outstanding)} outstanding, {money(r.outstanding_total)} in all")
    else:
        lines.append("  No items since the last reconciliation.")
    if r.unrecorded:
        lines.append("")
        lines.append("  On the statement, not in the books:")
        for line in r.unrecorded:
            lines.append(f"    {line.date.isoformat()} {line.text[:50]:<50} {money(line.amount):>16}")
    if r.difference == 0:
        lines.append("")
        lines.append("  The difference is zero: --finish records the reconciliation.")
    return "\n".join(lines)
