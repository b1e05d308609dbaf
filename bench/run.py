"""Measure finsek against Beancount on generated ledgers of growing size.

    python bench/run.py [--sizes 1000,10000,100000] [--runs 5] [--only TEXT] [--out bench/RESULTS.md]

Each measurement runs in a fresh subprocess (so imports and caches count the
way a user feels them); the first run is a warm-up and is dropped; the table
shows the median of the rest, the ratio to ``bean-check`` on the same file,
and the peak memory (max RSS) of the process. Ledgers are generated once into
``bench/out/`` (ignored by git) with the seeded demo generator.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent

#: name -> python code run in a child with the ledger path as argv[1]. It prints the seconds it
#: measured (last line), optionally preceded by "extra: NAME VALUE" lines shown as extra rows.
#: ``cache`` says whether the books cache must be fresh ("warm"), absent ("cold") or is irrelevant.
PYTHON_STEPS = {
    "beancount load_file (uncached)": ("any", textwrap.dedent(
        """
        import time, sys
        t = time.perf_counter()
        from beancount import loader
        loader.initialize(use_cache=False)
        loader.load_file(sys.argv[1])
        print(time.perf_counter() - t)
        """
    )),
    "finsek cold load (books ready)": ("cold", textwrap.dedent(
        """
        import time, sys
        t = time.perf_counter()
        from finsek.ledger.ledger import Ledger
        books = Ledger(sys.argv[1], use_cache=True).books
        assert not books.from_cache
        print(time.perf_counter() - t)
        """
    )),
    "finsek warm load (cache)": ("warm", textwrap.dedent(
        """
        import time, sys
        t = time.perf_counter()
        from finsek.ledger.ledger import Ledger
        books = Ledger(sys.argv[1], use_cache=True).books
        assert books.from_cache
        print(time.perf_counter() - t)
        """
    )),
    "app start to home with books (cold)": ("cold", None),
    "app start to home with books (warm)": ("warm", None),
    "save one gift": ("saves", textwrap.dedent(
        """
        import time, sys, tempfile
        from finsek.ledger.ledger import Ledger
        from finsek.ledger.entries import GiftInput, build_gift
        ledger = Ledger(sys.argv[1], state_dir=tempfile.mkdtemp(), use_cache=True)
        books = ledger.books
        assert books.from_cache
        draft = build_gift(books, GiftInput(date="today", amount="12.34", method="cash", memo="bench"))
        t = time.perf_counter()
        ledger.save(draft)  # kept (an undo would leave the cache behind): this copy grows by a gift a run
        print(time.perf_counter() - t)
        """
    )),
    "board report data (warm books)": ("warm", textwrap.dedent(
        """
        import time, sys, datetime as dt
        from finsek.ledger.ledger import Ledger
        books = Ledger(sys.argv[1], use_cache=True).books
        month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        t0 = time.perf_counter()
        import pandas  # a fixed cost per process, whatever the ledger: measured apart as an extra
        from finsek.reports import board, frames
        t = time.perf_counter()
        report = board.build_board_report(books, month, frame=frames.posting_frame(books))
        end = time.perf_counter()
        print("extra: including importing pandas and the report modules (ms)", round((end - t0) * 1000, 1))
        print(end - t)
        """
    )),
    "journal filter keystroke (the search alone)": ("warm", textwrap.dedent(
        """
        import time, sys, statistics
        from finsek.ledger.ledger import Ledger
        from finsek.tui.views.journal_index import build_index, filter_rows
        rows = build_index(Ledger(sys.argv[1], use_cache=True).books)
        times = []
        for text in ("o", "of", "off", "offe", "offer", "fund:building", "payee:city", "check"):
            t = time.perf_counter()
            filter_rows(rows, text)
            times.append(time.perf_counter() - t)
        print(statistics.median(times))
        """
    )),
    "journal keystroke to redraw (app)": ("warm", textwrap.dedent(
        """
        import asyncio, statistics, sys, tempfile, time
        from textual import events
        from finsek.config import Settings
        from finsek.tui.app import FinsekApp
        from finsek.tui.screens.journal import JournalScreen

        # From a key reaching the app to the end of the screen update that shows the new matches
        # (timed at App._display, which the headless driver calls with the rendered update).
        TYPED = ("electricity", " 2025", "\\b" * 5, "\\b" * 11, "fund:building", "\\b" * 13, "donor:d0042")

        async def main():
            app = FinsekApp(sys.argv[1], Settings(), state_dir=tempfile.mkdtemp())
            async with app.run_test(size=(120, 40)) as pilot:
                while app._books is None:
                    await asyncio.sleep(0.01)
                await pilot.press("j")
                while not (isinstance(app.screen, JournalScreen) and app.screen.index):
                    await asyncio.sleep(0.05)
                await app.workers.wait_for_complete()  # the audit and the journal's index, started at load
                await pilot.pause()
                journal, displays, filtered = app.screen, [], []
                display, apply = app._display, journal.apply_filter

                def timed_display(screen, renderable):
                    display(screen, renderable)
                    if renderable is not None:
                        displays.append(time.perf_counter())

                def timed_apply():
                    apply()
                    filtered.append(time.perf_counter())

                app._display, journal.apply_filter = timed_display, timed_apply
                latencies = []
                for text in TYPED:
                    for char in text:
                        name = {" ": "space", ":": "colon", "\\b": "backspace"}.get(char, char)
                        count, started = len(filtered), time.perf_counter()
                        app._driver.send_message(events.Key(name, None if char == "\\b" else char))
                        while not (len(filtered) > count and displays and displays[-1] > filtered[-1]):
                            await asyncio.sleep(0.0005)
                        latencies.append(displays[-1] - started)
                        await pilot.pause()
                app._cache_timer and app._cache_timer.stop()
            import resource
            print(f"extra: slowest of {len(latencies)} keystrokes (ms) {max(latencies) * 1000:.1f}")
            own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"extra: peak memory of the app with the journal open and the audit run (MiB) {own_peak:.0f}")
            print(statistics.median(latencies))

        asyncio.run(main())
        """
    )),
    "background work after a warm start (app)": ("warm", textwrap.dedent(
        """
        import asyncio, resource, sys, tempfile, time
        from finsek.config import Settings
        from finsek.tui import open_app

        # After the home screen shows the books, the app builds the journal's index and audits the books
        # in threads. This times that phase and the worst stall of the screen's event loop during it.
        async def main():
            app = open_app(sys.argv[1], Settings(), state_dir=tempfile.mkdtemp())
            stalls, done = [0.0], False

            async def probe():
                while not done:
                    before = time.perf_counter()
                    await asyncio.sleep(0.01)
                    stalls.append(time.perf_counter() - before - 0.01)

            async with app.run_test(size=(120, 40)) as pilot:
                while app._books is None:
                    await asyncio.sleep(0.01)
                await pilot.pause()
                started = time.perf_counter()
                task = asyncio.create_task(probe())
                while not (app.journal_cache and app.audit_is_current()):
                    await asyncio.sleep(0.02)
                elapsed = time.perf_counter() - started
                done = True
                await task
                app._cache_timer and app._cache_timer.stop()
            ordered = sorted(stalls)
            print(f"extra: event loop blocked at most (ms) {ordered[-1] * 1000:.1f}")
            print(f"extra: event loop blocked, 99th percentile (ms) {ordered[int(len(ordered) * 0.99)] * 1000:.1f}")
            own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"extra: peak memory of the app process itself (MiB) {own_peak:.0f}")
            print(elapsed)

        asyncio.run(main())
        """
    )),
}

for _format in ("pdf", "html", "xlsx", "md", "json"):
    PYTHON_STEPS[f"render board report: {_format}"] = ("warm", textwrap.dedent(
        f"""
        import time, sys, datetime as dt
        from finsek.ledger.ledger import Ledger
        from finsek.reports import board_report, posting_frame, render
        books = Ledger(sys.argv[1], use_cache=True).books
        month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        report = board_report(books, month, frame=posting_frame(books))
        t = time.perf_counter()
        render(report, "{_format}")
        print(time.perf_counter() - t)
        """
    ))

APP_STEP = textwrap.dedent(
    """
    import time
    START = time.perf_counter()
    import asyncio, sys, tempfile
    from finsek.config import Settings
    from finsek.tui import open_app  # as the finsek command opens it (the books start loading first)

    async def main():
        app = open_app(sys.argv[1], Settings(), state_dir=tempfile.mkdtemp())
        worst = 0.0
        done = False

        async def probe():
            nonlocal worst
            while not done:
                before = time.perf_counter()
                await asyncio.sleep(0.01)
                worst = max(worst, time.perf_counter() - before - 0.01)

        async with app.run_test(size=(120, 40)) as pilot:
            task = asyncio.create_task(probe())
            while app._books is None:
                await asyncio.sleep(0.002)
            await pilot.pause()
            ready = time.perf_counter() - START
            done = True
            await task
            app._cache_timer and app._cache_timer.stop()
        import resource
        print(f"extra: event loop blocked at most (ms) {worst * 1000:.1f}")
        own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"extra: peak memory of the app process itself (MiB) {own_peak:.0f}")
        print(ready)

    asyncio.run(main())
    """
)

COMMANDS = {
    "bean-check": lambda main: [str(BIN / "bean-check"), str(main)],
    "finsek --help": lambda main: [str(BIN / "finsek"), "--help"],
}

#: Whole ``finsek`` commands, as a user or a script runs them: name -> (cache, argv). ``cache`` is
#: "warm" (the books cache fresh), "cold" (none: removed before each run) or "saves" (warm, on a copy of
#: the ledger that the saving rows grow, one gift a run; the rows after them there read it as saved).
FINSEK = str(BIN / "finsek")
REPORTS = OUT / "reports"
def giving_export(main: Path, gifts: int = 5000) -> Path:
    """A PayPal activity download of ``gifts`` gifts from the ledger's donors (names as typed on a phone:
    a third lower case, half without e-mail, every 50th a newcomer), made once per ledger."""
    path = OUT / f"paypal-{main.parent.name}.csv"
    if path.exists():
        return path
    import csv
    import random

    rng = random.Random(1)
    with open(main.parent / "donors.csv", encoding="utf-8") as handle:
        donors = [row for row in csv.DictReader(handle) if not row.get("alias_of")]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross", "Fee", "Net",
                         "From Email Address", "To Email Address", "Transaction ID", "Item Title",
                         "Reference Txn ID"])
        for number in range(gifts):
            donor, gross = rng.choice(donors), rng.choice((10, 20, 25, 50, 100, 250))
            fee = round(gross * 0.029 + 0.30, 2)
            name = donor["name"] if number % 3 else donor["name"].lower()
            email = donor.get("email", "") if number % 2 else ""
            if number % 50 == 0:
                name, email = f"Newcomer {number}", f"new{number}@example.org"
            writer.writerow([f"{1 + number % 11:02d}/{1 + number % 28:02d}/2026", "10:00:00", "PST", name,
                             "Donation Payment", "Completed", "USD", f"{gross:.2f}", f"-{fee:.2f}",
                             f"{gross - fee:.2f}", email, "giving@example.org", f"TX{number:06d}", "", ""])
    return path


COMMAND_STEPS = {
    "bean-check (its own cache warm)": ("beancount-cache", lambda main: [str(BIN / "bean-check"), str(main)]),
    "finsek check (cold)": ("cold", lambda main: [FINSEK, "--ledger", str(main), "check"]),
    "finsek check (warm)": ("warm", lambda main: [FINSEK, "--ledger", str(main), "check"]),
    "finsek gift --dry-run (warm)": ("warm", lambda main: [
        FINSEK, "--ledger", str(main), "gift", "--amount", "12.34", "--method", "cash", "--dry-run"]),
    "finsek report board --format json (warm)": ("warm", lambda main: [
        FINSEK, "--ledger", str(main), "report", "board", "--format", "json", "--out", str(REPORTS)]),
    "finsek audit (warm)": ("warm", lambda main: [FINSEK, "--ledger", str(main), "audit"]),
    "finsek audit (warm books, not audited before)": ("warm-no-memo", lambda main: [
        FINSEK, "--ledger", str(main), "audit"]),
    "finsek import giving --dry-run (warm, 5,000 PayPal gifts)": ("warm", lambda main: [
        FINSEK, "--ledger", str(main), "import", "giving", str(giving_export(main)), "--dry-run"]),
    "finsek gift (warm, saving)": ("saves", lambda main: [
        FINSEK, "--ledger", str(main), "gift", "--amount", "12.34", "--method", "cash", "--memo", "bench"]),
    "finsek report board --format json (warm, after the saves)": ("saves", lambda main: [
        FINSEK, "--ledger", str(main), "report", "board", "--format", "json", "--out", str(REPORTS)]),
}

TARGET_SIZE = 100_000
#: The targets for commands at TARGET_SIZE transactions: row -> (anchor row, most allowed).
COMMAND_TARGETS = {
    "finsek gift (warm, saving)": ("bean-check (its own cache warm)", 0.1),
    "finsek check (warm)": ("bean-check (its own cache warm)", 0.1),
    "finsek report board --format json (warm)": ("bean-check (its own cache warm)", 0.25),
    "finsek report board --format json (warm, after the saves)": ("bean-check (its own cache warm)", 0.25),
    "finsek audit (warm)": ("bean-check (its own cache warm)", 0.5),
    "finsek check (cold)": ("bean-check", 1.1),
    "finsek import giving --dry-run (warm, 5,000 PayPal gifts)": ("bean-check (its own cache warm)", 0.1),
}


def ensure_ledger(size: int) -> Path:
    folder = OUT / f"demo-{size}"
    main = folder / "main.beancount"
    if not main.exists():
        print(f"generating a {size:,}-transaction ledger ...", file=sys.stderr)
        code = "import sys\nfrom finsek.demo import generate_demo\n"
        code += "generate_demo(sys.argv[1], transactions=int(sys.argv[2]), seed=1)\n"
        run_child([sys.executable, "-c", code, str(folder), str(size)])
    return main


def run_child(argv: list[str], env_extra: dict | None = None,
              beancount_cache: bool = False) -> tuple[float, float, str]:
    """(seconds, peak RSS in MiB, stdout) of one child process.

    The parent stays small (ledgers are generated in children too), since a
    child's peak RSS counts what it inherited at fork.
    """
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1", "PYTHONPATH": str(ROOT), **(env_extra or {})}
    if beancount_cache:
        del env["BEANCOUNT_DISABLE_LOAD_CACHE"]
    # Python caches compiled modules on a user's machine; a sandbox that turns that off would make every
    # start compile finsek again, which no user sees.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryFile(mode="w+") as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, env=env, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{argv[:3]} exited {proc.returncode}: {errors.read()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, out


def measure(argv: list[str], runs: int, inner: bool, env_extra: dict | None = None, before=None,
            beancount_cache: bool = False):
    """Median seconds, peak MiB and the medians of any extra figures over ``runs`` runs after a warm-up."""
    times, peaks, extras = [], [], {}
    for index in range(runs + 1):
        if before:
            before()
        elapsed, peak, out = run_child(argv, env_extra, beancount_cache)
        if index == 0:
            continue
        lines = out.strip().splitlines()
        times.append(float(lines[-1]) if inner else elapsed)
        peaks.append(peak)
        for line in lines[:-1]:
            if line.startswith("extra: "):
                name, value = line[7:].rsplit(" ", 1)
                extras.setdefault(name, []).append(float(value))
    return statistics.median(times), max(peaks), {k: statistics.median(v) for k, v in extras.items()}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=None,
                        help="write the table here (default: bench/RESULTS.md for a full run; a run with --only "
                             "only prints unless --out is given)")
    parser.add_argument("--only", default="", help="measure only operations whose name contains this text")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows: dict[str, dict[int, tuple[float, float]]] = {}
    extra_rows: dict[str, dict[int, float]] = {}
    for size in sizes:
        main_file = ensure_ledger(size)
        cold_dir, warm_dir = OUT / "cache-cold", OUT / f"cache-warm-{size}"
        prepare_warm_cache(main_file, warm_dir)
        saves_file, saves_dir = copy_for_saves(main_file, size), OUT / f"cache-saves-{size}"
        prepare_warm_cache(saves_file, saves_dir)
        for name, argv in COMMANDS.items():
            if args.only and args.only not in name and name != "bean-check":
                continue
            rows.setdefault(name, {})[size] = measure(argv(main_file), args.runs, inner=False)[:2]
            print(f"{size:>7,} {name}: {rows[name][size][0]:.3f} s", file=sys.stderr)
        for name, (cache_state, code) in PYTHON_STEPS.items():
            if args.only and args.only not in name:
                continue
            target = saves_file if cache_state == "saves" else main_file
            argv = [sys.executable, "-c", code or APP_STEP, str(target)]
            folder = {"warm": warm_dir, "saves": saves_dir}.get(cache_state, cold_dir)
            before = partial(shutil.rmtree, cold_dir, ignore_errors=True) if cache_state == "cold" else None
            seconds, peak, extras = measure(argv, args.runs, True, {"FINSEK_CACHE_DIR": str(folder)}, before)
            rows.setdefault(name, {})[size] = (seconds, peak)
            for extra, value in extras.items():
                extra_rows.setdefault(f"{name}: {extra}", {})[size] = value
            print(f"{size:>7,} {name}: {seconds:.3f} s", file=sys.stderr)
        for name, (cache_state, argv) in COMMAND_STEPS.items():
            if args.only and args.only not in name and cache_state != "beancount-cache":
                continue
            rows.setdefault(name, {})[size] = measure_command(
                argv, cache_state, main_file, saves_file, cold_dir, warm_dir, saves_dir, args.runs)
            print(f"{size:>7,} {name}: {rows[name][size][0]:.3f} s", file=sys.stderr)
    table = render(rows, sizes, args.runs) + "\n\n" + render_extras(extra_rows, sizes)
    table += "\n\n" + render_targets(rows, sizes)
    print(table)
    out = args.out or (None if args.only else str(ROOT / "bench" / "RESULTS.md"))
    if out is None:
        return 0
    notes = _notes(Path(out))
    Path(out).write_text(
        f"# finsek benchmarks\n\nMachine: {machine()}.\nRun: `python bench/run.py --sizes {args.sizes} "
        f"--runs {args.runs}` on {time.strftime('%Y-%m-%d')}.\n\n{table}\n{notes}"
    )
    return 0


NOTES = "<!-- written by hand below this line; bench/run.py keeps it -->"


def _notes(path: Path) -> str:
    """What follows the notes marker in the results file (kept when the tables are written anew)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return "\n" + NOTES + "\n"
    return "\n" + text[text.index(NOTES):] if NOTES in text else "\n" + NOTES + "\n"


def copy_for_saves(main_file: Path, size: int) -> Path:
    """A fresh copy of the ledger for the rows that save (they grow it by one gift a run)."""
    target = OUT / f"saves-{size}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(main_file.parent, target)
    return target / main_file.name


def measure_command(argv, cache_state, main_file, saves_file, cold_dir, warm_dir, saves_dir, runs):
    """Median seconds and peak MiB of one whole ``finsek`` (or bean-check) command."""
    target = saves_file if cache_state == "saves" else main_file
    folder = {"warm": warm_dir, "warm-no-memo": warm_dir, "saves": saves_dir}.get(cache_state, cold_dir)
    env = {"FINSEK_CACHE_DIR": str(folder), "FINSEK_STATE_DIR": str(OUT / "state"),
           "FINSEK_CONFIG": str(OUT / "no-settings.toml")}
    before = None
    if cache_state == "warm-no-memo":  # the audit's remembered results removed: it audits for real
        before = partial(_forget_audits, folder)
    if cache_state == "cold":
        # Each run finds no cache; the writer a cold command forks as it exits is off, so that it does
        # not run into the next measurement (it starts after the command has answered).
        env["FINSEK_NO_BACKGROUND_CACHE"] = "1"
        before = partial(shutil.rmtree, cold_dir, ignore_errors=True)
    seconds, peak, _ = measure(argv(target), runs, False, env, before,
                               beancount_cache=cache_state == "beancount-cache")
    return seconds, peak


def _forget_audits(folder: Path) -> None:
    for path in (folder / "books").glob("*.audit.*.json"):
        path.unlink()


def render_targets(rows, sizes) -> str:
    """The command targets: the ratio at every size, judged at 100,000 transactions (where they are set)."""
    lines = ["| command target (set for 100,000 tx) | " + " | ".join(f"{size:,} tx" for size in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for name, (anchor, most) in COMMAND_TARGETS.items():
        if name not in rows or anchor not in rows:
            continue
        cells = []
        for size in sizes:
            ratio = rows[name][size][0] / rows[anchor][size][0]
            verdict = f" ({'met' if ratio <= most else 'MISSED'})" if size == TARGET_SIZE else ""
            cells.append(f"{ratio:.2f}×{verdict}")
        lines.append(f"| {name} ≤ {most} × {anchor} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def prepare_warm_cache(main_file: Path, folder: Path) -> None:
    code = textwrap.dedent(
        """
        import sys
        from finsek.ledger.ledger import Ledger
        ledger = Ledger(sys.argv[1], use_cache=True)
        ledger.books
        ledger.store_cache()
        """
    )
    run_child([sys.executable, "-c", code, str(main_file)], {"FINSEK_CACHE_DIR": str(folder)})


def render_extras(extra_rows, sizes) -> str:
    if not extra_rows:
        return ""
    lines = ["| figure | " + " | ".join(f"{size:,} tx" for size in sizes) + " |", "|---|" + "---|" * len(sizes)]
    for name, by_size in extra_rows.items():
        lines.append(f"| {name} | " + " | ".join(f"{by_size.get(size, float('nan')):.1f}" for size in sizes) + " |")
    return "\n".join(lines)


def render(rows, sizes, runs) -> str:
    header = "| operation | " + " | ".join(f"{size:,} tx" for size in sizes) + " |"
    lines = [
        f"Median of {runs} runs after one warm-up; × is the ratio to `bean-check` on the same file; "
        "MiB is the peak memory of the process.",
        "",
        header,
        "|---|" + "---|" * len(sizes),
    ]
    anchor = rows.get("bean-check", {})
    for name, by_size in rows.items():
        cells = []
        for size in sizes:
            seconds, peak = by_size[size]
            ratio = seconds / anchor[size][0] if size in anchor else float("nan")
            shown = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
            cells.append(f"{shown} ({ratio:.2f}×, {peak:.0f} MiB)")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
