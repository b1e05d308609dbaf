"""A batch save (``Ledger.save_many``): all of it or none, one append per year file, one undo step."""

import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from finsek.core.errors import Refused
from finsek.ledger import ledger as ledger_module
from finsek.ledger.books import load_books
from finsek.ledger.entries import (
    BalanceInput,
    GiftInput,
    OfferingInput,
    OfferingLine,
    PaymentInput,
    build_balance,
    build_gift,
    build_offering,
    build_payment,
)
from finsek.ledger.ledger import JOURNAL_NAME, Ledger
from tests.conftest import TODAY, make_ledger
from tests.ledger.test_cache import open_cached, warm
from tests.ledger.test_cache_saves import fresh_books, same_books
from tests.ledger.test_ledger import bean_check


def gift(books, day, amount, memo="", **values):
    return build_gift(books, GiftInput(date=day, amount=amount, memo=memo, **values), today=TODAY)


def payment(books, day, amount, check="", **values):
    values = {"payee": "City Power", "account": "Expenses:Facilities:Utilities", **values}
    return build_payment(books, PaymentInput(date=day, amount=amount, check=check, **values), today=TODAY)


def offering(books, day, amount):
    value = OfferingInput(date=day, counted_by="A, B", total=amount, lines=[OfferingLine(amount)])
    return build_offering(books, value, today=TODAY)


def snapshot(folder: Path) -> dict[Path, bytes]:
    """Every file of the ledger folder, byte for byte (but the lock and the crash journal)."""
    return {
        path.relative_to(folder): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and path.name not in (".finsek.lock", JOURNAL_NAME)
    }


def summary(books):
    return books.balances(), books.fund_balances(), books.transaction_count, len(books.entries)


@pytest.fixture
def two_years(tmp_path) -> Ledger:
    """A ledger begun in 2025 (its accounts open on 2025-01-01): a batch across new year can touch two files."""
    main = make_ledger(tmp_path / "books", today=TODAY.replace(year=2025, month=6))
    return Ledger(main, state_dir=tmp_path / "state")


def across_two_years(books):
    return [
        gift(books, "2025-12-28", "10", "old year one", donor="D0001"),
        gift(books, "2026-01-04", "20", "new year one", fund="building"),
        gift(books, "2025-12-29", "30", "old year two"),
        payment(books, "2026-01-05", "15", check="2001"),
    ]


# -- all or none ------------------------------------------------------------------------


def test_a_batch_saves_every_draft_in_order(ledger):
    drafts = [gift(ledger.books, "2026-11-22", str(n), f"gift {n}") for n in range(1, 6)]
    results = ledger.save_many(drafts)
    assert [result.saved for result in results] == [True] * 5
    lines = results[0].file.read_text().splitlines()
    for n, result in enumerate(results, start=1):
        assert result.draft is drafts[n - 1]
        assert lines[result.lineno - 1] == f'2026-11-22 * "Gift" "gift {n}"'
    fresh = load_books(ledger.main)
    assert summary(ledger.books) == summary(fresh)
    assert {(e.meta["filename"], e.meta["lineno"]) for e in ledger.books.transactions()} == \
        {(e.meta["filename"], e.meta["lineno"]) for e in fresh.transactions()}
    assert bean_check(ledger.main).returncode == 0
    assert ledger.save_many([]) == []


def test_a_refusal_in_the_third_of_five_saves_nothing(ledger):
    books = ledger.books
    drafts = [
        gift(books, "2026-11-02", "100"),
        gift(books, "2026-11-03", "50"),
        # True of the books as loaded (nothing in the bank yet), but not with the two gifts before it.
        build_balance(books, BalanceInput(date="2026-11-09", amount="0"), today=TODAY),
        gift(books, "2026-11-20", "5"),
        gift(books, "2026-11-21", "6"),
    ]
    ledger.save(drafts[2], dry_run=True)  # on its own it passes
    folder = ledger.main.parent
    before, books_before = snapshot(folder), summary(ledger.books)
    with pytest.raises(Refused) as caught:
        ledger.save_many(drafts)
    assert caught.value.field == "amount"
    assert "The books say 150.00 USD" in caught.value.message and "statement says 0.00 USD" in caught.value.message
    assert snapshot(folder) == before
    assert summary(ledger.books) == books_before
    assert ledger.last_undoable() is None


@pytest.mark.parametrize("make", [
    pytest.param(lambda books: [payment(books, "2026-11-20", "10", check="1043"),
                                payment(books, "2026-11-21", "12", check="1043", payee="Water Co")],
                 id="same-check-number"),
    pytest.param(lambda books: [offering(books, "2026-11-22", "100"), offering(books, "2026-11-22", "80")],
                 id="same-offering-link"),
])
def test_two_drafts_that_conflict_with_each_other_are_refused(ledger, make):
    drafts = make(ledger.books)
    for draft in drafts:
        ledger.check(draft)  # each passes on its own
    folder = ledger.main.parent
    before = snapshot(folder)
    for dry_run in (True, False):
        with pytest.raises(Refused) as caught:
            ledger.save_many(drafts, dry_run=dry_run)
        assert caught.value.field in ("check", "link")
        assert snapshot(folder) == before
    ledger.save(drafts[0])
    with pytest.raises(Refused):  # and against the books, once the first is saved
        ledger.save(drafts[1])


def test_a_dry_run_checks_the_batch_and_writes_nothing(ledger):
    folder = ledger.main.parent
    before = snapshot(folder)
    drafts = [gift(ledger.books, "2026-11-22", "1"), gift(ledger.books, "2026-11-23", "2")]
    results = ledger.save_many(drafts, dry_run=True)
    assert [(r.saved, r.file, r.lineno) for r in results] == [(False, None, None)] * 2
    assert snapshot(folder) == before
    assert ledger.last_undoable() is None


def test_an_edit_behind_finseks_back_is_read_and_the_batch_checked_again(ledger):
    drafts = [payment(ledger.books, "2026-11-20", "10", check="1043"), gift(ledger.books, "2026-11-21", "3")]
    year = ledger.main.parent / "2026.beancount"
    with open(year, "a") as handle:
        handle.write('\n2026-11-10 * "Typed by hand"\n  check: "1043"\n'
                     "  Expenses:Facilities:Utilities  7.00 USD\n  Assets:Bank:Checking  -7.00 USD\n")
    edited = year.read_bytes()
    with pytest.raises(Refused) as caught:
        ledger.save_many(drafts)
    assert caught.value.field == "check" and "already in the books" in caught.value.message
    assert year.read_bytes() == edited


# -- one append per year file, one journal record ------------------------------------------


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="maps written descriptors to files through /proc")
def test_a_batch_across_two_years_appends_each_year_file_once(two_years, monkeypatch):
    folder = two_years.main.parent
    assert not (folder / "2026.beancount").exists()
    drafts = across_two_years(two_years.books)
    writes: list[tuple[str, bytes]] = []
    real_write = os.write

    def counting_write(fd, data):
        writes.append((os.readlink(f"/proc/self/fd/{fd}"), bytes(data)))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", counting_write)
    results = two_years.save_many(drafts)
    monkeypatch.undo()

    appended = [Path(name).name for name, _ in writes if name.endswith(".beancount")]
    assert sorted(appended) == ["2025.beancount", "2026.beancount"]
    journal = [json.loads(data) for name, data in writes if name.endswith(JOURNAL_NAME)]
    assert len(journal) == 1
    assert [Path(item["file"]).name for item in journal[0]["appends"]] == ["2025.beancount", "2026.beancount"]
    assert not (folder / JOURNAL_NAME).exists()

    assert [r.file.name for r in results] == ["2025.beancount", "2026.beancount", "2025.beancount", "2026.beancount"]
    old = (folder / "2025.beancount").read_text()
    assert old.index("old year one") < old.index("old year two")  # in the batch's order
    assert 'include "2026.beancount"' in two_years.main.read_text()
    for result in results:
        assert result.file.read_text().splitlines()[result.lineno - 1].startswith(result.draft.text.splitlines()[0])
    assert summary(two_years.books) == summary(load_books(two_years.main))
    assert bean_check(two_years.main).returncode == 0


def test_one_undo_takes_the_whole_batch_back(two_years):
    two_years.save(gift(two_years.books, "2026-01-02", "1", "before the batch"))  # 2026.beancount exists now
    folder = two_years.main.parent
    before, books_before = snapshot(folder), summary(two_years.books)
    two_years.save_many(across_two_years(two_years.books))
    record = two_years.last_undoable()
    assert record.kind == "batch" and record.summary.startswith("4 entries saved together (gift of 10.00 USD")
    assert [Path(file).name for file, *_ in record.appends()] == ["2025.beancount", "2026.beancount"]
    assert two_years.undo() == record
    assert snapshot(folder) == before
    assert summary(two_years.books) == books_before == summary(load_books(two_years.main))
    assert two_years.last_undoable().summary.startswith("gift of 1.00 USD")  # the save before it is next


def test_undo_of_a_batch_refuses_when_any_of_its_files_was_edited_after(two_years):
    two_years.save(gift(two_years.books, "2026-01-02", "1"))
    two_years.save_many(across_two_years(two_years.books))
    with open(two_years.main.parent / "2026.beancount", "a") as handle:
        handle.write("\n; a note added by hand\n")
    folder = two_years.main.parent
    before = snapshot(folder)
    with pytest.raises(Refused, match=r"no longer the last thing in 2026\.beancount"):
        two_years.undo()
    assert snapshot(folder) == before


def test_undo_records_written_before_batches_still_load_and_undo(ledger):
    ledger.save(gift(ledger.books, "2026-11-22", "4", "old style"))
    path = ledger._undo_path()
    saved = json.loads(path.read_text())
    assert "parts" not in saved[0]  # a one-file save writes the record as before
    path.write_text(json.dumps([{k: v for k, v in item.items() if k != "parts"} for item in saved]))
    record = ledger.last_undoable()
    assert record.parts == () and record.appends() == [(record.file, record.offset, record.text, record.sha_after)]
    ledger.undo()
    assert "old style" not in (ledger.main.parent / "2026.beancount").read_text()


def test_a_batch_is_one_git_commit(ledger_path, tmp_path, monkeypatch):
    folder = ledger_path.parent
    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(key, "T")
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, "t@example.org")
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    subprocess.run(["git", "add", "-A"], cwd=folder, check=True)
    subprocess.run(["git", "commit", "-qm", "start"], cwd=folder, check=True)
    ledger = Ledger(ledger_path, git_autocommit=True, state_dir=tmp_path / "state")
    results = ledger.save_many([gift(ledger.books, "2026-11-22", str(n)) for n in (1, 2, 3)])
    assert {result.note for result in results} == {"Committed to git."}
    log = subprocess.run(["git", "log", "--format=%s"], cwd=folder, capture_output=True, text=True).stdout
    assert log.splitlines()[0].startswith("finsek: 3 gifts saved together (gift of 1.00 USD")
    assert len(log.splitlines()) == 2


# -- failures and crashes ------------------------------------------------------------------


@pytest.mark.parametrize("error", [
    pytest.param(OSError(errno.ENOSPC, "No space left on device"), id="disk-full"),
    pytest.param(OSError(errno.EIO, "Input/output error"), id="io-error"),
])
@pytest.mark.parametrize("new_year_file", [True, False], ids=["new-year-file", "existing-year-files"])
def test_a_failure_on_the_second_files_append_leaves_every_file_as_it_was(
    two_years, monkeypatch, tmp_path, error, new_year_file
):
    if not new_year_file:
        two_years.save(gift(two_years.books, "2026-01-02", "1"))
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    drafts = [*across_two_years(two_years.books),
              payment(two_years.books, "2025-12-30", "8", receipt=str(receipt), payee="Hardware Store")]
    folder = two_years.main.parent
    before, books_before = snapshot(folder), summary(two_years.books)
    undo_before = two_years.undo_records()
    calls = []
    real = ledger_module._write_all

    def failing(fd, content):
        calls.append(len(content))
        if len(calls) == 3:  # the journal, the first year file, then half of the second
            real(fd, content[: len(content) // 2])
            raise error
        real(fd, content)

    monkeypatch.setattr(ledger_module, "_write_all", failing)
    with pytest.raises(Refused) as caught:
        two_years.save_many(drafts)
    monkeypatch.undo()
    if error.errno == errno.ENOSPC:
        assert caught.value.message == "The disk is full: nothing was saved; free some space, then save again."
    else:
        assert "Input/output error" in caught.value.message and "nothing was saved" in caught.value.message
    assert "\n" not in caught.value.message
    assert snapshot(folder) == before  # the first file cut back, the receipt removed, no new year file
    assert summary(two_years.books) == books_before
    assert two_years.undo_records() == undo_before
    assert not two_years.changed_on_disk()
    assert not (folder / JOURNAL_NAME).exists()
    results = two_years.save_many(drafts)  # the same batch, once the disk has room again
    assert all(result.saved for result in results)
    assert summary(two_years.books) == summary(load_books(two_years.main))
    assert bean_check(two_years.main).returncode == 0


CRASH = textwrap.dedent(
    """
    import os, sys, datetime as dt
    from finsek.ledger import ledger as ledger_module
    from finsek.ledger.entries import GiftInput, build_gift
    main, state, stop = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ledger = ledger_module.Ledger(main, state_dir=state)
    today = dt.date(2026, 11, 27)
    drafts = [build_gift(ledger.books, GiftInput(date=day, amount="5", memo=day), today=today)
              for day in ("2025-12-28", "2026-01-04", "2025-12-29")]
    calls = []
    real = ledger_module._write_all

    def crashing(fd, content):
        calls.append(fd)
        if len(calls) == stop:  # power cut half-way through this write
            real(fd, content[: len(content) // 2])
            os._exit(9)
        real(fd, content)

    ledger_module._write_all = crashing
    ledger.save_many(drafts)
    """
)


@pytest.mark.parametrize("stop", [2, 3], ids=["in-the-first-file", "in-the-second-file"])
def test_a_crash_in_a_batch_is_cut_back_to_before_it_by_the_next_load(two_years, tmp_path, stop):
    two_years.save(gift(two_years.books, "2026-01-02", "1"))  # both year files exist
    folder = two_years.main.parent
    before = snapshot(folder)
    script = tmp_path / "crash.py"
    script.write_text(CRASH)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    proc = subprocess.run([sys.executable, str(script), str(two_years.main), str(tmp_path / "s"), str(stop)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr
    assert (folder / JOURNAL_NAME).exists()
    assert snapshot(folder) != before
    books = Ledger(two_years.main, state_dir=tmp_path / "after").books
    assert not books.errors
    assert snapshot(folder) == before
    assert not (folder / JOURNAL_NAME).exists()


def write_journal(folder: Path, appends: list[tuple[Path, int, str]]) -> None:
    record = {"appends": [{"file": str(path), "size": size, "text": text} for path, size, text in appends]}
    (folder / JOURNAL_NAME).write_text(json.dumps(record))


ENTRY_2025 = '\n2025-12-28 * "Gift" "a"\n  Assets:Bank:Checking  5.00 USD\n  Income:Interest  -5.00 USD\n'
ENTRY_2026 = '\n2026-01-04 * "Gift" "b"\n  Assets:Bank:Checking  6.00 USD\n  Income:Interest  -6.00 USD\n'


def journalled_batch(two_years, first: str, second: str):
    """Two year files after a crash: ``first`` and ``second`` of their journalled texts written; the journal."""
    two_years.save(gift(two_years.books, "2026-01-02", "1"))
    folder = two_years.main.parent
    old, new = folder / "2025.beancount", folder / "2026.beancount"
    sizes = {old: old.stat().st_size, new: new.stat().st_size}
    before = snapshot(folder)
    for path, text in ((old, first), (new, second)):
        with open(path, "a") as handle:
            handle.write(text)
    write_journal(folder, [(old, sizes[old], ENTRY_2025), (new, sizes[new], ENTRY_2026)])
    return folder, before


def test_a_batch_journal_keeps_a_batch_that_was_written_whole(two_years, tmp_path):
    folder, before = journalled_batch(two_years, ENTRY_2025, ENTRY_2026)
    written = snapshot(folder)
    assert not Ledger(two_years.main, state_dir=tmp_path / "after").books.errors
    assert snapshot(folder) == written != before


def test_a_batch_journal_never_cuts_someone_elses_edit(two_years, tmp_path):
    edit = "\n; typed by hand after the crash\n"
    folder, _ = journalled_batch(two_years, ENTRY_2025, ENTRY_2026[:20] + edit)
    written = snapshot(folder)
    assert Ledger(two_years.main, state_dir=tmp_path / "after").books is not None
    assert snapshot(folder) == written  # an edit in one file: nothing whole is cut anywhere
    assert not (folder / JOURNAL_NAME).exists()


def test_a_batch_journal_cuts_a_part_even_beside_an_edit(two_years, tmp_path):
    folder, before = journalled_batch(two_years, ENTRY_2025[:25], ENTRY_2026 + "; by hand\n")
    edited = (folder / "2026.beancount").read_bytes()
    assert Ledger(two_years.main, state_dir=tmp_path / "after").books is not None
    assert (folder / "2025.beancount").read_bytes() == before[Path("2025.beancount")]
    assert (folder / "2026.beancount").read_bytes() == edited


# -- the books cache -----------------------------------------------------------------------


def test_the_cache_after_a_batch_is_a_fresh_load(two_years, tmp_path):
    main = two_years.main
    warm(main, tmp_path)
    ledger = open_cached(main, tmp_path)
    assert ledger.books.from_cache
    ledger.save_many([*across_two_years(ledger.books), gift(ledger.books, "2026-01-06", "7", "last")])
    assert ledger.books.cache_state is not None
    again = open_cached(main, tmp_path)
    assert again.books.from_cache
    same_books(again.books, fresh_books(main, tmp_path))
    assert [e.date for e in again.books.entries] == sorted(e.date for e in again.books.entries)
