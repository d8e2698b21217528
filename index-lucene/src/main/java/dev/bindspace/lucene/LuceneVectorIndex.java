package dev.bindspace.lucene;

import dev.bindspace.BindspaceException;
import dev.bindspace.CorruptIndexException;
import dev.bindspace.Embedding;
import dev.bindspace.IndexEntry;
import dev.bindspace.MediaKind;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import dev.bindspace.VectorIndex;
import dev.bindspace.lucene.internal.DocLayout;
import dev.bindspace.lucene.internal.HeapSegments;
import dev.bindspace.lucene.internal.Overlay;
import dev.bindspace.lucene.internal.VectorSearch;
import dev.bindspace.lucene.internal.View;
import dev.bindspace.lucene.internal.WriterFormats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FileSwitchDirectory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.NRTCachingDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * An approximate nearest-neighbour {@link VectorIndex} on Apache Lucene's HNSW graphs, for
 * collections too large to scan: the same API, the same scores and the same rules as
 * {@link dev.bindspace.FlatIndex}, in a directory of standard Lucene 9.12 files.
 *
 * <pre>{@code
 * try (LuceneVectorIndex index = LuceneVectorIndex.builder("bindspace-mini-v1", 384)
 *     .directory(Path.of("media-index"))            // or .inMemory()
 *     .quantization(LuceneVectorIndex.Quantization.INT7)
 *     .build()) {
 *   index.addAll(entries);
 *   index.commit();                                   // durable from here on
 *   List<SearchHit> hits = index.search(SearchRequest.builder(textQuery)
 *       .topK(10).targetModalities(Modality.VISION).build());
 * }
 * try (LuceneVectorIndex again = LuceneVectorIndex.open(Path.of("media-index"))) { ... }
 * }</pre>
 *
 * <h2>Semantics (as {@code FlatIndex})</h2>
 * Scores are raw cosine similarities in [-1, 1], computed from the full-precision vectors (never
 * the quantised ones); hits are ordered by score, equal scores by ascending id. {@code add} refuses
 * an existing id, {@code upsert} replaces it, batches are all-or-nothing, {@code remove} says
 * whether the id was present, {@link #get} returns the stored embedding bit for bit with its media
 * kind and metadata. Target modalities and metadata filters are applied <em>before</em> and
 * <em>inside</em> the graph search (pre-filtering), so a filtered search returns {@code topK} hits
 * whenever that many entries pass.
 *
 * <h2>Exact and approximate answers</h2>
 * A search is exact (every passing vector is scored) when at most
 * {@link Options#exactSearchThreshold()} entries pass its filters, when a segment holds no more
 * passing entries than the beam width, and when a restrictive filter makes the graph walk visit
 * more nodes than there are passing entries (Lucene's own fallback). Otherwise each segment's graph
 * is searched with a beam of {@code max(candidates, topK)} ({@link Options#candidates()}, or per
 * query with {@link #search(SearchRequest, int)}) and the best {@code ceil(topK * oversample)}
 * candidates are re-scored exactly; float32 {@link Similarity#DOT_PRODUCT} graphs need no
 * re-scoring, because their walk computes the exact scores. {@link #searchAll} runs the requests
 * one after another.
 *
 * <h2>Similarity</h2>
 * {@link Similarity#DOT_PRODUCT} (the default) indexes every vector scaled to unit length, so the
 * graph compares vectors with one dot product (SIMD on Java 17 through bindspace's kernels; Lucene
 * 9.12 itself vectorises only on Java 20 to 22), and keeps the entry's own vector as a stored field
 * for {@link #get} only when scaling changed its bits (not for vectors that were already unit
 * length to the last bit). {@link Similarity#COSINE} indexes vectors as they are and lets Lucene
 * compute cosines (three accumulators, scalar on Java 17: slower), which saves that stored copy for
 * vectors that are not unit length. Both report the same cosine scores.
 *
 * <h2>Threads, visibility and durability</h2>
 * All methods are thread-safe. Writes serialise on one lock and are visible to every search that
 * starts after they return: a search reads an immutable view made of Lucene's near-real-time reader
 * plus the writes made since that reader was opened (kept in memory and scored exactly). Beyond
 * {@link Options#maxPendingEntries()} such writes, the next read opens a fresh reader first, so a
 * bulk load without reads in between opens none. A search therefore
 * never returns an entry whose {@code remove} returned before it started. Writes are durable after
 * {@link #commit()} (Lucene's fsync'ed commit point, with the index settings in its user data);
 * after a crash, {@link #open} sees exactly the last commit. When else to commit is the
 * {@link CommitPolicy}.
 *
 * <h2>Files</h2>
 * The directory is an ordinary Lucene 9.12 index (codec {@code Lucene912}, vector formats
 * {@code Lucene99HnswVectorsFormat} or {@code Lucene99HnswScalarQuantizedVectorsFormat}); Lucene's
 * {@code CheckIndex} and any Lucene-based engine can read it. The document layout is described in
 * {@code dev.bindspace.lucene.internal.DocLayout}. Lucene limits vectors to
 * {@value #MAX_DIMENSION} dimensions.
 */
public final class LuceneVectorIndex implements VectorIndex {

  /** How the graph compares vectors; scores reported to callers are cosines either way. */
  public enum Similarity {
    /** Vectors are indexed at unit length and compared by dot product (fastest). */
    DOT_PRODUCT,
    /** Vectors are indexed as given and compared by cosine. */
    COSINE
  }

  /** How the graph stores the vectors it compares; full-precision vectors are always kept too. */
  public enum Quantization {
    /** float32 (4 bytes per dimension). */
    NONE(0),
    /** Scalar quantisation to 7 bits (1 byte per dimension). */
    INT7(7),
    /** Scalar quantisation to 4 bits (half a byte per dimension). */
    INT4(4);

    private final int bits;

    Quantization(int bits) {
      this.bits = bits;
    }

    /** Bits per dimension, 0 for float32. */
    public int bits() {
      return bits;
    }
  }

  /** When changes become durable, besides explicit {@link #commit()} calls. */
  public enum CommitPolicy {
    /** Only on {@link #commit()}; {@link #close()} discards uncommitted changes. */
    MANUAL,
    /** On {@link #commit()} and on {@link #close()} (the default). */
    ON_CLOSE,
    /** Every write commits before it returns (safe and slow: one fsync per write). */
    EVERY_WRITE
  }

  /** Entries per thread below which a batch is not split across {@link Options#indexThreads()}. */
  public static final int PARALLEL_BATCH = 5000;
  /** Largest dimension Lucene's HNSW formats index. */
  public static final int MAX_DIMENSION = 1024;
  /** Default graph connections per node (Lucene's default; hnswlib's {@code M}). */
  public static final int DEFAULT_MAX_CONN = 16;
  /** Default beam width while building the graph (Lucene's default; hnswlib's {@code ef_construction}). */
  public static final int DEFAULT_BEAM_WIDTH = 100;
  /** Largest accepted {@code maxConn} (Lucene's limit). */
  public static final int MAX_MAX_CONN = 512;
  /** Largest accepted {@code beamWidth} (Lucene's limit). */
  public static final int MAX_BEAM_WIDTH = 3200;

  /** The format of the settings in the commit user data. */
  static final String FORMAT_VERSION = "1";
  static final String KEY_FORMAT = "bindspace.format";
  static final String KEY_SPACE = "bindspace.space";
  static final String KEY_DIMENSION = "bindspace.dimension";
  static final String KEY_SIMILARITY = "bindspace.similarity";
  static final String KEY_QUANTIZATION = "bindspace.quantization";
  static final String KEY_MAX_CONN = "bindspace.maxConn";
  static final String KEY_BEAM_WIDTH = "bindspace.beamWidth";

  /**
   * Where graph searches read the float32 vectors and the level-0 neighbour lists of each segment.
   * Applies to {@link Quantization#NONE} indexes with {@link Similarity#DOT_PRODUCT}, whose graph
   * walk is bindspace's own; other indexes always search through Lucene's files.
   */
  public enum Residency {
    /**
     * Read from Lucene's memory-mapped files (default): no memory beyond the operating system's
     * page cache, and nothing to load when a segment appears.
     */
    MAPPED,
    /**
     * Copy each segment's vectors and graph onto the Java heap the first time a search walks the
     * segment, and walk from there; the copy is dropped when Lucene closes the segment (after a
     * merge has replaced it and no reader holds it). Costs heap of about
     * {@code n x (4 x dimension + 4 x (2 x maxConn + 1))} bytes per segment of {@code n} vectors,
     * plus about 4 bytes per vector for the upper levels (1.7 KB per 384-d vector at maxConn 16;
     * {@link LuceneVectorIndex#residentBytes()} reports it), more while a merged segment and the
     * segments it replaced are both searched, and a one-off load (0.7 s for 400,000 x 384 vectors)
     * paid by the first search of each new segment. On 1,000,000 x 384 vectors searches were 1.4x
     * as fast as MAPPED in our measurement, and 1.7x with the JVM flag
     * {@code -XX:+UseTransparentHugePages}, which lets the kernel back the heap with 2 MB pages
     * (see docs/benchmarks-ann.md).
     */
    HEAP
  }

  /** Options of an open index; not stored with it. Immutable. */
  public static final class Options {
    /** Default graph beam of a search. */
    public static final int DEFAULT_CANDIDATES = 100;
    /** Largest accepted beam. */
    public static final int MAX_CANDIDATES = 100_000;
    /** Searches over at most this many passing entries are exact. */
    public static final int DEFAULT_EXACT_SEARCH_THRESHOLD = 10_000;
    /** Default number of writes kept in memory before the reader is refreshed. */
    public static final int DEFAULT_MAX_PENDING_ENTRIES = 1000;
    /** Default indexing buffer in MB (Lucene's default is 16). */
    public static final double DEFAULT_RAM_BUFFER_MB = 64;

    private final int candidates;
    private final Double oversample;
    private final int exactSearchThreshold;
    private final CommitPolicy commitPolicy;
    private final int maxPendingEntries;
    private final double ramBufferMb;
    private final int mergeThreads;
    private final int indexThreads;
    private final boolean graphOnly;
    private final Residency residency;

    private Options(Builder b) {
      this.residency = b.residency;
      this.candidates = b.candidates;
      this.oversample = b.oversample;
      this.exactSearchThreshold = b.exactSearchThreshold;
      this.commitPolicy = b.commitPolicy;
      this.maxPendingEntries = b.maxPendingEntries;
      this.ramBufferMb = b.ramBufferMb;
      this.mergeThreads = b.mergeThreads;
      this.indexThreads = b.indexThreads;
      this.graphOnly = b.graphOnly;
    }

    public static Options defaults() {
      return builder().build();
    }

    public static Builder builder() {
      return new Builder();
    }

    /** Graph beam of a search ({@code max(candidates, topK)} is used); hnswlib's {@code ef}. */
    public int candidates() {
      return candidates;
    }

    /**
     * How many graph candidates per requested hit are re-scored with full-precision vectors:
     * the set value, or the default of {@code quantization}: 1 for NONE (graph scores are already
     * float32; with DOT_PRODUCT they are the exact scores and nothing is re-read), 3 for INT7, 5
     * for INT4.
     */
    public double oversample(Quantization quantization) {
      if (oversample != null) {
        return oversample;
      }
      switch (quantization) {
        case INT7:
          return 3.0;
        case INT4:
          return 5.0;
        default:
          return 1.0;
      }
    }

    /** Where graph searches read vectors and neighbour lists; see {@link Residency}. */
    public Residency residency() {
      return residency;
    }

    /** Searches over at most this many passing entries score them all (exact answers). */
    public int exactSearchThreshold() {
      return exactSearchThreshold;
    }

    public CommitPolicy commitPolicy() {
      return commitPolicy;
    }

    /**
     * Writes kept in memory (and searched exactly) on top of the current Lucene reader. Beyond
     * that, the next read (search, get, size...) first opens a fresh reader; writes with no read in
     * between (bulk loads) open none.
     */
    public int maxPendingEntries() {
      return maxPendingEntries;
    }

    /** Lucene's indexing buffer; a segment is flushed when it fills. */
    public double ramBufferMb() {
      return ramBufferMb;
    }

    /** Threads that build the graph of a merged segment. */
    public int mergeThreads() {
      return mergeThreads;
    }

    /**
     * Threads that index one large {@code addAll} batch (at least {@value LuceneVectorIndex#PARALLEL_BATCH}
     * entries per thread) in parallel, each into its own segment.
     */
    public int indexThreads() {
      return indexThreads;
    }

    @Override
    public String toString() {
      return "Options[candidates=" + candidates + ", oversample=" + (oversample == null ? "default" : oversample)
          + ", exactSearchThreshold=" + exactSearchThreshold + ", commitPolicy=" + commitPolicy
          + ", maxPendingEntries=" + maxPendingEntries + ", ramBufferMb=" + ramBufferMb
          + ", mergeThreads=" + mergeThreads + ", indexThreads=" + indexThreads + ", residency=" + residency + "]";
    }

    /** Builder of {@link Options}; validated at {@link #build()}. */
    public static final class Builder {
      private int candidates = DEFAULT_CANDIDATES;
      private Double oversample;
      private int exactSearchThreshold = DEFAULT_EXACT_SEARCH_THRESHOLD;
      private CommitPolicy commitPolicy = CommitPolicy.ON_CLOSE;
      private int maxPendingEntries = DEFAULT_MAX_PENDING_ENTRIES;
      private double ramBufferMb = DEFAULT_RAM_BUFFER_MB;
      private int mergeThreads = 1;
      private int indexThreads = 1;
      private boolean graphOnly;
      private Residency residency = Residency.MAPPED;

      private Builder() {
      }

      /** Where graph searches read vectors and neighbour lists; default {@link Residency#MAPPED}. */
      public Builder residency(Residency residency) {
        this.residency = Objects.requireNonNull(residency, "residency");
        return this;
      }

      /** Tests only: walk the graphs even where the exact path would be taken. */
      Builder graphOnly(boolean graphOnly) {
        this.graphOnly = graphOnly;
        return this;
      }

      /** Graph beam of a search, 1..{@value Options#MAX_CANDIDATES}; default {@value Options#DEFAULT_CANDIDATES}. */
      public Builder candidates(int candidates) {
        this.candidates = candidates;
        return this;
      }

      /** Re-scored candidates per requested hit, in [1, 100]; default depends on the quantisation. */
      public Builder oversample(double oversample) {
        this.oversample = oversample;
        return this;
      }

      /** Exact search up to this many passing entries, &ge; 0; default {@value Options#DEFAULT_EXACT_SEARCH_THRESHOLD}. */
      public Builder exactSearchThreshold(int threshold) {
        this.exactSearchThreshold = threshold;
        return this;
      }

      public Builder commitPolicy(CommitPolicy policy) {
        this.commitPolicy = Objects.requireNonNull(policy, "commitPolicy");
        return this;
      }

      /** 0..1,000,000; 0 refreshes the reader after every write. Default {@value Options#DEFAULT_MAX_PENDING_ENTRIES}. */
      public Builder maxPendingEntries(int max) {
        this.maxPendingEntries = max;
        return this;
      }

      /** Lucene's indexing buffer in MB, in [1, 1900]; default 64. */
      public Builder ramBufferMb(double mb) {
        this.ramBufferMb = mb;
        return this;
      }

      /** Threads for graph merges, 1..64; default 1. */
      public Builder mergeThreads(int threads) {
        this.mergeThreads = threads;
        return this;
      }

      /** Threads for large add-only batches, 1..64; default 1. */
      public Builder indexThreads(int threads) {
        this.indexThreads = threads;
        return this;
      }

      /** @throws IllegalArgumentException naming the first value out of range and the range */
      public Options build() {
        if (candidates < 1 || candidates > MAX_CANDIDATES) {
          throw new IllegalArgumentException("candidates must be in 1.." + MAX_CANDIDATES + ", got " + candidates);
        }
        if (oversample != null && !(oversample >= 1.0 && oversample <= 100.0)) {
          throw new IllegalArgumentException("oversample must be in [1, 100], got " + oversample);
        }
        if (exactSearchThreshold < 0) {
          throw new IllegalArgumentException("exactSearchThreshold must be >= 0, got " + exactSearchThreshold);
        }
        if (maxPendingEntries < 0 || maxPendingEntries > 1_000_000) {
          throw new IllegalArgumentException("maxPendingEntries must be in 0..1000000, got " + maxPendingEntries);
        }
        if (!(ramBufferMb >= 1 && ramBufferMb <= 1900)) {
          throw new IllegalArgumentException("ramBufferMb must be in [1, 1900], got " + ramBufferMb);
        }
        if (mergeThreads < 1 || mergeThreads > 64) {
          throw new IllegalArgumentException("mergeThreads must be in 1..64, got " + mergeThreads);
        }
        if (indexThreads < 1 || indexThreads > 64) {
          throw new IllegalArgumentException("indexThreads must be in 1..64, got " + indexThreads);
        }
        return new Options(this);
      }
    }
  }

  /** Builder of a new index: the settings stored with it, where, and the {@link Options}. */
  public static final class Builder {
    private final String space;
    private final int dimension;
    private Path directory;
    private Similarity similarity = Similarity.DOT_PRODUCT;
    private int maxConn = DEFAULT_MAX_CONN;
    private int beamWidth = DEFAULT_BEAM_WIDTH;
    private Quantization quantization = Quantization.NONE;
    private Options options = Options.defaults();

    private Builder(String space, int dimension) {
      this.space = space;
      this.dimension = dimension;
    }

    /** Keep the index in this directory (created if missing; it must not hold an index yet). */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Keep the index in memory (the default): lost on close, commits are no-ops for durability. */
    public Builder inMemory() {
      this.directory = null;
      return this;
    }

    /** Default {@link Similarity#DOT_PRODUCT}. */
    public Builder similarity(Similarity similarity) {
      this.similarity = Objects.requireNonNull(similarity, "similarity");
      return this;
    }

    /** Graph connections per node, 1..{@value LuceneVectorIndex#MAX_MAX_CONN}; default {@value LuceneVectorIndex#DEFAULT_MAX_CONN}. */
    public Builder maxConn(int maxConn) {
      this.maxConn = maxConn;
      return this;
    }

    /** Build-time beam, 1..{@value LuceneVectorIndex#MAX_BEAM_WIDTH}; default {@value LuceneVectorIndex#DEFAULT_BEAM_WIDTH}. */
    public Builder beamWidth(int beamWidth) {
      this.beamWidth = beamWidth;
      return this;
    }

    /** Default {@link Quantization#NONE}. */
    public Builder quantization(Quantization quantization) {
      this.quantization = Objects.requireNonNull(quantization, "quantization");
      return this;
    }

    public Builder options(Options options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Creates the index (and commits its empty first state, so that it can be opened at once).
     *
     * @throws IllegalArgumentException for a bad space, a dimension outside 1..{@value LuceneVectorIndex#MAX_DIMENSION},
     *     maxConn or beamWidth out of range, or a directory that already holds an index
     * @throws BindspaceException if the directory cannot be written
     */
    public LuceneVectorIndex build() {
      Embedding.checkSpace(space);
      if (dimension < 1 || dimension > MAX_DIMENSION) {
        throw new IllegalArgumentException("dimension must be in 1.." + MAX_DIMENSION
            + " (Lucene's limit for HNSW vectors), got " + dimension);
      }
      if (maxConn < 1 || maxConn > MAX_MAX_CONN) {
        throw new IllegalArgumentException("maxConn must be in 1.." + MAX_MAX_CONN + ", got " + maxConn);
      }
      if (beamWidth < 1 || beamWidth > MAX_BEAM_WIDTH) {
        throw new IllegalArgumentException("beamWidth must be in 1.." + MAX_BEAM_WIDTH + ", got " + beamWidth);
      }
      Settings s = new Settings(space, dimension, similarity, quantization, maxConn, beamWidth);
      return create(directory, s, options);
    }
  }

  /** What is stored with the index. */
  private static final class Settings {
    final String space;
    final int dimension;
    final Similarity similarity;
    final Quantization quantization;
    final int maxConn;
    final int beamWidth;

    Settings(String space, int dimension, Similarity similarity, Quantization quantization, int maxConn,
        int beamWidth) {
      this.space = space;
      this.dimension = dimension;
      this.similarity = similarity;
      this.quantization = quantization;
      this.maxConn = maxConn;
      this.beamWidth = beamWidth;
    }

    /** int4 packs two dimensions per byte: odd dimensions get one zero (which changes no score). */
    int fieldDimension() {
      return quantization == Quantization.INT4 && dimension % 2 == 1 ? dimension + 1 : dimension;
    }

    VectorSimilarityFunction function() {
      return similarity == Similarity.COSINE ? VectorSimilarityFunction.COSINE : VectorSimilarityFunction.DOT_PRODUCT;
    }

    Map<String, String> toUserData() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put(KEY_FORMAT, FORMAT_VERSION);
      m.put(KEY_SPACE, space);
      m.put(KEY_DIMENSION, Integer.toString(dimension));
      m.put(KEY_SIMILARITY, similarity.name());
      m.put(KEY_QUANTIZATION, quantization.name());
      m.put(KEY_MAX_CONN, Integer.toString(maxConn));
      m.put(KEY_BEAM_WIDTH, Integer.toString(beamWidth));
      return m;
    }

    static Settings fromUserData(Path dir, Map<String, String> m) {
      String format = m.get(KEY_FORMAT);
      if (format == null) {
        throw new CorruptIndexException(dir, "SETTINGS", "a Lucene index, but not a bindspace one: the commit user data has no "
            + KEY_FORMAT + " (keys: " + m.keySet() + ")");
      }
      if (!FORMAT_VERSION.equals(format)) {
        throw new CorruptIndexException(dir, "SETTINGS", KEY_FORMAT + " is '" + format + "', expected '"
            + FORMAT_VERSION + "' (written by another bindspace version?)");
      }
      try {
        String space = Embedding.checkSpace(required(dir, m, KEY_SPACE));
        int dimension = Integer.parseInt(required(dir, m, KEY_DIMENSION));
        Similarity sim = Similarity.valueOf(required(dir, m, KEY_SIMILARITY));
        Quantization q = Quantization.valueOf(required(dir, m, KEY_QUANTIZATION));
        int maxConn = Integer.parseInt(required(dir, m, KEY_MAX_CONN));
        int beamWidth = Integer.parseInt(required(dir, m, KEY_BEAM_WIDTH));
        if (dimension < 1 || dimension > MAX_DIMENSION || maxConn < 1 || maxConn > MAX_MAX_CONN || beamWidth < 1
            || beamWidth > MAX_BEAM_WIDTH) {
          throw new IllegalArgumentException("dimension " + dimension + ", maxConn " + maxConn + " or beamWidth "
              + beamWidth + " out of range");
        }
        return new Settings(space, dimension, sim, q, maxConn, beamWidth);
      } catch (IllegalArgumentException e) { // NumberFormatException included
        throw new CorruptIndexException(dir, "SETTINGS", "bad settings " + m + ": " + e.getMessage(), e);
      }
    }

    private static String required(Path dir, Map<String, String> m, String key) {
      String v = m.get(key);
      if (v == null) {
        throw new CorruptIndexException(dir, "SETTINGS", "commit user data lacks " + key);
      }
      return v;
    }

    @Override
    public String toString() {
      return "space=" + space + ", dimension=" + dimension + ", similarity=" + similarity + ", quantization="
          + quantization + ", maxConn=" + maxConn + ", beamWidth=" + beamWidth;
    }
  }

  private final Settings settings;
  private final Options options;
  private final Path path; // null in memory
  private final Directory directory;
  private final IndexWriter writer;
  private final ExecutorService mergePool; // null for single-threaded merges
  private final ExecutorService indexPool; // null for single-threaded indexing
  private final VectorSearch.Config searchConfig;
  private final HeapSegments heapSegments; // null unless Residency.HEAP applies
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile View view;
  private volatile boolean closed;
  /** Set by a write whose changes the view does not show: the next read refreshes first. */
  private volatile boolean refreshDue;
  /** While a refresh is due: id -> live, for every id written since the view (guarded by writeLock). */
  private Map<String, Boolean> unrefreshed;

  private LuceneVectorIndex(Settings settings, Options options, Path path, Directory directory, IndexWriter writer,
      ExecutorService mergePool) throws IOException {
    this.settings = settings;
    this.options = options;
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.mergePool = mergePool;
    boolean simdGraph = settings.similarity == Similarity.DOT_PRODUCT && settings.quantization == Quantization.NONE;
    this.heapSegments = simdGraph && options.residency == Residency.HEAP ? new HeapSegments(settings.maxConn) : null;
    this.searchConfig = new VectorSearch.Config(settings.fieldDimension(), settings.similarity == Similarity.COSINE,
        simdGraph, options.exactSearchThreshold, options.oversample(settings.quantization), heapSegments,
        options.graphOnly);
    this.view = new View(DirectoryReader.open(writer), Overlay.EMPTY);
    // last: nothing below can fail and leave the threads behind
    this.indexPool = options.indexThreads > 1 ? Executors.newFixedThreadPool(options.indexThreads, daemon("index"))
        : null;
  }

  /** A builder of a new index of {@code space} and {@code dimension}. */
  public static Builder builder(String space, int dimension) {
    return new Builder(space, dimension);
  }

  /** Opens the index in {@code directory} with default options; see {@link #open(Path, Options)}. */
  public static LuceneVectorIndex open(Path directory) {
    return open(directory, Options.defaults());
  }

  /**
   * Opens the index in {@code directory} at its last commit; its settings (space, dimension,
   * similarity, quantisation, graph parameters) come from that commit.
   *
   * @throws CorruptIndexException if the directory holds no commit, not a bindspace index, or a
   *     damaged one (section {@code COMMIT}, {@code SETTINGS} or {@code SEGMENTS})
   * @throws BindspaceException if the directory is missing, unreadable or locked by another writer
   */
  public static LuceneVectorIndex open(Path directory, Options options) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(options, "options");
    if (!Files.isDirectory(directory)) {
      throw new BindspaceException("cannot open index: " + directory + " is not a directory");
    }
    FSDirectory fs = null;
    try {
      fs = FSDirectory.open(directory);
      if (!DirectoryReader.indexExists(fs)) {
        throw new CorruptIndexException(directory, "COMMIT", "no Lucene commit point (segments_N) in the directory");
      }
      Settings s = Settings.fromUserData(directory, SegmentInfos.readLatestCommit(fs).getUserData());
      return start(directory, forQuantization(directory, fs, s.quantization), s, options,
          IndexWriterConfig.OpenMode.APPEND);
    } catch (IOException | RuntimeException e) {
      closeQuietly(fs);
      throw translate(directory, "open", e);
    }
  }

  private static LuceneVectorIndex create(Path directory, Settings s, Options options) {
    Directory dir = null;
    try {
      if (directory == null) {
        dir = new ByteBuffersDirectory();
      } else {
        Files.createDirectories(directory);
        FSDirectory fs = FSDirectory.open(directory);
        dir = fs;
        if (DirectoryReader.indexExists(fs)) {
          throw new IllegalArgumentException("directory " + directory
              + " already holds an index; use LuceneVectorIndex.open to open it");
        }
        dir = forQuantization(directory, fs, s.quantization);
      }
      return start(directory, dir, s, options, IndexWriterConfig.OpenMode.CREATE);
    } catch (IOException | RuntimeException e) {
      closeQuietly(dir);
      if (e instanceof IllegalArgumentException) {
        throw (IllegalArgumentException) e;
      }
      throw translate(directory, "create", e);
    }
  }

  /**
   * The directory an index on disk reads through: {@code fs} (memory-mapped), except that a
   * quantised index reads its full-precision vectors ({@code .vec}) with positional reads. Only the
   * few re-scored candidates of a search read them; through a mapping, each such read faulted in the
   * kernel's read-around (up to 128 KB) and pushed the quantised vectors that every graph walk needs
   * out of a tight page cache (measured: docs/benchmarks-ann.md, "int7 under a memory limit").
   */
  private static Directory forQuantization(Path path, FSDirectory fs, Quantization q) throws IOException {
    if (q == Quantization.NONE) {
      return fs;
    }
    return new FileSwitchDirectory(Set.of("vec"), new NIOFSDirectory(path), fs, true);
  }

  private static LuceneVectorIndex start(Path path, Directory base, Settings s, Options options,
      IndexWriterConfig.OpenMode mode) throws IOException {
    // small NRT segments stay in RAM until merged or committed
    Directory dir = path == null ? base : new NRTCachingDirectory(base, 8.0, 64.0);
    ExecutorService pool = null;
    IndexWriter writer = null;
    try {
      if (options.mergeThreads > 1) {
        pool = Executors.newFixedThreadPool(options.mergeThreads, daemon("merge"));
      }
      IndexWriterConfig c = new IndexWriterConfig()
          .setOpenMode(mode)
          .setCodec(WriterFormats.codec(s.maxConn, s.beamWidth, s.quantization.bits(), options.mergeThreads, pool))
          .setRAMBufferSizeMB(options.ramBufferMb)
          // no compound files: they would copy every flushed segment (vectors and graph) once more
          .setUseCompoundFile(false)
          .setCommitOnClose(false);
      c.getMergePolicy().setNoCFSRatio(0.0);
      writer = new IndexWriter(dir, c);
      writer.setLiveCommitData(s.toUserData().entrySet());
      if (mode == IndexWriterConfig.OpenMode.CREATE) {
        writer.commit(); // an empty, openable index with its settings
      }
      return new LuceneVectorIndex(s, options, path, dir, writer, pool);
    } catch (IOException | RuntimeException e) {
      if (writer != null) {
        try {
          writer.rollback();
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (pool != null) {
        pool.shutdownNow();
      }
      throw e;
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String role) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bindspace-lucene-" + role + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static RuntimeException translate(Path dir, String what, Exception e) {
    if (e instanceof CorruptIndexException || e instanceof BindspaceException) {
      return (RuntimeException) e;
    }
    if (e instanceof org.apache.lucene.index.CorruptIndexException || e instanceof IndexFormatTooOldException
        || e instanceof IndexFormatTooNewException) {
      return new CorruptIndexException(dir, "SEGMENTS", e.getMessage(), e);
    }
    if (e instanceof LockObtainFailedException) {
      return new BindspaceException("cannot " + what + " index " + dir + ": it is open in another writer ("
          + e.getMessage() + ")", e);
    }
    return new BindspaceException("cannot " + what + " index " + (dir == null ? "in memory" : dir) + ": " + e, e);
  }

  private static void closeQuietly(Directory d) {
    if (d != null) {
      try {
        d.close();
      } catch (IOException | RuntimeException ignored) {
        // already failing
      }
    }
  }

  // ------------------------------------------------------------------------------ properties

  @Override
  public String space() {
    return settings.space;
  }

  @Override
  public int dimension() {
    return settings.dimension;
  }

  public Similarity similarity() {
    return settings.similarity;
  }

  public Quantization quantization() {
    return settings.quantization;
  }

  public int maxConn() {
    return settings.maxConn;
  }

  public int beamWidth() {
    return settings.beamWidth;
  }

  public Options options() {
    return options;
  }

  /** The index directory, empty for an in-memory index. */
  public Optional<Path> directory() {
    return Optional.ofNullable(path);
  }

  @Override
  public int size() {
    View v = acquire();
    try {
      return v.size();
    } finally {
      release(v);
    }
  }

  /** Number of Lucene segments (each has its own graph; a search walks each). */
  public int segmentCount() {
    View v = acquire();
    try {
      return v.reader.leaves().size();
    } finally {
      release(v);
    }
  }

  /**
   * Heap bytes held by {@link Residency#HEAP} copies of segments (vectors and level-0 graphs) that
   * searches have loaded and Lucene has not closed yet; 0 with {@link Residency#MAPPED} or where
   * the residency does not apply.
   */
  public long residentBytes() {
    return heapSegments == null ? 0 : heapSegments.bytes();
  }

  // ---------------------------------------------------------------------------------- writes

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

  private void write(List<IndexEntry> entries, boolean upsert) {
    int n = entries.size();
    List<Overlay.Pending> pending = new ArrayList<>(n);
    List<Document> docs = new ArrayList<>(n);
    List<BytesRef> keys = new ArrayList<>(n);
    Set<String> batchIds = new HashSet<>(n * 2);
    boolean cosine = settings.similarity == Similarity.COSINE;
    for (IndexEntry e : entries) {
      checkEmbedding(e.embedding(), "entry '" + e.id() + "'");
      if (e.embedding().norm() == 0) {
        throw new IllegalArgumentException("entry '" + e.id() + "' is the zero vector; cosine is undefined for it");
      }
      if (!batchIds.add(e.id())) {
        throw new IllegalArgumentException("id '" + e.id() + "' appears twice in one batch");
      }
      float[] sv = DocLayout.searchVector(e.embedding().toArray(), cosine, settings.fieldDimension());
      pending.add(new Overlay.Pending(e, sv));
      docs.add(DocLayout.document(e, sv, settings.function()));
      keys.add(DocLayout.key(e.id()));
    }
    writeLock.lock();
    try {
      checkOpen();
      if (n == 0) {
        return;
      }
      View v = view;
      List<String> liveInReader = new ArrayList<>();
      for (IndexEntry e : entries) {
        Boolean changed = unrefreshed == null ? null : unrefreshed.get(e.id());
        boolean inReader = changed == null && v.liveInReader(e.id());
        boolean exists = changed != null ? changed : inReader || v.overlay.added().containsKey(e.id());
        if (!upsert && exists) {
          throw new IllegalArgumentException("id '" + e.id() + "' is already in the index; use upsert to replace it");
        }
        if (inReader) {
          liveInReader.add(e.id());
        }
      }
      if (!upsert) {
        addDocuments(docs, keys);
      } else if (n == 1) {
        writer.updateDocument(DocLayout.keyTerm(entries.get(0).id()), docs.get(0));
      } else {
        // one atomic operation: deletes the old documents of these ids, then adds the new ones
        writer.updateDocuments(new TermInSetQuery(DocLayout.KEY, keys), docs);
      }
      if (!refreshDue && v.overlay.size() + n > options.maxPendingEntries) {
        refreshDueLocked();
      }
      if (refreshDue) {
        for (IndexEntry e : entries) {
          unrefreshed.put(e.id(), Boolean.TRUE);
        }
      } else {
        view = v.with(v.overlay.plus(pending, liveInReader));
      }
      afterWriteLocked();
    } catch (IOException | AlreadyClosedException e) {
      throw failure("write", e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Adds documents, split over the index threads when the batch is large. Caller holds the lock. */
  private void addDocuments(List<Document> docs, List<BytesRef> keys) throws IOException {
    int threads = indexPool == null ? 1 : (int) Math.min(options.indexThreads, docs.size() / PARALLEL_BATCH);
    if (threads <= 1) {
      writer.addDocuments(docs);
      return;
    }
    List<java.util.concurrent.Future<?>> parts = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      // each thread gets its own Lucene indexing buffer, hence its own segment and graph
      List<Document> part = docs.subList(docs.size() * t / threads, docs.size() * (t + 1) / threads);
      parts.add(indexPool.submit(() -> {
        writer.addDocuments(part);
        return null;
      }));
    }
    Throwable failed = null;
    for (java.util.concurrent.Future<?> f : parts) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        failed = failed == null ? e.getCause() : failed;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed = failed == null ? e : failed;
      }
    }
    if (failed != null) {
      // all-or-nothing: the ids were absent before this batch, so deleting them undoes the parts that went in
      writer.deleteDocuments(new TermInSetQuery(DocLayout.KEY, keys));
      if (failed instanceof IOException) {
        throw (IOException) failed;
      }
      throw new BindspaceException("indexing a batch failed: " + failed, failed);
    }
  }

  /** From now on reads refresh first; writes record ids only. Caller holds the lock. */
  private void refreshDueLocked() {
    unrefreshed = new java.util.HashMap<>();
    refreshDue = true;
  }

  @Override
  public boolean remove(String id) {
    Objects.requireNonNull(id, "id");
    writeLock.lock();
    try {
      checkOpen();
      View v = view;
      Boolean changed = unrefreshed == null ? null : unrefreshed.get(id);
      boolean inReader = changed == null && v.liveInReader(id);
      boolean exists = changed != null ? changed : inReader || v.overlay.added().containsKey(id);
      if (!exists) {
        return false;
      }
      writer.deleteDocuments(DocLayout.keyTerm(id));
      if (!refreshDue) {
        Overlay o = v.overlay.minus(id, inReader);
        if (o.size() > options.maxPendingEntries) {
          refreshDueLocked();
        } else {
          view = v.with(o);
        }
      }
      if (refreshDue) {
        unrefreshed.put(id, Boolean.FALSE);
      }
      afterWriteLocked();
      return true;
    } catch (IOException | AlreadyClosedException e) {
      throw failure("remove", e);
    } finally {
      writeLock.unlock();
    }
  }

  private void afterWriteLocked() throws IOException {
    if (options.commitPolicy == CommitPolicy.EVERY_WRITE) {
      writer.commit();
    }
  }

  /** Opens a new near-real-time reader that has every write, and drops the overlay. Caller holds the lock. */
  private void refreshLocked() throws IOException {
    View old = view;
    DirectoryReader fresh = DirectoryReader.openIfChanged(old.reader, writer);
    if (fresh == null) {
      view = old.with(Overlay.EMPTY);
    } else {
      view = new View(fresh, Overlay.EMPTY);
      old.reader.decRef();
    }
    // after the new view: a reader that sees refreshDue == false also sees that view
    refreshDue = false;
    unrefreshed = null;
  }

  /** Refreshes if a write asked for it. */
  private void refreshIfDue() {
    writeLock.lock();
    try {
      checkOpen();
      if (refreshDue) {
        refreshLocked();
      }
    } catch (IOException | AlreadyClosedException e) {
      throw failure("refresh", e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Makes every write so far durable: Lucene writes and fsyncs the new segments and a new commit
   * point. After a crash, {@link #open} sees the state of the last completed commit.
   *
   * @throws BindspaceException if the commit fails (the previous commit stays intact)
   */
  public void commit() {
    writeLock.lock();
    try {
      checkOpen();
      writer.commit();
    } catch (IOException | AlreadyClosedException e) {
      throw failure("commit", e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Merges the index down to at most {@code maxSegments} segments (one graph each), waiting for the
   * merges, and refreshes the reader: searches walk fewer graphs afterwards. Costly (the merged
   * graph is rebuilt from the largest segment's graph); writes and searches may continue meanwhile.
   *
   * @throws IllegalArgumentException if {@code maxSegments < 1}
   */
  public void forceMerge(int maxSegments) {
    if (maxSegments < 1) {
      throw new IllegalArgumentException("maxSegments must be >= 1, got " + maxSegments);
    }
    checkOpen();
    try {
      writer.forceMerge(maxSegments, true);
    } catch (IOException | AlreadyClosedException e) {
      throw failure("forceMerge", e);
    }
    writeLock.lock();
    try {
      checkOpen();
      refreshLocked();
    } catch (IOException | AlreadyClosedException e) {
      throw failure("refresh", e);
    } finally {
      writeLock.unlock();
    }
  }

  private RuntimeException failure(String what, Exception e) {
    if (closed) {
      return new IllegalStateException("index is closed", e);
    }
    return new BindspaceException(what + " failed on index " + (path == null ? "in memory" : path) + ": " + e, e);
  }

  // ----------------------------------------------------------------------------------- reads

  @Override
  public Optional<IndexEntry> get(String id) {
    Objects.requireNonNull(id, "id");
    View v = acquire();
    try {
      Overlay.Pending p = v.overlay.added().get(id);
      if (p != null) {
        return Optional.of(p.entry);
      }
      if (v.overlay.hidden().contains(id)) {
        return Optional.empty();
      }
      long at = v.findInReader(DocLayout.key(id));
      if (at < 0) {
        return Optional.empty();
      }
      return Optional.of(read(v, (int) (at >>> 32), (int) at, id));
    } catch (IOException e) {
      throw failure("get", e);
    } finally {
      release(v);
    }
  }

  private IndexEntry read(View v, int leafOrd, int doc, String id) throws IOException {
    LeafReader leaf = v.reader.leaves().get(leafOrd).reader();
    NumericDocValues media = leaf.getNumericDocValues(DocLayout.MEDIA);
    if (media == null || !media.advanceExact(doc)) {
      throw new BindspaceException("document of '" + id + "' has no media kind");
    }
    BinaryDocValues meta = leaf.getBinaryDocValues(DocLayout.META);
    Map<String, String> metadata = meta != null && meta.advanceExact(doc) ? DocLayout.decodeMetadata(meta.binaryValue())
        : Map.of();
    BytesRef raw = leaf.storedFields().document(doc, Set.of(DocLayout.RAW)).getBinaryValue(DocLayout.RAW);
    float[] values;
    if (raw != null) {
      values = DocLayout.bytesToFloats(raw);
    } else {
      FloatVectorValues vv = leaf.getFloatVectorValues(DocLayout.VEC);
      if (vv == null || vv.advance(doc) != doc) {
        throw new BindspaceException("document of '" + id + "' has no vector");
      }
      values = java.util.Arrays.copyOf(vv.vectorValue(), settings.dimension);
    }
    Embedding e = Embedding.of(settings.space, MediaKind.fromCode((int) media.longValue()), values);
    return IndexEntry.of(id, e, metadata);
  }

  @Override
  public boolean contains(String id) {
    Objects.requireNonNull(id, "id");
    View v = acquire();
    try {
      return v.overlay.added().containsKey(id) || v.liveInReader(id);
    } finally {
      release(v);
    }
  }

  @Override
  public List<SearchHit> search(SearchRequest request) {
    return search(request, options.candidates);
  }

  /**
   * {@link #search(SearchRequest)} with another graph beam for this query: more candidates find
   * more of the true nearest neighbours and cost more time (hnswlib's {@code ef}).
   *
   * @throws IllegalArgumentException if candidates is outside 1..{@value Options#MAX_CANDIDATES}, or
   *     the query has another space or dimension
   */
  public List<SearchHit> search(SearchRequest request, int candidates) {
    Objects.requireNonNull(request, "request");
    if (candidates < 1 || candidates > Options.MAX_CANDIDATES) {
      throw new IllegalArgumentException("candidates must be in 1.." + Options.MAX_CANDIDATES + ", got " + candidates);
    }
    checkEmbedding(request.query(), "query");
    View v = acquire();
    try {
      return VectorSearch.run(searchConfig, v, request, candidates);
    } catch (IOException e) {
      throw failure("search", e);
    } finally {
      release(v);
    }
  }

  /** Runs the requests one after another (a graph index has no batch shortcut). */
  @Override
  public List<List<SearchHit>> searchAll(List<SearchRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    for (int i = 0; i < requests.size(); i++) {
      SearchRequest r = Objects.requireNonNull(requests.get(i), "requests[" + i + "]");
      checkEmbedding(r.query(), "query " + i);
    }
    checkOpen();
    List<List<SearchHit>> out = new ArrayList<>(requests.size());
    for (SearchRequest r : requests) {
      out.add(search(r));
    }
    return out;
  }

  private void checkEmbedding(Embedding e, String what) {
    Objects.requireNonNull(e, what);
    if (!settings.space.equals(e.space())) {
      throw new IllegalArgumentException(what + " is in space '" + e.space() + "', but the index holds space '"
          + settings.space + "'");
    }
    if (e.dimension() != settings.dimension) {
      throw new IllegalArgumentException(what + " has dimension " + e.dimension() + ", expected " + settings.dimension);
    }
  }

  /** The current view with a reference on its reader; pair with {@link #release}. */
  private View acquire() {
    while (true) {
      checkOpen();
      if (refreshDue) { // read before the view: a write that returned before this read set it
        refreshIfDue();
      }
      View v = view;
      if (v.reader.tryIncRef()) {
        return v;
      }
      // the reader was replaced and closed between the read and the incRef: take the new view
    }
  }

  private void release(View v) {
    try {
      v.reader.decRef();
    } catch (IOException e) {
      throw new BindspaceException("cannot release a reader of " + (path == null ? "in-memory index" : path), e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("index is closed");
    }
  }

  // ------------------------------------------------------------------------------- lifecycle

  /**
   * Commits (unless the policy is {@link CommitPolicy#MANUAL}, in which case uncommitted changes
   * are discarded) and releases the files and threads. Searches running meanwhile finish on the
   * reader they hold. Idempotent.
   *
   * @throws BindspaceException if the final commit fails (the index is closed anyway)
   */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      Exception failure = null;
      try {
        if (options.commitPolicy != CommitPolicy.MANUAL && path != null) {
          writer.commit();
        }
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
      try {
        writer.rollback(); // closes; what was not committed is dropped
      } catch (IOException | RuntimeException e) {
        failure = add(failure, e);
      }
      try {
        // the directory closes with the last reader: searches still running keep theirs open
        DirectoryReader last = view.reader;
        if (last.getReaderCacheHelper() != null) {
          last.getReaderCacheHelper().addClosedListener(key -> directory.close());
          last.decRef();
        } else {
          last.decRef();
          directory.close();
        }
      } catch (IOException | RuntimeException e) {
        failure = add(failure, e);
      }
      if (mergePool != null) {
        mergePool.shutdown();
      }
      if (indexPool != null) {
        indexPool.shutdown();
      }
      if (failure != null) {
        throw new BindspaceException("closing index " + (path == null ? "in memory" : path) + " failed: " + failure,
            failure);
      }
    } finally {
      writeLock.unlock();
    }
  }

  private static Exception add(Exception first, Exception next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  @Override
  public String toString() {
    return "LuceneVectorIndex[" + settings + ", directory=" + (path == null ? "in memory" : path) + ", " + options
        + (closed ? ", closed" : "") + "]";
  }
}
