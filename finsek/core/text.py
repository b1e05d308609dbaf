"""Text that goes into the ledger (checked, then escaped), and text that goes out to spreadsheets and Markdown.

Beancount strings are double-quoted with backslash escapes for ``"`` and
``\\``. finsek refuses control characters (newlines included) rather than
folding them, so whatever a person typed either round-trips exactly or is
refused with a message: no input can inject a directive.
"""

import re
import unicodedata
from typing import Any

from finsek.core.errors import Refused

MAX_TEXT = 500

_LINE_BREAKING = {"Zl", "Zp", "Cc", "Cs", "Co", "Cn"}


def check_text(value: str, field: str, *, required: bool = False, max_length: int = MAX_TEXT) -> str:
    """Return ``value`` stripped of outer spaces, or refuse it in plain words."""
    text = (value or "").strip()
    if required and not text:
        raise Refused(f"The {field} is empty: please fill it in.", field)
    if len(text) > max_length:
        raise Refused(
            f"The {field} is {len(text)} characters long: keep it under {max_length}.", field
        )
    for char in text:
        if unicodedata.category(char) in _LINE_BREAKING:
            what = "a line break" if char in "\r\n\u2028\u2029\x85" else "an invisible control character"
            raise Refused(f"The {field} contains {what}: keep it on one line.", field)
    return text


def quote(value: str) -> str:
    """A Beancount string literal for already-checked text."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(value: str, max_length: int = 40, empty: str = "file") -> str:
    """A file-name-safe ASCII slug: ``City Power & Light`` → ``city-power-light``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    text = _SLUG.sub("-", ascii_text.lower()).strip("-")
    return text[:max_length].strip("-") or empty


# -- Text that goes out: spreadsheets and Markdown ----------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def sheet_text(value: str) -> str:
    """A text cell for a CSV: text a spreadsheet would take for a formula gets a leading ``'``.

    OWASP's advice against CSV injection. Only for text: a number (an amount, a
    count) is written as it is, so a negative amount stays a number.
    """
    return "'" + value if value.startswith(FORMULA_START) else value


def xlsx_text(cell: Any) -> None:
    """Keep an openpyxl cell's text a string, never a formula.

    openpyxl makes any ``str`` starting with ``=`` a formula; such a cell is
    typed back to text, so the sheet shows the literal text (no ``'`` added).
    Numbers are left alone. finsek writes no formulas of its own.
    """
    if cell.data_type == "f":
        cell.data_type = "s"


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:(#{1,6}(?=\s|$)|[+\-=](?=[\s\-=]|$))|(\d{1,9})([.)])(?=\s|$))")


def markdown_text(value: str) -> str:
    """Text for Markdown that renders as the same literal text.

    Inline Markdown punctuation (emphasis, code, links, tables, strike-through)
    is backslash-escaped, as is a leading heading, list or rule marker (not the
    minus of ``-12.50``);
    ``&``, ``<`` and ``>`` become HTML entities, so no tag or link is made;
    line breaks become spaces.
    """
    text = " ".join(value.splitlines())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return _MARKDOWN_LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match) -> str:
    if match.group(2):  # a heading, list or underline marker: "\\#"
        return match.group(1) + "\\" + match.group(2)
    return match.group(1) + match.group(3) + "\\" + match.group(4)  # an ordered list: "1\\."
