package dev.bindspace.lucene;

import static dev.bindspace.SearchAssertions.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.BindspaceException;
import dev.bindspace.CorruptIndexException;
import dev.bindspace.Embedding;
import dev.bindspace.IndexEntry;
import dev.bindspace.MediaKind;
import dev.bindspace.SearchHit;
import dev.bindspace.TestRandom;
import dev.bindspace.lucene.LuceneVectorIndex.CommitPolicy;
import dev.bindspace.lucene.LuceneVectorIndex.Options;
import dev.bindspace.lucene.LuceneVectorIndex.Quantization;
import dev.bindspace.lucene.LuceneVectorIndex.Similarity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.Field;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Commits, reopening, simulated crashes, the files' Lucene compatibility and argument checks. */
class LucenePersistenceTest {
  private static final int D = 24;

  @TempDir
  Path tmp;
  private Random rnd;

  @BeforeEach
  void seed(TestInfo info) {
    rnd = TestRandom.forTest(info);
  }

  private List<IndexEntry> entries(int n, String prefix) {
    return ClusteredData.entries(ClusteredData.vectors(rnd, n, D, 5), prefix);
  }

  private static void assertHolds(LuceneVectorIndex index, List<IndexEntry> expected) {
    assertThat(index.size()).isEqualTo(expected.size());
    for (IndexEntry e : expected) {
      assertThat(index.get(e.id())).as(e.id()).contains(e);
    }
  }

  @ParameterizedTest
  @EnumSource(Quantization.class)
  void should_reopen_at_the_last_commit_with_its_settings(Quantization q) {
    Path dir = tmp.resolve("index");
    List<IndexEntry> a = entries(300, "a");
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).directory(dir).similarity(Similarity.COSINE)
        .quantization(q).maxConn(8).beamWidth(40).options(Options.builder().ramBufferMb(1).build()).build()) {
      index.addAll(a);
      index.remove("a3");
      index.upsert(IndexEntry.of("a4", a.get(5).embedding(), Map.of("replaced", "yes")));
      index.commit();
    }
    List<IndexEntry> expected = new ArrayList<>(a);
    expected.remove(3);
    expected.set(3, IndexEntry.of("a4", a.get(5).embedding(), Map.of("replaced", "yes")));
    try (LuceneVectorIndex again = LuceneVectorIndex.open(dir)) {
      assertThat(again.space()).isEqualTo(ClusteredData.SPACE);
      assertThat(again.dimension()).isEqualTo(D);
      assertThat(again.similarity()).isEqualTo(Similarity.COSINE);
      assertThat(again.quantization()).isEqualTo(q);
      assertThat(again.maxConn()).isEqualTo(8);
      assertThat(again.beamWidth()).isEqualTo(40);
      assertThat(again.directory()).contains(dir);
      assertHolds(again, expected);
      List<SearchHit> hits = again.search(dev.bindspace.SearchRequest.of(a.get(10).embedding().withMedia(MediaKind.TEXT), 5));
      assertThat(hits.get(0).id()).isEqualTo("a10");
      again.add(IndexEntry.of("after-reopen", a.get(0).embedding()));
      assertThat(again.size()).isEqualTo(expected.size() + 1);
    }
    try (LuceneVectorIndex third = LuceneVectorIndex.open(dir)) {
      assertThat(third.contains("after-reopen")).isTrue(); // ON_CLOSE committed it
    }
  }

  @Test
  void should_lose_uncommitted_writes_in_a_crash_and_keep_the_last_commit_intact() throws IOException {
    Path dir = tmp.resolve("index");
    List<IndexEntry> committed = entries(400, "c");
    List<IndexEntry> uncommitted = entries(400, "u");
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).directory(dir)
        .options(Options.builder().commitPolicy(CommitPolicy.MANUAL).maxPendingEntries(10).ramBufferMb(1).build())
        .build()) {
      index.addAll(committed);
      index.commit();
      for (IndexEntry e : uncommitted) { // many small writes: segments flushed and merged, not committed
        index.add(e);
      }
      index.remove("c0");
      index.upsert(IndexEntry.of("c1", uncommitted.get(0).embedding()));
      index.forceMerge(1); // merged files of uncommitted segments reach the directory too
      // the crash: the directory exactly as it is on disk now, with the writer still open
      Path crashed = tmp.resolve("crashed");
      copyDirectory(dir, crashed);
      assertThat(checkIndex(crashed)).isTrue();
      try (LuceneVectorIndex afterCrash = LuceneVectorIndex.open(crashed)) {
        assertHolds(afterCrash, committed);
        assertThat(afterCrash.contains("u0")).isFalse();
        assertThat(afterCrash.search(dev.bindspace.SearchRequest.of(committed.get(0).embedding(), 1)).get(0).id())
            .isEqualTo("c0");
      }
    }
    try (LuceneVectorIndex closedWithoutCommit = LuceneVectorIndex.open(dir)) {
      assertHolds(closedWithoutCommit, committed); // MANUAL: close discarded the uncommitted writes
    }
  }

  @Test
  void should_commit_every_write_under_EVERY_WRITE() throws IOException {
    Path dir = tmp.resolve("index");
    List<IndexEntry> es = entries(5, "e");
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).directory(dir)
        .options(Options.builder().commitPolicy(CommitPolicy.EVERY_WRITE).build()).build()) {
      for (int i = 0; i < es.size(); i++) {
        index.add(es.get(i));
        Path copy = tmp.resolve("copy" + i);
        copyDirectory(dir, copy);
        try (LuceneVectorIndex c = LuceneVectorIndex.open(copy)) {
          assertHolds(c, es.subList(0, i + 1));
        }
      }
    }
  }

  @Test
  void should_write_plain_lucene_files_that_checkindex_and_a_bare_lucene_reader_accept() throws IOException {
    Path dir = tmp.resolve("index");
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).directory(dir).build()) {
      index.addAll(entries(200, "p"));
    }
    Path q = tmp.resolve("quantized");
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).directory(q)
        .quantization(Quantization.INT7).build()) {
      index.addAll(entries(200, "p"));
    }
    assertThat(checkIndex(dir)).isTrue();
    assertThat(checkIndex(q)).isTrue();
    assertThat(vectorFormat(dir)).isEqualTo("Lucene99HnswVectorsFormat");
    assertThat(vectorFormat(q)).isEqualTo("Lucene99HnswScalarQuantizedVectorsFormat");
  }

  private static String vectorFormat(Path dir) throws IOException {
    try (FSDirectory fs = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(fs)) {
      assertThat(r.numDocs()).isEqualTo(200);
      LeafReaderContext leaf = r.leaves().get(0);
      FieldInfo fi = leaf.reader().getFieldInfos().fieldInfo("vec");
      assertThat(fi.getVectorDimension()).isEqualTo(D);
      assertThat(leaf.reader().getFloatVectorValues("vec").size()).isGreaterThan(0);
      return fi.getAttribute("PerFieldKnnVectorsFormat.format");
    }
  }

  @Test
  void should_keep_ids_longer_than_a_lucene_term_and_large_metadata() {
    String longId = "x".repeat(40_000) + "✓";
    String longId2 = "x".repeat(40_000) + "✗";
    Embedding v = ClusteredData.entries(ClusteredData.vectors(rnd, 1, D, 1), "z").get(0).embedding();
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).build()) {
      IndexEntry a = IndexEntry.of(longId, v, Map.of("big", "y".repeat(100_000)));
      index.add(a);
      index.add(IndexEntry.of(longId2, v));
      assertThat(index.get(longId)).contains(a);
      assertThatThrownBy(() -> index.add(a)).isInstanceOf(IllegalArgumentException.class);
      assertThat(ids(index.search(dev.bindspace.SearchRequest.of(v, 2)))).containsExactly(longId, longId2);
      assertThat(index.remove(longId)).isTrue();
      assertThat(index.contains(longId)).isFalse();
      assertThat(index.contains(longId2)).isTrue();
    }
  }

  @Test
  void should_refuse_a_directory_that_already_holds_an_index() {
    Path dir = tmp.resolve("index");
    LuceneVectorIndex.builder(ClusteredData.SPACE, D).directory(dir).build().close();
    assertThatThrownBy(() -> LuceneVectorIndex.builder(ClusteredData.SPACE, D).directory(dir).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(dir.toString())
        .hasMessageContaining("open");
  }

  @Test
  void should_refuse_to_open_what_is_not_a_bindspace_index() throws IOException {
    Path missing = tmp.resolve("missing");
    assertThatThrownBy(() -> LuceneVectorIndex.open(missing)).isInstanceOf(BindspaceException.class)
        .hasMessageContaining(missing.toString());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> LuceneVectorIndex.open(empty)).isInstanceOf(CorruptIndexException.class)
        .hasMessageContaining("COMMIT");
    Path foreign = tmp.resolve("foreign");
    try (FSDirectory fs = FSDirectory.open(foreign); IndexWriter w = new IndexWriter(fs, new IndexWriterConfig())) {
      Document d = new Document();
      d.add(new StringField("f", "v", Field.Store.YES));
      w.addDocument(d);
      w.commit();
    }
    assertThatThrownBy(() -> LuceneVectorIndex.open(foreign)).isInstanceOf(CorruptIndexException.class)
        .hasMessageContaining("SETTINGS").hasMessageContaining("not a bindspace");
    Path damaged = tmp.resolve("damaged");
    LuceneVectorIndex.builder(ClusteredData.SPACE, D).directory(damaged).build().close();
    try (Stream<Path> files = Files.list(damaged)) {
      Path segments = files.filter(p -> p.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
      byte[] b = Files.readAllBytes(segments);
      b[b.length / 2] ^= 0x5A;
      Files.write(segments, b);
    }
    assertThatThrownBy(() -> LuceneVectorIndex.open(damaged)).isInstanceOf(CorruptIndexException.class)
        .hasMessageContaining(damaged.toString());
  }

  @Test
  void should_refuse_a_second_writer_on_the_same_directory() {
    Path dir = tmp.resolve("index");
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).directory(dir).build()) {
      assertThatThrownBy(() -> LuceneVectorIndex.open(dir)).isInstanceOf(BindspaceException.class)
          .hasMessageContaining("another writer");
      assertThat(index.size()).isZero();
    }
  }

  @Test
  void should_name_bad_settings_and_the_expected_range() {
    assertThatThrownBy(() -> LuceneVectorIndex.builder("s", 0).build()).hasMessageContaining("1..1024")
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> LuceneVectorIndex.builder("s", 1025).build()).hasMessageContaining("got 1025");
    assertThatThrownBy(() -> LuceneVectorIndex.builder("s", 8).maxConn(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConn must be in 1..512, got 0");
    assertThatThrownBy(() -> LuceneVectorIndex.builder("s", 8).beamWidth(5000).build())
        .hasMessageContaining("beamWidth must be in 1..3200, got 5000");
    assertThatThrownBy(() -> Options.builder().candidates(0).build()).hasMessageContaining("candidates")
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> Options.builder().oversample(0.5).build()).hasMessageContaining("[1, 100], got 0.5");
    assertThatThrownBy(() -> Options.builder().exactSearchThreshold(-1).build()).hasMessageContaining("got -1");
    assertThatThrownBy(() -> Options.builder().maxPendingEntries(-2).build()).hasMessageContaining("got -2");
    assertThatThrownBy(() -> Options.builder().ramBufferMb(0).build()).hasMessageContaining("got 0.0");
    assertThatThrownBy(() -> Options.builder().mergeThreads(65).build()).hasMessageContaining("1..64, got 65");
    assertThatThrownBy(() -> LuceneVectorIndex.builder("s", 8).similarity(null)).isInstanceOf(NullPointerException.class);
    try (LuceneVectorIndex index = LuceneVectorIndex.builder("s", 8).build()) {
      Embedding q = Embedding.of("s", MediaKind.TEXT, new float[] {1, 0, 0, 0, 0, 0, 0, 0});
      assertThatThrownBy(() -> index.search(dev.bindspace.SearchRequest.of(q), 0))
          .hasMessageContaining("candidates must be in 1..100000, got 0");
      assertThatThrownBy(() -> index.forceMerge(0)).hasMessageContaining("got 0");
      assertThat(index.toString()).contains("maxConn=16", "beamWidth=100", "quantization=NONE", "candidates=100");
    }
  }

  @Test
  void should_accept_the_same_writes_in_memory_with_commit_as_a_no_op() {
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).build()) {
      List<IndexEntry> es = entries(50, "m");
      index.addAll(es);
      index.commit();
      assertHolds(index, es);
      assertThat(index.directory()).isEmpty();
    }
  }

  static boolean checkIndex(Path dir) throws IOException {
    try (FSDirectory fs = FSDirectory.open(dir); CheckIndex check = new CheckIndex(fs)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      check.setInfoStream(new PrintStream(out, true, StandardCharsets.UTF_8));
      CheckIndex.Status status = check.checkIndex();
      if (!status.clean) {
        System.out.println(out.toString(StandardCharsets.UTF_8));
      }
      return status.clean;
    }
  }

  /** Copies the files of {@code from} (not the write lock's OS lock): what a crash leaves on disk. */
  static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          try {
            Files.copy(f, to.resolve(f.getFileName()));
          } catch (java.nio.file.NoSuchFileException gone) {
            // deleted by a merge while we listed: a crash would not have seen it either
          }
        }
      }
    }
  }
}
