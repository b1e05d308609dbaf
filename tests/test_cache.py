"""The books cache: used only when fresh, private, and never code."""

import json
import os
import stat

import finsek
from finsek.ledger import cache
from finsek.ledger.entries import GiftInput, build_gift
from finsek.ledger.writer import Ledger
from tests.conftest import TODAY


def open_cached(ledger_path, tmp_path):
    return Ledger(ledger_path, state_dir=tmp_path / "state", use_cache=True)


def warm(ledger_path, tmp_path):
    ledger = open_cached(ledger_path, tmp_path)
    assert not ledger.books.from_cache
    assert ledger.store_cache()
    return ledger


def test_a_fresh_cache_answers_with_the_same_books(ledger_path, tmp_path):
    first = open_cached(ledger_path, tmp_path)
    first.save(build_gift(first.books, GiftInput(date="2026-11-22", amount="70", fund="building", donor="D0001"),
                          today=TODAY))
    assert first.store_cache()
    again = open_cached(ledger_path, tmp_path)
    assert again.books.from_cache
    assert again.books.fund_balances() == first.books.fund_balances()
    assert again.books.balances() == first.books.balances()
    assert [e.narration for e in again.books.transactions()] == [e.narration for e in first.books.transactions()]
    assert again.books.funds == first.books.funds and again.books.accounts == first.books.accounts


def test_the_cache_is_private_json_outside_the_ledger(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    files = list((tmp_path.parent).rglob("*.json"))
    cached = [path for path in files if path.parent.name == "books"]
    assert cached, files
    for path in cached:
        assert ledger_path.parent not in path.parents
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        json.loads(path.read_text())
    assert not [p for p in ledger_path.parent.iterdir() if "cache" in p.name]


def test_editing_an_included_file_makes_a_fresh_load(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    with open(ledger_path.parent / "accounts.beancount", "a") as handle:
        handle.write("2026-01-01 open Assets:Bank:Other USD\n")
    ledger = open_cached(ledger_path, tmp_path)
    assert not ledger.books.from_cache
    assert "Assets:Bank:Other" in ledger.books.accounts


def test_changing_donors_csv_makes_a_fresh_load(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    with open(ledger_path.parent / "donors.csv", "a") as handle:
        handle.write("D0099,New Person,,,,,,,,,,\n")
    assert not open_cached(ledger_path, tmp_path).books.from_cache


def test_upgrading_finsek_makes_a_fresh_load(ledger_path, tmp_path, monkeypatch):
    warm(ledger_path, tmp_path)
    assert open_cached(ledger_path, tmp_path).books.from_cache
    monkeypatch.setattr(finsek, "__version__", finsek.__version__ + ".post1")
    assert not open_cached(ledger_path, tmp_path).books.from_cache


def test_a_damaged_cache_is_ignored(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    path = cache._manifest_path(ledger_path.resolve())
    path.write_text('{"format": 1, "key": "x"')
    assert not open_cached(ledger_path, tmp_path).books.from_cache


def test_a_cache_is_not_stored_when_the_files_changed_since_loading(ledger_path, tmp_path):
    ledger = open_cached(ledger_path, tmp_path)
    assert ledger.books
    with open(ledger_path.parent / "2026.beancount", "a") as handle:
        handle.write("\n; edited\n")
    assert not ledger.store_cache()
