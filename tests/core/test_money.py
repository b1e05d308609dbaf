from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsek.core.dates import parse_date
from finsek.core.errors import Refused
from finsek.core.money import format_amount, ledger_number, parse_amount
from tests.conftest import TODAY


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1234.50", "en_US", "1234.50"),
        ("1,234.50", "en_US", "1234.50"),
        ("1,234,567.5", "en_US", "1234567.50"),
        ("100", "en_US", "100.00"),
        (" 40 ", "en_US", "40.00"),
        ("1 234,50", "sv_SE", "1234.50"),
        ("1\u00a0234,50", "sv_SE", "1234.50"),
        ("12,5", "sv_SE", "12.50"),
    ],
)
def test_parse_amount_accepts_what_people_type(text, locale, expected):
    assert parse_amount(text, "USD", locale) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("0", "zero"),
        ("0.00", "zero"),
        ("-5", "negative"),
        ("abc", "not an amount"),
        ("NaN", "not an amount"),
        ("Infinity", "not an amount"),
        ("1.005", "more decimals"),
        ("12,34", "not an amount"),
        ("1e3", "not an amount"),
        ("99999999999", "too large"),
        ("1_000", "not an amount"),
    ],
)
def test_parse_amount_refuses_with_plain_words(text, words):
    with pytest.raises(Refused) as refusal:
        parse_amount(text, "USD", "en_US")
    assert words in refusal.value.message


def test_parse_amount_whole_currency_units():
    with pytest.raises(Refused):
        parse_amount("10.5", "JPY")
    assert parse_amount("10", "JPY") == Decimal("10")


@given(st.integers(min_value=1, max_value=10**11 - 1))
def test_amounts_round_trip_through_both_locales(cents):
    amount = Decimal(cents).scaleb(-2)
    for locale in ("en_US", "sv_SE"):
        shown = format_amount(amount, None, locale)
        assert parse_amount(shown, "USD", locale) == amount
    assert Decimal(ledger_number(amount, "USD")) == amount


def test_format_amount():
    assert format_amount(Decimal("1234.5"), "USD") == "1,234.50 USD"
    assert format_amount(Decimal("-1234.5"), "SEK", "sv_SE") == "-1\u00a0234,50 SEK"


def test_parse_date():
    assert parse_date("today", TODAY) == TODAY
    assert parse_date("yesterday", TODAY).isoformat() == "2026-11-26"
    assert parse_date("2026-02-03", TODAY).isoformat() == "2026-02-03"
    with pytest.raises(Refused, match="YYYY-MM-DD"):
        parse_date("3/2/2026", TODAY)
    with pytest.raises(Refused):
        parse_date("2026-02-30", TODAY)
