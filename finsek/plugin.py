"""The Beancount plugin: ``plugin "finsek.plugin"`` in main.beancount.

It makes ``bean-check`` and Fava enforce finsek's ledger conventions
(docs/conventions.md): registered funds, known donor ids, known payment methods,
unchanged closed periods (``custom "close"``) and, when the ledger asks for it
with ``custom "finsek" "strict-funds" "true"``, a fund on every Income,
Expenses and Equity posting. It changes no entry; it only reports errors,
each in words a volunteer can act on.
"""

import csv
import datetime as dt
import os
import re
from collections import namedtuple
from pathlib import Path

from beancount.core import data

from finsek.core.errors import FinsekError
from finsek.ledger.conventions import (
    DONOR_KEY,
    FUND_KEY,
    METHOD_KEY,
    METHODS,
    Close,
    fund_registry,
    ledger_settings,
    needs_fund,
)
from finsek.ledger.digest import CLOSE_TYPE, period_digests, period_name
from finsek.ledger.donors import FILENAME as DONORS_FILE
from finsek.ledger.donors import read_registry

__plugins__ = ("validate",)

FinsekPluginError = namedtuple("FinsekPluginError", "source message entry")

_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_ACCOUNTS_FILE = "accounts.beancount"


def _source(entry, posting=None) -> dict:
    """Where to point: the posting's own line when Beancount recorded it, else the entry's."""
    meta = posting.meta if posting is not None and posting.meta else None
    if meta and "filename" in meta and "lineno" in meta:
        return {"filename": meta["filename"], "lineno": meta["lineno"]}
    return entry.meta


def _where(entry, posting) -> str:
    return posting.account if posting is not None else "the transaction"


def _text(value) -> str:
    return "" if value is None else str(value)


def _list(values) -> str:
    values = list(values)
    if len(values) > 12:
        return ", ".join(values[:12]) + f" (and {len(values) - 12} more)"
    return ", ".join(values)


class _Checker:
    def __init__(self, funds: dict, strict: bool, donor_ids: set | None, default_fund: str):
        self.funds = funds
        self.fund_names = sorted(funds)
        self.strict = strict
        self.donor_ids = donor_ids
        self.default_fund = default_fund
        self.errors: list[FinsekPluginError] = []

    def error(self, source, message: str, entry) -> None:
        self.errors.append(FinsekPluginError(source, message, entry))

    def meta(self, entry, posting, meta) -> None:
        """The finsek keys of one metadata dict (a transaction's or a posting's)."""
        if FUND_KEY in meta and self.funds:
            fund = _text(meta[FUND_KEY])
            if fund not in self.funds:
                self.error(
                    _source(entry, posting),
                    f'Unknown fund "{fund}" on {_where(entry, posting)}: use one of '
                    f'{_list(self.fund_names)}, or add it with a custom "fund" line in '
                    f"{_ACCOUNTS_FILE}.",
                    entry,
                )
        if DONOR_KEY in meta and self.donor_ids is not None:
            donor = _text(meta[DONOR_KEY])
            if donor not in self.donor_ids:
                self.error(
                    _source(entry, posting),
                    f'Unknown donor id "{donor}" on {_where(entry, posting)}: donors.csv has no '
                    "donor with this id. Use the id shown in finsek's donor list (like D0042), "
                    "or add the donor first.",
                    entry,
                )
        if METHOD_KEY in meta:
            method = _text(meta[METHOD_KEY])
            if method not in METHODS:
                self.error(
                    _source(entry, posting),
                    f'Unknown payment method "{method}" on {_where(entry, posting)}: use one of {", ".join(METHODS)}.',
                    entry,
                )

    def transaction(self, entry) -> None:
        entry_meta = entry.meta
        if entry_meta:
            self.meta(entry, None, entry_meta)
        if self.strict and not (entry_meta and FUND_KEY in entry_meta):
            self.strict_funds(entry)
        check = self.meta
        for posting in entry.postings:
            meta = posting.meta
            # Beancount gives every parsed posting a filename and line number: skip those quickly.
            if meta and len(meta) > 2:
                check(entry, posting, meta)

    def strict_funds(self, entry) -> None:
        for posting in entry.postings:
            meta = posting.meta
            if not (meta and FUND_KEY in meta) and needs_fund(posting.account):
                self.error(
                    _source(entry, posting),
                    f"{posting.account} has no fund, and this ledger asks for a fund on every Income, "
                    "Expenses and Equity posting (strict-funds): add a line such as "
                    f'fund: "{self.default_fund}" under the posting or under the transaction.',
                    entry,
                )


def _parse_close(entry) -> Close | str:
    """A ``custom "close"`` entry as a Close, or what is wrong with it."""
    values = [value.value if hasattr(value, "value") else value for value in entry.values]
    if len(values) != 2:
        count = {0: "no values", 1: "one value"}.get(len(values), f"{len(values)} values")
        return f"it has {count} instead of two (a date and a digest)"
    through, digest = values
    if not isinstance(through, dt.date):
        return "its first value is not a date (the last day closed, written without quotes)"
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        return 'its second value is not a digest ("sha256:" and 64 hex digits, in quotes)'
    if through > entry.date:
        return f"it closes {through.isoformat()}, which is after the day it was made ({entry.date.isoformat()})"
    return Close(entry.date, through, digest, entry)


def _example_through(day: dt.date) -> str:
    return (day.replace(day=1) - dt.timedelta(days=1)).isoformat()


def _close_message(close: Close, previous: Close | None, previous_ok: bool | None) -> str:
    through = close.through.isoformat()
    head = f"The books through {through} "
    if previous is not None and previous_ok:
        start = previous.through + dt.timedelta(days=1)
        where = (
            f"an entry dated between {start.isoformat()} and {through} "
            f"({period_name(start, close.through)}) was added, edited or removed"
        )
        if start == close.through:
            where = f"an entry dated {through} was added, edited or removed"
    elif previous is not None:
        where = (
            f"an entry dated on or before {through} was added, edited or removed "
            f"(at least in the earlier closed period through {previous.through.isoformat()}, "
            "which is reported too)"
        )
    else:
        where = (
            f"an entry dated on or before {through} ({period_name(None, close.through)}) was added, edited or removed"
        )
    return (
        f"{head}(closed on {close.date.isoformat()}) have changed since they were closed: {where}. "
        f"Undo that edit, or post the correction as a new entry dated after {through}."
    )


def _check_closes(entries, closes: list[Close], errors: list) -> None:
    if not closes:
        return
    digests = period_digests(entries, [close.through for close in closes])
    ordered = sorted(closes, key=lambda close: (close.through, close.date))
    ok_by_through: dict[dt.date, bool] = {}
    for close in ordered:
        ok = digests[close.through] == close.digest
        ok_by_through[close.through] = ok_by_through.get(close.through, True) and ok
    throughs = sorted(ok_by_through)
    for close in ordered:
        if digests[close.through] == close.digest:
            continue
        index = throughs.index(close.through)
        previous = None
        previous_ok = None
        if index:
            earlier = throughs[index - 1]
            previous = next(c for c in ordered if c.through == earlier)
            previous_ok = ok_by_through[earlier]
        errors.append(FinsekPluginError(close.entry.meta, _close_message(close, previous, previous_ok), close.entry))


def _ledger_dir(options_map) -> Path | None:
    filename = (options_map or {}).get("filename")
    if not filename or str(filename).startswith("<"):
        return None
    return Path(os.path.dirname(os.path.abspath(filename)))


def validate(entries, options_map, config=None):
    """Check finsek's conventions; return the entries unchanged and a list of errors."""
    transactions = []
    settings_entries = []
    close_entries = []
    for entry in entries:
        if isinstance(entry, data.Transaction):
            transactions.append(entry)
        elif isinstance(entry, data.Custom):
            if entry.type in ("fund", "finsek"):
                settings_entries.append(entry)
            elif entry.type == CLOSE_TYPE:
                close_entries.append(entry)

    funds = fund_registry(settings_entries)
    settings = ledger_settings(settings_entries)
    donor_ids = None
    errors_first: list[FinsekPluginError] = []
    ledger_dir = _ledger_dir(options_map)
    if ledger_dir is not None:
        try:
            registry = read_registry(ledger_dir)
        except (OSError, UnicodeDecodeError, csv.Error, FinsekError) as exc:
            registry = None
            problem = exc.message if isinstance(exc, FinsekError) else f"finsek could not read {DONORS_FILE} ({exc})"
            errors_first.append(
                FinsekPluginError(
                    {"filename": str(ledger_dir / DONORS_FILE), "lineno": 0},
                    f"{problem.rstrip('.')}. Until it is fixed, donor ids in the ledger are not checked against it.",
                    None,
                )
            )
        if registry is not None and registry.exists:
            donor_ids = {donor.id for donor in registry}  # alias rows included: their ids stay valid
    checker = _Checker(funds, settings.strict_funds, donor_ids, settings.default_fund)
    for entry in transactions:
        checker.transaction(entry)
    errors = errors_first + checker.errors

    closes = []
    for entry in close_entries:
        parsed = _parse_close(entry)
        if isinstance(parsed, str):
            errors.append(
                FinsekPluginError(
                    entry.meta,
                    f"This close line is not valid: {parsed}. It should read like "
                    f'{entry.date.isoformat()} custom "close" {_example_through(entry.date)} "sha256:…" '
                    "(the last day closed, then the digest finsek wrote). Close the period again with "
                    "finsek rather than typing the line.",
                    entry,
                )
            )
        else:
            closes.append(parsed)
    _check_closes(entries, closes, errors)
    return entries, errors
