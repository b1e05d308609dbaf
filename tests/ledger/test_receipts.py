"""Receipts: regular files only, no larger than the limit, checked as the draft is built and again as it is copied."""

import os
from pathlib import Path

import pytest

from finsek.config import RECEIPT_MAX_MB, load_settings
from finsek.core.errors import Refused
from finsek.ledger import entries
from finsek.ledger.entries import Attachment, PaymentInput, build_payment
from finsek.ledger.ledger import Ledger
from tests.conftest import TODAY

BASE = {"date": "2026-11-03", "payee": "City Power", "amount": "182.40", "account": "Expenses:Facilities:Utilities"}


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder of the ledger with its bytes; the lock a save takes says only who took it last."""
    return {str(path.relative_to(folder)): (None if path.is_dir() or path.name == ".finsek.lock"
                                            else path.read_bytes())
            for path in sorted(folder.rglob("*"))}


@pytest.fixture
def ledger(ledger_path):
    return Ledger(ledger_path)


def refused(ledger, receipt, expect, **more):
    before = snapshot(ledger.root)
    with pytest.raises(Refused) as caught:
        build_payment(ledger.books, PaymentInput(**BASE, receipt=str(receipt), **more), today=TODAY)
    assert expect in caught.value.message and caught.value.field == "receipt", caught.value.message
    assert snapshot(ledger.root) == before
    return caught.value.message


def test_a_folder_a_fifo_a_device_and_proc_are_refused(ledger, tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    assert refused(ledger, folder, "is a folder: choose the receipt file inside it.") == (
        f"{folder} is a folder: choose the receipt file inside it.")
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    refused(ledger, fifo, "is not a regular file: choose the scanned receipt itself.")
    refused(ledger, "/dev/null", "is not a regular file")
    refused(ledger, "/proc/self/status", "is not a regular file")
    link = tmp_path / "status.pdf"
    link.symlink_to("/proc/self/status")
    refused(ledger, link, "is not a regular file")


def test_a_receipt_over_the_limit(ledger, tmp_path):
    big = tmp_path / "big.pdf"
    big.write_bytes(b"x" * (3 * 1024 * 1024 // 2))
    message = refused(ledger, big, "over the limit", receipt_max_mb=1)
    assert message == (f"The receipt file {big} is 1.5 MB, over the limit of 1 MB: scan it smaller, or raise "
                       "receipt_max_mb in the settings file.")
    draft = build_payment(ledger.books, PaymentInput(**BASE, receipt=str(big), receipt_max_mb=2), today=TODAY)
    ledger.save(draft)
    assert (ledger.root / draft.attachments[0].relative).read_bytes() == big.read_bytes()


def test_checked_again_just_before_the_copy(ledger, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 receipt")
    draft = build_payment(ledger.books, PaymentInput(**BASE, receipt=str(scan), receipt_max_mb=1), today=TODAY)
    ledger.save(build_payment(ledger.books, PaymentInput(**{**BASE, "date": "2026-11-04"}), today=TODAY))
    before = snapshot(ledger.root)
    scan.write_bytes(b"x" * (2 * 1024 * 1024))  # grew after the draft was built
    with pytest.raises(Refused, match="is 2 MB, over the limit of 1 MB"):
        ledger.save(draft)
    assert snapshot(ledger.root) == before
    scan.unlink()
    os.mkfifo(scan)  # swapped for a pipe: refused, not a save that hangs
    with pytest.raises(Refused, match="is not a regular file"):
        ledger.save(draft)
    assert snapshot(ledger.root) == before


def test_a_file_that_grows_during_the_copy_is_refused(ledger, tmp_path, monkeypatch):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"x" * 100)
    draft = build_payment(ledger.books, PaymentInput(**BASE, receipt=str(scan)), today=TODAY)
    small = draft._replace(attachments=(Attachment(draft.attachments[0].source, draft.attachments[0].relative, 10),))
    ledger.save(build_payment(ledger.books, PaymentInput(**{**BASE, "date": "2026-11-04"}), today=TODAY))
    (ledger.root / "documents" / "2026").mkdir(parents=True, exist_ok=True)
    before = snapshot(ledger.root)
    monkeypatch.setattr("finsek.ledger.ledger.receipt_refusal",
                        lambda source, max_bytes, size=None, mode=None: None)  # stat said it was small
    with pytest.raises(Refused, match="changed as it was copied"):
        ledger.save(small)
    assert snapshot(ledger.root) == before


def test_the_setting(tmp_path):
    assert entries.RECEIPT_MAX_MB == RECEIPT_MAX_MB == 50
    assert load_settings(tmp_path / "none.toml").receipt_max_mb == 50
    path = tmp_path / "config.toml"
    path.write_text("receipt_max_mb = 5\n")
    assert load_settings(path).receipt_max_mb == 5
    for bad in ('"5"', "0", "-1", "true"):
        path.write_text(f"receipt_max_mb = {bad}\n")
        with pytest.raises(Refused, match="'receipt_max_mb' should be a number of MB above 0"):
            load_settings(path)
