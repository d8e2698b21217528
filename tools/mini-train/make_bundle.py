#!/usr/bin/env python3
"""Writes bindspace-mini's bundle.json from the tower exports.

The text graph is fixed: all-MiniLM-L6-v2 (quantised) and its tokenizer.json, taken at run time from the
LangChain4j artifact on the classpath (file refs with "resource", docs/bundle-format.md), verified by SHA-256.
The image/video and audio entries come from the fragments that tools/mini-train/image/export.py and
tools/mini-train/audio/export.py write (tools/mini-train/<tower>/graphs.json); every file they reference is
re-hashed here from the resources folder, so a stale fragment cannot ship a wrong hash.

usage: make_bundle.py [--resources model-mini/src/main/resources/dev/bindspace/models/mini] [--version 0.1]
"""
import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

TEXT = {
    "file": {"path": "text.onnx",
             "sha256": "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1",
             "resource": "/all-minilm-l6-v2-q.onnx"},
    "data_files": [],
    "inputs": [
        {"name": "input_ids", "dtype": "int64", "shape": [-1, -1]},
        {"name": "attention_mask", "dtype": "int64", "shape": [-1, -1]},
        {"name": "token_type_ids", "dtype": "int64", "shape": [-1, -1]},
    ],
    "outputs": [{"name": "last_hidden_state", "dtype": "float32", "shape": [-1, -1, 384]}],
    "preprocessing": {"kind": "text", "tokenizer": "wordpiece",
                      "vocabulary": {"path": "tokenizer.json",
                                     "sha256": "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0",
                                     "resource": "/all-minilm-l6-v2-q-tokenizer.json"},
                      "context_length": 128},
    "postprocessing": {"applied_in": "host", "l2_normalize": False, "logit_scale": 1.0},
    "aggregation": {"mode": "none", "views": 1},
}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def rehash(ref, resources):
    path = os.path.join(resources, ref["path"])
    if not os.path.isfile(path):
        sys.exit(f"make_bundle: {ref['path']} is named by a fragment but missing from {resources}")
    ref["sha256"] = sha256(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--resources", default=os.path.join(REPO, "model-mini/src/main/resources/dev/bindspace/models/mini"))
    ap.add_argument("--version", default="0.1")
    args = ap.parse_args()
    graphs = {"text": TEXT}
    for tower in ("image", "audio"):
        frag = os.path.join(HERE, tower, "graphs.json")
        if not os.path.isfile(frag):
            print(f"make_bundle: no {frag}; the bundle will lack the {tower} tower", file=sys.stderr)
            continue
        with open(frag) as f:
            entries = json.load(f)
        if set(entries) == {"graphs"}:
            entries = entries["graphs"]
        for key, g in entries.items():
            rehash(g["file"], args.resources)
            for d in g.get("data_files", []):
                rehash(d, args.resources)
            graphs[key] = g
    files = []
    for extra in ("LICENSE", "CREDITS.md"):
        p = os.path.join(args.resources, extra)
        if os.path.isfile(p):
            files.append({"path": extra, "sha256": sha256(p)})
    bundle = {
        "format_version": 1,
        "model": {"name": "bindspace-mini", "version": args.version},
        "space": "bindspace-mini-v1",
        "dimension": 384,
        "license": {
            "id": "Apache-2.0",
            "name": "Apache License 2.0",
            "attribution": "bindspace-mini towers by the bindspace project, trained on Debian and npm media "
                           "(CREDITS.md); text anchor sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), "
                           "quantised ONNX by Xenova, via LangChain4j",
        },
        "graphs": graphs,
    }
    if files:
        lic = [f for f in files if f["path"] == "LICENSE"]
        if lic:
            bundle["license"]["file"] = lic[0]
        rest = [f for f in files if f["path"] != "LICENSE"]
        if rest:
            bundle["files"] = rest
    out = os.path.join(args.resources, "bundle.json")
    with open(out, "w") as f:
        json.dump(bundle, f, indent=2)
        f.write("\n")
    print(f"wrote {out} with graphs {sorted(graphs)}", file=sys.stderr)


if __name__ == "__main__":
    main()
