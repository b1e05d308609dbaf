"""Every --donor of the command line goes through the one donor matcher; donor add refuses a second person."""

from finsek.cli.main import main
from finsek.ledger.donors import read_registry


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def gift(capsys, church, donor, *more):
    return run(capsys, "gift", "--ledger", str(church), "--amount", "10", "--date", "2026-01-10", "--method", "cash",
               "--donor", donor, "--dry-run", *more)


def test_a_name_that_fits_one_donor_is_taken(church, capsys):
    for typed, donor_id in (("zoe", "D0005"), ("ZOË", "D0005"), ("lukasiewicz nguyen", "D0005"),
                            ("Bjorn Svensson", "D0003"), ("svensson, björn", "D0003"), ("101", "D0001"),
                            ("d0002", "D0002"), ("pat o'brien", "D0002")):
        code, out, err = gift(capsys, church, typed)
        assert code == 0, (typed, err)
        assert f'donor: "{donor_id}"' in out, typed


def test_several_or_none_are_refused_with_suggestions(church, capsys):
    code, out, err = gift(capsys, church, "svensson")
    assert code == 1 and out == ""
    assert err.strip() == ("finsek: 'svensson' could be D0001 Anna Svensson (env. 101), D0003 Björn Svensson "
                           "(env. 103): type the id or envelope number of the one you mean.")
    code, _, err = gift(capsys, church, "Ana Svenson")
    assert code == 1 and "Did you mean D0001 Anna Svensson (env. 101)?" in err
    code, _, err = gift(capsys, church, "nobody at all")
    assert code == 1 and "There is no donor 'nobody at all' in donors.csv" in err and "Did you mean" not in err


def test_statements_and_donor_commands_take_names(church, capsys, tmp_path):
    code, out, _ = run(capsys, "statements", "--ledger", str(church), "--year", "2025", "--donor", "anna svensson",
                       "--donor", "102", "--dry-run")
    assert code == 0 and "D0001" in out and "D0002" in out and "2 donor statement(s)" in out
    code, out, _ = run(capsys, "donor", "show", "zoe", "--ledger", str(church))
    assert code == 0 and out.startswith("D0005  Zoë Łukasiewicz-Nguyễn")
    code, out, _ = run(capsys, "donor", "edit", "no gifts", "--phone", "555-0100", "--ledger", str(church))
    assert code == 0 and "Changed phone number of D0006 No Gifts." in out
    code, _, err = run(capsys, "donor", "merge", "svensson", "D0001", "--ledger", str(church))
    assert code == 1 and "could be D0001 Anna Svensson (env. 101), D0003 Björn Svensson (env. 103)" in err


def test_donor_add_refuses_the_same_person_unless_new(church, capsys):
    folder = church.parent
    code, _, err = run(capsys, "donor", "add", "--name", "svensson,  anna", "--ledger", str(church))
    assert code == 1
    assert err.strip() == (
        "finsek: svensson,  anna may already be in donors.csv: D0001 Anna Svensson (env. 101) has the same name. "
        "Record their gifts under D0001; if this is a different person, add them again with --new.")
    code, _, err = run(capsys, "donor", "add", "--name", "Someone", "--email", "PAT@example.com",
                       "--ledger", str(church))
    assert code == 1 and "D0002 Pat \"Paddy\" O'Brien, Jr. (env. 102) has the same e-mail address" in err
    code, _, err = run(capsys, "donor", "add", "--name", "Karin", "--address1", "1 quiet lane", "--ledger", str(church))
    assert code == 1 and "D0006 No Gifts has the same address" in err
    assert len(read_registry(folder)) == 6  # nothing added
    code, out, _ = run(capsys, "donor", "add", "--name", "Anna Svensson", "--new", "--ledger", str(church))
    assert code == 0 and out.strip() == "Added D0007 Anna Svensson."
    # a spouse put in the household at the same address is no duplicate
    code, out, _ = run(capsys, "donor", "add", "--name", "Erik Svensson", "--household", "H1", "--address1",
                       "Storgatan 1", "--postal-code", "111 22", "--ledger", str(church))
    assert code == 0 and out.strip() == "Added D0008 Erik Svensson."
