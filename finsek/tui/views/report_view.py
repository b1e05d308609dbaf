"""The board report in the terminal: its tables as Rich tables, its charts as text bars.

Pure functions over a :class:`finsek.reports.model.Report` (Rich, no
Textual), so they are tested directly. Cells are formatted exactly as the
printed report formats them (``cell_text``); nothing is rounded again.
Styles are bold and italic only, so the tables stay readable in light
and dark themes; the two series of a chart differ by their glyph (█ and ▒),
as they differ by hatching on paper.
"""

from decimal import Decimal

from rich import box
from rich.table import Table as RichTable
from rich.text import Text

from finsek.reports.model import Figure, Table
from finsek.reports.render.cells import cell_text, label_only, money_text, visible

GLYPHS = {"solid": "█", "hatched": "▒"}
#: Width of the longest bar of a chart, in cells.
BAR_WIDTH = 32
LABEL_WIDTH = 24
#: Rows under a heading are indented (non-breaking spaces: Rich keeps them).
INDENT = "\u00a0\u00a0"


def table_renderable(table: Table, locale: str) -> RichTable:
    """A report table as a Rich table: money right-aligned and never cut, headings and totals in bold."""
    columns = visible(table)
    out = RichTable(box=box.SIMPLE_HEAD, expand=False, pad_edge=False, show_edge=False, header_style="bold")
    for index, column in enumerate(columns):
        if index == 0:
            out.add_column(column.title, no_wrap=True, overflow="ellipsis", min_width=12, max_width=38)
        elif column.numeric:
            out.add_column(column.title, justify="right", no_wrap=True)
        else:
            out.add_column(column.title, no_wrap=True, overflow="ellipsis", max_width=24)
    rows = table.rows()
    for position, row in enumerate(rows):
        kind = row["kind"]
        style = {"section": "bold", "group": "bold", "subtotal": "bold", "total": "bold", "note": "italic"}.get(
            kind, ""
        )
        cells = []
        for index, column in enumerate(columns):
            if label_only(kind) and index > 0:
                cells.append("")
                continue
            text = cell_text(row.get(column.key), column, locale)
            if index == 0 and kind == "row":
                text = INDENT + text
            cells.append(Text(text, style=style))
        following = rows[position + 1]["kind"] if position + 1 < len(rows) else ""
        out.add_row(*cells, end_section=following == "total")
    return out


def table_plain(table: Table, locale: str) -> list[list[str]]:
    """The visible cells of a table as text (for tests and screen readers)."""
    columns = visible(table)
    return [[cell_text(row.get(column.key), column, locale) for column in columns] for row in table.rows()]


def figure_renderable(figure: Figure, locale: str, currency: str = "") -> Text:
    """A chart as text bars: one line per category and series, the longest bar ``BAR_WIDTH`` cells."""
    values = [abs(value) for series in figure.series for value in series.values if isinstance(value, Decimal)]
    top = max(values, default=Decimal(0))
    out = Text()
    unit = f" ({figure.unit or currency})" if (figure.unit or currency) else ""
    out.append(f"{figure.title}{unit}\n", style="bold")
    if len(figure.series) > 1:
        legend = "   ".join(f"{GLYPHS.get(series.style, '█') * 2} {series.name}" for series in figure.series)
        out.append(legend + "\n")
    if not top:  # the figure's note says why it is empty
        out.append((figure.note or "Nothing to show for this period.") + "\n", style="italic")
        return out
    for index, category in enumerate(figure.categories):
        for number, series in enumerate(figure.series):
            value = series.values[index] if index < len(series.values) else None
            label = category if number == 0 else ""
            if len(label) > LABEL_WIDTH:
                label = label[: LABEL_WIDTH - 1] + "…"
            out.append(f"{label:<{LABEL_WIDTH}} ")
            amount = value if isinstance(value, Decimal) else Decimal(0)
            cells = int((abs(amount) * BAR_WIDTH / top).to_integral_value()) if amount else 0
            bar = GLYPHS.get(series.style, "█") * cells
            out.append(f"{bar:<{BAR_WIDTH}}")
            out.append(f" {money_text(amount, locale) if value is not None else '—':>12}\n")
    return out
