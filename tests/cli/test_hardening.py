"""Issue 13 (hardening): every bad path gives one plain line and a non-zero exit; untrusted plugins never run."""

import os
import subprocess
import sys

import pytest

from finsek.ledger import trust
from tests.cli.test_exit_codes import assert_one_line, finsek

EVIL = "import pathlib\npathlib.Path({marker!r}).write_text('ran')\n__plugins__ = ()\n"


@pytest.fixture(autouse=True)
def _forget_trust():
    yield
    trust._trusted.clear()


def _snapshot(folder):
    """Every file's content; an empty lock file (made to take the lock, never written on a refusal) left out."""
    return {path: path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and not (path.name == ".finsek.lock" and not path.stat().st_size)}


def test_offering_gifts_naming_a_folder_is_one_line(ledger_path, tmp_path, capsys):
    (tmp_path / "gifts").mkdir()
    before = _snapshot(ledger_path.parent)
    code, _, err = finsek(capsys, "--ledger", ledger_path, "offering", "--date", "2026-11-22",
                            "--counted-by", "Anna Svensson, Bo Jones", "--total", "10", "--gifts", tmp_path / "gifts")
    assert code == 1 and "is a folder" in err
    assert_one_line(err)
    assert _snapshot(ledger_path.parent) == before


def test_a_save_refused_under_the_lock_leaves_the_lock_file_as_it_was(ledger_path, capsys):
    assert finsek(capsys, "--ledger", ledger_path, "gift", "--date", "2026-11-22", "--amount", "5")[0] == 0
    lock = ledger_path.parent / ".finsek.lock"
    assert lock.exists() and lock.read_bytes() == b""  # emptied as the save let go
    stamp = lock.stat().st_mtime_ns
    with (ledger_path.parent / "2026.beancount").open("a") as handle:
        handle.write('2026-11-01 * "Broken\n')  # refused under the lock: the end does not parse
    before = _snapshot(ledger_path.parent)
    code, _, err = finsek(capsys, "--ledger", ledger_path, "gift", "--date", "2026-11-22", "--amount", "5")
    assert code == 1 and "cannot read" in err
    assert _snapshot(ledger_path.parent) == before and lock.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("argv", [
    ["check"], ["gift", "--date", "2026-11-22", "--amount", "5"], ["donor", "list"],
    ["statements", "--year", "2026"], ["audit"], ["report", "board"],
])
def test_an_include_naming_a_folder_is_one_line(ledger_path, capsys, argv):
    (ledger_path.parent / "sub").mkdir()
    with ledger_path.open("a", encoding="utf-8") as handle:
        handle.write('include "sub"\n')
    before = _snapshot(ledger_path.parent)
    code, _, err = finsek(capsys, "--ledger", ledger_path, *argv)
    assert code == 1 and "is a folder, not a ledger file" in err and "sub" in err
    assert_one_line(err)
    assert _snapshot(ledger_path.parent) == before


def test_a_missing_plugin_is_named_without_a_traceback(ledger_path, capsys):
    text = ledger_path.read_text().replace('plugin "finsek.plugin"',
                                           'plugin "beancount.plugins.not_there"\nplugin "finsek.plugin"')
    ledger_path.write_text(text)
    code, out, err = finsek(capsys, "--ledger", ledger_path, "check")
    assert code == 1
    assert "Traceback" not in out + err and 'plugin "beancount.plugins.not_there"' in out + err
    assert "File \"" not in out + err


def _plant(ledger_path, marker, *, in_main=True):
    (ledger_path.parent / "evilplug.py").write_text(EVIL.format(marker=str(marker)))
    text = ledger_path.read_text().replace(
        'plugin "finsek.plugin"', 'option "insert_pythonpath" "TRUE"\nplugin "evilplug"\nplugin "finsek.plugin"')
    ledger_path.write_text(text)


@pytest.mark.parametrize("argv", [
    ["check"], ["audit"], ["report", "board"], ["donor", "list"], ["gift", "--date", "2026-11-22", "--amount", "5"],
])
def test_an_untrusted_plugin_never_runs(ledger_path, tmp_path, capsys, argv):
    marker = tmp_path / "ran"
    _plant(ledger_path, marker)
    before = _snapshot(ledger_path.parent)
    code, _, err = finsek(capsys, "--ledger", ledger_path, *argv)
    assert code == 1 and not marker.exists()
    assert_one_line(err)
    assert 'plugin "evilplug"' in err and "insert_pythonpath" in err and "trusted_ledgers" in err
    assert _snapshot(ledger_path.parent) == before


def test_a_trusted_ledger_runs_its_plugin(ledger_path, tmp_path, capsys, monkeypatch):
    marker = tmp_path / "ran"
    _plant(ledger_path, marker)
    config = tmp_path / "trusting.toml"
    config.write_text(f'trusted_ledgers = ["{ledger_path.parent}"]\n')
    monkeypatch.setenv("FINSEK_CONFIG", str(config))
    code, _, err = finsek(capsys, "--ledger", ledger_path, "check")
    assert code == 0, err
    assert marker.exists()


def test_trust_holds_for_the_cache_and_the_priming_process(ledger_path, tmp_path, monkeypatch):
    """prime refuses an untrusted ledger (and runs its plugin when told it is trusted); a cache written while
    trusted is refused once trust is gone. The plugin is installed on Python's path, as a user's would be."""
    from finsek.core.errors import Refused
    from finsek.ledger.ledger import Ledger

    marker = tmp_path / "ran"
    installed = tmp_path / "site"
    installed.mkdir()
    (installed / "churchplug.py").write_text(EVIL.format(marker=str(marker)))
    monkeypatch.syspath_prepend(str(installed))
    ledger_path.write_text(ledger_path.read_text().replace(
        'plugin "finsek.plugin"', 'plugin "churchplug"\nplugin "finsek.plugin"'))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    prime = [sys.executable, "-m", "finsek.ledger.prime", str(ledger_path)]
    assert subprocess.run(prime, env=env, capture_output=True).returncode == 1
    assert not marker.exists()
    assert subprocess.run([*prime, "--trusted"], env=env, capture_output=True).returncode == 0
    assert marker.exists()
    marker.unlink()
    with pytest.raises(Refused, match="churchplug"):
        Ledger(ledger_path, use_cache=True).load()
    trust.trust([ledger_path.parent])
    assert Ledger(ledger_path, use_cache=True).load().from_cache
    assert not marker.exists()  # read from the cache: no plugin ran


def test_the_settings_file_refuses_a_trusted_ledgers_that_is_not_a_list(tmp_path, monkeypatch, capsys, ledger_path):
    config = tmp_path / "bad.toml"
    config.write_text('trusted_ledgers = "/somewhere"\n')
    monkeypatch.setenv("FINSEK_CONFIG", str(config))
    code, _, err = finsek(capsys, "--ledger", ledger_path, "check")
    assert code == 1 and "trusted_ledgers" in err
    assert_one_line(err)


def _refuse_writes(monkeypatch, module, name):
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(args[0]) if args else None)
    monkeypatch.setattr(module, name, refused)


def test_a_read_only_ledger_folder_refuses_a_gift_in_one_line(ledger_path, capsys, monkeypatch):
    from finsek.ledger import lock

    real_open = os.open

    def open_but_not_the_lock(path, *args, **kwargs):
        if str(path).endswith(lock.LOCK_NAME):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    before = _snapshot(ledger_path.parent)
    monkeypatch.setattr(lock.os, "open", open_but_not_the_lock)
    code, _, err = finsek(capsys, "--ledger", ledger_path, "gift", "--date", "2026-11-22", "--amount", "5")
    monkeypatch.undo()
    assert code == 1 and "Permission denied" in err and "nothing was changed" in err
    assert_one_line(err)
    assert _snapshot(ledger_path.parent) == before


def test_a_read_only_donors_csv_refuses_donor_add_in_one_line(ledger_path, capsys, monkeypatch):
    from finsek.ledger import files

    before = _snapshot(ledger_path.parent)
    _refuse_writes(monkeypatch, files.tempfile, "mkstemp")
    code, _, err = finsek(capsys, "--ledger", ledger_path, "donor", "add", "--name", "Cecilia Berg")
    monkeypatch.undo()
    assert code == 1 and "Permission denied" in err
    assert_one_line(err)
    assert _snapshot(ledger_path.parent) == before


def test_a_read_only_year_file_refuses_undo_in_one_line(ledger_path, capsys, monkeypatch):
    from finsek.ledger import ledger as ledger_module

    assert finsek(capsys, "--ledger", ledger_path, "gift", "--date", "2026-11-22", "--amount", "5")[0] == 0
    before = _snapshot(ledger_path.parent)
    _refuse_writes(monkeypatch, ledger_module, "_cut")
    code, _, err = finsek(capsys, "--ledger", ledger_path, "undo", "--yes")
    monkeypatch.undo()
    assert code == 1 and "nothing was taken back" in err
    assert_one_line(err)
    assert _snapshot(ledger_path.parent) == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes read-only folders")
def test_a_really_read_only_folder(ledger_path, capsys):
    folder = ledger_path.parent
    for path in folder.rglob("*"):
        path.chmod(0o400 if path.is_file() else 0o500)
    folder.chmod(0o500)
    try:
        for argv in (["gift", "--date", "2026-11-22", "--amount", "5"], ["donor", "add", "--name", "C B"],
                     ["undo", "--yes"]):
            code, _, err = finsek(capsys, "--ledger", ledger_path, *argv)
            assert code == 1
            assert_one_line(err)
    finally:
        folder.chmod(0o700)
        for path in folder.rglob("*"):
            path.chmod(0o600 if path.is_file() else 0o700)


def test_statements_to_a_folder_that_cannot_be_made_is_one_line(ledger_path, tmp_path, capsys):
    assert finsek(capsys, "--ledger", ledger_path, "gift", "--date", "2026-11-22", "--amount", "5",
                  "--donor", "D0001")[0] == 0
    (tmp_path / "afile").write_text("x")
    code, _, err = finsek(capsys, "--ledger", ledger_path, "statements", "--year", "2026",
                            "--out", tmp_path / "afile" / "x")
    assert code == 1 and "Could not write the statements" in err
    assert err.strip().splitlines()[-1].startswith("finsek: Could not write")
    assert "Traceback" not in err


def _link_donors(ledger_path, tmp_path, content=None):
    private = tmp_path / "private"
    private.mkdir()
    target = private / "donors.csv"
    target.write_bytes(content if content is not None else (ledger_path.parent / "donors.csv").read_bytes())
    target.chmod(0o600)
    (ledger_path.parent / "donors.csv").unlink()
    (ledger_path.parent / "donors.csv").symlink_to(target)
    return target


def test_donor_add_writes_through_a_linked_donors_csv(ledger_path, tmp_path, capsys):
    target = _link_donors(ledger_path, tmp_path)
    code, _, err = finsek(capsys, "--ledger", ledger_path, "donor", "add", "--name", "Cecilia Berg",
                          "--address1", "Hidden Road 1")
    assert code == 0, err
    link = ledger_path.parent / "donors.csv"
    assert link.is_symlink() and link.resolve() == target  # still a link: the ledger folder holds no addresses
    assert "Hidden Road 1" in target.read_text()
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)
    assert not [p for p in target.parent.iterdir() if p.name != "donors.csv"]  # no temp file left there
    assert finsek(capsys, "--ledger", ledger_path, "donor", "show", "D0005")[0] == 0


def test_a_link_to_something_that_is_not_a_donor_list_is_refused(ledger_path, tmp_path, capsys):
    target = _link_donors(ledger_path, tmp_path, b"ssh-ed25519 AAAAC3Nza precious@key\n")
    code, _, err = finsek(capsys, "--ledger", ledger_path, "donor", "add", "--name", "Cecilia Berg")
    assert code == 1 and "not a donor list" in err
    assert_one_line(err)
    assert target.read_bytes() == b"ssh-ed25519 AAAAC3Nza precious@key\n"


def test_a_dangling_donors_link_is_refused(ledger_path, tmp_path, capsys):
    target = _link_donors(ledger_path, tmp_path)
    target.unlink()
    code, _, err = finsek(capsys, "--ledger", ledger_path, "donor", "add", "--name", "Cecilia Berg")
    assert code == 1 and "does not exist" in err
    assert_one_line(err)
    assert not target.exists() and (ledger_path.parent / "donors.csv").is_symlink()



@pytest.mark.skipif(not os.path.exists("/dev/zero") or not hasattr(os, "mkfifo"), reason="POSIX devices")
def test_offering_gifts_from_a_device_or_pipe_is_refused_at_once(ledger_path, tmp_path, capsys):
    fifo = tmp_path / "gifts.csv"
    os.mkfifo(fifo)
    for source in ("/dev/zero", fifo):
        code, _, err = finsek(capsys, "--ledger", ledger_path, "offering", "--date", "2026-11-22",
                              "--counted-by", "Anna Svensson, Bo Jones", "--total", "10", "--gifts", source)
        assert code == 1 and "not a regular file" in err
        assert_one_line(err)


def test_an_unwritable_undo_folder_says_the_gift_was_saved(ledger_path, capsys, monkeypatch):
    """The append is done before the undo record: a failure there must not read as a failed save."""
    from finsek.ledger import ledger as ledger_module

    def refused(self, records):
        raise PermissionError(13, "Permission denied", "state/undo")

    monkeypatch.setattr(ledger_module.Ledger, "_write_undo_records", refused)
    code, out, err = finsek(capsys, "--ledger", ledger_path, "gift", "--date", "2026-11-22", "--amount", "5")
    assert code == 0, err
    assert "Saved" in out and "could not keep its undo record" in out
    assert "5.00 USD" in (ledger_path.parent / "2026.beancount").read_text()


def test_the_background_audit_leaves_an_untrusted_ledger_to_its_parent(ledger_path, tmp_path, monkeypatch,
                                                                       capsysbinary):
    from finsek.audit import background
    from finsek.ledger.ledger import Ledger

    installed = tmp_path / "site"
    installed.mkdir()
    (installed / "churchplug2.py").write_text("__plugins__ = ()\n")
    monkeypatch.syspath_prepend(str(installed))
    ledger_path.write_text(ledger_path.read_text().replace(
        'plugin "finsek.plugin"', 'plugin "churchplug2"\nplugin "finsek.plugin"'))
    trust.trust([ledger_path.parent])
    ledger = Ledger(ledger_path, use_cache=True)
    books = ledger.load()
    assert ledger.store_cache()
    key = Ledger(ledger_path, use_cache=True).load().cache_key
    trust._trusted.clear()
    assert background.main([str(ledger_path), key, "2026-11-27"]) == background.STALE
    assert capsysbinary.readouterr().out == b""
    assert background.main([str(ledger_path), key, "2026-11-27", "--trusted"]) == 0
    assert capsysbinary.readouterr().out
    assert books is not None
