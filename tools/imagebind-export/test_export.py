#!/usr/bin/python3
"""Tests of export.py on bindspace's own stand-in model (tools/fixtures/standin_imagebind.py), which has
ImageBind's module structure. Run: /usr/bin/python3 tools/imagebind-export/test_export.py
(Debian: python3-torch, python3-onnx). The official imagebind package is not needed and not used."""

import importlib.util
import json
import math
import os
import sys
import tempfile
import unittest
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "fixtures"))
from standin_imagebind import StandInImageBind  # noqa: E402

spec = importlib.util.spec_from_file_location("ib_export", os.path.join(HERE, "export.py"))
export = importlib.util.module_from_spec(spec)
spec.loader.exec_module(export)


def quiet(*_):
    pass


class ExportTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(1)
        self.model = StandInImageBind().eval()
        with torch.no_grad():
            self.model.modality_postprocessors["text"][1].log_logit_scale.fill_(math.log(31.0))
        self.tmp = tempfile.TemporaryDirectory()
        self.vocab = os.path.join(self.tmp.name, "vocab.txt.gz")
        with open(self.vocab, "wb") as f:
            f.write(b"stub")

    def tearDown(self):
        self.tmp.cleanup()

    def test_should_write_a_complete_bundle_and_zip(self):
        out = os.path.join(self.tmp.name, "b")
        m = export.export_bundle(self.model, out, vocab_path=self.vocab, zip_output=True, log=quiet)
        self.assertEqual(m["format_version"], 1)
        self.assertEqual(set(m["graphs"]), {"image", "video", "text", "audio", "depth", "thermal", "imu"})
        self.assertEqual(m["dimension"], 32)
        self.assertEqual(m["license"]["id"], "CC-BY-NC-SA-4.0")
        self.assertIn("Meta Platforms", m["license"]["attribution"])
        self.assertAlmostEqual(m["graphs"]["text"]["postprocessing"]["logit_scale"], 31.0, places=4)
        self.assertEqual(m["graphs"]["audio"]["postprocessing"]["logit_scale"], 20.0)
        self.assertEqual(m["graphs"]["video"]["inputs"][0]["shape"], [-1, 3, 2, 224, 224])
        self.assertEqual(m["graphs"]["image"]["inputs"][0]["shape"], [-1, 3, 224, 224])
        self.assertEqual(m["graphs"]["text"]["inputs"][0], {"name": "text", "dtype": "int64", "shape": [-1, 77]})
        self.assertEqual(m["graphs"]["video"]["aggregation"], {"mode": "mean", "views": 15})
        with open(os.path.join(out, "bundle.json")) as f:
            self.assertEqual(json.load(f), m)
        for name in ("LICENSE", "bpe_simple_vocab_16e6.txt.gz", "imu.onnx"):
            self.assertTrue(os.path.isfile(os.path.join(out, name)), name)
        with zipfile.ZipFile(out + ".zip") as z:
            self.assertEqual(sorted(z.namelist()), sorted(os.listdir(out)))

    def test_should_export_a_subset_and_report_skipped_self_check(self):
        lines = []
        m = export.export_bundle(self.model, os.path.join(self.tmp.name, "imu"), modalities=["imu"],
                                 log=lines.append)
        self.assertEqual(list(m["graphs"]), ["imu"])
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            self.assertTrue(any("self-check skipped" in line for line in lines), lines)

    def test_should_refuse_unknown_modality_bad_shapes_and_quantize_option(self):
        with self.assertRaisesRegex(ValueError, "no 'smell' modality"):
            export.export_bundle(self.model, os.path.join(self.tmp.name, "x"), modalities=["smell"], log=quiet)
        with self.assertRaisesRegex(ValueError, "pass input_shapes"):
            export.export_bundle(self.model, os.path.join(self.tmp.name, "y"), modalities=["audio"],
                                 input_shapes={"audio": [1, 64, 100]}, log=quiet)
        with self.assertRaisesRegex(ValueError, "quantize must be None or 'int8'"):
            export.export_bundle(self.model, os.path.join(self.tmp.name, "z"), quantize="int4", log=quiet)

    def test_should_quantize_int8_without_onnxruntime(self):
        torch.manual_seed(2)
        wide = StandInImageBind(width=64).eval()  # 64x192, 64x64, 64x128 trunk matrices: above the 64x64 threshold
        out = os.path.join(self.tmp.name, "q")
        m = export.export_bundle(wide, out, modalities=["imu"], quantize="int8", log=quiet)
        g = m["graphs"]["imu"]
        self.assertEqual(g["precision"], "int8")
        self.assertEqual(g["data_files"], [])
        import onnx
        proto = onnx.load(os.path.join(out, "imu.onnx"))
        ops = [n.op_type for n in proto.graph.node]
        self.assertEqual(ops.count("DynamicQuantizeMatMul"), 4)
        self.assertEqual(sorted(os.listdir(out)), ["LICENSE", "bundle.json", "imu.onnx"])
        self.assertEqual(g["file"]["sha256"], export._sha256(os.path.join(out, "imu.onnx")))

    def test_should_quantize_a_graph_with_external_data_into_one_file(self):
        torch.manual_seed(2)
        wide = StandInImageBind(width=64).eval()
        out = os.path.join(self.tmp.name, "qe")
        m = export.export_bundle(wide, out, modalities=["thermal"], quantize="int8", external_data_threshold=0,
                                 check=False, log=quiet)
        self.assertEqual(m["graphs"]["thermal"]["data_files"], [])
        self.assertEqual(sorted(os.listdir(out)), ["LICENSE", "bundle.json", "thermal.onnx"])

    def test_should_rewrite_negative_unfold_dims_only_while_exporting(self):
        x = torch.arange(24.0).reshape(1, 2, 12)
        with export._positive_unfold_dims():
            inside = x.unfold(-1, 4, 4)
        self.assertTrue(torch.equal(inside, x.unfold(2, 4, 4)))
        self.assertIs(torch.Tensor.unfold, type(x).unfold)
        self.assertEqual(torch.Tensor.unfold.__name__, "unfold")

    def test_cli_should_explain_a_missing_imagebind_package(self):
        try:
            import imagebind  # noqa: F401
            self.skipTest("imagebind installed")
        except ImportError:
            pass
        with self.assertRaisesRegex(SystemExit, "install ImageBind first"):
            export.main(["--checkpoint", "nothing.pth", "--out", os.path.join(self.tmp.name, "cli")])


if __name__ == "__main__":
    unittest.main()
