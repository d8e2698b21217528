package dev.bindspace.lucene.internal;

import java.io.IOException;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;

/**
 * A heap copy of what a float32 graph walk reads in one segment: the vectors (in graph-ordinal
 * order) and the neighbour lists of every level, so that a walk needs nothing from Lucene's files.
 *
 * <p>Layout: vectors in chunks of {@code 2^chunkShift} rows of {@code dim} floats (one array per
 * chunk keeps every array under the JVM's 2^31 element limit); level 0 as one {@code int[]} with a
 * fixed stride of {@code maxDegree + 1}: {@code [count, n_1 .. n_count, unused...]} per ordinal;
 * each upper level {@code L} as the ascending ordinals on it ({@code upperNodes[L]}) and a table of
 * rows of stride {@code maxDegree / 2 + 1} in that order ({@code upperAdj[L]}).
 *
 * <p>Immutable once built; shared by every search of the segment. Internal API.
 */
final class HeapSegment {
  /** Rows per vector chunk: 2^chunkShift, about 64 MB of floats per chunk. */
  private final int chunkShift;
  private final int chunkMask;
  private final float[][] chunks;
  final int dim;
  final int size;
  final int stride;
  final int[] level0;
  /** Every document of the segment has a vector: ordinal = document number. */
  final boolean dense;
  final int entryNode;
  final int upperStride;
  /** Per level (index 0 unused): ascending ordinals on the level, and their neighbour rows. */
  final int[][] upperNodes;
  final int[][] upperAdj;

  private HeapSegment(int chunkShift, float[][] chunks, int dim, int size, int stride, int[] level0, boolean dense,
      int entryNode, int upperStride, int[][] upperNodes, int[][] upperAdj) {
    this.dense = dense;
    this.entryNode = entryNode;
    this.upperStride = upperStride;
    this.upperNodes = upperNodes;
    this.upperAdj = upperAdj;
    this.chunkShift = chunkShift;
    this.chunkMask = (1 << chunkShift) - 1;
    this.chunks = chunks;
    this.dim = dim;
    this.size = size;
    this.stride = stride;
    this.level0 = level0;
  }

  /** The chunk that holds ordinal {@code ord}'s vector. */
  float[] chunk(int ord) {
    return chunks[ord >>> chunkShift];
  }

  /** Offset of ordinal {@code ord}'s vector in {@link #chunk}. */
  int offset(int ord) {
    return (ord & chunkMask) * dim;
  }

  /** Number of graph levels (1 = level 0 only). */
  int numLevels() {
    return upperNodes.length;
  }

  /** Offset of {@code ord}'s row in {@code upperAdj[level]}; {@code ord} must be on the level. */
  int upperRow(int level, int ord) {
    int i = java.util.Arrays.binarySearch(upperNodes[level], ord);
    if (i < 0) {
      throw new IllegalStateException("node " + ord + " is not on level " + level);
    }
    return i * upperStride;
  }

  /** Heap bytes held (arrays' contents). */
  long bytes() {
    long b = (long) size * dim * Float.BYTES + (long) level0.length * Integer.BYTES;
    for (int l = 1; l < upperNodes.length; l++) {
      b += (long) (upperNodes[l].length + upperAdj[l].length) * Integer.BYTES;
    }
    return b;
  }

  /**
   * Copies a segment's vectors and level-0 graph.
   *
   * @param graph a private instance (its cursor is used)
   * @param vectors a private copy (its buffer is reused)
   * @param maxDegree the largest level-0 degree the graph may hold (Lucene: 2 x maxConn)
   * @param maxDoc the segment's document count: equal to the vector count means ordinals are document numbers
   * @return the copy, or null when the segment does not fit the layout: more than
   *     {@code 2^31 / (maxDegree + 1)} nodes, or a node with more than {@code maxDegree} neighbours
   *     on level 0 or {@code maxDegree / 2} on an upper level
   */
  static HeapSegment load(HnswGraph graph, RandomAccessVectorValues.Floats vectors, int maxDegree, int maxDoc)
      throws IOException {
    int size = vectors.size();
    int dim = vectors.dimension();
    int stride = maxDegree + 1;
    if ((long) size * stride > Integer.MAX_VALUE - 8) {
      return null;
    }
    int shift = Math.max(0, 31 - Integer.numberOfLeadingZeros(Math.max(1, (1 << 24) / dim)));
    int rowsPerChunk = 1 << shift;
    float[][] chunks = new float[(size + rowsPerChunk - 1) >>> shift][];
    for (int c = 0; c < chunks.length; c++) {
      int rows = Math.min(rowsPerChunk, size - (c << shift));
      float[] chunk = new float[rows * dim];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(vectors.vectorValue((c << shift) + r), 0, chunk, r * dim, dim);
      }
      chunks[c] = chunk;
    }
    int[] level0 = new int[size * stride];
    for (int ord = 0; ord < size; ord++) {
      graph.seek(0, ord);
      int base = ord * stride;
      int k = 0;
      for (int nb = graph.nextNeighbor(); nb != DocIdSetIterator.NO_MORE_DOCS; nb = graph.nextNeighbor()) {
        if (k == maxDegree) {
          return null;
        }
        level0[base + 1 + k++] = nb;
      }
      level0[base] = k;
    }
    int levels = graph.numLevels();
    int upperStride = maxDegree / 2 + 1;
    int[][] upperNodes = new int[levels][];
    int[][] upperAdj = new int[levels][];
    upperNodes[0] = new int[0];
    upperAdj[0] = new int[0];
    for (int level = 1; level < levels; level++) {
      HnswGraph.NodesIterator it = graph.getNodesOnLevel(level);
      int[] nodes = new int[it.size()];
      for (int i = 0; i < nodes.length; i++) {
        nodes[i] = it.nextInt();
      }
      java.util.Arrays.sort(nodes);
      int[] adj = new int[nodes.length * upperStride];
      for (int i = 0; i < nodes.length; i++) {
        graph.seek(level, nodes[i]);
        int base = i * upperStride;
        int k = 0;
        for (int nb = graph.nextNeighbor(); nb != DocIdSetIterator.NO_MORE_DOCS; nb = graph.nextNeighbor()) {
          if (k == upperStride - 1) {
            return null;
          }
          adj[base + 1 + k++] = nb;
        }
        adj[base] = k;
      }
      upperNodes[level] = nodes;
      upperAdj[level] = adj;
    }
    return new HeapSegment(shift, chunks, dim, size, stride, level0, size == maxDoc, graph.entryNode(), upperStride,
        upperNodes, upperAdj);
  }
}
