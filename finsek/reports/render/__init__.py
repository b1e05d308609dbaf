"""Renderers: one report (data) to PDF, HTML, XLSX, Markdown, JSON or CSV.

``render(report, "pdf", paper="a4")`` gives bytes; ``export(report, folder,
formats)`` writes files named after the organisation and the period and
returns their paths. ``negatives`` ("parentheses", the default, or "minus":
the ``negatives`` setting) is how PDF, HTML and XLSX print a negative amount;
Markdown, JSON and CSV are data and keep the minus sign. Each renderer imports its heavy library (fpdf2,
matplotlib, openpyxl) only when called.
"""

from collections.abc import Callable
from pathlib import Path

from finsek.core.paper import default_paper
from finsek.ledger.files import write_atomically
from finsek.reports.render import textformats as plain
from finsek.reports.render.cells import NEGATIVES, PRINT_NEGATIVES
from finsek.reports.render.html import render_html
from finsek.reports.render.xlsx import render_xlsx

FORMATS = ("pdf", "html", "xlsx", "md", "json", "csv")
BOARD_FORMATS = ("pdf", "html", "xlsx", "md", "json")
PAPERS = ("a4", "letter")
EXTENSIONS = {"pdf": "pdf", "html": "html", "xlsx": "xlsx", "md": "md", "json": "json", "csv": "csv"}


def render(report, fmt: str, paper: str = "a4", negatives: str = PRINT_NEGATIVES) -> bytes:
    """The report in one format, as bytes (text formats are UTF-8)."""
    fmt = fmt.lower()
    if negatives not in NEGATIVES:
        raise ValueError(f"negatives must be one of {', '.join(NEGATIVES)}")
    if fmt == "pdf":
        from finsek.reports.render.pdf import render_pdf  # fpdf2: only when a PDF is made (start-up time)

        return render_pdf(report, paper, negatives)
    if fmt == "xlsx":
        return render_xlsx(report, paper, negatives)
    if fmt == "html":
        return render_html(report, paper, negatives).encode("utf-8")
    writers = {"md": plain.render_markdown, "json": plain.render_json, "csv": plain.render_csv}
    if fmt not in writers:
        raise ValueError(f"unknown format '{fmt}': use {', '.join(FORMATS)}")
    return writers[fmt](report, paper).encode("utf-8")


def write_file(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` atomically (the ledger layer's temp file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, payload, mode=0o644)


def export(
    report, folder: Path | str, formats=BOARD_FORMATS, paper: str | None = None,
    check: Callable[[Path], None] | None = None, negatives: str = PRINT_NEGATIVES,
) -> dict[str, Path]:
    """Write the report in each format into ``folder``; return {format: path}.

    ``check`` (``finsek.ledger.outputs.check_output`` bound to the books) is
    called on every path before any file is written: a refusal changes nothing.
    """
    folder = Path(folder)
    paper = paper or default_paper(report.locale)
    paths = {fmt: folder / f"{report.slug}.{EXTENSIONS[fmt]}" for fmt in formats}
    if check is not None:
        for path in paths.values():
            check(path)
    for fmt, path in paths.items():
        write_file(path, render(report, fmt, paper, negatives))
    return paths
