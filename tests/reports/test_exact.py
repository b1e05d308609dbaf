"""Every total of the board report equals beanquery's sum over the same file and period, to the cent.

The report's data are checked cell by cell against beanquery; then each
rendered format (JSON parsed back, the XLSX cells read with openpyxl, the
Markdown table numbers, the PDF's text) must show the same numbers in the
same cells.
"""

import datetime as dt
import io
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from finsek.reports.board import build_board_report
from finsek.reports.financial import is_cash
from finsek.reports.periods import BoardPeriod
from finsek.reports.render import render
from tests.reports.conftest import books_of, read_households, referee_of

ZERO = Decimal(0)

CASES = [
    ("demo-1", "2026-02"),
    ("demo-1", "2025-12"),
    ("demo-2", "2026-03"),
    ("demo-july", "2026-02"),
    ("bean-example", "2026-02"),
]


def _month(text: str) -> dt.date:
    return dt.date.fromisoformat(text + "-01")


def expected_cells(report, books, ref) -> dict[tuple[str, int, str], Decimal | int]:
    """(table key, row index, column key) -> the value beanquery says it must be."""
    period = BoardPeriod.for_month(report.start, books.settings.fiscal_year_start)
    cents = ref.cents
    cells: dict[tuple[str, int, str], Decimal | int] = {}
    roots_all = "Income|Expenses|Equity"

    # Statement of activities (nonprofit form): each column is a span and a restriction class.
    restricted = {name for name, fund in books.funds.items() if fund.klass == "restricted"}
    columns = {"month": (period.month, "total"), "free": (period.ytd, "free"),
               "restricted": (period.ytd, "restricted"), "total": (period.ytd, "total"),
               "prior": (period.last_ytd, "total")}

    def in_class(amounts: dict[str, Decimal], part: str) -> Decimal:
        return sum((amount for fund, amount in amounts.items()
                    if part == "total" or (fund in restricted) == (part == "restricted")), ZERO)

    def released(span) -> Decimal:
        spent = ref.by_fund("Expenses|Equity:Transfers", span.start, span.end)
        return sum((amount for fund, amount in spent.items() if fund in restricted), ZERO)

    table = report.table("activities")
    rows = table.rows()
    figures = {}
    for key, (span, part) in columns.items():
        release = {"free": released(span), "restricted": -released(span), "total": ZERO}[part]
        income = -in_class(ref.by_fund("Income", span.start, span.end), part)
        expenses = ZERO if part == "restricted" else ref.total("Expenses", span.start, span.end)
        start = -in_class(ref.by_fund(roots_all, end=span.before), part)
        end = -in_class(ref.by_fund(roots_all, end=span.end), part)
        figures[key] = {"Total income": income + release, "Net assets released from restrictions": release,
                        "Total expenses": expenses, "Change in net assets": income + release - expenses,
                        "Net assets at the start of the period": start, "Net assets at the end of the period": end}
        figures[key]["Other changes in net assets (opening balances, other equity)"] = (
            end - start - (income + release - expenses))
        for index, row in enumerate(rows):
            if row["label"] == "Total expenses" and part == "restricted":
                assert row[key] is None  # expenses are decreases in net assets without donor restrictions
                continue
            if row["label"] in figures[key]:
                cells[("activities", index, key)] = cents(figures[key][row["label"]])
                continue
            if row["kind"] == "row":
                prefix = row["account"]
            elif row["kind"] == "subtotal":
                following = [r for r in rows[:index] if r["kind"] == "row"][-1]
                prefix = ":".join(following["account"].split(":")[:2])
            else:
                continue
            if prefix.startswith("Expenses"):
                if part == "restricted":
                    assert row[key] is None
                    continue
                cells[("activities", index, key)] = cents(ref.total(prefix, span.start, span.end))
            else:
                amounts = ref.by_fund(prefix, span.start, span.end)
                cells[("activities", index, key)] = cents(-in_class(amounts, part))

    # Budget against actual: the operating fund's actuals only; other funds in their own column.
    operating = books.default_fund
    rows = report.table("budget").rows()
    spans = {"month_actual": period.month, "ytd_actual": period.ytd}
    for index, row in enumerate(rows):
        if row["kind"] == "row":
            prefix = row["account"]
        elif row["kind"] == "subtotal" and row["label"].startswith("Total "):
            following = [r for r in rows[:index] if r["kind"] == "row"][-1]
            prefix = ":".join(following["account"].split(":")[:2])
        elif row["label"] in ("Total income", "Total expenses"):
            prefix = "Income" if row["label"] == "Total income" else "Expenses"
        else:
            continue
        sign = -1 if prefix.startswith("Income") else 1
        for key, span in spans.items():
            cells[("budget", index, key)] = cents(sign * ref.total(prefix, span.start, span.end, operating))
        other = sign * (ref.total(prefix, period.ytd.start, period.ytd.end)
                        - ref.total(prefix, period.ytd.start, period.ytd.end, operating))
        if row["other_ytd"] is None:
            assert not other, (row, other)
        else:
            cells[("budget", index, "other_ytd")] = cents(other)

    # Fund activity, month and year to date.
    roots = "Income|Expenses|Equity"
    for key, span in (("funds_month", period.month), ("funds_ytd", period.ytd)):
        opening = ref.by_fund(roots, end=span.before)
        closing = ref.by_fund(roots, end=span.end)
        receipts = ref.by_fund("Income", span.start, span.end)
        spent = ref.by_fund("Expenses", span.start, span.end)
        came = ref.by_fund("Equity:Transfers", span.start, span.end, "number(weight) < 0")
        went = ref.by_fund("Equity:Transfers", span.start, span.end, "number(weight) > 0")
        totals = dict.fromkeys(("opening", "closing", "receipts", "disbursements", "transfers_in",
                                "transfers_out"), ZERO)
        rows = report.table(key).rows()
        for index, row in enumerate(rows):
            if row["kind"] != "row":
                continue
            fund = row["fund"]
            values = {
                "opening": -opening.get(fund, ZERO), "closing": -closing.get(fund, ZERO),
                "receipts": -receipts.get(fund, ZERO), "disbursements": spent.get(fund, ZERO),
                "transfers_in": -came.get(fund, ZERO), "transfers_out": went.get(fund, ZERO),
            }
            for name, amount in values.items():
                cells[(key, index, name)] = cents(amount)
                totals[name] += amount
        assert set(opening) | set(closing) <= {row["fund"] for row in rows if row["kind"] == "row"}
        for name, amount in totals.items():
            cells[(key, len(rows) - 1, name)] = cents(amount)

    # Tie-out: cash, funds, difference (the difference is the sum of every weight: zero when all balance).
    end = period.month.end
    balances = ref.by_account(end)
    cash = sum((amount for account, amount in balances.items() if is_cash(account)), ZERO)
    funds_total = -sum((amount for account, amount in balances.items()
                        if account.split(":")[0] in ("Income", "Expenses", "Equity")), ZERO)
    tie = report.table("tie_out").rows()
    for index, row in enumerate(tie):
        if row["label"] == "Cash and bank accounts":
            cells[("tie_out", index, "amount")] = cents(cash)
        elif row["label"] == "Total of the fund balances":
            cells[("tie_out", index, "amount")] = cents(funds_total)
        elif row["label"] == "Difference":
            cells[("tie_out", index, "amount")] = cents(ref.total(None, end=end))

    # Statement of financial position, both columns.
    funds = books.funds
    for column, day in (("end", period.month.end), ("start", period.ytd.before)):
        balances = ref.by_account(day)
        by_class: dict[str, Decimal] = {}
        for fund, amount in ref.by_fund(roots, end=day).items():
            klass = funds[fund].klass if fund in funds else "unrestricted"
            by_class[klass] = by_class.get(klass, ZERO) - amount
        assets = sum((a for name, a in balances.items() if name.startswith("Assets:")), ZERO)
        owed = -sum((a for name, a in balances.items() if name.startswith("Liabilities:")), ZERO)
        for index, row in enumerate(report.table("position").rows()):
            account = row.get("account") or ""
            label = row["label"]
            if row["kind"] == "row" and account.startswith("Assets"):
                if is_cash(account):
                    value = balances.get(account, ZERO)
                else:
                    value = sum((a for name, a in balances.items() if (name == account or name.startswith(
                        account + ":")) and not is_cash(name)), ZERO)
            elif row["kind"] == "row" and account.startswith("Liabilities"):
                value = -sum((a for name, a in balances.items() if name == account or name.startswith(
                    account + ":")), ZERO)
            elif row["kind"] == "row" and account in ("unrestricted", "designated", "restricted"):
                value = by_class.get(account, ZERO)
            elif label == "Total without donor restrictions":
                value = by_class.get("unrestricted", ZERO) + by_class.get("designated", ZERO)
            elif label in ("Total assets", "Total liabilities and net assets"):
                value = assets
            elif label == "Total liabilities":
                value = owed
            elif label == "Total net assets":
                value = assets - owed
            elif label == "Total cash and bank accounts":
                value = sum((a for name, a in balances.items() if is_cash(name)), ZERO)
            else:
                continue
            cells[("position", index, column)] = cents(value)

    # Giving trend: each month this year and last, year to date, households.
    households = read_households(books.root) if (books.root / "donors.csv").exists() else {}
    rows = report.table("giving").rows()
    this_months = period.fiscal_months()
    last_months = period.last_year.months()
    for index, (this_first, last_first) in enumerate(zip(this_months, last_months, strict=True)):
        last_end = (last_first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        cells[("giving", index, "last_year")] = cents(-ref.total("Income:Contributions", last_first, last_end))
        if this_first <= period.month.start:
            this_end = (this_first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            cells[("giving", index, "this_year")] = cents(-ref.total("Income:Contributions", this_first, this_end))
            donors = ref.donors("Income:Contributions", this_first, this_end)
            cells[("giving", index, "households")] = len({households.get(d, d) for d in donors})
    ytd_index = len(this_months)
    cells[("giving", ytd_index, "this_year")] = cents(-ref.total("Income:Contributions", period.ytd.start,
                                                                 period.ytd.end))
    cells[("giving", ytd_index, "last_year")] = cents(-ref.total("Income:Contributions", period.last_ytd.start,
                                                                 period.last_ytd.end))
    donors = ref.donors("Income:Contributions", period.ytd.start, period.ytd.end)
    cells[("giving", ytd_index, "households")] = len({households.get(d, d) for d in donors})
    cells[("giving", ytd_index + 1, "last_year")] = cents(-ref.total("Income:Contributions",
                                                                     period.last_year.start, period.last_year.end))
    assert rows[ytd_index]["label"] == "Year to date"

    # Where the money went.
    rows = report.table("expenses").rows()
    for index, row in enumerate(rows):
        prefix = row["account"] if row["kind"] == "row" else "Expenses"
        cells[("expenses", index, "month")] = cents(ref.total(prefix, period.month.start, period.month.end))
        cells[("expenses", index, "ytd")] = cents(ref.total(prefix, period.ytd.start, period.ytd.end))

    # Reconciliation: the ledger balance of each account at the end of the month.
    for index, row in enumerate(report.table("reconciliation").rows()):
        cells[("reconciliation", index, "balance")] = cents(ref.total(row["account"], end=period.month.end))
    return cells


# -- reading the rendered formats back -------------------------------------------------------


def _number(text: str) -> Decimal | int | None:
    text = text.replace("*", "").replace(",", "").replace("%", "").strip()
    if not text:
        return None
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() and "." not in text else value


def json_cells(report, payload: bytes) -> dict[tuple[str, int, str], object]:
    data = json.loads(payload)
    found = {}
    for section in data["sections"]:
        for table in section["tables"]:
            for index, row in enumerate(table["rows"]):
                for key, value in row.items():
                    found[(table["key"], index, key)] = value
    return found


def xlsx_cells(report, payload: bytes) -> dict[tuple[str, int, str], object]:
    from openpyxl import load_workbook

    from finsek.reports.render.xlsx import HEADER_ROW, SHEET_TITLES

    book = load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    found = {}
    for table in report.tables():
        sheet = book[SHEET_TITLES[table.key]]
        rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
        columns = [column for column in table.columns if not column.hidden]
        assert [cell or "" for cell in rows[0][: len(columns)]] == [column.title for column in columns]
        for index in range(len(table.frame)):
            for position, column in enumerate(columns):
                found[(table.key, index, column.key)] = rows[index + 1][position]
    return found


def markdown_cells(report, payload: bytes) -> dict[tuple[str, int, str], object]:
    text = payload.decode("utf-8")
    found = {}
    for table in report.tables():
        start = text.index(f"### {table.title}\n")
        lines = [line for line in text[start:].splitlines()[1:] if line.startswith("|")]
        columns = [column for column in table.columns if not column.hidden]
        body = lines[2: 2 + len(table.frame)]
        for index, line in enumerate(body):
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            for position, column in enumerate(columns):
                found[(table.key, index, column.key)] = cells[position]
    return found


def same(expected, value) -> bool:
    if value is None:
        return False
    if isinstance(expected, int):
        return int(_number(value) if isinstance(value, str) else value) == expected
    if isinstance(value, float):
        value = Decimal(repr(value))
    elif isinstance(value, str):
        value = _number(value)
        if value is None:
            return False
    return Decimal(value).quantize(expected) == expected


@pytest.mark.parametrize(("name", "month"), CASES, ids=[f"{name}-{month}" for name, month in CASES])
def test_every_total_matches_beanquery_in_every_format(ledgers, name, month):
    path = ledgers[name]
    books = books_of(path)
    assert not books.errors, books.errors[:3]
    report = build_board_report(books, _month(month), generated=dt.date(2026, 3, 15))
    cells = expected_cells(report, books, referee_of(path))
    assert len(cells) > 60
    # The statements tie on the page: net assets at the end of the activities = the financial position.
    end = report.table("activities").row("Net assets at the end of the period")
    position = report.table("position")
    assert end["total"] == report.table("tie_out").row("Total of the fund balances")["amount"]
    assert end["free"] == position.row("Total without donor restrictions")["end"]
    assert end["restricted"] == position.row("With donor restrictions")["end"]
    start = report.table("activities").row("Net assets at the start of the period")
    assert start["free"] == position.row("Total without donor restrictions")["start"]
    assert start["restricted"] == position.row("With donor restrictions")["start"]
    tables = {table.key: table.rows() for table in report.tables()}
    wrong = [(key, value, tables[key[0]][key[1]].get(key[2])) for key, value in cells.items()
             if tables[key[0]][key[1]].get(key[2]) != value]
    assert not wrong, wrong[:5]

    for fmt, reader in (("json", json_cells), ("xlsx", xlsx_cells), ("md", markdown_cells)):
        found = reader(report, render(report, fmt))
        wrong = [(key, value, found.get(key)) for key, value in cells.items() if not same(value, found.get(key))]
        assert not wrong, (fmt, wrong[:5])


def test_json_money_is_exact_decimal_text(ledgers):
    books = books_of(ledgers["demo-1"])
    report = build_board_report(books, dt.date(2026, 2, 1), generated=dt.date(2026, 3, 15))
    data = json.loads(render(report, "json"))
    assert [section["key"] for section in data["sections"]] == [
        "summary", "activities", "budget", "funds", "position", "giving", "expenses", "reconciliation"]
    money = [row[column["key"]] for section in data["sections"] for table in section["tables"]
             for column in table["columns"] if column["kind"] == "money" for row in table["rows"]
             if row.get(column["key"]) is not None]
    assert money and all(isinstance(value, str) and Decimal(value) == Decimal(value).quantize(Decimal("0.01"))
                         and value == format(Decimal(value), "f") for value in money)
    figures = {figure["key"]: figure for section in data["sections"] for figure in section["figures"]}
    assert set(figures) == {"giving_trend", "expenses_month", "expenses_ytd"}
    giving = {row["label"]: row for row in report.table("giving").rows()}
    assert figures["giving_trend"]["series"][1]["values"][0] == format(giving["Jan 2026"]["this_year"], "f")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_pages_carry_heading_and_totals(ledgers, paper, tmp_path):
    books = books_of(ledgers["demo-2"])
    report = build_board_report(books, dt.date(2026, 2, 1), generated=dt.date(2026, 3, 15))
    pdf = tmp_path / "board.pdf"
    pdf.write_bytes(render(report, "pdf", paper))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert books.title in page
        assert "February 2026" in page
        assert f"Page {number} of {len(pages)}" in page
    for table in report.tables():
        for row in table.rows():
            if row["kind"] == "total":
                for column in table.columns:
                    value = row.get(column.key)
                    if column.kind == "money" and isinstance(value, Decimal):  # in print: negatives in parentheses
                        shown = f"({-value:,f})" if value < 0 else format(value, ",f")
                        assert shown in text, (table.key, row["label"], column.key)
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert ("pts (A4)" if paper == "a4" else "pts (letter)") in size


def test_report_names_no_donor(ledgers, tmp_path):
    from tests.reports.conftest import donor_names

    path = ledgers["demo-1"]
    books = books_of(path)
    report = build_board_report(books, dt.date(2026, 2, 1), generated=dt.date(2026, 3, 15))
    names = donor_names(Path(books.root))
    ids = list(books.donors.by_id)
    assert len(names) > 50
    texts = {}
    for fmt in ("json", "md", "html"):
        texts[fmt] = render(report, fmt).decode("utf-8")
    import zipfile

    with zipfile.ZipFile(io.BytesIO(render(report, "xlsx"))) as archive:
        texts["xlsx"] = "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    if shutil.which("pdftotext"):
        pdf = tmp_path / "board.pdf"
        pdf.write_bytes(render(report, "pdf"))
        texts["pdf"] = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    import re

    for fmt, text in texts.items():
        for name in names:
            assert name not in text, (fmt, name)
        for donor in ids:
            assert not re.search(rf"\b{re.escape(donor)}\b", text), (fmt, donor)
    frames = [table.frame for table in report.tables()]
    assert all("donor" not in frame.columns for frame in frames)
