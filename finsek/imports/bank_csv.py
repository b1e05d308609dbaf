"""Bank statements as banks export them to CSV: the layout recognised from the header.

A layout is a ``CsvProfile``: which column holds the date, the amount (or a
debit and a credit column), the text, the check number, the bank's reference
and the running balance. The layouts of large US and Swedish banks are built
in (``PROFILES``: Chase, Bank of America, Wells Fargo, Swedbank, Handelsbanken,
SEB, Nordea); any other file whose headings name those columns in English or
Swedish is read by its headings; a file that is neither is refused with the
headings finsek saw and how to describe them once as a named profile in the
settings (``[bank_profiles.NAME]``, read by ``profile_from_settings``).

Read as banks write: UTF-8 with or without a byte-order mark, else
Windows-1252; `,` `;` or tab between columns; lines of a summary before the
header skipped; amounts as ``1,234.50``, ``1 234,50``, ``-1 234,50``,
``(12.00)`` or ``$1,234.50``; dates as ``MM/DD/YYYY``, ``YYYY-MM-DD``,
``YYYY/MM/DD``, ``YYYYMMDD`` or ``DD.MM.YYYY``; newest first or oldest first.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path

from finsek.core.errors import Refused
from finsek.core.text import printable
from finsek.imports.statement import Statement, StatementLine, balances_from_lines, chronological, fold

#: How many lines before the header a bank may put a summary in.
HEADER_SEARCH = 30
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class CsvProfile:
    """Which column is which in one bank's CSV (column headings as the file spells them, any case).

    ``text`` lists the columns whose values make the line's text (joined with
    " - ", repeats left out). A file without a header row (``header=False``)
    names its columns by number, from 1. ``date_format`` (``%m/%d/%Y``) and
    ``decimal`` (``.`` or ``,``) are found from the file when empty.
    ``pending`` lists values of the date column that mark a line not yet
    booked (Nordea's ``Reserverat``); such lines are left out and noted.
    """

    name: str
    date: str
    amount: str = ""
    debit: str = ""
    credit: str = ""
    text: tuple[str, ...] = ()
    check: str = ""
    ref: str = ""
    balance: str = ""
    currency: str = ""
    date_format: str = ""
    decimal: str = ""
    header: bool = True
    pending: tuple[str, ...] = ()

    def columns(self) -> list[str]:
        named = [self.date, self.amount, self.debit, self.credit, *self.text, self.check, self.ref, self.balance,
                 self.currency]
        return [column for column in named if column]


#: The built-in layouts, checked in this order against a file's header (all their columns must be there).
PROFILES: tuple[CsvProfile, ...] = (
    # Chase checking: CREDIT/DEBIT/CHECK/DSLIP in Details, signed Amount, MM/DD/YYYY; a trailing comma on each row.
    CsvProfile("chase", date="Posting Date", amount="Amount", text=("Description",), check="Check or Slip #",
               balance="Balance", date_format="%m/%d/%Y", decimal="."),
    # Chase credit card.
    CsvProfile("chase-card", date="Post Date", amount="Amount", text=("Description",), date_format="%m/%d/%Y",
               decimal="."),
    # Bank of America: a summary block first, then this header; a "Beginning balance" row without an amount.
    CsvProfile("bank-of-america", date="Date", amount="Amount", text=("Description",), balance="Running Bal.",
               date_format="%m/%d/%Y", decimal="."),
    # Wells Fargo: no header; date, amount, "*", check number, description.
    CsvProfile("wells-fargo", date="1", amount="2", check="4", text=("5",), date_format="%m/%d/%Y", decimal=".",
               header=False),
    # Swedbank: a "* Transaktioner Period ..." line first; Referens is the payer's message, not a unique id.
    CsvProfile("swedbank", date="Bokföringsdag", amount="Belopp", text=("Beskrivning", "Referens"),
               balance="Bokfört saldo", currency="Valuta", date_format="%Y-%m-%d"),
    # Handelsbanken: the account number on a line of its own, then this header; ';' and decimal commas.
    CsvProfile("handelsbanken", date="Reskontradatum", amount="Belopp", text=("Text",), balance="Saldo",
               date_format="%Y-%m-%d"),
    # SEB.
    CsvProfile("seb", date="Bokföringsdatum", amount="Belopp", text=("Text/mottagare",),
               ref="Verifikationsnummer", balance="Saldo", date_format="%Y-%m-%d"),
    # Nordea: YYYY/MM/DD, ';', decimal commas; lines not yet booked say "Reserverat" instead of a date.
    CsvProfile("nordea", date="Bokföringsdag", amount="Belopp", text=("Namn", "Rubrik", "Meddelande"),
               balance="Saldo", currency="Valuta", pending=("Reserverat", "Reserverad")),
)

# Headings of a layout finsek does not know, by role, most specific first (compared folded: case and accents off).
_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("posting date", "post date", "booking date", "bokforingsdag", "bokforingsdatum", "reskontradatum",
             "transaction date", "transaktionsdatum", "date", "datum"),
    "amount": ("amount", "belopp", "transaction amount", "amount (sek)", "amount (usd)", "summa"),
    "debit": ("debit", "withdrawal", "withdrawals", "debit amount", "uttag", "debet", "utgift"),
    "credit": ("credit", "deposit", "deposits", "credit amount", "insattning", "kredit", "inkomst"),
    "text": ("description", "beskrivning", "text", "text/mottagare", "rubrik", "payee", "name", "namn", "memo",
             "meddelande", "transaction", "transaktion"),
    "check": ("check or slip #", "check number", "check no", "check no.", "check #", "check", "checknummer",
              "num"),
    "ref": ("reference", "bank reference", "transaction id", "reference number", "ref", "referensnummer",
            "verifikationsnummer", "fitid"),
    "balance": ("balance", "running bal.", "running balance", "saldo", "bokfort saldo", "ending daily balance"),
    "currency": ("currency", "valuta"),
}

#: A line whose text is only a check and its number ("Check 1043", "CHECK # 1043").
_CHECK_TEXT = re.compile(r"^(?:check|chk|check paid|checknr)\s*#?\s*(\d+)\s*$", re.IGNORECASE)

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%m/%d/%y", "%m-%d-%Y")


def decode(raw: bytes) -> str:
    """Text of a bank file: UTF-8 (a byte-order mark taken off), else Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {delimiter: sample.count(delimiter) for delimiter in (";", "\t", ",")}
        return max(counts, key=lambda delimiter: counts[delimiter])


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _index(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, heading in enumerate(header):
        found.setdefault(fold(heading), number)
    return found


def _profile_fits(profile: CsvProfile, header: Sequence[str]) -> bool:
    """Every column of ``profile`` is in ``header``, but of its text columns one is enough (exports vary)."""
    index = _index(header)
    needed = [column for column in profile.columns() if column not in profile.text]
    texts_present = not profile.text or any(fold(column) in index for column in profile.text)
    return texts_present and all(fold(column) in index for column in needed)


def _generic_profile(header: Sequence[str]) -> CsvProfile | None:
    index = _index(header)
    roles: dict[str, str] = {}
    used: set[int] = set()
    for role in ("date", "debit", "credit", "amount", "check", "ref", "balance", "currency"):
        for alias in _ALIASES[role]:
            if alias in index and index[alias] not in used:
                roles[role] = header[index[alias]]
                used.add(index[alias])
                break
    texts = [header[index[alias]] for alias in _ALIASES["text"] if alias in index and index[alias] not in used]
    if "date" not in roles or not ("amount" in roles or ("debit" in roles and "credit" in roles)):
        return None
    if "amount" in roles:
        roles.pop("debit", None)
        roles.pop("credit", None)
    return CsvProfile(name="headings", text=tuple(dict.fromkeys(texts)), **roles)


def _looks_like_date(value: str) -> bool:
    return any(_try_date(value, fmt) for fmt in _DATE_FORMATS)


def _try_date(value: str, fmt: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value.strip(), fmt).date()
    except ValueError:
        return None


def _find_layout(rows: list[list[str]], profile: CsvProfile | None) -> tuple[CsvProfile, int]:
    """The layout and the number of the header row (-1 for a file without one)."""
    if profile is not None:
        if not profile.header:
            return profile, -1
        for number, row in enumerate(rows[:HEADER_SEARCH]):
            if _profile_fits(profile, row):
                return profile, number
        raise _unknown(rows, f"has no header row with the columns of the profile '{profile.name}' "
                       f"({', '.join(profile.columns())})")
    for number, row in enumerate(rows[:HEADER_SEARCH]):
        for known in PROFILES:
            if known.header and _profile_fits(known, row):
                return known, number
    for number, row in enumerate(rows[:HEADER_SEARCH]):
        generic = _generic_profile(row)
        if generic is not None:
            return generic, number
    wells = next(p for p in PROFILES if p.name == "wells-fargo")
    first = next((row for row in rows if any(row)), [])
    if len(first) == 5 and _looks_like_date(first[0]) and first[2] == "*":
        return wells, -1
    raise _unknown(rows, "has no header row finsek recognises")


def _unknown(rows: list[list[str]], what: str) -> Refused:
    number, header = next(((n, row) for n, row in enumerate(rows[:HEADER_SEARCH])
                           if len([cell for cell in row if cell]) >= 2), (0, []))
    seen = ", ".join(f"'{printable(cell)}'" for cell in header if cell) or "none"
    example = _suggest(header, rows[number + 1:number + 6])
    return Refused(
        f"The bank file {what} (the headings it saw: {seen}). Describe its columns once in the settings file, "
        f"for example [bank_profiles.mybank] {example} "
        "(or debit and credit instead of amount; also check, ref, balance, date_format), "
        "then import with --profile mybank."
    )


def _suggest(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """A profile for ``header`` guessed from the lines under it: dates, then numbers, then the rest as text."""
    def values(number: int) -> list[str]:
        return [row[number] for row in body if number < len(row) and row[number]]

    roles: dict[str, str] = {}
    texts = []
    for number, heading in enumerate(header):
        if not heading:
            continue
        column = values(number)
        if "date" not in roles and column and all(_looks_like_date(value) for value in column):
            roles["date"] = heading
        elif "amount" not in roles and column and all(re.fullmatch(r"[-+(]?[\d\s.,$\u00a0]+\)?-?", value)
                                                      for value in column):
            roles["amount"] = heading
        else:
            texts.append(heading)
    date = roles.get("date", header[0] if header else "Date")
    amount = roles.get("amount", "Amount")
    text = ", ".join(f'"{printable(heading)}"' for heading in texts[:2]) or '"Text"'
    return f'date = "{printable(date)}", amount = "{printable(amount)}", text = [{text}]'


def parse_decimal(value: str, decimal: str) -> Decimal:
    """An amount as banks print it; ``decimal`` is the file's decimal mark, ``.`` or ``,``."""
    text = value.strip().replace("\u2212", "-")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    text = re.sub(r"[\s\u00a0\u202f'$€£]|SEK|USD|kr", "", text)
    if text.endswith("-"):
        negative, text = not negative, text[:-1]
    if text.startswith("+"):
        text = text[1:]
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    thousands = "," if decimal == "." else "."
    text = text.replace(thousands, "")
    if decimal == ",":
        text = text.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", text):
        raise ValueError(value)
    amount = Decimal(text)
    return -amount if negative else amount


def _decimal_mark(values: Sequence[str]) -> str:
    comma = point = 0
    for value in values:
        stripped = value.strip().rstrip(")-")
        if re.search(r",\d{1,2}$", stripped):
            comma += 1
        elif re.search(r"\.\d{1,2}$", stripped):
            point += 1
    return "," if comma > point else "."


def _date_format(values: Sequence[str]) -> str:
    candidates = [fmt for fmt in _DATE_FORMATS if all(_try_date(v, fmt) for v in values if v)]
    if not candidates:
        bad = next((v for v in values if v and not _looks_like_date(v)), values[0] if values else "")
        raise Refused(f"The bank file has a date finsek cannot read: '{printable(bad)}'. Give the profile a "
                      "date_format such as \"%d/%m/%Y\".")
    if "%m/%d/%Y" in candidates:  # US banks; a day above 12 in the first place rules it out
        return "%m/%d/%Y"
    return candidates[0]


def read_csv_statement(path: Path, profile: CsvProfile | None = None) -> Statement:
    """Read a bank's CSV export (refused in plain words when the layout or a value cannot be read)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise Refused(f"There is no file {path}: check the name of the bank file.") from None
    if len(raw) > MAX_BYTES:
        raise Refused(f"{path} is larger than a bank statement can be: check that it is the right file.")
    return parse_csv_statement(decode(raw), profile, source=str(path))


def parse_csv_statement(text: str, profile: CsvProfile | None = None, source: str = "") -> Statement:
    text = text.removeprefix("\ufeff")
    rows = _rows(text, _delimiter(text))
    layout, header_row = _find_layout(rows, profile)
    if layout.header:
        index = _index(rows[header_row])
        column = {name: index[fold(name)] for name in layout.columns() if fold(name) in index}
    else:
        column = {name: int(name) - 1 for name in layout.columns()}
    body = [row for row in rows[header_row + 1:] if any(row)]
    notes: list[str] = []
    opening_row: Decimal | None = None

    def cell(row: list[str], name: str) -> str:
        number = column.get(name) if name else None
        return row[number] if number is not None and number < len(row) else ""

    pending = {fold(value) for value in layout.pending}
    booked = []
    for row in body:
        date_text = cell(row, layout.date)
        if fold(date_text) in pending:
            notes.append(f"left out a line not yet booked by the bank: {printable(' '.join(row))}")
            continue
        if not _looks_like_date(date_text):
            notes.append(f"left out a line without a date: {printable(','.join(row))}")
            continue
        booked.append(row)
    amount_cells = [cell(row, name) for row in booked for name in (layout.amount, layout.debit, layout.credit,
                                                                  layout.balance) if name and cell(row, name)]
    decimal = layout.decimal or _decimal_mark(amount_cells)
    fmt = layout.date_format or _date_format([cell(row, layout.date) for row in booked])
    lines = []
    for row in booked:
        date_text = cell(row, layout.date)
        day = _try_date(date_text, fmt)
        if day is None:
            raise Refused(f"The bank file has a date '{printable(date_text)}' that is not {fmt}: "
                          "check the file, or the profile's date_format.")
        try:
            if layout.amount:
                amount_text = cell(row, layout.amount)
                if not amount_text:
                    text = " ".join(cell(row, name) for name in layout.text)
                    if layout.balance and cell(row, layout.balance) and "balance" in fold(text):
                        opening_row = parse_decimal(cell(row, layout.balance), decimal)
                        notes.append(f"read the opening balance from the line '{printable(text)}'")
                        continue
                    raise Refused(f"The bank file has a line of {date_text} without an amount: "
                                  f"{printable(','.join(row))}. Check the file.")
                amount = parse_decimal(amount_text, decimal)
            else:
                debit_text, credit_text = cell(row, layout.debit), cell(row, layout.credit)
                debit = abs(parse_decimal(debit_text, decimal)) if debit_text else Decimal(0)
                credit = abs(parse_decimal(credit_text, decimal)) if credit_text else Decimal(0)
                amount = credit - debit
            balance_text = cell(row, layout.balance) if layout.balance else ""
            balance = parse_decimal(balance_text, decimal) if balance_text else None
        except ValueError as error:
            raise Refused(f"The bank file has an amount finsek cannot read, '{printable(str(error))}', "
                          f"on the line of {date_text}: check the file.") from None
        texts = list(dict.fromkeys(value for name in layout.text if (value := " ".join(cell(row, name).split()))))
        check = cell(row, layout.check).lstrip("0") if layout.check else ""
        if not check and amount < 0 and (found := _CHECK_TEXT.match(" ".join(texts))):
            check = found.group(1).lstrip("0")
        lines.append(StatementLine(date=day, amount=amount, text=" - ".join(texts), ref=cell(row, layout.ref),
                                   check=check, balance=balance))
    ordered = chronological(lines)
    opening, closing = balances_from_lines(ordered)
    if opening_row is not None:
        opening = opening_row
        if closing is None:
            closing = opening_row + sum((line.amount for line in ordered), Decimal(0))
    currencies = {cell(row, layout.currency) for row in booked} - {""} if layout.currency else set()
    return Statement(
        start=ordered[0].date if ordered else None, end=ordered[-1].date if ordered else None,
        opening=opening, closing=closing, lines=tuple(ordered),
        currency=currencies.pop() if len(currencies) == 1 else "",
        source=f"csv:{layout.name}", notes=tuple(notes),
    )


def profile_from_settings(name: str, values: Mapping[str, object]) -> CsvProfile:
    """A profile described in the settings file (``[bank_profiles.NAME]``), refused in plain words when wrong."""
    known = {f.name for f in fields(CsvProfile)} - {"name"}
    unknown = set(values) - known
    if unknown:
        raise Refused(f"The bank profile '{name}' has unknown key(s) {', '.join(sorted(unknown))}: "
                      f"use {', '.join(sorted(known))}.")
    kwargs: dict = {}
    for key, value in values.items():
        if key in ("text", "pending"):
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
                raise Refused(f"In the bank profile '{name}', '{key}' should be a list of column headings.")
            kwargs[key] = tuple(items)
        elif key == "header":
            if not isinstance(value, bool):
                raise Refused(f"In the bank profile '{name}', 'header' should be true or false.")
            kwargs[key] = value
        else:
            if not isinstance(value, str):
                raise Refused(f"In the bank profile '{name}', '{key}' should be a quoted text.")
            kwargs[key] = value
    if not kwargs.get("date") or not (kwargs.get("amount") or (kwargs.get("debit") and kwargs.get("credit"))):
        raise Refused(f"The bank profile '{name}' needs a date column and an amount column "
                      "(or a debit and a credit column).")
    if kwargs.get("decimal", ".") not in (".", ","):
        raise Refused(f"In the bank profile '{name}', 'decimal' should be \".\" or \",\".")
    return CsvProfile(name=name, **kwargs)


def builtin_profile(name: str) -> CsvProfile | None:
    return next((profile for profile in PROFILES if profile.name == name), None)
