"""The audit's memo: the result of an audit, remembered for books that did not change.

Auditing 100,000 transactions reads every entry and runs every check, which
takes seconds; the app audits after every load and the committee runs
``finsek audit`` again and again on books that did not change in between.
``audit(books, ...)`` answers from a memo when one was made for the same
books, the same question and the same world around them, and otherwise
runs ``run_audit`` and remembers its result.

A memo is JSON (``AuditResult.to_dict``, never pickle: the cache folder is the
user's, and nothing read from it may run code), private to the user (0600),
in finsek's cache folder next to the books cache
(``<cache>/books/<ledger>.audit.<key>.json``). Only the latest ``KEEP`` memos
of a ledger are kept. A memo file another user owns, or one that cannot be
read back into a result, is ignored.

What a result depends on, and so what the key is made of:

- the books: ``books.cache_key``, the content of every file the ledger
  includes and of donors.csv, Beancount's version and the code that loads
  them. Only books the books cache holds (``books.cache_state`` is set) have
  such a key; other books (read by Beancount and not cached yet, after an
  undo) get no memo. Books whose files changed on disk since they were read
  (the app notices and reloads) get none either;
- the question: the period asked for (``start``/``end`` as given, None for
  the default), ``today`` (future entries, months whose statement is due)
  and whether git may be used;
- the audit settings (``custom "finsek"`` lines and the ledger's settings);
  they come from the books, so the books' key covers them too;
- the code: every ``.py`` file of finsek/audit (the checks included),
  finsek/core, finsek/ledger and the plugin, and finsek's version;
- git, when the audit would look at it: ``git status --porcelain=v2
  --branch --untracked-files=all`` over the ledger's files, which names the
  HEAD commit (the history ``git log`` and ``git grep`` read) and every one
  of those files that is modified, staged or untracked (``git diff`` and
  ``ls-files --others`` read the working tree, whose content the books' key
  already covers). Not a repository, or no git at all, is a state too; any
  other answer from git (an error, a timeout) means no memo. (git's own
  configuration is not part of the key: a change to it that changes what
  ``git diff`` reports is not noticed);
- the home folder, which ``~`` in a receipt's path means;
- the receipt files: the payments check asks whether each file a payment
  names exists. Which files those are is only known after reading every
  entry, so they cannot be part of a key made before; instead the memo
  keeps every path the checks looked for and whether it was there
  (``AuditResult.looked_for``), and is used only when each is still present
  or still absent (one ``stat`` each).

Nothing else is read by ``run_audit``: the checks see the books, the
period, ``today`` and the settings, and the git check runs git in the ledger
folder. A result whose git check could not read git (``git-unavailable``:
a timeout, a lock, a permission) is not remembered, since the next run may
read it.

A result is remembered only when the key is the same after the audit as
before it: a save, a commit or an edit while the audit ran means the result
may belong to neither state. In a process with other threads (the app), that
second key is taken under the ledger's lock, which every save holds while it
changes the books, so a save half done cannot pass for the books before it.

``finsek close`` does not use the memo: see ``finsek.audit.closing``.
"""

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import subprocess
import threading
from pathlib import Path

import finsek
from finsek.audit import engine
from finsek.audit.checks.settings import audit_settings
from finsek.audit.engine import AuditResult
from finsek.core.errors import LockBusy
from finsek.ledger.cache import cache_dir
from finsek.ledger.files import write_private
from finsek.ledger.lock import ledger_lock

#: The memo's own format: a change in what is stored gives every key anew.
FORMAT = 1
#: Memos kept per ledger (the app's whole-books audit, a committee's fiscal year, yesterday's, ...).
KEEP = 4
#: How long the git state may take before the memo is left alone.
GIT_TIMEOUT = 10
#: Findings that say something outside the books was unreadable this time: such a result is not remembered.
TRANSIENT = frozenset({"git-unavailable"})

_PACKAGE = Path(finsek.__file__).resolve().parent


def audit(books, start: dt.date | None = None, end: dt.date | None = None, *, today: dt.date | None = None,
          git: bool = True) -> AuditResult:
    """``run_audit(books, start, end, today=today, git=git)``, answered from the memo when it may be."""
    today = today or dt.date.today()
    key = memo_key(books, start, end, today=today, git=git)
    if key is not None:
        found = recall_key(books, key)
        if found is not None:
            return found
    result = engine.run_audit(books, start, end, today=today, git=git)
    if key is not None:
        remember(books, key, result, lambda: memo_key(books, start, end, today=today, git=git))
    return result


def recall(books, start: dt.date | None = None, end: dt.date | None = None, *, today: dt.date | None = None,
           git: bool = True) -> AuditResult | None:
    """The remembered result of that audit of ``books``, or None (nothing is run)."""
    key = memo_key(books, start, end, today=today or dt.date.today(), git=git)
    return recall_key(books, key) if key is not None else None


# --------------------------------------------------------------------------- the key


def memo_key(books, start: dt.date | None, end: dt.date | None, *, today: dt.date, git: bool) -> str | None:
    """The key of everything that audit's result depends on (see the module), or None for no memo."""
    if getattr(books, "cache_state", None) is None or not getattr(books, "cache_key", None):
        return None
    if books.changed_files():
        return None  # the files moved on since these books were read: they are not what the key says
    customs = sorted(books.custom_entries, key=lambda entry: entry.date)
    settings = audit_settings(customs, books.settings)
    git_state = None
    if git and settings.git_check:
        git_state = repository_state(books)
        if git_state is None:
            return None
    parts = {
        "format": FORMAT,
        "books": books.cache_key,
        "main": str(books.main),
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "today": today.isoformat(),
        "git": git,
        "settings": settings.to_dict(),
        "code": code_digest(),
        "git_state": git_state,
        "home": os.path.expanduser("~"),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def code_digest() -> str:
    """finsek's version and every .py file of finsek/audit (checks too), core, ledger and the plugin."""
    digest = hashlib.sha256(f"{finsek.__version__}".encode())
    files = [*_PACKAGE.joinpath("audit").rglob("*.py"), *_PACKAGE.joinpath("core").glob("*.py"),
             *_PACKAGE.joinpath("ledger").glob("*.py"), _PACKAGE / "plugin.py"]
    for path in sorted(files):
        digest.update(f"\0{path.relative_to(_PACKAGE).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def repository_state(books) -> str | None:
    """What git says about the ledger's files, as the git check would see them; None when git cannot say.

    One ``git status`` over the ledger's files (not donors.csv, which the git
    check leaves out too): its ``# branch.oid`` line names the HEAD commit,
    the rest every file modified, staged or untracked. A folder that is not
    in a repository, or a machine without git, is a state of its own.
    """
    root = books.root
    paths = sorted(os.path.relpath(path, root) for path in books.files if Path(path).suffix != ".csv")
    command = ["git", "-c", "core.quotepath=off", "status", "--porcelain=v2", "--branch", "--untracked-files=all",
               "-z", "--", *paths]
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, timeout=GIT_TIMEOUT, check=False,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    except FileNotFoundError:
        return "no git"
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace")
        return "not a repository" if "not a git repository" in message else None
    output = done.stdout.decode("utf-8", "surrogateescape")
    if "# branch.oid " not in output:
        return None
    return output


# --------------------------------------------------------------------------- reading and writing


def memo_folder() -> Path:
    """Where memos are kept: the books cache's folder."""
    return cache_dir() / "books"


def _prefix(books) -> str:
    """The ledger's part of a memo's file name (the books cache names its files the same way)."""
    return hashlib.sha256(str(books.main).encode()).hexdigest()[:32]


def memo_path(books, key: str) -> Path:
    return memo_folder() / f"{_prefix(books)}.audit.{key}.json"


def recall_key(books, key: str) -> AuditResult | None:
    """The result remembered under ``key``, if its file is ours, reads back, and every file it looked for is
    still present or still absent; else None."""
    path = memo_path(books, key)
    try:
        status = path.lstat()
        if not _ours(status):
            return None
        with open(path, encoding="utf-8") as handle:
            payload = json.load(handle)
        if not isinstance(payload, dict) or payload.get("format") != FORMAT or payload.get("key") != key:
            return None
        looked_for = payload["looked_for"]
        if not isinstance(looked_for, dict):
            return None
        for name, existed in looked_for.items():
            if os.path.exists(name) is not existed:
                return None  # a receipt was added or removed: the payments check would say otherwise now
        result = AuditResult.from_dict(payload["result"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ArithmeticError):
        return None
    result.looked_for = dict(looked_for)
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when older memos are let go
    return result


def _ours(status: os.stat_result) -> bool:
    """A regular file of this user (not one someone who could write the cache folder planted)."""
    if not stat.S_ISREG(status.st_mode):
        return False
    return not hasattr(os, "getuid") or status.st_uid == os.getuid()


def remember(books, key: str, result: AuditResult, key_now) -> bool:
    """Keep ``result`` under ``key`` when ``key_now()``, asked again now, is still ``key``.

    In a process with other threads (the app), ``key_now()`` is asked under
    the ledger's lock, so that a save half done in another thread (entries
    taken in, the books' key not yet moved on) cannot pass for the books
    before it.

    Best effort: a failure only costs the next audit its time. False when
    nothing was written.
    """
    if any(finding.code in TRANSIENT for finding in result.findings):
        return False
    payload = {"format": FORMAT, "key": key, "looked_for": result.looked_for, "result": result.to_dict()}
    try:
        if AuditResult.from_dict(json.loads(json.dumps(payload["result"]))) != result:
            return False  # something in it does not survive JSON exactly: never answer with less than the audit
        content = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError):
        return False

    def write() -> bool:
        try:
            if key_now() != key:
                return False  # the books, git or the receipts' world moved on while auditing
            memo_folder().mkdir(parents=True, exist_ok=True, mode=0o700)
            write_private(memo_path(books, key), content)
            _forget_old(books)
            return True
        except OSError:
            return False

    if threading.active_count() == 1:
        return write()  # nothing else in this process can be changing the books
    try:
        with ledger_lock(books.root, timeout=2.0):
            return write()
    except LockBusy:
        return False  # a save has held the lock for long: the books are changing
    except OSError:
        return write()  # no lock can be taken in this folder, so nobody can save to it either


def _forget_old(books) -> None:
    """Keep only the ``KEEP`` memos of this ledger used last."""
    memos = []
    for path in memo_folder().glob(f"{_prefix(books)}.audit.*.json"):
        try:
            memos.append((path.stat().st_mtime, path))
        except OSError:
            continue
    memos.sort(reverse=True)
    for _, path in memos[KEEP:]:
        path.unlink(missing_ok=True)
