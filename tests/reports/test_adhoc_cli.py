"""Ad-hoc reports (exact against beanquery, any dates) and the ``finsek report`` command."""

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from decimal import Decimal

import pytest

from finsek.cli.main import build_parser, run
from finsek.cli.report import last_month
from finsek.reports.adhoc import build_report
from tests.reports.conftest import books_of, referee_of

ZERO = Decimal(0)
START, END = dt.date(2025, 3, 10), dt.date(2026, 1, 20)


def test_activities_by_fund_match_beanquery_over_any_dates(ledgers):
    path = ledgers["demo-2"]
    books, ref = books_of(path), referee_of(path)
    report = build_report("activities", books, START, END, by_fund=True)
    table = report.table("activities")
    funds = [column.key.split(":", 1)[1] for column in table.columns if column.key.startswith("fund:")]
    assert funds == list(books.funds)
    checked = 0
    for row in table.rows():
        if row["kind"] != "row":
            continue
        sign = -1 if row["account"].startswith("Income") else 1
        for fund in funds:
            assert row[f"fund:{fund}"] == ref.cents(sign * ref.total(row["account"], START, END, fund)), row
            checked += 1
        assert row["actual"] == ref.cents(sign * ref.total(row["account"], START, END))
    assert checked > 40
    income = table.row("Total income")
    assert income["actual"] == ref.cents(-ref.total("Income", START, END))
    assert sum((income[f"fund:{fund}"] for fund in funds), ZERO) == income["actual"]


def test_position_and_funds_by_fund_match_beanquery(ledgers):
    path = ledgers["demo-1"]
    books, ref = books_of(path), referee_of(path)
    position = build_report("position", books, START, END, by_fund=True).table("position")
    for row in position.rows():
        if row["kind"] == "row" and row["account"] in books.funds:
            closing = ref.total(None, None, END, row["account"], "account ~ '^(Income|Expenses|Equity):'")
            assert row["end"] == ref.cents(-closing)
    assert position.row("Total assets")["end"] == ref.cents(ref.total("Assets", None, END))
    funds = build_report("funds", books, START, END)
    total = funds.table("funds").row("All funds")
    assert total["receipts"] == ref.cents(-ref.total("Income", START, END))
    assert total["disbursements"] == ref.cents(ref.total("Expenses", START, END))
    assert funds.table("tie_out").row("Difference")["amount"] == 0


def test_budget_report_by_fund(ledgers):
    path = ledgers["demo-1"]
    books, ref = books_of(path), referee_of(path)
    span = (dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    plain = build_report("budget", books, *span).table("budget")
    offerings = plain.row("Offerings")
    assert offerings["actual"] == ref.cents(-ref.total("Income:Contributions:Offerings", *span))
    assert offerings["budget"] == Decimal("40000.00") * books_scale(books)
    by_fund = build_report("budget", books, *span, by_fund=True).table("budget")
    sections = [row["label"] for row in by_fund.rows() if row["kind"] == "section"]
    assert sections[0] == "General Fund"
    general_total = next(row for row in by_fund.rows() if row["label"] == "Total expenses" and row["fund"] == "general")
    assert general_total["actual"] == ref.cents(ref.total("Expenses", *span, "general"))


def books_scale(books) -> Decimal:
    from finsek.ledger.budgets import parse_budgets

    budgets, _ = parse_budgets(books.entries, "general", "USD")
    yearly = next(b.amount for b in budgets if b.account == "Income:Contributions:Offerings" and b.date.year == 2026)
    return yearly / Decimal("240000.00")


# -- the command --------------------------------------------------------------------------


def _parse(argv):
    return build_parser().parse_args(argv)


def run_report(args, ledger_path, today=None):
    """Run a parsed ``finsek report ...`` on ``ledger_path`` (unless ``--ledger`` was given) as finsek does."""
    if not hasattr(args, "ledger"):
        args.ledger = str(ledger_path)
    return run(args, today=today)


def test_board_command_writes_every_format_into_reports_folder(ledgers, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = _parse(["--ledger", str(ledgers["demo-1"]), "report", "board", "--month", "2026-02"])
    assert args.ledger == str(ledgers["demo-1"])  # --ledger before the command survives
    assert run_report(args, args.ledger, today=dt.date(2026, 3, 15)) == 0
    names = sorted(path.name for path in (tmp_path / "reports").iterdir())
    assert names == [f"grace-community-church-board-2026-02.{ext}" for ext in ("html", "json", "md", "pdf", "xlsx")]
    assert (tmp_path / "reports" / names[3]).read_bytes().startswith(b"%PDF")
    html = (tmp_path / "reports" / names[0]).read_text(encoding="utf-8")
    assert html.count("<svg") == 3
    assert not re.search(r'(src|href)\s*=\s*"?https?:|url\((?!#)|@import|<script|<link', html)  # nothing fetched
    assert "Board report for Grace Community Church, February 2026" in capsys.readouterr().out


def test_board_command_honours_reports_dir_setting_and_formats(ledgers, tmp_path, _isolated_user_dirs):
    (_isolated_user_dirs / "config.toml").write_text(f'reports_dir = "{tmp_path / "board"}"\n', encoding="utf-8")
    args = _parse(["report", "board", "--format", "json,md", "--paper", "a4"])
    assert run_report(args, ledgers["demo-1"], today=dt.date(2026, 3, 1)) == 0
    assert sorted(p.name for p in (tmp_path / "board").iterdir()) == [
        "grace-community-church-board-2026-02.json", "grace-community-church-board-2026-02.md"]


def test_adhoc_commands_print_text_formats(ledgers, capsys):
    path = ledgers["demo-1"]
    args = _parse(["report", "activities", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "csv"])
    assert run_report(args, path) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    total = next(row for row in rows if row["label"] == "Total income")
    ref = referee_of(path)
    assert Decimal(total["actual"]) == ref.cents(-ref.total("Income", dt.date(2026, 1, 1), dt.date(2026, 1, 31)))
    args = _parse(["report", "funds", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "json"])
    assert run_report(args, path) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["report"] == "funds" and data["sections"][0]["tables"][0]["rows"][-1]["label"] == "All funds"
    args = _parse(["report", "position", "--to", "2026-01-31", "--by-fund"])
    assert run_report(args, path) == 0
    assert "| **Total net assets** |" in capsys.readouterr().out


def test_adhoc_xlsx_goes_to_a_file(ledgers, tmp_path, capsys):
    from openpyxl import load_workbook

    target = tmp_path / "budget.xlsx"
    args = _parse(["report", "budget", "--from", "2026-01-01", "--to", "2026-02-28", "--format", "xlsx",
                   "--out", str(target)])
    assert run_report(args, ledgers["demo-1"]) == 0
    sheet = load_workbook(target)["Budget"]
    values = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] == "Total income"]
    assert isinstance(values[0][1], float | int)


def test_usage_errors(ledgers, capsys):
    path = ledgers["demo-1"]
    assert run_report(_parse(["report", "board", "--month", "2026-13"]), path) == 2
    assert "is not a month" in capsys.readouterr().err
    assert run_report(_parse(["report", "board", "--format", "pdf,docx"]), path) == 2
    assert "docx" in capsys.readouterr().err
    assert run_report(_parse(["report", "activities", "--from", "2026-02-01", "--to", "2026-01-01"]), path) == 1
    assert "swap" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _parse(["report", "activities", "--format", "pdfx"])
    assert last_month(dt.date(2026, 1, 1)) == dt.date(2025, 12, 1)


def test_report_command_module_is_light():
    code = ("import sys, finsek.cli.report, finsek.reports; "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'fpdf', 'openpyxl', 'numpy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
