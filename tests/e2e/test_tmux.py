"""End to end: the real ``finsek`` command in tmux, driven by keystrokes, checked with bean-check.

Each test starts its own tmux server on a private socket (``tmux -L
finsek-test-<random>``) with a fixed window size, runs ``finsek --ledger X``
with its settings and state folders inside ``tmp_path``, types as a person
would, and reads the screen with ``capture-pane`` (polling, with a timeout,
never fixed sleeps). Skipped where tmux is missing.
"""

import os
import secrets
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from finsek.ledger.template import create_ledger

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

REPO = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 120, 40
DONORS = ("D0001,Anna Svensson,,,,,,,,12,,\n", "D0002,Bertil Jones,,,,,,,,15,,\n")


class Tmux:
    """One private tmux server with one window running finsek."""

    def __init__(self, socket: str):
        self.socket = socket
        self.target = "finsek"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check,
                              timeout=30)

    def start(self, command: str) -> None:
        self.run("-f", "/dev/null", "new-session", "-d", "-s", self.target, "-x", str(WIDTH), "-y", str(HEIGHT),
                 command)
        self.run("set-option", "-t", self.target, "remain-on-exit", "on")

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.target, check=False).stdout

    def keys(self, *keys: str) -> None:
        """Named keys (Enter, Tab, Escape, C-s, Down)."""
        self.run("send-keys", "-t", self.target, *keys)

    def type(self, text: str) -> None:
        """Literal text, as typed."""
        self.run("send-keys", "-t", self.target, "-l", text)

    def wait_for(self, *texts: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        size = self.run("display-message", "-p", "-t", self.target, "#{window_width}x#{window_height}", check=False)
        raise AssertionError(
            f"{texts!r} did not appear within {timeout} s. The screen ({size.stdout.strip()}):\n{screen}"
        )

    def pane_dead(self) -> bool:
        result = self.run("display-message", "-p", "-t", self.target, "#{pane_dead}", check=False)
        return result.stdout.strip() == "1" or result.returncode != 0

    def wait_exit(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pane_dead():
                return
            time.sleep(0.1)
        raise AssertionError(f"finsek did not quit within {timeout} s. The screen:\n{self.screen()}")

    def kill(self) -> None:
        self.run("kill-server", check=False)


@pytest.fixture
def tmux():
    server = Tmux(f"finsek-test-{secrets.token_hex(6)}")
    yield server
    server.kill()


def finsek_command(tmp_path: Path, ledger: Path) -> str:
    env = {
        "FINSEK_CONFIG": str(tmp_path / "config.toml"),
        "FINSEK_STATE_DIR": str(tmp_path / "state"),
        "FINSEK_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(REPO),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }
    assignments = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    finsek = [sys.executable, "-m", "finsek.cli", "--ledger", str(ledger)]
    return f"env -u COLUMNS -u LINES {assignments} {shlex.join(finsek)}"  # a size pytest set would win


def bean_check(ledger: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "bean-check"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "beancount.scripts.check"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([*command, str(ledger)], capture_output=True, text=True, env=env, timeout=120)


def make_books(tmp_path: Path) -> Path:
    import datetime as dt

    today = dt.date.today()
    main = create_ledger(tmp_path / "books", "Tmux Church", today=today)
    with open(main.parent / "donors.csv", "a", encoding="utf-8") as handle:
        handle.writelines(DONORS)
    first = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=10)).isoformat()
    with open(main.parent / f"{today.year}.beancount", "a", encoding="utf-8") as handle:
        handle.write(
            f'\n{first} * "Opening balance"\n'
            "  Assets:Bank:Checking            3000.00 USD\n"
            "  Equity:NetAssets:Opening       -3000.00 USD\n"
            f'\n{first} * "City Power & Light" "Electricity"\n'
            '  check: "1043"\n'
            "  Expenses:Facilities:Utilities    182.40 USD\n"
            "  Assets:Bank:Checking            -182.40 USD\n"
        )
    return main


def test_gift_offering_and_payment_by_keystrokes(tmp_path, tmux):
    ledger = make_books(tmp_path)
    assert bean_check(ledger).returncode == 0
    tmux.start(finsek_command(tmp_path, ledger))
    tmux.wait_for("Tmux Church", "2 transactions.", timeout=90)

    # A gift: envelope 12, 125.00, by check (the default method).
    tmux.type("g")
    tmux.wait_for("Record a gift")
    tmux.type("12")
    tmux.wait_for("Anna Svensson")
    tmux.keys("Tab")
    tmux.type("125")
    tmux.wait_for("Ready: gift of 125.00 USD")
    tmux.keys("C-s")
    tmux.wait_for("Saved the gift of 125.00 USD")
    tmux.keys("Escape")
    tmux.wait_for("3 transactions.")

    # An offering: two counters, the counted total, three gifts.
    tmux.type("o")
    tmux.wait_for("Count the offering")
    tmux.type("Ann Berg, Bo Lind")
    tmux.keys("Enter")
    tmux.type("150")
    tmux.keys("Enter", "Enter")  # no loose cash: on to the first line
    tmux.type("12")
    tmux.keys("Tab")
    tmux.type("100")
    tmux.keys("Tab", "Tab")
    tmux.type("881")
    tmux.keys("Enter")
    tmux.type("15")
    tmux.keys("Tab")
    tmux.type("30")
    tmux.keys("Enter", "Tab")
    tmux.type("20")
    tmux.wait_for("3 gifts", "difference 0.00")
    tmux.keys("C-s")
    tmux.wait_for("Write the count sheet")
    tmux.type("t")
    tmux.wait_for("4 transactions.")

    # A payment: the known payee fills account and amount; the next check number is offered.
    tmux.type("p")
    tmux.wait_for("Pay a bill")
    tmux.type("City Power & Light")
    tmux.wait_for("last paid")
    tmux.keys("Tab")  # on to the amount, filled from last time
    tmux.type("190.15")
    tmux.wait_for("Ready: payment of 190.15 USD to City Power & Light")
    tmux.keys("C-s")
    tmux.wait_for("Saved the payment of 190.15 USD")
    tmux.keys("Escape")
    tmux.wait_for("5 transactions.")
    tmux.type("q")
    tmux.wait_exit()

    result = bean_check(ledger)
    assert result.returncode == 0, result.stdout + result.stderr
    text = ledger.with_name(f"{time.localtime().tm_year}.beancount").read_text()
    assert '"Gift" "Gift from D0001"' in text and "125.00 USD" in text
    assert 'counted-by: "Ann Berg, Bo Lind"' in text and "150.00 USD" in text and 'check: "881"' in text
    assert '"City Power & Light"' in text and 'check: "1044"' in text and "-190.15 USD" in text
    sheets = list((ledger.parent / "documents").rglob("*count-sheet.txt"))
    assert len(sheets) == 1 and "Ann Berg" in sheets[0].read_text()


def test_load_errors_are_shown_not_a_traceback(tmp_path, tmux):
    ledger = make_books(tmp_path)
    with open(ledger.parent / f"{time.localtime().tm_year}.beancount", "a", encoding="utf-8") as handle:
        handle.write("\n2020-01-01 * \"Unbalanced\"\n  Assets:Bank:Checking  1.00 USD\n  Income:Interest  -2.00 USD\n")
    tmux.start(finsek_command(tmp_path, ledger))
    tmux.wait_for("problem", timeout=90)
    tmux.type("e")
    screen = tmux.wait_for("escape goes back", "Problem")
    assert "Traceback" not in screen and "Assets:Bank:Checking" in screen
    tmux.keys("Escape")
    tmux.wait_for("3 transactions.")
    tmux.type("q")
    tmux.wait_exit()
