"""The last check before a write (``finsek.ledger.validate``), on raw drafts.

The builders in ``finsek.ledger.entries`` refuse bad input before it reaches
``check_entries``, so these tests hand it Beancount text written by hand.
"""

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from finsek.core.errors import Refused
from finsek.ledger.books import load_books
from finsek.ledger.digest import period_digest
from finsek.ledger.donors import header_line
from finsek.ledger.entries import Draft
from finsek.ledger.ledger import Ledger
from finsek.ledger.validate import check_entries, parse_draft

LEDGER = """\
option "title" "Test Church"
option "operating_currency" "USD"

plugin "finsek.plugin"

2026-01-01 custom "finsek" "default-fund" "general"
2026-01-01 custom "fund" "general" "General Fund" "unrestricted"
2026-01-01 custom "fund" "building" "Building Fund" "restricted"

2026-01-01 open Assets:Bank:Checking            USD
2026-01-01 open Assets:Bank:Euro                EUR
2026-01-01 open Assets:Cash:Undeposited         USD
2026-01-01 open Equity:NetAssets:Opening        USD
2026-01-01 open Income:Contributions:Offerings  USD
2026-01-01 open Expenses:Facilities:Utilities   USD
2026-01-01 open Expenses:Old                    USD
2026-03-31 close Expenses:Old
2026-09-01 open Income:Rental                   USD

2026-01-04 * "Opening balances"
  Assets:Bank:Checking           1000.00 USD
  Equity:NetAssets:Opening      -1000.00 USD
    fund: "general"

2026-02-01 * "Offering" "Sunday offering"
  fund: "general"
  Assets:Bank:Checking            100.00 USD
  Income:Contributions:Offerings -100.00 USD
    donor: "D0001"
    method: "cash"

2026-03-01 balance Assets:Bank:Checking  1100.00 USD
"""

DONORS = "D0001,Anna Svensson,H1,,,,,,,101,,,\n"

#: A gift that passes every check; the refusals below change one thing in it.
VALID = """\
2026-04-05 * "Offering" "Sunday offering"
  fund: "general"
  Assets:Bank:Checking             25.00 USD
  Income:Contributions:Offerings  -25.00 USD
    donor: "D0001"
    method: "check"
"""


def write_ledger(folder: Path, extra: str = "", donors: bool = True) -> Path:
    folder.mkdir()
    main = folder / "main.beancount"
    main.write_text(LEDGER + extra, encoding="utf-8")
    if donors:
        (folder / "donors.csv").write_text(header_line() + DONORS, encoding="utf-8")
    return main


def load(main: Path):
    books = load_books(main)
    assert books.errors == []
    return books


@pytest.fixture
def books(tmp_path):
    return load(write_ledger(tmp_path / "books"))


def draft(text: str) -> Draft:
    text = textwrap.dedent(text)
    return Draft("raw", dt.date.fromisoformat(text.split()[0]), text, "a hand-written entry")


def check(books, text: str) -> None:
    check_entries(books, parse_draft(draft(text)))


def refusal(books, text: str) -> Refused:
    with pytest.raises(Refused) as caught:
        check(books, text)
    message = caught.value.message
    assert message.endswith(".") and "\n" not in message, message  # one plain sentence
    return caught.value


def with_date(text: str, day: str) -> str:
    return day + text[len("2026-04-05"):]


# -- what passes ----------------------------------------------------------------


@pytest.mark.parametrize("text", [
    pytest.param(VALID, id="valid-gift"),
    pytest.param(with_date(VALID, "2026-03-01"), id="on-the-day-of-the-balance-assertion"),
    pytest.param(
        VALID.replace("Assets:Bank:Checking", "Assets:Cash:Undeposited").replace("2026-04-05", "2026-02-15"),
        id="before-an-assertion-on-another-account",
    ),
    pytest.param("""\
        2026-02-15 * "Correction" "Two lines on checking that cancel out"
          Assets:Bank:Checking   10.00 USD
          Assets:Bank:Checking  -10.00 USD
        """, id="before-an-assertion-but-netting-to-zero"),
    pytest.param("2026-04-05 balance Assets:Bank:Checking  1100.00 USD\n", id="balance-directive"),
])
def test_accepted(books, text):
    check(books, text)


def test_an_unknown_donor_is_accepted_without_donors_csv(tmp_path):
    books = load(write_ledger(tmp_path / "books", donors=False))
    assert not books.donors.exists
    check(books, VALID.replace('"D0001"', '"D9999"'))


# -- what is refused, one thing at a time -----------------------------------------


@pytest.mark.parametrize(("text", "field", "words"), [
    pytest.param(
        VALID.replace("Assets:Bank:Checking", "Assets:Bank:Nowhere"), "account", ["Assets:Bank:Nowhere"],
        id="unknown-account",
    ),
    pytest.param(
        VALID.replace("Income:Contributions:Offerings", "Income:Rental"), "account",
        ["Income:Rental", "2026-04-05", "opens on 2026-09-01"],
        id="account-not-yet-open",
    ),
    pytest.param(
        with_date(VALID.replace("Income:Contributions:Offerings", "Expenses:Old"), "2026-03-31"),
        "account", ["Expenses:Old", "2026-03-31", "closed on 2026-03-31"],
        id="account-closed-on-the-date",
    ),
    pytest.param(
        VALID.replace("Income:Contributions:Offerings", "Expenses:Old"), "account",
        ["Expenses:Old", "2026-04-05", "closed on 2026-03-31"],
        id="account-closed-before-the-date",
    ),
    pytest.param(
        VALID.replace("Assets:Bank:Checking", "Assets:Bank:Euro"), "account", ["Assets:Bank:Euro", "USD"],
        id="account-does-not-take-the-currency",
    ),
    pytest.param(
        VALID.replace("USD", "EUR"), "account", ["Assets:Bank:Checking", "EUR"],
        id="entry-in-the-wrong-currency",
    ),
    pytest.param(
        VALID.replace('    donor: "D0001"', '    fund: "roof"\n    donor: "D0001"'), "fund", ["'roof'", "general"],
        id="unknown-fund-on-a-posting",
    ),
    pytest.param(VALID.replace('fund: "general"', 'fund: "roof"'), "fund", ["'roof'"], id="unknown-fund-on-the-entry"),
    pytest.param(VALID.replace('"D0001"', '"D9999"'), "donor", ["'D9999'", "donors.csv"], id="unknown-donor"),
    pytest.param(VALID.replace('"check"', '"bitcoin"'), "method", ["'bitcoin'", "cash"], id="bad-method"),
    pytest.param(VALID.replace("-25.00 USD", "-20.00 USD"), "amount", ["5.00 USD"], id="unbalanced"),
    pytest.param(
        with_date(VALID, "2026-02-15"), "date", ["Assets:Bank:Checking", "2026-02-28", "2026-02-15"],
        id="breaks-a-later-balance-assertion",
    ),
    pytest.param(
        "2026-04-05 balance Assets:Bank:Nowhere  0.00 USD\n", "account", ["Assets:Bank:Nowhere"],
        id="balance-on-an-unknown-account",
    ),
])
def test_refused(books, text, field, words):
    error = refusal(books, text)
    assert error.field == field
    for word in words:
        assert word in error.message


EXPENSE = """\
2026-04-05 * "City Power & Light" "March electricity"
  Expenses:Facilities:Utilities   40.00 USD
  Assets:Bank:Checking           -40.00 USD
"""


@pytest.mark.parametrize(("text", "root"), [
    (VALID.replace('  fund: "general"\n', ""), "Income"),
    (EXPENSE, "Expenses"),
])
def test_strict_funds_refuses_a_line_without_a_fund(tmp_path, text, root):
    books = load(write_ledger(tmp_path / "books", extra='2026-01-01 custom "finsek" "strict-funds" "true"\n'))
    assert books.settings.strict_funds
    error = refusal(books, text)
    assert error.field == "fund"
    assert f"every {root} line" in error.message
    assert 'add fund: "general"' in error.message and "to the" in error.message
    check(books, VALID)  # a fund on the entry is enough
    check(books, EXPENSE.replace("40.00 USD\n", '40.00 USD\n    fund: "general"\n', 1))


@pytest.mark.parametrize("amount", ["", "USD"], ids=["no-amount", "currency-only"])
def test_an_elided_amount_is_refused(books, amount):
    text = VALID.replace("-25.00 USD", amount)
    error = refusal(books, text)
    assert "amount" in error.message
    assert error.field == "amount"


def test_text_beancount_cannot_parse_is_refused(books):
    with pytest.raises(Refused) as caught:
        parse_draft(draft(VALID.replace("25.00 USD\n", "25.00 USD USD\n", 1)))
    assert "Beancount cannot read" in caught.value.message
    assert "nothing was saved" in caught.value.message
    assert "finsek built" not in caught.value.message  # a hand-written entry: not finsek's fault
    assert "\n" not in caught.value.message


def test_text_finsek_built_that_beancount_cannot_parse_says_so(books):
    broken = draft(VALID.replace("25.00 USD\n", "25.00 USD USD\n", 1))._replace(kind="gift")
    with pytest.raises(Refused, match="finsek built an entry Beancount cannot read"):
        parse_draft(broken)


@pytest.mark.parametrize("day", ["2026-03-15", "2026-03-31"])
def test_a_date_in_a_closed_period_is_refused(tmp_path, day):
    main = write_ledger(tmp_path / "books")
    through = dt.date(2026, 3, 31)
    digest = period_digest(load(main).entries, through)  # as `finsek close` computes it
    with main.open("a", encoding="utf-8") as handle:
        handle.write(f'\n2026-04-02 custom "close" 2026-03-31 "{digest}"\n')
    books = load(main)  # the plugin accepts the digest: no errors
    assert books.closed_through == through
    error = refusal(books, with_date(VALID, day))
    assert error.field == "date"
    assert "closed through 2026-03-31" in error.message and day in error.message
    check(books, VALID)  # after the closed period


# -- currencies, prices and costs --------------------------------------------------

#: Accounts without a currency constraint, and a second account that takes EUR.
OPEN_ANY = """
2026-01-01 open Assets:Bank:Savings
2026-01-01 open Income:Contributions:Any
2026-01-01 open Income:Contributions:Euro    EUR
"""

IN_EUR = """\
2026-04-05 * "Offering" "A gift in euros"
  Assets:Bank:Savings              25.00 EUR
  Income:Contributions:Any        -25.00 EUR
"""


def test_another_currency_on_accounts_without_a_constraint_is_refused(tmp_path):
    books = load(write_ledger(tmp_path / "books", extra=OPEN_ANY))
    error = refusal(books, IN_EUR)
    assert error.message == "This ledger keeps its books in USD: write the amount in USD."
    assert error.field == "amount"
    check(books, IN_EUR.replace("EUR", "USD"))


def test_another_currency_is_accepted_where_the_ledger_or_the_account_declares_it(tmp_path):
    declared = load(write_ledger(tmp_path / "declared", extra=OPEN_ANY + 'option "operating_currency" "EUR"\n'))
    check(declared, IN_EUR)
    books = load(write_ledger(tmp_path / "books", extra=OPEN_ANY))
    check(books, IN_EUR.replace("Assets:Bank:Savings", "Assets:Bank:Euro")
          .replace("Income:Contributions:Any", "Income:Contributions:Euro"))


@pytest.mark.parametrize(("first", "second"), [
    pytest.param("25.00 EUR @ 2.00 USD", "-25.00 EUR", id="price-balanced-in-units"),
    pytest.param("25.00 EUR @ 2.00 USD", "-50.00 USD", id="price-balanced-in-weight"),
    pytest.param("25.00 EUR {2.00 USD}", "-50.00 USD", id="cost"),
])
def test_prices_and_costs_are_refused(tmp_path, first, second):
    books = load(write_ledger(tmp_path / "books", extra=OPEN_ANY))
    text = f"""\
        2026-04-05 * "Exchange"
          Assets:Bank:Savings       {first}
          Income:Contributions:Any  {second}
        """
    error = refusal(books, text)
    assert error.field == "amount"
    assert "prices or costs" in error.message


# -- what a draft may hold ------------------------------------------------------------


@pytest.mark.parametrize(("text", "words"), [
    pytest.param("", ["empty"], id="empty"),
    pytest.param("; only a comment\n", ["empty"], id="only-a-comment"),
    pytest.param('option "operating_currency" "EUR"\n' + VALID, ["'option'", "main.beancount"], id="option"),
    pytest.param('include "other.beancount"\n' + VALID, ["'include'", "main.beancount"], id="include"),
    pytest.param('plugin "beancount.plugins.auto"\n' + VALID, ["'plugin'", "main.beancount"], id="plugin"),
    pytest.param("2026-04-05 pad Assets:Bank:Checking Equity:NetAssets:Opening\n", ["pad"], id="pad"),
    pytest.param('2026-04-05 event "location" "Uppsala"\n', ["event"], id="event"),
])
def test_a_draft_holds_only_entries_finsek_writes(books, text, words):
    with pytest.raises(Refused) as caught:
        parse_draft(Draft("raw", dt.date(2026, 4, 5), text, "a hand-written entry"))
    message = caught.value.message
    assert message.endswith(".") and "\n" not in message
    for word in words:
        assert word in message


def test_every_entry_of_a_draft_is_dated_the_drafts_date(books):
    two = VALID + "\n" + with_date(VALID, "2027-01-03")
    with pytest.raises(Refused) as caught:
        parse_draft(Draft("raw", dt.date(2026, 4, 5), two, "two entries, two years"))
    assert caught.value.field == "date"
    assert "2026-04-05" in caught.value.message and "2027-01-03" in caught.value.message
    with pytest.raises(Refused, match="2026-04-06"):
        parse_draft(Draft("raw", dt.date(2026, 4, 6), VALID, "a draft dated another day"))


def test_accepted_directives(books):
    check(books, '2026-04-05 note Assets:Bank:Checking "Called the bank"\n')
    check(books, '2026-04-05 custom "fund" "roof" "Roof Fund" "designated"\n')
    check(books, "2026-04-05 open Assets:Bank:Savings USD\n")


def test_a_second_open_of_an_account_is_refused(books):
    error = refusal(books, "2026-04-05 open Assets:Bank:Checking USD\n")
    assert error.field == "account"
    assert "Assets:Bank:Checking" in error.message and "2026-01-01" in error.message
    twice = "2026-04-05 open Assets:Bank:Savings USD\n2026-04-05 open Assets:Bank:Savings USD\n"
    assert "twice" in refusal(books, twice).message


def test_a_note_on_an_account_not_open_is_refused(books):
    error = refusal(books, '2026-04-05 note Income:Rental "Not yet"\n')
    assert error.field == "account" and "opens on 2026-09-01" in error.message


@pytest.mark.parametrize("amount", ["1200.00", "1099.98"])
def test_a_balance_the_books_do_not_show_is_refused(books, amount):
    error = refusal(books, f"2026-04-05 balance Assets:Bank:Checking  {amount} USD\n")
    assert error.field == "amount"
    assert error.message == (
        f"The books say 1,100.00 USD in Assets:Bank:Checking on 2026-04-04; the statement says "
        f"{float(amount):,.2f} USD: find the difference first."
    )


def test_a_balance_within_beancounts_tolerance_is_accepted(books):
    check(books, "2026-04-05 balance Assets:Bank:Checking  1100.01 USD\n")  # 0.01 at two decimals, as bean-check
    error = refusal(books, "2026-04-05 balance Assets:Bank:Checking  1100.01 ~ 0 USD\n")
    assert error.field == "amount"


def test_a_balance_on_a_parent_account_is_its_sub_accounts_sum(tmp_path):
    books = load(write_ledger(tmp_path / "books", extra="2026-01-01 open Assets:Bank\n"))
    check(books, "2026-04-05 balance Assets:Bank  1100.00 USD\n")
    assert "1,100.00 USD in Assets:Bank on" in refusal(books, "2026-04-05 balance Assets:Bank  1000.00 USD\n").message


def test_a_balance_in_another_currency_is_checked_from_the_entries(tmp_path):
    books = load(write_ledger(tmp_path / "books", extra=OPEN_ANY + """
2026-02-02 * "Gift in euros"
  Assets:Bank:Euro             30.00 EUR
  Income:Contributions:Euro   -30.00 EUR
"""))
    check(books, "2026-04-05 balance Assets:Bank:Euro  30.00 EUR\n")
    assert "30.00 EUR" in refusal(books, "2026-04-05 balance Assets:Bank:Euro  20.00 EUR\n").message


# -- check numbers and links, in the books and among the entries of one save ------------------

PAYMENT = """\
2026-04-05 * "City Power & Light" "March electricity"
  check: "1043"
  Expenses:Facilities:Utilities   40.00 USD
  Assets:Bank:Checking           -40.00 USD
"""


def check_all(books, *texts: str) -> None:
    """Check several drafts together, as a batch save does."""
    check_entries(books, [entry for text in texts for entry in parse_draft(draft(text))])


def batch_refusal(books, *texts: str) -> Refused:
    with pytest.raises(Refused) as caught:
        check_all(books, *texts)
    assert caught.value.message.endswith(".") and "\n" not in caught.value.message
    return caught.value


def test_a_check_number_already_used_on_the_account_is_refused(tmp_path):
    books = load(write_ledger(tmp_path / "books", extra="\n" + with_date(PAYMENT, "2026-03-10")))
    assert "1043" in books.checks_by_account["Assets:Bank:Checking"]
    error = refusal(books, PAYMENT)
    assert error.field == "check"
    assert "Check 1043" in error.message and "next unused one is 1044" in error.message
    check(books, PAYMENT.replace("1043", "1044"))
    check(books, PAYMENT.replace("Assets:Bank:Checking", "Assets:Cash:Undeposited"))  # another account


def test_the_same_check_number_twice_in_one_save_is_refused(books):
    check(books, PAYMENT)
    error = batch_refusal(books, PAYMENT, with_date(PAYMENT, "2026-04-06"))
    assert error.field == "check" and "twice" in error.message and "1044" in error.message
    check_all(books, PAYMENT, PAYMENT.replace("1043", "1044"))


OFFERING = """\
2026-04-05 * "Offering" "Sunday offering" ^offering-2026-04-05
  Assets:Bank:Checking             25.00 USD
  Income:Contributions:Offerings  -25.00 USD
"""


def test_a_link_already_on_an_entry_of_that_date_is_refused(tmp_path, books):
    check(books, OFFERING)
    error = batch_refusal(books, OFFERING, OFFERING.replace("25.00", "30.00"))
    assert error.field == "link" and "^offering-2026-04-05" in error.message
    check_all(books, OFFERING, OFFERING.replace("2026-04-05\n", "2026-04-05-2\n"))
    saved = load(write_ledger(tmp_path / "saved", extra="\n" + OFFERING))
    assert "^offering-2026-04-05" in refusal(saved, OFFERING).message
    reversal = OFFERING.replace("25.00 USD", "-25.00 USD").replace("-25.00", "25.00").replace(
        "\n", '\n  reverses: "2026-04-05 main.beancount:40"\n', 1)
    check(saved, reversal)  # a reversal shares the links of the entry it reverses


# -- a batch: checked against the books and against itself -----------------------------------


def test_a_balance_in_a_batch_counts_the_batchs_earlier_transactions(books):
    balance = "2026-04-10 balance Assets:Bank:Checking  1100.00 USD\n"
    check(books, VALID)
    check(books, balance)
    error = batch_refusal(books, balance, VALID)  # either order: as the books will stand
    assert error.field == "amount" and "1,125.00 USD" in error.message
    batch_refusal(books, VALID, balance)
    check_all(books, VALID, balance.replace("1100.00", "1125.00"))
    check_all(books, with_date(VALID, "2026-04-10"), balance)  # on the assertion's day: after it


def test_a_close_in_a_batch_closes_the_period_for_the_rest_of_it(books):
    close = '2026-04-05 custom "close" 2026-03-31 "sha256:0"\n'
    early = with_date(VALID, "2026-03-15")
    check(books, early)
    check(books, close)
    for batch in ((close, early), (early, close)):
        error = batch_refusal(books, *batch)
        assert error.field == "date" and "closed through 2026-03-31" in error.message


def test_an_account_opened_in_a_batch_can_be_used_in_it(books):
    opening = "2026-04-05 open Assets:Bank:Savings USD\n"
    move = """\
        2026-04-05 * "Move to savings"
          Assets:Bank:Savings     10.00 USD
          Assets:Bank:Checking   -10.00 USD
        """
    assert refusal(books, move).field == "account"
    check_all(books, opening, move)


# -- the write path -------------------------------------------------------------------


def test_save_of_a_refused_raw_draft_changes_no_file(tmp_path):
    main = write_ledger(tmp_path / "books")
    folder = main.parent

    def files():
        return {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*") if path.is_file()}

    before = files()
    ledger = Ledger(main, state_dir=tmp_path / "state")
    with pytest.raises(Refused) as caught:
        ledger.save(draft(with_date(VALID, "2026-02-15")))
    assert caught.value.field == "date"
    assert files() == before
    assert ledger.save(draft(VALID)).saved  # the same entry, dated after the assertion, is written
