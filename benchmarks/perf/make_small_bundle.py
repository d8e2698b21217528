#!/usr/bin/python3
"""A small bundle for developing and smoke-testing the performance scripts (not for figures).

The onnx module's test fixture bundle has ImageBind's input shapes but a stub BPE vocabulary, so its
text encoder cannot open; this builds the same tiny stand-in (tools/fixtures/standin_imagebind.py:
random weights, ImageBind's module structure and input shapes) a bit wider, through the same export
path as the real model (tools/imagebind-export/export.py ``export_bundle``), with the real CLIP BPE
vocabulary, for vision, text and audio only.

    /usr/bin/python3 benchmarks/perf/make_small_bundle.py --vocab ../shared/data/clip-bpe/bpe_simple_vocab_16e6.txt.gz \
        --out ../perf/standin-small [--width 64]
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "fixtures"))
sys.path.insert(0, os.path.join(ROOT, "tools", "imagebind-export"))

import torch  # noqa: E402

import export as ib_export  # noqa: E402
from standin_imagebind import StandInImageBind  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vocab", required=True, help="CLIP's bpe_simple_vocab_16e6.txt.gz")
    ap.add_argument("--out", required=True)
    ap.add_argument("--width", type=int, default=64)
    a = ap.parse_args(argv)
    torch.manual_seed(10)
    model = StandInImageBind(width=a.width, dim=64).eval()
    ib_export.export_bundle(model, a.out, modalities=["vision", "text", "audio"], model_name="standin-small",
                            model_version="1", space="bindspace-standin-small",
                            license={"id": "Apache-2.0", "name": "Apache License 2.0",
                                     "attribution": "bindspace development bundle: random weights, not ImageBind."},
                            license_text="Development bundle of bindspace, Apache-2.0.\n", vocab_path=a.vocab)


if __name__ == "__main__":
    main()
