"""Where a report may be written: never over the books, never over a file finsek did not make.

Every writer of reports, audits, statements and donor lists asks
:func:`check_output` for each file before it writes any of them, so a refusal
changes nothing. The rule:

- a file of the ledger is never written over, whatever ``--force`` says: the
  main file and every included file, ``donors.csv``, anything under the
  ledger's ``documents/`` folder and the ``.finsek-*`` files (and
  ``.finsek.lock``). The path is resolved first (``~``, ``..``, symlinks), and
  a hard link to one of them is the same file, so no spelling of it gets through;
- an existing file is replaced only when finsek made up its name (the report's
  own file name, in the folder given with ``--out`` or the reports folder), or
  when it is in the reports folder; any other existing file needs ``--force``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from finsek.core.errors import Refused

if TYPE_CHECKING:
    from finsek.ledger.books import Books


def _resolved(path: Path | str) -> Path:
    return Path(os.path.abspath(Path(path).expanduser())).resolve()


def ledger_files(books: Books) -> set[Path]:
    """The ledger's own files, resolved: the main file, every included file and donors.csv."""
    paths = {_resolved(books.main), _resolved(books.root / "donors.csv")}
    paths.update(_resolved(path) for path in books.files)
    return paths


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def is_ledger_file(path: Path | str, books: Books) -> bool:
    """Whether ``path`` (any spelling) is one of the ledger's files, in its documents/ or a .finsek file."""
    target = _resolved(path)
    root = _resolved(books.root)
    files = ledger_files(books)
    if target in files:
        return True
    if target.is_file() and any(_same_file(target, path) for path in files):  # a hard link to one of them
        return True
    if target == root / "documents" or target.is_relative_to(root / "documents"):
        return True
    return target.parent == root and target.name.startswith(".finsek")


def check_output(
    path: Path | str,
    books: Books,
    *,
    force: bool = False,
    named_by_finsek: bool = False,
    reports_folder: Path | str | None = None,
) -> None:
    """Refuse to write ``path`` when it is a file of the ledger, or an existing file finsek may not replace.

    ``named_by_finsek``: finsek chose the file's name (the report's own name in a
    folder); ``reports_folder``: the folder of the reports setting, where any
    existing file may be replaced.
    """
    if is_ledger_file(path, books):
        raise Refused(f"{path} is one of the ledger's files: choose another --out.")
    target = _resolved(path)
    if target.is_dir():
        raise Refused(f"{path} is a folder: give a file name with --out.")
    if not os.path.lexists(target) or force or named_by_finsek:
        return
    if reports_folder is not None and target.is_relative_to(_resolved(reports_folder)):
        return
    raise Refused(f"{path} already exists: choose another --out, or add --force to replace it.")
