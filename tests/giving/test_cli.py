"""The giving commands, run as a user would (through ``finsek.cli.main.main``)."""

import stat
import subprocess
import sys

import pytest

import finsek.giving.render as render
from finsek.cli import giving
from finsek.cli.main import build_parser, main
from finsek.ledger.donors import read_registry


def run(capsys, church, *argv):
    code = main([*argv[:1], *argv[1:], "--ledger", str(church)] if argv[0] != "report" else
                [*argv, "--ledger", str(church)])
    out, err = capsys.readouterr()
    return code, out, err


def test_donor_add_list_show_edit(church, capsys):
    code, out, _ = run(capsys, church, "donor", "add", "--name", "Carl Ström", "--household", "H1",
                       "--address1", "Storgatan 1", "--email", "carl@example.org")
    assert code == 0 and out.strip() == "Added D0007 Carl Ström."
    code, out, _ = run(capsys, church, "donor", "list", "strom")
    assert code == 0 and "D0007" in out and "Carl Ström" in out and "1 donor(s)." in out
    code, out, _ = run(capsys, church, "donor", "show", "D0004", "--year", "2025")
    assert "D0004 is merged into D0001; showing D0001." in out
    assert "Household H1: D0001 Anna Svensson, D0003 Björn Svensson, D0007 Carl Ström" in out
    assert "Merged into this donor: D0004 (A. Svensson)" in out
    assert "135.00" in out and "D0004" in out and "-20.00" in out
    code, out, _ = run(capsys, church, "donor", "show", "D0001", "--household", "--year", "2025")
    assert "235.00" in out
    code, out, _ = run(capsys, church, "donor", "edit", "D0007", "--city", "Lund", "--dry-run")
    assert out.startswith("Would change city") and read_registry(church.parent).get("D0007").city == ""
    code, out, _ = run(capsys, church, "donor", "edit", "D0007", "--city", "Lund")
    assert read_registry(church.parent).get("D0007").city == "Lund"
    assert stat.S_IMODE((church.parent / "donors.csv").stat().st_mode) == 0o600


def test_donor_merge_and_refusals(church, capsys):
    code, out, _ = run(capsys, church, "donor", "merge", "D0003", "D0001")
    assert code == 0
    assert "the ledger is unchanged" in out and "records 1 gift(s) under D0003; they count for D0001" in out
    code, _, err = run(capsys, church, "donor", "merge", "D0001", "D0001")
    assert code == 1 and "cannot be merged into itself" in err
    code, _, err = run(capsys, church, "donor", "merge", "D0002", "D0003")
    assert code == 1 and "merge into D0001 instead" in err
    code, _, err = run(capsys, church, "donor", "show", "D0404")
    assert code == 1 and err.strip() == (
        "finsek: There is no donor 'D0404' in donors.csv. Type a name, envelope number or id "
        "(as 'finsek donor list' shows them), or add the donor first.")
    code, out, _ = run(capsys, church, "donor", "edit", "D0003", "--unmerge")
    assert code == 0 and "count for D0003 again" in out


def test_statements_warn_before_writing_private_files(church, capsys, tmp_path, monkeypatch):
    real = render.write_statements

    def checked(*args, **kwargs):
        assert "name donors" in capsys.readouterr().err  # warned before the first file exists
        return real(*args, **kwargs)

    monkeypatch.setattr(render, "write_statements", checked)
    out_dir = tmp_path / "statements"
    code, out, _ = run(capsys, church, "statements", "--year", "2025", "--format", "pdf,md",
                       "--out", str(out_dir), "--household", "--date", "2026-01-15")
    assert code == 0
    assert "Wrote 3 household statement(s) for 2025 (1,195.00 USD in all)" in out
    files = sorted(path.name for path in out_dir.iterdir())
    assert "giving-statement-2025-H1.pdf" in files and "giving-statements-2025.pdf" in files
    assert all(stat.S_IMODE((out_dir / name).stat().st_mode) == 0o600 for name in files)


def test_statements_dry_run_and_refusals(church, capsys, tmp_path):
    code, out, err = run(capsys, church, "statements", "--year", "2025", "--dry-run", "--donor", "D0004,D0002")
    assert code == 0 and "D0001" in out and "D0002" in out and "nothing written" in out and not err
    code, _, err = run(capsys, church, "statements", "--year", "2025", "--format", "docx")
    assert code == 1 and "Unknown format" in err
    code, out, _ = run(capsys, church, "statements", "--year", "2019", "--out", str(tmp_path / "none"))
    assert code == 0 and "no statements to write" in out and not (tmp_path / "none").exists()


def test_reports(church, capsys):
    code, out, _ = run(capsys, church, "report", "pledges", "--year", "2025", "--date", "2025-12-31")
    assert code == 0
    assert "Pat \"Paddy\" O'Brien, Jr." in out and "950.00" in out and "2,105.00" in out
    code, out, _ = run(capsys, church, "report", "pledges", "--year", "2025", "--no-names", "--fund", "building",
                       "--date", "2025-12-31")
    assert "O'Brien" not in out and "D0002" in out and "Anna" not in out
    code, out, _ = run(capsys, church, "report", "givers", "--year", "2025")
    assert code == 0
    assert out.split("All giving households")[1].split()[:2] == ["3", "1,195.00"]
    for donor in read_registry(church.parent):
        assert donor.name not in out
    assert "without a donor (loose offering, anonymous): 73.00." in out  # counted apart, never as a household


def test_wiring_into_finsek(church):
    args = build_parser().parse_args(["--ledger", str(church), "report", "givers", "--year", "2025",
                                      "--format", "json"])
    assert args.handler is giving.run_report_givers and args.ledger == str(church)
    assert args.handler(args) == 0


def test_importing_the_commands_stays_light():
    code = ("import sys, finsek.cli.giving; "
            "print(sorted(m for m in ('fpdf', 'pandas', 'beancount', 'matplotlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("argv", [["donor", "list", "--out"], ["statements"]])
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


def test_donor_list_export_is_private_and_warned(church, capsys, tmp_path):
    target = tmp_path / "export" / "donors.csv"
    code, out, err = run(capsys, church, "donor", "list", "--all", "--format", "csv", "--out", str(target))
    assert code == 0 and "name donors" in err and "Wrote 6 donor(s)" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert 'Likes ""quotes"", commas, and\nline breaks' in target.read_text(encoding="utf-8")


def test_wiring_beside_the_board_reports(church):
    parser = build_parser()
    args = parser.parse_args(["report", "pledges", "--all", "--ledger", str(church), "--format", "json"])
    assert args.report_kind == "pledges" and args.handler(args) == 0
    args = parser.parse_args(["statements", "--year", "2025", "--dry-run", "--ledger", str(church)])
    assert args.handler(args) == 0
