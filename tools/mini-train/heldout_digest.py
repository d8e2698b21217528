#!/usr/bin/python3
"""Fingerprints of the held-out sets, so a rebuilt DATA/eval can be checked against the one the model card's
table was measured on.

    /usr/bin/python3 tools/mini-train/heldout_digest.py DATA/eval                 # print the fingerprints
    /usr/bin/python3 tools/mini-train/heldout_digest.py DATA/eval --write F.json  # record them
    /usr/bin/python3 tools/mini-train/heldout_digest.py DATA/eval --check tools/mini-train/heldout-digests.json

A fingerprint is taken per folder directly below each set (H1/images, H1/audio, H2/images, ...) and per
eval*.json file: the number of files, their total size, and the SHA-256 of the listing "relative/path<TAB>sha256
of the file's bytes<LF>" over every file below that folder, sorted by path (UTF-8). --check exits with 1 and
names each part that differs, is missing or is new; 0 when every part matches. The dataset scripts build the
sets deterministically from the Debian/npm package versions named in data-sources.md; a different package
version is the usual reason for a mismatch, and then the model card's figures are not expected to reproduce
exactly.

The JSON written by --write: {"format": 1, "parts": {"H1/audio": {"files": N, "bytes": N, "sha256": "hex"}, ...}}.
"""
import argparse
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_bundle import sha256 as file_sha256  # noqa: E402  (the one streaming file hash of these tools)


def part_digest(root, rel):
    """(files, bytes, sha256 of the sorted listing) of the file or folder root/rel."""
    top = os.path.join(root, rel)
    paths = []
    if os.path.isfile(top):
        paths = [rel]
    else:
        for dirpath, _, files in os.walk(top):
            for name in files:
                paths.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    paths.sort()
    listing = hashlib.sha256()
    size = 0
    for p in paths:
        full = os.path.join(root, p)
        size += os.path.getsize(full)
        listing.update(f"{p}\t{file_sha256(full)}\n".encode("utf-8"))
    return {"files": len(paths), "bytes": size, "sha256": listing.hexdigest()}


def digests(root):
    if not os.path.isdir(root):
        sys.exit(f"heldout_digest: {root} is not a folder (expected DATA/eval with H1..H5 inside)")
    sets = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)) and d.startswith("H"))
    if not sets:
        sys.exit(f"heldout_digest: no H* set in {root} (expected DATA/eval with H1..H5 inside)")
    parts = {}
    for s in sets:
        for entry in sorted(os.listdir(os.path.join(root, s))):
            rel = f"{s}/{entry}"
            if os.path.isdir(os.path.join(root, rel)) or (entry.startswith("eval") and entry.endswith(".json")):
                parts[rel] = part_digest(root, rel)
    return parts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", help="DATA/eval, holding H1..H5")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--write", metavar="FILE", help="record the fingerprints as JSON")
    g.add_argument("--check", metavar="FILE", help="compare with fingerprints recorded by --write")
    a = ap.parse_args()
    parts = digests(a.eval_dir)
    for rel, d in parts.items():
        print(f"{rel:16s} {d['files']:6d} files {d['bytes']:12d} bytes  {d['sha256']}")
    if a.write:
        with open(a.write, "w", encoding="utf-8") as f:
            json.dump({"format": 1, "parts": parts}, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"wrote {a.write}")
    if a.check:
        with open(a.check, encoding="utf-8") as f:
            want = json.load(f)
        if want.get("format") != 1:
            sys.exit(f"heldout_digest: {a.check} has format {want.get('format')!r}, expected 1")
        want = want["parts"]
        bad = []
        for rel in sorted(set(want) | set(parts)):
            if rel not in parts:
                bad.append(f"{rel}: missing here (recorded {want[rel]['files']} files)")
            elif rel not in want:
                bad.append(f"{rel}: not in {a.check}")
            elif parts[rel] != want[rel]:
                bad.append(f"{rel}: differs ({parts[rel]['files']} files, {parts[rel]['bytes']} bytes here; "
                           f"recorded {want[rel]['files']} files, {want[rel]['bytes']} bytes)")
        if bad:
            print(f"{len(bad)} of {len(set(want) | set(parts))} parts differ from {a.check}:")
            for b in bad:
                print("  " + b)
            sys.exit(1)
        print(f"all {len(parts)} parts match {a.check}")


if __name__ == "__main__":
    main()
