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

from finsek.core.errors import LockBusy, Refused

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


class Held:
    """The lock while held: ``announce()`` writes who holds it, for a process that has to wait to read.

    Only a holder about to write the ledger announces itself (the write path
    does, just before it writes), so a save refused under the lock, a cache
    write or a reload leave ``.finsek.lock`` as they found it; the holder that
    announced empties it again as it lets go.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.announced = False

    def announce(self) -> None:
        if self.announced:
            return
        os.ftruncate(self.fd, 0)
        os.lseek(self.fd, 0, os.SEEK_SET)
        os.write(self.fd, _holder_text().encode())
        self.announced = True


@contextlib.contextmanager
def ledger_lock(root: Path, timeout: float = 15.0) -> Iterator[Held]:
    """Hold the ledger's lock; wait up to ``timeout`` seconds, then say who holds it (when it said so)."""
    path = Path(root) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise Refused(f"finsek cannot write in the ledger folder {root} ({error.strerror or error}): nothing was "
                      "changed; check that the folder is yours and not read-only, then try again.") from None
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
        held = Held(fd)
        try:
            yield held
        finally:
            if held.announced:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
            _unlock(fd)
    finally:
        os.close(fd)
