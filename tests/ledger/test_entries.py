"""Entry builders and validation: what is refused, and the ledger unchanged."""

import datetime as dt
import hashlib

import pytest

from finsek.core.errors import Refused
from finsek.ledger.entries import (
    BalanceInput,
    GiftInput,
    OfferingInput,
    OfferingLine,
    PaymentInput,
    TransferInput,
    build_balance,
    build_gift,
    build_offering,
    build_payment,
    build_transfer,
    check_balance,
    parse_counters,
)
from finsek.ledger.ledger import Ledger
from tests.conftest import TODAY


def folder_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".finsek.lock"):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def gift(ledger, **values):
    values.setdefault("date", "2026-11-22")
    values.setdefault("amount", "100")
    return ledger.save(build_gift(ledger.books, GiftInput(**values), today=TODAY))


def test_gift_text_follows_the_conventions(ledger):
    draft = build_gift(
        ledger.books,
        GiftInput(date="2026-11-22", amount="1,234.5", donor="D0001", fund="building", method="check", check="881"),
        today=TODAY,
    )
    assert draft.text == (
        '2026-11-22 * "Gift" "Gift from D0001"\n'
        "  Assets:Bank:Checking                          1234.50 USD\n"
        "  Income:Contributions:Designated              -1234.50 USD\n"
        '    fund: "building"\n'
        '    donor: "D0001"\n'
        '    method: "check"\n'
        '    check: "881"\n'
    )


def test_donor_by_envelope_number(ledger):
    draft = build_gift(ledger.books, GiftInput(date="2026-11-22", amount="5", donor="103"), today=TODAY)
    assert 'donor: "D0003"' in draft.text


def test_offering_matches_design(ledger):
    draft = build_offering(
        ledger.books,
        OfferingInput(
            date="2026-11-22", counted_by="A. Svensson and B. Jones", total="390",
            lines=[
                OfferingLine("100", "D0001", "check", "1234"),
                OfferingLine("40", "", "cash"),
                OfferingLine("250", "D0002", "check", "881", fund="building"),
            ],
        ),
        today=TODAY,
    )
    assert draft.text.startswith(
        '2026-11-22 * "Offering" "Sunday offering, counted by A. Svensson and B. Jones" ^offering-2026-11-22\n'
        '  counted-by: "A. Svensson, B. Jones"\n'
        "  Assets:Bank:Checking                           390.00 USD\n"
    )
    ledger.save(draft)
    second = build_offering(
        ledger.books,
        OfferingInput(date="2026-11-22", counted_by="C, D", total="5", lines=[OfferingLine("5")]),
        today=TODAY,
    )
    assert "^offering-2026-11-22-2" in second.text


@pytest.mark.parametrize(
    ("counters", "words"), [("Anna", "two people"), ("Anna, anna", "different"), ("", "empty")]
)
def test_offering_needs_two_different_counters(counters, words):
    with pytest.raises(Refused, match=words):
        parse_counters(counters)


def refused(ledger, build, value, words, field=None):
    before = folder_digest(ledger.main.parent)
    with pytest.raises(Refused) as refusal:
        ledger.save(build(ledger.books, value, today=TODAY))
    assert words in refusal.value.message
    if field:
        assert refusal.value.field == field
    assert folder_digest(ledger.main.parent) == before
    return refusal.value


@pytest.mark.parametrize(
    ("values", "words", "field"),
    [
        ({"amount": "0"}, "zero", "amount"),
        ({"amount": "-10"}, "negative", "amount"),
        ({"amount": "ten"}, "not an amount", "amount"),
        ({"amount": "NaN"}, "not an amount", "amount"),
        ({"amount": "1e9999"}, "not an amount", "amount"),
        ({"fund": "bulding"}, "no fund 'bulding'", "fund"),
        ({"account": "Income:Nope"}, "no account Income:Nope", "income account"),
        ({"account": "Expenses:Benevolence"}, "not an Income account", "income account"),
        ({"deposit_to": "Assets:Bank:Nope"}, "no account", "deposit account"),
        ({"date": "2025-12-31"}, "opened on 2026-01-01", None),
        ({"date": "2027-01-01"}, "in the future", "date"),
        ({"date": "31/12/2026"}, "not a date", "date"),
        ({"donor": "D9999"}, "no donor 'D9999'", "donor"),
        ({"method": "bitcoin"}, "not a payment method", "method"),
        ({"method": "cash", "check": "12"}, "check number goes with", "check"),
        ({"memo": "a\nb"}, "line break", "memo"),
    ],
)
def test_gift_refusals_leave_the_ledger_unchanged(ledger, values, words, field):
    values = {"date": "2026-11-22", "amount": "100", **values}
    refused(ledger, build_gift, GiftInput(**values), words, field)


def test_closed_account_is_refused(ledger):
    with open(ledger.main.parent / "accounts.beancount", "a") as handle:
        handle.write("2026-06-30 close Assets:Cash:Petty\n")
    ledger.load()
    refused(ledger, build_gift, GiftInput(date="2026-11-22", amount="5", deposit_to="Assets:Cash:Petty"),
            "closed on 2026-06-30")


def test_currency_not_allowed(ledger):
    with open(ledger.main.parent / "accounts.beancount", "a") as handle:
        handle.write("2026-01-01 open Assets:Bank:Euro EUR\n")
    ledger.load()
    refused(ledger, build_gift, GiftInput(date="2026-11-22", amount="5", deposit_to="Assets:Bank:Euro"),
            "does not take USD")


def test_gift_before_a_balance_assertion_is_refused(ledger):
    gift(ledger, date="2026-11-02", amount="50")
    ledger.save(build_balance(ledger.books, BalanceInput(date="2026-11-10", amount="50"), today=TODAY))
    refusal = refused(ledger, build_gift, GiftInput(date="2026-11-05", amount="5"), "confirmed against the statement")
    assert "2026-11-10" in refusal.message
    gift(ledger, date="2026-11-11", amount="5")


def test_date_in_closed_period_is_refused(ledger):
    from finsek.ledger.digest import period_digest

    gift(ledger, date="2026-10-04", amount="70")
    through = dt.date(2026, 10, 31)
    digest = period_digest(ledger.books.entries, through)
    with open(ledger.main.parent / "2026.beancount", "a") as handle:
        handle.write(f'\n2026-11-05 custom "close" 2026-10-31 "{digest}"\n')
    ledger.load()
    assert not ledger.books.errors
    refusal = refused(ledger, build_gift, GiftInput(date="2026-10-20", amount="5"), "closed through 2026-10-31")
    assert "reversal" in refusal.message
    gift(ledger, date="2026-11-06", amount="5")


def test_offering_that_does_not_add_up_is_refused(ledger):
    value = OfferingInput(
        date="2026-11-22", counted_by="A, B", total="150",
        lines=[OfferingLine("100", "D0001", "check", "1"), OfferingLine("40")],
    )
    refusal = refused(ledger, build_offering, value, "10.00 USD less than the counted total")
    assert refusal.field == "total"


def test_offering_line_errors_name_the_line(ledger):
    value = OfferingInput(
        date="2026-11-22", counted_by="A, B", total="140",
        lines=[OfferingLine("100", "D0001", "check", "1"), OfferingLine("40", fund="nope")],
    )
    refused(ledger, build_offering, value, "Gift line 2: There is no fund 'nope'")


def test_payment_refusals(ledger, tmp_path):
    base = {"date": "2026-11-03", "payee": "City Power", "amount": "182.40", "account": "Expenses:Facilities:Utilities"}
    refused(ledger, build_payment, PaymentInput(**{**base, "payee": ""}), "payee is empty")
    refused(ledger, build_payment, PaymentInput(**{**base, "account": "Income:Rental"}), "income account")
    refused(ledger, build_payment, PaymentInput(**{**base, "receipt": str(tmp_path / "missing.pdf")}),
            "does not exist")
    ledger.save(build_payment(ledger.books, PaymentInput(**{**base, "check": "1043"}), today=TODAY))
    refusal = refused(ledger, build_payment, PaymentInput(**{**base, "check": "1043"}), "already in the books")
    assert "1044" in refusal.message


def test_payment_copies_the_receipt(ledger, tmp_path):
    scan = tmp_path / "scan.PDF"
    scan.write_bytes(b"%PDF-1.4 receipt")
    draft = build_payment(
        ledger.books,
        PaymentInput(date="2026-11-03", payee="City Power & Light", amount="182.40",
                     account="Expenses:Facilities:Utilities", receipt=str(scan)),
        today=TODAY,
    )
    result = ledger.save(draft)
    copied = ledger.main.parent / "documents/2026/2026-11-03-city-power-light.pdf"
    assert copied.read_bytes() == b"%PDF-1.4 receipt"
    assert 'receipt: "documents/2026/2026-11-03-city-power-light.pdf"' in result.file.read_text()
    again = build_payment(
        ledger.books,
        PaymentInput(date="2026-11-03", payee="City Power & Light", amount="1", account="Expenses:Facilities:Utilities",
                     receipt=str(scan)),
        today=TODAY,
    )
    assert "city-power-light-2.pdf" in again.text


def test_transfer_moves_no_cash(ledger):
    gift(ledger, amount="1000")
    cash = ledger.books.account_balance("Assets")
    ledger.save(build_transfer(ledger.books, TransferInput(date="2026-11-23", amount="500", from_fund="general",
                                                           to_fund="building"), today=TODAY))
    assert ledger.books.account_balance("Assets") == cash
    assert ledger.books.fund_balance("general") == 500
    assert ledger.books.fund_balance("building") == 500
    refused(ledger, build_transfer, TransferInput(date="2026-11-23", amount="5", from_fund="general",
                                                  to_fund="general"), "two different funds")


def test_balance_shows_the_difference_and_refuses_a_mismatch(ledger):
    gift(ledger, date="2026-11-02", amount="50")
    found = check_balance(ledger.books, BalanceInput(date="2026-11-10", amount="45"), today=TODAY)
    assert found.difference == -5
    refused(ledger, build_balance, BalanceInput(date="2026-11-10", amount="45"), "difference -5.00 USD")
    draft = build_balance(ledger.books, BalanceInput(date="2026-11-10", amount="50.00"), today=TODAY)
    assert draft.text == "2026-11-11 balance Assets:Bank:Checking 50.00 ~ 0 USD\n"


def test_fund_balances_add_up_to_net_assets(ledger):
    gift(ledger, amount="300", fund="building")
    gift(ledger, amount="200")
    gift(ledger, amount="150", fund="benevolence")
    ledger.save(build_payment(ledger.books, PaymentInput(date="2026-11-23", payee="X", amount="120",
                                                         account="Expenses:Benevolence", fund="benevolence"),
                              today=TODAY))
    books = ledger.books
    net_assets = books.account_balance("Assets") + books.account_balance("Liabilities")
    assert sum(books.fund_balances().values()) == net_assets == 530
    fresh = Ledger(ledger.main, state_dir=ledger._state_dir).books
    assert fresh.fund_balances() == books.fund_balances()
