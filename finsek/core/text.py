"""Text that goes into the ledger: checked, then escaped.

Beancount strings are double-quoted with backslash escapes for ``"`` and
``\\``. finsek refuses control characters (newlines included) rather than
folding them, so whatever a person typed either round-trips exactly or is
refused with a message: no input can inject a directive.
"""

import re
import unicodedata

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
