package dev.bindspace.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.SearchHit;
import dev.bindspace.TestRandom;
import dev.bindspace.lucene.LuceneVectorIndex.Options;
import dev.bindspace.lucene.LuceneVectorIndex.Quantization;
import dev.bindspace.lucene.LuceneVectorIndex.Residency;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** {@link Residency#HEAP}: the same answers as MAPPED, and heap copies that follow the segments. */
class LuceneResidencyTest {
  private static final int D = 16;
  private static final int MAX_CONN = 6;
  /** Heap bytes per vector: the floats plus a level-0 row of {@code 2 x maxConn + 1} ints. */
  private static final long BYTES_PER_VECTOR = 4L * D + 4L * (2 * MAX_CONN + 1);

  /**
   * What {@code n} vectors in one segment hold: {@link #BYTES_PER_VECTOR} each, plus the upper
   * levels (about one node in maxConn per level up, each an ordinal and a row of maxConn + 1 ints).
   */
  private static void assertHeldFor(LuceneVectorIndex index, long n) {
    assertThat(index.residentBytes()).isBetween(n * BYTES_PER_VECTOR, n * BYTES_PER_VECTOR * 110 / 100);
  }

  @Test
  void should_return_exactly_the_hits_of_mapped_searches(@TempDir Path tmp, TestInfo info) {
    Random rnd = TestRandom.forTest(info);
    float[][] vectors = ClusteredData.vectors(rnd, 3000, D, 12);
    Path dir = tmp.resolve("index");
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).directory(dir)
        .maxConn(MAX_CONN).beamWidth(40).build()) {
      index.addAll(ClusteredData.entries(vectors, "v"));
      index.commit();
    }
    List<float[]> queries = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      queries.add(ClusteredData.gaussian(rnd, D));
    }
    List<List<SearchHit>> mapped = searchAll(dir, Residency.MAPPED, queries);
    List<List<SearchHit>> heap = searchAll(dir, Residency.HEAP, queries);
    assertThat(heap).isEqualTo(mapped);
  }

  private static List<List<SearchHit>> searchAll(Path dir, Residency residency, List<float[]> queries) {
    Options o = Options.builder().exactSearchThreshold(0).candidates(24).residency(residency).build();
    try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, o)) {
      List<List<SearchHit>> out = new ArrayList<>();
      for (float[] q : queries) {
        out.add(index.search(ClusteredData.query(q, 10)));
      }
      if (residency == Residency.HEAP) {
        assertHeldFor(index, 3000);
      } else {
        assertThat(index.residentBytes()).isZero();
      }
      return out;
    }
  }

  @Test
  void should_load_segments_when_searched_and_drop_them_once_merged_away(TestInfo info) {
    Random rnd = TestRandom.forTest(info);
    float[][] vectors = ClusteredData.vectors(rnd, 1500, D, 6);
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).maxConn(MAX_CONN)
        .options(Options.builder().exactSearchThreshold(0).candidates(16).residency(Residency.HEAP).build())
        .build()) {
      index.addAll(ClusteredData.entries(java.util.Arrays.copyOfRange(vectors, 0, 1000), "a"));
      index.commit();
      index.addAll(ClusteredData.entries(java.util.Arrays.copyOfRange(vectors, 1000, 1500), "b"));
      index.commit();
      assertThat(index.residentBytes()).isZero(); // nothing searched yet
      int segments = index.segmentCount();
      assertThat(segments).isGreaterThanOrEqualTo(2);
      index.search(ClusteredData.query(vectors[3], 5));
      assertHeldFor(index, 1500);

      index.forceMerge(1);
      index.search(ClusteredData.query(vectors[3], 5));
      // the merged segment is loaded; the segments it replaced were closed and dropped
      assertThat(index.segmentCount()).isEqualTo(1);
      assertHeldFor(index, 1500); // held twice, it would be twice as much

      assertThat(index.remove("a7")).isTrue();
      List<SearchHit> hits = index.search(ClusteredData.query(vectors[7], 5));
      assertThat(hits).extracting(SearchHit::id).doesNotContain("a7");
    }
  }

  @Test
  void should_not_copy_anything_where_lucene_walks_the_graph(TestInfo info) {
    Random rnd = TestRandom.forTest(info);
    float[][] vectors = ClusteredData.vectors(rnd, 800, D, 4);
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).quantization(Quantization.INT7)
        .options(Options.builder().exactSearchThreshold(0).residency(Residency.HEAP).build()).build()) {
      index.addAll(ClusteredData.entries(vectors, "v"));
      assertThat(index.search(ClusteredData.query(vectors[0], 3))).isNotEmpty();
      assertThat(index.residentBytes()).isZero();
    }
  }
}
