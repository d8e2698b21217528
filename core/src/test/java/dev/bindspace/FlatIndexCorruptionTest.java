package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FlatIndex#open} refuses every damaged file with a {@link CorruptIndexException} naming the
 * file and the failing section: never another exception, never a partially loaded index. Section
 * boundaries are parsed from the file itself ({@link IndexFileLayout}).
 */
class FlatIndexCorruptionTest {
  private static final String SPACE = "corrupt-v1";
  private static final int D = 16;

  @TempDir Path dir;
  private Random rnd;
  private byte[] good;
  private IndexFileLayout layout;
  private int trial;

  @BeforeEach
  void writeGoodFile(TestInfo info) throws IOException {
    rnd = TestRandom.forTest(info);
    Path file = dir.resolve("good.bsix");
    try (FlatIndex index = FlatIndex.create(SPACE, D)) {
      for (int i = 0; i < 40; i++) {
        Map<String, String> meta = i % 5 == 0 ? Map.of()
            : Map.of("album", "a" + (i % 3), "caption", "entry number " + i, "n", Integer.toString(i));
        index.add(IndexEntry.of("e" + i, TestVectors.embedding(rnd, SPACE, MediaKind.values()[i % 7], D), meta));
      }
      index.save(file);
    }
    good = Files.readAllBytes(file);
    layout = IndexFileLayout.parse(good);
    try (FlatIndex ok = FlatIndex.open(file)) {
      assertThat(ok.size()).isEqualTo(40); // the baseline opens
    }
  }

  /** Writes {@code bytes} to a fresh file and opens it; returns the exception, or fails the test. */
  private CorruptIndexException openExpectingCorruption(byte[] bytes, String what) throws IOException {
    Path f = dir.resolve("trial-" + trial++ + ".bsix");
    Files.write(f, bytes);
    try {
      FlatIndex opened = FlatIndex.open(f);
      opened.close();
      fail("%s: opened without complaint", what);
      return null;
    } catch (CorruptIndexException e) {
      assertThat(e.file()).as("%s: file()", what).isEqualTo(f);
      assertThat(e.getMessage()).as("%s: message names file and section", what)
          .contains(f.toString()).contains(e.section());
      return e;
    } catch (RuntimeException e) {
      throw new AssertionError(what + ": expected CorruptIndexException, got " + e, e);
    } finally {
      Files.delete(f); // a mapping made before the failure stays valid: the inode lives on
    }
  }

  @Test
  void should_detect_a_flipped_byte_anywhere_in_the_file() throws IOException {
    assertThat(good.length).as("every position gives at least 1000 flips").isGreaterThanOrEqualTo(1000);
    Map<String, int[]> byPart = new TreeMap<>();
    List<String> wrongSection = new ArrayList<>();
    int detected = 0;
    for (int i = 0; i < good.length; i++) {
      byte mask = (byte) (1 + rnd.nextInt(255)); // never 0: always a real change
      byte[] bad = good.clone();
      bad[i] ^= mask;
      String part = layout.partOf(i);
      CorruptIndexException e = openExpectingCorruption(bad,
          String.format("byte %d (%s) xor 0x%02x", i, part, mask & 0xff));
      detected++;
      byPart.computeIfAbsent(part, k -> new int[1])[0]++;
      if (!e.section().equals(part)) {
        wrongSection.add(i + " in " + part + " reported as " + e.section() + ": " + e.getMessage());
      }
    }
    StringBuilder parts = new StringBuilder();
    byPart.forEach((k, v) -> parts.append(' ').append(k).append('=').append(v[0]));
    System.out.println(detected + " flips detected of " + good.length + " (every byte of a " + good.length
        + "-byte file;" + parts + ")");
    assertThat(detected).isEqualTo(good.length);
    assertThat(wrongSection).as("flips blamed on another section than the one hit").isEmpty();
  }

  @Test
  void should_detect_truncation_at_every_boundary_and_elsewhere() throws IOException {
    TreeSet<Long> cuts = layout.boundaries();
    cuts.remove((long) good.length); // the whole file is not a truncation
    for (long b : new ArrayList<>(cuts)) { // one byte either side of each boundary too
      if (b > 0) {
        cuts.add(b - 1);
      }
      if (b + 1 < good.length) {
        cuts.add(b + 1);
      }
    }
    int boundaries = cuts.size();
    while (cuts.size() < boundaries + 300) {
      cuts.add((long) rnd.nextInt(good.length));
    }
    int detected = 0;
    for (long cut : cuts) {
      CorruptIndexException e = openExpectingCorruption(Arrays.copyOf(good, (int) cut),
          "truncated to " + cut + " bytes (in " + layout.partOf(cut) + ")");
      assertThat(e.getMessage()).as("cut at %d", cut).contains("truncated");
      detected++;
    }
    System.out.println(detected + " truncations detected of " + cuts.size() + " (" + boundaries
        + " at and around section boundaries, the rest seeded-random)");
    assertThat(detected).isEqualTo(cuts.size());
  }

  @Test
  void should_detect_trailing_bytes() throws IOException {
    byte[][] tails = {{0}, new byte[16], Arrays.copyOfRange(good, good.length - 16, good.length), good};
    for (byte[] tail : tails) {
      byte[] longer = Arrays.copyOf(good, good.length + tail.length);
      System.arraycopy(tail, 0, longer, good.length, tail.length);
      CorruptIndexException e = openExpectingCorruption(longer, tail.length + " appended bytes");
      assertThat(e.section()).isEqualTo("HEADER");
      assertThat(e.getMessage()).contains("trailing bytes");
    }
  }

  @Test
  void should_refuse_foreign_files_naming_the_problem() throws IOException {
    byte[] png = new byte[200];
    byte[] sig = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    System.arraycopy(sig, 0, png, 0, sig.length);
    byte[] text = "Just a text file that somebody renamed to .bsix by mistake.\nSecond line.\n"
        .getBytes(StandardCharsets.UTF_8);
    byte[] shortText = "BSIX?\n\n\n\n".getBytes(StandardCharsets.US_ASCII);
    byte[] crlfMangled = good.clone(); // what a text-mode transfer does to CR LF in the magic
    crlfMangled[5] = 0x0A;
    for (byte[] foreign : new byte[][] {png, text, shortText, crlfMangled}) {
      CorruptIndexException e = openExpectingCorruption(foreign, "foreign file of " + foreign.length + " bytes");
      assertThat(e.section()).isEqualTo("HEADER");
      assertThat(e.getMessage()).contains("not a bindspace index file");
    }
    CorruptIndexException empty = openExpectingCorruption(new byte[0], "empty file");
    assertThat(empty.getMessage()).contains("truncated");
  }

  private static void fixHeaderCrc(byte[] b) {
    CRC32C crc = new CRC32C();
    crc.update(b, 0, 60);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(60, (int) crc.getValue());
  }

  @Test
  void should_refuse_a_newer_format_version() throws IOException {
    for (int version : new int[] {2, 0, -1}) {
      byte[] newer = good.clone();
      ByteBuffer.wrap(newer).order(ByteOrder.LITTLE_ENDIAN).putInt(8, version);
      fixHeaderCrc(newer); // a well-formed header: only the version is unknown
      CorruptIndexException e = openExpectingCorruption(newer, "version " + version);
      assertThat(e.section()).isEqualTo("HEADER");
      assertThat(e.getMessage()).contains("version " + version).contains("not supported").contains("expected 1");
    }
  }

  /** Rewrites part of a section's payload and fixes its CRC: only the semantic checks can catch it. */
  private byte[] patchSection(String section, int payloadOffset, byte[] replacement) {
    byte[] b = good.clone();
    IndexFileLayout.Section s = layout.section(section);
    System.arraycopy(replacement, 0, b, (int) s.payloadStart + payloadOffset, replacement.length);
    CRC32C crc = new CRC32C();
    crc.update(b, (int) s.payloadStart, (int) s.payloadLength());
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt((int) s.headerStart + 4, (int) crc.getValue());
    return b;
  }

  private byte[] patchHeader(int offset, int value) {
    byte[] b = good.clone();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
    fixHeaderCrc(b);
    return b;
  }

  @Test
  void should_catch_well_checksummed_but_inconsistent_content() throws IOException {
    byte[] nan = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).array();
    // ids are "e0", "e1", ...: u16 length 2, then the bytes; the second id starts at payload offset 4
    Object[][] cases = {
        {patchSection("IDS", 4 + 2, "e0".getBytes(StandardCharsets.US_ASCII)), "IDS", "appears twice"},
        {patchSection("IDS", 0, new byte[] {0, 0}), "IDS", ""},
        {patchSection("SPACE", 0, new byte[] {(byte) 0xC3}), "SPACE", "UTF-8"},
        {patchSection("MEDIA", 7, new byte[] {0}), "MEDIA", "unknown media kind code 0"},
        {patchSection("MEDIA", 8, new byte[] {8}), "MEDIA", "unknown media kind code 8"},
        {patchSection("NORMS", 4 * 3, new byte[4]), "NORMS", "norm 0.0"},
        {patchSection("NORMS", 4 * 5, nan), "NORMS", "NaN"},
        {patchSection("METADATA", 0, new byte[] {(byte) 0xFF, (byte) 0xFF, 0, 0}), "METADATA", "pairs"},
        {patchHeader(12, 0), "HEADER", "dimension 0"},
        {patchHeader(12, D + 1), "", ""}, // vectors no longer fit: blamed on whichever check trips first
        {patchHeader(16, 41), "", ""},
        {patchHeader(32, 1), "HEADER", "flags"},
        {patchHeader(40, 7), "HEADER", "reserved"},
    };
    for (Object[] c : cases) {
      CorruptIndexException e = openExpectingCorruption((byte[]) c[0], c[1] + " / " + c[2]);
      if (!((String) c[1]).isEmpty()) {
        assertThat(e.section()).as(e.getMessage()).isEqualTo(c[1]);
      }
      assertThat(e.getMessage()).contains((String) c[2]);
    }
  }

  @Test
  void should_name_the_file_and_the_failing_section() throws IOException {
    IndexFileLayout.Section vectors = layout.section("VECTORS");
    byte[] vec = good.clone();
    vec[(int) vectors.payloadStart + 4 * D * 7 + 3] ^= 0x40; // an exponent bit of entry 7's first value
    Path f = dir.resolve("vectors-flip.bsix");
    Files.write(f, vec);
    assertThatThrownBy(() -> FlatIndex.open(f)).isInstanceOfSatisfying(CorruptIndexException.class, e -> {
      assertThat(e.section()).isEqualTo("VECTORS");
      assertThat(e.file()).isEqualTo(f);
      assertThat(e.getMessage()).contains(f.toString()).contains("VECTORS").contains("CRC32C mismatch");
    });

    byte[] head = good.clone();
    head[13] ^= 0x01; // the dimension field
    Path h = dir.resolve("header-flip.bsix");
    Files.write(h, head);
    assertThatThrownBy(() -> FlatIndex.open(h)).isInstanceOfSatisfying(CorruptIndexException.class, e -> {
      assertThat(e.section()).isEqualTo("HEADER");
      assertThat(e.file()).isEqualTo(h);
      assertThat(e.getMessage()).contains(h.toString()).contains("HEADER");
    });
    assertThat(new CorruptIndexException(h, "IDS", "x")).isInstanceOf(BindspaceException.class);
  }
}
