"""SVG screenshots of the home screen, an offering, the journal, the board report, the audit and the donors.

    FINSEK_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/tui/test_screenshots.py

writes them for the README (on the demo ledger); without the variable they go
to a temporary folder and the test checks they show what they should.
"""

import datetime as dt
import os
from pathlib import Path

from .conftest import make_app, ready, settle

DAY = dt.date(2026, 11, 22)

#: Entries an auditor would question, added to the demo ledger so the audit screen has something to show.
QUESTIONABLE = """
2026-11-10 * "A-1 Plumbing" "Boiler repair"
  Expenses:Facilities:Maintenance            820.00 USD
  Assets:Bank:Checking                      -820.00 USD

2026-11-12 * "A-1 Plumbing" "Boiler repair"
  Expenses:Facilities:Maintenance            820.00 USD
  Assets:Bank:Checking                      -820.00 USD

2026-11-15 * "Offering" "Evening service offering" ^offering-2026-11-15-evening
  counted-by: "B. Jones"
  Assets:Cash:Undeposited                     85.00 USD
  Income:Contributions:Offerings             -85.00 USD
    method: "cash"
"""


def prepare(main: Path) -> str:
    """Add the questionable entries and a building pledge for a donor who gives to it; the donor's name."""
    from finsek.giving.pledges import scan_gifts
    from finsek.ledger.books import load_books

    books = load_books(main)
    giver = next(gift.donor for gift in scan_gifts(books).gifts if gift.fund == "building")
    donor = books.donors.get(giver)
    year_file = main.parent / f"{DAY.year}.beancount"
    with open(year_file, "a", encoding="utf-8") as handle:
        handle.write(QUESTIONABLE)
        handle.write(f'\n{DAY.year}-01-01 custom "pledge" "{donor.id}" "building" 1000.00 USD\n')
    return donor.name


async def test_screenshots(tmp_path, monkeypatch):
    from finsek.demo import generate_demo

    folder = Path(os.environ.get("FINSEK_SCREENSHOTS") or tmp_path / "shots").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(tmp_path)
    main = generate_demo(Path("grace-church"), years=1, seed=7, today=DAY)
    donor_name = prepare(main)
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
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await settle(app, pilot)
        app.screen.query_one("#report-scroll").scroll_to(y=13, animate=False)  # the summary's end, the statement
        await pilot.pause()
        report = app.save_screenshot("report.svg", str(folder))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("down", "down")
        await pilot.pause()
        audit = app.save_screenshot("audit.svg", str(folder))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press(*donor_name.casefold())
        await settle(app, pilot)
        await pilot.press("down")
        await settle(app, pilot)
        donors = app.save_screenshot("donors.svg", str(folder))
    shots = (("home", home), ("offering", offering), ("journal", journal), ("report", report), ("audit", audit),
             ("donors", donors))
    texts = {name: Path(path).read_text(encoding="utf-8").replace("&#160;", " ") for name, path in shots}
    assert "Funds" in texts["home"] and "Bank" in texts["home"] and "Audit" in texts["home"]
    assert "difference" in texts["offering"] and "Anna" in texts["offering"]
    assert "transactions match" in texts["journal"]
    assert "Board" in texts["report"] and "Statement" in texts["report"]
    assert "Warnings" in texts["audit"] and "What" in texts["audit"]
    assert "Private" in texts["donors"] and "Pledges" in texts["donors"]
