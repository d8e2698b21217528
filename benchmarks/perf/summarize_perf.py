#!/usr/bin/python3
"""Summary of one benchmarks/perf/run_perf.sh run: one markdown table with the ratios.

Reads, from the results folder (each file optional; a missing or failed stage is listed, not fatal):
  machine.txt                    CPU, memory, versions (written by run_perf.sh)
  stages.tsv                     stage, exit status, start/end epoch seconds, log file
  monitor.log                    every ~10 s: CPU % used by processes outside the run
  windows.tsv                    time window of every Java case (RunLog)
  sgemm-numpy.json, sgemm-nd4j.json    sgemm ceilings
  pytorch.json                   PyTorch reference per modality and batch
  java-fp32.json, java-int8.json EncoderLatencyBenchmark
  flops-fp32.json                FLOPs per item (onnx_flops.py), used for every row (a side's own count only
                                 when this file is missing)

Ratios: "x PyTorch" = PyTorch median / Java median per call (above 1: Java is faster); GFLOP/s =
FLOPs per item x batch / median; "% ceiling" = GFLOP/s / the best sgemm GFLOP/s measured in the run
(either library, any shape, any thread count).

The other side's JSON layouts are read leniently: any object holding a modality (or media), a batch
(batch / batch_size) and a median (median_ms / median_s) counts as a result; any object holding
m, k, n (or shape) and GFLOP/s (gflops_per_s / gflops / gflop_s) counts as an sgemm figure.

    /usr/bin/python3 benchmarks/perf/summarize_perf.py benchmarks/target/perf   # writes summary.md/.json
"""
import json
import os
import sys

MODALITIES = ("vision", "vision-tower", "text", "audio", "audio-tower")
ALIASES = {"image": "vision", "images": "vision", "vision": "vision", "text": "text", "texts": "text",
           "audio": "audio", "vision-tower": "vision-tower", "audio-tower": "audio-tower"}


def _load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f), None
    except FileNotFoundError:
        return None, "missing"
    except (OSError, ValueError) as e:
        return None, f"unreadable: {e}"


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def _num(d, *keys):
    for k in keys:
        v = d.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
    return None


def latency_results(doc):
    """{(modality, batch): record} from any JSON layout holding modality/batch/median per record."""
    out = {}
    for d in _walk(doc):
        mod = d.get("modality", d.get("media"))
        if not isinstance(mod, str) or mod.lower() not in ALIASES:
            continue
        batch = _num(d, "batch", "batch_size")
        if batch is None:
            continue
        rec = {"error": d.get("error")}
        med = _num(d, "median_ms")
        if med is None and _num(d, "median_s") is not None:
            med = _num(d, "median_s") * 1000
        p90 = _num(d, "p90_ms")
        if p90 is None and _num(d, "p90_s") is not None:
            p90 = _num(d, "p90_s") * 1000
        if med is None and rec["error"] is None:
            continue
        rec.update(median_ms=med, p90_ms=p90, flops_per_item=_num(d, "flops_per_item"),
                   cpu_ms=_num(d, "cpu_ms_median"))
        out[(ALIASES[mod.lower()], int(batch))] = rec
    return out


def sgemm_results(doc, threads=None):
    """sgemm figures; a thread count given on an enclosing object (e.g. {"threads": 2, "results": [...]}) applies."""
    out = []
    if isinstance(doc, list):
        for v in doc:
            out += sgemm_results(v, threads)
        return out
    if not isinstance(doc, dict):
        return out
    t = _num(doc, "threads", "num_threads")
    threads = int(t) if t is not None else threads
    g = _num(doc, "gflops_per_s", "gflops", "gflop_s", "GFLOP/s")
    if g is not None:
        if isinstance(doc.get("shape"), str):
            shape = doc["shape"]
        elif all(k in doc for k in ("m", "k", "n")):
            shape = f"{int(doc['m'])}x{int(doc['k'])} @ {int(doc['k'])}x{int(doc['n'])}"
        else:
            shape = str(doc.get("shape"))
        out.append({"shape": shape, "threads": threads, "gflops": g, "median_ms": _num(doc, "median_ms")})
        return out
    for v in doc.values():
        out += sgemm_results(v, threads)
    return out


def contention(res, start, end):
    """Mean CPU % used by other processes between start and end (epoch seconds), from monitor.log."""
    vals = []
    try:
        with open(os.path.join(res, "monitor.log"), encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[1].startswith("others="):
                    t = float(parts[0])
                    if start - 5 <= t <= end + 5:
                        vals.append(float(parts[1][len("others="):].rstrip("%")))
    except OSError:
        return None
    return sum(vals) / len(vals) if vals else None


def _fmt(v, spec=".1f", none="-"):
    return none if v is None else format(v, spec)


def main(argv):
    res = argv[1] if len(argv) > 1 else "benchmarks/target/perf"
    lines = ["# bindspace issue 10: encoder speed, Java vs PyTorch", ""]
    summary = {"stages": [], "sgemm": {}, "rows": []}

    try:
        with open(os.path.join(res, "machine.txt"), encoding="utf-8") as f:
            lines += ["## Machine", "", "```", f.read().rstrip(), "```", ""]
    except OSError:
        pass

    stages = []
    try:
        with open(os.path.join(res, "stages.tsv"), encoding="utf-8") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) >= 5:
                    stages.append({"stage": p[0], "rc": int(p[1]), "start": float(p[2]), "end": float(p[3]),
                                   "log": p[4]})
    except OSError:
        pass
    summary["stages"] = stages
    if stages:
        lines += ["## Stages", "", "| stage | exit | seconds | other processes' CPU (mean) | log |",
                  "|---|---|---|---|---|"]
        for s in stages:
            c = contention(res, s["start"], s["end"])
            lines.append(f"| {s['stage']} | {'ok' if s['rc'] == 0 else 'FAILED rc=' + str(s['rc'])} | "
                         f"{s['end'] - s['start']:.0f} | {_fmt(c, '.0f')}{'%' if c is not None else ''} | "
                         f"{os.path.basename(s['log'])} |")
        lines.append("")

    # sgemm ceilings
    ceiling = None
    lines += ["## sgemm ceiling (GFLOP/s)", ""]
    sg_rows = []
    for lib, name in (("numpy (OpenBLAS)", "sgemm-numpy.json"), ("ND4J", "sgemm-nd4j.json")):
        doc, err = _load(os.path.join(res, name))
        if doc is None:
            lines.append(f"- {lib}: {name} {err}")
            continue
        rs = sgemm_results(doc)
        summary["sgemm"][lib] = rs
        sg_rows += [(lib, r) for r in rs]
    if sg_rows:
        ceiling = max(r["gflops"] for _, r in sg_rows)
        lines += ["","| library | product | threads | GFLOP/s |", "|---|---|---|---|"]
        for lib, r in sg_rows:
            lines.append(f"| {lib} | {r['shape']} | {_fmt(r['threads'], '.0f') if r['threads'] else '-'} | "
                         f"{r['gflops']:.1f} |")
        lines += ["", f"Ceiling used below: **{_fmt(ceiling)} GFLOP/s** (the best figure above).", ""]
    summary["ceiling_gflops"] = ceiling

    # latency tables
    flops_doc, _ = _load(os.path.join(res, "flops-fp32.json"))
    flops = (flops_doc or {}).get("per_item_flops", {})
    torch_doc, torch_err = _load(os.path.join(res, "pytorch.json"))
    torch = latency_results(torch_doc) if torch_doc is not None else {}
    sides = {}
    for label in ("fp32", "int8"):
        doc, err = _load(os.path.join(res, f"java-{label}.json"))
        sides[label] = (latency_results(doc) if doc is not None else {}, err,
                        (doc or {}).get("load_ms"), (doc or {}).get("error"))

    lines += ["## File -> embedding, per call (median over the timed calls)", ""]
    if torch_err:
        lines.append(f"- PyTorch: pytorch.json {torch_err}")
    ran = {s["stage"] for s in stages}
    for label, (_, err, load_ms, top_err) in sides.items():
        if err == "missing" and stages and f"java-{label}" not in ran:
            continue  # not asked for (no --int8, or --skip)
        if err:
            lines.append(f"- Java {label}: java-{label}.json {err}")
        elif top_err:
            lines.append(f"- Java {label}: {top_err}")
        elif load_ms is not None:
            lines.append(f"- Java {label}: bundle opened in {load_ms / 1000:.1f} s")
    lines += ["", "| modality | batch | side | median ms | p90 ms | items/s | GFLOP/s | % ceiling | x PyTorch |",
              "|---|---|---|---|---|---|---|---|---|"]
    for mod in MODALITIES:
        for batch in (1, 8):
            base = torch.get((mod, batch))
            entries = [("PyTorch fp32", base)] + [(f"Java {label}", sides[label][0].get((mod, batch)))
                                                  for label in sides]
            for side, r in entries:
                if r is None:
                    continue
                if r.get("median_ms") is None:
                    lines.append(f"| {mod} | {batch} | {side} | error: {r.get('error')} | | | | | |")
                    continue
                # one FLOP definition for every row; a tower-only row does its modality's work
                f_item = flops.get(mod.removesuffix("-tower")) or r.get("flops_per_item")
                ips = batch * 1000 / r["median_ms"]
                gf = f_item * batch / (r["median_ms"] / 1000) / 1e9 if f_item else None
                pct = 100 * gf / ceiling if gf and ceiling else None
                ratio = (base["median_ms"] / r["median_ms"]
                         if side != "PyTorch fp32" and base and base.get("median_ms") else None)
                summary["rows"].append({"modality": mod, "batch": batch, "side": side, "median_ms": r["median_ms"],
                                        "p90_ms": r.get("p90_ms"), "items_per_s": ips, "gflops_per_s": gf,
                                        "pct_ceiling": pct, "speedup_vs_pytorch": ratio})
                lines.append(f"| {mod} | {batch} | {side} | {r['median_ms']:.1f} | {_fmt(r.get('p90_ms'))} | "
                             f"{ips:.2f} | {_fmt(gf)} | {_fmt(pct, '.0f')}{'%' if pct is not None else ''} | "
                             f"{_fmt(ratio, '.2f')}{'x' if ratio is not None else ''} |")
    lines += ["", "x PyTorch = PyTorch median / Java median (above 1: Java faster). "
              "GFLOP/s counts matrix products only (onnx_flops.py); int8 rows count the same operations. "
              "vision-tower / audio-tower: the graph alone on tensors preprocessed before the timing (no "
              "PyTorch counterpart, so no ratio).", ""]

    with open(os.path.join(res, "summary.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(res, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
