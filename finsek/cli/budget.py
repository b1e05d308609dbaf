"""``finsek budget show|set|copy``: the budget lines, with last year's actual, and setting them.

The lines are Fava's ``custom "budget"`` directives with a ``fund:``; the
reading and the making of lines is ``finsek.ledger.budget_lines`` (the app's
budget screen uses the same functions). Lines are appended through
``Ledger.save`` / ``Ledger.save_many``; a later line replaces an earlier one
for the same account and fund.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from typing import TYPE_CHECKING

from finsek.cli.common import (
    EXIT_OK,
    TypedWrong,
    add_ledger_option,
    load_settings,
    note,
    open_ledger,
    typed_on_the_command_line,
)
from finsek.core.text import printable

if TYPE_CHECKING:
    from finsek.ledger.books import Books
    from finsek.ledger.budget_lines import BudgetTable


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``budget show``, ``budget set`` and ``budget copy`` to finsek's commands."""
    budget = subparsers.add_parser("budget", help="show, set and copy the budget (Fava's budget lines)")
    add_ledger_option(budget)
    commands = budget.add_subparsers(dest="budget_command", metavar="show|set|copy", required=True)

    show = commands.add_parser("show", help="every budget line in effect in a year, with last year's actual")
    add_ledger_option(show)
    show.add_argument("--year", metavar="YEAR", default=None, help="the (fiscal) year, e.g. 2026 (default: this one)")
    show.add_argument("--fund", metavar="FUND", default=None, help="only this fund's lines")
    show.add_argument("--json", action="store_true", help="print JSON (amounts as exact strings)")
    show.set_defaults(handler=run_show)

    set_ = commands.add_parser("set", help="set one account's budget in a fund (appends a budget line)")
    add_ledger_option(set_)
    set_.add_argument("account", help="an Income or Expenses account, e.g. Expenses:Facilities:Utilities")
    set_.add_argument("amount", help="the amount per period, e.g. 450 or 1,250.00")
    set_.add_argument("--fund", metavar="FUND", default=None, help="the fund (default: the default fund)")
    set_.add_argument("--period", choices=["monthly", "quarterly", "yearly"], default="monthly",
                      help="how often the amount applies (default monthly)")
    when = set_.add_mutually_exclusive_group()
    when.add_argument("--from", dest="start", metavar="DATE", default=None,
                      help="the first of the month it starts (default: the start of this fiscal year)")
    when.add_argument("--year", metavar="YEAR", default=None, help="start with the (fiscal) year YEAR")
    set_.add_argument("--dry-run", action="store_true", help="print the line that would be added; save nothing")
    set_.set_defaults(handler=run_set)

    copy = commands.add_parser("copy", help="write next year's budget from this year's")
    add_ledger_option(copy)
    copy.add_argument("--from-year", metavar="YEAR", required=True, help="the (fiscal) year to copy from")
    copy.add_argument("--to-year", metavar="YEAR", required=True, help="the (fiscal) year to write")
    copy.add_argument("--change", metavar="PERCENT", default="0",
                      help="change every amount by this much, e.g. 3%% or -2.5%% (rounded to the cent, half to even)")
    copy.add_argument("--replace", action="store_true",
                      help="write over lines the target year already has (the copy then holds all year)")
    copy.add_argument("--dry-run", action="store_true", help="print the lines that would be added; save nothing")
    # a cut is typed "--change -2.5%": argparse takes "-2.5" for a number but "-2.5%" for an option, unless told
    copy._negative_number_matcher = re.compile(r"^-\d+%?$|^-\d*\.\d+%?$")
    copy.set_defaults(handler=run_copy)


def _year(text: str | None, option: str) -> int | None:
    if text is None:
        return None
    raw = text.strip()
    if not (len(raw) == 4 and raw.isascii() and raw.isdigit()) or not 1900 <= int(raw) <= 9998:
        raise TypedWrong(f"{option} '{printable(text)}' is not a year: type four digits, such as 2026.")
    return int(raw)


def run_show(args: argparse.Namespace, *, today: dt.date | None = None) -> int:
    from finsek.ledger.budget_lines import budget_fund, fiscal_year_of, year_table

    today = today or dt.date.today()
    year = _year(args.year, "--year")
    books = open_ledger(args, load_settings()).books
    table = year_table(books, year if year is not None else fiscal_year_of(books, today))
    if args.fund is not None:
        fund = budget_fund(books, args.fund)
        table = table._replace(lines=[line for line in table.lines if line.fund == fund])
    for problem in table.problems:
        note(f"a budget line was left out: {problem}")
    sys.stdout.write(_json(table) if args.json else _text(books, table))
    return EXIT_OK


def _json(table: BudgetTable) -> str:
    def line(item) -> dict:
        return {
            "account": item.account, "fund": item.fund, "period": item.period, "amount": str(item.amount),
            "currency": item.currency, "from": item.start.isoformat(),
            "until": item.end.isoformat() if item.end else None, "annual": str(item.annual),
            "budget": str(item.budget), "last_year_actual": str(item.last_year),
            "file": item.file, "line": item.lineno,
        }

    payload = {
        "year": table.label, "start": table.start.isoformat(), "end": table.end.isoformat(),
        "last_year": table.last_label, "currency": table.currency, "lines": [line(item) for item in table.lines],
        "totals": {root: {"budget": str(table.total(root)), "last_year_actual": str(table.total(root, "last_year"))}
                   for root in ("Income", "Expenses")},
        "problems": table.problems,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _text(books: Books, table: BudgetTable) -> str:
    from finsek.core.money import format_amount

    def money(amount) -> str:
        return format_amount(amount, None, books.locale)

    if not table.lines:
        return (f"No budget lines are in effect in {table.label}. Set one with "
                "finsek budget set ACCOUNT AMOUNT, or copy last year's with finsek budget copy.\n")
    heads = ["Fund", "Account", "Period", "Amount", "In effect", "Annual", f"{table.last_label} actual"]
    rows = []
    for line in table.lines:
        span = f"{line.start.isoformat()} to {line.end.isoformat()}" if line.end else f"from {line.start.isoformat()}"
        rows.append([line.fund, line.account, line.period, money(line.amount), span, money(line.annual),
                     money(line.last_year)])
    widths = [max(len(head), *(len(row[i]) for row in rows)) for i, head in enumerate(heads)]
    right = {3, 5, 6}

    def row_text(cells: list[str]) -> str:
        return "  ".join(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                         for i, cell in enumerate(cells)).rstrip()

    out = [f"Budget {table.label}, {books.title} ({table.currency})", "", row_text(heads),
           row_text(["-" * width for width in widths])]
    out += [row_text(row) for row in rows]
    out.append("")
    for root in ("Income", "Expenses"):
        if any(line.account.startswith(root) for line in table.lines):
            out.append(f"{root} budgeted for {table.label}: {money(table.total(root))} "
                       f"({table.last_label} actual on the same lines: {money(table.total(root, 'last_year'))})")
    return "\n".join(printable(row) for row in out) + "\n"


def run_set(args: argparse.Namespace, *, today: dt.date | None = None) -> int:
    from finsek.core.dates import parse_date
    from finsek.ledger.budget_lines import budget_amount, fiscal_bounds, fiscal_year_of, set_draft

    today = today or dt.date.today()
    year = _year(args.year, "--year")
    ledger = open_ledger(args, load_settings())
    books = ledger.books
    with typed_on_the_command_line():
        if args.start is not None:
            start = parse_date(args.start, today, "from")
        else:
            start = fiscal_bounds(books, year if year is not None else fiscal_year_of(books, today))[0]
        budget_amount(books, args.amount)
    draft = set_draft(books, args.account, args.amount, fund=args.fund, period=args.period, start=start)
    if args.dry_run:
        sys.stdout.write(draft.text)
        return EXIT_OK
    result = ledger.save(draft)
    print(printable(f"Saved the {draft.summary} ({result.file.name if result.file else ''}, line {result.lineno})."))
    if result.note:
        print(printable(result.note))
    return EXIT_OK


def run_copy(args: argparse.Namespace, *, today: dt.date | None = None) -> int:
    from finsek.ledger.budget_lines import copy_drafts, parse_change

    from_year = _year(args.from_year, "--from-year")
    to_year = _year(args.to_year, "--to-year")
    assert from_year is not None and to_year is not None  # both options are required
    with typed_on_the_command_line():
        percent = parse_change(args.change)
    ledger = open_ledger(args, load_settings())
    plan = copy_drafts(ledger.books, from_year, to_year, percent, replace=args.replace)
    for message in plan.notes:
        note(message)
    if args.dry_run:
        sys.stdout.write("\n".join(draft.text for draft in plan.drafts))
        return EXIT_OK
    results = ledger.save_many(plan.drafts)
    files = sorted({result.file.name for result in results if result.file})
    print(printable(f"Saved {len(results)} budget line{'s' if len(results) != 1 else ''} for {to_year} "
                    f"(from {from_year}, changed by {percent}%, rounded to the cent half to even) in "
                    f"{', '.join(files)}."))
    if results and results[0].note:
        print(printable(results[0].note))
    return EXIT_OK
