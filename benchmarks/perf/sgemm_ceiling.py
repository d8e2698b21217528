#!/usr/bin/python3
"""The machine's float32 GEMM ceiling through numpy -> libblas.so.3 (OpenBLAS pthreads on Debian here), with 1 and 2
BLAS threads, on the products an ImageBind-Huge forward is made of, plus a big square.

    /usr/bin/python3 benchmarks/perf/sgemm_ceiling.py [--threads 1,2] [--reps 5] [--warmup 1] [--json OUT.json]
        [--shapes vision,vision8,text,text8,audio,attn,square]

OPENBLAS_NUM_THREADS is read once when OpenBLAS loads, so each thread count runs in its own child process of this
script (same file, ``--child``). GFLOP/s = 2*M*N*K / median seconds of ``np.matmul(A, B, out=C)`` on contiguous
float32 arrays (batched products: times the batch count).
"""

import argparse
import json
import os
import platform
import subprocess
import sys

# (name, batch, M, K, N): C[M,N] = A[M,K] @ B[K,N]
SHAPES = {
    "vision": [("vision qkv 257x1280@1280x3840", 1, 257, 1280, 3840),
               ("vision fc1 257x1280@1280x5120", 1, 257, 1280, 5120),
               ("vision fc2 257x5120@5120x1280", 1, 257, 5120, 1280)],
    "vision8": [("vision b8 fc1 2056x1280@1280x5120", 1, 2056, 1280, 5120),
                ("vision b8 fc2 2056x5120@5120x1280", 1, 2056, 5120, 1280)],
    "text": [("text fc1 77x1024@1024x4096", 1, 77, 1024, 4096)],
    "text8": [("text b8 fc1 616x1024@1024x4096", 1, 616, 1024, 4096)],
    "audio": [("audio 3 clips fc1 687x768@768x3072", 1, 687, 768, 3072)],
    "attn": [("vision scores 16x(257x80@80x257)", 16, 257, 80, 257),
             ("vision AV 16x(257x257@257x80)", 16, 257, 257, 80)],
    "square": [("square 4096^3", 1, 4096, 4096, 4096)],
}


def child(args):
    import time

    import numpy as np

    rng = np.random.default_rng(0)
    rows = []
    for group in args.shapes.split(","):
        for name, batch, m, k, n in SHAPES[group]:
            shape_a = (batch, m, k) if batch > 1 else (m, k)
            shape_b = (batch, k, n) if batch > 1 else (k, n)
            a = rng.standard_normal(shape_a, dtype=np.float32)
            b = rng.standard_normal(shape_b, dtype=np.float32)
            c = np.empty((batch, m, n) if batch > 1 else (m, n), np.float32)
            times = []
            for rep in range(args.warmup + args.reps):
                t = time.perf_counter()
                np.matmul(a, b, out=c)
                t = time.perf_counter() - t
                if rep >= args.warmup:
                    times.append(t)
            times.sort()
            med = times[len(times) // 2] if len(times) % 2 else 0.5 * (times[len(times) // 2 - 1] + times[len(times) // 2])
            flops = 2.0 * batch * m * n * k
            rows.append({"shape": name, "batch": batch, "m": m, "k": k, "n": n, "reps": args.reps,
                         "median_ms": round(med * 1e3, 3), "best_ms": round(times[0] * 1e3, 3),
                         "gflops": round(flops / med / 1e9, 2), "gflops_best": round(flops / times[0] / 1e9, 2)})
    json.dump(rows, sys.stdout)


def blas_library():
    try:
        return os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    except OSError:
        return None


def cpu_info():
    model, mhz, flags = None, None, ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key = line.split(":", 1)[0].strip()
                if key == "model name" and model is None:
                    model = line.split(":", 1)[1].strip()
                elif key == "cpu MHz" and mhz is None:
                    mhz = float(line.split(":", 1)[1])
                elif key == "flags" and not flags:
                    flags = line.split(":", 1)[1]
    except OSError:
        pass
    wanted = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile")
    return {"model": model, "mhz": mhz, "flags": [f for f in wanted if f in flags.split()], "cores": os.cpu_count()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--json", default=None)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    for g in args.shapes.split(","):
        if g not in SHAPES:
            raise SystemExit(f"unknown shape group {g!r}; expected some of {','.join(SHAPES)}")
    if args.child:
        child(args)
        return 0
    with open("/proc/loadavg") as f:
        load_before = f.read().split()[:3]
    report = {"tool": "benchmarks/perf/sgemm_ceiling.py", "blas": blas_library(), "cpu": cpu_info(),
              "python": platform.python_version(), "loadavg_before": load_before,
              "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"), "runs": []}
    for t in [int(x) for x in args.threads.split(",")]:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t))
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", "--reps", str(args.reps),
                              "--warmup", str(args.warmup), "--shapes", args.shapes],
                             env=env, check=True, capture_output=True, text=True).stdout
        rows = json.loads(out)
        report["runs"].append({"threads": t, "results": rows})
        for r in rows:
            print(f"threads {t}  {r['shape']:38s} median {r['median_ms']:10.2f} ms  {r['gflops']:8.1f} GFLOP/s "
                  f"(best {r['gflops_best']:.1f})", flush=True)
    with open("/proc/loadavg") as f:
        report["loadavg_after"] = f.read().split()[:3]
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
