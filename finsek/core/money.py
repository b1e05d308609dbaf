"""Exact money: parsing, quantizing and formatting ``Decimal`` amounts.

No float ever holds money. Input is what a volunteer types: ``1234.50``,
``1,234.50`` or, in Swedish locale, ``1 234,50``.
"""

import re
from decimal import Decimal, InvalidOperation

from finsek.core.errors import Refused
from finsek.core.text import printable

#: Minor-unit digits of currencies that do not use two.
_PRECISION = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "BHD": 3, "KWD": 3, "JOD": 3, "TND": 3}

#: Largest amount finsek accepts in one entry; a typo guard, far above any gift.
MAX_AMOUNT = Decimal("1000000000")

LOCALES = ("en_US", "sv_SE")

_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")

_SPACES = "\u00a0\u202f\u2009 '"


def precision(currency: str) -> int:
    return _PRECISION.get(currency, 2)


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-precision(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(quantum(currency))


def _normalise_separators(text: str, locale: str) -> str:
    if locale != "sv_SE" and any(char.isspace() for char in text):
        raise ValueError
    for space in _SPACES:
        text = text.replace(space, "")
    if locale == "sv_SE":
        if "," in text and "." in text:
            raise ValueError
        return text.replace(",", ".")
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", text):
        return text.replace(",", "")
    if "," in text:
        raise ValueError
    return text


def parse_amount(
    text: str | Decimal | int,
    currency: str = "USD",
    locale: str = "en_US",
    *,
    allow_negative: bool = False,
    allow_zero: bool = False,
    field: str = "amount",
) -> Decimal:
    """Parse what a person typed into an exact amount of ``currency``.

    Refuses zero, negative (unless allowed), non-numbers, more decimals than
    the currency has, and absurdly large amounts, with a message that says
    what to type instead.
    """
    example = "1 234,50" if locale == "sv_SE" else "1,234.50"
    raw = str(text) if isinstance(text, Decimal | int) else (text or "").strip()
    if not raw:
        raise Refused(f"The {field} is empty: type an amount such as {example}.", field)
    if locale != "sv_SE" and any(char.isspace() for char in raw):
        raise Refused(
            f"The {field} has a space in it: type it without spaces, such as {example} "
            "(a space groups digits only in Swedish books).",
            field,
        )
    if any(char.isdigit() and not char.isascii() for char in raw):
        raise Refused(f"The {field} has digits of another script: type the amount with the digits 0–9.", field)
    try:
        plain = _normalise_separators(raw, locale)
        if not _PLAIN_NUMBER.fullmatch(plain):
            raise ValueError
        value = Decimal(plain)
    except (InvalidOperation, ValueError):
        raise Refused(
            f"'{printable(raw)}' is not an amount: type digits only, such as {example}.", field
        ) from None
    if not value.is_finite():
        raise Refused(f"'{raw}' is not an amount: type digits only, such as {example}.", field)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite Decimal's exponent is a number ('n', 'N', 'F' are for NaN and Infinity)
    if exponent < -precision(currency):
        raise Refused(
            f"{raw} has more decimals than {currency} allows "
            f"({precision(currency)}): round it to the cent.",
            field,
        )
    if value == 0 and not allow_zero:
        raise Refused(f"The {field} is zero: type the amount received or paid.", field)
    if value < 0 and not allow_negative:
        raise Refused(
            f"The {field} {raw} is negative: type it without the minus sign "
            "(finsek puts the money on the right side for you).",
            field,
        )
    if abs(value) >= MAX_AMOUNT:
        raise Refused(f"{raw} is too large for one entry: check the number of digits.", field)
    return quantize(value, currency)


def format_amount(amount: Decimal, currency: str | None = None, locale: str = "en_US") -> str:
    """Format for people: ``1,234.50`` (en_US) or ``1 234,50`` (sv_SE)."""
    digits = precision(currency or "USD")
    text = f"{quantize(amount, currency or 'USD'):,.{digits}f}"
    if locale == "sv_SE":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return f"{text} {currency}" if currency else text


def ledger_number(amount: Decimal, currency: str) -> str:
    """The number as Beancount text: plain digits, a point, no grouping."""
    return f"{quantize(amount, currency):f}"
