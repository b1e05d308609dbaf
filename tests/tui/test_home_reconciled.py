"""The home screen's bank panel says through which month each account is reconciled, by the audit's rule."""

import io

from rich.console import Console
from textual.widgets import Static

from finsek.tui.screens.home import HomeScreen
from tests.reports.test_reconciled_agree import LEDGER, TODAY

from .conftest import make_app, settle


async def test_the_home_screen_says_since_when_an_account_is_not_reconciled(tmp_path, monkeypatch):
    monkeypatch.setenv("FINSEK_STATE_DIR", str(tmp_path / "state"))
    main = tmp_path / "books.beancount"
    main.write_text(LEDGER.format(savings_december=""), encoding="utf-8")
    app = make_app(main, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(5):
            await settle(app, pilot)
            if app.books is not None:
                break
        assert isinstance(app.screen, HomeScreen)
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#banks", Static).content)
        text = console.export_text()
        checking = next(line for line in text.splitlines() if "Bank:Checking" in line)
        savings = next(line for line in text.splitlines() if "Bank:Savings" in line)
        assert "through 31 Dec 2026" in checking and "not since" not in checking
        assert "not since 30 Nov 2026" in savings  # its December statement balance was never entered
        assert "never" in next(line for line in text.splitlines() if "Cash:Petty" in line)
