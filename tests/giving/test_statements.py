"""Statements, pledges, histories and the givers report, checked against beanquery and by hand."""

import csv
import datetime as dt
from decimal import Decimal

import pytest
from beanquery import query

from finsek.core.errors import Refused
from finsek.demo import generate_demo
from finsek.giving.givers import givers_report
from finsek.giving.history import donor_history
from finsek.giving.pledge_report import pledge_report
from finsek.giving.pledges import read_pledges
from finsek.giving.statements import build_statements, load_template, mask_tax_id
from finsek.ledger.books import load_books
from finsek.ledger.donors import merge_donors

from .conftest import make_church

YEAR = 2025


# -- against beanquery, on demo ledgers ---------------------------------------------------


@pytest.fixture(scope="module", params=[1, 7])
def demo(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"demo{request.param}") / "books"
    main = generate_demo(folder, years=2, seed=request.param, today=dt.date(2026, 2, 10))
    alias = next(donor for donor in load_books(main).donors if donor.alias_of)
    with open(folder / f"{YEAR}.beancount", "a", encoding="utf-8") as handle:  # a gift under the merged id
        handle.write(f"""
{YEAR}-03-03 * "Mailed gift" "Check received by mail"
  Assets:Bank:Checking              123.45 USD
  Income:Contributions:Designated  -123.45 USD
    fund: "missions"
    donor: "{alias.id}"
    method: "check"
""")
    return load_books(main)


def beanquery_by_donor(books, year: int) -> dict[str, Decimal]:
    """Income postings per donor id as written in the ledger (beanquery, natural sign)."""
    _, rows = query.run_query(
        books.entries, books.options,
        "SELECT any_meta('donor') AS donor, sum(number) AS total "
        f"WHERE account ~ '^Income(:|$)' AND currency = '{books.currency}' AND year = {year} "
        "AND any_meta('donor') IS NOT NULL GROUP BY donor",
    )
    return {str(donor): -total for donor, total in rows}


def survivors(folder) -> dict[str, str]:
    """Alias → survivor and donor → household, read straight from donors.csv (independently of finsek)."""
    with open(folder / "donors.csv", encoding="utf-8", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    result = {}
    for donor_id in rows:
        current = donor_id
        while rows[current]["alias_of"]:
            current = rows[current]["alias_of"]
        result[donor_id] = current
    return result


def test_each_statement_total_equals_beanquery(demo):
    by_donor = beanquery_by_donor(demo, YEAR)
    survivor = survivors(demo.root)
    expected: dict[str, Decimal] = {}
    for donor, total in by_donor.items():
        expected[survivor[donor]] = expected.get(survivor[donor], Decimal(0)) + total
    result = build_statements(demo, YEAR, issued=dt.date(2026, 1, 15))
    totals = {statement.key: statement.total for statement in result.statements}
    assert totals == expected
    assert len(totals) > 100
    for statement in result.statements:
        assert statement.total == sum(line.amount for line in statement.lines)
        assert statement.total == sum(item.total for item in statement.by_fund)
    aliased = [s for s in result.statements if len(s.donor_ids) > 1]
    assert aliased and all(s.donor_ids[0] == s.key for s in aliased)


def test_household_statements_equal_beanquery(demo):
    by_donor = beanquery_by_donor(demo, YEAR)
    survivor = survivors(demo.root)
    with open(demo.root / "donors.csv", encoding="utf-8", newline="") as handle:
        household = {row["id"]: row["household"] or row["id"] for row in csv.DictReader(handle)}
    expected: dict[str, Decimal] = {}
    for donor, total in by_donor.items():
        key = household[survivor[donor]]
        expected[key] = expected.get(key, Decimal(0)) + total
    result = build_statements(demo, YEAR, household=True)
    assert {s.key: s.total for s in result.statements} == expected
    assert sum(s.total for s in result.statements) == sum(by_donor.values())


def test_merged_gifts_count_for_the_survivor(demo):
    registry = demo.donors
    alias = next(donor for donor in registry if donor.alias_of)
    by_donor = beanquery_by_donor(demo, YEAR)
    assert by_donor.get(alias.id, Decimal(0)) >= Decimal("123.45")
    result = build_statements(demo, YEAR, donors=[alias.id])
    (statement,) = result.statements
    assert statement.key == alias.alias_of
    assert statement.total == by_donor[alias.id] + by_donor.get(alias.alias_of, Decimal(0))
    assert {line.recorded_as for line in statement.lines} >= {alias.id}


def test_history_totals_match_statements(demo):
    statement = build_statements(demo, YEAR).statements[3]
    history = donor_history(demo, statement.key, year=YEAR)
    assert history.totals[YEAR] == statement.total
    assert sum(g.amount for g in history.gifts) == statement.total


def test_givers_report_counts_households_without_names(demo):
    report = givers_report(demo, YEAR)
    households = build_statements(demo, YEAR, household=True).statements
    positive = [s for s in households if s.total > 0]
    assert report.households == len(positive) == sum(band.households for band in report.bands)
    assert report.total == sum(s.total for s in positive) == sum(band.total for band in report.bands)
    _, rows = query.run_query(
        demo.entries, demo.options,
        f"SELECT sum(number) WHERE account ~ '^Income:Contributions' AND year = {YEAR} "
        "AND any_meta('donor') IS NULL",
    )
    assert report.without_donor == -rows[0][0]
    for band in report.bands:
        assert (band.shown_total is None) == (0 < band.households < 3)
    text = repr(report)
    assert not any(donor.name in text for donor in demo.donors)


# -- by hand, on the small church ------------------------------------------------------------


def statement_of(books, key, **kwargs):
    found = {s.key: s for s in build_statements(books, YEAR, issued=dt.date(2026, 1, 15), **kwargs).statements}
    return found[key]


def test_two_funds_and_a_quid_pro_quo_gift(church):
    books = load_books(church)
    pat = statement_of(books, "D0002")
    assert [(line.date, line.fund, line.amount, line.goods) for line in pat.lines] == [
        (dt.date(2025, 1, 5), "building", Decimal("250.00"), Decimal("0.00")),
        (dt.date(2025, 3, 15), "general", Decimal("150.00"), Decimal("40.00")),
        (dt.date(2025, 3, 15), "general", Decimal("50.00"), Decimal("10.00")),
        (dt.date(2025, 6, 1), "general", Decimal("300.00"), Decimal("0.00")),
    ]
    assert (pat.total, pat.goods_total, pat.deductible_total) == (Decimal(750), Decimal(50), Decimal(700))
    assert [line.amount for line in pat.quid_pro_quo] == [Decimal("150.00")]
    sections = [p.section for p in pat.paragraphs]
    assert "goods" in sections and "quid-pro-quo" in sections and "no-goods" not in sections
    assert [(f.fund, f.total) for f in pat.by_fund] == [("general", Decimal(500)), ("building", Decimal(250))]
    assert pat.lines[3].method == "online"  # the donor and method on the transaction or posting
    text = " ".join(p.text for p in pat.paragraphs)
    assert "75.00 USD" in text and "700.00 USD" in text and "Grace Church of Springfield" in text


def test_aliases_refunds_years_and_anonymous_gifts(church):
    books = load_books(church)
    anna = statement_of(books, "D0001")
    assert [(line.recorded_as, line.amount) for line in anna.lines] == [
        ("D0001", Decimal("100.00")), ("D0004", Decimal("55.00")), ("D0001", Decimal("-20.00")),
    ]
    assert anna.total == Decimal("135.00")
    assert anna.donor_ids == ["D0001", "D0004"]
    assert [p.section for p in anna.paragraphs] == ["intro", "no-goods", "closing"]
    result = build_statements(books, YEAR)
    assert sorted(s.key for s in result.statements) == ["D0001", "D0002", "D0003", "D0005"]
    assert sum(s.total for s in result.statements) == Decimal("1195.00")  # not the 33.00 of loose cash
    assert all(line.recorded_as for s in result.statements for line in s.lines)


def test_household_statement(church):
    books = load_books(church)
    home = statement_of(books, "H1", household=True)
    assert home.recipient == "Anna and Björn Svensson"
    assert home.members == ["D0001", "D0003"]
    assert home.total == Decimal("235.00")
    assert home.show_given_by
    assert home.address == ["Storgatan 1", "111 22 Uppsala", "SE"]
    only = build_statements(books, YEAR, donors=["D0003"], household=True).statements
    assert [s.key for s in only] == ["H1"]


def test_merging_changes_statements_not_the_ledger(church):
    before = {path.name: path.read_bytes() for path in church.parent.glob("*.beancount")}
    merge_donors(church.parent, "D0003", "D0001")
    books = load_books(church)
    anna = statement_of(books, "D0001")
    assert anna.total == Decimal("235.00")
    assert "D0003" not in {s.key for s in build_statements(books, YEAR).statements}
    assert before == {path.name: path.read_bytes() for path in church.parent.glob("*.beancount")}


def test_unknown_donor_is_refused(church):
    books = load_books(church)
    with pytest.raises(Refused, match="no donor 'D0404'"):
        build_statements(books, YEAR, donors=["D0404"])
    with pytest.raises(Refused, match="no donor 'D0404'"):
        donor_history(books, "D0404")
    assert build_statements(books, YEAR, donors=["D0006"]).statements == []


def test_pledges(church):
    books = load_books(church)
    report = pledge_report(books, year=2025, as_of=dt.date(2025, 12, 31))
    rows = {(row.donor, row.fund): row for row in report.rows}
    assert rows["D0002", "building"].given == Decimal("250.00")
    assert rows["D0002", "building"].outstanding == Decimal("950.00")
    assert rows["D0001", "general"].given == Decimal("135.00")  # pledged under the alias D0004
    assert rows["D0005", "missions"].end == dt.date(2026, 12, 31)
    assert report.pledged == Decimal("2700.00") and report.given == Decimal("595.00")
    assert report.outstanding == Decimal("2105.00")
    building = pledge_report(books, fund="building", year=2025, as_of=dt.date(2025, 12, 31))
    assert [row.donor for row in building.rows] == ["D0002"]
    assert pledge_report(books, year=2027).rows == []
    with pytest.raises(Refused, match="no fund 'roof'"):
        pledge_report(books, fund="roof")
    pat = statement_of(books, "D0002")
    assert [(p.pledged, p.given, p.outstanding) for p in pat.pledges] == [
        (Decimal("1200.00"), Decimal("250.00"), Decimal("950.00"))]


def test_revised_cancelled_and_bad_pledges(tmp_path):
    extra = """
2025-06-01 custom "pledge" "D0002" "building" 1500.00 USD
2025-02-01 custom "pledge" "D0003" "general" 100.00 USD
2025-03-01 custom "pledge" "D0003" "general" 0.00 USD
2025-01-01 custom "pledge" "D0999" "general" 100.00 USD
2025-01-01 custom "pledge" "D0001" "roof" 100.00 USD
2025-01-01 custom "pledge" "D0001" "general"
"""
    books = load_books(make_church(tmp_path / "c", extra=extra))
    scan = read_pledges(books)
    pledges = {(p.donor, p.fund): p.amount for p in scan.pledges}
    assert pledges[("D0002", "building")] == Decimal("1500.00")
    assert ("D0003", "general") not in pledges
    problems = " ".join(scan.problems)
    assert "D0999" in problems and "'roof'" in problems and "should read like" in problems


def test_swedish_statement(tmp_path):
    """The Swedish rules (tests/giving/test_skattereduktion.py has the rest): small gifts here stay under 2 000 kr."""
    extra = '\n2024-01-01 custom "finsek" "gift-approval" "beslut 2021-03-01"\n'
    books = load_books(make_church(tmp_path / "se", locale="sv_SE", currency="SEK", extra=extra))
    anna = statement_of(books, "D0001")
    sections = [p.section for p in anna.paragraphs]
    assert sections == ["intro", "approved", "below-minimum", "closing"]
    text = " ".join(p.text for p in anna.paragraphs)
    assert "1234" not in text and "skattereduktion" in text and "Tack för dina gåvor" in text
    assert "135,00 SEK" in text
    pat = statement_of(books, "D0002")
    assert pat.qualifying_total == 0  # no fund is named in gift-purposes, and the gifts are small
    assert all(line.deductible == 0 for line in pat.lines if line.goods)  # something in return: not a gift
    assert not pat.quid_pro_quo


def test_swedish_ledger_without_approval_says_so(tmp_path):
    books = load_books(make_church(tmp_path / "se", locale="sv_SE", currency="SEK"))
    result = build_statements(books, YEAR)
    assert any("gift-approval" in problem for problem in result.problems)
    assert all("approved" not in [p.section for p in s.paragraphs] for s in result.statements)


def test_template_file_and_setting(church):
    (church.parent / "statement-template.txt").write_text(
        "# our wording\n[intro]\nDear {recipient},\nthank you for {total} in {year}.\n\n"
        "Second paragraph.\n[closing]\n[signature]\nJane Doe, Treasurer\n", encoding="utf-8")
    books = load_books(church)
    pat = statement_of(books, "D0002")
    texts = [(p.section, p.text) for p in pat.paragraphs]
    assert texts[0] == ("intro", "Dear Pat \"Paddy\" O'Brien, Jr., thank you for 750.00 USD in 2025.")
    assert texts[1] == ("intro", "Second paragraph.")
    assert ("signature", "Jane Doe, Treasurer") in texts
    assert "closing" not in [section for section, _ in texts]
    assert "quid-pro-quo" in [section for section, _ in texts]  # sections the file leaves out keep the default
    (church.parent / "statement-template.txt").write_text("[intro]\nHello {name}\n", encoding="utf-8")
    with pytest.raises(Refused, match=r"\{name\}.*not a placeholder"):
        build_statements(books, YEAR)
    (church.parent / "statement-template.txt").write_text("[outro]\nBye\n", encoding="utf-8")
    with pytest.raises(Refused, match=r"unknown section \[outro\]"):
        load_template(books)


def test_template_setting_picks_a_built_in_text(tmp_path):
    books = load_books(make_church(tmp_path / "c", extra='\n2024-01-01 custom "finsek" "statement-template" "se"\n'))
    assert "Skatteverket" in load_template(books).sections["approved"]
    books = load_books(make_church(tmp_path / "d", extra='\n2024-01-01 custom "finsek" "statement-template" "x.txt"\n'))
    with pytest.raises(Refused, match="does not exist"):
        load_template(books)


def test_mask_tax_id():
    assert mask_tax_id("19800101-1234") == "19800101-****"
    assert mask_tax_id(" 123 ") == "***"
    assert mask_tax_id("") == ""


def test_history_by_year_and_fund(church):
    books = load_books(church)
    history = donor_history(books, "D0004")
    assert history.donor.id == "D0001"
    assert history.by_year == {2024: {"general": Decimal("80.00")}, 2025: {"general": Decimal("135.00")}}
    assert history.grand_total == Decimal("215.00")
    assert [p.fund for p in history.pledges] == ["general"]
    home = donor_history(books, "D0003", household=True, year=2025)
    assert home.totals[2025] == Decimal("235.00") and len(home.gifts) == 4
