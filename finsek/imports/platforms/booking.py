"""A giving platform's lines as entries: the gross gift credited to the donor, the fee, the net, the payout.

Each gift is one transaction: the platform's clearing account gets the net,
the fee account the fee, the income account (offerings, or designated gifts
for a fund other than the default) the gross, with the donor and fund on
that posting and ``method: "online"``. A refund reverses the gift it names
(its donor and fund) as the platform reports it; a payout moves money from
the clearing account to the bank. Every entry carries ``online-id:
"<platform>:<the platform's transaction id>"``, so a line imported before
is recognised and skipped: importing the same or an overlapping file again
adds nothing.

Nothing is guessed: a giver who resembles a donor less than surely, a fund
the books do not know, or a date in a closed month waits for review, with
the reason; the rest is saved in one batch (all or nothing).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from finsek.core.errors import Refused
from finsek.core.money import ledger_number
from finsek.core.text import quote
from finsek.imports.platforms.givers import GIVER_KEY, GiverFinder, giver_key, remembered
from finsek.imports.platforms.history import imported_entries
from finsek.imports.platforms.model import GIFT, PAYOUT, REFUND, PlatformFile, PlatformLine
from finsek.ledger import conventions as conv
from finsek.ledger import roles
from finsek.ledger.books import Books
from finsek.ledger.donors import add_donor, read_registry, refresh_books
from finsek.ledger.entries import Draft, deposit_account, gift_account

if TYPE_CHECKING:
    from finsek.ledger.ledger import Ledger

ID_KEY, FUND_TEXT_KEY, PAYOUT_KEY = "online-id", "online-fund", "payout-id"
#: Swish money lands in the bank at once: its "clearing" account is the bank account.
DIRECT_TO_BANK = ("swish",)
SAVED, DUPLICATE, REVIEW = "saved", "duplicate", "review"
CLEARING_NAMES = {"paypal": "PayPal", "stripe": "Stripe", "tithely": "Tithely", "planningcenter": "PlanningCenter",
                  "vanco": "Vanco"}


@dataclass
class Options:
    clearing_account: str = ""
    fee_account: str = ""
    bank_account: str = ""
    income_account: str = ""
    fund_rules: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    line: PlatformLine
    status: str
    reason: str = ""
    donor: str | None = None
    new_giver: str = ""
    fund: str = ""
    how: str = ""


@dataclass
class Plan:
    file: PlatformFile
    clearing: str
    fee_account: str
    bank: str
    outcomes: list[Outcome]
    to_open: list[str]
    new_givers: dict[str, tuple[str, str]]
    """Giver key → (name, e-mail) of givers to add to donors.csv."""

    @property
    def to_save(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == SAVED]

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for outcome in self.outcomes:
            found[outcome.status] = found.get(outcome.status, 0) + 1
        return found


def existing_ids(entries: Iterable[data.Directive]) -> dict[str, data.Transaction]:
    return {str(entry.meta[ID_KEY]): entry for entry in entries
            if isinstance(entry, data.Transaction) and ID_KEY in entry.meta}


def _last_accounts(entries: Iterable[data.Directive], platform: str) -> tuple[str, str]:
    """The clearing and fee accounts the last import of ``platform`` used (remembered with the books)."""
    clearing = fee = ""
    for entry in entries:
        if isinstance(entry, data.Transaction) and str(entry.meta.get(ID_KEY, "")).startswith(f"{platform}:"):
            for posting in entry.postings:
                if posting.account.startswith("Assets:") and entry.meta.get(PAYOUT_KEY) is None:
                    clearing = posting.account
                elif posting.account.startswith("Expenses:"):
                    fee = posting.account
    return clearing, fee


def plan_import(books: Books, file: PlatformFile, options: Options, today: dt.date) -> Plan:
    entries = imported_entries(books, ID_KEY)
    known = existing_ids(entries)
    last_clearing, last_fee = _last_accounts(entries, file.platform)
    bank = options.bank_account or deposit_account(books)
    direct = file.platform in DIRECT_TO_BANK
    clearing = options.clearing_account or last_clearing or (
        bank if direct else f"Assets:Clearing:{CLEARING_NAMES.get(file.platform, 'Online')}")
    fee_account = options.fee_account or last_fee or roles.account(books.settings, "bank-fees")
    aliases = {**remembered(entries, file.platform), **_typed_aliases(options.aliases)}
    finder = GiverFinder(books.donors, aliases)
    fund_history = _fund_history(entries, file.platform)
    plan = Plan(file, clearing, fee_account, bank, [], [], {})
    seen: dict[str, Outcome] = {}
    for line in sorted(file.lines, key=lambda item: (item.date, item.line)):
        outcome = _outcome(books, plan, line, known, seen, finder, fund_history, options, today)
        plan.outcomes.append(outcome)
        seen.setdefault(f"{file.platform}:{line.transaction_id}", outcome)
    if plan.to_save:
        accounts = {clearing} | ({fee_account} if any(o.line.fee for o in plan.to_save) else set())
        plan.to_open = sorted(account for account in accounts if account not in books.accounts)
    return plan


def _typed_aliases(typed: dict[str, str]) -> dict[str, str]:
    """``--alias "NAME=D0001"``: the typed name (or e-mail) credited to that donor."""
    found = {}
    for text, donor in typed.items():
        email = text if "@" in text else ""
        found[giver_key("" if email else text, email)] = donor
    return found


def _fund_history(entries: Iterable[data.Directive], platform: str) -> dict[str, str]:
    found = {}
    for entry in entries:
        if isinstance(entry, data.Transaction) and str(entry.meta.get(ID_KEY, "")).startswith(f"{platform}:"):
            text = entry.meta.get(FUND_TEXT_KEY)
            funds = [conv.explicit_fund(entry, posting) for posting in entry.postings]
            fund = next((name for name in funds if name), None)
            if text and fund:
                found[str(text).casefold()] = fund
    return found


def _outcome(books: Books, plan: Plan, line: PlatformLine, known: dict, seen: dict[str, Outcome], finder: GiverFinder,
             fund_history: dict[str, str], options: Options, today: dt.date) -> Outcome:
    key = f"{plan.file.platform}:{line.transaction_id}"
    if not line.transaction_id:
        return Outcome(line, REVIEW, "the platform gave this line no transaction id, so it could be imported twice")
    if key in known or key in seen:
        return Outcome(line, DUPLICATE, "imported before" if key in known else "twice in the file")
    if line.date > today:
        return Outcome(line, REVIEW, f"dated {line.date}, in the future")
    if books.closed_through and line.date <= books.closed_through:
        return Outcome(line, REVIEW, f"dated {line.date}, in a month closed through {books.closed_through}: "
                                     "enter it by hand in an open month")
    if line.kind == PAYOUT:
        return Outcome(line, SAVED, how="payout")
    original_key = f"{plan.file.platform}:{line.refers_to}"
    if line.kind == REFUND and original_key in known:
        donor, fund = _donor_and_fund(books, known[original_key])
        return Outcome(line, SAVED, donor=donor, fund=fund, how="refund of an imported gift")
    if line.kind == REFUND and original_key in seen and seen[original_key].status == SAVED:
        gift = seen[original_key]
        return Outcome(line, SAVED, donor=gift.donor, fund=gift.fund, new_giver=gift.new_giver,
                       how="refund of a gift in this file")
    fund, why = _fund(books, plan.file.platform, line, fund_history, options.fund_rules)
    if fund is None:
        return Outcome(line, REVIEW, why)
    match = finder.find(line.name, line.email)
    if match.how == "review":
        names = ", ".join(f"{d} {books.donors.get(d).name}" for d in match.candidates if books.donors.get(d))
        return Outcome(line, REVIEW, f"'{line.name}' could be {names}: say which with --alias \"{line.name}=ID\"",
                       fund=fund)
    if match.how == "new":
        giver = giver_key(line.name, line.email)
        plan.new_givers.setdefault(giver, (line.name, line.email))
        return Outcome(line, SAVED, fund=fund, new_giver=giver, how="new donor")
    return Outcome(line, SAVED, donor=match.donor, fund=fund, how=match.how)


def _donor_and_fund(books: Books, entry: data.Transaction) -> tuple[str | None, str]:
    for posting in entry.postings:
        if posting.account.startswith("Income:"):
            return conv.posting_donor(entry, posting), conv.posting_fund(entry, posting, books.default_fund)
    return None, books.default_fund


def _fund(books: Books, platform: str, line: PlatformLine, history: dict[str, str],
          rules: dict[str, str]) -> tuple[str | None, str]:
    """The finsek fund for the platform's fund text: a rule, the same text last time, a fund's name or title."""
    text = line.fund.strip()
    for pattern, fund in rules.items():
        if pattern.casefold() in text.casefold() and pattern:
            return _known(books, fund), f"the rule '{pattern}={fund}' names no fund of the books"
    if not text or platform in DIRECT_TO_BANK:
        return books.default_fund, ""
    if text.casefold() in history:
        return history[text.casefold()], ""
    for name, fund in books.funds.items():
        if text.casefold() in (name.casefold(), fund.title.casefold()):
            return name, ""
    return None, (f"the platform's fund '{text}' is not a fund of the books: map it once with "
                  f"--fund \"{text}=FUND\" (one of {', '.join(books.funds) or books.default_fund})")


def _known(books: Books, fund: str) -> str | None:
    return next((name for name in books.funds if name.casefold() == fund.casefold()), None) or (
        fund if fund == books.default_fund else None)


# -- the entries ---------------------------------------------------------------------------------


def drafts(books: Books, plan: Plan, new_ids: dict[str, str], income_account: str = "") -> list[Draft]:
    """The batch to save: the accounts to open, then the lines to save, one draft per day, in date order.

    ``new_ids`` maps the giver keys of new donors to the ids donors.csv gave them.
    """
    batch = []
    saving = plan.to_save
    if saving and plan.to_open:
        day = min(outcome.line.date for outcome in saving)
        for account in plan.to_open:
            text = f"{day.isoformat()} open {account} {books.currency}\n"
            batch.append(Draft("open", day, text, f"open {account} for {plan.file.title}"))
    by_day: dict[dt.date, list[Draft]] = {}
    for outcome in saving:
        by_day.setdefault(outcome.line.date, []).append(_entry(books, plan, outcome, new_ids, income_account))
    for day, entries in by_day.items():
        text = "\n".join(draft.text for draft in entries)
        summary = entries[0].summary if len(entries) == 1 else f"{len(entries)} {plan.file.title} lines of {day}"
        batch.append(Draft("online", day, text, summary))
    return batch


def _money(account: str, amount: Decimal, currency: str) -> str:
    return f"  {account:<40} {ledger_number(amount, currency):>12} {currency}\n"


def _meta(indent: int, key: str, value: str | None) -> str:
    return f"{' ' * indent}{key}: {quote(value)}\n" if value else ""


def _entry(books: Books, plan: Plan, outcome: Outcome, new_ids: dict[str, str], income_account: str) -> Draft:
    line, currency, title = outcome.line, books.currency, plan.file.title
    day = line.date.isoformat()
    head = _meta(2, ID_KEY, f"{plan.file.platform}:{line.transaction_id}")
    if line.kind == PAYOUT:
        text = f"{day} * {quote(title)} {quote('Payout to the bank')}\n" + head
        text += _meta(2, PAYOUT_KEY, line.payout_id or line.transaction_id)
        text += _money(plan.bank, line.gross - line.fee, currency)
        if line.fee:
            text += _money(plan.fee_account, line.fee, currency)
        text += _money(plan.clearing, -line.gross, currency)
        return Draft("payout", line.date, text, f"{title} payout of {line.gross} on {day}")
    donor = outcome.donor or new_ids.get(outcome.new_giver)
    fund = outcome.fund or books.default_fund
    income = income_account or gift_account(books, fund)
    narration = "Online gift" if line.kind == GIFT else "Refund of online gift"
    text = f"{day} * {quote(title)} {quote(narration)}\n" + head
    if line.name or line.email:
        text += _meta(2, GIVER_KEY, giver_key(line.name, line.email))
    text += _meta(2, FUND_TEXT_KEY, line.fund.strip() if line.fund.strip() and plan.file.platform not in
                  DIRECT_TO_BANK else "")
    text += _meta(2, PAYOUT_KEY, line.payout_id)
    text += _money(plan.clearing, line.net, currency)
    if line.fee:
        text += _money(plan.fee_account, line.fee, currency)
    text += _money(income, -line.gross, currency)
    text += _meta(4, conv.FUND_KEY, fund)
    text += _meta(4, conv.DONOR_KEY, donor)
    text += _meta(4, conv.METHOD_KEY, "online")
    kind = "gift" if line.kind == GIFT else "refund"
    return Draft(f"online-{kind}", line.date, text, f"{title} {kind} of {line.gross} from {donor or 'anonymous'}")



# -- checking and saving a plan ------------------------------------------------------------------


def check_plan(ledger: "Ledger", plan: Plan, income_account: str = "") -> None:
    """Check the batch as it would be saved (new donors left off their gifts until they exist)."""
    ledger.check_many(drafts(ledger.books, plan, {}, income_account))


def apply_plan(ledger: "Ledger", plan: Plan, income_account: str = "") -> dict[str, str]:
    """Add the new donors to donors.csv, then save the batch (all or nothing); the new donors' ids by giver.

    The donors are added first because the gifts name them. Should the save
    then be refused, they stay in donors.csv, each a donor with no gift yet,
    and the refusal says so.
    """
    new_ids: dict[str, str] = {}
    if not plan.to_save:
        return new_ids
    check_plan(ledger, plan, income_account)
    for giver, (name, email) in plan.new_givers.items():
        fields = {"name": name or email, "email": email if "@" in email else ""}
        new_ids[giver] = add_donor(ledger.root, fields).donor.id
    if new_ids:
        refresh_books(ledger, read_registry(ledger.root))
    try:
        ledger.save_many(drafts(ledger.books, plan, new_ids, income_account))
    except Refused as error:
        if new_ids:
            added = ", ".join(sorted(new_ids.values()))
            raise Refused(f"{error.message} The new donors {added} were added to donors.csv and have no gift yet.",
                          error.field) from None
        raise
    return new_ids
