"""Budgets belong to a fund; statements in the nonprofit form (FASB ASC 958).

On a hand-written church ledger finsek did not create (its own account
names, no finsek plugin): two operating budget lines, a budget of a
restricted fund, an expense without a budget, a restricted fund that pays
for repairs and music and transfers money out, a board-designated fund that
spends. Every comparison is checked to the cent against beanquery, and
against the figures worked out by hand. Then the demo's October (the roof
paid from the restricted Building Fund) as the issue found it.
"""

import datetime as dt
import json
import shutil
import subprocess
from decimal import Decimal

import pytest

from finsek.ledger.books import load_books
from finsek.reports.adhoc import build_report
from finsek.reports.board import build_board_report
from finsek.reports.render import render
from tests.reports.conftest import Referee

D = Decimal
FEB = dt.date(2026, 2, 1)
YTD = (dt.date(2026, 1, 1), dt.date(2026, 2, 28))
MONTH = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))

LEDGER = """option "title" "St. Brigid Parish"
option "operating_currency" "USD"

2025-01-01 open Assets:Bank:Checking USD
2025-01-01 open Income:Giving:Plate USD
2025-01-01 open Income:Giving:Restricted USD
2025-01-01 open Expenses:Building:Repairs USD
2025-01-01 open Expenses:Building:Repairs:Roof USD
2025-01-01 open Expenses:Music USD
2025-01-01 open Expenses:Hospitality USD
2025-01-01 open Equity:Transfers USD
2025-01-01 open Equity:Opening-Balances USD

2025-01-01 custom "fund" "general" "General Fund" "unrestricted"
2025-01-01 custom "fund" "organ" "Organ Fund" "restricted"
2025-01-01 custom "fund" "reserve" "Operating Reserve" "designated"

{budgets}
2025-01-01 * "Opening balance"
  Assets:Bank:Checking         500.00 USD
  Equity:Opening-Balances     -500.00 USD

2025-02-02 * "Plate"
  Assets:Bank:Checking         700.00 USD
  Income:Giving:Plate         -700.00 USD

2026-01-04 * "Plate"
  Assets:Bank:Checking        1000.00 USD
  Income:Giving:Plate        -1000.00 USD

2026-01-10 * "Gift for the organ"
  fund: "organ"
  Assets:Bank:Checking        2000.00 USD
  Income:Giving:Restricted   -2000.00 USD

2026-02-01 * "Plate"
  Assets:Bank:Checking         900.00 USD
  Income:Giving:Plate         -900.00 USD

2026-02-05 * "Gutter repair"
  Expenses:Building:Repairs     80.00 USD
  Assets:Bank:Checking         -80.00 USD

2026-02-06 * "Organ loft roof, paid by the Organ Fund"
  Expenses:Building:Repairs:Roof  400.00 USD
    fund: "organ"
  Assets:Bank:Checking           -400.00 USD

2026-02-07 * "Organ tuning"
  Expenses:Music               700.00 USD
    fund: "organ"
  Assets:Bank:Checking        -700.00 USD

2026-02-08 * "Coffee hour"
  Expenses:Hospitality          35.00 USD
  Assets:Bank:Checking         -35.00 USD

2026-02-09 * "Board sets aside a reserve"
  Equity:Transfers             300.00 USD
    fund: "general"
  Equity:Transfers            -300.00 USD
    fund: "reserve"

2026-02-10 * "Boiler repair from the reserve"
  Expenses:Building:Repairs    120.00 USD
    fund: "reserve"
  Assets:Bank:Checking        -120.00 USD

2026-02-11 * "Organ Fund repays the general fund for sheet music"
  Equity:Transfers              50.00 USD
    fund: "organ"
  Equity:Transfers             -50.00 USD
    fund: "general"
"""
BUDGETS = """2026-01-01 custom "budget" Income:Giving:Plate "yearly" 12000.00 USD
2026-01-01 custom "budget" Expenses:Building:Repairs "monthly" 100.00 USD
2026-01-01 custom "budget" Expenses:Music "yearly" 600.00 USD
  fund: "organ"
"""
LEDGER = LEDGER.replace("{budgets}", BUDGETS)


@pytest.fixture(scope="module")
def parish(tmp_path_factory):
    path = tmp_path_factory.mktemp("parish") / "parish.beancount"
    path.write_text(LEDGER, encoding="utf-8")
    books = load_books(path)
    assert not books.errors, books.errors
    return books, Referee(path, "USD", "general"), build_board_report(books, FEB, generated=dt.date(2026, 3, 5))


def _rows(table, fund=None):
    return {row["account"] or row["label"]: row for row in table.rows()
            if fund is None or row.get("fund") == fund}


def test_budgets_compare_only_with_their_own_funds_actuals(parish):
    _, ref, report = parish
    table = report.table("budget")
    general = _rows(table, "general")
    # Two operating budget lines, each against the General Fund's own actuals, to the cent.
    plate, repairs = general["Income:Giving:Plate"], general["Expenses:Building:Repairs"]
    assert plate["month_actual"] == -ref.total("Income:Giving:Plate", *MONTH, "general") == D("900.00")
    assert plate["ytd_actual"] == -ref.total("Income:Giving:Plate", *YTD, "general") == D("1900.00")
    assert (plate["month_budget"], plate["ytd_budget"], plate["annual_budget"]) == (
        D("1000.00"), D("2000.00"), D("12000.00"))
    assert (plate["month_variance"], plate["ytd_variance"], plate["used"]) == (D("-100.00"), D("-100.00"),
                                                                             D("15.8"))
    # Repairs: the General Fund spent 80.00 against 100.00. The Organ Fund's roof (400.00, on a child account)
    # and the reserve's boiler (120.00) are in "other funds", never an operating overrun.
    assert repairs["month_actual"] == ref.total("Expenses:Building:Repairs", *MONTH, "general") == D("80.00")
    assert (repairs["month_budget"], repairs["month_variance"]) == (D("100.00"), D("20.00"))
    assert (repairs["ytd_actual"], repairs["ytd_budget"], repairs["ytd_variance"]) == (
        D("80.00"), D("200.00"), D("120.00"))
    assert repairs["other_ytd"] == ref.total("Expenses:Building:Repairs", *YTD) - D("80.00") == D("520.00")
    # Lines without a budget show none: no budget, no variance, no percentage (never 0.00).
    for account in ("Expenses:Hospitality", "Expenses:Music", "Income:Giving:Restricted"):
        row = general[account]
        assert all(row[key] is None for key in ("month_budget", "month_variance", "ytd_budget", "ytd_variance",
                                                "annual_budget", "used")), row
    assert general["Expenses:Hospitality"]["month_actual"] == D("35.00")
    assert general["Expenses:Music"]["month_actual"] == D("0.00")  # the organ's tuning is the Organ Fund's
    assert general["Expenses:Music"]["other_ytd"] == D("700.00")
    # Totals: budgeted lines against the budget; lines without one beside them; no variance mixing the two.
    budgeted, unbudgeted = general["Budgeted expenses"], general["Expenses without a budget"]
    total = general["Total expenses"]
    assert (budgeted["month_actual"], budgeted["month_budget"], budgeted["month_variance"]) == (
        D("80.00"), D("100.00"), D("20.00"))
    assert (unbudgeted["month_actual"], unbudgeted["month_budget"], unbudgeted["month_variance"]) == (
        D("35.00"), None, None)
    assert total["month_actual"] == ref.total("Expenses", *MONTH, "general") == D("115.00")
    assert (total["month_budget"], total["month_variance"], total["used"]) == (D("100.00"), None, None)
    # The Organ Fund's own budget, in its own part, against the Organ Fund's actuals.
    organ = _rows(table, "organ")
    music = organ["Expenses:Music"]
    assert music["month_actual"] == ref.total("Expenses:Music", *MONTH, "organ") == D("700.00")
    assert (music["month_budget"], music["month_variance"], music["annual_budget"]) == (
        D("50.00"), D("-650.00"), D("600.00"))
    assert organ["Expenses:Building:Repairs"]["month_actual"] == D("400.00")
    assert organ["Expenses:Building:Repairs"]["month_budget"] is None
    assert [row["label"] for row in table.rows() if row["kind"] == "section"] == ["General Fund", "Organ Fund"]


def test_summary_speaks_of_budgeted_lines_and_says_what_had_no_budget(parish):
    _, _, report = parish
    month = report.summary[0]
    assert "expenses on budgeted lines were 80.00 USD against a budget of 100.00 USD (20.00 USD under)" in month
    assert "a further 35.00 USD was spent on lines without a budget" in month
    assert "in the General Fund (the operating fund), income on budgeted lines was 900.00 USD against a budget of " \
        "1,000.00 USD (100.00 USD below)" in month
    text = " ".join(report.summary)
    assert "115.00 USD against" not in text and "%" not in month
    assert "Organ Fund, Music 600.00 USD over budget" in text  # 700.00 against two months of 600.00 a year


def test_statement_of_activities_by_restriction_class(parish):
    _, ref, report = parish
    table = report.table("activities")
    rows = {row["account"] or row["label"]: row for row in table.rows()}
    restricted = {"organ"}

    def by_class(prefix, start, end):
        amounts = ref.by_fund(prefix, start, end)
        with_ = sum((v for fund, v in amounts.items() if fund in restricted), D(0))
        return sum(amounts.values(), D(0)) - with_, with_

    free, bound = by_class("Income:Giving:Restricted", *YTD)
    assert (rows["Income:Giving:Restricted"]["free"], rows["Income:Giving:Restricted"]["restricted"]) == (
        -free, -bound) == (D("0.00"), D("2000.00"))
    # Released: the Organ Fund's roof and tuning (1,100.00) and its transfer out (50.00).
    spent = ref.by_fund("Expenses|Equity:Transfers", *YTD)["organ"]
    release = rows["Net assets released from restrictions"]
    assert (release["free"], release["restricted"], release["total"]) == (spent, -spent, 0) == (
        D("1150.00"), D("-1150.00"), 0)
    # Expenses all without donor restrictions; the restricted column stays empty.
    expenses = rows["Total expenses"]
    assert (expenses["free"], expenses["restricted"], expenses["total"]) == (D("1335.00"), None, D("1335.00"))
    assert expenses["total"] == ref.total("Expenses", *YTD)
    change = rows["Change in net assets"]
    assert (change["free"], change["restricted"], change["total"]) == (D("1715.00"), D("850.00"), D("2565.00"))
    assert change["total"] == -ref.total("Income", *YTD) - ref.total("Expenses", *YTD)
    start, end = rows["Net assets at the start of the period"], rows["Net assets at the end of the period"]
    assert (start["free"], start["restricted"], end["free"], end["restricted"]) == (
        D("1200.00"), D("0.00"), D("2915.00"), D("850.00"))
    for key in ("free", "restricted", "total", "month", "prior"):  # every column adds up on the page
        other = rows.get("Other changes in net assets (opening balances, other equity)", {}).get(key) or 0
        assert start[key] + change[key] + other == end[key], key
    # The prior year to date: January and February 2025, with the opening balance as another change.
    assert rows["Income:Giving:Plate"]["prior"] == -ref.total("Income:Giving:Plate", dt.date(2025, 1, 1),
                                                              dt.date(2025, 2, 28)) == D("700.00")
    assert rows["Other changes in net assets (opening balances, other equity)"]["prior"] == D("500.00")
    assert rows["Net assets at the end of the period"]["prior"] == D("1200.00")
    assert rows["Income:Giving:Plate"]["month"] == D("900.00")


def test_statement_of_financial_position_by_class_and_by_fund(parish):
    books, ref, report = parish
    position = {row["label"]: row for row in report.table("position").rows()}
    assert position["Undesignated"]["end"] == D("2735.00")
    assert position["Board-designated"]["end"] == D("180.00")
    assert position["Total without donor restrictions"]["end"] == D("2915.00")
    assert position["With donor restrictions"]["end"] == D("850.00")
    assert position["Total net assets"]["end"] == position["Total assets"]["end"] == ref.total(
        "Assets", None, MONTH[1]) == D("3765.00")
    assert position["Total liabilities and net assets"]["end"] == D("3765.00")
    by_fund = build_report("position", books, *YTD, by_fund=True).table("position")
    rows = by_fund.rows()
    net = [(row["kind"], row["label"], row["end"]) for row in rows[[row["label"] for row in rows].index(
        "Net assets") + 1:]]
    assert net == [
        ("group", "Without donor restrictions", None),
        ("row", "General Fund", D("2735.00")),
        ("row", "Operating Reserve (board-designated)", D("180.00")),
        ("subtotal", "Total without donor restrictions", D("2915.00")),
        ("group", "With donor restrictions", None),
        ("row", "Organ Fund", D("850.00")),
        ("subtotal", "Total with donor restrictions", D("850.00")),
        ("total", "Total net assets", D("3765.00")),
        ("total", "Total liabilities and net assets", D("3765.00")),
    ]


def test_json_and_print_show_no_budget_for_unbudgeted_lines(parish, tmp_path):
    _, _, report = parish
    data = json.loads(render(report, "json"))
    budget = next(table for section in data["sections"] for table in section["tables"] if table["key"] == "budget")
    hospitality = next(row for row in budget["rows"] if row.get("account") == "Expenses:Hospitality")
    assert hospitality["month_budget"] is None and hospitality["annual_budget"] is None
    assert hospitality["used"] is None and hospitality["month_actual"] == "35.00"
    activities = next(t for s in data["sections"] for t in s["tables"] if t["key"] == "activities")
    assert [c["key"] for c in activities["columns"]] == [
        "label", "account", "month", "free", "restricted", "total", "prior"]
    markdown = render(report, "md").decode()
    budget_part = markdown[markdown.index("### Budget against actual"):]
    line = next(line for line in budget_part.splitlines() if line.startswith("| Hospitality |"))
    assert line == "| Hospitality | 35.00 |  |  | 35.00 |  |  |  |  |  |"
    assert "| Net assets released from restrictions | 0.00 | 1,150.00 | -1,150.00 | 0.00 | 0.00 |" in markdown
    html = render(report, "html").decode()
    assert "Without donor restrictions" in html and "Net assets released from restrictions" in html
    if shutil.which("pdftotext"):
        pdf = tmp_path / "board.pdf"
        pdf.write_bytes(render(report, "pdf"))
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Net assets released from restrictions" in text and "Board-designated" in text
        budget_text = text[text.index("Budget against actual, February 2026"):text.index("Fund activity, February")]
        hospitality_line = next(line for line in budget_text.splitlines() if line.strip().startswith("Hospitality"))
        assert "35.00" in hospitality_line
        assert "0.00" not in hospitality_line and "%" not in hospitality_line


def test_adhoc_budget_report_compares_each_fund_with_itself(parish):
    books, ref, _ = parish
    table = build_report("budget", books, *YTD).table("budget")
    general = _rows(table, "general")
    assert general["Expenses:Building:Repairs"]["actual"] == ref.total("Expenses:Building:Repairs", *YTD,
                                                                       "general") == D("80.00")
    assert general["Expenses:Building:Repairs"]["budget"] == D("200.00")
    assert general["Expenses:Building:Repairs"]["other"] == D("520.00")
    assert general["Expenses:Hospitality"]["budget"] is None and general["Expenses:Hospitality"]["used"] is None
    assert _rows(table, "organ")["Expenses:Music"]["budget"] == D("100.00")
    activities = build_report("activities", books, *YTD).table("activities")
    released = activities.row("Net assets released from restrictions")
    assert (released["free"], released["restricted"], released["actual"]) == (D("1150.00"), D("-1150.00"), 0)
    assert activities.row("Total expenses")["prior"] == D("0.00")


def test_a_ledger_without_budgets_shows_no_budget_anywhere(tmp_path):
    path = tmp_path / "plain.beancount"
    assert BUDGETS in LEDGER
    path.write_text(LEDGER.replace(BUDGETS, ""), encoding="utf-8")
    books = load_books(path)
    report = build_board_report(books, FEB)
    for row in report.table("budget").rows():
        assert row.get("month_budget") is None and row.get("used") is None and row.get("ytd_variance") is None
    assert "(no line has a budget)" in report.summary[0]


# -- the demo, as the issue found it ------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from finsek.demo import generate_demo

    main = generate_demo(tmp_path_factory.mktemp("demo-oct") / "books", today=dt.date(2026, 12, 1))
    books = load_books(main)
    return books, Referee(main, books.currency, books.default_fund)


def test_demo_october_roof_is_not_an_operating_overrun(demo):
    books, ref = demo
    report = build_board_report(books, dt.date(2026, 10, 1), generated=dt.date(2026, 12, 1))
    rows = _rows(report.table("budget"), "general")
    span = (dt.date(2026, 1, 1), dt.date(2026, 10, 31))
    maintenance = rows["Expenses:Facilities:Maintenance"]
    assert maintenance["ytd_actual"] == ref.total("Expenses:Facilities:Maintenance", *span, "general")
    assert (maintenance["ytd_actual"], maintenance["ytd_budget"]) == (D("5333.23"), D("5000.00"))
    assert maintenance["other_ytd"] == ref.total("Expenses:Facilities:Maintenance", *span) - D("5333.23")
    assert maintenance["other_ytd"] >= D("164500.00")
    benevolence = rows["Expenses:Benevolence"]
    assert benevolence["ytd_actual"] == ref.total("Expenses:Benevolence", *span, "general") == D("0.00")
    assert benevolence["ytd_budget"] == D("3333.34") and benevolence["other_ytd"] == D("2470.00")
    for account, row in rows.items():
        if row["kind"] == "row":
            sign = -1 if account.startswith("Income") else 1
            assert row["ytd_actual"] == ref.cents(sign * ref.total(account, *span, "general")), account
            assert row["month_actual"] == ref.cents(sign * ref.total(account, dt.date(2026, 10, 1), span[1],
                                                                     "general")), account
    text = " ".join(report.summary)
    assert "164,833.23" not in text and "Maintenance 333.23 USD" not in text.split("Largest")[0]
    assert "Facilities: Maintenance 164" not in text
    fasb = report.table("activities").row("Net assets released from restrictions")
    spent = sum((amount for fund, amount in ref.by_fund("Expenses|Equity:Transfers", *span).items()
                 if books.funds.get(fund) and books.funds[fund].klass == "restricted"), D(0))
    assert fasb["free"] == ref.cents(spent) and fasb["restricted"] == -ref.cents(spent)


def test_a_ledger_without_a_fund_registry_names_the_operating_fund_plainly(tmp_path):
    path = tmp_path / "bare.beancount"
    path.write_text("\n".join(line for line in LEDGER.splitlines() if 'custom "fund"' not in line) + "\n",
                    encoding="utf-8")
    report = build_board_report(load_books(path), FEB)
    assert report.summary[0].startswith("In February 2026, in the fund 'general' (the operating fund), income on "
                                        "budgeted lines was 900.00 USD")
    assert report.summary[3].startswith("The fund 'general' ended the month with a surplus")
    assert [row["label"] for row in report.table("budget").rows() if row["kind"] == "section"] == [
        "Fund 'general'", "Fund 'organ'"]
    # Without a registry no fund has donor restrictions: nothing is released, all is without restrictions.
    released = report.table("activities").row("Net assets released from restrictions")
    assert (released["free"], released["restricted"]) == (0, 0)
