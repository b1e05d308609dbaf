"""Online giving: each platform's export booked exactly, donors found, re-import a no-op."""

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beanquery import query

from finsek.cli.main import main
from finsek.imports.platforms import table
from finsek.imports.platforms.sources import read_export, recognise
from finsek.ledger.template import create_ledger

TODAY = dt.date(2026, 11, 27)

#: A registry with accents the platform drops, a donor with an e-mail, and two donors with close names.
DONORS = (
    "id,name,household,address1,address2,postal_code,city,country,email,envelope,notes,alias_of\n"
    "D0001,Zoë Łukasiewicz,,,,,,,,,,\n"
    "D0002,Anna Svensson,,,,,,,anna@example.org,,,\n"
    "D0003,Jon Smith,,,,,,,,,,\n"
    "D0004,John Smith,,,,,,,,,,\n"
    "D0005,Örjan Öberg,,,,,,,,,,\n"
)

PAYPAL_HEAD = ('"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net",'
               '"From Email Address","To Email Address","Transaction ID","Shipping Address","Address Status",'
               '"Item Title","Item ID","Reference Txn ID","Receipt ID","Balance","Subject","Note"\n')
PAYPAL_ROWS = [
    ("11/02/2026", "Zoe Lukasiewicz", "Donation Payment", "Completed", "100.00", "-3.20", "96.80", "zoe@mail.test",
     "1AA", "General Fund", ""),
    ("11/03/2026", "ANNA SVENSSON", "Donation Payment", "Completed", "1,250.00", "-36.55", "1,213.45",
     "anna@example.org", "2BB", "Building Fund", ""),
    ("11/04/2026", "Kim Newcomer", "Subscription Payment", "Completed", "25.00", "-1.03", "23.97", "kim@mail.test",
     "3CC", "", ""),
    ("11/05/2026", "Orjan Oberg", "Donation Payment", "Pending", "50.00", "-1.75", "48.25", "o@mail.test", "4DD",
     "", ""),
    ("11/06/2026", "Zoe Lukasiewicz", "Payment Refund", "Completed", "-100.00", "2.90", "-97.10", "",
     "5EE", "", "1AA"),
    ("11/09/2026", "", "General Withdrawal", "Completed", "-1,000.00", "0.00", "-1,000.00", "", "6FF", "", ""),
    ("11/10/2026", "", "General Currency Conversion", "Completed", "-5.00", "0.00", "-5.00", "", "7GG", "", ""),
]


def paypal_csv(rows=PAYPAL_ROWS) -> str:
    lines = [PAYPAL_HEAD]
    for day, name, kind, status, gross, fee, net, email, txn, item, ref in rows:
        to_email = email if "Refund" in kind else "giving@church.test"
        from_email = "giving@church.test" if "Refund" in kind else email
        lines.append(f'"{day}","10:00:00","PST","{name}","{kind}","{status}","USD","{gross}","{fee}","{net}",'
                     f'"{from_email}","{to_email}","{txn}","","","{item}","","{ref}","","","",""\n')
    return "".join(lines)


@pytest.fixture
def church(tmp_path) -> Path:
    main_file = create_ledger(tmp_path / "church", "Grace Church", today=TODAY, start=dt.date(2026, 1, 1))
    (tmp_path / "church" / "donors.csv").write_text(DONORS, encoding="utf-8")
    return main_file


def finsek(capsys, *argv):
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def import_json(capsys, church, file, *extra):
    code, out, err = finsek(capsys, "--ledger", church, "import", "giving", file, "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def total(ledger: Path, where: str) -> Decimal:
    entries, errors, options = loader.load_file(str(ledger))
    assert not errors, errors
    _types, rows = query.run_query(entries, options, f"SELECT sum(number) WHERE {where}")
    value = rows[0][0] if rows else None
    return Decimal(value) if value is not None else Decimal(0)


def test_paypal_gifts_credited_gross_fees_exact_and_reimport_a_no_op(church, tmp_path, capsys):
    file = tmp_path / "Download.CSV"
    file.write_text(paypal_csv(), encoding="utf-8-sig")
    result = import_json(capsys, church, file)
    statuses = {row["id"]: (row["status"], row["donor"]) for row in result["lines"]}
    assert statuses["1AA"] == ("saved", "D0001")  # the accent the platform dropped
    assert statuses["2BB"] == ("saved", "D0002")  # by e-mail, whatever the case of the name
    assert statuses["3CC"][0] == "saved" and statuses["3CC"][1] not in ("D0001", "D0002", "D0003", "D0004", "D0005")
    assert statuses["5EE"] == ("saved", "D0001")  # the refund reverses the gift it names
    assert "4DD" not in statuses and "7GG" not in statuses
    assert result["opened"] == ["Assets:Clearing:PayPal"]
    assert [donor["name"] for donor in result["new_donors"]] == ["Kim Newcomer"]
    assert "Kim Newcomer" in (church.parent / "donors.csv").read_text(encoding="utf-8")
    # The books: gross to the donors, fees to the cent, the clearing account holds what PayPal still owes.
    assert total(church, "account ~ '^Income' AND meta('donor') = 'D0002'") == Decimal("-1250.00")
    assert total(church, "account ~ '^Income' AND meta('donor') = 'D0001'") == Decimal("0.00")
    assert total(church, "account = 'Expenses:Administration:BankFees'") == Decimal("3.20") + Decimal(
        "36.55") + Decimal("1.03") - Decimal("2.90")
    assert total(church, "account = 'Assets:Clearing:PayPal'") == (
        Decimal("96.80") + Decimal("1213.45") + Decimal("23.97") - Decimal("97.10") - Decimal("1000.00"))
    assert total(church, "account = 'Assets:Bank:Checking'") == Decimal("1000.00")
    assert total(church, "account ~ '^Income' AND meta('fund') = 'building'") == Decimal("-1250.00")
    text = (church.parent / "2026.beancount").read_text(encoding="utf-8")
    assert "Anna" not in text and "anna@example.org" not in text  # names live in donors.csv only
    bean_check = Path(sys.executable).with_name("bean-check")
    assert subprocess.run([str(bean_check), str(church)], capture_output=True).returncode == 0
    before = text, (church.parent / "donors.csv").read_text(encoding="utf-8")
    again = import_json(capsys, church, file)
    assert again["counts"] == {"duplicate": 5} and again["new_donors"] == []
    assert ((church.parent / "2026.beancount").read_text(encoding="utf-8"),
            (church.parent / "donors.csv").read_text(encoding="utf-8")) == before


def test_dry_run_changes_nothing(church, tmp_path, capsys):
    file = tmp_path / "paypal.csv"
    file.write_text(paypal_csv(), encoding="utf-8")
    before = {path.name: path.read_bytes() for path in church.parent.iterdir() if path.is_file()}
    result = import_json(capsys, church, file, "--dry-run")
    assert {row["status"] for row in result["lines"]} == {"to save"}
    assert {path.name: path.read_bytes() for path in church.parent.iterdir() if path.is_file()} == before


def test_uncertain_giver_and_unknown_fund_wait_for_review_then_a_mapping_books_them(church, tmp_path, capsys):
    rows = [("11/02/2026", "Jhon Smith", "Donation Payment", "Completed", "40.00", "-1.50", "38.50", "", "8HH",
             "", ""),
            ("11/02/2026", "Anna Svensson", "Donation Payment", "Completed", "60.00", "-2.00", "58.00",
             "anna@example.org", "9II", "Youth Camp", "")]
    file = tmp_path / "paypal.csv"
    file.write_text(paypal_csv(rows), encoding="utf-8")
    result = import_json(capsys, church, file)
    reasons = {row["id"]: row["reason"] for row in result["lines"] if row["status"] == "review"}
    assert "D0003 Jon Smith" in reasons["8HH"] and "D0004 John Smith" in reasons["8HH"]
    assert "'Youth Camp' is not a fund" in reasons["9II"]
    assert result["counts"] == {"review": 2}
    result = import_json(capsys, church, file, "--alias", "Jhon Smith=D0004", "--fund", "Youth Camp=general")
    assert {row["id"]: row["donor"] for row in result["lines"]} == {"8HH": "D0004", "9II": "D0002"}
    assert total(church, "account ~ '^Income' AND meta('donor') = 'D0004'") == Decimal("-40.00")


def test_stripe_payments_export_with_a_refund_and_a_fund_in_metadata(church, tmp_path, capsys):
    file = tmp_path / "unified_payments.csv"
    file.write_text(
        "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Fee,Status,Customer Email,"
        "Customer Description,Description,fund (metadata)\n"
        "ch_1,2026-11-02 14:01:33,200.00,0.00,usd,true,6.10,Paid,anna@example.org,Anna Svensson,Gift,building\n"
        "ch_2,2026-11-03 09:00:00,50.00,50.00,usd,true,1.75,Refunded,,Örjan Öberg,Gift,\n"
        "ch_3,2026-11-03 09:05:00,75.00,0.00,usd,false,0.00,Failed,,Zoë Łukasiewicz,Gift,\n", encoding="utf-8")
    result = import_json(capsys, church, file)
    assert result["platform"] == "stripe"
    assert [(row["id"], row["kind"], row["donor"]) for row in result["lines"]] == [
        ("ch_1", "gift", "D0002"), ("ch_2", "gift", "D0005"), ("ch_2-refund", "refund", "D0005")]
    assert total(church, "account ~ '^Income' AND meta('donor') = 'D0005'") == Decimal("0.00")
    assert total(church, "account = 'Expenses:Administration:BankFees'") == Decimal("7.85")


def test_swish_report_decimal_comma_and_a_message_rule(church, tmp_path, capsys):
    file = tmp_path / "swish.csv"
    file.write_text(
        "Bokföringsdag;Tid;Referensnummer;Belopp;Mobilnummer;Namn;Meddelande\n"
        '2026-11-01;10:12;="1234567890";1 500,00;="46701234567";ÖRJAN ÖBERG;bygg\n'
        "2026-11-01;10:15;2234567890;200,50;46709876543;Anna Svensson;Tack!\n", encoding="cp1252")
    result = import_json(capsys, church, file, "--fund", "bygg=building")
    assert result["platform"] == "swish" and result["clearing_account"] == "Assets:Bank:Checking"
    assert [(row["gross"], row["donor"], row["fund"]) for row in result["lines"]] == [
        ("1500.00", "D0005", "building"), ("200.50", "D0002", "general")]
    assert result["opened"] == []


@pytest.mark.parametrize("header, platform", [
    ("Date,First Name,Last Name,Email,Giving Type,Amount,Fee,Net Amount,Transaction ID,Status", "tithely"),
    ("Donation ID,Received At,Payment Method,Fund,Amount,Fee,First Name,Last Name,Email", "planningcenter"),
    ("Transaction Date,Customer Name,Customer Email,Fund Name,Amount,Fee,Transaction Ref", "vanco"),
    ("balance_transaction_id,created_utc,gross,fee,net,reporting_category,source_id", "stripe"),
    ("Date,Name,Gift,Receipt", "generic"),
])
def test_platform_recognised_from_the_headings(header, platform):
    assert recognise([table.heading(cell) for cell in header.split(",")]) == platform


def test_tithely_export_books_gross_with_fee_from_net(church, tmp_path, capsys):
    file = tmp_path / "tithely.csv"
    file.write_text("Date,First Name,Last Name,Email,Giving Type,Amount,Fee,Net Amount,Transaction ID,Status\n"
                    "2026-11-08,Jon,Smith,,Building Fund,$300.00,,$291.00,t-1,Succeeded\n", encoding="utf-8")
    result = import_json(capsys, church, file)
    (row,) = result["lines"]
    assert (row["gross"], row["fee"], row["donor"], row["fund"]) == ("300.00", "9.00", "D0003", "building")
    assert result["clearing_account"] == "Assets:Clearing:Tithely"


def test_unknown_layout_is_described_once_and_remembered(church, tmp_path, capsys):
    file = tmp_path / "giving.csv"
    file.write_text("Gift date,Donor,Total,Receipt no\n2026-11-11,Anna Svensson,80.00,R-1\n", encoding="utf-8")
    code, _out, err = finsek(capsys, "--ledger", church, "import", "giving", file, "--dry-run")
    assert code == 1 and "--columns" in err and "gift date, donor, total, receipt no" in err
    result = import_json(capsys, church, file, "--columns", "date=Gift date,amount=Total,reference=Receipt no,"
                         "name=Donor")
    assert result["lines"][0]["donor"] == "D0002"
    file.write_text("Gift date,Donor,Total,Receipt no\n2026-11-12,Anna Svensson,90.00,R-2\n", encoding="utf-8")
    assert import_json(capsys, church, file)["lines"][0]["gross"] == "90.00"


def test_a_bad_row_is_named_by_its_file_line_and_saves_nothing_of_it(church, tmp_path, capsys):
    rows = [*PAYPAL_ROWS[:1], ("13/45/2026", "Anna Svensson", "Donation Payment", "Completed", "10.00", "-0.50",
                               "9.50", "anna@example.org", "X1", "", "")]
    file = tmp_path / "paypal.csv"
    file.write_text(paypal_csv(rows), encoding="utf-8")
    paypal_file, _ = read_export(file)
    assert paypal_file.problems == ["line 3: '13/45/2026' is not a date"]


@pytest.mark.parametrize("text, expected", [
    ("1,234.50", "1234.50"), ("1 234,50", "1234.50"), ("1.234,50", "1234.50"), ("$-12.00", "-12.00"),
    ("(12.00)", "-12.00"), ("200,5", "200.5"), ("USD 5.00", "5.00"), ("12.00-", "-12.00"),
])
def test_amounts_as_platforms_write_them(text, expected):
    assert table.amount(text) == Decimal(expected)
