"""One SIE line: its label and fields, read and written as the format says.

Fields are separated by spaces or tabs; a field with a space, a quote or
nothing in it is quoted, a quote inside is written ``\\"``; an object list is
``{dim "object" ...}``. Files are written in PC8 (IBM code page 437), as
``#FORMAT PC8`` says; files are read in UTF-8 only when they decode as
UTF-8 and are not plain ASCII (some programs write UTF-8 and say PC8).
"""

from decimal import Decimal

ENCODING = "cp437"
#: Characters the format does not allow in a field (control characters), written as a space.
_CONTROL = {code: " " for code in (*range(32), 127)}
#: Typographic characters PC8 lacks, written as the plain ones it has (others become ``?``, reported).
PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "\u00a0": " ",
                       "€": "EUR"})


class Objects(tuple):
    """An object list ``{1 "10" 6 "p1"}``: pairs of dimension number and object code."""


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 when it is valid UTF-8 with non-ASCII bytes, else PC8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if any(byte >= 0x80 for byte in raw):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return raw.decode(ENCODING)


def split(line: str) -> list[str | Objects]:
    """The fields of one line, label first; quotes removed, object lists as ``Objects``."""
    fields: list[str | Objects] = []
    position, size = 0, len(line)
    while position < size:
        char = line[position]
        if char in " \t\r\n":
            position += 1
        elif char == '"':
            text, position = _quoted(line, position + 1)
            fields.append(text)
        elif char == "{":
            end = line.find("}", position)
            end = size if end < 0 else end
            inner = split(line[position + 1 : end])
            fields.append(Objects(str(field) for field in inner))
            position = end + 1
        else:
            start = position
            while position < size and line[position] not in " \t\r\n{":
                position += 1
            fields.append(line[start:position])
    return fields


def _quoted(line: str, position: int) -> tuple[str, int]:
    chars = []
    while position < len(line):
        char = line[position]
        if char == "\\" and position + 1 < len(line) and line[position + 1] == '"':
            chars.append('"')
            position += 2
        elif char == '"':
            return "".join(chars), position + 1
        else:
            chars.append(char)
            position += 1
    return "".join(chars), position


def quote(text: str) -> str:
    """``text`` as one field: always quoted, control characters made spaces, quotes escaped."""
    clean = text.translate(_CONTROL).translate(PLAIN)
    if clean.endswith("\\"):
        clean += " "  # a backslash before the closing quote would escape it
    return '"' + clean.replace('"', '\\"') + '"'


def objects(pairs: list[tuple[int, str]]) -> str:
    return "{" + " ".join(f"{dim} {quote(code)}" for dim, code in pairs) + "}"


def amount(number: Decimal) -> str:
    """An amount as SIE writes it: a point, no thousands separator, two decimals at least."""
    text = f"{number:.2f}" if number == number.quantize(Decimal("0.01")) else format(number.normalize(), "f")
    return "0.00" if text in ("-0.00", "0.00") else text


def line(label: str, *fields: str) -> str:
    return " ".join((f"#{label}", *fields))


def encodable(text: str) -> str:
    """Characters of ``text`` that PC8 cannot hold (each once, in order)."""
    missing = []
    for char in text:
        try:
            char.encode(ENCODING)
        except UnicodeEncodeError:
            if char not in missing:
                missing.append(char)
    return "".join(missing)
