"""Files as finsek reads and writes them.

A stamp (what ``stat`` says) tells cheaply whether anyone wrote a file; a
``FileState`` keeps the sha256 of what finsek last read or wrote, and grows
with each append, so the write path and the cache key never read a file
twice. Writes are atomic (temp file, fsync, rename, fsync of the folder) and
keep the file's permission bits; private files are created 0600.
"""

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path
from typing import NamedTuple

from finsek.core.errors import Refused

#: How ``write_atomically`` ends its temporary files' names (``.NAME.XXXX.finsek-tmp``): the ledger cleans
#: up any a killed process left (``Ledger._remove_leftovers``).
TEMP_SUFFIX = ".finsek-tmp"


class FileStamp(NamedTuple):
    """What ``stat`` says of a file: any write by anyone changes one of these."""

    size: int
    mtime_ns: int
    ctime_ns: int = 0
    inode: int = 0


def file_stamp(path: Path) -> FileStamp | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return FileStamp(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def sha256_of(name: str | Path) -> str | None:
    """The sha256 of a file's content, or None when it cannot be read."""
    try:
        with open(name, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


class FileState:
    """What finsek knows of one file's content since it read it: digest, size, lines, last bytes, stamp."""

    __slots__ = ("hasher", "lines", "size", "stamp", "tail")

    def __init__(self, content: bytes, stamp: FileStamp | None):
        self.hasher = hashlib.sha256(content)
        self.size = len(content)
        self.lines = content.count(b"\n")
        self.tail = content[-2:]
        self.stamp = stamp

    @property
    def sha(self) -> str:
        return self.hasher.hexdigest()

    def grow(self, addition: bytes, stamp: FileStamp | None) -> None:
        """Take in bytes finsek just appended, without reading the file again."""
        self.hasher.update(addition)
        self.size += len(addition)
        self.lines += addition.count(b"\n")
        self.tail = (self.tail + addition)[-2:]
        self.stamp = stamp


def read_state(path: Path) -> FileState | None:
    try:
        stamp = file_stamp(path)
        content = Path(path).read_bytes()
    except OSError:
        return None
    return FileState(content, stamp)


def link_target(path: Path) -> Path:
    """The file a symbolic link ``path`` points to, where finsek writes through it; refused when that is not
    a regular file of this user (a dangling link, a device, someone else's file)."""
    try:
        target = Path(path).resolve(strict=True)
        status = os.stat(target)
    except (OSError, RuntimeError):
        raise Refused(f"{Path(path).name} is a link to {os.readlink(path)}, which does not exist: nothing was "
                      "written; restore that file, or replace the link with the file itself.") from None
    if not stat.S_ISREG(status.st_mode) or (hasattr(os, "getuid") and status.st_uid != os.getuid()):
        raise Refused(f"{Path(path).name} is a link to {target}, which is not a file of yours: nothing was "
                      "written; replace the link with the file itself.")
    return target


def write_atomically(path: Path, content: bytes, mode: int | None = None) -> None:
    """Replace ``path`` with ``content``: temp file, fsync, rename, fsync folder.

    A crash leaves either the old file or the new one, never half of either.
    The file keeps its permission bits (or takes ``mode`` when new). A
    symbolic link is written through: its target is replaced the same way, in
    the target's folder, and the link stays a link (``link_target``).
    """
    path = Path(path)
    if path.is_symlink():
        path = link_target(path)
    try:
        status = os.stat(path)
        keep_mode, owner = status.st_mode & 0o7777, (status.st_uid, status.st_gid)
    except FileNotFoundError:
        keep_mode, owner = (mode if mode is not None else 0o644), None
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, keep_mode)
        if owner is not None and hasattr(os, "chown"):
            with contextlib.suppress(PermissionError):
                os.chown(temp, *owner)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content``, readable only by the user (0600); no fsync (caches, not records)."""
    temp = Path(path).with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
