#!/usr/bin/python3
"""Times the peers a user would pick instead of bindspace, on the very vectors the JMH benchmarks use.

Peers, per data set and thread count:
  faiss  IndexFlatIP: one query per call (a loop over queries), and one call with a batch of 64 queries
  numpy  m @ q plus argpartition for the top 10; batched Q @ m.T (= (m @ Q.T).T) plus argpartition per query

Thread counts are fixed per child process *before* numpy/faiss load: OPENBLAS_NUM_THREADS and
OMP_NUM_THREADS (Debian's numpy and faiss both call OpenBLAS, which reads the former; faiss's own loops
use OpenMP) and faiss.omp_set_num_threads(). Every engine's top-10 is checked against the exact answers
(gt-*.txt, double precision) before it is timed; a mismatch fails the run.

Usage: /usr/bin/python3 benchmarks/python/peers.py --data benchmarks/target/data --out peers.json
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HEADER = 32
MAGIC = b"BSVECF32"
TOP_K = 10
TIE_TOLERANCE = 1e-5
DATASETS = ["100k_1024", "1m_384"]


def read_vectors(path):
    import numpy as np
    with open(path, "rb") as f:
        h = f.read(HEADER)
    if h[:8] != MAGIC:
        raise SystemExit(f"{path}: not a bindspace vector file")
    version, d = np.frombuffer(h[8:16], dtype="<u4")
    n, _seed = np.frombuffer(h[16:32], dtype="<u8")
    if version != 1:
        raise SystemExit(f"{path}: version {version}")
    x = np.fromfile(path, dtype="<f4", offset=HEADER)
    if x.size != int(n) * int(d):
        raise SystemExit(f"{path}: {x.size} floats, expected {n} x {d}")
    return x.reshape(int(n), int(d))


def read_gt(path):
    gt = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            q, rank, row, score = line.split()
            gt.setdefault(int(q), []).append((int(rank), int(row), float(score)))
    return {q: sorted(v) for q, v in gt.items()}


def check(engine, q, rows, scores, gt):
    """Same rule as GroundTruth.check in Java: each rank's score within 1e-5 of the exact one."""
    want = gt[q]
    if len(rows) != len(want):
        raise AssertionError(f"{engine}, query {q}: {len(rows)} hits, expected {len(want)}")
    ties = 0
    for (rank, row, score), r, s in zip(want, rows, scores):
        if abs(float(s) - score) > TIE_TOLERANCE:
            raise AssertionError(f"{engine}, query {q}, rank {rank}: row {r} scored {s:.7f}, "
                                 f"exact answer is row {row} with {score:.7f}")
        ties += int(r) != row
    return ties


def timed(fn, min_reps, min_seconds, warmup=1):
    for _ in range(warmup):
        fn(0)
    times = []
    start = time.perf_counter()
    i = 0
    while len(times) < min_reps or time.perf_counter() - start < min_seconds:
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1e3)
        i += 1
        if len(times) >= 10 * min_reps and time.perf_counter() - start >= min_seconds:
            break
    return times


def child(args):
    import numpy as np
    import faiss
    threads = args.threads
    faiss.omp_set_num_threads(threads)
    out = []
    checks = []
    for ds in args.datasets:
        x = read_vectors(os.path.join(args.data, f"base-{ds}.f32"))
        qs = read_vectors(os.path.join(args.data, f"queries-{ds}.f32"))
        gt = read_gt(os.path.join(args.data, f"gt-{ds}.txt"))
        n, d = x.shape
        nq = qs.shape[0]
        index = faiss.IndexFlatIP(d)
        index.add(x)

        def faiss_single(i):
            return index.search(qs[i % nq:i % nq + 1], TOP_K)

        def faiss_batch(_):
            return index.search(qs, TOP_K)

        def numpy_single(i):
            s = x @ qs[i % nq]
            top = np.argpartition(s, n - TOP_K)[n - TOP_K:]
            return top[np.argsort(-s[top], kind="stable")], s

        def numpy_batch(_):
            # m @ Q.T, computed as Q @ m.T (the same sgemm, transposed) so that each query's top-10
            # selection runs along a contiguous row: ~30% faster than argpartition along axis 0
            s = qs @ x.T  # 64 x n
            top = np.argpartition(s, n - TOP_K, axis=1)[:, n - TOP_K:]  # 64 x 10, unordered
            order = np.argsort(-np.take_along_axis(s, top, axis=1), axis=1, kind="stable")
            return np.take_along_axis(top, order, axis=1), s

        # verify every engine on the queries with exact answers before timing it
        ties = {"faiss single": 0, "faiss batch": 0, "numpy single": 0, "numpy batch": 0}
        dist, ids = faiss_batch(0)
        top_b, s_b = numpy_batch(0)
        for q in sorted(gt):
            d1, i1 = faiss_single(q)
            ties["faiss single"] += check("faiss single", q, i1[0], d1[0], gt)
            ties["faiss batch"] += check("faiss batch", q, ids[q], dist[q], gt)
            rows, s = numpy_single(q)
            ties["numpy single"] += check("numpy single", q, rows, s[rows], gt)
            ties["numpy batch"] += check("numpy batch", q, top_b[q], s_b[q, top_b[q]], gt)
        checks.append({"dataset": ds, "threads": threads, "queries": len(gt), "near_tie_swaps": ties})
        print(f"# {ds}, {threads} thread(s): faiss and numpy top-{TOP_K} equal the exact answer "
              f"for {len(gt)} queries (near-tie swaps: {ties})", file=sys.stderr)

        single_reps = max(5, int(args.single_reps))
        cases = [
            ("faiss", "single", 1, faiss_single, single_reps),
            ("faiss", "batch", nq, faiss_batch, 3),
            ("numpy", "single", 1, numpy_single, single_reps),
            ("numpy", "batch", nq, numpy_batch, 3),
        ]
        for engine, case, batch, fn, reps in cases:
            start = time.time()
            times = timed(fn, reps, args.min_seconds)
            r = {
                "start": start, "end": time.time(),
                "engine": engine, "case": case, "dataset": ds, "rows": n, "dimension": d,
                "threads": threads, "batch": batch, "times_ms": times,
                "median_ms": statistics.median(times), "min_ms": min(times),
                "mean_ms": statistics.fmean(times),
            }
            out.append(r)
            print(f"# {engine:5s} {case:6s} {ds:10s} threads={threads} batch={batch:3d}: "
                  f"median {r['median_ms']:.2f} ms, min {r['min_ms']:.2f} ms ({len(times)} reps)", file=sys.stderr)
        del index, x
    json.dump({"results": out, "checks": checks}, sys.stdout)


def versions():
    import numpy as np
    import faiss
    v = {"python": sys.version.split()[0], "numpy": np.__version__, "faiss": faiss.__version__}
    try:
        v["faiss_compile_options"] = faiss.get_compile_options()
    except AttributeError:
        pass
    try:
        cfg = np.__config__.get_info("blas_opt_info")  # numpy < 1.26
        v["numpy_blas"] = cfg.get("libraries")
    except Exception:
        pass
    return v


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="benchmarks/target/data")
    p.add_argument("--out", default="benchmarks/target/results/peers.json")
    p.add_argument("--datasets", default=",".join(DATASETS))
    p.add_argument("--threads", default=f"1,{os.cpu_count()}", help="comma-separated thread counts")
    p.add_argument("--min-seconds", type=float, default=3.0, help="least time spent timing each case")
    p.add_argument("--single-reps", type=int, default=10)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    args.datasets = [s for s in args.datasets.split(",") if s]
    if args.child:
        args.threads = int(args.threads)
        child(args)
        return
    thread_counts = sorted({int(t) for t in args.threads.split(",") if t})
    merged = {"versions": versions(), "results": [], "checks": []}
    for t in thread_counts:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t), MKL_NUM_THREADS=str(t))
        cmd = [sys.executable, os.path.abspath(__file__), "--child", "--threads", str(t),
               "--data", args.data, "--datasets", ",".join(args.datasets),
               "--min-seconds", str(args.min_seconds), "--single-reps", str(args.single_reps)]
        res = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, check=False)
        if res.returncode != 0:
            raise SystemExit(f"peers child with {t} thread(s) failed (exit {res.returncode})")
        part = json.loads(res.stdout)
        merged["results"] += part["results"]
        merged["checks"] += part["checks"]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(merged, f, indent=1)
    print(f"# wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
