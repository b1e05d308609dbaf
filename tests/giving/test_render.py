"""Statement files: private, complete, and the address where a window envelope shows it."""

import csv
import dataclasses
import datetime as dt
import json
import re
import shutil
import stat
import subprocess
from decimal import Decimal

import pytest

from finsek.giving.render import render_json, render_markdown, render_pdf, write_statements
from finsek.giving.statements import build_statements
from finsek.ledger.books import load_books

from .conftest import make_church

POINTS_PER_IN = 72
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdftoppm"),
                                   reason="poppler-utils (pdftotext, pdftoppm) is not installed")

MANY_GIFTS = "".join(
    f"""
2025-{month:02d}-{day:02d} * "Gift" "Weekly"
  Assets:Bank:Checking               10.00 USD
  Income:Contributions:Offerings    -10.00 USD
    donor: "D0005"
    method: "online"
"""
    for month in range(1, 13) for day in (3, 10, 17, 24, 28)
)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def statements(church):
    return build_statements(load_books(church), 2025, issued=dt.date(2026, 1, 15))


def test_every_file_is_private(statements, tmp_path):
    out = tmp_path / "out" / "2025"
    written = write_statements(statements, out, ["pdf", "md", "json"])
    keys = [s.key for s in statements.statements]
    assert len(written) == 3 * (1 + len(keys)) + 1
    assert mode(out) == 0o700
    for path in written:
        assert mode(path) == 0o600, path
    for key in keys:
        for suffix in ("pdf", "md", "json"):
            assert (out / f"giving-statement-2025-{key}.{suffix}").exists()
    (out / "giving-statements-2025.pdf").chmod(0o644)
    write_statements(statements, out, ["pdf"])
    assert mode(out / "giving-statements-2025.pdf") == 0o600
    with open(out / "giving-statements-2025-index.csv", encoding="utf-8", newline="") as handle:
        index = list(csv.DictReader(handle))
    assert [row["key"] for row in index] == keys
    assert index[1]["recipient"] == 'Pat "Paddy" O\'Brien, Jr.' and index[1]["total"] == "750.00"


def test_json_is_exact(statements):
    data = json.loads(render_json(statements))
    for item in data["statements"]:
        assert sum(Decimal(line["amount"]) for line in item["lines"]) == Decimal(item["total"])
    assert "Loose cash" not in render_json(statements)


def test_markdown_escapes_names(statements):
    pat = statements.statements[1]
    odd = dataclasses.replace(pat, recipient="A | B *C* [x](y)", address=["#1 <Main>"])
    text = render_markdown(odd)
    assert "A \\| B \\*C\\* \\[x\\](y)" in text
    assert "\\#1 \\<Main\\>" in text
    assert "| **Total (USD)** |" in text and "**750.00**" in text
    assert "### Quid pro quo disclosure" in text
    rows = [line for line in text.splitlines() if line.startswith("| 2025-")]
    assert len(rows) == 4 and all(line.count("|") == 7 for line in rows)


def words(pdf_path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) of every word, from ``pdftotext -bbox``."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    found = []
    for page, chunk in enumerate(html.split("<page ")[1:], 1):
        for match in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)',
                                 chunk):
            found.append((page, *(float(match.group(i)) for i in range(1, 5)), match.group(5)))
    return found


@needs_poppler
def test_letter_address_sits_in_the_window(statements, tmp_path):
    pdf = tmp_path / "pat.pdf"
    pdf.write_bytes(render_pdf([statements.statements[1]]))
    found = words(pdf)
    first = next(w for w in found if w[5] == "Pat")
    assert 0.875 * POINTS_PER_IN <= first[1] <= 0.875 * POINTS_PER_IN + 6
    assert 2 * POINTS_PER_IN <= first[2] <= 2 * POINTS_PER_IN + 10
    last = next(w for w in found if w[5] == "02134")
    window_bottom = (2 + 1.125) * POINTS_PER_IN
    assert last[4] <= window_bottom
    assert last[3] <= (0.875 + 4) * POINTS_PER_IN
    text = " ".join(w[5] for w in found)
    for expected in ("Grace Church of Springfield", "12-3456789", "Jones & Co.", "750.00", "700.00",
                     "Page 1 of 1", "intangible religious benefits"):
        assert expected.replace("&", "&amp;") in text or expected in text, expected


@needs_poppler
def test_a4_address_and_unicode_names(tmp_path):
    books = load_books(make_church(tmp_path / "se", locale="sv_SE", currency="SEK"))
    result = build_statements(books, 2025, donors=["D0005"])
    pdf = tmp_path / "zoe.pdf"
    pdf.write_bytes(render_pdf(result.statements))
    found = words(pdf)
    first = next(w for w in found if w[5] == "Zoë")
    assert 20 / 25.4 * POINTS_PER_IN <= first[1] <= 20 / 25.4 * POINTS_PER_IN + 6
    assert 50 / 25.4 * POINTS_PER_IN <= first[2] <= 50 / 25.4 * POINTS_PER_IN + 10
    assert "Łukasiewicz-Nguyễn" in [w[5] for w in found]
    assert "Gåvobesked" in [w[5] for w in found]


@needs_poppler
def test_long_statements_break_pages_and_number_them(tmp_path):
    books = load_books(make_church(tmp_path / "c", extra=MANY_GIFTS))
    result = build_statements(books, 2025, donors=["D0005", "D0002"])
    pdf = tmp_path / "both.pdf"
    pdf.write_bytes(render_pdf(result.statements))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    footers = [re.search(r"Page (\d+) of (\d+)", page).groups() for page in pages if page.strip()]
    count = len(footers) - 1
    assert count >= 2
    assert footers == [("1", "1")] + [(str(number), str(count)) for number in range(1, count + 1)]
    assert all("(continued)" in page for page in pages[2:] if page.strip())
    assert re.search(r"Total \(USD\)\s+810\.00", "".join(pages[2:]))
    out = tmp_path / "png"
    out.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / "page")], check=True)
    assert len(list(out.glob("page-*.png"))) == count + 1
