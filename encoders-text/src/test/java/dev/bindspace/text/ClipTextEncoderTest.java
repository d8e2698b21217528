package dev.bindspace.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code clip_bpe} path: the onnx module's stand-in text graph (ImageBind's text input signature,
 * {@code int64 [-1, 77]} → {@code [-1, 32]}, post-processing inside the graph) with the real CLIP
 * vocabulary from {@code ../shared} (skipped when absent). The text encoder must give exactly what
 * the generic tensor encoder gives for the tokenizer's 77 ids.
 */
class ClipTextEncoderTest {
  @TempDir Path dir;

  @Test
  void text_encoder_equals_the_tensor_encoder_on_the_tokenizer_ids() throws Exception {
    ClipTextBundle.write(dir, Path.of("../onnx/src/test/resources/bundles/standin/text.onnx"), null);
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(dir)) {
      TextEncoder text = (TextEncoder) model.encoder(Modality.TEXT);
      assertThat(text.tokenizer()).isInstanceOf(ClipBpeTokenizer.class);
      List<String> texts = List.of("a photo of a dog", "", "A MAN playing the guitar &amp; singing", "cat ".repeat(200));
      List<EmbeddingResult> got = text.encodeAll(texts);
      for (int i = 0; i < texts.size(); i++) {
        long[] ids = text.tokenizer().encodeAll(List.of(texts.get(i))).idsAsLongs();
        assertThat(ids).hasSize(77);
        EmbeddingResult want = model.tensorEncoder(MediaKind.TEXT).encode(Tensor.ofLongs(new long[] {77}, ids));
        assertThat(got.get(i).raw().toArray()).containsExactly(want.raw().toArray());
        assertThat(got.get(i).joint().toArray()).containsExactly(want.joint().toArray());
      }
      // raw carries the graph's logit scale (L2-normalised × 23.5 inside the graph)
      assertThat(got.get(0).raw().norm()).isCloseTo(23.5, org.assertj.core.data.Offset.offset(1e-3));
    }
  }

  /**
   * A causal text graph with {@code "padding": "longest"} (the onnx module's causal-text fixture, ImageBind's
   * text layout): the encoder pads each batch only to its longest row, and every text must embed as it does
   * when run alone on the full 77 ids.
   */
  @Test
  void longest_padding_gives_the_full_length_embedding() throws Exception {
    Path vocab = TestData.sharedOrSkip(TestData.CLIP_VOCAB);
    Path src = Path.of("../onnx/src/test/resources/bundles/causal-text");
    assumeTrue(Files.isDirectory(src), "the onnx module's causal-text fixture is not at " + src.toAbsolutePath());
    Files.copy(src.resolve("text.onnx"), dir.resolve("text.onnx"));
    Files.copy(src.resolve("LICENSE"), dir.resolve("LICENSE"));
    Files.copy(vocab, dir.resolve("bpe_simple_vocab_16e6.txt.gz"));
    String json = Files.readString(src.resolve("bundle.json"), StandardCharsets.UTF_8)
        .replace("clip-vocab-stub.txt", "bpe_simple_vocab_16e6.txt.gz")
        .replaceAll("\"sha256\": \"c864eea7[0-9a-f]+\"",
            "\"sha256\": \"" + ClipTextBundle.sha(dir.resolve("bpe_simple_vocab_16e6.txt.gz")) + "\"");
    Files.writeString(dir.resolve("bundle.json"), json, StandardCharsets.UTF_8);
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(dir)) {
      TextEncoder text = (TextEncoder) model.encoder(Modality.TEXT);
      assertThat(text.tokenizer().padding()).isEqualTo(Padding.LONGEST);
      List<String> texts = List.of("a dog", "", "A MAN playing the guitar &amp; singing on a sunny afternoon",
          "cat ".repeat(200), "the sound of rain", "a photo of a red bicycle leaning against a wall");
      List<EmbeddingResult> got = text.encodeAll(texts);
      dev.bindspace.onnx.OnnxGraph graph = dev.bindspace.onnx.OnnxGraph.open(dir.resolve("text.onnx"),
          model.manifest().graph(MediaKind.TEXT).orElseThrow(), dev.bindspace.onnx.OnnxRuntimeOptions.defaults(),
          "full-length reference");
      try (graph) {
        for (int i = 0; i < texts.size(); i++) {
          int[] tokens = text.tokenizer().encode(texts.get(i)).ids();
          assertThat(tokens.length).isLessThanOrEqualTo(77);
          long[] ids = new long[77];
          for (int j = 0; j < tokens.length; j++) {
            ids[j] = tokens[j];
          }
          float[] want = graph.runIds(ids, 1, 77);
          float[] raw = got.get(i).raw().toArray();
          for (int d = 0; d < want.length; d++) {
            assertThat(raw[d]).as("text %d dim %d", i, d).isCloseTo(want[d], org.assertj.core.data.Offset.offset(1e-4f));
          }
        }
      }
    }
  }

}
