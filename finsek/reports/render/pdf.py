"""Board and ad-hoc reports as PDF, through fpdf2 (pure Python: installs with pip alone on every platform).

Print-ready on A4 and Letter, on the document every finsek PDF starts from
(``pdfbase``): the organisation, the report and its period at the top of
every page and "Page N of M" at the foot, text in DejaVu Sans. Tables split
across pages with their heading row repeated; charts are PNG images drawn in
memory by matplotlib.
"""

import io

from fpdf.enums import CellBordersLayout
from fpdf.fonts import FontFace

from finsek.reports.model import Report, Section, Table
from finsek.reports.render import charts
from finsek.reports.render.cells import cell_text, label_only, period_line, visible
from finsek.reports.render.fonts import FILES, Fonts
from finsek.reports.render.pdfbase import PAD, Document, report_frame

FONT_PT = 8.0
MIN_FONT_PT = 6.5
LABEL_MIN_MM = 38.0
KEEP_TOGETHER_ROWS = 20

GREY_HEAD = 215
GREY_SECTION = 232
GREY_TOTAL = 238
GREY_ZEBRA = 247


def _document(report: Report, paper: str) -> Document:
    return Document(paper, title=f"{report.title}: {report.organisation}, {report.period_label}",
                    author=report.organisation, made=report.generated, fonts=Fonts.whole(tuple(FILES)),
                    frame=report_frame(report))


# -- blocks --------------------------------------------------------------------


def _title_block(pdf: Document, report: Report) -> None:
    pdf.font(20, "B")
    pdf.cell(0, 10, pdf.clean(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.font(13, "B")
    pdf.multi_cell(0, 6.5, pdf.clean(report.organisation), new_x="LMARGIN", new_y="NEXT")
    pdf.font(10)
    pdf.multi_cell(0, 5.5, pdf.clean(period_line(report)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _table_height(table: Table, size: float = FONT_PT) -> float:
    """A generous estimate of a table's height in mm (title, heading, rows, notes)."""
    return 8 + (len(table.frame) + 3) * (size * 0.48 + 1.8) + 4 * len(table.notes)


def _first_block(pdf, section: Section) -> float:
    """Height of what must follow a section title on the same page."""
    if section.key == "expenses" and section.figures:
        inches = charts.figure_size(section.figures[0], half=len(section.figures) == 2)
        return (pdf.epw / (2 if len(section.figures) == 2 else 1)) * inches[1] / inches[0] + 4
    if section.tables:
        table = section.tables[0]
        if len(table.frame) <= KEEP_TOGETHER_ROWS:
            return _table_height(table)
    return 45.0


def _section_title(pdf, section: Section) -> None:
    needed = 14 + (_first_block(pdf, section) if not section.intro else 30)
    if needed < pdf.eph * 0.6 and pdf.will_page_break(needed):
        pdf.add_page()
    pdf.heading(section.title, 13, before=3, after=2)


def _widths(pdf, table: Table, columns, size: float, locale: str) -> tuple[list[float] | None, bool]:
    """Column widths in mm at font ``size`` and whether every label fits on one line.

    Numbers never wrap; text columns share the room left. The widths are None
    when even the longest word of a label would not fit (it would break
    mid-word).
    """
    rows = table.rows()
    needed = []
    pdf.font(size, "B")
    for column in columns:
        header_words = max((pdf.get_string_width(word) for word in column.title.split()), default=0)
        header_full = pdf.get_string_width(column.title)
        if column.kind in ("money", "percent", "count", "date"):
            cells = [cell_text(row.get(column.key), column, locale) for row in rows if not label_only(row["kind"])]
            widest = max((pdf.get_string_width(text) for text in cells), default=0)
            width = max(widest, header_words, min(header_full, widest * 1.1)) + 2 * PAD + 0.5
            needed.append(("fixed", width, width))
        else:
            labels = [str(row.get(column.key) or "") for row in rows]
            longest = max((pdf.get_string_width(text) for text in labels), default=0)
            word = max((pdf.get_string_width(part) for text in labels for part in text.split()), default=0)
            needed.append(("flex", max(longest, header_full) + 2 * PAD + 4, max(word, header_words) + 2 * PAD + 4))
    fixed = sum(width for kind, width, _ in needed if kind == "fixed")
    flex = [width for kind, width, _ in needed if kind == "flex"]
    room = pdf.epw - fixed
    if room < sum(least for kind, _, least in needed if kind == "flex") or (not flex and room < 0):
        return None, False
    widths = []
    total_flex = sum(flex) or 1
    for kind, width, least in needed:
        if kind == "fixed":
            widths.append(width)
        elif len(flex) == 1:
            widths.append(room)
        else:
            widths.append(max(least, room * width / total_flex))
    if len(flex) > 1:  # keep within the page after the max() above
        spare = room - sum(w for (kind, _, _), w in zip(needed, widths, strict=True) if kind == "flex")
        if spare < 0:
            return None, False
    return widths, room >= sum(flex)


def _layout(pdf, table: Table, columns, locale: str) -> tuple[list[float], float]:
    """The largest font size (down to 7 pt) at which labels fit on one line; else labels wrap by word."""
    sizes = [FONT_PT - 0.5 * step for step in range(int((FONT_PT - MIN_FONT_PT) / 0.5) + 1)]
    tried = {}
    for size in sizes:
        widths, comfortable = tried[size] = _widths(pdf, table, columns, size, locale)
        if comfortable and size >= 7:
            return widths, size
    for size in sizes:
        widths, _ = tried[size]
        if widths is not None:
            return widths, size
    return [pdf.epw / len(columns)] * len(columns), MIN_FONT_PT


def _table(pdf, table: Table, locale: str) -> None:
    columns = visible(table)
    widths, size = _layout(pdf, table, columns, locale)
    line_height = size * 0.48
    whole = _table_height(table, size)
    body = pdf.eph - 20
    if (len(table.frame) <= KEEP_TOGETHER_ROWS and whole < body * 0.6 and pdf.will_page_break(whole)) or \
            pdf.will_page_break(18 + 3 * line_height):
        pdf.add_page()  # keep a short table on one page; never leave a title alone at the foot of a page
    if table.title:
        pdf.font(10, "B")
        pdf.multi_cell(0, 5.5, pdf.clean(table.title), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(0.8)
    pdf.font(size)
    styles = {
        "section": FontFace(emphasis="BOLD", fill_color=GREY_SECTION, size_pt=size),
        "group": FontFace(emphasis="BOLD", size_pt=size),
        "subtotal": FontFace(emphasis="BOLD", size_pt=size),
        "total": FontFace(emphasis="BOLD", fill_color=GREY_TOTAL, size_pt=size),
        "note": FontFace(emphasis="ITALICS", size_pt=size),
    }
    with pdf.grid(
        widths, (column.numeric for column in columns), line_height, GREY_HEAD, size, width=min(sum(widths), pdf.epw),
        align="LEFT", borders_layout="NONE", v_align="MIDDLE",
    ) as grid:
        header = grid.row()
        for column in columns:
            header.cell(pdf.clean(column.title))
        indent = 0.0
        zebra = False
        for row in table.rows():
            kind = row["kind"]
            if kind == "section":
                indent = 0.0
            style = styles.get(kind)
            if kind == "row":
                zebra = not zebra
                if zebra:
                    style = FontFace(fill_color=GREY_ZEBRA, size_pt=size)
            else:
                zebra = False
            line = grid.row()
            if label_only(kind):
                level = 0.0 if kind == "section" else 2.0
                line.cell(pdf.clean(row.get(columns[0].key) or ""), colspan=len(columns), style=style,
                          padding=(0.9, PAD, 0.9, PAD + level), align="LEFT")
                if kind == "group":
                    indent = 4.0
                continue
            border = CellBordersLayout.TOP if kind in ("subtotal", "total") else CellBordersLayout.NONE
            for index, column in enumerate(columns):
                text = cell_text(row.get(column.key), column, locale)
                left = PAD
                if index == 0:
                    left += {"row": indent if indent else 2.0, "subtotal": 2.0, "total": 0.0}.get(kind, 0.0)
                line.cell(pdf.clean(text), style=style, padding=(0.9, PAD, 0.9, left), border=border)
            if kind in ("subtotal", "total"):
                indent = 0.0 if kind == "subtotal" else indent
    pdf.notes(table.notes, "I", before=1)


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
        if pdf.will_page_break(height + 2):
            pdf.add_page()
        top = pdf.get_y()
        for number, (image, h) in enumerate(images):
            pdf.image(io.BytesIO(image), x=pdf.l_margin + number * (width + gap), y=top, w=width, h=h)
        pdf.set_y(top + height + 3)
        return
    for figure in figures:
        inches = charts.figure_size(figure)
        width = pdf.epw
        height = width * inches[1] / inches[0]
        if pdf.will_page_break(height + 2):
            pdf.add_page()
        top = pdf.get_y()
        pdf.image(io.BytesIO(charts.png(figure, locale)), x=pdf.l_margin, y=top, w=width, h=height)
        pdf.set_y(top + height + 3)


def render_pdf(report: Report, paper: str = "a4") -> bytes:
    """The report as a PDF document (bytes)."""
    pdf = _document(report, paper)
    pdf.add_page()
    _title_block(pdf, report)
    for section in report.sections:
        _section_title(pdf, section)
        if section.intro:
            pdf.paragraphs(section.intro, 9.5, line=5, gap=1.2, bullet=5 if section.key == "summary" else None)
        charts_first = section.key == "expenses"
        if charts_first and section.figures:
            _figures(pdf, section, report.locale)
        for table in section.tables:
            _table(pdf, table, report.locale)
        if not charts_first and section.figures:
            _figures(pdf, section, report.locale)
    return bytes(pdf.output())
