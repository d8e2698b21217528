package dev.bindspace.text.internal;

import java.util.Locale;

/**
 * The text side of ImageBind's {@code SimpleTokenizer}: the clean-up
 * {@code whitespace_clean(basic_clean(text)).lower()} and the pre-tokenizer pattern
 * {@code <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}
 * (the {@code regex} module, {@code IGNORECASE}), written out as a scanner.
 */
public final class ClipText {
  private ClipText() {}

  /**
   * {@code ftfy.fix_text}, {@code html.unescape} twice, strip, every whitespace run → one space, strip,
   * lower case.
   */
  public static String clean(String text) {
    if (isPlainAscii(text)) {
      // ftfy and html.unescape leave such text alone ('\r' → '\n' is whitespace either way)
      return asciiLower(PyText.strip(PyText.collapseWhitespace(PyText.strip(text))));
    }
    Ftfy ftfy = Ftfy.get();
    String t = ftfy.fixText(text);
    t = ftfy.htmlUnescape(ftfy.htmlUnescape(t));
    t = PyText.strip(PyText.collapseWhitespace(PyText.strip(t)));
    return t.toLowerCase(Locale.ROOT);
  }

  /** Printable ASCII plus tab, line feed, form feed and carriage return, without '&'. */
  private static boolean isPlainAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 ? (c > 0x7E || c == '&') : !(c == '\t' || c == '\n' || c == '\f' || c == '\r')) {
        return false;
      }
    }
    return true;
  }

  private static String asciiLower(String s) {
    char[] c = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch >= 'A' && ch <= 'Z') {
        if (c == null) {
          c = s.toCharArray();
        }
        c[i] = (char) (ch + 32);
      }
    }
    return c == null ? s : new String(c);
  }

  /**
   * Finds the next pre-token of {@code s} at or after {@code from}: stores its bounds in
   * {@code bounds[0..1]} and returns true, or returns false at the end of the text.
   */
  public static boolean next(String s, int from, int[] bounds) {
    int n = s.length();
    int i = from;
    while (i < n) {
      int c = s.codePointAt(i);
      int len = Character.charCount(c);
      if (PyText.isRegexSpace(c) || c == 0x345) {
        // U+0345 matches no alternative: it is not \p{L}, and IGNORECASE takes it out of the negated
        // class because it case-folds to a letter (ι). findall skips it.
        i += len;
        continue;
      }
      int end;
      if (c == '<' && (end = special(s, i)) > 0) {
        // <|startoftext|> or <|endoftext|>
      } else if (c == '\'' && (end = contraction(s, i)) > 0) {
        // 's 't 're 've 'm 'll 'd
      } else if (isLetter(c)) {
        end = i + len;
        while (end < n) {
          int d = s.codePointAt(end);
          if (!isLetter(d)) {
            break;
          }
          end += Character.charCount(d);
        }
      } else if (isNumber(c)) {
        end = i + len;
      } else {
        end = i + len;
        while (end < n) {
          int d = s.codePointAt(end);
          if (PyText.isRegexSpace(d) || isLetter(d) || isNumber(d) || d == 0x345) {
            break;
          }
          end += Character.charCount(d);
        }
      }
      bounds[0] = i;
      bounds[1] = end;
      return true;
    }
    return false;
  }

  private static final String SOT = "<|startoftext|>";
  private static final String EOT = "<|endoftext|>";

  private static int special(String s, int i) {
    if (matchesIgnoreCase(s, i, SOT)) {
      return i + SOT.length();
    }
    if (matchesIgnoreCase(s, i, EOT)) {
      return i + EOT.length();
    }
    return -1;
  }

  /** The contraction alternatives in pattern order; none is a prefix of an earlier one. */
  private static final String[] CONTRACTIONS = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"};

  private static int contraction(String s, int i) {
    for (String c : CONTRACTIONS) {
      if (matchesIgnoreCase(s, i, c)) {
        return i + c.length();
      }
    }
    return -1;
  }

  /**
   * Case-insensitive literal match with the {@code regex} module's simple case folding, restricted to
   * the ASCII letters of the pattern: each matches itself, its upper case, and for 's' also ſ
   * (U+017F LATIN SMALL LETTER LONG S).
   */
  private static boolean matchesIgnoreCase(String s, int i, String lit) {
    if (i + lit.length() > s.length()) {
      return false;
    }
    for (int k = 0; k < lit.length(); k++) {
      char p = lit.charAt(k);
      char c = s.charAt(i + k);
      if (c == p) {
        continue;
      }
      if (p >= 'a' && p <= 'z' && (c == p - 32 || (p == 's' && c == '\u017f'))) {
        continue;
      }
      return false;
    }
    return true;
  }

  static boolean isLetter(int c) {
    if (c < 0x80) {
      return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }
    return Character.isLetter(c);
  }

  static boolean isNumber(int c) {
    if (c < 0x80) {
      return c >= '0' && c <= '9';
    }
    int t = Character.getType(c);
    return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
  }
}
