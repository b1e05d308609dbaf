"""``finsek`` without a command: open the app on the ledger (the demo when none is configured)."""

import argparse

from finsek.cli.common import ledger_path, load_settings


def run_app(args: argparse.Namespace) -> int:
    settings = load_settings()
    path, is_demo = ledger_path(args, settings)
    # Textual is imported only now, for start-up time of every other command.
    from finsek.tui import run_app as run

    return run(path, settings, is_demo=is_demo)
