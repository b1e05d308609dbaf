"""``finsek serve``: the app in a browser on this machine only, found without an activated environment."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from finsek.cli.main import main
from finsek.cli.serve import app_command


def finsek(capsys, *argv):
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::"])
def test_any_host_but_this_machine_is_refused_with_the_reason(capsys, ledger_path, host):
    code, out, err = finsek(capsys, "serve", "--ledger", ledger_path, "--host", host)
    assert code == 1 and out == ""
    assert "only on this machine" in err and "no login" in err and "every donor" in err


def test_a_port_in_use_or_out_of_range_says_so(capsys, ledger_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code, _, err = finsek(capsys, "serve", "--ledger", ledger_path, "--port", taken.getsockname()[1])
    assert code == 1 and "is in use" in err
    code, _, err = finsek(capsys, "serve", "--ledger", ledger_path, "--port", "80")
    assert code == 2 and "1024 to 65535" in err


def test_the_app_command_is_this_pythons_finsek():
    command = app_command("/books/main.beancount")
    assert command.startswith(sys.executable) and "-m finsek.cli --ledger /books/main.beancount" in command


@pytest.mark.e2e
def test_served_page_loads_and_a_browser_gets_the_app(ledger_path, tmp_path):
    port = free_port()
    env = {**os.environ, "PATH": "/usr/bin:/bin"}  # no virtual environment on the PATH
    server = subprocess.Popen([sys.executable, "-m", "finsek.cli", "serve", "--ledger", str(ledger_path),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        page = _get(f"http://127.0.0.1:{port}/", server)
        assert "finsek" in page and "<html" in page.lower()
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium:
            dom = subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000",
                 "--dump-dom", f"http://127.0.0.1:{port}/"], capture_output=True, text=True, timeout=90)
            assert "finsek" in dom.stdout
    finally:
        server.send_signal(signal.SIGINT)
        out, _err = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}" in out.decode() and "Ctrl+C" in out.decode()


def _get(url: str, server: subprocess.Popen) -> str:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.3)
