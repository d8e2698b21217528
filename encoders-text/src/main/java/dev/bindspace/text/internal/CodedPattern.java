package dev.bindspace.text.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Python {@code re} pattern whose character classes are large (ftfy's mojibake heuristics: classes
 * of hundreds of Latin, Greek, Cyrillic and symbol characters), compiled so that every class test is
 * one table lookup.
 *
 * <p>Why: {@link java.util.regex.Pattern} tests a class of characters above U+00FF by walking a chain
 * of predicates, one per member, so ftfy's badness pattern cost ~5 µs per character. Here every atom
 * of the pattern (class, literal character, {@code .}, {@code \s}, {@code \w}, {@code \d}) is collected
 * first; code points that no atom tells apart share one code, a character below U+0100 (78 codes
 * for the badness pattern); the text is mapped to codes, one per code point, and the pattern with
 * each atom rewritten as the class of its codes runs over that ({@link SearchDfa} when it has no
 * lookaround). Matching is unchanged because two code points with one code are in exactly the same
 * atoms.
 *
 * <p>Supported syntax: what ftfy's str patterns use — classes with ranges and negation, {@code .},
 * {@code \s \w \d \S \W \D}, {@code \xNN} and escaped metacharacters, groups (also {@code (?:}, {@code (?=},
 * {@code (?!}, {@code (?<=}, {@code (?<!}), alternation, {@code ? * + {m,n}}, {@code ^}; verbose layout.
 * Explicit characters must be in the BMP. Anything else is refused at construction.
 */
final class CodedPattern {
  /** One atom: explicit BMP members, property flags, negation. */
  private static final class Atom {
    final BitSet explicit = new BitSet();
    boolean space;
    boolean word;
    boolean digit;
    boolean notNewline; // '.'
    boolean negated;
  }

  private final Pattern pattern;
  /** The same pattern as an automaton, for {@link #find}; null if it has lookaround. */
  private final SearchDfa dfa;
  /** Code of every BMP code unit / code point. */
  private final char[] bmpCodes = new char[0x10000];
  /** Codes of supplementary code points, by (word, digit) class: they match no explicit member. */
  private final char[] supplementaryCodes = new char[4];
  private final int codeCount;

  CodedPattern(String python, boolean verbose) {
    List<Object> tokens = new ArrayList<>(); // String: pattern syntax; Integer: atom index
    List<Atom> atoms = new ArrayList<>();
    parse(python, verbose, tokens, atoms);

    // membership of every BMP code unit in every atom, one bit set per atom
    BitSet space = new BitSet(0x10000);
    BitSet word = new BitSet(0x10000);
    BitSet digit = new BitSet(0x10000);
    for (int cp = 0; cp < 0x10000; cp++) {
      space.set(cp, PyText.isPySpace(cp));
      word.set(cp, isPyWord(cp));
      digit.set(cp, Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER);
    }
    int words = (atoms.size() + 63) >>> 6;
    long[][] sigs = new long[0x10000][words];
    for (int k = 0; k < atoms.size(); k++) {
      Atom a = atoms.get(k);
      BitSet m = (BitSet) a.explicit.clone();
      if (a.space) {
        m.or(space);
      }
      if (a.word) {
        m.or(word);
      }
      if (a.digit) {
        m.or(digit);
      }
      if (a.notNewline) {
        m.set(0, 0x10000);
        m.clear('\n');
      }
      if (a.negated) {
        m.flip(0, 0x10000);
      }
      for (int cp = m.nextSetBit(0); cp >= 0 && cp < 0x10000; cp = m.nextSetBit(cp + 1)) {
        sigs[cp][k >>> 6] |= 1L << k;
      }
    }
    Map<BitSet, Character> codes = new HashMap<>();
    for (int cp = 0; cp < 0x10000; cp++) {
      bmpCodes[cp] = codeOf(BitSet.valueOf(sigs[cp]), codes);
    }
    for (int w = 0; w < 2; w++) {
      for (int d = 0; d < 2; d++) {
        BitSet sig = new BitSet(atoms.size());
        for (int k = 0; k < atoms.size(); k++) {
          Atom a = atoms.get(k);
          boolean in = (a.word && w == 1) || (a.digit && d == 1) || a.notNewline;
          if (in != a.negated) {
            sig.set(k);
          }
        }
        supplementaryCodes[w * 2 + d] = codeOf(sig, codes);
      }
    }
    codeCount = codes.size();

    // every atom becomes the class of the codes whose signature contains it
    List<StringBuilder> classes = new ArrayList<>();
    List<BitSet> atomCodes = new ArrayList<>();
    for (int k = 0; k < atoms.size(); k++) {
      classes.add(new StringBuilder());
      atomCodes.add(new BitSet());
    }
    for (Map.Entry<BitSet, Character> e : codes.entrySet()) {
      BitSet sig = e.getKey();
      for (int k = sig.nextSetBit(0); k >= 0; k = sig.nextSetBit(k + 1)) {
        classes.get(k).append(String.format("\\x{%x}", (int) e.getValue()));
        atomCodes.get(k).set(e.getValue());
      }
    }
    StringBuilder java = new StringBuilder();
    for (Object t : tokens) {
      if (t instanceof Integer) {
        StringBuilder cls = classes.get((Integer) t);
        java.append(cls.length() == 0 ? "(?!)" : "[" + cls + "]");
      } else {
        java.append((String) t);
      }
    }
    pattern = Pattern.compile(java.toString());
    dfa = SearchDfa.build(tokens, atomCodes, codeCount);
  }

  private static char codeOf(BitSet sig, Map<BitSet, Character> codes) {
    Character c = codes.get(sig);
    if (c == null) {
      c = (char) (codes.size() + 1); // codes start at U+0001
      codes.put(sig, c);
    }
    return c;
  }

  /** Number of distinct codes (below 255 keeps every class a bitmap). */
  int codeCount() {
    return codeCount;
  }

  /** Whether {@link #find} runs on an automaton (one table lookup per character). */
  boolean hasAutomaton() {
    return dfa != null;
  }

  /** States of the automaton, 0 without one. */
  int automatonStates() {
    return dfa == null ? 0 : dfa.states();
  }

  /** {@code re.search(pattern, text) is not None}. */
  boolean find(String text) {
    char[] codes = new char[text.length()];
    int n = encode(text, codes, null);
    return dfa != null ? dfa.find(codes, n) : pattern.matcher(java.nio.CharBuffer.wrap(codes, 0, n)).find();
  }

  /** The {@code [start, end)} char offsets in {@code text} of every non-overlapping match, in order. */
  List<int[]> findAll(String text) {
    int[] offsets = new int[text.length() + 1];
    char[] codes = new char[text.length()];
    int n = encode(text, codes, offsets);
    Matcher m = pattern.matcher(java.nio.CharBuffer.wrap(codes, 0, n));
    List<int[]> out = new ArrayList<>();
    while (m.find()) {
      out.add(new int[] {offsets[m.start()], offsets[m.end()]});
    }
    return out;
  }

  /**
   * One code per code point into {@code out}; {@code offsets[i]} receives the char offset of code
   * {@code i}. Returns the number of codes.
   */
  private int encode(String text, char[] out, int[] offsets) {
    int n = 0;
    for (int i = 0; i < text.length(); ) {
      char c = text.charAt(i);
      if (offsets != null) {
        offsets[n] = i;
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(i + 1));
        int t = Character.getType(cp);
        boolean word = Character.isLetter(cp) || t == Character.DECIMAL_DIGIT_NUMBER
            || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
        boolean digit = t == Character.DECIMAL_DIGIT_NUMBER;
        out[n++] = supplementaryCodes[(word ? 2 : 0) + (digit ? 1 : 0)];
        i += 2;
      } else {
        out[n++] = bmpCodes[c];
        i++;
      }
    }
    if (offsets != null) {
      offsets[n] = text.length();
    }
    return n;
  }

  static boolean isPyWord(int cp) {
    if (cp == '_' || Character.isLetter(cp)) {
      return true;
    }
    int t = Character.getType(cp);
    return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
  }

  // ---- parsing ---------------------------------------------------------------------------------

  private static void parse(String p, boolean verbose, List<Object> tokens, List<Atom> atoms) {
    int i = 0;
    int n = p.length();
    while (i < n) {
      char c = p.charAt(i);
      if (verbose && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b')) {
        i++;
      } else if (verbose && c == '#') {
        while (i < n && p.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '[') {
        Atom a = new Atom();
        i = parseClass(p, i + 1, a);
        tokens.add(add(atoms, a));
      } else if (c == '\\') {
        Atom a = new Atom();
        i = escape(p, i, a, false);
        tokens.add(add(atoms, a));
      } else if (c == '.') {
        Atom a = new Atom();
        a.notNewline = true;
        tokens.add(add(atoms, a));
        i++;
      } else if (c == '(') {
        int end = i + 1;
        if (end < n && p.charAt(end) == '?') {
          String[] heads = {"?:", "?=", "?!", "?<=", "?<!"};
          String head = null;
          for (String h : heads) {
            if (p.startsWith(h, end)) {
              head = h;
            }
          }
          if (head == null) {
            throw new IllegalArgumentException("unsupported group at " + i + " in " + p);
          }
          end += head.length();
        }
        tokens.add(p.substring(i, end));
        i = end;
      } else if (c == '{') {
        int close = p.indexOf('}', i);
        String q = close < 0 ? "" : p.substring(i + 1, close);
        if (!q.matches("\\d+(,\\d*)?")) {
          throw new IllegalArgumentException("unsupported '{' at " + i + " in " + p);
        }
        tokens.add(p.substring(i, close + 1));
        i = close + 1;
      } else if (c == ')' || c == '|' || c == '?' || c == '*' || c == '+' || c == '^') {
        tokens.add(String.valueOf(c));
        i++;
      } else if (c == '$') {
        throw new IllegalArgumentException("'$' is not supported: " + p);
      } else {
        int cp = p.codePointAt(i);
        Atom a = new Atom();
        explicit(a, cp, cp);
        tokens.add(add(atoms, a));
        i += Character.charCount(cp);
      }
    }
  }

  private static Integer add(List<Atom> atoms, Atom a) {
    atoms.add(a);
    return atoms.size() - 1;
  }

  /** Parses a class body starting after '['; returns the index after the closing ']'. */
  private static int parseClass(String p, int i, Atom a) {
    int n = p.length();
    if (i < n && p.charAt(i) == '^') {
      a.negated = true;
      i++;
    }
    boolean first = true;
    while (true) {
      if (i >= n) {
        throw new IllegalArgumentException("unterminated class in " + p);
      }
      char c = p.charAt(i);
      if (c == ']' && !first) {
        return i + 1;
      }
      first = false;
      int lo;
      if (c == '\\') {
        Atom single = new Atom();
        int next = escape(p, i, single, true);
        if (single.space || single.word || single.digit || single.negated) {
          a.space |= single.space;
          a.word |= single.word;
          a.digit |= single.digit;
          if (single.negated) {
            throw new IllegalArgumentException("negated escapes inside a class are not supported: " + p);
          }
          i = next;
          continue;
        }
        lo = single.explicit.nextSetBit(0);
        i = next;
      } else {
        lo = p.codePointAt(i);
        i += Character.charCount(lo);
      }
      if (i + 1 < n && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
        int hi;
        if (p.charAt(i + 1) == '\\') {
          Atom single = new Atom();
          i = escape(p, i + 1, single, true);
          hi = single.explicit.nextSetBit(0);
          if (hi < 0) {
            throw new IllegalArgumentException("bad range end in " + p);
          }
        } else {
          hi = p.codePointAt(i + 1);
          i += 1 + Character.charCount(hi);
        }
        explicit(a, lo, hi);
      } else {
        explicit(a, lo, lo);
      }
    }
  }

  private static int escape(String p, int i, Atom a, boolean inClass) {
    if (i + 1 >= p.length()) {
      throw new IllegalArgumentException("trailing backslash in " + p);
    }
    char e = p.charAt(i + 1);
    switch (e) {
      case 's': a.space = true; return i + 2;
      case 'w': a.word = true; return i + 2;
      case 'd': a.digit = true; return i + 2;
      case 'S': a.space = true; a.negated = true; return i + 2;
      case 'W': a.word = true; a.negated = true; return i + 2;
      case 'D': a.digit = true; a.negated = true; return i + 2;
      case 'x':
        int v = Integer.parseInt(p.substring(i + 2, i + 4), 16);
        explicit(a, v, v);
        return i + 4;
      case 'n': explicit(a, '\n', '\n'); return i + 2;
      case 't': explicit(a, '\t', '\t'); return i + 2;
      case 'r': explicit(a, '\r', '\r'); return i + 2;
      case 'f': explicit(a, '\f', '\f'); return i + 2;
      case 'v': explicit(a, 0x0B, 0x0B); return i + 2;
      default:
        if (Character.isLetterOrDigit(e)) {
          throw new IllegalArgumentException("unsupported escape \\" + e + " in " + p);
        }
        explicit(a, e, e); // an escaped metacharacter
        return i + 2;
    }
  }

  private static void explicit(Atom a, int lo, int hi) {
    if (hi >= 0x10000 || lo > hi) {
      throw new IllegalArgumentException("explicit characters must be BMP, got U+" + Integer.toHexString(hi));
    }
    a.explicit.set(lo, hi + 1);
  }
}
