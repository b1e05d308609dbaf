"""Closed periods: is every close line intact, and does its digest still match?

finsek's plugin checks the digests whenever Beancount loads the ledger; here
the same digests are computed again so the committee report can list each
close with its result, and so a ledger whose ``plugin "finsek.plugin"`` line
was removed is still checked (the audit then runs the plugin's checks
itself and warns that bean-check and Fava no longer do).

A close whose digest no longer matches is the plugin's error, reported by
the ledger family; changes after a close that git can see, by the git
family.
"""

import datetime as dt
from typing import NamedTuple

from beancount.core import data

from finsek import plugin
from finsek.audit.findings import Finding
from finsek.ledger import conventions as conv
from finsek.ledger.books import LoadError
from finsek.ledger.digest import CLOSE_TYPE, describe_period, period_digests

PLUGIN = "finsek.plugin"


class CloseStatus(NamedTuple):
    """One ``custom "close"`` line and whether the books still match it."""

    through: dt.date
    closed_on: dt.date
    digest: str
    computed: str
    filename: str | None
    lineno: int | None

    @property
    def verified(self) -> bool:
        return self.digest == self.computed

    @property
    def period(self) -> str:
        return describe_period(self.through)

    def to_dict(self) -> dict:
        return {
            "through": self.through.isoformat(),
            "closed_on": self.closed_on.isoformat(),
            "digest": self.digest,
            "computed": self.computed,
            "verified": self.verified,
            "file": self.filename,
            "line": self.lineno,
        }

    @classmethod
    def from_dict(cls, raw: dict) -> "CloseStatus":
        """The status ``to_dict`` gave (``verified`` follows from the two digests)."""
        filename, lineno = raw["file"], raw["line"]
        if not (isinstance(raw["digest"], str) and isinstance(raw["computed"], str)):
            raise TypeError("a close's digests are strings")
        if filename is not None and not isinstance(filename, str):
            raise TypeError("a close's file is a string")
        if lineno is not None and (isinstance(lineno, bool) or not isinstance(lineno, int)):
            raise TypeError("a close's line is a number")
        return cls(dt.date.fromisoformat(raw["through"]), dt.date.fromisoformat(raw["closed_on"]), raw["digest"],
                   raw["computed"], filename, lineno)


def close_status(books) -> list[CloseStatus]:
    """Every valid close of the books, oldest period first, with its digest recomputed."""
    closes = conv.closes(books.entries)
    if not closes:
        return []
    digests = period_digests(books.entries, [close.through for close in closes])
    found = []
    for close in closes:
        meta = close.entry.meta or {}
        found.append(CloseStatus(close.through, close.date, close.digest, digests[close.through],
                                 meta.get("filename"), meta.get("lineno")))
    return found


def plugin_active(books) -> bool:
    return any(name == PLUGIN for name, _ in books.options.get("plugin", []) or [])


def looks_like_finsek(books) -> bool:
    """A ledger that uses finsek's conventions (funds, settings or closes)."""
    return any(
        isinstance(entry, data.Custom) and entry.type in ("fund", "finsek", CLOSE_TYPE) for entry in books.entries
    )


def plugin_errors(books) -> list[LoadError]:
    """The errors finsek's plugin would report, for a ledger loaded without it."""
    _, errors = plugin.validate(books.entries, books.options)
    found = []
    for error in errors:
        source = error.source if isinstance(error.source, dict) else {}
        found.append(LoadError(str(error.message).strip(), source.get("filename"), source.get("lineno")))
    return found


def check_closes(ctx) -> list[Finding]:
    """Each close with its digest recomputed (``ctx.closes``, for the report and the git family); a ledger
    that uses finsek's conventions but does not load its plugin gets the plugin's errors (``ctx.errors``, for
    the ledger family) and a warning."""
    books = ctx.books
    ctx.closes = close_status(books)
    ctx.plugin_active = plugin_active(books)
    if ctx.plugin_active or not looks_like_finsek(books):
        return []
    ctx.errors.extend(plugin_errors(books))
    return [ctx.finding(
        "closes", "plugin-missing", "warning",
        'main.beancount has no plugin "finsek.plugin" line: bean-check and Fava do not check funds, donors '
        "or closed periods (this audit still does).",
        'Put the line plugin "finsek.plugin" back in main.beancount, after the options.',
        filename=str(books.main), edit=False,
    )]
