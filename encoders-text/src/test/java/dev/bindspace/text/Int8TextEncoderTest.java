package dev.bindspace.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.Modality;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.onnx.OnnxRuntimeOptions.QuantizedBatching;
import java.nio.file.Path;
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
    ClipTextBundle.write(dir, Path.of("../onnx/src/test/resources/bundles/wide-int8/text.onnx"), "int8");
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
}
