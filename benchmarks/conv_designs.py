"""Time our NumPy conv2d on each design of Lesson 3 (1×64×56×56 input, 64 → 64 channels).

Writes benchmarks/results/conv_designs.json, which the lesson page renders: the site
build never times anything, so it stays deterministic. Every run is kept (``samples``),
with the median, the fastest and the slowest run beside it: the page ranks the designs by
the median and shows the fastest–slowest range, because on a shared machine the best run
alone flatters whichever design happened to get a quiet moment. Run it when the machine
is otherwise idle:

    uv run python benchmarks/conv_designs.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine_info

from lessons.conv import conv2d, cost
from lessons.pages.convolutions import DESIGNS, design_layers

REPEATS = 20
OUT = Path(__file__).resolve().parent / "results" / "conv_designs.json"


def run(x, layers, weights):
    for layer, w in zip(layers, weights):
        x = conv2d(x, w, stride=layer.stride, padding=layer.padding, dilation=layer.dilation,
                   groups=layer.groups)
    return x


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 64, 56, 56))
    cases = {}
    for key in DESIGNS:
        layers = design_layers(key, 64)
        weights = [rng.standard_normal((l.out_channels, l.in_channels // l.groups, *l.kernel))
                   / np.sqrt(l.params / l.out_channels) for l in layers]
        run(x, layers, weights)  # warm-up
        cases[key] = (layers, weights)
    # rounds: every design once per round, so a burst of load elsewhere hits them all alike
    times = {key: [] for key in DESIGNS}
    for _ in range(REPEATS):
        for key, (layers, weights) in cases.items():
            start = time.perf_counter()
            run(x, layers, weights)
            times[key].append(time.perf_counter() - start)
    results = {}
    for key, (layers, _) in cases.items():
        mults = cost(layers, 56, 56).multiplications
        samples = times[key]
        median = statistics.median(samples)
        # "seconds" is the statistic named at the top level (the median), kept for older readers
        results[key] = {"seconds": median, "seconds_median": median, "seconds_min": min(samples),
                        "seconds_max": max(samples), "samples": samples, "multiplications": mults}
        print(f"{key:12s} median {1000 * median:8.1f} ms  ({1000 * min(samples):.1f}–"
              f"{1000 * max(samples):.1f})  {mults:>12,d} mults  {mults / median / 1e9:6.2f} G mult/s")
    data = {**machine_info(), "input": [1, 64, 56, 56], "dtype": "float64", "repeats": REPEATS,
            "statistic": "median", "designs": results}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
