"""The posting frame (exact money, funds by convention) and fiscal periods (July–June too)."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from finsek.core.errors import Refused
from finsek.ledger.budgets import spread
from finsek.reports.board import build_board_report
from finsek.reports.frames import posting_frame, total
from finsek.reports.periods import BoardPeriod, parse_month
from tests.reports.conftest import books_of, referee_of


def test_frame_has_one_row_per_posting_and_no_float(ledgers):
    books = books_of(ledgers["demo-1"])
    frame = posting_frame(books)
    postings = sum(len(entry.postings) for entry in books.transactions())
    assert len(frame) == postings
    assert list(frame.columns) == ["date", "account", "root", "fund", "fund_class", "donor", "payee", "narration",
                                   "links", "tags", "flag", "txn", "amount", "units"]
    assert not any(dtype.kind == "f" for dtype in frame.dtypes)
    assert frame["units"].dtype == np.int64
    assert all(isinstance(value, Decimal) for value in frame["amount"].head(200))
    assert total(frame) == 0  # every transaction balances
    income = frame[frame["root"] == "Income"]
    assert set(income["fund"]) <= set(books.funds)
    assert set(income["fund_class"]) <= {"unrestricted", "restricted", "designated"}
    gifts = frame[(frame["donor"] != "") & (frame["root"] == "Income")]
    assert len(gifts) > 100 and gifts["donor"].str.match(r"^D\d{4}$").all()
    offering = frame[frame["links"].str.startswith("offering-")]
    assert len(offering) > 10


def test_foreign_ledger_counts_unnamed_funds_in_default_and_keeps_exact_sub_cent_weights(ledgers):
    path = ledgers["bean-example"]
    books = books_of(path)
    frame = posting_frame(books)
    assert set(frame.loc[frame["root"].isin(["Income", "Expenses", "Equity"]), "fund"]) == {"general"}
    assert frame.attrs["skipped"]  # vacation hours and IRA contributions are other currencies
    ref = referee_of(path)
    assert total(frame) == ref.total()  # exact, sub-cent tolerance residue included
    assert frame.attrs["places"] >= 2
    assets = total(frame, (frame["root"] == "Assets").to_numpy())
    assert assets == ref.total("Assets")


def test_fiscal_year_starting_in_july():
    period = BoardPeriod.for_month(dt.date(2026, 2, 1), 7)
    assert (period.fiscal_year.start, period.fiscal_year.end) == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert (period.ytd.start, period.ytd.end) == (dt.date(2025, 7, 1), dt.date(2026, 2, 28))
    assert (period.last_year.start, period.last_year.end) == (dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    assert (period.last_ytd.start, period.last_ytd.end) == (dt.date(2024, 7, 1), dt.date(2025, 2, 28))
    assert period.fiscal_label == "2025–26" and period.month_number == 8
    july = BoardPeriod.for_month(dt.date(2026, 7, 1), 7)
    assert july.ytd.start == dt.date(2026, 7, 1) and july.month_number == 1
    june = BoardPeriod.for_month(dt.date(2026, 6, 1), 7)
    assert june.ytd.start == dt.date(2025, 7, 1) and june.month_number == 12
    leap = BoardPeriod.for_month(dt.date(2024, 2, 1), 3)
    assert leap.last_ytd.end == dt.date(2023, 2, 28) and leap.month.end == dt.date(2024, 2, 29)


def test_parse_month():
    assert parse_month("2026-03") == dt.date(2026, 3, 1)
    assert parse_month("2026-3") == dt.date(2026, 3, 1)
    for bad in ("2026-13", "march", "", "26-03"):
        with pytest.raises(Refused):
            parse_month(bad)


def test_july_board_report_uses_fiscal_year_for_year_to_date_and_budget(ledgers):
    path = ledgers["demo-july"]
    books = books_of(path)
    assert books.settings.fiscal_year_start == 7
    report = build_board_report(books, dt.date(2026, 2, 1), generated=dt.date(2026, 3, 15))
    assert report.period["fiscal_year"] == {"start": "2025-07-01", "end": "2026-06-30", "label": "2025–26"}
    offerings = report.table("budget").row("Offerings")
    # The demo budgets are yearly from January: Jul–Dec of 2025's plus Jan–Jun of 2026's twelfths.
    offerings_account = "Income:Contributions:Offerings"
    budgets = {entry.date.year: entry.values[2].value.number for entry in books.entries
               if getattr(entry, "type", None) == "budget" and entry.values[0].value == offerings_account}
    annual = sum(spread(budgets[2025], 12)[6:], Decimal(0)) + sum(spread(budgets[2026], 12)[:6], Decimal(0))
    assert offerings["annual_budget"] == annual
    assert offerings["ytd_budget"] == sum(spread(budgets[2025], 12)[6:], Decimal(0)) + sum(
        spread(budgets[2026], 12)[:2], Decimal(0))
    ref = referee_of(path)
    assert offerings["ytd_actual"] == ref.cents(-ref.total("Income:Contributions:Offerings", dt.date(2025, 7, 1),
                                                            dt.date(2026, 2, 28)))
    giving = report.table("giving").rows()
    assert [row["label"] for row in giving[:2]] == ["Jul 2025", "Aug 2025"]
    assert giving[7]["this_year"] is not None and giving[8]["this_year"] is None
    assert any("2025–26" in sentence for sentence in report.summary)
