"""A self-contained HTML page: styles inline, charts as inline SVG, nothing fetched.

It prints well from a browser: ``@page`` sets the paper and margins (with
"Page N of M" in the page margin where the browser supports it), table
headings repeat on every printed page, rows never split, and section titles
stay with what follows.
"""

from html import escape

from finsek.reports.model import Report, Section, Table
from finsek.reports.render import charts
from finsek.reports.render.cells import PRINT_NEGATIVES, cell_text, label_only, period_line, visible

PAGE_SIZES = {"a4": "A4", "letter": "letter"}

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; font-size: 10pt; color: #000;
       background: #fff; margin: 0 auto; max-width: 60rem; padding: 1.5rem; line-height: 1.35; }
header.running { display: flex; justify-content: space-between; border-bottom: 1.5px solid #000;
                 font-size: 8.5pt; padding-bottom: .25rem; margin-bottom: 1rem; }
header.running strong { font-weight: bold; }
h1 { font-size: 20pt; margin: .2rem 0; }
p.organisation { font-size: 13pt; font-weight: bold; margin: 0; }
p.period { margin: .2rem 0 1rem; }
h2 { font-size: 13pt; border-bottom: 1px solid #888; padding-bottom: .15rem; margin: 1.6rem 0 .6rem;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 1rem 0 .35rem; break-after: avoid; page-break-after: avoid; }
ul.summary li { margin-bottom: .3rem; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
th { background: #d9d9d9; text-align: left; vertical-align: bottom; padding: .3rem .4rem; }
td { padding: .2rem .4rem; vertical-align: top; }
th.num, td.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
tbody tr.row:nth-child(even) td { background: #f4f4f4; }
tr.section td { background: #e8e8e8; font-weight: bold; }
tr.group td { font-weight: bold; padding-left: .9rem; }
tr.row td:first-child { padding-left: .9rem; }
tr.row.in-group td:first-child { padding-left: 1.6rem; }
tr.subtotal td { font-weight: bold; border-top: 1px solid #000; }
tr.subtotal td:first-child { padding-left: .9rem; }
tr.total td { font-weight: bold; border-top: 1px solid #000; background: #ececec; }
p.note { font-style: italic; font-size: 9pt; margin: .3rem 0; }
figure { margin: .8rem 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; }
div.pair { display: flex; gap: 1rem; }
div.pair figure { flex: 1 1 0; }
footer { margin-top: 2rem; font-size: 8pt; color: #444; border-top: 1px solid #888; padding-top: .3rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  footer.page { display: none; }
}
"""


def css_string(text: str) -> str:
    """Text for inside a double-quoted CSS string in a ``<style>`` element.

    A ``<style>`` element is raw text: HTML entities are not decoded there, so
    ``&`` stays ``&`` and the quote, the backslash, ``<`` and ``>`` (no
    ``</style>``) and control characters become CSS escapes (``\\22 ``).
    """
    return "".join(f"\\{ord(char):x} " if char in '"\\<>\'' or ord(char) < 32 or ord(char) == 127 else char
                   for char in text)


def _page_css(report: Report, paper: str) -> str:
    heading = css_string(f"{report.organisation} · {report.title} · {report.period_label}")
    return (
        f"@page {{ size: {PAGE_SIZES.get(paper, 'A4')}; margin: 16mm 15mm 16mm 15mm;"
        f' @top-left {{ content: "{heading}"; font-size: 8pt; }}'
        ' @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; } }'
    )


def _table(table: Table, locale: str, negatives: str = PRINT_NEGATIVES) -> str:
    columns = visible(table)
    out = []
    if table.title:
        out.append(f"<h3>{escape(table.title)}</h3>")
    out.append(f'<table class="{escape(table.key)}"><thead><tr>')
    for column in columns:
        css = ' class="num"' if column.numeric else ""
        out.append(f'<th scope="col"{css}>{escape(column.title)}</th>')
    out.append("</tr></thead><tbody>")
    in_group = False
    for row in table.rows():
        kind = row["kind"]
        if kind in ("section", "total"):
            in_group = False
        if label_only(kind):
            out.append(f'<tr class="{kind}"><td colspan="{len(columns)}">{escape(str(row.get(columns[0].key) or ""))}'
                       "</td></tr>")
            in_group = kind == "group"
            continue
        css = kind + (" in-group" if in_group and kind == "row" else "")
        out.append(f'<tr class="{css}">')
        for column in columns:
            text = escape(cell_text(row.get(column.key), column, locale, negatives))
            value_css = ' class="num"' if column.numeric else ""
            out.append(f"<td{value_css}>{text}</td>")
        out.append("</tr>")
        if kind == "subtotal":
            in_group = False
    out.append("</tbody></table>")
    for note in table.notes:
        out.append(f'<p class="note">{escape(note)}</p>')
    return "".join(out)


def _figures(section: Section, locale: str) -> str:
    pair = len(section.figures) == 2 and all(figure.kind == "hbars" for figure in section.figures)
    parts = []
    for figure in section.figures:
        parts.append(f'<figure role="img" aria-label="{escape(figure.title)}">{charts.svg(figure, locale, pair)}'
                     "</figure>")
    if pair:
        return '<div class="pair">' + "".join(parts) + "</div>"
    return "".join(parts)


def render_html(report: Report, paper: str = "a4", negatives: str = PRINT_NEGATIVES) -> str:
    """The report as one HTML document (a string); negative amounts as ``negatives`` says (cells.NEGATIVES)."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="finsek">',
        f"<title>{escape(report.title)}: {escape(report.organisation)}, {escape(report.period_label)}</title>",
        f"<style>{CSS}{_page_css(report, paper)}</style></head><body>",
        f'<header class="running"><strong>{escape(report.organisation)}</strong>'
        f"<span>{escape(report.title)} · {escape(report.period_label)}</span></header>",
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="organisation">{escape(report.organisation)}</p>',
        f'<p class="period">{escape(period_line(report))}</p>',
    ]
    for section in report.sections:
        out.append(f'<section id="{escape(section.key)}"><h2>{escape(section.title)}</h2>')
        if section.intro:
            tag = "ul" if section.key == "summary" else "div"
            out.append(f'<{tag} class="{escape(section.key)}">')
            item = "li" if tag == "ul" else "p"
            out.extend(f"<{item}>{escape(sentence)}</{item}>" for sentence in section.intro)
            out.append(f"</{tag}>")
        charts_first = section.key == "expenses"
        if charts_first and section.figures:
            out.append(_figures(section, report.locale))
        out.extend(_table(table, report.locale, negatives) for table in section.tables)
        if not charts_first and section.figures:
            out.append(_figures(section, report.locale))
        out.append("</section>")
    out.append(
        f'<footer class="page">{escape(report.organisation)} · {escape(report.period_label)} · generated '
        f"{report.generated.isoformat()} by finsek</footer>"
    )
    out.append("</body></html>\n")
    return "\n".join(out)
