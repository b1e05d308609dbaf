"""Entries built from what a person typed: checked, escaped, as Beancount text.

Each builder takes raw strings (as typed in the app or on the command line)
and the loaded books, refuses bad input with one plain sentence naming the
field, and returns a ``Draft``: the exact text that will be appended. The
write path (``writer``) then validates the draft against the books again,
under the lock, before anything touches the disk.
"""

import datetime as dt
import os
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from beancount.core import data

from finsek.core.dates import parse_date
from finsek.core.errors import Refused
from finsek.core.money import format_amount, ledger_number, parse_amount
from finsek.core.text import check_one_alphabet, check_text, person_key, quote, slug
from finsek.ledger import conventions as conv
from finsek.ledger import donor_match, names, roles
from finsek.ledger.books import Books

GIFT_ACCOUNT = "Income:Contributions:Offerings"
DESIGNATED_ACCOUNT = "Income:Contributions:Designated"
DEPOSIT_ACCOUNT = "Assets:Bank:Checking"
TRANSFER_ACCOUNT = "Equity:Transfers"


def deposit_account(books: Books) -> str:
    """The account gifts are deposited to and bills paid from: the ledger's ``deposit`` role."""
    return roles.account(books.settings, "deposit")


def gift_account(books: Books, fund: str) -> str:
    """Where a gift is income: the gifts account for the default fund, the designated-gifts account otherwise."""
    return roles.account(books.settings, "gifts" if fund == books.default_fund else "designated-gifts")


#: The default largest receipt, in MB (the ``receipt_max_mb`` setting).
RECEIPT_MAX_MB = 50

#: Folders of the system whose files are not files (their size says nothing).
_PSEUDO_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))


def _megabytes(size: float) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def receipt_refusal(source: Path, max_bytes: int, size: int | None = None, mode: int | None = None) -> str | None:
    """Why ``source`` cannot be a receipt (not there, a folder, not a regular file, too large), or None.

    ``size`` and ``mode``: what ``fstat`` said of the file already opened (the copy's own check).
    """
    if mode is None:
        try:
            status = os.stat(source)
        except OSError:
            return f"The receipt file {source} does not exist: choose the scanned file."
        mode, size = status.st_mode, status.st_size
    if stat.S_ISDIR(mode):
        return f"{source} is a folder: choose the receipt file inside it."
    resolved = Path(os.path.realpath(source))
    if not stat.S_ISREG(mode) or any(resolved.is_relative_to(folder) for folder in _PSEUDO_FOLDERS):
        return f"{source} is not a regular file: choose the scanned receipt itself."
    if size is not None and size > max_bytes:
        return (f"The receipt file {source} is {_megabytes(size)} MB, over the limit of {_megabytes(max_bytes)} MB: "
                "scan it smaller, or raise receipt_max_mb in the settings file.")
    return None


class Attachment(NamedTuple):
    """A file the write path copies into the ledger folder with the entry (checked again as it is copied)."""

    source: Path
    relative: str
    max_bytes: int = RECEIPT_MAX_MB * 1024 * 1024


class Draft(NamedTuple):
    kind: str
    date: dt.date
    text: str
    summary: str
    attachments: tuple[Attachment, ...] = ()
    #: The ledger file to append to, one the books already include (a budget goes where the budgets are);
    #: None: the year file of ``date``.
    file: Path | None = None


# -- small checks ------------------------------------------------------------


def _date(books: Books, value: str | dt.date, today: dt.date | None) -> dt.date:
    today = today or dt.date.today()
    day = parse_date(value, today)
    if day > today:
        raise Refused(
            f"{day.isoformat()} is in the future: record money on the day it was received or paid.",
            "date",
        )
    return day


def _amount(books: Books, value: str | Decimal | int, field_name: str = "amount") -> Decimal:
    return parse_amount(value, books.currency, books.locale, field=field_name)


def _account(books: Books, value: str, day: dt.date, field_name: str, root: str | None = None) -> str:
    account = names.resolve_account(books, value, field_name, root)
    info = books.accounts[account]
    if root and not conv.account_matches(account, root):
        raise Refused(f"{account} is not an {root} account: choose one under {root}.", field_name)
    if day < info.opened:
        raise Refused(
            f"{account} was opened on {info.opened.isoformat()}: the date must be on or after that.",
            field_name,
        )
    if info.closed and day >= info.closed:
        raise Refused(f"{account} was closed on {info.closed.isoformat()}: choose an open account.", field_name)
    if info.currencies and books.currency not in info.currencies:
        raise Refused(f"{account} does not take {books.currency}: choose another account.", field_name)
    return account


def _fund(books: Books, value: str | None) -> str:
    return names.resolve_fund(books, value)


def _donor(books: Books, value: str | None) -> str | None:
    """The donor id for an id, envelope number or name (``donor_match``), refused with suggestions."""
    donor = check_text(value or "", "donor", max_length=200)
    if not donor:
        return None
    if books.donors.exists:
        return donor_match.resolve_donor(books.donors, donor)
    if len(donor) > 40 or any(char in donor for char in " \"\\"):
        raise Refused("A donor id has no spaces or quotes: use an id such as D0042.", "donor")
    return donor


def _method(value: str | None, default: str = "check") -> str:
    return names.resolve_method(value, default)


def _check_number(value: str | None, field_name: str = "check") -> str | None:
    number = check_text(value or "", "check number", max_length=20)
    if number and not number.replace("-", "").isalnum():
        raise Refused("A check number is letters and digits only, as printed on the check.", field_name)
    return number or None


def _meta(indent: int, key: str, value: str | None) -> str:
    if value is None or value == "":
        return ""
    return f"{' ' * indent}{key}: {quote(value)}\n"


def _posting(account: str, amount: Decimal, currency: str) -> str:
    number = ledger_number(amount, currency)
    return f"  {account:<40} {number:>12} {currency}\n"


def _header(day: dt.date, payee: str | None, narration: str, links: tuple[str, ...] = ()) -> str:
    payee_part = f"{quote(payee)} " if payee is not None else ""
    link_part = "".join(f" ^{link}" for link in links)
    return f"{day.isoformat()} * {payee_part}{quote(narration)}{link_part}\n"


# -- gift --------------------------------------------------------------------


@dataclass
class GiftInput:
    date: str = "today"
    amount: str = ""
    donor: str = ""
    fund: str = ""
    method: str = "check"
    check: str = ""
    account: str = ""
    deposit_to: str = ""
    memo: str = ""
    goods_services: str = ""
    entered_by: str = ""


def build_gift(books: Books, gift: GiftInput, today: dt.date | None = None) -> Draft:
    day = _date(books, gift.date, today)
    amount = _amount(books, gift.amount)
    donor = _donor(books, gift.donor)
    fund = _fund(books, gift.fund)
    method = _method(gift.method)
    check = _check_number(gift.check)
    if check and method != "check":
        raise Refused("A check number goes with the method 'check': change the method or clear the number.", "check")
    default_account = gift_account(books, fund)
    account = _account(books, gift.account or default_account, day, "income account", "Income")
    deposit = _account(books, gift.deposit_to or deposit_account(books), day, "deposit account", "Assets")
    memo = check_text(gift.memo, "memo")
    goods = None
    if gift.goods_services.strip():
        goods = parse_amount(gift.goods_services, books.currency, books.locale, field="goods and services value")
        if goods > amount:
            raise Refused("The goods or services value is more than the gift itself.", "goods_services")
    entered_by = check_text(gift.entered_by, "entered-by name", max_length=80)
    narration = memo or ("Gift" if donor is None else f"Gift from {donor}")
    text = _header(day, "Gift", narration)
    text += _meta(2, conv.ENTERED_BY_KEY, entered_by)
    text += _posting(deposit, amount, books.currency)
    text += _posting(account, -amount, books.currency)
    text += _meta(4, conv.FUND_KEY, fund)
    text += _meta(4, conv.DONOR_KEY, donor)
    text += _meta(4, conv.METHOD_KEY, method)
    text += _meta(4, conv.CHECK_KEY, check)
    if goods is not None:
        text += f"    {conv.GOODS_SERVICES_KEY}: {ledger_number(goods, books.currency)} {books.currency}\n"
    who = donor or "anonymous"
    summary = f"gift of {format_amount(amount, books.currency, books.locale)} from {who} to {fund} on {day}"
    return Draft("gift", day, text, summary)


# -- offering ----------------------------------------------------------------


@dataclass
class OfferingLine:
    amount: str = ""
    donor: str = ""
    method: str = "cash"
    check: str = ""
    fund: str = ""
    account: str = ""


@dataclass
class OfferingInput:
    date: str = "today"
    counted_by: str = ""
    total: str = ""
    lines: list[OfferingLine] = field(default_factory=list)
    deposit_to: str = ""
    memo: str = ""
    entered_by: str = ""


def parse_counters(value: str) -> list[str]:
    text = check_one_alphabet(check_text(value, "counters' names", required=True, max_length=200), "counters' names")
    names = conv.split_names(text)
    if len(names) < 2:
        raise Refused(
            "An offering is counted by two people: type both names, separated by a comma.", "counted_by"
        )
    if len({person_key(name) for name in names}) < len(names):
        raise Refused("The two counters must be two different people.", "counted_by")
    return names


def offering_line_total(books: Books, lines: list[OfferingLine]) -> Decimal:
    """The running total of the lines typed so far, ignoring those not yet valid."""
    total = Decimal(0)
    for line in lines:
        try:
            total += parse_amount(line.amount, books.currency, books.locale)
        except Refused:
            continue
    return total


def build_offering(books: Books, offering: OfferingInput, today: dt.date | None = None) -> Draft:
    day = _date(books, offering.date, today)
    counters = parse_counters(offering.counted_by)
    counted = parse_amount(offering.total, books.currency, books.locale, field="counted total")
    deposit = _account(books, offering.deposit_to or deposit_account(books), day, "deposit account", "Assets")
    memo = check_text(offering.memo, "memo")
    entered_by = check_text(offering.entered_by, "entered-by name", max_length=80)
    lines = [line for line in offering.lines if any(str(v).strip() for v in vars(line).values() if v != "cash")]
    if not lines:
        raise Refused("The offering has no gifts: add at least one line (loose cash is one line).", "lines")
    body = ""
    total = Decimal(0)
    for number, line in enumerate(lines, start=1):
        where = f"line {number}"
        try:
            amount = _amount(books, line.amount)
            donor = _donor(books, line.donor)
            fund = _fund(books, line.fund)
            method = _method(line.method, "cash")
            check = _check_number(line.check)
            default_account = gift_account(books, fund)
            account = _account(books, line.account or default_account, day, "income account", "Income")
        except Refused as refusal:
            raise Refused(f"Gift {where}: {refusal.message}", refusal.field) from None
        if check and method != "check":
            raise Refused(f"Gift {where}: a check number goes with the method 'check'.", "check")
        total += amount
        body += _posting(account, -amount, books.currency)
        body += _meta(4, conv.FUND_KEY, fund)
        body += _meta(4, conv.DONOR_KEY, donor)
        body += _meta(4, conv.METHOD_KEY, method)
        body += _meta(4, conv.CHECK_KEY, check)
    if total != counted:
        difference = format_amount(abs(counted - total), books.currency, books.locale)
        more_or_less = "more" if total > counted else "less"
        raise Refused(
            f"The gifts add up to {format_amount(total, books.currency, books.locale)}, "
            f"{difference} {more_or_less} than the counted total "
            f"{format_amount(counted, books.currency, books.locale)}: recount, or correct a line.",
            "total",
        )
    who = " and ".join([", ".join(counters[:-1]), counters[-1]])
    narration = memo or f"Sunday offering, counted by {who}"
    link = f"offering-{day.isoformat()}"
    existing = books.links_by_date.get(day, set())
    suffix = 2
    while link in existing:
        link = f"offering-{day.isoformat()}-{suffix}"
        suffix += 1
    text = _header(day, "Offering", narration, (link,))
    text += _meta(2, conv.COUNTED_BY_KEY, ", ".join(counters))
    text += _meta(2, conv.ENTERED_BY_KEY, entered_by)
    text += _posting(deposit, total, books.currency)
    text += body
    summary = (
        f"offering of {format_amount(total, books.currency, books.locale)} on {day} "
        f"({len(lines)} gifts, counted by {', '.join(counters)})"
    )
    return Draft("offering", day, text, summary)


# -- payment -----------------------------------------------------------------


@dataclass
class PaymentInput:
    date: str = "today"
    payee: str = ""
    amount: str = ""
    account: str = ""
    fund: str = ""
    from_account: str = ""
    check: str = ""
    receipt: str = ""
    approved_by: str = ""
    memo: str = ""
    entered_by: str = ""
    receipt_max_mb: float = RECEIPT_MAX_MB
    #: Who approved taking a designated fund below zero (asked for only when the save needs it).
    overdraft_approved_by: str = ""


def receipt_destination(books: Books, source: Path, day: dt.date, payee: str) -> str:
    """A safe, unused ``documents/YYYY/DATE-payee.ext`` path for a receipt."""
    extension = "".join(char for char in source.suffix.lower() if char.isalnum() or char == ".")[:8]
    stem = f"{day.isoformat()}-{slug(payee)}"
    folder = books.root / "documents" / str(day.year)
    candidate = f"{stem}{extension}"
    number = 2
    while (folder / candidate).exists():
        candidate = f"{stem}-{number}{extension}"
        number += 1
    return f"documents/{day.year}/{candidate}"


def build_payment(books: Books, payment: PaymentInput, today: dt.date | None = None) -> Draft:
    day = _date(books, payment.date, today)
    payee = check_text(payment.payee, "payee", required=True, max_length=120)
    amount = _amount(books, payment.amount)
    account = _account(books, payment.account, day, "expense account")
    if conv.account_matches(account, "Income"):
        raise Refused(f"{account} is an income account: a payment goes to an expense account.", "account")
    fund = _fund(books, payment.fund)
    source = _account(books, payment.from_account or deposit_account(books), day, "account paid from", "Assets")
    check = _check_number(payment.check)
    if check and check in books.checks_by_account.get(source, ()):
        raise Refused(
            f"Check {check} from {source} is already in the books: "
            f"check the number (the next unused one is {books.next_check_number(source)}).",
            "check",
        )
    approved_by = check_text(payment.approved_by, "approver's name", max_length=80)
    overdraft_by = check_text(payment.overdraft_approved_by, "approver's name", max_length=80)
    memo = check_text(payment.memo, "memo")
    entered_by = check_text(payment.entered_by, "entered-by name", max_length=80)
    attachments: tuple[Attachment, ...] = ()
    receipt = None
    if payment.receipt.strip():
        source_file = Path(payment.receipt.strip()).expanduser()
        max_bytes = int(payment.receipt_max_mb * 1024 * 1024)
        refusal = receipt_refusal(source_file, max_bytes)
        if refusal:
            raise Refused(refusal, "receipt")
        receipt = receipt_destination(books, source_file, day, payee)
        attachments = (Attachment(source_file.resolve(), receipt, max_bytes),)
    text = _header(day, payee, memo)
    text += _meta(2, conv.CHECK_KEY, check)
    text += _meta(2, conv.RECEIPT_KEY, receipt)
    text += _meta(2, conv.APPROVED_BY_KEY, approved_by)
    text += _meta(2, conv.OVERDRAFT_APPROVED_BY_KEY, overdraft_by)
    text += _meta(2, conv.ENTERED_BY_KEY, entered_by)
    text += _posting(account, amount, books.currency)
    if conv.needs_fund(account):
        text += _meta(4, conv.FUND_KEY, fund)
    text += _posting(source, -amount, books.currency)
    summary = f"payment of {format_amount(amount, books.currency, books.locale)} to {payee} on {day}"
    return Draft("payment", day, text, summary, attachments)


# -- fund transfer -----------------------------------------------------------


@dataclass
class TransferInput:
    date: str = "today"
    amount: str = ""
    from_fund: str = ""
    to_fund: str = ""
    memo: str = ""
    approved_by: str = ""
    #: Who approved taking a designated fund below zero (asked for only when the save needs it).
    overdraft_approved_by: str = ""


def build_transfer(books: Books, transfer: TransferInput, today: dt.date | None = None) -> Draft:
    day = _date(books, transfer.date, today)
    amount = _amount(books, transfer.amount)
    try:
        from_fund = _fund(books, transfer.from_fund or None)
    except Refused as refusal:
        raise Refused(refusal.message, "from_fund") from None
    try:
        to_fund = _fund(books, transfer.to_fund or None)
    except Refused as refusal:
        raise Refused(refusal.message, "to_fund") from None
    if from_fund == to_fund:
        raise Refused("A transfer moves money between two different funds: choose another fund.", "to_fund")
    transfers = _account(books, roles.account(books.settings, "transfers"), day, "transfer account")
    memo = check_text(transfer.memo, "memo")
    approved_by = check_text(transfer.approved_by, "approver's name", max_length=80)
    overdraft_by = check_text(transfer.overdraft_approved_by, "approver's name", max_length=80)
    narration = memo or f"Transfer from {from_fund} to {to_fund}"
    text = _header(day, "Fund transfer", narration)
    text += _meta(2, conv.APPROVED_BY_KEY, approved_by)
    text += _meta(2, conv.OVERDRAFT_APPROVED_BY_KEY, overdraft_by)
    text += _posting(transfers, amount, books.currency)
    text += _meta(4, conv.FUND_KEY, from_fund)
    text += _posting(transfers, -amount, books.currency)
    text += _meta(4, conv.FUND_KEY, to_fund)
    summary = (
        f"transfer of {format_amount(amount, books.currency, books.locale)} "
        f"from {from_fund} to {to_fund} on {day}"
    )
    return Draft("transfer", day, text, summary)


# -- bank balance ------------------------------------------------------------


@dataclass
class BalanceInput:
    date: str = "today"
    account: str = ""
    amount: str = ""


class BalanceCheck(NamedTuple):
    statement_date: dt.date
    assertion_date: dt.date
    account: str
    statement: Decimal
    books: Decimal

    @property
    def difference(self) -> Decimal:
        return self.statement - self.books


def check_balance(books: Books, balance: BalanceInput, today: dt.date | None = None) -> BalanceCheck:
    """Compare a statement's closing balance with the books, before saving."""
    day = _date(books, balance.date, today)
    account = _account(books, balance.account or deposit_account(books), day, "account")
    amount = parse_amount(
        balance.amount, books.currency, books.locale, allow_negative=True, allow_zero=True,
        field="statement balance",
    )
    next_day = day + dt.timedelta(days=1)
    return BalanceCheck(day, next_day, account, amount, books.account_balance(account, day))


def build_balance(books: Books, balance: BalanceInput, today: dt.date | None = None) -> Draft:
    """A balance assertion for a statement's closing balance on its date.

    Beancount checks a balance at the start of its date, so the closing
    balance of the statement dated D is asserted on D + 1, exactly (``~ 0``).
    """
    found = check_balance(books, balance, today)
    if found.difference != 0:
        raise Refused(
            f"The books show {format_amount(found.books, books.currency, books.locale)} in {found.account} "
            f"at the end of {found.statement_date}, the statement says "
            f"{format_amount(found.statement, books.currency, books.locale)} "
            f"(difference {format_amount(found.difference, books.currency, books.locale)}): "
            "enter the missing items first, then the balance.",
            "amount",
        )
    number = ledger_number(found.statement, books.currency)
    text = f"{found.assertion_date.isoformat()} balance {found.account} {number} ~ 0 {books.currency}\n"
    summary = (
        f"bank balance of {format_amount(found.statement, books.currency, books.locale)} "
        f"in {found.account} at the end of {found.statement_date}"
    )
    return Draft("balance", found.assertion_date, text, summary)


# -- reversal ----------------------------------------------------------------


def build_reversal(
    books: Books, entry: data.Transaction, date: str = "today", today: dt.date | None = None, memo: str = "",
    overdraft_approved_by: str = "",
) -> Draft:
    """A new entry that cancels ``entry``: history is never edited.

    ``overdraft_approved_by``: who approved taking a designated fund below zero, when the reversal does.
    """
    day = _date(books, date, today)
    if day < entry.date:
        raise Refused("A reversal is dated on or after the entry it reverses.", "date")
    if any(posting.cost is not None for posting in entry.postings):
        raise Refused("finsek cannot reverse an entry with costs (investments): reverse it by hand.")
    memo = check_text(memo, "memo")
    origin = f"{entry.date.isoformat()} {entry.payee or ''} {entry.narration or ''}".replace("  ", " ").strip()
    narration = memo or f"Reversal of {origin}"
    narration = check_text(narration[:200], "memo")
    link = f"reversal-{entry.date.isoformat()}-{slug(entry.narration or entry.payee or 'entry', 20)}"
    links = (*sorted(entry.links or ()), link)
    text = _header(day, check_text(entry.payee or "Reversal", "payee"), narration, links)
    text += _meta(2, "reverses", f"{entry.date.isoformat()} {Path(entry.meta['filename']).name}:{entry.meta['lineno']}")
    text += _meta(2, conv.OVERDRAFT_APPROVED_BY_KEY,
                  check_text(overdraft_approved_by, "approver's name", max_length=80))
    for posting in entry.postings:
        if posting.units is None or posting.units.number is None:
            continue
        number = format(-posting.units.number, "f")
        text += f"  {posting.account:<40} {number:>12} {posting.units.currency}\n"
        for key, value in sorted((posting.meta or {}).items()):
            if key in (conv.FUND_KEY, conv.DONOR_KEY) and isinstance(value, str):
                text += _meta(4, key, value)
        if conv.needs_fund(posting.account) and conv.FUND_KEY not in (posting.meta or {}):
            text += _meta(4, conv.FUND_KEY, conv.posting_fund(entry, posting, books.default_fund))
    summary = f"reversal of {origin} on {day}"
    return Draft("reversal", day, text, summary)
