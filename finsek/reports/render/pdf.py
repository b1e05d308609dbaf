"""PDF through fpdf2 (pure Python: installs with pip alone on every platform).

Print-ready on A4 and Letter: the organisation, the report and its period at
the top of every page and "Page N of M" at the foot; tables split across pages
with their heading row repeated; charts are PNG images drawn in memory by
matplotlib. Text is set in DejaVu Sans (shipped with matplotlib), so any
organisation name prints; without it, the PDF core font Helvetica is used.
"""

import datetime as dt
import importlib.util
import io
from pathlib import Path

from finsek.reports.model import Report, Section, Table
from finsek.reports.render import charts
from finsek.reports.render.cells import cell_text, label_only, period_line, visible

PAPERS = {"a4": "A4", "letter": "Letter"}
MARGIN = 15.0
FONT_PT = 8.0
MIN_FONT_PT = 6.5
LABEL_MIN_MM = 38.0
PAD = 1.2  # mm, left and right padding inside a cell
KEEP_TOGETHER_ROWS = 20

GREY_HEAD = 215
GREY_SECTION = 232
GREY_TOTAL = 238
GREY_ZEBRA = 247


def _font_dir() -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    return folder if (folder / "DejaVuSans.ttf").exists() else None


def _document(report: Report, paper: str):
    from fpdf import FPDF

    class Document(FPDF):
        def header(self):
            family = self.font_family
            self.set_font(self.face, "B", 8.5)
            self.set_text_color(0)
            top = 8
            self.set_xy(self.l_margin, top)
            self.cell(self.epw / 2, 5, self.fit(report.organisation, self.epw / 2), align="L")
            self.set_font(self.face, "", 8.5)
            self.set_xy(self.l_margin + self.epw / 2, top)
            self.cell(self.epw / 2, 5, self.fit(f"{report.title} · {report.period_label}", self.epw / 2),
                      align="R")
            self.set_draw_color(0)
            self.set_line_width(0.3)
            self.line(self.l_margin, top + 6, self.l_margin + self.epw, top + 6)
            self.set_y(top + 10)
            if family:
                self.set_font(family)

        def footer(self):
            self.set_y(-12)
            self.set_font(self.face, "", 7.5)
            self.set_text_color(60)
            self.set_draw_color(150)
            self.set_line_width(0.2)
            self.line(self.l_margin, self.get_y() - 1, self.l_margin + self.epw, self.get_y() - 1)
            half = self.epw / 2
            self.cell(half, 5, f"Generated {report.generated.isoformat()} by finsek", align="L")
            self.cell(half, 5, f"Page {self.page_no()} of {{nb}}", align="R")
            self.set_text_color(0)

        def fit(self, text: str, width: float) -> str:
            """Cut ``text`` with an ellipsis so it fits ``width`` at the current font."""
            if self.get_string_width(text) <= width - 1:
                return text
            while text and self.get_string_width(text + "…") > width - 1:
                text = text[:-1]
            return text + "…"

    pdf = Document(orientation="P", unit="mm", format=PAPERS[paper])
    fonts = _font_dir()
    if fonts is not None:
        pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
        pdf.add_font("DejaVu", "I", str(fonts / "DejaVuSans-Oblique.ttf"))
        pdf.add_font("DejaVu", "BI", str(fonts / "DejaVuSans-BoldOblique.ttf"))
        pdf.face = "DejaVu"
    else:  # pragma: no cover - matplotlib always ships DejaVu
        pdf.face = "Helvetica"
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(f"{report.title}: {report.organisation}, {report.period_label}")
    pdf.set_author(report.organisation)
    pdf.set_creator("finsek")
    pdf.set_creation_date(dt.datetime.combine(report.generated, dt.time(), tzinfo=dt.UTC))
    return pdf


def _clean(pdf, text: str) -> str:
    if pdf.face == "DejaVu":
        return text
    return text.encode("latin-1", "replace").decode("latin-1")  # pragma: no cover


# -- blocks --------------------------------------------------------------------


def _title_block(pdf, report: Report) -> None:
    pdf.set_font(pdf.face, "B", 20)
    pdf.cell(0, 10, _clean(pdf, report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.face, "B", 13)
    pdf.multi_cell(0, 6.5, _clean(pdf, report.organisation), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.face, "", 10)
    pdf.multi_cell(0, 5.5, _clean(pdf, period_line(report)), new_x="LMARGIN", new_y="NEXT")
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
    pdf.ln(3)
    pdf.set_font(pdf.face, "B", 13)
    pdf.cell(0, 7, _clean(pdf, section.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(120)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(2)


def _paragraphs(pdf, sentences: list[str], bullets: bool) -> None:
    pdf.set_font(pdf.face, "", 9.5)
    for sentence in sentences:
        if bullets:
            x = pdf.l_margin
            pdf.set_x(x)
            pdf.cell(5, 5, "•")
            pdf.multi_cell(pdf.epw - 5, 5, _clean(pdf, sentence), new_x="LMARGIN", new_y="NEXT", align="L")
        else:
            pdf.multi_cell(0, 5, _clean(pdf, sentence), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1.2)


def _widths(pdf, table: Table, columns, size: float, locale: str) -> tuple[list[float] | None, bool]:
    """Column widths in mm at font ``size`` and whether every label fits on one line.

    Numbers never wrap; text columns share the room left. The widths are None
    when even the longest word of a label would not fit (it would break
    mid-word).
    """
    rows = table.rows()
    needed = []
    pdf.set_font(pdf.face, "B", size)
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
    from fpdf.enums import CellBordersLayout
    from fpdf.fonts import FontFace

    columns = visible(table)
    widths, size = _layout(pdf, table, columns, locale)
    line_height = size * 0.48
    whole = _table_height(table, size)
    body = pdf.eph - 20
    if (len(table.frame) <= KEEP_TOGETHER_ROWS and whole < body * 0.6 and pdf.will_page_break(whole)) or \
            pdf.will_page_break(18 + 3 * line_height):
        pdf.add_page()  # keep a short table on one page; never leave a title alone at the foot of a page
    if table.title:
        pdf.set_font(pdf.face, "B", 10)
        pdf.multi_cell(0, 5.5, _clean(pdf, table.title), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(0.8)
    pdf.set_font(pdf.face, "", size)
    align = ["RIGHT" if column.numeric else "LEFT" for column in columns]
    heading = FontFace(emphasis="BOLD", fill_color=GREY_HEAD, size_pt=size)
    styles = {
        "section": FontFace(emphasis="BOLD", fill_color=GREY_SECTION, size_pt=size),
        "group": FontFace(emphasis="BOLD", size_pt=size),
        "subtotal": FontFace(emphasis="BOLD", size_pt=size),
        "total": FontFace(emphasis="BOLD", fill_color=GREY_TOTAL, size_pt=size),
        "note": FontFace(emphasis="ITALICS", size_pt=size),
    }
    with pdf.table(
        col_widths=widths, width=min(sum(widths), pdf.epw), align="LEFT", text_align=align, headings_style=heading,
        borders_layout="NONE", line_height=line_height, padding=(0.9, PAD, 0.9, PAD), repeat_headings=1,
        v_align="MIDDLE",
    ) as grid:
        header = grid.row()
        for column in columns:
            header.cell(_clean(pdf, column.title))
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
                line.cell(_clean(pdf, str(row.get(columns[0].key) or "")), colspan=len(columns), style=style,
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
                line.cell(_clean(pdf, text), style=style, padding=(0.9, PAD, 0.9, left), border=border)
            if kind in ("subtotal", "total"):
                indent = 0.0 if kind == "subtotal" else indent
    pdf.set_font(pdf.face, "I", 7.5)
    pdf.ln(1)
    for note in table.notes:
        pdf.multi_cell(0, 3.8, _clean(pdf, note), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(3)


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
    paper = paper.lower()
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    pdf = _document(report, paper)
    pdf.add_page()
    _title_block(pdf, report)
    for section in report.sections:
        _section_title(pdf, section)
        if section.intro:
            _paragraphs(pdf, section.intro, bullets=section.key == "summary")
        charts_first = section.key == "expenses"
        if charts_first and section.figures:
            _figures(pdf, section, report.locale)
        for table in section.tables:
            _table(pdf, table, report.locale)
        if not charts_first and section.figures:
            _figures(pdf, section, report.locale)
    return bytes(pdf.output())
