package dev.bindspace.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bindspace.Modality;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.onnx.OnnxRuntimeOptions.QuantizedBatching;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An int8 text graph (the onnx module's {@code wide-int8} fixture, written by quantize.py) with the real CLIP
 * vocabulary from {@code ../shared} (skipped when absent): by default each text runs alone, so its embedding does
 * not depend on the other texts of the call, truncated or windowed; {@link QuantizedBatching#SHARED} batches texts
 * together and then the neighbours show.
 */
class Int8TextEncoderTest {
  private static final List<String> TEXTS = List.of("a dog", "A MAN playing the guitar &amp; singing",
      "cat ".repeat(200), "the sound of rain on a tin roof", "zebra", "a photo of a red bicycle leaning on a wall");

  @TempDir Path dir;

  @BeforeEach
  void bundle() throws Exception {
    Path vocab = TestData.sharedOrSkip(TestData.CLIP_VOCAB);
    Path src = Path.of("../onnx/src/test/resources/bundles/wide-int8");
    assumeTrue(Files.isDirectory(src), "the onnx module's wide-int8 fixture is not at " + src.toAbsolutePath());
    Files.copy(src.resolve("text.onnx"), dir.resolve("text.onnx"));
    Files.copy(vocab, dir.resolve("bpe_simple_vocab_16e6.txt.gz"));
    Files.writeString(dir.resolve("bundle.json"), """
        {"format_version": 1, "model": {"name": "standin-wide", "version": "1+int8"},
         "space": "bindspace-test-standin-wide", "dimension": 32,
         "license": {"id": "Apache-2.0", "name": "Apache License 2.0", "attribution": "bindspace"},
         "graphs": {"text": {
           "file": {"path": "text.onnx", "sha256": "%s"}, "data_files": [],
           "inputs": [{"name": "text", "dtype": "int64", "shape": [-1, 77]}],
           "outputs": [{"name": "embedding", "dtype": "float32", "shape": [-1, 32]}],
           "preprocessing": {"kind": "text", "tokenizer": "clip_bpe", "context_length": 77,
                             "vocabulary": {"path": "bpe_simple_vocab_16e6.txt.gz", "sha256": "%s"}},
           "postprocessing": {"applied_in": "graph", "l2_normalize": true, "logit_scale": 23.5},
           "aggregation": {"mode": "none", "views": 1}, "precision": "int8"}}}
        """.formatted(sha(dir.resolve("text.onnx")), sha(dir.resolve("bpe_simple_vocab_16e6.txt.gz"))),
        StandardCharsets.UTF_8);
  }

  @Test
  void should_embed_each_text_as_if_alone_by_default() {
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(dir)) {
      TextEncoder text = (TextEncoder) model.encoder(Modality.TEXT);
      for (TextEncoder enc : List.of(text, text.windowed(8))) {
        List<EmbeddingResult> together = enc.encodeAll(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
          float[] alone = enc.encodeAll(List.of(TEXTS.get(i))).get(0).raw().toArray();
          assertThat(together.get(i).raw().toArray()).as("%s, text %d", enc, i).containsExactly(alone);
        }
      }
    }
  }

  @Test
  void should_let_neighbours_show_when_runs_are_shared() {
    OnnxRuntimeOptions shared = OnnxRuntimeOptions.builder().quantizedBatching(QuantizedBatching.SHARED).build();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(dir, shared)) {
      TextEncoder text = (TextEncoder) model.encoder(Modality.TEXT);
      List<EmbeddingResult> together = text.encodeAll(TEXTS);
      int differ = 0;
      for (int i = 0; i < TEXTS.size(); i++) {
        float[] alone = text.encodeAll(List.of(TEXTS.get(i))).get(0).raw().toArray();
        differ += java.util.Arrays.equals(alone, together.get(i).raw().toArray()) ? 0 : 1;
      }
      assertThat(differ).as("texts whose int8 embedding changed in a shared run").isGreaterThanOrEqualTo(TEXTS.size() - 1);
    }
  }

  private static String sha(Path p) throws IOException, java.security.NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
