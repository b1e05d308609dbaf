"""Text from the ledger never becomes a formula in a CSV or XLSX, nor markup in Markdown.

One ledger whose organisation title, a fund's title, a payee and the donors'
names hold the usual payloads; every export finsek writes is read back (CSV
through ``csv``, XLSX through openpyxl, Markdown as text).
"""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from finsek.cli.main import main
from finsek.core.text import markdown_text, sheet_text
from tests.giving.conftest import DONORS, make_church

FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\tTab",
]
MARKUP = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) *bold* `code`"
ORGANISATION = '=HYPERLINK("http://x","y") Church & <b>Co</b>'
FUND_TITLE = '=HYPERLINK("http://evil","Fund") ' + MARKUP
PAYEE = "# " + MARKUP
EVIL_DONORS = [dict(id=f"D01{index:02d}", name=name, household="", city="=1+2") for index, name in
               enumerate(FORMULAS)]

QUOTED_FUND_TITLE = FUND_TITLE.replace('"', '\\"')
EXTRA = f"""
2025-01-01 custom "fund" "evil" "{QUOTED_FUND_TITLE}" "designated"

2025-02-02 * "{PAYEE}" "Paid out of the evil fund"
  Expenses:Facilities:Utilities   5000.00 USD
    fund: "evil"
  Assets:Bank:Checking           -5000.00 USD

2025-02-03 * "Gift" "Into the evil fund"
  Assets:Bank:Checking             500.00 USD
  Income:Contributions:Designated  -500.00 USD
    fund: "evil"
    donor: "D0100"
    method: "check"
""" + "".join(f"""
2025-03-0{index + 1} * "Gift" "From an awkward name"
  Assets:Bank:Checking              10.00 USD
  Income:Contributions:Offerings   -10.00 USD
    donor: "{donor['id']}"
    method: "check"

2025-01-01 custom "pledge" "{donor['id']}" "evil" 100.00 USD
""" for index, donor in enumerate(EVIL_DONORS))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    import tests.giving.conftest as giving

    folder = tmp_path_factory.mktemp("inject") / "church"
    main_file = make_church(folder, extra=EXTRA)
    giving.write_donors(folder, DONORS + EVIL_DONORS)
    text = main_file.read_text(encoding="utf-8")
    main_file.write_text(text.replace('"Grace Church of Springfield"',
                                      '"' + ORGANISATION.replace('"', '\\"') + '"'), encoding="utf-8")
    return main_file


def finsek(capsys, *argv) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def no_formula_text(value: str) -> bool:
    """A CSV cell a spreadsheet reads as text: not starting with = + - @ tab or CR."""
    return not value.startswith(("=", "+", "-", "@", "\t", "\r"))


# -- the two guards ----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [*FORMULAS, "\rCR", "\nNL"])
def test_sheet_text_quotes_what_a_spreadsheet_would_take_for_a_formula(payload):
    assert sheet_text(payload) == "'" + payload
    assert sheet_text("Anna Svensson") == "Anna Svensson"
    assert sheet_text("") == ""


def test_markdown_text_renders_as_the_literal_text():
    assert markdown_text("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert markdown_text("[x](javascript:alert(1))") == r"\[x\](javascript:alert(1))"
    assert markdown_text("*bold* _it_ `code` a|b ~s~") == r"\*bold\* \_it\_ \`code\` a\|b \~s\~"
    assert markdown_text("# head") == r"\# head"
    assert markdown_text("1. one") == r"1\. one"
    assert markdown_text("- item") == r"\- item"
    assert markdown_text("A & B") == "A &amp; B"
    assert markdown_text("-1,234.50") == "-1,234.50"  # a negative amount is left as it is
    assert markdown_text("line\nbreak") == "line break"


# -- CSV -----------------------------------------------------------------------------------------------


def check_csv(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            assert no_formula_text(cell) or _is_number(cell), (cell, row)
    return rows


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_donor_list_csv(ledger, capsys):
    rows = check_csv(finsek(capsys, "donor", "list", "--format", "csv", "--ledger", str(ledger)))
    names = {row[1] for row in rows}
    for payload in FORMULAS:
        assert "'" + payload in names
    assert any(row[6] == "'=1+2" for row in rows)  # the city too


def test_pledges_csv_keeps_amounts_numbers(ledger, capsys):
    text = finsek(capsys, "report", "pledges", "--all", "--format", "csv", "--ledger", str(ledger),
                  "--date", "2026-01-20")
    rows = check_csv(text)
    header = rows[0]
    names = {row[header.index("name")] for row in rows[1:]}
    for payload in FORMULAS:
        assert "'" + payload in names
    for row in rows[1:]:
        for column in ("pledged", "given", "outstanding"):
            float(row[header.index(column)])


def test_statements_index_csv(ledger, capsys, tmp_path):
    out = tmp_path / "statements"
    finsek(capsys, "statements", "--year", "2025", "--format", "json", "--out", str(out), "--ledger", str(ledger),
           "--date", "2026-01-20")
    rows = check_csv((out / "giving-statements-2025-index.csv").read_text(encoding="utf-8"))
    recipients = {row[1] for row in rows}
    for payload in FORMULAS:
        assert "'" + payload in recipients
    for row in rows[1:]:
        float(row[3]), float(row[4])


def test_report_funds_csv(ledger, capsys):
    text = finsek(capsys, "report", "funds", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv",
                  "--ledger", str(ledger))
    rows = check_csv("\n".join(line for line in text.splitlines() if not line.startswith("# ")))
    assert any("'" + FUND_TITLE in row for row in rows)
    assert any(cell.startswith("-") and _is_number(cell) for row in rows for cell in row)  # a negative amount


# -- XLSX ----------------------------------------------------------------------------------------------


def xlsx_cells(path: Path):
    from openpyxl import load_workbook

    book = load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def check_xlsx(path: Path) -> list:
    cells = xlsx_cells(path)
    assert cells
    for cell in cells:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
    texts = [cell.value for cell in cells if cell.data_type == "s"]
    assert FUND_TITLE in texts  # the literal text, no quote added
    assert any(cell.data_type == "n" and cell.value < 0 for cell in cells)  # a negative amount is a number
    return cells


def test_board_xlsx(ledger, capsys, tmp_path):
    finsek(capsys, "report", "board", "--month", "2025-02", "--format", "xlsx,md,html", "--out", str(tmp_path),
           "--ledger", str(ledger))
    cells = check_xlsx(next(tmp_path.glob("*.xlsx")))
    assert any(isinstance(cell.value, str) and cell.value.startswith(ORGANISATION) for cell in cells)
    check_markdown(next(tmp_path.glob("*.md")).read_text(encoding="utf-8"))
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    page = html[html.index("@page"):]
    page = page[:page.index("</style>")]
    assert "&amp;" not in page and "Church & \\3c b\\3e Co" in page


def test_activities_by_fund_xlsx(ledger, capsys, tmp_path):
    target = tmp_path / "activities.xlsx"
    finsek(capsys, "report", "activities", "--by-fund", "--from", "2025-01-01", "--to", "2025-12-31",
           "--format", "xlsx", "--out", str(target), "--ledger", str(ledger))
    check_xlsx(target)


# -- Markdown ------------------------------------------------------------------------------------------


LIVE_LINK = re.compile(r"(?<!\\)\]\(javascript:")


def check_markdown(text: str) -> None:
    assert "<img" not in text and "<b>" not in text
    assert not LIVE_LINK.search(text)
    assert "*bold*" not in text and "`code`" not in text
    assert "\\*bold\\*" in text


def test_adhoc_markdown(ledger, capsys):
    text = finsek(capsys, "report", "activities", "--by-fund", "--from", "2025-01-01", "--to", "2025-12-31",
                  "--ledger", str(ledger))
    check_markdown(text)
    assert "Church &amp; &lt;b&gt;Co&lt;/b&gt;" in text


def test_audit_markdown(ledger):
    from finsek.audit.engine import run_audit
    from finsek.audit.report import build_report, render_markdown
    from finsek.ledger.books import load_books

    books = load_books(ledger)
    report = build_report(books, run_audit(books, dt.date(2025, 1, 1), dt.date(2025, 12, 31),
                                           today=dt.date(2026, 1, 20), git=False))
    text = render_markdown(report)
    assert "<img" not in text and "<b>" not in text and not LIVE_LINK.search(text)
    assert "\\[x\\](javascript:alert(1))" in text
    assert "Church &amp; &lt;b&gt;Co&lt;/b&gt;" in text
