"""finsek reconcile on a ledger finsek did not make: outstanding items, the difference explained, booked,
ticked, finished append-only, bean-check clean, and the next month starting from what was recorded."""

import datetime as dt
from decimal import Decimal

from finsek.ledger.books import load_books
from finsek.ledger.entries import Draft
from finsek.ledger.ledger import Ledger
from finsek.ledger.reconciliations import records
from tests.reconcile.conftest import (
    ACCOUNT,
    NOVEMBER_BALANCE,
    OCTOBER_BALANCE,
    bean_check,
    finsek,
    reconcile_json,
)

CLEARED_IN_OCTOBER = ("--tick-through", "2026-10-12")


def year_file(main):
    return main.parent / "2026.beancount"


def book_fee(capsys, main) -> None:
    code, _out, err = finsek(capsys, "payment", "--ledger", main, "--date", "2026-10-31", "--payee", "First National",
                            "--amount", "12.00", "--account", "Expenses:BankCharges", "--from", ACCOUNT,
                            "--memo", "Service charge", today=None)
    assert code == 0, err


def finish_october(capsys, main, tmp_path):
    book_fee(capsys, main)
    statement = tmp_path / "october.csv"
    statement.write_text("Date,Description,Amount\n10/31/2026,SERVICE CHARGE,-12.00\n", encoding="utf-8")
    return finsek(capsys, "reconcile", "--ledger", main, "--account", ACCOUNT, "--statement-date", "2026-10-31",
                  "--statement-balance", OCTOBER_BALANCE, *CLEARED_IN_OCTOBER, "--tick", "2026-10-31:-12.00",
                  "--finish", "--statement-file", statement)


def test_outstanding_checks_and_deposit_in_transit_in_the_json_contract(capsys, books_path):
    code, result, _ = reconcile_json(capsys, books_path, "2026-10-31", OCTOBER_BALANCE, *CLEARED_IN_OCTOBER)
    assert code == 0
    assert result == {
        "account": ACCOUNT,
        "statement_date": "2026-10-31",
        "statement_balance": "4855.60",
        "cleared_balance": "4867.60",
        "books_balance": "4525.22",
        "difference": "-12.00",
        "outstanding": [
            {"date": "2026-10-26", "amount": "-900.00", "payee": "Rev. Ortiz", "check": "1003"},
            {"date": "2026-10-29", "amount": "-82.38", "payee": "Office Depot", "check": "1004"},
            {"date": "2026-10-31", "amount": "640.00", "payee": "Plate offering", "check": None},
        ],
        "unrecorded": [],
    }


def test_nothing_ticked_lists_every_item_and_the_listing_shows_ids(capsys, books_path):
    code, result, _ = reconcile_json(capsys, books_path, "2026-10-31", OCTOBER_BALANCE)
    assert code == 0 and len(result["outstanding"]) == 7 and result["cleared_balance"] == "0.00"
    code, out, _ = finsek(capsys, "reconcile", "--ledger", books_path, "--account", ACCOUNT, "--statement-date",
                          "2026-10-31", "--statement-balance", OCTOBER_BALANCE, "--tick", "#1001")
    assert code == 0
    assert "[x] [" in out and "#1001 City Power" in out
    assert "Difference" in out and "4,855.60 USD" in out


def test_finish_is_refused_while_the_difference_is_not_zero_saying_why(capsys, books_path):
    before = books_path.read_bytes()
    code, _out, err = finsek(capsys, "reconcile", "--ledger", books_path, "--account", ACCOUNT, "--statement-date",
                            "2026-10-31", "--statement-balance", OCTOBER_BALANCE, *CLEARED_IN_OCTOBER, "--finish")
    assert code == 1
    assert "The difference is -12.00 USD" in err and "was not recorded" in err
    assert "12.00 USD less than the cleared items" in err and "bank fee" in err
    assert books_path.read_bytes() == before and not year_file(books_path).exists()


def test_the_refusal_names_an_outstanding_item_that_explains_the_difference(capsys, books_path):
    # The statement shows check 1004 cashed too: the difference is that check, still outstanding here.
    code, _, err = finsek(capsys, "reconcile", "--ledger", books_path, "--account", ACCOUNT, "--statement-date",
                          "2026-10-31", "--statement-balance", "4785.22", *CLEARED_IN_OCTOBER, "--finish")
    assert code == 1
    assert "check 1004 Office Depot -82.38 USD" in err and "is outstanding: if the statement shows it, tick it" in err


def test_fee_booked_ticked_and_finished_append_only_bean_check_clean(capsys, books_path, tmp_path):
    original = books_path.read_text(encoding="utf-8")
    code, out, err = finish_october(capsys, books_path, tmp_path)
    assert code == 0, err
    assert "Saved the reconciliation of Assets:Bank:FirstNational with the statement of 2026-10-31" in out
    assert "3 items outstanding" in out
    # Nothing already in the books was changed: the main file only gained the include line.
    assert books_path.read_text(encoding="utf-8").startswith(original)
    text = year_file(books_path).read_text(encoding="utf-8")
    assert "2026-11-01 balance Assets:Bank:FirstNational 4513.22 ~ 0 USD\n" in text
    assert '2026-11-01 custom "reconciled" Assets:Bank:FirstNational 2026-10-31 4855.60 USD\n' in text
    assert '  outstanding-1: "' in text and "check 1003, Rev. Ortiz" in text
    relative = "documents/bank/2026/2026-10-31-assets-bank-firstnational.csv"
    assert f'2026-11-01 document Assets:Bank:FirstNational "{relative}"' in text
    assert (books_path.parent / relative).read_text(encoding="utf-8").startswith("Date,Description")
    checked = bean_check(books_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    [record] = records(load_books(books_path).custom_entries, ACCOUNT)
    assert record.statement_balance == Decimal("4855.60") and record.books_balance == Decimal("4513.22")
    assert [(str(item.date), item.amount) for item in record.items] == [
        ("2026-10-26", Decimal("-900.00")), ("2026-10-29", Decimal("-82.38")), ("2026-10-31", Decimal("640.00"))]
    assert record.outstanding_total == Decimal("-342.38")


def test_a_statement_already_reconciled_is_refused(capsys, books_path, tmp_path):
    assert finish_october(capsys, books_path, tmp_path)[0] == 0
    code, _, err = reconcile_json(capsys, books_path, "2026-10-31", OCTOBER_BALANCE)
    assert code == 1 and "already reconciled" in err
    code, _, err = reconcile_json(capsys, books_path, "2026-10-15", OCTOBER_BALANCE)
    assert code == 1 and "reconciled through 2026-10-31 already" in err


def test_next_month_starts_from_the_recorded_outstanding_items(capsys, books_path, tmp_path):
    assert finish_october(capsys, books_path, tmp_path)[0] == 0
    # Someone edits the payee of an outstanding check by hand: it is still found (its id ignores the text).
    text = books_path.read_text(encoding="utf-8").replace('"Office Depot"', '"Office Depot Inc."')
    books_path.write_text(text, encoding="utf-8")
    code, result, _ = reconcile_json(capsys, books_path, "2026-11-30", NOVEMBER_BALANCE)
    assert code == 0
    assert [(item["date"], item["amount"], item["check"]) for item in result["outstanding"]] == [
        ("2026-10-26", "-900.00", "1003"), ("2026-10-29", "-82.38", "1004"), ("2026-10-31", "640.00", None),
        ("2026-11-08", "980.00", None), ("2026-11-10", "-300.00", "1005")]
    # The cleared balance starts from October's statement balance.
    assert result["cleared_balance"] == OCTOBER_BALANCE
    ticks = ("--tick", "#1003", "--tick", "2026-10-31:640.00", "--tick", "2026-11-08:980.00", "--tick", "#1005")
    code, result, _ = reconcile_json(capsys, books_path, "2026-11-30", NOVEMBER_BALANCE, *ticks)
    assert result["difference"] == "1.25"
    assert [item["check"] for item in result["outstanding"]] == ["1004"]
    # The interest is booked (by hand, through the write path), ticked, and November finished.
    ledger = Ledger(books_path)
    ledger.save(Draft("entry", dt.date(2026, 11, 30), '2026-11-30 * "First National" "Interest"\n'
                      "  Assets:Bank:FirstNational   1.25 USD\n  Income:Interest  -1.25 USD\n", "interest"))
    code, _out, err = finsek(capsys, "reconcile", "--ledger", books_path, "--account", ACCOUNT, "--statement-date",
                            "2026-11-30", "--statement-balance", NOVEMBER_BALANCE, *ticks, "--tick",
                            "2026-11-30:1.25", "--finish")
    assert code == 0, err
    checked = bean_check(books_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    _october, november = records(load_books(books_path).custom_entries, ACCOUNT)
    assert [item.words for item in november.items] == ["check 1004, Office Depot Inc."]
    assert november.books_balance == Decimal("5194.47")


def test_a_matching_balance_line_is_where_a_first_reconciliation_starts(capsys, books_path):
    with books_path.open("a", encoding="utf-8") as handle:
        handle.write("\n2026-10-13 balance Assets:Bank:FirstNational 4867.60 USD\n")
    code, result, _ = reconcile_json(capsys, books_path, "2026-10-31", "4867.60")
    assert code == 0
    assert [item["check"] for item in result["outstanding"]] == ["1003", "1004", None]
    assert result["cleared_balance"] == "4867.60" and result["difference"] == "0.00"


def test_a_reference_naming_no_item_is_refused_and_a_bad_amount_is_typed_wrong(capsys, books_path):
    code, _, err = reconcile_json(capsys, books_path, "2026-10-31", OCTOBER_BALANCE, "--tick", "#9999")
    assert code == 1 and "No item of Assets:Bank:FirstNational up to 2026-10-31 is '#9999'" in err
    code, _, err = reconcile_json(capsys, books_path, "2026-10-31", "4 855,60,1")
    assert code == 2
    code, _, err = reconcile_json(capsys, books_path, "2026-12-31", OCTOBER_BALANCE)
    assert code == 1 and "in the future" in err
    code, _, err = finsek(capsys, "reconcile", "--ledger", books_path, "--account", "Assets:Bank:Nope",
                          "--statement-date", "2026-10-31", "--statement-balance", "1")
    assert code == 1 and "There is no account Assets:Bank:Nope" in err


def test_dry_run_prints_what_finish_would_add_and_saves_nothing(capsys, books_path):
    book_fee(capsys, books_path)
    before = year_file(books_path).read_bytes()
    code, out, _ = finsek(capsys, "reconcile", "--ledger", books_path, "--account", ACCOUNT, "--statement-date",
                          "2026-10-31", "--statement-balance", OCTOBER_BALANCE, *CLEARED_IN_OCTOBER, "--tick",
                          "2026-10-31:-12.00", "--finish", "--dry-run")
    assert code == 0
    assert out.startswith("2026-11-01 balance Assets:Bank:FirstNational 4513.22 ~ 0 USD\n")
    assert year_file(books_path).read_bytes() == before
