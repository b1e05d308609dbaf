"""The small-congregation rule: no figure the board sees covers fewer than 3 households.

A total or a count of giving that covers one or two households would let a
board member read off what a neighbour gave. Every giving breakdown finsek
shows the board (the board report's giving trend and its summary, ``finsek
report givers``) goes through this one module:

- ``too_few(households)``: 1 or 2 households (0 is fine: a month of loose
  offerings only names nobody);
- ``fold(items, households)``: neighbouring groups (months, size bands)
  merged until every merged group covers 0 or at least ``MIN_HOUSEHOLDS``
  households, so no figure has to be hidden and none can be worked out by
  subtracting the others from the total;
- ``FEWER``: what is shown instead of a figure when even all the groups
  together cover too few households.

No pandas here: the giving layer (``giving/givers.py``) uses it too.
"""

from collections.abc import Callable, Sequence
from typing import TypeVar

#: The fewest households a giving figure may cover.
MIN_HOUSEHOLDS = 3
#: Shown in place of a figure that covers too few households.
FEWER = f"fewer than {MIN_HOUSEHOLDS}"

T = TypeVar("T")


def too_few(households: int) -> bool:
    """True when a figure covering ``households`` households may not be shown: 1 or 2 of them."""
    return 0 < households < MIN_HOUSEHOLDS


def fold(items: Sequence[T], households: Callable[[list[T]], int | Sequence[int]]) -> list[list[T]]:
    """``items`` (in order) cut into runs of neighbours, each covering 0 or at least ``MIN_HOUSEHOLDS`` households.

    ``households(run)`` counts the distinct households a run covers (or gives
    several counts, one per figure shown for the run, e.g. this year and
    last; every one must pass). A run too small is joined to the next item;
    a small run left at the end is joined to the run before it. Only when
    all items together cover too few households is the single run returned
    still too small: the caller shows ``FEWER`` for it.
    """
    def safe(run: list[T]) -> bool:
        counts = households(run)
        return not any(too_few(count) for count in ([counts] if isinstance(counts, int) else counts))

    runs: list[list[T]] = []
    current: list[T] = []
    for item in items:
        current.append(item)
        if safe(current):
            runs.append(current)
            current = []
    if current:
        runs.append(current)
        while len(runs) > 1 and not safe(runs[-1]):
            last = runs.pop()
            runs[-1] = runs[-1] + last
    return runs


def shown(value: T, households: int) -> T | str:
    """``value``, or ``FEWER`` when it covers too few households."""
    return FEWER if too_few(households) else value
