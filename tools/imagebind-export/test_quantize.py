#!/usr/bin/python3
"""Tests of quantize.py (python3-onnx + numpy; torch only to build a stand-in bundle).
Run: /usr/bin/python3 tools/imagebind-export/test_quantize.py"""

import hashlib
import importlib.util
import json
import os
import sys
import tempfile
import unittest

import numpy as np
import onnx
from onnx import TensorProto as TP
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("ib_quantize", os.path.join(HERE, "quantize.py"))
Q = importlib.util.module_from_spec(spec)
spec.loader.exec_module(Q)


def quiet(*_):
    pass


def gemm_model(w, c=None, trans_b=1, alpha=1.0, beta=1.0, trans_a=0):
    inits = [numpy_helper.from_array(w, "W")]
    inputs = ["x", "W"]
    if c is not None:
        inits.append(numpy_helper.from_array(c, "C"))
        inputs.append("C")
    node = helper.make_node("Gemm", inputs, ["y"], name="fc", transB=trans_b, alpha=alpha, beta=beta, transA=trans_a)
    g = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TP.FLOAT, ["b", None])],
                          [helper.make_tensor_value_info("y", TP.FLOAT, ["b", None])], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


def transformer_model(rng, width=96, tokens=10):
    """x @ Wqkv, attention (activation x activation MatMuls), x @ Wout, a tiny 8x8 MatMul and a Conv."""
    wqkv = (rng.standard_normal((width, 3 * width)) * 0.1).astype(np.float32)
    wout = (rng.standard_normal((width, width)) * 0.1).astype(np.float32)
    tiny = rng.standard_normal((width, 8)).astype(np.float32)
    conv = rng.standard_normal((4, 1, 3, 3)).astype(np.float32)
    nodes = [
        helper.make_node("MatMul", ["x", "Wqkv"], ["qkv"], name="qkv"),
        helper.make_node("Split", ["qkv", "split"], ["q", "k", "v"], axis=-1),
        helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["q", "kt"], ["s"], name="scores"),
        helper.make_node("Softmax", ["s"], ["p"], axis=-1),
        helper.make_node("MatMul", ["p", "v"], ["a"], name="attend"),
        helper.make_node("MatMul", ["a", "Wout"], ["o"], name="out"),
        helper.make_node("MatMul", ["o", "Wtiny"], ["y"], name="tiny"),
        helper.make_node("Unsqueeze", ["y", "axes"], ["y4"]),
        helper.make_node("Conv", ["y4", "Wconv"], ["z"], name="conv", pads=[1, 1, 1, 1]),
    ]
    inits = [numpy_helper.from_array(wqkv, "Wqkv"), numpy_helper.from_array(wout, "Wout"),
             numpy_helper.from_array(tiny, "Wtiny"), numpy_helper.from_array(conv, "Wconv"),
             numpy_helper.from_array(np.array([1], dtype=np.int64), "axes"),
             numpy_helper.from_array(np.array([width] * 3, dtype=np.int64), "split")]
    g = helper.make_graph(nodes, "t", [helper.make_tensor_value_info("x", TP.FLOAT, ["b", tokens, width])],
                          [helper.make_tensor_value_info("z", TP.FLOAT, ["b", 4, tokens, 8])], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


class QuantizeTest(unittest.TestCase):
    def setUp(self):
        self.rng = np.random.default_rng(10)
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def test_should_quantize_weights_per_column_symmetrically(self):
        w = self.rng.standard_normal((200, 70)).astype(np.float32) * np.linspace(0.01, 5, 70, dtype=np.float32)
        w[:, 3] = 0
        q, s = Q.quantize_weight(w)
        self.assertEqual(q.dtype, np.int8)
        self.assertEqual(s.shape, (70,))
        self.assertEqual(int(np.abs(q).max()), 127)
        self.assertGreaterEqual(int(q.min()), -127)
        self.assertEqual(float(s[3]), 1.0)
        # per column: the error of each column is at most half its own step
        err = np.abs(q.astype(np.float32) * s - w)
        self.assertTrue(np.all(err <= s / 2 + 1e-7))

    def test_numpy_reference_should_equal_float_within_the_expected_error(self):
        a = self.rng.standard_normal((33, 256)).astype(np.float32)
        w = (self.rng.standard_normal((256, 128)) * 0.05).astype(np.float32)
        bias = self.rng.standard_normal(128).astype(np.float32)
        q, s = Q.quantize_weight(w)
        y = Q.dynamic_quantize_matmul_reference(a, q, s, bias)
        ref = a @ w + bias
        # bound: K * (|a| max * w step/2 + a step/2 * |w| max), per column
        _, a_scale, _ = Q.quantize_activation(a)
        bound = 256 * (np.abs(a).max() * s / 2 + a_scale / 2 * np.abs(w).max(axis=0)) + 1e-4
        self.assertTrue(np.all(np.abs(y - ref) <= bound))
        rel = np.linalg.norm(y - ref) / np.linalg.norm(ref)
        self.assertLess(rel, 0.02)
        cos = (y * ref).sum(-1) / np.linalg.norm(y, axis=-1) / np.linalg.norm(ref, axis=-1)
        self.assertGreater(cos.min(), 0.999)

    def test_should_quantize_weights_stored_as_float16_behind_a_cast(self):
        # bindspace-mini's export.py --weights float16: W16 -> Cast(to float) -> Gemm
        w = (self.rng.standard_normal((96, 128)) * 0.05).astype(np.float16)
        c = self.rng.standard_normal(96).astype(np.float32)
        cast = helper.make_node("Cast", ["W16"], ["W"], name="W_to_fp32", to=TP.FLOAT)
        gemm = helper.make_node("Gemm", ["x", "W", "C"], ["y"], name="fc", transB=1)
        g = helper.make_graph([cast, gemm], "g", [helper.make_tensor_value_info("x", TP.FLOAT, ["b", 128])],
                              [helper.make_tensor_value_info("y", TP.FLOAT, ["b", 96])],
                              [numpy_helper.from_array(w, "W16"), numpy_helper.from_array(c, "C")])
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
        report = Q.quantize_model(m)
        self.assertEqual([r[0] for r in report["quantized"]], ["fc"])
        self.assertEqual([n.op_type for n in m.graph.node], ["DynamicQuantizeMatMul"])
        names = {i.name for i in m.graph.initializer}
        self.assertNotIn("W16", names)  # the float16 copy and its Cast are gone
        node = m.graph.node[0]
        inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
        q, scale = inits[node.input[1]], inits[node.input[2]]
        # quantised from the float32 values the Cast produced, transposed to [K, N]
        eq, es = Q.quantize_weight(w.astype(np.float32).T)
        np.testing.assert_array_equal(q, eq)
        np.testing.assert_array_equal(scale, es)

    def test_should_rewrite_only_constant_large_matmuls(self):
        m = transformer_model(self.rng)
        report = Q.quantize_model(m)
        ops = [(n.op_type, n.domain) for n in m.graph.node]
        quantized = {r[0] for r in report["quantized"]}
        self.assertEqual(quantized, {"qkv", "out"})
        skipped = dict((s[0], s[1]) for s in report["skipped"])
        self.assertIn("activation x activation", skipped["scores"])
        self.assertIn("activation x activation", skipped["attend"])
        self.assertIn("96x8 < 4096", skipped["tiny"])
        self.assertEqual(ops.count(("DynamicQuantizeMatMul", "com.microsoft")), 2)
        self.assertEqual(ops.count(("MatMul", "")), 3)
        self.assertIn(("Conv", ""), ops)
        inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
        self.assertNotIn("Wqkv", inits)  # float weights no node reads are dropped
        self.assertIn("Wtiny", inits)
        dq = [n for n in m.graph.node if n.op_type == "DynamicQuantizeMatMul"][0]
        self.assertEqual(list(dq.input[:1]), ["x"])
        self.assertEqual(dq.output[0], "qkv")
        b, s, z = (inits[n] for n in dq.input[1:4])
        self.assertEqual((b.dtype, b.shape, s.shape, z.dtype, z.shape), (np.int8, (96, 288), (288,), np.int8, (288,)))
        self.assertTrue(np.all(z == 0))
        self.assertIn(("com.microsoft", 1), [(o.domain, o.version) for o in m.opset_import])
        onnx.checker.check_model(m)

    def test_should_honour_exclusions_and_threshold(self):
        m = transformer_model(self.rng)
        report = Q.quantize_model(m, exclude=["out"], min_elements=1)
        self.assertEqual({r[0] for r in report["quantized"]}, {"qkv", "tiny"})
        self.assertIn(["out", "excluded by name"], report["skipped"])

    def test_should_fold_gemm_trans_b_alpha_beta_and_bias(self):
        w = self.rng.standard_normal((80, 64)).astype(np.float32)  # (N, K) with transB
        c = self.rng.standard_normal(80).astype(np.float32)
        x = self.rng.standard_normal((5, 64)).astype(np.float32)
        m = gemm_model(w, c, trans_b=1, alpha=0.5, beta=2.0)
        Q.quantize_model(m)
        (node,) = m.graph.node
        self.assertEqual(node.op_type, "DynamicQuantizeMatMul")
        inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
        q, s, bias = inits[node.input[1]], inits[node.input[2]], inits[node.input[4]]
        self.assertEqual(q.shape, (64, 80))
        np.testing.assert_allclose(bias, 2.0 * c, rtol=1e-6)
        y = Q.dynamic_quantize_matmul_reference(x, q, s, bias)
        ref = 0.5 * x @ w.T + 2.0 * c
        self.assertLess(np.linalg.norm(y - ref) / np.linalg.norm(ref), 0.02)

    def test_should_add_a_full_gemm_c_after_the_product_and_leave_trans_a(self):
        w = self.rng.standard_normal((64, 80)).astype(np.float32)
        c = self.rng.standard_normal((5, 80)).astype(np.float32)
        m = gemm_model(w, c, trans_b=0, beta=3.0)
        Q.quantize_model(m)
        self.assertEqual([n.op_type for n in m.graph.node], ["DynamicQuantizeMatMul", "Mul", "Add"])
        self.assertEqual(m.graph.node[-1].output[0], "y")
        m2 = gemm_model(w, None, trans_b=0, trans_a=1)
        r = Q.quantize_model(m2)
        self.assertEqual(r["skipped"], [["fc", "Gemm with transA=1"]])

    def test_should_read_external_data_and_write_one_file(self):
        m = transformer_model(self.rng, width=128)
        src = os.path.join(self.tmp.name, "src", "g.onnx")
        os.makedirs(os.path.dirname(src))
        onnx.save_model(m, src, save_as_external_data=True, all_tensors_to_one_file=True, location="g.onnx.data",
                        size_threshold=0)
        dst = os.path.join(self.tmp.name, "g8.onnx")
        report, data = Q.quantize_file(src, dst, log=quiet)
        self.assertEqual(data, [])
        self.assertEqual(len(report["quantized"]), 2)
        loaded = onnx.load(dst, load_external_data=False)
        self.assertFalse(any(i.data_location == TP.EXTERNAL for i in loaded.graph.initializer))
        # a forced small threshold keeps external data, named after the output
        dst2 = os.path.join(self.tmp.name, "h.onnx")
        _, data2 = Q.quantize_file(src, dst2, external_threshold=0, log=quiet)
        self.assertEqual(data2, ["h.onnx.data"])
        self.assertTrue(os.path.isfile(dst2 + ".data"))

    def test_should_copy_a_bundle_with_new_hashes_and_precision(self):
        src = os.path.join(self.tmp.name, "b")
        os.makedirs(src)
        onnx.save(transformer_model(self.rng), os.path.join(src, "imu.onnx"))
        with open(os.path.join(src, "LICENSE"), "w") as f:
            f.write("test\n")

        def ref(p, **extra):
            with open(os.path.join(src, p), "rb") as f:
                return dict(path=p, sha256=hashlib.sha256(f.read()).hexdigest(), **extra)

        manifest = {"format_version": 1, "model": {"name": "t", "version": "2"}, "space": "s", "dimension": 4,
                    "license": {"id": "x", "name": "x", "attribution": "x", "file": ref("LICENSE")},
                    "graphs": {"imu": {"file": ref("imu.onnx"), "data_files": [], "inputs": [], "outputs": [],
                                       "preprocessing": {"kind": "tensor", "note": ""}, "postprocessing": {},
                                       "aggregation": {}},
                               "text": {"file": {"path": "text.onnx", "sha256": "ab" * 32, "resource": "/t.onnx"},
                                        "data_files": [], "preprocessing": {"kind": "text"}}}}
        with open(os.path.join(src, "bundle.json"), "w") as f:
            json.dump(manifest, f)
        dst = os.path.join(self.tmp.name, "b8")
        lines = []
        Q.quantize_bundle(src, dst, log=lines.append)
        with open(os.path.join(dst, "bundle.json")) as f:
            out = json.load(f)
        self.assertEqual(sorted(os.listdir(dst)), ["LICENSE", "bundle.json", "imu.onnx"])
        g = out["graphs"]["imu"]
        with open(os.path.join(dst, "imu.onnx"), "rb") as f:
            self.assertEqual(g["file"]["sha256"], hashlib.sha256(f.read()).hexdigest())
        self.assertNotEqual(g["file"]["sha256"], manifest["graphs"]["imu"]["file"]["sha256"])
        self.assertEqual(g["precision"], "int8")
        self.assertEqual(out["graphs"]["text"], manifest["graphs"]["text"])  # resource refs kept as they are
        self.assertTrue(any("classpath resource /t.onnx" in line for line in lines), lines)
        self.assertEqual(out["model"]["version"], "2+int8")
        self.assertEqual(out["license"]["file"], manifest["license"]["file"])
        with self.assertRaisesRegex(ValueError, "expected a new or empty directory"):
            Q.quantize_bundle(src, dst, log=quiet)


if __name__ == "__main__":
    unittest.main()
