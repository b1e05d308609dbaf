"""The committee's audit report as a PDF (fpdf2), A4 or Letter.

Every page carries the organisation, the report's title and its period at
the top, and "Page N of M" with the generation date at the foot. Tables
split across pages with their heading row repeated. Text is set in DejaVu
Sans when matplotlib ships it (any organisation name prints), else in the
PDF core font Helvetica (then characters outside Latin-1 become "?").
fpdf2 is imported only when a PDF is made.
"""

import importlib.util
from pathlib import Path

from finsek.audit.report import AuditReport, Table

PAPERS = {"a4": "A4", "letter": "Letter"}
MARGIN = 15.0
BODY_PT = 9.0
TABLE_PT = 7.5
GREY_HEAD = 220
GREY_BOLD = 238
SEVERITY_COLOURS = {"error": (170, 20, 20), "warning": (150, 95, 0), "note": (60, 60, 60)}


def _font_dir() -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    return folder if (folder / "DejaVuSans.ttf").exists() and (folder / "DejaVuSans-Bold.ttf").exists() else None


def _document(report: AuditReport, paper: str):
    from fpdf import FPDF

    class Document(FPDF):
        face = "Helvetica"
        unicode = False

        def header(self):
            self.set_font(self.face, "B", 8.5)
            self.set_text_color(0)
            top = 8
            half = self.epw / 2
            self.set_xy(self.l_margin, top)
            self.cell(half, 5, self.fit(report.organisation, half), align="L")
            self.set_font(self.face, "", 8.5)
            self.set_xy(self.l_margin + half, top)
            self.cell(half, 5, self.fit(f"{report.title} · {report.period_label}", half), align="R")
            self.set_draw_color(0)
            self.set_line_width(0.3)
            self.line(self.l_margin, top + 6, self.l_margin + self.epw, top + 6)
            self.set_y(top + 10)

        def footer(self):
            self.set_y(-12)
            self.set_font(self.face, "", 7.5)
            self.set_text_color(70)
            self.set_draw_color(150)
            self.set_line_width(0.2)
            self.line(self.l_margin, self.get_y() - 1, self.l_margin + self.epw, self.get_y() - 1)
            half = self.epw / 2
            self.cell(half, 5, f"Generated {report.generated.isoformat()} by finsek", align="L")
            self.cell(half, 5, f"Page {self.page_no()} of {{nb}}", align="R")
            self.set_text_color(0)

        def clean(self, text: str) -> str:
            text = str(text)
            if self.unicode:
                return text
            text = text.replace("…", "...").replace("–", "-").replace("—", "-").replace("·", "-").replace("→", "->")
            return text.encode("latin-1", "replace").decode("latin-1")

        def fit(self, text: str, width: float) -> str:
            text = self.clean(text)
            if self.get_string_width(text) <= width - 1:
                return text
            ellipsis = "…" if self.unicode else "..."
            while text and self.get_string_width(text + ellipsis) > width - 1:
                text = text[:-1]
            return text + ellipsis

    pdf = Document(format=PAPERS.get(paper, "A4"), unit="mm")
    fonts = _font_dir()
    if fonts is not None:
        pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
        pdf.face = "DejaVu"
        pdf.unicode = True
    pdf.set_margins(MARGIN, 20, MARGIN)
    pdf.set_auto_page_break(True, margin=16)
    pdf.alias_nb_pages()
    pdf.set_title(pdf.clean(f"{report.title}: {report.organisation}, {report.period_label}"))
    pdf.set_author("finsek")
    pdf.set_creator("finsek")
    return pdf


def _title(pdf, report: AuditReport) -> None:
    pdf.set_font(pdf.face, "B", 16)
    pdf.multi_cell(pdf.epw, 8, pdf.clean(f"{report.title}: {report.organisation}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.face, "", 10)
    pdf.cell(pdf.epw, 6, pdf.clean(f"Period: {report.period_label}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _heading(pdf, text: str) -> None:
    if pdf.get_y() > pdf.h - 45:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(pdf.face, "B", 12)
    pdf.cell(pdf.epw, 7, pdf.clean(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(120)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(1.5)


def _paragraphs(pdf, paragraphs: list[str], bullets: bool) -> None:
    pdf.set_font(pdf.face, "", BODY_PT)
    for text in paragraphs:
        if bullets:
            pdf.cell(4, 4.6, "•" if pdf.unicode else "-")
            pdf.multi_cell(pdf.epw - 4, 4.6, pdf.clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(pdf.epw, 4.6, pdf.clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)


def _table(pdf, table: Table) -> None:
    from fpdf.enums import TableBordersLayout
    from fpdf.fonts import FontFace

    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    if table.title:
        pdf.set_font(pdf.face, "B", 9)
        pdf.cell(pdf.epw, 5.5, pdf.clean(table.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.face, "", TABLE_PT)
    widths = table.widths or [2.0] + [1.0] * (len(table.columns) - 1)
    aligns = ["RIGHT" if align == "r" else "LEFT" for align in table.align]
    severity_column = table.columns[0] == "Severity"
    with pdf.table(
        width=pdf.epw, col_widths=tuple(widths), text_align=tuple(aligns), line_height=3.6,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES, padding=(0.9, 1.2, 0.9, 1.2),
        headings_style=FontFace(emphasis="BOLD", fill_color=GREY_HEAD), v_align="TOP",
    ) as grid:
        heading = grid.row()
        for column in table.columns:
            heading.cell(pdf.clean(column))
        for index, values in enumerate(table.rows):
            bold = index in table.bold
            row = grid.row()
            for number, value in enumerate(values):
                style = None
                if bold:
                    style = FontFace(emphasis="BOLD", fill_color=GREY_BOLD)
                elif severity_column and number == 0 and value in SEVERITY_COLOURS:
                    style = FontFace(emphasis="BOLD", color=SEVERITY_COLOURS[value])
                row.cell(pdf.clean(value), style=style)
    if table.note:
        pdf.ln(0.8)
        pdf.set_font(pdf.face, "", 7.5)
        pdf.set_text_color(50)
        pdf.multi_cell(pdf.epw, 3.8, pdf.clean(table.note), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    pdf.ln(3)


def render_pdf(report: AuditReport, paper: str = "a4") -> bytes:
    """The report as PDF bytes."""
    pdf = _document(report, paper)
    pdf.add_page()
    _title(pdf, report)
    for section in report.sections:
        if section.key == "findings" and section.tables:
            pdf.add_page()
        _heading(pdf, section.title)
        _paragraphs(pdf, section.paragraphs, bullets=section.key == "summary")
        for table in section.tables:
            _table(pdf, table)
    return bytes(pdf.output())
