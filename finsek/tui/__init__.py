"""The terminal app (Textual): the treasurer's desk over the ledger layer.

``run_app`` is what the ``finsek`` command starts. Every save
goes through ``finsek.ledger.ledger.Ledger.save``; nothing here writes the
ledger files any other way.
"""

from finsek.ledger.ledger import Ledger


def open_app(path, settings, is_demo: bool = False, *, state_dir=None):
    """The app on the ledger at ``path``, its books already being read.

    The read starts in a thread before Textual is imported, so on a warm
    cache it overlaps with the imports (file reads and hashing run outside
    the GIL) instead of waiting for the first screen.
    """
    ledger = Ledger(path, git_autocommit=settings.git_autocommit, state_dir=state_dir, use_cache=True)
    loading = ledger.load_in_background(prime_in_subprocess=True)
    from finsek.tui.app import FinsekApp  # Textual: after the read has started (start-up time)

    return FinsekApp(path, settings, is_demo, state_dir=state_dir, ledger=ledger, loading=loading)


def run_app(path, settings, is_demo: bool = False) -> int:
    """Open the app on the ledger at ``path``; the exit status for the command line."""
    return int(open_app(path, settings, is_demo).run() or 0)
