package dev.bindspace.text.internal;

import java.util.Map;
import java.util.Set;

/**
 * Python's {@code html.unescape} (CPython 3.11 {@code Lib/html/__init__.py} semantics), which
 * ImageBind applies twice after ftfy:
 * <ul>
 *   <li>numeric references {@code &#N;}, {@code &#xH;} with the semicolon optional; the HTML5 table of
 *       replacements for 0x00, 0x0D and 0x80..0x9F; U+FFFD for surrogates and values above U+10FFFF;
 *       nothing at all for the code points HTML5 forbids (most controls, noncharacters);
 *   <li>named references of at most 32 characters, also without a semicolon; when the whole name is
 *       unknown, the longest known prefix of at least two characters is decoded and the rest kept.
 * </ul>
 */
final class PyHtml {
  private final Map<String, String> html5;
  private final Map<Integer, String> invalidCharrefs;
  private final Set<Integer> invalidCodepoints;

  PyHtml(Map<String, String> html5, Map<Integer, String> invalidCharrefs, Set<Integer> invalidCodepoints) {
    this.html5 = html5;
    this.invalidCharrefs = invalidCharrefs;
    this.invalidCodepoints = invalidCodepoints;
  }

  String unescape(String s) {
    int amp = s.indexOf('&');
    if (amp < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int copied = 0;
    int i = amp;
    while (i >= 0) {
      int end = reference(s, i, out, copied);
      if (end < 0) { // no match at this '&': search on from the next character
        i = s.indexOf('&', i + 1);
        continue;
      }
      copied = end;
      i = s.indexOf('&', end);
    }
    out.append(s, copied, s.length());
    return out.toString();
  }

  /**
   * Tries to match {@code &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)} at {@code amp}. On a
   * match, appends the text before it and its replacement and returns the end offset; else -1.
   */
  private int reference(String s, int amp, StringBuilder out, int copied) {
    int n = s.length();
    int i = amp + 1;
    if (i >= n) {
      return -1;
    }
    if (s.charAt(i) == '#') {
      int j = i + 1;
      boolean hex = j < n && (s.charAt(j) == 'x' || s.charAt(j) == 'X');
      int digitsStart = hex ? j + 1 : j;
      int k = digitsStart;
      while (k < n && (hex ? isHexDigit(s.charAt(k)) : isAsciiDigit(s.charAt(k)))) {
        k++;
      }
      if (k == digitsStart) {
        return -1; // '#' cannot start a name either ([^...#;])
      }
      int end = k < n && s.charAt(k) == ';' ? k + 1 : k;
      out.append(s, copied, amp);
      out.append(numeric(s, digitsStart, k, hex ? 16 : 10));
      return end;
    }
    // named: 1..32 code points outside [\t\n\f <&#;], then an optional ';'
    int k = i;
    int count = 0;
    while (k < n && count < 32) {
      int cp = s.codePointAt(k);
      if (cp == '\t' || cp == '\n' || cp == '\f' || cp == ' ' || cp == '<' || cp == '&' || cp == '#' || cp == ';') {
        break;
      }
      k += Character.charCount(cp);
      count++;
    }
    if (count == 0) {
      return -1;
    }
    int end = k < n && s.charAt(k) == ';' ? k + 1 : k;
    String name = s.substring(i, end);
    out.append(s, copied, amp);
    String whole = html5.get(name);
    if (whole != null) {
      out.append(whole);
      return end;
    }
    // the longest prefix (at least 2 code points, shorter than the name) that is an entity
    int len = name.codePointCount(0, name.length());
    for (int x = len - 1; x > 1; x--) {
      int cut = name.offsetByCodePoints(0, x);
      String v = html5.get(name.substring(0, cut));
      if (v != null) {
        out.append(v).append(name, cut, name.length());
        return end;
      }
    }
    out.append('&').append(name);
    return end;
  }

  private String numeric(String s, int from, int to, int radix) {
    // Python's int() is unbounded; anything past U+10FFFF becomes U+FFFD, so saturate early.
    long num = 0;
    for (int i = from; i < to; i++) {
      num = num * radix + Character.digit(s.charAt(i), radix);
      if (num > 0x10FFFF) {
        num = 0x110000;
      }
    }
    String replacement = invalidCharrefs.get((int) num);
    if (replacement != null) {
      return replacement;
    }
    if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
      return "\uFFFD";
    }
    if (invalidCodepoints.contains((int) num)) {
      return "";
    }
    return new String(Character.toChars((int) num));
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
