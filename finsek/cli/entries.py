"""The commands that add to the ledger, and take back: gift, offering, payment, transfer, balance, undo.

Each builds a draft with ``finsek.ledger.entries`` and saves it through
``Ledger.save``; ``--dry-run`` prints the exact text instead.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from finsek.cli.ask import add_yes_option, confirmed
from finsek.cli.common import EXIT_OK, TypedWrong, add_ledger_option, fail, load_settings, note, open_ledger
from finsek.core.text import printable

if TYPE_CHECKING:
    from finsek.config import Settings
    from finsek.ledger.entries import Draft
    from finsek.ledger.ledger import Ledger


def _add_write_options(parser: argparse.ArgumentParser) -> None:
    add_ledger_option(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="print the exact text that would be added; save nothing"
    )
    parser.add_argument("--entered-by", metavar="NAME", default=None, help="who entered it (metadata entered-by)")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``gift``, ``offering``, ``payment``, ``transfer``, ``balance`` and ``undo`` to finsek's commands."""
    gift = subparsers.add_parser("gift", help="record one gift")
    _add_write_options(gift)
    gift.add_argument("--date", default="today", help="YYYY-MM-DD, today or yesterday (default today)")
    gift.add_argument("--amount", required=True, help="for example 100 or 1,234.50")
    gift.add_argument("--donor", default="",
                      help="donor id, envelope number or name from donors.csv; omit if anonymous")
    gift.add_argument("--fund", default="", help="fund name (default: the general fund)")
    gift.add_argument("--method", default="check", help="cash, check, card, transfer, online or other")
    gift.add_argument("--check", default="", help="check number")
    gift.add_argument("--account", default="", help="income account (default by fund)")
    gift.add_argument("--deposit-to", default="", help="account the money went into (default: the deposit account)")
    gift.add_argument("--goods-services", default="", help="value of anything the donor received in return")
    gift.add_argument("--memo", default="", help="a note")
    gift.set_defaults(handler=run_gift)

    offering = subparsers.add_parser("offering", help="record a counted offering (many gifts, one deposit)")
    _add_write_options(offering)
    offering.add_argument("--date", default="today")
    offering.add_argument("--counted-by", required=True, help='the two counters, e.g. "A. Svensson, B. Jones"')
    offering.add_argument("--gifts", required=True, metavar="FILE.csv",
                          help="CSV with columns donor,amount,method,check,fund,account")
    offering.add_argument("--total", required=True, help="the counted total from the tally sheet")
    offering.add_argument("--deposit-to", default="", help="default: the deposit account")
    offering.add_argument("--memo", default="")
    offering.set_defaults(handler=run_offering)

    payment = subparsers.add_parser("payment", help="record a payment (a bill, payroll, missions)")
    _add_write_options(payment)
    payment.add_argument("--date", default="today")
    payment.add_argument("--payee", required=True)
    payment.add_argument("--amount", required=True)
    payment.add_argument("--account", required=True, help="expense account, e.g. Expenses:Facilities:Utilities")
    payment.add_argument("--fund", default="")
    payment.add_argument("--from", dest="from_account", default="",
                         help="account paid from (default: the deposit account)")
    payment.add_argument("--check", default="", help="check number")
    payment.add_argument("--receipt", default="", metavar="FILE", help="scanned receipt, copied into documents/")
    payment.add_argument("--approved-by", default="", metavar="NAME")
    payment.add_argument("--memo", default="")
    _add_confirm_option(payment)
    payment.set_defaults(handler=run_payment)

    transfer = subparsers.add_parser("transfer", help="move money between funds (no cash moves)")
    _add_write_options(transfer)
    transfer.add_argument("--date", default="today")
    transfer.add_argument("--amount", required=True)
    transfer.add_argument("--from-fund", required=True)
    transfer.add_argument("--to-fund", required=True)
    transfer.add_argument("--approved-by", default="", metavar="NAME")
    transfer.add_argument("--memo", default="")
    _add_confirm_option(transfer)
    transfer.set_defaults(handler=run_transfer)

    balance = subparsers.add_parser("balance", help="record a bank statement's closing balance")
    _add_write_options(balance)
    balance.add_argument("--date", required=True, help="the statement's closing date")
    balance.add_argument("--account", required=True, help="e.g. Assets:Bank:Checking")
    balance.add_argument("--amount", required=True, help="the statement's closing balance")
    balance.set_defaults(handler=run_balance)

    undo = subparsers.add_parser(
        "undo", help="take back the last entry finsek saved",
        description="Take back the last entry (or batch) finsek saved, while nothing was saved or edited after it "
                    "in its file. It shows the entry and asks first (--yes answers for a script).",
    )
    add_ledger_option(undo)
    undo.add_argument("--dry-run", action="store_true", help="show what would be taken back; change nothing")
    add_yes_option(undo, "take it back")
    undo.set_defaults(handler=run_undo)


def run_gift(args: argparse.Namespace) -> int:
    # Imported here, not at the top, for start-up time (finsek --help).
    from finsek.ledger.entries import GiftInput, build_gift

    settings = load_settings()
    ledger = _open_for_writing(args, settings)
    draft = build_gift(ledger.books, GiftInput(
        date=args.date, amount=args.amount, donor=args.donor, fund=args.fund, method=args.method,
        check=args.check, account=args.account, deposit_to=args.deposit_to, memo=args.memo,
        goods_services=args.goods_services, entered_by=_entered_by(args, settings),
    ))
    return _save(args, ledger, draft)


def run_offering(args: argparse.Namespace) -> int:
    from finsek.imports.offering_csv import read_offering_csv
    from finsek.ledger.entries import OfferingInput, build_offering

    settings = load_settings()
    ledger = _open_for_writing(args, settings)
    lines = read_offering_csv(Path(args.gifts))
    draft = build_offering(ledger.books, OfferingInput(
        date=args.date, counted_by=args.counted_by, total=args.total, lines=lines,
        deposit_to=args.deposit_to, memo=args.memo, entered_by=_entered_by(args, settings),
    ))
    return _save(args, ledger, draft)


def run_payment(args: argparse.Namespace) -> int:
    from finsek.ledger.entries import PaymentInput, build_payment

    settings = load_settings()
    ledger = _open_for_writing(args, settings)

    def build(overdraft_approved_by: str = "") -> Draft:
        return build_payment(ledger.books, PaymentInput(
            date=args.date, payee=args.payee, amount=args.amount, account=args.account, fund=args.fund,
            from_account=args.from_account, check=args.check, receipt=args.receipt, approved_by=args.approved_by,
            memo=args.memo, entered_by=_entered_by(args, settings), receipt_max_mb=settings.receipt_max_mb,
            overdraft_approved_by=overdraft_approved_by,
        ))

    return _save(args, ledger, build(), build, _entered_by(args, settings))


def run_transfer(args: argparse.Namespace) -> int:
    from finsek.ledger.entries import TransferInput, build_transfer

    settings = load_settings()
    ledger = _open_for_writing(args, settings)

    def build(overdraft_approved_by: str = "") -> Draft:
        return build_transfer(ledger.books, TransferInput(
            date=args.date, amount=args.amount, from_fund=args.from_fund, to_fund=args.to_fund,
            memo=args.memo, approved_by=args.approved_by, overdraft_approved_by=overdraft_approved_by,
        ))

    return _save(args, ledger, build(), build, _entered_by(args, settings))


def run_balance(args: argparse.Namespace) -> int:
    from finsek.ledger.entries import BalanceInput, build_balance

    ledger = _open_for_writing(args, load_settings())
    draft = build_balance(ledger.books, BalanceInput(date=args.date, account=args.account, amount=args.amount))
    return _save(args, ledger, draft)


def run_undo(args: argparse.Namespace) -> int:
    ledger = open_ledger(args, load_settings())
    record = ledger.undo(dry_run=True)  # refuses here, before asking, when it cannot be taken back
    saved = record.saved_at.replace("T", " ")
    print(printable(f"The last entry finsek saved is the {record.summary} (saved {saved}):"))
    for file, _, text, _ in record.appends():
        print(printable(f"--- {Path(file).name}"))
        sys.stdout.write(printable("".join(f"  {line}\n" for line in text.rstrip("\n").splitlines())))
    if args.dry_run:
        print("Nothing was taken back (--dry-run).")
        return EXIT_OK
    if not confirmed("Take it back (remove it from the ledger)?", args.yes,
                     without_terminal=f"Undo would remove the {record.summary} from the ledger."):
        return fail("Nothing was taken back.")
    record = ledger.undo(expected=record)
    print(printable(f"Took back the {record.summary} (saved {saved})."))
    return EXIT_OK


# -- helpers ----------------------------------------------------------------------------------


def _open_for_writing(args: argparse.Namespace, settings: Settings) -> Ledger:
    """The ledger, with a warning when it already has problems (the new entry is still checked)."""
    ledger = open_ledger(args, settings)
    if ledger.books.errors:
        note(f"warning: the ledger already has {len(ledger.books.errors)} problem(s); "
             "run 'finsek check' to see them.")
    return ledger


def _entered_by(args: argparse.Namespace, settings: Settings) -> str:
    return args.entered_by if args.entered_by is not None else settings.entered_by


def _add_confirm_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--confirm", action="store_true",
        help="the board approved taking a designated fund below zero: save anyway, recording who approved it "
             "(--approved-by, else --entered-by) as overdraft-approved-by",
    )


def _save(args: argparse.Namespace, ledger: Ledger, draft: Draft,
          rebuild: Callable[[str], Draft] | None = None, entered_by: str = "") -> int:
    """Say the audit's warnings about ``draft``, then save it (with --confirm, past a designated fund's zero)."""
    from finsek.audit.at_entry import entry_warnings
    from finsek.ledger.overdraft import OverdraftNeedsApproval

    for warning in entry_warnings(ledger.books, draft):
        note(f"warning: {warning}")
    confirmed = ""
    try:
        result = ledger.save(draft, dry_run=args.dry_run)
    except OverdraftNeedsApproval as needed:
        if rebuild is None or not getattr(args, "confirm", False):
            raise
        approver = (getattr(args, "approved_by", "") or entered_by or "").strip()
        over = needed.overdraft
        if not approver:
            raise TypedWrong(f"The {over.title} ({over.klass}) would go below zero: --confirm records who approved "
                             "that, so add --approved-by NAME.") from None
        draft = rebuild(approver)
        result = ledger.save(draft, dry_run=args.dry_run)
        money = f"{over.short} {ledger.books.currency}"
        confirmed = (f"The {over.title} ({over.klass}) goes {money} below zero, approved by {approver} "
                     "(overdraft-approved-by on the entry).")
    if args.dry_run:
        sys.stdout.write(draft.text)
        for attachment in draft.attachments:
            print(f"; would copy {attachment.source} to {attachment.relative}")
        return EXIT_OK
    print(f"Saved the {draft.summary} ({result.file.name}, line {result.lineno}).")
    if confirmed:
        print(printable(confirmed))
    if result.note:
        print(result.note)
    return EXIT_OK
