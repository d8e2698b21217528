package dev.bindspace.internal;

import dev.bindspace.CorruptIndexException;
import dev.bindspace.BindspaceException;
import dev.bindspace.MediaKind;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Reader and writer of the index file format documented on {@link dev.bindspace.FlatIndex}.
 *
 * <p>Internal API.
 */
public final class IndexFile {
  /** {@code 89 'B' 'S' 'I' 'X' 0D 0A 1A}: non-ASCII first byte and CR LF catch text-mode mangling. */
  static final byte[] MAGIC = {(byte) 0x89, 'B', 'S', 'I', 'X', 0x0D, 0x0A, 0x1A};
  static final byte[] END_MAGIC = {'B', 'S', 'I', 'X', 'E', 'N', 'D', 0};
  public static final int VERSION = 1;
  static final int HEADER_BYTES = 64;
  static final int SECTION_HEADER_BYTES = 16;
  static final int TRAILER_BYTES = 16;
  static final int ALIGN = 64;
  public static final int MAX_DIMENSION = 65536;

  static final String[] SECTION_NAMES = {"SPACE", "IDS", "MEDIA", "METADATA", "NORMS", "VECTORS"};
  static final int[] TAGS = {tag("SPAC"), tag("IDS_"), tag("MEDI"), tag("META"), tag("NORM"), tag("VECS")};

  private IndexFile() {
  }

  /**
   * The first offset at or after {@code p} where a 16-byte section header can start so that its
   * payload starts at a multiple of {@value #ALIGN} (offsets 48 mod 64).
   */
  static long sectionSlot(long p) {
    return p + ((ALIGN - SECTION_HEADER_BYTES - p % ALIGN) + ALIGN) % ALIGN;
  }

  private static int tag(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
  }

  // ------------------------------------------------------------------------------------------ write

  /**
   * Writes rows {@code liveRows} of the columns to {@code target} atomically: a temporary file in
   * the same directory, fsync, atomic rename over the target, fsync of the directory.
   */
  public static void write(Path target, String space, int dimension, int[] liveRows, String[] ids, byte[] media,
      Map<String, String>[] metadata, float[] norms, VectorStore store) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null) {
      throw new IOException("cannot save to a root path: " + target);
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        Writer w = new Writer(ch);
        w.zeros(HEADER_BYTES);
        w.padToSectionSlot();
        byte[] spaceBytes = space.getBytes(StandardCharsets.UTF_8);

        w.begin(TAGS[0]);
        w.put(spaceBytes);
        w.end();

        w.begin(TAGS[1]);
        for (int r : liveRows) {
          byte[] b = ids[r].getBytes(StandardCharsets.UTF_8);
          w.putShort((short) b.length);
          w.put(b);
        }
        w.end();

        w.begin(TAGS[2]);
        for (int r : liveRows) {
          w.put(media[r]);
        }
        w.end();

        w.begin(TAGS[3]);
        for (int r : liveRows) {
          Map<String, String> m = new TreeMap<>(metadata[r]);
          w.putInt(m.size());
          for (Map.Entry<String, String> e : m.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            w.putInt(k.length);
            w.put(k);
            w.putInt(v.length);
            w.put(v);
          }
        }
        w.end();

        w.begin(TAGS[4]);
        for (int r : liveRows) {
          w.putFloat(norms[r]);
        }
        w.end();

        w.begin(TAGS[5]);
        int rowBytes = dimension * Float.BYTES;
        int i = 0;
        while (i < liveRows.length) {
          // a run of consecutive rows inside one chunk is written with one slice
          VectorStore.Chunk c = store.chunkAt(liveRows[i]);
          int first = liveRows[i];
          int j = i + 1;
          int chunkEnd = c.startRow() + c.capacity();
          while (j < liveRows.length && liveRows[j] == liveRows[j - 1] + 1 && liveRows[j] < chunkEnd) {
            j++;
          }
          int rowsInRun = j - i;
          if (c.isHeap()) {
            w.putFloats(c.array(), (first - c.startRow()) * dimension, rowsInRun * dimension);
          } else {
            ByteBuffer src = c.buffer().duplicate();
            int off = (first - c.startRow()) * rowBytes;
            src.limit(off + rowsInRun * rowBytes).position(off);
            w.put(src);
          }
          i = j;
        }
        w.end();

        w.put(END_MAGIC);
        long length = w.position() + 8;
        w.putLong(length);
        w.flush();

        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.put(MAGIC).putInt(VERSION).putInt(dimension).putLong(liveRows.length).putLong(length).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 0, HEADER_BYTES - 4);
        h.putInt(HEADER_BYTES - 4, (int) crc.getValue());
        h.clear();
        writeFully(ch, h, 0);
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + dir + " cannot rename atomically; refusing a non-atomic save", e);
      }
      done = true;
      fsyncDirectory(dir);
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) cannot open a directory; the rename itself is still atomic there.
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      p += ch.write(b, p);
    }
  }

  /** Buffered, CRC-tracking sequential writer with positional back-patching of section headers. */
  private static final class Writer {
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private long flushed;
    private long sectionStart = -1;

    Writer(FileChannel ch) {
      this.ch = ch;
    }

    long position() {
      return flushed + buf.position();
    }

    void flush() throws IOException {
      buf.flip();
      while (buf.hasRemaining()) {
        flushed += ch.write(buf, flushed);
      }
      buf.clear();
    }

    private void room(int n) throws IOException {
      if (buf.remaining() < n) {
        flush();
      }
    }

    private void tracked(int from) {
      if (sectionStart >= 0) {
        ByteBuffer d = buf.duplicate();
        d.limit(buf.position()).position(from);
        crc.update(d);
      }
    }

    void zeros(int n) throws IOException {
      for (int i = 0; i < n; i++) {
        put((byte) 0);
      }
    }

    void put(byte b) throws IOException {
      room(1);
      int p = buf.position();
      buf.put(b);
      tracked(p);
    }

    void putShort(short v) throws IOException {
      room(2);
      int p = buf.position();
      buf.putShort(v);
      tracked(p);
    }

    void putInt(int v) throws IOException {
      room(4);
      int p = buf.position();
      buf.putInt(v);
      tracked(p);
    }

    void putLong(long v) throws IOException {
      room(8);
      int p = buf.position();
      buf.putLong(v);
      tracked(p);
    }

    void putFloat(float v) throws IOException {
      room(4);
      int p = buf.position();
      buf.putFloat(v);
      tracked(p);
    }

    void putFloats(float[] a, int offset, int length) throws IOException {
      int done = 0;
      while (done < length) {
        room(4);
        int n = Math.min(buf.remaining() / 4, length - done);
        int p = buf.position();
        buf.asFloatBuffer().put(a, offset + done, n);
        buf.position(p + 4 * n);
        done += n;
        tracked(p);
      }
    }

    void put(byte[] b) throws IOException {
      put(ByteBuffer.wrap(b));
    }

    void put(ByteBuffer src) throws IOException {
      while (src.hasRemaining()) {
        room(1);
        int n = Math.min(buf.remaining(), src.remaining());
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + n);
        int p = buf.position();
        buf.put(part);
        src.position(src.position() + n);
        tracked(p);
      }
    }

    /** Zeros up to the next offset where a section header puts its payload on a multiple of 64. */
    void padToSectionSlot() throws IOException {
      long target = sectionSlot(position());
      while (position() < target) {
        put((byte) 0);
      }
    }

    void begin(int tag) throws IOException {
      putInt(tag);
      putInt(0); // CRC32C, patched in end()
      putLong(0); // payload length, patched in end()
      sectionStart = position();
      crc.reset();
    }

    void end() throws IOException {
      long payload = position() - sectionStart;
      long headerAt = sectionStart - SECTION_HEADER_BYTES;
      int crcValue = (int) crc.getValue();
      sectionStart = -1;
      padToSectionSlot();
      flush();
      ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt(crcValue).putLong(payload).flip();
      writeFully(ch, h, headerAt + 4);
    }
  }

  // ------------------------------------------------------------------------------------------- read

  /**
   * Reads and validates a whole file. The vector section is memory-mapped (read-only), everything
   * else is read into the heap. Any inconsistency raises {@link CorruptIndexException}.
   */
  @SuppressWarnings("unchecked")
  public static IndexData read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < HEADER_BYTES) {
        int k = (int) Math.min(size, MAGIC.length);
        if (!Arrays.equals(readAt(ch, 0, k, file, "HEADER").array(), Arrays.copyOf(MAGIC, k))) {
          throw new CorruptIndexException(file, "HEADER", "not a bindspace index file (wrong magic bytes)");
        }
        throw new CorruptIndexException(file, "HEADER", "file is " + size + " bytes, shorter than the "
            + HEADER_BYTES + "-byte header (truncated)");
      }
      ByteBuffer h = readAt(ch, 0, HEADER_BYTES, file, "HEADER");
      byte[] magic = new byte[MAGIC.length];
      h.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new CorruptIndexException(file, "HEADER", "not a bindspace index file (wrong magic bytes)");
      }
      CRC32C crc = new CRC32C();
      crc.update(h.array(), 0, HEADER_BYTES - 4);
      if ((int) crc.getValue() != h.getInt(HEADER_BYTES - 4)) {
        throw new CorruptIndexException(file, "HEADER", "CRC32C mismatch");
      }
      int version = h.getInt();
      if (version != VERSION) {
        throw new CorruptIndexException(file, "HEADER", "format version " + version + " is not supported, expected "
            + VERSION);
      }
      int dimension = h.getInt();
      if (dimension < 1 || dimension > MAX_DIMENSION) {
        throw new CorruptIndexException(file, "HEADER", "dimension " + dimension + " outside 1.." + MAX_DIMENSION);
      }
      long count = h.getLong();
      long length = h.getLong();
      int flags = h.getInt();
      if (flags != 0) {
        throw new CorruptIndexException(file, "HEADER", "unknown flags " + flags + ", expected 0");
      }
      for (int i = h.position(); i < HEADER_BYTES - 4; i++) {
        if (h.get(i) != 0) {
          throw new CorruptIndexException(file, "HEADER", "reserved byte " + i + " is not zero");
        }
      }
      if (length != size) {
        throw new CorruptIndexException(file, "HEADER", "header records " + length + " bytes but the file has " + size
            + (size < length ? " (truncated)" : " (trailing bytes)"));
      }
      long rowBytes = (long) dimension * Float.BYTES;
      if (count < 0 || count > Integer.MAX_VALUE - 8 || count * rowBytes > size) {
        throw new CorruptIndexException(file, "HEADER", "entry count " + count + " does not fit a file of " + size
            + " bytes");
      }
      int n = (int) count;
      long pos = sectionSlot(HEADER_BYTES);
      ByteBuffer headerPad = readAt(ch, HEADER_BYTES, (int) (pos - HEADER_BYTES), file, "HEADER");
      while (headerPad.hasRemaining()) {
        if (headerPad.get() != 0) {
          throw new CorruptIndexException(file, "HEADER", "non-zero padding byte after the header");
        }
      }

      // SPACE
      Section s = section(ch, file, size, pos, 0);
      ByteBuffer p = readPayload(ch, file, s);
      if (s.length < 1 || s.length > 255) {
        throw new CorruptIndexException(file, "SPACE", "space id of " + s.length + " bytes, expected 1..255");
      }
      String space = utf8(p, (int) s.length, file, "SPACE");
      pos = s.next;

      // IDS
      s = section(ch, file, size, pos, 1);
      p = readPayload(ch, file, s);
      String[] ids = new String[n];
      Set<String> seen = new HashSet<>(n * 2);
      try {
        for (int i = 0; i < n; i++) {
          int len = Short.toUnsignedInt(p.getShort());
          if (len == 0) {
            throw new CorruptIndexException(file, "IDS", "entry " + i + " has an empty id");
          }
          ids[i] = utf8(p, len, file, "IDS");
          if (!seen.add(ids[i])) {
            throw new CorruptIndexException(file, "IDS", "id '" + ids[i] + "' appears twice");
          }
        }
      } catch (BufferUnderflowException e) {
        throw new CorruptIndexException(file, "IDS", "payload ends before " + n + " ids were read");
      }
      requireConsumed(p, file, "IDS");
      pos = s.next;

      // MEDIA
      s = section(ch, file, size, pos, 2);
      if (s.length != n) {
        throw new CorruptIndexException(file, "MEDIA", "payload of " + s.length + " bytes, expected " + n);
      }
      p = readPayload(ch, file, s);
      byte[] media = new byte[n];
      p.get(media);
      for (int i = 0; i < n; i++) {
        try {
          MediaKind.fromCode(media[i]);
        } catch (IllegalArgumentException e) {
          throw new CorruptIndexException(file, "MEDIA", "entry " + i + ": " + e.getMessage());
        }
      }
      pos = s.next;

      // METADATA
      s = section(ch, file, size, pos, 3);
      p = readPayload(ch, file, s);
      Map<String, String>[] metadata = new Map[n];
      try {
        for (int i = 0; i < n; i++) {
          int pairs = p.getInt();
          if (pairs < 0 || pairs > p.remaining() / 8) {
            throw new CorruptIndexException(file, "METADATA", "entry " + i + " claims " + pairs + " pairs");
          }
          if (pairs == 0) {
            metadata[i] = Map.of();
            continue;
          }
          Map<String, String> m = new HashMap<>(pairs * 2);
          for (int j = 0; j < pairs; j++) {
            String k = utf8(p, length(p, file), file, "METADATA");
            String v = utf8(p, length(p, file), file, "METADATA");
            if (k.isEmpty() || m.put(k, v) != null) {
              throw new CorruptIndexException(file, "METADATA", "entry " + i + " has an empty or repeated key '" + k + "'");
            }
          }
          metadata[i] = Map.copyOf(m);
        }
      } catch (BufferUnderflowException e) {
        throw new CorruptIndexException(file, "METADATA", "payload ends before " + n + " entries were read");
      }
      requireConsumed(p, file, "METADATA");
      pos = s.next;

      // NORMS
      s = section(ch, file, size, pos, 4);
      if (s.length != 4L * n) {
        throw new CorruptIndexException(file, "NORMS", "payload of " + s.length + " bytes, expected " + 4L * n);
      }
      p = readPayload(ch, file, s);
      float[] norms = new float[n];
      for (int i = 0; i < n; i++) {
        norms[i] = p.getFloat();
        if (!(norms[i] > 0) || !Float.isFinite(norms[i])) {
          throw new CorruptIndexException(file, "NORMS", "entry " + i + " has norm " + norms[i]);
        }
      }
      pos = s.next;

      // VECTORS: mapped in row-aligned pieces of at most 1 GiB, CRC checked over the mapping
      s = section(ch, file, size, pos, 5);
      if (s.length != n * rowBytes) {
        throw new CorruptIndexException(file, "VECTORS", "payload of " + s.length + " bytes, expected " + n * rowBytes
            + " (" + n + " x " + dimension + " floats)");
      }
      List<ByteBuffer> maps = new ArrayList<>();
      crc.reset();
      int maxRows = VectorStore.maxChunkRows(dimension);
      for (long row = 0; row < n; row += maxRows) {
        long rows = Math.min(maxRows, n - row);
        ByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, s.payloadAt + row * rowBytes, rows * rowBytes);
        crc.update(m.duplicate());
        maps.add(m.order(ByteOrder.LITTLE_ENDIAN));
      }
      if ((int) crc.getValue() != s.crc) {
        throw new CorruptIndexException(file, "VECTORS", "CRC32C mismatch");
      }
      pos = s.next;

      // TRAILER
      if (pos != size - TRAILER_BYTES) {
        throw new CorruptIndexException(file, "TRAILER", "expected at offset " + pos + ", file has " + size + " bytes");
      }
      ByteBuffer t = readAt(ch, pos, TRAILER_BYTES, file, "TRAILER");
      byte[] end = new byte[END_MAGIC.length];
      t.get(end);
      if (!Arrays.equals(end, END_MAGIC) || t.getLong() != size) {
        throw new CorruptIndexException(file, "TRAILER", "end marker or recorded length is wrong");
      }
      return new IndexData(space, dimension, n, ids, media, metadata, norms, VectorStore.ofFilled(dimension, maps));
    } catch (NoSuchFileException e) {
      throw new BindspaceException("no index file at " + file, e);
    } catch (IOException e) {
      throw new BindspaceException("cannot read index file " + file + ": " + e.getMessage(), e);
    }
  }

  private static final class Section {
    String name;
    long payloadAt;
    long length;
    int crc;
    long next;
  }

  private static Section section(FileChannel ch, Path file, long size, long pos, int index) throws IOException {
    String name = SECTION_NAMES[index];
    if (pos + SECTION_HEADER_BYTES > size - TRAILER_BYTES) {
      throw new CorruptIndexException(file, name, "section header at offset " + pos + " lies past the end (truncated)");
    }
    ByteBuffer h = readAt(ch, pos, SECTION_HEADER_BYTES, file, name);
    int tag = h.getInt();
    if (tag != TAGS[index]) {
      throw new CorruptIndexException(file, name, "wrong section tag 0x" + Integer.toHexString(tag) + " at offset " + pos);
    }
    Section s = new Section();
    s.name = name;
    s.crc = h.getInt();
    s.length = h.getLong();
    s.payloadAt = pos + SECTION_HEADER_BYTES;
    if (s.length < 0 || s.length > size - TRAILER_BYTES - s.payloadAt) {
      throw new CorruptIndexException(file, name, "payload length " + s.length + " overruns the file of " + size
          + " bytes");
    }
    long end = s.payloadAt + s.length;
    s.next = sectionSlot(end);
    if (s.next > size - TRAILER_BYTES) {
      throw new CorruptIndexException(file, name, "padding overruns the file (truncated)");
    }
    if (s.next > end) {
      ByteBuffer pad = readAt(ch, end, (int) (s.next - end), file, name);
      while (pad.hasRemaining()) {
        if (pad.get() != 0) {
          throw new CorruptIndexException(file, name, "non-zero padding byte after the payload");
        }
      }
    }
    return s;
  }

  private static ByteBuffer readPayload(FileChannel ch, Path file, Section s) throws IOException {
    if (s.length > Integer.MAX_VALUE - 8) {
      throw new CorruptIndexException(file, s.name, "section of " + s.length + " bytes is too large to load");
    }
    ByteBuffer p = readAt(ch, s.payloadAt, (int) s.length, file, s.name);
    CRC32C crc = new CRC32C();
    crc.update(p.array(), 0, (int) s.length);
    if ((int) crc.getValue() != s.crc) {
      throw new CorruptIndexException(file, s.name, "CRC32C mismatch");
    }
    return p;
  }

  private static int length(ByteBuffer p, Path file) {
    int len = p.getInt();
    if (len < 0 || len > p.remaining()) {
      throw new CorruptIndexException(file, "METADATA", "string length " + len + " overruns the section");
    }
    return len;
  }

  private static String utf8(ByteBuffer p, int len, Path file, String section) {
    if (len > p.remaining()) {
      throw new CorruptIndexException(file, section, "string of " + len + " bytes overruns the section");
    }
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer slice = p.slice();
    slice.limit(len);
    p.position(p.position() + len);
    try {
      return d.decode(slice).toString();
    } catch (CharacterCodingException e) {
      throw new CorruptIndexException(file, section, "invalid UTF-8", e);
    }
  }

  private static void requireConsumed(ByteBuffer p, Path file, String section) {
    if (p.hasRemaining()) {
      throw new CorruptIndexException(file, section, p.remaining() + " unexpected bytes at the end of the payload");
    }
  }

  private static ByteBuffer readAt(FileChannel ch, long pos, int len, Path file, String section) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    long p = pos;
    while (b.hasRemaining()) {
      int r = ch.read(b, p);
      if (r < 0) {
        throw new CorruptIndexException(file, section, "unexpected end of file at offset " + p + " (truncated)");
      }
      p += r;
    }
    b.flip();
    return b;
  }
}
