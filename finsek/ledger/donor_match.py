"""The one donor matcher: what a person typed (an id, an envelope number, a name) to a donor.

Every place a donor is typed uses it: the gift and offering forms and their
pickers, the Donors screen's search, every ``--donor`` of the command line,
and the importers (through ``ledger/entries.py``). Names are compared folded
(``zoe`` finds Zoë, ``oberg`` Öberg, ``garcia`` García), word by word and in
any order (``Svensson, Erik``); a typo is forgiven (rapidfuzz) when it is
only a suggestion, never when a gift is recorded.

``match_donor`` says which donor was meant, or why none: nothing close
enough, or several alike; either way with up to three suggestions, each with
its id and envelope number (``describe``). ``possible_duplicates`` finds
donors already in the registry with the same name, e-mail or address, so a
new donor is not added twice by mistake.
"""

import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from finsek.core.errors import Refused
from finsek.ledger.names import fold, words

if TYPE_CHECKING:
    from finsek.ledger.donors import Donor, DonorRegistry

#: Suggestions offered with a refusal.
SUGGESTIONS = 3


class DonorMatch(NamedTuple):
    """What a typed donor matched: ``donor`` when exactly one was meant, else ``suggestions``."""

    typed: str
    donor: "Donor | None" = None
    how: str = ""  # "id", "envelope", "name"
    suggestions: tuple["Donor", ...] = ()
    several: bool = False  # True when the suggestions all fit what was typed equally well

    def message(self) -> str:
        """Why no donor was taken, in plain words, with the suggestions (empty when one was)."""
        typed = self.typed.strip()
        if self.donor is not None or not typed:
            return ""
        listed = ", ".join(describe(donor) for donor in self.suggestions)
        if self.several:
            return (f"'{typed}' could be {listed}: type the id or envelope number of the one you mean.")
        hint = f" Did you mean {listed}?" if listed else ""
        return (f"There is no donor '{typed}' in donors.csv.{hint} Type a name, envelope number or id "
                "(as 'finsek donor list' shows them), or add the donor first.")


def describe(donor: "Donor") -> str:
    """``D0001 Erik Svensson (env. 101)``: a donor as suggestions and questions name them."""
    envelope = f" (env. {donor.envelope})" if donor.envelope and not donor.alias_of else ""
    return f"{donor.id} {donor.name}{envelope}"


# -- the index ---------------------------------------------------------------------------------


class _Index:
    """A registry's donors folded once (the pickers match on every key press)."""

    def __init__(self, registry: "DonorRegistry"):
        self.donors: list[Donor] = list(registry.by_id.values())
        self.active = [not donor.alias_of for donor in self.donors]
        self.ids = {fold(donor.id): index for index, donor in enumerate(self.donors)}
        self.envelopes: dict[str, int] = {}
        for index, donor in enumerate(self.donors):
            if donor.envelope and not donor.alias_of:
                self.envelopes.setdefault(_envelope_key(donor.envelope), index)
        self.names = [words(donor.name) for donor in self.donors]
        self.joined = [" ".join(name) for name in self.names]
        self.sort_keys = [(fold(donor.name), donor.id) for donor in self.donors]
        self.id_keys = [fold(donor.id) for donor in self.donors]
        self.envelope_keys = [_envelope_key(donor.envelope) if donor.envelope else "" for donor in self.donors]
        self.haystacks = [
            fold(" ".join((donor.id, donor.name, donor.household, donor.email, donor.address1, donor.address2,
                           donor.postal_code, donor.city, donor.envelope, donor.notes)))
            for donor in self.donors
        ]
        self.by_word: dict[str, list[int]] = {}
        for index, name in enumerate(self.names):
            for word in set(name):
                self.by_word.setdefault(word, []).append(index)
        self.vocabulary = list(self.by_word)

    def with_words(self, query: list[str], test: str) -> set[int]:
        """Donors whose name has, for every query word, a word equal to it / starting with it / a typo away."""
        found: set[int] | None = None
        for word in query:
            hits: set[int] = set()
            for name_word in self._name_words(word, test):
                hits.update(self.by_word[name_word])
            found = hits if found is None else found & hits
            if not found:
                return set()
        return found or set()

    def _name_words(self, word: str, test: str) -> list[str]:
        if test == "equal":
            return [word] if word in self.by_word else []
        if test == "prefix":
            return [name_word for name_word in self.vocabulary if name_word.startswith(word)]
        # a typo away, or the start of a word (a short word is not guessed at)
        starting = [name_word for name_word in self.vocabulary if name_word.startswith(word)]
        allowed = 0 if len(word) <= 3 else 1 if len(word) <= 6 else 2
        if not allowed:
            return starting
        found = process.extract(word, self.vocabulary, scorer=OSA.distance, score_cutoff=allowed, limit=None)
        return [*starting, *(name_word for name_word, _distance, _index in found)]


_INDEXES: "weakref.WeakKeyDictionary[DonorRegistry, _Index]" = weakref.WeakKeyDictionary()


def _index(registry: "DonorRegistry") -> _Index:
    index = _INDEXES.get(registry)
    if index is None or len(index.donors) != len(registry.by_id):
        index = _INDEXES[registry] = _Index(registry)
    return index


def prepare(registry: "DonorRegistry") -> None:
    """Fold a registry's donors now (the app does it in a background thread), not at the first key press."""
    _index(registry)


def _envelope_key(text: str) -> str:
    """Envelope numbers compared as typed, leading zeros and a ``#`` left off (``#007`` is ``7``)."""
    key = fold(text).removeprefix("#").strip()
    return key.lstrip("0") or key if key.isdigit() else key


def _sorted(index: _Index, found: Iterable[int]) -> list[int]:
    return sorted(found, key=lambda i: index.sort_keys[i])


# -- which donor was meant ----------------------------------------------------------------


def match_donor(registry: "DonorRegistry", typed: str) -> DonorMatch:
    """The donor ``typed`` names: an id (merged ids too), an active donor's envelope number, or a name
    that fits exactly one active donor, whole words in any case and order, accents optional.

    A name that fits several, or only partly or with a typo, is not taken: the match carries
    up to three suggestions instead.
    """
    text = (typed or "").strip()
    if not text:
        return DonorMatch(text)
    index = _index(registry)
    if text in registry.by_id:
        return DonorMatch(text, registry.by_id[text], "id")
    at = index.ids.get(fold(text))
    if at is not None:
        return DonorMatch(text, index.donors[at], "id")
    at = index.envelopes.get(_envelope_key(text))
    if at is not None:
        return DonorMatch(text, index.donors[at], "envelope")
    query = words(text)
    if not query:
        return DonorMatch(text)
    active = {i for i, is_active in enumerate(index.active) if is_active}
    whole = index.with_words(query, "equal") & active
    exact = {i for i in whole if sorted(index.names[i]) == sorted(query)}
    for found in (exact, whole):
        if len(found) == 1:
            return DonorMatch(text, index.donors[found.pop()], "name")
        if found:
            ordered = _sorted(index, found)
            return DonorMatch(text, suggestions=tuple(index.donors[i] for i in ordered[:SUGGESTIONS]), several=True)
    return DonorMatch(text, suggestions=tuple(suggest(registry, text, SUGGESTIONS)))


def resolve_donor(registry: "DonorRegistry", typed: str) -> str:
    """The id of the donor ``typed`` names, or ``Refused`` (field ``donor``) with suggestions."""
    found = match_donor(registry, typed)
    if found.donor is None:
        raise Refused(found.message(), "donor")
    return found.donor.id


# -- lists: the pickers and the Donors screen ----------------------------------------------


def suggest(registry: "DonorRegistry", typed: str, limit: int = SUGGESTIONS) -> list["Donor"]:
    """Active donors whose name is like ``typed``: words starting alike, else a typo away, else close overall."""
    query = words(typed)
    if not query:
        return []
    index = _index(registry)
    active = {i for i, is_active in enumerate(index.active) if is_active}
    for test in ("equal", "prefix", "typo"):
        found = index.with_words(query, test) & active
        if found:
            return [index.donors[i] for i in _ranked(index, found, query)[:limit]]
    # last, names whose every word is like one typed (fuzz.ratio: a share of the letters in common)
    scores: dict[int, float] = {}
    for number, word in enumerate(query):
        best: dict[int, float] = {}
        for name_word, score, _at in process.extract(word, index.vocabulary, scorer=fuzz.ratio, score_cutoff=75,
                                                     limit=None):
            for i in index.by_word[name_word]:
                best[i] = max(best.get(i, 0.0), score)
        scores = best if number == 0 else {i: scores[i] + score for i, score in best.items() if i in scores}
    closest = sorted((i for i in scores if i in active), key=lambda i: (-scores[i], index.sort_keys[i]))
    return [index.donors[i] for i in closest[:limit]]


def _ranked(index: _Index, found: Iterable[int], query: list[str]) -> list[int]:
    """Closest first: the sum over query words of the distance to the nearest name word."""
    def distance(i: int) -> int:
        return sum(min(OSA.distance(word, name_word) for name_word in index.names[i] or [""]) for word in query)

    return sorted(found, key=lambda i: (distance(i), index.sort_keys[i]))


def search(registry: "DonorRegistry", text: str, *, include_aliases: bool = False,
           limit: int | None = None) -> list["Donor"]:
    """Donors matching ``text``: id or envelope exactly, else every word found in name, household, e-mail,
    address, envelope or notes (case and accents ignored); when nothing is, names a typo away.
    Best matches first; empty text lists everyone."""
    index = _index(registry)
    pool = [i for i in range(len(index.donors)) if include_aliases or index.active[i]]
    query = fold(text).split()
    if not query:
        everyone = [index.donors[i] for i in pool]
        return everyone[:limit] if limit else everyone
    exact = " ".join(query)
    envelope = _envelope_key(exact)
    found = []
    for i in pool:
        if index.id_keys[i] == exact or (envelope and index.envelope_keys[i] == envelope):
            found.append((0, i))
            continue
        haystack = index.haystacks[i]
        if not all(word in haystack for word in query):
            continue
        name = index.names[i]
        joined = index.joined[i]
        if all(any(part.startswith(word) for part in name) for word in query):
            found.append((1, i))
        elif all(word in joined for word in query):
            found.append((2, i))
        else:
            found.append((3, i))
    if found:
        found.sort(key=lambda item: (item[0], index.sort_keys[item[1]]))
        result = [index.donors[i] for _, i in found]
    else:
        allowed = set(pool)
        typos = index.with_words(words(text), "typo") & allowed
        result = [index.donors[i] for i in _ranked(index, typos, words(text))]
    return result[:limit] if limit else result


# -- the same person twice -----------------------------------------------------------------


class PossibleDuplicate(Refused):
    """A new donor who may already be in the registry; ``matches`` says who and why."""

    def __init__(self, name: str, matches: list[tuple["Donor", str]]):
        first, why = matches[0]
        others = "".join(f"; {describe(donor)} has the same {reason}" for donor, reason in matches[1:])
        #: Who is there already, in one sentence.
        self.found = f"{name} may already be in donors.csv: {describe(first)} has the same {why}{others}."
        super().__init__(
            f"{self.found} Use {first.id} for this person, or add them as a new donor only if they are "
            "a different person.",
            "name",
        )
        self.matches = matches


def _address_key(address1: str, postal_code: str) -> str:
    first = next((line for line in (address1 or "").split("\n") if line.strip()), "")
    street = " ".join(words(first))
    return f"{street}|{''.join(words(postal_code))}" if street else ""


def possible_duplicates(registry: "DonorRegistry", fields: Mapping[str, str]) -> list[tuple["Donor", str]]:
    """Active donors with the same name (folded, words in any order), e-mail or street address as ``fields``.

    Each with the reason (``name``, ``e-mail address``, ``address``), best reason first; at most three.
    An address shared with a donor of the household the new one is put in is no duplicate (a spouse).
    """
    household = (fields.get("household") or "").strip()
    name = sorted(words(fields.get("name", "")))
    email = fold(fields.get("email", ""))
    address = _address_key(fields.get("address1", ""), fields.get("postal_code", ""))
    found: list[tuple[int, Donor, str]] = []
    for donor in registry.active():
        if name and sorted(words(donor.name)) == name:
            found.append((0, donor, "name"))
        elif email and fold(donor.email) == email:
            found.append((1, donor, "e-mail address"))
        elif (address and not (household and donor.household.strip() == household)
              and _same_address(address, _address_key(donor.address1, donor.postal_code))):
            found.append((2, donor, "address"))
    found.sort(key=lambda item: (item[0], item[1].id))
    return [(donor, reason) for _rank, donor, reason in found[:SUGGESTIONS]]


def _same_address(new: str, old: str) -> bool:
    """The same street line, and the same postal code when both have one."""
    if not old:
        return False
    new_street, new_code = new.split("|")
    old_street, old_code = old.split("|")
    return new_street == old_street and (not new_code or not old_code or new_code == old_code)
