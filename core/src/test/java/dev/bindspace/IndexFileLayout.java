package dev.bindspace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The layout of an index file, parsed independently of the library from the format documented on
 * {@link FlatIndex}: a 64-byte header and zero padding, six sections (16-byte section header,
 * payload starting at a multiple of 64, zero padding) and a 16-byte trailer.
 */
public final class IndexFileLayout {
  public static final int HEADER_BYTES = 64;
  public static final int SECTION_HEADER_BYTES = 16;
  public static final int TRAILER_BYTES = 16;
  public static final String[] TAGS = {"SPAC", "IDS_", "MEDI", "META", "NORM", "VECS"};
  public static final String[] NAMES = {"SPACE", "IDS", "MEDIA", "METADATA", "NORMS", "VECTORS"};

  /** One section's extent: [headerStart, payloadStart, payloadEnd, paddingEnd). */
  public static final class Section {
    public final String name;
    public final String tag;
    public final long headerStart;
    public final long payloadStart;
    public final long payloadEnd;
    public final long paddingEnd;
    public final int crc;

    Section(String name, String tag, long headerStart, long payloadLength, int crc) {
      this.name = name;
      this.tag = tag;
      this.headerStart = headerStart;
      this.payloadStart = headerStart + SECTION_HEADER_BYTES;
      this.payloadEnd = payloadStart + payloadLength;
      this.paddingEnd = headerSlot(payloadEnd);
      this.crc = crc;
    }

    public long payloadLength() {
      return payloadEnd - payloadStart;
    }
  }

  /** The first offset at or after {@code p} where a 16-byte section header puts its payload at a multiple of 64. */
  public static long headerSlot(long p) {
    return p + ((48 - p % 64) + 64) % 64;
  }

  public final int version;
  public final int dimension;
  public final long count;
  public final long recordedLength;
  public final List<Section> sections;
  public final long trailerStart;
  public final long fileLength;

  private IndexFileLayout(int version, int dimension, long count, long recordedLength, List<Section> sections,
      long trailerStart, long fileLength) {
    this.version = version;
    this.dimension = dimension;
    this.count = count;
    this.recordedLength = recordedLength;
    this.sections = sections;
    this.trailerStart = trailerStart;
    this.fileLength = fileLength;
  }

  /** Parses a valid file; throws {@link AssertionError} if the bytes do not follow the documented layout. */
  public static IndexFileLayout parse(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int version = b.getInt(8);
    int dimension = b.getInt(12);
    long count = b.getLong(16);
    long length = b.getLong(24);
    List<Section> sections = new ArrayList<>();
    long pos = headerSlot(HEADER_BYTES);
    for (int i = 0; i < TAGS.length; i++) {
      String tag = new String(file, (int) pos, 4, StandardCharsets.US_ASCII);
      if (!tag.equals(TAGS[i])) {
        throw new AssertionError("expected section tag " + TAGS[i] + " at offset " + pos + ", found " + tag);
      }
      if ((pos + SECTION_HEADER_BYTES) % 64 != 0) {
        throw new AssertionError("section " + TAGS[i] + " payload starts at " + (pos + 16) + ", not a multiple of 64");
      }
      Section s = new Section(NAMES[i], tag, pos, b.getLong((int) pos + 8), b.getInt((int) pos + 4));
      sections.add(s);
      pos = s.paddingEnd;
    }
    return new IndexFileLayout(version, dimension, count, length, List.copyOf(sections), pos, file.length);
  }

  /** The section by name ({@code SPACE}, {@code IDS}, ..., {@code VECTORS}). */
  public Section section(String name) {
    return sections.stream().filter(s -> s.name.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(name));
  }

  /** The name of the part that holds byte {@code offset}: {@code HEADER}, a section name, or {@code TRAILER}. */
  public String partOf(long offset) {
    if (offset < headerSlot(HEADER_BYTES)) {
      return "HEADER";
    }
    for (Section s : sections) {
      if (offset >= s.headerStart && offset < s.paddingEnd) {
        return s.name;
      }
    }
    return "TRAILER";
  }

  /** Every boundary: header end, each section's header start, payload start and end, padding end, trailer start, file end. */
  public TreeSet<Long> boundaries() {
    TreeSet<Long> out = new TreeSet<>();
    out.add(0L);
    out.add((long) HEADER_BYTES);
    out.add(headerSlot(HEADER_BYTES));
    for (Section s : sections) {
      out.add(s.headerStart);
      out.add(s.payloadStart);
      out.add(s.payloadEnd);
      out.add(s.paddingEnd);
    }
    out.add(trailerStart);
    out.add(fileLength);
    return out;
  }
}
