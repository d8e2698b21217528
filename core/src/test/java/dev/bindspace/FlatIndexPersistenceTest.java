package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link FlatIndex#save} and {@link FlatIndex#open}: bit-exact round trips and the documented file layout. */
class FlatIndexPersistenceTest {
  private static final String SPACE = "persist-v1";
  private static final FlatIndex.Options JAVA =
      FlatIndex.Options.builder().strategy(FlatIndex.Strategy.JAVA).threads(1).build();
  private static final FlatIndex.Options ND4J =
      FlatIndex.Options.builder().strategy(FlatIndex.Strategy.ND4J).threads(2).build();
  private static final FlatIndex.Options JAVA_LOAD = FlatIndex.Options.builder().strategy(FlatIndex.Strategy.JAVA)
      .threads(1).openMode(FlatIndex.OpenMode.LOAD).build();
  private static final FlatIndex.Options ND4J_LOAD = FlatIndex.Options.builder().strategy(FlatIndex.Strategy.ND4J)
      .threads(2).openMode(FlatIndex.OpenMode.LOAD).build();

  @TempDir Path dir;
  private Random rnd;

  @BeforeEach
  void seed(TestInfo info) {
    rnd = TestRandom.forTest(info);
  }

  /** Vectors with awkward bit patterns now and then: -0.0, subnormals, tiny and large values. */
  private float[] vector(int d) {
    float[] v = TestVectors.gaussian(rnd, d);
    if (rnd.nextInt(4) == 0) {
      v[rnd.nextInt(d)] = -0.0f;
      v[rnd.nextInt(d)] = Float.MIN_VALUE;
      v[rnd.nextInt(d)] = -1e-40f;
      v[rnd.nextInt(d)] = 1.0e20f * (float) rnd.nextGaussian();
    }
    return v;
  }

  private Map<String, String> metadata(int i) {
    Map<String, String> m = new HashMap<>();
    int pairs = i % 4;
    for (int p = 0; p < pairs; p++) {
      m.put("k" + rnd.nextInt(1000), p == 0 ? "" : "value-" + rnd.nextLong());
    }
    return m;
  }

  private IndexEntry entry(String id, int d, int i) {
    return IndexEntry.of(id, Embedding.of(SPACE, MediaKind.values()[rnd.nextInt(7)], vector(d)), metadata(i));
  }

  /** Every id, media kind, metadata map and vector bit pattern of {@code model}, and nothing else. */
  private static void assertSameContent(FlatIndex index, Map<String, IndexEntry> model) {
    assertThat(index.size()).isEqualTo(model.size());
    assertThat(index.ids()).containsExactlyInAnyOrderElementsOf(model.keySet());
    for (IndexEntry e : model.values()) {
      IndexEntry got = index.get(e.id()).orElseThrow(() -> new AssertionError("missing " + e.id()));
      assertThat(got).isEqualTo(e);
      assertThat(TestVectors.bits(got.embedding().toArray())).as(e.id())
          .containsExactly(TestVectors.bits(e.embedding().toArray()));
      assertThat(got.embedding().media()).isEqualTo(e.embedding().media());
      assertThat(got.metadata()).isEqualTo(e.metadata());
    }
  }

  private List<SearchRequest> requests(List<IndexEntry> some, int d) {
    List<SearchRequest> out = new ArrayList<>();
    for (int q = 0; q < 9; q++) {
      Embedding query = q % 2 == 0 ? some.get(rnd.nextInt(some.size())).embedding()
          : TestVectors.embedding(rnd, SPACE, MediaKind.TEXT, d);
      out.add(SearchRequest.builder(query).topK(1 + rnd.nextInt(50))
          .targetModalities(q == 3 ? new Modality[] {Modality.VISION} : new Modality[0]).build());
    }
    return out;
  }

  private List<String> listDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void should_round_trip_bit_exact_after_removes_and_upserts_and_search_the_same() throws IOException {
    int d = 24;
    Map<String, IndexEntry> model = new LinkedHashMap<>();
    Path file = dir.resolve("round.bsix");
    try (FlatIndex index = FlatIndex.create(SPACE, d, JAVA)) {
      for (int i = 0; i < 2500; i++) { // one by one: the rows span several storage chunks
        IndexEntry e = entry("id-" + i, d, i);
        index.add(e);
        model.put(e.id(), e);
      }
      for (int i = 0; i < 2500; i += 7) {
        index.remove("id-" + i);
        model.remove("id-" + i);
      }
      for (int i = 3; i < 2500; i += 11) {
        IndexEntry e = entry("id-" + i, d, i + 1);
        index.upsert(e); // moves the id to a new row at the end, or re-adds a removed one
        model.put(e.id(), e);
      }
      index.save(file);
      List<SearchRequest> requests = requests(new ArrayList<>(model.values()), d);

      try (FlatIndex reopened = FlatIndex.open(file, JAVA); FlatIndex batched = FlatIndex.open(file, ND4J);
          FlatIndex loaded = FlatIndex.open(file, JAVA_LOAD); FlatIndex loadedBatched = FlatIndex.open(file, ND4J_LOAD)) {
        assertThat(reopened.space()).isEqualTo(SPACE);
        assertThat(reopened.dimension()).isEqualTo(d);
        assertSameContent(reopened, model);
        assertSameContent(loaded, model);
        assertThat(reopened.ids()).as("storage order is kept").isEqualTo(index.ids());
        assertThat(loaded.ids()).isEqualTo(index.ids());
        List<List<SearchHit>> batch = batched.searchAll(requests); // ND4J over the read-only mapping
        List<List<SearchHit>> loadedBatch = loadedBatched.searchAll(requests); // ND4J over heap copies
        for (int q = 0; q < requests.size(); q++) {
          // mapped, loaded, in memory, Java or ND4J: the same hits with the same score bits
          List<SearchHit> expected = index.search(requests.get(q));
          assertThat(reopened.search(requests.get(q))).isEqualTo(expected);
          assertThat(loaded.search(requests.get(q))).isEqualTo(expected);
          assertThat(batch.get(q)).isEqualTo(expected);
          assertThat(loadedBatch.get(q)).isEqualTo(expected);
        }
        // saving what was opened writes the same bytes again
        Path again = dir.resolve("again.bsix");
        reopened.save(again);
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(FlatIndex.OpenMode.class)
  void should_add_remove_compact_and_save_again_over_the_file_it_was_opened_from(FlatIndex.OpenMode mode)
      throws IOException {
    FlatIndex.Options opts = FlatIndex.Options.builder().strategy(FlatIndex.Strategy.JAVA).threads(1)
        .openMode(mode).build();
    int d = 16;
    Map<String, IndexEntry> model = new LinkedHashMap<>();
    Path file = dir.resolve("grow.bsix");
    try (FlatIndex index = FlatIndex.create(SPACE, d, JAVA)) {
      for (int i = 0; i < 2200; i++) {
        IndexEntry e = entry("a" + i, d, i);
        model.put(e.id(), e);
      }
      index.addAll(model.values());
      index.save(file);
    }
    Map<String, IndexEntry> firstVersion = new LinkedHashMap<>(model);

    FlatIndex old = FlatIndex.open(file, opts); // MAP: keeps the first file mapped while it is replaced
    try (FlatIndex index = FlatIndex.open(file, opts)) {
      for (int i = 0; i < 300; i++) { // appended after the opened rows, in memory
        IndexEntry e = entry("b" + i, d, i);
        index.add(e);
        model.put(e.id(), e);
      }
      IndexEntry replaced = entry("a5", d, 99);
      index.upsert(replaced); // an opened row is tombstoned, the new one lives in memory
      model.put("a5", replaced);
      for (int i = 0; i < 2200; i += 2) { // enough removals to compact: opened rows are copied out
        if (i != 5) {
          index.remove("a" + i);
          model.remove("a" + i);
        }
      }
      for (int i = 1; i < 1600; i += 2) {
        index.remove("a" + i);
        model.remove("a" + i);
      }
      assertThat(FlatIndexInternals.storedRows(index)).as("compacted").isLessThan(2200 + 300);
      assertSameContent(index, model);
      index.save(file); // over the file the index was opened from
    }
    assertThat(listDir()).containsExactly("grow.bsix");
    try (FlatIndex reopened = FlatIndex.open(file, opts)) {
      assertSameContent(reopened, model);
      IndexEntry more = entry("c0", d, 0);
      reopened.add(more);
      model.put("c0", more);
      reopened.save(file);
    }
    try (FlatIndex third = FlatIndex.open(file, opts)) {
      assertSameContent(third, model);
    }
    try {
      assertSameContent(old, firstVersion); // the replaced file's mapping (or heap copy) is still intact
      assertThat(old.search(SearchRequest.of(firstVersion.get("a0").embedding(), 1)).get(0).id()).isEqualTo("a0");
    } finally {
      old.close();
    }
  }

  @Test
  void should_write_the_documented_layout() throws IOException {
    int d = 5;
    List<IndexEntry> entries = new ArrayList<>();
    entries.add(IndexEntry.of("first", Embedding.of(SPACE, MediaKind.VIDEO, new float[] {1, -0.0f, 2.5f, 0, -3})));
    entries.add(IndexEntry.of("zweite", Embedding.of(SPACE, MediaKind.IMU, vector(d)), Map.of("b", "2", "a", "1")));
    entries.add(IndexEntry.of("3", Embedding.of(SPACE, MediaKind.TEXT, vector(d)), Map.of("only", "")));
    Path file = dir.resolve("layout.bsix");
    try (FlatIndex index = FlatIndex.create(SPACE, d, JAVA)) {
      index.addAll(entries);
      index.save(file);
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

    // header
    assertThat(Arrays.copyOf(bytes, 8)).containsExactly(0x89, 'B', 'S', 'I', 'X', 0x0D, 0x0A, 0x1A);
    assertThat(b.getInt(8)).as("version").isEqualTo(1);
    assertThat(b.getInt(12)).as("dimension").isEqualTo(d);
    assertThat(b.getLong(16)).as("entry count").isEqualTo(3);
    assertThat(b.getLong(24)).as("file length").isEqualTo(bytes.length);
    assertThat(b.getInt(32)).as("flags").isZero();
    assertThat(Arrays.copyOfRange(bytes, 36, 60)).as("reserved").containsOnly(0);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 60);
    assertThat(b.getInt(60)).as("header CRC32C").isEqualTo((int) crc.getValue());

    // zero padding after the header; sections in order, payloads 64-byte aligned, CRC'd, zero-padded
    assertThat(Arrays.copyOfRange(bytes, 64, 112)).as("padding after the header").containsOnly(0);
    IndexFileLayout layout = IndexFileLayout.parse(bytes);
    for (IndexFileLayout.Section s : layout.sections) {
      assertThat(s.payloadStart % 64).as(s.name).isZero();
      CRC32C c = new CRC32C();
      c.update(bytes, (int) s.payloadStart, (int) s.payloadLength());
      assertThat(s.crc).as("CRC32C of %s", s.name).isEqualTo((int) c.getValue());
      assertThat(Arrays.copyOfRange(bytes, (int) s.payloadEnd, (int) s.paddingEnd)).as("padding of %s", s.name)
          .containsOnly(0);
    }
    assertThat(new String(bytes, (int) layout.section("SPACE").payloadStart,
        (int) layout.section("SPACE").payloadLength(), StandardCharsets.UTF_8)).isEqualTo(SPACE);

    ByteBuffer ids = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        .position((int) layout.section("IDS").payloadStart);
    for (IndexEntry e : entries) {
      byte[] id = new byte[Short.toUnsignedInt(ids.getShort())];
      ids.get(id);
      assertThat(new String(id, StandardCharsets.UTF_8)).isEqualTo(e.id());
    }
    assertThat((long) ids.position()).isEqualTo(layout.section("IDS").payloadEnd);

    int media = (int) layout.section("MEDIA").payloadStart;
    assertThat(Arrays.copyOfRange(bytes, media, media + 3)).containsExactly(3, 7, 1);

    ByteBuffer meta = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        .position((int) layout.section("METADATA").payloadStart);
    for (IndexEntry e : entries) {
      int pairs = meta.getInt();
      Map<String, String> m = new LinkedHashMap<>();
      for (int p = 0; p < pairs; p++) {
        String k = utf8(meta);
        m.put(k, utf8(meta));
      }
      assertThat(m).isEqualTo(e.metadata());
      assertThat(m.keySet()).as("keys sorted").containsExactlyElementsOf(new TreeMap<>(e.metadata()).keySet());
    }
    assertThat((long) meta.position()).isEqualTo(layout.section("METADATA").payloadEnd);

    IndexFileLayout.Section norms = layout.section("NORMS");
    IndexFileLayout.Section vecs = layout.section("VECTORS");
    // the vectors start at a multiple of 64 (cache-line aligned rows when mapped); the file ends on one
    assertThat(vecs.headerStart % 64).isEqualTo(48);
    assertThat(vecs.payloadStart % 64).isZero();
    assertThat(bytes.length % 64).isZero();
    assertThat(vecs.payloadLength()).isEqualTo(3L * d * 4);
    for (int i = 0; i < entries.size(); i++) {
      float[] v = entries.get(i).embedding().toArray();
      assertThat(b.getFloat((int) norms.payloadStart + 4 * i)).isEqualTo((float) entries.get(i).embedding().norm());
      for (int j = 0; j < d; j++) {
        assertThat(Float.floatToRawIntBits(b.getFloat((int) vecs.payloadStart + 4 * (d * i + j))))
            .as("vector %d[%d]", i, j).isEqualTo(Float.floatToRawIntBits(v[j]));
      }
    }

    // trailer
    assertThat(layout.trailerStart).isEqualTo(bytes.length - 16L);
    assertThat(Arrays.copyOfRange(bytes, bytes.length - 16, bytes.length - 8))
        .containsExactly('B', 'S', 'I', 'X', 'E', 'N', 'D', 0);
    assertThat(b.getLong(bytes.length - 8)).isEqualTo(bytes.length);
  }

  private static String utf8(ByteBuffer b) {
    byte[] s = new byte[b.getInt()];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  @Test
  void should_round_trip_unicode_ids_metadata_and_space() throws IOException {
    String space = "空間-ümlaut-🚀";
    String longId = "€".repeat(21845); // 65535 UTF-8 bytes: the longest id the u16 length allows
    List<IndexEntry> entries = List.of(
        IndexEntry.of("猫の写真.jpg", Embedding.of(space, MediaKind.IMAGE, vector(6)),
            Map.of("説明", "ねこ 🐈", "rtl", "שלום עולם", "empty", "")),
        IndexEntry.of("e\u0301 combining + 𝄞 clef", Embedding.of(space, MediaKind.AUDIO, vector(6)),
            Map.of("🔑", "🗝️", "\u0000nul-key", "nul\u0000value")),
        IndexEntry.of(longId, Embedding.of(space, MediaKind.TEXT, vector(6))));
    Path file = dir.resolve("ユニコード.bsix");
    try (FlatIndex index = FlatIndex.create(space, 6, JAVA)) {
      index.addAll(entries);
      index.save(file);
    }
    Map<String, IndexEntry> model = new LinkedHashMap<>();
    entries.forEach(e -> model.put(e.id(), e));
    try (FlatIndex reopened = FlatIndex.open(file)) {
      assertThat(reopened.space()).isEqualTo(space);
      assertSameContent(reopened, model);
      assertThat(reopened.search(SearchRequest.of(entries.get(1).embedding(), 1)).get(0).id())
          .isEqualTo(entries.get(1).id());
    }
  }

  @Test
  void should_round_trip_an_empty_index_and_grow_it_after_opening() {
    Path file = dir.resolve("empty.bsix");
    try (FlatIndex index = FlatIndex.create(SPACE, 3, JAVA)) {
      index.save(file);
    }
    IndexEntry e = entry("x", 3, 1);
    try (FlatIndex reopened = FlatIndex.open(file, JAVA)) {
      assertThat(reopened.size()).isZero();
      assertThat(reopened.dimension()).isEqualTo(3);
      assertThat(reopened.ids()).isEmpty();
      assertThat(reopened.search(SearchRequest.of(e.embedding()))).isEmpty();
      assertThat(reopened.searchAll(List.of(SearchRequest.of(e.embedding())))).containsExactly(List.of());
      reopened.add(e);
      reopened.save(file);
    }
    try (FlatIndex again = FlatIndex.open(file, JAVA)) {
      assertSameContent(again, Map.of("x", e));
    }
  }

  @Test
  void should_leave_no_temporary_files_and_write_the_same_bytes_for_the_same_content() throws IOException {
    Path file = dir.resolve("atomic.bsix");
    try (FlatIndex index = FlatIndex.create(SPACE, 8, JAVA)) {
      for (int i = 0; i < 50; i++) {
        index.add(entry("e" + i, 8, i));
      }
      index.save(file);
      byte[] first = Files.readAllBytes(file);
      assertThat(listDir()).containsExactly("atomic.bsix");
      index.save(file); // over the existing file
      assertThat(listDir()).containsExactly("atomic.bsix");
      assertThat(Files.readAllBytes(file)).isEqualTo(first);
      index.remove("e3");
      index.save(file);
      assertThat(listDir()).containsExactly("atomic.bsix");
      assertThat(Files.size(file)).isLessThan(first.length);
    }
  }

  @Test
  void should_create_missing_parent_directories() {
    Path file = dir.resolve("not/yet/there/index.bsix");
    IndexEntry e = entry("a", 4, 2);
    try (FlatIndex index = FlatIndex.create(SPACE, 4, JAVA)) {
      index.add(e);
      index.save(file);
    }
    assertThat(file).isRegularFile();
    try (FlatIndex reopened = FlatIndex.open(file)) {
      assertSameContent(reopened, Map.of("a", e));
    }
  }

  @Test
  void should_fail_cleanly_when_the_target_cannot_be_written() throws IOException {
    Path blocker = dir.resolve("a-file");
    Files.writeString(blocker, "not a directory");
    Path occupied = dir.resolve("occupied.bsix");
    Files.createDirectories(occupied.resolve("child"));
    try (FlatIndex index = FlatIndex.create(SPACE, 4, JAVA)) {
      index.add(entry("a", 4, 2));

      assertThatThrownBy(() -> index.save(blocker.resolve("index.bsix")))
          .isInstanceOf(UncheckedIOException.class).hasMessageContaining("a-file");
      // a non-empty directory where the file should go: the rename fails, the temp file is removed
      assertThatThrownBy(() -> index.save(occupied)).isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("occupied.bsix");

      assertThat(listDir()).containsExactly("a-file", "occupied.bsix");
      assertThat(occupied.resolve("child")).isDirectory();
      assertThat(Files.readString(blocker)).isEqualTo("not a directory");
      assertThat(index.size()).isEqualTo(1); // the index itself is unaffected
    }
  }

  @Test
  void should_report_a_missing_file_as_a_plain_bindspace_exception() {
    Path missing = dir.resolve("missing.bsix");
    assertThatThrownBy(() -> FlatIndex.open(missing)).isExactlyInstanceOf(BindspaceException.class)
        .hasMessageContaining("missing.bsix");
  }

  @Test
  void should_refuse_to_save_a_closed_index() {
    FlatIndex index = FlatIndex.create(SPACE, 4, JAVA);
    index.close();
    assertThatThrownBy(() -> index.save(dir.resolve("closed.bsix"))).isInstanceOf(IllegalStateException.class);
    assertThat(dir.resolve("closed.bsix")).doesNotExist();
  }
}
