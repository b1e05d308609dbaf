"""Commands read warm books: the first leaves the cache behind, the next read it, saves keep it fresh.

Run as the real ``finsek`` process (a forked child writes the cache after a
cold command ends), on a ledger written here.
"""

import os
import subprocess
import sys
import time

from finsek.ledger import cache
from finsek.ledger.books import main_file

UNKNOWN_FUND = """
2026-11-10 * "Bake sale"
  Assets:Bank:Checking            40.00 USD
  Income:Fundraising             -40.00 USD
    fund: "nosuchfund"
"""


def finsek(ledger_path, *argv):
    env = {key: value for key, value in os.environ.items() if key != "FINSEK_NO_BACKGROUND_CACHE"}
    return subprocess.run([sys.executable, "-m", "finsek.cli", "--ledger", str(ledger_path), *argv],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def wait_for_cache(ledger_path, timeout: float = 60.0):
    """The books from the cache, once the command's background writer has left it (None if it never does)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        books = cache.fetch_books(main_file(ledger_path))
        if books is not None:
            return books
        time.sleep(0.1)
    return None


def test_a_cold_command_leaves_the_cache_and_the_next_reads_it(ledger_path):
    assert cache.fetch_books(main_file(ledger_path)) is None
    first = finsek(ledger_path, "check")
    assert first.returncode == 0, first.stderr
    assert wait_for_cache(ledger_path) is not None
    second = finsek(ledger_path, "check")
    assert second.stdout == first.stdout and second.returncode == 0


def test_a_warm_check_reports_the_errors_beancount_found(ledger_path):
    with open(ledger_path.parent / "2026.beancount", "a", encoding="utf-8") as handle:
        handle.write(UNKNOWN_FUND)
    cold = finsek(ledger_path, "check")
    assert cold.returncode == 1 and "nosuchfund" in cold.stdout
    books = wait_for_cache(ledger_path)
    assert books is not None and any("nosuchfund" in error.message for error in books.errors)
    warm = finsek(ledger_path, "check")
    assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout)


def test_saves_keep_it_warm_and_an_edit_behind_finseks_back_is_never_read_from_it(ledger_path):
    finsek(ledger_path, "check")
    assert wait_for_cache(ledger_path) is not None
    for amount in ("10", "20", "30"):
        saved = finsek(ledger_path, "gift", "--date", "2026-11-20", "--amount", amount, "--method", "cash")
        assert saved.returncode == 0, saved.stderr
        books = cache.fetch_books(main_file(ledger_path))  # fresh at once: the save itself updated it
        assert books is not None
    amounts = sorted(p.units.number for e in books.transactions() for p in e.postings if p.account.startswith("Income"))
    assert [str(a) for a in amounts][:3] == ["-30.00", "-20.00", "-10.00"]
    with open(ledger_path.parent / "2026.beancount", "a", encoding="utf-8") as handle:
        handle.write(UNKNOWN_FUND)
    assert cache.fetch_books(main_file(ledger_path)) is None
    after = finsek(ledger_path, "check")
    assert after.returncode == 1 and "nosuchfund" in after.stdout
