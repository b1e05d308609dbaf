"""Posting columns: exact integer amounts, merged across decimals and dates."""

import textwrap
from decimal import Decimal

import numpy as np
from beancount import loader

from finsek.ledger import postings

LEDGER = textwrap.dedent(
    """
    option "operating_currency" "USD"
    2026-01-01 open Assets:Bank USD
    2026-01-01 open Income:Gifts USD
    2026-01-01 open Assets:Shares SHR
    2026-03-01 * "A" "cents" #tag ^link
      fund: "building"
      Assets:Bank  10.25 USD
      Income:Gifts
    2026-01-05 * "B" "shares at cost"
      Assets:Shares  2 SHR {100.00 USD}
      Income:Gifts  -200.00 USD
        donor: "D0001"
    """
)


def columns_of(text):
    entries, errors, _ = loader.load_string(text)
    assert not errors
    return postings.build_columns(entries, "USD", "general")


def test_columns_hold_weights_funds_and_donors_exactly():
    columns = columns_of(LEDGER)
    assert columns.places == 2 and list(columns.units) == [20000, -20000, 1025, -1025]
    accounts = [columns.tables["account"][code] for code in columns.codes["account"]]
    assert accounts == ["Assets:Shares", "Income:Gifts", "Assets:Bank", "Income:Gifts"]
    funds = [columns.tables["fund"][code] for code in columns.codes["fund"]]
    assert funds == ["", "general", "building", "building"]
    donors = [columns.tables["donor"][code] for code in columns.codes["donor"]]
    assert donors == ["", "D0001", "", ""]
    assert columns.tables["links"] == ["", "link"] and list(columns.counts) == [2, 2]


def test_concat_rescales_to_the_finer_amount_and_sorts_back_in_time():
    first = columns_of(LEDGER)
    later = columns_of(LEDGER.split("2026-03-01")[0] + textwrap.dedent(
        """
        2026-02-01 * "C" "a tenth of a cent"
          Assets:Bank  0.001 USD
          Income:Gifts
        """
    ))
    joined = postings.concat(first, later)
    assert joined.places == 3
    assert list(joined.units) == [200000, -200000, 1, -1, 10250, -10250]
    assert list(joined.days) == sorted(joined.days)
    narrations = [joined.tables["narration"][code] for code in joined.codes["narration"]]
    assert narrations == ["shares at cost", "a tenth of a cent", "cents"]


def test_amounts_that_could_overflow_int64_stay_python_ints(tmp_path):
    columns = columns_of(LEDGER.replace("10.25 USD", "12345678901234567890.25 USD"))
    assert columns.units.dtype == object
    assert Decimal(int(columns.units[2])).scaleb(-columns.places) == Decimal("12345678901234567890.25")


def test_saved_columns_load_only_under_their_key(tmp_path):
    columns = columns_of(LEDGER)
    path = tmp_path / "p.npz"
    postings.save(columns, path, "key-1")
    loaded = postings.load(path, "key-1")
    assert loaded is not None and np.array_equal(loaded.units, columns.units) and loaded.tables == columns.tables
    assert postings.load(path, "key-2") is None
    path.write_bytes(path.read_bytes()[:100])
    assert postings.load(path, "key-1") is None
