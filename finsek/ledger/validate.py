"""Check a draft against the loaded books before it is written.

The checks are those ``bean-check`` with finsek's plugin would make on the
whole ledger, restricted to what one new entry can break, so a save never
needs a full reload: the text parses to exactly the entries expected, every
account is open on the date and takes the currency, funds and donors are
registered, transactions balance, no later balance assertion is broken and
the date is not in a closed period.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from beancount.core import data
from beancount.parser import parser

from finsek.core.errors import Refused
from finsek.core.money import format_amount
from finsek.ledger import conventions as conv
from finsek.ledger.books import Books
from finsek.ledger.entries import Draft


def parse_draft(draft: Draft) -> list:
    entries, errors, _ = parser.parse_string(draft.text)
    if errors:
        raise Refused(f"finsek built an entry Beancount cannot read ({errors[0].message}); nothing was saved.")
    return entries


def closed_refusal(books: Books, day: dt.date) -> Refused:
    through = books.closed_through
    assert through is not None, "asked only of books closed through a date"
    return Refused(
        f"The books are closed through {through.isoformat()}, so nothing dated {day.isoformat()} can be "
        f"added. Post the correction as a new entry dated after {through.isoformat()} "
        "(for example a reversal from the journal).",
        "date",
    )


def check_entries(books: Books, entries: list) -> None:
    """Refuse (with the first problem found) anything these entries would break."""
    for entry in entries:
        if books.closed_through and entry.date <= books.closed_through:
            raise closed_refusal(books, entry.date)
        if isinstance(entry, data.Transaction):
            _check_transaction(books, entry)
        elif isinstance(entry, data.Balance):
            _check_account(books, entry.account, entry.date, entry.amount.currency)


def _check_account(books: Books, account: str, day: dt.date, currency: str) -> None:
    info = books.accounts.get(account)
    if info is None:
        raise Refused(f"There is no account {account} in the books: choose an existing account.", "account")
    if not info.is_open_on(day):
        raise Refused(f"{account} is not open on {day.isoformat()}: choose another account or date.", "account")
    if info.currencies and currency not in info.currencies:
        raise Refused(f"{account} does not take {currency}: choose another account.", "account")


def _check_transaction(books: Books, entry: data.Transaction) -> None:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    changes: dict[str, Decimal] = defaultdict(Decimal)
    for posting in entry.postings:
        if posting.units is None or posting.units.number is None:
            raise Refused("Every line of an entry needs its amount written out.")
        _check_account(books, posting.account, entry.date, posting.units.currency)
        sums[posting.units.currency] += posting.units.number
        changes[posting.account] += posting.units.number
        fund = conv.explicit_fund(entry, posting)
        if fund is not None and not books.known_fund(fund):
            raise Refused(f"There is no fund '{fund}': choose one of {', '.join(books.funds)}.", "fund")
        if books.settings.strict_funds and conv.needs_fund(posting.account) and fund is None:
            raise Refused(f"This ledger asks for a fund on every {posting.account.split(':')[0]} line.", "fund")
        donor = conv.posting_donor(entry, posting)
        if donor is not None and books.donors.exists and donor not in books.donors:
            raise Refused(f"There is no donor '{donor}' in donors.csv: add the donor first.", "donor")
        method = (posting.meta or {}).get(conv.METHOD_KEY)
        if method is not None and method not in conv.METHODS:
            raise Refused(f"'{method}' is not a payment method: use one of {', '.join(conv.METHODS)}.", "method")
    for currency, total in sums.items():
        if total != 0:
            raise Refused(f"The entry does not balance: it is off by {total} {currency}.")
    for account, change in changes.items():
        if change == 0:
            continue
        later = books.assertions_after(account, entry.date)
        if later:
            first = min(later, key=lambda item: item.date)
            confirmed = first.date - dt.timedelta(days=1)
            raise Refused(
                f"The balance of {first.account} was confirmed against the statement of "
                f"{confirmed.isoformat()} ({format_amount(first.amount, first.currency, books.locale)}); "
                f"an entry dated {entry.date.isoformat()} would change it. Date it after "
                f"{confirmed.isoformat()}, or ask the treasurer to correct that bank balance first.",
                "date",
            )
