package dev.bindspace.lucene.internal;

import java.util.Arrays;

/**
 * Collects scored candidates and keeps every one that can still be among the best {@code k}:
 * scores at or above the current k-th best score, ties included, so that ties at the cut can be
 * broken by id once ids are read (ids are read only for the few survivors, not for every scored
 * document). Candidates are documents ({@code leaf >= 0}) or overlay entries ({@code leaf == -1}).
 * Not thread-safe.
 *
 * <p>Internal API.
 */
final class TopHits {
  private final int k;
  private float[] heap; // min-heap of the k best scores so far, grown on demand
  private int heapSize;
  float[] scores = new float[16];
  int[] leaves = new int[16];
  int[] docs = new int[16];
  Overlay.Pending[] pending = new Overlay.Pending[16];
  int size;

  TopHits(int k) {
    this.k = k;
    this.heap = new float[Math.min(k, 1024)];
  }

  /** The lowest score that can still enter. */
  float threshold() {
    return heapSize < k ? Float.NEGATIVE_INFINITY : heap[0];
  }

  void offer(float score, int leaf, int doc, Overlay.Pending p) {
    if (heapSize < k) {
      push(score);
    } else if (score < heap[0]) {
      return;
    } else if (score > heap[0]) {
      heap[0] = score;
      siftDown();
    }
    if (size == scores.length) {
      compact();
      if (size == scores.length) {
        int cap = size * 2;
        scores = Arrays.copyOf(scores, cap);
        leaves = Arrays.copyOf(leaves, cap);
        docs = Arrays.copyOf(docs, cap);
        pending = Arrays.copyOf(pending, cap);
      }
    }
    scores[size] = score;
    leaves[size] = leaf;
    docs[size] = doc;
    pending[size] = p;
    size++;
  }

  /** Drops candidates that fell below the threshold. */
  void compact() {
    float t = threshold();
    int j = 0;
    for (int i = 0; i < size; i++) {
      if (scores[i] >= t) {
        scores[j] = scores[i];
        leaves[j] = leaves[i];
        docs[j] = docs[i];
        pending[j] = pending[i];
        j++;
      }
    }
    Arrays.fill(pending, j, size, null);
    size = j;
  }

  private void push(float s) {
    if (heapSize == heap.length) {
      heap = Arrays.copyOf(heap, (int) Math.min(k, 2L * heap.length));
    }
    int i = heapSize++;
    heap[i] = s;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] <= heap[i]) {
        break;
      }
      float t = heap[parent];
      heap[parent] = heap[i];
      heap[i] = t;
      i = parent;
    }
  }

  private void siftDown() {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      if (l >= heapSize) {
        return;
      }
      int c = l + 1 < heapSize && heap[l + 1] < heap[l] ? l + 1 : l;
      if (heap[i] <= heap[c]) {
        return;
      }
      float t = heap[c];
      heap[c] = heap[i];
      heap[i] = t;
      i = c;
    }
  }
}
