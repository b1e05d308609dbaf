"""A save never appends onto a file whose end Beancount cannot read (the entry would vanish into it)."""

import datetime as dt

import pytest

from finsek.core.errors import Refused
from finsek.ledger.entries import GiftInput, build_gift
from finsek.ledger.ledger import Ledger
from finsek.ledger.tail import TAIL_BYTES, broken_end
from tests.conftest import TODAY


def _gift(ledger, date="2026-11-22", today=TODAY):
    return build_gift(ledger.books, GiftInput(date=date, amount="25"), today=today)


def _entries(count):
    return "".join(
        f'\n2026-03-{1 + n % 28:02d} * "Payee {n}" "memo"\n  Assets:Bank:Checking  1.00 USD\n'
        f'  Income:Contributions:Offerings  -1.00 USD\n    fund: "general"\n'
        for n in range(count)
    )


@pytest.mark.parametrize("broken", [
    '\n2026-03-01 * "Broken\n',                                       # an unclosed string
    '\n2026-03-01 * "Broken" "memo\n  Assets:Bank:Checking  5 USD\n',  # unclosed over its postings
    '\n2026-03-01 * "Fine"\n  Assets:Bank:Checking  5 USD\n  Income:Contributions:Offerings -5 USD\nstray text\n',
])
def test_a_save_onto_a_broken_end_is_refused_and_writes_nothing(ledger_path, tmp_path, broken):
    year = ledger_path.parent / "2026.beancount"
    with year.open("a", encoding="utf-8") as handle:
        handle.write(broken)
    before = year.read_bytes()
    ledger = Ledger(ledger_path, state_dir=tmp_path / "state")
    with pytest.raises(Refused) as refused:
        ledger.save(_gift(ledger))
    lines = before.decode().count("\n")
    message = str(refused.value)
    assert "2026.beancount" in message and "nothing was saved" in message and "\n" not in message
    assert f"line {lines}" in message or f"line {lines - 1}" in message or f"line {lines - 2}" in message
    assert year.read_bytes() == before
    assert not (ledger_path.parent / ".finsek-journal").exists()


def test_a_broken_end_of_a_long_file_is_found_from_its_last_part(ledger_path, tmp_path):
    year = ledger_path.parent / "2026.beancount"
    with year.open("a", encoding="utf-8") as handle:
        handle.write(_entries(800) + '\n2026-04-01 * "Broken\n')
    content = year.read_bytes()
    assert len(content) > TAIL_BYTES
    found = broken_end(year, content.count(b"\n"))
    assert found is not None and found.lineno == content.count(b"\n")
    assert broken_end(year) == found  # without the line count: the whole file


def test_a_long_file_ending_well_is_not_refused(ledger_path, tmp_path):
    year = ledger_path.parent / "2026.beancount"
    # a string over several lines far back, and one starting just before the part read
    with year.open("a", encoding="utf-8") as handle:
        handle.write('\n2026-02-01 note Assets:Bank:Checking "one\n2026-01-01 two\nthree"\n' + _entries(800))
    assert broken_end(year, year.read_bytes().count(b"\n")) is None
    ledger = Ledger(ledger_path, state_dir=tmp_path / "state")
    result = ledger.save(_gift(ledger))
    assert result.saved


def test_a_new_year_file_is_refused_when_main_ends_broken(ledger_path, tmp_path):
    with ledger_path.open("a", encoding="utf-8") as handle:
        handle.write('option "title" "Unclosed\n')
    before = ledger_path.read_bytes()
    ledger = Ledger(ledger_path, state_dir=tmp_path / "state")
    with pytest.raises(Refused, match=r"main\.beancount"):
        ledger.save(_gift(ledger, date="2027-01-03", today=dt.date(2027, 1, 5)))
    assert ledger_path.read_bytes() == before
    assert not (ledger_path.parent / "2027.beancount").exists()


def test_a_string_over_lines_that_look_like_entries_at_the_end_is_not_refused(ledger_path):
    year = ledger_path.parent / "2026.beancount"
    with year.open("a", encoding="utf-8") as handle:
        handle.write(_entries(300) + '\n2026-04-01 note Assets:Bank:Checking "minutes:\n2026-04-01 open Fake\n'
                     '2026-04-02 * txn line\nend of note"\n')
    content = year.read_bytes()
    assert broken_end(year, content.count(b"\n")) is None
    with year.open("a", encoding="utf-8") as handle:
        handle.write('2026-04-03 * "Broken\n')
    found = broken_end(year, year.read_bytes().count(b"\n"))
    assert found is not None and found.lineno == year.read_bytes().count(b"\n")
