"""Open a file (a report's PDF or HTML) with the system's viewer, or say where it is.

``os.startfile`` on Windows, ``open`` on macOS, ``xdg-open`` elsewhere when a
desktop is running (``DISPLAY`` or ``WAYLAND_DISPLAY``): on a plain terminal
or over ssh ``xdg-open`` would start a text browser or fail out of sight, so
finsek names the file instead. The viewer is started detached, its output
discarded, and never waited for. No Textual here.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path


def viewer_command() -> str | None:
    """The program that opens files on this machine (None when there is none, or no desktop)."""
    if sys.platform == "darwin":
        return shutil.which("open")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return None
    return shutil.which("xdg-open")


def launch(args: list[str]) -> None:
    """Start the viewer detached: its own session, no terminal, not waited for."""
    subprocess.Popen(  # a fixed program and a path, no shell
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


def open_file(path: Path | str) -> str | None:
    """Open ``path`` with the system's viewer; None when it was handed over, else a sentence saying why
    not and where the file is."""
    path = Path(path).resolve()
    if sys.platform.startswith("win"):
        starter = getattr(os, "startfile", None)
        if starter is not None:
            try:
                starter(str(path))
                return None
            except OSError as error:
                return f"Windows could not open it ({error.strerror or error}): the file is {path}"
    command = viewer_command()
    if command is None:
        return f"There is no program to open it on this machine (no desktop or xdg-open): the file is {path}"
    try:
        launch([command, str(path)])
    except OSError as error:
        return f"{Path(command).name} could not be started ({error.strerror or error}): the file is {path}"
    return None
