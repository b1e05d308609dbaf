"""Measure finsek against Beancount on generated ledgers of growing size.

    python bench/run.py [--sizes 1000,10000,100000] [--runs 5] [--out bench/RESULTS.md]

Each measurement runs in a fresh subprocess (so imports and caches count the
way a user feels them); the first run is a warm-up and is dropped; the table
shows the median of the rest, the ratio to ``bean-check`` on the same file,
and the peak memory (max RSS) of the process. Ledgers are generated once into
``bench/out/`` (ignored by git) with the seeded demo generator.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent

#: name -> (description, python code run in a child; it prints the seconds it measured, or "" to time the process)
PYTHON_STEPS = {
    "beancount load_file (uncached)": textwrap.dedent(
        """
        import time, sys
        t = time.perf_counter()
        from beancount import loader
        loader.initialize(use_cache=False)
        loader.load_file(sys.argv[1])
        print(time.perf_counter() - t)
        """
    ),
    "finsek cold load (books ready)": textwrap.dedent(
        """
        import time, sys
        t = time.perf_counter()
        from finsek.ledger.books import load_books
        load_books(sys.argv[1])
        print(time.perf_counter() - t)
        """
    ),
    "save one gift": textwrap.dedent(
        """
        import time, sys, tempfile
        from finsek.ledger.writer import Ledger
        from finsek.ledger.entries import GiftInput, build_gift
        ledger = Ledger(sys.argv[1], state_dir=tempfile.mkdtemp())
        books = ledger.books
        draft = build_gift(books, GiftInput(date="today", amount="12.34", method="cash", memo="bench"))
        t = time.perf_counter()
        ledger.save(draft)
        elapsed = time.perf_counter() - t
        ledger.undo()
        print(elapsed)
        """
    ),
}

COMMANDS = {
    "bean-check": lambda main: [str(BIN / "bean-check"), str(main)],
    "finsek --help": lambda main: [str(BIN / "finsek"), "--help"],
}


def ensure_ledger(size: int) -> Path:
    folder = OUT / f"demo-{size}"
    main = folder / "main.beancount"
    if not main.exists():
        sys.path.insert(0, str(ROOT))
        from finsek.ledger.demo import generate_demo

        print(f"generating a {size:,}-transaction ledger ...", file=sys.stderr)
        generate_demo(folder, transactions=size, seed=1)
    return main


def run_child(argv: list[str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MiB, stdout) of one child process."""
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} exited {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024, out


def measure(argv: list[str], runs: int, inner: bool) -> tuple[float, float]:
    times, peaks = [], []
    for index in range(runs + 1):
        elapsed, peak, out = run_child(argv)
        if index == 0:
            continue
        times.append(float(out.strip().splitlines()[-1]) if inner else elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


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
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows: dict[str, dict[int, tuple[float, float]]] = {}
    for size in sizes:
        main_file = ensure_ledger(size)
        for name, argv in COMMANDS.items():
            rows.setdefault(name, {})[size] = measure(argv(main_file), args.runs, inner=False)
            print(f"{size:>7,} {name}: {rows[name][size][0]:.3f} s", file=sys.stderr)
        for name, code in PYTHON_STEPS.items():
            argv = [sys.executable, "-c", code, str(main_file)]
            rows.setdefault(name, {})[size] = measure(argv, args.runs, inner=True)
            print(f"{size:>7,} {name}: {rows[name][size][0]:.3f} s", file=sys.stderr)
    table = render(rows, sizes, args.runs)
    print(table)
    Path(args.out).write_text(
        f"# finsek benchmarks\n\nMachine: {machine()}.\nRun: `python bench/run.py --sizes {args.sizes} "
        f"--runs {args.runs}` on {time.strftime('%Y-%m-%d')}.\n\n{table}\n"
    )
    return 0


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
