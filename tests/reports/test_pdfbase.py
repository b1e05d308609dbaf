"""The document every PDF starts from: paper, font (and its fallback), fitting text, numbering runs of pages."""

import datetime as dt

import pytest

from finsek.reports.render.fonts import Fonts, font_dir
from finsek.reports.render.pdfbase import Document, Frame

MADE = dt.date(2026, 3, 15)


def document(**options) -> Document:
    return Document(options.pop("paper", "a4"), title="Test", made=MADE, **options)


def test_paper_sizes_and_unknown_paper():
    assert round(document(paper="Letter", fonts=Fonts({})).w, 1) == 215.9
    assert round(document(paper="a4", fonts=Fonts({})).h) == 297
    with pytest.raises(ValueError, match="a4, letter"):
        document(paper="legal", fonts=Fonts({}))


def test_unicode_font_is_found_and_prints_any_name():
    assert font_dir() is not None
    pdf = document()
    assert pdf.unicode and pdf.face == "DejaVu"
    assert pdf.clean("Zoë Łukasiewicz-Nguyễn — 1\u00a0000 kr") == "Zoë Łukasiewicz-Nguyễn — 1\u00a0000 kr"


def test_without_the_font_helvetica_prints_plain_stand_ins():
    pdf = document(fonts=Fonts({}), frame=Frame("Łódź Church", "Board report · May 2026", MADE))
    assert not pdf.unicode and pdf.face == "Helvetica"
    assert pdf.clean("Łódź — café… · 1\u00a0000") == "?ód? - café... - 1 000"
    pdf.add_page()
    pdf.heading("Summary", 13, before=3, after=2)
    pdf.paragraphs(["Łódź → café"], 9.5, line=5, gap=1.2, bullet=5)
    with pdf.grid([40, 20], [False, True], 4, 220, width=60) as grid:
        for cells in (("Fund", "Amount"), ("Général", "1,000.00")):
            row = grid.row()
            for cell in cells:
                row.cell(pdf.clean(cell))
    pdf.notes(["A note — in small print."], "I", before=1)
    assert bytes(pdf.output()).startswith(b"%PDF")


def test_fit_cuts_with_an_ellipsis_to_the_width():
    pdf = document()
    pdf.font(10)
    assert pdf.fit("Grace Church", 80) == "Grace Church"
    cut = pdf.fit("Grace Community Church of Springfield and the Surrounding Villages", 40)
    assert cut.endswith("…") and not cut.endswith(" …")
    assert pdf.get_string_width(cut) <= 39


def test_number_pages_numbers_each_run_on_its_own():
    pdf = document(bottom=None)
    seen = []
    for pages in (2, 3):
        pdf.add_page()
        first = pdf.page_no()
        for _ in range(pages - 1):
            pdf.add_page()
        pdf.number_pages(first, lambda number, count: seen.append((pdf.page, number, count)))
        assert pdf.page == pdf.page_no()
    assert seen == [(1, 1, 2), (2, 2, 2), (3, 1, 3), (4, 2, 3), (5, 3, 3)]


def test_a_subset_lives_in_a_private_folder_until_closed():
    with Fonts.subset(["Zoë Łukasiewicz"]) as fonts:
        folder = fonts.folder
        assert folder is not None and set(fonts.files) == {"", "B"}
        assert all(path.parent == folder and path.stat().st_size < 200_000 for path in fonts.files.values())
        pdf = document(fonts=fonts)
        pdf.add_page()
        pdf.font(10, "B")
        pdf.cell(50, 5, pdf.clean("Zoë Łukasiewicz"))
        assert bytes(pdf.output()).startswith(b"%PDF")
    assert not folder.exists()
