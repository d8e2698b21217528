#!/usr/bin/python3
"""Turns the output directory of bench-ann.sh into the markdown tables of docs/benchmarks-ann.md."""
import json
import os
import sys
from collections import defaultdict

ORDER = ["bindspace-lucene-none", "bindspace-lucene-none-heap", "bindspace-lucene-none-heap-thp",
         "bindspace-lucene-int7", "hnswlib", "faiss-hnsw", "faiss-flat"]
# bench-ann.sh's phase name of each bindspace system
PHASES = {"bindspace-lucene-none": "bindspace-NONE", "bindspace-lucene-none-heap": "bindspace-NONE-HEAP",
          "bindspace-lucene-none-heap-thp": "bindspace-NONE-HEAP-THP", "bindspace-lucene-int7": "bindspace-INT7"}
FLOAT = ["bindspace-lucene-none", "bindspace-lucene-none-heap", "bindspace-lucene-none-heap-thp"]
TARGET = 0.95


def load(out):
    rows = [json.loads(l) for l in open(os.path.join(out, "results.jsonl")) if l.strip().startswith("{")]
    phases = {}
    for line in open(os.path.join(out, "phases.txt")):
        t, name, what = line.split()
        phases.setdefault(name, {})[what] = int(t)
    load_samples = []
    for line in open(os.path.join(out, "load.txt")):
        parts = line.split()
        if len(parts) >= 2:
            load_samples.append((int(parts[0]), float(parts[1])))
    machine = json.loads(open(os.path.join(out, "machine.json")).read())
    return rows, phases, load_samples, machine


def load_in(samples, start, end):
    xs = [l for t, l in samples if start <= t <= end]
    if not xs:
        return "n/a"
    return "%.1f / %.1f / %.1f" % (min(xs), sum(xs) / len(xs), max(xs))


def best_at(points, target, key="qps"):
    ok = [p for p in points if p["recall10"] >= target]
    return max(ok, key=lambda p: p.get(key, 0)) if ok else None


def main():
    out = sys.argv[1]
    rows, phases, samples, machine = load(out)
    by = defaultdict(list)
    for r in rows:
        by[(r["dataset"], r["system"])].append(r)
    datasets = sorted({r["dataset"] for r in rows})
    w = print
    start = min(p["start"] for p in phases.values())
    end = max(p.get("end", p["start"]) for p in phases.values())
    w("Run: %s cores (%s), %.1f GiB, %s; %s, hnswlib %s, FAISS %s. Build threads %d for every system, "
      "queries single-threaded. M=%d, efConstruction=%d. Total %.1f min; load average (1 min) over the run "
      "min/mean/max %s." % (machine["cores"], machine["machine"], machine["mem_gib"], machine["java"],
                             machine["python"], machine["hnswlib"], machine["faiss"], machine["threads"],
                             machine["m"], machine["efc"], (end - start) / 60.0, load_in(samples, start, end)))
    w("")
    for ds in datasets:
        meta_path = None
        w("### Data set %s" % ds)
        w("")
        w("| system | build s | bytes/vector (disk) | hot bytes/vector | best q/s at recall@10 >= %.2f (beam) | "
          "best CPU-time q/s at >= %.2f (beam) | max recall@10 | load min/mean/max |" % (TARGET, TARGET))
        w("|---|---|---|---|---|---|---|---|")
        for sys_name in ORDER:
            pts = by.get((ds, sys_name))
            if not pts:
                continue
            ph = phases.get(PHASES.get(sys_name, sys_name) + "-" + ds, {})
            b = best_at(pts, TARGET)
            bc = best_at(pts, TARGET, "cpu_qps")
            hot = pts[0].get("hot_bytes_per_vector", pts[0]["bytes_per_vector"])
            if pts[0].get("residency") == "HEAP":
                # the heap copy (vectors + level-0 graph) is what the walk reads; upper levels stay mapped
                hot = max(p.get("resident_bytes_per_vector", 0) for p in pts)
            build = "same index" if pts[0].get("reused") else "%.1f" % pts[0]["build_s"]
            w("| %s | %s | %.0f | %.0f | %s | %s | %.4f | %s |" % (
                sys_name, build, pts[0]["bytes_per_vector"], hot,
                ("%.0f (%s)" % (b["qps"], b["param"])) if b else "not reached",
                ("%.0f (%s)" % (bc["cpu_qps"], bc["param"])) if bc else "not reached",
                max(p["recall10"] for p in pts),
                load_in(samples, ph.get("start", 0), ph.get("end", 0))))
        w("")
        w("Recall@10 / queries per second (wall) / queries per CPU-second of the query thread, per beam "
          "(hnswlib ef, FAISS efSearch, bindspace candidates):")
        w("")
        systems = [s for s in ORDER if (ds, s) in by and s != "faiss-flat"]
        w("| beam | " + " | ".join("%s" % s for s in systems) + " |")
        w("|---" * (len(systems) + 1) + "|")
        efs = sorted({p["ef"] for s in systems for p in by[(ds, s)]})
        for ef in efs:
            cells = []
            for s in systems:
                p = [x for x in by[(ds, s)] if x["ef"] == ef]
                cells.append("%.4f / %.0f / %.0f" % (p[0]["recall10"], p[0]["qps"], p[0].get("cpu_qps", 0)) if p else "")
            w("| %d | %s |" % (ef, " | ".join(cells)))
        flat = by.get((ds, "faiss-flat"))
        if flat:
            w("")
            w("FAISS IndexFlatIP (exact, %d queries): %.0f q/s, recall %.4f." % (
                flat[0].get("queries", 0), flat[0]["qps"], flat[0]["recall10"]))
        w("")
        for sys_name in FLOAT:
            for key, what in (("qps", "wall-clock"), ("cpu_qps", "CPU-time")):
                bs = best_at(by.get((ds, sys_name), []), TARGET, key)
                hl = best_at(by.get((ds, "hnswlib"), []), TARGET, key)
                if bs and hl:
                    w("**Ratio at recall@10 >= %.2f (%s): %s %.0f q/s (%s) / hnswlib %.0f q/s (%s) = %.2fx** "
                      "(target >= 0.8x)." % (TARGET, what, sys_name, bs[key], bs["param"], hl[key], hl["param"],
                                             bs[key] / hl[key]))
                    w("")
        i7 = by.get((ds, "bindspace-lucene-int7"))
        fl = by.get((ds, "bindspace-lucene-none"))
        if i7 and fl:
            b7 = best_at(i7, TARGET)
            w("")
            w("int7 + re-scoring: max recall@10 %.4f%s; hot bytes/vector %.0f vs %.0f float = %.0f %% "
              "(disk, float vectors kept for re-scoring: %.0f vs %.0f = %.0f %%)." % (
                  max(p["recall10"] for p in i7),
                  ("; best q/s at >= %.2f: %.0f (%s)" % (TARGET, b7["qps"], b7["param"])) if b7 else "",
                  i7[0]["hot_bytes_per_vector"], fl[0]["hot_bytes_per_vector"],
                  100.0 * i7[0]["hot_bytes_per_vector"] / fl[0]["hot_bytes_per_vector"],
                  i7[0]["bytes_per_vector"], fl[0]["bytes_per_vector"],
                  100.0 * i7[0]["bytes_per_vector"] / fl[0]["bytes_per_vector"]))
        w("")


if __name__ == "__main__":
    main()
