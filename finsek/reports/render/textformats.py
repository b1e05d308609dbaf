"""Text formats: Markdown (for people), JSON (for other tools), CSV (for spreadsheets).

JSON holds every table and figure of the report. Money is a string of the
exact decimal (``"1234.50"``), percentages are strings too (``"85.3"``),
counts are integers, empty cells are ``null``.
"""

import csv
import io
import json
from decimal import Decimal

from finsek.core.text import markdown_text, sheet_text
from finsek.reports.model import Figure, Report, Table
from finsek.reports.render.cells import cell_text, label_only, period_line, visible

# -- Markdown ---------------------------------------------------------------------


def _md_escape(text: str) -> str:
    return markdown_text(str(text))


def markdown_table(table: Table, locale: str, heading: str = "###") -> str:
    columns = visible(table)
    out = []
    if table.title:
        out.append(f"{heading} {_md_escape(table.title)}\n")
    out.append("| " + " | ".join(_md_escape(column.title) or " " for column in columns) + " |")
    out.append("|" + "|".join("---:" if column.numeric else ":---" for column in columns) + "|")
    for row in table.rows():
        kind = row["kind"]
        cells = []
        for index, column in enumerate(columns):
            text = _md_escape(cell_text(row.get(column.key), column, locale))
            if label_only(kind) and index > 0:
                text = ""
            if text and (kind in ("section", "group", "subtotal", "total")):
                text = f"**{text}**"
            cells.append(text)
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.extend(f"*{_md_escape(note)}*\n" for note in table.notes)
    return "\n".join(out)


def render_markdown(report: Report, paper: str = "a4") -> str:
    out = [
        f"# {_md_escape(report.title)}: {_md_escape(report.organisation)}",
        "",
        f"{_md_escape(period_line(report))}  ",
        f"Generated {report.generated.isoformat()} by finsek.",
        "",
    ]
    for section in report.sections:
        out.append(f"## {_md_escape(section.title)}\n")
        if section.intro:
            bullet = "- " if section.key == "summary" else ""
            out.extend(f"{bullet}{_md_escape(sentence)}" for sentence in section.intro)
            out.append("")
        out.extend(markdown_table(table, report.locale) for table in section.tables)
        for figure in section.figures:
            out.append(f"*Chart: {_md_escape(figure.title)} (in the PDF and HTML versions of this report).*\n")
    return "\n".join(out).rstrip() + "\n"


# -- JSON -------------------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def table_dict(table: Table) -> dict:
    return {
        "key": table.key,
        "title": table.title,
        "columns": [{"key": column.key, "title": column.title, "kind": column.kind, "printed": not column.hidden}
                    for column in table.columns],
        "rows": [{key: _json_value(value) for key, value in row.items()} for row in table.rows()],
        "notes": list(table.notes),
    }


def figure_dict(figure: Figure) -> dict:
    return {
        "key": figure.key,
        "title": figure.title,
        "kind": figure.kind,
        "unit": figure.unit,
        "categories": list(figure.categories),
        "series": [{"name": series.name, "style": series.style, "values": [_json_value(v) for v in series.values]}
                   for series in figure.series],
    }


def report_dict(report: Report) -> dict:
    return {
        "format": "finsek-report",
        "version": 1,
        "report": report.kind,
        "title": report.title,
        "organisation": report.organisation,
        "currency": report.currency,
        "locale": report.locale,
        "period": {"label": report.period_label, "start": report.start.isoformat(), "end": report.end.isoformat(),
                   **report.period},
        "generated": report.generated.isoformat(),
        "summary": list(report.summary),
        "warnings": list(report.warnings),
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "intro": list(section.intro),
                "tables": [table_dict(table) for table in section.tables],
                "figures": [figure_dict(figure) for figure in section.figures],
            }
            for section in report.sections
        ],
    }


def render_json(report: Report, paper: str = "a4") -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


# -- CSV ------------------------------------------------------------------------------------


def _csv_value(value, kind: str):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    return sheet_text(str(value))


def csv_table(table: Table) -> str:
    """One table as CSV: plain numbers (``1234.50``), a ``kind`` column first, every column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kind", *(column.key for column in table.columns)])
    for row in table.rows():
        writer.writerow([row["kind"], *(_csv_value(row.get(column.key), column.kind) for column in table.columns)])
    return buffer.getvalue()


def render_csv(report: Report, paper: str = "a4") -> str:
    """Every table as CSV; more than one table are separated by a blank line and a ``# title`` line."""
    tables = report.tables()
    if len(tables) == 1:
        return csv_table(tables[0])
    return "\n".join(f"# {table.title}\n{csv_table(table)}" for table in tables)


def text_cell(value, column, locale: str) -> str:  # re-exported for the TUI
    return cell_text(value, column, locale)
