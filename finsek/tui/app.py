"""The finsek terminal app: a thin ``App`` over the ledger layer (``finsek.tui.run_app`` starts it).

The screen draws at once; the books load in a thread worker. Saves, undo and
reloads also run in thread workers, one at a time (``ledger_lock``). A timer
checks every two seconds whether a file of the ledger changed on disk
(another finsek, an editor, git pull) and reloads it if so.
"""

import concurrent.futures
import datetime as dt
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.reactive import reactive

from finsek.config import Settings
from finsek.core import collect
from finsek.core.errors import FinsekError, Refused
from finsek.core.text import printable
from finsek.ledger import donor_match
from finsek.ledger.books import Books
from finsek.ledger.entries import Draft
from finsek.ledger.ledger import Ledger, SaveResult
from finsek.tui import bindings
from finsek.tui.commands import FinsekCommands
from finsek.tui.screens import BY_ID, screen_class, title_of
from finsek.tui.screens.base import FormScreen
from finsek.tui.screens.home import HomeScreen
from finsek.tui.screens.modals import ConfirmScreen, HelpScreen
from finsek.tui.views.audit_list import audit_books
from finsek.tui.views.header import header_line
from finsek.tui.views.journal_index import build_index, refresh_index

#: Seconds a thread may hold Python's lock while another waits (the default is 0.005).
SWITCH_INTERVAL = 0.001


class FinsekApp(App[int]):
    CSS_PATH = "finsek.tcss"
    TITLE = "finsek"
    BINDINGS = bindings.APP
    COMMANDS = App.COMMANDS | {FinsekCommands}
    ENABLE_COMMAND_PALETTE = True

    books_version: reactive[int] = reactive(0, init=False)
    #: The books version the last audit ran on (screens watch it to show the new findings).
    audit_version: reactive[int] = reactive(-1, init=False)

    def __init__(
        self,
        path: str | Path,
        settings: Settings | None = None,
        is_demo: bool = False,
        *,
        today: dt.date | None = None,
        watch_interval: float = 2.0,
        state_dir: Path | None = None,
        quiet_after_load: float = 1.5,
        prime_in_subprocess: bool = True,
        ledger: Ledger | None = None,
        loading: "concurrent.futures.Future[Books] | None" = None,
    ):
        """``ledger`` and ``loading`` come from ``open_app``, which starts reading the books before
        Textual is imported; without them the app opens the ledger at ``path`` itself."""
        super().__init__()
        # Starting makes thousands of long-lived objects (widgets, styles, the books' summary) and no garbage
        # worth a collection: collect nothing until the books are on screen (see _start_collecting).
        collect.hold()
        self._collecting_paused = True
        # Loading, indexing and auditing run in threads. Python hands its lock between threads every
        # 5 ms by default, and the screen's thread, which gives it up at every wait, then queued behind a
        # busy worker for 100 ms and more; every millisecond keeps it answering (the bench measures it).
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.quiet_after_load = quiet_after_load
        # A cold load (see ledger.prime) and the audit of cached books (see audit.background) run in child
        # processes, so the screen's thread does not share Python's lock with them.
        self.prime_in_subprocess = prime_in_subprocess
        self.settings = settings or Settings()
        self.is_demo = is_demo
        self.ledger = ledger or Ledger(
            path, git_autocommit=self.settings.git_autocommit, state_dir=state_dir, use_cache=True
        )
        self._loading_early = loading
        self._cache_timer = None
        self.ledger_lock = threading.Lock()
        self._today = today
        self._books: Books | None = None
        self.loading = False
        self.load_started: float | None = None
        self.load_failure = ""
        self.busy = 0
        self.watch_interval = watch_interval
        self.journal_cache = None  # (books_version, books, rows)
        self._index_building: int | None = None
        self._index_waiting: list[Callable[[list], None]] = []
        self.reload_count = 0
        #: The audit of the current books, run in a worker after every load and save (see ``start_audit``).
        self.audit_result = None
        #: Its findings as the audit screen lists them, arranged in the worker too (``views.audit_list``).
        self.audit_arranged: dict = {}
        self.audit_failure = ""
        self._audit_running: int | None = None
        #: The reports' posting frame, built once per version of the books: (books_version, books, frame).
        self.report_frame = None
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)

    # -- what screens ask ------------------------------------------------------

    def tell(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None):
        """A notification of plain text: paths and names with brackets are never read as markup, control
        characters from the books or a file name are shown escaped (``core.text.printable``)."""
        self.notify(printable(message), title=printable(title), severity=severity, timeout=timeout, markup=False)

    @property
    def books(self) -> Books | None:
        return self._books

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def default_fund(self) -> str:
        return self._books.default_fund if self._books else "general"

    def header_text(self) -> str:
        """The line ``LedgerHeader`` shows (``views.header``)."""
        return header_line(self._books, self.ledger.main, self.today(), self.is_demo)

    # -- start -------------------------------------------------------------------

    def on_mount(self) -> None:
        theme = self.settings.theme
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.tell(f"The theme '{theme}' is unknown; using the default.", severity="warning")
        for warning in (*self.settings.warnings, *bindings.check_keymap(self.settings.keymap)):
            self.tell(warning, severity="warning")
        self.push_screen(screen_class("home")())
        self.start_load("start")
        self.set_interval(self.watch_interval, self.check_disk, name="watch-ledger")

    def start_load(self, reason: str, changed: list[Path] | None = None) -> None:
        if self.loading:
            return
        self.loading = True
        self.load_started = time.monotonic()

        def work() -> None:
            try:
                with self.ledger_lock, collect.paused():
                    early, self._loading_early = self._loading_early, None
                    if early is not None and reason == "start":
                        books = early.result()
                    else:
                        books = self.ledger.load(prime_in_subprocess=self.prime_in_subprocess)
            except Exception as error:  # a broken file, a permission problem: say so, never a traceback
                self.call_from_thread(self._load_failed, error)
                return
            self.call_from_thread(self._loaded, books, reason, changed or [])

        self.run_worker(work, thread=True, group="ledger-load", name=f"load ({reason})", exit_on_error=False)

    def _loaded(self, books: Books, reason: str, changed: list[Path]) -> None:
        self.loading = False
        self.load_failure = ""
        self._books = books
        self.books_version += 1
        self.call_after_refresh(self._start_collecting)
        if self.quiet_after_load > 0:  # background jobs wait a moment, so the home screen answers at once
            self._quiet_until = time.monotonic() + self.quiet_after_load
            self._index_due = self.books_version  # the audit waits for it (see start_audit)
            self.set_timer(self.quiet_after_load, self.build_journal_index)
        else:
            self.build_journal_index()  # ready before the journal is opened
        if books.cache_state is None:
            self.store_cache_later(delay=1.0)
        if reason == "changed":
            self.reload_count += 1
            names = ", ".join(sorted({path.name for path in changed})) or "a file"
            self.tell(
                f"The ledger changed on disk ({names}); finsek reloaded it. What you are typing is kept.",
                title="Reloaded",
            )
        elif reason == "manual":
            self.tell("The ledger was read again from disk.", title="Reloaded")
        while self.ledger.warnings:
            self.tell(self.ledger.warnings.pop(0), severity="warning")
        if books.errors and reason != "changed":
            count = len(books.errors)
            self.tell(
                f"The ledger has {count} problem{'s' if count != 1 else ''}: press e on the home screen to see them.",
                severity="warning",
            )

    def watch_books_version(self, _version: int) -> None:
        self.call_later(self.start_audit)  # after the handler that changed the books (a load starts the index)

    # -- the audit, run in a thread after every load and save -----------------------------

    _quiet_until = 0.0
    #: The books version whose journal index is scheduled to be built (the audit runs after it).
    _index_due: int | None = None

    def start_audit(self) -> None:
        """Audit the books in a thread worker; one at a time, the latest version wins."""
        books = self._books
        if books is None:
            return
        wait = self._quiet_until - time.monotonic()
        if wait > 0:
            self.set_timer(wait, self.start_audit)
            return
        version = self.books_version
        if self._audit_running is not None or self.audit_version == version:
            return  # a running audit starts the next one when it ends (see _audited)
        if version in (self._index_building, self._index_due):
            return  # one background job at a time keeps typing quick: the journal index starts it when built
        self._audit_running = version
        today = self.today()

        def work() -> None:
            try:
                audited = audit_books(books, today, elsewhere=self.prime_in_subprocess)
            except Exception as error:  # a save changing the books meanwhile, a git problem: say so
                self.call_from_thread(self._audited, version, None, error)
                return
            self.call_from_thread(self._audited, version, audited, None)

        self.run_worker(work, thread=True, group="audit", name="audit", exit_on_error=False)

    def _audited(self, version: int, audited, error: Exception | None) -> None:
        self._audit_running = None
        if version != self.books_version:  # the books changed while auditing: audit them again
            self.start_audit()
            return
        if error is not None:
            self.audit_failure = error.message if isinstance(error, FinsekError) else f"{type(error).__name__}: {error}"
        else:
            self.audit_result, self.audit_arranged = audited
            self.audit_failure = ""
        self.audit_version = version

    def audit_is_current(self) -> bool:
        return self._books is not None and self.audit_version == self.books_version

    # -- the journal's search index, built once per version of the books ------------

    def build_journal_index(self, done: Callable[[list], None] | None = None) -> None:
        """Build (or bring up to date) the journal index in a thread; ``done`` gets the rows."""
        books = self._books
        if books is None:
            return
        version = self.books_version
        if self._index_due == version:
            self._index_due = None
        cached = self.journal_cache
        if cached is not None and cached[0] == version:
            if done is not None:
                done(cached[2])
            self.start_audit()  # if it was waiting for this index
            return
        if done is not None:
            self._index_waiting.append(done)
        if self._index_building == version:
            return
        self._index_building = version
        previous = cached[2] if cached is not None and cached[1] is books else None

        def work() -> None:
            with collect.paused():  # reads every entry (from the cache) and makes a row of each
                rows = refresh_index(books, previous) if previous is not None else build_index(books)
                donor_match.prepare(books.donors)  # the donor pickers' index, off the screen's thread
            self.call_from_thread(self._index_built, version, books, rows)

        self.run_worker(work, thread=True, group="journal-index", name="journal index", exit_on_error=False)

    def _index_built(self, version: int, books: Books, rows: list) -> None:
        if self._index_building == version:
            self._index_building = None
        if version != self.books_version:  # the books changed meanwhile: bring it up to date again
            self.journal_cache = (version, books, rows)
            self.build_journal_index()
            return
        self.journal_cache = (version, books, rows)
        waiting, self._index_waiting = self._index_waiting, []
        for done in waiting:
            done(rows)
        self.start_audit()

    def _start_collecting(self) -> None:
        """Garbage collection on again once the first books are drawn (it was paused for the start)."""
        if self._collecting_paused:
            self._collecting_paused = False
            collect.release()

    def on_unmount(self) -> None:
        self._start_collecting()

    def _load_failed(self, error: Exception) -> None:
        self._start_collecting()
        self.loading = False
        message = error.message if isinstance(error, FinsekError) else f"{type(error).__name__}: {error}"
        self.load_failure = message
        self.books_version += 1
        self.tell(f"The books could not be loaded: {message}", severity="error", timeout=10)

    def check_disk(self) -> None:
        """Every few seconds: reload if a file of the ledger changed under us."""
        if self.loading or self.busy or self._books is None:
            return
        changed = self.ledger.changed_on_disk()
        if changed:
            self.start_load("changed", changed)

    # -- saving, undo --------------------------------------------------------------

    def save_draft(
        self,
        draft: Draft,
        on_saved: Callable[[SaveResult], None],
        on_failed: Callable[[FinsekError], None],
    ) -> None:
        """Append ``draft`` through the ledger's write path, in a thread worker."""
        self.busy += 1

        def work() -> None:
            try:
                with self.ledger_lock:
                    result = self.ledger.save(draft)
            except FinsekError as error:
                self.call_from_thread(self._save_done, None, error, on_saved, on_failed)
            except OSError as error:
                refusal = Refused(f"finsek could not write the ledger ({error.strerror or error}); nothing was saved.")
                self.call_from_thread(self._save_done, None, refusal, on_saved, on_failed)
            else:
                self.call_from_thread(self._save_done, result, None, on_saved, on_failed)

        self.run_worker(work, thread=True, group="ledger-save", name=f"save {draft.kind}", exit_on_error=False)

    def _save_done(self, result, error, on_saved, on_failed) -> None:
        self.busy -= 1
        if error is not None:
            on_failed(error)
            return
        self._books = self.ledger.books
        self.books_version += 1
        self.store_cache_later()
        on_saved(result)

    def ledger_job(
        self,
        job: Callable[[Ledger], object],
        on_done: Callable[[object], None],
        on_failed: Callable[[FinsekError], None],
        name: str = "write",
    ) -> None:
        """Run ``job(ledger)`` (a close: audit, then append through the write path) in a thread worker,
        under the same lock as saves; then take the ledger's books as the app's."""
        self.busy += 1

        def work() -> None:
            try:
                with self.ledger_lock:
                    result = job(self.ledger)
            except FinsekError as error:
                self.call_from_thread(self._job_done, None, error, on_done, on_failed)
            except OSError as error:
                refusal = Refused(f"finsek could not write the ledger ({error.strerror or error}); nothing was saved.")
                self.call_from_thread(self._job_done, None, refusal, on_done, on_failed)
            else:
                self.call_from_thread(self._job_done, result, None, on_done, on_failed)

        self.run_worker(work, thread=True, group="ledger-save", name=name, exit_on_error=False)

    def _job_done(self, result, error, on_done, on_failed) -> None:
        self.busy -= 1
        if error is not None:
            on_failed(error)
            return
        self.books_written()
        on_done(result)

    def store_cache_later(self, delay: float = 10.0) -> None:
        """Cache the books a little after the last change, so the next start is quick (a save keeps it fresh)."""
        if self._books is not None and self._books.cache_state is not None:
            return
        if self._cache_timer is not None:
            self._cache_timer.stop()
        self._cache_timer = self.set_timer(delay, self._store_cache, name="store-cache")

    def _store_cache(self) -> None:
        self._cache_timer = None

        def work() -> None:
            with self.ledger_lock, collect.paused():  # may decode every entry first
                self.ledger.store_cache()

        self.run_worker(work, thread=True, group="ledger-cache", name="store cache", exit_on_error=False)

    def donor_added(self, change) -> None:
        """A donor was added to donors.csv: use the new registry now, without reloading the ledger."""
        self.registry_changed(change, "Donor added")

    def registry_changed(self, change, title: str = "Donors") -> None:
        """finsek changed donors.csv (add, edit, merge): use the new registry now, without reloading the ledger."""
        if self._books is not None:
            self.ledger.registry_changed(change.registry)
            self.books_version += 1
        self.tell(change.message, title=title)

    def books_written(self) -> None:
        """A worker wrote the ledger through ``self.ledger`` (a close): take its books as the app's."""
        self._books = self.ledger.books
        self.books_version += 1
        self.store_cache_later()

    def action_undo(self) -> None:
        if self._books is None:
            self.tell("The books are still loading.", severity="warning")
            return
        record = self.ledger.last_undoable(session_only=True)
        if record is None:
            self.tell(f"Nothing to undo. {self.ledger.nothing_to_undo(session_only=True)}", severity="warning",
                      timeout=12)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._undo()

        self.push_screen(
            ConfirmScreen(f"Take back the {record.summary}? This text will be removed from {Path(record.file).name}:",
                          record.text, yes="Take it back", no="Keep it"),
            answered,
        )

    def _undo(self) -> None:
        self.busy += 1

        def work() -> None:
            try:
                with self.ledger_lock:
                    record = self.ledger.undo(session_only=True)
            except FinsekError as error:
                self.call_from_thread(self._undo_done, None, error)
            else:
                self.call_from_thread(self._undo_done, record, None)

        self.run_worker(work, thread=True, group="ledger-save", name="undo", exit_on_error=False)

    def _undo_done(self, record, error) -> None:
        self.busy -= 1
        if error is not None:
            self.tell(error.message, title="Not undone", severity="error", timeout=10)
            return
        self._books = self.ledger.books
        self.books_version += 1
        self.tell(f"Took back the {record.summary}.", title="Undone")

    # -- navigation ---------------------------------------------------------------------

    def action_open(self, kind: str) -> None:
        if BY_ID[kind].needs_books and self._books is None:
            why = self.load_failure or "the books are still loading, a moment please"
            self.tell(f"Not yet: {why}.", severity="warning")
            return
        if kind == "home":
            self.action_home()
            return
        if not isinstance(self.screen, HomeScreen):
            self.action_home()
            if not isinstance(self.screen, HomeScreen):
                return
        self.push_screen(screen_class(kind)())

    def action_home(self) -> None:
        while len(self.screen_stack) > 2:
            if isinstance(self.screen, FormScreen) and self.screen.dirty():
                self.tell("Save or cancel this form first (ctrl+s or escape).", severity="warning")
                return
            self.pop_screen()

    def action_reload(self) -> None:
        self.start_load("manual")

    def action_set_theme(self, theme: str) -> None:
        self.theme = theme

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        title = title_of(self.screen)
        intro = getattr(self.screen, "INTRO", "")
        self.push_screen(HelpScreen(title, self.screen.active_bindings, intro))

    async def action_quit(self) -> None:
        dirty = [screen for screen in self.screen_stack if isinstance(screen, FormScreen) and screen.dirty()]
        if not dirty or self.busy:
            if self.busy:
                self.tell("Saving… finsek quits when the save is done.", severity="warning")
                await self.workers.wait_for_complete()
            self.exit(0)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        self.push_screen(ConfirmScreen("Quit finsek? The form you were typing has not been saved.",
                                       yes="Quit", no="Stay"), answered)

