#!/usr/bin/python3
"""Tests of heldout_digest.py (standard library only).
Run: /usr/bin/python3 tools/mini-train/test_heldout_digest.py"""

import contextlib
import importlib.util
import io
import json
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("heldout_digest", os.path.join(HERE, "heldout_digest.py"))
D = importlib.util.module_from_spec(spec)
spec.loader.exec_module(D)


def write(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def run(*argv):
    """main() with argv; (exit code, stdout)."""
    out = io.StringIO()
    code = 0
    old = D.sys.argv
    D.sys.argv = ["heldout_digest.py", *argv]
    try:
        with contextlib.redirect_stdout(out):
            D.main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 2
    finally:
        D.sys.argv = old
    return code, out.getvalue()


class HeldoutDigestTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.eval = os.path.join(self.tmp.name, "eval")
        write(self.eval, "H1/eval-audio.json", b'{"items": []}')
        write(self.eval, "H1/audio/cow.wav", b"RIFF0001")
        write(self.eval, "H1/audio/sub/horse.wav", b"RIFF0002")
        write(self.eval, "H2/images/a.png", b"\x89PNG1")
        write(self.eval, "H2/notes.txt", b"not a part")
        self.recorded = os.path.join(self.tmp.name, "digests.json")

    def tearDown(self):
        self.tmp.cleanup()

    def test_should_fingerprint_each_folder_and_eval_json(self):
        parts = D.digests(self.eval)
        self.assertEqual(sorted(parts), ["H1/audio", "H1/eval-audio.json", "H2/images"])
        self.assertEqual(parts["H1/audio"]["files"], 2)
        self.assertEqual(parts["H1/audio"]["bytes"], 16)

    def test_should_pass_the_check_on_an_identical_rebuild(self):
        self.assertEqual(run(self.eval, "--write", self.recorded)[0], 0)
        code, out = run(self.eval, "--check", self.recorded)
        self.assertEqual(code, 0, out)
        self.assertIn("all 3 parts match", out)

    def test_should_name_the_part_whose_bytes_changed_even_at_the_same_size(self):
        run(self.eval, "--write", self.recorded)
        write(self.eval, "H1/audio/sub/horse.wav", b"RIFF0003")
        code, out = run(self.eval, "--check", self.recorded)
        self.assertEqual(code, 1)
        self.assertIn("H1/audio: differs", out)
        self.assertNotIn("H2/images: differs", out)

    def test_should_name_a_renamed_file_and_missing_and_new_parts(self):
        run(self.eval, "--write", self.recorded)
        os.rename(os.path.join(self.eval, "H2/images/a.png"), os.path.join(self.eval, "H2/images/b.png"))
        os.remove(os.path.join(self.eval, "H1/eval-audio.json"))
        write(self.eval, "H3/audio/x.wav", b"RIFF")
        code, out = run(self.eval, "--check", self.recorded)
        self.assertEqual(code, 1)
        self.assertIn("H2/images: differs", out)
        self.assertIn("H1/eval-audio.json: missing here", out)
        self.assertIn("H3/audio: not in", out)

    def test_should_refuse_a_folder_without_sets_and_an_unknown_format(self):
        empty = os.path.join(self.tmp.name, "empty")
        os.makedirs(empty)
        code, _ = run(empty)
        self.assertNotEqual(code, 0)
        with open(self.recorded, "w") as f:
            json.dump({"format": 2, "parts": {}}, f)
        code, _ = run(self.eval, "--check", self.recorded)
        self.assertNotEqual(code, 0)


if __name__ == "__main__":
    unittest.main()
