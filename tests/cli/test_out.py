"""``--out`` never writes over the books, and never over a file finsek did not write without ``--force``."""

from pathlib import Path

import pytest

from finsek.cli.main import main


def finsek(capsys, *argv):
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder``, with its bytes (None for a folder)."""
    return {str(path.relative_to(folder)): (None if path.is_dir() else path.read_bytes())
            for path in sorted(folder.rglob("*"))}


@pytest.fixture
def books(ledger_path, tmp_path, monkeypatch, capsys):
    """A ledger with a gift in it; the working folder (and so ./reports) outside the ledger."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, _, err = finsek(capsys, "--ledger", ledger_path, "gift", "--date", "2026-11-22", "--amount", "50",
                          "--donor", "D0001", "--method", "cash")
    assert code == 0, err
    (ledger_path.parent / "documents" / "2026").mkdir(parents=True, exist_ok=True)
    (ledger_path.parent / "documents" / "2026" / "receipt.pdf").write_bytes(b"%PDF receipt")
    return ledger_path


def refused(capsys, books, *argv, expect="is one of the ledger's files: choose another --out."):
    before = snapshot(books.parent)
    code, out, err = finsek(capsys, "--ledger", books, *argv)
    assert code == 1, (out, err)
    assert err.startswith("finsek: ") and err.count("\n") == 1 and expect in err, err
    assert snapshot(books.parent) == before
    return err


@pytest.mark.parametrize("fmt, target", [
    ("md", "2026.beancount"),
    ("pdf", "main.beancount"),
    ("csv", "donors.csv"),
    ("md", "accounts.beancount"),
    ("md", "documents/2026/receipt.pdf"),
    ("md", "documents/2026/new.md"),
    ("md", ".finsek-journal"),
    ("md", ".finsek.lock"),
])
def test_report_out_never_writes_a_ledger_file(books, capsys, fmt, target):
    err = refused(capsys, books, "report", "activities", "--format", fmt, "--out", books.parent / target)
    assert target.split("/")[-1] in err
    refused(capsys, books, "report", "activities", "--format", fmt, "--out", books.parent / target, "--force")


def test_every_spelling_of_a_ledger_file_is_refused(books, capsys, tmp_path, monkeypatch):
    year = books.parent / "2026.beancount"
    link = tmp_path / "innocent.md"
    link.symlink_to(year)
    folder_link = tmp_path / "elsewhere"
    folder_link.symlink_to(books.parent)
    for out in (link, folder_link / "2026.beancount", books.parent / "documents" / ".." / "2026.beancount",
                tmp_path / "work" / ".." / "books" / "donors.csv"):
        refused(capsys, books, "report", "activities", "--out", out, "--force")
    monkeypatch.chdir(books.parent)
    refused(capsys, books, "report", "activities", "--format", "pdf", "--out", "main.beancount")
    refused(capsys, books, "report", "activities", "--out", "./documents/../2026.beancount")
    refused(capsys, books, "report", "activities", "--out", "documents/")


def test_an_existing_file_needs_force(books, capsys, tmp_path):
    mine = tmp_path / "thesis.md"
    mine.write_bytes(b"my own words")
    refused(capsys, books, "report", "activities", "--out", mine,
            expect=f"{mine} already exists: choose another --out, or add --force to replace it.")
    assert mine.read_bytes() == b"my own words"
    code, out, _ = finsek(capsys, "--ledger", books, "report", "activities", "--out", mine, "--force")
    assert code == 0 and out == f"Wrote {mine}\n" and mine.read_bytes() != b"my own words"


def test_a_report_finsek_wrote_is_replaced(books, capsys, tmp_path):
    # In the reports folder (./reports by default), by name or not.
    for _ in range(2):
        code, _, err = finsek(capsys, "--ledger", books, "report", "activities", "--format", "html")
        assert code == 0, err
    named = tmp_path / "work" / "reports" / "mine.md"
    for _ in range(2):
        code, _, err = finsek(capsys, "--ledger", books, "report", "activities", "--out", named)
        assert code == 0, err
    # In a folder given with --out, under the report's own name.
    folder = tmp_path / "out"
    folder.mkdir()
    for _ in range(2):
        code, _, err = finsek(capsys, "--ledger", books, "report", "activities", "--format", "json",
                                "--out", folder)
        assert code == 0, err
    assert len(list(folder.iterdir())) == 1


def test_board_report_out(books, capsys, tmp_path):
    refused(capsys, books, "report", "board", "--month", "2026-11", "--format", "md", "--out",
            books.parent / "documents")
    folder = tmp_path / "board"
    for _ in range(2):
        code, _, err = finsek(capsys, "--ledger", books, "report", "board", "--month", "2026-11", "--format",
                              "md,json", "--out", folder)
        assert code == 0, err


def test_audit_out(books, capsys, tmp_path):
    refused(capsys, books, "audit", "--format", "md,json", "--out", books.parent / "documents" / "2026")
    folder = tmp_path / "audit"
    for _ in range(2):
        code, _, err = finsek(capsys, "--ledger", books, "audit", "--format", "md,json", "--out", folder)
        assert code in (0, 1) and "Could not" not in err and "already exists" not in err
    assert len(list(folder.iterdir())) == 2


def test_statements_out(books, capsys, tmp_path):
    refused(capsys, books, "statements", "--year", "2026", "--format", "md", "--out", books.parent / "documents")
    folder = tmp_path / "statements"
    for _ in range(2):
        code, _, err = finsek(capsys, "--ledger", books, "statements", "--year", "2026", "--format", "md",
                              "--out", folder)
        assert code == 0, err


def test_donor_list_out(books, capsys, tmp_path):
    refused(capsys, books, "donor", "list", "--format", "csv", "--out", books.parent / "donors.csv", "--force")
    refused(capsys, books, "donor", "list", "--format", "csv", "--out", books.parent / "documents" / "d.csv")
    mine = tmp_path / "list.csv"
    mine.write_text("keep me")
    refused(capsys, books, "donor", "list", "--format", "csv", "--out", mine, expect="add --force to replace it")
    assert mine.read_text() == "keep me"
    code, _, err = finsek(capsys, "--ledger", books, "donor", "list", "--format", "csv", "--out", mine, "--force")
    assert code == 0, err
    assert mine.read_text().startswith("id,")
