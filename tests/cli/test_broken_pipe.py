"""``finsek … | head``: a reader that goes away ends the command quietly, not with a traceback."""

import argparse
import sys

from finsek.cli.main import run


def test_a_closed_pipe_ends_the_command_quietly(monkeypatch):
    def handler(_args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", sys.stdout)
    assert run(argparse.Namespace(handler=handler)) == 0
