#!/usr/bin/python3
"""Unit tests of the PyTorch reference's pieces (fast; the benchmark itself is not run).
Run: /usr/bin/python3 benchmarks/perf/test_perf_tools.py"""

import json
import os
import sys
import tempfile
import unittest
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
SHARED = os.path.join(ROOT, "..", "shared")
VOCAB = os.path.join(SHARED, "data", "clip-bpe", "bpe_simple_vocab_16e6.txt.gz")
GOLDENS = os.path.join(SHARED, "goldens", "imagebind-preprocessing")

import clip_bpe  # noqa: E402
import pytorch_bench  # noqa: E402  (imports no torch at module level)


class FlopsTest(unittest.TestCase):
    def test_should_count_openclip_vit_h_flops(self):
        # OpenCLIP's model_profile.csv: ViT-H-14 image 334.59, text 47.09 GFLOPs; our image stem sees 2 frames
        self.assertAlmostEqual(pytorch_bench.model_flops("text") / 1e9, 47.09, places=2)
        self.assertAlmostEqual(pytorch_bench.model_flops("vision") / 1e9, 334.98, places=2)
        self.assertAlmostEqual(pytorch_bench.model_flops("audio") / 1e9, 122.80, places=2)
        with self.assertRaisesRegex(ValueError, "unknown modality 'imu'"):
            pytorch_bench.model_flops("imu")

    def test_should_interpolate_percentiles(self):
        self.assertEqual(pytorch_bench.percentile([5, 1, 3], 0.5), 3)
        self.assertAlmostEqual(pytorch_bench.percentile(list(range(1, 11)), 0.9), 9.1)
        self.assertEqual(pytorch_bench.percentile([7], 0.9), 7)


class ClipBoundsTest(unittest.TestCase):
    def test_should_place_clips_like_pytorchvideo(self):
        import ib_preprocess as pp
        b = pp.clip_bounds(52800 / 16000)  # 3.3 s: starts at samples 10399 and 20799, last ends at 52799
        self.assertEqual([int(s * 16000) for s, _ in b], [0, 10399, 20799])
        self.assertEqual(int(b[-1][1] * 16000), 52799)
        self.assertEqual(pp.clip_bounds(1.25), [(Fraction(0), Fraction(2))] * 3)
        self.assertEqual([float(s) for s, _ in pp.clip_bounds(10.0)], [0.0, 4.0, 8.0])


@unittest.skipUnless(os.path.isfile(VOCAB), f"SKIP: no CLIP vocabulary at {VOCAB}")
class ClipBpeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bpe = clip_bpe.ClipBpe(VOCAB)

    def test_should_frame_and_pad_to_77(self):
        ids = self.bpe("A dog.")
        self.assertEqual(len(ids), 77)
        self.assertEqual(ids[0], clip_bpe.SOT)
        eot = ids.index(clip_bpe.EOT)
        self.assertEqual(ids[eot + 1:], [0] * (76 - eot))
        long = self.bpe("word " * 200)
        self.assertEqual(long[76], clip_bpe.EOT)
        self.assertNotIn(0, long)

    @unittest.skipUnless(os.path.isdir(GOLDENS), f"SKIP: no goldens at {GOLDENS}")
    def test_should_match_the_official_tokens_outside_ftfy_territory(self):
        # ftfy (not packaged in Debian 12) also uncurls quotes, NFC/width-normalises, unescapes HTML once more,
        # fixes mojibake and drops control characters: those categories are left out
        import numpy as np
        with open(os.path.join(GOLDENS, "text", "texts.json"), encoding="utf-8") as f:
            texts = json.load(f)
        with open(os.path.join(GOLDENS, "text", "text_meta.json"), encoding="utf-8") as f:
            meta = json.load(f)
        want = np.load(os.path.join(GOLDENS, "text", "tokens.npy"))
        checked = 0
        for i, t in enumerate(texts):
            if meta[i]["category"] in ("sentence", "word", "number", "punctuation", "url", "emoji", "indic",
                                       "arabic_hebrew", "special_token_literal", "mixed_case"):  # ftfy-free
                self.assertEqual(self.bpe(t), want[i].tolist(), f"text {i} {t!r}")
                checked += 1
        self.assertGreater(checked, 900)


if __name__ == "__main__":
    unittest.main()
