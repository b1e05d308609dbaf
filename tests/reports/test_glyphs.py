"""PDF glyph coverage (issue 13 item 8): a name in a script the fonts lack is never dropped silently."""

import datetime as dt

import pytest

from finsek.reports.render import fonts
from tests.cli.test_exit_codes import finsek

pytestmark = pytest.mark.skipif(fonts.font_dir() is None, reason="DejaVu (matplotlib) is missing")


@pytest.fixture(autouse=True)
def _no_system_fallbacks(monkeypatch):
    """As on a machine without CJK fonts, whatever this one has."""
    monkeypatch.setattr(fonts, "fallback_fonts", lambda: ())
    fonts.take_unprintable()
    yield
    fonts.take_unprintable()


def _document():
    from finsek.reports.render.pdfbase import Document

    return Document("a4", title="t", made=dt.date(2026, 11, 27))


def test_what_dejavu_has_prints_unchanged():
    pdf = _document()
    for text in ("Åsa Öst-fonden", "Σοφία Παπαδοπούλου", "Иван Петров", "O'Brien — 12,50 €"):
        assert pdf.clean(text) == text
    assert fonts.take_unprintable() == []


def test_what_no_font_has_is_replaced_visibly_and_remembered():
    pdf = _document()
    assert pdf.clean("王小明") == "\ufffd\ufffd\ufffd"
    assert pdf.clean("Åsa Öst-fonden 教会 🎉") == "Åsa Öst-fonden \ufffd\ufffd \ufffd"
    assert pdf.clean("محمد") == "\ufffd" * 4  # no shaping engine: unjoined, reversed letters would be wrong
    assert fonts.take_unprintable() == ["王小明", "Åsa Öst-fonden 教会 🎉", "محمد"]


def test_a_statement_for_a_donor_named_in_chinese_warns_and_names_them(ledger_path, tmp_path, capsys):
    assert finsek(capsys, "--ledger", ledger_path, "donor", "add", "--name", "王小明")[0] == 0
    assert finsek(capsys, "--ledger", ledger_path, "gift", "--date", "2026-11-22", "--amount", "50",
                  "--donor", "D0005")[0] == 0
    code, _, err = finsek(capsys, "--ledger", ledger_path, "statements", "--year", "2026",
                            "--out", tmp_path / "statements")
    assert code == 0, err
    assert "'王小明'" in err and "printed as \ufffd" in err
    assert list((tmp_path / "statements").glob("*.pdf"))


def test_a_board_pdf_for_an_organisation_named_in_chinese_warns(ledger_path, tmp_path, capsys):
    text = ledger_path.read_text(encoding="utf-8")
    ledger_path.write_text(text.replace('option "title" "Grace Church"', 'option "title" "Åsa Öst-fonden 教会 🎉"'),
                           encoding="utf-8")
    code, _, err = finsek(capsys, "--ledger", ledger_path, "report", "board", "--month", "2026-11",
                          "--format", "pdf", "--out", tmp_path / "board")
    assert code == 0, err
    assert "'Åsa Öst-fonden 教会 🎉'" in err and "Traceback" not in err
    assert list((tmp_path / "board").glob("*.pdf"))
