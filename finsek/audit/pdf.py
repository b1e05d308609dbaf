"""The committee's audit report as a PDF (fpdf2), A4 or Letter.

Drawn on the document every finsek PDF starts from
(``finsek.reports.render.pdfbase``): every page carries the organisation,
the report's title and its period at the top, and "Page N of M" with the
generation date at the foot; text is set in DejaVu Sans. Tables split across
pages with their heading row repeated. Import this module only to make a
PDF: it imports fpdf2.
"""

from dataclasses import replace

from fpdf.enums import TableBordersLayout
from fpdf.fonts import FontFace

from finsek.audit.report import AuditReport, Section, Table, errors_table
from finsek.reports.render.pdfbase import MARGIN, Document, report_frame

BODY_PT = 10.0
TABLE_PT = 9.0
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
    line = TABLE_PT * 0.48
    with pdf.grid(
        widths, (align == "r" for align in table.align), line, GREY_HEAD, width=pdf.epw,
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
    if table.note:  # "What to do" and "N more": as legible as the table, not small print
        pdf.ln(0.8)
        pdf.font(TABLE_PT, color=40)
        pdf.multi_cell(pdf.epw, TABLE_PT * 0.46, pdf.clean(table.note), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    pdf.ln(3)


def _steps(pdf: Document, steps: list[str]) -> None:
    """The summary's "What to do", numbered."""
    pdf.ln(1)
    pdf.font(BODY_PT + 1, "B")
    pdf.cell(pdf.epw, 6, pdf.clean("What to do"), new_x="LMARGIN", new_y="NEXT")
    pdf.font(BODY_PT)
    for number, step in enumerate(steps, 1):
        pdf.cell(6, 4.8, f"{number}.")
        pdf.multi_cell(pdf.epw - 6, 4.8, pdf.clean(step), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)
    pdf.ln(2)


def _section(pdf: Document, section: Section) -> None:
    pdf.heading(section.title, 12, before=2, after=1.5)
    pdf.paragraphs(section.paragraphs, BODY_PT, line=5, gap=0.8, bullet=4 if section.key == "summary" else None)
    if section.steps:
        _steps(pdf, section.steps)
    for table in section.tables:
        _table(pdf, table)


def _summary_on_one_page(report: AuditReport, paper: str) -> Section:
    """The summary with as many errors listed as fit on the first page (the rest are under Errors)."""
    summary = report.section("summary")
    errors = [table for table in summary.tables if table.key == "errors"]
    if not errors:
        return summary
    listed = len(errors[0].rows)
    while True:
        tables = [table if table.key != "errors" else errors_table(report.result, listed)
                  for table in summary.tables]
        trial = replace(summary, tables=tables)
        if listed <= 1:
            return trial
        scratch = _document(report, paper)
        scratch.add_page()
        _title(scratch, report)
        _section(scratch, trial)
        if scratch.page_no() == 1:
            return trial
        listed -= 1


def render_pdf(report: AuditReport, paper: str = "a4") -> bytes:
    """The report as PDF bytes: the summary alone on the first page, then the errors, warnings and notes."""
    pdf = _document(report, paper)
    pdf.add_page()
    _title(pdf, report)
    for index, section in enumerate(report.sections):
        if section.key == "summary":
            section = _summary_on_one_page(report, paper)
        elif index and report.sections[index - 1].key == "summary" and report.result.findings:
            pdf.add_page()  # the summary is the first page, and only it (with nothing found, the rest follows)
        elif pdf.get_y() > pdf.h - 45:
            pdf.add_page()
        _section(pdf, section)
    return bytes(pdf.output())
