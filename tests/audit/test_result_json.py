"""An audit's result goes through JSON and comes back exactly: what the memo, the report and the app use.

Each ledger here trips one or more checks (as in test_checks.py and
test_git.py); together they give every kind of finding the audit can make
from real books, and a made-up result covers every code with every shape
of field (no file, a file outside the ledger folder, no date, closed).
"""

import dataclasses
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader

from finsek.audit.checks.settings import AuditSettings
from finsek.audit.engine import AuditResult
from finsek.audit.findings import CODE_TITLES, Finding
from finsek.audit.report import build_report, render_json, render_markdown, render_text
from finsek.ledger.books import load_books
from finsek.ledger.digest import period_digest
from finsek.tui.views.audit_list import arrange
from tests.audit.conftest import append, audit, edit, finsek, git, make_books


def same(a, b, where: str = "result") -> None:
    """``a`` and ``b`` equal field by field, of the same types all the way down (500.00 is not 500)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if dataclasses.is_dataclass(a):
        for item in dataclasses.fields(a):
            if item.compare:
                same(getattr(a, item.name), getattr(b, item.name), f"{where}.{item.name}")
    elif isinstance(a, tuple | list):
        assert len(a) == len(b), where
        names = getattr(a, "_fields", None) or [str(index) for index in range(len(a))]
        for name, left, right in zip(names, a, b, strict=True):
            same(left, right, f"{where}.{name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            same(key, next(k for k in b if k == key), f"{where}[{key!r}]")
            same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, Decimal):
        assert str(a) == str(b), where
    else:
        assert a == b, where


def through_json(result: AuditResult) -> AuditResult:
    return AuditResult.from_dict(json.loads(json.dumps(result.to_dict())))


def check_round_trip(main: Path, result: AuditResult) -> AuditResult:
    """The result back from JSON equals it, and every face shows the same from both."""
    back = through_json(result)
    same(result, back)
    assert back == result
    assert back.counts == result.counts and back.exit_status == result.exit_status
    assert back.summary() == result.summary()
    assert [(check, items) for check, items in back.grouped()] == result.grouped()
    for severity in ("error", "warning", "note"):
        assert render_text(back, severity) == render_text(result, severity)
    books = load_books(main)
    report, again = build_report(books, result), build_report(books, back)
    assert render_markdown(again) == render_markdown(report)
    assert render_json(again) == render_json(report)
    assert again.sections == report.sections and again.data == report.data
    assert arrange(back) == arrange(result)  # the app's audit screen
    for finding in back.findings:
        assert finding.location(back.root) == next(f for f in result.findings if f == finding).location(result.root)
    return back


def year(main: Path) -> Path:
    return main.parent / "2026.beancount"


def payment(day: str, number: str, amount: str = "60.00", payee: str = "Hilltop Hardware") -> str:
    return (f'{day} * "{payee}" "Repair supplies"\n  check: "{number}"\n'
            f"  Expenses:Facilities:Maintenance  {amount} USD\n  Assets:Bank:Checking  -{amount} USD\n")


def _ledger_problems(main: Path, capsys) -> None:
    append(year(main), '2026-11-03 * "Hardware" "Nails"\n  Expenses:Nails  5.00 USD\n  Assets:Bank:Checking\n')
    append(year(main), '2026-11-08 * "Gift"\n  Assets:Bank:Checking  10.00 USD\n'
                       '  Income:Contributions:Designated  -10.00 USD\n    fund: "bulding"\n'
                       '    donor: "Anna Svensson"\n    method: "barter"\n')


def _bank_and_offerings(main: Path, capsys) -> None:
    edit(year(main), "2026-11-01 balance Assets:Bank:Savings   10000.00 USD\n", "")
    edit(year(main), "2026-11-01 balance Assets:Bank:Checking   4332.60 USD",
         "2026-11-01 balance Assets:Bank:Checking   4332.00 USD")
    edit(year(main), 'counted-by: "C. Lee, D. Moore"', 'counted-by: "C. Lee, c lee"\n  counted-total: 285.00 USD')
    edit(year(main), 'counted-by: "A. Svensson, B. Jones"', "")


def _payments_and_duties(main: Path, capsys) -> None:
    edit(year(main), '  receipt: "documents/2026/2026-09-15-city-power.pdf"\n', "")
    (main.parent / "documents/2026/2026-10-12-roof.pdf").unlink()
    edit(year(main), 'approved-by: "Church council"', 'approved-by: "Pat Treasurer"\n  entered-by: "pat treasurer"')
    edit(year(main), 'counted-by: "C. Lee, D. Moore"', 'counted-by: "C. Lee, D. Moore"\n  deposited-by: "D Moore"')


def _checks_and_duplicates(main: Path, capsys) -> None:
    append(year(main), payment("2026-11-05", "1002") + "\n" + payment("2026-11-06", "1006") + "\n"
           + payment("2026-11-07", "2001", "61.00"))
    append(year(main), '2026-11-08 * "Mailed gift" "Check by mail"\n  Assets:Bank:Checking  100.00 USD\n'
                       '  Income:Contributions:Offerings  -100.00 USD\n    donor: "D0001"\n'
                       '    method: "check"\n    check: "1234"\n')
    append(year(main), '2026-10-22 * "Online giving" "Online gift"\n  Assets:Bank:Checking  50.00 USD\n'
                       '  Income:Contributions:Offerings  -50.00 USD\n    donor: "D0003"\n    method: "online"\n')


def _funds(main: Path, capsys) -> None:
    edit(year(main), "Expenses:Facilities:Maintenance 1200.00 USD", "Expenses:Facilities:Maintenance 3300.00 USD")
    edit(year(main), "Assets:Bank:Checking           -1200.00 USD", "Assets:Bank:Checking           -3300.00 USD")
    edit(year(main), "4332.60 USD", "2232.60 USD")
    append(year(main), '2026-11-03 * "Release" ^roof\n  approved-by: "Council"\n  Equity:Transfers  300.00 USD\n'
                       '    fund: "building"\n  Equity:Transfers  -300.00 USD\n    fund: "general"\n')
    append(year(main), '2026-11-04 * "Hilltop Hardware" "Paint"\n  method: "transfer"\n'
                       '  receipt: "documents/2026/2026-10-12-roof.pdf"\n'
                       "  Expenses:Facilities:Maintenance  40.00 USD\n    fund: \"building\"\n"
                       "  Assets:Bank:Savings  -40.00 USD\n")


def _donors_dates_cash(main: Path, capsys) -> None:
    (main.parent / "donors.csv").unlink()
    append(year(main), '2026-12-02 * "Online giving" "Online gift"\n  Assets:Bank:Checking  20.00 USD\n'
                       '  Income:Contributions:Offerings  -20.00 USD\n    method: "online"\n')
    append(year(main), '2026-11-08 * "Gift"\n  Assets:Bank:Checking  1500.00 USD\n'
                       '  Income:Contributions:Offerings  -1500.00 USD\n    method: "cash"\n')


def _online_giving(main: Path, capsys) -> None:
    append(year(main), '2026-09-01 open Assets:Clearing:PayPal USD\n2026-09-01 open Assets:Clearing:Stripe USD\n'
                       '2026-10-01 * "PayPal" "Online gift"\n  Assets:Clearing:PayPal  300.00 USD\n'
                       '  Income:Contributions:Offerings  -300.00 USD\n'
                       '2026-10-05 * "Stripe" "Payout to the bank"\n  Assets:Cash:Undeposited  80.00 USD\n'
                       '  Assets:Clearing:Stripe  -80.00 USD\n')


def _no_plugin(main: Path, capsys) -> None:
    edit(main, 'plugin "finsek.plugin"', "")
    append(year(main), '2026-11-20 custom "close" "soon"\n')


def _closed_and_changed(main: Path, capsys) -> None:
    edit(year(main), '  receipt: "documents/2026/2026-09-15-city-power.pdf"\n', "")
    assert finsek(capsys, "close", "--yes", "--ledger", main, "--through", "2026-09-30")[0] == 0
    assert finsek(capsys, "close", "--yes", "--ledger", main, "--through", "2026-10-31")[0] == 0
    edit(year(main), 'check: "1002"', 'check: "1003"')


def _settings(main: Path, capsys) -> None:
    append(main.parent / "accounts.beancount",
           '2026-01-01 custom "finsek" "duplicate-days" "soon"\n'
           '2026-01-01 custom "finsek" "strict-funds" "true"\n'
           '2026-01-01 custom "finsek" "approval-threshold" 100.00 USD\n'
           '2026-01-01 custom "finsek" "receipt-threshold" 150 USD\n'
           '2026-01-01 custom "finsek" "reconcile-accounts" "Assets:Bank Assets:Cash"\n')


def _committed(folder: Path, capsys, main: Path) -> None:
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "books")
    assert finsek(capsys, "close", "--yes", "--ledger", main, "--through", "2026-09-30")[0] == 0
    git(folder, "commit", "-q", "-am", "close September")
    assert finsek(capsys, "close", "--yes", "--ledger", main, "--through", "2026-10-31")[0] == 0


def _git_rewritten(main: Path, capsys) -> None:
    _committed(main.parent, capsys, main)  # October's close is not committed
    git(main.parent, "commit", "-q", "-am", "close October")
    edit(year(main), '"Summit Roofing" "Roof repair"', '"Summit Roofing Inc" "Roof repair"')
    text = year(main).read_text()
    line = next(line for line in text.splitlines() if 'custom "close" 2026-10-31' in line)
    year(main).write_text(text.replace(line, ""))
    entries, _, _ = loader.load_file(str(main))
    year(main).write_text(text.replace(line.split()[-1], f'"{period_digest(entries, dt.date(2026, 10, 31))}"'))


def _git_uncommitted(main: Path, capsys) -> None:
    _committed(main.parent, capsys, main)


def _git_unborn(main: Path, capsys) -> None:
    git(main.parent, "init", "-q")  # a repository without a commit: git log cannot read its history


CASES = {
    "clean": (None, set()),
    "ledger": (_ledger_problems, {"ledger-error", "unknown-fund", "unknown-donor", "unknown-method"}),
    "bank-and-offerings": (_bank_and_offerings, {"unreconciled-month", "balance-mismatch", "offering-counters",
                                                 "offering-total"}),
    "payments-and-duties": (_payments_and_duties, {"payment-receipt", "receipt-missing-file", "duties-offering",
                                                   "duties-payment"}),
    "checks-and-duplicates": (_checks_and_duplicates, {"check-duplicate", "check-gap", "check-series",
                                                       "duplicate-gift-check", "likely-duplicate"}),
    "funds": (_funds, {"fund-negative", "restricted-spending", "restricted-release"}),
    "online-giving": (_online_giving, {"clearing-not-emptied", "clearing-below-zero"}),
    "donors-dates-cash": (_donors_dates_cash, {"donor-registry-missing", "future-entry", "large-cash-gift"}),
    "no-plugin": (_no_plugin, {"plugin-missing", "close-invalid"}),
    "closed-and-changed": (_closed_and_changed, {"closed-period-changed", "payment-receipt"}),
    "settings": (_settings, {"setting-invalid", "missing-fund", "payment-approval"}),
    "git-rewritten": (_git_rewritten, {"git-changed-after-close", "git-close-rewritten"}),
    "git-uncommitted": (_git_uncommitted, {"git-close-uncommitted"}),
    "git-unborn": (_git_unborn, {"git-unavailable"}),
}
#: Codes no ledger here makes (reformatting that breaks a digest is hard to stage): the made-up result has them.
NOT_STAGED = {"git-formatting"}
SETTINGS_CASES = {"settings", "payments-and-duties"}


@pytest.mark.parametrize("name", list(CASES))
def test_a_result_comes_back_from_json_exactly(tmp_path, capsys, name):
    change, expected = CASES[name]
    if name.startswith("git") and shutil.which("git") is None:
        pytest.skip("git is not installed")
    settings = '2026-01-01 custom "finsek" "separation-of-duties" "true"\n' if name in SETTINGS_CASES else ""
    main = make_books(tmp_path / "books", settings=settings)
    if change is not None:
        change(main, capsys)
    result = audit(main)
    assert expected <= {finding.code for finding in result.findings}
    if name == "clean":
        assert result.findings == [] and result.reconciliation
    back = check_round_trip(main, result)
    if name == "closed-and-changed":
        assert back.closes and any(f.closed for f in back.findings) and back.closed_through == dt.date(2026, 10, 31)
    if name.startswith("git-r"):
        assert back.git.repository and back.git.commits
    # A period and a day of its own, and the audit without git.
    check_round_trip(main, audit(main, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31), git=False))


def test_the_ledgers_here_make_every_kind_of_finding():
    staged = set().union(*(codes for _, codes in CASES.values()))
    assert staged | NOT_STAGED == set(CODE_TITLES)


def test_every_kind_of_finding_and_every_shape_of_field_comes_back(tmp_path):
    main = make_books(tmp_path / "books")
    result = audit(main)
    root = result.root
    findings = []
    for number, code in enumerate(sorted(CODE_TITLES)):
        findings.append(Finding(
            "git" if code.startswith("git") else "ledger", code, ("error", "warning", "note")[number % 3],
            f"message {number} – ünïcode «{code}»", f"action {number}",
            [None, str(Path(root) / "2026.beancount"), "/elsewhere/other.beancount",
             str(Path(root) / "sub" / "x.beancount")][number % 4],
            [None, number + 1][number % 2], [None, dt.date(2026, 1, number % 28 + 1)][number % 2 == 0],
            number % 5 == 0,
        ))
    result.findings = sorted(findings, key=Finding.sort_key)
    result.settings = AuditSettings(Decimal("123.450"), Decimal("0"), Decimal("1E+3"), 0, 7, ("Assets:Bank", "A:B"),
                                    9, True, True, False, ("problem one", "problem two"))
    result.closed_through = dt.date(2026, 10, 31)
    back = check_round_trip(main, result)
    assert [f.filename for f in back.findings] == [f.filename for f in result.findings]


def test_seconds_and_files_looked_for_are_not_what_the_audit_found(books):
    result = audit(books)
    assert result.looked_for and all(result.looked_for.values())  # the receipts, found
    back = through_json(result)
    assert back == result and back.looked_for == {} and "seconds" not in result.to_dict()
