package dev.bindspace.text.internal;

/**
 * An open-addressing {@code long → int} hash map for the BPE pair ranks: no boxing on the hot path.
 * Values must be {@code >= 0}; {@link #get} returns -1 for a missing key. Not thread-safe while
 * being filled; safe to read concurrently once published.
 */
final class LongIntMap {
  private static final long EMPTY = Long.MIN_VALUE;

  private final long[] keys;
  private final int[] values;
  private final int mask;

  LongIntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new int[cap];
    mask = cap - 1;
    java.util.Arrays.fill(keys, EMPTY);
  }

  void put(long key, int value) {
    if (key == EMPTY) {
      throw new IllegalArgumentException("reserved key");
    }
    int i = slot(key);
    while (keys[i] != EMPTY && keys[i] != key) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
  }

  int get(long key) {
    int i = slot(key);
    while (true) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == EMPTY) {
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: spreads both halves of the id pair
    return (int) (h >>> 40) & mask;
  }
}
