"""Our conv2d against two independent ways to compute the same layer.

1×64×56×56 input, 64 kernels of 3×3×64, padding 1 (float64):
- ``lessons.conv.conv2d`` (one batched matrix product per kernel tap);
- ``scipy.signal.correlate2d`` per (output, input) channel pair, summed over input channels;
- plain im2col: every 3×3×64 patch as a column of one big matrix, then one matrix product.

Prints the times and ratios and writes benchmarks/results/conv_speed.json. Run:

    uv run python benchmarks/conv_speed.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.signal import correlate2d

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine_info

from lessons.conv import conv2d

ROUNDS = 36
OUT = Path(__file__).resolve().parent / "results" / "conv_speed.json"


def with_scipy(x, w):
    xp = np.pad(x[0], ((0, 0), (1, 1), (1, 1)))
    out = np.empty((1, w.shape[0], x.shape[2], x.shape[3]))
    for o in range(w.shape[0]):
        out[0, o] = sum(correlate2d(xp[c], w[o, c], mode="valid") for c in range(x.shape[1]))
    return out


def with_im2col(x, w):
    n, c, h, width = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))  # n,c,h,w,kh,kw
    cols = windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, h * width)  # copies
    return (w.reshape(o, c * kh * kw) @ cols).reshape(n, o, h, width)


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 64, 56, 56))
    w = rng.standard_normal((64, 64, 3, 3))
    ours = conv2d(x, w, padding=1)
    for name, fn in (("scipy", with_scipy), ("im2col", with_im2col)):
        assert np.allclose(fn(x, w), ours), name
    # rounds: each method once per round (scipy every sixth round, it is slow), so a burst
    # of load elsewhere hits them alike; the best run of each counts
    methods = {"conv2d": lambda: conv2d(x, w, padding=1), "im2col_matmul": lambda: with_im2col(x, w),
               "scipy_correlate2d": lambda: with_scipy(x, w)}
    times = {name: [] for name in methods}
    for round_ in range(ROUNDS):
        for name, fn in methods.items():
            if name == "scipy_correlate2d" and round_ % 6:
                continue
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    t = {name: min(values) for name, values in times.items()}
    ratios = {"scipy_over_conv2d": t["scipy_correlate2d"] / t["conv2d"],
              "im2col_over_conv2d": t["im2col_matmul"] / t["conv2d"]}
    for name, seconds in t.items():
        print(f"{name:20s} {1000 * seconds:8.1f} ms")
    for name, ratio in ratios.items():
        print(f"{name:20s} {ratio:8.2f}")
    data = {**machine_info(), "input": [1, 64, 56, 56], "kernels": [64, 64, 3, 3], "padding": 1,
            "dtype": "float64", "statistic": "min", "seconds": t, "ratios": ratios}
    OUT.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
