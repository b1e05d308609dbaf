"""The only way finsek writes a ledger: append a validated entry, safely.

docs/conventions.md "How finsek writes": build and check the entry
(``entries``), validate it against the books (``validate``), take the ledger
lock, make sure no file changed underneath since it was loaded (reload and
re-validate if one did), append to the year file durably (a journal first,
then the append and fsync; files written whole, such as a new year file or
main.beancount's include line, go through temp file, fsync, rename, mode
kept), and update the in-memory books and the books cache with the new
entries instead of reloading. A batch (``save_many``) goes the same way, all
or nothing: one lock, one validation of every draft against the books and
each other, one append per year file under one journal, one undo step. Undo
takes the last written text back out under the same rules, only while each
file still ends exactly as finsek left it.
"""

import concurrent.futures
import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import platformdirs

from finsek.core import collect
from finsek.core.errors import LedgerChanged, Refused
from finsek.ledger import cache, trust
from finsek.ledger.books import Books, load_books, main_file
from finsek.ledger.donors import DonorRegistry
from finsek.ledger.entries import Attachment, Draft, receipt_refusal
from finsek.ledger.files import TEMP_SUFFIX, FileStamp, FileState, file_stamp, read_state, write_atomically
from finsek.ledger.lock import Held, ledger_lock
from finsek.ledger.tail import broken_end
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
    """One undo step: the text one save (or one batch) appended, and how each file ended after it.

    ``file``, ``offset``, ``text`` and ``sha_after`` name the first (for most
    saves the only) file; a batch that touched several files lists every one
    in ``parts`` as ``[file, offset, text, sha_after]``. Records written
    before batches existed have no ``parts`` and load unchanged. ``date`` is
    the earliest date saved.
    """

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
    parts: tuple = ()

    def appends(self) -> list[tuple[str, int, str, str]]:
        """``(file, offset, text, sha_after)`` for each file this step appended to."""
        if self.parts:
            return [(str(file), int(offset), str(text), str(sha)) for file, offset, text, sha in self.parts]
        return [(self.file, self.offset, self.text, self.sha_after)]


class _Before(NamedTuple):
    """What a failed save puts back: the books' files and includes, the year files it created, main's content."""

    files: dict
    includes: list[str]
    new_year_files: list[Path]
    main: bytes | None  # main.beancount before an include was added (None: no include needed)


class _Append(NamedTuple):
    """One year file's part of a save: the bytes to append, and where each draft's text begins."""

    target: Path
    size: int  # the file's size before
    offset: int  # where undo cuts back to (the separator's first newline completes the last line)
    addition: bytes  # separator and the drafts' texts, as appended
    text: str  # the drafts' texts, separated by blank lines (what undo takes back)
    linenos: list[int]  # the first line of each draft's text


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
        #: What finsek noticed about the folder while opening or saving it, for the faces to show.
        self.warnings: list[str] = []
        #: True while this object holds the ledger lock (a load then does not take it again).
        self._held = False

    @contextlib.contextmanager
    def _lock(self) -> Iterator[Held]:
        with ledger_lock(self.root) as held:
            self._held = True
            try:
                yield held
            finally:
                self._held = False

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
        if (self.root / JOURNAL_NAME).exists() or self._leftovers():
            with contextlib.nullcontext() if self._held else ledger_lock(self.root):
                if (self.root / JOURNAL_NAME).exists():
                    self._recover()
                self._remove_leftovers()
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
        if books is not None and (refused := trust.refusal(self.main, books.options)) is not None:
            raise refused  # cached books run no plugin, but a ledger the settings do not trust is not shown
        if books is None:
            if self.use_cache:
                for path in _named_files(self.main):
                    digest(str(path))  # what the files hold before Beancount reads them
            books = load_books(self.main)
        self._states = {}
        self._storable = True
        for path in books.files:
            if path not in read or (not books.from_cache and _stamp_of(read[path]) != file_stamp(path)):
                # not read before Beancount read it, or written meanwhile: what the books hold is not known
                self._storable = self._storable and books.from_cache
                read[path] = read_state(path)
            state = self._states[path] = read[path]
            if state is not None and state.stamp != books.files[path]:
                books.files[path] = state.stamp  # the stamp of the content the books were read from
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
        with self._lock():
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
        self._reread(books.root / "donors.csv")

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

    def _reread(self, path: Path) -> None:
        """Read ``path`` again after finsek wrote it whole or cut it back (its stamp None if it cannot be read)."""
        state = self._states[path] = read_state(path)
        self.books.files[path] = state.stamp if state else None

    def _state(self, path: Path) -> FileState:
        """What finsek last read or wrote of ``path``, a file it has just read or written (else LedgerChanged)."""
        state = self._states.get(path)
        if state is None:
            raise LedgerChanged(f"{path.name} is gone or cannot be read: nothing was written, save again.")
        return state

    def _recover(self) -> None:
        """Cut back a save that a crash interrupted (called under the lock).

        The journal lists each file the save appended to, its size before and
        the text appended (``{"appends": [{"file", "size", "text"}, ...]}``;
        an older finsek wrote one such object on its own). A file holding a
        strict beginning of its text is cut back. When some file does not
        hold all of its text, the save did not finish: the files that do are
        cut back too, so the save is undone as a whole. Anything else at the
        end of a file is someone's edit and stays; while one file has such an
        edit, no file holding all of its text is cut.
        """
        journal = self.root / JOURNAL_NAME
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            items = record.get("appends", [record])
            named = [(self._journalled_file(item["file"]), int(item["size"]), item["text"].encode("utf-8"))
                     for item in items]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            journal.unlink(missing_ok=True)
            return
        appends = [(target, size, text) for target, size, text in named if target is not None]
        if len(appends) != len(named):
            self.warnings.append(
                f"{JOURNAL_NAME} in {self.root} names a file outside this ledger's .beancount files; finsek "
                "ignored it and cut nothing. If you did not put it there, someone else did: check the folder.")
            journal.unlink(missing_ok=True)
            return
        found = [_what_was_appended(target, size, addition) for target, size, addition in appends]
        unfinished = any(kind != "all" for kind in found) and "other" not in found
        for (target, size, _), kind in zip(appends, found, strict=True):
            if kind == "part" or (kind == "all" and unfinished):
                with contextlib.suppress(OSError):
                    _cut(target, size)
        journal.unlink(missing_ok=True)

    def _leftovers(self) -> list[Path]:
        """Temporary files a killed finsek left in the ledger folder or beside this ledger's undo record.

        ``write_atomically`` names its temporary files ``.NAME.XXXX.finsek-tmp``
        (never a name Beancount or a user's include pattern would take for a
        ledger file); each is written under the ledger lock, so one that exists
        while this process holds the lock belongs to no running save.
        """
        undo = self._undo_path()
        found = []
        for folder, prefix in ((self.root, "."), (undo.parent, f".{undo.name}.")):
            with contextlib.suppress(OSError):
                found += [entry for entry in folder.iterdir()
                          if entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX)]
        return found

    def _remove_leftovers(self) -> None:
        """Remove what ``_leftovers`` finds (under the lock): a donor's name and address must not linger there."""
        removed = 0
        for path in self._leftovers():
            with contextlib.suppress(OSError):
                if path.is_file() and not path.is_symlink():
                    path.unlink()
                    removed += 1
        if removed:
            self.warnings.append(f"finsek removed {removed} temporary file(s) that an interrupted save had left "
                                 f"in {self.root} or its undo folder; the ledger's own files were not touched.")

    def _journalled_file(self, name: str) -> Path | None:
        """The ledger file a crash journal names (relative to the ledger folder; an older finsek wrote it
        absolute), or None when it names anything else: a journal never cuts a file outside the ledger."""
        target = (self.root / name).resolve()
        if target.suffix != ".beancount" or not target.is_relative_to(self.root) or not target.is_file():
            return None
        return target

    # -- saving -----------------------------------------------------------

    def check(self, draft: Draft) -> list:
        """Validate ``draft`` against the books as loaded; return its parsed entries."""
        return self.check_many([draft])[0]

    def check_many(self, drafts: list[Draft]) -> list[list]:
        """Validate ``drafts`` against the books and each other (``check_entries``); return each one's entries."""
        parsed = [parse_draft(draft) for draft in drafts]
        check_entries(self.books, [entry for entries in parsed for entry in entries])
        return parsed

    def save(self, draft: Draft, *, dry_run: bool = False) -> SaveResult:
        return self.save_many([draft], dry_run=dry_run)[0]

    def save_many(self, drafts: Iterable[Draft], *, dry_run: bool = False) -> list[SaveResult]:
        """Save every draft or none: one lock, one check of all, one append per year file, one undo step.

        The drafts are checked against the books and against each other. Each
        year file is appended to once (its drafts in the batch's order) under
        one crash journal. If an append fails, what the batch had written is
        cut back before the error is reported (a refusal, for a failed write).
        """
        drafts = list(drafts)
        if not drafts:
            return []
        self.check_many(drafts)
        if dry_run:
            return [SaveResult(draft, None, None, saved=False) for draft in drafts]
        for draft in drafts:
            for attachment in draft.attachments:
                if not os.path.lexists(attachment.source):
                    raise Refused(f"The file {attachment.source} is gone: choose it again.", "receipt")
                refusal = receipt_refusal(attachment.source, attachment.max_bytes)
                if refusal:
                    raise Refused(refusal, "receipt")
        with self._lock() as held:
            if (self.root / JOURNAL_NAME).exists():
                self._recover()
            reloaded = False
            if not all(self._unchanged(path) for path in self.books.files):
                self.load()
                reloaded = True
            parsed = self.check_many(drafts)
            years: dict[int | Path, list[int]] = {}
            for number, draft in enumerate(drafts):
                years.setdefault(self._target(draft), []).append(number)
            self._refuse_broken_ends(years)
            held.announce()  # about to write: a process that has to wait can now say who is saving
            appends, changed, copied = self._write(drafts, years)
            lines: dict[int, tuple[Path, int]] = {}
            for append, numbers in zip(appends, years.values(), strict=True):
                for number, lineno in zip(numbers, append.linenos, strict=True):
                    lines[number] = (append.target, lineno)
            self._remember([(parsed[number], *lines[number]) for number in range(len(drafts))])
            if self.use_cache and not cache.append(self.books, self._digests(), [e for es in parsed for e in es]):
                self.books.cache_state = None
            kept = ""
            try:
                self._record_undo(drafts, appends)
            except OSError as error:  # saved all the same: say so, never a traceback that reads as a failure
                kept = (f"Saved, but finsek could not keep its undo record ({error.strerror or error}): to take "
                        "this back, reverse it from the journal.")
            touched = [append.target for append in appends]
            changed = [path for path in changed if path not in touched]
            note = self._git_commit([*touched, *changed, *copied], f"finsek: {_batch_summary(drafts)}")
            note = f"{kept} {note}".strip()
        if reloaded:
            checked = "the entry" if len(drafts) == 1 else "the entries"
            note = (f"The ledger had changed on disk; finsek reloaded it and checked {checked} again. " + note).strip()
        return [
            SaveResult(draft, lines[number][0], lines[number][1], saved=True, reloaded=reloaded, note=note)
            for number, draft in enumerate(drafts)
        ]

    def _target(self, draft: Draft) -> int | Path:
        """Where ``draft`` goes: its year (the year file), or the included ledger file it names."""
        if draft.file is None:
            return draft.date.year
        wanted = Path(draft.file).resolve()
        for target in self.books.files:
            if target.suffix == ".beancount" and target.resolve() == wanted and self._states.get(target) is not None:
                return target
        raise Refused(f"{wanted.name} is not one of this ledger's files: nothing was saved.")
    def _refuse_broken_ends(self, years: Iterable[int | Path]) -> None:
        """Refuse before writing when a file finsek would append to ends in text Beancount cannot read."""
        targets = [year if isinstance(year, Path) else self.books.year_file(year) for year in years]
        if not all(self.books.included(target) for target in targets):
            targets.append(self.main)  # its include line is appended too
        for target in targets:
            if not target.exists():
                continue
            state = self._states.get(target)
            broken = broken_end(target, state.lines if state is not None else None)
            if broken is not None:
                raise Refused(broken.sentence())

    def _write(
        self, drafts: list[Draft], targets: dict[int | Path, list[int]]
    ) -> tuple[list[_Append], list[Path], list[Path]]:
        """Create and include new year files, copy attachments, append: all of it, or (on an error) none of it.

        ``targets`` maps each year (its year file) or named ledger file to the
        drafts going there. Returns the appends, the files created or changed
        for new years, and the attachments copied. An ``OSError`` comes back as
        a refusal saying nothing was saved (or, if what was appended could not
        be cut back, that the next open will).
        """
        years = [target for target in targets if isinstance(target, int)]
        before = _Before(
            dict(self.books.files),
            list(self.books.options.get("include", [])),
            [self.books.year_file(year) for year in years if not self.books.year_file(year).exists()],
            None if all(self.books.included(self.books.year_file(year)) for year in years) else self.main.read_bytes(),
        )
        changed: list[Path] = []
        copied: list[Path] = []
        started: list[_Append] = []
        try:
            for year in years:
                changed += self._ensure_year_file(self.books.year_file(year), year)
            for draft in drafts:
                copied += self._copy_attachments(draft)
            appends = [
                self._plan_append(
                    self.books.year_file(target) if isinstance(target, int) else target,
                    [drafts[number].text for number in numbers],
                )
                for target, numbers in targets.items()
            ]
            self._append(appends, started)
        except BaseException as error:
            whole = self._cut_back(started)
            for path in copied:
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
            self._take_back_year_files(before)
            if isinstance(error, OSError):
                raise _write_refusal(error, whole) from error
            raise
        return appends, changed, copied

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
            self._reread(self.main)
            changed.append(self.main)
        if target not in self.books.files or self._states.get(target) is None:
            self._reread(target)
        return changed

    def _copy_attachments(self, draft: Draft) -> list[Path]:
        copied: list[Path] = []
        for attachment in draft.attachments:  # each checked again before anything is made (and as it is copied)
            refusal = receipt_refusal(attachment.source, attachment.max_bytes)
            if refusal:
                raise Refused(refusal, "receipt")
        for attachment in draft.attachments:
            destination = self.root / attachment.relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            if destination.exists():
                raise Refused(f"{attachment.relative} already exists: save again to pick a new name.", "receipt")
            try:
                _copy_receipt(attachment, destination, copied)
            except BaseException:
                for path in copied:  # the save removes only what this returns: these were never returned
                    with contextlib.suppress(OSError):
                        path.unlink(missing_ok=True)
                raise
        return copied

    def _plan_append(self, target: Path, texts: list[str]) -> _Append:
        """What appending ``texts`` to ``target`` writes: each after a blank line, the first line of each."""
        state = self._state(target)
        if not self._unchanged(target):
            raise LedgerChanged(f"{target.name} changed while saving: nothing was written, save again.")
        separator = b""
        if state.size and not state.tail.endswith(b"\n"):
            separator = b"\n"
        offset = state.size + len(separator)
        if state.size and not (state.tail + separator).endswith(b"\n\n"):
            separator += b"\n"
        line = state.lines + separator.count(b"\n") + 1
        body = b""
        linenos = []
        for text in texts:
            if body:
                gap = b"" if body.endswith(b"\n") else b"\n"
                if not (body + gap).endswith(b"\n\n"):
                    gap += b"\n"
                body += gap
                line += gap.count(b"\n")
            linenos.append(line)
            encoded = text.encode("utf-8")
            body += encoded
            line += encoded.count(b"\n")
        return _Append(target, state.size, offset, separator + body, body.decode("utf-8"), linenos)

    def _append(self, appends: list[_Append], started: list[_Append]) -> None:
        """Append each file's text (journal first), listing in ``started`` each append begun."""
        journal = self.root / JOURNAL_NAME
        record = {"appends": [
            {"file": append.target.relative_to(self.root).as_posix(), "size": append.size,
             "text": append.addition.decode("utf-8")}
            for append in appends
        ]}
        fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            _write_all(fd, json.dumps(record).encode())
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            journal.unlink(missing_ok=True)
            raise
        os.close(fd)
        for append in appends:
            started.append(append)
            fd = os.open(append.target, os.O_WRONLY | os.O_APPEND)
            try:
                _write_all(fd, append.addition)
                os.fsync(fd)
            finally:
                os.close(fd)
        journal.unlink()
        for append in appends:
            stamp = file_stamp(append.target)
            self._state(append.target).grow(append.addition, stamp)
            self.books.files[append.target] = stamp

    def _cut_back(self, started: list[_Append]) -> bool:
        """After a failed append: cut each file begun back to its size before; True (journal gone) when all were."""
        whole = True
        for append in started:
            try:
                with open(append.target, "rb") as handle:
                    handle.seek(append.size)
                    written = handle.read(len(append.addition) + 1)
                if written and append.addition.startswith(written):
                    _cut(append.target, append.size)
                elif written:
                    whole = False  # not finsek's text: left for the journal's rules
            except OSError:
                whole = False
            self._unchanged(append.target)
        if whole:
            (self.root / JOURNAL_NAME).unlink(missing_ok=True)
        return whole

    def _take_back_year_files(self, before: _Before) -> None:
        """After a failed save: remove the year files it created (while still only a header) and their includes."""
        with contextlib.suppress(OSError):
            if before.main is not None and self.main.read_bytes() != before.main and self._unchanged(self.main):
                write_atomically(self.main, before.main)
                self._reread(self.main)
        for path in before.new_year_files:
            with contextlib.suppress(OSError, ValueError):
                if path.read_bytes() == year_file_header(int(path.stem)).encode():
                    path.unlink()
        self.books.options["include"] = before.includes
        for path in [path for path in self.books.files if path not in before.files]:
            del self.books.files[path]
            self._states.pop(path, None)

    def _remember(self, placed: list[tuple[list, Path, int]]) -> None:
        """Give parsed entries (and their postings) the file and line they now have, as a load would; add them."""
        entries = []
        for found, target, lineno in placed:
            for entry in found:
                _place(entry.meta, target, lineno)
                for posting in getattr(entry, "postings", ()):
                    if posting.meta:
                        _place(posting.meta, target, lineno)
            entries.extend(found)
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
        items = [{k: v for k, v in r._asdict().items() if k != "parts" or v} for r in records[-50:]]
        text = json.dumps(items, ensure_ascii=False, indent=1)
        write_atomically(path, text.encode("utf-8"), mode=0o600)

    def _record_undo(self, drafts: list[Draft], appends: list[_Append]) -> None:
        """One undo step for everything one save wrote (one draft, or a batch across one or more files)."""
        first = appends[0]
        parts: tuple = ()
        if len(appends) > 1:
            parts = tuple(
                [str(append.target), append.offset, append.text, self._state(append.target).sha]
                for append in appends
            )
        kind = drafts[0].kind if len(drafts) == 1 else "batch"
        records = self.undo_records()
        records.append(
            UndoRecord(
                str(self.main), str(first.target), first.offset, first.text, self._state(first.target).sha,
                _batch_summary(drafts), kind, min(draft.date for draft in drafts).isoformat(),
                dt.datetime.now().isoformat(timespec="seconds"), self.session, parts,
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

    def nothing_to_undo(self, session_only: bool = False) -> str:
        """Why there is nothing to undo, in one sentence: nothing saved, or a later save by another finsek."""
        records = self.undo_records()
        if not records:
            return "There is no saved entry that finsek can take back."
        last = records[-1]
        if session_only and last.session != self.session:
            when = last.saved_at.replace("T", " ")[:16]
            mine = any(record.session == self.session for record in records)
            ours = "Your save here is no longer the last one: " if mine else "Nothing was saved in this session; "
            return (f"{ours}the last save was the {last.summary} at {when}, from the command line or another "
                    "finsek window, and undo takes back only the last save. Take that one back with 'finsek undo' "
                    "first, or correct an older entry by reversing it from the journal (j).")
        return "There is no saved entry that finsek can take back."

    def undo(self, *, session_only: bool = False, dry_run: bool = False,
             expected: UndoRecord | None = None) -> UndoRecord:
        """Take back the last entry (or batch) finsek wrote, if nothing changed after it in any of its files.

        ``expected``: the record shown to the person who confirmed; if another save came since, nothing is undone.
        """
        record = self.last_undoable(session_only)
        if record is None:
            raise Refused(self.nothing_to_undo(session_only))
        if expected is not None and record != expected:
            raise Refused(f"finsek saved the {record.summary} after the entry you confirmed: nothing was taken back. "
                          "Run undo again to see the last entry.")
        parts = [(Path(file), offset, text, sha_after) for file, offset, text, sha_after in record.appends()]
        with self._lock() as held:
            if (self.root / JOURNAL_NAME).exists():
                self._recover()
            contents = {}
            for target, offset, text, sha_after in parts:
                content = target.read_bytes() if target.exists() else b""
                if _sha(content) != sha_after or content[offset:].lstrip(b"\n") != text.encode():
                    raise Refused(
                        f"The {record.kind} ({record.summary}) is no longer the last thing in {target.name}: "
                        "something was saved or edited after it. Reverse it from the journal instead."
                    )
                contents[target] = content
            day = dt.date.fromisoformat(record.date)
            if self.books.closed_through and day <= self.books.closed_through:
                raise closed_refusal(self.books, day)
            if dry_run:
                return record
            if not all(self._unchanged(path) for path in self.books.files if path not in contents):
                self.load()
            held.announce()
            first_lines = {}
            for number, (target, offset, _, _) in enumerate(parts):
                try:
                    _cut(target, offset)
                except OSError as error:
                    done = "nothing was taken back" if not number else "only part of it was taken back"
                    raise Refused(f"finsek could not change {target.name} ({error.strerror or error}): {done}; "
                                  "check that the ledger's files are yours and not read-only, then undo again."
                                  ) from None
                self._reread(target)
                first_lines[str(target)] = contents[target][:offset].count(b"\n") + 1
            doomed = [
                entry
                for entry in self.books.entries
                if str(entry.meta.get("filename")) in first_lines
                and entry.meta.get("lineno", 0) >= first_lines[str(entry.meta.get("filename"))]
            ]
            self.books.remove_entries(doomed)
            self.books.cache_state = None
            self._write_undo_records(self.undo_records()[:-1])
            self._git_commit(list(contents), f"finsek: undo {record.summary}")
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


def _batch_summary(drafts: list[Draft]) -> str:
    """What a save wrote, for undo and git: a draft's own summary, or a batch's count and first two."""
    if len(drafts) == 1:
        return drafts[0].summary
    kinds = {draft.kind for draft in drafts}
    noun = f"{kinds.pop()}s" if len(kinds) == 1 else "entries"
    shown = "; ".join(draft.summary for draft in drafts[:2])
    more = f"; and {len(drafts) - 2} more" if len(drafts) > 2 else ""
    return f"{len(drafts)} {noun} saved together ({shown}{more})"


def _write_all(fd: int, content: bytes) -> None:
    view = memoryview(content)
    while view:
        view = view[os.write(fd, view):]


def _cut(target: Path, size: int) -> None:
    """Cut ``target`` back to ``size`` bytes, durably."""
    with open(target, "r+b") as handle:
        handle.truncate(size)
        handle.flush()
        os.fsync(handle.fileno())


def _what_was_appended(target: Path, size: int, addition: bytes) -> str:
    """What ``target`` holds after ``size`` bytes, against the ``addition`` a journal names: the save's text
    ("none", "part" or "all" of it) or "other" (an edit, or a file shorter than before)."""
    try:
        with open(target, "rb") as handle:
            if os.fstat(handle.fileno()).st_size < size:
                return "other"
            handle.seek(size)
            written = handle.read(len(addition) + 1)
    except OSError:
        return "other"
    if not written:
        return "none"
    if written == addition:
        return "all"
    return "part" if addition.startswith(written) else "other"


def _write_refusal(error: OSError, whole: bool) -> Refused:
    """A failed write as one plain sentence: what happened and what to do."""
    reason = error.strerror or str(error)
    if not whole:
        return Refused(f"finsek could not finish writing the ledger ({reason}) nor take back what it had begun: "
                       "open the ledger again and finsek will take that part back.")
    if error.errno == errno.ENOSPC:
        return Refused("The disk is full: nothing was saved; free some space, then save again.")
    return Refused(f"finsek could not write the ledger ({reason}): nothing was saved; check that the ledger folder "
                   "can be written to, then save again.")


def _stamp_of(state: FileState | None) -> FileStamp | None:
    return state.stamp if state is not None else None


def _place(meta: dict, target: Path, first_line: int) -> None:
    meta["filename"] = str(target)
    meta["lineno"] = meta.get("lineno", 1) + first_line - 1


def _prime_cache(main: Path, *, wait: bool = True) -> bool:
    """Load ``main`` and write its cache in a process of its own; with ``wait``, True when it did."""
    command = [sys.executable, "-m", "finsek.ledger.prime", str(main)]
    if trust.is_trusted(main.parent):
        command.append("--trusted")  # the child does not read the settings: it is told
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


def _copy_receipt(attachment: Attachment, destination: Path, copied: list[Path]) -> None:
    """Copy a receipt, checked again as it is opened: a regular file, and no larger than its limit.

    Opened without blocking (a FIFO swapped in since the draft was built cannot
    hang the save), checked with ``fstat`` on the open file, and copied no
    further than the limit, so a file that grows meanwhile is refused too.
    ``destination`` is added to ``copied`` as soon as it exists, for the save
    to remove it when anything fails.
    """
    source = attachment.source
    refusal = receipt_refusal(source, attachment.max_bytes)
    if refusal:
        raise Refused(refusal, "receipt")
    descriptor = os.open(source, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as reader:
        status = os.fstat(reader.fileno())
        refusal = receipt_refusal(source, attachment.max_bytes, status.st_size, status.st_mode)
        if refusal:
            raise Refused(refusal, "receipt")
        with open(destination, "xb") as writer:
            copied.append(destination)
            remaining = attachment.max_bytes
            while chunk := reader.read(min(1 << 20, remaining + 1)):
                remaining -= len(chunk)
                if remaining < 0:
                    too_large = receipt_refusal(source, attachment.max_bytes, attachment.max_bytes + 1, status.st_mode)
                    raise Refused(too_large or f"The receipt file {source} changed as it was copied.", "receipt")
                writer.write(chunk)
            writer.flush()
            os.fsync(writer.fileno())
