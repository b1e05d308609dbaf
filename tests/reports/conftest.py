"""Ledgers for the report tests, and beanquery as the independent referee.

Every total finsek prints is checked against the same sum computed by
beanquery over the same file and period (``sum(number(weight))`` of the
operating currency), rounded to the cent the same way.
"""

import csv
import datetime as dt
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from finsek.core.money import quantize

TODAY = dt.date(2026, 3, 15)
DEFAULT_FUND = "general"


class Referee:
    """beanquery over one ledger file."""

    def __init__(self, path: Path, currency: str = "USD", default_fund: str = DEFAULT_FUND):
        import beanquery

        self.path = Path(path)
        self.currency = currency
        self.default_fund = default_fund
        self.conn = beanquery.connect(f"beancount:{self.path}")
        self._cache: dict[str, list] = {}

    def rows(self, query: str) -> list:
        if query not in self._cache:
            self._cache[query] = self.conn.execute(query).fetchall()
        return self._cache[query]

    def where(self, start: dt.date | None = None, end: dt.date | None = None, extra: str = "") -> str:
        parts = [f"currency(weight) = '{self.currency}'"]
        if start:
            parts.append(f"date >= {start.isoformat()}")
        if end:
            parts.append(f"date <= {end.isoformat()}")
        if extra:
            parts.append(extra)
        return " AND ".join(parts)

    def grouped(self, start=None, end=None, extra: str = "") -> list[tuple[str, str, Decimal]]:
        """beanquery's sums by account and fund over the days ``start`` to ``end``."""
        return self.rows(
            f"SELECT account, coalesce(str(any_meta('fund')), '{self.default_fund}') AS f, sum(number(weight)) "
            f"WHERE {self.where(start, end, extra)} GROUP BY account, f"
        )

    def monthly(self, extra: str = "") -> list[tuple[str, str, dt.date, Decimal]]:
        """beanquery's sums by account, fund and month (one query for the whole file)."""
        key = f"monthly:{extra}"
        if key not in self._cache:
            rows = self.rows(
                f"SELECT account, coalesce(str(any_meta('fund')), '{self.default_fund}') AS f, year(date) AS y, "
                f"month(date) AS m, sum(number(weight)) WHERE {self.where(None, None, extra)} "
                "GROUP BY account, f, y, m"
            )
            self._cache[key] = [(account, fund, dt.date(year, month, 1), amount)
                                for account, fund, year, month, amount in rows]
        return self._cache[key]

    def total(self, prefix: str | None = None, start=None, end=None, fund=None, extra: str = "") -> Decimal:
        """Exact sum of weights (ledger sign) under ``prefix`` (on ``:`` boundaries), of one fund or all.

        Spans of whole months add up beanquery's monthly sums; other spans ask beanquery directly.
        """
        whole = (start is None or start.day == 1) and (end is None or (end + dt.timedelta(days=1)).day == 1)
        if whole:
            rows = [(account, account_fund, amount) for account, account_fund, month, amount in self.monthly(extra)
                    if (start is None or month >= start) and (end is None or month <= end)]
        else:
            rows = self.grouped(start, end, extra)
        return sum(
            (amount for account, account_fund, amount in rows
             if (prefix is None or account == prefix or account.startswith(prefix + ":"))
             and (fund is None or account_fund == fund)),
            Decimal(0),
        )

    def by_account(self, end: dt.date | None = None, start: dt.date | None = None) -> dict[str, Decimal]:
        result: dict[str, Decimal] = {}
        for account, _, month, amount in self.monthly():
            if (start is None or month >= start) and (end is None or month <= end):
                result[account] = result.get(account, Decimal(0)) + amount
        return result

    def by_fund(self, roots: str, start=None, end=None, extra: str = "") -> dict[str, Decimal]:
        """Sums by fund of the accounts under any of the ``|``-separated ``roots``."""
        prefixes = roots.split("|")
        result: dict[str, Decimal] = {}
        for account, fund, month, amount in self.monthly(extra):
            if (start is None or month >= start) and (end is None or month <= end) and any(
                account == prefix or account.startswith(prefix + ":") for prefix in prefixes
            ):
                result[fund] = result.get(fund, Decimal(0)) + amount
        return result

    def donors(self, prefix: str, start: dt.date, end: dt.date) -> set[str]:
        rows = self.rows(
            f"SELECT DISTINCT str(any_meta('donor')) WHERE {self.where(start, end)} AND account ~ '^{prefix}(:|$)'"
        )
        return {row[0] for row in rows if row[0]}

    def cents(self, amount: Decimal) -> Decimal:
        return quantize(amount, self.currency)


def read_households(folder: Path) -> dict[str, str]:
    """donor id -> household key, following alias_of (as the donor registry does)."""
    path = folder / "donors.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}

    def canonical(donor: str) -> str:
        seen = set()
        while donor in rows and rows[donor].get("alias_of") and donor not in seen:
            seen.add(donor)
            donor = rows[donor]["alias_of"]
        return donor

    result = {}
    for donor in rows:
        target = canonical(donor)
        record = rows.get(target)
        result[donor] = (record.get("household") or target) if record else target
    return result


def donor_names(folder: Path) -> list[str]:
    with (folder / "donors.csv").open(newline="", encoding="utf-8") as handle:
        return [row["name"] for row in csv.DictReader(handle) if row.get("name")]


def make_demo(folder: Path, seed: int, years: int = 2, fiscal_year_start: int | None = None) -> Path:
    from finsek.demo import generate_demo

    main = generate_demo(folder, years=years, seed=seed, today=TODAY)
    if fiscal_year_start:
        with open(main.parent / "accounts.beancount", "a", encoding="utf-8") as handle:
            handle.write(f'\n{dt.date(TODAY.year - years + 1, 1, 1).isoformat()} custom "finsek" '
                         f'"fiscal-year-start" "{fiscal_year_start}"\n')
    return main


def make_example(folder: Path, seed: int = 3) -> Path:
    tool = shutil.which("bean-example", path=str(Path(sys.executable).parent)) or shutil.which("bean-example")
    if tool is None:
        pytest.skip("bean-example is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "example.beancount"
    subprocess.run([tool, "--seed", str(seed), "--date-begin", "2024-01-01", "--date-end", "2026-03-31",
                    "-o", str(path)], check=True, capture_output=True)
    return path


@pytest.fixture(scope="session")
def demo_one(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("demo-one") / "books", seed=1)


@pytest.fixture(scope="session")
def demo_two(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("demo-two") / "books", seed=2)


@pytest.fixture(scope="session")
def demo_july(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("demo-july") / "books", seed=3, fiscal_year_start=7)


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> Path:
    return make_example(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="session")
def ledgers(demo_one, demo_two, demo_july, example) -> dict[str, Path]:
    return {"demo-1": demo_one, "demo-2": demo_two, "demo-july": demo_july, "bean-example": example}


_BOOKS: dict[Path, object] = {}
_REFEREES: dict[Path, Referee] = {}


def books_of(path: Path):
    from finsek.ledger.books import load_books

    if path not in _BOOKS:
        _BOOKS[path] = load_books(path)
    return _BOOKS[path]


def referee_of(path: Path) -> Referee:
    if path not in _REFEREES:
        books = books_of(path)
        _REFEREES[path] = Referee(path, books.currency, books.default_fund)
    return _REFEREES[path]
