"""Choices and look-ups the forms offer: donors, funds, accounts, methods, payees.

Pure functions over ``Books`` (no Textual), so they are tested directly and
shared by the pickers. A person may type a donor id, an envelope number or a
name; ``resolve_donor`` turns any of them into the id the ledger stores.
"""

import datetime as dt
import weakref
from decimal import Decimal
from typing import NamedTuple

from finsek.ledger import conventions as conv
from finsek.ledger import donor_match
from finsek.ledger.books import Books
from finsek.ledger.donors import Donor, DonorRegistry
from finsek.ledger.names import fold


class Choice(NamedTuple):
    """One thing a picker offers: the value it puts in the field, what it shows, what it searches."""

    value: str
    label: str
    search: str


def rank_choices(choices: list[Choice], query: str, limit: int = 6) -> list[Choice]:
    """The choices matching every word of ``query`` (in any order, any case, accents optional), best first.

    ``Choice.search`` is folded (``fold``) by whoever makes the choices."""
    if isinstance(choices, DonorChoices):
        return choices.rank(query, limit)
    text = fold(query)
    if not text:
        return []
    words = text.split()
    found = []
    for choice in choices:
        haystack = choice.search
        if not all(word in haystack for word in words):
            continue
        value = fold(choice.value)
        label = fold(choice.label)
        if value == text:
            score = 0
        elif value.startswith(text) or label.startswith(text) or text in haystack.split():
            score = 1
        elif any(part.startswith(words[0]) for part in haystack.split()):
            score = 2
        else:
            score = 3
        found.append((score, len(choice.value), choice.label.casefold(), choice))
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found[:limit]]


_DONOR_CHOICES: "weakref.WeakKeyDictionary[DonorRegistry, list[Choice]]" = weakref.WeakKeyDictionary()


class DonorChoices(list):
    """The donor choices of a registry: a picker ranks them with the one donor matcher
    (``donor_match.search``, as the Donors screen: id, envelope, words anywhere, typos forgiven)."""

    def __init__(self, registry: DonorRegistry):
        made = _DONOR_CHOICES.get(registry)
        if made is None:  # once per registry: every line of the offering grid has a donor picker
            made = _DONOR_CHOICES[registry] = [donor_choice(donor) for donor in registry.active()]
        super().__init__(made)
        self.registry = registry

    def rank(self, query: str, limit: int) -> list[Choice]:
        if not fold(query):
            return []
        return [donor_choice(donor) for donor in donor_match.search(self.registry, query, limit=limit)]


# -- donors -------------------------------------------------------------------


def donor_label(books: Books, donor_id: str) -> str:
    donor = books.donors.get(donor_id)
    if donor is None:
        return ""
    envelope = f", envelope {donor.envelope}" if donor.envelope else ""
    return f"{donor.name}{envelope}"


def donor_choice(donor: Donor) -> Choice:
    envelope = f" · envelope {donor.envelope}" if donor.envelope else ""
    search = fold(f"{donor.id} {donor.envelope} {donor.name} {donor.household} {donor.email}")
    return Choice(donor.id, f"{donor.id}  {donor.name}{envelope}", search)


def donor_choices(books: Books) -> list[Choice]:
    return DonorChoices(books.donors)


def resolve_donor(books: Books, text: str) -> str:
    """The donor id for an id, an envelope number or a name (``donor_match.match_donor``); else the text
    as typed (the builder then refuses it, with suggestions)."""
    value = (text or "").strip()
    if not value:
        return value
    found = donor_match.match_donor(books.donors, value)
    return found.donor.id if found.donor is not None else value


def describe_donor(books: Books, text: str) -> str:
    """What the donor field means, for the hint beside it: a name, 'loose cash', or ''."""
    value = (text or "").strip()
    if not value:
        return ""
    donor_id = resolve_donor(books, value)
    if donor_id in books.donors:
        canonical = books.donors.canonical(donor_id)
        label = donor_label(books, canonical)
        return label if canonical == donor_id else f"{label} (merged into {canonical})"
    return ""


# -- funds, methods, accounts ---------------------------------------------------


def fund_choices(books: Books) -> list[Choice]:
    funds = list(books.funds.values())
    if not funds:
        return [Choice(books.default_fund, f"{books.default_fund}  (default fund)", books.default_fund)]
    return [
        Choice(
            fund.name, f"{fund.name}  {fund.title} ({fund.klass})", fold(f"{fund.name} {fund.title} {fund.klass}")
        )
        for fund in funds
    ]


def method_choices() -> list[Choice]:
    return [Choice(method, method, method) for method in conv.METHODS]


def resolve_method(text: str, check_number: str = "", default: str = "cash") -> str:
    """A method from a unique prefix (``ch`` → check); blank is check when a number is given."""
    value = fold(text or "")
    if not value:
        return "check" if (check_number or "").strip() else default
    found = [method for method in conv.METHODS if method.startswith(value)]
    return found[0] if len(found) == 1 else value


def account_choices(books: Books, root: str | None = None, day: dt.date | None = None) -> list[Choice]:
    roots = (root,) if isinstance(root, str) or root is None else root
    names: list[str] = []
    for item in roots:
        names.extend(books.open_accounts(day, item))
    return [Choice(name, name, fold(name).replace(":", " ")) for name in names]


def payee_choices(books: Books) -> list[Choice]:
    return [Choice(payee, payee, fold(payee)) for payee in books.payees()]


class PayeeDefaults(NamedTuple):
    account: str
    fund: str
    amount: Decimal | None
    from_account: str
    had_check: bool


def payee_defaults(books: Books, payee: str) -> PayeeDefaults | None:
    """Account, fund, amount and bank of the last payment to ``payee`` (None when unknown)."""
    entry = books.last_transaction(payee)
    if entry is None:
        return None
    expense = None
    source = ""
    for posting in entry.postings:
        units = posting.units
        if units is None or units.number is None:
            continue
        if units.number > 0 and not posting.account.startswith(("Assets:", "Income:")) and expense is None:
            expense = posting
        elif units.number < 0 and posting.account.startswith("Assets:") and not source:
            source = posting.account
    if expense is None:
        return None
    fund = conv.posting_fund(entry, expense, books.default_fund)
    return PayeeDefaults(
        expense.account,
        "" if fund == books.default_fund else fund,
        expense.units.number,
        source,
        conv.CHECK_KEY in (entry.meta or {}),
    )
