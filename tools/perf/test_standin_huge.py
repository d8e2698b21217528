#!/usr/bin/python3
"""Tests of the ImageBind-Huge-shaped stand-in on a reduced copy (same code, smaller width/depth).
Run: /usr/bin/python3 tools/perf/test_standin_huge.py  (Debian python3-torch + python3-onnx; < 1 min)."""

import importlib.util
import json
import math
import os
import sys
import tempfile
import unittest

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import standin_huge as sh  # noqa: E402

SMALL = {"vision": {"width": 32, "depth": 2, "heads": 4}, "text": {"width": 32, "depth": 2, "heads": 4},
         "audio": {"width": 24, "depth": 2, "heads": 2}, "depth": {"width": 16, "depth": 1, "heads": 2},
         "thermal": {"width": 16, "depth": 1, "heads": 2}}
ALL = ("vision", "text", "audio", "depth", "thermal")


def small(modalities=ALL, seed=7):
    return sh.StandInHuge(modalities, seed=seed, sizes=SMALL, out_dim=48).eval()


def text_ids(lengths):
    ids = torch.zeros((len(lengths), 77), dtype=torch.long)
    for r, n in enumerate(lengths):
        ids[r, 0] = 49406
        ids[r, 1:1 + n] = torch.arange(1, n + 1) * 97 + r
        ids[r, 1 + n] = 49407
    return ids


class StandInHugeTest(unittest.TestCase):
    def test_should_make_imagebind_huge_token_counts(self):
        m = small()
        self.assertEqual(m.modality_preprocessors["vision"].num_tokens, 257)
        self.assertEqual(m.modality_preprocessors["audio"].num_tokens, 229)
        self.assertEqual(m.modality_preprocessors["depth"].num_tokens, 197)
        self.assertEqual(m.modality_preprocessors["thermal"].num_tokens, 197)
        pre = m.modality_preprocessors["vision"](vision=torch.randn(2, 3, 224, 224))
        self.assertEqual(tuple(pre["trunk"]["tokens"].shape), (2, 257, 32))
        pre = m.modality_preprocessors["text"](text=text_ids([3, 9]))
        self.assertEqual(tuple(pre["trunk"]["tokens"].shape), (2, 77, 32))
        self.assertEqual(pre["head"]["seq_len"].tolist(), [4, 10])
        self.assertEqual(float(pre["trunk"]["attn_mask"][0, 1]), float("-inf"))
        self.assertEqual(float(pre["trunk"]["attn_mask"][1, 0]), 0.0)

    def test_should_repeat_a_still_image_into_a_two_frame_clip(self):
        m = small(("vision",))
        x = torch.randn(2, 3, 224, 224)
        with torch.no_grad():
            still = m({"vision": x})["vision"]
            clip = m({"vision": x.unsqueeze(2).repeat(1, 1, 2, 1, 1).unsqueeze(1)})["vision"]  # (B, S=1, C, T, H, W)
        torch.testing.assert_close(still, clip, rtol=1e-5, atol=1e-6)

    def test_should_post_process_like_imagebind(self):
        m = small()
        torch.manual_seed(3)
        with torch.no_grad():
            out = m({"vision": torch.randn(2, 3, 224, 224), "text": text_ids([2, 5]),
                     "audio": torch.randn(2, 3, 1, 128, 204), "depth": torch.randn(2, 1, 224, 224),
                     "thermal": torch.randn(2, 1, 224, 224)})
        for k, v in out.items():
            self.assertEqual(tuple(v.shape), (2, 48), k)
            self.assertTrue(bool(torch.isfinite(v).all()), k)
        norms = {k: v.norm(dim=-1) for k, v in out.items()}
        torch.testing.assert_close(norms["vision"], torch.ones(2))
        torch.testing.assert_close(norms["text"], torch.full((2,), 1 / 0.07))
        torch.testing.assert_close(norms["depth"], torch.full((2,), 5.0))
        torch.testing.assert_close(norms["thermal"], torch.full((2,), 10.0))
        self.assertTrue(bool((norms["audio"] < 20.0 + 1e-4).all()))  # mean of 3 vectors of norm 20
        self.assertTrue(bool((norms["audio"] > 10.0).all()))

    def test_should_pool_text_at_the_eot_token_and_mask_later_tokens(self):
        m = small(("text",))
        ids = text_ids([4])
        other = ids.clone()
        other[0, 20] = 123  # after EOT: invisible to the EOT position under the causal mask
        with torch.no_grad():
            a, b = m({"text": ids})["text"], m({"text": other})["text"]
            ids[0, 2] = 5  # before EOT: changes the result
            c = m({"text": ids})["text"]
        torch.testing.assert_close(a, b)
        self.assertGreater(float((a - c).abs().max()), 1e-4)

    def test_should_use_sequence_first_attention_with_bias_kv_only_on_audio_like_towers(self):
        m = small()
        for k in ALL:
            attn = m.modality_trunks[k].blocks[0].attn
            self.assertFalse(attn.batch_first, k)
            self.assertIsNotNone(attn.in_proj_bias, k)
            self.assertEqual(attn.bias_k is not None, k in ("audio", "depth", "thermal"), k)
            self.assertEqual(m.modality_trunks[k].blocks[0].norm_1.eps, 1e-6)
        self.assertIsInstance(m.modality_trunks["vision"].pre_transformer_layer[0], torch.nn.LayerNorm)
        self.assertIsInstance(m.modality_trunks["audio"].pre_transformer_layer[0], torch.nn.Identity)
        self.assertEqual(m.modality_preprocessors["audio"].rgbt_stem.norm_layer.eps, 1e-5)

    def test_should_seed_each_tower_independently(self):
        a = small(("vision", "text", "audio"), seed=11).state_dict()
        b = small(("audio",), seed=11).state_dict()
        c = small(("audio",), seed=12).state_dict()
        for k, v in b.items():
            self.assertTrue(torch.equal(v, a[k]), k)
        self.assertFalse(torch.equal(b["modality_trunks.audio.blocks.0.mlp.fc1.weight"],
                                     c["modality_trunks.audio.blocks.0.mlp.fc1.weight"]))
        w = a["modality_trunks.vision.blocks.0.attn.in_proj_weight"]
        self.assertLessEqual(float(w.abs().max()), 0.04 + 1e-7)
        self.assertAlmostEqual(float(w.std()), 0.0176, delta=0.002)  # std of N(0, 0.02) cut at 2 sigma

    def test_should_count_the_facts_sheet_parameters_at_full_size(self):
        # one closed formula per tower, checked against the small model's real count and, at full size,
        # against the facts sheet (the full model itself is too big for a unit test)
        def formula(m, w, depth, extra_tokens_params, head_in, bias_kv):
            block = 3 * w * w + 3 * w + w * w + w + 4 * w + 8 * w * w + 4 * w + w + (2 * w if bias_kv else 0)
            return depth * block + extra_tokens_params + 2 * head_in + head_in * 48
        m = small()
        counts = sh.count_params(m)
        v = formula("vision", 32, 2, 3 * 2 * 14 * 14 * 32 + 32 + 257 * 32 + 2 * 32, 32, False)
        self.assertEqual(counts["vision"], v)
        t = formula("text", 32, 2, 49408 * 32 + 77 * 32, 32, False) + 1
        self.assertEqual(counts["text"], t)
        a = formula("audio", 24, 2, 16 * 16 * 24 + 2 * 24 + 24 + 229 * 24, 24, True)
        self.assertEqual(counts["audio"], a)
        huge_v = formula("vision", 1280, 32, 3 * 2 * 14 * 14 * 1280 + 1280 + 257 * 1280 + 2 * 1280, 1280, False)
        huge_t = formula("text", 1024, 24, 49408 * 1024 + 77 * 1024, 1024, False) + 1
        huge_a = formula("audio", 768, 12, 16 * 16 * 768 + 2 * 768 + 768 + 229 * 768, 768, True)
        extra = 1024 - 48  # the formula's head projects to 48
        self.assertEqual(huge_v + 1280 * extra, sh.FACTS_PARAMS["vision"])
        self.assertEqual(huge_t + 1024 * extra, sh.FACTS_PARAMS["text"])
        self.assertEqual(huge_a + 768 * extra, sh.FACTS_PARAMS["audio"])

    def test_export_bundle_should_accept_it_unchanged(self):
        spec = importlib.util.spec_from_file_location(
            "ib_export", os.path.join(os.path.dirname(HERE), "imagebind-export", "export.py"))
        export = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(export)
        m = small(("vision", "text", "audio"))
        with tempfile.TemporaryDirectory() as tmp:
            vocab = os.path.join(tmp, "vocab.txt.gz")
            with open(vocab, "wb") as f:
                f.write(b"stand-in vocabulary")
            out = os.path.join(tmp, "bundle")
            manifest = export.export_bundle(m, out, vocab_path=vocab, model_name="standin-huge-small",
                                            log=lambda *_: None)
            self.assertEqual(set(manifest["graphs"]), {"image", "video", "text", "audio"})
            self.assertEqual(manifest["dimension"], 48)
            g = manifest["graphs"]
            self.assertEqual(g["image"]["inputs"][0]["shape"], [-1, 3, 224, 224])
            self.assertEqual(g["audio"]["inputs"][0]["shape"], [-1, 1, 128, 204])
            self.assertEqual(g["text"]["inputs"][0], {"name": "text", "dtype": "int64", "shape": [-1, -1]})
            self.assertEqual(g["text"]["preprocessing"]["padding"], "longest")
            self.assertEqual(g["text"]["preprocessing"]["context_length"], 77)
            self.assertAlmostEqual(g["text"]["postprocessing"]["logit_scale"], 1 / 0.07, places=4)
            self.assertEqual(g["audio"]["postprocessing"]["logit_scale"], 20.0)
            self.assertEqual(g["image"]["postprocessing"], {"applied_in": "graph", "l2_normalize": True,
                                                            "logit_scale": 1.0})
            with open(os.path.join(out, "bundle.json")) as f:
                self.assertEqual(json.load(f), manifest)
            import onnx
            proto = onnx.load(os.path.join(out, "image.onnx"))
            ops = {n.op_type for n in proto.graph.node}
            self.assertIn("Conv", ops)
            self.assertIn("Erf", ops)  # exact GELU


class LongestPaddingTest(unittest.TestCase):
    """export.py's check that a causal, EOT-pooled text tower may run on ids cut to the longest row."""

    @staticmethod
    def export_module():
        spec = importlib.util.spec_from_file_location(
            "ib_export", os.path.join(os.path.dirname(HERE), "imagebind-export", "export.py"))
        export = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(export)
        return export

    def test_should_give_the_full_length_result_on_the_cut_ids(self):
        export = self.export_module()
        m = small(("text",))
        trimmed, why = export.longest_padding_text(m)
        self.assertIsNone(why)
        ids = text_ids([3, 20, 9])
        with torch.no_grad():
            full = m({"text": ids})["text"]
            cut = trimmed(ids[:, :22])
        self.assertLess(float((full - cut).abs().max()), 1e-5)

    def test_should_refuse_a_mask_that_is_not_causal(self):
        export = self.export_module()
        m = small(("text",))
        m.modality_preprocessors["text"].mask.zero_()  # bidirectional: later tokens would change the result
        trimmed, why = export.longest_padding_text(m)
        self.assertIsNone(trimmed)
        self.assertIn("not the causal mask", why)

    def test_should_refuse_a_preprocessor_without_imagebind_layout(self):
        export = self.export_module()
        m = small(("text",))
        del m.modality_preprocessors["text"].causal_masking
        trimmed, why = export.longest_padding_text(m)
        self.assertIsNone(trimmed)
        self.assertIn("not causal", why)

    def test_should_export_max_length_when_asked(self):
        export = self.export_module()
        m = small(("text",))
        with tempfile.TemporaryDirectory() as tmp:
            vocab = os.path.join(tmp, "vocab.txt.gz")
            with open(vocab, "wb") as f:
                f.write(b"stand-in vocabulary")
            g = export.export_bundle(m, os.path.join(tmp, "b"), vocab_path=vocab, text_padding="max_length",
                                     log=lambda *_: None)["graphs"]["text"]
            self.assertEqual(g["inputs"][0]["shape"], [-1, 77])
            self.assertNotIn("padding", g["preprocessing"])  # absent = max_length, readable by older readers


if __name__ == "__main__":
    unittest.main()
