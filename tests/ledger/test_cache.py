"""The books cache: used only when fresh, private, and never code."""

import json
import os
import stat

import numpy as np

import finsek
from finsek.ledger import cache
from finsek.ledger.entries import BalanceInput, GiftInput, build_balance, build_gift
from finsek.ledger.ledger import Ledger
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
    cached = list((cache.cache_dir() / "books").iterdir())
    assert {path.suffix for path in cached} == {".json", ".jsonl", ".npz"}
    for path in cached:
        assert ledger_path.parent not in path.parents
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        if path.suffix == ".npz":
            with np.load(path, allow_pickle=False) as stored:  # data only: loading it cannot run code
                assert all(stored[name].dtype != object for name in stored.files)
            continue
        for line in path.read_text().splitlines():
            json.loads(line)
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


def test_cached_books_answer_before_reading_every_entry(ledger_path, tmp_path):
    first = open_cached(ledger_path, tmp_path)
    for day, amount in (("2026-11-02", "10"), ("2026-11-20", "20")):
        first.save(build_gift(first.books, GiftInput(date=day, amount=amount, donor="D0001"), today=TODAY))
    first.save(build_balance(first.books, BalanceInput(date="2026-11-21", amount="30"), today=TODAY))
    assert first.store_cache()
    ledger = open_cached(ledger_path, tmp_path)
    books = ledger.books
    assert books.from_cache and not books.entries_loaded
    assert books.last_assertion("Assets:Bank:Checking").amount == 30
    assert books.recent_transactions(2)[0].narration == "Gift from D0001"
    assert books.last_transaction("Gift").date.isoformat() == "2026-11-20"
    assert books.settings == first.books.settings and books.closes == first.books.closes
    ledger.save(build_gift(books, GiftInput(date="2026-11-25", amount="5", memo="after"), today=TODAY))
    assert not books.entries_loaded
    assert books.account_balance("Assets:Bank:Checking") == 35
    fresh = Ledger(ledger_path, state_dir=tmp_path / "state").books
    assert [e.narration for e in books.transactions()] == [e.narration for e in fresh.transactions()]
    assert books.entries_loaded


def test_a_missing_entries_file_falls_back_to_beancount(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    cache._entries_path(ledger_path.resolve()).unlink()
    books = open_cached(ledger_path, tmp_path).books
    assert books.from_cache
    assert len(books.entries) == len(Ledger(ledger_path, state_dir=tmp_path / "s").books.entries)


def test_entries_saved_since_the_cache_are_not_doubled_when_it_moved_on(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    ledger = open_cached(ledger_path, tmp_path)
    assert ledger.books.from_cache
    ledger.save(build_gift(ledger.books, GiftInput(date="2026-11-22", amount="9", memo="once"), today=TODAY))
    other = open_cached(ledger_path, tmp_path)
    assert other.books.from_cache  # the save kept the cache fresh
    assert other.store_cache()  # another finsek rewrote the whole cache (a new generation)
    narrations = [e.narration for e in ledger.books.transactions()]
    assert narrations.count("once") == 1


def posting_rows(books):
    from finsek.reports import posting_frame

    frame = posting_frame(books)
    columns = ["date", "account", "fund", "fund_class", "donor", "payee", "narration", "links", "tags", "flag"]
    return sorted(zip(*(frame[name].astype(str) for name in columns), frame["amount"], frame["units"],
                      strict=True))


def test_reports_read_cached_posting_columns_without_reading_entries(ledger_path, tmp_path):
    first = warm(ledger_path, tmp_path)
    expected = posting_rows(first.books)
    books = open_cached(ledger_path, tmp_path).books
    assert books.from_cache
    assert posting_rows(books) == expected
    assert not books.entries_loaded


def test_cached_posting_columns_take_in_saves_even_back_in_time(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    ledger = open_cached(ledger_path, tmp_path)
    books = ledger.books
    before = len(books.posting_columns().units)
    ledger.save(build_gift(books, GiftInput(date="2026-11-25", amount="12.34", memo="late", donor="D0001"),
                           today=TODAY))
    ledger.save(build_gift(books, GiftInput(date="2026-02-01", amount="7", memo="backdated"), today=TODAY))
    columns = books.posting_columns()
    assert len(columns.units) == before + 4 and columns.places == 2
    assert list(columns.days) == sorted(columns.days)
    assert not books.entries_loaded
    assert posting_rows(books) == posting_rows(Ledger(ledger_path, state_dir=tmp_path / "fresh").books)


def test_damaged_or_other_posting_columns_are_built_from_the_entries(ledger_path, tmp_path):
    first = warm(ledger_path, tmp_path)
    expected = posting_rows(first.books)
    path = cache._columns_path(ledger_path.resolve())
    path.write_bytes(b"PK\x03\x04 not a zip")
    books = open_cached(ledger_path, tmp_path).books
    assert books.from_cache and posting_rows(books) == expected and books.entries_loaded
    path.unlink()
    books = open_cached(ledger_path, tmp_path).books
    assert posting_rows(books) == expected


def test_entries_read_from_the_cache_equal_beancounts_and_share_what_repeats(ledger_path, tmp_path):
    first = open_cached(ledger_path, tmp_path)
    for day, amount, donor in (("2026-11-01", "20", "D0001"), ("2026-11-08", "20", "D0001"), ("2026-11-15", "35", "")):
        first.save(build_gift(first.books, GiftInput(date=day, amount=amount, donor=donor, fund="building"),
                              today=TODAY))
    assert first.store_cache()
    fresh = Ledger(ledger_path, state_dir=tmp_path / "fresh").books.entries
    books = open_cached(ledger_path, tmp_path).books
    cached = books.entries
    assert books.from_cache and len(cached) == len(fresh)
    for mine, theirs in zip(cached, fresh, strict=True):
        assert type(mine) is type(theirs) and mine.date == theirs.date
        assert {k: v for k, v in mine.meta.items() if not k.startswith("__")} == \
            {k: v for k, v in theirs.meta.items() if not k.startswith("__")}
        if hasattr(theirs, "postings"):
            assert (mine.payee, mine.narration, mine.tags, mine.links) == \
                (theirs.payee, theirs.narration, theirs.tags, theirs.links)
            assert [(p.account, p.units, p.cost, p.price) for p in mine.postings] == \
                [(p.account, p.units, p.cost, p.price) for p in theirs.postings]
    postings = [p for e in cached if hasattr(e, "postings") for p in e.postings]
    by_account: dict = {}
    for posting in postings:
        assert by_account.setdefault(posting.account, posting.account) is posting.account
    assert len(postings) == 6 and len({id(p.units.currency) for p in postings}) == 1
    gifts = [p for p in postings if p.account.startswith("Income")]
    assert gifts[0].units is gifts[1].units  # the same 20 USD twice: one Amount


def test_a_warm_load_reads_each_file_once(ledger_path, tmp_path, monkeypatch):
    from collections import Counter
    from pathlib import Path

    from finsek.ledger import ledger as writer

    warm(ledger_path, tmp_path)
    reads: Counter = Counter()
    real = writer.read_state

    def counted(path):
        reads[path] += 1
        return real(path)

    real_hash = cache.sha256_of

    def hashed(name):
        reads[Path(name)] += 1
        return real_hash(name)

    monkeypatch.setattr(writer, "read_state", counted)
    monkeypatch.setattr(cache, "sha256_of", hashed)
    ledger = open_cached(ledger_path, tmp_path)
    books = ledger.load(prime_in_subprocess=True)
    assert books.from_cache and set(reads) == set(books.files) and set(reads.values()) == {1}
    ledger.save(build_gift(books, GiftInput(date="2026-11-22", amount="4"), today=TODAY))  # the states hold
    assert "2026-11-22" in (ledger_path.parent / "2026.beancount").read_text()
