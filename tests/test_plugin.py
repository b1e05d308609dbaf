"""The Beancount plugin (finsek/plugin.py), through bean-check, Beancount's loader and Fava."""

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from beancount import loader

from finsek import plugin
from finsek.ledger.digest import period_digest
from finsek.ledger.template import create_ledger
from tests.sample_books import TAMPERS, append, make_books

BIN = Path(sys.executable).parent
THROUGH = dt.date(2026, 10, 31)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def messages(main: Path) -> list[str]:
    _, errors, _ = loader.load_file(str(main))
    return [error.message for error in errors]


def bean_check(main: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    return subprocess.run([str(BIN / "bean-check"), "--no-cache", str(main)], capture_output=True, text=True, env=env)


def close_books(main: Path, through: dt.date, closed_on: dt.date, where: str = "accounts.beancount") -> str:
    """Write a correct close line, computed with finsek's digest, into one of the files."""
    entries, errors, _ = loader.load_file(str(main))
    assert not errors, [error.message for error in errors]
    line = f'{closed_on.isoformat()} custom "close" {through.isoformat()} "{period_digest(entries, through)}"\n'
    append(main.parent / where, "\n" + line)
    return line


@pytest.fixture
def books(tmp_path) -> Path:
    return make_books(tmp_path)


# --------------------------------------------------------------------------- clean ledgers


def test_plugin_interface():
    assert plugin.__plugins__ == ("validate",)
    assert plugin.FinsekPluginError._fields == ("source", "message", "entry")


def test_clean_ledger_passes_bean_check_loader_and_fava(books):
    close_books(books, dt.date(2026, 9, 30), dt.date(2026, 10, 5))
    close_books(books, THROUGH, dt.date(2026, 11, 5), where="2026.beancount")
    result = bean_check(books)
    assert result.returncode == 0, result.stdout + result.stderr
    assert messages(books) == []
    from fava.core import FavaLedger

    assert FavaLedger(str(books)).errors == []


def test_new_empty_ledger_is_clean(tmp_path):
    main = create_ledger(tmp_path / "new", "Test Church", today=dt.date(2026, 11, 27))
    assert bean_check(main).returncode == 0
    assert messages(main) == []


def test_plugin_returns_the_entries_unchanged(books):
    entries, _, options = loader.load_file(str(books))
    snapshot = list(entries)
    returned, errors = plugin.validate(entries, options)
    assert returned is entries and entries == snapshot and errors == []


# --------------------------------------------------------------------------- funds


def test_unknown_fund_on_a_posting(books):
    append(
        books.parent / "2026.beancount",
        '\n2026-11-10 * "Gift"\n  Assets:Bank:Checking  10.00 USD\n'
        '  Income:Contributions:Designated  -10.00 USD\n    fund: "bulding"\n',
    )
    found = messages(books)
    assert len(found) == 1
    assert found[0].startswith('Unknown fund "bulding" on Income:Contributions:Designated: use one of ')
    assert "benevolence, building, general, missions" in found[0]
    assert 'add it with a custom "fund" line in accounts.beancount' in found[0]
    result = bean_check(books)
    assert result.returncode != 0 and 'Unknown fund "bulding"' in result.stdout + result.stderr
    # The error points at the posting's own line.
    _, errors, _ = loader.load_file(str(books))
    lines = (books.parent / "2026.beancount").read_text(encoding="utf-8").splitlines()
    assert lines[errors[0].source["lineno"] - 1].strip().startswith("Income:Contributions:Designated")


def test_unknown_fund_on_a_transaction(books):
    append(
        books.parent / "2026.beancount",
        '\n2026-11-10 * "Gift"\n  fund: "roof"\n  Assets:Bank:Checking  10.00 USD\n'
        "  Income:Contributions:Designated  -10.00 USD\n",
    )
    assert [m[:40] for m in messages(books)] == ['Unknown fund "roof" on the transaction: ']


def test_registered_fund_passes(books):
    append(
        books.parent / "2026.beancount",
        '\n2026-11-10 * "Gift"\n  fund: "missions"\n  Assets:Bank:Checking  10.00 USD\n'
        '  Income:Contributions:Designated  -10.00 USD\n    fund: "benevolence"\n',
    )
    assert messages(books) == []


def test_a_ledger_without_a_fund_registry_has_no_fund_rule(books):
    accounts = books.parent / "accounts.beancount"
    accounts.write_text(
        "\n".join(line for line in accounts.read_text().splitlines() if 'custom "fund"' not in line) + "\n"
    )
    append(
        books.parent / "2026.beancount",
        '\n2026-11-10 * "Gift"\n  Assets:Bank:Checking  10.00 USD\n'
        '  Income:Contributions:Designated  -10.00 USD\n    fund: "anything"\n',
    )
    assert messages(books) == []


def test_strict_funds(books):
    gift = '\n2026-11-10 * "Gift"\n  Assets:Bank:Checking  10.00 USD\n  Income:Contributions:Offerings  -10.00 USD\n'
    append(books.parent / "2026.beancount", gift)
    assert messages(books) == []  # not strict: the default fund
    append(books.parent / "accounts.beancount", '\n2026-01-01 custom "finsek" "strict-funds" "true"\n')
    found = messages(books)
    # The gift and the two unfunded Income postings of 2026-09-06, 2026-10-03, 2026-11-08;
    # the bill's expense posting; never an Assets posting.
    assert len(found) == 6, found
    assert all("has no fund" in m and "strict-funds" in m and 'fund: "general"' in m for m in found)
    assert not any(m.startswith("Assets") for m in found)
    assert bean_check(books).returncode != 0


def test_strict_funds_satisfied_by_posting_or_transaction_fund(tmp_path):
    main = make_books(
        tmp_path,
        '\n2026-11-10 * "Gift"\n  fund: "general"\n  Assets:Bank:Checking  10.00 USD\n'
        "  Income:Contributions:Offerings  -10.00 USD\n"
        '\n2026-11-11 * "Bill"\n  Expenses:Facilities:Utilities  10.00 USD\n    fund: "building"\n'
        "  Assets:Bank:Checking  -10.00 USD\n",
    )
    append(main.parent / "accounts.beancount", '\n2026-01-01 custom "finsek" "strict-funds" "true"\n')
    assert messages(main) == []


# --------------------------------------------------------------------------- donors and methods


def test_unknown_donor(books):
    append(
        books.parent / "2026.beancount",
        '\n2026-11-10 * "Gift"\n  Assets:Bank:Checking  10.00 USD\n'
        '  Income:Contributions:Offerings  -10.00 USD\n    donor: "D0099"\n',
    )
    found = messages(books)
    assert len(found) == 1
    assert found[0].startswith('Unknown donor id "D0099" on Income:Contributions:Offerings: donors.csv has no')
    result = bean_check(books)
    assert result.returncode != 0 and "D0099" in result.stdout + result.stderr


def test_known_and_alias_donors_pass(books):
    # ENTRIES uses D0042, D0077 and D0100, an alias row of D0042.
    assert messages(books) == []


def test_donor_ids_are_not_checked_without_donors_csv(books):
    (books.parent / "donors.csv").unlink()
    append(
        books.parent / "2026.beancount",
        '\n2026-11-10 * "Gift"\n  donor: "D0099"\n  Assets:Bank:Checking  10.00 USD\n'
        "  Income:Contributions:Offerings  -10.00 USD\n",
    )
    assert messages(books) == []


def test_unknown_method(books):
    append(
        books.parent / "2026.beancount",
        '\n2026-11-10 * "Gift"\n  method: "paypal"\n  Assets:Bank:Checking  10.00 USD\n'
        '  Income:Contributions:Offerings  -10.00 USD\n    method: "chek"\n',
    )
    found = messages(books)
    methods = "cash, check, card, transfer, online, swish, bankgiro, other"
    assert found == [
        f'Unknown payment method "paypal" on the transaction: use one of {methods}.',
        f'Unknown payment method "chek" on Income:Contributions:Offerings: use one of {methods}.',
    ]


# --------------------------------------------------------------------------- closes


@pytest.mark.parametrize(
    "line, problem",
    [
        ('2026-11-05 custom "close" 2026-10-31', "one value instead of two"),
        ('2026-11-05 custom "close" "2026-10-31" "sha256:' + "0" * 64 + '"', "not a date"),
        ('2026-11-05 custom "close" 2026-10-31 "0000"', 'not a digest ("sha256:" and 64 hex digits'),
        ('2026-11-05 custom "close" 2026-10-31 "sha256:' + "0" * 64 + '" "x"', "3 values"),
        ('2026-10-05 custom "close" 2026-10-31 "sha256:' + "0" * 64 + '"', "after the day it was made"),
    ],
)
def test_malformed_close(books, line, problem):
    append(books.parent / "accounts.beancount", "\n" + line + "\n")
    found = messages(books)
    assert len(found) == 1, found
    assert found[0].startswith("This close line is not valid: ") and problem in found[0]


def test_correct_close_passes_and_a_wrong_one_names_the_period(books):
    line = close_books(books, THROUGH, dt.date(2026, 11, 5))
    assert messages(books) == []
    right = line.split('"')[-2]
    wrong = "sha256:" + ("1" if right[7] != "1" else "2") + right[8:]
    edit(books.parent / "accounts.beancount", right, wrong)
    found = messages(books)
    assert len(found) == 1
    assert found[0].startswith("The books through 2026-10-31 (closed on 2026-11-05) have changed since")
    assert "October 2026" in found[0]
    assert "post the correction as a new entry dated after 2026-10-31" in found[0]


@pytest.mark.parametrize("name", sorted(TAMPERS))
def test_tampering_with_a_closed_period_fails_bean_check(tmp_path, name):
    where = "accounts.beancount" if name in ("amount", "delete", "metadata", "payee") else "2026.beancount"
    main = make_books(tmp_path)
    close_books(main, THROUGH, dt.date(2026, 11, 5), where=where)
    assert bean_check(main).returncode == 0
    old, new = TAMPERS[name]
    edit(main.parent / "2026.beancount", old, new)
    result = bean_check(main)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "The books through 2026-10-31 (closed on 2026-11-05) have changed since they were closed" in output
    assert "October 2026" in output


def test_a_change_after_the_closed_date_is_not_reported(books):
    close_books(books, THROUGH, dt.date(2026, 11, 5))
    edit(
        books.parent / "2026.beancount",
        "75.00 USD\n  Income:Contributions:Offerings  -75.00",
        "80.00 USD\n  Income:Contributions:Offerings  -80.00",
    )
    append(
        books.parent / "2026.beancount",
        '\n2026-11-01 * "Reversal of the transfer"\n  Equity:Transfers  -500.00 USD\n    fund: "general"\n'
        '  Equity:Transfers  500.00 USD\n    fund: "building"\n',
    )
    assert bean_check(books).returncode == 0
    assert messages(books) == []


def test_reformatting_and_reordering_do_not_break_a_close(books):
    close_books(books, THROUGH, dt.date(2026, 11, 5))
    files = sorted(books.parent.glob("*.beancount"))
    subprocess.run([str(BIN / "bean-format"), "-i", *map(str, files)], check=True, capture_output=True)
    year = books.parent / "2026.beancount"
    text = year.read_text()
    bill = text[text.index('2026-10-03 * "City') : text.index('2026-10-03 * "Anna')]
    year.write_text(text.replace(bill, "") + "\n" + bill)
    assert messages(books) == []


def test_chained_closes_localise_the_change(tmp_path):
    main = make_books(tmp_path)
    close_books(main, dt.date(2026, 9, 30), dt.date(2026, 10, 5))
    close_books(main, THROUGH, dt.date(2026, 11, 5))
    assert messages(main) == []

    october = tmp_path / "october"
    shutil.copytree(main.parent, october)
    edit(october / "2026.beancount", 'check: "1043"', 'check: "1044"')
    found = messages(october / "main.beancount")
    assert len(found) == 1
    assert "The books through 2026-10-31" in found[0]
    assert "between 2026-10-01 and 2026-10-31 (October 2026)" in found[0]

    september = tmp_path / "september"
    shutil.copytree(main.parent, september)
    edit(september / "2026.beancount", 'check: "1234"', 'check: "1235"')
    found = sorted(messages(september / "main.beancount"))
    assert len(found) == 2
    assert "The books through 2026-09-30" in found[0] and "September 2026 and before" in found[0]
    assert "The books through 2026-10-31" in found[1]
    assert "earlier closed period through 2026-09-30" in found[1]

    # Changing the September close line itself is caught by the October close.
    line_changed = tmp_path / "close-line"
    shutil.copytree(main.parent, line_changed)
    edit(line_changed / "accounts.beancount", "2026-10-05 custom", "2026-10-06 custom")
    found = messages(line_changed / "main.beancount")
    assert len(found) == 1 and "The books through 2026-10-31" in found[0]


def test_fava_shows_the_plugin_errors(books):
    close_books(books, THROUGH, dt.date(2026, 11, 5))
    edit(books.parent / "2026.beancount", "Expenses:Facilities:Utilities", "Expenses:Facilities:Maintenance")
    append(
        books.parent / "2026.beancount",
        '\n2026-11-10 * "Gift"\n  Assets:Bank:Checking  10.00 USD\n'
        '  Income:Contributions:Designated  -10.00 USD\n    fund: "bulding"\n    donor: "D0999"\n',
    )
    from fava.core import FavaLedger

    errors = FavaLedger(str(books)).errors
    found = sorted(error.message for error in errors)
    assert len(found) == 3
    assert found[0].startswith("The books through 2026-10-31")
    assert found[1].startswith('Unknown donor id "D0999"')
    assert found[2].startswith('Unknown fund "bulding"')
    assert all(error.source and error.source["filename"].endswith(".beancount") for error in errors)


def test_unreadable_donors_csv_is_reported_not_a_crash(books):
    (books.parent / "donors.csv").write_bytes(b"id,name\nD0042,\xff\xfe broken\n")
    found = messages(books)
    assert len(found) == 1
    assert "donors.csv" in found[0] and "UTF-8" in found[0]
    assert found[0].endswith("Until it is fixed, donor ids in the ledger are not checked against it.")
