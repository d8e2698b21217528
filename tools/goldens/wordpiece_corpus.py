#!/usr/bin/env python3
"""Generates the WordPiece parity corpus: 2,400 varied strings, deterministic (fixed seed).

    python3 tools/goldens/wordpiece_corpus.py encoders-text/src/test/resources/wordpiece/corpus.jsonl

One JSON object per line, {"id": n, "category": "...", "text": "..."}, ASCII with \\u escapes (so lone
surrogates survive). The reference ids come from tools/goldens/wordpiece_reference.mjs.

Categories: English prose, accented Latin, CJK, emoji, punctuation, numbers, control and invisible
characters, whitespace, special-token literals, other scripts, code/URLs, long texts (past the
128-token limit, over-long words), composites, and random code points from every plane.
Standard library only; all word lists are written here.
"""
import json
import unicodedata
import random
import sys

SEED = 20261128
rng = random.Random(SEED)

WORDS = (
    "the a an of to in and is was for on with as by at from that this it be are were has have had not but or "
    "dog cat horse bird guitar piano violin music river mountain city street car train bicycle boat airplane "
    "sun moon star rain snow wind storm ocean beach forest tree flower garden house kitchen table chair window "
    "door book letter paper pencil computer keyboard screen phone camera picture photograph painting museum "
    "children parents teacher student doctor engineer scientist musician farmer baker chef driver pilot "
    "running jumping playing singing dancing reading writing cooking sleeping walking swimming climbing "
    "quickly slowly happily quietly loudly carefully suddenly finally together tomorrow yesterday tonight "
    "beautiful enormous tiny ancient modern delicious bitter sweet colorful mysterious dangerous peaceful "
    "unbelievable internationalization misunderstanding electroencephalography antidisestablishmentarianism "
    "photosynthesis neuroscience cryptocurrency blockchain transformer embedding tokenizer multimodal "
    "joint vector space similarity retrieval encoder decoder attention gradient optimizer benchmark"
).split()

SENTENCE_TEMPLATES = [
    "A {n} is {v} {adv}.",
    "The {adj} {n} {v2} the {n2}.",
    "Two {n}s are {v} near the {n2}!",
    "Why is the {n} so {adj}?",
    "{N} and {n2} {v2} {adv} in the {n3}.",
    "I can't believe the {n} didn't {v3} the {n2}.",
    "She's {v} a {adj} {n} while he'll {v3} the {n2}.",
    "\"{N},\" said the {n2}, \"is {adj}.\"",
    "{N}: {adj}, {adj2}; {n2} - {adj3}.",
    "We've seen {num} {n}s and {num2} {n2}s today.",
]
NOUNS = "dog cat horse bird guitar piano violin river mountain city car train bicycle boat sun moon tree flower house chair book camera painting teacher student doctor chef".split()
VERBS = "running jumping playing singing dancing reading writing cooking sleeping walking swimming climbing".split()
VERBS2 = "chases watches follows paints carries finds loves ignores builds".split()
VERBS3 = "see catch find paint carry build follow".split()
ADJS = "beautiful enormous tiny ancient modern delicious bitter sweet colorful mysterious dangerous peaceful quiet loud".split()
ADVS = "quickly slowly happily quietly loudly carefully suddenly together".split()

ACCENTED = (
    "café naïve résumé façade crème brûlée déjà vu où Noël garçon élève forêt hôtel "
    "Über Straße Größe Fräulein Mädchen Bäckerei Schön Gemütlichkeit Zürich München "
    "niño señor mañana año pingüino corazón canción jalapeño "
    "São Paulo ação coração informação pão "
    "Łódź źdźbło żółć gęś Kraków Dvořák Příliš žluťoučký kůň "
    "Việt Nam Hà Nội phở tiếng Việt người "
    "İstanbul ığdır Şişli Çağlar Gülşen "
    "Þórshöfn Ægir ørken Ålesund smørrebrød "
    "ΣΟΦΟΣ Ὀδυσσεύς ἀρετή Ελληνικά ΟΔΟΣ "
    "Ǆemal ǈubljana ǋegoš Ĳssel ﬁnancial ﬂower œuvre Æsir"
).split()

CJK_CHINESE = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持音跑"
HIRAGANA = "".join(chr(c) for c in range(0x3041, 0x3097))
KATAKANA = "".join(chr(c) for c in range(0x30A1, 0x30FB))
JAPANESE = ["東京は日本の首都です。", "私は猫が好きです", "ありがとうございます！", "カタカナとひらがな", "ｶﾀｶﾅ ﾊﾝｶｸ", "今日は良い天気ですね。", "ラーメンを食べたい"]
KOREAN = ["안녕하세요", "한국어를 공부합니다.", "서울특별시", "감사합니다!", "ᄒᆞᆫ글 자모"]
CJK_PUNCT = "，。、；：？！「」『』（）【】《》〈〉…—～・"

EMOJI = ["😀", "😂", "🥲", "🫠", "🫨", "❤️", "👍", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇯🇵", "🇺🇸", "🇫🇷", "1️⃣", "#️⃣",
         "🐶", "🐱", "🎸", "🎹", "🚲", "🌧️", "☀️", "✔", "✨", "🔥", "💯", "🙏🏿", "🤷‍♀️", "🧑🏻‍🦰", "🦄", "🍕", "⚽", "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
         "☺", "♥", "★", "☃", "⌚", "🅰", "🆗", "🈁", "🀄", "🃏"]

PUNCT = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + list("¡¿«»‹›—–―…‰′″‴‽⁇⁈⁉§¶†‡•·‚„“”‘’〃※‼⸘⸮¦¬¯°±´µ¸¹º¼½¾×÷")

SCRIPTS = [
    "مرحبا بالعالم", "اللغة العربية جميلة", "كِتَابٌ", "שלום עולם", "בְּרֵאשִׁית בָּרָא", "नमस्ते दुनिया", "हिन्दी भाषा",
    "สวัสดีชาวโลก", "ภาษาไทย", "வணக்கம் உலகம்", "বাংলা ভাষা", "გამარჯობა", "Բարեւ աշխարհ", "ሰላም ለዓለም",
    "Привет, мир!", "Москва — столица России.", "Ёжик в тумане", "Γειά σου Κόσμε", "ᠮᠣᠩᠭᠣᠯ", "བོད་ཡིག", "ភាសាខ្មែរ",
    "ພາສາລາວ", "ᏣᎳᎩ", "ꦧꦱꦗꦮ", "ⴰⵎⴰⵣⵉⵖ", "ܫܠܡܐ", "ދިވެހި", "සිංහල", "മലയാളം", "ಕನ್ನಡ", "తెలుగు", "ગુજરાતી", "ਪੰਜਾਬੀ",
    "ଓଡ଼ିଆ", "Ꭰꮳꮃ", "𐌰𐌱𐌲", "𓀀𓀁𓀂", "𒀀𒀁", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝐁𝐨𝐥𝐝", "ℌ𝔢𝔩𝔩𝔬", "Ⓐⓑⓒ", "ⅫⅣⅨ",
]

CODE = [
    "https://example.com/path/to/page?query=1&lang=en#section", "mailto:someone@example.org", "user.name+tag@mail.co.uk",
    "C:\\Program Files\\bindspace\\bin", "/usr/local/lib/python3.11/site-packages", "def f(x): return x**2 + 1",
    "for (int i = 0; i < n; i++) { sum += a[i]; }", "{\"key\": [1, 2, 3], \"ok\": true}", "<div class=\"main\">Hello</div>",
    "#MachineLearning #AI @bindspace", "camelCaseIdentifier snake_case_identifier SCREAMING_CASE kebab-case",
    "SELECT * FROM users WHERE id = 42;", "git commit -m \"fix: tokenizer\"", "$HOME/.m2/repository", "x86_64-linux-gnu",
    "v1.2.3-beta.4+build.5", "0x7FFF_FFFF", "a->b => c :: d", "std::vector<int>", "print(f\"{name!r:>10}\")",
]

CONTROL_CHARS = ([chr(c) for c in range(0x00, 0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
                 + ["\u00ad", "\u034f", "\u061c", "\u180e", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2028", "\u2029",
                    "\u202a", "\u202e", "\u2060", "\u2066", "\u2069", "\ufeff", "\ufff9", "\ufffa", "\ufffb", "\ufffc", "\ufffd",
                    "\uffff", "\ue000", "\uf8ff", "\U000f0000", "\U0010fffd", "\U000e0001", "\U000e0041", "\U000e007f",
                    "\ud800", "\udbff", "\udc00", "\udfff", "\ufe0f", "\U000e0100", "\u0300", "\u0301", "\u0308", "\u0345",
                    "\u0488", "\u20dd", "\U0001d165", "\U0001d16d"])

SPACES = [" ", "  ", "\t", "\n", "\r\n", "\r", "\x0b", "\x0c", "\u00a0", "\u1680", "\u2000", "\u2003", "\u2009", "\u200a",
          "\u202f", "\u205f", "\u3000", "\x85", "\x1c", "\x1f"]

SPECIALS = ["[CLS]", "[SEP]", "[MASK]", "[UNK]", "[PAD]", "[sep]", "[Mask]", "[ SEP ]", "[SEP", "SEP]", "[[MASK]]",
            "[MASK][MASK]", "##", "##ing", "[CLS][SEP]", "<s>", "</s>", "<|endoftext|>", "[unused1]", "[unused99]"]


def word():
    return rng.choice(WORDS)


def sentence():
    t = rng.choice(SENTENCE_TEMPLATES)
    n, n2, n3 = rng.choice(NOUNS), rng.choice(NOUNS), rng.choice(NOUNS)
    return t.format(n=n, N=n.capitalize(), n2=n2, n3=n3, v=rng.choice(VERBS), v2=rng.choice(VERBS2), v3=rng.choice(VERBS3),
                    adj=rng.choice(ADJS), adj2=rng.choice(ADJS), adj3=rng.choice(ADJS), adv=rng.choice(ADVS),
                    num=rng.randint(0, 10000), num2=rng.choice(["1,234", "3.14", "42", "007", "1e6"]))


def casing(s):
    r = rng.random()
    return s.upper() if r < 0.1 else s.title() if r < 0.2 else s


def english():
    return casing(" ".join(sentence() for _ in range(rng.randint(1, 4))))


def accented():
    k = rng.randint(1, 6)
    parts = [rng.choice(ACCENTED) for _ in range(k)]
    if rng.random() < 0.3:  # decomposed forms
        parts = [unicodedata.normalize("NFD", p) for p in parts]
    if rng.random() < 0.3:
        parts = [p.upper() for p in parts]
    if rng.random() < 0.5:
        parts.insert(rng.randint(0, len(parts)), word())
    return " ".join(parts)


def cjk():
    r = rng.random()
    if r < 0.4:
        return "".join(rng.choice(CJK_CHINESE) for _ in range(rng.randint(1, 30))) + rng.choice(["", "。", "！", "？"])
    if r < 0.55:
        return rng.choice(JAPANESE) + "".join(rng.choice(HIRAGANA + KATAKANA) for _ in range(rng.randint(0, 8)))
    if r < 0.7:
        return rng.choice(KOREAN) + " " + "".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(rng.randint(1, 6)))
    if r < 0.8:  # extensions B..F, compatibility ideographs, radicals
        pool = [(0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0x2CEB0, 0x2EBE0),
                (0xF900, 0xFAFF), (0x2F800, 0x2FA1F), (0x2E80, 0x2EF3), (0x3400, 0x4DBF), (0x30000, 0x3134A)]
        return "".join(chr(rng.randint(*rng.choice(pool))) for _ in range(rng.randint(1, 8)))
    if r < 0.9:
        return word() + rng.choice(CJK_CHINESE) + word() + rng.choice(CJK_PUNCT) + rng.choice(JAPANESE)
    return "".join(chr(0xFF01 + rng.randint(0, 93)) for _ in range(rng.randint(1, 12)))  # full-width forms


def emoji():
    k = rng.randint(1, 6)
    parts = [rng.choice(EMOJI) if rng.random() < 0.6 else word() for _ in range(k)]
    return (" " if rng.random() < 0.5 else "").join(parts)


def punctuation():
    k = rng.randint(1, 8)
    out = []
    for _ in range(k):
        r = rng.random()
        out.append("".join(rng.choice(PUNCT) for _ in range(rng.randint(1, 5))) if r < 0.6 else word())
    return (" " if rng.random() < 0.6 else "").join(out)


def number():
    forms = [
        lambda: str(rng.randint(0, 10 ** rng.randint(1, 15))),
        lambda: f"{rng.uniform(-1000, 1000):.{rng.randint(1, 6)}f}",
        lambda: f"{rng.randint(1, 999)},{rng.randint(100, 999)},{rng.randint(100, 999)}",
        lambda: f"+1 ({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        lambda: f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1900, 2100)}",
        lambda: f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
        lambda: f"${rng.randint(1, 99999)}.{rng.randint(0, 99):02d}",
        lambda: f"{rng.randint(0, 100)}%",
        lambda: f"{rng.randint(1, 100)}{rng.choice(['st', 'nd', 'rd', 'th'])}",
        lambda: f"{rng.uniform(1, 9):.3f}e{rng.randint(-30, 30)}",
        lambda: rng.choice(["Ⅻ", "Ⅳ", "ⅸ", "²", "³", "¹⁰", "½", "¾", "⅓", "٣٤٥", "१२३", "١٢٣", "１２３", "𝟙𝟚𝟛", "⑩", "⒛", "㊿"]),
        lambda: "".join(rng.choice("0123456789") for _ in range(rng.randint(20, 60))),
    ]
    k = rng.randint(1, 4)
    return " ".join(rng.choice(forms)() if rng.random() < 0.75 else word() for _ in range(k))


def control():
    out = []
    for _ in range(rng.randint(1, 8)):
        out.append(rng.choice(CONTROL_CHARS) if rng.random() < 0.5 else word())
    return "".join(out) if rng.random() < 0.5 else " ".join(out)


def whitespace():
    k = rng.randint(0, 6)
    out = []
    for _ in range(k):
        out.append(rng.choice(SPACES))
        if rng.random() < 0.4:
            out.append(word())
    return "".join(out)


def special():
    out = []
    for _ in range(rng.randint(1, 5)):
        out.append(rng.choice(SPECIALS) if rng.random() < 0.5 else word())
    return ("" if rng.random() < 0.3 else " ").join(out)


def scripts():
    k = rng.randint(1, 3)
    return " ".join(rng.choice(SCRIPTS) if rng.random() < 0.8 else word() for _ in range(k))


def code():
    return rng.choice(CODE) if rng.random() < 0.7 else rng.choice(CODE) + " " + sentence()


def long_text():
    r = rng.random()
    if r < 0.5:
        return " ".join(english() for _ in range(rng.randint(8, 40)))
    if r < 0.65:  # words around max_input_chars_per_word (100)
        n = rng.choice([99, 100, 101, 150, 300, 1000])
        return word() + " " + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n)) + " " + word()
    if r < 0.75:
        n = rng.choice([99, 100, 101, 120])
        return "".join(rng.choice("éüñçàõ") for _ in range(n))  # long accented word: counted in code points
    if r < 0.85:
        return " ".join(word() for _ in range(rng.randint(130, 400)))
    if r < 0.92:
        return "".join(rng.choice(CJK_CHINESE) for _ in range(rng.randint(130, 300)))
    return (rng.choice(EMOJI) + " ") * rng.randint(60, 150)


def composite():
    gens = [english, accented, cjk, emoji, punctuation, number, control, special, scripts, code]
    return rng.choice(["", " ", "\n", " | "]).join(rng.choice(gens)() for _ in range(rng.randint(2, 4)))


def random_codepoints():
    out = []
    for _ in range(rng.randint(1, 24)):
        r = rng.random()
        if r < 0.5:
            cp = rng.randint(0x80, 0x2FFFF)
        elif r < 0.7:
            cp = rng.randint(0x0, 0x7F)
        elif r < 0.8:
            cp = rng.randint(0x0300, 0x036F)  # combining marks
        elif r < 0.9:
            cp = rng.randint(0x1F000, 0x1FAFF)  # symbols and emoji, incl. recent additions
        else:
            cp = rng.randint(0x0, 0x10FFFF)
        out.append(chr(cp))  # may be a lone surrogate: that is part of the test
    return "".join(out)


PLAN = [
    ("english", english, 300), ("accented", accented, 200), ("cjk", cjk, 200), ("emoji", emoji, 150),
    ("punctuation", punctuation, 150), ("numbers", number, 150), ("control", control, 150),
    ("whitespace", whitespace, 80), ("special_tokens", special, 80), ("scripts", scripts, 200), ("code_url", code, 100),
    ("long", long_text, 120), ("composite", composite, 170), ("random_codepoints", random_codepoints, 250),
]

FIXED = ["", " ", "A man is playing a guitar.", "[CLS] [SEP]", "hello[MASK]world", "\u0130stanbul", "ΟΔΟΣ ΣΟΦΟΣ",
         "\ud800", "a\ud83d", "\udc00b", "\x00\x00\x00", "e\u0301", "\uac00\u11a8", "\U0001d165\U0001d16d",
         "x" * 100, "x" * 101, "\u00e9" * 100, "\u00e9" * 101, "\U0001F600" * 101]


def main(path):
    rows = [("fixed", t) for t in FIXED]
    for category, gen, count in PLAN:
        for _ in range(count):
            rows.append((category, gen()))
    with open(path, "w", encoding="ascii") as out:
        for i, (category, text) in enumerate(rows):
            out.write(json.dumps({"id": i, "category": category, "text": text}, ensure_ascii=True) + "\n")
    print(f"wrote {len(rows)} strings to {path}")


if __name__ == "__main__":
    main(sys.argv[1])
