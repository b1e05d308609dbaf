"""The offering count sheet: what the two counters sign, as plain text or HTML.

Built from the saved offering's own Beancount text (so the sheet shows
exactly what the ledger holds) and written beside the receipts, in
``documents/YYYY/`` of the ledger folder. This never touches the ledger
files themselves. The PDF version comes with the report renderers.
"""

import html
import os
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from beancount.parser import parser

from finsek.core.money import format_amount
from finsek.ledger import conventions as conv
from finsek.ledger.books import Books
from finsek.ledger.entries import Draft


class SheetLine(NamedTuple):
    number: int
    donor: str
    name: str
    method: str
    check: str
    fund: str
    amount: Decimal


class CountSheet(NamedTuple):
    organisation: str
    date: str
    counted_by: str
    deposit_account: str
    link: str
    currency: str
    locale: str
    lines: tuple[SheetLine, ...]
    total: Decimal
    by_method: tuple[tuple[str, Decimal], ...]
    by_fund: tuple[tuple[str, Decimal], ...]

    def money(self, amount: Decimal) -> str:
        return format_amount(amount, None, self.locale)


def count_sheet(books: Books, draft: Draft) -> CountSheet:
    """The count sheet of an offering draft (saved or about to be)."""
    entries, _errors, _ = parser.parse_string(draft.text)
    entry = entries[0]
    lines = []
    deposit = ""
    total = Decimal(0)
    by_method: dict[str, Decimal] = defaultdict(Decimal)
    by_fund: dict[str, Decimal] = defaultdict(Decimal)
    for posting in entry.postings:
        amount = posting.units.number
        if amount > 0:
            deposit = posting.account
            total += amount
            continue
        meta = posting.meta or {}
        donor = str(meta.get(conv.DONOR_KEY, "") or "")
        method = str(meta.get(conv.METHOD_KEY, "") or "")
        fund = str(meta.get(conv.FUND_KEY, "") or books.default_fund)
        found = books.donors.get(donor) if donor else None
        name = found.name if found else ("loose cash" if not donor else "")
        check = str(meta.get(conv.CHECK_KEY, "") or "")
        lines.append(SheetLine(len(lines) + 1, donor, name, method, check, fund, -amount))
        by_method[method] += -amount
        by_fund[fund] += -amount
    return CountSheet(
        books.title,
        entry.date.isoformat(),
        str((entry.meta or {}).get(conv.COUNTED_BY_KEY, "")),
        deposit,
        " ".join(f"^{link}" for link in sorted(entry.links or ())),
        books.currency,
        books.locale,
        tuple(lines),
        total,
        tuple(sorted(by_method.items())),
        tuple(sorted(by_fund.items())),
    )


def render_text(sheet: CountSheet) -> str:
    width = 78
    out = [
        f"OFFERING COUNT SHEET — {sheet.organisation}".center(width).rstrip(),
        "",
        f"Date: {sheet.date}    Deposit to: {sheet.deposit_account}    {sheet.link}",
        f"Counted by: {sheet.counted_by}",
        "",
        f"{'#':>3}  {'Donor':<8} {'Name':<24} {'Method':<8} {'Check':<8} {'Fund':<12} {'Amount':>10}",
        "-" * width,
    ]
    for line in sheet.lines:
        out.append(
            f"{line.number:>3}  {line.donor:<8} {line.name[:24]:<24} {line.method:<8} {line.check:<8} "
            f"{line.fund[:12]:<12} {sheet.money(line.amount):>10}"
        )
    out.append("-" * width)
    out.append(f"{'Total (' + sheet.currency + ')':<67}{sheet.money(sheet.total):>11}")
    out.append("")
    out.append("By method:")
    out.extend(f"  {method:<20} {sheet.money(amount):>12}" for method, amount in sheet.by_method)
    out.append("By fund:")
    out.extend(f"  {fund:<20} {sheet.money(amount):>12}" for fund, amount in sheet.by_fund)
    out.append("")
    names = [name.strip() for name in sheet.counted_by.split(",") if name.strip()] or ["", ""]
    out.append("")
    for name in names:
        out.append(f"Counted by {name:<30} signature ______________________________")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_html(sheet: CountSheet) -> str:
    def cell(value: str, right: bool = False) -> str:
        style = ' style="text-align:right"' if right else ""
        return f"<td{style}>{html.escape(value)}</td>"

    rows = "\n".join(
        "<tr>"
        + cell(str(line.number), True) + cell(line.donor) + cell(line.name) + cell(line.method) + cell(line.check)
        + cell(line.fund) + cell(sheet.money(line.amount), True)
        + "</tr>"
        for line in sheet.lines
    )
    methods = "".join(f"<tr>{cell(m)}{cell(sheet.money(a), True)}</tr>" for m, a in sheet.by_method)
    funds = "".join(f"<tr>{cell(f)}{cell(sheet.money(a), True)}</tr>" for f, a in sheet.by_fund)
    names = [name.strip() for name in sheet.counted_by.split(",") if name.strip()]
    signatures = "".join(f"<p>Counted by {html.escape(name)}: ______________________________</p>" for name in names)
    esc = html.escape
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Offering count sheet {esc(sheet.date)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #000; background: #fff; }}
table {{ border-collapse: collapse; margin-bottom: 1em; }}
td, th {{ border: 1px solid #999; padding: 0.2em 0.6em; }}
th {{ background: #eee; text-align: left; }}
</style></head><body>
<h1>Offering count sheet</h1>
<p><strong>{esc(sheet.organisation)}</strong></p>
<p>Date: {esc(sheet.date)} · Deposit to: {esc(sheet.deposit_account)} · {esc(sheet.link)}</p>
<p>Counted by: {esc(sheet.counted_by)}</p>
<table><tr><th>#</th><th>Donor</th><th>Name</th><th>Method</th><th>Check</th><th>Fund</th><th>Amount</th></tr>
{rows}
<tr><th colspan="6">Total ({esc(sheet.currency)})</th>
<th style="text-align:right">{esc(sheet.money(sheet.total))}</th></tr>
</table>
<h2>By method</h2><table>{methods}</table>
<h2>By fund</h2><table>{funds}</table>
{signatures}
</body></html>
"""


def write_count_sheet(books: Books, draft: Draft, fmt: str = "txt") -> Path:
    """Write the count sheet into ``documents/YYYY/`` and return its path (never overwrites)."""
    sheet = count_sheet(books, draft)
    content = render_html(sheet) if fmt == "html" else render_text(sheet)
    folder = books.root / "documents" / sheet.date[:4]
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{sheet.date}-offering-count-sheet"
    number = 1
    while True:
        name = f"{stem}.{fmt}" if number == 1 else f"{stem}-{number}.{fmt}"
        path = folder / name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            number += 1
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        return path
