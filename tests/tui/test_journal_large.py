"""The journal on the 100,000-transaction demo ledger stays responsive (run on demand).

    FINSEK_TUI_LARGE=1 .venv/bin/pytest tests/tui/test_journal_large.py -s

Generates the demo ledger once (``generate_demo``), opens the app on it and
measures: first draw, loading, the journal's index, and each filter
keystroke (the filtering itself and the whole keystroke through Pilot,
table redraw included).
"""

import os
import statistics
import time

import pytest

from finsek.tui.screens.journal import JournalScreen

from .conftest import make_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("FINSEK_TUI_LARGE"), reason="set FINSEK_TUI_LARGE=1 to run"),
]


@pytest.fixture(scope="module")
def big_ledger(tmp_path_factory):
    from finsek.demo import generate_demo

    existing = os.environ.get("FINSEK_TUI_LARGE_LEDGER")
    if existing:
        from pathlib import Path

        return Path(existing)
    return generate_demo(tmp_path_factory.mktemp("large") / "books", years=3, transactions=100_000, seed=1)


async def test_journal_filter_on_100k_transactions(big_ledger):
    app = make_app(big_ledger)
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first_draw = time.perf_counter() - started
        assert app.loading and "Loading the books" in str(app.screen.query_one("#loading").render())
        await app.workers.wait_for_complete()
        await pilot.pause()
        loaded = time.perf_counter() - started
        assert app.books.transaction_count >= 90_000
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        journal = app.screen
        assert isinstance(journal, JournalScreen) and len(journal.index) == app.books.transaction_count
        ready = time.perf_counter() - started
        filter_ms, key_ms = [], []
        for text in ("electricity", " 2025", "\b" * 5, "\b" * 12, "fund:building", "\b" * 13, "donor:d0042"):
            for char in text:
                key = "backspace" if char == "\b" else char
                before = time.perf_counter()
                await pilot.press(key)
                key_ms.append((time.perf_counter() - before) * 1000)
                filter_ms.append(journal.last_filter_ms)
        assert journal.matched > 0
        report = (
            f"\n100k journal: {app.books.transaction_count:,} transactions; first draw {first_draw:.2f} s, "
            f"loaded {loaded:.1f} s, journal ready {ready:.1f} s; per keystroke: filter+table "
            f"median {statistics.median(filter_ms):.0f} ms, max {max(filter_ms):.0f} ms; whole keystroke "
            f"through Pilot median {statistics.median(key_ms):.0f} ms, max {max(key_ms):.0f} ms"
        )
        print(report)
