package dev.bindspace.lucene;

import static dev.bindspace.SearchAssertions.assertMatchesReference;
import static dev.bindspace.SearchAssertions.assertWellFormed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.IndexEntry;
import dev.bindspace.MetadataFilter;
import dev.bindspace.Modality;
import dev.bindspace.ReferenceSearch;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import dev.bindspace.TestRandom;
import dev.bindspace.lucene.LuceneVectorIndex.Options;
import dev.bindspace.lucene.LuceneVectorIndex.Quantization;
import dev.bindspace.lucene.LuceneVectorIndex.Similarity;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The graph path on data large enough to use it: recall of float, int7 and int4 graphs with
 * re-scoring, scores that are exact cosines whatever the quantisation, and filters inside the
 * graph walk (pre-filtering).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LuceneRecallTest {
  private static final int N = 6000;
  private static final int D = 48;
  private static final int QUERIES = 40;

  private List<IndexEntry> entries;
  private float[][] queries;

  @BeforeAll
  void data() {
    Random rnd = TestRandom.forName("LuceneRecallTest.data");
    float[][] all = ClusteredData.vectors(rnd, N + QUERIES, D, 30);
    entries = ClusteredData.entries(java.util.Arrays.copyOf(all, N), "v");
    queries = java.util.Arrays.copyOfRange(all, N, N + QUERIES);
  }

  private LuceneVectorIndex build(Similarity sim, Quantization q) {
    LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).similarity(sim).quantization(q)
        .options(Options.builder().exactSearchThreshold(0).candidates(12).ramBufferMb(4).build()).build();
    index.addAll(entries);
    index.forceMerge(1);
    return index;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"DOT_PRODUCT, NONE, 0.97", "DOT_PRODUCT, INT7, 0.95", "DOT_PRODUCT, INT4, 0.90", "COSINE, NONE, 0.97",
      "COSINE, INT7, 0.95"})
  void should_find_most_true_neighbours_and_report_exact_cosines(Similarity sim, Quantization q, double minRecall) {
    try (LuceneVectorIndex index = build(sim, q)) {
      assertThat(index.segmentCount()).isEqualTo(1);
      int found = 0;
      for (float[] v : queries) {
        SearchRequest r = ClusteredData.query(v, 10);
        List<SearchHit> hits = index.search(r);
        assertWellFormed(hits);
        assertThat(hits).hasSize(10);
        List<ReferenceSearch.Scored> exact = ReferenceSearch.search(entries, r);
        Set<String> truth = exact.stream().map(s -> s.id).collect(Collectors.toSet());
        for (SearchHit h : hits) {
          found += truth.contains(h.id()) ? 1 : 0;
          // re-scored from full-precision vectors: the exact cosine, never a quantised estimate
          double cos = r.query().cosine(byId(h.id()).embedding());
          assertThat((double) h.score()).as(h.id()).isCloseTo(cos, org.assertj.core.api.Assertions.within(1e-5));
        }
      }
      double recall = found / (10.0 * queries.length);
      System.out.printf("recall@10 %s %s: %.3f%n", sim, q, recall);
      assertThat(recall).isGreaterThanOrEqualTo(minRecall);
    }
  }

  @Test
  void should_answer_exactly_when_the_filter_leaves_few_entries() {
    try (LuceneVectorIndex index = build(Similarity.DOT_PRODUCT, Quantization.INT7)) {
      for (float[] v : queries) {
        // 60 of 6000 pass: the walk would visit more than 61 nodes, so the segment is scored exactly
        SearchRequest r = SearchRequest.builder(ClusteredData.query(v, 10).query()).topK(10)
            .filter(MetadataFilter.equalTo("bucket", "7")).build();
        List<SearchHit> hits = index.search(r);
        assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(h.metadata()).containsEntry("bucket", "7"));
        assertMatchesReference(hits, entries, r, 1e-6, 1e-5);
      }
    }
  }

  @Test
  void should_apply_broad_filters_inside_the_graph_walk_and_still_return_topK() {
    try (LuceneVectorIndex index = build(Similarity.DOT_PRODUCT, Quantization.NONE)) {
      int found = 0;
      for (float[] v : queries) {
        // half of the entries pass, and only VISION ones (2 of 7 kinds): about 860 of 6000
        SearchRequest r = SearchRequest.builder(ClusteredData.query(v, 10).query()).topK(10)
            .targetModalities(Modality.VISION).filter(MetadataFilter.equalTo("parity", "even")).build();
        List<SearchHit> hits = index.search(r);
        assertWellFormed(hits);
        assertThat(hits).hasSize(10).allSatisfy(h -> {
          assertThat(h.modality()).isEqualTo(Modality.VISION);
          assertThat(h.metadata()).containsEntry("parity", "even");
        });
        Set<String> truth = new HashSet<>();
        ReferenceSearch.search(entries, r).forEach(s -> truth.add(s.id));
        found += (int) hits.stream().filter(h -> truth.contains(h.id())).count();
      }
      assertThat(found / (10.0 * queries.length)).isGreaterThanOrEqualTo(0.95);
    }
  }

  private IndexEntry byId(String id) {
    return entries.get(Integer.parseInt(id.substring(1)));
  }
}
