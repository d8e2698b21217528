package dev.bindspace;

import static dev.bindspace.SearchAssertions.assertEquivalent;
import static dev.bindspace.SearchAssertions.assertMatchesReference;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link VectorIndex} contract for {@link FlatIndex} with plain-Java scans split over 4 threads,
 * plus an index large enough (above {@link FlatIndex#PARALLEL_MIN_FLOATS} stored floats) for the
 * split to actually happen.
 */
class FlatIndexParallelContractTest extends VectorIndexContractTest {
  private static final FlatIndex.Options PARALLEL =
      FlatIndex.Options.builder().strategy(FlatIndex.Strategy.JAVA).threads(4).build();

  @Override
  protected VectorIndex newIndex(String space, int dimension) {
    return FlatIndex.create(space, dimension, PARALLEL);
  }

  @Test
  void should_return_exact_results_when_the_scan_runs_in_parallel() {
    int n = 3001; // not a multiple of 4: the last part ends in a tail
    int d = 512;
    assertThat((long) n * d).isGreaterThan(FlatIndex.PARALLEL_MIN_FLOATS);
    VectorIndex index = index(d);
    List<IndexEntry> entries = TestVectors.entries(rnd, SPACE, d, n, "p");
    index.addAll(entries);
    List<SearchRequest> requests = new ArrayList<>();
    for (int q = 0; q < 6; q++) {
      // half of the queries are stored vectors: their own row must win, wherever the split put it
      Embedding query = q % 2 == 0 ? entries.get(rnd.nextInt(n)).embedding()
          : TestVectors.embedding(rnd, SPACE, MediaKind.TEXT, d);
      SearchRequest.Builder b = SearchRequest.builder(query).topK(q == 5 ? 500 : 10);
      if (q == 3) {
        b.filter(MetadataFilter.equalTo("parity", "odd")).targetModalities(Modality.AUDIO, Modality.VISION);
      }
      requests.add(b.build());
    }

    List<List<SearchHit>> batch = index.searchAll(requests);
    for (int q = 0; q < requests.size(); q++) {
      List<SearchHit> single = index.search(requests.get(q));
      assertMatchesReference(single, entries, requests.get(q), TIE, SCORE);
      assertEquivalent(batch.get(q), single, SCORE);
    }
    // the whole index, to the last row
    SearchRequest everything = SearchRequest.of(entries.get(n - 1).embedding(), n);
    List<SearchHit> all = index.search(everything);
    assertThat(all).hasSize(n);
    assertThat(all.get(0).id()).isEqualTo("p" + (n - 1));
    assertMatchesReference(all, entries, everything, TIE, SCORE);
  }
}
