"""The app's audit in a child process: the same result as in-process, and only for the cached books."""

from finsek.audit import background
from finsek.audit.engine import run_audit
from finsek.ledger.entries import GiftInput, build_gift
from finsek.ledger.ledger import Ledger

from .conftest import TODAY, append

NO_RECEIPT = """
2026-11-03 * "Hardware store" "Paint"
  check: "1003"
  Expenses:Facilities:Maintenance   120.00 USD
  Assets:Bank:Checking             -120.00 USD
"""


def cached_books(books, tmp_path):
    warm = Ledger(books, state_dir=tmp_path / "state", use_cache=True)
    assert warm.store_cache()
    ledger = Ledger(books, state_dir=tmp_path / "state", use_cache=True)
    assert ledger.books.from_cache
    return ledger


def test_a_child_audits_the_cached_books_as_the_app_would(books, tmp_path):
    append(books.parent / "2026.beancount", NO_RECEIPT)
    ledger = cached_books(books, tmp_path)
    there = background.audit_elsewhere(ledger.books, TODAY)
    here = run_audit(ledger.books, today=TODAY)
    assert there is not None
    assert there.findings and there.findings == here.findings and there.counts == here.counts
    assert (there.start, there.end, there.today) == (here.start, here.end, here.today)


def test_a_save_keeps_the_books_cached_so_the_child_audits_them_too(books, tmp_path):
    ledger = cached_books(books, tmp_path)
    ledger.save(build_gift(ledger.books, GiftInput(date="2026-11-20", amount="5"), today=TODAY))
    there = background.audit_elsewhere(ledger.books, TODAY)
    here = run_audit(ledger.books, today=TODAY)
    assert there is not None and there.findings == here.findings and there.counts == here.counts


def test_books_the_cache_does_not_hold_are_audited_here(books, tmp_path):
    ledger = cached_books(books, tmp_path)
    ledger.save(build_gift(ledger.books, GiftInput(date="2026-11-20", amount="5"), today=TODAY))
    ledger.undo()
    assert background.audit_elsewhere(ledger.books, TODAY) is None  # the parent audits its own books
    assert background.audit_elsewhere(Ledger(books, state_dir=tmp_path / "s").books, TODAY) is None


def test_a_child_refuses_when_the_cache_moved_on(books, tmp_path):
    ledger = cached_books(books, tmp_path)
    assert background.main([str(ledger.books.main), "not-the-key", TODAY.isoformat()]) == background.STALE
