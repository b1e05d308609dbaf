"""The giving commands: ``finsek donor ...``, ``finsek statements`` and the giving reports.

``add_commands`` adds ``donor`` (add, list, show, edit, merge) and
``statements``; ``add_report_kinds`` adds ``pledges`` and ``givers`` under
``finsek report`` (``finsek.cli.report`` calls it).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from finsek.cli.common import (
    EXIT_OK,
    add_force_option,
    add_ledger_option,
    load_settings,
    note,
    open_ledger,
    output_check,
    writing_files,
)
from finsek.core.text import printable, sheet_text

if TYPE_CHECKING:
    from finsek.config import Settings
    from finsek.ledger.books import Books

PRIVACY_WARNING = (
    "warning: {what} name donors and what they gave. They are written readable only by you (0600): "
    "keep them private and delete them once they have been sent."
)


def _year(text: str) -> int:
    if not text.isdigit() or not 1900 <= int(text) <= 2999:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year: type it like 2025")
    return int(text)


_FIELDS = (
    ("name", "the donor's name as printed on statements"),
    ("household", "household id shared by joint givers (e.g. H0012), or 'new' for a fresh one"),
    ("address1", "first address line (a line break inside quotes starts another line)"),
    ("address2", "second address line"),
    ("postal-code", "postal or ZIP code"),
    ("city", "city (in the US with the state: 'Springfield, IL')"),
    ("country", "country, left off statements when it is the ledger's own (US, SE)"),
    ("email", "e-mail address for statements"),
    ("envelope", "offering envelope number"),
    ("notes", "notes for the treasurer (never printed)"),
    ("tax-id", "personal tax number (Sweden: personnummer, for reporting gifts to Skatteverket)"),
    ("phone", "phone number (never printed)"),
)


def _field_options(parser: argparse.ArgumentParser, name_required: bool) -> None:
    for field, help_text in _FIELDS:
        parser.add_argument(f"--{field}", dest=field.replace("-", "_"), default=None, metavar="TEXT",
                            required=name_required and field == "name", help=help_text)


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``donor`` (add, list, show, edit, merge) and ``statements`` to finsek's commands."""
    donor = subparsers.add_parser("donor", help="the donor list: add, list, show, edit, merge donors")
    add_ledger_option(donor)
    actions = donor.add_subparsers(dest="donor_action", metavar="ACTION")
    donor.set_defaults(handler=partial(_print_help, donor))

    add = actions.add_parser("add", help="add a donor to donors.csv")
    add_ledger_option(add)
    add.add_argument("--id", default=None, help="the new id (default: the next free D####)")
    _field_options(add, name_required=True)
    add.add_argument("--new", action="store_true",
                     help="a different person, though a donor with the same name, e-mail or address is there")
    add.add_argument("--dry-run", action="store_true", help="say what would be added; change nothing")
    add.set_defaults(handler=run_donor_add)

    listing = actions.add_parser("list", help="list donors (search by name, id, envelope, address)")
    add_ledger_option(listing)
    listing.add_argument("search", nargs="*", help="words to look for (case and accents ignored)")
    listing.add_argument("--all", action="store_true", help="include merged donors (aliases)")
    listing.add_argument("--household", default=None, help="only this household")
    listing.add_argument("--format", choices=["text", "csv", "json"], default="text")
    listing.add_argument("--out", metavar="FILE", default=None, help="write to FILE (private) instead of the screen")
    add_force_option(listing)
    listing.set_defaults(handler=run_donor_list)

    show = actions.add_parser("show", help="a donor's details, giving by year and fund, and pledges")
    add_ledger_option(show)
    show.add_argument("id", metavar="DONOR", help="donor id, envelope number or name (a merged id shows its survivor)")
    show.add_argument("--year", type=_year, default=None, help="also list every gift of that year")
    show.add_argument("--household", action="store_true", help="count the whole household's giving")
    show.add_argument("--format", choices=["text", "json"], default="text")
    show.set_defaults(handler=run_donor_show)

    edit = actions.add_parser("edit", help="change a donor's name, address, household, ...")
    add_ledger_option(edit)
    edit.add_argument("id", metavar="DONOR", help="donor id, envelope number or name")
    _field_options(edit, name_required=False)
    edit.add_argument("--unmerge", action="store_true", help="undo a merge: the donor counts on its own again")
    edit.add_argument("--dry-run", action="store_true", help="say what would change; change nothing")
    edit.set_defaults(handler=run_donor_edit)

    merge = actions.add_parser(
        "merge", help="merge a duplicate into the donor it duplicates (the ledger is never edited)"
    )
    add_ledger_option(merge)
    merge.add_argument("duplicate", metavar="DUPLICATE", help="the donor to retire (it becomes an alias)")
    merge.add_argument("survivor", metavar="INTO", help="the donor that stays (id, envelope number or name)")
    merge.add_argument("--dry-run", action="store_true", help="say what would change; change nothing")
    merge.set_defaults(handler=run_donor_merge)

    statements = subparsers.add_parser(
        "statements", help="year-end giving statements (one combined PDF to print, one file per donor)"
    )
    add_ledger_option(statements)
    statements.add_argument("--year", type=_year, required=True, help="the tax (calendar) year")
    statements.add_argument("--donor", action="append", default=[], metavar="DONOR",
                            help="only this donor: id, envelope number or name (repeat, or separate ids with commas)")
    statements.add_argument("--household", action="store_true", help="one statement per household (joint givers)")
    statements.add_argument("--format", default="pdf", help="pdf, md, json or several: pdf,md (default pdf)")
    statements.add_argument("--out", metavar="DIR", default=None,
                            help="folder for the files (default: reports/giving-statements-YEAR)")
    statements.add_argument("--paper", choices=["letter", "a4"], default=None,
                            help="paper size (default: letter for en_US, else A4)")
    statements.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="date printed as issued (today)")
    statements.add_argument("--dry-run", action="store_true", help="list who would get a statement; write nothing")
    statements.add_argument("--skatteverket", action="store_true",
                            help="Sweden: write the year's list for Skatteverket (personnummer and gifts that count "
                                 "for skattereduktion) instead of the statements")
    add_force_option(statements)
    statements.set_defaults(handler=run_statements)


def add_report_kinds(kinds: argparse._SubParsersAction) -> None:
    """Add ``pledges`` and ``givers`` to the kinds of ``finsek report``."""
    pledges = kinds.add_parser("pledges", help="pledged, given and outstanding, per donor and in total")
    add_ledger_option(pledges)
    pledges.add_argument("--fund", default=None, help="only pledges to this fund")
    pledges.add_argument("--year", type=_year, default=None, help="pledges running in this fiscal year")
    pledges.add_argument("--all", action="store_true", help="every pledge ever made")
    pledges.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="count gifts up to this day (today)")
    pledges.add_argument("--no-names", action="store_true", help="donor ids only, no names")
    pledges.add_argument("--format", choices=["text", "csv", "json"], default="text")
    pledges.set_defaults(handler=run_report_pledges)

    givers = kinds.add_parser(
        "givers", help="giving households by size band, for the board (no names)"
    )
    add_ledger_option(givers)
    givers.add_argument("--year", type=_year, required=True, help="the calendar year")
    givers.add_argument("--bands", default=None, metavar="A,B,...",
                        help="where bands divide, e.g. 100,500,1000 (default 100 to 10,000; SEK ten times)")
    givers.add_argument("--format", choices=["text", "csv", "json"], default="text")
    givers.set_defaults(handler=run_report_givers)


# -- helpers ------------------------------------------------------------------------------


def _books(args: argparse.Namespace) -> Books:
    return open_ledger(args, load_settings()).books


def _root(args: argparse.Namespace) -> Path:
    """The ledger's folder, where donors.csv lives."""
    return open_ledger(args, load_settings()).root


def _donor_id(books: Books, typed: str) -> str:
    """The donor id for what was typed (id, envelope number or name: the one donor matcher), or ``Refused``
    with suggestions. Without donors.csv, the id as typed."""
    from finsek.ledger.donor_match import resolve_donor

    return resolve_donor(books.donors, typed) if books.donors.exists else typed.strip()


def _field_values(args: argparse.Namespace) -> dict[str, str]:
    return {
        field.replace("-", "_"): getattr(args, field.replace("-", "_"))
        for field, _ in _FIELDS
        if getattr(args, field.replace("-", "_"), None) is not None
    }


def _table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    """A plain text table; columns in ``right`` are right-aligned (amounts); control characters shown escaped."""
    right = right or set()
    headers = [printable(header, newlines=False) for header in headers]
    rows = [[printable(cell, newlines=False) for cell in row] for row in rows]
    widths = [len(header) for header in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(widths[index]) if index in right else cell.ljust(widths[index])
            for index, cell in enumerate(cells)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)]) + "\n"


def _one_line(text: str) -> str:
    return " / ".join(part.strip() for part in text.split("\n") if part.strip())


def _write_private_text(path: Path, text: str) -> None:
    # Imported here, not at the top, for start-up time (finsek --help).
    from finsek.giving.render import write_private

    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    write_private(path, text.encode("utf-8"))


def _parse_day(text: str | None) -> dt.date | None:
    if not text:
        return None
    from finsek.core.dates import parse_date

    return parse_date(text)


# -- donor ----------------------------------------------------------------------------------


def _print_help(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``finsek donor`` without an action: what the actions are."""
    parser.print_help()
    return EXIT_OK


def run_donor_add(args: argparse.Namespace) -> int:
    from finsek.ledger.donors import add_donor

    fields = _field_values(args)
    if args.id:
        fields["id"] = args.id
    from finsek.core.errors import Refused
    from finsek.ledger.donor_match import PossibleDuplicate

    try:
        change = add_donor(_root(args), fields, dry_run=args.dry_run, new=args.new)
    except PossibleDuplicate as duplicate:
        first = duplicate.matches[0][0]
        raise Refused(f"{duplicate.found} Record their gifts under {first.id}; if this is a different person, "
                      "add them again with --new.") from None
    print(printable(change.message))
    return EXIT_OK


def run_donor_edit(args: argparse.Namespace) -> int:
    from finsek.core.errors import Refused
    from finsek.ledger.donors import edit_donor, unmerge_donor

    ledger = open_ledger(args, load_settings())
    root = ledger.root
    args.id = _donor_id(ledger.books, args.id)
    fields = _field_values(args)
    if args.unmerge:
        change = unmerge_donor(root, args.id, dry_run=args.dry_run)
        print(printable(change.message))
        if not fields:
            return EXIT_OK
    elif not fields:
        raise Refused(f"Nothing to change: give a new value, such as --email or --household, for {args.id}.")
    change = edit_donor(root, args.id, fields, dry_run=args.dry_run)
    print(printable(change.message))
    return EXIT_OK


def run_donor_merge(args: argparse.Namespace) -> int:
    from finsek.ledger.donors import merge_donors

    ledger = open_ledger(args, load_settings())
    books = ledger.books
    args.duplicate, args.survivor = _donor_id(books, args.duplicate), _donor_id(books, args.survivor)
    change = merge_donors(ledger.root, args.duplicate, args.survivor, dry_run=args.dry_run)
    from finsek.giving.pledges import scan_gifts

    count = sum(1 for gift in scan_gifts(books).gifts if gift.recorded_as == args.duplicate)
    print(printable(change.message))
    print(f"The ledger records {count} gift(s) under {args.duplicate}; they count for {args.survivor}.")
    return EXIT_OK


def run_donor_list(args: argparse.Namespace) -> int:
    settings = load_settings()
    books = open_ledger(args, settings).books
    if args.out:
        output_check(books, settings, args.force)(Path(args.out), named_by_finsek=False)
    registry = books.donors
    found = registry.search(" ".join(args.search), include_aliases=args.all)
    if args.household:
        found = [donor for donor in found if donor.household == args.household]
    from finsek.ledger.donors import COLUMNS

    if args.format == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([[sheet_text(value or "") for value in donor] for donor in found])
        text = buffer.getvalue()
        if not args.out:
            text = printable(text, tabs=True)
    elif args.format == "json":
        text = _json_text([donor._asdict() for donor in found])
    else:
        rows = []
        for donor in found:
            merged = f"→ {donor.alias_of}" if donor.alias_of else ""
            rows.append([donor.id, donor.name, donor.household, donor.envelope, donor.city, donor.email, merged])
        text = _table(["Id", "Name", "Household", "Envelope", "City", "E-mail", "Merged"], rows)
        text += f"{len(found)} donor(s).\n"
        problems = registry.problems()
        for problem in [*problems, *registry.column_notes]:
            note(problem)
    if args.out:
        note(PRIVACY_WARNING.format(what=f"{args.out} will"))
        with writing_files("the donor list"):
            _write_private_text(Path(args.out), text)
        print(f"Wrote {len(found)} donor(s) to {args.out}.")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def run_donor_show(args: argparse.Namespace) -> int:
    from finsek.core.money import format_amount
    from finsek.giving.history import donor_history
    from finsek.giving.wording import home_country

    books = _books(args)
    args.id = _donor_id(books, args.id)
    history = donor_history(books, args.id, year=args.year, household=args.household)
    registry = books.donors
    money = lambda amount: format_amount(amount, None, books.locale)  # noqa: E731
    if args.format == "json":
        payload = {
            "donor": history.donor._asdict() if history.donor else {"id": args.id},
            "household": history.key, "members": [member.id for member in history.members],
            "ids": history.donor_ids, "currency": books.currency,
            "by_year": {str(year): {fund: f"{amount:f}" for fund, amount in funds.items()}
                        for year, funds in history.by_year.items()},
            "totals": {str(year): f"{amount:f}" for year, amount in history.totals.items()},
            "gifts": [{"date": g.date.isoformat(), "fund": g.fund, "method": g.method, "check": g.check,
                       "amount": f"{g.amount:f}", "goods_services": f"{g.goods_services:f}",
                       "recorded_as": g.recorded_as} for g in history.gifts] if args.year else [],
            "pledges": [{"fund": p.fund, "start": p.pledge.start.isoformat(), "end": p.pledge.end.isoformat(),
                         "pledged": f"{p.pledged:f}", "given": f"{p.given:f}", "outstanding": f"{p.outstanding:f}"}
                        for p in history.pledges],
        }
        sys.stdout.write(_json_text(payload))
        return EXIT_OK
    out = []
    donor = history.donor
    if donor is None:
        out.append(f"{args.id} (not in donors.csv)")
    else:
        if donor.id != args.id:
            out.append(f"{args.id} is merged into {donor.id}; showing {donor.id}.")
        out.append(f"{donor.id}  {donor.name}")
        members = registry.household_members(donor.household) if donor.household else []
        if donor.household:
            names = ", ".join(f"{m.id} {m.name}" for m in members)
            out.append(f"Household {donor.household}: {names}")
        address = donor.address_lines(home_country(books.locale))
        if address:
            out.append("Address: " + ", ".join(address))
        for label, value in (("E-mail", donor.email), ("Phone", donor.phone), ("Envelope", donor.envelope),
                             ("Notes", _one_line(donor.notes))):
            if value:
                out.append(f"{label}: {value}")
        aliases = registry.aliases_of(donor.id)
        if aliases:
            out.append("Merged into this donor: " + ", ".join(f"{a} ({registry.get(a).name})" for a in aliases))
    if args.household:
        out.append(f"Counting the whole household {history.key}: {', '.join(m.id for m in history.members)}.")
    out.append("")
    if not history.by_year:
        out.append("No gifts recorded.")
    else:
        titles = [books.funds[fund].title if fund in books.funds else fund for fund in history.funds]
        rows = []
        for year, funds in history.by_year.items():
            rows.append([str(year), *(money(funds.get(fund, Decimal(0))) for fund in history.funds),
                         money(history.totals[year])])
        rows.append(["All", *(money(sum((f.get(fund, Decimal(0)) for f in history.by_year.values()), Decimal(0)))
                              for fund in history.funds), money(history.grand_total)])
        out.append(f"Giving by year and fund ({books.currency}):")
        out.append(_table(["Year", *titles, "Total"], rows, set(range(1, len(titles) + 2))).rstrip())
    if history.pledges:
        out += ["", "Pledges:"]
        rows = [[p.fund, f"{p.pledge.start} – {p.pledge.end}", money(p.pledged), money(p.given), money(p.outstanding),
                 f"{p.percent}%" if p.percent is not None else ""] for p in history.pledges]
        out.append(_table(["Fund", "Period", "Pledged", "Given", "Remaining", "Done"], rows, {2, 3, 4, 5}).rstrip())
    if args.year:
        out += ["", f"Gifts in {args.year}:"]
        rows = []
        for gift in history.gifts:
            method = gift.method + (f" {gift.check}" if gift.check else "")
            rows.append([gift.date.isoformat(), gift.fund, method, money(gift.amount),
                         money(gift.goods_services) if gift.goods_services else "",
                         gift.recorded_as if gift.recorded_as != gift.donor else ""])
        total = sum((gift.amount for gift in history.gifts), Decimal(0))
        rows.append(["Total", "", "", money(total), "", ""])
        out.append(_table(["Date", "Fund", "Method", "Amount", "Goods/services", "Recorded as"], rows, {3, 4}).rstrip())
    print(printable("\n".join(out)))
    return EXIT_OK


def _json_text(payload: object) -> str:
    """``payload`` as JSON with every control character escaped (``json`` leaves DEL and C1 as they are)."""
    text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    return "".join(f"\\u{ord(char):04x}" if "\x7f" <= char <= "\x9f" else char for char in text)


# -- statements --------------------------------------------------------------------------------


def run_statements(args: argparse.Namespace) -> int:
    from finsek.core.errors import Refused
    from finsek.core.money import format_amount
    from finsek.giving.render import FORMATS, statement_paths, write_statements
    from finsek.giving.statements import build_statements

    formats = [part.strip().lower() for part in args.format.split(",") if part.strip()]
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown or not formats:
        raise Refused(f"Unknown format '{', '.join(unknown) or args.format}': choose from pdf, md and json.")
    settings = load_settings()
    books = open_ledger(args, settings).books
    donors = [_donor_id(books, part) for value in args.donor for part in _donor_parts(books, value)]
    issued = _parse_day(args.date)
    if args.skatteverket:
        return _skatteverket_list(args, settings, books, issued or dt.date.today())
    result = build_statements(books, args.year, donors=donors or None, household=args.household, issued=issued)
    for problem in result.problems:
        note(f"note: {problem}")
    kind = "household" if args.household else "donor"
    if not result.statements:
        who = f" for {', '.join(donors)}" if donors else ""
        print(f"No gifts with a donor{who} in {args.year}: no statements to write.")
        return EXIT_OK
    total = sum((statement.total for statement in result.statements), Decimal(0))
    if args.dry_run:
        rows = [[statement.key, statement.recipient, statement.money(statement.total, unit=False),
                 "" if statement.address else "no address"] for statement in result.statements]
        sys.stdout.write(_table(["Key", "Recipient", f"Total ({books.currency})", ""], rows, {2}))
        print(f"{len(result.statements)} {kind} statement(s), {format_amount(total, books.currency, books.locale)} "
              "in all; nothing written.")
        return EXIT_OK
    out = Path(args.out) if args.out else _default_out(settings, args.year)
    check = output_check(books, settings, args.force)
    for path in statement_paths(result, out, formats):  # before the warning: a refusal is the only line
        check(path)
    note(PRIVACY_WARNING.format(what=f"The statements in {out} will"))
    with writing_files("the statements"):
        written = write_statements(result, out, formats, args.paper, check=check)
    print(f"Wrote {len(result.statements)} {kind} statement(s) for {args.year} "
          f"({format_amount(total, books.currency, books.locale)} in all) to {out}: {len(written)} file(s).")
    combined = [path.name for path in written if path.name.startswith("giving-statements-")]
    print("To print: " + ", ".join(name for name in combined if not name.endswith("-index.csv")))
    print(f"To e-mail: one file per {kind}; the index CSV lists each one's address.")
    return EXIT_OK


def _skatteverket_list(args: argparse.Namespace, settings: Settings, books: Books, made: dt.date) -> int:
    """``statements --skatteverket``: the yearly list of personnummer and counted gifts, per person."""
    from finsek.core.errors import Refused
    from finsek.giving.pledges import scan_gifts
    from finsek.giving.skattereduktion import person_totals, skatteverket_csv
    from finsek.ledger.files import write_private

    if not books.locale.startswith("sv"):
        raise Refused("The list for Skatteverket is for Swedish ledgers (locale sv_SE).")
    scan = scan_gifts(books, dt.date(args.year, 1, 1), dt.date(args.year, 12, 31))
    reduction = person_totals(books, args.year, scan.gifts)
    for problem in [*scan.problems, *reduction.problems]:
        note(f"note: {problem}")
    reported = reduction.reported
    total = sum((person.counted for person in reported), Decimal(0))
    if args.dry_run:
        for person in reported:
            print(f"{person.donor}  {person.name}  {person.personnummer[:9]}****  {person.counted}")
        print(f"{len(reported)} person(s) to report for {args.year}, {total} kr in all; nothing written.")
        return EXIT_OK
    out = Path(args.out) if args.out else _default_out(settings, args.year)
    path = out / f"skatteverket-gavor-{args.year}.csv"
    output_check(books, settings, args.force)(path)
    note(PRIVACY_WARNING.format(what=f"{path} will"))
    with writing_files():
        out.mkdir(parents=True, exist_ok=True)
        write_private(path, skatteverket_csv(reduction, books.settings.tax_id, made))
    print(f"Wrote {path}: {len(reported)} person(s), {total} kr that count for skattereduktion in {args.year}.")
    return EXIT_OK
def _donor_parts(books: Books, value: str) -> list[str]:
    """``--donor D0001,D0002`` is two donors; ``--donor "Svensson, Erik"`` one, when that is a name."""
    from finsek.ledger.donor_match import match_donor

    if "," in value and books.donors.exists and match_donor(books.donors, value).donor is not None:
        return [value]
    return [part for part in value.split(",") if part.strip()]


def _default_out(settings: Settings, year: int) -> Path:
    base = settings.reports_dir or Path("reports")
    return Path(base) / f"giving-statements-{year}"


# -- reports ----------------------------------------------------------------------------------


def run_report_pledges(args: argparse.Namespace) -> int:
    from finsek.core.money import format_amount
    from finsek.giving.pledge_report import pledge_report

    books = _books(args)
    if args.fund and books.funds:
        from finsek.ledger.names import resolve_fund

        args.fund = resolve_fund(books, args.fund)
    report = pledge_report(books, fund=args.fund, year=args.year, as_of=_parse_day(args.date), all_=args.all)
    for problem in report.problems:
        note(f"note: {problem}")
    money = lambda amount: format_amount(amount, None, books.locale)  # noqa: E731
    if args.format == "json":
        payload = {
            "as_of": report.as_of.isoformat(), "currency": books.currency,
            "period": [day.isoformat() for day in report.period] if report.period else None,
            "pledges": [{"donor": row.donor, **({} if args.no_names else {"name": row.name}), "fund": row.fund,
                         "label": row.label, "start": row.start.isoformat(), "end": row.end.isoformat(),
                         "pledged": f"{row.pledged:f}", "given": f"{row.given:f}",
                         "outstanding": f"{row.outstanding:f}"} for row in report.rows],
            "by_fund": {fund: {"pledged": f"{p:f}", "given": f"{g:f}", "outstanding": f"{o:f}"}
                        for fund, (p, g, o) in report.by_fund.items()},
            "total": {"pledged": f"{report.pledged:f}", "given": f"{report.given:f}",
                      "outstanding": f"{report.outstanding:f}"},
        }
        sys.stdout.write(_json_text(payload))
        return EXIT_OK
    if args.format == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["donor", *([] if args.no_names else ["name"]), "fund", "start", "end", "pledged", "given",
                         "outstanding"])
        for row in report.rows:
            writer.writerow([sheet_text(row.donor), *([] if args.no_names else [sheet_text(row.name)]),
                             sheet_text(row.fund), row.start, row.end,
                             f"{row.pledged:f}", f"{row.given:f}", f"{row.outstanding:f}"])
        sys.stdout.write(printable(buffer.getvalue(), tabs=True))
        return EXIT_OK
    where = f"fiscal year {report.period[0]} – {report.period[1]}" if report.period else "all pledges"
    print(f"Pledges ({where}; given to {report.as_of}; {books.currency})"
          + (f", fund {args.fund}" if args.fund else "") + ":")
    if not report.rows:
        print("No pledges. Record one in the ledger like: "
              f'2026-01-01 custom "pledge" "D0042" "building" 1200.00 {books.currency}')
        return EXIT_OK
    rows = []
    for row in report.rows:
        rows.append([row.donor, *([] if args.no_names else [row.name]), row.fund_title + (
            f" ({row.label})" if row.label else ""), money(row.pledged), money(row.given), money(row.outstanding),
            f"{row.percent}%" if row.percent is not None else ""])
    names = [] if args.no_names else [""]
    for fund, (pledged, given, outstanding) in report.by_fund.items():
        title = books.funds[fund].title if fund in books.funds else fund
        rows.append([f"Total {title}", *names, "", money(pledged), money(given), money(outstanding), ""])
    rows.append(["Total", *names, "", money(report.pledged), money(report.given), money(report.outstanding), ""])
    headers = ["Donor", *([] if args.no_names else ["Name"]), "Fund", "Pledged", "Given", "Outstanding", "Done"]
    first_money = 2 if args.no_names else 3
    sys.stdout.write(_table(headers, rows, set(range(first_money, first_money + 4))))
    return EXIT_OK


def run_report_givers(args: argparse.Namespace) -> int:
    from finsek.core.errors import Refused
    from finsek.core.money import format_amount
    from finsek.giving.givers import givers_report
    from finsek.reports.privacy import FEWER, MIN_HOUSEHOLDS, too_few

    bands = None
    if args.bands:
        try:
            bands = [Decimal(part.strip().replace(",", "")) for part in args.bands.split(",") if part.strip()]
        except ArithmeticError:
            raise Refused(f"'{args.bands}' is not a list of amounts: type it like 100,500,1000.") from None
    books = _books(args)
    report = givers_report(books, args.year, bands)
    money = lambda amount: format_amount(amount, None, books.locale)  # noqa: E731
    few = too_few(report.households)  # all the households together are one or two: no total, no count
    if args.format == "json":
        payload = {
            "year": report.year, "currency": report.currency, "households": None if few else report.households,
            "total": None if few else f"{report.total:f}", "without_donor": f"{report.without_donor:f}",
            "net_zero_households": None if too_few(report.net_zero) else report.net_zero,
            "min_households": MIN_HOUSEHOLDS,
            "bands": [{"from": f"{band.low:f}" if band.low is not None else None,
                       "below": f"{band.high:f}" if band.high is not None else None, "label": band.label,
                       "households": band.shown_households,
                       "total": f"{band.shown_total:f}" if band.shown_total is not None else None}
                      for band in report.bands],
        }
        sys.stdout.write(_json_text(payload))
        return EXIT_OK
    if args.format == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["band", "households", "total"])
        for band in report.bands:
            writer.writerow([band.label, band.shown_households if band.shown_households is not None else FEWER,
                             f"{band.shown_total:f}" if band.shown_total is not None else ""])
        sys.stdout.write(buffer.getvalue())
        return EXIT_OK
    print(f"Giving households in {report.year} by what each gave in the year ({report.currency}):")
    rows = []
    for band in report.bands:
        if band.shown_total is None:
            rows.append([band.label, FEWER, "–", "–"])
            continue
        share = f"{(band.total * 100 / report.total).quantize(Decimal('0.1'))}%" if report.total else ""
        rows.append([band.label, str(band.households), money(band.total), share])
    rows.append(["All giving households", FEWER if few else str(report.households),
                 "–" if few else money(report.total), "" if few or not report.total else "100.0%"])
    sys.stdout.write(_table(["Given in the year", "Households", "Total", "Share"], rows, {1, 2, 3}))
    print(f"Gifts recorded without a donor (loose offering, anonymous): {money(report.without_donor)}.")
    print(f"A size band with fewer than {MIN_HOUSEHOLDS} households is joined to the band next to it, so no one "
          "household's giving can be read off" + (f"; with {FEWER} giving households in all, no total is shown."
                                                  if few else "."))
    if report.net_zero:
        counted = FEWER if too_few(report.net_zero) else str(report.net_zero)
        print(f"{counted} household(s) whose gifts were refunded in full are not counted.")
    print("A household is a household in donors.csv (or a donor without one); merged donors count once.")
    return EXIT_OK
