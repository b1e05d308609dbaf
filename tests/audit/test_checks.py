"""Each audit check: tripped by a ledger made to trip it, silent on the clean one."""

import datetime as dt

import pytest

from finsek.audit.checks.settings import audit_settings
from finsek.audit.engine import run_audit
from finsek.audit.findings import CHECKS, CODE_TITLES, Finding
from finsek.ledger.books import load_books
from tests.audit.conftest import TODAY, append, audit, codes, edit, make_books


def year(main):
    return main.parent / "2026.beancount"


def only(result, code: str) -> list[Finding]:
    return [finding for finding in result.findings if finding.code == code]


def test_the_clean_ledger_has_no_findings(books):
    result = audit(books)
    assert result.findings == []
    assert result.exit_status == 0
    # the books end with October's statement balances (dated 1 November): so does the default period
    assert result.start == dt.date(2026, 9, 1) and result.end == dt.date(2026, 11, 1)
    assert [row.status for row in result.reconciliation] == ["reconciled"] * 4


def test_the_default_period_ends_where_the_books_end_not_today(books):
    loaded = load_books(books)
    a_year_later = run_audit(loaded, today=dt.date(2027, 11, 27), git=False)
    assert a_year_later.end == dt.date(2026, 11, 1)
    assert not only(a_year_later, "unreconciled-month")  # no warning for each month since
    # told to audit to today, the months since are months without a statement balance
    assert len(only(run_audit(loaded, end=dt.date(2027, 11, 27), today=dt.date(2027, 11, 27), git=False),
                    "unreconciled-month")) == 2 * 12  # November 2026 to October 2027
    # a month with entries is audited whole: its statement balance is expected
    append(year(books), '2026-11-08 * "Online giving" "Online gift"\n  Assets:Bank:Checking  75.00 USD\n'
                        '  Income:Contributions:Offerings  -75.00 USD\n    method: "online"\n')
    later = run_audit(load_books(books), today=dt.date(2027, 11, 27), git=False)
    assert later.end == dt.date(2026, 11, 30)
    assert [f.date for f in only(later, "unreconciled-month")] == [dt.date(2026, 11, 30)] * 2
    # and never after today
    assert run_audit(load_books(books), today=dt.date(2026, 11, 20), git=False).end == dt.date(2026, 11, 20)


def test_every_finding_code_has_a_title_and_every_check_an_id():
    assert len({check.id for check in CHECKS}) == len(CHECKS)
    assert all(title for title in CODE_TITLES.values())


# --------------------------------------------------------------------------- ledger errors


def test_beancount_error_is_an_error_with_file_and_line(books):
    append(year(books), '2026-11-03 * "Hardware" "Nails"\n  Expenses:Nails  5.00 USD\n  Assets:Bank:Checking\n')
    result = audit(books)
    errors = only(result, "ledger-error")
    assert errors and all(f.severity == "error" for f in errors)
    assert errors[0].filename.endswith("2026.beancount") and errors[0].lineno > 60
    assert errors[0].action
    assert result.exit_status == 1


def test_unknown_fund_and_donor_come_from_the_plugin_and_name_no_donor(books):
    append(year(books), '2026-11-08 * "Gift"\n  Assets:Bank:Checking  10.00 USD\n'
                        '  Income:Contributions:Designated  -10.00 USD\n    fund: "bulding"\n'
                        '    donor: "Anna Svensson"\n    method: "check"\n    check: "77"\n')
    result = audit(books)
    assert codes(result, "error") == ["unknown-donor", "unknown-fund"]
    donor = only(result, "unknown-donor")[0]
    assert "Anna Svensson" not in donor.message and donor.lineno is not None
    assert donor.date == dt.date(2026, 11, 8)


def test_strict_funds(tmp_path):
    main = make_books(tmp_path / "b", settings='2026-01-01 custom "finsek" "strict-funds" "true"\n')
    result = audit(main)
    missing = only(result, "missing-fund")
    # The clean ledger names no fund on its general-fund income and utilities postings.
    assert missing and all(f.severity == "error" and f.check == "fund-donor-tags" for f in missing)
    assert not only(audit(make_books(tmp_path / "clean")), "missing-fund")


def test_a_ledger_without_the_plugin_line_is_still_checked(books):
    edit(books, 'plugin "finsek.plugin"', "")
    append(year(books), '2026-11-08 * "Gift"\n  Assets:Bank:Checking  10.00 USD\n'
                        '  Income:Contributions:Designated  -10.00 USD\n    fund: "bulding"\n')
    result = audit(books)
    assert "plugin-missing" in codes(result, "warning")
    assert "unknown-fund" in codes(result, "error")
    assert not result.plugin_active


def test_unreadable_setting_is_reported(tmp_path):
    main = make_books(tmp_path / "b", settings='2026-01-01 custom "finsek" "duplicate-days" "soon"\n')
    assert codes(audit(main)) == ["setting-invalid"]


# --------------------------------------------------------------------------- reconciliation


def test_month_without_a_statement_balance(books):
    edit(year(books), "2026-11-01 balance Assets:Bank:Savings   10000.00 USD\n", "")
    result = audit(books)
    [finding] = result.findings
    assert finding.code == "unreconciled-month" and finding.severity == "warning"
    assert "Assets:Bank:Savings" in finding.message and "October 2026" in finding.message
    assert "finsek balance --account Assets:Bank:Savings --date 2026-10-31" in finding.action
    statuses = {(row.account, row.month_end): row.status for row in result.reconciliation}
    assert statuses[("Assets:Bank:Savings", dt.date(2026, 10, 31))] == "missing"


def test_balance_a_few_days_off_month_end_counts_within_the_grace(books):
    edit(year(books), "2026-11-01 balance Assets:Bank:Savings", "2026-11-03 balance Assets:Bank:Savings")
    assert audit(books).findings == []


def test_balance_that_does_not_match(books):
    edit(year(books), "2026-11-01 balance Assets:Bank:Checking   4332.60 USD",
         "2026-11-01 balance Assets:Bank:Checking   4332.00 USD")
    result = audit(books)
    assert codes(result) == ["balance-mismatch"]
    assert only(result, "balance-mismatch")[0].check == "reconciliation"
    statuses = {(row.account, row.month_end): row.status for row in result.reconciliation}
    assert statuses[("Assets:Bank:Checking", dt.date(2026, 10, 31))] == "mismatch"


def test_months_after_the_period_or_not_ended_are_not_required(books):
    result = audit(books, end=dt.date(2026, 9, 30))
    assert [row.month_end for row in result.reconciliation] == [dt.date(2026, 9, 30)] * 2


# --------------------------------------------------------------------------- offerings


def test_offering_counted_by_one_person(books):
    edit(year(books), 'counted-by: "C. Lee, D. Moore"', 'counted-by: "C. Lee, c lee"')
    [finding] = audit(books).findings
    assert finding.code == "offering-counters" and "one person" in finding.message
    assert "275.00 USD" in finding.message and "2026-10-04" in finding.message


def test_offering_without_counters(books):
    edit(year(books), '  counted-by: "C. Lee, D. Moore"\n', "")
    [finding] = audit(books).findings
    assert finding.code == "offering-counters" and "who counted" in finding.message


def test_counted_total_not_matching_the_gifts(books):
    edit(year(books), 'counted-by: "C. Lee, D. Moore"', 'counted-by: "C. Lee, D. Moore"\n  counted-total: 285.00 USD')
    [finding] = audit(books).findings
    assert (finding.code, finding.severity) == ("offering-total", "error")
    assert "285.00 USD" in finding.message and "275.00 USD" in finding.message


def test_deposit_not_matching_the_gifts(books):
    edit(year(books), "  Assets:Bank:Checking             275.00 USD\n",
         "  Assets:Bank:Checking             265.00 USD\n  Expenses:Administration:Office  10.00 USD\n")
    edit(year(books), "4332.60 USD", "4322.60 USD")
    [finding] = audit(books).findings
    assert (finding.code, finding.severity) == ("offering-total", "warning")


# --------------------------------------------------------------------------- payments


def test_payment_without_receipt_above_the_threshold(books):
    edit(year(books), '  receipt: "documents/2026/2026-09-15-city-power.pdf"\n', "")
    [finding] = audit(books).findings
    assert finding.code == "payment-receipt" and finding.severity == "warning"
    assert "182.40 USD to City Power & Light" in finding.message


def test_small_payment_needs_no_receipt_and_threshold_is_a_setting(tmp_path):
    main = make_books(tmp_path / "b", settings='2026-01-01 custom "finsek" "receipt-threshold" 200.00 USD\n')
    edit(year(main), '  receipt: "documents/2026/2026-09-15-city-power.pdf"\n', "")
    assert audit(main).findings == []


def test_receipt_file_missing(books):
    (books.parent / "documents/2026/2026-10-12-roof.pdf").unlink()
    [finding] = audit(books).findings
    assert finding.code == "receipt-missing-file" and "2026-10-12-roof.pdf" in finding.message


def test_payment_above_approval_threshold_without_approval(books):
    edit(year(books), '  approved-by: "Church council"\n', "")
    result = audit(books)
    assert codes(result) == ["payment-approval", "restricted-spending"]
    assert "above the approval threshold of 500.00 USD" in only(result, "payment-approval")[0].message


def test_approval_threshold_from_the_ledger_setting(tmp_path):
    main = make_books(tmp_path / "b", settings='2026-01-01 custom "finsek" "approval-threshold" 100.00 USD\n')
    [finding] = audit(main).findings
    assert finding.code == "payment-approval" and "182.40 USD" in finding.message
    assert audit_settings(load_books(main).entries, load_books(main).settings).approval_threshold == 100


# --------------------------------------------------------------------------- separation of duties


SEPARATION = '2026-01-01 custom "finsek" "separation-of-duties" "true"\n'


def test_counter_who_deposits(tmp_path):
    main = make_books(tmp_path / "b", settings=SEPARATION)
    edit(year(main), 'counted-by: "C. Lee, D. Moore"', 'counted-by: "C. Lee, D. Moore"\n  deposited-by: "D Moore"')
    [finding] = audit(main).findings
    assert finding.code == "duties-offering" and "Moore" not in finding.message


def test_approver_who_entered_the_payment(tmp_path):
    main = make_books(tmp_path / "b", settings=SEPARATION)
    edit(year(main), 'approved-by: "Church council"', 'approved-by: "Pat Treasurer"\n  entered-by: "pat treasurer"')
    [finding] = audit(main).findings
    assert finding.code == "duties-payment"


def test_duties_are_only_checked_when_the_ledger_asks(books):
    edit(year(books), 'counted-by: "C. Lee, D. Moore"', 'counted-by: "C. Lee, D. Moore"\n  deposited-by: "D Moore"')
    assert audit(books).findings == []


# --------------------------------------------------------------------------- check numbers


def payment(day: str, number: str, amount: str = "60.00", payee: str = "Hilltop Hardware") -> str:
    return (f'{day} * "{payee}" "Repair supplies"\n  check: "{number}"\n'
            f"  Expenses:Facilities:Maintenance  {amount} USD\n  Assets:Bank:Checking  -{amount} USD\n")


def test_duplicate_check_number(books):
    append(year(books), payment("2026-11-05", "1002"))
    [finding] = audit(books).findings
    assert (finding.code, finding.severity) == ("check-duplicate", "error")
    assert "Check 1002 from Assets:Bank:Checking" in finding.message and "2026-10-12" in finding.message


def test_gap_in_check_numbers_and_a_void_note(books):
    append(year(books), payment("2026-11-05", "1006"))
    [finding] = audit(books).findings
    assert finding.code == "check-gap" and "Checks 1003–1005" in finding.message
    append(year(books), '2026-11-06 note Assets:Bank:Checking "Checks 1003 1004 void, misprinted"\n'
                        '2026-11-06 note Assets:Bank:Checking "Spoiled"\n  check: "1005"\n')
    assert audit(books).findings == []


def test_new_check_series_is_a_note(books):
    append(year(books), payment("2026-11-05", "2001"))
    [finding] = audit(books).findings
    assert (finding.code, finding.severity) == ("check-series", "note")


def test_same_donor_check_twice(books):
    append(year(books), '2026-11-08 * "Mailed gift" "Check by mail"\n  Assets:Bank:Checking  100.00 USD\n'
                        '  Income:Contributions:Offerings  -100.00 USD\n    donor: "D0001"\n'
                        '    method: "check"\n    check: "1234"\n')
    [finding] = audit(books).findings
    assert finding.code == "duplicate-gift-check" and "D0001" not in finding.message


# --------------------------------------------------------------------------- likely duplicates


def test_same_payee_and_amount_within_days(books):
    append(year(books), '2026-09-17 * "City Power & Light" "August electricity"\n'
                        '  receipt: "documents/2026/2026-09-15-city-power.pdf"\n'
                        '  method: "transfer"\n'
                        "  Expenses:Facilities:Utilities    182.40 USD\n  Assets:Bank:Checking  -182.40 USD\n")
    edit(year(books), "check: \"1001\"\n", 'method: "transfer"\n')
    edit(year(books), "5207.60 USD", "5025.20 USD")
    edit(year(books), "4332.60 USD", "4150.20 USD")
    [finding] = audit(books).findings
    assert finding.code == "likely-duplicate" and finding.date == dt.date(2026, 9, 17)
    assert "2026-09-15" in finding.message


def test_different_check_numbers_are_not_duplicates(books):
    append(year(books), payment("2026-11-05", "1003") + "\n" + payment("2026-11-06", "1004"))
    assert audit(books).findings == []


def test_same_donor_same_amount_online_twice(books):
    append(year(books), '2026-10-22 * "Online giving" "Online gift"\n  Assets:Bank:Checking  50.00 USD\n'
                        '  Income:Contributions:Offerings  -50.00 USD\n    donor: "D0003"\n    method: "online"\n')
    edit(year(books), "4332.60 USD", "4382.60 USD")
    [finding] = audit(books).findings
    # D0004 is an alias of D0003: the same donor.
    assert finding.code == "likely-duplicate" and "same donor" in finding.message
    assert "Okafor" not in finding.message and "D000" not in finding.message
    assert audit(books, start=dt.date(2026, 10, 23)).findings == []


def test_a_reversed_entry_is_not_a_duplicate_of_its_replacement(books):
    bill = payment("2026-11-05", "X", "70.00").replace('check: "X"', 'method: "transfer"')
    append(year(books), bill + "\n" + bill.replace("2026-11-05", "2026-11-06"))
    assert codes(audit(books)) == ["likely-duplicate"]
    text = year(books).read_text()
    line = text[: text.index('2026-11-05 * "Hilltop')].count("\n") + 1
    append(year(books), f'2026-11-06 * "Hilltop Hardware" "Reversal"\n  reverses: "2026-11-05 2026.beancount:{line}"\n'
                        "  Expenses:Facilities:Maintenance  -70.00 USD\n  Assets:Bank:Checking  70.00 USD\n")
    assert codes(audit(books)) == []


# --------------------------------------------------------------------------- funds


def test_restricted_fund_below_zero(books):
    edit(year(books), "Expenses:Facilities:Maintenance 1200.00 USD", "Expenses:Facilities:Maintenance 3300.00 USD")
    edit(year(books), "Assets:Bank:Checking           -1200.00 USD", "Assets:Bank:Checking           -3300.00 USD")
    edit(year(books), "4332.60 USD", "2232.60 USD")
    [finding] = audit(books).findings
    assert (finding.code, finding.severity) == ("fund-negative", "error")
    assert "Building Fund (restricted) has been below zero since 2026-10-12" in finding.message
    assert "-50.00 USD" in finding.message
    assert finding.lineno is not None


def test_general_fund_below_zero_is_a_warning_and_the_stretch_ends(books):
    append(year(books), '2026-11-02 * "Hilltop Hardware" "Boiler"\n  method: "transfer"\n'
                        '  receipt: "documents/2026/2026-10-12-roof.pdf"\n  approved-by: "Council"\n'
                        "  Expenses:Facilities:Maintenance  12500.00 USD\n  Assets:Bank:Savings  -12500.00 USD\n\n"
                        '2026-11-04 * "Generous gift"\n  Assets:Bank:Savings  5000.00 USD\n'
                        '  Income:Contributions:Offerings  -5000.00 USD\n    method: "transfer"\n')
    [finding] = audit(books).findings
    assert (finding.code, finding.severity) == ("fund-negative", "warning")
    assert "from 2026-11-02 to 2026-11-03" in finding.message
    assert audit(books, start=dt.date(2026, 11, 5)).findings == []


def test_restricted_spending_without_release(books):
    edit(year(books), 'approved-by: "Church council"', 'entered-by: "Pat"')
    edit(year(books), "Expenses:Facilities:Maintenance 1200.00 USD", "Expenses:Facilities:Maintenance 400.00 USD")
    edit(year(books), "Assets:Bank:Checking           -1200.00 USD", "Assets:Bank:Checking           -400.00 USD")
    edit(year(books), "4332.60 USD", "5132.60 USD")
    [finding] = audit(books).findings
    assert finding.code == "restricted-spending" and "Building Fund" in finding.message


def test_restricted_money_moved_to_general_needs_matching_payments(books):
    transfer = ('2026-11-03 * "Release" ^roof\n  approved-by: "Council"\n  Equity:Transfers  300.00 USD\n'
                '    fund: "building"\n  Equity:Transfers  -300.00 USD\n    fund: "general"\n')
    append(year(books), transfer)
    assert codes(audit(books)) == ["restricted-release"]
    # The roof repair was charged to the building fund itself: it releases nothing more.
    edit(year(books), '"Summit Roofing" "Roof repair"', '"Summit Roofing" "Roof repair" ^roof')
    assert codes(audit(books)) == ["restricted-release"]
    append(year(books), '2026-11-02 * "Hilltop Hardware" "Gutters for the new roof" ^roof\n  method: "transfer"\n'
                        '  receipt: "documents/2026/2026-10-12-roof.pdf"\n'
                        "  Expenses:Facilities:Maintenance  300.00 USD\n  Assets:Bank:Savings  -300.00 USD\n")
    assert audit(books).findings == []


# --------------------------------------------------------------------------- donors, dates, cash


def test_donor_ids_without_a_registry(books):
    (books.parent / "donors.csv").unlink()
    result = audit(books)
    assert codes(result) == ["donor-registry-missing"]


def test_entry_dated_in_the_future(books):
    append(year(books), '2026-12-02 * "Online giving" "Online gift"\n  Assets:Bank:Checking  20.00 USD\n'
                        '  Income:Contributions:Offerings  -20.00 USD\n    method: "online"\n')
    result = audit(books)
    [finding] = result.findings
    assert finding.code == "future-entry" and "2026-12-02" in finding.message
    assert finding in audit(books, end=dt.date(2026, 10, 31)).findings


def test_large_cash_gift(books):
    append(year(books), '2026-11-08 * "Gift"\n  Assets:Bank:Checking  1500.00 USD\n'
                        '  Income:Contributions:Offerings  -1500.00 USD\n    donor: "D0002"\n    method: "cash"\n')
    [finding] = audit(books).findings
    assert (finding.code, finding.severity) == ("large-cash-gift", "note")
    assert "1,500.00 USD" in finding.message and "Jones" not in finding.message


def test_loose_plate_cash_is_not_a_large_cash_gift(tmp_path):
    main = make_books(tmp_path / "b", settings='2026-01-01 custom "finsek" "cash-gift-threshold" 50.00 USD\n')
    assert audit(main).findings == []


def _online(day: str, account: str, amount: str, payout: bool = False) -> str:
    if payout:
        return (f'{day} * "PayPal" "Payout to the bank"\n  online-id: "paypal:P{day}"\n'
                f'  Assets:Cash:Undeposited  {amount} USD\n  {account}  -{amount} USD\n')
    return (f'{day} * "PayPal" "Online gift"\n  online-id: "paypal:G{day}"\n  {account}  {amount} USD\n'
            f'  Income:Contributions:Offerings  -{amount} USD\n    method: "online"\n')


def test_online_giving_that_is_never_paid_out_is_a_warning(books):
    opened = '2026-09-01 open Assets:Clearing:PayPal USD\n'
    append(year(books), opened + _online("2026-10-01", "Assets:Clearing:PayPal", "300.00")
           + _online("2026-10-20", "Assets:Clearing:PayPal", "50.00"))
    [finding] = audit(books, end=dt.date(2026, 10, 31)).findings
    assert (finding.code, finding.severity) == ("clearing-not-emptied", "warning")
    assert "350.00 USD" in finding.message and "50.00 USD" in finding.message
    append(year(books), _online("2026-10-05", "Assets:Clearing:PayPal", "300.00", payout=True))
    assert audit(books, end=dt.date(2026, 10, 31)).findings == []  # what is left came in the last 14 days


def test_a_payout_no_gifts_explain_is_a_warning(books):
    append(year(books), '2026-09-01 open Assets:Clearing:Stripe USD\n'
           + _online("2026-10-05", "Assets:Clearing:Stripe", "80.00", payout=True))
    assert codes(audit(books, end=dt.date(2026, 10, 31))) == ["clearing-below-zero"]


# --------------------------------------------------------------------------- period and result


def test_findings_outside_the_period_are_left_out(books):
    edit(year(books), '  receipt: "documents/2026/2026-09-15-city-power.pdf"\n', "")
    assert codes(audit(books, start=dt.date(2026, 10, 1))) == []
    assert codes(audit(books, end=dt.date(2026, 9, 30))) == ["payment-receipt"]


def test_start_after_end_is_refused(books):
    from finsek.core.errors import Refused

    with pytest.raises(Refused, match="swap --from and --to"):
        audit(books, start=dt.date(2026, 11, 1), end=dt.date(2026, 10, 1))


def test_result_as_data(books):
    edit(year(books), '  receipt: "documents/2026/2026-09-15-city-power.pdf"\n', "")
    result = audit(books)
    data = result.to_dict()
    assert data["counts"] == {"error": 0, "warning": 1, "note": 0}
    [finding] = data["findings"]
    assert finding["file"] == "2026.beancount" and finding["line"] > 0 and finding["severity"] == "warning"
    assert finding["date"] == "2026-09-15" and finding["action"]
    assert result.grouped()[0][0].id == "payments"
    assert result.filtered("error") == [] and len(result.filtered("note", at_least_severity=True)) == 1


def test_entries_in_a_closed_period_say_not_to_edit(books):
    from finsek.audit.closing import close_books
    from finsek.ledger.ledger import Ledger

    edit(year(books), '  receipt: "documents/2026/2026-09-15-city-power.pdf"\n', "")
    close_books(Ledger(books, state_dir=books.parent.parent / "state"), dt.date(2026, 9, 30), TODAY)
    [finding] = audit(books).findings
    assert finding.closed and "do not edit the entry" in finding.action


def test_the_demo_ledger_has_no_errors(tmp_path):
    from finsek.demo import generate_demo

    main = generate_demo(tmp_path / "demo", years=1, today=TODAY)
    result = audit(main)
    assert result.errors == [], [f.message for f in result.errors]
    # The demo keeps receipts and approvals (docs/audit.md): nothing for the committee to question.
    assert [f.message for f in result.findings if f.severity != "note"] == []
    assert all(row.status == "reconciled" for row in result.reconciliation)


def test_entries_setting_defaults():
    settings = audit_settings([], None)
    assert settings.approval_threshold == 500 and settings.receipt_threshold == 75
    assert settings.duplicate_days == 3 and settings.reconcile_accounts == ("Assets:Bank",)
