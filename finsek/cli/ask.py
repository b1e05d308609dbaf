"""Asking before what cannot be undone (``finsek close``, ``finsek undo``): a question at the terminal, or ``--yes``.

Without a terminal to ask (a script, a cron job, a pipe) and without
``--yes``, the command refuses and says to add ``--yes``: it never goes ahead
unasked, and never hangs waiting for an answer no one can give.
"""

from __future__ import annotations

import argparse
import sys

from finsek.core.errors import Refused

YES = ("y", "yes", "j", "ja")


def add_yes_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--yes", "-y", action="store_true", help=f"{what} without asking (needed without a terminal)")


def confirmed(question: str, yes: bool, *, without_terminal: str) -> bool:
    """True when ``yes`` (--yes) or the person at the terminal answers yes; False when they answer anything else.

    Refuses with ``without_terminal`` (a sentence saying what would have been
    done) and the advice to add --yes when there is no terminal to ask.
    """
    if yes:
        return True
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise Refused(f"{without_terminal} finsek asks before doing that, and there is no terminal to ask: "
                      "add --yes to go ahead.")
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        print()
        return False
    return answer.strip().casefold() in YES
