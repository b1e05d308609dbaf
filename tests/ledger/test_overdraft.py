"""Saves that stop what the audit calls an error (``finsek.ledger.overdraft``, ``validate``).

On a ledger finsek did not make: no plugin, its own account and fund names,
a restricted and a designated fund, and the default fund named ``operating``.
"""

import datetime as dt

import pytest

from finsek.audit.engine import run_audit
from finsek.core.errors import Refused
from finsek.ledger.entries import (
    OfferingInput,
    OfferingLine,
    PaymentInput,
    TransferInput,
    build_offering,
    build_payment,
    build_transfer,
)
from finsek.ledger.ledger import Ledger
from finsek.ledger.overdraft import OverdraftNeedsApproval, fund_overdrafts

TODAY = dt.date(2026, 6, 30)

BOOKS = """\
option "title" "St. Olaf Lutheran"
option "operating_currency" "USD"

2026-01-01 custom "finsek" "default-fund" "operating"
2026-01-01 custom "fund" "operating" "Operating" "unrestricted"
2026-01-01 custom "fund" "organ" "Organ Restoration" "restricted"
2026-01-01 custom "fund" "youth" "Youth Camp" "designated"

2026-01-01 open Assets:Bank:Checking
2026-01-01 open Equity:Opening
2026-01-01 open Equity:Transfers
2026-01-01 open Income:Gifts
2026-01-01 open Expenses:Music
2026-01-01 open Expenses:Youth

2026-01-02 * "Opening balances"
  Assets:Bank:Checking   3000.00 USD
  Equity:Opening        -2000.00 USD
    fund: "operating"
  Equity:Opening         -600.00 USD
    fund: "organ"
  Equity:Opening         -400.00 USD
    fund: "youth"

2026-05-01 * "Organ builder" "Deposit on the organ"
  Expenses:Music          100.00 USD
    fund: "organ"
  Assets:Bank:Checking   -100.00 USD
"""


@pytest.fixture
def ledger(tmp_path):
    folder = tmp_path / "olaf"
    folder.mkdir()
    (folder / "main.beancount").write_text(BOOKS, encoding="utf-8")
    return Ledger(folder, state_dir=tmp_path / "state")


def payment(ledger, amount, fund, **more):
    return build_payment(ledger.books, PaymentInput(
        date="2026-06-01", payee="Organ builder", amount=amount, account="Expenses:Music", fund=fund,
        check="", **more), today=TODAY)


def transfer(ledger, amount, source, target, **more):
    return build_transfer(ledger.books, TransferInput(
        date="2026-06-01", amount=amount, from_fund=source, to_fund=target, **more), today=TODAY)


def text_of(ledger) -> str:
    return "".join(path.read_text(encoding="utf-8") for path in sorted(ledger.root.glob("*.beancount")))


def test_a_payment_that_takes_a_restricted_fund_below_zero_is_refused_and_nothing_is_written(ledger):
    before = text_of(ledger)
    with pytest.raises(Refused) as caught:
        ledger.save(payment(ledger, "750", "organ"))
    message = caught.value.message
    assert "Organ Restoration (restricted) has 500.00 USD" in message
    assert "leave it at -250.00 USD" in message
    assert "take at most 500.00 USD" in message
    assert "finsek transfer --amount 250.00 --from-fund operating --to-fund organ" in message
    assert caught.value.field == "amount"
    assert not isinstance(caught.value, OverdraftNeedsApproval)
    assert text_of(ledger) == before
    assert ledger.books.fund_balance("organ") == 500


def test_a_transfer_out_of_a_restricted_fund_below_zero_is_refused(ledger):
    before = text_of(ledger)
    with pytest.raises(Refused) as caught:
        ledger.save(transfer(ledger, "20000", "organ", "operating"))
    assert "this transfer would leave it at -19,500.00 USD" in caught.value.message
    assert "move at most 500.00 USD out of it" in caught.value.message
    assert text_of(ledger) == before


def test_up_to_the_balance_a_restricted_fund_is_spent_as_before(ledger):
    ledger.save(payment(ledger, "500", "organ"))
    assert ledger.books.fund_balance("organ") == 0


def test_money_into_a_fund_already_below_zero_is_accepted(tmp_path):
    folder = tmp_path / "olaf"
    folder.mkdir()
    (folder / "main.beancount").write_text(BOOKS.replace("100.00 USD", "700.00 USD"), encoding="utf-8")
    ledger = Ledger(folder, state_dir=tmp_path / "state")
    assert ledger.books.fund_balance("organ") == -100
    ledger.save(transfer(ledger, "150", "operating", "organ", approved_by="Council"))
    assert ledger.books.fund_balance("organ") == 50


def test_a_backdated_payment_is_refused_when_a_later_day_would_go_below_zero(ledger):
    # On 2026-04-01 the organ fund had 600.00, but 100.00 was spent on 2026-05-01.
    draft = build_payment(ledger.books, PaymentInput(
        date="2026-04-01", payee="Organ builder", amount="550", account="Expenses:Music", fund="organ"),
        today=TODAY)
    with pytest.raises(Refused) as caught:
        ledger.save(draft)
    assert "has 500.00 USD" in caught.value.message
    assert "-50.00 USD on 2026-05-01" in caught.value.message


def test_a_designated_fund_below_zero_needs_an_approval_that_is_recorded(ledger):
    before = text_of(ledger)
    with pytest.raises(OverdraftNeedsApproval) as caught:
        ledger.save(payment(ledger, "450", "youth", approved_by=""))
    assert "Youth Camp (designated) has 400.00 USD" in caught.value.message
    assert "--confirm" in caught.value.message
    assert caught.value.overdraft.short == 50
    assert text_of(ledger) == before
    result = ledger.save(payment(ledger, "450", "youth", overdraft_approved_by="Church council, 2026-05-30"))
    assert result.saved
    assert 'overdraft-approved-by: "Church council, 2026-05-30"' in text_of(ledger)
    assert ledger.books.fund_balance("youth") == -50


def test_an_unrestricted_fund_may_still_go_below_zero(ledger):
    ledger.save(payment(ledger, "2500", "operating"))
    assert ledger.books.fund_balance("operating") == -500


def test_a_batch_is_checked_as_a_whole(ledger):
    into = transfer(ledger, "300", "operating", "organ")
    out = payment(ledger, "750", "organ")
    assert fund_overdrafts(ledger.books, []) == []
    ledger.save_many([into, out])  # 500 + 300 - 750 stays above zero
    assert ledger.books.fund_balance("organ") == 50


def test_what_the_save_refuses_is_what_the_audit_calls_an_error(ledger):
    ledger.save(payment(ledger, "500", "organ"))
    audit = run_audit(ledger.books, dt.date(2026, 1, 1), TODAY, today=TODAY, git=False)
    assert not [f for f in audit.findings if f.code == "fund-negative"]
    with pytest.raises(Refused):
        ledger.save(payment(ledger, "0.01", "organ"))


@pytest.mark.parametrize("counters", [
    "Anna Svensson, anna svensson",
    "A. Svensson, A Svensson",
    "Anna Svensson, ANNA  SVENSSON.",
    "Anna Svensson, Anna Svens\u200bson",  # an invisible character: refused by the builder
    "Anna Svensson, Аnna Svensson",  # a Cyrillic A: refused by the builder
])
def test_two_counters_who_are_one_person_are_refused(ledger, counters):
    with pytest.raises(Refused) as caught:
        build_offering(ledger.books, OfferingInput(
            date="2026-06-01", counted_by=counters, total="10",
            lines=[OfferingLine(amount="10", account="Income:Gifts")]), today=TODAY)
    assert caught.value.field in ("counted_by", "counters' names")


def test_the_write_path_refuses_one_counter_twice_in_a_hand_written_entry(ledger):
    from finsek.ledger.entries import Draft

    text = ('2026-06-01 * "Offering" "Sunday"\n  counted-by: "B. Jones, b jones"\n'
            '  Assets:Bank:Checking  10.00 USD\n  Income:Gifts  -10.00 USD\n')
    with pytest.raises(Refused) as caught:
        ledger.save(Draft("raw", dt.date(2026, 6, 1), text, "hand-written"))
    assert "'B. Jones' and 'b jones' are one person" in caught.value.message
    with pytest.raises(Refused):  # an invisible character does not make a second person
        ledger.save(Draft("raw", dt.date(2026, 6, 1), text.replace("b jones", "B. Jo\u200bnes"), "hand-written"))
    ledger.save(Draft("raw", dt.date(2026, 6, 1), text.replace("b jones", "B. Jonsson"), "hand-written"))
