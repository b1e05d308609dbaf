"""The font every finsek PDF is set in: DejaVu Sans, which matplotlib ships.

DejaVu covers any organisation's or donor's name (unlike the PDF core fonts,
which stop at Latin-1). ``font_dir`` finds it, once per process; without it
(no matplotlib) the PDFs fall back to the core font Helvetica.

``Fonts`` holds the files one document embeds: ``Fonts.whole()`` the full
font, ``Fonts.subset(texts)`` a copy cut down to the characters a batch of
documents uses. Parsing and subsetting the full font costs more than drawing
a giving statement, so a batch subsets once and every document of the batch
embeds the small copy. Nothing here imports fpdf2.

Coverage (issue 13): DejaVu has no Chinese, Japanese or Korean, no emoji,
and without a shaping engine Arabic and Hebrew would print unjoined and in
the wrong order. ``fallback_fonts`` finds fonts with that coverage where
the system has them (Noto CJK, Droid Sans Fallback, GNU Unifont: Debian's
``fonts-noto-cjk``, ``fonts-droid-fallback``, ``fonts-unifont``), which the
PDFs then use for what DejaVu lacks. A character no font has is never
dropped silently: ``Coverage.printable`` prints it as U+FFFD (a visible "�")
and remembers the text, which the command line then names in a warning
(``take_unprintable``).
"""

import functools
import importlib.util
import os
import shutil
import sys
import tempfile
import threading
import unicodedata
from pathlib import Path

FAMILY = "DejaVu"
#: The font file of each fpdf2 style: regular, bold, italic, bold italic.
FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf",
         "BI": "DejaVuSans-BoldOblique.ttf"}
#: Characters every subset keeps: printable ASCII, Latin-1 and the punctuation finsek prints.
ALWAYS = "".join(chr(code) for code in range(0x20, 0x7F)) + "".join(chr(code) for code in range(0xA0, 0x100)) + (
    "…–—·’‘“”•\u202f"
)


@functools.cache
def font_dir() -> Path | None:
    """The folder holding DejaVu Sans in every style, or None when matplotlib (and so the font) is missing."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    return folder if all((folder / name).is_file() for name in FILES.values()) else None


class Fonts:
    """The font files a document embeds, by fpdf2 style; none when DejaVu is missing (Helvetica then).

    A subset lives in a private temporary folder: ``close`` (or leaving a
    ``with`` block) removes it.
    """

    def __init__(self, files: dict[str, Path], folder: Path | None = None):
        self.files = files
        self.folder = folder

    @classmethod
    def whole(cls, styles: tuple[str, ...] = ("", "B")) -> "Fonts":
        """The full font in ``styles`` (fpdf2 embeds every style added, used or not: add only those drawn)."""
        folder = font_dir()
        return cls({style: folder / FILES[style] for style in styles} if folder else {})

    @classmethod
    def subset(cls, texts: list[str], styles: tuple[str, ...] = ("", "B")) -> "Fonts":
        """The font cut down to the characters of ``texts`` (and ``ALWAYS``); the whole font if that fails."""
        whole = cls.whole(styles)
        if not whole.files:  # pragma: no cover - matplotlib is a dependency
            return whole
        characters = set(ALWAYS)
        for text in texts:
            characters.update(text)
        folder = Path(tempfile.mkdtemp(prefix="finsek-fonts-"))
        try:
            from fontTools import subset, ttLib  # fontTools (fpdf2's): only when a PDF's font is subset (start-up time)

            files = {}
            for style, source in whole.files.items():
                font = ttLib.TTFont(source, recalcTimestamp=False)
                options = subset.Options(notdef_outline=True, recommended_glyphs=True, layout_features=[])
                options.drop_tables += ["FFTM"]
                subsetter = subset.Subsetter(options)
                subsetter.populate(unicodes=sorted(ord(char) for char in characters))
                subsetter.subset(font)
                target = folder / source.name
                font.save(str(target))
                files[style] = target
        except Exception:  # pragma: no cover - fall back to the whole font
            shutil.rmtree(folder, ignore_errors=True)
            return whole
        return cls(files, folder)

    @property
    def unicode(self) -> bool:
        return bool(self.files)

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> "Fonts":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- coverage ------------------------------------------------------------------------------

#: Fonts with wide coverage, by file name, in the order they are preferred as fallbacks.
FALLBACK_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.ttf",
                  "DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "unifont.otf", "unifont.ttf")
#: Where systems keep fonts.
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
                "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts")
#: Scripts written right to left: printed only with a shaping engine (fpdf2's uharfbuzz), else replaced.
_RIGHT_TO_LEFT = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF), (0x10800, 0x10FFF), (0x1E800, 0x1EFFF))
REPLACEMENT = "\ufffd"


@functools.cache
def fallback_fonts() -> tuple[Path, ...]:
    """The wide-coverage fonts this system has (``FALLBACK_FILES``), at most one file of each name."""
    found: dict[str, Path] = {}
    wanted = set(FALLBACK_FILES)
    for folder in FONT_FOLDERS:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for directory, _, names in os.walk(root):
            for name in wanted.intersection(names):
                found.setdefault(name, Path(directory) / name)
    return tuple(found[name] for name in FALLBACK_FILES if name in found)


@functools.cache
def _cmap(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for (empty when it cannot be read)."""
    try:
        from fontTools import ttLib  # fpdf2's dependency: only when a PDF is made

        font = ttLib.TTFont(str(path), fontNumber=0, lazy=True)
        try:
            return frozenset(font.getBestCmap() or {})
        finally:
            font.close()
    except Exception:
        return frozenset()


def shaping_available() -> bool:
    return importlib.util.find_spec("uharfbuzz") is not None


class Coverage:
    """What the PDF's fonts can print; ``printable(text)`` turns the rest into a visible replacement."""

    def __init__(self, covered: frozenset[int] | None, shaping: bool = False):
        self.covered = covered  # None: every character (the core-font path cleans text its own way)
        self.shaping = shaping

    @classmethod
    def of(cls, fonts: "Fonts", fallbacks: tuple[Path, ...] = ()) -> "Coverage":
        """The coverage of DejaVu in every style ``fonts`` embeds (whole, even when ``fonts`` is a subset)
        and of the fallbacks."""
        folder = font_dir()
        if not fonts.unicode or folder is None:
            return cls(None)
        sets = [_cmap(folder / FILES[style]) for style in fonts.files]
        covered = frozenset.intersection(*sets) if sets else frozenset()
        for path in fallbacks:
            covered |= _cmap(path)
        return cls(covered, shaping_available())

    def printable(self, text: str) -> str:
        """``text`` with each character no font has (and right-to-left letters without shaping) as U+FFFD;
        invisible format characters the fonts lack are left out."""
        if self.covered is None or text.isascii():
            return text
        missing = {char for char in set(text) if not self._prints(char)}
        if not missing:
            return text
        invisible = {char for char in missing if unicodedata.category(char) == "Cf"}
        if missing - invisible:
            _remember(text)
        replacement = REPLACEMENT if ord(REPLACEMENT) in self.covered else "?"
        return "".join(char if char not in missing else replacement for char in text if char not in invisible)

    def _prints(self, char: str) -> bool:
        code = ord(char)
        return char in "\n\t" or (code in self.covered and (self.shaping or not _right_to_left(code)))


def _right_to_left(code: int) -> bool:
    return any(low <= code <= high for low, high in _RIGHT_TO_LEFT)


_unprintable: dict[str, None] = {}
_unprintable_lock = threading.Lock()


def _remember(text: str) -> None:
    with _unprintable_lock:
        if len(_unprintable) < 1000:
            _unprintable[text] = None


def take_unprintable() -> list[str]:
    """The texts PDFs made since the last call could not print whole (each once), and forget them."""
    with _unprintable_lock:
        texts = list(_unprintable)
        _unprintable.clear()
    return texts


def unprintable_warning(texts: list[str]) -> str:
    """One sentence for the command line naming the texts a PDF printed with "�" in place of some letters."""
    shown = ", ".join(f"'{text}'" for text in texts[:5]) + (f" and {len(texts) - 5} more" if len(texts) > 5 else "")
    hint = ("install a font with that coverage (on Debian or Ubuntu: fonts-noto-cjk or fonts-unifont)"
            if sys.platform.startswith("linux") else "install a Noto font with that coverage")
    return (f"warning: the PDF's fonts have no letters for part of {shown}, printed as \ufffd there; "
            f"check those names on paper, or {hint} and make the PDF again.")
