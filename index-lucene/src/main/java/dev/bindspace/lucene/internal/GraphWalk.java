package dev.bindspace.lucene.internal;

import dev.bindspace.internal.VectorKernels;
import java.io.IOException;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;

/**
 * A best-first HNSW search over one segment's graph (read through Lucene's {@link HnswGraph}) for
 * float32 unit vectors and dot products: greedy descent through the upper levels, then a beam of
 * {@code beam} results on level 0, where only accepted nodes become results but every node is
 * expanded (filters apply inside the walk). Same algorithm and stopping rule as Lucene's
 * {@code HnswGraphSearcher}; what differs is the bookkeeping, which dominated the profile of
 * Lucene's walk on Java 17: the visited set is a per-thread array of search stamps (no clearing,
 * no allocation per search), the queues are float/int heaps (no packing into longs), and scores
 * are raw dot products from the SIMD kernel.
 *
 * <p>Not thread-safe; one per search. Internal API.
 */
final class GraphWalk {
  private static final VectorKernels KERNELS = VectorKernels.get();
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Per-thread visited marks: {@code visited[node] == stamp} means seen under that stamp. */
  private static final class Scratch {
    int[] visited = new int[0];
    int stamp;
  }

  private final HnswGraph graph;
  private final RandomAccessVectorValues.Floats vectors;
  private final HeapSegment heap; // null: level 0 is read through Lucene
  private final float[] query;
  private final Scratch scratch;
  private final int[] visited; // visited[node] == stamp: seen on the current level(s)
  private int stamp;
  private long visitedCount;
  private final long visitLimit;

  private int[] upperScratch = new int[32];
  private int upperCount;

  // candidates: max-heap on score
  private float[] candScore = new float[64];
  private int[] candNode = new int[64];
  private int candSize;
  // results: min-heap on score, at most beam entries
  private final float[] resScore;
  private final int[] resNode;
  private int resSize;

  /**
   * @param visitLimit the walk gives up (and {@link #search} returns false) after scoring this many nodes
   */
  GraphWalk(HnswGraph graph, RandomAccessVectorValues.Floats vectors, float[] query, int beam, long visitLimit) {
    this(graph, vectors, null, query, beam, visitLimit);
  }

  /**
   * @param heap the segment's heap copy, read instead of Lucene's files (then {@code graph} and
   *     {@code vectors} may be null); or null
   */
  GraphWalk(HnswGraph graph, RandomAccessVectorValues.Floats vectors, HeapSegment heap, float[] query, int beam,
      long visitLimit) {
    this.graph = graph;
    this.vectors = vectors;
    this.heap = heap;
    this.query = query;
    this.visitLimit = visitLimit;
    this.resScore = new float[beam];
    this.resNode = new int[beam];
    int size = heap != null ? heap.size : graph.maxNodeId() + 1;
    Scratch sc = SCRATCH.get();
    if (sc.visited.length < size) {
      sc.visited = new int[size];
      sc.stamp = 0;
    }
    this.scratch = sc;
    this.visited = sc.visited;
    this.stamp = nextStamp();
  }

  /** A fresh stamp: nothing is visited under it yet. */
  private int nextStamp() {
    if (++scratch.stamp == Integer.MAX_VALUE) { // after 2^31 walks: start over
      java.util.Arrays.fill(visited, 0);
      scratch.stamp = 1;
    }
    return scratch.stamp;
  }

  private float score(int node) throws IOException {
    visitedCount++;
    if (heap != null) {
      return KERNELS.dot(query, heap.chunk(node), heap.offset(node), query.length);
    }
    return KERNELS.dot(query, vectors.vectorValue(node), 0, query.length);
  }

  /**
   * Runs the walk; returns false if it stopped at the visit limit (results incomplete).
   *
   * @param acceptOrds ordinals that may be results, or null for all
   */
  boolean search(Bits acceptOrds) throws IOException {
    int ep = heap != null ? heap.entryNode : graph.entryNode();
    if (ep < 0) {
      return true;
    }
    visited[ep] = stamp;
    float epScore = score(ep);
    int levels = heap != null ? heap.numLevels() : graph.numLevels();
    for (int level = levels - 1; level >= 1; level--) {
      boolean moved = true;
      while (moved) { // greedy: move to the best neighbour until none is better
        moved = false;
        int[] nbs;
        int from;
        int to;
        if (heap != null) { // upper levels are walked a few dozen nodes per search: no need to specialise
          nbs = heap.upperAdj[level];
          from = heap.upperRow(level, ep) + 1;
          to = from + nbs[from - 1];
        } else {
          nbs = upperNeighbours(level, ep);
          from = 0;
          to = upperCount;
        }
        for (int j = from; j < to; j++) {
          int nb = nbs[j];
          if (visited[nb] == stamp) {
            continue;
          }
          visited[nb] = stamp;
          if (visitedCount >= visitLimit) {
            return false;
          }
          float s = score(nb);
          if (s > epScore) {
            epScore = s;
            ep = nb;
            moved = true;
          }
        }
      }
    }
    // level 0 starts afresh: nodes seen only on upper levels may still be results here
    stamp = nextStamp();
    visited[ep] = stamp;
    pushCandidate(ep, epScore);
    if (acceptOrds == null || acceptOrds.get(ep)) {
      offerResult(ep, epScore);
    }
    return heap == null ? level0(acceptOrds) : level0Heap(acceptOrds);
  }

  /** Lucene's neighbours of {@code node} on an upper level, in a scratch array of {@link #upperCount}. */
  private int[] upperNeighbours(int level, int node) throws IOException {
    graph.seek(level, node);
    int k = 0;
    for (int nb = graph.nextNeighbor(); nb != DocIdSetIterator.NO_MORE_DOCS; nb = graph.nextNeighbor()) {
      if (k == upperScratch.length) {
        upperScratch = java.util.Arrays.copyOf(upperScratch, 2 * k);
      }
      upperScratch[k++] = nb;
    }
    upperCount = k;
    return upperScratch;
  }

  /** Level 0 through Lucene's graph and vector readers. */
  private boolean level0(Bits acceptOrds) throws IOException {
    float floor = resSize < resScore.length ? Float.NEGATIVE_INFINITY : resScore[0];
    while (candSize > 0) {
      if (candScore[0] < floor) {
        break; // the best unexpanded candidate cannot improve the results
      }
      int node = popCandidate();
      graph.seek(0, node);
      for (int nb = graph.nextNeighbor(); nb != DocIdSetIterator.NO_MORE_DOCS; nb = graph.nextNeighbor()) {
        if (visited[nb] == stamp) {
          continue;
        }
        visited[nb] = stamp;
        if (visitedCount >= visitLimit) {
          return false;
        }
        float s = score(nb);
        if (s > floor) {
          pushCandidate(nb, s);
          if (acceptOrds == null || acceptOrds.get(nb)) {
            offerResult(nb, s);
            floor = resSize < resScore.length ? Float.NEGATIVE_INFINITY : resScore[0];
          }
        }
      }
    }
    return true;
  }

  /**
   * Level 0 from the heap copy: the same walk as {@link #level0}, written out again on purpose. A
   * single loop over a neighbour-list accessor shared by both residencies measured 8-10 % slower at
   * candidates 96 (400k x 384, 2026-11-28), and this loop is where a search spends its time.
   */
  private boolean level0Heap(Bits acceptOrds) {
    final int[] adj = heap.level0;
    final int stride = heap.stride;
    final int dim = query.length;
    float floor = resSize < resScore.length ? Float.NEGATIVE_INFINITY : resScore[0];
    while (candSize > 0) {
      if (candScore[0] < floor) {
        break;
      }
      int node = popCandidate();
      int base = node * stride;
      int end = base + 1 + adj[base];
      for (int j = base + 1; j < end; j++) {
        int nb = adj[j];
        if (visited[nb] == stamp) {
          continue;
        }
        visited[nb] = stamp;
        if (visitedCount >= visitLimit) {
          return false;
        }
        visitedCount++;
        float s = KERNELS.dot(query, heap.chunk(nb), heap.offset(nb), dim);
        if (s > floor) {
          pushCandidate(nb, s);
          if (acceptOrds == null || acceptOrds.get(nb)) {
            offerResult(nb, s);
            floor = resSize < resScore.length ? Float.NEGATIVE_INFINITY : resScore[0];
          }
        }
      }
    }
    return true;
  }

  /** Number of results. */
  int size() {
    return resSize;
  }

  /** Ordinal of result {@code i} (heap order, not sorted). */
  int node(int i) {
    return resNode[i];
  }

  /** Dot product of result {@code i}. */
  float dot(int i) {
    return resScore[i];
  }

  private void pushCandidate(int node, float s) {
    if (candSize == candScore.length) {
      candScore = java.util.Arrays.copyOf(candScore, candSize * 2);
      candNode = java.util.Arrays.copyOf(candNode, candSize * 2);
    }
    int i = candSize++;
    while (i > 0) { // sift up (max-heap)
      int p = (i - 1) >>> 1;
      if (candScore[p] >= s) {
        break;
      }
      candScore[i] = candScore[p];
      candNode[i] = candNode[p];
      i = p;
    }
    candScore[i] = s;
    candNode[i] = node;
  }

  private int popCandidate() {
    int top = candNode[0];
    int n = --candSize;
    float s = candScore[n];
    int node = candNode[n];
    int i = 0;
    while (true) { // sift down (max-heap)
      int c = 2 * i + 1;
      if (c >= n) {
        break;
      }
      if (c + 1 < n && candScore[c + 1] > candScore[c]) {
        c++;
      }
      if (candScore[c] <= s) {
        break;
      }
      candScore[i] = candScore[c];
      candNode[i] = candNode[c];
      i = c;
    }
    candScore[i] = s;
    candNode[i] = node;
    return top;
  }

  private void offerResult(int node, float s) {
    if (resSize < resScore.length) {
      int i = resSize++;
      while (i > 0) { // sift up (min-heap)
        int p = (i - 1) >>> 1;
        if (resScore[p] <= s) {
          break;
        }
        resScore[i] = resScore[p];
        resNode[i] = resNode[p];
        i = p;
      }
      resScore[i] = s;
      resNode[i] = node;
      return;
    }
    if (s <= resScore[0]) {
      return;
    }
    int n = resSize;
    int i = 0;
    while (true) { // replace the root, sift down (min-heap)
      int c = 2 * i + 1;
      if (c >= n) {
        break;
      }
      if (c + 1 < n && resScore[c + 1] < resScore[c]) {
        c++;
      }
      if (resScore[c] >= s) {
        break;
      }
      resScore[i] = resScore[c];
      resNode[i] = resNode[c];
      i = c;
    }
    resScore[i] = s;
    resNode[i] = node;
  }
}
