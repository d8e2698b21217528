package dev.bindspace.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Off-heap row-major float32 storage in chunks of direct or memory-mapped little-endian buffers.
 *
 * <p>Off-heap so that a large index neither burdens the garbage collector nor needs copying to be
 * handed to BLAS, and so that a file's vector section can be mapped rather than read. A store is
 * immutable as a list of chunks; rows are appended into free capacity by the single writer, and
 * {@link #withCapacity} returns a new store when more chunks are needed. Readers only read rows
 * below the row count of the snapshot they hold, which the writer published after writing them.
 *
 * <p>Internal API.
 */
public final class VectorStore {
  /** Largest chunk: 1 GiB (a direct buffer's capacity is an int). */
  static final long MAX_CHUNK_BYTES = 1L << 30;
  private static final long MIN_CHUNK_BYTES = 1L << 16;

  /** One buffer of rows. */
  public static final class Chunk {
    private final ByteBuffer buffer;
    private final int startRow;
    private final int capacity;
    private final boolean writable;
    private volatile Object batchCache;

    Chunk(ByteBuffer buffer, int startRow, int capacity, boolean writable) {
      this.buffer = buffer.order(ByteOrder.LITTLE_ENDIAN);
      this.startRow = startRow;
      this.capacity = capacity;
      this.writable = writable;
    }

    /** The rows, little-endian; row {@code startRow + i} starts at byte {@code i * rowBytes}. */
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
    return (int) Math.max(1, MAX_CHUNK_BYTES / ((long) dimension * Float.BYTES));
  }

  /** A read-only store over already filled buffers (e.g. file mappings), in row order. */
  public static VectorStore ofFilled(int dimension, List<ByteBuffer> buffers) {
    Chunk[] cs = new Chunk[buffers.size()];
    int start = 0;
    int rowBytes = dimension * Float.BYTES;
    for (int i = 0; i < cs.length; i++) {
      ByteBuffer b = buffers.get(i);
      int rows = b.capacity() / rowBytes;
      cs[i] = new Chunk(b, start, rows, false);
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
   * This store if rows {@code [rows, rows + extra)} fit into writable chunks, else a new store with
   * one more direct chunk large enough (growing geometrically, capped at 1 GiB per chunk). Old
   * readers keep using the old store object; both share the existing chunks.
   */
  public VectorStore withCapacity(int rows, int extra) {
    long needed = (long) rows + extra;
    if (needed > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("an index holds at most " + Integer.MAX_VALUE + " rows, " + needed + " requested");
    }
    if (needed <= capacity && (extra == 0 || chunkAt(rows).writable)) {
      return this;
    }
    Chunk[] cs = chunks;
    long cap = capacity;
    int maxRows = maxChunkRows(dimension);
    // rows past the last filled row of a read-only (mapped) store start a fresh chunk
    if (cs.length > 0 && !cs[cs.length - 1].writable && rows < cap) {
      throw new IllegalStateException("cannot append at row " + rows + " inside read-only storage of " + cap + " rows");
    }
    while (cap < needed) {
      long last = cs.length == 0 ? 0 : (long) cs[cs.length - 1].capacity * rowBytes;
      long bytes = Math.max(Math.max(MIN_CHUNK_BYTES, 2 * last), (needed - cap) * rowBytes);
      int chunkRows = (int) Math.min(maxRows, Math.max(1, bytes / rowBytes));
      ByteBuffer b = ByteBuffer.allocateDirect(chunkRows * rowBytes);
      cs = Arrays.copyOf(cs, cs.length + 1);
      cs[cs.length - 1] = new Chunk(b, (int) cap, chunkRows, true);
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
    Chunk c = chunks[lo];
    if (row < c.startRow || row >= c.startRow + c.capacity) {
      throw new IndexOutOfBoundsException("row " + row + " outside storage of " + capacity + " rows");
    }
    return c;
  }

  /** Writes {@code values} as row {@code row} (writer thread only, into free capacity). */
  public void write(int row, float[] values) {
    Chunk c = chunkAt(row);
    if (!c.writable) {
      throw new IllegalStateException("row " + row + " is in read-only storage");
    }
    int base = (row - c.startRow) * rowBytes;
    ByteBuffer b = c.buffer;
    for (int i = 0; i < dimension; i++) {
      b.putFloat(base + 4 * i, values[i]);
    }
  }

  /** Reads row {@code row} into {@code dest}. */
  public void read(int row, float[] dest) {
    Chunk c = chunkAt(row);
    int base = (row - c.startRow) * rowBytes;
    ByteBuffer b = c.buffer;
    for (int i = 0; i < dimension; i++) {
      dest[i] = b.getFloat(base + 4 * i);
    }
  }
}
