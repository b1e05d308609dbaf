"""Check drafts against the loaded books before they are written.

The checks are those ``bean-check`` with finsek's plugin would make on the
whole ledger, restricted to what new entries can break, so a save never
needs a full reload: the text parses to the entries expected (only
directives finsek writes, all dated the draft's date), every account is open
on the date and takes the currency, funds and donors are registered,
transactions balance, check numbers and links are not used twice, balance
assertions hold, no later balance assertion is broken and the date is not in
a closed period. Two of the audit's rules are applied at the door too: an
offering's counters are two different people (``entry_rules.same_person``),
and no restricted fund goes below zero, nor a designated one without an
approval (``overdraft``).

One function checks one draft or a batch of them (``check_entries`` over
all their entries): a batch is checked against the books and against itself,
as the books will stand once all of it is written.
"""

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser import parser

from finsek.core.errors import Refused
from finsek.core.money import format_amount
from finsek.ledger import conventions as conv
from finsek.ledger.books import Books
from finsek.ledger.entries import Draft
from finsek.ledger.entry_rules import same_person
from finsek.ledger.index import AccountInfo
from finsek.ledger.overdraft import check_overdrafts

#: The directives finsek writes; a draft holding any other is refused.
WRITTEN = (data.Transaction, data.Balance, data.Custom, data.Open, data.Note, data.Document)

#: Draft kinds finsek's own builders make (a parse error in one of them is finsek's fault).
BUILT_KINDS = frozenset({"gift", "offering", "payment", "transfer", "balance", "reversal", "close", "budget"})

#: Lines that are not entries: they change how the whole ledger is read.
_NOT_AN_ENTRY = re.compile(r"^(option|include|plugin|pushtag|poptag|pushmeta|popmeta)\b", re.MULTILINE)

#: The entry meta a reversal carries: it shares the links of the entry it reverses.
_REVERSES_KEY = "reverses"


def parse_draft(draft: Draft) -> list:
    """The entries of ``draft``'s text: at least one, all dated ``draft.date``, all of a kind finsek writes."""
    entries, errors, _ = parser.parse_string(draft.text)
    if errors:
        detail = " ".join(str(errors[0].message).split()).rstrip(".")
        if draft.kind in BUILT_KINDS:
            raise Refused(f"finsek built an entry Beancount cannot read ({detail}); nothing was saved.")
        raise Refused(f"Beancount cannot read this entry ({detail}), so nothing was saved: correct the text and "
                      "save again.")
    found = _NOT_AN_ENTRY.search(draft.text)
    if found:
        raise Refused(f"A line starting with '{found.group(1)}' belongs in main.beancount, not in an entry: "
                      "add it there by hand.")
    if not entries:
        raise Refused("The entry is empty: write the entry, then save it.")
    for entry in entries:
        if not isinstance(entry, WRITTEN):
            raise Refused(f"finsek does not save {type(entry).__name__.lower()} directives: "
                          "write that one into the ledger by hand.")
        if entry.date != draft.date:
            raise Refused(
                f"This entry is saved as one dated {draft.date.isoformat()}, but part of it is dated "
                f"{entry.date.isoformat()}: save that part on its own.",
                "date",
            )
    return entries


def closed_refusal(books: Books, day: dt.date, through: dt.date | None = None) -> Refused:
    through = through or books.closed_through
    assert through is not None, "asked only of books closed through a date"
    return Refused(
        f"The books are closed through {through.isoformat()}, so nothing dated {day.isoformat()} can be "
        f"added. Post the correction as a new entry dated after {through.isoformat()} "
        "(for example a reversal from the journal).",
        "date",
    )


class _Batch:
    """What the entries being checked add to the books: closes, opens, and check numbers and links seen so far."""

    def __init__(self, books: Books, entries: list):
        closes = [close.through for close in conv.closes(entries)]
        if books.closed_through:
            closes.append(books.closed_through)
        self.closed_through: dt.date | None = max(closes, default=None)
        self.opened: dict[str, list[data.Open]] = defaultdict(list)
        for entry in entries:
            if isinstance(entry, data.Open):
                self.opened[entry.account].append(entry)
        self.transactions = [entry for entry in entries if isinstance(entry, data.Transaction)]
        self.checks: dict[str, set[str]] = defaultdict(set)
        self.links: dict[dt.date, set[str]] = defaultdict(set)

    def account(self, books: Books, name: str) -> AccountInfo | None:
        info = books.accounts.get(name)
        if info is None and self.opened.get(name):
            opened = self.opened[name][0]
            info = AccountInfo(name, opened.date, None, tuple(opened.currencies or ()))
        return info


def check_entries(books: Books, entries: list) -> None:
    """Refuse (with the first problem found) anything these entries would break, in the books or among themselves.

    ``entries`` are those of one draft or of every draft of a batch: they are
    checked as the books will stand once all of them are written.
    """
    batch = _Batch(books, entries)
    for entry in entries:
        if batch.closed_through and entry.date <= batch.closed_through:
            raise closed_refusal(books, entry.date, batch.closed_through)
        if isinstance(entry, data.Transaction):
            _check_transaction(books, entry, batch)
        elif isinstance(entry, data.Balance):
            _check_balance(books, entry, batch)
        elif isinstance(entry, data.Open):
            _check_open(books, entry, batch)
        elif isinstance(entry, data.Note | data.Document):
            _check_account(books, entry.account, entry.date, None, batch)
    check_overdrafts(books, batch.transactions)


def _check_account(books: Books, account: str, day: dt.date, currency: str | None, batch: _Batch) -> None:
    info = batch.account(books, account)
    if info is None:
        raise Refused(f"There is no account {account} in the books: choose an existing account.", "account")
    if day < info.opened:
        raise Refused(
            f"{account} is not open on {day.isoformat()} (it opens on {info.opened.isoformat()}): "
            f"choose another account, or date the entry on or after {info.opened.isoformat()}.",
            "account",
        )
    if info.closed is not None and day >= info.closed:
        raise Refused(
            f"{account} is not open on {day.isoformat()} (it was closed on {info.closed.isoformat()}): "
            "choose an open account.",
            "account",
        )
    if currency is None:
        return
    if info.currencies and currency not in info.currencies:
        raise Refused(f"{account} does not take {currency}: choose another account.", "account")
    operating = books.options.get("operating_currency") or [books.currency]
    if not info.currencies and currency != books.currency and currency not in operating:
        raise Refused(f"This ledger keeps its books in {books.currency}: write the amount in {books.currency}.",
                      "amount")


def _check_open(books: Books, entry: data.Open, batch: _Batch) -> None:
    info = books.accounts.get(entry.account)
    if info is not None:
        raise Refused(f"{entry.account} is already in the books (opened on {info.opened.isoformat()}): "
                      "choose another name.", "account")
    if len(batch.opened[entry.account]) > 1:
        raise Refused(f"{entry.account} is opened twice in what is being saved: open it once.", "account")


def _written(posting: data.Posting) -> tuple[Decimal, str] | None:
    """A posting's amount and currency when both are written out (Beancount leaves MISSING where one is not)."""
    units = posting.units
    if isinstance(units, Amount) and isinstance(units.number, Decimal) and isinstance(units.currency, str):
        return units.number, units.currency
    return None


def _check_transaction(books: Books, entry: data.Transaction, batch: _Batch) -> None:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    changes: dict[str, Decimal] = defaultdict(Decimal)
    for posting in entry.postings:
        written = _written(posting)
        if written is None:
            raise Refused("Every line of an entry needs its amount written out.", "amount")
        number, currency = written
        if posting.price is not None or posting.cost is not None:
            raise Refused(
                f"finsek does not write prices or costs (@ or {{}}): write each line's amount in {books.currency}.",
                "amount",
            )
        _check_account(books, posting.account, entry.date, currency, batch)
        sums[currency] += number
        changes[posting.account] += number
        fund = conv.explicit_fund(entry, posting)
        if fund is not None and not books.known_fund(fund):
            raise Refused(f"There is no fund '{fund}': choose one of {', '.join(books.funds)}.", "fund")
        if books.settings.strict_funds and conv.needs_fund(posting.account) and fund is None:
            raise Refused(
                f"This ledger asks for a fund on every {posting.account.split(':')[0]} line: add "
                f'fund: "{books.default_fund}" (or the right fund) to the {posting.account} line.',
                "fund",
            )
        donor = conv.posting_donor(entry, posting)
        if donor is not None and books.donors.exists and donor not in books.donors:
            raise Refused(f"There is no donor '{donor}' in donors.csv: add the donor first.", "donor")
        method = (posting.meta or {}).get(conv.METHOD_KEY)
        if method is not None and method not in conv.METHODS:
            raise Refused(f"'{method}' is not a payment method: use one of {', '.join(conv.METHODS)}.", "method")
    for currency, total in sums.items():
        if total != 0:
            raise Refused(f"The entry does not balance: it is off by {total} {currency}.", "amount")
    _check_check_number(books, entry, batch)
    _check_links(books, entry, batch)
    _check_counters(entry)
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


def _check_check_number(books: Books, entry: data.Transaction, batch: _Batch) -> None:
    """A check written from a bank account (the entry's ``check:``, as the books index it) is used once."""
    check = (entry.meta or {}).get(conv.CHECK_KEY)
    if check is None or entry.flag == "P":
        return
    number = str(check)
    accounts = {p.account for p in entry.postings
                if p.account.startswith("Assets:") and (written := _written(p)) is not None and written[0] < 0}
    for account in sorted(accounts):
        if number in books.checks_by_account.get(account, ()) or number in batch.checks[account]:
            used = {*books.checks_by_account.get(account, ()), *batch.checks[account]}
            numbers = [int(value) for value in used if value.isdigit()]
            following = str(max(numbers) + 1) if numbers else "1001"
            where = "in the books" if number in books.checks_by_account.get(account, ()) else "in this save twice"
            raise Refused(
                f"Check {number} from {account} is already {where}: check the number "
                f"(the next unused one is {following}).",
                "check",
            )
    for account in accounts:
        batch.checks[account].add(number)


def _check_counters(entry: data.Transaction) -> None:
    """An offering's counters are two people: not one name written twice, in any case or spelling."""
    twice = same_person(conv.split_names((entry.meta or {}).get(conv.COUNTED_BY_KEY)))
    if twice:
        first, second = twice
        same = "twice" if first == second else f"twice ('{first}' and '{second}' are one person)"
        raise Refused(
            f"The offering names the same counter {same}: an offering is counted by two different people. "
            "Type the second counter's name from the signed count sheet.",
            "counted_by",
        )


def _check_links(books: Books, entry: data.Transaction, batch: _Batch) -> None:
    """A link (``^offering-DATE``) marks one entry of its date; a reversal shares the links of what it reverses."""
    if not entry.links:
        return
    if _REVERSES_KEY not in (entry.meta or {}):
        for link in sorted(entry.links):
            if link in books.links_by_date.get(entry.date, ()) or link in batch.links[entry.date]:
                raise Refused(
                    f"The link ^{link} already marks an entry dated {entry.date.isoformat()}: enter this one again "
                    "so finsek gives it a link of its own.",
                    "link",
                )
    batch.links[entry.date].update(entry.links)


def _check_balance(books: Books, entry: data.Balance, batch: _Batch) -> None:
    """A balance assertion holds: the books (with the transactions being saved with it) say the same."""
    expected, currency = entry.amount.number, entry.amount.currency
    if not isinstance(expected, Decimal):
        raise Refused("A balance needs its amount written out.", "amount")
    _check_account(books, entry.account, entry.date, currency, batch)
    actual = _balance_before(books, entry.account, currency, entry.date)
    for transaction in batch.transactions:
        if transaction.date < entry.date:
            for posting in transaction.postings:
                written = _written(posting)
                if written and written[1] == currency and conv.account_matches(posting.account, entry.account):
                    actual += written[0]
    if abs(actual - expected) > _tolerance(books, entry.tolerance, expected):
        statement = entry.date - dt.timedelta(days=1)
        raise Refused(
            f"The books say {format_amount(actual, currency, books.locale)} in {entry.account} on "
            f"{statement.isoformat()}; the statement says "
            f"{format_amount(expected, currency, books.locale)}: find the difference first.",
            "amount",
        )


def _balance_before(books: Books, account: str, currency: str, day: dt.date) -> Decimal:
    """``account``'s balance (with its sub-accounts) at the start of ``day``, as a Beancount balance checks it."""
    if currency == books.currency:
        return books.account_balance_before(account, day)
    total = Decimal(0)  # the index counts the operating currency only: add up the entries themselves
    for entry in books.entries:
        if entry.date >= day:
            break
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                written = _written(posting)
                if written and written[1] == currency and conv.account_matches(posting.account, account):
                    total += written[0]
    return total


def _tolerance(books: Books, tolerance: Decimal | None, expected: Decimal) -> Decimal:
    """The tolerance Beancount allows a balance assertion (``ops.balance.get_balance_tolerance``)."""
    if tolerance is not None:
        return tolerance
    exponent = expected.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= 0:
        return Decimal(0)
    multiplier = books.options.get("tolerance_multiplier") or Decimal("0.5")
    return Decimal(1).scaleb(exponent) * multiplier * 2
