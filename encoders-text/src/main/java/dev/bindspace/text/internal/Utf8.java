package dev.bindspace.text.internal;

/**
 * Strict UTF-8 decoding with Python's rules (no overlong forms, no surrogates, nothing above
 * U+10FFFF), optionally extended like ftfy's {@code utf-8-variants} codec: a CESU-8 surrogate pair
 * (six bytes {@code ED A0..AF 80..BF ED B0..BF 80..BF}) decodes to its supplementary character and
 * Java's modified-UTF-8 NUL ({@code C0 80}) to U+0000.
 */
final class Utf8 {
  private Utf8() {}

  /** The decoded text, or {@code null} if {@code b} is not valid (variant) UTF-8. */
  static String decodeStrict(byte[] b, boolean variants) {
    StringBuilder out = new StringBuilder(b.length);
    int i = 0;
    int n = b.length;
    while (i < n) {
      int c0 = b[i] & 0xFF;
      if (c0 < 0x80) {
        out.append((char) c0);
        i++;
        continue;
      }
      if (variants) {
        if (c0 == 0xC0 && i + 1 < n && (b[i + 1] & 0xFF) == 0x80) {
          out.append('\u0000');
          i += 2;
          continue;
        }
        if (c0 == 0xED && i + 5 < n
            && between(b[i + 1], 0xA0, 0xAF) && between(b[i + 2], 0x80, 0xBF)
            && (b[i + 3] & 0xFF) == 0xED
            && between(b[i + 4], 0xB0, 0xBF) && between(b[i + 5], 0x80, 0xBF)) {
          int cp = (((b[i + 1] & 0x0F) << 16) | ((b[i + 2] & 0x3F) << 10)
              | ((b[i + 4] & 0x0F) << 6) | (b[i + 5] & 0x3F)) + 0x10000;
          out.appendCodePoint(cp);
          i += 6;
          continue;
        }
      }
      int need;
      int cp;
      int lo = 0x80;
      int hi = 0xBF;
      if (c0 >= 0xC2 && c0 <= 0xDF) {
        need = 1;
        cp = c0 & 0x1F;
      } else if (c0 >= 0xE0 && c0 <= 0xEF) {
        need = 2;
        cp = c0 & 0x0F;
        if (c0 == 0xE0) {
          lo = 0xA0;
        } else if (c0 == 0xED) {
          hi = 0x9F;
        }
      } else if (c0 >= 0xF0 && c0 <= 0xF4) {
        need = 3;
        cp = c0 & 0x07;
        if (c0 == 0xF0) {
          lo = 0x90;
        } else if (c0 == 0xF4) {
          hi = 0x8F;
        }
      } else {
        return null;
      }
      if (i + need >= n) {
        return null; // truncated sequence
      }
      if (!between(b[i + 1], lo, hi)) {
        return null;
      }
      cp = (cp << 6) | (b[i + 1] & 0x3F);
      for (int k = 2; k <= need; k++) {
        if (!between(b[i + k], 0x80, 0xBF)) {
          return null;
        }
        cp = (cp << 6) | (b[i + k] & 0x3F);
      }
      out.appendCodePoint(cp);
      i += need + 1;
    }
    return out.toString();
  }

  private static boolean between(byte v, int lo, int hi) {
    int u = v & 0xFF;
    return u >= lo && u <= hi;
  }
}
