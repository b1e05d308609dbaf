"""Giving statements on paper and on screen: PDF, Markdown and JSON.

The PDF is a letter for a window envelope. On US Letter the recipient's
address starts 2 in from the top and 7/8 in from the left (a US #10 window
envelope, letter folded in three); on A4 it starts 50 mm from the top and
20 mm from the left (inside the DIN 5008 form B window of C5/6 and DL
envelopes, folded at the marks). Fold marks are printed in the left margin.
Each statement starts on a new page; every page carries the organisation,
the year and "Page n of m" of that statement.

``write_statements`` writes one combined file per format (ready to print)
and one file per donor or household (ready to e-mail), plus an index CSV
for a mail merge. Every file is created private to its owner (mode 0600) in
a folder made 0700; the CLI warns before calling it, since the files name
donors.
"""

import csv
import io
import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from finsek.core.errors import Refused
from finsek.core.paper import default_paper
from finsek.core.text import sheet_text
from finsek.giving.statements import Statement, StatementSet
from finsek.giving.wording import LABELS, MONTHS, language, long_date
from finsek.ledger.files import write_atomically
from finsek.reports.render.fonts import Fonts

MM_PER_IN = 25.4


class Paper:
    def __init__(self, name: str, width: float, height: float, left: float, window_top: float, folds: tuple):
        self.name = name
        self.width = width
        self.height = height
        self.left = left
        self.right = 19.0
        self.window_top = window_top
        self.window_width = 4.0 * MM_PER_IN
        self.window_height = 1.125 * MM_PER_IN
        self.folds = folds
        self.bottom = 22.0


LETTER = Paper("letter", 8.5 * MM_PER_IN, 11 * MM_PER_IN, 0.875 * MM_PER_IN, 2.0 * MM_PER_IN,
               (11 * MM_PER_IN / 3, 22 * MM_PER_IN / 3))
A4 = Paper("a4", 210.0, 297.0, 20.0, 50.0, (105.0, 210.0))
PAPERS = {"letter": LETTER, "a4": A4}


def paper_for(locale: str, name: str | None = None) -> Paper:
    if name:
        return PAPERS[name.lower()]
    return PAPERS[default_paper(locale)]


def statement_fonts(statements: list[Statement]) -> Fonts:
    """DejaVu Sans cut down to the characters a batch of statements uses, for every document of the batch."""
    texts = [json.dumps(LABELS, ensure_ascii=False), " ".join(" ".join(months) for months in MONTHS.values())]
    for statement in statements:
        texts.append(json.dumps(statement.as_dict(), ensure_ascii=False))
    return Fonts.subset(texts)


GRAY = (110, 110, 110)
LINE = (150, 150, 150)
ZEBRA = (243, 243, 243)
BAR = (70, 110, 160)


class _Column:
    def __init__(self, key: str, title: str, width: float, align: str = "L"):
        self.key, self.title, self.width, self.align = key, title, width, align


class _StatementPages:
    """Draws one statement into a PDF ``Document``, page by page."""

    def __init__(self, pdf, paper: Paper, statement: Statement):
        self.pdf = pdf
        self.s = statement
        self.labels = statement.labels
        self.paper = paper
        self.x = self.paper.left
        self.width = self.paper.width - self.paper.left - self.paper.right
        self.first_page = 0
        self.y = 0.0
        self.amount_right = self.x + self.width

    # -- pages --------------------------------------------------------------

    def draw(self) -> None:
        self.pdf.add_page()
        self.first_page = self.pdf.page_no()
        self.folds()
        self.letterhead()
        self.window()
        self.y = max(self.paper.window_top + self.paper.window_height + 6, 86.0)
        for paragraph in self.s.paragraphs:
            if paragraph.section == "intro":
                self.text_block(paragraph.text)
        self.y += 2
        self.gifts_table()
        if len(self.s.by_fund) > 1:
            self.fund_table()
        if self.s.pledges:
            self.pledge_table()
        for paragraph in self.s.paragraphs:
            if paragraph.section == "intro":
                continue
            if paragraph.section == "quid-pro-quo":
                self.disclosure(paragraph.text)
            else:
                self.text_block(paragraph.text, bold=paragraph.section == "signature")
        self.pdf.number_pages(self.first_page, self.footer)

    def continuation(self) -> None:
        self.pdf.add_page()
        self.folds()
        self.pdf.font(8.5, color=GRAY)
        title = f"{self.labels['title']} {self.s.year} · {self.s.recipient} ({self.labels['continued']})"
        self.pdf.put(self.x, 12, self.width, 5, title)
        self.pdf.rule(18, LINE)
        self.y = 22.0

    def room(self, height: float) -> bool:
        return self.y + height <= self.paper.height - self.paper.bottom

    def ensure(self, height: float) -> bool:
        """Start a new page unless ``height`` fits; True when a page was started."""
        if self.room(height):
            return False
        self.continuation()
        return True

    def folds(self) -> None:
        for fold in self.paper.folds:
            self.pdf.rule(fold, LINE, x=3, length=4)

    def footer(self, number: int, count: int) -> None:
        """The foot of each page of the statement: the organisation, the statement, "Page n of m" of it."""
        self.pdf.font(7.5, color=GRAY)
        y = self.paper.height - 13
        left = f"{self.s.organisation.name} · {self.labels['title']} {self.s.year} · {self.s.key}"
        self.pdf.put(self.x, y, self.width - 30, 4, left)
        self.pdf.put(self.x + self.width - 30, y, 30, 4, f"{self.labels['page']} {number} {self.labels['of']} {count}",
                     align="R")

    def paragraph(self, x: float, y: float, w: float, h: float, text: str) -> float:
        """A paragraph wrapped to ``w`` from (``x``, ``y``); the height below it."""
        self.pdf.set_xy(x, y)
        self.pdf.multi_cell(w, h, self.pdf.clean(text), align="L")
        return self.pdf.get_y()

    def paragraph_height(self, w: float, h: float, text: str) -> float:
        return self.pdf.multi_cell(w, h, self.pdf.clean(text), dry_run=True, output="HEIGHT")

    # -- blocks -------------------------------------------------------------

    def letterhead(self) -> None:
        org = self.s.organisation
        y = 12.7
        right_width = 62.0
        left_width = self.width - right_width - 4
        self.pdf.font(13, "B")
        self.pdf.put(self.x, y, left_width, 6, org.name)
        y += 6.5
        self.pdf.font(8.5, color=(60, 60, 60))
        for line in org.address[:4]:
            self.pdf.put(self.x, y, left_width, 4, line)
            y += 4
        if org.tax_id:
            self.pdf.put(self.x, y, left_width, 4, f"{self.labels['tax_id']} {org.tax_id}")
        right = self.x + self.width - right_width
        y = 12.7
        self.pdf.font(14, "B")
        self.pdf.put(right, y, right_width, 6.5, self.labels["title"], align="R")
        y += 7.5
        self.pdf.font(9)
        kind = self.labels["household"] if self.s.kind == "household" else self.labels["donor"]
        for text in (f"{self.labels['year']} {self.s.year}",
                     f"{self.labels['issued']} {long_date(self.s.issued, self.s.locale)}",
                     f"{kind} {self.s.key}"):
            self.pdf.put(right, y, right_width, 4.5, text, align="R")
            y += 4.6

    def window(self) -> None:
        """Name and address inside the envelope window: at most six lines, shrunk to fit its width."""
        lines = [self.s.recipient, *self.s.address] if self.s.address else [self.s.recipient]
        lines = lines[:6]
        width = self.paper.window_width
        size = 10.5
        self.pdf.font(size)
        while size > 8 and max(self.pdf.get_string_width(self.pdf.clean(line)) for line in lines) > width - 1:
            size -= 0.5
            self.pdf.font(size)
        height = min(4.6, (self.paper.window_height - 1) / len(lines))
        y = self.paper.window_top + 1
        for index, line in enumerate(lines):
            self.pdf.font(size, "B" if index == 0 else "")
            self.pdf.put(self.x, y, width, height, line)
            y += height
        if not self.s.address:
            self.pdf.font(8, color=GRAY)
            self.pdf.put(self.x, y, width, height, self.labels["no_address"])

    def text_block(self, text: str, bold: bool = False) -> None:
        self.pdf.font(9.5, "B" if bold else "")
        height = self.paragraph_height(self.width, 4.6, text)
        if self.ensure(height + 2):
            self.pdf.font(9.5, "B" if bold else "")
        self.y = self.paragraph(self.x, self.y, self.width, 4.6, text) + 2.5

    def heading(self, text: str, following: float) -> None:
        self.ensure(7 + following)
        self.pdf.font(10.5, "B")
        self.pdf.put(self.x, self.y, self.width, 6, text)
        self.y += 7

    def columns(self) -> list[_Column]:
        labels = self.labels
        money = 27.0
        columns = [_Column("date", labels["date"], 22.0), _Column("fund", labels["fund"], 0)]
        if self.s.show_given_by:
            columns.append(_Column("by", labels["by"], 34.0))
        columns.append(_Column("method", labels["method"], 28.0))
        columns.append(_Column("amount", labels["amount"], money, "R"))
        if self.s.has_goods:
            columns.append(_Column("goods", labels["goods"], money + 6, "R"))
            columns.append(_Column("deductible", labels["deductible"], money, "R"))
        columns[1].width = self.width - sum(column.width for column in columns)
        right = self.x
        for column in columns:
            right += column.width
            if column.key == "amount":
                self.amount_right = right
        return columns

    def table_header(self, columns: list[_Column]) -> None:
        self.pdf.font(8.5, "B")
        x = self.x
        for column in columns:
            self.pdf.put(x, self.y, column.width, 5.5, column.title, align=column.align)
            x += column.width
        self.pdf.rule(self.y + 5.8, LINE, 0.3)
        self.y += 6.6

    def row(self, columns: list[_Column], values: dict[str, str], shade: bool, bold: bool = False) -> None:
        if shade:
            self.pdf.set_fill_color(*ZEBRA)
            self.pdf.rect(self.x, self.y, self.width, 5.0, style="F")
        self.pdf.font(8.5, "B" if bold else "")
        x = self.x
        for column in columns:
            self.pdf.put(x, self.y, column.width, 5.0, values.get(column.key, ""), align=column.align)
            x += column.width
        self.y += 5.0

    def gifts_table(self) -> None:
        s = self.s
        self.heading(s.labels["gifts"], 20)
        columns = self.columns()
        self.table_header(columns)
        for index, line in enumerate(s.lines):
            if self.ensure(5.0 + 1):
                self.table_header(columns)
            method = s.method(line.method)
            if line.check and line.method == "check":
                method = f"{method} {line.check}"
            self.row(columns, {
                "date": line.date.isoformat(),
                "fund": line.fund_title + (" *" if line.goods else ""),
                "by": line.given_by,
                "method": method,
                "amount": s.money(line.amount, unit=False),
                "goods": s.money(line.goods, unit=False) if line.goods else "",
                "deductible": s.money(line.deductible, unit=False),
            }, shade=index % 2 == 1)
        self.ensure(12)
        self.pdf.rule(self.y + 0.6, 0, 0.3)
        self.y += 1.2
        totals = {
            "date": f"{s.labels['total']} ({s.currency})",
            "amount": s.money(s.total, unit=False),
            "goods": s.money(s.goods_total, unit=False),
            "deductible": s.money(s.deductible_total, unit=False),
        }
        self.pdf.font(9, "B")
        x = self.x
        for column in columns:
            if column.key != "date" and column.key in totals:
                self.pdf.put(x, self.y, column.width, 5.5, totals[column.key], align="R")
            x += column.width
        self.pdf.put(self.x, self.y, columns[0].width + columns[1].width, 5.5, totals["date"])
        self.y += 6.5
        if language(s.locale) == "sv" and s.organisation.approval and s.qualifying_total != s.deductible_total:
            self.pdf.font(8.5)
            label = s.labels["qualifying"].format(threshold=s.money(s.threshold))
            self.pdf.put(self.x, self.y, self.width, 5, f"{label}: {s.money(s.qualifying_total)}")
            self.y += 6
        self.y += 2

    def fund_table(self) -> None:
        s = self.s
        self.heading(s.labels["by_fund"], 5.0 * len(s.by_fund))
        money = 27.0
        width = self.amount_right - self.x
        for index, item in enumerate(s.by_fund):
            self.ensure(5)
            if index % 2:
                self.pdf.set_fill_color(*ZEBRA)
                self.pdf.rect(self.x, self.y, width, 5.0, style="F")
            self.pdf.font(8.5)
            self.pdf.put(self.x, self.y, width - money, 5, item.title)
            self.pdf.put(self.amount_right - money, self.y, money, 5, s.money(item.total, unit=False), align="R")
            self.y += 5
        self.y += 3

    def pledge_table(self) -> None:
        s = self.s
        labels = s.labels
        self.heading(labels["pledges"], 11 + 5.0 * len(s.pledges))
        money = 22.0
        columns = [
            _Column("fund", labels["fund"], 0), _Column("period", labels["period"], 42.0),
            _Column("pledged", labels["pledged"], money, "R"), _Column("given", labels["given"], money, "R"),
            _Column("outstanding", labels["outstanding"], money, "R"), _Column("bar", "", 16.0),
        ]
        columns[0].width = self.width - sum(column.width for column in columns)
        self.table_header(columns)
        for index, pledge in enumerate(s.pledges):
            if self.ensure(6):
                self.table_header(columns)
            title = pledge.title + (f" – {pledge.label}" if pledge.label else "")
            if len(s.members) > 1:
                title += f" ({pledge.donor})"
            self.row(columns, {
                "fund": title,
                "period": f"{pledge.start.isoformat()} – {pledge.end.isoformat()}",
                "pledged": s.money(pledge.pledged, unit=False),
                "given": s.money(pledge.given, unit=False),
                "outstanding": s.money(pledge.outstanding, unit=False),
            }, shade=index % 2 == 1)
            share = min(Decimal(1), pledge.given / pledge.pledged) if pledge.pledged else Decimal(0)
            bar_x = self.x + self.width - columns[-1].width + 3
            bar_w = columns[-1].width - 4
            self.pdf.set_draw_color(*LINE)
            self.pdf.set_line_width(0.2)
            self.pdf.rect(bar_x, self.y - 3.8, bar_w, 2.6, style="D")
            if share > 0:
                self.pdf.set_fill_color(*BAR)
                self.pdf.rect(bar_x, self.y - 3.8, float(bar_w * float(share)), 2.6, style="F")
        self.y += 4

    def disclosure(self, text: str) -> None:
        s = self.s
        items = s.quid_pro_quo
        self.pdf.font(9)
        inner = self.width - 6
        height = self.paragraph_height(inner, 4.4, text) + 5.0 * len(items) + 12
        self.ensure(min(height, 200))
        top = self.y
        self.pdf.font(9.5, "B")
        self.pdf.put(self.x + 3, self.y + 2, inner, 5, s.labels["disclosure"])
        self.y += 8
        self.pdf.font(9)
        self.y = self.paragraph(self.x + 3, self.y, inner, 4.4, text) + 1.5
        for item in items:
            self.pdf.font(8.5)
            line = (f"{item.date.isoformat()}: {s.labels['payment']} {s.money(item.amount)}, "
                    f"{s.labels['received']} {s.money(item.goods)}, {s.labels['deductible'].lower()} "
                    f"{s.money(item.deductible)}")
            self.pdf.put(self.x + 3, self.y, inner, 5, line)
            self.y += 5
        self.y += 2
        self.pdf.set_draw_color(0, 0, 0)
        self.pdf.set_line_width(0.4)
        self.pdf.rect(self.x, top, self.width, self.y - top, style="D")
        self.y += 4


def render_pdf(
    statements: list[Statement], paper: str | None = None, title: str = "", fonts: Fonts | None = None
) -> bytes:
    """One PDF holding ``statements`` one after another (each from a new page).

    Pass ``fonts`` (``statement_fonts`` over the whole batch) when rendering
    many documents; without it the fonts are prepared for this call alone.
    """
    from finsek.reports.render.pdfbase import Document  # fpdf2: only when a PDF is made (start-up time)

    if not statements:
        raise ValueError("no statements to render")
    if fonts is None:
        with statement_fonts(statements) as own:
            return render_pdf(statements, paper, title, own)
    first = statements[0]
    sheet = paper_for(first.locale, paper)
    pdf = Document(sheet.name, title=title or f"{first.labels['title']} {first.year}", made=first.issued,
                   fonts=fonts, margins=(sheet.left, 12, sheet.right), bottom=None)
    for statement in statements:
        _StatementPages(pdf, sheet, statement).draw()
    return bytes(pdf.output())


def render_statement_pdf(statement: Statement, paper: str | None = None, fonts: Fonts | None = None) -> bytes:
    title = f"{statement.labels['title']} {statement.year} – {statement.recipient}"
    return render_pdf([statement], paper, title, fonts)


# -- Markdown -----------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({char: "\\" + char for char in "\\`*_[]<>|#"})


def md(text: str) -> str:
    """Text safe inside Markdown (and its tables): specials escaped, line breaks folded."""
    return " ".join(str(text).split()).translate(_MD_SPECIAL)


def render_markdown(statement: Statement) -> str:
    s = statement
    labels = s.labels
    org = s.organisation
    out = [f"# {labels['title']} {s.year}", "", f"**{md(org.name)}**  "]
    out += [f"{md(line)}  " for line in org.address]
    if org.tax_id:
        out.append(f"{labels['tax_id']} {md(org.tax_id)}  ")
    kind = labels["household"] if s.kind == "household" else labels["donor"]
    out += ["", f"{md(s.recipient)}  "]
    out += [f"{md(line)}  " for line in s.address]
    out += ["", f"{labels['issued']}: {long_date(s.issued, s.locale)} · {kind} {md(s.key)}", ""]
    for paragraph in s.paragraphs:
        if paragraph.section == "intro":
            out += [md(paragraph.text), ""]
    headers = [labels["date"], labels["fund"]]
    if s.show_given_by:
        headers.append(labels["by"])
    headers += [labels["method"], labels["amount"]]
    if s.has_goods:
        headers += [labels["goods"], labels["deductible"]]
    right = 2 if not s.has_goods else 4
    out += [f"## {labels['gifts']}", "", "| " + " | ".join(headers) + " |",
            "|" + "---|" * (len(headers) - right + 1) + "---:|" * (right - 1)]
    for line in s.lines:
        method = s.method(line.method) + (f" {line.check}" if line.check and line.method == "check" else "")
        cells = [line.date.isoformat(), md(line.fund_title) + (" \\*" if line.goods else "")]
        if s.show_given_by:
            cells.append(md(line.given_by))
        cells += [md(method), s.money(line.amount, unit=False)]
        if s.has_goods:
            cells += [s.money(line.goods, unit=False) if line.goods else "", s.money(line.deductible, unit=False)]
        out.append("| " + " | ".join(cells) + " |")
    total = [f"**{labels['total']} ({s.currency})**", ""] + ([""] if s.show_given_by else []) + [
        "", f"**{s.money(s.total, unit=False)}**"]
    if s.has_goods:
        total += [f"**{s.money(s.goods_total, unit=False)}**", f"**{s.money(s.deductible_total, unit=False)}**"]
    out += ["| " + " | ".join(total) + " |", ""]
    if len(s.by_fund) > 1:
        out += [f"## {labels['by_fund']}", "", f"| {labels['fund']} | {labels['amount']} |", "|---|---:|"]
        out += [f"| {md(item.title)} | {s.money(item.total, unit=False)} |" for item in s.by_fund]
        out.append("")
    if s.pledges:
        out += [f"## {labels['pledges']}", "",
                f"| {labels['fund']} | {labels['period']} | {labels['pledged']} | {labels['given']} | "
                f"{labels['outstanding']} |", "|---|---|---:|---:|---:|"]
        for pledge in s.pledges:
            title = md(pledge.title + (f" – {pledge.label}" if pledge.label else ""))
            out.append(f"| {title} | {pledge.start.isoformat()} – {pledge.end.isoformat()} | "
                       f"{s.money(pledge.pledged, unit=False)} | {s.money(pledge.given, unit=False)} | "
                       f"{s.money(pledge.outstanding, unit=False)} |")
        out.append("")
    for paragraph in s.paragraphs:
        if paragraph.section == "intro":
            continue
        if paragraph.section == "quid-pro-quo":
            out += [f"### {labels['disclosure']}", "", md(paragraph.text), ""]
            for item in s.quid_pro_quo:
                out.append(f"- {item.date.isoformat()}: {labels['payment']} {s.money(item.amount)}, "
                           f"{labels['received']} {s.money(item.goods)}, {labels['deductible'].lower()} "
                           f"{s.money(item.deductible)}")
            out.append("")
        else:
            out += [md(paragraph.text), ""]
    return "\n".join(out).rstrip() + "\n"


def render_json(statements: StatementSet | Statement) -> str:
    if isinstance(statements, Statement):
        payload = statements.as_dict()
    else:
        payload = {
            "year": statements.year, "household": statements.household,
            "statements": [statement.as_dict() for statement in statements.statements],
            "problems": statements.problems,
        }
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


# -- writing files --------------------------------------------------------------------------

FORMATS = ("pdf", "md", "json")


def write_private(path: Path, content: bytes) -> None:
    """Write a file readable by its owner only (0600), atomically; an older copy is tightened first."""
    if path.exists():
        os.chmod(path, 0o600)
    write_atomically(path, content, mode=0o600)


def statement_stem(statement: Statement) -> str:
    return f"giving-statement-{statement.year}-{statement.key}"


def statement_paths(statements: StatementSet, out: Path, formats: list[str] | tuple[str, ...]) -> list[Path]:
    """Every file ``write_statements`` would write into ``out``, in order."""
    paths = []
    for fmt in ("pdf", "md", "json"):
        if fmt not in formats or (fmt == "pdf" and not statements.statements):
            continue
        paths.append(out / f"giving-statements-{statements.year}.{fmt}")
        paths += [out / f"{statement_stem(statement)}.{fmt}" for statement in statements.statements]
    paths.append(out / f"giving-statements-{statements.year}-index.csv")
    return paths


def write_statements(
    statements: StatementSet, out: Path, formats: list[str] | tuple[str, ...] = ("pdf",), paper: str | None = None,
    check: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write the combined file(s), one file per statement and an index CSV; return the paths written.

    ``check`` is called on every path before anything is written (a refusal changes nothing).
    """
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise Refused(f"Unknown format {', '.join(unknown)}: choose from {', '.join(FORMATS)}.")
    out = Path(out)
    year = statements.year
    if check is not None:
        for path in statement_paths(statements, out, formats):
            check(path)
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    written: list[Path] = []
    per_file: dict[str, list[str]] = {s.key: [] for s in statements.statements}
    if "pdf" in formats and statements.statements:
        with statement_fonts(statements.statements) as fonts:
            path = out / f"giving-statements-{year}.pdf"
            write_private(path, render_pdf(statements.statements, paper, fonts=fonts))
            written.append(path)
            for statement in statements.statements:
                path = out / f"{statement_stem(statement)}.pdf"
                write_private(path, render_statement_pdf(statement, paper, fonts))
                written.append(path)
                per_file[statement.key].append(path.name)
    if "md" in formats:
        texts = [render_markdown(statement) for statement in statements.statements]
        path = out / f"giving-statements-{year}.md"
        write_private(path, "\n---\n\n".join(texts).encode("utf-8"))
        written.append(path)
        for statement, text in zip(statements.statements, texts, strict=True):
            path = out / f"{statement_stem(statement)}.md"
            write_private(path, text.encode("utf-8"))
            written.append(path)
            per_file[statement.key].append(path.name)
    if "json" in formats:
        path = out / f"giving-statements-{year}.json"
        write_private(path, render_json(statements).encode("utf-8"))
        written.append(path)
        for statement in statements.statements:
            path = out / f"{statement_stem(statement)}.json"
            write_private(path, render_json(statement).encode("utf-8"))
            written.append(path)
            per_file[statement.key].append(path.name)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["key", "recipient", "email", "total", "deductible", "currency", "files"])
    for statement in statements.statements:
        writer.writerow([
            sheet_text(statement.key), sheet_text(statement.recipient), sheet_text(statement.email),
            f"{statement.total:f}", f"{statement.deductible_total:f}", statement.currency,
            sheet_text(" ".join(per_file[statement.key])),
        ])
    path = out / f"giving-statements-{year}-index.csv"
    write_private(path, buffer.getvalue().encode("utf-8"))
    written.append(path)
    return written
