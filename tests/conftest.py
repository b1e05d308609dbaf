import datetime as dt
from pathlib import Path

import pytest

from finsek.ledger.ledger import Ledger
from finsek.ledger.template import create_ledger

TODAY = dt.date(2026, 11, 27)

DONORS = [
    "D0001,Anna Svensson,H1,Storgatan 1,,111 22,Uppsala,SE,anna@example.org,101,,",
    'D0002,"O\'Brien, Pat ""Paddy""",H2,"12 Elm St",Apt 3,02134,Boston,US,,102,,',
    "D0003,Björn Åkesson,H1,Storgatan 1,,111 22,Uppsala,SE,,103,,",
    "D0004,Old Record,H3,,,,,,,,merged,D0001",
]


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep tests away from the real user's config, state and data folders."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("FINSEK_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("FINSEK_STATE_DIR", str(home / "state"))
    monkeypatch.setenv("FINSEK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("FINSEK_CACHE_DIR", str(home / "cache"))
    monkeypatch.delenv("FINSEK_LEDGER", raising=False)
    return home


def make_ledger(folder: Path, **kwargs) -> Path:
    main = create_ledger(folder, kwargs.pop("name", "Grace Church"), today=kwargs.pop("today", TODAY), **kwargs)
    with open(folder / "donors.csv", "a", encoding="utf-8") as handle:
        handle.write("\n".join(DONORS) + "\n")
    return main


@pytest.fixture
def ledger_path(tmp_path) -> Path:
    return make_ledger(tmp_path / "books")


@pytest.fixture
def ledger(ledger_path, tmp_path) -> Ledger:
    return Ledger(ledger_path, state_dir=tmp_path / "state")


@pytest.fixture(autouse=True)
def _no_background_cache_writers(monkeypatch):
    """In-process commands must leave no forked or detached cache writer behind (Ledger.leave_cache_fresh)."""
    monkeypatch.setenv("FINSEK_NO_BACKGROUND_CACHE", "1")
