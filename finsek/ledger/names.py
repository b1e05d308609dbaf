"""Names as people type them: funds, accounts and methods in any case, with or without accents.

``fold`` is the one way finsek compares what a person typed with a name it
knows (``Missions`` and ``missions``, ``Öberg`` and ``oberg``). The
``resolve_*`` functions turn what was typed into the name as the ledger
spells it, before anything is saved, or refuse with the nearest names.
"""

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from finsek.core.errors import Refused
from finsek.ledger import conventions as conv

if TYPE_CHECKING:
    from finsek.ledger.books import Books

#: Letters that Unicode does not take apart into a letter and an accent.
_LETTERS = str.maketrans({
    "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
    "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ß": "ss",
})
_SPECIAL = re.compile("[" + "".join(chr(key) for key in _LETTERS) + "]")
_WORD = re.compile(r"[^\W_]+")
#: The marks NFKD takes off letters (accents, rings, umlauts, cedillas, …).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """``text`` for comparing: lower case, without accents, spaces collapsed (``Zoë  Öberg`` → ``zoe oberg``)."""
    if (text or "").isascii():
        return " ".join(text.lower().split())
    if _SPECIAL.search(text):
        text = text.translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join(_COMBINING.sub("", decomposed).casefold().split())


def words(text: str) -> list[str]:
    """The folded words of ``text``, punctuation dropped (``Svensson, Erik`` → ``svensson``, ``erik``)."""
    return _WORD.findall(fold(text))


def nearest(text: str, names: Iterable[str], limit: int = 3, cutoff: float = 60) -> list[str]:
    """Up to ``limit`` of ``names`` closest to ``text`` (typos forgiven), best first."""
    choices = list(names)
    found = process.extract(fold(text), [fold(name) for name in choices], scorer=fuzz.WRatio, limit=limit,
                            score_cutoff=cutoff)
    return [choices[index] for _match, _score, index in found]


def _did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    return f" Did you mean {' or '.join(names)}?"


def _one(found: list[str]) -> str | None:
    return found[0] if len(found) == 1 else None


# -- funds --------------------------------------------------------------------------


def resolve_fund(books: "Books", text: str | None) -> str:
    """The fund as the registry spells it (name or title, any case, accents optional); empty is the default."""
    typed = (text or "").strip()
    if not typed:
        return books.default_fund
    if books.known_fund(typed):
        return typed
    names = list(books.funds) or [books.default_fund]
    key = fold(typed)
    found = _one([name for name in names if fold(name) == key])
    if found is None:
        found = _one([fund.name for fund in books.funds.values() if fold(fund.title) == key])
    if found is not None:
        return found
    hint = _did_you_mean(nearest(typed, names))
    raise Refused(f"There is no fund '{typed}'.{hint} The funds are: {', '.join(names)}.", "fund")


# -- accounts ---------------------------------------------------------------------------


def resolve_account(books: "Books", text: str, field_name: str, root: str | None = None) -> str:
    """The account as the books spell it, whatever the case and accents typed (``assets:bank:checking``).

    An account that is not in the books is refused with the nearest names (under ``root`` when given).
    """
    typed = (text or "").strip()
    if not typed:
        raise Refused(f"The {field_name} is empty: choose an account.", field_name)
    if typed in books.accounts:
        return typed
    key = fold(typed)
    found = [name for name in books.accounts if fold(name) == key]
    if len(found) == 1:
        return found[0]
    pool = [name for name in books.accounts if root is None or conv.account_matches(name, root)]
    hint = _did_you_mean(found or nearest(typed, pool or list(books.accounts)))
    raise Refused(f"There is no account {typed} in the books.{hint or ' Choose one from the list of accounts.'}",
                  field_name)


# -- methods -------------------------------------------------------------------------------


def resolve_method(text: str | None, default: str = "check") -> str:
    """A payment method in any case (``Check``, ``CASH``); empty is ``default``."""
    typed = fold(text or "")
    if not typed:
        return default
    if typed in conv.METHODS:
        return typed
    found = [method for method in conv.METHODS if method.startswith(typed)]
    if len(found) == 1:
        return found[0]
    raise Refused(f"'{(text or '').strip()}' is not a payment method: use one of {', '.join(conv.METHODS)}.",
                  "method")
