package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.MediaKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The int8 bundle written by tools/imagebind-export/quantize.py (fixtures: tools/fixtures/make_int8_fixtures.py):
 * ONNX Runtime runs its {@code com.microsoft.DynamicQuantizeMatMul} nodes, and its embeddings stay within cosine
 * 0.99 of the float32 bundle it was made from, for random inputs of every graph.
 */
class Int8BundleTest {
  private static final int INPUTS_PER_GRAPH = 12;
  private static OnnxEmbeddingModel fp32;
  private static OnnxEmbeddingModel int8;

  @BeforeAll
  static void open() {
    fp32 = OnnxEmbeddingModel.open(OnnxFixtures.resource("bundles/wide-fp32"));
    int8 = OnnxEmbeddingModel.open(OnnxFixtures.resource("bundles/wide-int8"));
  }

  @AfterAll
  static void close() {
    int8.close();
    fp32.close();
  }

  @Test
  void should_declare_int8_graphs_in_the_manifest() {
    for (MediaKind m : List.of(MediaKind.IMAGE, MediaKind.TEXT, MediaKind.AUDIO)) {
      assertThat(int8.manifest().graph(m).orElseThrow().precision()).as(m.toString())
          .isEqualTo(GraphSpec.Precision.INT8);
      assertThat(fp32.manifest().graph(m).orElseThrow().precision()).isEqualTo(GraphSpec.Precision.FLOAT32);
    }
    assertThat(int8.manifest().modelVersion()).isEqualTo("1+int8");
    assertThat(int8.describe()).contains("weights int8");
  }

  @Test
  void should_stay_within_cosine_0_99_of_float32_for_random_inputs() {
    long seed = new Random().nextLong();
    System.out.println("Int8BundleTest seed: " + seed);
    Random rnd = new Random(seed);
    for (MediaKind m : List.of(MediaKind.IMAGE, MediaKind.TEXT, MediaKind.AUDIO)) {
      TensorSpec spec = fp32.manifest().graph(m).orElseThrow().input();
      long[] item = new long[spec.shape().size() - 1];
      int n = 1;
      for (int i = 0; i < item.length; i++) {
        item[i] = spec.shape().get(i + 1);
        n *= (int) item[i];
      }
      List<Tensor> inputs = new ArrayList<>();
      for (int k = 0; k < INPUTS_PER_GRAPH; k++) {
        inputs.add(m == MediaKind.TEXT ? text(rnd, n) : floats(rnd, item, n));
      }
      List<EmbeddingResult> a = fp32.tensorEncoder(m).encodeAll(inputs);
      List<EmbeddingResult> b = int8.tensorEncoder(m).encodeAll(inputs);
      double worst = 1;
      for (int k = 0; k < inputs.size(); k++) {
        double cos = a.get(k).raw().cosine(b.get(k).raw());
        worst = Math.min(worst, cos);
        assertThat(cos).as("%s input %d (seed %d)", m, k, seed).isGreaterThanOrEqualTo(0.99);
        assertThat(b.get(k).raw().toArray()).as("%s input %d differs from float32 at all", m, k)
            .isNotEqualTo(a.get(k).raw().toArray());
      }
      System.out.printf("Int8BundleTest %s: min cosine int8 vs float32 %.5f over %d inputs%n", m, worst,
          inputs.size());
    }
  }

  @Test
  void should_embed_every_input_as_if_it_were_alone_by_default() {
    long seed = new Random().nextLong();
    System.out.println("Int8BundleTest per-input seed: " + seed);
    Random rnd = new Random(seed);
    assertThat(OnnxRuntimeOptions.defaults().quantizedBatching())
        .isEqualTo(OnnxRuntimeOptions.QuantizedBatching.PER_INPUT);
    for (MediaKind m : List.of(MediaKind.IMAGE, MediaKind.TEXT, MediaKind.AUDIO)) {
      List<Tensor> inputs = randomInputs(rnd, m, 5, m == MediaKind.AUDIO ? 3 : 1);
      List<EmbeddingResult> together = int8.tensorEncoder(m).encodeAll(inputs);
      for (int k = 0; k < inputs.size(); k++) {
        EmbeddingResult alone = int8.tensorEncoder(m).encode(inputs.get(k));
        assertThat(together.get(k).raw().toArray()).as("%s input %d (seed %d)", m, k, seed)
            .containsExactly(alone.raw().toArray());
      }
    }
  }

  @Test
  void should_share_runs_across_inputs_when_asked_and_then_depend_on_the_neighbours() {
    long seed = new Random().nextLong();
    System.out.println("Int8BundleTest shared seed: " + seed);
    Random rnd = new Random(seed);
    OnnxRuntimeOptions shared = OnnxRuntimeOptions.builder()
        .quantizedBatching(OnnxRuntimeOptions.QuantizedBatching.SHARED).build();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(OnnxFixtures.resource("bundles/wide-int8"), shared)) {
      for (MediaKind m : List.of(MediaKind.IMAGE, MediaKind.AUDIO)) {
        List<Tensor> inputs = randomInputs(rnd, m, 6, m == MediaKind.AUDIO ? 3 : 1);
        List<EmbeddingResult> together = model.tensorEncoder(m).encodeAll(inputs);
        int differ = 0;
        for (int k = 0; k < inputs.size(); k++) {
          float[] alone = model.tensorEncoder(m).encode(inputs.get(k)).raw().toArray();
          differ += java.util.Arrays.equals(alone, together.get(k).raw().toArray()) ? 0 : 1;
        }
        // one scale per run from the run's min and max: only an input holding both extremes can keep its own
        assertThat(differ).as("%s inputs whose int8 embedding changed in a shared run (seed %d)", m, seed)
            .isGreaterThanOrEqualTo(inputs.size() - 1);
      }
    }
  }

  @Test
  void should_batch_float32_graphs_across_inputs_whatever_the_option() {
    for (OnnxRuntimeOptions.QuantizedBatching b : OnnxRuntimeOptions.QuantizedBatching.values()) {
      OnnxRuntimeOptions o = OnnxRuntimeOptions.builder().quantizedBatching(b).build();
      for (String name : List.of("wide-fp32", "wide-int8")) {
        Bundle bundle = Bundle.open(OnnxFixtures.resource("bundles/" + name));
        GraphSpec spec = bundle.manifest().graph(MediaKind.IMAGE).orElseThrow();
        try (OnnxGraph g = OnnxGraph.open(bundle, spec, o)) {
          boolean expected = name.equals("wide-fp32") || b == OnnxRuntimeOptions.QuantizedBatching.SHARED;
          assertThat(g.batchesAcrossInputs()).as("%s, %s", name, b).isEqualTo(expected);
        }
      }
    }
  }

  private static List<Tensor> randomInputs(Random rnd, MediaKind m, int count, int views) {
    TensorSpec spec = fp32.manifest().graph(m).orElseThrow().input();
    long[] item = new long[spec.shape().size() - 1 + (views > 1 ? 1 : 0)];
    int n = views;
    int off = views > 1 ? 1 : 0;
    if (views > 1) {
      item[0] = views;
    }
    for (int i = 1; i < spec.shape().size(); i++) {
      item[i - 1 + off] = spec.shape().get(i);
      n *= (int) spec.shape().get(i).longValue();
    }
    List<Tensor> inputs = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      inputs.add(m == MediaKind.TEXT ? text(rnd, n) : floats(rnd, item, n));
    }
    return inputs;
  }

  /** Gaussian values with a random scale and offset per input, so that the dynamic ranges differ. */
  private static Tensor floats(Random rnd, long[] shape, int n) {
    float[] v = new float[n];
    double scale = 0.2 + 3 * rnd.nextDouble();
    double offset = rnd.nextGaussian();
    for (int i = 0; i < n; i++) {
      v[i] = (float) (offset + scale * rnd.nextGaussian());
    }
    return Tensor.ofFloats(shape, v);
  }

  /** SOT, 3..60 random token ids, EOT, zero padding (the CLIP layout the stand-in's text graph reads). */
  private static Tensor text(Random rnd, int context) {
    long[] ids = new long[context];
    int len = 3 + rnd.nextInt(58);
    ids[0] = 49406;
    for (int i = 1; i <= len; i++) {
      ids[i] = 1 + rnd.nextInt(49405);
    }
    ids[len + 1] = 49407;
    return Tensor.ofLongs(new long[] {context}, ids);
  }
}
