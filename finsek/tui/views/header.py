"""The one line every screen shows at the top: the organisation, the ledger's path, today's period (no Textual)."""

import datetime as dt
from pathlib import Path

from finsek.tui.views.summary import fiscal_year


def display_path(path: Path) -> str:
    """A path as short as it can be said: relative to here, or to the home folder."""
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return prefix + str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


def header_line(books, main: Path, today: dt.date, is_demo: bool) -> str:
    """``Grace Church  ·  grace/main.beancount  ·  November 2026 · fiscal year 2026 · closed through …``;
    ``books`` is None while they load."""
    name = books.title if books else "finsek"
    period = f"{today:%B %Y}"
    if books is not None:
        period += f" · fiscal year {fiscal_year(books, today)}"
        if books.closed_through:
            period += f" · closed through {books.closed_through}"
    demo = " · DEMO ledger" if is_demo else ""
    return f"{name}  ·  {display_path(main)}  ·  {period}{demo}"
