"""The audit's memo: a second audit of unchanged warm books answers from it, anything else does not."""

import datetime as dt
import json
import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest

from finsek.audit import engine, memo
from finsek.audit.checks.settings import AuditSettings
from finsek.cli.main import build_parser, run
from finsek.ledger import cache
from finsek.ledger.books import main_file
from finsek.ledger.ledger import Ledger
from tests.audit.conftest import TODAY, append, edit, finsek, git

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

#: A payment without a receipt (a warning) and a check number used twice (an error: exit status 1).
PROBLEMS = """
2026-11-05 * "Hilltop Hardware" "Repair supplies"
  check: "1002"
  Expenses:Facilities:Maintenance  160.00 USD
  Assets:Bank:Checking  -160.00 USD
"""


def warm(main: Path) -> None:
    """Leave the books in finsek's cache, as a first command does."""
    assert Ledger(main, use_cache=True).store_cache()
    assert cache.fetch_books(main_file(main)) is not None


class Audits:
    """Counts the audits really run; ``refuse()`` makes the next one fail (so only the memo can answer)."""

    def __init__(self, monkeypatch):
        self.count = 0
        self.refusing = False
        real = engine.run_audit

        def run_audit(*args, **kwargs):
            if self.refusing:
                raise AssertionError("the audit ran: the memo was not used")
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(engine, "run_audit", run_audit)

    def refuse(self) -> None:
        self.refusing = True


@pytest.fixture
def audits(monkeypatch) -> Audits:
    return Audits(monkeypatch)


@pytest.fixture
def warm_books(books) -> Path:
    append(books.parent / "2026.beancount", PROBLEMS)
    warm(books)
    return books


def memos(main: Path) -> list[Path]:
    return sorted(memo.memo_folder().glob("*.audit.*.json"))


def run_twice(capsys, audits, *args, today=TODAY, changed=None):
    """``finsek audit ARGS`` twice: (first, second) as (exit status, output); ``changed`` runs between."""
    first = finsek(capsys, "audit", *args, today=today)
    if changed is not None:
        changed()
    second = finsek(capsys, "audit", *args, today=today)
    return first[:2], second[:2]


# --------------------------------------------------------------------------- answered from the memo


@pytest.mark.parametrize("formats", [["--format", "text"], ["--format", "md"], ["--format", "json"],
                                     ["--severity", "error"], ["--from", "2026-10-01", "--to", "2026-10-31"]])
def test_a_second_audit_of_unchanged_warm_books_answers_from_the_memo(warm_books, capsys, audits, formats):
    first = finsek(capsys, "audit", "--ledger", warm_books, *formats)
    assert audits.count == 1 and len(memos(warm_books)) == 1
    audits.refuse()
    second = finsek(capsys, "audit", "--ledger", warm_books, *formats)
    assert second[:2] == first[:2]
    assert first[0] == (1 if "--from" not in formats else 0)
    assert ("Check 1002" in first[1]) == ("--from" not in formats)


def test_the_memo_is_json_private_to_the_user_next_to_the_books_cache(warm_books, capsys, audits):
    finsek(capsys, "audit", "--ledger", warm_books)
    [path] = memos(warm_books)
    assert path.parent == cache.cache_dir() / "books"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["format"] == memo.FORMAT and path.name.endswith(f".audit.{payload['key']}.json")
    assert payload["result"]["counts"] == {"error": 1, "warning": 1, "note": 0}
    receipts = [name for name in payload["looked_for"] if name.endswith(".pdf")]
    assert receipts and all(payload["looked_for"][name] for name in receipts)


def test_the_app_asks_the_memo_first(warm_books, audits):
    from finsek.tui.views.audit_list import audit_books

    books = Ledger(warm_books, use_cache=True).books
    first = audit_books(books, TODAY, elsewhere=False)
    assert audits.count == 1 and len(memos(warm_books)) == 1
    audits.refuse()
    again = audit_books(Ledger(warm_books, use_cache=True).books, TODAY, elsewhere=False)
    assert again.result == first.result and again.arranged == first.arranged


def test_a_hit_reads_no_entry(warm_books, audits):
    memo.audit(Ledger(warm_books, use_cache=True).books, today=TODAY)
    books = Ledger(warm_books, use_cache=True).books
    audits.refuse()
    assert memo.audit(books, today=TODAY).has_errors
    assert not books.entries_loaded


def test_the_apps_child_remembers_what_it_audits(warm_books):
    from finsek.audit.background import audit_elsewhere

    books = Ledger(warm_books, use_cache=True).books
    assert audit_elsewhere(books, TODAY) is not None
    assert len(memos(warm_books)) == 1
    assert memo.recall(books, today=TODAY) == audit_elsewhere(books, TODAY)


# --------------------------------------------------------------------------- not answered from the memo


def test_not_after_a_save(warm_books, capsys, audits):
    def save():
        args = ["gift", "--ledger", str(warm_books), "--date", "2026-11-20", "--amount", "5", "--method", "cash"]
        assert run(build_parser().parse_args(args)) == 0, capsys.readouterr().err
        capsys.readouterr()
        assert cache.fetch_books(main_file(warm_books)) is not None  # still warm: the save kept the cache

    first, second = run_twice(capsys, audits, "--ledger", warm_books, changed=save)
    assert audits.count == 2 and first == second  # a cash gift of 5.00 changes no finding
    assert len(memos(warm_books)) == 2


def test_not_after_an_edit_behind_finseks_back(warm_books, capsys, audits):
    def edited():
        edit(warm_books.parent / "2026.beancount", "160.00 USD", "170.00 USD", count=2)

    first, second = run_twice(capsys, audits, "--ledger", warm_books, changed=edited)
    assert audits.count == 2 and "160.00 USD" in first[1] and "170.00 USD" in second[1]


def test_not_for_books_that_changed_on_disk_since_they_were_read(warm_books, audits):
    books = Ledger(warm_books, use_cache=True).books
    memo.audit(books, today=TODAY)
    append(warm_books.parent / "2026.beancount", "; a comment\n")
    assert memo.memo_key(books, None, None, today=TODAY, git=True) is None
    memo.audit(books, today=TODAY)
    assert audits.count == 2


def test_not_on_another_day_or_for_another_period_or_git(warm_books, capsys, audits):
    finsek(capsys, "audit", "--ledger", warm_books)
    finsek(capsys, "audit", "--ledger", warm_books, today=TODAY + dt.timedelta(days=1))
    finsek(capsys, "audit", "--ledger", warm_books, "--from", "2026-10-01")
    finsek(capsys, "audit", "--ledger", warm_books, "--to", "2026-11-20")
    finsek(capsys, "audit", "--ledger", warm_books, "--no-git")
    assert audits.count == 5
    assert len(memos(warm_books)) == memo.KEEP  # the latest few only


def test_not_when_the_audit_settings_change(warm_books, capsys, audits):
    def stricter():
        append(warm_books.parent / "accounts.beancount", '2026-01-01 custom "finsek" "receipt-threshold" 200 USD\n')
        warm(warm_books)

    first, second = run_twice(capsys, audits, "--ledger", warm_books, changed=stricter)
    assert audits.count == 2 and "no receipt" in first[1] and "no receipt" not in second[1]


def test_the_key_covers_the_settings_and_the_code(warm_books, monkeypatch):
    books = Ledger(warm_books, use_cache=True).books
    key = memo.memo_key(books, None, None, today=TODAY, git=True)
    assert key == memo.memo_key(books, None, None, today=TODAY, git=True)
    monkeypatch.setattr(memo, "audit_settings", lambda *args: AuditSettings(duplicate_days=9))
    other_settings = memo.memo_key(books, None, None, today=TODAY, git=True)
    monkeypatch.undo()
    monkeypatch.setattr(memo, "code_digest", lambda: "other code")
    other_code = memo.memo_key(books, None, None, today=TODAY, git=True)
    assert len({key, other_settings, other_code}) == 3


def test_not_when_a_receipt_appears_or_goes(warm_books, capsys, audits):
    receipt = warm_books.parent / "documents/2026/2026-10-12-roof.pdf"
    first, second = run_twice(capsys, audits, "--ledger", warm_books, changed=receipt.unlink)
    assert audits.count == 2 and "2026-10-12-roof.pdf" in second[1] and "2026-10-12-roof.pdf" not in first[1]
    receipt.write_bytes(b"%PDF-1.4 receipt\n")
    assert finsek(capsys, "audit", "--ledger", warm_books)[:2] == first
    assert audits.count == 3


def test_not_for_books_the_cache_does_not_hold(books, capsys, audits):
    finsek(capsys, "audit", "--ledger", books)
    finsek(capsys, "audit", "--ledger", books)  # in tests no background writer leaves the cache behind
    assert audits.count == 2 and memos(books) == []


@needs_git
def test_not_after_a_git_commit_or_add(warm_books, capsys, audits):
    folder = warm_books.parent
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "books")
    finsek(capsys, "audit", "--ledger", warm_books)
    finsek(capsys, "audit", "--ledger", warm_books)
    assert audits.count == 1
    git(folder, "commit", "-q", "--allow-empty", "-m", "nothing")
    finsek(capsys, "audit", "--ledger", warm_books)
    assert audits.count == 2
    (folder / "2027.beancount").write_text("")  # not one of the ledger's files: git status of those is the same
    finsek(capsys, "audit", "--ledger", warm_books)
    assert audits.count == 2
    git(folder, "rm", "-q", "--cached", "accounts.beancount")  # ... but git sees it untracked now
    finsek(capsys, "audit", "--ledger", warm_books)
    assert audits.count == 3


@needs_git
def test_without_git_a_commit_does_not_matter(warm_books, capsys, audits):
    folder = warm_books.parent
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "books")
    finsek(capsys, "audit", "--ledger", warm_books, "--no-git")
    git(folder, "commit", "-q", "--allow-empty", "-m", "nothing")
    audits.refuse()
    assert finsek(capsys, "audit", "--ledger", warm_books, "--no-git")[0] == 1


def test_a_result_seen_while_the_books_changed_is_not_remembered(warm_books, audits, monkeypatch):
    ledger = Ledger(warm_books, use_cache=True)
    books = ledger.books
    real = engine.run_audit

    def audit_while_saving(*args, **kwargs):
        result = real(*args, **kwargs)
        from finsek.ledger.entries import GiftInput, build_gift

        ledger.save(build_gift(books, GiftInput(date="2026-11-20", amount="5"), today=TODAY))
        return result

    monkeypatch.setattr(engine, "run_audit", audit_while_saving)
    memo.audit(books, today=TODAY)
    assert memos(warm_books) == []


# --------------------------------------------------------------------------- damaged, foreign, pickle


def test_a_damaged_memo_is_ignored(warm_books, capsys, audits):
    first = finsek(capsys, "audit", "--ledger", warm_books)[:2]
    [path] = memos(warm_books)
    good = path.read_text(encoding="utf-8")
    for damage in (good[: len(good) // 2], "[]", "null", good.replace('"error"', '"fatal"'),
                   good.replace('"approval_threshold":"500.00"', '"approval_threshold":"lots"'),
                   good.replace(f'"key":"{json.loads(good)["key"]}"', '"key":"another"')):
        path.write_text(damage, encoding="utf-8")
        before = audits.count
        assert finsek(capsys, "audit", "--ledger", warm_books)[:2] == first
        assert audits.count == before + 1


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="only root can give a file away")
def test_a_memo_another_user_owns_is_ignored(warm_books, capsys, audits):
    finsek(capsys, "audit", "--ledger", warm_books)
    [path] = memos(warm_books)
    os.chown(path, 12345, 12345)
    finsek(capsys, "audit", "--ledger", warm_books)
    assert audits.count == 2


def test_a_memo_that_is_a_link_is_ignored(warm_books, capsys, audits):
    finsek(capsys, "audit", "--ledger", warm_books)
    [path] = memos(warm_books)
    elsewhere = path.with_name("elsewhere.json")
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    finsek(capsys, "audit", "--ledger", warm_books)
    assert audits.count == 2


def test_a_memo_never_stores_or_reads_pickle(warm_books, capsys, audits, monkeypatch):
    source = Path(memo.__file__).read_text(encoding="utf-8")
    assert "import pickle" not in source and "pickle." not in source

    def no_pickle(*args, **kwargs):
        raise AssertionError("pickle used")

    dumps = pickle.dumps
    for name in ("load", "loads", "dump", "dumps"):
        monkeypatch.setattr(pickle, name, no_pickle)
    first = finsek(capsys, "audit", "--ledger", warm_books)[:2]
    [path] = memos(warm_books)
    json.loads(path.read_bytes())  # JSON, and nothing else
    result = memo.recall(Ledger(warm_books, use_cache=True).books, today=TODAY)
    assert result is not None and audits.count == 1
    path.write_bytes(dumps(result))  # a pickle where the memo was is not read as one
    assert finsek(capsys, "audit", "--ledger", warm_books)[:2] == first
    assert audits.count == 2


# --------------------------------------------------------------------------- close


def test_close_audits_for_real(warm_books, audits, monkeypatch):
    from finsek.audit import closing

    real, closes = closing.run_audit, []
    monkeypatch.setattr(closing, "run_audit", lambda *args, **kwargs: closes.append(args) or real(*args, **kwargs))
    edit(warm_books.parent / "2026.beancount", PROBLEMS, "")
    warm(warm_books)
    ledger = Ledger(warm_books, use_cache=True)
    through = dt.date(2026, 10, 31)
    memo.audit(ledger.books, dt.date(2026, 9, 1), through, today=TODAY)  # what the close audits
    assert memo.recall(ledger.books, dt.date(2026, 9, 1), through, today=TODAY) is not None
    closing.close_books(ledger, through, TODAY)
    assert len(closes) == 1 and closes[0][1:] == (dt.date(2026, 9, 1), through)  # the close ran the audit itself
