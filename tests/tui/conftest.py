"""Fixtures for the TUI tests: a small church ledger with donors and some history."""

import datetime as dt
from pathlib import Path

import pytest

from finsek.config import Settings
from finsek.ledger.template import create_ledger

TODAY = dt.date.today()

DONORS = [
    ("D0001", "Anna Svensson", "12"),
    ("D0002", "Bertil Jones", "15"),
    ("D0003", "Carla Diaz", "27"),
    ("D0004", "David Okafor", ""),
]


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def history() -> str:
    """A few entries in this year's file: an opening balance, a gift, a payment with a check."""
    start = dt.date(TODAY.year, 1, 1)
    first = max(start, TODAY - dt.timedelta(days=20))
    return (
        f'\n{first.isoformat()} * "Opening balance"\n'
        "  Assets:Bank:Checking                      5000.00 USD\n"
        "  Equity:NetAssets:Opening                 -5000.00 USD\n"
        '    fund: "general"\n'
        f'\n{first.isoformat()} * "City Power & Light" "Electricity"\n'
        '  check: "1043"\n'
        "  Expenses:Facilities:Utilities              182.40 USD\n"
        '    fund: "general"\n'
        "  Assets:Bank:Checking                      -182.40 USD\n"
    )


def make_ledger(root: Path, *, with_history: bool = True) -> Path:
    main = create_ledger(root / "books", "Test Church", today=TODAY)
    with open(main.parent / "donors.csv", "a", encoding="utf-8") as handle:
        for donor_id, name, envelope in DONORS:
            handle.write(f"{donor_id},{name},,,,,,,,{envelope},,\n")
    if with_history:
        with open(main.parent / f"{TODAY.year}.beancount", "a", encoding="utf-8") as handle:
            handle.write(history())
    return main


@pytest.fixture
def ledger_path(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("FINSEK_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("FINSEK_CONFIG", str(tmp_path / "config.toml"))
    return make_ledger(tmp_path)


@pytest.fixture
def settings() -> Settings:
    return Settings(entered_by="")


def year_file(main: Path) -> Path:
    return main.parent / f"{TODAY.year}.beancount"


async def ready(app, pilot) -> None:
    """Wait until the books are loaded (or failed) and the screen has caught up."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def settle(app, pilot) -> None:
    """Wait for workers (saves, reloads) and the messages they post."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


def make_app(main: Path, settings: Settings | None = None, **kwargs):
    from finsek.tui.app import FinsekApp

    kwargs.setdefault("watch_interval", 3600)
    kwargs.setdefault("quiet_after_load", 0)
    kwargs.setdefault("prime_in_subprocess", False)
    return FinsekApp(main, settings or Settings(), **kwargs)
