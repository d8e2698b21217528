#!/usr/bin/python3
"""hnswlib queries on a set of ann_data.py's layout, for paired runs against bindspace (ann-pair.sh).

Builds the index once (M 16, efConstruction 100, 2 threads) and saves it to --index, or loads it
from there; then, per beam, the best of --repeat single-threaded batch calls over all queries, as
ann_peers.py times them. Prints one JSON object per beam.

Usage: hnsw_queries.py --data DIR --d D --index FILE [--ef 48,64,96] [--repeat 3]
"""
import argparse
import json
import os
import time

import hnswlib
import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--d", type=int, required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--ef", default="48,64,96")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    base = np.fromfile(os.path.join(a.data, "base.f32"), dtype=np.float32).reshape(-1, a.d)
    q = np.fromfile(os.path.join(a.data, "queries.f32"), dtype=np.float32).reshape(-1, a.d)
    truth = np.fromfile(os.path.join(a.data, "truth.i32"), dtype=np.int32).reshape(len(q), -1)[:, :10]
    index = hnswlib.Index(space="ip", dim=a.d)
    if os.path.exists(a.index):
        index.load_index(a.index, max_elements=len(base))
    else:
        index.init_index(max_elements=len(base), ef_construction=100, M=16, random_seed=42)
        index.add_items(base, np.arange(len(base)), num_threads=2)
        index.save_index(a.index)
    for ef in (int(x) for x in a.ef.split(",")):
        index.set_ef(ef)
        best = None
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            labels, _ = index.knn_query(q, k=10, num_threads=1)
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        found = sum(len(set(labels[i].tolist()) & set(truth[i].tolist())) for i in range(len(q)))
        print(json.dumps(dict(system="hnswlib", ef=ef, recall10=round(found / (10.0 * len(q)), 4),
                              qps=round(len(q) / best, 1))))


if __name__ == "__main__":
    main()
