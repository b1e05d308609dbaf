"""The finsek donor of a platform's giver: by e-mail, by remembered alias, by name; else new, or for review.

In that order: the e-mail address in donors.csv (any case); the donor an
earlier import of the same platform credited this giver to (the entry's
``online-giver`` metadata remembers a digest of the platform's name and
e-mail, so the treasurer's choice is kept with the books and the ledger
still names nobody); the name, ignoring case, accents
and punctuation; the name with a small typo (rapidfuzz, one clear best above
``SURE``, no other name above ``MAYBE``). A name that resembles a donor less
surely, or resembles two, waits for review; a
giver like no donor at all is added as a new donor.
"""

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from beancount.core import data
from rapidfuzz import fuzz, process

from finsek.ledger import conventions as conv
from finsek.ledger import names
from finsek.ledger.donors import DonorRegistry

GIVER_KEY = "online-giver"
#: Above this a fuzzy name match is taken; from ``MAYBE`` up to it, the line waits for review.
SURE, MAYBE = 92.0, 80.0


@dataclass(frozen=True)
class Match:
    donor: str | None
    how: str
    """``e-mail``, ``alias``, ``name``, ``close name``, ``new``, ``review`` or ``anonymous``."""
    candidates: tuple[str, ...] = ()


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """How names are compared: the ledger's own folding (case, accents), punctuation dropped, single spaces."""
    return " ".join(names.words(text))


def giver_key(name: str, email: str) -> str:
    """How an entry remembers its giver without naming them (names live in donors.csv only): a digest."""
    text = f"{fold(name)} <{email.strip().casefold()}>"
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def remembered(entries: Iterable[data.Directive], platform: str) -> dict[str, str]:
    """Giver keys of earlier imports of ``platform`` and the donor each was credited to."""
    aliases: dict[str, str] = {}
    prefix = f"{platform}:"
    for entry in entries:
        if not isinstance(entry, data.Transaction) or not str(entry.meta.get("online-id", "")).startswith(prefix):
            continue
        key = entry.meta.get(GIVER_KEY)
        donor = next((conv.posting_donor(entry, posting) for posting in entry.postings
                      if conv.posting_donor(entry, posting)), None)
        if key and donor:
            aliases[str(key)] = donor
    return aliases


class GiverFinder:
    """Finds donors for one import: built once over the registry, asked once per distinct giver."""

    def __init__(self, registry: DonorRegistry, aliases: dict[str, str]):
        self.registry = registry
        self.aliases = aliases
        active = registry.active()
        self.by_email: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for donor in active:
            if donor.email:
                self.by_email.setdefault(donor.email.strip().casefold(), []).append(donor.id)
            self.by_name.setdefault(fold(donor.name), []).append(donor.id)
        self.names = list(self.by_name)
        self._cache: dict[str, Match] = {}

    def find(self, name: str, email: str) -> Match:
        key = giver_key(name, email)
        if key not in self._cache:
            self._cache[key] = self._find(name, email, key)
        return self._cache[key]

    def _find(self, name: str, email: str, key: str) -> Match:
        found = self.by_email.get(email.strip().casefold(), []) if email.strip() else []
        if len(found) == 1:
            return Match(self.registry.canonical(found[0]), "e-mail")
        if key in self.aliases:
            return Match(self.registry.canonical(self.aliases[key]), "alias")
        folded = fold(name)
        if not folded and not email.strip():
            return Match(None, "anonymous")
        exact = self.by_name.get(folded, [])
        if len(exact) == 1:
            return Match(exact[0], "name")
        if len(exact) > 1 or len(found) > 1:
            return Match(None, "review", tuple(exact or found))
        if not folded or not self.names:
            return Match(None, "new")
        best = process.extract(folded, self.names, scorer=fuzz.token_sort_ratio, limit=3, score_cutoff=MAYBE)
        if not best:
            return Match(None, "new")
        top_name, top_score, _ = best[0]
        clear = len(best) == 1  # a second name as close makes it a question for the treasurer
        ids = self.by_name[top_name]
        if top_score >= SURE and clear and len(ids) == 1:
            return Match(ids[0], "close name")
        return Match(None, "review", tuple(i for found_name, _s, _ in best for i in self.by_name[found_name]))
