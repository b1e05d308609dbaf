"""The ``finsek`` command: the parser and the dispatch. Every job has a non-interactive command.

The CLI and the TUI are two faces over the same functions (``finsek.ledger``).
Each family of commands lives in a module of its own that adds its commands
with ``add_commands(subparsers)``; every command's parser sets ``handler`` to
the function that runs it. Exit status (see ``finsek.cli.common``): 0 done,
1 refused, 2 typed wrong. Heavy libraries are imported only when a command
runs, so ``finsek --help`` answers at once.
"""

import argparse
import datetime as dt
import os
import sys

from finsek import __version__
from finsek.cli import app, audit, books, budget, entries, giving, imports, report, serve, sie
from finsek.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_TYPED_WRONG,
    Parser,
    TypedWrong,
    add_ledger_option,
    close_ledgers,
    fail,
    os_error_sentence,
    warn_unprintable,
)
from finsek.core.errors import FinsekError


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="finsek",
        description="The financial secretary's desk: record gifts, offerings and payments in a Beancount "
        "ledger, print board reports and audit the books. Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"finsek {__version__}")
    add_ledger_option(parser)
    parser.set_defaults(handler=app.run_app)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    books.add_commands(commands)
    entries.add_commands(commands)
    report.add_commands(commands)
    giving.add_commands(commands)
    audit.add_commands(commands)
    sie.add_commands(commands)
    imports.add_commands(commands)
    serve.add_commands(commands)
    budget.add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``finsek`` with ``argv`` (default: the process's arguments); return the exit status."""
    return run(build_parser().parse_args(argv))


def run(args: argparse.Namespace, *, today: dt.date | None = None) -> int:
    """Run the command ``args`` was parsed for; a refusal becomes one ``finsek:`` line and its exit status.

    ``today`` (for tests) is passed to the commands whose results depend on the date.
    """
    try:
        return args.handler(args) if today is None else args.handler(args, today=today)
    except TypedWrong as error:
        return fail(error.message, EXIT_TYPED_WRONG)
    except FinsekError as error:
        return fail(error.message, EXIT_REFUSED)
    except KeyboardInterrupt:
        return fail("Stopped; nothing was saved.", EXIT_REFUSED)
    except BrokenPipeError:
        # The reader of the output went away (``finsek ... | head``): stop quietly, as other tools do.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces the closed pipe until exit
        return EXIT_OK
    except OSError as error:  # a file or folder finsek could not read or write, said in one line
        return fail(os_error_sentence(error), EXIT_REFUSED)
    finally:
        close_ledgers()
        warn_unprintable()
