"""Time Value.backward() on chains of growing length: the budget is under 1 s for 100,000 nodes.

Run: uv run python benchmarks/backward.py

A chain is the worst case for a recursive topological sort (depth = length); the engine
sorts iteratively, so the time per node should stay flat as the chain grows (linear cost).
Only backward() is timed (sort + reset + closures), best of 5; building the graph is not.
"""

from __future__ import annotations

import sys
import time

from lessons.autograd import Value

SIZES = (12_500, 25_000, 50_000, 100_000, 200_000)
REPEATS = 5
BUDGET_100K = 1.0  # seconds


def chain(n: int) -> tuple[Value, Value]:
    """A chain of n gates (alternating +1 and *1) on one input; returns (input, output)."""
    x = Value(0.5, "x")
    y = x
    for k in range(n):
        y = y * 1.0 if k % 2 else y + 1.0
    return x, y


def best_backward_time(n: int) -> float:
    x, y = chain(n)
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        y.backward()
        best = min(best, time.perf_counter() - start)
    assert x.grad == 1.0
    return best


def main() -> int:
    print(f"Python {sys.version.split()[0]}; best of {REPEATS}")
    print(f"{'nodes':>9}  {'backward (s)':>12}  {'per node (µs)':>13}")
    times = {}
    for n in SIZES:
        t = best_backward_time(n)
        times[n] = t
        print(f"{n:>9,}  {t:>12.3f}  {t / n * 1e6:>13.2f}")
    ok = times[100_000] < BUDGET_100K
    print(f"budget: 100,000 nodes in under {BUDGET_100K} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
