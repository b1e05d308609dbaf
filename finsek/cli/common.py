"""Which ledger a command works on, shared by every command-line module.

``--ledger`` wins, then ``FINSEK_LEDGER``, then the settings file, then the
demo ledger in the user's data folder, generated on first use.
"""

import sys
from pathlib import Path


def ensure_demo(path: Path) -> None:
    if path.exists():
        return
    from finsek.demo import generate_demo

    print(f"finsek: no ledger is configured; creating a demo church ledger in {path.parent} ...", file=sys.stderr)
    generate_demo(path.parent)


def ledger_path(ledger_arg: str | None, settings) -> tuple[Path, bool]:
    from finsek.config import resolve_ledger

    path, is_demo = resolve_ledger(ledger_arg, settings)
    if is_demo:
        ensure_demo(path)
    return path, is_demo


def open_ledger(args, settings=None):
    """The ``Ledger`` a command works on (``args.ledger`` may be missing or None)."""
    from finsek.config import load_settings
    from finsek.ledger.ledger import Ledger

    settings = settings or load_settings()
    for warning in settings.warnings:
        print(f"finsek: {warning}", file=sys.stderr)
    path, _ = ledger_path(getattr(args, "ledger", None), settings)
    return Ledger(path, git_autocommit=settings.git_autocommit)
