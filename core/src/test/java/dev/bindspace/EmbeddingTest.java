package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Properties of {@link Embedding} on seeded random vectors, and its refusals. */
class EmbeddingTest {
  private static final String S = "emb-space";
  private static final int TRIALS = 200;

  private Random rnd;

  @BeforeEach
  void seed(TestInfo info) {
    rnd = TestRandom.forTest(info);
  }

  /** Dimension 1..300, Gaussian values of a random scale, a random media kind. */
  private Embedding random() {
    return random(1 + rnd.nextInt(300));
  }

  private Embedding random(int d) {
    float[] v = TestVectors.gaussian(rnd, d);
    double scale = Math.pow(10, rnd.nextInt(7) - 3);
    for (int i = 0; i < d; i++) {
      v[i] = (float) (v[i] * scale);
    }
    return Embedding.of(S, MediaKind.values()[rnd.nextInt(7)], v);
  }

  private static void assertClose(Embedding actual, float[] expected, double tol) {
    assertThat(actual.dimension()).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual.get(i)).as("index %d", i).isCloseTo(expected[i], within(tol));
    }
  }

  /** The angle between two directions, 2·atan2(|â−b̂|, |â+b̂|): well conditioned near 0 and π, unlike acos. */
  private static double angle(Embedding a, Embedding b) {
    double na = a.norm();
    double nb = b.norm();
    double diff = 0;
    double sum = 0;
    for (int i = 0; i < a.dimension(); i++) {
      double x = a.get(i) / na;
      double y = b.get(i) / nb;
      diff += (x - y) * (x - y);
      sum += (x + y) * (x + y);
    }
    return 2 * Math.atan2(Math.sqrt(diff), Math.sqrt(sum));
  }

  // ------------------------------------------------------------------------------ properties

  @Test
  void should_normalize_to_unit_norm_idempotently() {
    for (int t = 0; t < TRIALS; t++) {
      Embedding e = random();
      Embedding n = e.normalize();
      assertThat(n.norm()).isCloseTo(1.0, within(1e-6));
      assertThat(n.isNormalized()).isTrue();
      assertClose(n.normalize(), n.toArray(), 1e-6);
      assertThat(n.cosine(e)).isCloseTo(1.0, within(1e-6));
      assertThat(n.media()).isEqualTo(e.media());
    }
    assertThat(Embedding.of(S, MediaKind.TEXT, new float[] {3, 4}).isNormalized()).isFalse();
  }

  @Test
  void should_compute_a_symmetric_cosine_in_the_unit_interval() {
    for (int t = 0; t < TRIALS; t++) {
      int d = 1 + rnd.nextInt(300);
      Embedding a = random(d);
      Embedding b = random(d);
      assertThat(a.cosine(b)).isEqualTo(b.cosine(a)).isBetween(-1.0, 1.0)
          .isCloseTo(TestVectors.cosine(a.toArray(), b.toArray()), within(1e-12));
      assertThat(a.cosine(a)).isCloseTo(1.0, within(1e-12)).isLessThanOrEqualTo(1.0);
      assertThat(a.cosine(a.scale(-2.5))).isCloseTo(-1.0, within(1e-6)).isGreaterThanOrEqualTo(-1.0);
      assertThat(a.cosine(a.scale(7))).isLessThanOrEqualTo(1.0).isCloseTo(1.0, within(1e-6));
    }
  }

  @Test
  void should_add_commutatively_and_subtract_as_its_inverse() {
    for (int t = 0; t < TRIALS; t++) {
      int d = 1 + rnd.nextInt(300);
      Embedding a = random(d);
      Embedding b = random(d);
      assertThat(a.add(b).toArray()).isEqualTo(b.add(a).toArray());
      float[] back = a.add(b).subtract(b).toArray();
      float[] av = a.toArray();
      float[] bv = b.toArray();
      for (int i = 0; i < d; i++) {
        // two roundings to float, each at most half an ulp of the larger intermediate
        double tol = 2 * Math.ulp(Math.abs(av[i]) + Math.abs(bv[i]));
        assertThat((double) back[i]).as("index %d", i).isCloseTo(av[i], within(tol));
      }
      assertThat(a.subtract(a).norm()).isZero();
    }
  }

  @Test
  void should_scale_every_value() {
    for (int t = 0; t < TRIALS; t++) {
      Embedding a = random();
      double f = rnd.nextGaussian() * 10;
      float[] s = a.scale(f).toArray();
      for (int i = 0; i < s.length; i++) {
        assertThat(s[i]).isEqualTo((float) (a.get(i) * f));
      }
      if (f != 0) {
        assertThat(a.cosine(a.scale(f))).isCloseTo(Math.signum(f), within(1e-6));
      }
      assertThat(a.scale(1).toArray()).isEqualTo(a.toArray());
      assertThat(a.scale(0).norm()).isZero();
    }
  }

  @Test
  void should_have_a_bilinear_dot_product() {
    for (int t = 0; t < TRIALS; t++) {
      int d = 1 + rnd.nextInt(300);
      Embedding a = random(d);
      Embedding b = random(d);
      Embedding c = random(d);
      double s = rnd.nextGaussian() * 3;
      double left = a.scale(s).add(b).dot(c);
      double right = s * a.dot(c) + b.dot(c);
      // the combination is rounded to float once per element: error bounded by a few ulps of the terms
      double tol = 1e-6 * (Math.abs(s) * a.norm() * c.norm() + b.norm() * c.norm());
      assertThat(left).isCloseTo(right, within(tol));
      assertThat(a.dot(c)).isEqualTo(c.dot(a));
      assertThat(a.dot(a)).isCloseTo(a.norm() * a.norm(), within(1e-9 * a.dot(a)));
    }
  }

  @Test
  void should_interpolate_linearly_with_exact_endpoints() {
    for (int t = 0; t < TRIALS; t++) {
      int d = 1 + rnd.nextInt(300);
      Embedding a = random(d);
      Embedding b = random(d).withMedia(MediaKind.AUDIO);
      assertThat(TestVectors.bits(a.lerp(b, 0).toArray())).isEqualTo(TestVectors.bits(a.toArray()));
      assertThat(TestVectors.bits(a.lerp(b, 1).toArray())).isEqualTo(TestVectors.bits(b.toArray()));
      assertThat(a.lerp(b, 1).media()).isEqualTo(a.media());
      float[] mid = a.lerp(b, 0.5).toArray();
      for (int i = 0; i < d; i++) {
        assertThat(mid[i]).isEqualTo((float) (0.5 * a.get(i) + 0.5 * b.get(i)));
      }
    }
  }

  @Test
  void should_interpolate_spherically_on_the_unit_sphere() {
    for (int t = 0; t < TRIALS; t++) {
      int d = 2 + rnd.nextInt(300);
      Embedding a = random(d);
      Embedding b = random(d);
      assertClose(a.slerp(b, 0), a.normalize().toArray(), 1e-6);
      assertClose(a.slerp(b, 1), b.normalize().toArray(), 1e-6);
      double tt = rnd.nextDouble();
      assertThat(a.slerp(b, tt).norm()).isCloseTo(1.0, within(1e-6));
      Embedding mid = a.slerp(b, 0.5);
      double whole = angle(a, b);
      assertThat(angle(a, mid)).isCloseTo(angle(mid, b), within(1e-5)).isCloseTo(whole / 2, within(1e-5));
      // a point at t lies at angle t·θ from a along the great circle
      assertThat(angle(a, a.slerp(b, tt))).isCloseTo(tt * whole, within(1e-5));
      assertThat(mid.media()).isEqualTo(a.media());
    }
    Embedding a = random(10);
    assertClose(a.slerp(a.scale(2), 0.3), a.normalize().toArray(), 1e-6); // parallel: normalised lerp
    assertThatThrownBy(() -> a.slerp(a.scale(-1), 0.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("opposite");
  }

  @Test
  void should_sum_and_average_with_and_without_weights() {
    for (int t = 0; t < TRIALS / 4; t++) {
      int d = 1 + rnd.nextInt(100);
      int n = 1 + rnd.nextInt(6);
      List<Embedding> es = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        es.add(random(d));
      }
      double[] w = new double[n];
      double total = 0;
      for (int j = 0; j < n; j++) {
        w[j] = rnd.nextDouble() * 3;
        total += w[j];
      }
      double[] sum = new double[d];
      double[] wsum = new double[d];
      double scale = 0;
      for (Embedding e : es) {
        scale = Math.max(scale, e.norm());
        for (int i = 0; i < d; i++) {
          sum[i] += e.get(i);
        }
      }
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < d; i++) {
          wsum[i] += w[j] * es.get(j).get(i);
        }
      }
      double tol = 1e-6 * scale * n * 3;
      Embedding s = Embedding.sum(es);
      Embedding m = Embedding.mean(es);
      Embedding ws = Embedding.sum(es, w);
      Embedding wm = Embedding.mean(es, w);
      for (int i = 0; i < d; i++) {
        assertThat((double) s.get(i)).isCloseTo(sum[i], within(tol));
        assertThat((double) m.get(i)).isCloseTo(sum[i] / n, within(tol));
        assertThat((double) ws.get(i)).isCloseTo(wsum[i], within(tol));
        assertThat((double) wm.get(i)).isCloseTo(wsum[i] / total, within(tol));
      }
      for (Embedding r : List.of(s, m, ws, wm)) {
        assertThat(r.media()).isEqualTo(es.get(0).media());
        assertThat(r.space()).isEqualTo(S);
      }
    }
    Embedding a = random(17);
    Embedding b = random(17);
    assertThat(Embedding.mean(List.of(a))).isEqualTo(a);
    assertThat(Embedding.sum(List.of(a))).isEqualTo(a);
    assertThat(Embedding.mean(List.of(a, a, a)).toArray()).isEqualTo(a.toArray());
    assertThat(Embedding.mean(List.of(a, b), new double[] {1, 0}).toArray()).isEqualTo(a.toArray());
    assertThat(Embedding.sum(List.of(a, b), new double[] {1, -1}).toArray()).isEqualTo(a.subtract(b).toArray());
  }

  @Test
  void should_refuse_bad_weights_naming_them() {
    Embedding a = random(4);
    Embedding b = random(4);
    List<Embedding> two = List.of(a, b);
    assertThatThrownBy(() -> Embedding.mean(two, new double[] {1, -0.5})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-0.5");
    assertThatThrownBy(() -> Embedding.mean(two, new double[] {0, 0})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero");
    assertThatThrownBy(() -> Embedding.sum(two, new double[] {1, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> Embedding.mean(two, new double[] {Double.POSITIVE_INFINITY, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
    assertThatThrownBy(() -> Embedding.sum(two, new double[] {1})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2").hasMessageContaining("1");
    assertThatThrownBy(() -> Embedding.mean(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> Embedding.sum(Collections.singletonList(null))).isInstanceOf(NullPointerException.class);
  }

  // ------------------------------------------------------------------------------ refusals

  @Test
  void should_refuse_non_finite_values_naming_the_index() {
    float[][] bad = {{1, 2, Float.NaN}, {Float.POSITIVE_INFINITY, 0}, {0, Float.NEGATIVE_INFINITY}};
    int[] at = {2, 0, 1};
    for (int i = 0; i < bad.length; i++) {
      float[] v = bad[i];
      assertThatThrownBy(() -> Embedding.of(S, MediaKind.TEXT, v)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("index " + at[i]).hasMessageContaining(Float.toString(v[at[i]]));
    }
  }

  @Test
  void should_refuse_an_empty_vector_and_bad_space_ids() {
    assertThatThrownBy(() -> Embedding.of(S, MediaKind.TEXT, new float[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    float[] v = {1};
    assertThatThrownBy(() -> Embedding.of("  ", MediaKind.TEXT, v)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> Embedding.of("a\nb", MediaKind.TEXT, v)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control");
    String tooLong = "é".repeat(128); // 256 UTF-8 bytes
    assertThatThrownBy(() -> Embedding.of(tooLong, MediaKind.TEXT, v)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("255");
    assertThat(Embedding.of("é".repeat(127) + "x", MediaKind.TEXT, v).space()).hasSize(128); // 255 bytes is fine
    assertThatThrownBy(() -> Embedding.of(S, (MediaKind) null, v)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Embedding.of(S, MediaKind.TEXT, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void should_refuse_mixing_spaces_naming_both() {
    Embedding a = Embedding.of("space-a", MediaKind.TEXT, new float[] {1, 2, 3});
    Embedding b = Embedding.of("space-b", MediaKind.TEXT, new float[] {1, 2, 3});
    List<Runnable> ops = List.of(() -> a.add(b), () -> a.subtract(b), () -> a.dot(b), () -> a.cosine(b),
        () -> a.lerp(b, 0.5), () -> a.slerp(b, 0.5), () -> Embedding.sum(List.of(a, b)),
        () -> Embedding.mean(List.of(a, b)), () -> a.checkCompatible(b));
    for (Runnable op : ops) {
      assertThatThrownBy(op::run).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("space-a").hasMessageContaining("space-b");
    }
  }

  @Test
  void should_refuse_mixing_dimensions_naming_both() {
    Embedding a = random(5);
    Embedding b = random(7);
    List<Runnable> ops = List.of(() -> a.add(b), () -> a.subtract(b), () -> a.dot(b), () -> a.cosine(b),
        () -> a.lerp(b, 0.5), () -> a.slerp(b, 0.5), () -> Embedding.sum(List.of(a, b)),
        () -> Embedding.mean(List.of(b, a)), () -> b.checkCompatible(a));
    for (Runnable op : ops) {
      assertThatThrownBy(op::run).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("5").hasMessageContaining("7");
    }
  }

  @Test
  void should_refuse_operations_undefined_for_the_zero_vector() {
    Embedding zero = Embedding.of(S, MediaKind.TEXT, new float[3]);
    Embedding a = random(3);
    assertThatThrownBy(zero::normalize).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero");
    assertThatThrownBy(() -> a.cosine(zero)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero");
    assertThatThrownBy(() -> zero.cosine(a)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero");
    assertThatThrownBy(() -> zero.slerp(a, 0.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero");
    assertThat(zero.dot(a)).isZero(); // the dot product itself is defined
  }

  @Test
  void should_refuse_bad_factors_and_parameters_naming_them() {
    Embedding a = random(4);
    Embedding b = random(4);
    assertThatThrownBy(() -> a.scale(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> a.scale(Double.NEGATIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Infinity");
    for (double t : new double[] {-0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> a.lerp(b, t)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(Double.toString(t));
      assertThatThrownBy(() -> a.slerp(b, t)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(Double.toString(t));
    }
    Embedding big = Embedding.of(S, MediaKind.TEXT, new float[] {3e38f, 1});
    assertThatThrownBy(() -> big.scale(10)).isInstanceOf(ArithmeticException.class).hasMessageContaining("index 0");
    assertThatThrownBy(() -> big.add(big)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> a.get(4)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("4");
    assertThatThrownBy(() -> a.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  // ------------------------------------------------------------------------ value semantics

  @Test
  void should_not_be_changed_through_the_input_array_or_toArray() {
    float[] v = {1, 2, 3};
    Embedding e = Embedding.of(S, MediaKind.IMAGE, v);
    v[0] = 99;
    assertThat(e.get(0)).isEqualTo(1f);
    float[] out = e.toArray();
    out[1] = 99;
    assertThat(e.get(1)).isEqualTo(2f);
    assertThat(e.toArray()).containsExactly(1, 2, 3).isNotSameAs(e.toArray());
    float[] dest = new float[5];
    e.copyTo(dest, 2);
    assertThat(dest).containsExactly(0, 0, 1, 2, 3);
    dest[2] = 42;
    assertThat(e.get(0)).isEqualTo(1f);
  }

  @Test
  void should_be_equal_when_space_media_and_every_bit_are_equal() {
    float[] v = {0.5f, -1.25f, 3};
    Embedding a = Embedding.of(S, MediaKind.AUDIO, v);
    Embedding same = Embedding.of(S, MediaKind.AUDIO, v.clone());
    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(a).isNotEqualTo(Embedding.of("other", MediaKind.AUDIO, v));
    assertThat(a).isNotEqualTo(Embedding.of(S, MediaKind.TEXT, v));
    assertThat(a).isNotEqualTo(Embedding.of(S, MediaKind.AUDIO, new float[] {0.5f, -1.25f, Math.nextUp(3f)}));
    assertThat(Embedding.of(S, MediaKind.AUDIO, new float[] {0f}))
        .isNotEqualTo(Embedding.of(S, MediaKind.AUDIO, new float[] {-0f})); // bit for bit
    assertThat(a).isNotEqualTo(null).isNotEqualTo("Embedding");
    assertThat(a.withMedia(MediaKind.AUDIO)).isSameAs(a);
    assertThat(a.withMedia(MediaKind.VIDEO)).isNotEqualTo(a).extracting(Embedding::media).isEqualTo(MediaKind.VIDEO);
    assertThat(a.toString()).contains(S).contains("AUDIO").contains("dimension=3").contains("0.5");
  }

  @Test
  void should_label_results_like_the_receiver_or_the_first_operand() {
    Embedding image = Embedding.of(S, Modality.VISION, new float[] {1, 0, 0});
    Embedding sound = Embedding.of(S, MediaKind.AUDIO, new float[] {0, 1, 0});
    Embedding video = Embedding.of(S, MediaKind.VIDEO, new float[] {0, 0, 1});
    assertThat(image.media()).isEqualTo(MediaKind.IMAGE); // VISION defaults to IMAGE
    assertThat(image.modality()).isEqualTo(Modality.VISION);
    assertThat(video.modality()).isEqualTo(Modality.VISION);
    assertThat(Embedding.of(S, Modality.AUDIO, new float[] {1}).media()).isEqualTo(MediaKind.AUDIO);

    assertThat(image.add(sound).media()).isEqualTo(MediaKind.IMAGE);
    assertThat(sound.add(image).media()).isEqualTo(MediaKind.AUDIO);
    assertThat(video.subtract(sound).media()).isEqualTo(MediaKind.VIDEO);
    assertThat(sound.scale(2).media()).isEqualTo(MediaKind.AUDIO);
    assertThat(video.normalize().media()).isEqualTo(MediaKind.VIDEO);
    assertThat(sound.lerp(image, 1).media()).isEqualTo(MediaKind.AUDIO);
    assertThat(image.slerp(video, 0.5).media()).isEqualTo(MediaKind.IMAGE);
    assertThat(Embedding.sum(List.of(video, image, sound)).media()).isEqualTo(MediaKind.VIDEO);
    assertThat(Embedding.mean(List.of(sound, video)).media()).isEqualTo(MediaKind.AUDIO);
    assertThat(image.add(sound).space()).isEqualTo(S);
  }
}
