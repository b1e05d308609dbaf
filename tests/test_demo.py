"""The demo ledger generator: deterministic, valid, realistic, scalable."""

import datetime as dt
import importlib.util
import re
import shutil
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data

from finsek.core.errors import Refused
from finsek.demo import easter, generate_demo
from finsek.ledger.donors import read_registry

TODAY = dt.date(2026, 5, 14)
RESTRICTED = ("building", "missions", "benevolence")


def _load_without_plugin(main: Path, scratch: Path):
    copy = scratch / "copy"
    shutil.copytree(main.parent, copy)
    copied = copy / main.name
    copied.write_text(copied.read_text().replace('plugin "finsek.plugin"', ""))
    return loader.load_file(str(copied))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    main = generate_demo(tmp_path_factory.mktemp("demo") / "church", years=3, seed=1, today=TODAY)
    entries, errors, _ = _load_without_plugin(main, tmp_path_factory.mktemp("copy"))
    return main, entries, errors


def _transactions(entries):
    return [entry for entry in entries if isinstance(entry, data.Transaction)]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def test_same_seed_gives_byte_identical_files(tmp_path):
    first = generate_demo(tmp_path / "a", years=2, seed=5, today=TODAY).parent
    second = generate_demo(tmp_path / "b", years=2, seed=5, today=TODAY).parent
    assert _files(first) == _files(second)
    other = generate_demo(tmp_path / "c", years=2, seed=6, today=TODAY).parent
    assert _files(other)["2025.beancount"] != _files(first)["2025.beancount"]


def test_loads_without_errors(demo):
    main, entries, errors = demo
    assert errors == []
    assert main.name == "main.beancount"
    assert 2000 < len(_transactions(entries)) < 5000
    assert 'plugin "finsek.plugin"' in main.read_text()


def test_loads_with_the_plugin(demo):
    if importlib.util.find_spec("finsek.plugin") is None:
        pytest.skip("finsek.plugin is not written yet")
    main, _, _ = demo
    entries, errors, _ = loader.load_file(str(main))
    assert errors == []
    assert any(isinstance(entry, data.Transaction) for entry in entries)


def test_year_files_hold_their_year_in_date_order(demo):
    main, _, _ = demo
    for year in (2024, 2025, 2026):
        text = (main.parent / f"{year}.beancount").read_text()
        dates = re.findall(r"^(\d{4}-\d\d-\d\d) ", text, re.M)
        assert dates, year
        assert dates == sorted(dates)
        assert {date[:4] for date in dates} == {str(year)}
        assert max(dates) <= TODAY.isoformat()


def test_weekly_offerings_counted_by_two_people(demo):
    _, entries, _ = demo
    offerings = {}
    for entry in _transactions(entries):
        if entry.payee == "Offering" and entry.date.weekday() == 6:
            assert entry.date not in offerings, "one offering per Sunday"
            offerings[entry.date] = entry
    sunday = dt.date(2024, 1, 7)
    counters = set()
    while sunday <= TODAY:
        entry = offerings.pop(sunday)
        first, second = entry.meta["counted-by"].split(", ")
        assert first != second
        assert entry.narration.endswith(f"counted by {first} and {second}")
        assert f"offering-{sunday}" in entry.links
        counters |= {first, second}
        deposits = [posting for posting in entry.postings if posting.account == "Assets:Bank:Checking"]
        assert len(deposits) == 1
        gifts = [posting for posting in entry.postings if posting.account.startswith("Income:")]
        assert deposits[0].units.number == -sum(posting.units.number for posting in gifts)
        assert any("donor" not in posting.meta and posting.meta["method"] == "cash" for posting in gifts)
        for posting in gifts:
            assert posting.meta["method"] in ("cash", "check")
            assert ("check" in posting.meta) == (posting.meta["method"] == "check")
        sunday += dt.timedelta(days=7)
    assert not offerings
    assert 2 < len(counters) <= 6


def test_easter_and_christmas_are_bigger(demo):
    _, entries, _ = demo
    totals = {entry.date: entry.postings[0].units.number for entry in _transactions(entries)
              if entry.payee == "Offering"}
    ordinary = sorted(totals.values())[len(totals) // 2]
    assert totals[easter(2025)] > ordinary
    assert totals[dt.date(2025, 12, 21)] > ordinary
    eve = totals[dt.date(2025, 12, 24)]
    assert eve > 0
    special = [entry for entry in _transactions(entries) if entry.date == dt.date(2025, 12, 24)]
    assert any(posting.account == "Income:Contributions:Special" for entry in special
               for posting in entry.postings)


def test_monthly_balance_assertions(demo):
    _, entries, _ = demo
    balances = {(entry.date, entry.account) for entry in entries if isinstance(entry, data.Balance)}
    month = dt.date(2024, 2, 1)
    while month <= TODAY:
        assert (month, "Assets:Bank:Checking") in balances
        assert (month, "Assets:Bank:Savings") in balances
        month = (month + dt.timedelta(days=32)).replace(day=1)


def test_checking_never_goes_negative(demo):
    _, entries, _ = demo
    balance = Decimal(0)
    for entry in _transactions(entries):
        for posting in entry.postings:
            if posting.account == "Assets:Bank:Checking":
                balance += posting.units.number
        assert balance >= 0, entry.date


def test_designated_gifts_to_each_restricted_fund(demo):
    _, entries, _ = demo
    funds = {posting.meta.get("fund") for entry in _transactions(entries) for posting in entry.postings
             if posting.account == "Income:Contributions:Designated"}
    assert set(RESTRICTED) <= funds
    campaign = sum(1 for entry in _transactions(entries) if entry.date.year == 2025
                   for posting in entry.postings if posting.meta.get("fund") == "building"
                   and posting.account.startswith("Income:"))
    assert campaign > 300


def test_donors_registry(demo):
    main, entries, _ = demo
    registry = read_registry(main.parent)
    used = {posting.meta["donor"] for entry in _transactions(entries) for posting in entry.postings
            if posting.meta and "donor" in posting.meta}
    assert used
    assert used <= set(registry.by_id)
    assert 140 <= len({donor.household for donor in registry}) <= 160
    assert any(donor.alias_of for donor in registry)
    assert stat.S_IMODE((main.parent / "donors.csv").stat().st_mode) == 0o600
    envelopes = [donor.envelope for donor in registry if donor.envelope]
    assert len(envelopes) == len(set(envelopes))


def _payments(entries):
    """Money out of checking into expenses: what the audit calls a payment."""
    for entry in _transactions(entries):
        out = -sum((posting.units.number for posting in entry.postings
                    if posting.account == "Assets:Bank:Checking" and posting.units.number < 0), Decimal(0))
        if out and any(posting.account.startswith("Expenses:") for posting in entry.postings):
            yield entry, out


def test_payments_and_receipts(demo):
    main, entries, _ = demo
    checks = []
    receipts = set()
    for entry in _transactions(entries):
        if "check" in entry.meta:
            assert any(posting.account == "Assets:Bank:Checking" and posting.units.number < 0
                       for posting in entry.postings)
            checks.append(int(entry.meta["check"]))
        if "receipt" in entry.meta:
            receipt = entry.meta["receipt"]
            assert receipt not in receipts
            receipts.add(receipt)
            assert receipt.startswith(f"documents/{entry.date.year}/{entry.date}-")
            path = main.parent / receipt
            assert path.is_file()
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            if re.fullmatch(r"documents/\d{4}/\d{4}-\d\d-\d\d-benevolence-\d+\.txt", receipt):
                assert entry.postings[0].meta["fund"] == "benevolence"
                assert "confidential" in path.read_text()
            else:
                assert re.fullmatch(r"documents/\d{4}/\d{4}-\d\d-\d\d-[a-z0-9-]+\.txt", receipt)
                body = path.read_text()
                assert entry.payee in body.splitlines()[0]
                total = -sum(posting.units.number for posting in entry.postings
                             if posting.account == "Assets:Bank:Checking")
                assert f"Amount: {total} USD" in body
        for posting in entry.postings:
            assert posting.units.number == posting.units.number.quantize(Decimal("0.01"))
            assert posting.units.number.as_tuple().exponent == -2
    assert checks == list(range(checks[0], checks[0] + len(checks)))
    assert sum(1 for receipt in receipts if "-benevolence-" in receipt) > 5
    files = {str(path.relative_to(main.parent)) for path in (main.parent / "documents").rglob("*.txt")}
    assert files == receipts
    accounts = {posting.account for entry in _transactions(entries) for posting in entry.postings}
    for account in ("Expenses:Personnel:Salaries", "Expenses:Facilities:Utilities", "Income:Interest",
                    "Expenses:Missions:Denominational", "Expenses:Administration:BankFees", "Equity:Transfers"):
        assert account in accounts


def test_payments_carry_receipts_and_approvals(demo):
    main, entries, _ = demo
    counters = {name for entry in _transactions(entries) if "counted-by" in entry.meta
                for name in entry.meta["counted-by"].split(", ")}
    approvers = set()
    payroll = 0
    for entry, out in _payments(entries):
        if out >= Decimal("75.00"):
            assert "receipt" in entry.meta, entry
        restricted = any(posting.meta.get("fund") in RESTRICTED for posting in entry.postings
                         if posting.account.startswith("Expenses:"))
        if out > Decimal("500.00") or restricted:
            assert entry.meta.get("approved-by"), entry
        if "approved-by" in entry.meta:
            approvers.add(entry.meta["approved-by"])
        if entry.payee == "Keystone Payroll Services":
            payroll += 1
            assert "payroll register" in (main.parent / entry.meta["receipt"]).read_text()
    assert payroll == 28  # January 2024 to April 2026: May's is paid on the 25th
    board = approvers - {"Deacons", "Church council"}
    assert 1 < len(board) <= 3
    assert not board & counters, "the counters do not approve payments"


@pytest.mark.parametrize(("seed", "today"), [(1, TODAY), (2, dt.date(2026, 11, 27)), (3, dt.date(2027, 1, 2))])
def test_the_audit_finds_nothing_to_question(tmp_path, seed, today):
    from finsek.audit import run_audit
    from finsek.ledger.books import load_books

    main = generate_demo(tmp_path / "church", years=3, seed=seed, today=today)
    result = run_audit(load_books(main), today=today, git=False)
    assert [(finding.severity, finding.code, finding.message) for finding in result.findings
            if finding.severity != "note"] == []


def test_scales_to_a_number_of_transactions(tmp_path):
    main = generate_demo(tmp_path / "sized", years=3, transactions=3000, seed=3, today=TODAY)
    text = "".join((main.parent / f"{year}.beancount").read_text() for year in (2024, 2025, 2026))
    count = len(re.findall(r"^\d{4}-\d\d-\d\d \* ", text, re.M))
    assert 2700 <= count <= 3300


def test_refuses_nonsense(tmp_path):
    with pytest.raises(Refused):
        generate_demo(tmp_path / "none", years=0, today=TODAY)


def test_demo_opens_in_fava_without_errors(tmp_path):
    from fava.core import FavaLedger

    from finsek.demo import generate_demo

    main = generate_demo(tmp_path / "demo", years=1, seed=5, today=dt.date(2026, 11, 27))
    assert FavaLedger(str(main)).errors == []
