"""Load a ledger and write its cache, in a process of its own.

``python -m finsek.ledger.prime MAIN`` is what the app runs on a cold start:
Beancount's loader then holds another process's interpreter, not the app's,
so the screen never stalls and the app never holds Beancount's working
memory; the app reads the fresh cache when this exits. Exit status 0 when a
cache was written. ``--trusted`` (given by a parent that trusts the ledger's
folder, ``finsek.ledger.trust``) lets the ledger's own plugins run.
"""

import sys

from finsek.core.errors import Refused
from finsek.ledger import trust
from finsek.ledger.ledger import Ledger


def main(argv: list[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    trusted = "--trusted" in args
    args = [arg for arg in args if arg != "--trusted"]
    if len(args) != 1:
        print("usage: python -m finsek.ledger.prime MAIN.beancount [--trusted]", file=sys.stderr)
        return 2
    ledger = Ledger(args[0], use_cache=True)
    if trusted:
        trust.trust([ledger.root])
    try:
        if ledger.books.from_cache:
            return 0
    except Refused:
        return 1
    return 0 if ledger.store_cache() else 1


if __name__ == "__main__":
    sys.exit(main())
