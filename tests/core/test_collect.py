"""Garbage collection paused while long-lived data is built, from any thread, nested."""

import gc
import threading

from finsek.core import collect


def test_pauses_nest_across_threads_and_collection_resumes_after_the_last():
    assert gc.isenabled()
    collect.hold()
    entered, leave = threading.Event(), threading.Event()

    def work():
        with collect.paused():
            entered.set()
            leave.wait(5)

    worker = threading.Thread(target=work)
    worker.start()
    entered.wait(5)
    collect.release()
    assert not gc.isenabled()  # the worker still builds
    leave.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_pause_keeps_collection_off_when_it_was_off():
    gc.disable()
    try:
        with collect.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    collect.release()  # an extra release changes nothing
    assert gc.isenabled()
