"""``check_output``: the one rule every writer of reports asks before writing."""

import pytest

from finsek.core.errors import Refused
from finsek.ledger.ledger import Ledger
from finsek.ledger.outputs import check_output, is_ledger_file


def test_the_ledgers_files_under_any_spelling(ledger_path, tmp_path):
    books = Ledger(ledger_path).books
    root = ledger_path.parent
    for path in (root / "2026.beancount", root / "main.beancount", root / "donors.csv", root / ".finsek.lock",
                 root / ".finsek-journal", root / "documents" / "2026" / "x.pdf",
                 root / "documents" / ".." / "accounts.beancount"):
        assert is_ledger_file(path, books), path
        with pytest.raises(Refused, match="is one of the ledger's files: choose another --out"):
            check_output(path, books, force=True, named_by_finsek=True)
    hard = tmp_path / "hard.md"
    hard.hardlink_to(root / "2026.beancount")
    assert is_ledger_file(hard, books)
    for path in (root / "board.pdf", tmp_path / "2026.beancount", root / "reports" / "x.md"):
        assert not is_ledger_file(path, books), path


def test_an_existing_file(ledger_path, tmp_path):
    books = Ledger(ledger_path).books
    mine = tmp_path / "reports" / "mine.md"
    mine.parent.mkdir()
    mine.write_text("mine")
    with pytest.raises(Refused, match="already exists: choose another --out, or add --force"):
        check_output(mine, books)
    check_output(mine, books, force=True)
    check_output(mine, books, named_by_finsek=True)
    check_output(mine, books, reports_folder=tmp_path / "reports")
    check_output(tmp_path / "new.md", books)


def test_the_apps_export_refuses_before_writing_anything(ledger_path):
    from functools import partial

    from finsek.reports.adhoc import build_report
    from finsek.reports.render import export

    books = Ledger(ledger_path).books
    report = build_report("activities", books, None, None)
    documents = ledger_path.parent / "documents"
    with pytest.raises(Refused):
        export(report, documents / "2026", ("md", "json"), check=partial(check_output, books=books))
    assert not (documents / "2026").exists()
