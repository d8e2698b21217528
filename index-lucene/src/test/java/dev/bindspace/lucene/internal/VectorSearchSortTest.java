package dev.bindspace.lucene.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.TestRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@link VectorSearch#sort}: the order of a stable library sort, on both of its paths. */
class VectorSearchSortTest {

  @Test
  void should_order_indexes_like_a_stable_sort_for_small_and_large_inputs(TestInfo info) {
    Random rnd = TestRandom.forTest(info);
    for (int round = 0; round < 300; round++) {
      int n = rnd.nextInt(120); // both sides of the insertion-sort limit
      int[] keys = new int[n];
      for (int i = 0; i < n; i++) {
        keys[i] = rnd.nextInt(8); // many ties: stability shows
      }
      IntBinaryOperator cmp = (a, b) -> Integer.compare(keys[a], keys[b]);
      int[] idx = new int[n];
      Integer[] expected = new Integer[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
        expected[i] = i;
      }
      Arrays.sort(expected, Comparator.comparingInt(i -> keys[i]));
      VectorSearch.sort(idx, cmp);
      assertThat(idx).containsExactly(Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
    }
  }
}
