"""finsek close: refusals, the close line through the writer, chaining, and tampering afterwards."""

import datetime as dt

import pytest
from beancount import loader

from finsek.audit.closing import plan_close, suggested_through
from finsek.core.errors import Refused
from finsek.ledger.books import load_books
from finsek.ledger.digest import canonical_lines, period_digest
from finsek.ledger.entries import GiftInput, build_gift
from finsek.ledger.ledger import Ledger
from tests.audit.conftest import TODAY, append, bean_check, edit, finsek, make_books

OCTOBER = dt.date(2026, 10, 31)


def year(main):
    return main.parent / "2026.beancount"


def close_lines(main) -> list[str]:
    return [line for line in year(main).read_text().splitlines() if 'custom "close"' in line]


def test_close_writes_the_digest_through_the_writer(books, capsys):
    code, out, err = finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-10-31")
    assert code == 0, err
    assert out.startswith("The audit of September–October 2026 finds no error and no warning.\n"
                          "Closed September–October 2026: wrote the close line to 2026.beancount, line ")
    [line] = close_lines(books)
    entries, errors, _ = loader.load_file(str(books))
    assert errors == []
    assert line == f'2026-11-27 custom "close" 2026-10-31 "{period_digest(entries, OCTOBER)}"'
    assert bean_check(books).returncode == 0
    from fava.core import FavaLedger

    assert FavaLedger(str(books)).errors == []
    assert load_books(books).closed_through == OCTOBER


def test_after_a_close_the_write_path_refuses_the_closed_period(books, capsys):
    finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-10")
    ledger = Ledger(books, state_dir=books.parent.parent / "state")
    draft = build_gift(ledger.books, GiftInput(date="2026-10-15", amount="20", method="cash"), today=TODAY)
    with pytest.raises(Refused) as refusal:
        ledger.save(draft)
    assert "closed through 2026-10-31" in refusal.value.message
    assert "reversal" in refusal.value.message
    ledger.save(build_gift(ledger.books, GiftInput(date="2026-11-15", amount="20", method="cash"), today=TODAY))


def test_dry_run_prints_the_line_and_writes_nothing(books, capsys):
    before = year(books).read_bytes()
    code, out, _ = finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-09-30", "--dry-run")
    assert code == 0
    assert out.startswith('2026-11-27 custom "close" 2026-09-30 "sha256:')
    assert "Would close September 2026." in out
    assert year(books).read_bytes() == before


@pytest.mark.parametrize(("through", "words"), [
    ("2026-11-27", "A day can be closed only after it has ended"),
    ("2026-12-31", "close through 2026-11-26 at the latest"),
    ("2026-08-31", "The books start on 2026-09-01: there is nothing to close through 2026-08-31."),
])
def test_refuses_a_day_that_has_not_ended_or_before_the_books(books, capsys, through, words):
    code, out, err = finsek(capsys, "close", "--yes", "--ledger", books, "--through", through)
    assert code == 1 and out == "" and words in err
    assert close_lines(books) == []


def test_refuses_a_period_already_closed(books, capsys):
    assert finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-10-31")[0] == 0
    code, _, err = finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-09-30")
    assert code == 1 and "already closed through 2026-10-31" in err
    assert len(close_lines(books)) == 1


def test_refuses_while_the_period_has_errors_naming_them(books, capsys):
    edit(year(books), "2026-11-01 balance Assets:Bank:Checking   4332.60 USD",
         "2026-11-01 balance Assets:Bank:Checking   4330.00 USD")
    append(year(books), '2026-10-25 * "Gift"\n  Assets:Bank:Checking  10.00 USD\n'
                        '  Income:Contributions:Designated  -10.00 USD\n    fund: "bulding"\n')
    before = year(books).read_bytes()
    code, out, err = finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-10-31")
    assert code == 1 and out == ""
    assert "will not close September–October 2026: the audit finds 2 errors" in err
    assert "2026.beancount:" in err and 'Unknown fund "bulding"' in err and "Balance failed" in err
    assert "finsek audit --from 2026-09-01 --to 2026-10-31" in err
    assert year(books).read_bytes() == before


def test_warnings_do_not_block_a_close(books, capsys):
    edit(year(books), '  receipt: "documents/2026/2026-09-15-city-power.pdf"\n', "")
    code, out, _ = finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-10-31")
    assert code == 0
    assert "The audit of the period has 1 warning(s)" in out


def test_closes_chain(books, capsys):
    assert finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-09-30")[0] == 0
    plan = plan_close(load_books(books), OCTOBER, TODAY)
    assert plan.allowed and plan.start == dt.date(2026, 10, 1) and plan.period == "October 2026"
    assert finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-10-31")[0] == 0
    entries, errors, _ = loader.load_file(str(books))
    assert errors == []
    september, _ = close_lines(books)
    assert sum('"type":"close"' in line and "2026-09-30" in line for line in canonical_lines(entries, OCTOBER)) == 1
    # Changing the September close line is caught by the October close.
    edit(year(books), september, september.replace("2026-11-27 custom", "2026-11-26 custom"))
    result = bean_check(books)
    assert result.returncode != 0 and "The books through 2026-10-31" in result.stdout + result.stderr


def test_suggested_through():
    class Books:
        closed_through = None

    assert suggested_through(Books(), TODAY) == OCTOBER
    Books.closed_through = OCTOBER
    assert suggested_through(Books(), TODAY) is None


def test_usage_error_for_a_bad_date(books, capsys):
    code, _, err = finsek(capsys, "close", "--yes", "--ledger", books, "--through", "October")
    assert code == 2 and "is not a date" in err


def test_close_in_a_new_year_file(tmp_path, capsys):
    main = make_books(tmp_path / "b")
    code, out, _ = finsek(capsys, "close", "--yes", "--ledger", main, "--through", "2026-12-31",
                          today=dt.date(2027, 1, 4))
    assert code == 0 and "2027.beancount" in out
    assert bean_check(main).returncode == 0
