"""Any text a person types is refused with a message or round-trips exactly."""

import datetime as dt

import pytest
from beancount.parser import parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsek.core.errors import Refused
from finsek.core.text import check_text, quote, slug
from finsek.ledger.entries import GiftInput, PaymentInput, build_gift, build_payment
from finsek.ledger.ledger import Ledger
from tests.conftest import TODAY, make_ledger


@given(st.text(max_size=200))
def test_quoted_text_parses_back_exactly_or_is_refused(value):
    try:
        checked = check_text(value, "memo")
    except Refused as refusal:
        assert refusal.message.startswith("The memo")
        return
    source = f'2026-01-01 * "Payee" {quote(checked)}\n  Assets:A  1.00 USD\n  Income:B\n'
    entries, errors, _ = parser.parse_string(source)
    assert not errors
    assert len(entries) == 1
    assert entries[0].narration == checked


@pytest.mark.parametrize(
    "bad",
    ["two\nlines", "carriage\rreturn", "tab\tinside", "nul\x00", "bell\x07", "line\u2028separator", "esc\x1b[2J"],
)
def test_control_characters_are_refused(bad):
    with pytest.raises(Refused, match="one line"):
        check_text(bad, "payee")


def test_very_long_text_is_refused():
    with pytest.raises(Refused, match="characters long"):
        check_text("x" * 501, "memo")


def test_slug():
    assert slug("City Power & Light") == "city-power-light"
    assert slug("Åhléns") == "ahlens"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("🙂") == "file"


nasty_text = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            '"', "\\", '\\"', '" \n2026-01-01 open Assets:Evil', "Grace 🙏 Church", "Åsa Öberg-Ünal",
            '""" ; comment', "\\n", "x" * 499, "end \\",
        ]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payee=nasty_text, memo=nasty_text)
def test_payment_text_round_trips_and_adds_one_entry(tmp_path_factory, payee, memo):
    folder = tmp_path_factory.mktemp("books")
    ledger = Ledger(make_ledger(folder / "l"), state_dir=folder / "state")
    before = len(ledger.books.entries)
    try:
        draft = build_payment(
            ledger.books,
            PaymentInput(date="2026-11-02", payee=payee, amount="10", account="Expenses:Administration:Office",
                         memo=memo),
            today=TODAY,
        )
    except Refused:
        return
    ledger.save(draft)
    reloaded = Ledger(ledger.main, state_dir=folder / "state").books
    assert not reloaded.errors
    assert len(reloaded.entries) == before + 1
    added = [e for e in reloaded.transactions() if e.date == dt.date(2026, 11, 2)]
    assert [(e.payee, e.narration) for e in added] == [(payee.strip(), memo.strip())]


def test_gift_memo_injection_is_harmless(ledger):
    with pytest.raises(Refused, match="one line"):
        build_gift(ledger.books, GiftInput(date="2026-11-02", amount="5", memo='x"\n2026-01-01 open Assets:Evil'),
                   today=TODAY)
    draft = build_gift(ledger.books, GiftInput(date="2026-11-02", amount="5", memo='x" 2026-01-01 open Assets:Evil'),
                       today=TODAY)
    ledger.save(draft)
    books = Ledger(ledger.main, state_dir=ledger._state_dir).books
    assert "Assets:Evil" not in books.accounts
    assert not books.errors
