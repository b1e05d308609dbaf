"""Time matching a 1,000-line bank statement against the demo ledger (not part of bench/run.py's table).

    PYTHONPATH=. python bench/bank_match.py bench/out/demo-100000/main.beancount [LINES]

Makes a statement from the ledger's own checking account (the latest LINES
transactions, deposits posted a day late, checks clearing 3-20 days later,
a few bank fees not in the books), then times, on books read warm from the
cache: reading the entries, and matching. Prints the counts and the seconds.
"""

import datetime as dt
import random
import sys
import time
from decimal import Decimal

from finsek.imports.matching import match_statement
from finsek.imports.statement import Statement, StatementLine, chronological
from finsek.ledger.ledger import Ledger

ACCOUNT = "Assets:Bank:Checking"


def make_statement(entries, count: int, rng: random.Random) -> Statement:
    lines = []
    for entry in reversed(entries):
        if len(lines) >= count - count // 100:
            break
        if not hasattr(entry, "postings") or entry.flag == "P":
            continue
        amount = sum((p.units.number for p in entry.postings if p.account == ACCOUNT), Decimal(0))
        if not amount:
            continue
        check = str((entry.meta or {}).get("check") or "") if amount < 0 else ""
        delay = rng.randint(3, 20) if check else (1 if amount > 0 else rng.randint(0, 2))
        lines.append(StatementLine(entry.date + dt.timedelta(days=delay), amount, (entry.payee or "").upper(),
                                   check=check))
    last = max(line.date for line in lines)
    lines += [StatementLine(last - dt.timedelta(days=7 * n), Decimal("-12.00"), "MONTHLY SERVICE FEE")
              for n in range(count - len(lines))]
    return Statement(lines=tuple(chronological(lines)))


def main() -> int:
    path = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    ledger = Ledger(path, use_cache=True)
    ledger.books  # noqa: B018 (warm the cache once)
    ledger.store_cache()
    started = time.perf_counter()
    books = Ledger(path, use_cache=True).books
    loaded = time.perf_counter()
    entries = books.entries
    read = time.perf_counter()
    statement = make_statement(entries, count, random.Random(1))
    made = time.perf_counter()
    matches = match_statement(statement, entries, ACCOUNT, root=books.root)
    matched = time.perf_counter()
    counts: dict[str, int] = {}
    for match in matches:
        counts[match.status] = counts.get(match.status, 0) + 1
    doubtful = sum(1 for match in matches if match.doubtful)
    print(f"books warm: {loaded - started:.3f} s (from cache: {books.from_cache}); entries: {read - loaded:.3f} s; "
          f"matching {len(statement.lines)} lines: {matched - made:.3f} s")
    print(f"statuses: {counts}; doubtful: {doubtful}; transactions: {books.transaction_count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
