"""Cell text for people: money and percentages in the ledger's locale.

Money in a table is already rounded to the currency's precision; this only
groups digits (``1,234.50`` or ``1 234,50``) and never rounds again. In print
(PDF, HTML, XLSX) a negative amount is in parentheses, ``(1,234.50)``, as
accountants print it, unless the ``negatives = "minus"`` setting asks for
``-1,234.50``; data formats (Markdown, JSON, CSV) always use the minus sign.
"""

from decimal import Decimal

from finsek.reports.model import Column, Report, Table

NBSP = "\u00a0"
#: How negative amounts are printed: "(1,234.50)" or "-1,234.50".
NEGATIVES = ("parentheses", "minus")
#: The default in print (PDF, HTML, XLSX).
PRINT_NEGATIVES = "parentheses"


def money_text(value: Decimal, locale: str = "en_US", negatives: str = "minus") -> str:
    """``value`` with grouped digits; a negative one in parentheses when ``negatives`` is "parentheses"."""
    if negatives == "parentheses" and value < 0:
        return f"({money_text(-value, locale)})"
    text = format(value, ",f")
    if locale == "sv_SE":
        text = text.replace(",", NBSP).replace(".", ",")
    return text


def percent_text(value: Decimal, locale: str = "en_US") -> str:
    text = format(value, "f")
    if locale == "sv_SE":
        return text.replace(".", ",") + NBSP + "%"
    return text + "%"


def cell_text(value, column: Column, locale: str = "en_US", negatives: str = "minus") -> str:
    if value is None:
        return ""
    if column.kind == "money" and isinstance(value, Decimal):
        return money_text(value, locale, negatives)
    if column.kind == "percent" and isinstance(value, Decimal):
        return percent_text(value, locale)
    if column.kind == "count" and isinstance(value, int):
        return money_text(Decimal(value), locale)
    return str(value)


def visible(table: Table) -> list[Column]:
    return [column for column in table.columns if not column.hidden]


def label_only(kind: str) -> bool:
    """Rows that carry only a label (a section or group heading)."""
    return kind in ("section", "group", "note")


def period_line(report: Report) -> str:
    fiscal = report.period.get("fiscal_year") if report.period else None
    if fiscal:
        return (f"{report.period_label} · fiscal year {fiscal['label']} "
                f"({fiscal['start']} to {fiscal['end']})")
    return report.period_label


def file_name(report: Report, extension: str) -> str:
    return f"{report.slug}.{extension}"
