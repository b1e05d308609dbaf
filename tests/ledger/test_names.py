"""Fund, account and method names in any case, accents optional, saved as the ledger spells them."""

import pytest

from finsek.cli.main import main
from finsek.core.errors import Refused
from finsek.ledger.books import load_books
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
)
from finsek.ledger.names import fold, resolve_account, resolve_fund, resolve_method
from tests.conftest import TODAY

#: A ledger finsek did not make: no plugin, Swedish account names with accents, funds with accents.
MAIN = """option "title" "Svenska kyrkan i Exempelby"
option "operating_currency" "SEK"

2026-01-01 open Assets:Bank:Plusgiro SEK
2026-01-01 open Income:Gåvor:Kollekt SEK
2026-01-01 open Income:Gåvor:Ändamål SEK
2026-01-01 open Expenses:Lokaler:Värme SEK
2026-01-01 open Equity:Transfers SEK
2026-01-01 custom "fund" "allmän" "Allmänna fonden" "unrestricted"
2026-01-01 custom "fund" "mission" "Missionsfonden" "restricted"
2026-01-01 custom "finsek" "default-fund" "allmän"

2026-01-04 * "Kollekt"
  Assets:Bank:Plusgiro          500.00 SEK
  Income:Gåvor:Kollekt         -500.00 SEK
    fund: "allmän"
"""

DONORS = "id,name,envelope\nD0001,Åsa Öberg,7\nD0002,José García,8\n"


@pytest.fixture
def books(tmp_path):
    (tmp_path / "main.beancount").write_text(MAIN, encoding="utf-8")
    (tmp_path / "donors.csv").write_text(DONORS, encoding="utf-8")
    loaded = load_books(tmp_path / "main.beancount")
    assert not loaded.errors, loaded.errors
    return loaded


def test_fold():
    assert fold("  Zoë   ÖBERG ") == "zoe oberg"
    assert fold("Søren Łukasz Straße") == "soren lukasz strasse"


def test_funds_in_any_case_and_without_accents(books):
    assert resolve_fund(books, "ALLMAN") == "allmän"
    assert resolve_fund(books, "Mission") == "mission"
    assert resolve_fund(books, "missionsfonden") == "mission"  # the title, as reports print it
    assert resolve_fund(books, "") == "allmän"
    with pytest.raises(Refused) as refused:
        resolve_fund(books, "misson")
    assert refused.value.field == "fund" and "Did you mean mission?" in refused.value.message


def test_accounts_and_methods_in_any_case(books):
    assert resolve_account(books, "income:gavor:andamal", "income account") == "Income:Gåvor:Ändamål"
    with pytest.raises(Refused) as refused:
        resolve_account(books, "Income:Gavor:Kolekt", "income account", "Income")
    assert "Did you mean Income:Gåvor:Kollekt" in refused.value.message
    assert resolve_method("CHECK") == "check" and resolve_method("Onl") == "online" and resolve_method("") == "check"
    with pytest.raises(Refused):
        resolve_method("c")  # cash, check or card


def test_every_builder_saves_the_names_as_the_ledger_spells_them(books):
    gift = build_gift(books, GiftInput(date="2026-01-10", amount="100", donor="asa oberg", fund="MISSION",
                                       method="Check", account="income:gavor:ändamål",
                                       deposit_to="assets:bank:plusgiro"), today=TODAY)
    assert 'fund: "mission"' in gift.text and 'donor: "D0001"' in gift.text and 'method: "check"' in gift.text
    assert "Income:Gåvor:Ändamål" in gift.text and "Assets:Bank:Plusgiro" in gift.text
    offering = build_offering(books, OfferingInput(
        date="2026-01-10", counted_by="A. B, C. D", total="30", deposit_to="ASSETS:BANK:PLUSGIRO",
        lines=[OfferingLine(amount="10", donor="8", fund="Allman", account="income:gåvor:kollekt"),
               OfferingLine(amount="20", donor="garcia", method="CASH", fund="allmänna fonden",
                            account="Income:Gåvor:Kollekt")]), today=TODAY)
    assert offering.text.count('fund: "allmän"') == 2 and offering.text.count('donor: "D0002"') == 2
    payment = build_payment(books, PaymentInput(date="2026-01-10", payee="Värmebolaget", amount="50",
                                                account="expenses:lokaler:varme", fund="allman",
                                                from_account="Assets:Bank:plusgiro"), today=TODAY)
    assert "Expenses:Lokaler:Värme" in payment.text and 'fund: "allmän"' in payment.text
    transfer = build_transfer(books, TransferInput(date="2026-01-10", amount="5", from_fund="ALLMÄN",
                                                   to_fund="Missionsfonden"), today=TODAY)
    assert 'fund: "allmän"' in transfer.text and 'fund: "mission"' in transfer.text
    balance = build_balance(books, BalanceInput(date="2026-01-10", account="assets:bank:plusgiro", amount="500"))
    assert "Assets:Bank:Plusgiro" in balance.text


def test_the_command_line_takes_a_fund_in_any_case(ledger_path, capsys):
    code = main(["gift", "--ledger", str(ledger_path), "--date", "2026-11-20", "--amount", "25",
                 "--fund", "Missions", "--method", "Cash", "--donor", "bjorn akesson"])
    _out, err = capsys.readouterr()
    assert code == 0, err
    text = (ledger_path.parent / "2026.beancount").read_text(encoding="utf-8")
    assert 'fund: "missions"' in text and 'donor: "D0003"' in text and 'method: "cash"' in text
    assert "Missions" not in text.split("Gift from D0003")[-1]
    code = main(["report", "pledges", "--ledger", str(ledger_path), "--fund", "BUILDING"])
    assert code == 0 and "fund building" in capsys.readouterr().out
