#!/usr/bin/python3
"""Writes small ONNX graphs that compare the arithmetic ONNX Runtime's CPU provider offers for MatMul-heavy work:
float32, dynamic int8 (three ways of writing it), float16 and bfloat16. Time them with the onnx module's
test-scope tool GraphTiming (same input, same thread count, one after the other).

    /usr/bin/python3 tools/perf/precision_graphs.py OUT_DIR [--tokens 257] [--width 1280]

Two shapes, ImageBind-Huge's vision tower by default (257 tokens, width 1280, 16 heads, MLP 5120):
- ``mm_*``: one MatMul (tokens x width) @ (width x 4 width), the MLP's first projection;
  ``mm_fp32``, ``mm_int8_col`` (com.microsoft.DynamicQuantizeMatMul, per-column weight scales, what quantize.py
  writes), ``mm_int8_tensor`` (the same op, one weight scale), ``mm_int8_mmi`` (DynamicQuantizeLinear +
  MatMulInteger + Cast + Mul, ONNX standard ops), ``mm_fp16`` (Cast, float16 MatMul, Cast), ``mm_bf16``
  (the same in bfloat16).
- ``layer_*``: one pre-norm transformer block (LayerNorm, QKV, 16-head softmax attention, out projection, LayerNorm,
  GELU MLP), exported by torch: ``layer_fp32``, ``layer_int8`` (quantize.py), ``layer_fp16mm`` (its four weight
  MatMuls in float16 between Casts, the rest float32).
Prints a JSON list of the files written.
"""

import argparse
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as TP
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "imagebind-export"))
import quantize as Q  # noqa: E402


def _save(path, nodes, inits, tokens, width, extra=()):
    g = helper.make_graph(nodes, os.path.basename(path), [helper.make_tensor_value_info("x", TP.FLOAT, ["b", tokens, width])],
                          [helper.make_tensor_value_info("y", TP.FLOAT, ["b", tokens, None])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)] + [helper.make_opsetid(d, 1) for d in extra])
    m.ir_version = 8
    onnx.save(m, path)
    return path


def matmul_graphs(out, tokens, width, rng):
    k, n = width, 4 * width
    w = (rng.standard_normal((k, n)) * 0.02).astype(np.float32)
    q, s = Q.quantize_weight(w)
    zp = np.zeros(n, np.int8)
    st = np.float32(np.abs(w).max() / 127)
    qt = np.clip(np.rint(w / st), -127, 127).astype(np.int8)
    files = [
        _save(os.path.join(out, "mm_fp32.onnx"), [helper.make_node("MatMul", ["x", "W"], ["y"])],
              [numpy_helper.from_array(w, "W")], tokens, width),
        _save(os.path.join(out, "mm_int8_col.onnx"),
              [helper.make_node("DynamicQuantizeMatMul", ["x", "Wq", "s", "zp"], ["y"], domain=Q.MS_DOMAIN)],
              [numpy_helper.from_array(q, "Wq"), numpy_helper.from_array(s, "s"), numpy_helper.from_array(zp, "zp")],
              tokens, width, [Q.MS_DOMAIN]),
        _save(os.path.join(out, "mm_int8_tensor.onnx"),
              [helper.make_node("DynamicQuantizeMatMul", ["x", "Wq", "s", "zp"], ["y"], domain=Q.MS_DOMAIN)],
              [numpy_helper.from_array(qt, "Wq"), numpy_helper.from_array(np.array(st), "s"),
               numpy_helper.from_array(np.array(0, np.int8), "zp")], tokens, width, [Q.MS_DOMAIN]),
        _save(os.path.join(out, "mm_int8_mmi.onnx"),
              [helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"]),
               helper.make_node("MatMulInteger", ["xq", "Wq", "xz", "zp"], ["acc"]),
               helper.make_node("Cast", ["acc"], ["accf"], to=TP.FLOAT),
               helper.make_node("Mul", ["xs", "s"], ["sc"]),
               helper.make_node("Mul", ["accf", "sc"], ["y"])],
              [numpy_helper.from_array(q, "Wq"), numpy_helper.from_array(s, "s"), numpy_helper.from_array(zp, "zp")],
              tokens, width),
        _save(os.path.join(out, "mm_fp16.onnx"),
              [helper.make_node("Cast", ["x"], ["xh"], to=TP.FLOAT16), helper.make_node("MatMul", ["xh", "Wh"], ["yh"]),
               helper.make_node("Cast", ["yh"], ["y"], to=TP.FLOAT)],
              [numpy_helper.from_array(w.astype(np.float16), "Wh")], tokens, width),
        _save(os.path.join(out, "mm_bf16.onnx"),
              [helper.make_node("Cast", ["x"], ["xh"], to=TP.BFLOAT16),
               helper.make_node("Cast", ["W"], ["Wb"], to=TP.BFLOAT16),
               helper.make_node("MatMul", ["xh", "Wb"], ["yh"]), helper.make_node("Cast", ["yh"], ["y"], to=TP.FLOAT)],
              [numpy_helper.from_array(w, "W")], tokens, width),
    ]
    return files


def layer_graphs(out, tokens, width, heads=16):
    import torch

    torch.manual_seed(0)

    class Layer(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.n1, self.n2 = torch.nn.LayerNorm(width), torch.nn.LayerNorm(width)
            self.qkv, self.o = torch.nn.Linear(width, 3 * width), torch.nn.Linear(width, width)
            self.f1, self.f2 = torch.nn.Linear(width, 4 * width), torch.nn.Linear(4 * width, width)

        def forward(self, x):
            b = x.shape[0]
            q, k, v = self.qkv(self.n1(x)).reshape(b, tokens, 3, heads, width // heads).permute(2, 0, 3, 1, 4)
            a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(width // heads), -1) @ v
            x = x + self.o(a.transpose(1, 2).reshape(b, tokens, width))
            return x + self.f2(torch.nn.functional.gelu(self.f1(self.n2(x))))

    fp32 = os.path.join(out, "layer_fp32.onnx")
    torch.onnx.export(Layer().eval(), (torch.randn(1, tokens, width),), fp32, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "b"}, "y": {0: "b"}}, opset_version=14, do_constant_folding=True)
    int8 = os.path.join(out, "layer_int8.onnx")
    Q.quantize_file(fp32, int8, log=None)
    m = onnx.load(fp32)
    inits = {i.name: i for i in m.graph.initializer}
    nodes = []
    for n in m.graph.node:
        if n.op_type == "MatMul" and n.input[1] in inits:
            w = numpy_helper.to_array(inits[n.input[1]]).astype(np.float16)
            m.graph.initializer.append(numpy_helper.from_array(w, n.input[1] + "_fp16"))
            nodes += [helper.make_node("Cast", [n.input[0]], [n.output[0] + "_a16"], to=TP.FLOAT16),
                      helper.make_node("MatMul", [n.output[0] + "_a16", n.input[1] + "_fp16"], [n.output[0] + "_y16"]),
                      helper.make_node("Cast", [n.output[0] + "_y16"], [n.output[0]], to=TP.FLOAT)]
        else:
            nodes.append(n)
    del m.graph.node[:]
    m.graph.node.extend(nodes)
    used = {i for n in m.graph.node for i in n.input}
    keep = [i for i in m.graph.initializer if i.name in used]
    del m.graph.initializer[:]
    m.graph.initializer.extend(keep)
    fp16 = os.path.join(out, "layer_fp16mm.onnx")
    onnx.save(m, fp16)
    return [fp32, int8, fp16]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--tokens", type=int, default=257)
    ap.add_argument("--width", type=int, default=1280)
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    files = matmul_graphs(args.out, args.tokens, args.width, np.random.default_rng(0))
    files += layer_graphs(args.out, args.tokens, args.width)
    print(json.dumps(files, indent=1))


if __name__ == "__main__":
    main()
