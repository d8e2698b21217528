package dev.bindspace.text.internal;

import java.util.ArrayList;
import java.util.List;

/** Python string semantics the CLIP clean-up relies on. */
final class PyText {
  private PyText() {}

  /** {@code str.isspace()}: Unicode White_Space plus U+001C..U+001F. */
  static boolean isPySpace(int c) {
    return isRegexSpace(c) || (c >= 0x1C && c <= 0x1F);
  }

  /**
   * {@code \s} of the {@code regex} module (ImageBind's {@code import regex as re}): Unicode
   * White_Space, without the information separators that {@code str.isspace()} adds.
   */
  static boolean isRegexSpace(int c) {
    if (c <= 0x20) {
      return c == 0x20 || (c >= 0x09 && c <= 0x0D);
    }
    if (c < 0x85) {
      return false;
    }
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
  }

  /** {@code str.strip()}. All the characters involved are in the BMP. */
  static String strip(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && isPySpace(s.charAt(a))) {
      a++;
    }
    while (b > a && isPySpace(s.charAt(b - 1))) {
      b--;
    }
    return a == 0 && b == s.length() ? s : s.substring(a, b);
  }

  /** {@code regex.sub(r"\s+", " ", s)}. */
  static String collapseWhitespace(String s) {
    StringBuilder sb = null;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!isRegexSpace(c)) {
        if (sb != null) {
          sb.append(c);
        }
        continue;
      }
      int j = i + 1;
      while (j < n && isRegexSpace(s.charAt(j))) {
        j++;
      }
      if (sb == null) {
        if (c == ' ' && j == i + 1) {
          continue; // a single plain space stays as it is
        }
        sb = new StringBuilder(n).append(s, 0, i);
      }
      sb.append(' ');
      i = j - 1;
    }
    return sb == null ? s : sb.toString();
  }

  /** {@code str.split()}: split on runs of whitespace, no empty parts. */
  static String[] split(String s) {
    List<String> parts = new ArrayList<>(2);
    int n = s.length();
    int i = 0;
    while (i < n) {
      while (i < n && isPySpace(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isPySpace(s.charAt(i))) {
        i++;
      }
      if (i > start) {
        parts.add(s.substring(start, i));
      }
    }
    return parts.toArray(new String[0]);
  }
}
