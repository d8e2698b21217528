#!/usr/bin/python3
"""Single-clip CPU latency (torch.set_num_threads(1)) of candidate audio towers and of the fbank step, for
mel_bins 64 and 128. Prints min / median over repeats; run on an idle machine for meaningful numbers.

Run:  /usr/bin/python3 tools/mini-train/audio/latency.py [--repeats 50]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import melspec  # noqa: E402
from model import AudioTower, count_params  # noqa: E402


def timeit(fn, repeats):
    for _ in range(3):
        fn()
    ts = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1e3)
    return min(ts), statistics.median(ts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=50)
    ap.add_argument("--widths", default="16,32,64,128;24,48,96,192;32,64,128,256")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    print(f"load average {os.getloadavg()}")
    wave = torch.randn(1, 32000) * 0.1
    for M in (64, 128):
        lo, med = timeit(lambda: melspec.clip_fbank(wave.clone(), M, -4.268, 9.138), args.repeats)
        print(f"fbank M={M}: min {lo:.2f} ms, median {med:.2f} ms per 2 s clip")
        for ws in args.widths.split(";"):
            w = tuple(int(v) for v in ws.split(","))
            m = AudioTower(w).eval()
            x = torch.randn(1, 1, M, 204)
            with torch.no_grad():
                lo, med = timeit(lambda: m(x), args.repeats)
            print(f"tower M={M} widths={w} ({count_params(m):,} params): min {lo:.2f} ms, median {med:.2f} ms per clip")


if __name__ == "__main__":
    main()
