"""``finsek serve``: the app in a web browser on this machine (textual-serve), never on the network.

The app has no login: whoever reaches it sees every donor. So it is served
on 127.0.0.1 only, and any other host is refused with that reason. Each
browser tab runs its own ``finsek`` process: the one this command runs in
(``python -m finsek.cli``), so the server finds the right finsek whether or
not the environment is activated.
"""

from __future__ import annotations

import argparse
import shlex
import socket
import sys

from finsek.cli.common import EXIT_OK, TypedWrong, add_ledger_option, ledger_path, load_settings
from finsek.core.errors import Refused

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``serve`` to finsek's commands."""
    serve = subparsers.add_parser("serve", help="open the app in a web browser on this machine")
    add_ledger_option(serve)
    serve.add_argument("--port", type=int, default=8000, help="the port to serve on (default 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="only 127.0.0.1 (this machine): the app has no login to protect the donors")
    serve.set_defaults(handler=run_serve)


def check_host_and_port(host: str, port: int) -> None:
    if host not in LOCAL_HOSTS:
        raise Refused(
            f"finsek serves only on this machine (127.0.0.1), not on {host}: the app has no login, so anyone "
            "who could reach it would see every donor and could change the books. Use a browser on this "
            "machine, or reach it from another through an SSH tunnel (ssh -L 8000:127.0.0.1:8000 …)."
        )
    if not 1024 <= port <= 65535:
        raise TypedWrong(f"The port {port} cannot be used: choose one from 1024 to 65535, such as 8000.")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise Refused(f"Port {port} is in use (finsek serve is already running, or another program): "
                          "choose another with --port.") from None


def app_command(main: str) -> str:
    """The command each browser tab runs: this Python's finsek on the ledger."""
    return shlex.join([sys.executable, "-m", "finsek.cli", "--ledger", main])


def run_serve(args: argparse.Namespace) -> int:
    check_host_and_port(args.host, args.port)
    settings = load_settings()
    path, _is_demo = ledger_path(args, settings)
    # Imported here for start-up time: only this command needs the web server.
    from textual_serve.server import Server

    url = f"http://127.0.0.1:{args.port}"
    print(f"finsek is served at {url} for {path.parent}: open it in a browser on this machine.", flush=True)
    print("Stop it with Ctrl+C (each browser tab is its own finsek; close the tabs first).", flush=True)
    Server(app_command(str(path)), host="127.0.0.1", port=args.port, title="finsek").serve()
    return EXIT_OK
