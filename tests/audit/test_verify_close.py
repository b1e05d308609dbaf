"""Without git, the minutes hold each close's digest (board report, finsek close) and --verify-close checks it."""

import datetime as dt
import re

from finsek.ledger.books import load_books
from finsek.reports.board import build_board_report
from tests.audit.conftest import edit, finsek


def _close_october(books, capsys):
    code, out, err = finsek(capsys, "close", "--ledger", books, "--through", "2026-10-31", "--no-git", "--yes")
    assert code == 0, err
    digest = re.search(r"sha256:[0-9a-f]{64}", out)
    assert digest and "For the minutes" in out
    return digest.group()


def year(main):
    return main.parent / "2026.beancount"


def test_the_board_report_of_the_month_prints_the_close_digest(books, capsys, tmp_path):
    digest = _close_october(books, capsys)
    report = build_board_report(load_books(books), dt.date(2026, 10, 1))
    closes = report.section("closes")
    assert digest in " ".join(closes.intro) and "--verify-close 2026-10-31" in " ".join(closes.intro)
    september = build_board_report(load_books(books), dt.date(2026, 9, 1))
    assert all(section.key != "closes" for section in september.sections)
    for fmt in ("md", "pdf"):
        code, _, err = finsek(capsys, "report", "board", "--ledger", books, "--month", "2026-10", "--format", fmt,
                              "--out", tmp_path / "minutes")
        assert code == 0, err
    [markdown] = (tmp_path / "minutes").glob("*.md")
    assert digest in markdown.read_text()


def test_verify_close_matches_the_untouched_books(books, capsys):
    digest = _close_october(books, capsys)
    code, out, _ = finsek(capsys, "audit", "--ledger", books, "--verify-close", "2026-10-31", digest.upper())
    assert code == 0 and "match the digest in the minutes" in out


def test_verify_close_catches_an_edit_with_the_close_line_deleted(books, capsys):
    """Issue 13 item 5 without git: edit a payee in October and delete the close line."""
    digest = _close_october(books, capsys)
    edit(year(books), '"Summit Roofing" "Roof repair"', '"Summit Roofing Inc" "Roof repair"')
    text = year(books).read_text()
    line = next(line for line in text.splitlines() if 'custom "close"' in line)
    year(books).write_text(text.replace(line + "\n", ""))
    before = {p: p.read_bytes() for p in books.parent.rglob("*.beancount")}
    code, _, err = finsek(capsys, "audit", "--ledger", books, "--verify-close", "2026-10-31", digest)
    assert code == 1 and "do NOT match" in err
    assert {p: p.read_bytes() for p in books.parent.rglob("*.beancount")} == before


def test_verify_close_says_when_only_the_close_line_is_gone(books, capsys):
    digest = _close_october(books, capsys)
    text = year(books).read_text()
    line = next(line for line in text.splitlines() if 'custom "close"' in line)
    year(books).write_text(text.replace(line + "\n", ""))
    code, _, err = finsek(capsys, "audit", "--ledger", books, "--verify-close", "2026-10-31", digest)
    assert code == 1 and "no longer has its close line" in err


def test_verify_close_typed_wrong(books, capsys):
    code, _, err = finsek(capsys, "audit", "--ledger", books, "--verify-close", "2026-10-31", "sha256:abc")
    assert code == 2 and "not a close digest" in err
