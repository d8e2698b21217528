package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class ZeroShotClassifierTest {
  private static final String S = "zs";
  private static final int D = 64;

  private Random rnd;

  @BeforeEach
  void seed(TestInfo info) {
    rnd = TestRandom.forTest(info);
  }

  private Embedding text() {
    return TestVectors.embedding(rnd, S, MediaKind.TEXT, D);
  }

  private ZeroShotClassifier classifier(List<Embedding> labels, double temperature) {
    ZeroShotClassifier.Builder b = ZeroShotClassifier.builder().temperature(temperature);
    for (int i = 0; i < labels.size(); i++) {
      b.label("label-" + i, labels.get(i));
    }
    return b.build();
  }

  @Test
  void should_return_a_softmax_of_cosines_over_the_temperature_summing_to_one() {
    for (int t = 0; t < 100; t++) {
      int n = 2 + rnd.nextInt(9);
      List<Embedding> labels = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        labels.add(text());
      }
      double temperature = new double[] {0.01, 0.05, 0.5, 3}[t % 4];
      Embedding image = TestVectors.embedding(rnd, S, MediaKind.IMAGE, D);
      List<ZeroShotClassifier.Prediction> ps = classifier(labels, temperature).classify(image);

      assertThat(ps).hasSize(n);
      assertThat(ps.stream().mapToDouble(ZeroShotClassifier.Prediction::probability).sum()).isCloseTo(1.0,
          within(1e-12));
      double denominator = 0;
      for (Embedding l : labels) {
        denominator += Math.exp(TestVectors.cosine(image.toArray(), l.toArray()) / temperature);
      }
      for (int i = 0; i < n; i++) {
        ZeroShotClassifier.Prediction p = ps.get(i);
        Embedding l = labels.get(Integer.parseInt(p.label().substring("label-".length())));
        double cos = TestVectors.cosine(image.toArray(), l.toArray());
        assertThat(p.cosine()).isCloseTo(cos, within(1e-12));
        assertThat(p.probability()).isCloseTo(Math.exp(cos / temperature) / denominator, within(1e-9))
            .isBetween(0.0, 1.0);
        if (i > 0) {
          assertThat(p.probability()).isLessThanOrEqualTo(ps.get(i - 1).probability());
        }
      }
    }
  }

  @Test
  void should_pick_the_most_similar_label() {
    for (int t = 0; t < 50; t++) {
      List<Embedding> labels = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        labels.add(text());
      }
      int target = rnd.nextInt(6);
      Embedding image = labels.get(target).add(text().scale(0.3)).withMedia(MediaKind.IMAGE);
      ZeroShotClassifier c = classifier(labels, ZeroShotClassifier.DEFAULT_TEMPERATURE);
      assertThat(c.best(image).label()).isEqualTo("label-" + target);
      assertThat(c.classify(image).get(0).label()).isEqualTo("label-" + target);
      assertThat(c.best(image).probability()).isGreaterThan(0.9);
    }
  }

  @Test
  void should_flatten_the_distribution_as_the_temperature_rises() {
    List<Embedding> labels = List.of(text(), text(), text(), text());
    Embedding image = labels.get(1).add(text().scale(0.5));
    double previousMax = 1.1;
    double previousEntropy = -1;
    for (double temperature : new double[] {0.05, 0.1, 0.3, 1, 10, 1000}) { // colder ones saturate to 1.0
      List<ZeroShotClassifier.Prediction> ps = classifier(labels, temperature).classify(image);
      double max = ps.get(0).probability();
      double entropy = 0;
      for (ZeroShotClassifier.Prediction p : ps) {
        entropy -= p.probability() == 0 ? 0 : p.probability() * Math.log(p.probability());
      }
      assertThat(max).as("T=%s", temperature).isLessThan(previousMax);
      assertThat(entropy).as("T=%s", temperature).isGreaterThan(previousEntropy);
      assertThat(ps.get(0).label()).as("the order does not depend on T").isEqualTo("label-1");
      previousMax = max;
      previousEntropy = entropy;
    }
    assertThat(previousMax).as("nearly uniform at T=1000").isCloseTo(0.25, within(1e-3));
    // a tiny temperature must not overflow exp(): the best label takes everything
    List<ZeroShotClassifier.Prediction> cold = classifier(labels, 1e-9).classify(image);
    assertThat(cold.get(0).probability()).isCloseTo(1.0, within(1e-12));
    assertThat(cold).allSatisfy(p -> assertThat(p.probability()).isNotNaN());
  }

  @Test
  void should_default_to_temperature_0_01() {
    assertThat(ZeroShotClassifier.DEFAULT_TEMPERATURE).isEqualTo(0.01);
    ZeroShotClassifier c = ZeroShotClassifier.builder().label("a", text()).label("b", text()).build();
    assertThat(c.temperature()).isEqualTo(0.01);
    assertThat(c.labels()).containsExactly("a", "b");
    assertThatThrownBy(() -> c.labels().add("c")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void should_order_equal_probabilities_by_label_order() {
    Embedding same = text();
    ZeroShotClassifier c = ZeroShotClassifier.builder().label("zebra", text().scale(-1)).label("second", same)
        .label("first", same).build();
    List<ZeroShotClassifier.Prediction> ps = c.classify(same);
    assertThat(ps.get(0).probability()).isEqualTo(ps.get(1).probability());
    assertThat(ps).extracting(ZeroShotClassifier.Prediction::label).startsWith("second", "first");
  }

  @Test
  void should_build_a_label_from_a_prompt_ensemble() {
    List<Embedding> prompts = List.of(text(), text().scale(40), text().scale(0.01));
    // expected prototype: the normalised mean of the normalised prompts, in double precision
    double[] proto = new double[D];
    for (Embedding p : prompts) {
      double n = p.norm();
      for (int i = 0; i < D; i++) {
        proto[i] += p.get(i) / n;
      }
    }
    float[] protoF = new float[D];
    for (int i = 0; i < D; i++) {
      protoF[i] = (float) proto[i];
    }
    ZeroShotClassifier c = ZeroShotClassifier.builder().label("dog", prompts).label("car", text()).build();
    for (int t = 0; t < 20; t++) {
      Embedding image = TestVectors.embedding(rnd, S, MediaKind.IMAGE, D);
      ZeroShotClassifier.Prediction dog = c.classify(image).stream().filter(p -> p.label().equals("dog"))
          .findFirst().orElseThrow();
      assertThat(dog.cosine()).isCloseTo(TestVectors.cosine(image.toArray(), protoF), within(1e-6));
    }
    // each prompt counts once, whatever its norm
    ZeroShotClassifier rescaled = ZeroShotClassifier.builder()
        .label("dog", List.of(prompts.get(0).scale(3), prompts.get(1), prompts.get(2).scale(1000)))
        .label("car", text()).build();
    Embedding image = text();
    assertThat(rescaled.classify(image).stream().filter(p -> p.label().equals("dog")).findFirst().orElseThrow()
        .cosine()).isCloseTo(TestVectors.cosine(image.toArray(), protoF), within(1e-6));

    assertThatThrownBy(() -> ZeroShotClassifier.builder().label("x", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ZeroShotClassifier.builder().label("x", List.of(Embedding.of(S, MediaKind.TEXT,
        new float[D])))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero");
  }

  @Test
  void should_refuse_fewer_than_two_labels() {
    assertThatThrownBy(() -> ZeroShotClassifier.builder().build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2").hasMessageContaining("got 0");
    assertThatThrownBy(() -> ZeroShotClassifier.builder().label("only", text()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1");
  }

  @Test
  void should_refuse_a_repeated_label_naming_it() {
    assertThatThrownBy(() -> ZeroShotClassifier.builder().label("cat", text()).label("dog", text())
        .label("cat", text()).build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cat")
        .hasMessageNotContaining("dog");
  }

  @Test
  void should_refuse_a_bad_temperature_naming_it() {
    for (double t : new double[] {0, -0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> ZeroShotClassifier.builder().label("a", text()).label("b", text()).temperature(t)
          .build()).as("T=%s", t).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Double.toString(t));
    }
  }

  @Test
  void should_refuse_mixed_spaces_dimensions_and_zero_labels() {
    Embedding other = TestVectors.embedding(rnd, "other-space", MediaKind.TEXT, D);
    assertThatThrownBy(() -> ZeroShotClassifier.builder().label("a", text()).label("b", other).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(S).hasMessageContaining("other-space");
    Embedding shorter = TestVectors.embedding(rnd, S, MediaKind.TEXT, D - 1);
    assertThatThrownBy(() -> ZeroShotClassifier.builder().label("a", text()).label("b", shorter).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64").hasMessageContaining("63");
    assertThatThrownBy(() -> ZeroShotClassifier.builder().label("a", text())
        .label("b", Embedding.of(S, MediaKind.TEXT, new float[D])).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero");

    ZeroShotClassifier c = ZeroShotClassifier.builder().label("a", text()).label("b", text()).build();
    assertThatThrownBy(() -> c.classify(other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other-space");
  }
}
