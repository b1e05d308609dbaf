"""What every command shares: exit codes, the one error printer, ``--ledger`` and opening the ledger.

Exit status: 0 done, 1 refused (one plain sentence on stderr, nothing
changed), 2 typed wrong (an option, date, month or format the command line
cannot read). Every message goes through :func:`fail` as ``finsek: <message>``.

Which ledger a command works on: ``--ledger`` (before or after the command)
wins, then ``FINSEK_LEDGER``, then the settings file, then the demo ledger in
the user's data folder, generated on first use.

Only the standard library, ``finsek.core.errors`` and ``finsek.core.text`` are imported here, so
``finsek --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from finsek.core.errors import FinsekError, Refused
from finsek.core.text import printable

if TYPE_CHECKING:
    from finsek.config import Settings
    from finsek.ledger.books import Books
    from finsek.ledger.ledger import Ledger

EXIT_OK, EXIT_REFUSED, EXIT_TYPED_WRONG = 0, 1, 2

LEDGER_HELP = "the ledger's main file or folder (else $FINSEK_LEDGER, the settings file, or the demo)"


class TypedWrong(FinsekError):
    """Something typed on the command line that finsek cannot read (exit status 2)."""


def fail(message: str, code: int = EXIT_REFUSED) -> int:
    """Print ``finsek: <message>`` on stderr and return ``code`` (the exit status)."""
    note(message)
    return code


def note(message: str) -> None:
    """Print ``finsek: <message>`` on stderr: a warning or note beside the command's output."""
    print(f"finsek: {printable(message)}", file=sys.stderr)


def os_error_sentence(error: OSError) -> str:
    """An ``OSError`` no command turned into a refusal of its own, as one plain sentence (never a traceback)."""
    where = f" {error.filename}" if error.filename else ""
    reason = error.strerror or type(error).__name__
    return (f"finsek could not use{where} ({reason}): check that it exists and that you may read and write it, "
            "then try again; 'finsek check' shows whether the books are whole.")


@contextmanager
def typed_on_the_command_line() -> Iterator[None]:
    """Turn a ``Refused`` raised while reading an option's text into ``TypedWrong`` (exit status 2)."""
    try:
        yield
    except Refused as error:
        raise TypedWrong(error.message) from None


class Parser(argparse.ArgumentParser):
    """argparse, with its errors printed like every other finsek message (one line, exit status 2)."""

    def error(self, message: str) -> NoReturn:
        fail(f"{message} (see '{self.prog} --help').", EXIT_TYPED_WRONG)
        raise SystemExit(EXIT_TYPED_WRONG)


def add_ledger_option(parser: argparse.ArgumentParser) -> None:
    """``--ledger PATH`` on ``parser``.

    Every parser that has it uses ``SUPPRESS`` as its default: a subcommand's
    default would otherwise overwrite a ``--ledger`` given before the command
    (``finsek --ledger X gift ...``).
    """
    parser.add_argument("--ledger", metavar="PATH", default=argparse.SUPPRESS, help=LEDGER_HELP)


def parse_formats(text: str, allowed: Sequence[str]) -> list[str]:
    """The comma-separated formats in ``text`` (``markdown`` is ``md``); anything else is typed wrong."""
    formats = [part.strip().lower() for part in (text or "").split(",") if part.strip()]
    formats = ["md" if fmt == "markdown" else fmt for fmt in formats]
    unknown = [fmt for fmt in formats if fmt not in allowed]
    if unknown or not formats:
        raise TypedWrong(f"Unknown format '{','.join(unknown) or text}': use some of {','.join(allowed)}.")
    return list(dict.fromkeys(formats))


def load_settings() -> Settings:
    from finsek.config import load_settings as load

    return load()


def ensure_demo(path: Path) -> None:
    """Create the demo ledger whose main file is ``path``, unless it is there already."""
    if path.exists():
        return
    from finsek.demo import generate_demo

    note(f"no ledger is configured; creating a demo church ledger in {path.parent} ...")
    generate_demo(path.parent)


def ledger_path(args: argparse.Namespace, settings: Settings) -> tuple[Path, bool]:
    """The main file of the ledger the command works on, and whether it is the demo (created if missing)."""
    from finsek.config import resolve_ledger

    path, is_demo = resolve_ledger(getattr(args, "ledger", None), settings)
    if is_demo:
        ensure_demo(path)
    return path, is_demo


def open_ledger(args: argparse.Namespace, settings: Settings) -> Ledger:
    """The ``Ledger`` a command works on; prints the settings file's warnings first."""
    from finsek.ledger.ledger import Ledger

    for warning in settings.warnings:
        note(warning)
    path, _ = ledger_path(args, settings)
    ledger = Ledger(path, git_autocommit=settings.git_autocommit, use_cache=True)
    _opened.append(ledger)
    return ledger


#: The ledgers this command opened, so that ``close_ledgers`` can see to them as it ends.
_opened: list[Ledger] = []


def close_ledgers() -> None:
    """As a command ends: say what finsek noticed about each ledger it opened, and leave its cache fresh."""
    while _opened:
        ledger = _opened.pop()
        for warning in ledger.warnings:
            note(warning)
        ledger.leave_cache_fresh()


def warn_unprintable() -> None:
    """As a command ends: name the texts a PDF it made could not print whole (``reports.render.fonts``)."""
    fonts = sys.modules.get("finsek.reports.render.fonts")  # imported only by a command that made a PDF
    if fonts is None:
        return
    texts = fonts.take_unprintable()
    if texts:
        note(fonts.unprintable_warning(texts))


@contextmanager
def writing_files(what: str = "the report") -> Iterator[None]:
    """Turn an ``OSError`` while writing a report's files into a refusal that says so (and where)."""
    try:
        yield
    except OSError as error:
        where = f" to {error.filename}" if error.filename else ""
        raise Refused(f"Could not write {what}{where}: {error.strerror or error}; choose another folder with "
                      "--out, or check that you may write there.") from None


def add_force_option(parser: argparse.ArgumentParser) -> None:
    """``--force``: replace an existing file that finsek did not write as a report (never a ledger's file)."""
    parser.add_argument("--force", action="store_true",
                        help="replace an existing file given with --out (never one of the ledger's files)")


def output_check(books: Books, settings: Settings, force: bool = False) -> Callable[..., None]:
    """The check every writer calls on each file before writing any: ``check(path, named_by_finsek=...)``.

    Refuses a file of the ledger (any spelling of its path), and an existing file
    outside the reports folder that finsek did not name, unless ``force``
    (``finsek.ledger.outputs``).
    """
    # Imported here for start-up time: finsek.ledger is not needed by finsek --help.
    from finsek.ledger.outputs import check_output

    reports = settings.reports_folder()

    def check(path: Path, named_by_finsek: bool = True) -> None:
        check_output(path, books, force=force, named_by_finsek=named_by_finsek, reports_folder=reports)

    return check
