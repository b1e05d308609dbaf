"""The committee's audit report as a PDF (fpdf2), A4 or Letter.

Drawn on the document every finsek PDF starts from
(``finsek.reports.render.pdfbase``): every page carries the organisation,
the report's title and its period at the top, and "Page N of M" with the
generation date at the foot; text is set in DejaVu Sans. Tables split across
pages with their heading row repeated. Import this module only to make a
PDF: it imports fpdf2.
"""

from fpdf.enums import TableBordersLayout
from fpdf.fonts import FontFace

from finsek.audit.report import AuditReport, Table
from finsek.reports.render.pdfbase import MARGIN, Document, report_frame

BODY_PT = 9.0
TABLE_PT = 7.5
GREY_HEAD = 220
GREY_BOLD = 238
SEVERITY_COLOURS = {"error": (170, 20, 20), "warning": (150, 95, 0), "note": (60, 60, 60)}


def _document(report: AuditReport, paper: str) -> Document:
    return Document(paper, title=f"{report.title}: {report.organisation}, {report.period_label}",
                    author=report.organisation, made=report.generated, margins=(MARGIN, 20, MARGIN),
                    frame=report_frame(report))


def _title(pdf: Document, report: AuditReport) -> None:
    pdf.font(16, "B")
    pdf.multi_cell(pdf.epw, 8, pdf.clean(f"{report.title}: {report.organisation}"), new_x="LMARGIN", new_y="NEXT")
    pdf.font(10)
    pdf.cell(pdf.epw, 6, pdf.clean(f"Period: {report.period_label}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _table(pdf: Document, table: Table) -> None:
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    if table.title:
        pdf.font(9, "B")
        pdf.cell(pdf.epw, 5.5, pdf.clean(table.title), new_x="LMARGIN", new_y="NEXT")
    pdf.font(TABLE_PT)
    widths = table.widths or [2.0] + [1.0] * (len(table.columns) - 1)
    severity_column = table.columns[0] == "Severity"
    with pdf.grid(
        widths, (align == "r" for align in table.align), 3.6, GREY_HEAD, width=pdf.epw,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES, v_align="TOP",
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
    pdf.notes([table.note] if table.note else [], color=50, before=0.8 if table.note else 0)


def render_pdf(report: AuditReport, paper: str = "a4") -> bytes:
    """The report as PDF bytes."""
    pdf = _document(report, paper)
    pdf.add_page()
    _title(pdf, report)
    for section in report.sections:
        if section.key == "findings" and section.tables:
            pdf.add_page()
        if pdf.get_y() > pdf.h - 45:
            pdf.add_page()
        pdf.heading(section.title, 12, before=2, after=1.5)
        pdf.paragraphs(section.paragraphs, BODY_PT, line=4.6, gap=0.8, bullet=4 if section.key == "summary" else None)
        for table in section.tables:
            _table(pdf, table)
    return bytes(pdf.output())
