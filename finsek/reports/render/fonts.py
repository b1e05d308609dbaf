"""The font every finsek PDF is set in: DejaVu Sans, which matplotlib ships.

DejaVu covers any organisation's or donor's name (unlike the PDF core fonts,
which stop at Latin-1). ``font_dir`` finds it, once per process; without it
(no matplotlib) the PDFs fall back to the core font Helvetica.

``Fonts`` holds the files one document embeds: ``Fonts.whole()`` the full
font, ``Fonts.subset(texts)`` a copy cut down to the characters a batch of
documents uses. Parsing and subsetting the full font costs more than drawing
a giving statement, so a batch subsets once and every document of the batch
embeds the small copy. Nothing here imports fpdf2.
"""

import functools
import importlib.util
import shutil
import tempfile
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
