#!/usr/bin/python3
"""Tests of calibrate_int8.py and quantize.py's per-graph keep-float (python3-onnx + numpy; no Java, no ORT: the
graph runs are replaced by a numpy interpreter of the few ops the test graphs use, with quantize.py's numpy
reference of DynamicQuantizeMatMul). Run: /usr/bin/python3 tools/imagebind-export/test_calibrate_int8.py"""

import contextlib
import importlib.util
import io
import json
import os
import tempfile
import unittest

import numpy as np
import onnx
from onnx import TensorProto as TP
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def _load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, file))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


C = _load("ib_calibrate", "calibrate_int8.py")
Q = C.Q


def quiet(*_):
    pass


def mlp_model(rng, width=96, outlier=0.0):
    """x -> MatMul(fc1) -> Relu -> MatMul(fc2) -> y. ``outlier`` scales one input feature of fc2's input
    (a wide activation range makes the per-tensor uint8 quantisation of that input coarse, i.e. fc2 sensitive)."""
    w1 = (rng.standard_normal((width, width)) / np.sqrt(width)).astype(np.float32)
    w2 = (rng.standard_normal((width, width)) / np.sqrt(width)).astype(np.float32)
    if outlier:
        w1[:, 0] *= outlier
        w2[0, :] /= outlier
    nodes = [helper.make_node("MatMul", ["x", "W1"], ["h"], name="fc1"),
             helper.make_node("Relu", ["h"], ["r"], name="relu"),
             helper.make_node("MatMul", ["r", "W2"], ["y"], name="fc2")]
    g = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("x", TP.FLOAT, ["b", width])],
                          [helper.make_tensor_value_info("y", TP.FLOAT, ["b", width])],
                          [numpy_helper.from_array(w1, "W1"), numpy_helper.from_array(w2, "W2")])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


def run_numpy(path, x):
    """Output of a graph of MatMul / Relu / com.microsoft.DynamicQuantizeMatMul nodes for one input row."""
    m = onnx.load(path)
    vals = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    vals[m.graph.input[0].name] = x[None, :]
    for n in m.graph.node:
        ins = [vals[i] for i in n.input]
        if n.op_type == "MatMul":
            out = ins[0] @ ins[1]
        elif n.op_type == "Relu":
            out = np.maximum(ins[0], 0)
        elif n.op_type == "DynamicQuantizeMatMul":
            out = Q.dynamic_quantize_matmul_reference(ins[0], ins[1], ins[2], ins[4] if len(ins) > 4 else None)
        else:
            raise AssertionError(f"op {n.op_type} not in the test interpreter")
        vals[n.output[0]] = out
    return vals[m.graph.output[0].name][0]


def numpy_measure(bundle, key, inputs):
    ref_path = os.path.join(bundle, f"{key}.onnx")
    ref = [run_numpy(ref_path, x) for x in inputs]

    def measure(path):
        out = [run_numpy(path, x) for x in inputs]
        return np.array([float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)) for a, b in zip(ref, out)])
    return measure


def write_bundle(root, graphs):
    os.makedirs(root, exist_ok=True)
    manifest = {"format_version": 1, "model": {"name": "t", "version": "1"}, "space": "s", "dimension": 96,
                "license": {"id": "x", "name": "x", "attribution": "x"}, "graphs": {}}
    for key, model in graphs.items():
        onnx.save(model, os.path.join(root, f"{key}.onnx"))
        manifest["graphs"][key] = {"file": {"path": f"{key}.onnx", "sha256": "0" * 64}, "data_files": [],
                                   "preprocessing": {"kind": "tensor"}}
    with open(os.path.join(root, "bundle.json"), "w") as f:
        json.dump(manifest, f)


class ChooseTest(unittest.TestCase):
    def test_should_keep_the_fewest_most_sensitive_nodes_that_meet_both_targets(self):
        d = {"a": np.full(4, 1e-4), "b": np.full(4, 6e-4), "c": np.full(4, 2e-4)}
        flops = {"a": 10, "b": 10, "c": 10}
        order, keep, pred, met = C.choose_keep_float(["a", "b", "c"], d, flops, 1000)
        self.assertEqual(order, ["b", "c", "a"])
        self.assertEqual(keep, ["b"])  # 1 - (2e-4 + 1e-4) = 0.9997 >= 0.9995
        self.assertAlmostEqual(pred["mean"], 0.9997)
        self.assertTrue(met)

    def test_should_keep_nothing_when_all_int8_already_meets_the_targets(self):
        d = {"a": np.array([1e-5, 3e-5]), "b": np.array([2e-5, 1e-5])}
        order, keep, pred, met = C.choose_keep_float(["a", "b"], d, {"a": 1, "b": 1}, 100)
        self.assertEqual(keep, [])
        self.assertAlmostEqual(pred["min"], 1 - 4e-5)
        self.assertTrue(met)

    def test_should_guard_the_worst_input_not_only_the_mean(self):
        # mean deficit of all-int8 is 3e-4 (meets 0.9995) but one input loses 1.2e-3 (< 0.999) through node a
        d = {"a": np.array([0, 0, 0, 1.1e-3]), "b": np.array([2e-4, 2e-4, 1e-4, 1e-4])}
        _, keep, pred, met = C.choose_keep_float(["a", "b"], d, {"a": 1, "b": 1}, 100)
        self.assertEqual(keep, ["a"])
        self.assertGreaterEqual(pred["min"], 0.999)
        self.assertTrue(met)

    def test_should_stop_at_the_flop_cap_and_say_the_target_is_missed(self):
        d = {"big": np.full(3, 1e-3), "small": np.full(3, 1e-4)}
        _, keep, pred, met = C.choose_keep_float(["big", "small"], d, {"big": 60, "small": 1}, 1000)
        self.assertEqual(keep, [])  # 60 FLOPs > 5 % of 1000
        self.assertFalse(met)
        self.assertAlmostEqual(pred["mean"], 1 - 1.1e-3)

    def test_should_break_ties_by_flops_then_name(self):
        d = {"b": np.full(2, 1e-3), "a": np.full(2, 1e-3), "c": np.full(2, 1e-3)}
        order, _, _, _ = C.choose_keep_float(["a", "b", "c"], d, {"a": 5, "b": 5, "c": 9}, 100)
        self.assertEqual(order, ["c", "a", "b"])

    def test_predicted_deficits_should_add_per_input(self):
        d = {"a": np.array([1e-4, 2e-4]), "b": np.array([3e-4, 0.0])}
        p = C.predict(["a", "b"], d, [])
        self.assertAlmostEqual(p["mean"], 1 - 3e-4)
        self.assertAlmostEqual(p["min"], 1 - 4e-4)
        self.assertEqual(C.predict(["a", "b"], d, ["a", "b"]), {"mean": 1.0, "min": 1.0})


class CalibrateGraphTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.rng = np.random.default_rng(20261128)

    def tearDown(self):
        self.tmp.cleanup()

    def test_should_measure_each_node_alone_and_keep_the_sensitive_one_float(self):
        bundle = os.path.join(self.tmp.name, "b")
        write_bundle(bundle, {"audio": mlp_model(self.rng, outlier=400.0)})
        inputs = self.rng.standard_normal((12, 96)).astype(np.float32)
        npy = os.path.join(self.tmp.name, "x.npy")
        np.save(npy, inputs)
        measure = numpy_measure(bundle, "audio", inputs)
        # two equal MatMuls: either is 50 % of the FLOPs, so the 5 % cap of the rule would forbid both
        capped = C.calibrate_graph(bundle, "audio", npy, None, log=quiet, measure=measure)
        self.assertEqual(capped["keep_float"], [])
        self.assertFalse(capped["target_met"])
        r = C.calibrate_graph(bundle, "audio", npy, None, log=quiet, measure=measure, max_float_flops=0.5)
        by_name = {n["name"]: n for n in r["nodes"]}
        self.assertEqual(set(by_name), {"fc1", "fc2"})
        self.assertGreater(by_name["fc2"]["sensitivity"], by_name["fc1"]["sensitivity"])
        self.assertEqual(r["nodes"][0]["name"], "fc2")  # sorted by sensitivity
        self.assertLess(r["all_int8"]["mean"], 0.9995)  # the outlier ruins fc2's input quantisation
        self.assertEqual(r["keep_float"], ["fc2"])
        self.assertTrue(r["target_met"])
        self.assertGreaterEqual(r["measured"]["mean"], 0.9995)
        self.assertAlmostEqual(r["measured"]["mean"], by_name["fc1"]["mean"], places=9)  # fc1 alone is int8
        self.assertEqual(r["inputs"], 12)
        self.assertAlmostEqual(r["float_flops_share"], 0.5)
        self.assertEqual(r["total_flops"], 2 * 2 * 96 * 96)

    def test_should_keep_nothing_float_for_a_benign_graph(self):
        bundle = os.path.join(self.tmp.name, "b")
        write_bundle(bundle, {"image": mlp_model(self.rng)})
        inputs = self.rng.standard_normal((8, 96)).astype(np.float32)
        npy = os.path.join(self.tmp.name, "x.npy")
        np.save(npy, inputs)
        r = C.calibrate_graph(bundle, "image", npy, None, log=quiet, measure=numpy_measure(bundle, "image", inputs))
        self.assertEqual(r["keep_float"], [])
        self.assertGreater(r["measured"]["mean"], 0.9995)
        self.assertAlmostEqual(r["predicted"]["mean"], r["measured"]["mean"], places=4)


class KeepFloatFromTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.rng = np.random.default_rng(7)

    def tearDown(self):
        self.tmp.cleanup()

    def sens(self, graphs):
        path = os.path.join(self.tmp.name, "sens.json")
        with open(path, "w") as f:
            json.dump({"graphs": {k: {"keep_float": v, "nodes": []} for k, v in graphs.items()}}, f)
        return path

    def test_should_keep_the_named_nodes_float_in_their_graph_only(self):
        src = os.path.join(self.tmp.name, "b")
        write_bundle(src, {"image": mlp_model(self.rng), "audio": mlp_model(self.rng)})
        keep = Q.read_keep_float(self.sens({"audio": ["fc1"]}))
        self.assertEqual(keep, {"audio": ["fc1"]})
        r = Q.quantize_bundle(src, os.path.join(self.tmp.name, "b8"), keep_float=keep, log=quiet)
        self.assertEqual([q[0] for q in r["graphs"]["audio"]["quantized"]], ["fc2"])
        self.assertIn(["fc1", "excluded by name"], r["graphs"]["audio"]["skipped"])
        self.assertEqual([q[0] for q in r["graphs"]["image"]["quantized"]], ["fc1", "fc2"])
        ops = [n.op_type for n in onnx.load(os.path.join(self.tmp.name, "b8", "audio.onnx")).graph.node]
        self.assertEqual(ops, ["MatMul", "Relu", "DynamicQuantizeMatMul"])

    def test_cli_should_take_keep_float_from(self):
        src = os.path.join(self.tmp.name, "b")
        write_bundle(src, {"audio": mlp_model(self.rng)})
        with contextlib.redirect_stdout(io.StringIO()) as out:
            Q.main(["bundle", src, os.path.join(self.tmp.name, "b8"), "--keep-float-from",
                    self.sens({"audio": ["fc2"]}), "--json"])
        self.assertEqual([q[0] for q in json.loads(out.getvalue())["graphs"]["audio"]["quantized"]], ["fc1"])
        ops = [n.op_type for n in onnx.load(os.path.join(self.tmp.name, "b8", "audio.onnx")).graph.node]
        self.assertEqual(ops, ["DynamicQuantizeMatMul", "Relu", "MatMul"])

    def test_should_refuse_a_stale_calibration(self):
        src = os.path.join(self.tmp.name, "b")
        write_bundle(src, {"audio": mlp_model(self.rng)})
        with self.assertRaisesRegex(ValueError, r"keep-float node\(s\) \['/head/Gemm'\] are not"):
            Q.quantize_bundle(src, os.path.join(self.tmp.name, "b8"), keep_float={"audio": ["/head/Gemm"]},
                              log=quiet)
        with self.assertRaisesRegex(ValueError, r"no graph \['video'\]"):
            Q.quantize_bundle(src, os.path.join(self.tmp.name, "b9"), keep_float={"video": ["fc1"]}, log=quiet)

    def test_should_refuse_a_json_that_is_not_a_calibration(self):
        path = os.path.join(self.tmp.name, "x.json")
        with open(path, "w") as f:
            json.dump({"graphs": {"audio": {"nodes": []}}}, f)
        with self.assertRaisesRegex(ValueError, "expected calibrate_int8.py's JSON"):
            Q.read_keep_float(path)


if __name__ == "__main__":
    unittest.main()
