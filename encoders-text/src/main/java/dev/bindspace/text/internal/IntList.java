package dev.bindspace.text.internal;

import java.util.Arrays;

/** A growable {@code int} array, to collect token ids without boxing. Not thread-safe. */
public final class IntList {
  private int[] a;
  private int size;

  public IntList(int capacity) {
    a = new int[Math.max(4, capacity)];
  }

  public void add(int v) {
    if (size == a.length) {
      a = Arrays.copyOf(a, a.length * 2);
    }
    a[size++] = v;
  }

  public void addAll(int[] v) {
    addAll(v, 0, v.length);
  }

  public void addAll(int[] v, int from, int to) {
    int n = to - from;
    if (size + n > a.length) {
      a = Arrays.copyOf(a, Math.max(a.length * 2, size + n));
    }
    System.arraycopy(v, from, a, size, n);
    size += n;
  }

  public int get(int i) {
    return a[i];
  }

  public int size() {
    return size;
  }

  public void clear() {
    size = 0;
  }

  /** A copy of elements {@code [from, to)}. */
  public int[] toArray(int from, int to) {
    return Arrays.copyOfRange(a, from, to);
  }

  public int[] toArray() {
    return Arrays.copyOf(a, size);
  }
}
