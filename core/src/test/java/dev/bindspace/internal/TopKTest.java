package dev.bindspace.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.TestRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@link TopK} against a full sort by (score descending, id ascending). */
class TopKTest {

  /** Unique ids that often share prefixes and compare in non-obvious ways ("id10" < "id9", "B" < "a"). */
  private static String[] ids(Random rnd, int n) {
    Set<String> seen = new HashSet<>();
    String[] out = new String[n];
    String[] prefixes = {"id", "ID", "i", "", "a", "B", "é"};
    for (int i = 0; i < n; i++) {
      String id;
      do {
        id = prefixes[rnd.nextInt(prefixes.length)] + rnd.nextInt(3 * n + 10);
      } while (!seen.add(id));
      out[i] = id;
    }
    return out;
  }

  private static List<Integer> expected(float[] scores, String[] ids, int k) {
    List<Integer> rows = new ArrayList<>();
    for (int r = 0; r < scores.length; r++) {
      rows.add(r);
    }
    rows.sort(Comparator.comparingDouble((Integer r) -> -scores[r]).thenComparing(r -> ids[r]));
    return rows.subList(0, Math.min(k, rows.size()));
  }

  private static List<Integer> drain(TopK top, float[] outScores) {
    int[] rows = top.drainSorted(outScores);
    List<Integer> out = new ArrayList<>();
    for (int r : rows) {
      out.add(r);
    }
    return out;
  }

  @Test
  void should_keep_the_best_k_in_sorted_order_with_ties_by_id(TestInfo info) {
    Random rnd = TestRandom.forTest(info);
    for (int t = 0; t < 500; t++) {
      int n = rnd.nextInt(300);
      String[] ids = ids(rnd, n);
      float[] scores = new float[n];
      int levels = 1 + rnd.nextInt(6); // few distinct scores: ties everywhere
      for (int r = 0; r < n; r++) {
        scores[r] = rnd.nextInt(3) == 0 ? rnd.nextFloat() * 2 - 1 : rnd.nextInt(levels) / (float) levels;
      }
      int k = new int[] {1, 2, 7, Math.max(1, n / 2), Math.max(1, n), n + 5}[rnd.nextInt(6)];
      List<Integer> order = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        order.add(r);
      }
      Collections.shuffle(order, rnd);

      TopK top = new TopK(k, ids);
      for (int r : order) {
        top.offer(scores[r], r);
      }
      assertThat(top.size()).isEqualTo(Math.min(k, n));
      float[] out = new float[top.size()];
      List<Integer> got = drain(top, out);
      List<Integer> want = expected(scores, ids, k);
      assertThat(got).as("n=%d k=%d", n, k).isEqualTo(want);
      for (int i = 0; i < got.size(); i++) {
        assertThat(out[i]).isEqualTo(scores[got.get(i)]);
      }
      assertThat(top.size()).as("drained").isZero();
    }
  }

  @Test
  void should_merge_partial_results_into_the_same_answer(TestInfo info) {
    Random rnd = TestRandom.forTest(info);
    for (int t = 0; t < 200; t++) {
      int n = 1 + rnd.nextInt(200);
      String[] ids = ids(rnd, n);
      float[] scores = new float[n];
      for (int r = 0; r < n; r++) {
        scores[r] = rnd.nextInt(4) / 4f;
      }
      int k = 1 + rnd.nextInt(n + 3);
      int parts = 1 + rnd.nextInt(4);
      List<TopK> tops = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        tops.add(new TopK(k, ids));
      }
      for (int r = 0; r < n; r++) { // contiguous parts, as a split scan makes them
        tops.get(r * parts / n).offer(scores[r], r);
      }
      TopK merged = tops.get(0);
      for (int p = 1; p < parts; p++) {
        merged.merge(tops.get(p));
      }
      assertThat(drain(merged, new float[Math.min(k, n)])).isEqualTo(expected(scores, ids, k));
    }
  }

  @Test
  void should_accept_only_what_would_enter() {
    String[] ids = {"b", "a", "c", "d"};
    TopK top = new TopK(2, ids);
    assertThat(top.accepts(-1f, 2)).isTrue(); // not full yet
    top.insert(0.5f, 0); // b
    top.insert(0.5f, 2); // c
    assertThat(top.accepts(0.4f, 1)).isFalse(); // worse score
    assertThat(top.accepts(0.6f, 3)).isTrue(); // better score
    assertThat(top.accepts(0.5f, 1)).isTrue(); // same score, smaller id "a" < "c"
    assertThat(top.accepts(0.5f, 3)).isFalse(); // same score, larger id "d"
    top.offer(0.5f, 1); // a evicts c
    float[] s = new float[2];
    assertThat(top.drainSorted(s)).containsExactly(1, 0);
    assertThat(s).containsExactly(0.5f, 0.5f);
  }

  @Test
  void should_treat_minus_zero_and_zero_as_a_tie() {
    String[] ids = {"z", "a"};
    TopK top = new TopK(1, ids);
    top.offer(0f, 0);
    top.offer(-0f, 1);
    assertThat(top.drainSorted(new float[1])).containsExactly(1);
  }
}
