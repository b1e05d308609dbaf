"""Garbage collection paused while long-lived data is built.

Loading the books, decoding their entries, indexing the journal and
auditing make millions of objects that live as long as the books and form
no reference cycles. A collection in the middle of that walks all of them
while holding the GIL (hundreds of milliseconds on 100,000 transactions),
and the app's screen freezes meanwhile. Work that builds such data runs
inside ``paused()`` (from any thread); when the last such work ends, what
was built is frozen (never scanned again) and collection resumes as it was.
"""

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_holders = 0
_was_enabled = True


def hold() -> None:
    """Pause collection until the matching ``release`` (calls nest, across threads)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1


def release() -> None:
    global _holders
    with _lock:
        if _holders == 0:
            return
        _holders -= 1
        if _holders == 0:
            gc.freeze()
            if _was_enabled:
                gc.enable()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    hold()
    try:
        yield
    finally:
        release()
