package dev.bindspace.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Row-major float32 storage in chunks. A chunk is either a heap {@code float[]} (rows added in
 * memory) or a read-only little-endian {@link ByteBuffer} (a memory-mapped file section).
 *
 * <p>Heap arrays for added rows because the SIMD scan reads them about 1.4x faster than the same
 * bytes through a direct buffer on JDK 17 (measured: docs/benchmarks.md); mapped buffers for opened
 * files so that a large index is not copied through the heap. A store is immutable as a list of
 * chunks; rows are appended into free capacity by the single writer, and {@link #withCapacity}
 * returns a new store when more chunks are needed. Readers only read rows below the row count of
 * the snapshot they hold, which the writer published after writing them.
 *
 * <p>Internal API.
 */
public final class VectorStore {
  /** Largest chunk: 2^28 floats (1 GiB). */
  static final long MAX_CHUNK_FLOATS = 1L << 28;
  private static final long MIN_CHUNK_FLOATS = 1L << 14;

  /** One array or buffer of rows. */
  public static final class Chunk {
    private final float[] array;
    private final ByteBuffer buffer;
    private final int startRow;
    private final int capacity;
    private volatile Object batchCache;

    Chunk(float[] array, int startRow, int capacity) {
      this.array = array;
      this.buffer = null;
      this.startRow = startRow;
      this.capacity = capacity;
    }

    Chunk(ByteBuffer buffer, int startRow, int capacity) {
      this.array = null;
      this.buffer = buffer.order(ByteOrder.LITTLE_ENDIAN);
      this.startRow = startRow;
      this.capacity = capacity;
    }

    /** Whether the rows are in {@link #array()} (else in {@link #buffer()}). */
    public boolean isHeap() {
      return array != null;
    }

    /** Heap rows; row {@code startRow + i} starts at index {@code i * dimension}. Null for a buffer chunk. */
    public float[] array() {
      return array;
    }

    /** Read-only little-endian rows; row {@code startRow + i} starts at byte {@code i * rowBytes}. Null for a heap chunk. */
    public ByteBuffer buffer() {
      return buffer;
    }

    public int startRow() {
      return startRow;
    }

    public int capacity() {
      return capacity;
    }

    /** A per-chunk cache slot for the batch scorer (e.g. a wrapped native pointer). */
    public Object batchCache() {
      return batchCache;
    }

    public void batchCache(Object value) {
      batchCache = value;
    }
  }

  private final int dimension;
  private final int rowBytes;
  private final Chunk[] chunks;
  private final long capacity;

  private VectorStore(int dimension, Chunk[] chunks) {
    this.dimension = dimension;
    this.rowBytes = dimension * Float.BYTES;
    this.chunks = chunks;
    long c = 0;
    for (Chunk ch : chunks) {
      c += ch.capacity;
    }
    this.capacity = c;
  }

  /** An empty store. */
  public static VectorStore empty(int dimension) {
    return new VectorStore(dimension, new Chunk[0]);
  }

  /** Rows per chunk at most, for this dimension. */
  public static int maxChunkRows(int dimension) {
    return (int) Math.max(1, MAX_CHUNK_FLOATS / dimension);
  }

  /** A read-only store over filled little-endian buffers (e.g. file mappings), in row order. */
  public static VectorStore ofFilled(int dimension, List<ByteBuffer> buffers) {
    Chunk[] cs = new Chunk[buffers.size()];
    int start = 0;
    int rowBytes = dimension * Float.BYTES;
    for (int i = 0; i < cs.length; i++) {
      ByteBuffer b = buffers.get(i);
      int rows = b.capacity() / rowBytes;
      cs[i] = new Chunk(b, start, rows);
      start += rows;
    }
    return new VectorStore(dimension, cs);
  }

  public int dimension() {
    return dimension;
  }

  public int rowBytes() {
    return rowBytes;
  }

  /** Total rows the chunks can hold. */
  public long capacity() {
    return capacity;
  }

  public int chunkCount() {
    return chunks.length;
  }

  public Chunk chunk(int i) {
    return chunks[i];
  }

  /**
   * This store if rows {@code [rows, rows + extra)} fit into heap chunks, else a new store with one
   * more heap chunk large enough (growing geometrically, capped at 1 GiB per chunk). Old readers
   * keep using the old store object; both share the existing chunks.
   */
  public VectorStore withCapacity(int rows, int extra) {
    long needed = (long) rows + extra;
    if (needed > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("an index holds at most " + (Integer.MAX_VALUE - 8) + " rows, " + needed
          + " requested");
    }
    if (extra == 0 || (needed <= capacity && chunkAt(rows).isHeap())) {
      return this;
    }
    if (rows < capacity && !chunkAt(rows).isHeap()) {
      throw new IllegalStateException("cannot append at row " + rows + " inside read-only storage of " + capacity
          + " rows");
    }
    Chunk[] cs = chunks;
    long cap = capacity;
    int maxRows = maxChunkRows(dimension);
    while (cap < needed) {
      long last = cs.length == 0 || !cs[cs.length - 1].isHeap() ? 0 : (long) cs[cs.length - 1].capacity * dimension;
      long floats = Math.max(Math.max(MIN_CHUNK_FLOATS, 2 * last), (needed - cap) * dimension);
      int chunkRows = (int) Math.min(maxRows, Math.max(1, floats / dimension));
      cs = Arrays.copyOf(cs, cs.length + 1);
      cs[cs.length - 1] = new Chunk(new float[chunkRows * dimension], (int) cap, chunkRows);
      cap += chunkRows;
    }
    return new VectorStore(dimension, cs);
  }

  /** The chunk holding {@code row}. */
  public Chunk chunkAt(int row) {
    int lo = 0;
    int hi = chunks.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (chunks[mid].startRow <= row) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    if (chunks.length == 0) {
      throw new IndexOutOfBoundsException("row " + row + " outside empty storage");
    }
    Chunk c = chunks[lo];
    if (row < c.startRow || row >= c.startRow + c.capacity) {
      throw new IndexOutOfBoundsException("row " + row + " outside storage of " + capacity + " rows");
    }
    return c;
  }

  /** Writes {@code values} as row {@code row} (writer thread only, into free heap capacity). */
  public void write(int row, float[] values) {
    Chunk c = chunkAt(row);
    if (!c.isHeap()) {
      throw new IllegalStateException("row " + row + " is in read-only storage");
    }
    System.arraycopy(values, 0, c.array, (row - c.startRow) * dimension, dimension);
  }

  /** Reads row {@code row} into {@code dest}. */
  public void read(int row, float[] dest) {
    Chunk c = chunkAt(row);
    if (c.isHeap()) {
      System.arraycopy(c.array, (row - c.startRow) * dimension, dest, 0, dimension);
    } else {
      int base = (row - c.startRow) * rowBytes;
      for (int i = 0; i < dimension; i++) {
        dest[i] = c.buffer.getFloat(base + 4 * i);
      }
    }
  }
}
