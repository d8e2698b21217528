package dev.bindspace.lucene.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.util.IOSupplier;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;

/**
 * The {@link HeapSegment}s of one index, one per segment core, loaded by the first graph search
 * that reaches the segment and dropped when Lucene closes the core (after a merge replaced the
 * segment and the last reader that saw it is released). Concurrent searches of a segment that is
 * still loading wait for that one load instead of starting their own.
 *
 * <p>Thread-safe. Internal API.
 */
public final class HeapSegments {
  private final int maxDegree;
  private final ConcurrentHashMap<IndexReader.CacheKey, CompletableFuture<HeapSegment>> loaded =
      new ConcurrentHashMap<>();

  /** @param maxConn the index's graph parameter; level 0 holds at most twice as many neighbours */
  public HeapSegments(int maxConn) {
    this.maxDegree = 2 * maxConn;
  }

  /**
   * The heap copy of {@code leaf}'s vectors and level-0 graph, loading it on first use; null when
   * the segment cannot be copied (no core cache key, or a graph outside the fixed-stride layout),
   * in which case the caller reads Lucene's files as without this cache.
   *
   * @param graph supplies a private graph instance of the leaf, or null when it has none (called on
   *     load only)
   * @param values supplies the leaf's vectors (called on load only)
   */
  HeapSegment get(LeafReader leaf, IOSupplier<HnswGraph> graph, IOSupplier<RandomAccessVectorValues.Floats> values)
      throws IOException {
    IndexReader.CacheHelper helper = leaf.getCoreCacheHelper();
    if (helper == null) {
      return null;
    }
    IndexReader.CacheKey key = helper.getKey();
    CompletableFuture<HeapSegment> f = loaded.get(key);
    if (f == null) {
      CompletableFuture<HeapSegment> mine = new CompletableFuture<>();
      f = loaded.putIfAbsent(key, mine);
      if (f == null) {
        f = mine;
        try {
          helper.addClosedListener(loaded::remove); // first: a closed core fails here, before the work
          HnswGraph g = graph.get();
          RandomAccessVectorValues.Floats v = g == null ? null : values.get();
          // null (no graph, or one outside the layout): the segment is searched mapped
          mine.complete(v == null ? null : HeapSegment.load(g, v, maxDegree, leaf.maxDoc()));
        } catch (IOException | RuntimeException | Error e) {
          loaded.remove(key, mine); // a later search tries again
          mine.completeExceptionally(e);
          throw e;
        }
      }
    }
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException) {
        throw new UncheckedIOException((IOException) c);
      }
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw e;
    }
  }

  /** Bytes of vectors and graph held on the heap by loaded segments. */
  public long bytes() {
    long b = 0;
    for (CompletableFuture<HeapSegment> f : loaded.values()) {
      if (f.isDone() && !f.isCompletedExceptionally() && f.join() != null) {
        b += f.join().bytes();
      }
    }
    return b;
  }
}
