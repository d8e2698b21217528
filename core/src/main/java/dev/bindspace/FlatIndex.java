package dev.bindspace;

import dev.bindspace.internal.IndexData;
import dev.bindspace.internal.IndexFile;
import dev.bindspace.internal.Nd4jBatchScorer;
import dev.bindspace.internal.TopK;
import dev.bindspace.internal.VectorKernels;
import dev.bindspace.internal.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exact (brute-force) cosine index: every search scores every stored vector, so results are the
 * true nearest neighbours. Added vectors live in heap arrays, an opened file's vectors stay in its
 * read-only memory mapping ({@link #open}); single queries run a SIMD plain-Java scan bound by
 * memory bandwidth, batches of queries ({@link #searchAll}) run one ND4J/OpenBLAS matrix product
 * per block of rows.
 *
 * <pre>{@code
 * try (FlatIndex index = FlatIndex.create("bindspace-mini-v1", 384)) {
 *   index.add(IndexEntry.of("dog.jpg", dogImage, Map.of("album", "pets")));
 *   index.add(IndexEntry.of("bark.wav", barkSound));
 *   List<SearchHit> hits = index.search(SearchRequest.builder(textQuery)
 *       .topK(5).targetModalities(Modality.VISION).build());
 *   index.save(Path.of("pets.bsix"));
 * }
 * try (FlatIndex again = FlatIndex.open(Path.of("pets.bsix"))) { ... }
 * }</pre>
 *
 * <h2>Semantics</h2>
 * Scores are raw cosine similarities in [-1, 1]; zero vectors are refused. {@code add} refuses an
 * existing id, {@code upsert} replaces it; batch writes are all-or-nothing. Removed entries are
 * tombstoned and their space reclaimed when dead rows outnumber live ones.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. Writers serialise on one lock; searches take no lock: each reads an
 * immutable snapshot published by the last completed write (a volatile reference), so it never
 * sees a half-written vector nor an entry whose {@code remove} returned before it began. Rows are
 * appended past the snapshot's row count, so writers never touch what readers read.
 * {@link #save} writes a snapshot and does not block writers.
 *
 * <h2>File format, version 1</h2>
 * All integers and floats little-endian. Every byte of the file is checked on {@link #open}.
 * <pre>
 * HEADER, 64 bytes
 *   0   8  magic 89 42 53 49 58 0D 0A 1A ("\x89BSIX\r\n\x1A")
 *   8   4  u32 format version = 1
 *   12  4  u32 dimension d (1..65536)
 *   16  8  u64 entry count n (&lt; 2^31)
 *   24  8  u64 total file length in bytes
 *   32  4  u32 flags = 0
 *   36  24 zero
 *   60  4  CRC32C of bytes 0..59
 * 48 zero bytes (offsets 64..111), then six SECTIONs in this order, each starting at an offset
 * of 48 mod 64 so that every payload starts at a multiple of 64:
 *   0   4  tag, 4 ASCII bytes
 *   4   4  CRC32C of the payload
 *   8   8  u64 payload length L
 *   16  L  payload
 *   ..     zero bytes up to the next offset of 48 mod 64 (where the next section or the trailer starts)
 *   "SPAC" SPACE    UTF-8 joint-space id, 1..255 bytes
 *   "IDS_" IDS      n x { u16 byte length (&ge; 1), UTF-8 id }; ids are unique
 *   "MEDI" MEDIA    n x u8 {@link MediaKind#code()}
 *   "META" METADATA n x { u32 pair count p, p x { u32 length, UTF-8 key (non-empty),
 *                                                  u32 length, UTF-8 value } }, keys sorted
 *   "NORM" NORMS    n x f32 L2 norm of the vector (finite, &gt; 0)
 *   "VECS" VECTORS  n x d x f32, row-major, entry i at payload offset 4·d·i; the payload is
 *                   64-byte aligned and memory-mapped on open, not copied into the heap
 * TRAILER, 16 bytes (so the file length is a multiple of 64)
 *   0   8  end marker "BSIXEND\0"
 *   8   8  u64 total file length (again)
 * </pre>
 * {@link #save} is atomic: the file is written beside the target under a temporary name, forced
 * to disk, renamed over the target and the directory is forced. A crash leaves either the old or
 * the new file, never a mix. {@link #open} refuses a truncated, corrupted, foreign or newer file
 * with a {@link CorruptIndexException} naming the file and the failing section; nothing is loaded
 * partially. Java serialization is never used.
 */
public final class FlatIndex implements VectorIndex {

  /** How searches compute scores. */
  public enum Strategy {
    /** Measured best per case: plain Java for single queries, ND4J for batches of 8+ when available. */
    AUTO,
    /** Plain-Java (SIMD when the Vector API is present) scans for everything. */
    JAVA,
    /** ND4J/OpenBLAS sgemm for batches (single queries still use Java: gemv gains nothing). */
    ND4J
  }

  /** What {@link #open} does with the file's vector section. */
  public enum OpenMode {
    /** Memory-map it read-only: opening costs no heap and is fast even for huge files (default). */
    MAP,
    /**
     * Copy it into heap arrays after validation: needs heap for all vectors, but single-query scans
     * run about 1.4x faster on JDK 17 (heap loads are cheaper than mapped-buffer loads there).
     */
    LOAD
  }

  /** Batches of at least this many queries use ND4J under {@link Strategy#AUTO}. */
  public static final int AUTO_ND4J_MIN_BATCH = 8;
  /** Below this many stored floats a search runs on the calling thread only. */
  static final long PARALLEL_MIN_FLOATS = 1L << 20;
  private static final int COMPACT_MIN_DEAD = 1024;

  /** Search options; immutable. */
  public static final class Options {
    private final int threads;
    private final Strategy strategy;
    private final OpenMode openMode;

    private Options(Builder b) {
      this.threads = b.threads;
      this.strategy = b.strategy;
      this.openMode = b.openMode;
    }

    /** All cores, {@link Strategy#AUTO}. */
    public static Options defaults() {
      return builder().build();
    }

    public static Builder builder() {
      return new Builder();
    }

    /** Threads a search may use (the calling thread included). */
    public int threads() {
      return threads;
    }

    public Strategy strategy() {
      return strategy;
    }

    public OpenMode openMode() {
      return openMode;
    }

    @Override
    public String toString() {
      return "Options[threads=" + threads + ", strategy=" + strategy + ", openMode=" + openMode + "]";
    }

    /** Builder of {@link Options}. */
    public static final class Builder {
      private int threads = Runtime.getRuntime().availableProcessors();
      private Strategy strategy = Strategy.AUTO;
      private OpenMode openMode = OpenMode.MAP;

      /**
       * Threads per search, 1..256; default: available processors. For {@link Strategy#ND4J} this
       * also sets ND4J's process-wide BLAS thread count before each batch.
       */
      public Builder threads(int threads) {
        this.threads = threads;
        return this;
      }

      public Builder strategy(Strategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        return this;
      }

      /** How {@link FlatIndex#open} holds the vectors; default {@link OpenMode#MAP}. */
      public Builder openMode(OpenMode openMode) {
        this.openMode = Objects.requireNonNull(openMode, "openMode");
        return this;
      }

      /** @throws IllegalArgumentException for threads outside 1..256 */
      public Options build() {
        if (threads < 1 || threads > 256) {
          throw new IllegalArgumentException("threads must be in 1..256, got " + threads);
        }
        return new Options(this);
      }
    }
  }

  /** One published, immutable view of the index. Arrays may be longer than {@code rows}. */
  private static final class Snapshot {
    final int rows;
    final String[] ids;
    final byte[] media;
    final Map<String, String>[] metadata;
    final float[] norms;
    final long[] deleted;
    final int live;
    final VectorStore store;

    Snapshot(int rows, String[] ids, byte[] media, Map<String, String>[] metadata, float[] norms, long[] deleted,
        int live, VectorStore store) {
      this.rows = rows;
      this.ids = ids;
      this.media = media;
      this.metadata = metadata;
      this.norms = norms;
      this.deleted = deleted;
      this.live = live;
      this.store = store;
    }

    boolean isDeleted(int row) {
      return (deleted[row >>> 6] & (1L << row)) != 0;
    }
  }

  private final String space;
  private final int dimension;
  private final Options options;
  private final VectorKernels kernels = VectorKernels.get();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Map<String, Integer> rowOf = new HashMap<>(); // guarded by writeLock
  private volatile Snapshot snapshot;
  private volatile boolean closed;
  private volatile ExecutorService pool;

  private FlatIndex(String space, int dimension, Options options, Snapshot initial) {
    this.space = space;
    this.dimension = dimension;
    this.options = options;
    this.snapshot = initial;
  }

  /** An empty in-memory index with default options. */
  public static FlatIndex create(String space, int dimension) {
    return create(space, dimension, Options.defaults());
  }

  /**
   * An empty in-memory index.
   *
   * @throws IllegalArgumentException for a bad space id or a dimension outside 1..65536
   */
  @SuppressWarnings("unchecked")
  public static FlatIndex create(String space, int dimension, Options options) {
    Embedding.checkSpace(space);
    if (dimension < 1 || dimension > IndexFile.MAX_DIMENSION) {
      throw new IllegalArgumentException("dimension must be in 1.." + IndexFile.MAX_DIMENSION + ", got " + dimension);
    }
    Objects.requireNonNull(options, "options");
    Snapshot empty = new Snapshot(0, new String[0], new byte[0], new Map[0], new float[0], new long[0], 0,
        VectorStore.empty(dimension));
    return new FlatIndex(space, dimension, options, empty);
  }

  /** Opens a saved index with default options; see {@link #open(Path, Options)}. */
  public static FlatIndex open(Path file) {
    return open(file, Options.defaults());
  }

  /**
   * Opens an index saved by {@link #save}. The vector section is memory-mapped read-only (or
   * copied to the heap with {@link OpenMode#LOAD}); entries added afterwards live in memory until
   * the next save.
   *
   * @throws CorruptIndexException if the file is truncated, corrupted, foreign or of another version
   * @throws BindspaceException if the file cannot be read
   */
  public static FlatIndex open(Path file, Options options) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    IndexData d = IndexFile.read(file);
    int n = d.rows;
    VectorStore store = d.vectors;
    if (options.openMode == OpenMode.LOAD && n > 0) {
      VectorStore heap = VectorStore.empty(d.dimension).withCapacity(0, n);
      float[] row = new float[d.dimension];
      for (int r = 0; r < n; r++) {
        store.read(r, row);
        heap.write(r, row);
      }
      store = heap;
    }
    Snapshot s = new Snapshot(n, d.ids, d.media, d.metadata, d.norms, new long[(n + 63) >>> 6], n, store);
    FlatIndex index = new FlatIndex(d.space, d.dimension, options, s);
    for (int i = 0; i < n; i++) {
      index.rowOf.put(d.ids[i], i);
    }
    return index;
  }

  @Override
  public String space() {
    return space;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int size() {
    return current().live;
  }

  /** The options this index searches with. */
  public Options options() {
    return options;
  }

  /** The name of the scan kernel in use, e.g. {@code panama-512} or {@code scalar}. */
  public String kernel() {
    return kernels.name();
  }

  // ------------------------------------------------------------------------------------- writes

  @Override
  public void add(IndexEntry entry) {
    write(List.of(Objects.requireNonNull(entry, "entry")), false);
  }

  @Override
  public void addAll(Collection<IndexEntry> entries) {
    write(List.copyOf(entries), false);
  }

  @Override
  public void upsert(IndexEntry entry) {
    write(List.of(Objects.requireNonNull(entry, "entry")), true);
  }

  @Override
  public void upsertAll(Collection<IndexEntry> entries) {
    write(List.copyOf(entries), true);
  }

  @SuppressWarnings("unchecked")
  private void write(List<IndexEntry> entries, boolean upsert) {
    checkOpen();
    int n = entries.size();
    float[] norms = new float[n];
    Set<String> batchIds = new HashSet<>(n * 2);
    for (int i = 0; i < n; i++) {
      IndexEntry e = entries.get(i);
      Embedding v = e.embedding();
      checkEmbedding(v, "entry '" + e.id() + "'");
      double norm = v.norm();
      if (norm == 0 || !Double.isFinite(norm) || !Float.isFinite((float) norm) || (float) norm == 0f) {
        throw new IllegalArgumentException("entry '" + e.id() + "' has norm " + norm
            + ", expected a finite non-zero vector (cosine is undefined otherwise)");
      }
      norms[i] = (float) norm;
      if (!batchIds.add(e.id())) {
        throw new IllegalArgumentException("id '" + e.id() + "' appears twice in one batch");
      }
    }
    if (n == 0) {
      checkOpen();
      return;
    }
    writeLock.lock();
    try {
      checkOpen();
      if (!upsert) {
        for (IndexEntry e : entries) {
          if (rowOf.containsKey(e.id())) {
            throw new IllegalArgumentException("id '" + e.id() + "' is already in the index; use upsert to replace it");
          }
        }
      }
      Snapshot s = snapshot;
      int rows = s.rows;
      int needed = rows + n;
      VectorStore store = s.store.withCapacity(rows, n);
      String[] ids = s.ids;
      byte[] media = s.media;
      Map<String, String>[] metadata = s.metadata;
      float[] allNorms = s.norms;
      if (ids.length < needed) {
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * ids.length));
        ids = Arrays.copyOf(ids, cap);
        media = Arrays.copyOf(media, cap);
        metadata = Arrays.copyOf(metadata, cap);
        allNorms = Arrays.copyOf(allNorms, cap);
      }
      long[] deleted = s.deleted;
      boolean deletedCopied = false;
      int words = (needed + 63) >>> 6;
      if (deleted.length < words) {
        deleted = Arrays.copyOf(deleted, Math.max(words, 2 * deleted.length));
        deletedCopied = true;
      }
      int live = s.live;
      float[] buf = new float[dimension];
      for (int i = 0; i < n; i++) {
        IndexEntry e = entries.get(i);
        int row = rows + i;
        e.embedding().copyTo(buf, 0);
        store.write(row, buf);
        ids[row] = e.id();
        media[row] = e.embedding().media().code();
        metadata[row] = e.metadata();
        allNorms[row] = norms[i];
      }
      for (int i = 0; i < n; i++) {
        Integer old = rowOf.put(entries.get(i).id(), rows + i);
        if (old != null) {
          if (!deletedCopied) {
            deleted = deleted.clone();
            deletedCopied = true;
          }
          deleted[old >>> 6] |= 1L << old;
          live--;
        }
        live++;
      }
      publish(new Snapshot(needed, ids, media, metadata, allNorms, deleted, live, store));
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public boolean remove(String id) {
    Objects.requireNonNull(id, "id");
    writeLock.lock();
    try {
      checkOpen();
      Integer row = rowOf.remove(id);
      if (row == null) {
        return false;
      }
      Snapshot s = snapshot;
      long[] deleted = s.deleted.clone();
      deleted[row >>> 6] |= 1L << row;
      publish(new Snapshot(s.rows, s.ids, s.media, s.metadata, s.norms, deleted, s.live - 1, s.store));
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  /** Publishes {@code s}, compacting first when dead rows dominate. Caller holds the write lock. */
  @SuppressWarnings("unchecked")
  private void publish(Snapshot s) {
    int dead = s.rows - s.live;
    if (dead < COMPACT_MIN_DEAD || dead <= s.live) {
      snapshot = s;
      return;
    }
    int n = s.live;
    String[] ids = new String[n];
    byte[] media = new byte[n];
    Map<String, String>[] metadata = new Map[n];
    float[] norms = new float[n];
    VectorStore store = VectorStore.empty(dimension).withCapacity(0, Math.max(n, 1));
    float[] buf = new float[dimension];
    int j = 0;
    for (int r = 0; r < s.rows; r++) {
      if (s.isDeleted(r)) {
        continue;
      }
      s.store.read(r, buf);
      store.write(j, buf);
      ids[j] = s.ids[r];
      media[j] = s.media[r];
      metadata[j] = s.metadata[r];
      norms[j] = s.norms[r];
      rowOf.put(ids[j], j);
      j++;
    }
    snapshot = new Snapshot(n, ids, media, metadata, norms, new long[(n + 63) >>> 6], n, store);
  }

  @Override
  public Optional<IndexEntry> get(String id) {
    Objects.requireNonNull(id, "id");
    writeLock.lock();
    try {
      checkOpen();
      Integer row = rowOf.get(id);
      if (row == null) {
        return Optional.empty();
      }
      Snapshot s = snapshot;
      float[] v = new float[dimension];
      s.store.read(row, v);
      Embedding e = Embedding.of(space, MediaKind.fromCode(s.media[row]), v);
      return Optional.of(IndexEntry.of(id, e, s.metadata[row]));
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public boolean contains(String id) {
    Objects.requireNonNull(id, "id");
    writeLock.lock();
    try {
      checkOpen();
      return rowOf.containsKey(id);
    } finally {
      writeLock.unlock();
    }
  }

  /** The ids of all live entries, in storage order. */
  public List<String> ids() {
    Snapshot s = current();
    List<String> out = new ArrayList<>(s.live);
    for (int r = 0; r < s.rows; r++) {
      if (!s.isDeleted(r)) {
        out.add(s.ids[r]);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------- persistence

  /**
   * Writes the current state to {@code file} atomically (see the class documentation for the
   * format and the crash guarantees). Concurrent writes continue; the file holds the state at the
   * moment the save began.
   *
   * @throws UncheckedIOException if the file cannot be written; the previous file, if any, is intact
   */
  public void save(Path file) {
    Objects.requireNonNull(file, "file");
    Snapshot s = current();
    int[] liveRows = new int[s.live];
    int j = 0;
    for (int r = 0; r < s.rows; r++) {
      if (!s.isDeleted(r)) {
        liveRows[j++] = r;
      }
    }
    try {
      IndexFile.write(file, space, dimension, liveRows, s.ids, s.media, s.metadata, s.norms, s.store);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save index to " + file + ": " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------------------------ search

  /** Per-request checks folded into primitives for the scan loop. */
  private static final class Plan {
    final float[] query; // the query scaled to unit norm
    final int k;
    final float minScore;
    final int mediaMask; // bit (1 << media code) set for accepted media; all ones for any
    final MetadataFilter filter; // null for none

    Plan(SearchRequest r) {
      // scan with q/|q|: |q̂·v| <= |v|, a finite float for every stored row, so no dot product
      // overflows to Infinity (NaN scores) or underflows to 0, whatever the magnitudes
      double norm = r.query().norm();
      this.query = r.query().toArray();
      for (int i = 0; i < query.length; i++) {
        query[i] = (float) (query[i] / norm);
      }
      this.k = r.topK();
      this.minScore = r.minScore();
      int mask = 0;
      if (r.targetModalities().isEmpty()) {
        mask = -1;
      } else {
        for (MediaKind m : MediaKind.values()) {
          if (r.targetModalities().contains(m.modality())) {
            mask |= 1 << m.code();
          }
        }
      }
      this.mediaMask = mask;
      this.filter = r.hasFilter() ? r.filter() : null;
    }
  }

  @Override
  public List<SearchHit> search(SearchRequest request) {
    Objects.requireNonNull(request, "request");
    checkEmbedding(request.query(), "query");
    Snapshot s = current();
    Plan p = new Plan(request);
    int parts = partsFor(s);
    TopK top;
    if (parts <= 1) {
      top = scanOne(s, p, 0, s.rows);
    } else {
      int[] bounds = split(s.rows, parts);
      List<TopK> tops = parallel(parts, i -> scanOne(s, p, bounds[i], bounds[i + 1]));
      top = tops.get(0);
      for (int i = 1; i < tops.size(); i++) {
        top.merge(tops.get(i));
      }
    }
    return hits(top, s);
  }

  @Override
  public List<List<SearchHit>> searchAll(List<SearchRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    Plan[] plans = new Plan[requests.size()];
    for (int i = 0; i < plans.length; i++) {
      SearchRequest r = Objects.requireNonNull(requests.get(i), "requests[" + i + "]");
      checkEmbedding(r.query(), "query " + i);
      plans[i] = new Plan(r);
    }
    Snapshot s = current();
    if (plans.length == 0) {
      return List.of();
    }
    TopK[] tops;
    if (useNd4j(plans.length)) {
      tops = scanNd4j(s, plans);
    } else {
      int parts = partsFor(s);
      if (parts <= 1) {
        tops = scanMany(s, plans, 0, s.rows);
      } else {
        int[] bounds = split(s.rows, parts);
        List<TopK[]> all = parallel(parts, i -> scanMany(s, plans, bounds[i], bounds[i + 1]));
        tops = all.get(0);
        for (int i = 1; i < all.size(); i++) {
          for (int q = 0; q < tops.length; q++) {
            tops[q].merge(all.get(i)[q]);
          }
        }
      }
    }
    List<List<SearchHit>> out = new ArrayList<>(plans.length);
    for (TopK t : tops) {
      out.add(hits(t, s));
    }
    return out;
  }

  private boolean useNd4j(int queries) {
    switch (options.strategy) {
      case JAVA:
        return false;
      case ND4J:
        if (!Nd4jBatchScorer.available()) {
          throw new BindspaceException("strategy ND4J requested but ND4J could not load: "
              + Nd4jBatchScorer.loadFailure(), Nd4jBatchScorer.loadFailure());
        }
        return true;
      default:
        return queries >= AUTO_ND4J_MIN_BATCH && Nd4jBatchScorer.available();
    }
  }

  private TopK scanOne(Snapshot s, Plan p, int from, int to) {
    TopK top = new TopK(p.k, s.ids);
    float[] tmp = new float[4];
    int rowBytes = dimension * Float.BYTES;
    VectorStore store = s.store;
    for (int c = 0; c < store.chunkCount(); c++) {
      VectorStore.Chunk ch = store.chunk(c);
      int start = ch.startRow();
      int lo = Math.max(from, start);
      int hi = Math.min(to, Math.min(s.rows, start + ch.capacity()));
      if (lo >= hi) {
        continue;
      }
      int r = lo;
      if (ch.isHeap()) {
        float[] a = ch.array();
        for (; r + 4 <= hi; r += 4) {
          kernels.dot4(p.query, a, (r - start) * dimension, dimension, tmp, 0);
          consider4(top, s, p, r, tmp);
        }
        for (; r < hi; r++) {
          consider(top, s, p, r, kernels.dot(p.query, a, (r - start) * dimension, dimension));
        }
      } else {
        ByteBuffer buf = ch.buffer();
        for (; r + 4 <= hi; r += 4) {
          kernels.dot4(p.query, buf, (r - start) * rowBytes, rowBytes, dimension, tmp, 0);
          consider4(top, s, p, r, tmp);
        }
        for (; r < hi; r++) {
          consider(top, s, p, r, kernels.dot(p.query, buf, (r - start) * rowBytes, dimension));
        }
      }
    }
    return top;
  }

  private TopK[] scanMany(Snapshot s, Plan[] plans, int from, int to) {
    TopK[] tops = newTops(s, plans);
    float[] tmp = new float[4];
    int rowBytes = dimension * Float.BYTES;
    VectorStore store = s.store;
    for (int c = 0; c < store.chunkCount(); c++) {
      VectorStore.Chunk ch = store.chunk(c);
      int start = ch.startRow();
      int lo = Math.max(from, start);
      int hi = Math.min(to, Math.min(s.rows, start + ch.capacity()));
      if (lo >= hi) {
        continue;
      }
      int r = lo;
      // four rows at a time, read from memory once and reused from L1 for every query
      for (; r + 4 <= hi; r += 4) {
        if (ch.isHeap()) {
          int off = (r - start) * dimension;
          for (int q = 0; q < plans.length; q++) {
            kernels.dot4(plans[q].query, ch.array(), off, dimension, tmp, 0);
            consider4(tops[q], s, plans[q], r, tmp);
          }
        } else {
          int off = (r - start) * rowBytes;
          for (int q = 0; q < plans.length; q++) {
            kernels.dot4(plans[q].query, ch.buffer(), off, rowBytes, dimension, tmp, 0);
            consider4(tops[q], s, plans[q], r, tmp);
          }
        }
      }
      for (; r < hi; r++) {
        for (int q = 0; q < plans.length; q++) {
          float dot = ch.isHeap()
              ? kernels.dot(plans[q].query, ch.array(), (r - start) * dimension, dimension)
              : kernels.dot(plans[q].query, ch.buffer(), (r - start) * rowBytes, dimension);
          consider(tops[q], s, plans[q], r, dot);
        }
      }
    }
    return tops;
  }

  private TopK[] scanNd4j(Snapshot s, Plan[] plans) {
    if (options.strategy == Strategy.ND4J) {
      Nd4jBatchScorer.blasThreads(options.threads);
    }
    TopK[] tops = newTops(s, plans);
    int nq = plans.length;
    float[] queries = new float[nq * dimension];
    for (int q = 0; q < nq; q++) {
      System.arraycopy(plans[q].query, 0, queries, q * dimension, dimension);
    }
    float[] scores = new float[nq * Nd4jBatchScorer.BLOCK_ROWS];
    // sgemm rounds differently from the Java kernels, and differently for rows at a block edge, so
    // its scores only preselect: a row that could enter the top k allowing for that rounding (two
    // float dot products differ by at most 2·d·2^-24·|q|·|v|; doubled for margin) is rescored with
    // the Java kernel. Scores and exact ties are then bit-identical to search().
    float slack = (4f * dimension + 16f) * 0x1p-24f;
    int parts = Math.min(nq, options.threads);
    try (Nd4jBatchScorer.Batch batch = new Nd4jBatchScorer.Batch(queries, nq, dimension)) {
      VectorStore store = s.store;
      for (int c = 0; c < store.chunkCount(); c++) {
        VectorStore.Chunk ch = store.chunk(c);
        int start = ch.startRow();
        int end = Math.min(s.rows, start + ch.capacity());
        for (int r = start; r < end; r += Nd4jBatchScorer.BLOCK_ROWS) {
          int rows = Math.min(Nd4jBatchScorer.BLOCK_ROWS, end - r);
          batch.score(ch, r - start, rows, scores);
          int first = r;
          if (parts <= 1) {
            select(s, plans, tops, ch, scores, first, rows, slack, 0, nq);
          } else {
            // the per-query selections are independent: split the queries over the search threads
            parallel(parts, part -> {
              select(s, plans, tops, ch, scores, first, rows, slack, nq * part / parts, nq * (part + 1) / parts);
              return null;
            });
          }
        }
      }
    }
    return tops;
  }

  /**
   * Selects candidates of queries {@code [q0, q1)} from one block of sgemm scores (rows
   * {@code [first, first + rows)} of chunk {@code ch}) and rescores them with the Java kernel.
   */
  private void select(Snapshot s, Plan[] plans, TopK[] tops, VectorStore.Chunk ch, float[] scores, int first,
      int rows, float slack, int q0, int q1) {
    int start = ch.startRow();
    int rowBytes = dimension * Float.BYTES;
    float[] norms = s.norms;
    for (int q = q0; q < q1; q++) {
      Plan p = plans[q];
      TopK top = tops[q];
      int base = q * rows;
      // a row can enter only if score/|v| + slack >= bar, i.e. score >= (bar - slack)·|v|: one
      // multiply per row instead of a division, and the heap is touched only for candidates
      float bar = Math.max(p.minScore, top.isFull() ? top.worstScore() : -1f) - slack;
      for (int i = 0; i < rows; i++) {
        int row = first + i;
        if (scores[base + i] < bar * norms[row]) {
          continue;
        }
        float bound = scores[base + i] / norms[row] + slack;
        if (bound < p.minScore || !top.accepts(bound, row)) {
          continue;
        }
        float dot = ch.isHeap()
            ? kernels.dot(p.query, ch.array(), (row - start) * dimension, dimension)
            : kernels.dot(p.query, ch.buffer(), (row - start) * rowBytes, dimension);
        consider(top, s, p, row, dot);
        if (top.isFull()) {
          bar = Math.max(p.minScore, top.worstScore()) - slack;
        }
      }
    }
  }

  private static TopK[] newTops(Snapshot s, Plan[] plans) {
    TopK[] tops = new TopK[plans.length];
    for (int q = 0; q < plans.length; q++) {
      tops[q] = new TopK(plans[q].k, s.ids);
    }
    return tops;
  }

  private static void consider4(TopK top, Snapshot s, Plan p, int row, float[] dots) {
    consider(top, s, p, row, dots[0]);
    consider(top, s, p, row + 1, dots[1]);
    consider(top, s, p, row + 2, dots[2]);
    consider(top, s, p, row + 3, dots[3]);
  }

  /** Turns a dot product into a cosine and offers it; filters run only for would-be hits. */
  private static void consider(TopK top, Snapshot s, Plan p, int row, float dot) {
    float score = dot / s.norms[row]; // the query is already unit length
    if (score > 1f) {
      score = 1f;
    } else if (score < -1f) {
      score = -1f;
    }
    if (score < p.minScore || !top.accepts(score, row) || s.isDeleted(row)
        || (p.mediaMask & (1 << s.media[row])) == 0
        || (p.filter != null && !p.filter.test(s.metadata[row]))) {
      return;
    }
    top.insert(score, row);
  }

  private static List<SearchHit> hits(TopK top, Snapshot s) {
    float[] scores = new float[top.size()];
    int[] rows = top.drainSorted(scores);
    List<SearchHit> out = new ArrayList<>(rows.length);
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      out.add(new SearchHit(s.ids[r], scores[i], MediaKind.fromCode(s.media[r]), s.metadata[r]));
    }
    return out;
  }

  private int partsFor(Snapshot s) {
    if (options.threads <= 1 || (long) s.rows * dimension < PARALLEL_MIN_FLOATS) {
      return 1;
    }
    return Math.min(options.threads, Math.max(1, s.rows / 4));
  }

  /** Part boundaries, multiples of 4 rows so the 4-row kernel stays aligned. */
  private static int[] split(int rows, int parts) {
    int[] b = new int[parts + 1];
    for (int i = 1; i < parts; i++) {
      b[i] = (int) ((long) rows * i / parts) & ~3;
    }
    b[parts] = rows;
    return b;
  }

  private interface Part<T> {
    T run(int part);
  }

  private <T> List<T> parallel(int parts, Part<T> task) {
    ExecutorService ex = pool();
    List<Future<T>> futures = new ArrayList<>(parts - 1);
    try {
      for (int i = 1; i < parts; i++) {
        int part = i;
        futures.add(ex.submit(() -> task.run(part)));
      }
    } catch (RejectedExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      throw new IllegalStateException("index is closed", e);
    }
    List<T> out = new ArrayList<>(parts);
    out.add(task.run(0)); // the calling thread takes the first part
    try {
      for (Future<T> f : futures) {
        out.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      futures.forEach(f -> f.cancel(true));
      throw new BindspaceException("search interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new BindspaceException("search failed: " + c, c);
    }
    return out;
  }

  private ExecutorService pool() {
    ExecutorService p = pool;
    if (p == null) {
      synchronized (this) {
        checkOpen();
        p = pool;
        if (p == null) {
          AtomicInteger n = new AtomicInteger();
          p = Executors.newFixedThreadPool(options.threads - 1, r -> {
            Thread t = new Thread(r, "bindspace-search-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
          pool = p;
        }
      }
    }
    return p;
  }

  // ---------------------------------------------------------------------------------- lifecycle

  private void checkEmbedding(Embedding e, String what) {
    Objects.requireNonNull(e, what);
    if (!space.equals(e.space())) {
      throw new IllegalArgumentException(what + " is in space '" + e.space() + "', but the index holds space '"
          + space + "'");
    }
    if (e.dimension() != dimension) {
      throw new IllegalArgumentException(what + " has dimension " + e.dimension() + ", expected " + dimension);
    }
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (closed || s == null) {
      throw new IllegalStateException("index is closed");
    }
    return s;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("index is closed");
    }
  }

  /** Releases the storage and the search threads. Idempotent. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      snapshot = null;
      rowOf.clear();
    } finally {
      writeLock.unlock();
    }
    synchronized (this) {
      if (pool != null) {
        pool.shutdown();
      }
    }
  }

  @Override
  public String toString() {
    Snapshot s = snapshot;
    return "FlatIndex[space=" + space + ", dimension=" + dimension + ", size=" + (s == null ? "closed" : s.live)
        + ", kernel=" + kernels.name() + ", " + options + "]";
  }

}
