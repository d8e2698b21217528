#!/usr/bin/python3
"""Dynamic int8 quantisation of ONNX graphs and bundles with python3-onnx and numpy only (no onnxruntime).

    /usr/bin/python3 tools/imagebind-export/quantize.py graph IN.onnx OUT.onnx [--min-elements 4096] [--exclude NAME,...]
    /usr/bin/python3 tools/imagebind-export/quantize.py bundle SRC_DIR DST_DIR [--graphs image,video] [...]
        [--keep-float-from sensitivities.json]   # nodes chosen by calibrate_int8.py (KEEP_FLOAT_RULE.md)

Every ``MatMul`` whose B input is a constant 2-D initializer, and every ``Gemm`` with a constant B (``transB``,
``alpha``, ``beta`` and a constant bias ``C`` folded in; ``transA=1`` is left alone), becomes ONNX Runtime's
contrib op ``com.microsoft.DynamicQuantizeMatMul``:

    Y = DynamicQuantizeMatMul(A float, B int8 [K, N], b_scale float [N], b_zero_point int8 [N], bias float [N])

- B is quantised **per output column**, symmetrically: ``b_scale[j] = max_k |W[k, j]| / 127``,
  ``B[k, j] = clip(round(W[k, j] / b_scale[j]), -127, 127)``, ``b_zero_point = 0``. (-128 is never used,
  so that u8 x s8 products on CPUs without VNNI cannot saturate the 16-bit pair sums.)
- A is quantised at run time by ONNX Runtime (per tensor, asymmetric uint8 over [min(A, 0), max(A, 0)]).
  ORT 1.23's CPU kernel packs the constant B once at session start (MLAS u8s8 GEMM, AVX512-VNNI where present).
- Left in float: convolutions, activation x activation matmuls (attention), matrices with fewer than
  ``min_elements`` (default 64 x 64) weights, and nodes named in ``exclude``.

``quantize_bundle(src, dst)`` copies a bundle (docs/bundle-format.md), quantises every graph (reading external
data, ``<graph>.onnx.data``, when present; the int8 graph is written as one file when it fits protobuf's 2 GB),
recomputes every SHA-256, and marks each quantised graph with ``"precision": "int8"`` in bundle.json.
A file ref with ``"resource"`` (a classpath file from another artifact, e.g. bindspace-mini's MiniLM text graph)
is kept as is: the resource is not in the source directory, so it is neither copied nor quantised.
"""

import argparse
import hashlib
import json
import os
import shutil
import sys

import numpy as np

MS_DOMAIN = "com.microsoft"
DEFAULT_MIN_ELEMENTS = 64 * 64
EXTERNAL_DATA_THRESHOLD = 1_800_000_000
PRECISION_INT8 = "int8"


def quantize_weight(w):
    """Per-column symmetric int8 of a float [K, N] matrix: (q int8 [K, N], scale float32 [N])."""
    w = np.asarray(w, dtype=np.float32)
    if w.ndim != 2:
        raise ValueError(f"expected a 2-D weight matrix, found shape {w.shape}")
    amax = np.abs(w).max(axis=0)
    scale = (amax / 127.0).astype(np.float32)
    scale[scale == 0] = 1.0  # an all-zero column: any scale reproduces it exactly
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


def quantize_activation(a):
    """ONNX Runtime's dynamic quantisation of A (DynamicQuantizeLinear): (q uint8, scale, zero point)."""
    a = np.asarray(a, dtype=np.float32)
    lo = min(float(a.min()), 0.0)
    hi = max(float(a.max()), 0.0)
    scale = np.float32((hi - lo) / 255.0) if hi > lo else np.float32(1.0)
    zp = int(np.clip(np.rint(0.0 - lo / scale), 0, 255))
    q = np.clip(np.rint(a / scale) + zp, 0, 255).astype(np.uint8)
    return q, scale, zp


def dynamic_quantize_matmul_reference(a, q, scale, bias=None):
    """numpy reference of com.microsoft.DynamicQuantizeMatMul with per-column int8 B and zero B zero point."""
    aq, a_scale, a_zp = quantize_activation(a)
    acc = (aq.astype(np.int64) - a_zp) @ q.astype(np.int64)
    y = acc.astype(np.float32) * (a_scale * scale)
    if bias is not None:
        y = y + bias
    return y


def _attr(node, name, default):
    import onnx
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def _constants(graph):
    """name -> numpy array of every initializer, every Constant node output with a tensor value, and every
    Cast-to-float32 of one of those (weights stored as float16 behind a Cast, as `export.py --weights float16`
    of bindspace-mini writes them: the Cast's output is the float32 weight the graph computes with)."""
    from onnx import TensorProto, numpy_helper
    consts = {i.name: i for i in graph.initializer}
    for n in graph.node:
        if n.op_type == "Constant" and len(n.output) == 1:
            for a in n.attribute:
                if a.name == "value" and a.t is not None and a.type == a.TENSOR:
                    consts[n.output[0]] = a.t
    arrays = {k: (lambda t=v: numpy_helper.to_array(t)) for k, v in consts.items()}
    for n in graph.node:
        if (n.op_type == "Cast" and len(n.input) == 1 and len(n.output) == 1 and n.input[0] in arrays
                and _attr(n, "to", None) == TensorProto.FLOAT):
            arrays[n.output[0]] = (lambda f=arrays[n.input[0]]: f().astype(np.float32))
    return arrays


def quantize_model(model, *, min_elements=DEFAULT_MIN_ELEMENTS, exclude=(), log=None):
    """Rewrites ``model`` (an onnx.ModelProto, weights loaded) in place; returns a report dict:
    ``{"quantized": [...], "skipped": [[name, reason], ...], "float_weight_bytes", "int8_weight_bytes"}``."""
    from onnx import helper, numpy_helper

    graph = model.graph
    consts = _constants(graph)
    exclude = set(exclude)
    report = {"quantized": [], "skipped": [], "float_weight_bytes": 0, "int8_weight_bytes": 0}
    done = {}  # (weight name, transposed, alpha) -> (q name, scale name, zp name)
    new_inits = []
    new_nodes = []
    changed = False
    for idx, node in enumerate(graph.node):
        name = node.name or f"{node.op_type}_{idx}"
        if node.op_type not in ("MatMul", "Gemm") or node.domain not in ("", "ai.onnx"):
            new_nodes.append(node)
            continue

        def skip(reason):
            report["skipped"].append([name, reason])
            new_nodes.append(node)

        if name in exclude:
            skip("excluded by name")
            continue
        if len(node.input) < 2 or node.input[1] not in consts:
            skip("B is not a constant (activation x activation)")
            continue
        w = consts[node.input[1]]()
        if w.dtype not in (np.float32, np.float64):
            skip(f"B is {w.dtype}, not float")
            continue
        w = w.astype(np.float32, copy=False)
        if w.ndim != 2:
            skip(f"B has shape {list(w.shape)}, not 2-D")
            continue
        alpha, beta, bias = 1.0, 1.0, None
        trans_b = False
        post_add = None
        if node.op_type == "Gemm":
            if _attr(node, "transA", 0):
                skip("Gemm with transA=1")
                continue
            trans_b = bool(_attr(node, "transB", 0))
            alpha = float(_attr(node, "alpha", 1.0))
            beta = float(_attr(node, "beta", 1.0))
            if len(node.input) > 2 and node.input[2]:
                n_out = w.shape[0] if trans_b else w.shape[1]
                c_name = node.input[2]
                c = consts[c_name]() if c_name in consts else None
                if c is not None and c.size in (1, n_out) and (c.ndim <= 1 or c.shape[:-1] == (1,) * (c.ndim - 1)):
                    bias = np.broadcast_to(c.astype(np.float32).reshape(-1) * np.float32(beta), (n_out,))
                    bias = np.ascontiguousarray(bias, dtype=np.float32)
                else:
                    post_add = c_name  # (M, N) or run-time C: added after the quantised product
        k, n = (w.shape[1], w.shape[0]) if trans_b else w.shape
        if k * n < min_elements:
            skip(f"B is {k}x{n} < {min_elements} weights")
            continue
        key = (node.input[1], trans_b, alpha)
        if key not in done:
            mat = (w.T if trans_b else w) * np.float32(alpha)
            q, scale = quantize_weight(mat)
            base = node.input[1].replace("/", "_").lstrip("_") + ("_T" if trans_b else "") + \
                ("" if alpha == 1.0 else f"_a{len(done)}")
            names = (base + "_int8", base + "_scale", base + "_zero_point")
            new_inits += [numpy_helper.from_array(q, names[0]), numpy_helper.from_array(scale, names[1]),
                          numpy_helper.from_array(np.zeros(n, dtype=np.int8), names[2])]
            done[key] = names
            report["float_weight_bytes"] += w.size * 4
            report["int8_weight_bytes"] += q.size + scale.size * 4 + n
        q_name, s_name, z_name = done[key]
        inputs = [node.input[0], q_name, s_name, z_name]
        if bias is not None:
            b_name = f"{name}_bias".replace("/", "_").lstrip("_")
            new_inits.append(numpy_helper.from_array(bias, b_name))
            inputs.append(b_name)
        out = node.output[0]
        q_out = out + "_int8mm" if post_add else out
        new_nodes.append(helper.make_node("DynamicQuantizeMatMul", inputs, [q_out], name=name + "_int8",
                                          domain=MS_DOMAIN))
        if post_add:
            c_in = post_add
            if beta != 1.0:
                beta_name = f"{name}_beta".replace("/", "_").lstrip("_")
                new_inits.append(numpy_helper.from_array(np.array(beta, dtype=np.float32), beta_name))
                new_nodes.append(helper.make_node("Mul", [post_add, beta_name], [beta_name + "_C"],
                                                  name=name + "_beta_mul"))
                c_in = beta_name + "_C"
            new_nodes.append(helper.make_node("Add", [q_out, c_in], [out], name=name + "_add_C"))
        report["quantized"].append([name, node.op_type, int(k), int(n)])
        changed = True
        if log:
            log(f"  {name}: {node.op_type} {k}x{n} -> DynamicQuantizeMatMul")
    if not changed:
        return report
    del graph.node[:]
    graph.node.extend(new_nodes)
    graph.initializer.extend(new_inits)
    # drop float weights nothing reads any more: first the Constant nodes and Casts of constants whose output
    # nothing reads, then the initializers nothing reads (the float16 copies behind those Casts among them)
    used = _used_names(graph)
    dead = [n for n in graph.node if n.op_type in ("Constant", "Cast") and n.output[0] not in used
            and (n.op_type == "Constant" or n.output[0] in consts)]
    for n in dead:
        graph.node.remove(n)
    used = _used_names(graph)
    keep = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    if not any(o.domain == MS_DOMAIN for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid(MS_DOMAIN, 1))
    return report


def _used_names(graph):
    """Every value name a node of the graph (or of its subgraphs) reads, and the graph outputs."""
    used = set()
    for n in graph.node:
        used.update(n.input)
        for a in n.attribute:
            if a.type == a.GRAPH or a.type == a.GRAPHS:
                used.update(_subgraph_inputs(a))
    used.update(o.name for o in graph.output)
    return used


def _subgraph_inputs(attr):
    names = set()
    graphs = [attr.g] if attr.type == attr.GRAPH else list(attr.graphs)
    for g in graphs:
        for n in g.node:
            names.update(n.input)
    return names


def quantize_file(src, dst, *, min_elements=DEFAULT_MIN_ELEMENTS, exclude=(),
                  external_threshold=EXTERNAL_DATA_THRESHOLD, log=print):
    """Quantises the graph at ``src`` (external data next to it is read) into ``dst``. Returns
    (report, data_files): data_files is ``[dst name + ".data"]`` if the result still needs external data."""
    import onnx
    model = onnx.load(src, load_external_data=True)
    report = quantize_model(model, min_elements=min_elements, exclude=exclude)
    # clear external-data markers: the tensors are in memory now and are written afresh
    for t in model.graph.initializer:
        if t.data_location == onnx.TensorProto.EXTERNAL:
            t.data_location = onnx.TensorProto.DEFAULT
            del t.external_data[:]
    data_files = []
    if model.ByteSize() > external_threshold:
        location = os.path.basename(dst) + ".data"
        if os.path.exists(os.path.join(os.path.dirname(dst) or ".", location)):
            os.remove(os.path.join(os.path.dirname(dst) or ".", location))
        onnx.save_model(model, dst, save_as_external_data=True, all_tensors_to_one_file=True, location=location,
                        size_threshold=1024)
        data_files.append(location)
    else:
        onnx.save(model, dst)
    onnx.checker.check_model(dst)
    if log:
        log(f"{os.path.basename(src)}: {len(report['quantized'])} MatMul/Gemm -> int8, {len(report['skipped'])} "
            f"left in float; weights {report['float_weight_bytes'] / 1e6:.1f} MB -> "
            f"{report['int8_weight_bytes'] / 1e6:.1f} MB")
    return report, data_files


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_keep_float(path):
    """{graph key: [node names]} from a sensitivities JSON written by calibrate_int8.py
    (``{"graphs": {key: {"keep_float": [...], ...}}}``)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    graphs = data.get("graphs") if isinstance(data, dict) else None
    if not isinstance(graphs, dict) or not all(isinstance(g, dict) and isinstance(g.get("keep_float"), list)
                                               for g in graphs.values()):
        raise ValueError(f"{path}: expected calibrate_int8.py's JSON, {{\"graphs\": {{KEY: {{\"keep_float\": "
                         f"[NODE, ...]}}}}}}")
    return {k: list(g["keep_float"]) for k, g in graphs.items()}


def quantize_bundle(src_dir, dst_dir, *, graphs=None, min_elements=DEFAULT_MIN_ELEMENTS, exclude=(),
                    keep_float=None, model_version_suffix="+int8", log=print):
    """Copies the bundle at ``src_dir`` to ``dst_dir`` (which must not exist or be empty) with its graphs
    quantised; returns ``{"manifest": new manifest, "graphs": {key: report}}``. ``graphs`` limits which graph
    keys are quantised (default: all); the others are copied unchanged. ``exclude`` names nodes left float in every
    graph, ``keep_float`` ({graph key: [node names]}, e.g. from :func:`read_keep_float`) in one graph each; a named
    node that the graph does not have is an error (a stale calibration). ``model.version`` gets
    ``model_version_suffix`` appended (the space id stays: int8 embeddings live in the same joint space)."""
    with open(os.path.join(src_dir, "bundle.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    if os.path.exists(dst_dir) and os.listdir(dst_dir):
        raise ValueError(f"{dst_dir}: expected a new or empty directory, found {sorted(os.listdir(dst_dir))[:5]}")
    if os.path.realpath(src_dir) == os.path.realpath(dst_dir):
        raise ValueError(f"{dst_dir}: the destination must differ from the source")
    os.makedirs(dst_dir, exist_ok=True)
    keep_float = keep_float or {}
    unknown = (set(graphs or ()) | set(keep_float)) - set(manifest["graphs"])
    if unknown:
        raise ValueError(f"no graph {sorted(unknown)} in {src_dir}; it has {sorted(manifest['graphs'])}")
    copied = set()

    def copy_ref(ref):
        if "resource" in ref:
            return ref
        path = ref["path"]
        if path not in copied:
            dst = os.path.join(dst_dir, path)
            os.makedirs(os.path.dirname(dst) or dst_dir, exist_ok=True)
            shutil.copyfile(os.path.join(src_dir, path), dst)
            copied.add(path)
        return dict(ref, sha256=_sha256(os.path.join(dst_dir, path)))

    reports = {}
    for key, g in manifest["graphs"].items():
        ref = g["file"]
        if (graphs and key not in graphs) or "resource" in ref:
            if "resource" in ref and log:
                log(f"{key}: {ref['path']} comes from the classpath resource {ref['resource']}; kept as is")
            g["file"] = copy_ref(ref)
            g["data_files"] = [copy_ref(d) for d in g.get("data_files", [])]
            continue
        src = os.path.join(src_dir, ref["path"])
        dst = os.path.join(dst_dir, ref["path"])
        os.makedirs(os.path.dirname(dst) or dst_dir, exist_ok=True)
        keep = keep_float.get(key, [])
        if keep and log:
            log(f"{key}: keeping {len(keep)} node(s) float by calibration: {', '.join(keep)}")
        report, data = quantize_file(src, dst, min_elements=min_elements, exclude=list(exclude) + keep, log=log)
        missing = set(keep) - {name for name, _ in report["skipped"]}
        if missing:
            raise ValueError(f"{key}: keep-float node(s) {sorted(missing)} are not MatMul/Gemm nodes of {src}; "
                             f"was the calibration made on another graph?")
        reports[key] = report
        copied.add(ref["path"])
        copied.update(data)
        g["file"] = dict(ref, sha256=_sha256(dst))
        g["data_files"] = [{"path": d, "sha256": _sha256(os.path.join(dst_dir, d))} for d in data]
        if report["quantized"]:
            g["precision"] = PRECISION_INT8
    lic = manifest.get("license", {})
    if "file" in lic:
        lic["file"] = copy_ref(lic["file"])
    for g in manifest["graphs"].values():
        pre = g.get("preprocessing", {})
        if "vocabulary" in pre:
            pre["vocabulary"] = copy_ref(pre["vocabulary"])
    if "files" in manifest:
        manifest["files"] = [copy_ref(r) for r in manifest["files"]]
    if reports and any(r["quantized"] for r in reports.values()) and model_version_suffix:
        if not manifest["model"]["version"].endswith(model_version_suffix):
            manifest["model"]["version"] += model_version_suffix
    with open(os.path.join(dst_dir, "bundle.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return {"manifest": manifest, "graphs": reports}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("graph", help="quantise one .onnx graph")
    g.add_argument("src")
    g.add_argument("dst")
    b = sub.add_parser("bundle", help="copy a bundle directory with its graphs quantised")
    b.add_argument("src")
    b.add_argument("dst")
    b.add_argument("--graphs", default="", help="comma-separated graph keys to quantise (default: all)")
    for p in (g, b):
        p.add_argument("--min-elements", type=int, default=DEFAULT_MIN_ELEMENTS,
                       help="leave weight matrices with fewer elements in float (default 64*64)")
        p.add_argument("--exclude", default="", help="comma-separated node names to leave in float")
        p.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    b.add_argument("--keep-float-from", default=None, metavar="SENSITIVITIES_JSON",
                   help="per-graph nodes to leave in float, as chosen by calibrate_int8.py")
    args = ap.parse_args(argv)
    exclude = [x for x in args.exclude.split(",") if x]
    log = (lambda s: print(s, file=sys.stderr)) if args.json else print
    if args.cmd == "graph":
        report, data = quantize_file(args.src, args.dst, min_elements=args.min_elements, exclude=exclude, log=log)
        result = {"graph": args.dst, "data_files": data, **report}
    else:
        keys = [x for x in args.graphs.split(",") if x] or None
        keep = read_keep_float(args.keep_float_from) if args.keep_float_from else None
        r = quantize_bundle(args.src, args.dst, graphs=keys, min_elements=args.min_elements, exclude=exclude,
                            keep_float=keep, log=log)
        result = {"bundle": args.dst, "graphs": r["graphs"]}
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()


if __name__ == "__main__":
    main()
