"""The fpdf2 document every finsek PDF starts from: board and ad-hoc reports, the audit report, giving statements.

Importing this module imports fpdf2 (about a second): import it only when a
PDF is made.

``Document(paper, title=..., made=...)`` is an fpdf2 ``FPDF`` in millimetres on
A4 or Letter, with

- the font found once (``fonts.py``): DejaVu Sans as ``face``, or the core
  font Helvetica where it is missing; ``clean`` turns characters that font
  lacks into plain ones, ``fit`` cuts a text to a width with an ellipsis and
  ``font`` sets size, style and colour in one call;
- margins (15 mm unless told) and automatic page breaks 16 mm above the foot
  (or none, for pages laid out by hand);
- the page frame: with a ``Frame`` every page carries the organisation and
  the report's title and period at its head, and the date it was made and
  "Page N of M" at its foot. ``number_pages`` numbers a run of pages on its
  own instead (one giving statement in a file of many);
- what the renderers share: ``rule`` (a line across the page), ``put`` (a
  fitted cell at a point), ``heading`` (a section title over a rule),
  ``paragraphs`` (plain or bulleted), ``grid`` (a table with its heading
  row repeated on each page and numbers to the right) and ``notes`` (small
  print under a table).

Print for readers of any age: no table text, heading or note is set below
``MIN_TABLE_PT`` (9 pt); ``grid`` and ``notes`` hold to it whatever size a
caller asks for.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.fonts import FontFace

from finsek.reports.render.fonts import FAMILY, Coverage, Fonts, fallback_fonts

PAPERS = {"a4": "A4", "letter": "Letter"}
MARGIN = 15.0
#: Automatic page breaks happen this far (mm) above the foot of the page, clear of the footer.
BOTTOM = 16.0
#: Space (mm) left and right of the text in a table cell.
PAD = 1.2
#: Plain stand-ins for characters the core font Helvetica lacks (or prints badly).
PLAIN = {"…": "...", "–": "-", "—": "-", "·": "-", "→": "->", "•": "-", "\u00a0": " "}
#: The smallest type (pt) of any table cell, table heading or note under a table.
MIN_TABLE_PT = 9.0
#: The notes under a table (pt).
NOTE_PT = 9.0
#: Line height (mm) per pt of type in a table.
LINE_MM_PER_PT = 0.46


@dataclass(frozen=True)
class Frame:
    """What every page of a report carries."""

    organisation: str
    heading: str
    """The report and its period: ``Board report · February 2026``."""
    made: dt.date


def report_frame(report) -> Frame:
    """The frame of a report that has an organisation, a title, a period label and a generation date."""
    return Frame(report.organisation, f"{report.title} · {report.period_label}", report.generated)


class Document(FPDF):
    """One PDF: paper, font, margins, metadata and (with a ``Frame``) the running head and foot."""

    def __init__(
        self,
        paper: str,
        *,
        title: str,
        made: dt.date,
        author: str = "",
        fonts: Fonts | None = None,
        margins: tuple[float, float, float] = (MARGIN, MARGIN, MARGIN),
        bottom: float | None = BOTTOM,
        frame: Frame | None = None,
    ):
        paper = paper.lower()
        if paper not in PAPERS:
            raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
        super().__init__(orientation="P", unit="mm", format=PAPERS[paper])
        fonts = Fonts.whole() if fonts is None else fonts
        for style, path in fonts.files.items():
            self.add_font(FAMILY, style, str(path))
        self.unicode = fonts.unicode
        self.face = FAMILY if self.unicode else "Helvetica"
        fallbacks = fallback_fonts() if self.unicode else ()
        usable = []
        for number, path in enumerate(fallbacks):
            try:
                self.add_font(f"finsek-fallback-{number}", "", str(path))
                usable.append(path)
            except Exception:  # a font fpdf2 cannot read: the coverage is counted without it
                continue
        if usable:
            self.set_fallback_fonts([f"finsek-fallback-{fallbacks.index(path)}" for path in usable],
                                    exact_match=False)
        #: What the fonts can print: ``clean`` shows the rest as a visible replacement, never drops it.
        self.coverage = Coverage.of(fonts, tuple(usable))
        if self.unicode and self.coverage.shaping:
            try:  # right-to-left scripts joined and in order (uharfbuzz installed)
                self.set_text_shaping(True)
            except Exception:
                self.coverage.shaping = False
        self.frame = frame
        self.set_margins(*margins)
        self.set_auto_page_break(bottom is not None, margin=bottom or 0)
        self.set_title(title)
        if author:
            self.set_author(author)
        self.set_creator("finsek")
        self.set_creation_date(dt.datetime.combine(made, dt.time(12), tzinfo=dt.UTC))

    # -- text ----------------------------------------------------------------

    def clean(self, text) -> str:
        """``text`` as the fonts can print it: in DejaVu (and the system's fallback fonts) with a visible "�"
        for what none has (``Coverage``); in Helvetica, Latin-1 with ``?`` for the rest."""
        text = str(text)
        if self.unicode:
            return self.coverage.printable(text)
        for wide, plain in PLAIN.items():
            text = text.replace(wide, plain)
        return text.encode("latin-1", "replace").decode("latin-1")

    def fit(self, text, width: float) -> str:
        """``text`` cleaned and cut with an ellipsis to fit ``width`` at the current font."""
        text = self.clean(text)
        if self.get_string_width(text) <= width - 1:
            return text
        ellipsis = self.clean("…")
        while text and self.get_string_width(text + ellipsis) > width - 1:
            text = text[:-1]
        return text.rstrip() + ellipsis

    def font(self, size: float, style: str = "", color: int | tuple[int, int, int] = 0) -> None:
        """Set the face at ``size`` in ``style`` ("", "B", "I", "BI") and the text colour (grey level or RGB)."""
        self.set_font(self.face, style, size)
        self.set_text_color(*color) if isinstance(color, tuple) else self.set_text_color(color)

    # -- drawing ---------------------------------------------------------------

    def rule(self, y: float, color: int | tuple[int, int, int] = 0, width: float = 0.2,
             x: float | None = None, length: float | None = None) -> None:
        """A line across the text width (or ``length`` from ``x``) at height ``y``."""
        self.set_draw_color(*color) if isinstance(color, tuple) else self.set_draw_color(color)
        self.set_line_width(width)
        x = self.l_margin if x is None else x
        self.line(x, y, x + (self.epw if length is None else length), y)

    def put(self, x: float, y: float, w: float, h: float, text, align: str = "L", fill: bool = False) -> None:
        """One line of text at (``x``, ``y``), cut to fit ``w``."""
        self.set_xy(x, y)
        self.cell(w, h, self.fit(text, w), align=align, fill=fill)

    def heading(self, text: str, size: float, before: float, after: float) -> None:
        """A section title in bold over a thin rule across the page."""
        self.ln(before)
        self.font(size, "B")
        self.cell(self.epw, 7, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.rule(self.get_y(), 120)
        self.ln(after)

    def paragraphs(self, texts: Iterable[str], size: float, line: float, gap: float,
                   bullet: float | None = None, width: float | None = None) -> None:
        """Paragraphs across the page (or ``width`` mm), ``gap`` apart; with ``bullet`` (its width) bulleted."""
        self.font(size)
        room = self.epw if width is None else min(width, self.epw)
        for text in texts:
            across = room
            if bullet is not None:
                self.cell(bullet, line, self.clean("•"))
                across -= bullet
            self.multi_cell(across, line, self.clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
            self.ln(gap)

    def grid(self, widths: Iterable[float], numeric: Iterable[bool], line_height: float, heading_fill: int,
             heading_size: float | None = None, **options):
        """An fpdf2 table (use it in a ``with``) whose bold heading row repeats on every page it runs onto.

        Numbers (money, counts, percentages) align right, text left; cells are
        padded alike. ``options`` go to ``FPDF.table`` (width, borders, ...).
        The text is never smaller than ``MIN_TABLE_PT``: a smaller current
        font or ``heading_size`` is raised to it, and the line height with it.
        """
        if self.font_size_pt < MIN_TABLE_PT:
            self.set_font_size(MIN_TABLE_PT)
        size = max(heading_size or self.font_size_pt, MIN_TABLE_PT)
        return self.table(
            col_widths=tuple(widths), text_align=tuple("RIGHT" if number else "LEFT" for number in numeric),
            line_height=max(line_height, self.font_size_pt * LINE_MM_PER_PT), padding=(0.9, PAD, 0.9, PAD),
            repeat_headings=1, headings_style=FontFace(emphasis="BOLD", fill_color=heading_fill, size_pt=size),
            **options,
        )

    def notes(self, notes: Iterable[str], style: str = "", color: int = 0, before: float = 0.0) -> None:
        """The notes under a table (``NOTE_PT``), then a little space."""
        self.font(NOTE_PT, style, color)
        self.ln(before)
        for note in notes:
            self.multi_cell(self.epw, NOTE_PT * LINE_MM_PER_PT, self.clean(note), align="L", new_x="LMARGIN",
                            new_y="NEXT")
        self.set_text_color(0)
        self.ln(3)

    # -- the page frame --------------------------------------------------------

    def header(self) -> None:
        if self.frame is None:
            return
        top = 8
        self.font(9)
        heading = min(self.get_string_width(self.clean(self.frame.heading)) + 2, self.epw * 0.6)
        left = self.epw - heading - 4  # the organisation takes the rest: a long report title is not cut first
        self.font(9, "B")
        self.put(self.l_margin, top, left, 5, self.frame.organisation)
        self.font(9)
        self.put(self.l_margin + left + 4, top, heading, 5, self.frame.heading, align="R")
        self.rule(top + 6, 0, 0.3)
        self.set_y(top + 10)

    def footer(self) -> None:
        if self.frame is None:
            return
        self.set_y(-12)
        self.font(8.5, color=60)
        self.rule(self.get_y() - 1, 150)
        half = self.epw / 2
        self.cell(half, 5, f"Generated {self.frame.made.isoformat()} by finsek", align="L")
        self.cell(half, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0)

    def number_pages(self, first: int, draw: Callable[[int, int], None]) -> None:
        """Go back over pages ``first`` to the current one and ``draw(number, count)`` on each.

        For "page N of M" over a run of pages numbered on its own, drawn once
        the run is complete; the document's own ``Frame`` numbers the whole file.
        """
        last = self.page_no()
        count = last - first + 1
        for number, page in enumerate(range(first, last + 1), 1):
            self.page = page
            self.current_font_is_set_on_page = False
            draw(number, count)
        self.page = last
