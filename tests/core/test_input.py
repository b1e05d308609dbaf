"""Lax input refused: digits of other scripts, spaces in en_US amounts, compact dates, invisible characters."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsek.core.dates import parse_date, parse_through
from finsek.core.errors import Refused
from finsek.core.money import parse_amount
from finsek.core.text import check_one_alphabet, check_text, printable, skeleton
from finsek.ledger.donors import _clean_field
from finsek.ledger.entries import parse_counters

TODAY = dt.date(2026, 3, 15)


@pytest.mark.parametrize("typed", ["١٢٣", "۱۲۳", "१२३", "１２３", "12٣", "1,２34.50", "²"])
@pytest.mark.parametrize("locale", ["en_US", "sv_SE"])
def test_digits_of_other_scripts_are_refused(typed, locale):
    with pytest.raises(Refused, match="type the amount with the digits 0–9"):
        parse_amount(typed, locale=locale)


@pytest.mark.parametrize("typed", ["1 234", "1 234.50", "1\u00a0234", "12 3"])
def test_a_space_in_an_en_us_amount_is_refused(typed):
    with pytest.raises(Refused, match="space"):
        parse_amount(typed, locale="en_US")


@pytest.mark.parametrize(("typed", "expected"), [
    ("1 234,50", "1234.50"), ("1\u00a0234,50", "1234.50"), ("1\u202f234", "1234.00"), ("12,5", "12.50"),
])
def test_a_space_still_groups_digits_in_swedish_books(typed, expected):
    assert parse_amount(typed, "SEK", "sv_SE") == Decimal(expected)


@pytest.mark.parametrize(("typed", "expected"), [("1,234.50", "1234.50"), ("  12.5 ", "12.50"), ("7", "7.00")])
def test_plain_amounts_still_read(typed, expected):
    assert parse_amount(typed) == Decimal(expected)


def test_a_compact_date_is_refused_with_the_dashed_form():
    with pytest.raises(Refused, match="type it as 2026-03-01"):
        parse_date("20260301", TODAY)


@pytest.mark.parametrize("typed", ["2026-W09-1", "２０２６-03-01", "2026-060", "2026-3-1"])
def test_other_iso_forms_are_refused(typed):
    with pytest.raises(Refused, match="YYYY-MM-DD"):
        parse_date(typed, TODAY)


def test_dates_as_people_type_them_still_read():
    assert parse_date("2026-03-01", TODAY) == dt.date(2026, 3, 1)
    assert parse_date("today", TODAY) == TODAY
    assert parse_date("igår", TODAY) == dt.date(2026, 3, 14)


@pytest.mark.parametrize(("char", "name"), [
    ("\u200b", "ZERO WIDTH SPACE"), ("\u200c", "ZERO WIDTH NON-JOINER"), ("\u200d", "ZERO WIDTH JOINER"),
    ("\u2060", "WORD JOINER"), ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"), ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
    ("\u202a", "LEFT-TO-RIGHT EMBEDDING"), ("\u2066", "LEFT-TO-RIGHT ISOLATE"), ("\u2069", "POP DIRECTIONAL ISOLATE"),
    ("\U000e0041", "TAG LATIN CAPITAL LETTER A"), ("\u00ad", "SOFT HYPHEN"),
])
def test_invisible_characters_are_refused_by_name(char, name):
    code = f"U+{ord(char):04X}"
    with pytest.raises(Refused) as refusal:
        check_text(f"Anna{char}Svensson", "payee")
    assert refusal.value.message == (
        f"The payee holds an invisible character ({code} {name}): type it again without it."
    )
    assert refusal.value.field == "payee"


@pytest.mark.parametrize("name", ["Åsa Öberg", "Björn Ängström", "Zoë", "Mary-Jo O'Neil", "François Müller",
                                  "Ольга Петрова", "Ἀθηνᾶ", "山田 太郎", "Ža\u0301ck"])
def test_real_names_pass(name):
    assert check_one_alphabet(check_text(name, "donor name"), "donor name") == name


@pytest.mark.parametrize("counters", ["Anna, Anna\u200b", "Anna, \u202eAnna"])
def test_counters_with_invisible_characters_are_refused(counters):
    with pytest.raises(Refused, match="invisible character"):
        parse_counters(counters)


@pytest.mark.parametrize("counters", ["Anna, Аnna", "Anna Svensson och Аnna Svensson", "Bo, Вo"])
def test_counters_mixing_alphabets_are_refused(counters):
    with pytest.raises(Refused, match="mixes letters of two alphabets"):
        parse_counters(counters)


@pytest.mark.parametrize("counters", ["Anna, Ａｎｎａ", "Anna, ANNA", "Anna,  аппа", "Anna Svensson, Anna  Svensson",
                                      "Åsa, A\u030asa"])
def test_counters_who_look_the_same_are_one_person(counters):
    with pytest.raises(Refused, match="two different people"):
        parse_counters(counters)


@pytest.mark.parametrize("counters", ["Åsa, Asa", "Björn och Bjorn", "Zoë, Zoe", "Åsa Lind & Björn Berg"])
def test_swedish_and_accented_counters_are_different_people(counters):
    assert len(parse_counters(counters)) == 2


def test_skeleton_folds_width_case_and_look_alikes():
    assert skeleton("Ａｎｎａ") == skeleton("аппа") == skeleton("ANNA") == "anna"
    assert skeleton("Åsa") != skeleton("Asa")


def test_person_key_folds_case_punctuation_and_invisible_characters():
    from finsek.core.text import person_key

    assert person_key("A. Svensson") == person_key("a svensson") == person_key("A.\u200bSvensson.") == "a svensson"
    assert person_key("O'Brien, Pat") == person_key("o brien pat")
    assert person_key("Åsa") != person_key("Asa")


def test_donor_names_are_checked_too():
    with pytest.raises(Refused, match="invisible character"):
        _clean_field("name", "Anna\u200b Svensson")
    with pytest.raises(Refused, match="two alphabets"):
        _clean_field("name", "Аnna Svensson")
    assert _clean_field("name", "Åsa Öberg") == "Åsa Öberg"


_CONTROL = st.characters(min_codepoint=0, max_codepoint=0x9F).filter(
    lambda char: char < " " or "\x7f" <= char <= "\x9f"
)


@given(st.text(st.one_of(_CONTROL, st.characters()), max_size=40))
def test_printable_leaves_no_control_character(value):
    shown = printable(value, newlines=False)
    assert not any(char < " " or "\x7f" <= char <= "\x9f" for char in shown)
    assert all(char < " " or "\x7f" <= char <= "\x9f" or char in shown for char in value)


def test_printable_keeps_newlines_when_asked():
    assert printable("a\x1b[2J\nb\x9b\x07\t") == "a\\x1b[2J\nb\\x9b\\x07\\x09"
    assert printable("a\nb", newlines=False) == "a\\x0ab"


@pytest.mark.parametrize("typed", ["２０２６-03", "2026-٠٣", "202603", "20260331"])
def test_a_period_end_typed_with_other_digits_or_compact_is_refused(typed):
    with pytest.raises(Refused, match="not a date"):
        parse_through(typed, TODAY)
    assert parse_through("2026-02", TODAY) == dt.date(2026, 2, 28)
