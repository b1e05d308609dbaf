"""finsek's bank statement readers as a beangulp ``Importer``, for Fava's import page and ``beangulp`` scripts.

In an import configuration (Fava's ``import-config`` option)::

    from finsek.imports.beangulp_importer import BankStatementImporter
    CONFIG = [
        BankStatementImporter("Assets:Bank:Checking", account_id="000123456789"),
        BankStatementImporter("Assets:Bank:Savings", fmt="csv", profile=my_profile),
    ]

Each statement line becomes a transaction on the account, flagged ``!``,
with the line's identity as ``bank-ref:`` metadata (and ``check:``), and the
statement's closing balance a ``balance`` directive dated the day after.
``deduplicate`` marks as duplicates the lines finsek's matching finds in the
books already (by ``bank-ref``, or by amount, date and check number), so Fava
offers only what is new.
"""

import datetime as dt
from decimal import Decimal

import beangulp
from beancount.core import amount as bc_amount
from beancount.core import data

from finsek.core.errors import Refused
from finsek.imports.bank import detect_format, read_statement
from finsek.imports.bank_csv import CsvProfile
from finsek.imports.matching import Windows, book_items, match_lines
from finsek.imports.statement import BANK_REF_KEY, Statement, StatementLine, identities


class BankStatementImporter(beangulp.Importer):
    def __init__(self, account: str, *, fmt: str | None = None, profile: CsvProfile | None = None,
                 account_id: str = "", currency: str = "", counter_account: str = "",
                 windows: Windows | None = None):
        self._account = account
        self.fmt = fmt
        self.profile = profile
        self.account_id = account_id
        self.currency = currency
        self.counter_account = counter_account
        self.windows = windows or Windows()

    @property
    def name(self) -> str:
        return f"finsek.bank:{self._account}"

    def _read(self, filepath: str) -> Statement:
        return read_statement(filepath, self.fmt, self.profile, self.account_id)

    def identify(self, filepath: str) -> bool:
        try:
            if self.fmt and detect_format(filepath) != self.fmt:
                return False
            statement = self._read(filepath)
        except (Refused, OSError, UnicodeError):
            return False
        if self.account_id and statement.account and statement.account.replace(" ", "") != self.account_id.replace(
                " ", ""):
            return False
        return bool(statement.lines) or statement.closing is not None

    def account(self, filepath: str) -> str:
        return self._account

    def date(self, filepath: str) -> dt.date | None:
        return self._read(filepath).end

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        statement = self._read(filepath)
        currency = statement.currency or self.currency or "USD"
        entries: list = []
        for number, (line, identity) in enumerate(zip(statement.lines, identities(statement.lines), strict=True)):
            meta = data.new_metadata(filepath, number + 1)
            meta[BANK_REF_KEY] = identity
            if line.check:
                meta["check"] = line.check
            postings = [data.Posting(self._account, bc_amount.Amount(line.amount, currency), None, None, None, None)]
            if self.counter_account:
                postings.append(data.Posting(self.counter_account, bc_amount.Amount(-line.amount, currency), None,
                                             None, None, None))
            entries.append(data.Transaction(meta, line.date, "!", line.text or None, "", data.EMPTY_SET,
                                            data.EMPTY_SET, postings))
        if statement.closing is not None and statement.end is not None:
            meta = data.new_metadata(filepath, len(statement.lines) + 1)
            entries.append(data.Balance(meta, statement.end + dt.timedelta(days=1), self._account,
                                        bc_amount.Amount(Decimal(statement.closing), currency), None, None))
        return entries

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        """Mark the extracted lines that the books already have (finsek's matching, not beangulp's guess)."""
        extracted = [entry for entry in entries if isinstance(entry, data.Transaction)
                     and BANK_REF_KEY in entry.meta and entry.postings and entry.postings[0].account == self._account]
        if not extracted:
            return
        lines = []
        for entry in extracted:
            lines.append(StatementLine(date=entry.date, amount=entry.postings[0].units.number,
                                       text=entry.payee or "", check=str(entry.meta.get("check", ""))))
        ordered = sorted(existing, key=lambda entry: entry.date)
        start = min(line.date for line in lines) - dt.timedelta(days=self.windows.widest)
        end = max(line.date for line in lines) + dt.timedelta(days=self.windows.after)
        items = book_items(ordered, self._account, start=start, end=end)
        refs = {entry.meta[BANK_REF_KEY] for entry in extracted}
        by_ref = {ref: item for item in items for ref in item.refs if ref in refs}
        matches = match_lines(lines, [item for item in items if not item.refs], windows=self.windows)
        for entry, match in zip(extracted, matches, strict=True):
            earlier = by_ref.get(entry.meta[BANK_REF_KEY])
            if earlier is not None:
                entry.meta["__duplicate__"] = earlier.entry
            elif match.status == "matched" and not match.doubtful:
                entry.meta["__duplicate__"] = match.entries[0].entry
