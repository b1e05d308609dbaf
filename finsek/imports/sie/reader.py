"""Read a SIE file (types 1 to 4, any program's dialect) into a ``SieFile``.

Liberal in what it reads, as the format asks: unknown labels are skipped,
fields may be quoted or not, separated by spaces or tabs, object lists may
be empty; ``#RTRANS`` rows are skipped because each is followed by the same
row as ``#TRANS``, and ``#BTRANS`` rows (removed rows) are history, not
bookings. What cannot be read is collected in ``problems`` with its line
number, never guessed: a voucher that does not balance stays unbalanced.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from finsek.imports.sie.fields import Objects, decode, split
from finsek.imports.sie.model import Row, SieFile, Voucher

ZERO = Decimal(0)


def read_file(path: Path) -> SieFile:
    return read_text(decode(Path(path).read_bytes()))


def read_text(text: str) -> SieFile:
    sie = SieFile()
    voucher: Voucher | None = None
    in_rows = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        fields = split(raw) if stripped not in ("{", "}") else [stripped]
        label = str(fields[0]).upper()
        if label == "{":
            in_rows = voucher is not None
            continue
        if label == "}":
            if voucher is not None:
                _close(sie, voucher)
            voucher, in_rows = None, False
            continue
        if not label.startswith("#"):
            sie.problems.append(f"line {number}: '{raw.strip()[:40]}' is not a SIE line; it was skipped")
            continue
        try:
            if label == "#VER":
                if voucher is not None:
                    _close(sie, voucher)
                voucher, in_rows = _voucher(fields, number), False
            elif label == "#TRANS":
                if voucher is None or not in_rows:
                    sie.problems.append(f"line {number}: a #TRANS row outside a voucher was skipped")
                else:
                    voucher.rows.append(_row(fields))
            elif label in ("#RTRANS", "#BTRANS"):
                continue
            else:
                _header(sie, label, [str(field) for field in fields[1:] if not isinstance(field, Objects)], fields)
        except (IndexError, ValueError, InvalidOperation) as error:
            sie.problems.append(f"line {number}: {label} could not be read ({_why(error)}): {raw.strip()[:60]}")
    if voucher is not None:
        _close(sie, voucher)
    return sie


def _why(error: Exception) -> str:
    return "a field is missing" if isinstance(error, IndexError) else str(error) or "a number or date is wrong"


def _close(sie: SieFile, voucher: Voucher) -> None:
    sie.vouchers.append(voucher)
    if voucher.total != ZERO:
        sie.problems.append(
            f"line {voucher.line}: voucher {voucher.label} of {voucher.date} does not balance "
            f"(its rows add up to {voucher.total})"
        )


def _voucher(fields: list, number: int) -> Voucher:
    series, serial, day = str(fields[1]), str(fields[2]), _date(str(fields[3]))
    text = str(fields[4]) if len(fields) > 4 else ""
    return Voucher(series, serial, day, text, [], number)


def _row(fields: list) -> Row:
    account = str(fields[1])
    rest = fields[2:]
    pairs: tuple[tuple[int, str], ...] = ()
    if rest and isinstance(rest[0], Objects):
        pairs = _pairs(rest[0])
        rest = rest[1:]
    amount = _amount(str(rest[0]))
    text = str(rest[2]) if len(rest) > 2 else ""
    return Row(account, amount, pairs, text)


def _pairs(codes: Objects) -> tuple[tuple[int, str], ...]:
    items = list(codes)
    return tuple((int(items[i]), items[i + 1]) for i in range(0, len(items) - 1, 2))


def _header(sie: SieFile, label: str, values: list[str], fields: list) -> None:
    if label == "#PROGRAM":
        sie.program = " ".join(values)
    elif label == "#SIETYP":
        sie.sie_type = values[0]
    elif label == "#FNAMN":
        sie.name = values[0]
    elif label == "#ORGNR" and values:
        sie.orgnr = values[0]
    elif label == "#VALUTA":
        sie.currency = values[0].upper()
    elif label == "#RAR":
        sie.years[int(values[0])] = (_date(values[1]), _date(values[2]))
    elif label == "#KONTO":
        sie.accounts[values[0]] = values[1] if len(values) > 1 else ""
    elif label == "#KTYP" and len(values) > 1:
        sie.kinds[values[0]] = values[1].upper()
    elif label == "#DIM":
        sie.dimensions[int(values[0])] = values[1] if len(values) > 1 else ""
    elif label == "#OBJEKT":
        sie.objects[(int(values[0]), values[1])] = values[2] if len(values) > 2 else ""
    elif label in ("#IB", "#UB", "#RES"):
        table = {"#IB": sie.opening, "#UB": sie.closing, "#RES": sie.result}[label]
        table[(int(values[0]), values[1])] = _amount(values[2])
    elif label in ("#OIB", "#OUB"):
        pair = _pairs(next(field for field in fields if isinstance(field, Objects)))[0]
        objects = sie.object_opening if label == "#OIB" else sie.object_closing
        objects[(int(values[0]), values[1], pair)] = _amount(values[2])


def _date(text: str) -> dt.date:
    digits = text.strip()
    if len(digits) != 8 or not digits.isdigit():
        raise ValueError(f"'{text}' is not a date written YYYYMMDD")
    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def _amount(text: str) -> Decimal:
    clean = text.strip().replace(",", ".")
    number = Decimal(clean)
    if not number.is_finite():
        raise ValueError(f"'{text}' is not an amount")
    return number
