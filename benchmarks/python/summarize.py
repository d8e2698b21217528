#!/usr/bin/python3
"""Combines the JMH results and the peers' results of one run into one table plus the derived ratios.

  summarize.py machine OUT.json              record this machine (run before the benchmarks)
  summarize.py report --jmh J --peers P --machine M [--out summary.md]

Every figure is the median over measurement iterations (JMH) or repetitions (peers); the best
(minimum) is shown beside it because this machine is shared and noisy. Ratios use medians.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

DATASETS = {"100k_1024": (100_000, 1024), "1m_384": (1_000_000, 384)}
PURE_READ_TARGET = 0.70
BATCH_SPEEDUP_TARGET = 5.0


def sh(cmd):
    try:
        r = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
        return r.stdout.strip()
    except Exception as e:  # noqa: BLE001 - informational only
        return f"({e})"


def record_machine(out):
    lscpu = sh("lscpu")
    info = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cpu_model": next((l.split(":", 1)[1].strip() for l in lscpu.splitlines() if l.startswith("Model name")), "?"),
        "cpus": os.cpu_count(),
        "lscpu": lscpu,
        "memory": sh("free -g | head -2"),
        "kernel": platform.release(),
        "java": sh("java -version 2>&1"),
        "loadavg_start": open("/proc/loadavg").read().strip(),
        "git": sh("git rev-parse --short HEAD") + (" (dirty)" if sh("git status --porcelain") else ""),
    }
    with open(out, "w") as f:
        json.dump(info, f, indent=1)


def stats(values):
    return statistics.median(values), min(values), statistics.fmean(values)


def load_jmh(path):
    rows = []
    for b in json.load(open(path)):
        name = b["benchmark"].rsplit(".", 2)
        cls, method = name[-2], name[-1]
        p = b.get("params", {})
        raw = [v for fork in b["primaryMetric"]["rawData"] for v in fork]
        unit = b["primaryMetric"]["scoreUnit"]
        if unit != "ms/op":
            raise SystemExit(f"{b['benchmark']}: unit {unit}, expected ms/op")
        med, best, mean = stats(raw)
        err = b["primaryMetric"].get("scoreError")
        if cls == "ExactSearchBenchmark":
            engine, path = "bindspace", p["strategy"]
        elif cls == "MemoryBandwidthBenchmark":
            engine, path = "pure-read", method
        elif cls == "ScanKernelBenchmark":
            engine, path = "scan-kernel", method
        else:
            engine, path = cls, method
        rows.append({"dataset": p["dataset"], "engine": engine, "path": path,
                     "threads": int(p.get("threads", 1)), "batch": int(p.get("batch", 1)),
                     "median": med, "best": best, "mean": mean,
                     "err": err if isinstance(err, (int, float)) and err == err else None, "n": len(raw)})
    return rows


def load_peers(path):
    data = json.load(open(path))
    rows = []
    for r in data["results"]:
        med, best, mean = stats(r["times_ms"])
        rows.append({"dataset": r["dataset"], "engine": r["engine"], "path": r["case"], "threads": r["threads"],
                     "batch": r["batch"], "median": med, "best": best, "mean": mean, "err": None,
                     "n": len(r["times_ms"]), "window": (r["start"], r["end"]) if "start" in r else None})
    return rows, data.get("versions", {}), data.get("checks", [])


def load_monitor(path):
    """[(epoch seconds, % of one core used by processes outside the run)] from run.sh's monitor.log."""
    samples = []
    if path and os.path.exists(path):
        for line in open(path):
            f = line.split()
            if len(f) >= 2 and f[1].startswith("others="):
                samples.append((float(f[0]), float(f[1][len("others="):].rstrip("%"))))
    return samples


def attach_windows(rows, path):
    """Sets each JMH row's (start, end) from the windows.tsv the trials wrote."""
    if not path or not os.path.exists(path):
        return
    for line in open(path):
        bench, ds, p, threads, batch, start, end = line.rstrip("\n").split("\t")
        engine = "bindspace" if bench == "ExactSearchBenchmark" else "pure-read"
        for r in rows:
            if (r["engine"], r["dataset"], r["path"], r["threads"], r["batch"]) == (engine, ds, p, int(threads), int(batch)):
                r["window"] = (int(start) / 1000, int(end) / 1000)


def contention(row, samples):
    """Mean CPU % used by other processes while the row's case ran (nearest sample for short cases)."""
    w = row.get("window")
    if not w or not samples:
        return None
    inside = [v for t, v in samples if w[0] <= t <= w[1] + 1]
    if not inside:
        mid = (w[0] + w[1]) / 2
        inside = [min(samples, key=lambda s: abs(s[0] - mid))[1]]
    return statistics.fmean(inside)


def gbps(ds, ms):
    n, d = DATASETS[ds]
    return 4.0 * n * d / (ms * 1e-3) / 1e9


def gflops(ds, batch, ms):
    n, d = DATASETS[ds]
    return 2.0 * n * d * batch / (ms * 1e-3) / 1e9


def report(args):
    jmh = load_jmh(args.jmh)
    peers, versions, checks = load_peers(args.peers)
    machine = json.load(open(args.machine)) if args.machine and os.path.exists(args.machine) else {}
    attach_windows(jmh, args.windows or os.path.join(os.path.dirname(args.jmh), "windows.tsv"))
    samples = load_monitor(args.monitor)
    rows = jmh + peers
    out = []
    w = out.append

    def find(ds, engine, path, threads, batch=1):
        for r in rows:
            if (r["dataset"], r["engine"], r["path"], r["threads"], r["batch"]) == (ds, engine, path, threads, batch):
                return r
        return None

    w("## Machine\n")
    if machine:
        w(f"- CPU: {machine.get('cpu_model')}, {machine.get('cpus')} cores; kernel {machine.get('kernel')}")
        w(f"- Java: {machine.get('java', '').splitlines()[-1] if machine.get('java') else '?'}"
          f" ({machine.get('java', '').splitlines()[0] if machine.get('java') else ''})")
        w(f"- load average at start: {machine.get('loadavg_start')}; at the end: {open('/proc/loadavg').read().strip()}")
        w(f"- run: {machine.get('date')}, commit {machine.get('git')}")
    if samples:
        busy = [v for _, v in samples]
        w(f"- other processes on this shared machine (other people's builds), sampled every 10 s: mean "
          f"{statistics.fmean(busy):.0f}% of one core, max {max(busy):.0f}%; ≥ 25% in {sum(v >= 25 for v in busy)} "
          f"of {len(busy)} samples (column `others` below: the mean while that case ran; 100% = one of the 2 cores)")
    w(f"- peers: python {versions.get('python')}, numpy {versions.get('numpy')}, faiss {versions.get('faiss')}"
      f" ({versions.get('faiss_compile_options', '?')}); both on Debian's OpenBLAS")
    w("")

    threads_all = sorted({r["threads"] for r in rows})
    w("## Results\n")
    w("Median over iterations (JMH) or repetitions (peers); `best` = fastest iteration/repetition. "
      "ms/query = ms/op ÷ batch. GB/s = index bytes ÷ time of one pass (single query, pure read). "
      "GFLOP/s = 2·n·d·batch ÷ time.\n")
    w("| data set | engine | path | threads | batch | ms/op median | best | JMH ±99.9% | ms/query | GB/s | GFLOP/s "
      "| others |")
    w("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    order = {"pure-read": 0, "scan-kernel": 1, "bindspace": 2, "faiss": 3, "numpy": 4}
    for r in sorted(rows, key=lambda r: (r["dataset"], order.get(r["engine"], 9), r["path"], r["batch"], r["threads"])):
        ms = r["median"]
        per_q = ms / r["batch"]
        gb = f"{gbps(r['dataset'], ms):.1f}" if r["batch"] == 1 else ""
        gf = "" if r["engine"] in ("pure-read", "scan-kernel") else f"{gflops(r['dataset'], r['batch'], ms):.1f}"
        err = f"{r['err']:.1f}" if r["err"] is not None else ""
        batch = "" if r["engine"] in ("pure-read", "scan-kernel") else r["batch"]
        c = contention(r, samples)
        others = f"{c:.0f}%" if c is not None else ""
        w(f"| {r['dataset']} | {r['engine']} | {r['path']} | {r['threads']} | {batch} | {ms:.2f} | "
          f"{r['best']:.2f} | {err} | {per_q:.2f} | {gb} | {gf} | {others} |")
    w("")

    w("## Derived ratios vs targets\n")
    w("Verdicts use medians; the last column repeats the verdict with each side's best time, to show "
      "whether a result depends on the noise.\n")
    verdicts = []
    for ds in DATASETS:
        w(f"### {ds}\n")
        w("| figure | value (medians) | target | result | with best times |")
        w("|---|---:|---:|---|---|")

        def target(name, target_text, compute):
            """compute(stat) -> (value text, ok) from the 'median' or the 'best' figures, or None if missing."""
            got = compute("median")
            if got is None:
                w(f"| {name} | missing | {target_text} | n/a | |")
                return
            value, ok = got
            _, ok_best = compute("best")
            res = "PASS" if ok else "FAIL"
            verdicts.append((ds, name, res))
            w(f"| {name} | {value} | {target_text} | **{res}** | {'PASS' if ok_best else 'FAIL'} |")

        def info(name, value):
            w(f"| {name} | {value} | info | | |")

        for t in threads_all:
            arr = find(ds, "pure-read", "floatArray", t)
            buf = find(ds, "pure-read", "directBuffer", t)
            if arr and buf:
                info(f"pure read, {t} thread(s): float[] / direct ByteBuffer GB/s",
                     f"{gbps(ds, arr['median']):.1f} / {gbps(ds, buf['median']):.1f}")
        j1 = find(ds, "bindspace", "JAVA", 1)
        arr1 = find(ds, "pure-read", "floatArray", 1)
        buf1 = find(ds, "pure-read", "directBuffer", 1)

        def pure_read(stat):
            if not (j1 and arr1 and buf1):
                return None
            fastest = min(arr1[stat], buf1[stat])
            ratio = fastest / j1[stat]
            return (f"{gbps(ds, j1[stat]):.1f} / {gbps(ds, fastest):.1f} GB/s = {ratio:.0%}",
                    ratio >= PURE_READ_TARGET)

        target("Java 1 thread, single query: GB/s ÷ fastest pure-read GB/s (1 thread)",
               f"≥ {PURE_READ_TARGET:.0%}", pure_read)
        if j1 and buf1:
            info("(same, ÷ the direct-ByteBuffer pure read only)", f"{buf1['median'] / j1['median']:.0%}")
        for t in threads_all:
            jt = find(ds, "bindspace", "JAVA", t)
            ft = find(ds, "faiss", "single", t)

            def vs_faiss(stat, jt=jt, ft=ft):
                if not (jt and ft):
                    return None
                return (f"{ft[stat]:.1f} / {jt[stat]:.1f} ms = {ft[stat] / jt[stat]:.2f}x", ft[stat] >= jt[stat])

            target(f"single query, {t} thread(s): FAISS ms ÷ bindspace Java ms", "≥ 1.00x", vs_faiss)
        for t in threads_all:
            fb = find(ds, "faiss", "batch", t, 64)
            for path in ("ND4J", "JAVA"):
                b = find(ds, "bindspace", path, t, 64)

                def vs_faiss_batch(stat, b=b, fb=fb):
                    if not (b and fb):
                        return None
                    return (f"{fb[stat] / 64:.2f} / {b[stat] / 64:.2f} ms = {fb[stat] / b[stat]:.2f}x",
                            fb[stat] >= b[stat])

                target(f"batch of 64, {t} thread(s), {path}: FAISS ms/query ÷ bindspace ms/query", "≥ 1.00x",
                       vs_faiss_batch)
        def best_of_threads(engine, path, batch):
            found = [r for r in (find(ds, engine, path, t, batch) for t in threads_all) if r]
            return found

        def best_vs(mine, theirs, stat):
            if not (mine and theirs):
                return None
            m = min(mine, key=lambda r: r[stat])
            f = min(theirs, key=lambda r: r[stat])
            b = m["batch"]
            return (f"{f[stat] / b:.2f} ({f['threads']}t) / {m[stat] / b:.2f} ({m['threads']}t) ms/query = "
                    f"{f[stat] / m[stat]:.2f}x", f[stat] >= m[stat])

        target("single query, each at its best thread count: FAISS ÷ bindspace Java", "≥ 1.00x",
               lambda stat: best_vs(best_of_threads("bindspace", "JAVA", 1), best_of_threads("faiss", "single", 1),
                                    stat))
        target("batch of 64, each at its best thread count: FAISS ÷ bindspace ND4J", "≥ 1.00x",
               lambda stat: best_vs(best_of_threads("bindspace", "ND4J", 64), best_of_threads("faiss", "batch", 64),
                                    stat))
        for t in threads_all:
            single = find(ds, "bindspace", "JAVA", t)
            for path in ("ND4J", "JAVA"):
                b = find(ds, "bindspace", path, t, 64)

                def speedup(stat, b=b, single=single):
                    if not (b and single):
                        return None
                    x = single[stat] / (b[stat] / 64)
                    return f"{single[stat]:.1f} / {b[stat] / 64:.2f} ms = {x:.1f}x", x >= BATCH_SPEEDUP_TARGET

                target(f"batch of 64, {t} thread(s), {path}: per-query speed-up over the Java single query",
                       f"≥ {BATCH_SPEEDUP_TARGET:.0f}x", speedup)
        for t in threads_all:
            parts = []
            for path in ("ND4J", "JAVA"):
                b = find(ds, "bindspace", path, t, 64)
                if b:
                    parts.append(f"{path} {gflops(ds, 64, b['median']):.1f}")
            for engine in ("faiss", "numpy"):
                fb = find(ds, engine, "batch", t, 64)
                if fb:
                    parts.append(f"{engine} {gflops(ds, 64, fb['median']):.1f}")
            info(f"batch of 64, {t} thread(s): GFLOP/s", ", ".join(parts))
        w("")

    w("## Verification\n")
    w("Every JMH trial checked its top-10 ids against the exact answers (and the Java scan against the batch "
      "path) before measuring; see the `# verified:` lines in jmh.log. Peers:\n")
    for c in checks:
        w(f"- {c['dataset']}, {c['threads']} thread(s): faiss and numpy equal the exact top-10 for "
          f"{c['queries']} queries; near-tie swaps {c['near_tie_swaps']}")
    w("")
    fails = [v for v in verdicts if v[2] == "FAIL"]
    w(f"**{len(verdicts) - len(fails)} of {len(verdicts)} targets pass.**")
    text = "\n".join(out) + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    sys.stdout.write(text)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("machine")
    m.add_argument("out")
    r = sub.add_parser("report")
    r.add_argument("--jmh", required=True)
    r.add_argument("--peers", required=True)
    r.add_argument("--machine")
    r.add_argument("--monitor", help="run.sh's monitor.log")
    r.add_argument("--windows", help="the trials' windows.tsv (default: beside --jmh)")
    r.add_argument("--out")
    args = p.parse_args()
    if args.cmd == "machine":
        record_machine(args.out)
    else:
        report(args)


if __name__ == "__main__":
    main()
