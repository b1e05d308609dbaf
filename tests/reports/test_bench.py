"""Timing on the 100,000-transaction demo ledger (opt-in: FINSEK_BENCH=1; loading alone takes ~15 s)."""

import datetime as dt
import os
import time

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not os.environ.get("FINSEK_BENCH"), reason="set FINSEK_BENCH=1")]


def test_board_report_on_100k_transactions(tmp_path, capsys):
    from finsek.demo import generate_demo
    from finsek.ledger.books import load_books
    from finsek.reports.board import build_board_report
    from finsek.reports.frames import posting_frame
    from finsek.reports.render import render

    main = generate_demo(tmp_path / "big", transactions=100_000, seed=1, today=dt.date(2026, 3, 15))
    timings = {}
    start = time.perf_counter()
    books = load_books(main)
    timings["load_books"] = time.perf_counter() - start
    start = time.perf_counter()
    frame = posting_frame(books)
    timings["posting_frame"] = time.perf_counter() - start
    start = time.perf_counter()
    report = build_board_report(books, dt.date(2026, 2, 1), frame=frame)
    timings["board data"] = time.perf_counter() - start
    for fmt in ("pdf", "html", "xlsx", "md", "json"):
        start = time.perf_counter()
        render(report, fmt, "letter")
        timings[f"render {fmt}"] = time.perf_counter() - start
    with capsys.disabled():
        print(f"\n{books.transaction_count} transactions, {len(frame)} postings")
        for name, seconds in timings.items():
            print(f"  {name:14} {seconds:6.2f} s")
    assert timings["board data"] < 5 and timings["posting_frame"] < 10
