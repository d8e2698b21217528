#!/usr/bin/python3
"""FLOPs of one item (one image, one text, one audio file) per modality, counted from a bundle's graphs.

For each graph (image.onnx, text.onnx, audio.onnx; bundle.json names the files) the batch axis is
fixed to 1, ONNX shape inference gives every tensor's shape, and the multiply-adds of the matrix
products are counted as 2 FLOPs each:

  MatMul / MatMulInteger / QLinearMatMul / DynamicQuantizeMatMul / FusedMatMul:  2 * prod(output) * K
  Gemm:                                                                        2 * M * N * K
  Conv / ConvInteger / QLinearConv:  2 * prod(output) * (C_in / group) * prod(kernel)

Element-wise work (softmax, layer norm, GELU, adds) is left out: it is a fraction of a percent for
transformer towers, and leaving it out is the usual convention for "GFLOP/s" against an sgemm
ceiling. The int8 operators are counted as the same number of operations, so an int8 bundle's
"GFLOP/s" reads as "fp32-equivalent operations per second". One audio file is ``aggregation.views``
clips (3 for ImageBind), one image is one view.

    /usr/bin/python3 benchmarks/perf/onnx_flops.py --bundle ../perf/standin-huge --out flops.json

Output: {"bundle": ..., "per_item_flops": {"vision": F, "text": F, "audio": F}, "per_graph": {...}}
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import onnx.numpy_helper
from onnx import shape_inference

MEDIA_FOR = {"vision": "image", "text": "text", "audio": "audio"}


def _dims(vi):
    t = vi.type.tensor_type
    if not t.HasField("shape"):
        return None
    out = []
    for d in t.shape.dim:
        if d.HasField("dim_value"):
            out.append(d.dim_value)
        else:
            return None
    return out


SMALL = 1 << 16  # fold only tensors this small: shape arithmetic, never weights


def _attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def _eval(node, ins, shapes):
    """numpy value of a shape-arithmetic node whose inputs are known, or None."""
    op = node.op_type
    if op == "Shape":
        s = shapes.get(node.input[0])
        if s is None:
            return None
        start, end = _attr(node, "start", 0), _attr(node, "end", None)
        return np.array(s[start:end], dtype=np.int64)
    if any(v is None for v in ins):
        return None
    if op == "Constant":
        return onnx.numpy_helper.to_array(_attr(node, "value"))
    if op in ("Identity", "Cast"):
        return ins[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[_attr(node, "to")]) if op == "Cast" else ins[0]
    if op == "Gather":
        return np.take(ins[0], ins[1], axis=_attr(node, "axis", 0))
    if op == "Unsqueeze":
        out = ins[0]
        axes = sorted(int(a) % (out.ndim + len(ins[1])) for a in ins[1])
        for a in axes:
            out = np.expand_dims(out, a)
        return out
    if op == "Squeeze":
        return np.squeeze(ins[0], axis=tuple(int(a) for a in ins[1])) if len(ins) > 1 else np.squeeze(ins[0])
    if op == "Concat":
        return np.concatenate(ins, axis=_attr(node, "axis"))
    if op == "Slice":
        data, starts, ends = ins[0], ins[1], ins[2]
        axes = ins[3] if len(ins) > 3 else range(len(starts))
        steps = ins[4] if len(ins) > 4 else [1] * len(starts)
        sl = [slice(None)] * data.ndim
        for st, en, ax, sp in zip(starts, ends, axes, steps):
            sl[int(ax)] = slice(int(st), int(en), int(sp))
        return data[tuple(sl)]
    binary = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Equal": np.equal}
    if op in binary:
        return binary[op](ins[0], ins[1])
    if op == "Div":
        return ins[0] // ins[1] if ins[0].dtype.kind == "i" else ins[0] / ins[1]
    if op == "Where":
        return np.where(ins[0], ins[1], ins[2])
    if op == "ConstantOfShape":
        v = _attr(node, "value")
        fill = onnx.numpy_helper.to_array(v) if v is not None else np.zeros(1, np.float32)
        return np.full(tuple(int(d) for d in ins[0]), fill[0], dtype=fill.dtype)
    if op == "Range":
        return np.arange(ins[0], ins[1], ins[2])
    if op == "ReduceProd":
        return np.prod(ins[0], keepdims=bool(_attr(node, "keepdims", 1)))
    return None


def _fold_shapes(model):
    """Shape inference, folding shape arithmetic (Shape/Gather/Concat/...) into constants until it settles.

    ONNX's own inference loses track of shapes computed at run time (torch exports ``Expand``/``Tile``
    with shapes built from ``Shape`` nodes); folding those subgraphs gives it concrete values.
    """
    for _ in range(20):
        inferred = shape_inference.infer_shapes(model, data_prop=True)
        shapes = {}
        for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
            d = _dims(vi)
            if d is not None:
                shapes[vi.name] = d
        consts = {}
        for i in model.graph.initializer:
            shapes[i.name] = list(i.dims)
            if int(np.prod(i.dims)) <= SMALL and i.data_location != onnx.TensorProto.EXTERNAL:
                consts[i.name] = onnx.numpy_helper.to_array(i)
        folded, keep = [], []
        for node in model.graph.node:
            ins = [consts.get(n) if n else None for n in node.input]
            v = None
            try:
                v = _eval(node, ins, shapes)
            except Exception:  # an op form this folder does not know: leave it to ONNX
                v = None
            if v is not None and np.asarray(v).size <= SMALL and len(node.output) == 1:
                v = np.asarray(v)
                consts[node.output[0]] = v
                shapes[node.output[0]] = list(v.shape)
                folded.append(onnx.numpy_helper.from_array(v, node.output[0]))
            else:
                keep.append(node)
        if not folded:
            return inferred, shapes
        del model.graph.node[:]
        model.graph.node.extend(keep)
        model.graph.initializer.extend(folded)
    return inferred, shapes


def count_graph(path, per_node=None):
    """(flops at batch 1, {op_type: flops}, [ops whose shapes were unknown]); ``per_node``, a dict if given,
    receives {node name: flops} of every counted node."""
    model = onnx.load(path, load_external_data=False)
    g = model.graph
    init_names = {i.name for i in g.initializer}
    for inp in g.input:
        if inp.name in init_names:
            continue
        dim0 = inp.type.tensor_type.shape.dim[0]
        dim0.ClearField("dim_param")
        dim0.dim_value = 1
    inferred, shapes = _fold_shapes(model)
    total = 0
    by_op = {}
    unknown = []
    for node in inferred.graph.node:
        op = node.op_type
        f = None
        if op in ("MatMul", "MatMulInteger", "FusedMatMul", "DynamicQuantizeMatMul", "MatMulIntegerToFloat",
                  "QLinearMatMul"):
            a_name = node.input[0]
            out = shapes.get(node.output[0])
            a = shapes.get(a_name)
            if out is not None and a is not None:
                f = 2 * int(np.prod(out)) * a[-1]
        elif op == "Gemm":
            a = shapes.get(node.input[0])
            out = shapes.get(node.output[0])
            trans_a = next((at.i for at in node.attribute if at.name == "transA"), 0)
            if a is not None and out is not None:
                k = a[0] if trans_a else a[1]
                f = 2 * int(np.prod(out)) * k
        elif op in ("Conv", "ConvInteger", "QLinearConv"):
            w_idx = 3 if op == "QLinearConv" else 1
            w = shapes.get(node.input[w_idx])
            out = shapes.get(node.output[0])
            if w is not None and out is not None:
                f = 2 * int(np.prod(out)) * int(np.prod(w[1:]))  # w = (C_out, C_in/group, k...)
        else:
            continue
        if f is None:
            unknown.append(f"{op}:{node.name}")
            continue
        total += f
        by_op[op] = by_op.get(op, 0) + f
        if per_node is not None:
            per_node[node.name] = f
    return total, by_op, unknown


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    with open(os.path.join(a.bundle, "bundle.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    result = {"bundle": os.path.abspath(a.bundle), "per_item_flops": {}, "per_graph": {}}
    for modality, media in MEDIA_FOR.items():
        spec = manifest["graphs"].get(media)
        if spec is None:
            continue
        total, by_op, unknown = count_graph(os.path.join(a.bundle, spec["file"]["path"]))
        views = spec.get("aggregation", {}).get("views", 1) if modality == "audio" else 1
        result["per_graph"][media] = {"flops_batch1": total, "by_op": by_op, "views_per_item": views,
                                      "ops_with_unknown_shapes": unknown}
        result["per_item_flops"][modality] = total * views
        print(f"{modality:7s} {media}.onnx: {total / 1e9:9.3f} GFLOP per view x {views} view(s)"
              + (f"  (WARNING: {len(unknown)} products with unknown shapes not counted)" if unknown else ""))
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
