package dev.bindspace.text.internal;

import java.util.Arrays;
import java.util.BitSet;

/**
 * An immutable set of code points: a bit set for the BMP (8 KB, one lookup) and sorted ranges for
 * the supplementary planes (binary search). Read from the "a-b c d-e" hex range lists of the
 * generated tables.
 */
final class CodePointSet {
  private final BitSet bmp = new BitSet(0x10000);
  private final int[] starts;
  private final int[] ends;

  CodePointSet(String hexRanges) {
    String[] parts = hexRanges.isBlank() ? new String[0] : hexRanges.trim().split(" ");
    int[] s = new int[parts.length];
    int[] e = new int[parts.length];
    int n = 0;
    for (String p : parts) {
      int dash = p.indexOf('-');
      int a = Integer.parseInt(dash < 0 ? p : p.substring(0, dash), 16);
      int b = dash < 0 ? a : Integer.parseInt(p.substring(dash + 1), 16);
      if (a > b || b > Character.MAX_CODE_POINT) {
        throw new IllegalArgumentException("bad code point range " + p);
      }
      if (a < 0x10000) {
        bmp.set(a, Math.min(b, 0xFFFF) + 1);
      }
      if (b >= 0x10000) {
        s[n] = Math.max(a, 0x10000);
        e[n++] = b;
      }
    }
    starts = Arrays.copyOf(s, n);
    ends = Arrays.copyOf(e, n);
  }

  boolean contains(int cp) {
    if (cp < 0x10000) {
      return bmp.get(cp);
    }
    int i = Arrays.binarySearch(starts, cp);
    if (i >= 0) {
      return true;
    }
    i = -i - 2; // the range starting before cp
    return i >= 0 && cp <= ends[i];
  }
}
