"""donors.csv faults are errors of check and audit, each with its line (the first row never silently wins)."""

from finsek.audit.engine import run_audit
from finsek.ledger.books import load_books
from finsek.ledger.donor_faults import registry_faults
from tests.cli.test_exit_codes import finsek

HEADER = "id,name,household,address1,address2,postal_code,city,country,email,envelope,notes,alias_of\n"


def _write(ledger_path, rows):
    (ledger_path.parent / "donors.csv").write_text(HEADER + "".join(rows), encoding="utf-8")


def test_each_fault_is_found_with_its_line(ledger_path):
    _write(ledger_path, [
        "D0001,Anna Svensson,,,,,,,,101,,\n",          # line 2
        "D0002,Bo Jones,,,,,,,,101,,\n",               # line 3: envelope 101 again
        "D0001,Anna Duplicate,,,,,,,,,,\n",            # line 4: id again
        "D0003,Cia,,,,,,,,,,D0004\n",                  # line 5 } a circle
        "D0004,Dan,,,,,,,,,,D0003\n",                  # line 6 }
        "D0005,\"Eva\nsecond line\",,,,,,,,,,D0404\n",   # lines 7-8: merged into nothing
        "D0006,Fia,,,,,,,,,,D0006\n",                  # line 9: into itself
    ])
    faults = registry_faults(ledger_path.parent)
    by_line = {fault.lineno: fault.message for fault in faults}
    assert "line 2 and again on line 4" in by_line[4]
    assert "Envelope number 101" in by_line[3] and "D0001 (line 2)" in by_line[3]
    assert "circle" in by_line[5] and "circle" in by_line[6]
    assert "D0404" in by_line[7]
    assert "itself" in by_line[9]
    assert "D0006,Fia" not in "".join(by_line.values())


def test_a_clean_registry_has_no_faults(ledger_path):
    assert registry_faults(ledger_path.parent) == []


def test_check_and_audit_report_them_as_errors(ledger_path, capsys):
    _write(ledger_path, ["D0001,Anna Svensson,,,,,,,,,,\n", "D0001,Anna Again,,,,,,,,,,\n"])
    code, out, err = finsek(capsys, "--ledger", ledger_path, "check")
    assert code == 1
    assert f"{ledger_path.parent / 'donors.csv'}:3: Donor id D0001 is on line 2 and again on line 3" in out
    assert "1 problem(s)" in err
    result = run_audit(load_books(ledger_path))
    found = [f for f in result.findings if f.code == "donor-registry-fault"]
    assert len(found) == 1 and found[0].severity == "error" and found[0].lineno == 3
    assert found[0].filename.endswith("donors.csv")
    code, out, _ = finsek(capsys, "--ledger", ledger_path, "audit")
    assert code == 1 and "D0001" in out
