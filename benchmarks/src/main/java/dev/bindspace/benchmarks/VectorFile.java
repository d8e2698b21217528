package dev.bindspace.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * A raw float32 vector file, read by both the JMH benchmarks and {@code benchmarks/python/peers.py}
 * so that every engine scans the very same vectors. All numbers little-endian.
 *
 * <pre>
 * offset size
 *   0     8   magic "BSVECF32" (ASCII)
 *   8     4   u32 version = 1
 *   12    4   u32 dimension d (&ge; 1)
 *   16    8   u64 row count n (&ge; 1)
 *   24    8   u64 seed the rows were generated from (informational)
 *   32    4·d·n  rows, row-major float32
 * </pre>
 *
 * In numpy: {@code np.fromfile(path, dtype="<f4", offset=32).reshape(n, d)}.
 */
public final class VectorFile {
  /** Bytes before the first row. */
  public static final int HEADER_BYTES = 32;
  /** The format version written and accepted. */
  public static final int VERSION = 1;
  private static final byte[] MAGIC = "BSVECF32".getBytes(StandardCharsets.US_ASCII);

  private VectorFile() {
  }

  /** The header fields. */
  public record Header(int dimension, long rows, long seed) {
    public Header {
      if (dimension < 1 || rows < 1) {
        throw new IllegalArgumentException("dimension and rows must be >= 1, got " + dimension + " x " + rows);
      }
    }

    /** Expected file length. */
    public long fileBytes() {
      return HEADER_BYTES + 4L * dimension * rows;
    }
  }

  /** Produces row {@code row} into {@code dest} (length d); called from several threads. */
  @FunctionalInterface
  public interface RowSource {
    void fill(long row, float[] dest);
  }

  /** Reads and checks the header, and that the file is exactly as long as it says. */
  public static Header readHeader(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return readHeader(ch, file);
    }
  }

  private static Header readHeader(FileChannel ch, Path file) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, h, 0, file);
    h.flip();
    byte[] magic = new byte[MAGIC.length];
    h.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException(file + ": not a vector file (bad magic)");
    }
    int version = h.getInt();
    if (version != VERSION) {
      throw new IOException(file + ": version " + version + ", expected " + VERSION);
    }
    Header header = new Header(h.getInt(), h.getLong(), h.getLong());
    if (ch.size() != header.fileBytes()) {
      throw new IOException(file + ": " + ch.size() + " bytes, expected " + header.fileBytes() + " for "
          + header.rows() + " x " + header.dimension());
    }
    return header;
  }

  /**
   * Writes {@code rows} rows produced by {@code source}, computing blocks of rows in parallel. The file
   * appears atomically (written under a temporary name, then renamed), so an interrupted run never leaves
   * a file that looks complete.
   */
  public static void write(Path file, Header header, RowSource source) throws IOException {
    Objects.requireNonNull(source, "source");
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    int d = header.dimension();
    int block = Math.max(1, (1 << 22) / d); // ~16 MB of rows per write
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      h.put(MAGIC).putInt(VERSION).putInt(d).putLong(header.rows()).putLong(header.seed()).flip();
      writeFully(ch, h);
      ByteBuffer buf = ByteBuffer.allocateDirect(block * d * 4).order(ByteOrder.LITTLE_ENDIAN);
      float[][] rows = new float[block][d];
      for (long first = 0; first < header.rows(); first += block) {
        int n = (int) Math.min(block, header.rows() - first);
        long base = first;
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> source.fill(base + i, rows[i]));
        buf.clear();
        for (int i = 0; i < n; i++) {
          buf.asFloatBuffer().put(rows[i]);
          buf.position(buf.position() + 4 * d);
        }
        buf.flip();
        writeFully(ch, buf);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads the whole file into one array per row (for small files such as the queries). */
  public static float[][] readAll(Path file) throws IOException {
    try (Reader r = new Reader(file)) {
      long n = r.header().rows();
      if (n > Integer.MAX_VALUE) {
        throw new IOException(file + ": " + n + " rows is too many to hold as arrays");
      }
      float[][] out = new float[(int) n][r.header().dimension()];
      for (int i = 0; i < n; i++) {
        r.read(i, 1, out[i]);
      }
      return out;
    }
  }

  /** Random-access reader of rows. Not thread-safe. */
  public static final class Reader implements AutoCloseable {
    private final Path file;
    private final FileChannel ch;
    private final Header header;
    private ByteBuffer buf = ByteBuffer.allocate(0);

    public Reader(Path file) throws IOException {
      this.file = file;
      this.ch = FileChannel.open(file, StandardOpenOption.READ);
      try {
        this.header = readHeader(ch, file);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }

    public Header header() {
      return header;
    }

    /** Reads rows {@code [first, first + count)} into {@code dest}, row-major. */
    public void read(long first, int count, float[] dest) throws IOException {
      int d = header.dimension();
      if (first < 0 || count < 0 || first + count > header.rows()) {
        throw new IndexOutOfBoundsException("rows [" + first + ", " + (first + count) + ") outside 0.." + header.rows());
      }
      if (dest.length < (long) count * d) {
        throw new IllegalArgumentException("dest holds " + dest.length + " floats, need " + (long) count * d);
      }
      int bytes = count * d * 4;
      if (buf.capacity() < bytes) {
        buf = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
      }
      buf.clear().limit(bytes);
      readFully(ch, buf, HEADER_BYTES + 4L * d * first, file);
      buf.flip();
      buf.asFloatBuffer().get(dest, 0, count * d);
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long position, Path file) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        throw new IOException(file + ": unexpected end of file at byte " + p);
      }
      p += n;
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
