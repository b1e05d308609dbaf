"""XLSX through openpyxl: a summary sheet, then one sheet per table.

Money, percentages and counts are real numeric cells (money written from
``Decimal``, so the file holds the exact decimal text) with number formats, so
a board member can sum a column. Each table sheet starts with its title, the
organisation and the period; the column headings are on row 4 and frozen.
"""

import io
import re

from finsek.core.money import precision
from finsek.core.text import xlsx_text
from finsek.reports.model import Report, Table
from finsek.reports.render.cells import PRINT_NEGATIVES

HEADER_ROW = 4
INVALID = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, used: set[str]) -> str:
    base = INVALID.sub(" ", title).strip()[:31] or "Sheet"
    name = base
    number = 2
    while name.lower() in used:
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    used.add(name.lower())
    return name


SHEET_TITLES = {
    "activities": "Activities",
    "funds": "Funds",
    "budget": "Budget",
    "funds_month": "Funds month",
    "funds_ytd": "Funds year to date",
    "tie_out": "Funds tied to cash",
    "position": "Financial position",
    "giving": "Giving",
    "expenses": "Expenses",
    "reconciliation": "Reconciliation",
}


def _money_format(currency: str, negatives: str = PRINT_NEGATIVES) -> str:
    """The number format of money cells: negatives in parentheses (print) or with a minus sign."""
    digits = precision(currency)
    body = "#,##0" + ("." + "0" * digits if digits else "")
    return f"{body}_);({body})" if negatives == "parentheses" else f"{body};-{body}"


def _write_table(sheet, report: Report, table: Table, negatives: str = PRINT_NEGATIVES) -> None:
    # openpyxl: only when an XLSX is made (start-up time)
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    columns = [column for column in table.columns if not column.hidden]
    money_format = _money_format(report.currency, negatives)
    sheet["A1"] = table.title or report.title
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"{report.organisation} · {report.title} · {report.period_label}"
    sheet["A2"].font = Font(italic=True)
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="D9D9D9")
    light = PatternFill("solid", fgColor="EEEEEE")
    top = Border(top=Side(style="thin"))
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(HEADER_ROW, index, column.title)
        cell.font = bold
        cell.fill = grey
        cell.alignment = Alignment(wrap_text=True, vertical="bottom",
                                   horizontal="right" if column.numeric else "left")
    row_number = HEADER_ROW
    for row in table.rows():
        row_number += 1
        kind = row["kind"]
        for index, column in enumerate(columns, start=1):
            value = row.get(column.key)
            if value is None:
                continue
            cell = sheet.cell(row_number, index)
            if column.numeric and isinstance(value, str):  # a figure withheld ("fewer than 3"): text, not a number
                cell.value = value
                cell.alignment = Alignment(horizontal="right")
            elif column.kind == "money":
                cell.value = value
                cell.number_format = money_format
            elif column.kind == "percent":
                cell.value = value / 100
                cell.number_format = "0.0%"
            elif column.kind == "count":
                cell.value = int(value)
                cell.number_format = "#,##0"
            else:
                cell.value = str(value)
            if index == 1 and kind in ("row",):
                cell.alignment = Alignment(indent=1)
        if kind in ("section", "group", "subtotal", "total"):
            for index in range(1, len(columns) + 1):
                cell = sheet.cell(row_number, index)
                cell.font = bold
                if kind == "section":
                    cell.fill = light
                if kind in ("subtotal", "total"):
                    cell.border = top
    for note in table.notes:
        row_number += 2
        sheet.cell(row_number, 1, note).font = Font(italic=True, size=9)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    for index, column in enumerate(columns, start=1):
        if column.numeric:
            width = 15
        else:
            longest = max((len(str(row.get(column.key) or "")) for row in table.rows()), default=10)
            width = min(max(longest + 3, len(column.title) + 2, 12), 60)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 30
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape" if len(columns) > 6 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.right.text = "Page &P of &N"
    sheet.oddHeader.left.text = f"{report.organisation} · {report.period_label}".replace("&", "&&")


def render_xlsx(report: Report, paper: str = "a4", negatives: str = PRINT_NEGATIVES) -> bytes:
    """The report as an XLSX workbook (bytes)."""
    from openpyxl import Workbook  # openpyxl: only when an XLSX is made (start-up time)
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    used: set[str] = set()
    summary = book.active
    summary.title = sheet_name("Summary", used)
    summary["A1"] = f"{report.title}: {report.organisation}"
    summary["A1"].font = Font(bold=True, size=14)
    summary["A2"] = report.period_label
    summary["A3"] = f"Generated {report.generated.isoformat()} by finsek"
    summary["A3"].font = Font(italic=True, size=9)
    summary.column_dimensions["A"].width = 110
    line = 5
    for sentence in report.summary:
        cell = summary.cell(line, 1, sentence)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        line += 1
    paper_size = 9 if paper == "a4" else 1
    for table in report.tables():
        sheet = book.create_sheet(sheet_name(SHEET_TITLES.get(table.key, table.title), used))
        _write_table(sheet, report, table, negatives)
        sheet.page_setup.paperSize = paper_size
    summary.page_setup.paperSize = paper_size
    for sheet in book.worksheets:  # text from the ledger (a fund, a payee, the title) is never a formula
        for row in sheet.iter_rows():
            for cell in row:
                xlsx_text(cell)
    book.properties.creator = "finsek"
    book.properties.title = f"{report.title}: {report.organisation}, {report.period_label}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
