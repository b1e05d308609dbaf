"""Print an older board member can read: type size, labels, headings, pages, negatives.

The rules are checked on what the renderers draw (every text the PDF puts
on a page, with its size, page and height), not only that a file is made;
on the demo ledgers and on a plain ledger finsek did not create (other
account names, no plugin).
"""

import datetime as dt
import io
import json
import shutil
import subprocess
from decimal import Decimal

import pytest
from fpdf import FPDF

from finsek.config import load_settings
from finsek.core.errors import Refused
from finsek.ledger.books import load_books
from finsek.reports.adhoc import build_report
from finsek.reports.board import build_board_report
from finsek.reports.labels import account_label, account_labels, words
from finsek.reports.render import pdf as pdfmod
from finsek.reports.render import render
from finsek.reports.render.cells import money_text, visible
from finsek.reports.render.pdfbase import MIN_TABLE_PT, PAD, Document
from tests.reports.conftest import books_of

FOOTER = ("Generated ", "Page ")


class Drawn:
    """Everything a PDF renderer draws: (page, text, size in pt, top and bottom in mm), and its pages' shapes."""

    def __init__(self, monkeypatch):
        self.items: list[tuple[int, str, float, float, float]] = []
        self.pages: dict[int, tuple[float, float, float]] = {}  # page: (width, height, break trigger)
        drawn = self

        def spy(name):
            original = getattr(FPDF, name)

            def wrapper(self, *args, **kwargs):
                top = self.y
                result = original(self, *args, **kwargs)
                if not kwargs.get("dry_run"):
                    text = kwargs.get("text", args[2] if len(args) > 2 else "")
                    if str(text).strip():
                        drawn.items.append((self.page, str(text), self.font_size_pt, top, self.y))
                        drawn.pages[self.page] = (self.w, self.h, self.page_break_trigger)
                return result

            return wrapper

        def image(self, *args, **kwargs):
            result = original_image(self, *args, **kwargs)
            top, height = kwargs.get("y"), kwargs.get("h")
            drawn.items.append((self.page, "<image>", 99.0, top, top + height))
            drawn.pages[self.page] = (self.w, self.h, self.page_break_trigger)
            return result

        original_image = FPDF.image
        monkeypatch.setattr(FPDF, "cell", spy("cell"))
        monkeypatch.setattr(FPDF, "multi_cell", spy("multi_cell"))
        monkeypatch.setattr(FPDF, "image", image)

    def page_count(self) -> int:
        return max(page for page, *_ in self.items)

    def fill(self, page: int) -> float:
        """How much of a page's body holds something (0 to 1), from its first drawing to its last."""
        bottoms = [bottom for number, text, _, _, bottom in self.items
                   if number == page and not text.startswith(FOOTER)]
        _, _, trigger = self.pages[page]
        return (max(bottoms) - 18.0) / (trigger - 18.0)


def draw(monkeypatch, report, paper="letter", **options) -> tuple[Drawn, bytes]:
    drawn = Drawn(monkeypatch)
    payload = render(report, "pdf", paper, **options)
    monkeypatch.undo()
    return drawn, payload


# -- labels --------------------------------------------------------------------------------------


def test_account_labels_as_people_say_them():
    assert account_label("Assets:Bank:Checking") == "Checking"
    assert account_label("Expenses:Facilities:Maintenance") == "Facilities: Maintenance"
    assert account_label("Expenses:Administration:BankFees", under="Expenses:Administration") == "Bank Fees"
    assert account_label("Liabilities:Accounts-Payable") == "Accounts Payable"
    assert account_label("Assets:Cash:PettyCash") == "Petty Cash"
    assert account_label("Assets:Cash:Petty") == "Cash: Petty"
    assert account_label("Income:Contributions") == "Contributions"
    assert words("USBankSavings") == "US Bank Savings" and words("Kollekter") == "Kollekter"
    assert account_labels(["Assets:Bank:Checking", "Assets:Current:Checking", "Assets:Bank:Savings"]) == {
        "Assets:Bank:Checking": "Bank: Checking", "Assets:Current:Checking": "Current: Checking",
        "Assets:Bank:Savings": "Savings"}  # two that would read alike keep the generic name


PLAIN = """option "title" "Chapel of the Hills"
option "operating_currency" "USD"
2025-01-01 open Assets:Bank:FirstNational:Operating USD
2025-01-01 open Assets:Cash:PettyCash USD
2025-01-01 open Liabilities:CreditCard:Visa USD
2025-01-01 open Income:Contributions:PlateOffering USD
2025-01-01 open Expenses:BuildingAndGrounds:SnowRemoval USD
2025-01-01 open Expenses:BuildingAndGrounds:Repairs-Roof USD
2025-01-01 open Equity:Opening-Balances USD

2026-01-01 * "Opening"
  Assets:Bank:FirstNational:Operating  5000.00 USD
  Assets:Cash:PettyCash                  100.00 USD
  Equity:Opening-Balances

2026-01-04 * "Plate"
  Assets:Bank:FirstNational:Operating  612.00 USD
  Income:Contributions:PlateOffering

2026-01-09 * "Snow"
  Expenses:BuildingAndGrounds:SnowRemoval  1500.00 USD
  Liabilities:CreditCard:Visa

2026-01-20 * "Roofer"
  Expenses:BuildingAndGrounds:Repairs-Roof  7250.25 USD
  Assets:Bank:FirstNational:Operating

2026-02-01 balance Assets:Bank:FirstNational:Operating  -1638.25 USD
"""


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plain")
    (folder / "main.beancount").write_text(PLAIN, encoding="utf-8")
    books = load_books(folder / "main.beancount")
    assert not books.errors, books.errors
    return build_board_report(books, dt.date(2026, 1, 1), generated=dt.date(2026, 2, 3))


def test_every_renderer_prints_the_same_labels(plain, monkeypatch):
    position = {row["account"]: row["label"] for row in plain.table("position").rows() if row["kind"] == "row"}
    assert position["Assets:Bank:FirstNational:Operating"] == "First National: Operating"
    assert position["Assets:Cash:PettyCash"] == "Petty Cash"
    assert position["Liabilities:CreditCard:Visa"] == "Credit Card: Visa"
    recon = plain.table("reconciliation").row("Assets:Bank:FirstNational:Operating", "account")
    assert recon["label"] == "First National: Operating"
    expenses = {row["label"] for row in plain.table("expenses").rows()}
    assert "Building And Grounds" in expenses
    activities = [row["label"] for row in plain.table("activities").rows()]
    assert {"Building And Grounds", "Snow Removal", "Repairs Roof", "Contributions: Plate Offering"} <= set(activities)
    shown = ["First National: Operating", "Petty Cash", "Credit Card: Visa", "Snow Removal", "Repairs Roof"]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(plain, "xlsx")))
    cells = {str(cell.value) for sheet in book for line in sheet.iter_rows() for cell in line if cell.value}
    drawn, _ = draw(monkeypatch, plain)
    texts = {
        "html": render(plain, "html").decode(), "md": render(plain, "md").decode(),
        "xlsx": "\n".join(cells), "pdf": "\n".join(text for _, text, *_ in drawn.items),
    }
    for fmt, text in texts.items():
        for label in shown:
            assert label in text, (fmt, label)
        for raw in ("Assets:Bank:", "Bank:FirstNational", "Assets:Cash", "Liabilities:CreditCard",
                    "BuildingAndGrounds"):
            assert raw not in text, (fmt, raw)
    data = json.loads(render(plain, "json"))  # the data keeps the ledger's account beside the label
    rows = [row for section in data["sections"] for table in section["tables"] if table["key"] == "reconciliation"
            for row in table["rows"]]
    assert rows[0]["account"] == "Assets:Bank:FirstNational:Operating"
    assert rows[0]["label"] == "First National: Operating"


# -- type size and headings --------------------------------------------------------------------------


def test_no_table_text_below_nine_points(ledgers, monkeypatch):
    report = build_board_report(books_of(ledgers["demo-1"]), dt.date(2026, 2, 1), generated=dt.date(2026, 3, 5))
    drawn, _ = draw(monkeypatch, report)
    small = [(text, size) for _, text, size, *_ in drawn.items if size < MIN_TABLE_PT and not text.startswith(FOOTER)]
    assert not small
    sizes = {size for _, text, size, *_ in drawn.items if text in ("Month actual", "Total income")}
    assert sizes and min(sizes) >= MIN_TABLE_PT


def test_the_pdf_base_raises_small_type_to_nine_points(monkeypatch):
    drawn = Drawn(monkeypatch)
    pdf = Document("a4", title="t", made=dt.date(2026, 1, 1))
    pdf.add_page()
    pdf.font(7)  # as a caller might ask (the audit report's table asked for 7.5)
    with pdf.grid([60, 30], [False, True], 3.0, 220, heading_size=7, width=90) as grid:
        for cells in (("Check", "Count"), ("Offerings", "12")):
            row = grid.row()
            for cell in cells:
                row.cell(cell)
    pdf.notes(["A note under the table."])
    monkeypatch.undo()
    assert {text for _, text, *_ in drawn.items} >= {"Check", "Offerings", "12", "A note under the table."}
    assert min(size for _, _, size, _, _ in drawn.items) >= MIN_TABLE_PT


def test_headings_take_two_lines_at_most(ledgers):
    for name in ("demo-1", "demo-july"):
        report = build_board_report(books_of(ledgers[name]), dt.date(2026, 2, 1))
        pdf = pdfmod._document(report, "letter")
        pdf.add_page()
        for table in report.tables():
            shape = pdfmod.layout(pdf, table, report.locale)
            assert shape.size >= MIN_TABLE_PT
            pdf.font(shape.size, "B")
            for column, width in zip(visible(table), shape.widths, strict=True):
                assert pdfmod._lines(pdf, column.title, width - 2 * PAD) <= 2, (table.key, column.title)


# -- pages ----------------------------------------------------------------------------------------


def test_chunks_never_leave_a_few_rows_alone():
    kinds = ["row"] * 30
    heights = [6.0] * 30
    cut = pdfmod.chunks(heights, kinds, 10, first_room=160, page_room=180, tail=5)
    assert cut[0] == (0, 25) and cut[-1] == (25, 30)
    cut = pdfmod.chunks(heights, kinds, 10, first_room=170, page_room=180, tail=5)  # 26 would fit: 4 stay together
    assert cut == [(0, 26), (26, 30)]
    cut = pdfmod.chunks([6.0] * 28, ["row"] * 28, 10, first_room=170, page_room=180, tail=5)
    assert [end - start for start, end in cut] == [24, 4]  # never fewer than MIN_ROWS on the last page
    kinds = ["row"] * 20 + ["group"] + ["row"] * 9
    cut = pdfmod.chunks([6.0] * 30, kinds, 10, first_room=140, page_room=180, tail=5)
    assert cut[0] == (0, 20)  # a page never ends on a group heading
    kinds = ["row"] * 19 + ["group"] + ["row"] * 10
    cut = pdfmod.chunks([6.0] * 30, kinds, 10, first_room=140, page_room=180, tail=5)
    assert cut[0] == (0, 19)  # the group heading two rows above the break starts the next page with its rows
    assert pdfmod.chunks([6.0] * 10, ["row"] * 10, 10, first_room=25, page_room=180, tail=5) is None


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_no_page_is_mostly_empty(ledgers, monkeypatch, paper):
    for name in ("demo-1", "demo-2"):
        report = build_board_report(books_of(ledgers[name]), dt.date(2026, 2, 1), generated=dt.date(2026, 3, 5))
        drawn, _ = draw(monkeypatch, report, paper)
        pages = drawn.page_count()
        for page in range(1, pages):  # the last page ends where the report ends
            assert drawn.fill(page) >= 0.5, (name, paper, page, round(drawn.fill(page), 2))
        titles = [(page, top) for page, text, size, top, _ in drawn.items if size == 13]
        for page, top in titles:  # no section title at the foot of a page
            _, _, trigger = drawn.pages[page]
            assert trigger - top > 30, (name, page)


def test_the_adhoc_statement_does_not_spill_two_rows(ledgers, monkeypatch):
    books = books_of(ledgers["demo-1"])
    report = build_report("activities", books, dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    drawn, _ = draw(monkeypatch, report)
    rows = len(report.tables()[0].frame)
    if drawn.page_count() > 1:
        last = [text for page, text, *_ in drawn.items if page == drawn.page_count() and not text.startswith(FOOTER)]
        assert len(last) >= pdfmod.MIN_ROWS * 2, last  # the rows carried over, each with its label and amount
    assert rows > 20


def wide_report(count: int):
    """A report of one table: labels and ``count`` columns of six-figure negative amounts."""
    import pandas as pd

    from finsek.reports import model as m

    columns = [m.Column("label", "Category", "text"), m.Column("account", "Account", "text", hidden=True)]
    columns += [m.Column(f"c{n}", f"Column number {n}", "money") for n in range(count)]
    rows = [{"kind": "row", "label": f"Line {index}", "account": f"Expenses:Line{index}",
             **{f"c{n}": Decimal(f"-{index + 1}{n:02d}456.78") for n in range(count)}} for index in range(8)]
    table = m.Table("wide", "A wide statement", columns, pd.DataFrame(rows), ["A note."])
    report = m.Report(kind="activities", title="Wide", organisation="Org", currency="USD", locale="en_US",
                      period_label="2026", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                      generated=dt.date(2026, 12, 31), sections=[m.Section("wide", "Wide", tables=[table])])
    return report, table


def test_wide_statement_gets_landscape_pages_not_small_type(ledgers, monkeypatch):
    report, table = wide_report(7)
    pdf = pdfmod._document(report, "letter")
    pdf.add_page()
    shape = pdfmod.layout(pdf, table, report.locale)
    assert shape.landscape and shape.size >= MIN_TABLE_PT
    assert sum(shape.widths) > pdfmod._page_width(pdf, False)  # it would not fit a portrait page
    drawn, _ = draw(monkeypatch, report)
    page = next(page for page, text, *_ in drawn.items if text == "Category")
    width, height, _ = drawn.pages[page]
    assert width > height
    board = build_board_report(books_of(ledgers["demo-1"]), dt.date(2026, 2, 1))
    for each in board.tables():  # the board report's own tables: at least 9 pt, landscape only when needed
        shape = pdfmod.layout(pdf, each, board.locale)
        assert shape is not None and shape.size >= MIN_TABLE_PT
        assert not shape.landscape or sum(shape.widths) > pdfmod._page_width(pdf, False)


# -- negatives ------------------------------------------------------------------------------------


def test_negatives_in_parentheses_in_print(plain, monkeypatch):
    assert money_text(Decimal("-1234.50"), "en_US", "parentheses") == "(1,234.50)"
    assert money_text(Decimal("-1234.50"), "sv_SE", "parentheses") == "(1\u00a0234,50)"
    assert money_text(Decimal("-1234.50")) == "-1,234.50"
    html = render(plain, "html").decode()
    assert "(1,638.25)" in html and "-1,638.25" not in html  # the overdrawn bank account
    assert "-1,638.25" in render(plain, "html", negatives="minus").decode()
    assert "-1,638.25" in render(plain, "md").decode()  # data formats keep the minus sign
    drawn, _ = draw(monkeypatch, plain)
    texts = [text for _, text, *_ in drawn.items]
    assert "(1,638.25)" in texts and "-1,638.25" not in texts
    drawn, _ = draw(monkeypatch, plain, negatives="minus")
    assert "-1,638.25" in [text for _, text, *_ in drawn.items]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(plain, "xlsx")))
    formats = {cell.number_format for sheet in book for line in sheet.iter_rows() for cell in line
               if isinstance(cell.value, int | float)}
    assert "#,##0.00_);(#,##0.00)" in formats
    with pytest.raises(ValueError):
        render(plain, "pdf", negatives="red")


def test_negatives_setting(tmp_path):
    path = tmp_path / "config.toml"
    assert load_settings(tmp_path / "none.toml").negatives == "parentheses"
    path.write_text('negatives = "minus"\n', encoding="utf-8")
    assert load_settings(path).negatives == "minus"
    path.write_text('negatives = "red"\n', encoding="utf-8")
    with pytest.raises(Refused, match="parentheses"):
        load_settings(path)


def test_pdf_text_as_a_reader_sees_it(plain, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "plain.pdf"
    path.write_bytes(render(plain, "pdf", "letter"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "First National: Operating" in text and "(1,638.25)" in text and "Assets:Bank:" not in text


def test_a_table_too_wide_even_for_landscape_prints_in_blocks_of_columns(monkeypatch):
    import pandas as pd

    from finsek.reports import model as m

    columns = [m.Column("label", "Category", "text"), m.Column("account", "Account", "text", hidden=True)]
    columns += [m.Column(f"c{n}", f"Column number {n}", "money") for n in range(14)]
    rows = [{"kind": "row", "label": f"Line {index}", "account": f"Expenses:Line{index}",
             **{f"c{n}": Decimal(f"-{index + 1}{n:02d}456.78") for n in range(14)}} for index in range(8)]
    frame = pd.DataFrame([{"kind": row["kind"], **row} for row in rows])
    table = m.Table("wide", "A wide statement", columns, frame, ["A note."])
    report = m.Report(kind="activities", title="Wide", organisation="Org", currency="USD", locale="en_US",
                      period_label="2026", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                      generated=dt.date(2026, 12, 31), sections=[m.Section("wide", "Wide", tables=[table])])
    pdf = pdfmod._document(report, "letter")
    pdf.add_page()
    assert pdfmod.layout(pdf, table, "en_US") is None
    pieces = pdfmod.parts(pdf, table, "en_US")
    assert len(pieces) >= 2 and all(shape.size >= MIN_TABLE_PT for _, shape in pieces)
    assert [column.key for piece, _ in pieces for column in visible(piece) if column.key != "label"] == [
        f"c{n}" for n in range(14)]  # every column once, in order, each block with the labels
    assert pieces[1][0].title == "A wide statement (continued)" and pieces[0][0].notes == []
    drawn, payload = draw(monkeypatch, report)
    texts = [text for _, text, *_ in drawn.items]
    assert min(size for _, text, size, *_ in drawn.items if not text.startswith(FOOTER)) >= MIN_TABLE_PT
    assert "(100,456.78)" in texts and "(813,456.78)" in texts
    if shutil.which("pdftotext"):
        seen = subprocess.run(["pdftotext", "-", "-"], input=payload, capture_output=True, check=True).stdout
        assert seen.decode().count("Line 0") == len(pieces)  # the labels repeated beside each block
