"""A save keeps the books cache fresh: the next process reads it, with the new entries, as a fresh load would."""

import json

import pytest

from finsek.ledger import cache
from finsek.ledger.entries import GiftInput, PaymentInput, build_gift, build_payment
from finsek.ledger.ledger import Ledger
from tests.conftest import TODAY
from tests.ledger.test_cache import open_cached, posting_rows, warm


def gift(ledger, day, amount, memo, **extra):
    return ledger.save(build_gift(ledger.books, GiftInput(date=day, amount=amount, memo=memo, **extra), today=TODAY))


def fresh_books(ledger_path, tmp_path):
    return Ledger(ledger_path, state_dir=tmp_path / "fresh").books


def same_books(cached, fresh):
    assert cached.balances() == fresh.balances()
    assert cached.fund_balances() == fresh.fund_balances()
    assert cached.transaction_count == fresh.transaction_count
    assert cached.checks_by_account == fresh.checks_by_account
    assert {p: e.narration for p, e in cached.last_by_payee.items()} == \
        {p: e.narration for p, e in fresh.last_by_payee.items()}
    assert [e.narration for e in cached.recent_transactions(50)] == [e.narration for e in fresh.recent_transactions(50)]
    assert posting_rows(cached) == posting_rows(fresh)
    assert sorted((e.date, e.narration) for e in cached.transactions()) == \
        sorted((e.date, e.narration) for e in fresh.transactions())


def test_saves_keep_the_cache_fresh_even_back_in_time(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    ledger = open_cached(ledger_path, tmp_path)
    gift(ledger, "2026-11-22", "25", "first", donor="D0001")
    gift(ledger, "2026-02-03", "7.50", "backdated", fund="building")
    ledger.save(build_payment(ledger.books, PaymentInput(
        date="2026-11-20", payee="City Power", amount="182.40", account="Expenses:Facilities:Utilities",
        check="1043"), today=TODAY))
    again = open_cached(ledger_path, tmp_path)
    assert again.books.from_cache
    same_books(again.books, fresh_books(ledger_path, tmp_path))
    assert [e.date for e in again.books.entries] == sorted(e.date for e in again.books.entries)


def test_a_cold_load_then_saves_leave_no_cache_until_it_is_stored(ledger_path, tmp_path):
    ledger = open_cached(ledger_path, tmp_path)
    gift(ledger, "2026-11-22", "25", "cold")
    assert not open_cached(ledger_path, tmp_path).books.from_cache
    assert ledger.store_cache()
    gift(ledger, "2026-11-23", "30", "after the store")
    again = open_cached(ledger_path, tmp_path).books
    assert again.from_cache
    same_books(again, fresh_books(ledger_path, tmp_path))


def test_two_processes_saving_in_turn_both_keep_it_fresh(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    first, second = open_cached(ledger_path, tmp_path), open_cached(ledger_path, tmp_path)
    assert first.books.from_cache and second.books.from_cache
    gift(first, "2026-11-22", "10", "from the first")
    result = gift(second, "2026-11-22", "20", "from the second")  # sees the first's save, reloads from the cache
    assert result.reloaded
    again = open_cached(ledger_path, tmp_path).books
    assert again.from_cache
    narrations = [e.narration for e in again.transactions()]
    assert narrations.count("from the first") == 1 and narrations.count("from the second") == 1
    same_books(again, fresh_books(ledger_path, tmp_path))


def test_a_torn_append_to_the_entries_file_is_never_read(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    ledger = open_cached(ledger_path, tmp_path)
    gift(ledger, "2026-11-22", "10", "kept")
    with open(cache._entries_path(ledger_path.resolve()), "a", encoding="utf-8") as handle:
        handle.write('["T",[0,9999],740000,"*",null,"half a line')  # a writer killed mid-line
    books = open_cached(ledger_path, tmp_path).books
    assert books.from_cache
    same_books(books, fresh_books(ledger_path, tmp_path))
    gift(open_cached(ledger_path, tmp_path), "2026-11-23", "11", "after the tear")
    same_books(open_cached(ledger_path, tmp_path).books, fresh_books(ledger_path, tmp_path))


def test_a_cache_that_moved_on_is_not_appended_to(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    ledger = open_cached(ledger_path, tmp_path)
    other = open_cached(ledger_path, tmp_path)
    assert other.store_cache()  # a new generation under the same key: the first's state no longer names it
    manifest = cache._manifest_path(ledger_path.resolve())
    payload = json.loads(manifest.read_text())
    payload["key"] = "0" * 64
    manifest.write_text(json.dumps(payload))
    gift(ledger, "2026-11-22", "10", "not appended")
    assert ledger.books.cache_state is None
    assert not open_cached(ledger_path, tmp_path).books.from_cache


def test_posting_columns_are_written_again_when_far_behind(ledger_path, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "COLUMNS_BEHIND", 1)
    warm(ledger_path, tmp_path)
    ledger = open_cached(ledger_path, tmp_path)
    for day in ("2026-11-20", "2026-11-21", "2026-11-22"):
        gift(ledger, day, "5", f"gift {day}")
    state = open_cached(ledger_path, tmp_path).books.cache_state
    assert state.columns_count == state.entry_count - 1  # rewritten at the second save, one appended after
    books = open_cached(ledger_path, tmp_path).books
    assert posting_rows(books) == posting_rows(fresh_books(ledger_path, tmp_path))
    assert not books.entries_loaded


def test_undo_and_a_donor_change_make_the_next_load_fresh_from_the_files(ledger_path, tmp_path):
    warm(ledger_path, tmp_path)
    ledger = open_cached(ledger_path, tmp_path)
    gift(ledger, "2026-11-22", "10", "taken back")
    ledger.undo()
    books = open_cached(ledger_path, tmp_path).books
    assert not books.from_cache
    assert "taken back" not in [e.narration for e in books.transactions()]

    from finsek.ledger.donors import add_donor

    warm(ledger_path, tmp_path)
    ledger = open_cached(ledger_path, tmp_path)
    change = add_donor(ledger_path.parent, {"name": "New Giver"})
    ledger.registry_changed(change.registry)
    assert not ledger.store_cache()  # the plugin's errors may depend on donors.csv: not cached as they were
    assert not open_cached(ledger_path, tmp_path).books.from_cache


@pytest.mark.parametrize("amount", ["0.005", "1e3"])
def test_refused_saves_leave_the_cache_as_it_was(ledger_path, tmp_path, amount):
    warm(ledger_path, tmp_path)
    before = cache._manifest_path(ledger_path.resolve()).read_bytes()
    ledger = open_cached(ledger_path, tmp_path)
    with pytest.raises(Exception):  # noqa: B017 - the builder's refusal, whatever its wording
        gift(ledger, "2026-11-22", amount, "refused")
    assert cache._manifest_path(ledger_path.resolve()).read_bytes() == before


def test_books_of_a_file_written_while_beancount_read_it_are_never_cached(ledger_path, tmp_path, monkeypatch):
    from finsek.ledger import ledger as ledger_module

    real = ledger_module.load_books

    def load_then_someone_writes(path):
        books = real(path)
        with open(ledger_path.parent / "2026.beancount", "a", encoding="utf-8") as handle:
            handle.write("\n; an edit that landed while the load ran\n")
        return books

    monkeypatch.setattr(ledger_module, "load_books", load_then_someone_writes)
    ledger = open_cached(ledger_path, tmp_path)
    assert not ledger.books.from_cache
    assert not ledger.store_cache()
    monkeypatch.setattr(ledger_module, "load_books", real)
    assert not open_cached(ledger_path, tmp_path).books.from_cache


def test_a_ledger_finsek_did_not_make_is_cached_too(tmp_path):
    """One file, no donors.csv, no plugin: a Fava user's ledger."""
    main = tmp_path / "personal.beancount"
    main.write_text(
        'option "title" "Personal"\noption "operating_currency" "USD"\n'
        "2026-01-01 open Assets:Checking USD\n2026-01-01 open Expenses:Food USD\n"
        '2026-02-03 * "Grocer" "Food"\n  Expenses:Food  12.50 USD\n  Assets:Checking\n'
    )
    ledger = Ledger(main, state_dir=tmp_path / "state", use_cache=True)
    assert not ledger.books.from_cache
    assert ledger.store_cache()
    again = Ledger(main, state_dir=tmp_path / "state", use_cache=True).books
    assert again.from_cache and again.balances() == ledger.books.balances()
