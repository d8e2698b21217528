#!/usr/bin/env python3
"""Generates test cases for bindspace's ftfy port, with the outputs of the real ftfy 6.3.1.

    /tmp/ftfy-venv/bin/python tools/text/ftfy_cases.py encoders-text/src/test/resources/ftfy/cases.jsonl

(the venv as in tools/text/ftfy_tables.py). Deterministic (fixed seed). Each line:
{"in": text, "fix_text": ftfy.fix_text(text), "clip_clean": whitespace_clean(basic_clean(text)).lower()}
with basic_clean/whitespace_clean exactly as in ImageBind's multimodal_preprocessors.py.

The cases concentrate on what the shared ImageBind corpus exercises lightly: mojibake through every code
page ftfy tries (and twice over), a space standing for U+00A0, bytes lost to U+FFFD or '?', CESU-8 and
Java's modified UTF-8, mojibake embedded in clean text, C1 controls, HTML entities in all their forms
(also where a '<' switches them off for later lines), terminal escapes, line breaks, surrogates.
"""
import html
import json
import random
import sys

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-* codecs)
import regex

if ftfy.__version__ != "6.3.1":
    sys.exit(f"need ftfy 6.3.1, found {ftfy.__version__}")

rng = random.Random(6_3_1)

SOURCES = [
    "café", "naïve", "résumé", "Zürich", "straße", "São Paulo", "crème brûlée", "Dvořák", "Łódź", "İstanbul", "ığdır",
    "Þórshöfn", "Ærøskøbing", "piñata", "façade", "coöperate", "Ångström", "Việt Nam", "à la mode", "voilà le travail",
    "don’t", "“quoted”", "‘single’", "—dash", "–en dash", "…", "€100", "£5", "¥500", "©2024", "®", "™", "°C", "±3",
    "½ cup", "×", "÷", "µm", "§2", "¶", "•", "†", "‰", "¡Hola!", "¿Qué?", "«Bonjour»", "‹a›",
    "😀", "smile 😀", "👍🏽", "🇯🇵", "❤️", "✔ No problems", "ಠ_ಠ", "(ง'⌣')ง", "¯\\_(ツ)_/¯",
    "Привет", "Москва", "Ελληνικά", "ΣΟΦΟΣ", "שלום", "مرحبا", "नमस्ते", "日本語", "中文", "한국어", "ไทย",
    "Ĳssel", "ﬁsh", "ﬂower", "ＦＵＬＬ", "ｶﾀｶﾅ", "\u00a0nbsp\u00a0", "soft\u00adhyphen",
]
CODECS = ["latin-1", "sloppy-windows-1252", "sloppy-windows-1251", "sloppy-windows-1250", "sloppy-windows-1253",
          "sloppy-windows-1254", "sloppy-windows-1257", "iso-8859-2", "macroman", "cp437", "windows-1252", "cp1251"]
FILLER = "the a dog cat and on with in text here".split()
ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#x27;", "&eacute;", "&EACUTE;", "&Eacute;", "&NTILDE;", "&nTILDE;",
            "&SZLIG;", "&hellip;", "&mdash;", "&nbsp;", "&copy", "&amp", "&ampx", "&notin;", "&noti", "&#8220;", "&#x201D;",
            "&#X1F600;", "&#0;", "&#13;", "&#128;", "&#129;", "&#150;", "&#1114112;", "&#xD800;", "&#65535;", "&#xZZ;",
            "&#;", "&;", "&foo;", "&Jscr;", "&HilbertSpace;", "&checkmark;", "&amp;amp;", "&amp;#39;", "&lt;b&gt;",
            "&#000000065;", "&#99999999999999999999;", "&thinsp;", "&ensp;", "&zwj;", "&lrm;", "&shy;",
            "&" + "a" * 40 + ";", "&fjlig;", "&NotEqualTilde;", "&acE;", "&bne;", "&AMP;", "&LT", "&GT;", "&QUOT;"]
EXTRAS = ["\x1b[31m", "\x1b[0m", "\x1b[1;32;40m", "\x1b[", "\x07", "\x00", "\x0b", "\x0c", "\r\n", "\r", "\u2028", "\u2029",
          "\x85", "\x80", "\x81", "\x9d", "\ufeff", "\ufffc", "\u206a", "\u200b", "\u200e", "\ud800", "\udfff", "\ud83d",
          "\t", "\n", "  ", "\u3000", "\u00a0", "<", ">", "<b>", "</i>", "\x1a", "\ufffd", "?", "\u02bc", "\u201b", "\u201f"]


def mojibake(s, codec):
    try:
        return s.encode("utf-8").decode(codec)
    except UnicodeDecodeError:
        return s.encode("utf-8").decode(codec, "replace")


def variants(s):
    out = []
    for codec in CODECS:
        m = mojibake(s, codec)
        out.append(m)
        if rng.random() < 0.3:
            out.append(mojibake(m, rng.choice(CODECS[:3])))  # twice over
        if "\u00a0" in m:
            out.append(m.replace("\u00a0", " "))  # the NBSP became a space
    cesu = s.encode("utf-16-be")
    if len(cesu) > 2:  # CESU-8 / Java modified UTF-8 of non-BMP text, read as Latin-1 / Windows-1252
        b = bytearray()
        for i in range(0, len(cesu), 2):
            u = int.from_bytes(cesu[i:i + 2], "big")
            b += chr(u).encode("utf-8", "surrogatepass") if u >= 0x80 else bytes([u])
        out.append(bytes(b).decode("latin-1"))
        out.append(bytes(b).decode("sloppy-windows-1252"))
    return out


def in_context(m):
    r = rng.random()
    words = [rng.choice(FILLER) for _ in range(rng.randint(0, 4))]
    if r < 0.4:
        return m
    if r < 0.7:
        words.insert(rng.randint(0, len(words)), m)
        return " ".join(words)
    if r < 0.85:
        return m + " " + rng.choice(SOURCES)  # mojibake next to correct text
    return rng.choice(SOURCES) + "\n" + m  # a second line


def cases():
    out = []
    for s in SOURCES:
        for m in variants(s):
            out.append(in_context(m))
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 6)):
            r = rng.random()
            if r < 0.35:
                parts.append(rng.choice(ENTITIES))
            elif r < 0.6:
                parts.append(rng.choice(EXTRAS))
            elif r < 0.8:
                parts.append(rng.choice(FILLER))
            else:
                parts.append(rng.choice(SOURCES))
        out.append(rng.choice(["", " ", "\n"]).join(parts))
    for _ in range(100):  # multi-line: '<' in one line switches entity decoding off for the rest
        lines = [rng.choice(ENTITIES) + " " + rng.choice(FILLER) + rng.choice(["", " <", " <b>", " a < b"]) for _ in range(3)]
        out.append("\n".join(lines))
    for _ in range(100):  # lossy mojibake: bytes lost to U+FFFD or '?'
        s = rng.choice(SOURCES)
        m = s.encode("utf-8").decode("windows-1252", "replace")
        if rng.random() < 0.5:
            m = m.replace("\ufffd", "?")
        out.append(in_context(m))
    return out


def basic_clean(text):
    text = ftfy.fix_text(text)
    text = html.unescape(html.unescape(text))
    return text.strip()


def whitespace_clean(text):
    text = regex.sub(r"\s+", " ", text)
    return text.strip()


def main(path):
    seen = set()
    rows = []
    for text in cases():
        if text in seen:
            continue
        seen.add(text)
        rows.append({"in": text, "fix_text": ftfy.fix_text(text), "clip_clean": whitespace_clean(basic_clean(text)).lower()})
    with open(path, "w", encoding="ascii") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=True) + "\n")
    changed = sum(r["in"] != r["fix_text"] for r in rows)
    print(f"wrote {len(rows)} cases ({changed} changed by fix_text) to {path}")


if __name__ == "__main__":
    main(sys.argv[1])
