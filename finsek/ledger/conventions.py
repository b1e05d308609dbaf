"""finsek's ledger conventions, as functions over Beancount entries.

See docs/conventions.md. Funds are a metadata dimension: a
posting's fund is its own ``fund:``, else its transaction's, else the
ledger's default fund. Ledger-level settings live in ``custom "finsek"``
directives so Beancount and Fava accept them unchanged.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

FUND_KEY = "fund"
DONOR_KEY = "donor"
METHOD_KEY = "method"
CHECK_KEY = "check"
COUNTED_BY_KEY = "counted-by"
APPROVED_BY_KEY = "approved-by"
RECEIPT_KEY = "receipt"
GOODS_SERVICES_KEY = "goods-services"
ENTERED_BY_KEY = "entered-by"
#: Who approved taking a designated fund below zero (the write path asks for it; docs/conventions.md).
OVERDRAFT_APPROVED_BY_KEY = "overdraft-approved-by"

METHODS = ("cash", "check", "card", "transfer", "online", "swish", "bankgiro", "other")
FUND_CLASSES = ("unrestricted", "designated", "restricted")
DEFAULT_FUND = "general"
FUND_ROOTS = ("Income", "Expenses", "Equity")


class Fund(NamedTuple):
    name: str
    title: str
    klass: str
    date: dt.date


class LedgerSettings(NamedTuple):
    """Settings a ledger declares with ``custom "finsek" "key" "value"``."""

    locale: str = "en_US"
    fiscal_year_start: int = 1
    default_fund: str = DEFAULT_FUND
    strict_funds: bool = False
    separation_of_duties: bool = False
    approval_threshold: Decimal | None = None
    organisation_address: str = ""
    tax_id: str = ""
    #: The ledger's own accounts for finsek's roles (``custom "finsek" "account-gifts" "Income:Gåvor:Kollekter"``).
    accounts: tuple[tuple[str, str], ...] = ()


class Close(NamedTuple):
    """A ``custom "close" THROUGH "sha256:..."`` entry."""

    date: dt.date
    through: dt.date
    digest: str
    entry: data.Custom


def custom_values(entry: data.Custom) -> list:
    return [value.value if hasattr(value, "value") else value for value in entry.values]


def fund_registry(entries: Iterable[data.Directive]) -> dict[str, Fund]:
    funds: dict[str, Fund] = {}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "fund":
            values = custom_values(entry)
            if not values or not isinstance(values[0], str):
                continue
            name = values[0]
            title = values[1] if len(values) > 1 and isinstance(values[1], str) else name
            klass = values[2] if len(values) > 2 and isinstance(values[2], str) else "unrestricted"
            funds[name] = Fund(name, title, klass, entry.date)
    return funds


_TRUE = {"true", "yes", "on", "1"}


def ledger_settings(entries: Iterable[data.Directive]) -> LedgerSettings:
    values: dict = {}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "finsek":
            args = custom_values(entry)
            if len(args) >= 2 and isinstance(args[0], str):
                values[args[0]] = args[1]
    settings = LedgerSettings()
    updates: dict = {}
    if "locale" in values:
        updates["locale"] = str(values["locale"])
    if "fiscal-year-start" in values:
        try:
            month = int(str(values["fiscal-year-start"]))
            if 1 <= month <= 12:
                updates["fiscal_year_start"] = month
        except ValueError:
            pass
    if "default-fund" in values:
        updates["default_fund"] = str(values["default-fund"])
    for key, attr in (("strict-funds", "strict_funds"), ("separation-of-duties", "separation_of_duties")):
        if key in values:
            updates[attr] = str(values[key]).strip().lower() in _TRUE or values[key] is True
    if "approval-threshold" in values:
        raw = values["approval-threshold"]
        updates["approval_threshold"] = raw.number if hasattr(raw, "number") else Decimal(str(raw))
    if "address" in values:
        updates["organisation_address"] = str(values["address"])
    if "tax-id" in values:
        updates["tax_id"] = str(values["tax-id"])
    roles = tuple((key.removeprefix("account-"), str(value)) for key, value in values.items()
                  if key.startswith("account-") and isinstance(value, str) and value.strip())
    if roles:
        updates["accounts"] = roles
    return settings._replace(**updates)


def closes(entries: Iterable[data.Directive]) -> list[Close]:
    found = []
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "close":
            values = custom_values(entry)
            if len(values) >= 2 and isinstance(values[0], dt.date) and isinstance(values[1], str):
                found.append(Close(entry.date, values[0], values[1], entry))
    return sorted(found, key=lambda close: (close.through, close.date))


def closed_through(entries: Iterable[data.Directive]) -> dt.date | None:
    found = closes(entries)
    return max(close.through for close in found) if found else None


def split_names(value: object) -> list[str]:
    """People's names in a metadata value such as counted-by: ``"A. Svensson, B. Jones"``, ``"A and B"``,
    ``"A och B"``, ``"A; B"``, ``"A & B"``, ``"A / B"``, ``"A + B"``."""
    if value is None:
        return []
    text = str(value)
    for separator in (" and ", " och ", ";", "&", "/", "+"):
        text = text.replace(separator, ",")
    return [name.strip() for name in text.split(",") if name.strip()]


def needs_fund(account: str) -> bool:
    return account.split(":", 1)[0] in FUND_ROOTS


def posting_fund(entry: data.Transaction, posting: data.Posting, default: str = DEFAULT_FUND) -> str:
    """The fund of one posting: its own ``fund:``, else the entry's, else ``default``."""
    if posting.meta and FUND_KEY in posting.meta:
        return str(posting.meta[FUND_KEY])
    if entry.meta and FUND_KEY in entry.meta:
        return str(entry.meta[FUND_KEY])
    return default


def explicit_fund(entry: data.Transaction, posting: data.Posting) -> str | None:
    if posting.meta and FUND_KEY in posting.meta:
        return str(posting.meta[FUND_KEY])
    if entry.meta and FUND_KEY in entry.meta:
        return str(entry.meta[FUND_KEY])
    return None


def posting_donor(entry: data.Transaction, posting: data.Posting) -> str | None:
    if posting.meta and DONOR_KEY in posting.meta:
        return str(posting.meta[DONOR_KEY])
    if entry.meta and DONOR_KEY in entry.meta:
        return str(entry.meta[DONOR_KEY])
    return None


def account_matches(account: str, prefix: str) -> bool:
    """True when ``account`` is ``prefix`` or below it, on ``:`` boundaries."""
    return account == prefix or account.startswith(prefix + ":")


def is_from_file(entry: data.Directive) -> bool:
    """Entries parsed from a file, not synthesised by a plugin (pads, documents)."""
    filename = (entry.meta or {}).get("filename", "")
    return bool(filename) and not str(filename).startswith("<")


def transaction_size(entry: data.Transaction, currency: str) -> Decimal:
    """The money a transaction moves: the sum of its positive postings in ``currency``."""
    total = Decimal(0)
    for posting in entry.postings:
        units = posting.units
        if units is not None and units.number is not None and units.currency == currency and units.number > 0:
            total += units.number
    return total
