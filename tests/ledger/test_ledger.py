"""The write path: locking, atomicity, edits behind finsek's back, undo, git."""

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from finsek.core.errors import Refused
from finsek.ledger.books import load_books
from finsek.ledger.entries import BalanceInput, GiftInput, build_balance, build_gift
from finsek.ledger.ledger import Ledger
from tests.conftest import TODAY, make_ledger


def bean_check(main):
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "bean-check"), str(main)], capture_output=True, text=True
    )


def save_gift(ledger, amount="100", date="2026-11-22", **values):
    return ledger.save(build_gift(ledger.books, GiftInput(date=date, amount=amount, **values), today=TODAY))


def test_save_appends_and_updates_books_like_a_fresh_load(ledger):
    result = save_gift(ledger, "12.34", donor="D0001")
    assert result.saved and not result.reloaded
    lines = result.file.read_text().splitlines()
    assert lines[result.lineno - 1].startswith('2026-11-22 * "Gift"')
    fresh = load_books(ledger.main)
    assert ledger.books.balances() == fresh.balances()
    assert ledger.books.fund_balances() == fresh.fund_balances()
    assert len(ledger.books.entries) == len(fresh.entries)
    assert bean_check(ledger.main).returncode == 0


def test_dry_run_writes_nothing(ledger):
    before = (ledger.main.parent / "2026.beancount").read_bytes()
    draft = build_gift(ledger.books, GiftInput(date="2026-11-22", amount="5"), today=TODAY)
    result = ledger.save(draft, dry_run=True)
    assert not result.saved
    assert (ledger.main.parent / "2026.beancount").read_bytes() == before


def test_new_year_file_is_created_and_included(tmp_path):
    main = make_ledger(tmp_path / "books", today=TODAY.replace(year=2025, month=6))
    ledger = Ledger(main, state_dir=tmp_path / "state")
    assert not (tmp_path / "books/2026.beancount").exists()
    result = save_gift(ledger, date="2026-11-02")
    assert result.file == tmp_path / "books/2026.beancount"
    assert 'include "2026.beancount"' in main.read_text()
    assert bean_check(main).returncode == 0
    assert load_books(main).account_balance("Assets:Bank:Checking") == 100


def test_file_mode_is_kept(ledger):
    year = ledger.main.parent / "2026.beancount"
    os.chmod(year, 0o640)
    save_gift(ledger)
    assert stat.S_IMODE(os.stat(year).st_mode) == 0o640


def test_new_ledger_is_private(ledger_path):
    folder = ledger_path.parent
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(folder / "donors.csv").st_mode) == 0o600


def test_init_refuses_an_existing_ledger(ledger_path):
    from finsek.ledger.template import create_ledger

    before = ledger_path.read_bytes()
    with pytest.raises(Refused, match="never overwrites"):
        create_ledger(ledger_path.parent, "Other Church")
    assert ledger_path.read_bytes() == before


def test_edit_behind_finseks_back_is_kept_and_revalidated(ledger):
    assert ledger.books  # loaded
    year = ledger.main.parent / "2026.beancount"
    with open(year, "a") as handle:
        handle.write('\n2026-11-20 * "Edited in a text editor"\n  Assets:Bank:Checking  7.00 USD\n'
                     '  Income:Interest  -7.00 USD\n')
    result = save_gift(ledger, "3")
    assert result.reloaded
    assert "reloaded" in result.note
    text = year.read_text()
    assert "Edited in a text editor" in text and '"Gift"' in text
    assert ledger.books.account_balance("Assets:Bank:Checking") == 10


def test_edit_behind_back_that_conflicts_refuses_the_save(ledger):
    assert ledger.books
    with open(ledger.main.parent / "2026.beancount", "a") as handle:
        handle.write("\n2026-11-25 balance Assets:Bank:Checking 0.00 USD\n")
    before = (ledger.main.parent / "2026.beancount").read_bytes()
    with pytest.raises(Refused, match="confirmed against the statement"):
        save_gift(ledger, "3", date="2026-11-20")
    assert (ledger.main.parent / "2026.beancount").read_bytes() == before


def test_undo_takes_back_exactly_the_last_entry(ledger):
    year = ledger.main.parent / "2026.beancount"
    save_gift(ledger, "1")
    before = year.read_bytes()
    save_gift(ledger, "2", fund="building")
    record = ledger.undo()
    assert "2.00 USD" in record.summary
    assert year.read_bytes() == before
    assert ledger.books.fund_balances() == load_books(ledger.main).fund_balances()
    ledger.undo()
    assert "Gift" not in year.read_text()
    with pytest.raises(Refused, match="no saved entry"):
        ledger.undo()


def test_undo_refuses_after_someone_else_edited(ledger):
    save_gift(ledger, "1")
    year = ledger.main.parent / "2026.beancount"
    with open(year, "a") as handle:
        handle.write("\n; a note added by hand\n")
    before = year.read_bytes()
    with pytest.raises(Refused, match="Reverse it from the journal"):
        ledger.undo()
    assert year.read_bytes() == before


def test_undo_session_only(ledger, tmp_path):
    save_gift(ledger, "1")
    other = Ledger(ledger.main, state_dir=tmp_path / "state")
    assert other.last_undoable(session_only=True) is None
    with pytest.raises(Refused, match="in this session"):
        other.undo(session_only=True)
    assert other.undo().summary.startswith("gift of 1.00")


def test_git_autocommit(ledger_path, tmp_path):
    folder = ledger_path.parent
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    os.environ.update({k: v for k, v in env.items() if k.startswith("GIT_")})
    try:
        subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
        subprocess.run(["git", "add", "-A"], cwd=folder, check=True)
        subprocess.run(["git", "commit", "-qm", "start"], cwd=folder, check=True)
        ledger = Ledger(ledger_path, git_autocommit=True, state_dir=tmp_path / "state")
        result = save_gift(ledger, "42", donor="D0001")
        assert result.note == "Committed to git."
        log = subprocess.run(["git", "log", "--format=%s"], cwd=folder, capture_output=True, text=True).stdout
        assert log.splitlines()[0] == "finsek: gift of 42.00 USD from D0001 to general on 2026-11-22"
        status = subprocess.run(["git", "status", "--porcelain"], cwd=folder, capture_output=True, text=True).stdout
        assert "2026.beancount" not in status
    finally:
        for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
            os.environ.pop(key, None)


WRITER = textwrap.dedent(
    """
    import sys, datetime as dt
    from finsek.ledger.ledger import Ledger
    from finsek.ledger.entries import GiftInput, build_gift
    main, tag, count, state = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    ledger = Ledger(main, state_dir=state)
    for n in range(count):
        draft = build_gift(ledger.books, GiftInput(date="2026-11-22", amount=f"{tag}.{n:02d}", memo=f"w{tag}-{n}"),
                           today=dt.date(2026, 11, 27))
        ledger.save(draft)
        print(f"saved w{tag}-{n}", flush=True)
    """
)


def test_four_processes_saving_at_once_lose_nothing(ledger_path, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    procs = [
        subprocess.Popen([sys.executable, str(script), str(ledger_path), str(tag), "6", str(tmp_path / f"s{tag}")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for tag in range(1, 5)
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    books = load_books(ledger_path)
    assert not books.errors
    memos = sorted(e.narration for e in books.transactions())
    assert memos == sorted(f"w{tag}-{n}" for tag in range(1, 5) for n in range(6))
    assert bean_check(ledger_path).returncode == 0


def test_writer_killed_at_random_moments_leaves_whole_entries(ledger_path, tmp_path):
    import random

    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    rng = random.Random(7)
    reported = []
    for round_number in range(6):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(ledger_path), str(round_number + 1), "200", str(tmp_path / "s")],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
        )
        first = proc.stdout.readline()
        if first:
            reported.append(first.split()[1])
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()
        reported.extend(line.split()[1] for line in rest.splitlines() if line.startswith("saved"))
        books = load_books(ledger_path)
        assert not books.errors, books.errors[:3]
        written = {e.narration for e in books.transactions()}
        assert set(reported) <= written
        leftovers = [p for p in ledger_path.parent.iterdir() if p.name.endswith(".finsek-tmp")]
        for leftover in leftovers:
            leftover.unlink()
    assert bean_check(ledger_path).returncode == 0


def test_a_save_waits_for_the_lock_then_says_who_holds_it(ledger, monkeypatch):
    from finsek.core.errors import LockBusy
    from finsek.ledger import lock

    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from finsek.ledger.lock import ledger_lock
            with ledger_lock({str(ledger.main.parent)!r}) as held:
                held.announce()
                print("held", flush=True)
                time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        real = lock.ledger_lock
        monkeypatch.setattr("finsek.ledger.ledger.ledger_lock", lambda root: real(root, timeout=0.3))
        before = (ledger.main.parent / "2026.beancount").read_bytes()
        with pytest.raises(LockBusy, match=r"being saved by .* \(process \d+\)"):
            save_gift(ledger)
        assert (ledger.main.parent / "2026.beancount").read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    save_gift(ledger)


def test_balance_assertion_round_trip(ledger):
    save_gift(ledger, "50", date="2026-11-02")
    ledger.save(build_balance(ledger.books, BalanceInput(date="2026-11-10", amount="50"), today=TODAY))
    assert ledger.books.last_assertion("Assets:Bank:Checking").amount == 50
    assert bean_check(ledger.main).returncode == 0


def _journal(ledger, target, size, text):
    import json

    (ledger.main.parent / ".finsek-journal").write_text(json.dumps({"file": str(target), "size": size, "text": text}))


def test_a_half_written_append_is_cut_off_on_next_open(ledger_path, tmp_path):
    year = ledger_path.parent / "2026.beancount"
    before = year.read_bytes()
    entry = '\n2026-11-22 * "Gift" "cut"\n  Assets:Bank:Checking  5.00 USD\n  Income:Interest  -5.00 USD\n'
    with open(year, "ab") as handle:
        handle.write(entry.encode()[:30])
    _journal(Ledger(ledger_path), year, len(before), entry)
    ledger = Ledger(ledger_path, state_dir=tmp_path / "state")
    assert not ledger.books.errors
    assert year.read_bytes() == before
    assert not (ledger_path.parent / ".finsek-journal").exists()


def test_a_stale_journal_never_cuts_someone_elses_edit(ledger_path, tmp_path):
    year = ledger_path.parent / "2026.beancount"
    before = year.read_bytes()
    with open(year, "a") as handle:
        handle.write("\n; typed by hand after a crash\n")
    edited = year.read_bytes()
    _journal(Ledger(ledger_path), year, len(before), '\n2026-11-22 * "Gift" "lost"\n')
    assert Ledger(ledger_path, state_dir=tmp_path / "state").books is not None
    assert year.read_bytes() == edited


def test_touching_a_file_is_not_a_change(ledger):
    assert ledger.books
    os.utime(ledger.main.parent / "2026.beancount")
    assert not save_gift(ledger).reloaded


def test_a_crash_journal_naming_a_file_outside_the_ledger_cuts_nothing(ledger_path, tmp_path):
    import json

    from finsek.ledger.ledger import JOURNAL_NAME

    victim = tmp_path / "elsewhere.beancount"
    victim.write_text("precious\n" * 10)
    sibling = ledger_path.parent / "notes.txt"
    sibling.write_text("also precious\n")
    for name in (str(victim), "../elsewhere.beancount", "notes.txt", "donors.csv"):
        (ledger_path.parent / JOURNAL_NAME).write_text(json.dumps({"file": name, "size": 3, "text": "precious\n"}))
        ledger = Ledger(ledger_path, state_dir=tmp_path / "state")
        assert ledger.books.transaction_count >= 0
        assert "names a file outside" in " ".join(ledger.warnings)
        assert not (ledger_path.parent / JOURNAL_NAME).exists()
    assert victim.read_text() == "precious\n" * 10 and sibling.read_text() == "also precious\n"


def test_a_crash_journal_names_its_file_relative_to_the_ledger(ledger_path, tmp_path, monkeypatch):
    import json

    from finsek.ledger import ledger as ledger_module
    from finsek.ledger.entries import GiftInput, build_gift

    seen = []
    real = ledger_module.os.write

    def spy(fd, data):
        if b'"appends"' in bytes(data):
            seen.append(json.loads(bytes(data)))
        return real(fd, data)

    monkeypatch.setattr(ledger_module.os, "write", spy)
    ledger = Ledger(ledger_path, state_dir=tmp_path / "state")
    ledger.save(build_gift(ledger.books, GiftInput(date="2026-11-20", amount="5"), today=TODAY))
    assert [item["file"] for item in seen[0]["appends"]] == ["2026.beancount"]


def test_temporary_files_a_kill_left_are_removed_at_the_next_open(ledger_path, tmp_path):
    """A save killed between writing a temp file and renaming it leaves ``.NAME.XXXX.finsek-tmp`` (with a donor's
    address, for donors.csv): the next open removes it under the lock, and only finsek's own temp files."""
    state = tmp_path / "state"
    first = Ledger(ledger_path, state_dir=state)
    save_gift(first)  # an undo record exists
    undo_file = first._undo_path()
    donors_left = ledger_path.parent / ".donors.csv.k2j3h4.finsek-tmp"
    donors_left.write_text("D0009,Secret Person,,Hidden Road 1\n")
    undo_left = undo_file.parent / f".{undo_file.name}.x8y9.finsek-tmp"
    undo_left.write_text("[]")
    other_ledgers = undo_file.parent / ".0123456789abcdef01234567.json.zz.finsek-tmp"
    other_ledgers.write_text("[]")  # another ledger's save may be writing it right now: not ours to remove
    users_own = ledger_path.parent / "notes.finsek-tmp.txt"
    users_own.write_text("mine")
    ledger = Ledger(ledger_path, state_dir=state)
    ledger.load()
    assert not donors_left.exists() and not undo_left.exists()
    assert other_ledgers.exists() and users_own.exists()
    assert any("temporary file" in warning for warning in ledger.warnings)
    assert save_gift(ledger, "7").saved
