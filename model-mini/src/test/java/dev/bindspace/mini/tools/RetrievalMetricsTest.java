package dev.bindspace.mini.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {
  private static float[] v(float... x) {
    return x;
  }

  @Test
  void should_count_top_k_hits_against_the_label_vectors() {
    List<float[]> labels = List.of(v(1, 0, 0), v(0, 1, 0), v(0, 0, 1));
    List<float[]> items = List.of(v(0.9f, 0.1f, 0), v(0.6f, 0.8f, 0), v(0, 0.6f, 0.8f), v(0.8f, 0, 0.6f));
    int[] truth = {0, 0, 2, 2};
    RetrievalMetrics.Figure top1 = RetrievalMetrics.toText("t", "all", items, truth, labels, 1);
    assertThat(top1.value()).isEqualTo(0.5); // items 0 and 2 are right, 1 and 3 are not
    assertThat(top1.chance()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(top1.prior()).isEqualTo(0.5);
    RetrievalMetrics.Figure top2 = RetrievalMetrics.toText("t", "all", items, truth, labels, 2);
    assertThat(top2.value()).isEqualTo(1.0);
  }

  @Test
  void should_give_exact_chance_for_recall_at_k() {
    // 4 gallery items, 1 relevant, k = 2: chance = 1 - C(3,2)/C(4,2) = 1 - 3/6 = 0.5
    assertThat(1 - RetrievalMetrics.ratioOfBinomials(3, 4, 2)).isCloseTo(0.5, within(1e-12));
    List<float[]> gallery = List.of(v(1, 0), v(0, 1), v(0.7f, 0.7f), v(-1, 0));
    int[] gl = {0, 1, 2, 3};
    RetrievalMetrics.Figure f = RetrievalMetrics.crossModal("a->b", "all", List.of(v(0.8f, 0.6f)), new int[] {1},
        gallery, gl, 1);
    assertThat(f.value()).isEqualTo(0.0); // (0.7,0.7) beats (0,1)
    RetrievalMetrics.Figure f2 = RetrievalMetrics.crossModal("a->b", "all", List.of(v(0.8f, 0.6f)), new int[] {1},
        gallery, gl, 3);
    assertThat(f2.value()).isEqualTo(1.0);
    assertThat(f2.chance()).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void should_skip_queries_without_a_relevant_gallery_item() {
    RetrievalMetrics.Figure f = RetrievalMetrics.crossModal("a->b", "all", List.of(v(1, 0)), new int[] {5},
        List.of(v(1, 0)), new int[] {0}, 1);
    assertThat(f.queries()).isZero();
    assertThat(f.value()).isNaN();
  }
}
