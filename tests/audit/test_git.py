"""The git check: entries of a closed period changed after the commit that closed it."""

import datetime as dt
import shutil
import subprocess

import pytest
from beancount import loader

from finsek.ledger.digest import period_digest
from tests.audit.conftest import BIN, append, audit, edit, finsek, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

OCTOBER = dt.date(2026, 10, 31)


def year(main):
    return main.parent / "2026.beancount"


def git_codes(result) -> list[str]:
    return sorted(f.code for f in result.findings if f.check == "git")


@pytest.fixture
def repo(books, capsys):
    """The clean books in a git repository, closed through October and committed."""
    folder = books.parent
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "books")
    assert finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-10-31")[0] == 0
    git(folder, "commit", "-q", "-am", "close October")
    return books


def reclose(main) -> None:
    """What a tamperer would do: write the close line again with the digest of the edited books."""
    text = year(main).read_text()
    line = next(line for line in text.splitlines() if 'custom "close"' in line)
    without = text.replace(line, "")
    year(main).write_text(without)
    entries, _, _ = loader.load_file(str(main))
    year(main).write_text(text.replace(line.split()[-1], f'"{period_digest(entries, OCTOBER)}"'))


def test_a_committed_close_with_no_change_is_clean(repo):
    result = audit(repo)
    assert result.findings == []
    assert result.git.repository and OCTOBER in result.git.commits
    assert result.git.commits[OCTOBER].digest == result.closes[0].digest


def test_a_close_not_committed_is_a_warning(books, capsys):
    git(books.parent, "init", "-q")
    git(books.parent, "add", "-A")
    git(books.parent, "commit", "-q", "-m", "books")
    finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-10-31")
    [finding] = audit(books).findings
    assert (finding.code, finding.severity) == ("git-close-uncommitted", "warning")


def test_an_edit_hidden_by_closing_again_is_caught(repo):
    edit(year(repo), '"Summit Roofing" "Roof repair"', '"Summit Roofing Inc" "Roof repair"')
    reclose(repo)
    assert audit(repo, git=False).findings == []  # the digest alone is fooled
    result = audit(repo)
    assert git_codes(result) == ["git-changed-after-close", "git-close-rewritten"]
    changed = next(f for f in result.findings if f.code == "git-changed-after-close")
    assert changed.severity == "error" and changed.date == dt.date(2026, 10, 12)
    assert changed.filename.endswith("2026.beancount")
    lines = year(repo).read_text().splitlines()
    assert lines[changed.lineno - 1].startswith('2026-10-12 * "Summit Roofing Inc"')
    assert "in October 2026 and before" in changed.message and "git diff" in changed.action
    # Committing the tampering does not hide it either.
    git(repo.parent, "commit", "-q", "-am", "tidy up")
    assert git_codes(audit(repo)) == ["git-changed-after-close", "git-close-rewritten"]


def test_a_deleted_entry_is_caught(repo):
    edit(year(repo), '2026-10-20 * "Online giving" "Online gift"\n  Assets:Bank:Checking              50.00 USD\n'
                     '  Income:Contributions:Offerings   -50.00 USD\n    donor: "D0004"\n    method: "online"\n', "")
    edit(year(repo), "4332.60 USD", "4282.60 USD")
    reclose(repo)
    findings = [f for f in audit(repo).findings if f.code == "git-changed-after-close"]
    assert len(findings) == 1
    assert "removed or changed" in findings[0].message and findings[0].date == dt.date(2026, 10, 20)


def test_reformatting_after_a_close_is_not_a_change(repo):
    files = sorted(repo.parent.glob("*.beancount"))
    subprocess.run([str(BIN / "bean-format"), "-i", *map(str, files)], check=True, capture_output=True)
    assert audit(repo).findings == []


def test_an_edit_among_reformatted_entries_is_pinpointed(repo):
    files = sorted(repo.parent.glob("*.beancount"))
    subprocess.run([str(BIN / "bean-format"), "-i", *map(str, files)], check=True, capture_output=True)
    text = year(repo).read_text()
    start = text.index('2026-10-20 * "Online giving"')
    end = text.index("\n\n", start) + 1
    year(repo).write_text(text[:start] + text[end:])
    append(repo.parent / "accounts.beancount", text[start:end])
    edit(year(repo), 'check: "1002"', 'check: "1092"')
    reclose(repo)
    changed = [f for f in audit(repo).findings if f.check == "git"]
    assert [(f.code, f.date) for f in changed] == [
        ("git-changed-after-close", dt.date(2026, 10, 12)), ("git-close-rewritten", OCTOBER)]


def test_moving_an_entry_to_another_file_is_not_a_change(repo):
    text = year(repo).read_text()
    start = text.index('2026-10-20 * "Online giving"')
    end = text.index("\n\n", start) + 1
    year(repo).write_text(text[:start] + text[end:])
    append(repo.parent / "accounts.beancount", text[start:end])
    assert audit(repo).findings == []


def test_changes_after_the_closed_date_are_not_reported(repo):
    append(year(repo), '2026-11-08 * "Online giving" "Online gift"\n  Assets:Bank:Checking  20.00 USD\n'
                       '  Income:Contributions:Offerings  -20.00 USD\n    method: "online"\n')
    git(repo.parent, "commit", "-q", "-am", "november")
    edit(year(repo), "20.00 USD\n  Income:Contributions:Offerings  -20.00",
         "25.00 USD\n  Income:Contributions:Offerings  -25.00")
    assert audit(repo).findings == []


def test_not_a_repository(books, capsys):
    finsek(capsys, "close", "--yes", "--ledger", books, "--through", "2026-10-31")
    result = audit(books)
    assert result.findings == [] and not result.git.repository
    assert "not a git repository" in result.git.note


def test_the_git_check_can_be_turned_off(repo):
    edit(year(repo), '"Summit Roofing" "Roof repair"', '"Summit Roofing Inc" "Roof repair"')
    reclose(repo)
    # (A setting dated in the closed period would itself change the closed books.)
    append(repo.parent / "accounts.beancount", '2026-11-27 custom "finsek" "git-check" "false"\n')
    assert audit(repo).findings == []


def test_with_monthly_closes_an_edit_is_reported_once_for_its_month(books, capsys):
    folder = books.parent
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "books")
    for through in ("2026-09-30", "2026-10-31"):
        assert finsek(capsys, "close", "--yes", "--ledger", books, "--through", through)[0] == 0
        git(folder, "commit", "-q", "-am", f"close {through}")
    edit(year(books), '"City Power & Light" "August electricity"', '"City Power & Light" "July electricity"')
    result = audit(books)
    changed = [f for f in result.findings if f.code == "git-changed-after-close"]
    assert len(changed) == 1 and changed[0].date == dt.date(2026, 9, 15)
    assert "September 2026 and before" in changed[0].message
    assert sorted(f.code for f in result.findings if f.check == "closes") == ["closed-period-changed"] * 2


def _delete_close(main) -> None:
    text = year(main).read_text()
    line = next(line for line in text.splitlines() if 'custom "close"' in line)
    year(main).write_text(text.replace(line + "\n", ""))


def test_deleting_the_close_line_and_editing_the_month_is_caught(repo):
    """Issue 13 item 5: edit a payee of 2026-10-12 and delete the close line; bean-check and the digest see
    nothing (no close is left to check), the git check compares with the close ever committed."""
    edit(year(repo), '"Summit Roofing" "Roof repair"', '"Summit Roofing Inc" "Roof repair"')
    _delete_close(repo)
    assert audit(repo, git=False).findings == [] or all(
        f.severity != "error" for f in audit(repo, git=False).findings)
    result = audit(repo)
    assert git_codes(result) == ["git-changed-after-close", "git-close-removed"]
    removed = next(f for f in result.findings if f.code == "git-close-removed")
    assert removed.severity == "error" and "no longer match" in removed.message and "git show" in removed.action
    changed = next(f for f in result.findings if f.code == "git-changed-after-close")
    assert changed.date == dt.date(2026, 10, 12)
    git(repo.parent, "commit", "-q", "-am", "tidy up")  # committing it hides nothing
    assert git_codes(audit(repo)) == ["git-changed-after-close", "git-close-removed"]


def test_a_close_line_removed_alone_is_an_error(repo):
    _delete_close(repo)
    result = audit(repo)
    assert git_codes(result) == ["git-close-removed"]
    assert "still match" in result.findings[0].message
