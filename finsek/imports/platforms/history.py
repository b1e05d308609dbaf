"""The entries earlier imports wrote, found without reading every entry of the books.

An import needs only the entries that carry ``online-id`` (to skip lines
imported before, and to remember givers, funds and accounts). Reading all
100,000 entries of a large ledger from the cache takes seconds; the files
themselves are searched instead for entries with the key, and only those are
parsed, in one pass of Beancount's parser.
"""

import re
from pathlib import Path

from beancount.core import data
from beancount.parser import parser

from finsek.ledger.books import Books

#: A dated entry line, the start of an entry.
_ENTRY_START = re.compile(r"^\d{4}-\d{2}-\d{2}[ \t]", re.MULTILINE)


def imported_entries(books: Books, key: str) -> list[data.Transaction]:
    """Every transaction in the ledger's files whose text holds ``key:``."""
    marker = f"{key}:"
    blocks: list[str] = []
    for path in books.files:
        if path.suffix != ".beancount" and path.name != books.main.name:
            continue
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if marker in text:
            blocks.extend(_blocks_with(text, marker))
    if not blocks:
        return []
    entries, _errors, _options = parser.parse_string("\n".join(blocks))
    return [entry for entry in entries if isinstance(entry, data.Transaction) and key in entry.meta]


def _blocks_with(text: str, marker: str) -> list[str]:
    starts = [match.start() for match in _ENTRY_START.finditer(text)] + [len(text)]
    found = []
    position = text.find(marker)
    index = 0
    while position >= 0:
        while index + 1 < len(starts) and starts[index + 1] <= position:
            index += 1
        block = text[starts[index]:starts[index + 1]]
        found.append(block if block.endswith("\n") else block + "\n")
        position = text.find(marker, starts[index + 1])
    return found
