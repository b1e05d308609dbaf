"""The one donor matcher (ledger/donor_match.py): ids, envelopes, names in any case and accents, typos, duplicates."""

import random
import time

import pytest

from finsek.core.errors import Refused
from finsek.ledger import donor_match
from finsek.ledger.donor_match import match_donor, possible_duplicates, resolve_donor, search, suggest
from finsek.ledger.donors import Donor, DonorRegistry


@pytest.fixture
def registry() -> DonorRegistry:
    return DonorRegistry([
        Donor("D0001", "Erik Svensson", household="H1", address1="Storgatan 1", postal_code="111 22",
              city="Uppsala", email="erik@example.org", envelope="101"),
        Donor("D0002", "Zoë Andersson", envelope="102"),
        Donor("D0003", "Lars Öberg", envelope="007"),
        Donor("D0004", "María García", envelope="104", email="maria@example.com"),
        Donor("D0005", "Anna Jones", envelope="105"),
        Donor("D0006", "Anna Svensson", household="H1", address1="Storgatan 1", postal_code="111 22",
              envelope="106"),
        Donor("D0007", "Erik Svensson", envelope="107", address1="Kyrkvägen 5"),
        Donor("D0008", "E. Svensson", alias_of="D0001"),
        Donor("D0009", "Søren Kierkegaard", envelope="109"),
    ])


@pytest.mark.parametrize(("typed", "expected", "how"), [
    ("D0005", "D0005", "id"),
    ("d0005", "D0005", "id"),
    ("D0008", "D0008", "id"),          # a merged id is still an id (its gifts count for D0001)
    ("105", "D0005", "envelope"),
    ("7", "D0003", "envelope"),         # envelope 007
    ("#007", "D0003", "envelope"),
    ("zoe", "D0002", "name"),
    ("ZOE ANDERSSON", "D0002", "name"),
    ("oberg", "D0003", "name"),
    ("garcia", "D0004", "name"),
    ("Garcia, Maria", "D0004", "name"),
    ("Anna Jones", "D0005", "name"),
    ("jones anna", "D0005", "name"),
    ("soren", "D0009", "name"),         # ø has no accent to take off: it is folded as o
])
def test_one_donor_is_taken(registry, typed, expected, how):
    found = match_donor(registry, typed)
    assert found.donor is not None and (found.donor.id, found.how) == (expected, how)
    assert resolve_donor(registry, typed) == expected


def test_two_people_with_one_name_are_never_guessed(registry):
    found = match_donor(registry, "erik svensson")
    assert found.donor is None and found.several
    assert [donor.id for donor in found.suggestions] == ["D0001", "D0007"]
    message = found.message()
    assert "D0001 Erik Svensson (env. 101)" in message and "D0007 Erik Svensson (env. 107)" in message
    assert "type the id or envelope number" in message
    anna = match_donor(registry, "anna")
    assert anna.donor is None and {d.id for d in anna.suggestions} == {"D0005", "D0006"}


@pytest.mark.parametrize(("typed", "first"), [
    ("Svenson", "D0006"),        # a letter missing (Anna before Erik)
    ("zoe andersen", "D0002"),   # a letter wrong
    ("obreg", "D0003"),          # two letters swapped
    ("Maria Garsia", "D0004"),
    ("and", "D0002"),            # the start of a name
])
def test_a_typo_or_a_part_is_suggested_never_taken(registry, typed, first):
    found = match_donor(registry, typed)
    assert found.donor is None and not found.several
    assert found.suggestions and found.suggestions[0].id == first
    assert len(found.suggestions) <= 3
    with pytest.raises(Refused) as refused:
        resolve_donor(registry, typed)
    assert refused.value.field == "donor"
    assert "Did you mean" in refused.value.message and f"{first} " in refused.value.message


def test_nothing_like_it_says_what_to_type(registry):
    found = match_donor(registry, "xyzzy")
    assert found.donor is None and found.suggestions == ()
    assert "Did you mean" not in found.message()
    assert "Type a name, envelope number or id" in found.message()
    assert match_donor(registry, "").donor is None and match_donor(registry, "  ").message() == ""


def test_merged_donors_are_not_found_by_name(registry):
    assert match_donor(registry, "E. Svensson").donor is None


def test_search_finds_words_anywhere_then_typos(registry):
    assert [d.id for d in search(registry, "garcia")] == ["D0004"]
    assert [d.id for d in search(registry, "storgatan")] == ["D0006", "D0001"]
    assert [d.id for d in search(registry, "zoe anderson")] == ["D0002"]  # no word matched: typos
    assert search(registry, "nobody here") == []
    assert [d.id for d in search(registry, "svensson", include_aliases=True)] == ["D0006", "D0008", "D0001", "D0007"]
    assert [d.id for d in suggest(registry, "svensson")][:2] == ["D0006", "D0001"]


def test_possible_duplicates_by_name_email_and_address(registry):
    assert [(d.id, why) for d, why in possible_duplicates(registry, {"name": "Svensson, Erik"})] == [
        ("D0001", "name"), ("D0007", "name")]
    assert [(d.id, why) for d, why in possible_duplicates(registry, {"name": "Z", "email": "MARIA@example.com"})] == [
        ("D0004", "e-mail address")]
    same_street = {"name": "Karin Berg", "address1": "storgatan 1", "postal_code": "11122"}
    assert [(d.id, why) for d, why in possible_duplicates(registry, same_street)] == [
        ("D0001", "address"), ("D0006", "address")]
    # the same address in the household one joins is a spouse, not a duplicate
    assert possible_duplicates(registry, {**same_street, "household": "H1"}) == []
    elsewhere = {"name": "Karin Berg", "address1": "Storgatan 1", "postal_code": "99999"}
    assert possible_duplicates(registry, elsewhere) == []
    assert possible_duplicates(registry, {"name": "Someone Else"}) == []
    refusal = donor_match.PossibleDuplicate("Erik Svensson", possible_duplicates(registry, {"name": "Erik Svensson"}))
    assert refusal.found.startswith("Erik Svensson may already be in donors.csv: D0001 Erik Svensson (env. 101) "
                                    "has the same name; D0007 Erik Svensson (env. 107) has the same name.")


def test_two_thousand_donors_match_as_fast_as_one_types():
    """Measured, not asserted (the machine is shared): printed for the report."""
    rnd = random.Random(7)
    first = ["Anna", "Erik", "Zoë", "Åsa", "Örjan", "Björn", "María", "Kwame", "Priya", "Søren", "Linda", "James"]
    last = ["Svensson", "Öberg", "García", "Jones", "Okafor", "Nguyen", "Lindqvist", "Ström", "Åkesson", "Müller"]
    donors = [Donor(f"D{i:04d}", f"{rnd.choice(first)} {rnd.choice(last)}{rnd.choice(['', 'son', 'berg'])}",
                    envelope=str(100 + i), email=f"p{i}@example.org", address1=f"{i} Elm Street")
              for i in range(1, 2001)]
    big = DonorRegistry(donors)
    started = time.perf_counter()
    search(big, "a")
    built = time.perf_counter() - started
    timings = []
    for typed in ("z", "zo", "zoe", "zoe ob", "zoe oberg", "svenson", "1500", "D1234", "kwame okafr", "xyzzy"):
        started = time.perf_counter()
        search(big, typed, limit=6)
        match_donor(big, typed)
        timings.append(time.perf_counter() - started)
    print(f"\n2,000 donors: index {built * 1000:.1f} ms, then per key press at most {max(timings) * 1000:.1f} ms "
          f"(search for the picker and the match)")
    assert match_donor(big, "D1234").donor.id == "D1234"
