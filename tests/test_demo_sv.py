"""The Swedish demo congregation: valid, audited clean, Swedish through and through, and every report runs on it."""

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from beanquery import query
from stdnum.se import orgnr, personnummer

from finsek.cli.main import main
from finsek.demo_sv import EMPLOYER_RATE, generate_demo_sv
from finsek.ledger import chart_sv
from finsek.ledger.books import load_books
from finsek.ledger.donors import read_registry

TODAY = dt.date(2026, 11, 27)
#: Small for speed: about 2,000 transactions over 2025 and 2026 (a congregation of about 30 households).
SIZE = 2000
BANK = "Assets:Bank:Företagskonto"
CHART = {account for account, _number, _role in chart_sv.ACCOUNTS}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return generate_demo_sv(tmp_path_factory.mktemp("sv") / "forsamling", years=2, transactions=SIZE, seed=1,
                            today=TODAY)


@pytest.fixture(scope="module")
def entries(demo):
    loaded, errors, _ = loader.load_file(str(demo))
    assert errors == []
    return loaded


def _transactions(entries):
    return [entry for entry in entries if isinstance(entry, data.Transaction)]


def run(capsys, *argv):
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def total(path: Path, where: str) -> Decimal:
    loaded, errors, options = loader.load_file(str(path))
    assert not errors, errors
    _types, rows = query.run_query(loaded, options, f"SELECT sum(number) WHERE {where}")
    value = rows[0][0] if rows else None
    return Decimal(value) if value is not None else Decimal(0)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_same_seed_gives_byte_identical_files(tmp_path):
    first = generate_demo_sv(tmp_path / "a", years=1, transactions=600, seed=5, today=TODAY).parent
    second = generate_demo_sv(tmp_path / "b", years=1, transactions=600, seed=5, today=TODAY).parent
    assert _files(first) == _files(second)


def test_bean_check_and_finsek_check_pass(demo, capsys):
    bean_check = Path(sys.executable).with_name("bean-check")
    result = subprocess.run([str(bean_check), str(demo)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    code, out, err = run(capsys, "--ledger", demo, "check")
    assert code == 0, err
    assert "Betaniakyrkan i Åbyholm: the ledger is valid" in out


@pytest.mark.parametrize(("seed", "today"), [(1, TODAY), (2, dt.date(2027, 1, 2))])
def test_the_audit_finds_nothing_to_question(tmp_path, seed, today):
    from finsek.audit import run_audit

    main_file = generate_demo_sv(tmp_path / "f", years=2, transactions=SIZE, seed=seed, today=today)
    result = run_audit(load_books(main_file), today=today, git=False)
    assert [(finding.severity, finding.code, finding.message) for finding in result.findings
            if finding.severity != "note"] == []


def test_on_the_swedish_chart_in_kronor(demo, entries):
    accounts = (demo.parent / "accounts.beancount").read_text(encoding="utf-8")
    assert 'custom "finsek" "locale" "sv_SE"' in accounts and 'bas: "1930"' in accounts
    used = {posting.account for entry in _transactions(entries) for posting in entry.postings}
    assert used <= CHART
    assert {posting.units.currency for entry in _transactions(entries) for posting in entry.postings} == {"SEK"}
    funds = {posting.meta.get("fund") for entry in _transactions(entries) for posting in entry.postings}
    assert {"bygg", "mission", "diakoni"} <= funds
    assert "general" not in funds and "building" not in funds


def test_kollekt_every_sunday_counted_by_two_and_anonymous(entries):
    kollekts = {entry.date: entry for entry in _transactions(entries) if "counted-by" in entry.meta
                and entry.date.weekday() == 6}
    sunday = dt.date(2025, 1, 5)
    counters = set()
    while sunday <= TODAY:
        entry = kollekts.pop(sunday)
        first, second = entry.meta["counted-by"].split(", ")
        assert first != second
        assert entry.payee == "Kollekt" and entry.narration.endswith(f"räknad av {first} och {second}")
        counters |= {first, second}
        gifts = [posting for posting in entry.postings if posting.account.startswith("Income:")]
        assert gifts and all(posting.meta["method"] == "cash" and "donor" not in posting.meta for posting in gifts)
        sunday += dt.timedelta(days=7)
    assert not kollekts
    assert 2 < len(counters) <= 6
    # Swish payments marked "Kollekt" are anonymous too: no donor, no giver's name.
    swish_kollekt = [entry for entry in _transactions(entries)
                     if entry.payee == "Swish" and entry.narration == "Kollekt"]
    assert len(swish_kollekt) > 100
    assert all("donor" not in posting.meta for entry in swish_kollekt for posting in entry.postings)


def test_named_gifts_by_swish_and_bankgiro_from_members_with_valid_personnummer(demo, entries):
    registry = read_registry(demo.parent)
    named = [(entry, posting) for entry in _transactions(entries) for posting in entry.postings
             if posting.meta and "donor" in posting.meta]
    assert {posting.meta["method"] for _entry, posting in named} == {"swish", "bankgiro"}
    assert {posting.meta["donor"] for _entry, posting in named} <= set(registry.by_id)
    assert any(str(entry.meta.get("online-id", "")).startswith("swish:") for entry, _posting in named)
    people = [donor for donor in registry if not donor.alias_of]
    numbers = [donor.tax_id for donor in people if donor.tax_id]
    assert len(numbers) >= len(people) * 3 // 4
    assert all(personnummer.is_valid(number) for number in numbers)
    assert len(set(numbers)) == len(numbers)
    assert all(donor.country == "SE" and donor.phone.startswith("07") for donor in people)
    assert all("Påhittad" in donor.notes for donor in people)
    assert any(set(donor.name + donor.address1 + donor.city) & set("åäöÅÄÖ") for donor in people)
    assert any(donor.alias_of for donor in registry)


def test_byggfonden_insamling_and_the_renovation_paid_from_it(entries):
    insamling = [posting for entry in _transactions(entries) for posting in entry.postings
                 if posting.account == "Income:Gåvor:Insamlingar"]
    assert insamling and all(posting.meta["fund"] == "bygg" for posting in insamling)
    renovation = [entry for entry in _transactions(entries) if entry.narration.startswith("Renovering av kyrksalen")]
    assert len(renovation) >= 2
    for entry in renovation:
        assert entry.meta["approved-by"] == "Församlingsstyrelsen" and entry.meta["receipt"]
        assert entry.postings[0].meta["fund"] == "bygg" and entry.postings[0].account == "Expenses:Lokal:Underhåll"


def test_salaries_with_arbetsgivaravgifter_and_kallskatt_paid_to_skatteverket(entries):
    payrolls = [entry for entry in _transactions(entries) if entry.payee == "Löneutbetalning"]
    taxes = {entry.narration.split(" för ")[1]: entry for entry in _transactions(entries)
             if entry.payee == "Skatteverket"}
    assert len(payrolls) == 23  # January 2025 to November 2026
    for entry in payrolls:
        amounts = {posting.account: posting.units.number for posting in entry.postings}
        gross = amounts["Expenses:Personal:Löner"]
        assert amounts["Expenses:Personal:Arbetsgivaravgifter"] == (gross * EMPLOYER_RATE).quantize(Decimal("0.01"))
        assert amounts["Liabilities:Arbetsgivaravgifter"] == -amounts["Expenses:Personal:Arbetsgivaravgifter"]
        assert amounts["Liabilities:Personalens-källskatt"] < 0
        assert amounts[BANK] == -(gross + amounts["Liabilities:Personalens-källskatt"])
        month = f"{entry.narration.split(':')[0].removeprefix('Löner för ')} {entry.date.year}"
        if entry.date < dt.date(2026, 11, 1):
            paid = {posting.account: posting.units.number for posting in taxes[month].postings}
            assert paid["Liabilities:Personalens-källskatt"] == -amounts["Liabilities:Personalens-källskatt"]
            assert paid["Liabilities:Arbetsgivaravgifter"] == -amounts["Liabilities:Arbetsgivaravgifter"]


def test_bankgiro_payments_to_swedish_payees_and_monthly_balances(entries):
    payees = {entry.payee for entry in _transactions(entries) if any(posting.account.startswith("Expenses:")
                                                                        for posting in entry.postings)}
    assert {"Vattenfall", "Åbyholms Energi", "Equmeniakyrkan", "Länsförsäkringar"} <= payees
    methods = {entry.meta.get("method") for entry in _transactions(entries) if entry.payee == "Vattenfall"}
    assert methods == {"bankgiro"}
    assert not any("check" in entry.meta for entry in _transactions(entries))
    balances = {(entry.date, entry.account) for entry in entries if isinstance(entry, data.Balance)}
    month = dt.date(2025, 2, 1)
    while month <= TODAY:
        assert (month, BANK) in balances and (month, "Assets:Bank:Sparkonto") in balances
        month = (month + dt.timedelta(days=32)).replace(day=1)


def test_settings_for_gavobesked_and_skattereduktion(demo):
    books = load_books(demo)
    assert orgnr.is_valid(books.settings.tax_id)
    accounts = (demo.parent / "accounts.beancount").read_text(encoding="utf-8")
    assert 'custom "finsek" "gift-purposes" "diakoni"' in accounts
    assert 'custom "finsek" "gift-approval" "Skatteverkets beslut' in accounts


def test_board_report_statements_skatteverket_and_sie_run(demo, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, "--ledger", demo, "report", "board", "--month", "2026-10", "--format", "md,json",
                         "--out", tmp_path / "board")
    assert code == 0, err
    code, _out, err = run(capsys, "--ledger", demo, "statements", "--year", "2025", "--format", "md",
                         "--out", tmp_path / "gavobesked")
    assert code == 0, err
    letters = list((tmp_path / "gavobesked").glob("*.md"))
    assert letters and any("Diakonifonden" in path.read_text(encoding="utf-8") for path in letters)
    assert all("Skatteverkets beslut 2021-03-15" in path.read_text(encoding="utf-8") for path in letters)
    code, _out, err = run(capsys, "--ledger", demo, "statements", "--year", "2025", "--skatteverket",
                         "--out", tmp_path / "skv")
    assert code == 0, err
    rows = (tmp_path / "skv" / "skatteverket-gavor-2025.csv").read_bytes().decode("utf-8-sig").splitlines()[2:]
    assert rows and all(personnummer.is_valid(row.split(";")[0]) and int(row.split(";")[1]) >= 2000 for row in rows)
    code, _out, err = run(capsys, "--ledger", demo, "sie", "export", "--year", "2025", "--out", tmp_path / "ar.se")
    assert code == 0, err
    assert (tmp_path / "ar.se").read_bytes().decode("cp437").count("#VER ") == sum(
        1 for entry in loader.load_file(str(demo))[0]
        if isinstance(entry, data.Transaction) and entry.date.year == 2025)


def test_sie_export_imported_into_a_new_ledger_gives_the_same_result(demo, tmp_path, capsys):
    code, _out, err = run(capsys, "--ledger", demo, "sie", "export", "--year", "2026", "--out", tmp_path / "ar.se")
    assert code == 0, err
    code, _out, err = run(capsys, "sie", "import", tmp_path / "ar.se", "--into", tmp_path / "ny", "--name", "Ny")
    assert code == 0, err
    new = tmp_path / "ny" / "main.beancount"
    bean_check = Path(sys.executable).with_name("bean-check")
    assert subprocess.run([str(bean_check), str(new)], capture_output=True).returncode == 0
    year = "date >= 2026-01-01 AND date <= 2026-12-31 AND account ~ '^(Income|Expenses)'"
    assert total(new, year) == total(demo, year) != 0
    for fund in ("bygg", "diakoni"):
        assert total(new, year + f" AND meta('fund') = '{fund}'") == total(demo, year + f" AND meta('fund') = '{fund}'")
    # The bank's balance at the end of the year to date, carried in from 2025's closing balance.
    assert total(new, "account ~ '^Assets:Bank'") == total(demo, "account ~ '^Assets:Bank'")


def test_cli_demo_locale_sv_se(tmp_path, capsys):
    code, out, err = run(capsys, "demo", tmp_path / "demo", "--locale", "sv_SE", "--years", "1",
                         "--transactions", "500")
    assert code == 0, err
    assert "Swedish congregation" in out
    text = (tmp_path / "demo" / "accounts.beancount").read_text(encoding="utf-8")
    assert 'custom "finsek" "locale" "sv_SE"' in text
    books = load_books(tmp_path / "demo" / "main.beancount")
    assert books.currency == "SEK" and not books.errors

