"""``finsek payment --receipt``: a folder, a pipe or a file over the limit is refused, and the ledger is unchanged."""

import os
from pathlib import Path

import pytest

from finsek.cli.main import main


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {str(path.relative_to(folder)): (None if path.is_dir() else path.read_bytes())
            for path in sorted(folder.rglob("*"))}


def pay(capsys, ledger_path, receipt):
    code = main(["--ledger", str(ledger_path), "payment", "--date", "2026-11-03", "--payee", "City Power",
                 "--amount", "182.40", "--account", "Expenses:Facilities:Utilities", "--receipt", str(receipt)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("kind", ["folder", "fifo", "large"])
def test_a_receipt_that_is_not_a_scanned_file_is_refused(ledger_path, tmp_path, capsys, monkeypatch, kind):
    receipt = tmp_path / "scans"
    if kind == "folder":
        receipt.mkdir()
        expect = f"finsek: {receipt} is a folder: choose the receipt file inside it.\n"
    elif kind == "fifo":
        os.mkfifo(receipt)
        expect = f"finsek: {receipt} is not a regular file: choose the scanned receipt itself.\n"
    else:
        config = tmp_path / "config.toml"
        config.write_text("receipt_max_mb = 0.5\n")
        monkeypatch.setenv("FINSEK_CONFIG", str(config))
        receipt.write_bytes(b"x" * 1024 * 1024)
        expect = (f"finsek: The receipt file {receipt} is 1 MB, over the limit of 0.5 MB: scan it smaller, "
                  "or raise receipt_max_mb in the settings file.\n")
    before = snapshot(ledger_path.parent)
    code, out, err = pay(capsys, ledger_path, receipt)
    assert (code, out, err) == (1, "", expect)
    assert snapshot(ledger_path.parent) == before


def test_a_receipt_under_the_limit_is_copied(ledger_path, tmp_path, capsys):
    receipt = tmp_path / "bill.pdf"
    receipt.write_bytes(b"%PDF-1.4 bill")
    code, _, err = pay(capsys, ledger_path, receipt)
    assert code == 0, err
    assert (ledger_path.parent / "documents" / "2026" / "2026-11-03-city-power.pdf").read_bytes() == b"%PDF-1.4 bill"
