"""Loading a ledger without running code it brings along, unless the user trusts its folder.

Beancount runs every ``plugin "module"`` a ledger names, and with ``option
"insert_pythonpath" "TRUE"`` it first puts the ledger's own folder on Python's
path, so a ledger shared through git (or a USB stick) can run any program
on the treasurer's computer as soon as finsek reads it. finsek therefore
loads the books in the same steps as Beancount's loader (parse, book, run the
plugins, validate) but, between parsing and running the plugins, refuses a
ledger that names a plugin outside the allow-list (finsek's own and
Beancount's ``beancount.plugins.*``) or asks for ``insert_pythonpath``,
unless the folder is trusted (``trusted_ledgers`` in the settings file; the
faces call ``trust`` for it). Nothing of the ledger's code has run by then.

The trust is kept per process; ``finsek.ledger.prime`` is told by its parent.
Books read from the cache run no plugin, but they are refused the same way,
so a ledger is never quietly shown with code that the settings no longer trust.
"""

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data
from beancount.ops import validation
from beancount.parser import booking

from finsek.core.errors import Refused

#: Plugins every ledger may name: finsek's own, and those that ship inside Beancount.
ALLOWED_PLUGINS = frozenset({"finsek.plugin"})
ALLOWED_PREFIXES = ("beancount.plugins.", "beancount.ops.")

_trusted: set[Path] = set()


def trust(folders: Iterable[str | Path]) -> None:
    """Trust the ledgers in ``folders`` (their plugins and python path run) for the rest of this process."""
    for folder in folders:
        path = Path(folder).expanduser()
        if path.suffix == ".beancount":
            path = path.parent
        _trusted.add(path.resolve())


def is_trusted(root: Path) -> bool:
    return Path(root).resolve() in _trusted


def allowed_plugin(name: str) -> bool:
    return name in ALLOWED_PLUGINS or (name.startswith(ALLOWED_PREFIXES) and ".." not in name)


def untrusted_code(options: dict) -> list[str]:
    """What in ``options`` would run code that is not finsek's or Beancount's (as the ledger spells it)."""
    found = [f'plugin "{name}"' for name, _ in options.get("plugin") or [] if not allowed_plugin(name)]
    if options.get("pythonpath") or options.get("insert_pythonpath"):
        found.append('option "insert_pythonpath"')
    return found


def refusal(main: Path, options: dict) -> Refused | None:
    """The refusal for a ledger whose options name code finsek does not run (None when all is allowed or trusted)."""
    found = untrusted_code(options)
    if not found or is_trusted(Path(main).parent):
        return None
    return Refused(
        f"The ledger in {Path(main).parent} asks to run code that is not part of finsek or Beancount "
        f"({', '.join(found)}); finsek did not run it and did not open the ledger. If you trust everyone "
        "who can change this ledger, add its folder to trusted_ledgers in finsek's settings file; "
        "otherwise remove those lines."
    )


def load_file(main: Path) -> tuple[list[data.Directive], list, dict]:
    """``beancount.loader.load_file`` for ``main``, refusing (``Refused``) untrusted code before it runs.

    Also refuses, in one plain sentence, a file that cannot be read (an
    ``include`` naming a folder, a file without permission).
    """
    filename = os.path.normpath(os.path.abspath(main))
    try:
        entries, errors, options = loader._parse_recursive([(filename, True)], None, None)
    except IsADirectoryError as error:
        raise Refused(f"{error.filename or 'An included path'} is a folder, not a ledger file: fix the include "
                      "line that names it (include a file, or a pattern such as \"folder/*.beancount\").") from None
    except OSError as error:
        raise Refused(f"finsek could not read {error.filename or main} ({error.strerror or error}): "
                      "check that the file is there and that you may read it.") from None
    refused = refusal(Path(filename), options)
    if refused is not None:
        raise refused
    entries.sort(key=data.entry_sortkey)
    entries, booking_errors = booking.book(entries, options)
    errors.extend(booking_errors)
    saved_path = list(sys.path)
    try:
        if options.get("pythonpath"):
            sys.path[0:0] = options["pythonpath"]
        entries, errors = loader.run_transformations(entries, errors, options, None)
    except Exception as error:  # a trusted plugin that fails as it is imported: Beancount lets it stop the load
        raise Refused(f"A plugin of the ledger in {Path(filename).parent} failed as it was loaded "
                      f"({type(error).__name__}: {error}): fix or remove its plugin line.") from None
    finally:
        sys.path[:] = saved_path
    errors = [_without_traceback(error) for error in errors]
    errors.extend(validation.validate(entries, options, None, None))
    options["input_hash"] = loader.compute_input_hash(options["include"])
    return entries, errors, options


def _without_traceback(error: Any) -> Any:
    """A plugin that cannot be imported, said in one line (Beancount puts the whole traceback in the message)."""
    message = getattr(error, "message", "")
    if not isinstance(message, str) or "Traceback" not in message or not message.startswith("Error importing"):
        return error
    name = message.split('"')[1] if message.count('"') >= 2 else "a plugin"
    last = [line.strip() for line in message.splitlines() if line.strip()][-1]
    return error._replace(message=f'The plugin "{name}" named in the ledger cannot be loaded ({last}): '
                                  "install it, or remove its plugin line.")
