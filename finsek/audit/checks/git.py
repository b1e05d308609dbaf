"""When the ledger folder is a git repository: what changed in a closed period after it was closed?

The digest proves that the books of a closed period are what they were when
the close was written, but someone who edits a closed month *and* writes a
new close line would pass it. git's history does not forget: for each
closed period this check finds the first commit that added a close through
that date (``git log -S``, ``git grep``) and compares that close line with
the one in the ledger now.

- The close line is the one first committed and its digest matches: nothing
  in the period changed (the digest proves it); nothing more is looked at,
  so the check stays fast on large ledgers with long histories.
- The close line's digest differs from the one first committed: an
  **error** (the period was closed again after a change). The ledger files
  of that commit are then compared with the files now (committed or not,
  ``git diff``), every changed line is mapped to the entry it belongs to, and
  each entry dated inside the period (after the previous close, up to and
  including the closed date) that differs now, was added, or was removed is
  an **error** pointing at the entry.
- The digest no longer matches (the plugin's error says so): the same
  comparison pinpoints the entries that changed, for the first period of a
  broken chain (later closes are broken by it; fix it and audit again).
- Lines changed but every entry is the same (``bean-format``, entries moved
  between files or reordered): a **note**, only when a comparison was made.
- The close line is not committed yet: a **warning** (commit it, so later
  changes can be traced).
- A close line once committed is gone from the ledger: an **error** (the
  period is open to edits again), and when the period's entries no longer
  match the digest then committed, an **error** for each entry that changed.

git is run read-only (``log``, ``diff``, ``show``, ``ls-files``); when git is
missing or cannot read the repository, the audit says so in a note.
"""

import bisect
import datetime as dt
import os
import re
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

from beancount.core import data
from beancount.core.number import MISSING
from beancount.parser import parser

from finsek.audit.findings import Finding
from finsek.core.dates import ONE_DAY
from finsek.ledger import conventions as conv
from finsek.ledger.digest import close_through, entry_line, period_digests, period_name

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
TIMEOUT = 120


class CloseCommit(NamedTuple):
    commit: str
    date: str
    digest: str


class GitInfo(NamedTuple):
    """What the git check could see: shown in the committee report."""

    repository: bool
    note: str = ""
    commits: dict = {}  # noqa: RUF012 - a NamedTuple default, never mutated

    def to_dict(self) -> dict:
        return {
            "repository": self.repository,
            "note": self.note,
            "closes": {
                through.isoformat(): {"commit": found.commit, "date": found.date, "digest": found.digest}
                for through, found in self.commits.items()
            },
        }

    @classmethod
    def from_dict(cls, raw: dict) -> "GitInfo":
        """What ``to_dict`` gave: whether the folder is a repository, the note, each close's first commit."""
        if not isinstance(raw["repository"], bool) or not isinstance(raw["note"], str):
            raise TypeError("git: repository is true or false, note a string")
        commits = {}
        for through, found in raw["closes"].items():
            commit = CloseCommit(found["commit"], found["date"], found["digest"])
            if not all(isinstance(part, str) for part in commit):
                raise TypeError("git: a close's commit, date and digest are strings")
            commits[dt.date.fromisoformat(through)] = commit
        return cls(raw["repository"], raw["note"], commits)


class _GitError(Exception):
    pass


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=root, capture_output=True, timeout=TIMEOUT,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise _GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise _GitError("git took too long to answer") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitError(message[0] if message else f"git {args[0]} failed")
    return result.stdout.decode("utf-8", "surrogateescape")


def repository_root(folder: Path) -> Path | None:
    """The top folder of the git repository holding ``folder``, or None."""
    try:
        return Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    except _GitError:
        return None


def _ledger_files(books) -> list[Path]:
    return sorted(path for path in books.files if path.suffix != ".csv")


_CLOSE_TEXT = re.compile(r'^(\d{4}-\d{2}-\d{2})\s+custom\s+"close"\s+(\d{4}-\d{2}-\d{2})\s+"([^"]*)"')


def first_close_commits(root: Path, paths: list[str]) -> dict[dt.date, CloseCommit]:
    """For each closed date, the first commit that added a close line through it."""
    log = _git(root, "log", "--reverse", "--format=%H %cs", "-S", 'custom "close"', "--", *paths)
    found: dict[dt.date, CloseCommit] = {}
    for line in log.splitlines():
        parts = line.split()
        if not parts:
            continue
        commit, day = parts[0], parts[1] if len(parts) > 1 else ""
        try:
            lines = _git(root, "grep", "-h", "-E", r'custom[[:space:]]+"close"', commit, "--", *paths)
        except _GitError:
            continue  # git grep exits 1 when nothing matches (every close line removed in that commit)
        for text in lines.splitlines():
            match = _CLOSE_TEXT.match(text.strip())
            if not match:
                continue
            try:
                through = dt.date.fromisoformat(match[2])
            except ValueError:
                continue
            found.setdefault(through, CloseCommit(commit, day, match[3]))
    return found


class _FileDiff:
    __slots__ = ("hunks", "new", "old")

    def __init__(self, old: str | None, new: str | None):
        self.old = old
        self.new = new
        self.hunks: list[tuple[int, int, int, int]] = []  # old start, old count, new start, new count


def _diff(root: Path, commit: str, paths: list[str]) -> list[_FileDiff]:
    output = _git(root, "diff", "--no-color", "--no-ext-diff", "--no-renames", "-U0", commit, "--", *paths)
    files: list[_FileDiff] = []
    current = None
    for line in output.splitlines():
        if line.startswith("diff --git "):
            current = _FileDiff(None, None)
            files.append(current)
        elif current is None:
            continue
        elif line.startswith("--- "):
            current.old = None if line[4:] == "/dev/null" else line[6:]
        elif line.startswith("+++ "):
            current.new = None if line[4:] == "/dev/null" else line[6:]
        elif line.startswith("@@"):
            match = _HUNK.match(line)
            if match:
                old_start, old_count = int(match[1]), int(match[2]) if match[2] is not None else 1
                new_start, new_count = int(match[3]), int(match[4]) if match[4] is not None else 1
                current.hunks.append((old_start, old_count, new_start, new_count))
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", *paths)
    for name in untracked.splitlines():
        if not name.strip():
            continue
        path = root / name
        try:
            count = path.read_text(encoding="utf-8").count("\n") + 1
        except (OSError, UnicodeDecodeError):
            continue
        extra = _FileDiff(None, name)
        extra.hunks.append((0, 0, 1, count))
        files.append(extra)
    return files


class _Spans:
    """The line ranges of the entries of one file, trimmed of trailing blank and comment lines."""

    def __init__(self, entries: list, text: str):
        lines = text.split("\n")
        ordered = sorted(
            ((entry.meta["lineno"], index, entry) for index, entry in enumerate(entries)),
            key=lambda item: (item[0], item[1]),
        )
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.entries: list = []
        starts = [item[0] for item in ordered]
        for position, (start, _, entry) in enumerate(ordered):
            if self.starts and self.starts[-1] == start:
                continue  # a padding transaction at its pad's line
            following = bisect.bisect_right(starts, start, position)
            end = (starts[following] if following < len(starts) else len(lines) + 1) - 1
            while end > start and (end > len(lines) or not lines[end - 1].strip()
                                   or lines[end - 1].lstrip().startswith(";")):
                end -= 1
            self.starts.append(start)
            self.ends.append(end)
            self.entries.append(entry)

    def touching(self, first: int, count: int) -> list:
        """The entries with a line in ``first``..``first + count - 1``."""
        last = first + count - 1
        index = max(bisect.bisect_right(self.starts, first) - 1, 0)
        found = []
        while index < len(self.starts) and self.starts[index] <= last:
            if self.ends[index] >= first:
                found.append(self.entries[index])
            index += 1
        return found


def _as_booked(entry):
    """A parsed (not booked) entry in the form the digest sees after loading: elided amounts marked automatic."""
    if not isinstance(entry, data.Transaction):
        return entry
    postings = []
    changed = False
    for posting in entry.postings:
        units = posting.units
        if units is MISSING or (units is not None and (units.number is MISSING or units.currency is MISSING)):
            posting = posting._replace(units=None, meta={**(posting.meta or {}), "__automatic__": True})
            changed = True
        postings.append(posting)
    return entry._replace(postings=postings) if changed else entry


def _in_window(entry, low: dt.date | None, high: dt.date) -> bool:
    through = close_through(entry)
    if through is not None:
        return (low is None or through > low) and through <= high
    return (low is None or entry.date > low) and entry.date <= high


class _Checker:
    def __init__(self, ctx, root: Path, paths: list[str]):
        self.ctx = ctx
        self.root = root
        self.paths = paths
        self.diffs: dict[str, list[_FileDiff]] = {}
        self.old_spans: dict[tuple[str, str], _Spans | None] = {}
        self.new_spans: dict[str, _Spans | None] = {}
        by_file: dict[str, list] = defaultdict(list)
        for entry in ctx.books.entries:
            meta = entry.meta or {}
            lineno = meta.get("lineno")
            if conv.is_from_file(entry) and isinstance(lineno, int) and lineno > 0:
                by_file[os.path.realpath(str(meta["filename"]))].append(entry)
        self.by_file = by_file

    def diff(self, commit: str) -> list[_FileDiff]:
        if commit not in self.diffs:
            self.diffs[commit] = _diff(self.root, commit, self.paths)
        return self.diffs[commit]

    def new(self, name: str) -> _Spans | None:
        if name not in self.new_spans:
            path = os.path.realpath(str(self.root / name))
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            entries = self.by_file.get(path, [])
            self.new_spans[name] = _Spans(entries, text) if entries else None
        return self.new_spans[name]

    def old(self, commit: str, name: str) -> _Spans | None:
        key = (commit, name)
        if key not in self.old_spans:
            try:
                text = _git(self.root, "show", f"{commit}:./{name}")
            except _GitError:
                text = ""
            entries, _, _ = parser.parse_string(text)
            entries = [_as_booked(e) for e in entries if isinstance(e.meta.get("lineno"), int) and e.meta["lineno"] > 0]
            self.old_spans[key] = _Spans(entries, text) if entries else None
        return self.old_spans[key]

    def changes(self, commit: str, low: dt.date | None, high: dt.date):
        """(changed entries now, changed entries then, {id(entry): hunk}) in the period low < date <= high."""
        now, then = [], []
        hunk_of: dict[int, tuple] = {}  # also: which entries are already listed
        for number, item in enumerate(self.diff(commit)):
            for hunk in item.hunks:
                old_start, old_count, new_start, new_count = hunk
                key = (number, hunk)
                if item.new is not None and new_count:
                    spans = self.new(item.new)
                    if spans is not None:
                        for entry in spans.touching(new_start, new_count):
                            if id(entry) not in hunk_of and _in_window(entry, low, high):
                                now.append((entry, item.new))
                                hunk_of[id(entry)] = key
                if item.old is not None and old_count:
                    spans = self.old(commit, item.old)
                    if spans is not None:
                        for entry in spans.touching(old_start, old_count):
                            if id(entry) not in hunk_of and _in_window(entry, low, high):
                                then.append((entry, item.old))
                                hunk_of[id(entry)] = key
        return now, then, hunk_of


def check_git(ctx) -> list[Finding]:
    """Findings of the git check for the closes in ``ctx.closes``; what git could see goes to ``ctx.git_info``."""
    found, ctx.git_info = _git_findings(ctx, ctx.closes)
    return found


def _git_findings(ctx, statuses) -> tuple[list[Finding], GitInfo]:
    if not ctx.use_git:
        return [], GitInfo(False, "The git check was not run.")
    if not ctx.settings.git_check:
        return [], GitInfo(False, "The git check is turned off (git-check setting).")
    books = ctx.books
    top = repository_root(books.root)
    if top is None:
        return [], GitInfo(False, "The ledger folder is not a git repository.")
    paths = [os.path.relpath(path, books.root) for path in _ledger_files(books)]
    try:
        commits = first_close_commits(books.root, paths)
    except _GitError as error:
        return [_unavailable(ctx, str(error))], GitInfo(True, f"git could not read the history: {error}.")
    info = GitInfo(True, "", {s.through: commits[s.through] for s in statuses if s.through in commits})
    checker = None
    found: list[Finding] = []
    try:
        removed, checker = _removed_closes(ctx, commits, statuses, paths)
        found.extend(removed)
    except _GitError as error:
        return [_unavailable(ctx, str(error))], info
    previous: dt.date | None = None
    previous_intact = True
    seen_throughs = set()
    for status in statuses:
        if status.through in seen_throughs:
            continue
        seen_throughs.add(status.through)
        low, high = previous, status.through
        previous = status.through
        name = period_name(None if low is None else low + ONE_DAY, high)
        first = commits.get(status.through)
        intact = previous_intact
        previous_intact = status.verified and first is not None and first.digest == status.digest
        if first is not None and first.digest == status.digest and (status.verified or not intact):
            # The close line is the one committed: either its digest still matches (so no entry of the
            # period changed), or an earlier period changed and breaks the chain (reported for that period).
            continue
        if first is None:
            found.append(ctx.finding(
                "git", "git-close-uncommitted", "warning",
                f"The close of {name} is not committed to git yet, so later changes cannot be traced to it.",
                "Commit the ledger folder (git add and git commit, or turn on git_autocommit in finsek's settings).",
                date=status.through, filename=status.filename, lineno=status.lineno, edit=False,
            ))
            continue
        try:
            checker = checker or _Checker(ctx, books.root, paths)
            found.extend(_close_findings(ctx, checker, status, first, low, high, name))
        except _GitError as error:
            found.append(_unavailable(ctx, str(error)))
            break
    return found, info


def _removed_closes(ctx, commits: dict, statuses, paths: list[str]) -> tuple[list[Finding], "_Checker | None"]:
    """An error for each close ever committed whose line is gone from the ledger, and, when the period's books
    no longer match the digest committed, an error for each entry of the period that changed since."""
    from finsek.audit.checks.closes import CloseStatus  # the same family's record of a close

    present = {status.through for status in statuses}
    gone = sorted(through for through in commits if through not in present)
    if not gone:
        return [], None
    books = ctx.books
    digests = period_digests(books.entries, gone)
    every = sorted(present | set(commits))
    checker = None
    found: list[Finding] = []
    for through in gone:
        first = commits[through]
        earlier = [other for other in every if other < through]
        low = earlier[-1] if earlier else None
        name = period_name(None if low is None else low + ONE_DAY, through)
        short = first.commit[:10]
        when = f"commit {short} of {first.date}" if first.date else f"commit {short}"
        unchanged = digests[through] == first.digest
        found.append(ctx.finding(
            "git", "git-close-removed", "error",
            f"The close of {name} was committed ({when}) but its close line is no longer in the ledger, so the "
            "period is open to edits again" + (" (its entries still match the digest then)." if unchanged else
                                               ", and its entries no longer match the digest then."),
            f"Restore the close line as it was in {when} (git show {short}); post any correction as a new entry "
            f"dated after {through.isoformat()}.",
            date=through, edit=False,
        ))
        if unchanged:
            continue
        checker = checker or _Checker(ctx, books.root, paths)
        status = CloseStatus(through, through, first.digest, digests[through], None, None)
        found.extend(_close_findings(ctx, checker, status, first, low, through, name))
    return found, checker


def _close_findings(ctx, checker: _Checker, status, first: CloseCommit, low, high, name: str) -> list[Finding]:
    found = []
    short = first.commit[:10]
    when = f"commit {short} of {first.date}" if first.date else f"commit {short}"
    if first.digest != status.digest:
        found.append(ctx.finding(
            "git", "git-close-rewritten", "error",
            f"The close line of {name} is not the one committed when the period was closed ({when}): "
            "the period was closed again, so its digest no longer proves the books are unchanged.",
            f"Compare the books with {when} (git diff {short}) and restore the entries and the close line as "
            "they were; post corrections as new entries dated after the close.",
            date=status.through, filename=status.filename, lineno=status.lineno, edit=False,
        ))
    now, then, hunk_of = checker.changes(first.commit, low, high)
    if not now and not then:
        return found
    now_lines = {entry_line(entry) for entry, _ in now}
    then_lines = {entry_line(entry) for entry, _ in then}
    changed_now = [(entry, path) for entry, path in now if entry_line(entry) not in then_lines]
    changed_then = [(entry, path) for entry, path in then if entry_line(entry) not in now_lines]
    reported_hunks = {hunk_of[id(entry)] for entry, _ in changed_now}
    for entry, _ in changed_now:
        if isinstance(entry, data.Custom) and entry.type == "close":
            continue  # reported above as a rewritten close, or the close line moved
        found.append(ctx.finding(
            "git", "git-changed-after-close", "error",
            f"An entry dated {entry.date.isoformat()} in {name} was changed or added after the period was closed "
            f"({when}).",
            f"See what changed with git diff {short}; undo the edit and post the correction as a new entry dated "
            f"after {high.isoformat()}.",
            entry, edit=False,
        ))
    for entry, path in changed_then:
        if hunk_of[id(entry)] in reported_hunks or (isinstance(entry, data.Custom) and entry.type == "close"):
            continue
        found.append(ctx.finding(
            "git", "git-changed-after-close", "error",
            f"An entry dated {entry.date.isoformat()} in {name}, at {path} line {entry.meta['lineno']} when the "
            f"period was closed ({when}), has been removed or changed.",
            f"See what changed with git diff {short}; restore the entry and post any correction as a new entry "
            f"dated after {high.isoformat()}.",
            date=entry.date, filename=str(checker.root / path), edit=False,
        ))
    if not found and (now or then):
        found.append(ctx.finding(
            "git", "git-formatting", "note",
            f"Lines of entries in {name} changed after the period was closed ({when}), but every entry is "
            "unchanged: the file was reformatted or entries were moved.",
            "Nothing to do if the change was reformatting (bean-format) or moving entries between files.",
            date=status.through, filename=status.filename, lineno=status.lineno, edit=False,
        ))
    return found


def _unavailable(ctx, problem: str) -> Finding:
    return ctx.finding(
        "git", "git-unavailable", "note",
        f"The ledger folder is a git repository, but git could not read its history ({problem}): changes after "
        "a close were not looked for in git.",
        "Run 'git status' in the ledger folder to see what git needs (for example, marking the folder as safe).",
        edit=False,
    )
