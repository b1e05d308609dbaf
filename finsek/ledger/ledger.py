"""The only way finsek writes a ledger: append a validated entry, safely.

docs/conventions.md "How finsek writes": build and check the entry
(``entries``), validate it against the books (``validate``), take the ledger
lock, make sure no file changed underneath since it was loaded (reload and
re-validate if one did), append to the year file durably (a journal first,
then the append and fsync; files written whole, such as a new year file or
main.beancount's include line, go through temp file, fsync, rename, mode
kept), and update the in-memory books with the new entries instead of
reloading. Undo takes the last written text back out under the
same rules, only while the file still ends exactly as finsek left it.
"""

import concurrent.futures
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import platformdirs

from finsek.core import collect
from finsek.core.errors import LedgerChanged, Refused
from finsek.ledger import cache
from finsek.ledger.books import Books, load_books, main_file
from finsek.ledger.donors import DonorRegistry
from finsek.ledger.entries import Draft
from finsek.ledger.files import FileState, file_stamp, read_state, write_atomically
from finsek.ledger.lock import ledger_lock
from finsek.ledger.template import year_file_header
from finsek.ledger.validate import check_entries, closed_refusal, parse_draft


class SaveResult(NamedTuple):
    draft: Draft
    file: Path | None
    lineno: int | None
    saved: bool
    reloaded: bool = False
    note: str = ""


class UndoRecord(NamedTuple):
    main: str
    file: str
    offset: int
    text: str
    sha_after: str
    summary: str
    kind: str
    date: str
    saved_at: str
    session: str


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _state_dir() -> Path:
    override = os.environ.get("FINSEK_STATE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_state_dir("finsek", appauthor=False))


JOURNAL_NAME = ".finsek-journal"


class Ledger:
    """One ledger opened by this process: its books and its write path.

    Not thread-safe by itself: the TUI calls ``save`` from one worker at a
    time. Other processes are kept out by the ledger lock.

    A save appends to the year file (``O_APPEND``, then ``fsync``) rather than
    rewriting it, so its cost does not grow with the ledger. A small journal
    written first lets the next finsek cut off an append that a power cut
    interrupted; a killed process cannot leave half of one ``write``.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        git_autocommit: bool = False,
        state_dir: Path | None = None,
        use_cache: bool = False,
    ):
        self.main = main_file(path)
        self.root = self.main.parent
        self.git_autocommit = git_autocommit
        self.session = f"{os.getpid()}-{time.time_ns()}"
        self._state_dir = Path(state_dir) if state_dir else None
        self._states: dict[Path, FileState | None] = {}
        self._books: Books | None = None
        #: False when the books may not be what the files now hold (donors.csv rewritten after the load,
        #: a file written while Beancount read it): such books are never cached.
        self._storable = True
        self.use_cache = use_cache

    # -- loading ----------------------------------------------------------

    @property
    def books(self) -> Books:
        if self._books is None:
            return self.load()
        return self._books

    def load(self, *, prime_in_subprocess: bool = False) -> Books:
        """Read the books (from the cache when fresh).

        With ``prime_in_subprocess``, a cold cache is first filled by a child
        process (``finsek.ledger.prime``), so this process only reads the
        cache; if that fails, the books are loaded here as usual.
        """
        if (self.root / JOURNAL_NAME).exists():
            with ledger_lock(self.root):
                self._recover()
        read: dict[Path, FileState | None] = {}

        def digest(name: str) -> str | None:
            """Each file is read and hashed once per load: for the cache key and for the write path."""
            path = Path(name)
            if path not in read:
                read[path] = read_state(path)
            state = read[path]
            return state.sha if state else None

        books = cache.fetch_books(self.main, digest) if self.use_cache else None
        if books is None and self.use_cache and prime_in_subprocess and _prime_cache(self.main):
            books = cache.fetch_books(self.main, digest)
        if books is None:
            if self.use_cache:
                for path in _named_files(self.main):
                    digest(str(path))  # what the files hold before Beancount reads them
            books = load_books(self.main)
        self._states = {}
        self._storable = True
        for path in books.files:
            state = read.get(path)
            if state is not None and state.stamp != file_stamp(path) and not books.from_cache:
                state = None  # written while Beancount read it: these books may not be what it holds now
            if state is None:
                state = read_state(path)
                self._storable = self._storable and books.from_cache
            elif state.stamp != books.files[path]:
                books.files[path] = state.stamp  # the stamp of the content the books were read from
            self._states[path] = state
        self._books = books
        return books

    def load_in_background(self, *, prime_in_subprocess: bool = False) -> concurrent.futures.Future[Books]:
        """Start ``load`` in a thread of its own and return its future.

        The app starts this before it imports Textual: reading a cached
        ledger (mostly file reads and hashing, which run outside the GIL)
        then overlaps with the imports instead of following them.
        """
        future: concurrent.futures.Future[Books] = concurrent.futures.Future()

        def work() -> None:
            try:
                with collect.paused():
                    future.set_result(self.load(prime_in_subprocess=prime_in_subprocess))
            except BaseException as error:  # handed to whoever waits for the books
                future.set_exception(error)

        threading.Thread(target=work, name="finsek-load", daemon=True).start()
        return future

    def store_cache(self) -> bool:
        """Cache the books as they now stand, if the files still hold what they were read from."""
        with ledger_lock(self.root):
            if not self._storable or not all(self._unchanged(path) for path in self.books.files):
                return False
            return cache.store(self.books, self._digests())

    def leave_cache_fresh(self) -> None:
        """Before a command ends: when the cache does not hold these books, write it without keeping the user waiting.

        The cache holds them when they were read from it or a save appended to
        it; after a Beancount load or an undo it does not. On POSIX a forked
        child writes it from the books already in memory while the command
        exits; elsewhere (or in a process with other threads, where forking
        is unsafe) a detached ``finsek.ledger.prime`` process loads and
        writes it.
        """
        if not self.use_cache or self._books is None or self._books.cache_state is not None:
            return
        if not self._storable:
            return
        if os.environ.get("FINSEK_NO_BACKGROUND_CACHE"):
            return
        if not cache.cacheable(self._books.options):
            return
        if hasattr(os, "fork") and threading.active_count() == 1:
            _fork_and_run(self.store_cache)
        else:
            _prime_cache(self.main, wait=False)

    def _digests(self) -> dict[str, str | None]:
        return {str(path): (state.sha if state else None) for path, state in self._states.items()}

    def registry_changed(self, registry: DonorRegistry) -> None:
        """finsek itself just rewrote donors.csv: use ``registry`` without taking it for an outside edit.

        The books' load errors (the plugin's unknown donors) may now be out of
        date, so these books are no longer cached: the next load reads the
        ledger again.
        """
        books = self.books
        books.donors = registry
        books.cache_state = None
        self._storable = False
        path = books.root / "donors.csv"
        state = self._states[path] = read_state(path)
        books.files[path] = state.stamp if state else None

    def changed_on_disk(self) -> list[Path]:
        return self.books.changed_files() if self._books is not None else []

    def _unchanged(self, path: Path) -> bool:
        """True when ``path`` still holds what finsek last read or wrote (sha256 when stat differs)."""
        state = self._states.get(path)
        stamp = file_stamp(path)
        if state is None:
            return stamp is None
        if stamp == state.stamp:
            return True
        current = read_state(path)
        if current is not None and current.sha == state.sha:
            state.stamp = stamp
            self.books.files[path] = stamp
            return True
        return False

    def _state(self, path: Path) -> FileState:
        """What finsek last read or wrote of ``path``, a file it has just read or written (else LedgerChanged)."""
        state = self._states.get(path)
        if state is None:
            raise LedgerChanged(f"{path.name} is gone or cannot be read: nothing was written, save again.")
        return state

    def _recover(self) -> None:
        """Cut off an append that a crash interrupted (called under the lock).

        Only bytes that are a strict beginning of the journalled text are
        removed: anything else at the end of the file is someone's edit and
        stays.
        """
        journal = self.root / JOURNAL_NAME
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            target = Path(record["file"])
            size, addition = int(record["size"]), record["text"].encode("utf-8")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            journal.unlink(missing_ok=True)
            return
        try:
            with open(target, "r+b") as handle:
                handle.seek(size)
                written = handle.read(len(addition) + 1)
                if written and len(written) < len(addition) and addition.startswith(written):
                    handle.truncate(size)
                    handle.flush()
                    os.fsync(handle.fileno())
        except OSError:
            pass
        journal.unlink(missing_ok=True)

    # -- saving -----------------------------------------------------------

    def check(self, draft: Draft) -> list:
        """Validate ``draft`` against the books as loaded; return its parsed entries."""
        entries = parse_draft(draft)
        check_entries(self.books, entries)
        return entries

    def save(self, draft: Draft, *, dry_run: bool = False) -> SaveResult:
        self.check(draft)
        if dry_run:
            return SaveResult(draft, None, None, saved=False)
        for attachment in draft.attachments:
            if not Path(attachment.source).is_file():
                raise Refused(f"The file {attachment.source} is gone: choose it again.", "receipt")
        with ledger_lock(self.root):
            if (self.root / JOURNAL_NAME).exists():
                self._recover()
            reloaded = False
            if not all(self._unchanged(path) for path in self.books.files):
                self.load()
                reloaded = True
            entries = self.check(draft)
            target = self.books.year_file(draft.date.year)
            changed = self._ensure_year_file(target, draft.date.year)
            copied = self._copy_attachments(draft)
            try:
                offset, lineno = self._append(target, draft.text)
            except BaseException:
                for path in copied:
                    path.unlink(missing_ok=True)
                raise
            self._remember(entries, target, lineno)
            if self.use_cache and not cache.append(self.books, self._digests(), entries):
                self.books.cache_state = None
            self._record_undo(draft, target, offset, self._state(target).sha)
            note = self._git_commit([target, *changed, *copied], f"finsek: {draft.summary}")
        if reloaded:
            note = ("The ledger had changed on disk; finsek reloaded it and checked the entry again. " + note).strip()
        return SaveResult(draft, target, lineno, saved=True, reloaded=reloaded, note=note)

    def _ensure_year_file(self, target: Path, year: int) -> list[Path]:
        changed = []
        if not target.exists():
            write_atomically(target, year_file_header(year).encode(), mode=os.stat(self.main).st_mode & 0o7777)
            changed.append(target)
        if not self.books.included(target):
            if not self._unchanged(self.main):
                raise LedgerChanged("main.beancount changed while saving: nothing was written, save again.")
            content = self.main.read_bytes()
            if content and not content.endswith(b"\n"):
                content += b"\n"
            content += f'include "{target.name}"\n'.encode()
            write_atomically(self.main, content)
            self.books.options.setdefault("include", []).append(str(target))
            state = self._states[self.main] = read_state(self.main)
            self.books.files[self.main] = state.stamp if state else None
            changed.append(self.main)
        if target not in self.books.files or self._states.get(target) is None:
            state = self._states[target] = read_state(target)
            self.books.files[target] = state.stamp if state else None
        return changed

    def _copy_attachments(self, draft: Draft) -> list[Path]:
        copied = []
        for attachment in draft.attachments:
            destination = self.root / attachment.relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            if destination.exists():
                raise Refused(f"{attachment.relative} already exists: save again to pick a new name.", "receipt")
            shutil.copyfile(attachment.source, destination)
            with open(destination, "rb") as handle:
                os.fsync(handle.fileno())
            copied.append(destination)
        return copied

    def _append(self, target: Path, text: str) -> tuple[int, int]:
        """Append ``text`` after a blank line; return its byte offset and first line number."""
        state = self._state(target)
        if not self._unchanged(target):
            raise LedgerChanged(f"{target.name} changed while saving: nothing was written, save again.")
        separator = b""
        if state.size and not state.tail.endswith(b"\n"):
            separator = b"\n"
        offset = state.size + len(separator)
        if state.size and not (state.tail + separator).endswith(b"\n\n"):
            separator += b"\n"
        lineno = state.lines + separator.count(b"\n") + 1
        addition = separator + text.encode("utf-8")
        journal = self.root / JOURNAL_NAME
        record = {"file": str(target), "size": state.size, "text": addition.decode("utf-8")}
        fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps(record).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        fd = os.open(target, os.O_WRONLY | os.O_APPEND)
        try:
            view = memoryview(addition)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        journal.unlink()
        stamp = file_stamp(target)
        state.grow(addition, stamp)
        self.books.files[target] = stamp
        return offset, lineno

    def _remember(self, entries: list, target: Path, lineno: int) -> None:
        """Give parsed entries (and their postings) the file and line they now have, as a load would; add them."""
        for entry in entries:
            _place(entry.meta, target, lineno)
            for posting in getattr(entry, "postings", ()):
                if posting.meta:
                    _place(posting.meta, target, lineno)
        self.books.add_entries(entries)

    # -- undo -------------------------------------------------------------

    def _undo_path(self) -> Path:
        key = hashlib.sha256(str(self.main).encode()).hexdigest()[:24]
        return (self._state_dir or _state_dir()) / "undo" / f"{key}.json"

    def undo_records(self) -> list[UndoRecord]:
        path = self._undo_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return [UndoRecord(**item) for item in raw]
        except (OSError, ValueError, TypeError):
            return []

    def _write_undo_records(self, records: list[UndoRecord]) -> None:
        path = self._undo_path()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps([r._asdict() for r in records[-50:]], ensure_ascii=False, indent=1)
        write_atomically(path, text.encode("utf-8"), mode=0o600)

    def _record_undo(self, draft: Draft, target: Path, offset: int, sha_after: str) -> None:
        records = self.undo_records()
        records.append(
            UndoRecord(
                str(self.main), str(target), offset, draft.text, sha_after, draft.summary, draft.kind,
                draft.date.isoformat(), dt.datetime.now().isoformat(timespec="seconds"), self.session,
            )
        )
        self._write_undo_records(records)

    def last_undoable(self, session_only: bool = False) -> UndoRecord | None:
        records = self.undo_records()
        if not records:
            return None
        last = records[-1]
        if session_only and last.session != self.session:
            return None
        return last

    def undo(self, *, session_only: bool = False, dry_run: bool = False) -> UndoRecord:
        """Take back the last entry finsek wrote, if nothing changed after it."""
        record = self.last_undoable(session_only)
        if record is None:
            where = "in this session" if session_only else "that finsek can take back"
            raise Refused(f"There is no saved entry {where}.")
        target = Path(record.file)
        with ledger_lock(self.root):
            if (self.root / JOURNAL_NAME).exists():
                self._recover()
            content = target.read_bytes() if target.exists() else b""
            if _sha(content) != record.sha_after or content[record.offset :].lstrip(b"\n") != record.text.encode():
                raise Refused(
                    f"The {record.kind} ({record.summary}) is no longer the last thing in {target.name}: "
                    "something was saved or edited after it. Reverse it from the journal instead."
                )
            day = dt.date.fromisoformat(record.date)
            if self.books.closed_through and day <= self.books.closed_through:
                raise closed_refusal(self.books, day)
            if dry_run:
                return record
            if not all(self._unchanged(path) for path in self.books.files if path != target):
                self.load()
            with open(target, "r+b") as handle:
                handle.truncate(record.offset)
                handle.flush()
                os.fsync(handle.fileno())
            state = self._states[target] = read_state(target)
            self.books.files[target] = state.stamp if state else None
            first_line = content[: record.offset].count(b"\n") + 1
            doomed = [
                entry
                for entry in self.books.entries
                if str(entry.meta.get("filename")) == str(target) and entry.meta.get("lineno", 0) >= first_line
            ]
            self.books.remove_entries(doomed)
            self.books.cache_state = None
            self._write_undo_records(self.undo_records()[:-1])
            self._git_commit([target], f"finsek: undo {record.summary}")
        return record

    # -- git --------------------------------------------------------------

    def _git_commit(self, paths: list[Path], message: str) -> str:
        root = self.main.parent
        if not self.git_autocommit or not (root / ".git").exists():
            return ""
        try:
            relative = [str(Path(p).resolve().relative_to(root)) for p in paths]
            subprocess.run(["git", "add", "--", *relative], cwd=root, check=True, capture_output=True, timeout=30)
            subprocess.run(
                ["git", "commit", "--quiet", "-m", message, "--", *relative],
                cwd=root, check=True, capture_output=True, timeout=30,
            )
            return "Committed to git."
        except (OSError, subprocess.SubprocessError) as error:
            detail = getattr(error, "stderr", b"") or b""
            return f"Saved, but the git commit failed: {detail.decode(errors='replace').strip() or error}"


_INCLUDE = re.compile(rb'^include\s+"([^"]+)"', re.MULTILINE)


def _named_files(main: Path) -> list[Path]:
    """main.beancount, the files its include lines name (without wildcards) and donors.csv."""
    try:
        content = main.read_bytes()
    except OSError:
        return [main]
    names = [match.decode("utf-8", "replace") for match in _INCLUDE.findall(content)]
    return [main, *((main.parent / name).resolve() for name in names if not set(name) & set("*?[")),
            main.parent / "donors.csv"]


def _place(meta: dict, target: Path, first_line: int) -> None:
    meta["filename"] = str(target)
    meta["lineno"] = meta.get("lineno", 1) + first_line - 1


def _prime_cache(main: Path, *, wait: bool = True) -> bool:
    """Load ``main`` and write its cache in a process of its own; with ``wait``, True when it did."""
    command = [sys.executable, "-m", "finsek.ledger.prime", str(main)]
    quiet = subprocess.DEVNULL
    try:
        if not wait:
            subprocess.Popen(command, stdin=quiet, stdout=quiet, stderr=quiet, start_new_session=True)
            return False
        return subprocess.run(command, stdin=quiet, stdout=quiet, stderr=quiet, check=False).returncode == 0
    except OSError:
        return False


def _fork_and_run(work: Callable[[], object]) -> None:
    """Run ``work`` in a forked child detached from the terminal and its pipes; the parent goes on at once."""
    if os.fork():
        return
    try:
        os.setsid()
        quiet = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(quiet, fd)
        work()
    finally:
        os._exit(0)
