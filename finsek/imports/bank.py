"""Any bank statement file into one ``Statement``: the format named, or found from the file's first bytes."""

from pathlib import Path

from finsek.core.errors import Refused
from finsek.imports.bank_csv import CsvProfile, read_csv_statement
from finsek.imports.camt053 import is_camt053, read_camt053
from finsek.imports.ofx import is_ofx, read_ofx
from finsek.imports.statement import Statement

FORMATS = ("csv", "camt053", "ofx")


def detect_format(path: Path) -> str:
    """``csv``, ``camt053`` or ``ofx``, from the start of the file."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise Refused(f"There is no file {path}: check the name of the bank file.") from None
    except IsADirectoryError:
        raise Refused(f"{path} is a folder: give the bank statement file itself.") from None
    if is_ofx(head):
        return "ofx"
    if is_camt053(head):
        return "camt053"
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        raise Refused(f"{path} is XML but not a camt.053 statement: download the statement as camt.053, "
                      "OFX or CSV.")
    return "csv"


def read_statement(path: Path, fmt: str | None = None, profile: CsvProfile | None = None,
                   account_id: str = "") -> Statement:
    """Read a bank statement; ``fmt`` is one of ``FORMATS`` or None to tell from the file."""
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt == "csv":
        return read_csv_statement(path, profile)
    if fmt == "camt053":
        return read_camt053(path, account_id)
    if fmt == "ofx":
        return read_ofx(path, account_id)
    raise Refused(f"'{fmt}' is not a bank statement format finsek reads: use {', '.join(FORMATS)}.")
