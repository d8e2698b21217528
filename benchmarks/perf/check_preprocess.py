#!/usr/bin/python3
"""Checks ib_preprocess.py (the PyTorch reference's preprocessing) against the goldens of ImageBind's official
preprocessing (../shared/goldens/imagebind-preprocessing, see its README): max |ours - official| per image and
audio file, and how many of the 2,000 golden texts tokenise to exactly the official ids.

    /usr/bin/python3 benchmarks/perf/check_preprocess.py [--goldens DIR] [--vocab PATH] [--json OUT]
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--goldens", default=os.path.join(ROOT, "..", "shared", "goldens", "imagebind-preprocessing"))
    ap.add_argument("--vocab", default=os.path.join(ROOT, "..", "shared", "data", "clip-bpe",
                                                    "bpe_simple_vocab_16e6.txt.gz"))
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    if not os.path.isdir(args.goldens):
        print(f"SKIP: no goldens at {args.goldens}")
        return 0
    import numpy as np
    import ib_preprocess as pp
    import clip_bpe

    g = args.goldens
    report = {"images": {}, "audio": {}, "text": {}}
    for name in sorted(os.listdir(os.path.join(g, "inputs", "images"))):
        want = np.load(os.path.join(g, "vision", os.path.splitext(name)[0] + ".input.npy"))
        got = pp.load_image(os.path.join(g, "inputs", "images", name)).numpy()
        report["images"][name] = float(np.abs(got - want).max())
    for name in sorted(os.listdir(os.path.join(g, "inputs", "audio"))):
        golden = os.path.join(g, "audio", os.path.splitext(name)[0] + ".input.npy")
        try:
            got = pp.load_audio(os.path.join(g, "inputs", "audio", name)).numpy()
        except Exception as e:  # the official code raises on clips shorter than one fbank window, too
            report["audio"][name] = f"raised {type(e).__name__}" + ("" if os.path.exists(golden) else
                                                                    " (official raises too)")
            continue
        report["audio"][name] = float(np.abs(got - np.load(golden)).max())
    with open(os.path.join(g, "text", "texts.json"), encoding="utf-8") as f:
        texts = json.load(f)
    want = np.load(os.path.join(g, "text", "tokens.npy"))
    bpe = clip_bpe.ClipBpe(args.vocab)
    bad = []
    for i, t in enumerate(texts):
        try:
            ok = bpe(t) == want[i].tolist()
        except Exception:  # e.g. lone surrogates without ftfy
            ok = False
        if not ok:
            bad.append(i)
    report["text"] = {"texts": len(texts), "exact": len(texts) - len(bad), "mismatched_indices": bad[:50],
                      "ftfy": clip_bpe.ftfy is not None, "regex_module": clip_bpe.re.__name__}
    print(json.dumps(report, indent=1))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
