package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ND4J path wraps mapped chunks of opened indexes without copying. ND4J must never free memory it does not own:
 * indexes whose wrapped chunks become garbage are collected many times here, and results stay right
 * (a double free or use-after-free would crash the fork or corrupt scores).
 */
class Nd4jBatchLifecycleTest {
  @TempDir Path dir;

  @Test
  void should_keep_correct_results_while_wrapped_chunks_are_garbage_collected() throws Exception {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("Nd4jBatchLifecycleTest seed=" + seed);
    Random rnd = new Random(seed);
    int d = 64;
    for (int round = 0; round < 25; round++) {
      try (FlatIndex index = FlatIndex.create("s", d,
          FlatIndex.Options.builder().strategy(FlatIndex.Strategy.ND4J).build())) {
        List<IndexEntry> entries = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
          float[] v = new float[d];
          for (int j = 0; j < d; j++) {
            v[j] = (float) rnd.nextGaussian();
          }
          entries.add(IndexEntry.of("id" + i, Embedding.of("s", Modality.TEXT, v)));
        }
        index.addAll(entries);
        List<SearchRequest> requests = new ArrayList<>();
        for (int q = 0; q < 16; q++) {
          requests.add(SearchRequest.of(entries.get(q * 31).embedding(), 3));
        }
        check(index.searchAll(requests), round);
        // an opened index keeps its vectors in the file mapping, which ND4J wraps without copying
        Path file = dir.resolve("round" + round + ".bsix");
        index.save(file);
        try (FlatIndex opened = FlatIndex.open(file,
            FlatIndex.Options.builder().strategy(FlatIndex.Strategy.ND4J).build())) {
          check(opened.searchAll(requests), round);
        }
      }
      System.gc();
    }
  }

  private static void check(List<List<SearchHit>> results, int round) {
    for (int q = 0; q < 16; q++) {
      assertThat(results.get(q).get(0).id()).as("round %d query %d", round, q).isEqualTo("id" + q * 31);
      assertThat(results.get(q).get(0).score()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
    }
  }
}
