package dev.bindspace;

import static dev.bindspace.SearchAssertions.assertMatchesReference;
import static dev.bindspace.SearchAssertions.ids;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FlatIndex} against a naive double-precision brute-force cosine search on seeded random
 * data: the same top-k ids in the same order, except that two entries whose exact scores differ by
 * less than {@value #TIE} may come back in either order (see
 * {@link SearchAssertions#assertMatchesReference}).
 */
class FlatIndexBruteForceTest {
  private static final String SPACE = "bf";
  private static final double TIE = 1e-6;
  private static final double SCORE = 1e-5;

  private static FlatIndex.Options options(FlatIndex.Strategy strategy, int threads) {
    return FlatIndex.Options.builder().strategy(strategy).threads(threads).build();
  }

  static Stream<Arguments> shapes() {
    List<Arguments> out = new ArrayList<>();
    // rows not multiples of 4, dimensions not multiples of 16; 2601 x 512 is above the parallel threshold
    int[][] shapes = {{3, 7}, {37, 1}, {101, 7}, {1003, 384}, {257, 1024}, {2050, 33}, {2601, 512}};
    for (int[] s : shapes) {
      out.add(Arguments.of(s[0], s[1], FlatIndex.Strategy.JAVA, s[0] * s[1] > (1 << 20) ? 4 : 1));
      out.add(Arguments.of(s[0], s[1], FlatIndex.Strategy.ND4J, 2));
    }
    return out.stream();
  }

  /** A mix of requests: stored and fresh queries, several k, some with a floor, targets or a filter. */
  private static List<SearchRequest> requests(Random rnd, List<IndexEntry> entries, int d) {
    List<SearchRequest> out = new ArrayList<>();
    for (int q = 0; q < 9; q++) {
      Embedding query = q % 3 == 0 ? entries.get(rnd.nextInt(entries.size())).embedding().withMedia(MediaKind.TEXT)
          : TestVectors.embedding(rnd, SPACE, MediaKind.TEXT, d);
      SearchRequest.Builder b = SearchRequest.builder(query).topK(new int[] {1, 10, 100}[q % 3]);
      if (q == 4) {
        b.minScore(0.05f);
      }
      if (q == 5) {
        b.targetModalities(Modality.VISION, Modality.IMU);
      }
      if (q == 7) {
        b.filter(MetadataFilter.equalTo("parity", "even"));
      }
      out.add(b.build());
    }
    return out;
  }

  private static void assertAgrees(FlatIndex index, List<IndexEntry> live, List<SearchRequest> requests) {
    List<List<SearchHit>> batch = index.searchAll(requests);
    for (int q = 0; q < requests.size(); q++) {
      SearchRequest r = requests.get(q);
      List<SearchHit> single = index.search(r);
      assertMatchesReference(single, live, r, TIE, SCORE);
      assertMatchesReference(batch.get(q), live, r, TIE, SCORE);
      if (index.dimension() == 1) {
        // every cosine is exactly +1 or -1: all ties, resolved by id alone
        assertThat(ids(single)).isEqualTo(ReferenceSearch.search(live, r).stream().map(s -> s.id).toList());
        assertThat(ids(batch.get(q))).isEqualTo(ids(single));
      }
    }
  }

  @ParameterizedTest(name = "n={0} d={1} {2} threads={3}")
  @MethodSource("shapes")
  void should_find_the_same_neighbours_as_brute_force(int n, int d, FlatIndex.Strategy strategy, int threads,
      TestInfo info) {
    Random rnd = TestRandom.forTest(info);
    List<IndexEntry> entries = TestVectors.entries(rnd, SPACE, d, n, "v");
    try (FlatIndex index = FlatIndex.create(SPACE, d, options(strategy, threads))) {
      // half in one batch, half one by one: several chunks and both write paths
      index.addAll(entries.subList(0, n / 2));
      for (IndexEntry e : entries.subList(n / 2, n)) {
        index.add(e);
      }
      assertAgrees(index, entries, requests(rnd, entries, d));
    }
  }

  @Test
  void should_stay_exact_while_entries_are_upserted_and_removed_through_compactions(TestInfo info) {
    Random rnd = TestRandom.forTest(info);
    int d = 20;
    int n = 3000;
    Map<String, IndexEntry> model = new LinkedHashMap<>();
    List<IndexEntry> initial = TestVectors.entries(rnd, SPACE, d, n, "i");
    initial.forEach(e -> model.put(e.id(), e));
    List<FlatIndex> indexes = List.of(
        FlatIndex.create(SPACE, d, options(FlatIndex.Strategy.JAVA, 1)),
        FlatIndex.create(SPACE, d, options(FlatIndex.Strategy.ND4J, 2)));
    try {
      for (FlatIndex index : indexes) {
        index.addAll(initial);
      }
      long appended = n;
      int compactions = 0;
      int lastRows = n;
      int next = n;
      List<String> liveIds = new ArrayList<>(model.keySet());
      for (int op = 0; op < 3200; op++) {
        int kind = rnd.nextInt(10);
        if (kind < 6 && !liveIds.isEmpty()) { // remove
          String id = liveIds.remove(rnd.nextInt(liveIds.size()));
          model.remove(id);
          for (FlatIndex index : indexes) {
            assertThat(index.remove(id)).as("remove %s", id).isTrue();
          }
        } else if (kind < 8 && !liveIds.isEmpty()) { // upsert an existing id: new vector, media and metadata
          String id = liveIds.get(rnd.nextInt(liveIds.size()));
          IndexEntry e = IndexEntry.of(id, TestVectors.embedding(rnd, SPACE, MediaKind.values()[rnd.nextInt(7)], d),
              Map.of("parity", rnd.nextBoolean() ? "even" : "odd", "op", "" + op));
          model.put(id, e);
          indexes.forEach(index -> index.upsert(e));
          appended++;
        } else { // add a new id
          IndexEntry e = IndexEntry.of("n" + next++, TestVectors.embedding(rnd, SPACE, MediaKind.AUDIO, d),
              Map.of("parity", "even"));
          model.put(e.id(), e);
          liveIds.add(e.id());
          indexes.forEach(index -> index.add(e));
          appended++;
        }
        int rows = FlatIndexInternals.storedRows(indexes.get(0));
        if (rows < lastRows) {
          compactions++;
          assertThat(rows).as("a compaction keeps exactly the live rows").isEqualTo(model.size());
        }
        lastRows = rows;
        if (op % 160 == 0 || op == 3199) {
          List<IndexEntry> live = new ArrayList<>(model.values());
          for (FlatIndex index : indexes) {
            assertThat(index.size()).isEqualTo(model.size());
            assertAgrees(index, live, requests(rnd, live, d));
          }
        }
      }
      assertThat(compactions).as("removals must have triggered compaction (%d rows appended)", appended)
          .isGreaterThanOrEqualTo(1);
      // every survivor still maps to its own row after the compactions
      for (FlatIndex index : indexes) {
        assertThat(index.ids()).containsExactlyInAnyOrderElementsOf(model.keySet());
        for (IndexEntry e : model.values()) {
          assertThat(index.get(e.id())).contains(e);
        }
      }
      System.out.println("compactions: " + compactions + ", live " + model.size() + ", rows appended " + appended
         );
    } finally {
      indexes.forEach(FlatIndex::close);
    }
  }
}
