"""The small-congregation rule: no figure the board sees covers fewer than 3 households.

One rule (``finsek.reports.privacy``) for the board report's giving trend and
summary and for ``finsek report givers``; checked here on a plain ledger (no
plugin, no fund registry) with a month of one giving household this year and
a month of two last year, in every format the board report is written in.
"""

import datetime as dt
import io
import json
import shutil
import subprocess
from decimal import Decimal

import pytest

from finsek.giving.givers import givers_report
from finsek.ledger.books import load_books
from finsek.reports import privacy
from finsek.reports.board import build_board_report
from finsek.reports.render import render

DONORS = (
    "id,name,household,address1,address2,postal_code,city,country,email,envelope,notes,alias_of,tax_id\n"
    + "".join(f"D{n:04d},Giver Number{n},H{n:04d},,,,,,,,,,\n" for n in range(1, 7))
)


def gift(day: str, donor: str | None, amount: str) -> str:
    meta = f'\n    donor: "{donor}"' if donor else ""
    return (f'{day} * "Gift"\n  Assets:Bank:Checking  {amount} USD\n'
            f"  Income:Contributions:Tithes  -{amount} USD{meta}\n\n")


#: The one household giving in February 2026, and the two giving in February 2025: amounts no other figure has.
SOLE = "777.77"
PAIR = ("211.11", "122.22")  # 333.33 together


def ledger_text() -> str:
    text = ['option "title" "Tiny Chapel"\noption "operating_currency" "USD"\n\n']
    for account in ("Assets:Bank:Checking", "Income:Contributions:Tithes", "Expenses:Building:Repairs",
                    "Equity:Opening-Balances"):
        text.append(f"2024-01-01 open {account} USD\n")
    text.append("\n")
    for year in (2025, 2026):
        for month in (1, 3):
            for donor in ("D0001", "D0002", "D0003"):
                text.append(gift(f"{year}-{month:02d}-05", donor, "100.00"))
        text.append(gift(f"{year}-03-06", None, "45.00"))  # loose offering: no household
    text.append(gift("2026-02-08", "D0004", SOLE))
    text.append(gift("2025-02-08", "D0005", PAIR[0]))
    text.append(gift("2025-02-09", "D0006", PAIR[1]))
    text.append('2026-03-20 * "Roof"\n  Expenses:Building:Repairs  50.00 USD\n  Assets:Bank:Checking  -50.00 USD\n')
    return "".join(text)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    (folder / "main.beancount").write_text(ledger_text(), encoding="utf-8")
    (folder / "donors.csv").write_text(DONORS, encoding="utf-8")
    loaded = load_books(folder / "main.beancount")
    assert not loaded.errors, loaded.errors
    return loaded


def test_fold_joins_small_neighbours():
    counts = {"a": 5, "b": 1, "c": 0, "d": 4, "e": 2}
    runs = privacy.fold(list("abcde"), lambda run: sum(counts[item] for item in run))
    assert runs == [["a"], ["b", "c", "d", "e"]]  # b joins onward until safe; the small tail e joins back
    assert privacy.fold(["x", "y"], lambda run: len(run)) == [["x", "y"]]  # never enough: one run, caller hides it
    assert privacy.fold([], lambda run: 0) == []
    assert [privacy.too_few(n) for n in range(5)] == [False, True, True, False, False]
    assert privacy.shown(Decimal("5"), 2) == "fewer than 3" and privacy.shown(Decimal("5"), 3) == Decimal("5")


def pdf_strings(report, monkeypatch) -> str:
    """Every text the PDF renderer draws (cells, paragraphs, table cells), joined."""
    from fpdf import FPDF

    drawn: list[str] = []
    for name in ("cell", "multi_cell"):
        original = getattr(FPDF, name)

        def spy(self, *args, _original=original, **kwargs):
            text = kwargs.get("text", args[2] if len(args) > 2 else "")
            drawn.append(str(text))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(FPDF, name, spy)
    payload = render(report, "pdf")
    monkeypatch.undo()
    assert payload.startswith(b"%PDF")
    return "\n".join(drawn)


def test_board_report_never_shows_one_household(books, monkeypatch, tmp_path):
    report = build_board_report(books, dt.date(2026, 3, 1), generated=dt.date(2026, 4, 2))
    giving = report.table("giving")
    rows = giving.rows()
    labels = [row["label"] for row in rows]
    assert "Feb 2026" not in labels and "Feb–Mar 2026" in labels  # February folded into March, the month next to it
    for row in rows:
        for key in ("households", "last_households"):
            assert row[key] in (None, privacy.FEWER) or row[key] == 0 or row[key] >= 3, row
    folded = giving.row("Feb–Mar 2026")
    assert folded["this_year"] == Decimal("1122.77") and folded["households"] == 4  # 3 + the sole household
    assert folded["last_year"] == Decimal("678.33") and folded["last_households"] == 5
    # The figures still add up: the rows of this year sum to the year to date.
    ytd = giving.row("Year to date")
    assert sum(row["this_year"] for row in rows if row["kind"] == "row" and row["this_year"] is not None) \
        == ytd["this_year"] == Decimal("1422.77")
    figure = report.figures()[0]
    assert figure.categories[:2] == ["Jan", "Feb–Mar"]

    sole, pair = Decimal(SOLE), sum(map(Decimal, PAIR))
    secret = {SOLE, "777,77", f"{pair:f}", *PAIR}
    texts = {
        "json": render(report, "json").decode(), "md": render(report, "md").decode(),
        "html": render(report, "html").decode(), "pdf": pdf_strings(report, monkeypatch),
    }
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    texts["xlsx"] = "\n".join(str(cell.value) for sheet in book for line in sheet.iter_rows() for cell in line
                              if cell.value is not None)
    for fmt, text in texts.items():
        for amount in secret:
            assert amount not in text, (fmt, amount)
    numbers = {Decimal(str(cell.value)).quantize(Decimal("0.01")) for sheet in book for line in sheet.iter_rows()
               for cell in line if isinstance(cell.value, int | float | Decimal)}
    assert sole not in numbers and pair not in numbers
    data = json.loads(texts["json"])
    series = [value for section in data["sections"] for fig in section["figures"] for line in fig["series"]
              for value in line["values"]]
    assert series and SOLE not in series and f"{pair:f}" not in series
    if shutil.which("pdftotext"):  # the PDF as a reader sees it, when poppler is installed
        path = tmp_path / "board.pdf"
        path.write_bytes(render(report, "pdf"))
        seen = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "Feb–Mar 2026" in seen or "Feb-Mar 2026" in seen
        assert not any(amount in seen for amount in secret)


def test_one_household_in_the_whole_year(tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    text = ('option "title" "One Family"\noption "operating_currency" "USD"\n'
            "2026-01-01 open Assets:Bank:Checking USD\n2026-01-01 open Income:Contributions USD\n"
            + gift("2026-01-04", "D0001", "640.00").replace("Income:Contributions:Tithes", "Income:Contributions"))
    (folder / "main.beancount").write_text(text, encoding="utf-8")
    (folder / "donors.csv").write_text(DONORS, encoding="utf-8")
    books = load_books(folder / "main.beancount")
    report = build_board_report(books, dt.date(2026, 2, 1))
    rows = report.table("giving").rows()
    assert all(row["this_year"] in (None, privacy.FEWER) for row in rows)
    assert report.table("giving").row("Year to date")["households"] == privacy.FEWER
    sentence = next(text for text in report.summary if text.startswith("Giving this fiscal year"))
    assert "640" not in sentence and "from fewer than 3 households" in sentence
    assert "640" not in json.dumps([fig.series[1].values for fig in report.figures() if fig.key == "giving_trend"],
                                   default=str)


def test_givers_uses_the_same_rule(books):
    report = givers_report(books, 2026)
    for band in report.bands:
        assert band.households == 0 or band.households >= privacy.MIN_HOUSEHOLDS, band
    # 100 + 100 (Jan, Mar) from three households, 777.77 from one: the lone band is joined to its neighbour.
    assert [(band.label, band.households) for band in report.bands if band.households] == [
        ("100 and more", 4)]
    assert report.total == Decimal("1377.77")


def test_givers_command_shows_no_small_group(books, capsys):
    from finsek.cli.main import main

    for fmt in ("text", "json", "csv"):
        assert main(["report", "givers", "--year", "2026", "--format", fmt, "--ledger",
                     str(books.root / "main.beancount")]) == 0
        out = capsys.readouterr().out
        assert SOLE not in out and "500 to under 1,000" not in out, (fmt, out)
    assert main(["report", "givers", "--year", "2025", "--ledger", str(books.root / "main.beancount")]) == 0
    out = capsys.readouterr().out
    assert not any(amount in out for amount in PAIR) and "333.33" not in out
