"""SVG screenshots of the home screen, an offering being counted and the journal.

    FINSEK_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/tui/test_screenshots.py

writes them for the README (on the demo ledger); without the variable they go
to a temporary folder and the test checks they show what they should.
"""

import datetime as dt
import os
from pathlib import Path

from .conftest import make_app, ready, settle

DAY = dt.date(2026, 11, 22)


async def test_screenshots(tmp_path, monkeypatch):
    from finsek.ledger.demo import generate_demo

    folder = Path(os.environ.get("FINSEK_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(tmp_path)
    main = generate_demo(Path("grace-church"), years=1, seed=7, today=DAY)
    app = make_app(main.relative_to(tmp_path) if main.is_absolute() else main, today=DAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await settle(app, pilot)
        home = app.save_screenshot("home.svg", str(folder))
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        form.input("counted_by").value = "Anna Svensson, Bertil Jones"
        form.input("total").value = "1,185.00"
        form.input("loose_cash").value = "45"
        donors = [donor for donor in app.books.donors.active() if donor.envelope][:4]
        for number, (donor, amount, check) in enumerate(
            zip(donors, ("250", "100", "40", "750"), ("1204", "", "", "3318"), strict=True), start=1
        ):
            row = form.row(number)
            row.cell("donor").value = donor.envelope
            row.cell("amount").value = amount
            row.cell("check").value = check
        form.row(4).cell("fund").value = "building"
        await pilot.pause()
        form.move_to_row(5)
        await pilot.pause()
        offering = app.save_screenshot("offering.svg", str(folder))
        form.reset_form()
        for number in range(1, 5):
            for column in ("donor", "amount", "check", "fund"):
                form.row(number).cell(column).value = ""
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("j")
        await settle(app, pilot)
        await pilot.press(*"electric")
        await pilot.pause()
        journal = app.save_screenshot("journal.svg", str(folder))
    texts = {name: Path(path).read_text(encoding="utf-8").replace("&#160;", " ")
             for name, path in (("home", home), ("offering", offering), ("journal", journal))}
    assert "Funds" in texts["home"] and "Bank" in texts["home"]
    assert "difference" in texts["offering"] and "Anna" in texts["offering"]
    assert "transactions match" in texts["journal"]
