#!/usr/bin/env python3
"""Extracts the files of Qt binary resource (.rcc) archives, as GCompris ships its media.

Format (Qt's rcc, versions 1-3), all integers big-endian:
  header: b"qres", u32 version, u32 tree offset, u32 data offset, u32 names offset, (v3+) u32 flags
  tree: nodes of 14 bytes (v1) or 22 bytes (v2+, a trailing u64 mtime):
        u32 name offset, u16 flags (1 = zlib, 2 = directory, 4 = zstd), then
        directory: u32 child count, u32 index of the first child
        file:      u16 country, u16 language, u32 data offset
  names: u16 length, u32 hash, length UTF-16BE code units
  data:  u32 size, bytes; a zlib blob starts with a u32 uncompressed size before the zlib stream.
Node 0 is the root directory.

usage: gcompris_rcc.py OUT_DIR FILE.rcc...   (writes OUT_DIR/<inner path>)
"""
import os
import struct
import sys
import zlib


def extract(path, out_dir):
    buf = open(path, "rb").read()
    if buf[:4] != b"qres":
        raise ValueError(f"{path}: expected the magic 'qres', found {buf[:4]!r}")
    version, tree, data, names = struct.unpack(">IIII", buf[4:20])
    node_size = 14 if version == 1 else 22

    def name_at(off):
        (n,) = struct.unpack(">H", buf[names + off:names + off + 2])
        raw = buf[names + off + 6:names + off + 6 + 2 * n]
        return raw.decode("utf-16-be")

    written = 0

    def walk(index, prefix):
        nonlocal written
        base = tree + index * node_size
        name_off, flags = struct.unpack(">IH", buf[base:base + 6])
        name = "" if index == 0 else name_at(name_off)
        rel = os.path.join(prefix, name) if name else prefix
        if flags & 2:
            count, first = struct.unpack(">II", buf[base + 6:base + 14])
            for child in range(first, first + count):
                walk(child, rel)
            return
        (doff,) = struct.unpack(">I", buf[base + 10:base + 14])
        (size,) = struct.unpack(">I", buf[data + doff:data + doff + 4])
        blob = buf[data + doff + 4:data + doff + 4 + size]
        if flags & 4:
            raise ValueError(f"{path}: {rel} is zstd-compressed, which this reader does not handle")
        if flags & 1:
            blob = zlib.decompress(blob[4:])
        target = os.path.normpath(os.path.join(out_dir, rel))
        if not target.startswith(os.path.abspath(out_dir)):
            raise ValueError(f"{path}: entry {rel!r} escapes the output directory")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(blob)
        written += 1

    walk(0, "")
    return written


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    out = os.path.abspath(argv[1])
    total = 0
    for p in argv[2:]:
        total += extract(p, out)
    print(f"extracted {total} files from {len(argv) - 2} archives into {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
