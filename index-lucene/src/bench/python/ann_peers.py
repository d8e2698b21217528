#!/usr/bin/python3
"""The peer libraries of the ANN benchmark: hnswlib (HNSW), FAISS IndexHNSWFlat and IndexFlatIP.

Run with Debian's /usr/bin/python3 (python3-hnswlib, python3-faiss). Reads the files written by
ann_data.py and prints one JSON object per measured point to stdout:
  {"system", "dataset", "param", "recall10", "qps", "build_s", "bytes_per_vector", ...}

Builds use every core (as the Java side does); queries are single-threaded for every system: one
batch call with one thread, so the per-query cost has no Python overhead in it (the best case for
the peers).
"""
import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np


def load(path, d):
    base = np.fromfile(os.path.join(path, "base.f32"), dtype=np.float32).reshape(-1, d)
    queries = np.fromfile(os.path.join(path, "queries.f32"), dtype=np.float32).reshape(-1, d)
    truth = np.fromfile(os.path.join(path, "truth.i32"), dtype=np.int32).reshape(len(queries), -1)
    return base, queries, truth


def recall10(found, truth):
    hits = 0
    for f, t in zip(found, truth):
        hits += len(set(int(x) for x in f[:10]) & set(int(x) for x in t[:10]))
    return hits / (10.0 * len(truth))


def timed_queries(fn, queries, repeat):
    """Best of `repeat` passes over all queries; returns (ids, qps, cpu_qps).

    cpu_qps divides by the CPU time of this thread (the single query thread: one-thread batch calls
    run inline), which a shared machine's load disturbs far less than wall time.
    """
    best = None
    best_cpu = None
    ids = None
    for _ in range(repeat):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        ids = fn(queries)
        dt = time.perf_counter() - t0
        dc = time.thread_time() - c0
        best = dt if best is None else min(best, dt)
        best_cpu = dc if best_cpu is None else min(best_cpu, dc)
    return ids, len(queries) / best, len(queries) / max(best_cpu, 1e-9)


def file_bytes(write):
    fd, name = tempfile.mkstemp(suffix=".idx", dir=os.environ.get("TMPDIR", "/tmp"))
    os.close(fd)
    try:
        write(name)
        return os.path.getsize(name)
    finally:
        os.remove(name)


def emit(**kw):
    print(json.dumps(kw), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--d", type=int, required=True)
    ap.add_argument("--m", type=int, default=16, help="HNSW M (Lucene maxConn)")
    ap.add_argument("--ef-construction", type=int, default=100, help="(Lucene beamWidth)")
    ap.add_argument("--ef", default="10,16,24,32,48,64,96,128,192,256")
    ap.add_argument("--systems", default="hnswlib,faiss-hnsw,faiss-flat")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--build-threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    base, queries, truth = load(a.data, a.d)
    n = len(base)
    efs = [int(x) for x in a.ef.split(",")]
    systems = a.systems.split(",")

    if "hnswlib" in systems:
        import hnswlib
        t0 = time.perf_counter()
        index = hnswlib.Index(space="ip", dim=a.d)
        index.init_index(max_elements=n, M=a.m, ef_construction=a.ef_construction, random_seed=1)
        index.add_items(base, np.arange(n), num_threads=a.build_threads)
        build = time.perf_counter() - t0
        size = file_bytes(index.save_index)
        for ef in efs:
            index.set_ef(max(ef, 10))
            ids, qps, cpu_qps = timed_queries(lambda q: index.knn_query(q, k=10, num_threads=1)[0], queries, a.repeat)
            emit(system="hnswlib", dataset=a.dataset, param="ef=%d" % max(ef, 10), ef=max(ef, 10),
                 recall10=round(recall10(ids, truth), 4), qps=round(qps, 1), cpu_qps=round(cpu_qps, 1), build_s=round(build, 1),
                 bytes_per_vector=round(size / n, 1))
        del index

    if "faiss-hnsw" in systems or "faiss-flat" in systems:
        import faiss
    if "faiss-hnsw" in systems:
        faiss.omp_set_num_threads(a.build_threads)
        t0 = time.perf_counter()
        index = faiss.IndexHNSWFlat(a.d, a.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = a.ef_construction
        index.add(base)
        build = time.perf_counter() - t0
        size = file_bytes(lambda name: faiss.write_index(index, name))
        faiss.omp_set_num_threads(1)
        for ef in efs:
            index.hnsw.efSearch = max(ef, 10)
            ids, qps, cpu_qps = timed_queries(lambda q: index.search(q, 10)[1], queries, a.repeat)
            emit(system="faiss-hnsw", dataset=a.dataset, param="efSearch=%d" % max(ef, 10), ef=max(ef, 10),
                 recall10=round(recall10(ids, truth), 4), qps=round(qps, 1), cpu_qps=round(cpu_qps, 1), build_s=round(build, 1),
                 bytes_per_vector=round(size / n, 1))
        del index
    if "faiss-flat" in systems:
        faiss.omp_set_num_threads(a.build_threads)
        t0 = time.perf_counter()
        index = faiss.IndexFlatIP(a.d)
        index.add(base)
        build = time.perf_counter() - t0
        faiss.omp_set_num_threads(1)
        # exact search is slow: time a subset of queries (recall is computed on the same subset)
        sub = min(len(queries), 200)
        ids, qps, cpu_qps = timed_queries(lambda q: index.search(q, 10)[1], queries[:sub], 1)
        emit(system="faiss-flat", dataset=a.dataset, param="exact", ef=0,
             recall10=round(recall10(ids, truth[:sub]), 4), qps=round(qps, 1), cpu_qps=round(cpu_qps, 1), build_s=round(build, 1),
             bytes_per_vector=round(4.0 * a.d, 1), queries=sub)
        del index


if __name__ == "__main__":
    main()
