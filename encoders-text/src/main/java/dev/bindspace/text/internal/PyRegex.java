package dev.bindspace.text.internal;

import java.util.regex.Pattern;

/**
 * Compiles a Python {@code re} pattern (str patterns, as exported by {@code tools/text/ftfy_tables.py})
 * into an equivalent {@link Pattern}.
 *
 * <p>Only what the exported patterns use is translated: verbose-mode layout (whitespace and
 * {@code #} comments outside character classes), Python's Unicode meanings of {@code \s}, {@code \w}
 * and {@code \d}, and characters that are literal inside a Python class but special inside a Java one
 * ({@code [} and {@code &}). Java's dot is limited to {@code \n} as line terminator, like Python's.
 */
public final class PyRegex {
  /**
   * Python's {@code \s} for str patterns: {@code str.isspace()}, i.e. Unicode White_Space plus the
   * information separators U+001C..U+001F.
   */
  static final String SPACE_RANGES =
      "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  /** Python's {@code \w} for str patterns: alphanumeric ({@code str.isalnum()}) or underscore. */
  static final String WORD_RANGES = "\\p{L}\\p{N}_";
  /** Python's {@code \d} for str patterns: Unicode decimal digits. */
  static final String DIGIT_RANGES = "\\p{Nd}";

  private PyRegex() {}

  /** Compiles {@code python}; {@code verbose} when the Python pattern had {@code re.VERBOSE}. */
  public static Pattern compile(String python, boolean verbose) {
    return Pattern.compile(translate(python, verbose), Pattern.UNIX_LINES);
  }

  static String translate(String p, boolean verbose) {
    StringBuilder out = new StringBuilder(p.length() + 64);
    boolean inClass = false;
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (!inClass) {
        if (verbose && isVerboseSpace(c)) {
          i++;
          continue;
        }
        if (verbose && c == '#') {
          while (i < p.length() && p.charAt(i) != '\n') {
            i++;
          }
          continue;
        }
        if (c == '\\') {
          i = escape(p, i, out, false);
          continue;
        }
        out.append(c);
        i++;
        if (c == '[') {
          inClass = true;
          if (i < p.length() && p.charAt(i) == '^') {
            out.append('^');
            i++;
          }
          if (i < p.length() && p.charAt(i) == ']') { // a leading ']' is literal in Python
            out.append("\\]");
            i++;
          }
        }
        continue;
      }
      // inside a character class: whitespace is literal even in verbose mode
      if (c == ']') {
        inClass = false;
        out.append(c);
        i++;
      } else if (c == '\\') {
        i = escape(p, i, out, true);
      } else if (c == '[' || c == '&') {
        out.append('\\').append(c);
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
    if (inClass) {
      throw new IllegalArgumentException("unterminated character class in " + p);
    }
    return out.toString();
  }

  private static int escape(String p, int i, StringBuilder out, boolean inClass) {
    if (i + 1 >= p.length()) {
      throw new IllegalArgumentException("trailing backslash in " + p);
    }
    char e = p.charAt(i + 1);
    switch (e) {
      case 's':
        out.append(inClass ? SPACE_RANGES : "[" + SPACE_RANGES + "]");
        break;
      case 'S':
        if (inClass) {
          throw new IllegalArgumentException("\\S inside a class is not supported: " + p);
        }
        out.append("[^").append(SPACE_RANGES).append(']');
        break;
      case 'w':
        out.append(inClass ? WORD_RANGES : "[" + WORD_RANGES + "]");
        break;
      case 'W':
        if (inClass) {
          throw new IllegalArgumentException("\\W inside a class is not supported: " + p);
        }
        out.append("[^").append(WORD_RANGES).append(']');
        break;
      case 'd':
        out.append(DIGIT_RANGES);
        break;
      case 'D':
        if (inClass) {
          throw new IllegalArgumentException("\\D inside a class is not supported: " + p);
        }
        out.append("\\P{Nd}");
        break;
      default:
        out.append('\\').append(e);
    }
    return i + 2;
  }

  private static boolean isVerboseSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b';
  }
}
