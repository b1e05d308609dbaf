"""Matching statement lines to the books, on a ledger written here (no finsek plugin, other account names)."""

import datetime as dt
from decimal import Decimal

from beancount import loader
from hypothesis import given, settings
from hypothesis import strategies as st

from finsek.imports.matching import Windows, book_items, match_lines, match_statement
from finsek.imports.statement import BANK_REF_KEY, Statement, StatementLine, identities

D = Decimal
BANK = "Assets:Bank:Operating"

LEDGER = """
option "operating_currency" "USD"
2026-01-01 open Assets:Bank:Operating USD
2026-01-01 open Assets:Clearing:Tithely USD
2026-01-01 open Income:Offerings USD
2026-01-01 open Expenses:Utilities USD
2026-01-01 open Expenses:Supplies USD
2026-01-01 open Expenses:Bank-Fees USD

2026-11-01 * "Offering" "8:30 service" ^offering-2026-11-01-early
  counted-by: "A. Svensson, B. Jones"
  Assets:Bank:Operating   240.00 USD
  Income:Offerings       -240.00 USD
    method: "cash"

2026-11-01 * "Offering" "11:00 service" ^offering-2026-11-01-late
  counted-by: "A. Svensson, B. Jones"
  Assets:Bank:Operating   150.00 USD
  Income:Offerings       -150.00 USD
    method: "check"
    check: "5512"

2026-11-01 * "Online giving" "Recurring gift"
  Assets:Bank:Operating    40.00 USD
  Income:Offerings        -40.00 USD
    method: "online"

2026-11-03 * "City Power & Light" "October electricity"
  check: "1043"
  Expenses:Utilities      182.40 USD
  Assets:Bank:Operating  -182.40 USD

2026-11-04 * "Northern Gas" "October gas"
  check: "1044"
  Expenses:Utilities      182.40 USD
  Assets:Bank:Operating  -182.40 USD

2026-11-05 * "Tithe.ly" "Payout"
  Assets:Bank:Operating  1048.25 USD
  Assets:Clearing:Tithely -1048.25 USD

2026-11-08 * "Offering" "Sunday offering" ^offering-2026-11-08
  counted-by: "A. Svensson, B. Jones"
  Assets:Bank:Operating   412.50 USD
  Income:Offerings       -412.50 USD
    method: "cash"

2026-11-10 * "Åhléns" "Candles"
  Expenses:Supplies        50.00 USD
  Assets:Bank:Operating   -50.00 USD

2026-11-10 * "Stadsmissionen" "Coffee"
  Expenses:Supplies        50.00 USD
  Assets:Bank:Operating   -50.00 USD

2026-11-25 * "Springfield Hardware" "Light bulbs"
  check: "1045"
  Expenses:Supplies        64.10 USD
  Assets:Bank:Operating   -64.10 USD
"""

LINES = [
    StatementLine(dt.date(2026, 11, 2), D("390.00"), "DEPOSIT ID NUMBER 448812"),  # both offerings of the 1st
    StatementLine(dt.date(2026, 11, 2), D("40.00"), "ONLINE GIVING RECURRING"),
    StatementLine(dt.date(2026, 11, 6), D("1048.25"), "TITHELY DES:PAYOUT ID:PO-7781"),
    StatementLine(dt.date(2026, 11, 9), D("412.50"), "DEPOSIT"),  # posted a day late
    StatementLine(dt.date(2026, 11, 11), D("-50.00"), "STADSMISSIONEN STHLM"),
    StatementLine(dt.date(2026, 11, 11), D("-50.00"), "AHLENS CITY"),  # accents off
    StatementLine(dt.date(2026, 11, 13), D("-182.40"), "CHECK 1043", check="1043"),  # cleared 10 days later
    StatementLine(dt.date(2026, 11, 20), D("-182.40"), "CHECK 1044", check="1044"),
    StatementLine(dt.date(2026, 11, 30), D("-12.00"), "MONTHLY SERVICE FEE"),  # not in the books
]


def load(extra: str = ""):
    entries, errors, _ = loader.load_string(LEDGER + extra)
    assert not errors, errors
    return entries


def by_text(matches):
    return {m.line.text: m for m in matches}


def test_every_line_matched_or_reported():
    matches = match_statement(Statement(lines=tuple(LINES)), load(), BANK)
    found = by_text(matches)
    assert [m.status for m in matches].count("unmatched") == 1
    assert found["MONTHLY SERVICE FEE"].status == "unmatched"
    deposit = found["DEPOSIT ID NUMBER 448812"]
    assert deposit.status == "matched"
    assert sorted(item.amount for item in deposit.entries) == [D("150.00"), D("240.00")]  # two offerings, one line
    assert found["DEPOSIT"].entries[0].date == dt.date(2026, 11, 8)
    assert found["CHECK 1043"].entries[0].text == "City Power & Light October electricity"
    assert found["CHECK 1044"].entries[0].text == "Northern Gas October gas"
    assert found["AHLENS CITY"].entries[0].text.startswith("Åhléns")
    assert found["STADSMISSIONEN STHLM"].entries[0].text.startswith("Stadsmissionen")
    assert found["TITHELY DES:PAYOUT ID:PO-7781"].entries[0].text == "Tithe.ly Payout"  # a platform's payout
    assert found["ONLINE GIVING RECURRING"].entries[0].amount == D("40.00")
    keys = [item.key for m in matches for item in m.entries]
    assert len(keys) == len(set(keys))  # one entry, one line
    # the check still outstanding is not matched to anything
    assert not any(item.check == "1045" for m in matches for item in m.entries)


def test_check_numbers_must_agree():
    line = StatementLine(dt.date(2026, 11, 13), D("-182.40"), "CHECK 1099", check="1099")
    assert match_statement(Statement(lines=(line,)), load(), BANK)[0].status == "unmatched"


def test_dates_outside_the_window_do_not_match():
    late = StatementLine(dt.date(2026, 11, 30), D("412.50"), "DEPOSIT")  # 22 days after the offering
    assert match_statement(Statement(lines=(late,)), load(), BANK)[0].status == "unmatched"
    assert match_statement(Statement(lines=(late,)), load(), BANK, windows=Windows(deposit=30))[0].status == "matched"


def test_a_line_booked_before_is_a_duplicate_and_its_entry_matches_nothing_else():
    fee = LINES[-1]
    identity = identities(LINES)[-1]
    booked = f"""
2026-11-30 * "Bank" "Monthly service fee"
  {BANK_REF_KEY}: "{identity}"
  Expenses:Bank-Fees       12.00 USD
  Assets:Bank:Operating   -12.00 USD
"""
    entries = load(booked)
    first = match_statement(Statement(lines=tuple(LINES)), entries, BANK)
    assert by_text(first)[fee.text].status == "duplicate"
    again = match_statement(Statement(lines=tuple(LINES)), entries, BANK)
    assert [(m.status, [i.key for i in m.entries]) for m in first] == [
        (m.status, [i.key for i in m.entries]) for m in again]
    # a new, identical fee on the same day is a different line: it does not take the booked entry
    second_fee = [*LINES, fee]
    matches = match_statement(Statement(lines=tuple(second_fee)), entries, BANK)
    assert [m.status for m in matches if m.line.text == fee.text] == ["duplicate", "unmatched"]


def test_overlapping_statements_give_the_same_identities():
    november = LINES
    overlap = [*LINES[4:], StatementLine(dt.date(2026, 12, 1), D("-5.00"), "FEE")]
    assert identities(november)[4:] == identities(overlap)[:-1]
    twins = [StatementLine(dt.date(2026, 11, 24), D("3900.00"), "Insättning"),
             StatementLine(dt.date(2026, 11, 24), D("3900.00"), "INSATTNING")]
    assert len(set(identities(twins))) == 2  # two identical lines that day are two lines
    assert identities(twins) == identities(list(reversed(twins)))


def test_bank_references_are_the_identity_when_unique():
    lines = [StatementLine(dt.date(2026, 11, 2), D("1.00"), "A", ref="X1"),
             StatementLine(dt.date(2026, 11, 3), D("2.00"), "B", ref="X2"),
             StatementLine(dt.date(2026, 11, 3), D("3.00"), "C", ref="X2")]
    found = identities(lines)
    assert found[0] == "X1"
    assert found[1] != found[2] and found[1].startswith("X2/")  # a repeated reference is made unique


def test_known_matches_are_duplicates():
    entries = load()
    items = book_items(entries, BANK)
    check = next(item for item in items if item.check == "1043")
    identity = identities(LINES)[6]
    matches = match_lines(LINES, items, known={identity: [check.key]})
    assert matches[6].status == "duplicate" and matches[6].entries == (check,)


TWO_TRANSFERS = """
2026-11-20 * "Church" "{0}"
  Expenses:Supplies        70.00 USD
  Assets:Bank:Operating   -70.00 USD

2026-11-20 * "Church" "{1}"
  Expenses:Supplies        70.00 USD
  Assets:Bank:Operating   -70.00 USD
"""


def test_doubtful_when_two_different_entries_fit_as_well():
    line = StatementLine(dt.date(2026, 11, 21), D("-70.00"), "")  # no text to tell them apart
    entries = load(TWO_TRANSFERS.format("To savings", "To building fund"))
    match = match_statement(Statement(lines=(line,)), entries, BANK)[0]
    assert match.status == "matched" and match.doubtful
    # two entries alike in every way are interchangeable: either is right, nothing to doubt
    twins = load(TWO_TRANSFERS.format("Transfer", "Transfer"))
    match = match_statement(Statement(lines=(line,)), twins, BANK)[0]
    assert match.status == "matched" and not match.doubtful


def test_online_gifts_are_not_summed_into_a_deposit():
    # 40.00 online + 150.00 offering = 190.00: only cash and check deposits are grouped
    line = StatementLine(dt.date(2026, 11, 2), D("190.00"), "DEPOSIT")
    assert match_statement(Statement(lines=(line,)), load(), BANK)[0].status == "unmatched"


_LINE = st.builds(
    StatementLine,
    date=st.dates(dt.date(2026, 11, 1), dt.date(2026, 11, 3)),
    amount=st.sampled_from([D("10.00"), D("-10.00"), D("3900.00")]),
    text=st.sampled_from(["Insättning", "INSATTNING", "Fee"]),
    ref=st.sampled_from(["", "", "R1", "R2"]),
)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(_LINE, max_size=8), data=st.data())
def test_identities_are_unique_and_do_not_depend_on_the_order(lines, data):
    shuffled = data.draw(st.permutations(lines))
    found = identities(lines)
    assert len(set(found)) == len(found)
    assert sorted(found) == sorted(identities(shuffled))
