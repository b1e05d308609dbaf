"""The audit's warnings for an entry before it is saved (``finsek.audit.at_entry``): the audit's own rules,
the same from books read with Beancount or from the cache, a reversed entry no longer a duplicate."""

import datetime as dt

from finsek.audit.at_entry import entry_warnings
from finsek.audit.engine import run_audit
from finsek.ledger.books import load_books
from finsek.ledger.entries import GiftInput, PaymentInput, build_gift, build_payment, build_reversal
from finsek.ledger.index import HISTORY_DAYS
from finsek.ledger.ledger import Ledger

TODAY = dt.date(2026, 6, 30)

BOOKS = """\
option "title" "Chapel of Ease"
option "operating_currency" "USD"

2026-01-01 custom "finsek" "duplicate-days" "5"
2026-01-01 open Assets:Bank:Checking
2026-01-01 open Equity:Opening
2026-01-01 open Income:Contributions:Offerings
2026-01-01 open Expenses:Utilities

2026-01-02 * "Opening balances"
  Assets:Bank:Checking   3000.00 USD
  Equity:Opening        -3000.00 USD

2026-01-05 * "Gift" "Gift from D0003"
  Assets:Bank:Checking              50.00 USD
  Income:Contributions:Offerings   -50.00 USD
    donor: "D0003"
    method: "check"
    check: "88"

2026-06-20 * "Power Co" "May power"
  Expenses:Utilities      140.00 USD
  Assets:Bank:Checking   -140.00 USD
"""


def make(tmp_path):
    folder = tmp_path / "chapel"
    folder.mkdir()
    (folder / "main.beancount").write_text(BOOKS, encoding="utf-8")
    (folder / "donors.csv").write_text("id,name\nD0003,Greta Holm\nD0009,Greta Holm (old),\n", encoding="utf-8")
    return folder


def payment(books, day, amount="140.00"):
    return build_payment(books, PaymentInput(date=day, payee="Power Co", amount=amount,
                                             account="Expenses:Utilities"), today=TODAY)


def test_the_duplicate_window_is_the_audits_setting(tmp_path):
    books = load_books(make(tmp_path) / "main.beancount")
    assert any("to the same payee on 2026-06-20" in w for w in entry_warnings(books, payment(books, "2026-06-25")))
    assert entry_warnings(books, payment(books, "2026-06-26")) == []  # six days: beyond duplicate-days 5
    assert entry_warnings(books, payment(books, "2026-06-21", "140.01")) == []


def test_warnings_are_the_same_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FINSEK_CACHE_DIR", str(tmp_path / "cache"))
    folder = make(tmp_path)
    cold = Ledger(folder, use_cache=True)
    assert not cold.books.from_cache and cold.store_cache()
    warm = Ledger(folder, use_cache=True).books
    assert warm.from_cache
    draft = payment(warm, "2026-06-22")
    assert entry_warnings(warm, draft) == entry_warnings(cold.books, draft) != []


def test_a_reversed_payment_is_no_longer_a_duplicate(tmp_path):
    ledger = Ledger(make(tmp_path), state_dir=tmp_path / "state")
    entry = next(e for e in ledger.books.entries if getattr(e, "payee", None) == "Power Co")
    ledger.save(build_reversal(ledger.books, entry, "2026-06-21", today=TODAY))
    assert entry_warnings(ledger.books, payment(ledger.books, "2026-06-22")) == []
    fresh = Ledger(ledger.main, state_dir=tmp_path / "state").books  # and after a load
    assert entry_warnings(fresh, payment(fresh, "2026-06-22")) == []


def test_a_donor_check_is_matched_through_an_alias_and_the_audit_agrees(tmp_path):
    folder = make(tmp_path)
    (folder / "donors.csv").write_text("id,name,alias_of\nD0003,Greta Holm,\nD0009,Greta Holm,D0003\n",
                                       encoding="utf-8")
    with open(folder / "main.beancount", "a", encoding="utf-8") as handle:
        handle.write('\n2026-06-10 * "Gift" "Gift from D0003"\n  Assets:Bank:Checking  60.00 USD\n'
                     '  Income:Contributions:Offerings  -60.00 USD\n    donor: "D0003"\n    method: "check"\n'
                     '    check: "91"\n')
    ledger = Ledger(folder, state_dir=tmp_path / "state")
    draft = build_gift(ledger.books, GiftInput(date="2026-06-28", amount="75", donor="D0009", method="check",
                                               check="91"), today=TODAY)
    warnings = entry_warnings(ledger.books, draft)
    assert warnings == ["D0009's check 91 is already in the books (a gift on 2026-06-10, main.beancount:25): the "
                        "same check entered twice? Compare with the deposit slip."]
    ledger.save(draft)
    audit = run_audit(ledger.books, None, None, today=TODAY, git=False)
    assert [f.code for f in audit.findings if f.check == "duplicates"] == ["duplicate-gift-check"]


def test_the_index_keeps_only_the_last_months_for_these_warnings(tmp_path):
    books = load_books(make(tmp_path) / "main.beancount")
    assert (dt.date(2026, 6, 20) - dt.date(2026, 1, 5)).days > HISTORY_DAYS
    assert dt.date(2026, 1, 5) not in books.index.duplicates and not books.index.donor_checks
    assert dt.date(2026, 6, 20) in books.index.duplicates
