"""Board and ad-hoc reports as PDF, through fpdf2 (pure Python: installs with pip alone on every platform).

Print-ready on A4 and Letter, on the document every finsek PDF starts from
(``pdfbase``): the organisation, the report and its period at the top of
every page and "Page N of M" at the foot, text in DejaVu Sans. Charts are PNG
images drawn in memory by matplotlib.

Print an older board member can read:

- table text, headings and notes at 9 to 10 pt (never below
  ``pdfbase.MIN_TABLE_PT``); a table too wide for a portrait page at that
  size gets landscape pages rather than smaller type, and one too wide even
  for those is printed in blocks of columns, the labels repeated;
- a column heading takes at most two lines (its column is made wide enough);
- finsek lays tables out on the pages itself: a table splits across pages
  with its heading row repeated, but never leaves fewer than ``MIN_ROWS``
  rows at the foot of a page or at the top of the next, never ends a page on
  a group heading, and moves whole to the next page only when it is short
  and the page it leaves is already half full, so no page is mostly empty
  because a table moved;
- a chart that almost fits the room left is drawn a little smaller instead
  of moving to the next page;
- negative amounts in parentheses unless ``negatives="minus"``.
"""

import io
from dataclasses import dataclass

from fpdf.enums import CellBordersLayout
from fpdf.fonts import FontFace

from finsek.reports.model import Report, Section, Table
from finsek.reports.render import charts
from finsek.reports.render.cells import PRINT_NEGATIVES, cell_text, label_only, period_line, visible
from finsek.reports.render.fonts import FILES, Fonts
from finsek.reports.render.pdfbase import LINE_MM_PER_PT, MIN_TABLE_PT, NOTE_PT, PAD, Document, report_frame

#: The type sizes (pt) a table is tried at, largest first; the last is the smallest allowed.
SIZES = (10.0, 9.5, MIN_TABLE_PT)
#: A page break never leaves fewer rows than this at the foot of a page or at the top of the next.
MIN_ROWS = 4
#: A group heading this few rows above a page break moves to the next page with its rows.
GROUP_PULL = 3
#: A table this short moves whole to the next page (rather than split) when the page it leaves is half full.
KEEP_ROWS = 15
#: A chart is drawn smaller, down to this share of its size, rather than moved to the next page.
SHRINK = 0.7
#: A table with a text column takes at least this share of the page's width (a statement is not a strip).
MIN_SHARE = 0.65
#: The widest line (mm) of running text, on a landscape page too.
READING_WIDTH = 190.0
#: Padding (mm) above and below the text of a table cell (pdfbase.grid), and in a table set tighter to stay whole.
V_PAD = 0.9
TIGHT_PAD = 0.5

GREY_HEAD = 215
GREY_SECTION = 232
GREY_TOTAL = 238
GREY_ZEBRA = 247


def _document(report: Report, paper: str) -> Document:
    return Document(paper, title=f"{report.title}: {report.organisation}, {report.period_label}",
                    author=report.organisation, made=report.generated, fonts=Fonts.whole(tuple(FILES)),
                    frame=report_frame(report))


@dataclass
class Layout:
    """How one table is printed: column widths (mm), type size (pt), page orientation."""

    widths: list[float]
    size: float
    landscape: bool
    pad: float = 0.9
    """Space (mm) above and below the text of each row."""

    @property
    def line(self) -> float:
        return self.size * LINE_MM_PER_PT


#: Each table (by id) as printed: itself or its blocks of columns, each with its layout.
Printed = dict[int, list[tuple[Table, "Layout"]]]


# -- measuring --------------------------------------------------------------------------


def _page_width(pdf: Document, landscape: bool) -> float:
    """The width (mm) between the margins of a portrait or landscape page of the document's paper."""
    short, long = sorted((pdf.dw_pt / pdf.k, pdf.dh_pt / pdf.k))
    return (long if landscape else short) - pdf.l_margin - pdf.r_margin


def two_line_width(pdf: Document, title: str) -> float:
    """The narrowest width (mm, at the current font) that holds ``title`` in at most two lines."""
    parts = title.split()
    if len(parts) <= 1:
        return pdf.get_string_width(title)
    return min(max(pdf.get_string_width(" ".join(parts[:cut])), pdf.get_string_width(" ".join(parts[cut:])))
               for cut in range(1, len(parts)))


def _widths(pdf, table: Table, columns, size: float, locale: str, negatives: str,
            room: float) -> tuple[list[float] | None, bool]:
    """Column widths in mm at font ``size`` within ``room`` and whether every label fits on one line.

    Numbers never wrap and every heading fits in two lines; text columns
    share the room left. The widths are None when even the longest word of a
    label would not fit (it would break mid-word) or the numbers alone are
    wider than ``room``.
    """
    rows = table.rows()
    needed = []
    pdf.font(size, "B")  # totals are bold: measure everything bold
    for column in columns:
        heading = two_line_width(pdf, column.title)
        if column.kind in ("money", "percent", "count", "date"):
            cells = [cell_text(row.get(column.key), column, locale, negatives) for row in rows
                     if not label_only(row["kind"])]
            widest = max((pdf.get_string_width(text) for text in cells), default=0)
            width = max(widest, heading) + 2 * PAD + 0.5
            needed.append(("fixed", width, width))
        else:
            labels = [str(row.get(column.key) or "") for row in rows]
            longest = max((pdf.get_string_width(text) for text in labels), default=0)
            word = max((pdf.get_string_width(part) for text in labels for part in text.split()), default=0)
            needed.append(("flex", max(longest, heading) + 2 * PAD + 4, max(word, heading) + 2 * PAD + 4))
    fixed = sum(width for kind, width, _ in needed if kind == "fixed")
    flex = [width for kind, width, _ in needed if kind == "flex"]
    spare = room - fixed
    if spare < sum(least for kind, _, least in needed if kind == "flex") or (not flex and spare < 0):
        return None, False
    widths = []
    total_flex = sum(flex) or 1
    for kind, width, least in needed:
        if kind == "fixed":
            widths.append(width)
        elif len(flex) == 1:  # the labels: wide enough, and the table at least MIN_SHARE of the page
            widths.append(min(spare, max(width, least, room * MIN_SHARE - fixed)))
        else:
            widths.append(max(least, min(width, spare * width / total_flex)))
    if sum(widths) > room + 0.01:
        return None, False
    return widths, spare >= sum(flex)


def layout(pdf, table: Table, locale: str, negatives: str = PRINT_NEGATIVES) -> Layout | None:
    """The largest type (10 to 9 pt) on a portrait page with every label on one line; else labels wrap
    by word; a table whose numbers do not fit a portrait page even at 9 pt gets a landscape page; None
    when not even that fits (``parts`` then prints its columns in blocks)."""
    columns = visible(table)
    for landscape in (False, True):
        room = _page_width(pdf, landscape)
        tried = {size: _widths(pdf, table, columns, size, locale, negatives, room) for size in SIZES}
        for size in SIZES:
            widths, comfortable = tried[size]
            if widths is not None and comfortable:
                return Layout(widths, size, landscape)
        for size in SIZES:
            widths, _ = tried[size]
            if widths is not None:
                return Layout(widths, size, landscape)
    return None


def parts(pdf, table: Table, locale: str, negatives: str = PRINT_NEGATIVES) -> list[tuple[Table, Layout]]:
    """The table as printed: itself with its layout, or, when it is too wide even for a landscape page at
    9 pt, its columns in blocks side by side no more, one under the other, each with the label column."""
    shape = layout(pdf, table, locale, negatives)
    if shape is not None:
        return [(table, shape)]
    shown = visible(table)
    hidden = [column for column in table.columns if column.hidden]
    lead = []
    for column in shown:
        if column.numeric or column.kind == "date":
            break
        lead.append(column)
    rest = shown[len(lead):]

    def part(block, number, last):
        title = table.title if number == 0 else f"{table.title} (continued)" if table.title else ""
        return Table(table.key, title, lead + block + hidden, table.frame, table.notes if last else [])

    blocks: list[list] = [[]]
    for column in rest:
        if blocks[-1] and layout(pdf, part([*blocks[-1], column], 0, True), locale, negatives) is None:
            blocks.append([])
        blocks[-1].append(column)
    result = []
    for number, block in enumerate(blocks):
        piece = part(block, number, number == len(blocks) - 1)
        shape = layout(pdf, piece, locale, negatives)
        if shape is None:  # one column wider than a landscape page: equal widths, text wraps
            room = _page_width(pdf, True)
            shape = Layout([room / len(visible(piece))] * len(visible(piece)), MIN_TABLE_PT, True)
        result.append((piece, shape))
    return result


def _lines(pdf, text: str, width: float) -> int:
    """How many lines ``text`` takes in ``width`` mm at the current font (as a table cell: no cell margin)."""
    if not text:
        return 1
    margin, pdf.c_margin = pdf.c_margin, 0
    try:
        return max(1, len(pdf.multi_cell(max(width, 1.0), 5, pdf.clean(text), dry_run=True, output="LINES")))
    finally:
        pdf.c_margin = margin


def _row_plan(table: Table, columns) -> list[tuple[dict, str | None, float]]:
    """Each row with its style name (zebra, section, ...) and the indent of its first cell, in order."""
    plan = []
    indent = 0.0
    zebra = False
    for row in table.rows():
        kind = row["kind"]
        if kind == "section":
            indent = 0.0
        style = kind if kind != "row" else None
        if kind == "row":
            zebra = not zebra
            style = "zebra" if zebra else None
        else:
            zebra = False
        if label_only(kind):
            plan.append((row, style, 0.0 if kind == "section" else 2.0))
            if kind == "group":
                indent = 4.0
            continue
        left = {"row": indent if indent else 2.0, "subtotal": 2.0, "total": 0.0}.get(kind, 0.0)
        plan.append((row, style, left))
        if kind in ("subtotal", "total"):
            indent = 0.0 if kind == "subtotal" else indent
    return plan


def _heights(pdf, plan, columns, shape: Layout, locale: str, negatives: str) -> tuple[float, list[float]]:
    """The height (mm) of the heading row and of each row, as fpdf2 will draw them."""
    pdf.font(shape.size, "B")
    head = max(_lines(pdf, column.title, width - 2 * PAD) for column, width in zip(columns, shape.widths,
                                                                                   strict=True))
    heights = []
    for row, style, left in plan:
        pdf.font(shape.size, "" if style in (None, "zebra") else "B")
        if label_only(row["kind"]):
            count = _lines(pdf, str(row.get(columns[0].key) or ""), sum(shape.widths) - 2 * PAD - left)
        else:
            count = max(_lines(pdf, cell_text(row.get(column.key), column, locale, negatives),
                               width - PAD - (PAD + left if index == 0 else PAD))
                        for index, (column, width) in enumerate(zip(columns, shape.widths, strict=True)))
        heights.append(count * shape.line + 2 * shape.pad)
    return head * shape.line + 2 * V_PAD, heights


def _notes_height(pdf, notes: list[str]) -> float:
    if not notes:
        return 3.0
    pdf.font(NOTE_PT, "I")
    return 1 + sum(_lines(pdf, note, pdf.epw) for note in notes) * NOTE_PT * LINE_MM_PER_PT + 3


# -- pages ------------------------------------------------------------------------------------


def _body(pdf) -> tuple[float, float]:
    """Where the text of a page starts and where the automatic page break falls (mm)."""
    return 18.0, pdf.page_break_trigger


def _room(pdf) -> float:
    return pdf.page_break_trigger - pdf.get_y()


def _used(pdf) -> float:
    """How much of the current page's body is already used (0 to 1)."""
    top, bottom = _body(pdf)
    return (pdf.get_y() - top) / (bottom - top)


def _is_landscape(pdf) -> bool:
    return pdf.w > pdf.h


def _new_page(pdf, landscape: bool) -> None:
    pdf.add_page(orientation="L" if landscape else "P")


HEADINGS = ("section", "group")


def _unheaded(kinds: list[str], start: int, end: int) -> int:
    """``end`` moved up so that the rows ``start:end`` do not end on a section or group heading."""
    while end > start and kinds[end - 1] in HEADINGS:
        end -= 1
    return end


def chunks(heights: list[float], kinds: list[str], head: float, first_room: float, page_room: float,
           tail: float) -> list[tuple[int, int]] | None:
    """The rows of a table cut into pages: ``[(start, end), ...]``, or None to start on the next page.

    ``head`` is the heading row (repeated on each page) plus, on the first
    page; ``first_room`` is what is left under the table's title; ``tail`` the notes under the
    last rows. No page holds fewer than ``MIN_ROWS`` rows of a longer table,
    and no page ends on a section or group heading.
    """
    count = len(heights)
    result: list[tuple[int, int]] = []
    start, room = 0, first_room
    while start < count:
        used, end = head, start
        while end < count and used + heights[end] <= room:
            used += heights[end]
            end += 1
        if end == count and used + tail > room and count - start > 1:  # the notes would fall off the page
            end = max(start, count - min(MIN_ROWS, count - start))
        if end < count:
            end = _unheaded(kinds, start, min(end, max(start, count - MIN_ROWS)))  # enough rows for the next page
            for back in range(end - 1, max(start + MIN_ROWS, end - GROUP_PULL) - 1, -1):
                if kinds[back] in HEADINGS:  # a group that would start just above the break starts the next page
                    pulled = _unheaded(kinds, start, back)
                    end = pulled if pulled - start >= MIN_ROWS else end
                    break
        least = min(MIN_ROWS, count - start)
        if end - start < least:
            if not result and room == first_room:
                return None  # too little room here: start the table on the next page
            end = max(end, start + 1)
        result.append((start, end))
        start, room = end, page_room
    return result


# -- blocks ------------------------------------------------------------------------------------


def _title_block(pdf: Document, report: Report) -> None:
    pdf.font(20, "B")
    pdf.cell(0, 10, pdf.clean(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.font(13, "B")
    pdf.multi_cell(0, 6.5, pdf.clean(report.organisation), new_x="LMARGIN", new_y="NEXT")
    pdf.font(10.5)
    pdf.multi_cell(0, 5.5, pdf.clean(period_line(report)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _table_title_height(pdf, table: Table) -> float:
    if not table.title:
        return 0.0
    pdf.font(10.5, "B")
    return _lines(pdf, table.title, pdf.epw) * 5.5 + 0.8


def _draw_rows(pdf, columns, shape: Layout, plan, locale: str, negatives: str) -> None:
    """One block of rows under the heading row, as one fpdf2 table."""
    size = shape.size
    styles = {
        "section": FontFace(emphasis="BOLD", fill_color=GREY_SECTION, size_pt=size),
        "group": FontFace(emphasis="BOLD", size_pt=size),
        "subtotal": FontFace(emphasis="BOLD", size_pt=size),
        "total": FontFace(emphasis="BOLD", fill_color=GREY_TOTAL, size_pt=size),
        "note": FontFace(emphasis="ITALICS", size_pt=size),
        "zebra": FontFace(fill_color=GREY_ZEBRA, size_pt=size),
    }
    pdf.font(size)
    with pdf.grid(
        shape.widths, (column.numeric for column in columns), shape.line, GREY_HEAD, size,
        width=min(sum(shape.widths), pdf.epw), align="LEFT", borders_layout="NONE", v_align="MIDDLE",
    ) as grid:
        header = grid.row()
        for column in columns:
            header.cell(pdf.clean(column.title))
        for row, style_name, left in plan:
            kind = row["kind"]
            style = styles.get(style_name) if style_name else None
            line = grid.row()
            if label_only(kind):
                line.cell(pdf.clean(row.get(columns[0].key) or ""), colspan=len(columns), style=style,
                          padding=(shape.pad, PAD, shape.pad, PAD + left), align="LEFT")
                continue
            border = CellBordersLayout.TOP if kind in ("subtotal", "total") else CellBordersLayout.NONE
            for index, column in enumerate(columns):
                text = cell_text(row.get(column.key), column, locale, negatives)
                padding = (shape.pad, PAD, shape.pad, PAD + left if index == 0 else PAD)
                line.cell(pdf.clean(text), style=style, padding=padding, border=border)


@dataclass
class Measured:
    """A table measured for its pages: its rows in order, their heights, the heading row's, title's and notes'."""

    columns: list
    plan: list
    head: float
    heights: list[float]
    title: float
    tail: float

    @property
    def whole(self) -> float:
        return self.title + self.head + sum(self.heights) + self.tail

    @property
    def kinds(self) -> list[str]:
        return [row["kind"] for row, _, _ in self.plan]


def measure(pdf, table: Table, shape: Layout, locale: str, negatives: str) -> Measured:
    columns = visible(table)
    plan = _row_plan(table, columns)
    head, heights = _heights(pdf, plan, columns, shape, locale, negatives)
    return Measured(columns, plan, head, heights, _table_title_height(pdf, table), _notes_height(pdf, table.notes))


def _page_room(pdf) -> float:
    top, bottom = _body(pdf)
    return bottom - top - 1.0


def _moves(pdf, found: Measured, shape: Layout, before: float = 0.0) -> bool:
    """Whether a table (after ``before`` mm of section title) starts on the next page rather than here.

    It does when the page is turned the wrong way for it, when not even its
    first ``MIN_ROWS`` rows fit, or when it is short enough to stay whole on
    a page of its own and the page it leaves is already half full.
    """
    if shape.landscape and not _is_landscape(pdf):
        return True
    room = _room(pdf) - before
    if found.whole <= room:
        return False
    if len(found.plan) <= KEEP_ROWS and found.whole <= _page_room(pdf) and _used(pdf) >= 0.5:
        return True
    return chunks(found.heights, found.kinds, found.head, room - 1.0 - found.title, _page_room(pdf),
                  found.tail) is None


def _table(pdf, table: Table, shape: Layout, locale: str, negatives: str, placed: bool = False) -> None:
    """Draw one table; ``placed`` when its section title already chose this page for it."""
    found = measure(pdf, table, shape, locale, negatives)
    if (not placed or (shape.landscape and not _is_landscape(pdf))) and _moves(pdf, found, shape):
        _new_page(pdf, shape.landscape)
    cut = chunks(found.heights, found.kinds, found.head, _room(pdf) - 1.0 - found.title, _page_room(pdf),
                 found.tail)
    if cut is None:  # only on a page already started by the section title: the title comes along
        cut = [(0, len(found.plan))]
    if len(cut) == 2 and sum(found.heights[cut[1][0]:]) < _page_room(pdf) / 3:
        # A few rows would spill onto a page of their own: set the table a little tighter (never below 9 pt)
        # when that keeps it whole on this page.
        for size in [size for size in SIZES if size <= shape.size]:
            tight = Layout(shape.widths, size, shape.landscape, TIGHT_PAD)
            snug = measure(pdf, table, tight, locale, negatives)
            if snug.whole <= _room(pdf) - 1.0:
                shape, found, cut = tight, snug, [(0, len(snug.plan))]
                break
    if table.title:
        pdf.font(10.5, "B")
        pdf.multi_cell(0, 5.5, pdf.clean(table.title), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(0.8)
    for number, (start, end) in enumerate(cut):
        if number:
            _new_page(pdf, shape.landscape)
        _draw_rows(pdf, found.columns, shape, found.plan[start:end], locale, negatives)
    pdf.notes(table.notes, "I", before=1)


def _figure_height(pdf, section: Section) -> float:
    figures = section.figures
    if len(figures) == 2 and all(figure.kind == "hbars" for figure in figures):
        inches = charts.figure_size(figures[0], half=True)
        return (pdf.epw - 6.0) / 2 * inches[1] / inches[0]
    return sum(pdf.epw * charts.figure_size(figure)[1] / charts.figure_size(figure)[0] + 3 for figure in figures)


def _place(pdf, height: float) -> float:
    """The scale (1 or down to ``SHRINK``) at which a block of ``height`` mm fits here; a new page when none does."""
    room = _room(pdf) - 2
    if height <= room:
        return 1.0
    if height * SHRINK <= room:
        return room / height
    _new_page(pdf, False)
    return 1.0


def _figures(pdf, section: Section, locale: str) -> None:
    figures = section.figures
    pair = len(figures) == 2 and all(figure.kind == "hbars" for figure in figures)
    if pair:
        gap = 6.0
        width = (pdf.epw - gap) / 2
        images = []
        for figure in figures:
            inches = charts.figure_size(figure, half=True)
            images.append((charts.png(figure, locale, half=True), width * inches[1] / inches[0]))
        height = max(h for _, h in images)
        scale = _place(pdf, height + 1)
        top = pdf.get_y()
        for number, (image, h) in enumerate(images):
            pdf.image(io.BytesIO(image), x=pdf.l_margin + number * (width * scale + gap), y=top, w=width * scale,
                      h=h * scale)
        pdf.set_y(top + height * scale + 3)
        return
    for figure in figures:
        inches = charts.figure_size(figure)
        width = min(pdf.epw, _page_width(pdf, False))
        height = width * inches[1] / inches[0]
        scale = _place(pdf, height + 1)
        top = pdf.get_y()
        pdf.image(io.BytesIO(charts.png(figure, locale)), x=pdf.l_margin, y=top, w=width * scale, h=height * scale)
        pdf.set_y(top + height * scale + 3)


def _section_title(pdf, section: Section, shapes: Printed, locale: str, negatives: str,
                   report_title: str = "", single: bool = False) -> bool:
    """The section's title, on the page its first block starts on; True when that block is a table placed here."""
    heading = 14.0
    table_first = bool(section.tables) and not section.intro and not (section.key == "expenses" and section.figures)
    if table_first:
        table, shape = shapes[id(section.tables[0])][0]
        if _moves(pdf, measure(pdf, table, shape, locale, negatives), shape, heading):
            _new_page(pdf, shape.landscape)
    else:
        first = 30.0 if section.intro else _figure_height(pdf, section) * SHRINK if section.figures else 45.0
        if pdf.will_page_break(heading + first):
            _new_page(pdf, False)
    if not (section.title == report_title and single):  # an ad-hoc statement: its title is the report's
        pdf.heading(section.title, 13, before=3, after=2)
    return table_first


def render_pdf(report: Report, paper: str = "a4", negatives: str = PRINT_NEGATIVES) -> bytes:
    """The report as a PDF document (bytes); negative amounts as ``negatives`` says (cells.NEGATIVES)."""
    pdf = _document(report, paper)
    shapes = {id(table): parts(pdf, table, report.locale, negatives) for table in report.tables()}
    tables = report.tables()
    # When the first table needs a landscape page, the report starts on one: the summary above it then does
    # not leave a page mostly empty (it keeps a comfortable line length, READING_WIDTH).
    pdf.add_page(orientation="L" if tables and shapes[id(tables[0])][0][1].landscape else "P")
    _title_block(pdf, report)
    for section in report.sections:
        placed = _section_title(pdf, section, shapes, report.locale, negatives, report.title,
                                len(report.sections) == 1)
        if section.intro:
            pdf.paragraphs(section.intro, 10, line=5.2, gap=1.2, bullet=5 if section.key == "summary" else None,
                           width=min(pdf.epw, READING_WIDTH))
        charts_first = section.key == "expenses"
        if charts_first and section.figures:
            _figures(pdf, section, report.locale)
        for number, table in enumerate(section.tables):
            for index, (piece, shape) in enumerate(shapes[id(table)]):
                _table(pdf, piece, shape, report.locale, negatives, placed=placed and number == index == 0)
        if not charts_first and section.figures:
            _figures(pdf, section, report.locale)
    return bytes(pdf.output())
