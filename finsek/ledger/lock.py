"""An exclusive lock on a ledger folder, shared by every finsek process.

The lock is an OS file lock (``flock`` on POSIX, ``msvcrt.locking`` on
Windows) on ``.finsek.lock`` in the ledger folder, so it is released when the
process dies. The holder writes who it is into the file, so a process that
has to wait can tell the user who is saving.
"""

import contextlib
import getpass
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from finsek.core.errors import LockBusy

LOCK_NAME = ".finsek.lock"

if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _holder_text() -> str:
    try:
        user = getpass.getuser()
    except Exception:
        user = "someone"
    return f"{user} on {socket.gethostname()} (process {os.getpid()}) since {time.strftime('%H:%M:%S')}"


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 300).decode("utf-8", "replace").strip() or "another finsek"
    except OSError:
        return "another finsek"


@contextlib.contextmanager
def ledger_lock(root: Path, timeout: float = 15.0) -> Iterator[None]:
    """Hold the ledger's lock; wait up to ``timeout`` seconds, then say who holds it."""
    path = Path(root) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        delay = 0.005
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise LockBusy(
                    f"The ledger is being saved by {_read_holder(fd)}. "
                    "Wait a moment and save again; nothing was changed."
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, _holder_text().encode())
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
