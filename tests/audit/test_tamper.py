"""After ``finsek close``, any text edit inside the closed month is reported by bean-check, Fava and the audit.

(That the digest survives bean-format and reordering within a day is tested in tests/test_digest.py and
tests/test_plugin.py; test_git.py checks that the audit calls such a change formatting only.)
"""

import pytest

from tests.audit.conftest import append, bean_check, edit, finsek

#: Text edits of entries dated in October 2026, the month closed.
TAMPERS = {
    "amount": ("  Income:Contributions:Offerings  -200.00 USD\n    donor: \"D0003\"",
               "  Income:Contributions:Offerings  -210.00 USD\n    donor: \"D0003\""),
    "date": ('2026-10-20 * "Online giving"', '2026-10-21 * "Online giving"'),
    "payee": ('"Summit Roofing" "Roof repair"', '"Summit Roofing Inc" "Roof repair"'),
    "account": ("Expenses:Facilities:Maintenance 1200.00 USD", "Expenses:Facilities:Utilities 1200.00 USD"),
    "metadata": ('check: "1002"', 'check: "1003"'),
    "delete": ('2026-10-20 * "Online giving" "Online gift"\n  Assets:Bank:Checking              50.00 USD\n'
               '  Income:Contributions:Offerings   -50.00 USD\n    donor: "D0004"\n    method: "online"\n', ""),
    "insert": ("2026-11-01 balance Assets:Bank:Checking",
               '2026-10-28 * "Board transfer"\n  Equity:Transfers  10.00 USD\n    fund: "general"\n'
               '  Equity:Transfers  -10.00 USD\n    fund: "building"\n\n2026-11-01 balance Assets:Bank:Checking'),
}

MONTH = "October 2026"
CLOSED = "The books through 2026-10-31 (closed on 2026-11-27) have changed since they were closed"


@pytest.fixture
def closed(books, capsys):
    code, _, err = finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-10-31")
    assert code == 0, err
    assert bean_check(books).returncode == 0
    return books


@pytest.mark.parametrize("name", sorted(TAMPERS))
def test_an_edit_in_the_closed_month_is_reported_everywhere(closed, capsys, name):
    from fava.core import FavaLedger

    old, new = TAMPERS[name]
    edit(closed.parent / "2026.beancount", old, new)

    result = bean_check(closed)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert CLOSED in output and MONTH in output

    fava = [error.message for error in FavaLedger(str(closed)).errors]
    assert any(message.startswith(CLOSED) and MONTH in message for message in fava), fava

    code, out, _ = finsek(capsys, "audit", "--ledger", closed, "--no-git")
    assert code == 1
    assert "ERRORS" in out and CLOSED in out and MONTH in out
    assert "What to do: Undo the edit" in out


def test_a_change_after_the_closed_date_is_not_tampering(closed, capsys):
    year = closed.parent / "2026.beancount"
    append(year, '2026-11-08 * "Offering" "Sunday offering" ^offering-2026-11-08\n  counted-by: "C. Lee, D. Moore"\n'
                 "  Assets:Bank:Checking  75.00 USD\n  Income:Contributions:Offerings  -75.00 USD\n"
                 '    method: "cash"\n')
    assert finsek(capsys, "audit", "--ledger", closed)[0] == 0
    edit(year, "75.00 USD\n  Income:Contributions:Offerings  -75.00",
         "80.00 USD\n  Income:Contributions:Offerings  -80.00")
    assert bean_check(closed).returncode == 0
    code, out, _ = finsek(capsys, "audit", "--ledger", closed)
    assert code == 0 and "changed since they were closed" not in out
