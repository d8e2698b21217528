package dev.bindspace.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MiniLM text encoder end to end: bundle on disk, provider found by ServiceLoader, embeddings. */
class MiniLmTextEncoderTest {
  @TempDir static Path dir;
  static OnnxEmbeddingModel model;
  static TextEncoder text;

  @BeforeAll
  static void open() {
    model = OnnxEmbeddingModel.open(MiniLmBundles.write(dir.resolve("minilm")),
        OnnxRuntimeOptions.builder().maxBatchSize(32).build());
    text = (TextEncoder) model.encoder(Modality.TEXT);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static double cos(Embedding a, Embedding b) {
    float[] x = a.toArray();
    float[] y = b.toArray();
    double d = 0, nx = 0, ny = 0;
    for (int i = 0; i < x.length; i++) {
      d += (double) x[i] * y[i];
      nx += (double) x[i] * x[i];
      ny += (double) y[i] * y[i];
    }
    return d / Math.sqrt(nx * ny);
  }

  static double maxAbsDiff(Embedding a, Embedding b) {
    float[] x = a.toArray();
    float[] y = b.toArray();
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs((double) x[i] - y[i]));
    }
    return m;
  }

  @Test
  void provider_is_discovered_and_the_graph_is_a_token_graph() {
    assertThat(model.modalities()).containsExactly(Modality.TEXT);
    assertThat(model.missingEncoderModules()).isEmpty();
    assertThat(text.dimension()).isEqualTo(384);
    assertThat(text.tokenizer()).isInstanceOf(WordPieceTokenizer.class);
    assertThat(model.describe()).contains("input_ids").contains("last_hidden_state");
    assertThatThrownBy(() -> model.tensorEncoder(MediaKind.TEXT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token sequences");
  }

  @Test
  void sentence_similarities_are_those_of_all_minilm_l6_v2() {
    List<EmbeddingResult> r = new ArrayList<>();
    for (String t : List.of("A man is playing a guitar.", "Someone plays an acoustic guitar on stage.",
        "The stock market fell sharply today.")) {
      r.add(text.encode(t)); // one by one, as ../shared/docs/dependencies.md measured them (0.653, -0.064)
    }
    double similar = cos(r.get(0).joint(), r.get(1).joint());
    double unrelated = cos(r.get(0).joint(), r.get(2).joint());
    System.out.printf("MiniLM cosines: guitar/guitar %.4f, guitar/stocks %.4f%n", similar, unrelated);
    assertThat(similar).isBetween(0.643, 0.663);
    assertThat(unrelated).isBetween(-0.074, -0.054);
    for (EmbeddingResult e : r) {
      assertThat(e.joint().norm()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(e.raw().norm()).isNotCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3)); // pooled, not normalised
      assertThat(e.joint().media()).isEqualTo(MediaKind.TEXT);
    }
  }

  static List<String> sentences() {
    List<String> s = new ArrayList<>(List.of("A man is playing a guitar.", "", "   ", "Hi", "naïve café — déjà vu",
        "東京は日本の首都です。", "emoji 🎸🎶 and numbers 3.14159", "The stock market fell sharply today.",
        "a\u0000control\u0007chars\tand\nbreaks", "Someone plays an acoustic guitar on stage."));
    s.add("word ".repeat(300)); // truncated at 128 tokens
    return s;
  }

  @Test
  void a_batch_gives_the_one_by_one_results() {
    List<String> s = sentences();
    List<EmbeddingResult> batch = text.encodeAll(s);
    double worst = 0;
    double worstCos = 1;
    for (int i = 0; i < s.size(); i++) {
      EmbeddingResult one = text.encode(s.get(i));
      worst = Math.max(worst, maxAbsDiff(one.joint(), batch.get(i).joint()));
      worstCos = Math.min(worstCos, cos(one.joint(), batch.get(i).joint()));
    }
    // The quantized graph quantizes activations dynamically with one scale per tensor (DynamicQuantizeLinear), so
    // the other rows and the padding of a batch move every row a little: same direction, not the same bits.
    System.out.printf("MiniLM-q batch of %d vs one-by-one: max |diff| %.3g, min cosine %.6f%n", s.size(), worst,
        worstCos);
    assertThat(worstCos).isGreaterThan(0.95); // measured 0.9617 (the 2-token rows of "" and "   " next to a 128-token row)
    // A batch of identical rows (no padding, same range) is bit-identical to one-by-one.
    List<EmbeddingResult> same = text.encodeAll(List.of(s.get(0), s.get(0), s.get(0)));
    for (EmbeddingResult r : same) {
      assertThat(r.raw().toArray()).containsExactly(text.encode(s.get(0)).raw().toArray());
    }
    // With maxBatchSize 1 every text runs alone: exactly the one-by-one results, for any list.
    try (OnnxEmbeddingModel single = OnnxEmbeddingModel.open(dir.resolve("minilm"),
        OnnxRuntimeOptions.builder().maxBatchSize(1).build())) {
      List<Embedding> got = single.encoder(Modality.TEXT, String.class).embedAll(s);
      for (int i = 0; i < s.size(); i++) {
        assertThat(got.get(i).toArray()).containsExactly(text.embed(s.get(i)).toArray());
      }
    }
  }

  @Test
  void eight_threads_give_the_single_thread_results() throws Exception {
    List<String> s = sentences();
    List<Embedding> reference = text.embedAll(s);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<Embedding>>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        fs.add(pool.submit(() -> text.embedAll(s)));
      }
      for (Future<List<Embedding>> f : fs) {
        List<Embedding> got = f.get();
        for (int i = 0; i < s.size(); i++) {
          assertThat(got.get(i).toArray()).containsExactly(reference.get(i).toArray());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void long_texts_truncate_by_default_and_windows_average_when_asked() {
    String shortText = "A man is playing a guitar.";
    String longText = "The guitarist tuned his strings before the concert. ".repeat(40);
    TextEncoder windows = text.windowed(32);
    assertThat(windows.isWindowed()).isTrue();
    assertThat(windows.encode(shortText).joint().toArray()).containsExactly(text.encode(shortText).joint().toArray());
    Embedding truncated = text.embed(longText);
    Embedding averaged = windows.embed(longText);
    assertThat(maxAbsDiff(truncated, averaged)).isGreaterThan(1e-4);
    assertThat(cos(truncated, averaged)).isGreaterThan(0.9);
    assertThatThrownBy(() -> text.windowed(126)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bad_input_fails_clearly() {
    assertThatThrownBy(() -> text.encodeAll(null)).isInstanceOf(NullPointerException.class);
    List<String> withNull = new ArrayList<>();
    withNull.add("x");
    withNull.add(null);
    assertThatThrownBy(() -> text.encodeAll(withNull)).hasMessageContaining("texts[1] is null");
    assertThat(text.embed("").norm()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(text.embed("x".repeat(1_000_000)).dimension()).isEqualTo(384);
    assertThat(text.embed("\uD800 lone surrogate").dimension()).isEqualTo(384);
  }
}
