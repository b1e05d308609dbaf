"""Charts drawn with matplotlib, in memory, legible in black-and-white print.

Series are told apart by fill and hatching (dark solid against light
hatched), never by colour alone, and every bar carries its value or sits on
a labelled grid. matplotlib is imported here only, when a chart is drawn.

Amounts become floats here only as bar heights (pixels); every number printed
on a chart is formatted from the exact ``Decimal`` with ``money_text``.
"""

import io
import re
from decimal import Decimal

from finsek.reports.model import Figure
from finsek.reports.render.cells import money_text

STYLES = {
    "solid": {"facecolor": "0.30", "edgecolor": "black", "hatch": None},
    "hatched": {"facecolor": "white", "edgecolor": "black", "hatch": "////"},
    "light": {"facecolor": "0.75", "edgecolor": "black", "hatch": None},
}


def _short(value: float | Decimal, locale: str) -> str:
    """Whole units with grouping for axis ticks and bar labels."""
    return money_text(Decimal(round(value)), locale)


#: Type size (pt) of a chart's labels, ticks and legend at its printed size: as large as the tables'.
CHART_PT = 9


def _figure(width: float, height: float):
    from matplotlib.figure import Figure as MplFigure  # matplotlib: only when a chart is drawn (start-up time)

    return MplFigure(figsize=(width, height), layout="constrained")


def _draw_bars(axes, figure: Figure, locale: str) -> None:
    from matplotlib.ticker import FuncFormatter  # matplotlib: only when a chart is drawn (start-up time)

    count = len(figure.series) or 1
    width = 0.8 / count
    positions = range(len(figure.categories))
    for number, series in enumerate(figure.series):
        style = STYLES.get(series.style, STYLES["solid"])
        xs = [index - 0.4 + width * (number + 0.5) for index in positions]
        values = [float(value) if value is not None else None for value in series.values]
        shown = [(x, value) for x, value in zip(xs, values, strict=True) if value is not None]
        if not shown:
            axes.bar([], [], width, label=series.name, linewidth=0.6, **style)
            continue
        axes.bar([x for x, _ in shown], [value for _, value in shown], width, label=series.name,
                 linewidth=0.6, **style)
    axes.set_xticks(list(positions), figure.categories, fontsize=CHART_PT)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _short(value, locale)))
    axes.tick_params(axis="y", labelsize=CHART_PT)
    axes.grid(axis="y", color="0.8", linewidth=0.5)
    axes.set_axisbelow(True)
    if figure.unit:
        axes.set_ylabel(figure.unit, fontsize=CHART_PT)
    # Above the bars, right of the title: never over a tall bar.
    axes.legend(fontsize=CHART_PT, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=count,
                borderaxespad=0.2)


def _draw_hbars(axes, figure: Figure, locale: str) -> None:
    count = len(figure.series) or 1
    height = 0.8 / count
    positions = list(range(len(figure.categories)))
    largest = max((abs(float(value)) for series in figure.series for value in series.values if value is not None),
                  default=0.0) or 1.0
    for number, series in enumerate(figure.series):
        style = STYLES.get(series.style, STYLES["solid"])
        ys = [index - 0.4 + height * (number + 0.5) for index in positions]
        values = [float(value) if value is not None else 0.0 for value in series.values]
        bars = axes.barh(ys, values, height, label=series.name, linewidth=0.6, **style)
        for bar, amount in zip(bars, series.values, strict=True):
            axes.text(bar.get_width() + largest * 0.01, bar.get_y() + bar.get_height() / 2,
                      _short(amount or Decimal(0), locale), va="center", ha="left", fontsize=CHART_PT - 0.5)
    axes.set_yticks(positions, figure.categories, fontsize=CHART_PT)
    axes.invert_yaxis()
    axes.set_xlim(0, largest * 1.25)
    axes.set_xticks([])
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    if count > 1:
        axes.legend(fontsize=CHART_PT, frameon=False)


def draw(figure: Figure, locale: str = "en_US", width: float = 7.0, height: float = 3.0):
    """A matplotlib Figure (no pyplot, no global state) for ``figure``."""
    canvas = _figure(width, height)
    axes = canvas.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if is_empty(figure):
        axes.text(0.5, 0.5, figure.note or "Nothing to show for this period", ha="center", va="center", fontsize=9)
        axes.set_axis_off()
    elif figure.kind == "hbars":
        _draw_hbars(axes, figure, locale)
    else:
        _draw_bars(axes, figure, locale)
    axes.set_title(figure.title, fontsize=CHART_PT + 1, loc="left", fontweight="bold")
    return canvas


def is_empty(figure: Figure) -> bool:
    return not figure.categories or not any(
        value for series in figure.series for value in series.values if value is not None
    )


def figure_size(figure: Figure, half: bool = False) -> tuple[float, float]:
    """Inches: wide bars for trends, tall enough for every horizontal bar."""
    if is_empty(figure):
        return (3.6 if half else 7.0), 0.9
    if figure.kind == "hbars":
        return (3.6 if half else 7.0), max(1.6, 0.6 + 0.28 * len(figure.categories))
    return 7.0, 2.9


def png(figure: Figure, locale: str = "en_US", half: bool = False, dpi: int = 200) -> bytes:
    width, height = figure_size(figure, half)
    buffer = io.BytesIO()
    draw(figure, locale, width, height).savefig(buffer, format="png", dpi=dpi, facecolor="white")
    from PIL import Image  # Pillow (matplotlib's): only when a PNG is made (start-up time)

    opaque = io.BytesIO()
    Image.open(io.BytesIO(buffer.getvalue())).convert("RGB").save(opaque, format="PNG", optimize=True)
    return opaque.getvalue()  # no alpha channel: some PDF viewers grey out transparent images


def svg(figure: Figure, locale: str = "en_US", half: bool = False) -> str:
    """Inline SVG (text kept as text); element ids are prefixed with the figure's key so several
    charts can share one HTML page."""
    import matplotlib  # matplotlib: only when a chart is drawn (start-up time)

    width, height = figure_size(figure, half)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "finsek"}):
        draw(figure, locale, width, height).savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", figure.key) + "-"
    return re.sub(r'(\bid="|url\(#|href="#)', lambda match: match.group(1) + prefix, text)
