"""Whether a ledger file ends in text Beancount cannot read, before finsek appends to it.

An entry appended after an unclosed string (or any other text the parser
cannot read) would be glued to it: the save would say "Saved" and the gift
would vanish into the broken line. So before each append the end of the
file is parsed: a parse error after the last entry that parsed means the file
ends broken, and the save is refused naming that line.

Only the last part of the file is read (a save's cost must not grow with the
ledger), and only its last two entries and what follows them are parsed,
from a line that begins an entry. When that looks broken (a rare case, and
one a multi-line string that began earlier could fake), the whole file is
parsed to make sure.
"""

import re
from pathlib import Path
from typing import NamedTuple

from beancount.parser import parser

TAIL_BYTES = 16 * 1024

# A line that begins a directive: a date, or one of the undated keywords.
_START = re.compile(rb"^(?:\d{4}-\d{2}-\d{2}[ \t]|option[ \t]|include[ \t]|plugin[ \t]|push|pop)", re.MULTILINE)


class BrokenEnd(NamedTuple):
    """Where a file stops being readable: the line of the first parse error after its last entry."""

    path: Path
    lineno: int
    message: str

    def sentence(self) -> str:
        return (f"{self.path.name} ends with text Beancount cannot read (line {self.lineno}: {self.message}), "
                f"so a new entry would be lost in it: nothing was saved; fix line {self.lineno} of "
                f"{self.path.name} (finsek check shows it), then save again.")


def broken_end(path: Path, total_lines: int | None = None) -> BrokenEnd | None:
    """The first parse error after the last entry of ``path`` (None when its end parses, or it is empty).

    ``total_lines`` (the file's newline count, if the caller knows it) spares
    reading the whole file to number the lines of its last part.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            start = max(0, size - TAIL_BYTES)
            handle.seek(start)
            chunk = handle.read()
    except OSError:
        return None
    if not chunk.strip():
        return None
    begins = [match.start() for match in _START.finditer(chunk, 1 if chunk[:1] == b"\n" else chunk.find(b"\n") + 1)]
    if start and not begins:
        return _whole(path)  # no entry begins in the last part: read it all
    if len(begins) > 2 or start:
        if total_lines is None:
            return _whole(path)
        chunk = chunk[begins[-2] if len(begins) > 1 else begins[-1]:]  # the last two entries and what follows
        first_line = total_lines - chunk.count(b"\n") + 1
    else:
        first_line = 1
    found = _first_error_after_last_entry(chunk, first_line)
    if found is None or first_line == 1:
        return None if found is None else BrokenEnd(path, *found)
    return _whole(path)  # the last part looks broken: the whole file says whether it is


def _whole(path: Path) -> BrokenEnd | None:
    try:
        content = path.read_bytes()
    except OSError:
        return None
    found = _first_error_after_last_entry(content, 1)
    return BrokenEnd(path, *found) if found else None


def _first_error_after_last_entry(content: bytes, first_line: int) -> tuple[int, str] | None:
    """(line, message) of the first parse error after the last entry parsed in ``content``, else None."""
    text = content.decode("utf-8", errors="replace")
    entries, errors, _ = parser.parse_string(text)
    last = max((entry.meta.get("lineno", 0) for entry in entries), default=0)
    late = sorted(
        (error.source.get("lineno") or 0, str(error.message).splitlines()[0] if error.message else "error")
        for error in errors
        if (error.source or {}).get("lineno") and error.source["lineno"] > last
    )
    if not late:
        return None
    lineno, message = late[0]
    return lineno + first_line - 1, message
