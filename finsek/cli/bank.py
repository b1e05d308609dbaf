"""``finsek import bank FILE --account ACCOUNT --dry-run [--json]``: a bank statement matched to the books.

Reads the statement (CSV, camt.053 or OFX), matches each line to the books
of the account and prints what it found, without saving anything: each line
``matched`` (the entry already in the books), ``duplicate`` (imported or
matched before) or ``review`` (not in the books, or a match to confirm).
Booking the lines not in the books (rules, history, the review list) comes
with the batch save; until then the command needs ``--dry-run``.
"""

import argparse
import json

from finsek.cli.common import EXIT_OK, add_ledger_option, load_settings, open_ledger


def add_command(kinds: argparse._SubParsersAction) -> None:
    """Add ``bank`` to the kinds of ``finsek import`` (``cli/imports.py`` holds the ``import`` command)."""
    bank = kinds.add_parser("bank", help="a bank statement (CSV, camt.053, OFX/QFX), matched to the books")
    bank.add_argument("file", metavar="FILE", help="the statement file downloaded from the bank")
    bank.add_argument("--account", required=True, metavar="ACCOUNT", help="the bank account in the books")
    bank.add_argument("--format", choices=["csv", "camt053", "ofx"], default=None,
                      help="the file's format (default: told from the file)")
    bank.add_argument("--profile", metavar="NAME", default=None,
                      help="a CSV layout: a built-in one (chase, bank-of-america, wells-fargo, swedbank, "
                           "handelsbanken, seb, nordea) or one described in the settings as [bank_profiles.NAME]")
    bank.add_argument("--account-id", default="", metavar="ID",
                      help="the bank's number of the account, when the file holds several")
    bank.add_argument("--dry-run", action="store_true", help="show the matches, save nothing")
    bank.add_argument("--json", action="store_true", help="print JSON (the contract scripts rely on)")
    add_ledger_option(bank)
    bank.set_defaults(handler=run_import_bank)


def _profile(name: str | None, settings):
    from finsek.core.errors import Refused
    from finsek.imports.bank_csv import PROFILES, builtin_profile, profile_from_settings

    if not name:
        return None
    if name in settings.bank_profiles:
        return profile_from_settings(name, settings.bank_profiles[name])
    found = builtin_profile(name)
    if found is None:
        known = ", ".join([profile.name for profile in PROFILES] + sorted(settings.bank_profiles))
        raise Refused(f"There is no bank profile '{name}': use one of {known}, or describe it in the settings "
                      f"file as [bank_profiles.{name}].")
    return found


def run_import_bank(args: argparse.Namespace) -> int:
    # Imported here, not at the top, for start-up time (finsek --help).
    from finsek.core.errors import Refused
    from finsek.core.text import printable
    from finsek.imports.bank import read_statement
    from finsek.imports.matching import match_statement

    if not args.dry_run:
        raise Refused("Booking statement lines is not available yet: run 'finsek import bank' with --dry-run "
                      "to see which lines the books have and which they lack.")
    settings = load_settings()
    profile = _profile(args.profile, settings)
    statement = read_statement(args.file, args.format, profile, args.account_id)
    books = open_ledger(args, settings).books
    if args.account not in books.accounts:
        raise Refused(f"There is no account {args.account} in the books: give the bank account as it is opened "
                      "in the ledger, such as Assets:Bank:Checking.")
    matches = match_statement(statement, books.entries, args.account, root=books.root)
    rows = []
    counts = {"matched": 0, "saved": 0, "review": 0, "duplicate": 0}
    for match in matches:
        if match.status == "duplicate":
            status = "duplicate"
        elif match.status == "matched" and not match.doubtful:
            status = "matched"
        else:
            status = "review"
        counts[status] += 1
        keys = [item.key for item in match.entries]
        rows.append({
            "date": match.line.date.isoformat(), "amount": str(match.line.amount), "text": match.line.text,
            "ref": match.identity, "check": match.line.check or None, "status": status,
            "entry": keys[0] if keys else None, "entries": keys,
        })

    def text(value) -> str | None:
        return None if value is None else str(value)

    if args.json:
        print(json.dumps({
            "account": args.account,
            "statement": {"start": text(statement.start), "end": text(statement.end),
                          "opening": text(statement.opening), "closing": text(statement.closing),
                          "currency": statement.currency or None, "format": statement.source,
                          "bank_account": statement.account or None},
            "lines": rows, "counts": counts, "notes": list(statement.notes),
        }, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{args.account}: {len(rows)} statement lines from {statement.start} to {statement.end} "
          f"({statement.source})")
    for row in rows:
        target = ", ".join(row["entries"]) or "-"
        print(f"  {row['date']}  {row['amount']:>12}  {row['status']:<9}  {printable(row['text'])[:40]:<40}  "
              f"{printable(target)}")
    print(f"matched {counts['matched']}, duplicate {counts['duplicate']}, review {counts['review']}; "
          "nothing was saved (--dry-run).")
    for line in statement.notes:
        print(f"note: {printable(line)}")
    return EXIT_OK
