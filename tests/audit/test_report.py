"""The committee's audit report (data, Markdown, JSON, PDF) and the finsek audit command."""

import datetime as dt
import json
import shutil
import subprocess

import pytest

from finsek.audit.pdf import render_pdf
from finsek.audit.report import build_report, render_markdown, render_text
from finsek.ledger.books import load_books
from tests.audit.conftest import DONORS, TODAY, append, audit, edit, finsek

DONOR_NAMES = ("Anna Svensson", "Bo Jones", "Carla Okafor", "C. Okafor")


def year(main):
    return main.parent / "2026.beancount"


def report_of(main, **kwargs):
    return build_report(load_books(main), audit(main, **kwargs))


def rows(table) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in table.rows}


def test_report_sections_and_figures(books, capsys):
    assert finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-09-30")[0] == 0
    report = report_of(books, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    # no findings: no errors, warnings or notes sections; the summary says so
    assert [s.key for s in report.sections] == [
        "summary", "reconciliation", "closes", "balances", "activity", "entries"]
    assert report.period_label == "1 October 2026 to 31 October 2026"
    accounts, funds = report.section("balances").tables
    assert rows(accounts)["Assets:Bank:Checking"] == ["5,207.60", "-875.00", "4,332.60"]
    assert rows(accounts)["Net assets (assets less liabilities)"] == ["15,207.60", "-875.00", "14,332.60"]
    assert rows(funds)["Building Fund"] == ["restricted", "3,250.00", "-1,200.00", "2,050.00"]
    assert rows(funds)["All funds"][1:] == ["15,207.60", "-875.00", "14,332.60"]
    [totals] = report.section("activity").tables
    assert rows(totals)["Total income"] == ["325.00"]
    assert rows(totals)["Total expenses"] == ["1,200.00"]
    assert rows(totals)["Deficit (income less expenses)"] == ["-875.00"]
    [kinds] = report.section("entries").tables
    assert rows(kinds) == {"Offering": ["1"], "Gift": ["1"], "Payment": ["1"], "Balance assertion": ["2"],
                           "All entries": ["5"]}
    [reconciliation] = report.section("reconciliation").tables
    assert [row[0] for row in reconciliation.rows] == ["October 2026"] * 2
    assert all(row[-1] == "Reconciled" for row in reconciliation.rows)
    [closes] = report.section("closes").tables
    assert closes.rows[0][0] == "30 September 2026" and closes.rows[0][3] == "Verified"
    assert report.section("summary").paragraphs[0] == "The audit found nothing to question."
    assert report.section("summary").steps == [
        "Nothing to put right.",
        "With no errors, the books can be closed through 2026-10-31: finsek close --through 2026-10-31."]
    assert report.data["total_income"] == "325.00"


def test_a_changed_close_shows_in_the_report(books, capsys):
    finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-09-30")
    edit(year(books), 'check: "1001"', 'check: "1009"')
    report = report_of(books)
    [closes] = report.section("closes").tables
    assert closes.rows[0][3] == "CHANGED"
    assert "no longer match" in " ".join(report.section("closes").paragraphs)
    markdown = render_markdown(report)
    assert "Closed periods" in markdown and "changed since they were closed" in markdown


def test_findings_listed_by_check_with_what_to_do(books):
    edit(year(books), '  receipt: "documents/2026/2026-09-15-city-power.pdf"\n', "")
    edit(year(books), '  approved-by: "Church council"\n', "")
    report = report_of(books)
    assert [s.key for s in report.sections][:2] == ["summary", "warnings"]
    titles = [table.title for table in report.section("warnings").tables]
    assert titles == ["Payments: Payments without a receipt (1)", "Payments: Payments without approval (1)",
                      "Fund balances (1)"]
    table = report.section("warnings").tables[0]
    assert table.columns == ["Where", "Finding"]
    assert table.note.startswith("What to do: Scan the receipt")
    assert table.rows[0][0].startswith("2026.beancount:")
    [counts] = report.section("summary").tables
    assert rows(counts) == {"Payments": ["", "2", ""], "Fund balances": ["", "1", ""], "All checks": ["0", "3", "0"]}


def test_no_donor_is_named(books, capsys):
    append(year(books), '2026-11-08 * "Anna Svensson" "Gift"\n  Assets:Bank:Checking  1500.00 USD\n'
                        '  Income:Contributions:Offerings  -1500.00 USD\n    donor: "D0001"\n    method: "cash"\n\n'
                        '2026-11-09 * "Anna Svensson" "Gift"\n  Assets:Bank:Checking  1500.00 USD\n'
                        '  Income:Contributions:Offerings  -1500.00 USD\n    donor: "Bo Jones"\n    method: "cash"\n')
    report = report_of(books)
    assert {f.code for f in report.result.findings} >= {"large-cash-gift", "unknown-donor"}
    texts = [render_markdown(report), render_text(report.result)]
    code, out, _ = finsek(capsys, "audit", "--ledger", books, "--format", "json")
    assert code == 1
    texts.append(out)
    for text in texts:
        for name in DONOR_NAMES:
            assert name not in text
        for donor_id in ("D0001", "D0002", "D0003"):
            assert donor_id not in text


def test_audit_command_writes_the_report_files(books, tmp_path, capsys):
    out_dir = tmp_path / "out"
    code, out, _ = finsek(capsys, "audit", "--ledger", books, "--format", "text,md,pdf,json", "--out", out_dir)
    assert code == 0
    # the default period ends where the books end: October's statement balances, dated 1 November
    assert out.startswith("Test Church: audit of 1 September 2026 to 1 November 2026\nThe audit found nothing")
    names = sorted(path.name for path in out_dir.iterdir())
    assert names == [f"audit-2026-09-01-to-2026-11-01.{ext}" for ext in ("json", "md", "pdf")]
    pdf = (out_dir / names[2]).read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf
    data = json.loads((out_dir / names[0]).read_text())
    assert data["counts"] == {"error": 0, "warning": 0, "note": 0} and data["exit_status"] == 0
    assert data["report"]["total_income"] == "715.00"


def test_audit_command_exit_status_and_severity_filter(books, capsys):
    edit(year(books), '  receipt: "documents/2026/2026-09-15-city-power.pdf"\n', "")
    code, out, _ = finsek(capsys, "audit", "--ledger", books)
    assert code == 0
    assert "WARNINGS (1)\n  Payments\n    2026.beancount:" in out and "      What to do: Scan" in out
    code, out, _ = finsek(capsys, "audit", "--ledger", books, "--severity", "error")
    assert code == 0 and "WARNINGS" not in out and "1 finding(s) of lesser severity not shown" in out
    append(year(books), '2026-11-08 * "Gift"\n  Assets:Bank:Checking  10.00 USD\n'
                        '  Income:Contributions:Designated  -10.00 USD\n    fund: "bulding"\n')
    assert finsek(capsys, "audit", "--ledger", books)[0] == 1


def test_audit_command_period_and_usage(books, capsys):
    code, out, _ = finsek(capsys, "audit", "--ledger", books, "--from", "2026-10-01", "--to", "2026-10-31",
                          "--format", "md")
    assert code == 0 and out.startswith("# Audit report: Test Church\n\nPeriod: 1 October 2026 to 31 October 2026.")
    assert finsek(capsys, "audit", "--ledger", books, "--format", "docx")[0] == 2
    code, _, err = finsek(capsys, "audit", "--ledger", books, "--from", "2026-11-01", "--to", "2026-10-01")
    assert code == 1 and "swap --from and --to" in err
    code, _, err = finsek(capsys, "audit", "--ledger", books.parent / "nowhere")
    assert code == 1 and "There is no ledger" in err


def test_pdf_of_the_demo_names_no_donor(tmp_path):
    from finsek.demo import generate_demo

    main = generate_demo(tmp_path / "demo", years=1, today=TODAY)
    report = report_of(main)
    pdf = render_pdf(report, "letter")
    assert pdf.startswith(b"%PDF")
    names = [line.split(",")[1] for line in (main.parent / "donors.csv").read_text().splitlines()[1:]]
    texts = [render_markdown(report)]
    if shutil.which("pdftotext"):
        path = tmp_path / "audit.pdf"
        path.write_bytes(pdf)
        texts.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout)
        assert "Audit report" in texts[-1] and "Page 1 of" in texts[-1]
    for text in texts:
        assert not [name for name in names if name and name.strip('"') in text]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_paper_sizes(books, paper):
    pdf = render_pdf(report_of(books), paper)
    width = b"595.28" if paper == "a4" else b"612.00"
    assert width in pdf


def test_donor_fixture_names():
    assert all(name in DONORS for name in DONOR_NAMES)


def test_wired_into_finsek_cli(books, capsys):
    """The commands on finsek's parser, with --ledger before the command, run as finsek.cli.main runs them."""
    import finsek.cli.main as cli
    from finsek.cli.audit import run_audit_command, run_close_command

    top = cli.build_parser()
    args = top.parse_args(["--ledger", str(books), "audit", "--severity", "error"])
    assert args.handler is run_audit_command
    assert cli.run(args, today=TODAY) == 0
    assert "The audit found nothing to question." in capsys.readouterr().out
    args = top.parse_args(["--ledger", str(books), "close", "--through", "2026-10-31", "--dry-run"])
    assert args.handler is run_close_command
    assert cli.run(args, today=TODAY) == 0
    assert 'custom "close" 2026-10-31' in capsys.readouterr().out


ERRORS_AND_WARNINGS = (
    '2026-11-08 * "Gift"\n  Assets:Bank:Checking  10.00 USD\n  Income:Contributions:Designated  -10.00 USD\n'
    '    fund: "bulding"\n\n'
    '2026-11-09 * "Summit Roofing" "Gutters"\n  Expenses:Facilities:Maintenance  9000.00 USD\n'
    '    fund: "building"\n  Assets:Bank:Checking  -9000.00 USD\n\n'
    '2026-11-10 * "Anna Svensson" "Gift"\n  Assets:Bank:Checking  1500.00 USD\n'
    '  Income:Contributions:Offerings  -1500.00 USD\n    donor: "D0001"\n    method: "cash"\n'
)


def test_errors_come_first_then_warnings_then_notes_in_every_output(books, tmp_path, capsys):
    append(year(books), ERRORS_AND_WARNINGS)
    report = report_of(books, end=dt.date(2026, 11, 30))
    result = report.result
    assert result.counts["error"] and result.counts["warning"] and result.counts["note"]
    # the findings themselves (and so the JSON list): by severity, then by check
    ranks = [("error", "warning", "note").index(f.severity) for f in result.findings]
    assert ranks == sorted(ranks)
    assert [s.key for s in report.sections][:4] == ["summary", "errors", "warnings", "notes"]
    assert report.section("errors").title == f"Errors ({result.counts['error']})"
    # the summary: counts first, what to do, the counts by check (errors' checks first), every error
    summary = report.section("summary")
    assert summary.paragraphs[0] == result.summary()
    assert summary.steps[0].startswith(f"Put right the {result.counts['error']} errors first")
    assert summary.steps[1].startswith(f"Then look at the {result.counts['warning']} warnings")
    counts, errors = summary.tables
    with_errors = [row for row in counts.rows[:-1] if row[1]]
    assert counts.rows[:len(with_errors)] == with_errors
    assert [row[2] for row in errors.rows] == [f.message for f in result.errors]
    markdown = render_markdown(report)
    assert markdown.index("## Summary") < markdown.index("**What to do**") < markdown.index("## Errors (") \
        < markdown.index("## Warnings (") < markdown.index("## Notes (") < markdown.index("## Balances")
    text = render_text(result)
    assert text.index("What to do:") < text.index("ERRORS (") < text.index("WARNINGS (") < text.index("NOTES (")
    code, out, _ = finsek(capsys, "audit", "--ledger", books, "--to", "2026-11-30", "--format", "json")
    data = json.loads(out)
    severities = [f["severity"] for f in data["findings"]]
    assert code == 1 and severities == sorted(severities, key=("error", "warning", "note").index)
    assert data["summary"]["counts"] == data["counts"]
    assert [f["message"] for f in data["summary"]["errors"]] == [f.message for f in result.errors]
    assert data["summary"]["next_steps"] == summary.steps


def test_the_pdf_summary_is_one_page_however_many_errors(books, tmp_path):
    pytest.importorskip("fpdf")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    many = "".join(f'2026-11-{day:02d} * "Gift"\n  Assets:Bank:Checking  10.00 USD\n'
                   f'  Income:Contributions:Designated  -10.00 USD\n    fund: "bulding{day}"\n\n'
                   for day in range(2, 28))
    append(year(books), many)
    report = report_of(books, end=dt.date(2026, 11, 30))
    assert len(report.result.errors) >= 26
    path = tmp_path / "audit.pdf"
    path.write_bytes(render_pdf(report, "letter"))
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(path), "-"], capture_output=True,
                           text=True).stdout
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(path), "-"], capture_output=True,
                            text=True).stdout
    assert "Summary" in first and "What to do" in first and "Findings by check" in first
    assert "more errors are listed under Errors" in first
    assert "Errors (" in second and "Summary" not in second
