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

#: Control characters that must never reach a terminal as they are: C0 (but newline), DEL and C1.
_TERMINAL_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_TERMINAL_CONTROL_NO_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f]")


def printable(value: object, *, newlines: bool = True, tabs: bool = False) -> str:
    """``value`` as text safe for a terminal: control characters shown escaped (``\\x1b``).

    Newline is kept unless ``newlines`` is false, tab only with ``tabs`` (CSV
    on standard output is data a user may redirect to a file); every other
    C0 control, DEL and every C1 control is written as ``\\xNN``, so no
    escape sequence finsek prints can move the cursor, clear the screen or
    set a title.
    """
    text = str(value)
    pattern = _TERMINAL_CONTROL if newlines else _TERMINAL_CONTROL_NO_NEWLINE
    return pattern.sub(lambda match: match.group() if tabs and match.group() == "\t" else
                       f"\\x{ord(match.group()):02x}", text)


def _char_name(char: str) -> str:
    return unicodedata.name(char, "UNNAMED CHARACTER")


#: Letters of other alphabets that look like Latin ones: the skeleton the counters' names are compared by.
_CONFUSABLE = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ӏ": "l", "ё": "e", "ї": "i",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "п": "n", "ı": "i",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
})


def skeleton(value: str) -> str:
    """``value`` folded for comparing names: NFKC, case-folded, look-alike letters of other alphabets as Latin."""
    text = unicodedata.normalize("NFKC", value).translate(_CONFUSABLE)
    text = unicodedata.normalize("NFKC", text.casefold())
    return " ".join(text.split())


def person_key(value: str) -> str:
    """A person's name folded for "is this the same person?": the ``skeleton`` (NFKC, case, look-alike letters),
    without invisible (format) characters, punctuation read as a space. ``A. Svensson`` and ``a svensson`` are
    one person; ``Åsa`` and ``Asa`` are two."""
    visible = "".join(char for char in value if unicodedata.category(char) != "Cf")
    folded = skeleton(visible)
    spaced = "".join(" " if unicodedata.category(char).startswith("P") else char for char in folded)
    return " ".join(spaced.split())


#: Alphabets whose letters look alike; a word that mixes two of them is refused.
_LOOK_ALIKE_ALPHABETS = {"LATIN", "CYRILLIC", "GREEK"}


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    script = unicodedata.name(char, "").split(" ", 1)[0]
    return script if script in _LOOK_ALIKE_ALPHABETS else None


def check_one_alphabet(value: str, field: str) -> str:
    """Refuse a word that mixes letters of two alphabets (a Latin name with a Cyrillic ``А`` in it)."""
    for word in value.split():
        scripts = {script for char in word if (script := _script(char))}
        if len(scripts) > 1:
            raise Refused(
                f"The {field} '{printable(word)}' mixes letters of two alphabets: type it again "
                "with the letters of one.",
                field,
            )
    return value


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
        category = unicodedata.category(char)
        if category in _LINE_BREAKING:
            what = "a line break" if char in "\r\n\u2028\u2029\x85" else "an invisible control character"
            raise Refused(f"The {field} contains {what}: keep it on one line.", field)
        if category == "Cf":
            raise Refused(
                f"The {field} holds an invisible character (U+{ord(char):04X} {_char_name(char)}): "
                "type it again without it.",
                field,
            )
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
