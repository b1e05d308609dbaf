"""The app's audit, run in a process of its own when the books are exactly their cache.

The app audits the books after every load. In the app's own process,
reading 100,000 entries and checking them holds Python's lock for seconds
while the screen wants it; in a child it runs on another core. The child
loads the books from the same fresh cache (so it audits exactly what the
app shows: same key) and hands the result back as a pickle on its standard
output — a pipe between two processes of this program, never a file
another user could write. Exit status 0 with the result; 3 when the cache
no longer holds the parent's books (the parent then audits itself). The
child asks the audit's memo first and remembers what it audits
(``finsek.audit.memo``): it is the one process whose books nothing else can
change while it audits.

    python -m finsek.audit.background LEDGER CACHE_KEY TODAY [--trusted]

A ledger whose plugins the settings do not trust (``finsek.ledger.trust``) is
left to the parent (exit status 3), which refuses it.
"""

import datetime as dt
import os
import pickle
import subprocess
import sys

from finsek.audit import memo
from finsek.audit.engine import AuditResult
from finsek.core import collect
from finsek.ledger import cache, trust
from finsek.ledger.books import main_file

STALE = 3


def audit_elsewhere(books, today: dt.date, timeout: float = 600):
    """The ``AuditResult`` of ``books`` from a child process, or None when that cannot answer for them."""
    if books.cache_state is None or books.cache_key != books.cache_state.key:
        return None  # the cache does not hold these books (a cold load, an undo): the child could not read them
    command = [sys.executable, "-m", "finsek.audit.background", str(books.main), books.cache_key, today.isoformat()]
    if trust.is_trusted(books.root):
        command.append("--trusted")  # the child does not read the settings: it is told
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, env=os.environ.copy(), check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or not done.stdout:
        return None
    try:
        result = pickle.loads(done.stdout)  # our own child, through a pipe: see the module's docstring
    except Exception:  # a child that died mid-write: audit here instead
        return None
    return result if isinstance(result, AuditResult) else None


def main(argv: list[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    ledger, key, today = args[:3]
    if "--trusted" in args[3:]:
        trust.trust([main_file(ledger).parent])
    with collect.paused():  # long-lived data and no garbage: collections would only cost time
        books = cache.fetch_books(main_file(ledger))
        if books is None or books.cache_key != key or trust.refusal(books.main, books.options):
            return STALE  # without loading the ledger with Beancount: the parent has the books already
        result = memo.audit(books, today=dt.date.fromisoformat(today))  # and remembered for the next time
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
