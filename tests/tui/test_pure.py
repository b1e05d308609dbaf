"""The TUI's pure helpers: look-ups, the journal index, the count sheet, the home figures, the keymap."""

import datetime as dt
from decimal import Decimal

from finsek.ledger.books import load_books
from finsek.ledger.entries import OfferingInput, OfferingLine, build_offering
from finsek.tui import bindings
from finsek.tui.views.countsheet import count_sheet, render_html, render_text, write_count_sheet
from finsek.tui.views.journal_index import build_index, filter_rows, parse_query
from finsek.tui.views.lookup import (
    Choice,
    describe_donor,
    donor_choices,
    payee_defaults,
    rank_choices,
    resolve_donor,
    resolve_method,
)
from finsek.tui.views.summary import bank_lines, fund_lines, month_figures

from .conftest import TODAY


def test_resolve_donor_by_id_envelope_and_name(ledger_path):
    books = load_books(ledger_path)
    assert resolve_donor(books, "D0002") == "D0002"
    assert resolve_donor(books, "12") == "D0001"
    assert resolve_donor(books, "carla diaz") == "D0003"
    assert resolve_donor(books, "nobody") == "nobody"
    assert describe_donor(books, "15") == "Bertil Jones, envelope 15"
    assert describe_donor(books, "") == ""


def test_rank_choices_matches_every_word_best_first(ledger_path):
    books = load_books(ledger_path)
    choices = donor_choices(books)
    assert [c.value for c in rank_choices(choices, "anna")] == ["D0001"]
    assert [c.value for c in rank_choices(choices, "svens ann")] == ["D0001"]
    assert rank_choices(choices, "27")[0].value == "D0003"  # the envelope number
    assert rank_choices(choices, "") == []
    accounts = [Choice("Expenses:Facilities:Utilities", "x", "expenses facilities utilities"),
                Choice("Expenses:Ministry:Youth", "y", "expenses ministry youth")]
    assert [c.value for c in rank_choices(accounts, "util")] == ["Expenses:Facilities:Utilities"]


def test_resolve_method_prefixes_and_check_number():
    assert resolve_method("ch") == "check"
    assert resolve_method("", "1234") == "check"
    assert resolve_method("") == "cash"
    assert resolve_method("c") == "c"  # ambiguous: the builder explains
    assert resolve_method("ONLINE") == "online"


def test_payee_defaults_from_last_payment(ledger_path):
    books = load_books(ledger_path)
    found = payee_defaults(books, "City Power & Light")
    assert found.account == "Expenses:Facilities:Utilities"
    assert found.amount == Decimal("182.40")
    assert found.from_account == "Assets:Bank:Checking"
    assert found.had_check
    assert payee_defaults(books, "Nobody") is None


def test_journal_index_filters_by_words_fields_and_period(ledger_path):
    books = load_books(ledger_path)
    rows = build_index(books)
    assert rows[0].entry.date >= rows[-1].entry.date  # newest first
    assert filter_rows(rows, "")[1] == len(rows)
    found, count = filter_rows(rows, "power")
    assert count == 1 and found[0].payee == "City Power & Light"
    assert filter_rows(rows, "account:utilities")[1] == 1
    assert filter_rows(rows, "payee:power 182.40")[1] == 1
    assert filter_rows(rows, "fund:building")[1] == 0
    assert filter_rows(rows, f"from:{TODAY.year + 1}")[1] == 0
    assert filter_rows(rows, f"to:{TODAY.year - 1}")[1] == 0
    assert parse_query("fund: electricity").words == ("electricity",)
    assert filter_rows(rows, "", limit=1)[0] == rows[:1]


def _offering_draft(books):
    return build_offering(books, OfferingInput(
        date=TODAY.isoformat(), counted_by="Ann Berg, Bo Lind", total="175",
        lines=[OfferingLine("100", "D0001", "check", "881"), OfferingLine("50", "D0002", "cash", "", "building"),
               OfferingLine("25", "", "cash")],
    ), today=TODAY)


def test_count_sheet_totals_by_method_and_fund(ledger_path):
    books = load_books(ledger_path)
    sheet = count_sheet(books, _offering_draft(books))
    assert sheet.total == Decimal("175.00")
    assert dict(sheet.by_method) == {"check": Decimal("100.00"), "cash": Decimal("75.00")}
    assert dict(sheet.by_fund) == {"general": Decimal("125.00"), "building": Decimal("50.00")}
    text = render_text(sheet)
    assert "Anna Svensson" in text and "loose cash" in text and "Ann Berg" in text and "Bo Lind" in text
    assert "Assets:Bank:Checking" in text
    page = render_html(sheet)
    assert page.startswith("<!DOCTYPE html>") and "Bertil Jones" in page


def test_write_count_sheet_never_overwrites(ledger_path):
    books = load_books(ledger_path)
    draft = _offering_draft(books)
    first = write_count_sheet(books, draft, "txt")
    second = write_count_sheet(books, draft, "html")
    third = write_count_sheet(books, draft, "txt")
    assert first.parent == books.root / "documents" / str(TODAY.year)
    assert len({first, second, third}) == 3
    assert second.suffix == ".html"


def test_home_figures(ledger_path):
    books = load_books(ledger_path)
    lines = {line.name: line for line in fund_lines(books, TODAY)}
    assert lines["general"].balance == Decimal("4817.60")
    assert lines["building"].klass == "restricted"
    banks = {line.account: line for line in bank_lines(books, TODAY)}
    assert banks["Assets:Bank:Checking"].balance == Decimal("4817.60")
    assert banks["Assets:Bank:Checking"].reconciled_through is None
    figures = month_figures(books, TODAY)
    assert figures.first == TODAY.replace(day=1)
    assert figures.expenses_budget is not None and figures.expenses_budget > 0
    if (TODAY - dt.timedelta(days=20)).month == TODAY.month and TODAY.month != 1:
        assert figures.expenses == Decimal("182.40")


def test_every_binding_has_an_id_and_unknown_keymap_ids_are_reported():
    assert all(binding.id for binding in bindings.ALL)
    assert bindings.check_keymap({"gift": "f2"}) == []
    assert "nonsense" in bindings.check_keymap({"nonsense": "x"})[0]


def test_refresh_index_after_a_save_and_an_undo(ledger_path, tmp_path):
    from finsek.ledger.entries import GiftInput, build_gift
    from finsek.ledger.ledger import Ledger
    from finsek.tui.views.journal_index import refresh_index

    ledger = Ledger(ledger_path, state_dir=tmp_path / "state")
    books = ledger.books
    rows = build_index(books)
    ledger.save(build_gift(books, GiftInput(amount="15", donor="12", method="cash"), today=TODAY))
    after = refresh_index(books, rows)
    assert len(after) == len(rows) + 1 and after[0].narration == "Gift from D0001"
    assert [row.entry for row in after[1:]] == [row.entry for row in rows]
    ledger.undo(session_only=True)
    assert len(refresh_index(ledger.books, after)) == len(rows)


def test_journal_filter_narrows_as_you_type_and_agrees_with_a_full_search(ledger_path):
    from finsek.tui.views.journal_index import JournalFilter, narrows

    rows = build_index(load_books(ledger_path)) * 50  # enough rows for the narrowing to matter
    typed = JournalFilter(rows)
    for text in ("p", "po", "pow", "powe", "power", "power 1", "power 18", "power 1", "power", "po", "",
                 "payee:c", "payee:ci", "payee:city fund:g", "from:2026 o", "from:2026 op", "to:2025"):
        assert typed(text) == (filter_rows(rows, text, None)[0], filter_rows(rows, text, None)[1]), text
    assert narrows(parse_query("pow"), parse_query("power"))
    assert narrows(parse_query("payee:ci"), parse_query("payee:city x"))
    assert not narrows(parse_query("power"), parse_query("pow"))
    assert not narrows(parse_query("payee:ci"), parse_query("narration:city"))
    assert not narrows(parse_query("from:2026 x"), parse_query("from:2026-0 x"))
