#!/usr/bin/python3
"""Calibration for int8: which MatMul/Gemm nodes of a bundle's graphs stay float, by a rule fixed in advance
(KEEP_FLOAT_RULE.md) and calibration inputs only (training data, or inputs the user supplies; never a test set).

    /usr/bin/python3 tools/imagebind-export/calibrate_int8.py SRC_BUNDLE --inputs image=IMG.npy,audio=AUD.npy \\
        --out sensitivities.json [--java-cp CP] [--threads 1] [--mean 0.9995] [--min 0.999] [--max-float-flops 0.05]
    /usr/bin/python3 tools/imagebind-export/quantize.py bundle SRC_BUNDLE DST_BUNDLE --keep-float-from sensitivities.json

Each ``KEY=FILE.npy`` holds the preprocessed inputs of graph KEY, one row per graph input (write them with the
Java tool ``dev.bindspace.mini.tools.PreprocessMedia``, which preprocesses media files exactly as the encoders do).
For every node quantize.py would quantise, a copy of the graph with that node alone quantised is written to a
temporary folder and run by the Java tool ``dev.bindspace.onnx.tools.GraphCosines`` (ONNX Runtime exists only in
Java here) on every input at batch 1; the per-input deficit ``1 - cos(int8, fp32)`` is the node's sensitivity.
Deficits of independent quantisation errors add (``1 - cos = |delta|^2 / 2`` for unit outputs), so the rule picks
the fewest most-sensitive nodes to keep float such that the predicted mean cosine is >= ``--mean`` and every input's
>= ``--min``, keeping at most ``--max-float-flops`` of the graph's FLOPs float; then the chosen configuration is
measured, and the next node added while the measurement misses a target (within the cap).

Cost: one graph copy and one pass over the inputs per quantisable node, plus two (all-int8, chosen). Graphs run
one at a time; the JSON (see ``calibrate_graph``) records every sensitivity, the choice and both measurements.
Java classpath: ``--java-cp``, else built from this checkout (``onnx/target/{classes,test-classes}`` plus
``onnx/target/test.cp``, which ``./mvnw -q -o -pl onnx dependency:build-classpath -Dmdep.outputFile=target/test.cp
-Dmdep.includeScope=test`` writes; run ``./mvnw -q -o -pl onnx -am install -DskipTests`` and ``test-compile`` first).
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


Q = _load("ib_quantize", os.path.join(HERE, "quantize.py"))
FLOPS = _load("onnx_flops", os.path.join(REPO, "benchmarks", "perf", "onnx_flops.py"))

RULE_MEAN = 0.9995
RULE_MIN = 0.999
RULE_MAX_FLOAT_FLOPS = 0.05


def quantisable_nodes(path, *, min_elements=Q.DEFAULT_MIN_ELEMENTS):
    """[[name, op, k, n], ...] of the nodes quantize.py quantises in the graph at ``path`` (nothing is written)."""
    import onnx
    model = onnx.load(path, load_external_data=True)
    return Q.quantize_model(model, min_elements=min_elements)["quantized"]


def choose_keep_float(names, deficits, flops, total_flops, *, mean=RULE_MEAN, min_cos=RULE_MIN,
                      max_float_flops=RULE_MAX_FLOAT_FLOPS):
    """The rule of KEEP_FLOAT_RULE.md on measured single-node deficits.

    ``deficits[name]`` is the per-input array ``1 - cos`` with only that node quantised; ``flops[name]`` its FLOPs
    (None if unknown, counted as 0 against the cap). Returns ``(order, keep_float, predicted, met)``: the nodes by
    sensitivity (mean deficit, largest first; ties: more FLOPs, then name), the shortest prefix of that order that
    meets both targets within the FLOP cap (or the longest the cap allows), the predicted ``{"mean", "min"}``
    cosine of the configuration, and whether the prediction meets both targets."""
    order = sorted(names, key=lambda n: (-float(np.mean(deficits[n])), -(flops.get(n) or 0), n))
    budget = max_float_flops * total_flops

    def predicted(keep):
        return predict(names, deficits, keep)

    def ok(p):
        return p["mean"] >= mean and p["min"] >= min_cos

    keep = []
    used = 0
    p = predicted(keep)
    for n in order:
        if ok(p):
            break
        f = flops.get(n) or 0
        if used + f > budget:
            break  # the cap: the next most sensitive node would cost too much; the target is missed
        keep.append(n)
        used += f
        p = predicted(keep)
    return order, keep, p, ok(p)


def predict(names, deficits, keep):
    """Predicted ``{"mean", "min"}`` cosine with ``names`` minus ``keep`` quantised: per-input deficits add."""
    q = [n for n in names if n not in keep]
    if not q:
        return {"mean": 1.0, "min": 1.0}
    d = np.sum([deficits[n] for n in q], axis=0)
    return {"mean": float(1 - np.mean(d)), "min": float(1 - np.max(d))}


class GraphCosines:
    """The Java tool dev.bindspace.onnx.tools.GraphCosines as a long-running subprocess: reference outputs once,
    then one variant graph per request."""

    def __init__(self, bundle, key, inputs_npy, classpath, threads=1, batch=1, java="java"):
        self.proc = subprocess.Popen([java, "-cp", classpath, "dev.bindspace.onnx.tools.GraphCosines", bundle, key,
                                      inputs_npy, "--threads", str(threads), "--batch", str(batch)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def cosines(self, graph_path):
        self.proc.stdin.write(os.path.abspath(graph_path) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"GraphCosines ended without a result for {graph_path} (exit {self.proc.wait()})")
        return np.array(json.loads(line)["cosines"], dtype=np.float64)

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _summary(cos):
    return {"mean": float(np.mean(cos)), "min": float(np.min(cos)), "p01": float(np.percentile(cos, 1))}


def calibrate_graph(bundle, key, inputs_npy, classpath, *, threads=1, batch=1, mean=RULE_MEAN, min_cos=RULE_MIN,
                    max_float_flops=RULE_MAX_FLOAT_FLOPS, min_elements=Q.DEFAULT_MIN_ELEMENTS, log=print,
                    measure=None):
    """Sensitivities, choice and measurements for graph ``key`` of ``bundle``. ``measure`` (tests) replaces the Java
    tool: a callable(graph_path) -> per-input cosines."""
    with open(os.path.join(bundle, "bundle.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    src = os.path.join(bundle, manifest["graphs"][key]["file"]["path"])
    nodes = quantisable_nodes(src, min_elements=min_elements)
    names = [n[0] for n in nodes]
    per_node = {}
    total_flops, _, unknown = FLOPS.count_graph(src, per_node=per_node)
    flops = {n: per_node.get(n) for n in names}
    n_inputs = int(np.load(inputs_npy, mmap_mode="r").shape[0])
    log(f"{key}: {len(names)} quantisable nodes, {n_inputs} calibration inputs, {total_flops / 1e6:.1f} MFLOP")
    java = None if measure else GraphCosines(bundle, key, inputs_npy, classpath, threads, batch)
    run = measure or java.cosines
    try:
        with tempfile.TemporaryDirectory(prefix=f"calib-{key}-") as tmp:
            def variant(exclude, tag):
                dst = os.path.join(tmp, f"{tag}.onnx")
                Q.quantize_file(src, dst, min_elements=min_elements, exclude=exclude, log=None)
                cos = run(dst)
                for f_ in os.listdir(tmp):
                    os.remove(os.path.join(tmp, f_))
                return cos

            deficits = {}
            rows = []
            for i, (name, op, k, n) in enumerate(nodes):
                cos = variant([x for x in names if x != name], f"node{i}")
                deficits[name] = 1.0 - cos
                rows.append({"name": name, "op": op, "k": k, "n": n, "flops": flops[name],
                             "flops_share": (flops[name] / total_flops) if flops[name] and total_flops else None,
                             "sensitivity": float(np.mean(1.0 - cos)), **_summary(cos)})
                log(f"  {name}: alone int8 -> mean cos {np.mean(cos):.6f}, min {np.min(cos):.6f}")
            all_int8 = _summary(variant([], "all")) if names else None
            order, keep, predicted, met = choose_keep_float(names, deficits, flops, total_flops, mean=mean,
                                                            min_cos=min_cos, max_float_flops=max_float_flops)
            measured = None
            if names:
                budget = max_float_flops * total_flops
                while True:
                    measured = _summary(variant(keep, "chosen"))
                    if measured["mean"] >= mean and measured["min"] >= min_cos:
                        break
                    rest = [n for n in order if n not in keep]
                    used = sum(flops[n] or 0 for n in keep)
                    if not rest or used + (flops[rest[0]] or 0) > budget:
                        break
                    log(f"  measured {measured['mean']:.6f} / {measured['min']:.6f} misses the target; "
                        f"keeping {rest[0]} float too")
                    keep.append(rest[0])
    finally:
        if java:
            java.close()
    rows.sort(key=lambda r: order.index(r["name"]))
    predicted = predict(names, deficits, keep)
    float_flops = sum(flops[n] or 0 for n in keep)
    result = {
        "graph": manifest["graphs"][key]["file"]["path"], "inputs": n_inputs, "batch": batch,
        "total_flops": total_flops,
        "unknown_flops": unknown, "nodes": rows, "keep_float": keep,
        "float_flops_share": float_flops / total_flops if total_flops else 0.0,
        "quantised_flops_share": sum(flops[n] or 0 for n in names if n not in keep) / total_flops
        if total_flops else 0.0,
        "all_int8": all_int8, "predicted": predicted, "measured": measured,
        "target_met": bool(measured is None or (measured["mean"] >= mean and measured["min"] >= min_cos)),
    }
    log(f"  keep float: {keep or 'none'} ({100 * result['float_flops_share']:.2f} % of the FLOPs); all-int8 "
        f"{_fmt(all_int8)}, chosen predicted {_fmt(predicted)}, measured {_fmt(measured)}"
        f"{'' if result['target_met'] else ' -- TARGET MISSED'}")
    return result


def _fmt(s):
    return "n/a" if s is None else f"mean {s['mean']:.6f} / min {s['min']:.6f}"


def default_classpath(repo=REPO):
    target = os.path.join(repo, "onnx", "target")
    cp_file = os.path.join(target, "test.cp")
    if not os.path.isfile(cp_file):
        subprocess.run([os.path.join(repo, "mvnw"), "-B", "-q", "-o", "-pl", "onnx", "dependency:build-classpath",
                        "-Dmdep.outputFile=target/test.cp", "-Dmdep.includeScope=test"], cwd=repo, check=True)
    with open(cp_file, encoding="utf-8") as f:
        deps = f.read().strip()
    return os.pathsep.join([os.path.join(target, "test-classes"), os.path.join(target, "classes"), deps])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bundle", help="the float32 bundle directory")
    ap.add_argument("--inputs", required=True, help="KEY=FILE.npy,... preprocessed calibration inputs per graph")
    ap.add_argument("--out", required=True, help="sensitivities JSON (input of quantize.py --keep-float-from)")
    ap.add_argument("--java-cp", default=None, help="classpath holding dev.bindspace.onnx.tools.GraphCosines")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=1,
                    help="run the inputs in groups of this size (the rule measures at 1; a larger batch shows the "
                         "effect of ORT's per-batch activation ranges, e.g. for a deployment that batches)")
    ap.add_argument("--mean", type=float, default=RULE_MEAN, help=f"target mean cosine (rule: {RULE_MEAN})")
    ap.add_argument("--min", type=float, default=RULE_MIN, help=f"target per-input cosine (rule: {RULE_MIN})")
    ap.add_argument("--max-float-flops", type=float, default=RULE_MAX_FLOAT_FLOPS,
                    help=f"cap on the FLOP share kept float (rule: {RULE_MAX_FLOAT_FLOPS})")
    ap.add_argument("--min-elements", type=int, default=Q.DEFAULT_MIN_ELEMENTS)
    args = ap.parse_args(argv)
    inputs = dict(x.split("=", 1) for x in args.inputs.split(",") if x)
    cp = args.java_cp or default_classpath()
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    out = {"bundle": os.path.abspath(args.bundle),
           "rule": {"mean": args.mean, "min": args.min, "max_float_flops": args.max_float_flops,
                    "measure": f"1 - cos(fp32, only this node int8), per input at batch {args.batch}",
                    "doc": "KEEP_FLOAT_RULE.md"},
           "graphs": {}}
    for key, npy in inputs.items():
        out["graphs"][key] = calibrate_graph(args.bundle, key, os.path.abspath(npy), cp, threads=args.threads,
                                             batch=args.batch,
                                             mean=args.mean, min_cos=args.min, max_float_flops=args.max_float_flops,
                                             min_elements=args.min_elements, log=log)
        out["graphs"][key]["calibration_inputs"] = os.path.abspath(npy)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
